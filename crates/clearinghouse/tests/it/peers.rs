//! Findings compared with a peer's on the same input and the same advisory data:
//! cargo-audit (RustSec's own scanner) on Cargo.lock files, against RustSec's
//! advisory database; ours against the same advisories in OSV form.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use ch_test_support::{osv_zip_records, shared_data, unzip_to};

use crate::{ch, temp_db};

/// cargo-audit: `$CLEARINGHOUSE_CARGO_AUDIT`, else on `PATH`, else in Cargo's
/// bin folder. `scripts/test.sh` installs it; elsewhere the test is skipped.
fn cargo_audit() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CLEARINGHOUSE_CARGO_AUDIT") {
        return Some(PathBuf::from(p));
    }
    let on_path = Command::new("cargo-audit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if on_path {
        return Some(PathBuf::from("cargo-audit"));
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let p = home.join("bin/cargo-audit");
    p.is_file().then_some(p)
}

/// (package, version) → advisory ids cargo-audit reports (vulnerabilities and
/// the informational warnings: unmaintained, unsound, notice).
fn audit(bin: &Path, db: &Path, lock: &Path) -> BTreeMap<(String, String), BTreeSet<String>> {
    let out = Command::new(bin)
        .args(["audit", "--db"])
        .arg(db)
        .args(["--no-fetch", "--no-yanked", "--json", "--file"])
        .arg(lock)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("cargo-audit: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut found: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let warnings = v["warnings"]
        .as_object()
        .into_iter()
        .flat_map(|w| w.values());
    let lists = std::iter::once(&v["vulnerabilities"]["list"]).chain(warnings);
    for item in lists.flat_map(|l| l.as_array().into_iter().flatten()) {
        let Some(id) = item["advisory"]["id"].as_str() else {
            continue;
        };
        let key = (
            item["package"]["name"].as_str().unwrap().to_owned(),
            item["package"]["version"].as_str().unwrap().to_owned(),
        );
        found.entry(key).or_default().insert(id.to_owned());
    }
    found
}

/// (package, version) → our findings, each as every id it is known by.
fn ours(db: &Path, lock: &Path) -> BTreeMap<(String, String), Vec<BTreeSet<String>>> {
    let run = ch(
        db,
        &[
            "scan",
            lock.to_str().unwrap(),
            "--format",
            "json",
            "--offline",
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut found: BTreeMap<(String, String), Vec<BTreeSet<String>>> = BTreeMap::new();
    for f in v["findings"].as_array().unwrap() {
        let key = (
            f["package"]["name"].as_str().unwrap().to_owned(),
            f["package"]["version"].as_str().unwrap().to_owned(),
        );
        let mut ids: BTreeSet<String> = BTreeSet::new();
        ids.insert(f["id"].as_str().unwrap().to_owned());
        for list in ["aliases", "advisories"] {
            ids.extend(
                f[list]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_owned()),
            );
        }
        found.entry(key).or_default().push(ids);
    }
    found
}

/// A Cargo.lock holding every crate version any RustSec advisory's events or
/// version lists name: the versions where a scanner's range logic is decided.
fn rustsec_lockfile(data: &Path, path: &Path) -> usize {
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for (_, record) in osv_zip_records(&data.join("osv-rustsec/all.zip")) {
        for a in record["affected"].as_array().into_iter().flatten() {
            let name = a["package"]["name"].as_str().unwrap_or_default().to_owned();
            let mut versions: Vec<String> = Vec::new();
            for r in a["ranges"].as_array().into_iter().flatten() {
                for e in r["events"].as_array().into_iter().flatten() {
                    versions.extend(
                        e.as_object()
                            .unwrap()
                            .values()
                            .filter_map(|v| v.as_str().map(str::to_owned)),
                    );
                }
            }
            versions.extend(
                a["versions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_owned)),
            );
            for v in versions.into_iter().filter(|v| v != "0") {
                pairs.insert((name.clone(), v));
            }
        }
    }
    let mut text = String::from("version = 3\n");
    for (name, version) in &pairs {
        text.push_str(&format!(
            "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        ));
    }
    std::fs::write(path, text).unwrap();
    pairs.len()
}

#[test]
fn findings_on_cargo_lock_files_equal_cargo_audits() {
    let Some(data) = shared_data() else { return };
    let Some(bin) = cargo_audit() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "cargo-audit must be installed in CI (scripts/test.sh installs it)"
        );
        eprintln!("skipped: cargo-audit not found (set CLEARINGHOUSE_CARGO_AUDIT)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let advisory_db = tmp.path().join("advisory-db");
    unzip_to(&data.join("rustsec/advisory-db.zip"), &advisory_db);
    let (_d, db) = temp_db();
    ch(
        &db,
        &[
            "db",
            "import",
            data.join("osv-rustsec/all.zip").to_str().unwrap(),
        ],
    )
    .ok();
    let generated = tmp.path().join("Cargo.lock");
    let n = rustsec_lockfile(&data, &generated);
    assert!(n > 1500, "{n} crate versions");
    let workspace = ch_test_support::workspace_root().join("Cargo.lock");
    let mut compared = 0;
    for lock in [generated, workspace] {
        let theirs = audit(&bin, &advisory_db, &lock);
        let ours = ours(&db, &lock);
        // Every advisory cargo-audit reports is one of our findings for that
        // package version (by id or alias)…
        for (key, ids) in &theirs {
            for id in ids {
                let hit = ours
                    .get(key)
                    .is_some_and(|fs| fs.iter().any(|f| f.contains(id)));
                assert!(
                    hit,
                    "{}: cargo-audit reports {id} for {key:?}; we do not",
                    lock.display()
                );
                compared += 1;
            }
        }
        // …and every finding of ours is one cargo-audit reports.
        for (key, findings) in &ours {
            for f in findings {
                let hit = theirs
                    .get(key)
                    .is_some_and(|ids| ids.iter().any(|id| f.contains(id)));
                assert!(
                    hit,
                    "{}: we report {f:?} for {key:?}; cargo-audit does not",
                    lock.display()
                );
            }
        }
    }
    assert!(compared > 3000, "{compared} advisory reports compared");
}
