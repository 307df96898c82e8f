//! `inventory` and `scan`: files and folders in, findings out.

use std::path::Path;

use ch_test_support::shared_data;

use crate::{ch, ch_in, fixture_db, temp_db};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const PACKAGE_LOCK: &str = r#"{
  "name": "web",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "web", "dependencies": { "@scope/lib": "^2" } },
    "node_modules/@scope/lib": { "version": "2.3.4" },
    "node_modules/other": { "version": "1.0.0" }
  }
}
"#;

/// A project with a vulnerable PyPI pin (twice, in two files), a vulnerable npm
/// package, and clean ones.
pub(crate) fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "# pins\nDemo_Pkg==1.1\nclean==1.0\n-r dev/requirements-dev.txt\n",
    );
    write(
        dir.path(),
        "dev/requirements-dev.txt",
        "demo-pkg==1.1 --hash=sha256:00\n",
    );
    write(dir.path(), "web/package-lock.json", PACKAGE_LOCK);
    write(
        dir.path(),
        ".git/package-lock.json",
        "not json: a .git folder is never read",
    );
    write(dir.path(), "notes.txt", "not an inventory");
    dir
}

#[test]
fn scan_reports_one_finding_per_package_and_vulnerability_with_every_location() {
    let (_d, db) = fixture_db();
    let dir = project();
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "findings exit 1: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    let findings = v["findings"].as_array().unwrap();
    let ids: Vec<(&str, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["package"]["name"].as_str().unwrap(),
                f["package"]["version"].as_str().unwrap(),
            )
        })
        .collect();
    // EX-2024-1 and GHSA-demo-0001 are one vulnerability; EX-2024-2 is withdrawn.
    assert_eq!(
        ids,
        [
            ("EX-2024-1", "demo-pkg", "1.1"),
            ("EX-2024-3", "@scope/lib", "2.3.4")
        ]
    );
    let demo = &findings[0];
    assert_eq!(
        demo["advisories"],
        serde_json::json!(["EX-2024-1", "GHSA-demo-0001"])
    );
    assert_eq!(demo["smallest_fix"], "1.3");
    assert_eq!(demo["package"]["purl"], "pkg:pypi/demo-pkg@1.1");
    // Found by the walk and by `-r`, read once; PEP 503 names merged into one
    // finding (named as first found), both places kept.
    assert_eq!(
        demo["locations"],
        serde_json::json!([
            {"file": "dev/requirements-dev.txt", "line": 1},
            {"file": "requirements.txt", "line": 2}
        ])
    );
    assert_eq!(demo["direct"], true);
    let lib = &findings[1];
    assert_eq!(
        lib["locations"],
        serde_json::json!([{"file": "web/package-lock.json", "line": 6}])
    );
    assert_eq!(lib["package"]["purl"], "pkg:npm/%40scope/lib@2.3.4");
    assert_eq!(
        v["summary"],
        serde_json::json!({"packages": 5, "checked": 4, "unidentified": 0,
            "vulnerable_packages": 2, "vulnerabilities": 2, "findings": 2, "suppressed": 0,
            "by_severity": {"critical": 1, "high": 0, "medium": 0, "low": 0, "none": 0, "unrated": 1}})
    );
    assert_eq!(
        demo["rating"],
        serde_json::json!({"severity": "CRITICAL", "score": 9.8, "type": "CVSS_V3",
            "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "source": "advisory"})
    );
    assert_eq!(lib["rating"], serde_json::Value::Null);
    let inputs: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        inputs,
        [
            "dev/requirements-dev.txt",
            "requirements.txt",
            "web/package-lock.json"
        ]
    );
    assert_eq!(v["errors"], serde_json::json!([]));
}

