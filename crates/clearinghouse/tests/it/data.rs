//! Facts looked up in the real advisory sets of the shared data.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use ch_test_support::{mirror::SHARED_EXPORTS, shared_data};

use crate::{ch, temp_db};

pub(crate) fn import_all(db: &Path, data: &Path) {
    let zips: Vec<String> = SHARED_EXPORTS
        .iter()
        .map(|(_, rel)| data.join(rel).display().to_string())
        .collect();
    let mut args = vec!["db", "import"];
    args.extend(zips.iter().map(String::as_str));
    ch(db, &args).ok();
}

fn ids(db: &Path, eco: &str, name: &str, version: &str) -> Vec<String> {
    let run = ch(db, &["query", eco, name, version, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    let mut out: Vec<String> = Vec::new();
    for m in v["vulnerabilities"].as_array().unwrap() {
        out.push(m["id"].as_str().unwrap().to_owned());
        for a in m["advisories"].as_array().unwrap() {
            out.push(a.as_str().unwrap().to_owned());
        }
    }
    out
}

#[test]
fn every_shared_advisory_set_imports_with_its_documented_counts() {
    let Some(data) = shared_data() else { return };
    let (_dir, db) = temp_db();
    import_all(&db, &data);
    let v: serde_json::Value =
        serde_json::from_str(ch(&db, &["db", "stats", "--format", "json"]).ok()).unwrap();
    // SOURCES.md's counts, and its withdrawn counts (Go 17, PyPI 10, crates.io 13).
    let expected = [
        ("AlmaLinux", 5_637, 0),
        ("Alpine", 2_406, 0),
        ("CRAN", 14, 0),
        ("Go", 4_291, 17),
        ("Homebrew", 43, 0),
        ("Packagist", 1_585, 0),
        ("PyPI", 2_661, 10),
        ("RubyGems", 1_219, 0),
        ("crates.io", 1_206, 13),
        ("npm", 461, 0),
    ];
    let got: Vec<(String, u64, u64)> = v["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["ecosystem"].as_str().unwrap().to_owned(),
                e["advisories"].as_u64().unwrap(),
                e["withdrawn"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(e, n, w)| ((*e).to_owned(), *n, *w))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(v["advisories"], 19_523);
    assert_eq!(v["withdrawn"], 40);

    // (ecosystem, package, affected version, fixed version, advisory)
    let facts = [
        ("PyPI", "Jinja2", "2.10", "2.11.3", "PYSEC-2021-66"),
        ("PyPI", "bottle", "0.10.1", "0.12.11", "PYSEC-2016-24"),
        ("PyPI", "mistune", "2.0.0a1", "2.0.3", "PYSEC-2022-237"),
        (
            "crates.io",
            "smallvec",
            "1.6.0",
            "1.6.1",
            "RUSTSEC-2021-0003",
        ),
        (
            "crates.io",
            "flatbuffers",
            "0.4.0",
            "2.0.0",
            "RUSTSEC-2020-0009",
        ),
        (
            "crates.io",
            "openssl-src",
            "300.0.8",
            "300.0.9",
            "RUSTSEC-2022-0033",
        ),
        (
            "Go",
            "code.sajari.com/docconv",
            "v1.1.0",
            "v1.3.5",
            "GO-2022-1184",
        ),
        (
            "Go",
            "chainguard.dev/apko",
            "0.14.8",
            "1.1.0",
            "GO-2026-4406",
        ),
        ("npm", "lodash", "4.17.15", "4.17.19", "x_NSWG-ECO-516"),
        ("npm", "pivottable", "1.4.0", "2.0.0", "x_NSWG-ECO-139"),
        (
            "RubyGems",
            "passenger",
            "4.0.0.beta",
            "4.0.0",
            "x_RUBYSEC-passenger-CVE-2012-6135",
        ),
        (
            "RubyGems",
            "field_test",
            "0.2.0",
            "0.4.0",
            "x_RUBYSEC-field_test-CVE-2020-16252",
        ),
        (
            "Packagist",
            "drupal/core",
            "8.0.3",
            "8.0.4",
            "x_FRIENDSOFPHP-drupal+core-CVE-2016-3168",
        ),
        (
            "Packagist",
            "typo3/cms",
            "6.2.0",
            "6.2.3",
            "x_FRIENDSOFPHP-typo3+cms-2014-05-22-1",
        ),
        (
            "AlmaLinux:9",
            "openssl",
            "1:3.0.1-40.el9_0",
            "1:3.0.1-41.el9_0",
            "ALSA-2022:6224",
        ),
        (
            "Alpine:v3.9",
            "openssl",
            "1.1.0j-r0",
            "1.1.1a-r0",
            "x_ALPINE-CVE-2018-0735",
        ),
        ("CRAN", "readxl", "1.0.0", "1.1.0", "RSEC-2023-0"),
        ("CRAN", "commonmark", "0.5", "1.8", "RSEC-2023-6"),
        (
            "Homebrew",
            "augeas",
            "1.14.1_1",
            "1.14.1_2",
            "BREW-augeas-CVE-2025-2588",
        ),
    ];
    for (eco, name, affected, fixed, id) in facts {
        assert!(
            ids(&db, eco, name, affected).iter().any(|x| x == id),
            "{eco} {name} {affected} should be affected by {id}"
        );
        assert!(
            !ids(&db, eco, name, fixed).iter().any(|x| x == id),
            "{eco} {name} {fixed} should be fixed for {id}"
        );
    }

    // Withdrawn: RUSTSEC-2020-0053 (`dirs`, every version from 0.0.0-0 on) and
    // PYSEC-2019-144 (arrayfire before 3.6.0) must never match.
    assert!(!ids(&db, "crates.io", "dirs", "5.0.1")
        .iter()
        .any(|x| x == "RUSTSEC-2020-0053"));
    assert!(!ids(&db, "PyPI", "arrayfire", "3.0.20150914")
        .iter()
        .any(|x| x == "PYSEC-2019-144"));
}

#[test]
fn a_killed_import_leaves_a_consistent_database() {
    let Some(data) = shared_data() else { return };
    let (_dir, db) = temp_db();
    let zips: Vec<String> = SHARED_EXPORTS
        .iter()
        .map(|(_, rel)| data.join(rel).display().to_string())
        .collect();
    // Kill the import at several points; each time what is there must be whole.
    for delay_ms in [150u64, 600, 1500] {
        let mut child = Command::new(crate::bin())
            .arg("--db")
            .arg(&db)
            .args(["db", "import"])
            .args(&zips)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        if !db.exists() {
            continue;
        }
        let run = ch(&db, &["db", "stats", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
        // Each zip is one transaction: every ecosystem present is complete.
        let complete: std::collections::HashMap<&str, u64> = [
            ("AlmaLinux", 5_637),
            ("Alpine", 2_406),
            ("CRAN", 14),
            ("Go", 4_291),
            ("Homebrew", 43),
            ("Packagist", 1_585),
            ("PyPI", 2_661),
            ("RubyGems", 1_219),
            ("crates.io", 1_206),
            ("npm", 461),
        ]
        .into_iter()
        .collect();
        for e in v["ecosystems"].as_array().unwrap() {
            let name = e["ecosystem"].as_str().unwrap();
            assert_eq!(
                e["advisories"].as_u64().unwrap(),
                complete[name],
                "after a kill at {delay_ms} ms, {name} is half-imported"
            );
        }
    }
    // And the import then completes.
    import_all(&db, &data);
    let v: serde_json::Value =
        serde_json::from_str(ch(&db, &["db", "stats", "--format", "json"]).ok()).unwrap();
    assert_eq!(v["advisories"], 19_523);
}
