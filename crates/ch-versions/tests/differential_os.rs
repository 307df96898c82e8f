//! Differential tests of the OS / distribution orderings (dpkg, rpm, CRAN, opam)
//! against their reference implementations, run as batch processes:
//!
//! | scheme | reference                                         | install (Debian)          |
//! |--------|---------------------------------------------------|---------------------------|
//! | dpkg   | libapt `apt_pkg.version_compare` + `dpkg`         | python3-apt, dpkg         |
//! | rpm    | python3-rpm `rpm.labelCompare`                    | python3-rpm               |
//! | cran   | R `package_version`                               | r-base-core               |
//! | opam   | `opam admin list` (OpamVersionCompare)            | opam                      |
//!
//! The Python scripts run under Debian's `/usr/bin/python3` (the modules are Debian
//! packages, not on PyPI). apk, Homebrew and Hackage have no reference program here;
//! their modules carry the reference projects' test vectors as unit tests, and the
//! tests at the end only check that the real advisory data parses.
//!
//! Every allowed disagreement is one documented in the scheme's module, matched by a
//! narrow predicate.
#![allow(clippy::unwrap_used)]

mod common;

use ch_test_support::{osv_versions, shared_data, ReferenceTool};
use ch_versions::Scheme;

const PY: &str = "/usr/bin/python3";

/// Every combination `a + b + c` of the fragment lists.
fn product(a: &[&str], b: &[&str], c: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            for z in c {
                out.push(format!("{x}{y}{z}"));
            }
        }
    }
    out
}

fn data_versions(folder: &str, ecosystem: &str) -> Option<Vec<String>> {
    let data = shared_data()?;
    Some(osv_versions(
        &[data.join(folder).join("all.zip")],
        ecosystem,
    ))
}

// ---------------------------------------------------------------------------------
// dpkg

fn dpkg_versions() -> Vec<String> {
    let long = "9".repeat(30);
    let long_zero = format!("1.{}1", "0".repeat(25));
    let upstream: Vec<&str> = vec![
        "0",
        "00",
        "1",
        "1.0",
        "1.00",
        "1.0.0",
        "1.01",
        "1.1",
        "1.9",
        "1.10",
        "2",
        "10",
        "1a",
        "1.0a",
        "1.0A",
        "1.0z",
        "1.0+b1",
        "1.0+",
        "1.0.",
        "1.0~rc1",
        "1.0~~",
        "1.0~",
        "1.0~a",
        "1.0~rc1+dfsg",
        "1.0+dfsg~1",
        "2.30",
        "4.13.1",
        &long,
        &long_zero,
        "1.0-x",
        "1:2",
    ];
    let mut out = product(
        &["", "0:", "1:", "01:", "2:", "10:"],
        &upstream,
        &[
            "",
            "-0",
            "-00",
            "-1",
            "-1~",
            "-1~bpo1",
            "-1+b1",
            "-1.1",
            "-2",
            "-10",
            "-0ubuntu1",
            "-1ubuntu0.1",
            "-a",
            "-A",
            "-~",
            "-1+deb11u1",
        ],
    );
    // "1:2" as an upstream only makes sense after an epoch; without one the first
    // colon is the epoch separator and dpkg rejects the "1.0-x"-like forms anyway.
    out.extend(
        [
            "abc",
            "~1",
            "1.0-",
            "1_0",
            "1.0-1_1",
            "1.0é",
            ":1",
            "1:",
            "a:1",
            "1 0",
            "2147483647:1",
            "2147483648:1",
            "1.0-1:2",
            // dpkg accepts these two; we reject them (documented).
            " 1.0",
            "+1:1.0",
        ]
        .map(str::to_owned),
    );
    out
}

/// dpkg accepts surrounding blanks and a `+` before the epoch (strtol); we do not.
fn dpkg_documented(a: &str, b: &str, ours: &str, _theirs: &str) -> bool {
    let lenient = |s: &str| s.trim() != s || s.starts_with('+');
    ours == "!" && (lenient(a) || lenient(b))
}

#[test]
fn dpkg_against_libapt_and_dpkg() {
    let apt = ReferenceTool::new(
        "dpkg (python3-apt)",
        &[PY, "crates/ch-versions/tests/reference/dpkg_apt.py"],
    );
    if !apt.available() {
        return;
    }
    let versions = dpkg_versions();
    let n = common::check_against(
        Scheme::Dpkg,
        &apt,
        versions.clone(),
        20_000,
        dpkg_documented,
    );
    eprintln!("dpkg vs python3-apt: {n} pairs");

    // A sample through `dpkg --compare-versions` itself (two processes per pair).
    let cli = ReferenceTool::new(
        "dpkg --compare-versions",
        &[PY, "crates/ch-versions/tests/reference/dpkg_cli.py"],
    );
    if !cli.available() {
        return;
    }
    let sample: Vec<String> = versions.iter().step_by(11).cloned().collect();
    let n = common::check_against(Scheme::Dpkg, &cli, sample, 100, dpkg_documented);
    eprintln!("dpkg vs dpkg --compare-versions: {n} pairs");
}