#[test]
fn scan_table_groups_findings_by_vulnerability() {
    let (_d, db) = fixture_db();
    let dir = project();
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", "requirements.txt", "web"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout, @r"
    EX-2024-1 (CVE-2024-1001, GHSA-demo-0001) [CRITICAL 9.8]
      Template injection in demo-pkg
      PACKAGE        VERSION  FOUND IN                                        FIX
      PyPI Demo_Pkg  1.1      requirements.txt:2, dev/requirements-dev.txt:1  upgrade to 1.3

    EX-2024-3
      Prototype pollution in @scope/lib
      PACKAGE         VERSION  FOUND IN                 FIX
      npm @scope/lib  2.3.4    web/package-lock.json:6  no fix known

    2 known vulnerabilities in 2 of 4 packages checked (5 packages in 3 files; 0 without an ecosystem not checked)
    ");
}

#[test]
fn a_clean_inventory_exits_zero_and_output_goes_to_a_file() {
    let (_d, db) = fixture_db();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "demo-pkg==1.3\n");
    let report = dir.path().join("out/report.json");
    std::fs::create_dir_all(report.parent().unwrap()).unwrap();
    let run = ch_in(
        Some(dir.path()),
        &db,
        &[
            "scan",
            "requirements.txt",
            "--format",
            "json",
            "--output",
            report.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["summary"]["checked"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(report.parent().unwrap())
        .unwrap()
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn a_broken_input_is_reported_and_the_others_are_still_scanned() {
    let (_d, db) = fixture_db();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "demo-pkg==1.1\n");
    write(
        dir.path(),
        "Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"x\"\n",
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &[
            "scan",
            "Cargo.lock",
            "requirements.txt",
            "missing.txt",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 2, "an input failed: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    assert_eq!(v["findings"][0]["id"], "EX-2024-1");
    assert_eq!(
        v["errors"],
        serde_json::json!([
            "Cargo.lock:3: not a Cargo.lock: missing field `version`",
            "missing.txt: no such file or folder"
        ])
    );
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: Cargo.lock:3: not a Cargo.lock: missing field `version`",
            "error: missing.txt: no such file or folder"
        ]
    );
}

#[test]
fn inventory_lists_packages_and_as_forces_a_reader() {
    let (_d, db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deps.lock", PACKAGE_LOCK);
    let run = ch_in(
        Some(dir.path()),
        &db,
        &[
            "inventory",
            "deps.lock",
            "--as",
            "package-lock.json",
            "--format",
            "json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    crate::assert_schema("inventory-v1.schema.json", &v);
    assert_eq!(
        v["packages"][0],
        serde_json::json!({"ecosystem": "npm", "name": "@scope/lib", "version": "2.3.4",
            "purl": "pkg:npm/%40scope/lib@2.3.4", "source": {"file": "deps.lock", "line": 6}, "direct": true})
    );
    assert_eq!(v["packages"][1]["direct"], false);
    assert_eq!(
        v["inputs"],
        serde_json::json!([{"file": "deps.lock", "format": "package-lock.json", "packages": 2}])
    );
    // Without --as the name says nothing: a clear error, exit 2.
    let run = ch_in(Some(dir.path()), &db, &["inventory", "deps.lock"], None);
    let error = run.user_error();
    assert!(
        error.starts_with(
            "error: deps.lock: not a recognised inventory file name; name the format with --as"
        ),
        "{error}"
    );
    // An unknown --as is an argument error with the list of formats.
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["inventory", "deps.lock", "--as", "frob"],
        None,
    );
    assert_eq!(
        run.user_error(),
        "error: --as `frob` is not a format Clearinghouse reads"
    );
    assert!(
        run.stderr
            .contains("hint: use one of: cyclonedx, spdx, Cargo.lock"),
        "{}",
        run.stderr
    );
}

#[test]
fn offline_scans_fail_clearly_when_advisories_are_missing() {
    let (_d, db) = temp_db();
    let dir = project();
    let run = ch_in(Some(dir.path()), &db, &["scan", ".", "--offline"], None);
    assert!(
        run.user_error()
            .starts_with("error: no advisory database at")
            && run.stderr.contains("--offline forbids downloading one"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "hint: on a machine with network access run `clearinghouse db sync PyPI npm`"
        ),
        "{}",
        run.stderr
    );
    assert!(!db.exists(), "nothing created");
    // A database without npm advisories: the npm lockfile would be checked against nothing.
    let (_d, db) = temp_db();
    let only_pypi = tempfile::tempdir().unwrap();
    write(
        only_pypi.path(),
        "a.json",
        &std::fs::read_to_string(crate::fixtures().join("advisories/EX-2024-1.json")).unwrap(),
    );
    ch(
        &db,
        &[
            "db",
            "import",
            only_pypi.path().join("a.json").to_str().unwrap(),
        ],
    )
    .ok();
    let run = ch_in(Some(dir.path()), &db, &["scan", ".", "--offline"], None);
    assert_eq!(
        run.user_error(),
        "error: the advisory database has no advisories for npm, and --offline forbids downloading them"
    );
}

#[test]
fn a_scan_with_no_database_downloads_what_the_inventory_needs() {
    let Some(data) = shared_data() else { return };
    let mirror = ch_test_support::mirror::OsvMirror::from_shared_data(&data);
    let (_d, db) = temp_db();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "jinja2==2.4.1
",
    );
    write(
        dir.path(),
        "Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--base-url", mirror.url(), "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no advisory database at"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("creating it and downloading PyPI, crates.io"),
        "{}",
        run.stderr
    );
    let mut requests = mirror.take_requests();
    requests.sort();
    assert_eq!(
        requests,
        ["/PyPI/all.zip", "/crates.io/all.zip"],
        "only what the inventory needs"
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"RUSTSEC-2021-0003") && ids.contains(&"PYSEC-2019-217"),
        "{ids:?}"
    );
    // Next time everything is there: no request at all, and --offline works.
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--base-url", mirror.url(), "--offline"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(mirror.take_requests().is_empty());
    // A new ecosystem in the inventory is fetched on its own.
    write(
        dir.path(),
        "go.mod",
        "module m\n\nrequire golang.org/x/net v0.17.0\n",
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--base-url", mirror.url()],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Go: downloading advisories (not in the database yet)"),
        "{}",
        run.stderr
    );
    assert_eq!(mirror.take_requests(), ["/Go/all.zip"]);
}

/// Every reader's ecosystem against the real advisory sets: the scan finds exactly
/// what `query` finds for each package, and known facts hold.
#[test]
fn scans_of_real_ecosystems_agree_with_query() {
    let Some(data) = shared_data() else { return };
    let (_d, db) = temp_db();
    crate::data::import_all(&db, &data);
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "jinja2==2.4.1\nDjango==3.2.0\n",
    );
    write(
        dir.path(),
        "Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    write(
        dir.path(),
        "go.mod",
        "module m\n\ngo 1.21\n\nrequire golang.org/x/net v0.17.0\n",
    );
    write(
        dir.path(),
        "package-lock.json",
        r#"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/ws": {"version": "1.1.0"}}}"#,
    );
    write(
        dir.path(),
        "bom.json",
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
  {"type": "library", "name": "rack", "purl": "pkg:gem/rack@2.0.0"},
  {"type": "library", "name": "http-kernel", "purl": "pkg:composer/symfony/http-kernel@4.4.0"},
  {"type": "library", "name": "openssl", "purl": "pkg:apk/alpine/openssl@1.1.1a-r0?distro=alpine-3.9"},
  {"type": "library", "name": "kernel", "purl": "pkg:rpm/almalinux/kernel@4.18.0-80.el8?distro=almalinux-8"}
]}"#,
    );
    write(
        dir.path(),
        "renv.lock",
        r#"{"R": {"Version": "4.3.1", "Repositories": [{"Name": "CRAN", "URL": "https://cloud.r-project.org"}]},
  "Packages": {"readxl": {"Package": "readxl", "Version": "1.0.0", "Source": "Repository", "Repository": "CRAN"}}}"#,
    );
    let run = ch(
        &db,
        &["scan", dir.path().to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    let mut by_package: std::collections::BTreeMap<(String, String, String), Vec<String>> =
        Default::default();
    for f in v["findings"].as_array().unwrap() {
        let p = &f["package"];
        by_package
            .entry((
                p["ecosystem"].as_str().unwrap().into(),
                p["name"].as_str().unwrap().into(),
                p["version"].as_str().unwrap().into(),
            ))
            .or_default()
            .push(f["id"].as_str().unwrap().into());
    }
    let ecosystems: std::collections::BTreeSet<&str> =
        by_package.keys().map(|k| k.0.as_str()).collect();
    assert_eq!(
        ecosystems.into_iter().collect::<Vec<_>>(),
        [
            "AlmaLinux:8",
            "Alpine:v3.9",
            "CRAN",
            "Go",
            "Packagist",
            "PyPI",
            "RubyGems",
            "crates.io",
            "npm"
        ],
        "every ecosystem has findings: {by_package:#?}"
    );
    for ((eco, name, version), mut ids) in by_package {
        let q = ch(&db, &["query", &eco, &name, &version, "--format", "json"]);
        let q: serde_json::Value = serde_json::from_str(q.ok()).unwrap();
        let mut want: Vec<String> = q["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().into())
            .collect();
        ids.sort();
        want.sort();
        assert_eq!(ids, want, "{eco} {name} {version}");
    }
    let has = |id: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == id || f["aliases"].as_array().unwrap().iter().any(|a| a == id))
    };
    assert!(
        has("RUSTSEC-2021-0003"),
        "smallvec 1.6.0: insert_many overflow"
    );
    assert!(has("CVE-2019-10906"), "jinja2 2.4.1: sandbox escape");
}

