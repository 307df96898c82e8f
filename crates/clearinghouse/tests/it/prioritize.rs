//! `clearinghouse prioritize`: a scan report and a system description in, a worklist
//! with SSVC decisions and directive deadlines (and why) out.

use crate::{ch, temp_db};

const SYSTEM: &str = r#"
name = "payroll portal"
category = "civilian_federal"
publicly_exposed = true
mission_prevalence = "support"
public_well_being = "minimal"
last_asset_discovery = 2026-11-25
last_vulnerability_enumeration = 2026-11-01
"#;

/// A scan report as `scan --format json` writes it, with three findings.
fn scan_report() -> serde_json::Value {
    let finding = |id: &str, aliases: &[&str], rating: serde_json::Value, suppressed: bool| {
        serde_json::json!({
            "id": id, "aliases": aliases, "advisories": [id], "summary": null, "severity": [],
            "rating": rating, "fixed": [], "smallest_fix": null, "published": null,
            "modified": "2026-01-01T00:00:00Z",
            "package": {"ecosystem": "PyPI", "name": "pkg", "version": "1.0", "purl": "pkg:pypi/pkg@1.0"},
            "locations": [{"file": "requirements.txt", "line": 1}], "direct": true,
            "suppression": if suppressed { serde_json::json!({"kind": "ignore", "source": "x", "status": "not_affected", "reason": "r", "expires": null}) } else { serde_json::Value::Null },
        })
    };
    serde_json::json!({
        "schema_version": "1", "inputs": [], "summary": {}, "warnings": [], "errors": [],
        "findings": [
            // not in KEV, CVSS medium
            finding("GHSA-low", &["CVE-2099-0001"], serde_json::json!({"severity": "MEDIUM", "score": 5.3, "type": "CVSS_V3", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}), false),
            // in KEV (the shared catalog), with Vulnrichment values
            finding("PYSEC-2020-18", &["CVE-2020-13927"], serde_json::Value::Null, false),
            finding("GHSA-muted", &["CVE-2020-11651"], serde_json::Value::Null, true),
        ]
    })
}