// ---------------------------------------------------------------------------------
// rpm

fn rpm_generated() -> Vec<String> {
    let long = "9".repeat(25);
    // Numbers of 255 digits and more take the long length prefix in our key.
    let (n254, n255, n300) = (
        format!("1.{}", "9".repeat(254)),
        format!("1.{}", "1".repeat(255)),
        format!("1.00{}", "5".repeat(300)),
    );
    let versions: Vec<&str> = vec![
        "1",
        "1.0",
        "1.0.0",
        "1.01",
        "1.0a",
        "1.0aa",
        "1.0~rc1",
        "1.0~rc1~git1",
        "1.0^git1",
        "1.0^",
        "1.0^git1~pre",
        "1.0~rc1^git1",
        "1.0~",
        "1.0.1",
        "1_0",
        "1..0",
        "1.0.",
        "a",
        "A",
        "1.0.fc4",
        "FC5",
        "fc4",
        "1.0+x",
        "2",
        "10",
        "2.0.1a",
        "5.5p1",
        "5.5p10",
        "10xyz",
        "10.1xyz",
        "xyz.4",
        "1.0^20160101",
        "1:2",
        &long,
        &n254,
        &n255,
        &n300,
    ];
    let mut out = product(
        &["", "0:", "1:", "01:", ":", "2:"],
        &versions,
        &[
            "", "-", "-1", "-1.el8", "-1.el8_5", "-0.1", "-1~beta", "-1^post", "-2", "-10", "-a",
        ],
    );
    out.extend(
        [
            // We reject these (documented): non-digit epoch, whitespace, non-ASCII,
            // empty version.
            "a:1.0-1", "1.0:2-1", "1.0 -1", "1.0é-1", "1:-1", "-1",
        ]
        .map(str::to_owned),
    );
    out
}

/// A missing release (`1.0`) against an empty one (`1.0-`): python3-rpm orders a
/// missing (`None`) release before every release, even an empty one; osv.dev (and we)
/// read both as the empty release.
fn rpm_missing_vs_empty_release(a: &str, b: &str) -> bool {
    let rest = |s: &str| s.split_once(':').map_or(s, |(_, r)| r).to_owned();
    let (ra, rb) = (rest(a), rest(b));
    (ra.ends_with('-') && !rb.contains('-')) || (rb.ends_with('-') && !ra.contains('-'))
}

fn rpm_documented(a: &str, b: &str, ours: &str, theirs: &str) -> bool {
    if ours == "=" && theirs != "!" && rpm_missing_vs_empty_release(a, b) {
        return true;
    }
    let rejected_by_design = |s: &str| {
        let epoch_ok = s
            .split_once(':')
            .is_none_or(|(e, _)| e.bytes().all(|c| c.is_ascii_digit()));
        let rest = s.split_once(':').map_or(s, |(_, r)| r);
        let version_empty = rest.rsplit_once('-').map_or(rest, |(v, _)| v).is_empty();
        !epoch_ok || !s.bytes().all(|c| c.is_ascii_graphic()) || version_empty
    };
    ours == "!" && (rejected_by_design(a) || rejected_by_design(b))
}

#[test]
fn rpm_against_python3_rpm() {
    let tool = ReferenceTool::new(
        "rpm (python3-rpm labelCompare)",
        &[PY, "crates/ch-versions/tests/reference/rpm_label.py"],
    );
    if !tool.available() {
        return;
    }
    let mut versions = rpm_generated();
    if let Some(alma) = data_versions("osv-almalinux", "AlmaLinux") {
        assert!(alma.len() > 1000, "only {} AlmaLinux versions", alma.len());
        for v in &alma {
            assert!(
                Scheme::Rpm.parse(v).is_ok(),
                "AlmaLinux version {v:?} does not parse"
            );
        }
        versions.extend(alma);
    }
    let n = common::check_against(Scheme::Rpm, &tool, versions, 30_000, rpm_documented);
    eprintln!("rpm vs python3-rpm: {n} pairs");
}

// ---------------------------------------------------------------------------------
// CRAN