#[test]
fn sarif_output_is_valid_sarif_with_rules_locations_and_stable_fingerprints() {
    let (_d, db) = fixture_db();
    let dir = project();
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "sarif"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    if let Some(data) = shared_data() {
        crate::assert_schema_file(
            &data.join("examples/sarif/sarif-spec/sarif-2.1/schema/sarif-schema-2.1.0.json"),
            &v,
        );
    }
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["EX-2024-1", "EX-2024-3"]);
    // One result per location: the PyPI finding is in two files.
    let results = run0["results"].as_array().unwrap();
    let places: Vec<(&str, &str, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap(),
                loc["artifactLocation"]["uri"].as_str().unwrap(),
                loc["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("EX-2024-1", "dev/requirements-dev.txt", 1),
            ("EX-2024-1", "requirements.txt", 2),
            ("EX-2024-3", "web/package-lock.json", 6)
        ]
    );
    assert_eq!(results[2]["ruleIndex"], 1);
    assert_eq!(
        results[0]["message"]["text"],
        "PyPI demo-pkg 1.1 is affected by EX-2024-1: upgrade to 1.3."
    );
    let prints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["clearinghouse/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(prints.len(), 3);
    assert!(
        prints[0] != prints[1] && prints[1] != prints[2],
        "{prints:?}"
    );
    // The same findings give the same fingerprints, even when lines move.
    let reqs = dir.path().join("requirements.txt");
    let text = std::fs::read_to_string(&reqs).unwrap();
    std::fs::write(&reqs, format!("# a new first line\n{text}")).unwrap();
    let again = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "sarif"],
        None,
    );
    let again: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    let results = again["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let prints_again: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["clearinghouse/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(prints, prints_again);
}