/// `prioritize SCAN --system SYSTEM EXTRA…`.
fn prioritize(
    db: &std::path::Path,
    scan: &std::path::Path,
    system: &std::path::Path,
    extra: &[&str],
) -> crate::Run {
    let mut args = vec![
        "prioritize",
        scan.to_str().unwrap(),
        "--system",
        system.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ch(db, &args)
}

/// `prioritize SCAN --system SYSTEM --detected DAY --format json`, parsed and checked
/// against the schema.
fn worklist_json(
    db: &std::path::Path,
    scan: &std::path::Path,
    system: &std::path::Path,
    detected: &str,
) -> serde_json::Value {
    let run = prioritize(
        db,
        scan,
        system,
        &["--detected", detected, "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    crate::assert_schema("prioritize-v1.schema.json", &v);
    v
}

#[test]
fn a_worklist_orders_by_deadline_and_explains_each_one() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let (dir, db) = temp_db();
    ch(
        &db,
        &[
            "db",
            "import",
            data.join("kev/known_exploited_vulnerabilities.json")
                .to_str()
                .unwrap(),
            data.join("vulnrichment/vulnrichment.zip").to_str().unwrap(),
            data.join("epss/epss_scores-2026-08-16.csv.gz")
                .to_str()
                .unwrap(),
        ],
    )
    .ok();
    let scan = dir.path().join("scan.json");
    std::fs::write(&scan, scan_report().to_string()).unwrap();
    let system = dir.path().join("system.toml");
    std::fs::write(&system, SYSTEM).unwrap();
    let v = worklist_json(&db, &scan, &system, "2026-11-27");
    assert_eq!(v["suppressed"], 1);
    let ids: Vec<&str> = v["worklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["PYSEC-2020-18", "GHSA-low"]);
    let first = &v["worklist"][0];
    // KEV, exposed, automatable, total (Vulnrichment): 3 days and forensics.
    assert_eq!(first["deadline"]["directive"], "BOD 26-04");
    assert_eq!(first["deadline"]["due"], "2026-11-30");
    assert_eq!(
        first["deadline"]["outcome"],
        "3DF (3 days & forensic investigation)"
    );
    assert_eq!(first["deadline"]["clocks"].as_array().unwrap().len(), 3);
    assert_eq!(first["ssvc"]["decision"], "act");
    assert_eq!(first["kev"]["date_added"], "2022-01-18");
    assert_eq!(
        first["deadline"]["inputs"][2]["source"],
        "Vulnrichment (CISA ADP) for CVE-2020-13927"
    );
    assert_eq!(first["rating"]["source"], "Vulnrichment for CVE-2020-13927");
    let second = &v["worklist"][1];
    // Not in KEV, Automatable and Technical Impact unknown: assumed at their worst.
    assert_eq!(second["deadline"]["due"], "2026-11-30");
    assert!(second["deadline"]["rule"]
        .as_str()
        .unwrap()
        .starts_with("row 14 "));
    assert_eq!(
        second["deadline"]["inputs"][2]["source"],
        "not known: assumed yes (worst case)"
    );
    assert_eq!(
        v["stale_inventories"][0]["activity"],
        "vulnerability_enumeration"
    );

    // Before BOD 26-04: BOD 19-02 gives the critical finding (9.8, from Vulnrichment)
    // on an exposed system 15 days, earlier than BOD 22-01's KEV due date.
    let v = worklist_json(&db, &scan, &system, "2022-03-01");
    let first = &v["worklist"][0];
    assert_eq!(first["deadline"]["directive"], "BOD 19-02");
    assert_eq!(first["deadline"]["due"], "2022-03-16");
    assert_eq!(first["deadline"]["rule"], "critical: 15 days");
    assert_eq!(first["deadline"]["overdue"], true);
    assert_eq!(first["other_deadlines"][0]["directive"], "BOD 22-01");
    assert_eq!(first["other_deadlines"][0]["due"], "2022-07-18");
    // BOD 19-02: a medium finding on an exposed system has no deadline.
    assert_eq!(v["worklist"][1]["deadline"], serde_json::Value::Null);

    // The table names the rule and inputs.
    let run = ch(
        &db,
        &[
            "prioritize",
            scan.to_str().unwrap(),
            "--category",
            "national_security_system",
            "--publicly-exposed",
            "no",
            "--mission-prevalence",
            "essential",
            "--public-well-being",
            "minimal",
            "--detected",
            "2026-11-27",
        ],
    );
    let text = run.ok();
    assert!(
        text.contains("1  2026-11-30  act     KEV  0.998  9.8   PYSEC-2020-18 PyPI pkg 1.0"),
        "{text}"
    );
    assert!(
        text.contains("BOD 26-04 row 13 (line 37 of policies/directives/bod-26-04.toml) → 3DF"),
        "{text}"
    );
}

#[test]
fn bad_inputs_are_one_line_naming_what_is_wrong() {
    let (dir, db) = temp_db();
    ch(
        &db,
        &[
            "db",
            "import",
            crate::fixtures().join("advisories").to_str().unwrap(),
        ],
    )
    .ok();
    let scan = dir.path().join("scan.json");
    std::fs::write(&scan, scan_report().to_string()).unwrap();
    let system = dir.path().join("system.toml");
    std::fs::write(&system, SYSTEM.replace("\"support\"", "\"vital\"")).unwrap();
    let run = prioritize(&db, &scan, &system, &[]);
    assert_eq!(
        run.user_error(),
        format!(
            "error: {}:5: unknown mission prevalence `vital` (expected minimal, support, essential)",
            system.display()
        )
    );
    let run = ch(
        &db,
        &[
            "prioritize",
            scan.to_str().unwrap(),
            "--category",
            "civilian_federal",
        ],
    );
    assert_eq!(
        run.user_error(),
        "error: the system is not described: --publicly-exposed is missing"
    );
    std::fs::write(&system, SYSTEM).unwrap();
    let not_scan = dir.path().join("other.json");
    std::fs::write(&not_scan, "{\"packages\": []}").unwrap();
    let run = prioritize(&db, &not_scan, &system, &[]);
    assert!(run
        .user_error()
        .contains("not a `clearinghouse scan --format json` report"));
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(policies.join("bad.toml"), "kind = \"directive\"\nid = 1\n").unwrap();
    let run = prioritize(
        &db,
        &scan,
        &system,
        &["--policies", policies.to_str().unwrap()],
    );
    assert!(
        run.user_error().starts_with(&format!(
            "error: {}:2: ",
            policies.join("bad.toml").display()
        )),
        "{}",
        run.stderr
    );
    let run = prioritize(&db, &scan, &system, &["--detected", "27/11/2026"]);
    assert_eq!(
        run.user_error(),
        "error: --detected `27/11/2026` is not a date (YYYY-MM-DD)"
    );
}

#[test]
fn previous_worklists_say_what_changed_when_kev_lists_a_cve() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let (dir, db) = temp_db();
    let kev_path = data.join("kev/known_exploited_vulnerabilities.json");
    ch(&db, &["db", "import", kev_path.to_str().unwrap()]).ok();
    let scan = dir.path().join("scan.json");
    std::fs::write(&scan, scan_report().to_string()).unwrap();
    let system = dir.path().join("system.toml");
    std::fs::write(&system, SYSTEM).unwrap();
    let before = dir.path().join("before.json");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "prioritize".to_owned(),
            scan.display().to_string(),
            "--system".into(),
            system.display().to_string(),
            "--detected".into(),
            "2026-11-01".into(),
            "--format".into(),
            "json".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let a = args(&["--output", before.to_str().unwrap()]);
    ch(&db, &a.iter().map(String::as_str).collect::<Vec<_>>()).ok();

    // CISA lists GHSA-low's CVE; the muted finding is gone from the next scan.
    let new_kev = dir.path().join("kev.json");
    std::fs::write(
        &new_kev,
        crate::kev_catalog_with(&data, "CVE-2099-0001", "2026-11-10", "2026-12-01"),
    )
    .unwrap();
    ch(&db, &["db", "import", new_kev.to_str().unwrap()]).ok();
    let mut report = scan_report();
    report["findings"].as_array_mut().unwrap().remove(1);
    std::fs::write(&scan, report.to_string()).unwrap();

    let a = args(&["--previous", before.to_str().unwrap()]);
    let run = ch(&db, &a.iter().map(String::as_str).collect::<Vec<_>>());
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    crate::assert_schema("prioritize-v1.schema.json", &v);
    let item = &v["worklist"][0];
    assert_eq!(item["id"], "GHSA-low");
    let changes: Vec<&str> = item["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        changes.contains(&"in_kev: no → yes (KEV catalog: CVE-2099-0001 added 2026-11-10)"),
        "{changes:?}"
    );
    assert!(
        changes.contains(&"SSVC decision: track → act"),
        "{changes:?}"
    );
    // Exposed, automatable and total assumed: 3 days from detection before; now KEV
    // too, 3 days and forensics from the listing.
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("deadline: 2026-11-04 (BOD 26-04 row 14 ")
                && c.contains("→ 2026-11-13 (BOD 26-04 row 15 ")),
        "{changes:?}"
    );
    assert_eq!(v["resolved"][0]["id"], "PYSEC-2020-18");
}