fn cran_generated() -> Vec<String> {
    let mut out = product(
        &["0", "1", "01", "2", "10", "2147483647"],
        &[
            "", ".0", ".00", "-0", ".1", "-1", ".01", ".9", ".10", "-18", ".99",
        ],
        &["", ".0", "-0", ".1", "-2", ".0.0", ".0-1", "-8.47"],
    );
    out.extend(
        [
            "1.2147483647",
            "1.2147483648",
            "1.99999999999999999999",
            "1.0-rc1",
            "v1.0",
            "1.",
            "1..0",
            "-1.0",
            "1.0 ",
            "1.0a",
        ]
        .map(str::to_owned),
    );
    out
}

/// Single-part versions (`package_version` needs two parts; we, `numeric_version` and
/// osv.dev accept one), and parts beyond R's 32-bit integers (R accepts them but
/// mis-orders them; we compare by value).
fn cran_documented(a: &str, b: &str, ours: &str, theirs: &str) -> bool {
    let single = |s: &str| !s.contains(['.', '-']);
    let too_big = |s: &str| {
        s.split(['.', '-']).any(|p| {
            p.trim_start_matches('0').len() > 10
                || p.parse::<u64>().is_ok_and(|n| n > 2_147_483_647)
        })
    };
    (ours != "!" && theirs == "!" && (single(a) || single(b))) || too_big(a) || too_big(b)
}

#[test]
fn cran_against_r() {
    let tool = ReferenceTool::new(
        "R package_version",
        &["Rscript", "crates/ch-versions/tests/reference/cran.R"],
    );
    if !tool.available() {
        return;
    }
    let mut versions = cran_generated();
    if let Some(cran) = data_versions("osv-rconsortium", "CRAN") {
        assert!(!cran.is_empty());
        for v in &cran {
            assert!(
                Scheme::Cran.parse(v).is_ok(),
                "CRAN version {v:?} does not parse"
            );
        }
        versions.extend(cran);
    }
    let n = common::check_against(Scheme::Cran, &tool, versions, 5_000, cran_documented);
    eprintln!("cran vs R: {n} pairs");
}

// ---------------------------------------------------------------------------------
// opam

fn opam_generated() -> Vec<String> {
    let long = "9".repeat(25);
    let bases: Vec<&str> = vec![
        "0", "01", "1", "1.0", "1.00", "1.0.0", "1.0.1", "1.01", "1.1", "1.9", "1.10", "2",
        "1.0~rc1", "1.0~~", "1.0~", "1.0a", "1.0A", "1.0+1", "1.0_1", "1.0-beta", "1.0-1",
        "1.0-10", "1.0-a-b", "v1.0", "v1", "dev", "master", "~", "_", "+", ".", &long,
    ];
    let mut out = product(
        &bases,
        &["", "~rc1", "-1", "+git", "_p1", ".1", "a", "-"],
        &[""],
    );
    out.extend(["1:0", "1.0/1", "1.0 1", "1.0é", ""].map(str::to_owned));
    out.retain(|s| !s.is_empty());
    out
}

#[test]
fn opam_against_opam() {
    let tool = ReferenceTool::new(
        "opam admin list",
        &[PY, "crates/ch-versions/tests/reference/opam.py"],
    );
    if !tool.available() {
        return;
    }
    let n = common::check_against(
        Scheme::Opam,
        &tool,
        opam_generated(),
        3_000,
        |_, _, _, _| false,
    );
    eprintln!("opam vs opam: {n} pairs");
}

// ---------------------------------------------------------------------------------
// Schemes without a reference program: the real data must parse, and sort without
// contradicting itself.

fn parses_and_sorts(scheme: Scheme, versions: &[String]) {
    let mut parsed: Vec<_> = versions
        .iter()
        .map(|v| {
            let parsed = scheme
                .parse(v)
                .unwrap_or_else(|e| panic!("{scheme} version {v:?} does not parse: {e}"));
            (parsed, v.clone())
        })
        .collect();
    parsed.sort_by(|a, b| a.0.cmp(&b.0));
    for w in parsed.windows(2) {
        assert!(w[0].0 <= w[1].0);
    }
    common::assert_prefix_monotone(&parsed);
}

#[test]
fn alpine_secdb_versions_parse() {
    let Some(versions) = data_versions("osv-alpine-secdb", "Alpine") else {
        return;
    };
    assert!(
        versions.len() > 500,
        "only {} Alpine versions",
        versions.len()
    );
    parses_and_sorts(Scheme::Apk, &versions);
}

#[test]
fn homebrew_versions_parse() {
    let Some(versions) = data_versions("osv-homebrew", "Homebrew") else {
        return;
    };
    assert!(!versions.is_empty());
    parses_and_sorts(Scheme::Homebrew, &versions);
}