#[test]
fn cyclonedx_output_is_a_valid_vulnerability_report() {
    let (_d, db) = fixture_db();
    let dir = project();
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "cyclonedx"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    if let Some(data) = shared_data() {
        crate::assert_schema_file(
            &data.join("examples/cyclonedx/schema/bom-1.6.schema.json"),
            &v,
        );
    }
    assert_eq!(v["specVersion"], "1.6");
    let components: Vec<&str> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        components,
        ["pkg:npm/%40scope/lib@2.3.4", "pkg:pypi/demo-pkg@1.1"]
    );
    let demo = &v["vulnerabilities"][0];
    assert_eq!(demo["id"], "EX-2024-1");
    assert_eq!(demo["affects"][0]["ref"], "pkg:pypi/demo-pkg@1.1");
    assert_eq!(
        demo["affects"][0]["versions"][0],
        serde_json::json!({"version": "1.1", "status": "affected"})
    );
    assert_eq!(demo["references"][0]["id"], "CVE-2024-1001");
    assert_eq!(demo["ratings"][0]["method"], "CVSSv31");
    assert_eq!(demo["recommendation"], "demo-pkg: upgrade to 1.3");
    // The serial number identifies the findings: the same report, the same number.
    let again = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "cyclonedx"],
        None,
    );
    let again: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(again["serialNumber"], v["serialNumber"]);
    assert!(v["serialNumber"].as_str().unwrap().starts_with("urn:uuid:"));
}

