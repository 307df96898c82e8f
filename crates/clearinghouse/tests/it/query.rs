use crate::{ch, fixture_db};

#[test]
fn query_merges_aliases_and_reports_fixes() {
    let (_dir, db) = fixture_db();
    // PEP 503: `Demo.PKG` is `demo-pkg` is `Demo_Pkg`.
    let run = ch(
        &db,
        &["query", "PyPI", "Demo.PKG", "1.1", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    crate::assert_schema("query-v1.schema.json", &v);
    let vulns = v["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 1, "one vulnerability, two advisories: {v:#}");
    let m = &vulns[0];
    // The representative is a database's own id (not the bare CVE), smallest first.
    assert_eq!(m["id"], "EX-2024-1");
    assert_eq!(
        m["aliases"],
        serde_json::json!(["CVE-2024-1001", "GHSA-demo-0001"])
    );
    assert_eq!(
        m["advisories"],
        serde_json::json!(["EX-2024-1", "GHSA-demo-0001"])
    );
    assert_eq!(m["fixed"], serde_json::json!(["1.2", "1.3"]));
    // 1.2 fixes EX-2024-1 but GHSA-demo-0001 still affects it: the upgrade is 1.3.
    assert_eq!(m["smallest_fix"], "1.3");
    assert_eq!(m["severity"][0]["type"], "CVSS_V3");
    assert_eq!(v["package"]["ecosystem"], "PyPI");
}

#[test]
fn withdrawn_advisories_affect_nothing() {
    let (_dir, db) = fixture_db();
    // EX-2024-2 (withdrawn) would affect every version.
    let run = ch(&db, &["query", "PyPI", "demo-pkg", "5.0"]);
    assert_eq!(run.ok(), "PyPI demo-pkg 5.0: no known vulnerabilities\n");
}

#[test]
fn fixed_is_exclusive_and_last_affected_inclusive() {
    let (_dir, db) = fixture_db();
    let affected = |eco: &str, name: &str, version: &str| -> Vec<String> {
        let run = ch(&db, &["query", eco, name, version, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
        crate::assert_schema("query-v1.schema.json", &v);
        v["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(affected("PyPI", "demo-pkg", "1.2rc1"), ["EX-2024-1"]);
    // 1.2 is EX-2024-1's fix, but GHSA-demo-0001 (the same CVE) still affects it.
    assert_eq!(affected("PyPI", "demo-pkg", "1.2"), ["GHSA-demo-0001"]);
    assert!(affected("PyPI", "demo-pkg", "1.3").is_empty());
    assert_eq!(affected("npm", "@scope/lib", "2.3.4"), ["EX-2024-3"]);
    assert!(affected("npm", "@scope/lib", "2.3.5").is_empty());
    assert!(affected("npm", "@scope/lib", "1.9.9").is_empty());
    // Distribution releases are kept apart; no release means any release.
    assert_eq!(
        affected("Debian:12", "openssl", "3.0.11-1~deb12u1"),
        ["EX-2024-4"]
    );
    assert!(affected("Debian:12", "openssl", "3.0.11-1~deb12u2").is_empty());
    assert!(affected("Debian:11", "openssl", "1.1.1w-0+deb11u1").is_empty());
    assert_eq!(
        affected("Debian", "openssl", "1.1.1n-0+deb11u5"),
        ["EX-2024-4"]
    );
}

#[test]
fn query_by_purl() {
    let (_dir, db) = fixture_db();
    let run = ch(&db, &["query", "--purl", "pkg:npm/%40scope/lib@2.1.0"]);
    assert!(
        run.ok()
            .starts_with("npm @scope/lib 2.1.0: 1 known vulnerability"),
        "{}",
        run.stdout
    );
    let run = ch(&db, &["query", "--purl", "pkg:npm/%40scope/lib"]);
    assert!(run.user_error().contains("has no version"));
}

#[test]
fn query_table_output() {
    let (_dir, db) = fixture_db();
    let run = ch(&db, &["query", "pypi", "demo-pkg", "1.0"]);
    insta::assert_snapshot!(run.ok(), @r"
    PyPI demo-pkg 1.0: 1 known vulnerability

    EX-2024-1
      aliases:  CVE-2024-1001, GHSA-demo-0001
      summary:  Template injection in demo-pkg
      fixed in: 1.2, 1.3
      upgrade:  1.3
      severity: CVSS_V3 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
    ");
}

#[test]
fn invalid_versions_are_rejected_before_matching() {
    let (_dir, db) = fixture_db();
    let run = ch(&db, &["query", "npm", "@scope/lib", "two"]);
    assert!(
        run.user_error().contains("invalid npm version `two`"),
        "{}",
        run.stderr
    );
}

#[test]
fn advisory_show_by_id_and_alias() {
    let (_dir, db) = fixture_db();
    let run = ch(&db, &["advisory", "show", "EX-2024-1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(v[0]["id"], "EX-2024-1");
    // Unknown fields are kept verbatim.
    assert_eq!(v[0]["x_internal_note"], "kept verbatim");

    let by_alias = ch(&db, &["advisory", "show", "CVE-2024-1001"]);
    let text = by_alias.ok();
    assert!(
        text.contains("EX-2024-1\n") && text.contains("GHSA-demo-0001\n"),
        "{text}"
    );

    let withdrawn = ch(&db, &["advisory", "show", "EX-2024-2"]);
    assert!(withdrawn.ok().contains("WITHDRAWN 2024-04-01T00:00:00Z"));

    let missing = ch(&db, &["advisory", "show", "CVE-1999-0001"]);
    assert!(missing.user_error().contains("no advisory `CVE-1999-0001`"));
}