#[test]
fn markdown_output_is_a_table_for_pull_requests() {
    let (_d, db) = fixture_db();
    let dir = project();
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "markdown"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout, @r"
    ### Clearinghouse: 2 known vulnerabilities in 2 of 4 packages checked

    | Vulnerability | Severity | Package | Version | Found in | Fix |
    |---|---|---|---|---|---|
    | [EX-2024-1](https://osv.dev/vulnerability/EX-2024-1) (CVE-2024-1001, GHSA-demo-0001) | CRITICAL 9.8 | PyPI demo-pkg | 1.1 | `dev/requirements-dev.txt:1`, `requirements.txt:2` | upgrade to 1.3 |
    | [EX-2024-3](https://osv.dev/vulnerability/EX-2024-3) | unrated | npm @scope/lib | 2.3.4 | `web/package-lock.json:6` | no fix known |
    ");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "demo-pkg==1.3\n");
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "markdown"],
        None,
    );
    assert_eq!(
        run.stdout,
        "### Clearinghouse: no known vulnerabilities in the 1 package checked\n"
    );
}

fn finding<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}: {v:#}"))
}

#[test]
fn ignores_suppress_with_a_reason_until_they_expire() {
    let (_d, db) = fixture_db();
    let dir = project();
    // By an alias, restricted to the package; the default file is ./clearinghouse.toml.
    write(
        dir.path(),
        "clearinghouse.toml",
        "# triage\n[[ignore]]\nid = \"CVE-2024-1001\"\nreason = \"template rendering is off\"\nexpires = 2999-12-31\necosystem = \"PyPI\"\npackage = \"Demo_PKG\"\n\n[[ignore]]\nid = \"EX-2024-3\"\nreason = \"old\"\nexpires = 2020-01-01\n",
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "EX-2024-3's ignore expired: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    assert_eq!(
        finding(&v, "EX-2024-1")["suppression"],
        serde_json::json!({"kind": "config", "source": "clearinghouse.toml:2", "status": "ignored",
            "reason": "template rendering is off", "expires": "2999-12-31"})
    );
    assert_eq!(
        finding(&v, "EX-2024-3")["suppression"],
        serde_json::Value::Null
    );
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(v["summary"]["vulnerabilities"], 1);
    assert!(
        run.stderr.contains("warning: clearinghouse.toml:9: the ignore of `EX-2024-3` expired on 2020-01-01; it no longer applies"),
        "{}",
        run.stderr
    );
    // Once nothing is open the scan passes, and the table still shows what was suppressed.
    write(
        dir.path(),
        "triage.toml",
        "[[ignore]]\nid = \"EX-2024-1\"\nreason = \"off\"\n[[ignore]]\nid = \"EX-2024-3\"\nreason = \"not reachable\"\n",
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--config", "triage.toml"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout, @r"
    Suppressed (not counted):
      EX-2024-1 PyPI demo-pkg 1.1: ignored by triage.toml:1 (off)
      EX-2024-3 npm @scope/lib 2.3.4: ignored by triage.toml:4 (not reachable)

    0 known vulnerabilities in 0 of 4 packages checked (5 packages in 3 files; 0 without an ecosystem not checked; 2 suppressed)
    ");
}

#[test]
fn a_bad_ignore_file_is_an_error_naming_the_line() {
    let (_d, db) = fixture_db();
    let dir = project();
    write(
        dir.path(),
        "c.toml",
        "[[ignore]]\nid = \"EX-2024-1\"\nreason = \" \"\n",
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--config", "c.toml"],
        None,
    );
    assert_eq!(
        run.user_error(),
        "error: c.toml:1: an ignore of `EX-2024-1` needs a `reason`"
    );
    write(
        dir.path(),
        "c.toml",
        "[[ignore]]\nid = \"EX-2024-1\"\nreason = \"x\"\nuntil = 2020-01-01\n",
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--config", "c.toml"],
        None,
    );
    let e = run.user_error();
    assert!(
        e.starts_with("error: c.toml:4: unknown field `until`"),
        "{e}"
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--config", "missing.toml"],
        None,
    );
    assert!(
        run.user_error()
            .starts_with("error: cannot read `missing.toml`"),
        "{}",
        run.stderr
    );
}

#[test]
fn vex_not_affected_and_fixed_statements_suppress_others_do_not() {
    let (_d, db) = fixture_db();
    let dir = project();
    write(
        dir.path(),
        "openvex.json",
        r#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.invalid/vex/1",
  "author": "PSIRT", "timestamp": "2026-11-01T00:00:00Z", "version": 1,
  "statements": [
    {"vulnerability": {"name": "EX-2024-3"}, "products": [{"@id": "pkg:npm/%40scope/lib@2.3.4"}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
    {"vulnerability": {"name": "CVE-2024-1001"}, "products": [{"@id": "pkg:pypi/demo-pkg@1.1"}],
     "status": "under_investigation"}
  ]}"#,
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--vex", "openvex.json", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    assert_eq!(
        finding(&v, "EX-2024-3")["suppression"],
        serde_json::json!({"kind": "vex", "source": "openvex.json: statements[0]", "status": "not_affected",
            "reason": "vulnerable_code_not_in_execute_path", "expires": null})
    );
    assert_eq!(
        finding(&v, "EX-2024-1")["suppression"],
        serde_json::Value::Null
    );
    // CycloneDX VEX: `resolved` for the PyPI package, by a component's bom-ref.
    write(
        dir.path(),
        "vex.cdx.json",
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "components": [{"type": "library", "name": "demo-pkg", "bom-ref": "demo", "purl": "pkg:pypi/demo-pkg@1.1"}],
  "vulnerabilities": [{"id": "GHSA-demo-0001", "analysis": {"state": "resolved", "detail": "patched in our fork"},
    "affects": [{"ref": "demo"}]}]}"#,
    );
    let run = ch_in(
        Some(dir.path()),
        &db,
        &[
            "scan",
            "requirements.txt",
            "web",
            "--vex",
            "openvex.json",
            "--vex",
            "vex.cdx.json",
            "--format",
            "sarif",
        ],
        None,
    );
    assert_eq!(run.code, 0, "everything triaged: {}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[0]["suppressions"][0],
        serde_json::json!({"kind": "external", "status": "accepted",
            "justification": "fixed by vex.cdx.json: vulnerabilities[0]: patched in our fork"})
    );
    // Not a VEX document: an error, not a silent no-op.
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--vex", "requirements.txt"],
        None,
    );
    assert!(
        run.user_error()
            .starts_with("error: requirements.txt:1: invalid JSON"),
        "{}",
        run.stderr
    );
}

/// Every SBOM the CycloneDX project ships as valid is read without a word; every
/// one it ships as invalid is refused or read with a warning naming the violation.
#[test]
fn cyclonedx_example_boms_are_read_or_refused_never_silently() {
    let Some(data) = shared_data() else { return };
    let (_d, db) = temp_db();
    let mut counts = [0usize; 3];
    for version in ["1.4", "1.5", "1.6", "1.7"] {
        let dir = data.join("examples/cyclonedx").join(version);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let run = ch(
                &db,
                &[
                    "inventory",
                    path.to_str().unwrap(),
                    "--as",
                    "cyclonedx",
                    "--format",
                    "json",
                ],
            );
            assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
            if name.starts_with("valid-") {
                assert_eq!(run.code, 0, "{version}/{name}: {}", run.stderr);
                assert_eq!(run.stderr, "", "{version}/{name}");
                counts[0] += 1;
            } else if run.code == 2 {
                let e = run.user_error();
                assert!(
                    e.contains("not a valid CycloneDX") || e.contains("bomFormat"),
                    "{version}/{name}: {e}"
                );
                counts[1] += 1;
            } else {
                assert_eq!(run.code, 0, "{version}/{name}: {}", run.stderr);
                assert!(
                    run.stderr.contains("warning: ") && run.stderr.contains("not valid CycloneDX"),
                    "{version}/{name}: silent"
                );
                counts[2] += 1;
            }
        }
    }
    // [valid read, invalid refused, invalid read with a warning]
    assert!(
        counts[0] > 150 && counts[1] > 20 && counts[2] > 50,
        "{counts:?}"
    );
}

#[test]
fn gitignore_is_honoured_when_asked() {
    let (_d, db) = temp_db();
    let dir = project();
    write(dir.path(), ".gitignore", "# built output\n/web/\n");
    write(dir.path(), "dev/.gitignore", "requirements-dev.txt\n");
    let files = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["inventory", ".", "--format", "json"];
        all.extend(args);
        let run = ch_in(Some(dir.path()), &db, &all, None);
        let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
        v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["file"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        files(&[]),
        [
            "dev/requirements-dev.txt",
            "requirements.txt",
            "web/package-lock.json"
        ]
    );
    // Ignored by the walk; still read when another file includes it.
    assert_eq!(
        files(&["--gitignore"]),
        ["requirements.txt", "dev/requirements-dev.txt"]
    );
}

#[test]
fn the_table_is_coloured_only_when_asked_or_on_a_terminal() {
    let (_d, db) = fixture_db();
    let dir = project();
    let plain = ch_in(Some(dir.path()), &db, &["scan", "."], None);
    assert!(!plain.stdout.contains('\x1b'), "not a terminal: no colour");
    let run = ch_in(
        Some(dir.path()),
        &db,
        &["scan", ".", "--color", "always"],
        None,
    );
    assert!(
        run.stdout.starts_with(
            "\x1b[1;31mEX-2024-1\x1b[0m (CVE-2024-1001, GHSA-demo-0001) [CRITICAL 9.8]\n"
        ),
        "{:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\x1b[32mupgrade to 1.3\x1b[0m\n"),
        "{:?}",
        run.stdout
    );
    // Without the escapes, the same text.
    let stripped = run
        .stdout
        .replace("\x1b[1;31m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[0m", "");
    assert_eq!(stripped, plain.stdout);
}

#[test]
fn when_no_input_can_be_read_there_is_no_empty_report() {
    let (_d, db) = fixture_db();
    let run = ch(
        &db,
        &["scan", "/nonexistent/requirements.txt", "--format", "json"],
    );
    assert_eq!(
        run.user_error(),
        "error: /nonexistent/requirements.txt: no such file or folder"
    );
    assert_eq!(run.stdout, "", "no report of nothing");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "demo-pkg==1.3\n");
    let run = ch_in(Some(dir.path()), &db, &["scan", "requirements.txt"], None);
    assert_eq!(
        run.ok(),
        "0 known vulnerabilities in 0 of 1 package checked (1 package in 1 file; 0 without an ecosystem not checked)
"
    );
}

fn osv_record(id: &str, package: &str, severity: &[(&str, &str)]) -> String {
    let severity: Vec<serde_json::Value> = severity
        .iter()
        .map(|(t, s)| serde_json::json!({"type": t, "score": s}))
        .collect();
    serde_json::json!({
        "id": id, "modified": "2026-01-01T00:00:00Z", "severity": severity,
        "affected": [{"package": {"ecosystem": "PyPI", "name": package},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]
    })
    .to_string()
}

#[test]
fn fail_on_compares_the_highest_rating_of_open_findings() {
    let (dir, db) = crate::temp_db();
    let advisories = dir.path().join("advisories");
    std::fs::create_dir(&advisories).unwrap();
    for (id, package, severity) in [
        // 5.3 MEDIUM; the malformed vector is left out, with a warning
        (
            "TEST-MEDIUM",
            "pkg-medium",
            vec![
                ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"),
                ("CVSS_V3", "CVSS:3.1/AV:N/AC:L"),
            ],
        ),
        ("TEST-UNRATED", "pkg-unrated", vec![]),
    ] {
        std::fs::write(
            advisories.join(format!("{id}.json")),
            osv_record(id, package, &severity),
        )
        .unwrap();
    }
    ch(&db, &["db", "import", advisories.to_str().unwrap()]).ok();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(
        project.join("requirements.txt"),
        "pkg-medium==1.0\npkg-unrated==1.0\n",
    )
    .unwrap();
    let ignore_unrated = dir.path().join("triage.toml");
    std::fs::write(
        &ignore_unrated,
        "[[ignore]]\nid = \"TEST-UNRATED\"\nreason = \"not reachable\"\n",
    )
    .unwrap();
    let req = project.join("requirements.txt");
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "--offline", req.to_str().unwrap()];
        args.extend_from_slice(extra);
        ch(&db, &args)
    };

    // An unrated finding is never assumed harmless: it reaches any threshold, and
    // the scan says so.
    let run = scan(&["--fail-on", "critical"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("1 finding has no severity and is treated as reaching --fail-on (--ignore-unrated to let them pass)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "TEST-MEDIUM: CVSS_V3 vector `CVSS:3.1/AV:N/AC:L` left out of the rating: \
             CVSS v3.1 vector lacks the mandatory metric `PR`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("TEST-MEDIUM [MEDIUM 5.3]"),
        "{}",
        run.stdout
    );
    let run = scan(&["--fail-on", "critical", "--ignore-unrated"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = scan(&["--fail-on", "medium", "--ignore-unrated"]);
    assert_eq!(run.code, 1, "{}", run.stderr);

    // With it triaged, only the medium finding is open.
    let config = ["--config", ignore_unrated.to_str().unwrap()];
    for (fail_on, code) in [
        ("any", 1),
        ("low", 1),
        ("medium", 1),
        ("high", 0),
        ("critical", 0),
    ] {
        let mut extra = config.to_vec();
        extra.extend(["--fail-on", fail_on]);
        let run = scan(&extra);
        assert_eq!(run.code, code, "--fail-on {fail_on}: {}", run.stderr);
    }

    let mut extra = config.to_vec();
    extra.extend(["--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&scan(&extra).stdout).unwrap();
    let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
    let medium = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "TEST-MEDIUM")
        .unwrap();
    assert_eq!(medium["properties"]["security-severity"], "5.3");
    assert_eq!(medium["defaultConfiguration"]["level"], "warning");
    let unrated = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "TEST-UNRATED")
        .unwrap();
    assert_eq!(unrated["properties"].get("security-severity"), None);
    assert_eq!(unrated["defaultConfiguration"]["level"], "error");
}

#[test]
fn vulnrichment_rates_what_no_advisory_rates() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let (dir, db) = crate::temp_db();
    let project = dir.path().join("p");
    std::fs::create_dir(&project).unwrap();
    let req = project.join("requirements.txt");
    std::fs::write(&req, "apache-airflow==1.10.10\n").unwrap();
    ch(
        &db,
        &[
            "db",
            "import",
            data.join("osv-pypa/all.zip").to_str().unwrap(),
        ],
    )
    .ok();
    let scan = || {
        let (_, v) = crate::scan_json(&db, &req);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "PYSEC-2020-18")
            .unwrap()["rating"]
            .clone()
    };
    // The PyPA export carries no CVSS vectors.
    assert_eq!(scan(), serde_json::Value::Null);
    ch(
        &db,
        &[
            "db",
            "import",
            data.join("vulnrichment/vulnrichment.zip").to_str().unwrap(),
        ],
    )
    .ok();
    assert_eq!(
        scan(),
        serde_json::json!({"severity": "CRITICAL", "score": 9.8, "type": "CVSS_V3",
            "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "source": "Vulnrichment for CVE-2020-13927"})
    );
}
