use std::fs;

use crate::{ch, fixture_db, fixtures, temp_db};

#[test]
fn import_reports_counts_and_reimport_is_a_no_op() {
    let (_dir, db) = temp_db();
    let folder = fixtures().join("advisories");
    let folder = folder.to_str().unwrap();
    let first = ch(&db, &["db", "import", folder]);
    first.ok();
    assert!(
        first
            .stderr
            .contains("5 records: 5 new, 0 updated, 0 unchanged"),
        "{}",
        first.stderr
    );
    let again = ch(&db, &["db", "import", folder]);
    again.ok();
    assert!(
        again
            .stderr
            .contains("5 records: 0 new, 0 updated, 5 unchanged"),
        "{}",
        again.stderr
    );
}

#[test]
fn newer_modified_replaces_and_older_is_ignored() {
    let (dir, db) = fixture_db();
    let base = fs::read_to_string(fixtures().join("advisories/EX-2024-3.json")).unwrap();
    // A newer version of the record widens the affected range.
    let newer = base
        .replace("2024-05-01T00:00:00Z", "2024-07-01T00:00:00Z")
        .replace(
            "\"last_affected\": \"2.3.4\"",
            "\"last_affected\": \"2.9.0\"",
        );
    let newer_path = dir.path().join("newer.json");
    fs::write(&newer_path, newer).unwrap();
    let run = ch(&db, &["db", "import", newer_path.to_str().unwrap()]);
    assert!(
        run.stderr.contains("1 records: 0 new, 1 updated"),
        "{}",
        run.stderr
    );
    let hit = ch(&db, &["query", "npm", "@scope/lib", "2.5.0"]);
    assert!(hit.ok().contains("EX-2024-3"), "{}", hit.stdout);

    // An older one changes nothing.
    let older = base
        .replace("2024-05-01T00:00:00Z", "2023-01-01T00:00:00Z")
        .replace(
            "\"last_affected\": \"2.3.4\"",
            "\"last_affected\": \"2.0.0\"",
        );
    let older_path = dir.path().join("older.json");
    fs::write(&older_path, older).unwrap();
    let run = ch(&db, &["db", "import", older_path.to_str().unwrap()]);
    assert!(
        run.stderr.contains("1 older than stored (ignored)"),
        "{}",
        run.stderr
    );
    assert!(ch(&db, &["query", "npm", "@scope/lib", "2.5.0"])
        .ok()
        .contains("EX-2024-3"));
}

#[test]
fn malformed_records_are_named_counted_and_skipped() {
    let (_dir, db) = temp_db();
    let bad = fixtures().join("bad");
    let run = ch(&db, &["db", "import", bad.to_str().unwrap()]);
    run.ok();
    assert!(run.stderr.contains("3 records: 1 new"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 malformed (skipped)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("EX-BAD-1.json: skipped: missing field `modified`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("EX-BAD-2.json: skipped: EOF while parsing"),
        "{}",
        run.stderr
    );
    let hit = ch(&db, &["query", "crates.io", "good", "0.5.0"]);
    assert!(hit.ok().contains("EX-GOOD"));
}

#[test]
fn nothing_readable_exits_2() {
    let (dir, db) = temp_db();
    let only_bad = dir.path().join("only-bad.json");
    fs::write(&only_bad, "{\"id\": 7}").unwrap();
    let run = ch(&db, &["db", "import", only_bad.to_str().unwrap()]);
    assert!(
        run.user_error().contains("nothing could be imported"),
        "{}",
        run.stderr
    );
    let missing = ch(&db, &["db", "import", "/nonexistent/osv.zip"]);
    missing.user_error();
    assert!(
        missing.stderr.contains("/nonexistent/osv.zip"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_corrupt_zip_is_an_error_naming_it() {
    let (dir, db) = temp_db();
    let fake = dir.path().join("all.zip");
    fs::write(&fake, b"PK\x03\x04 this is not really a zip").unwrap();
    let run = ch(&db, &["db", "import", fake.to_str().unwrap()]);
    let err = run.user_error();
    assert!(run.stderr.contains("all.zip"), "{}", run.stderr);
    assert!(
        err.contains("nothing could be imported") || err.contains("zip"),
        "{err}"
    );
}

#[test]
fn stats_counts_per_ecosystem() {
    let (_dir, db) = fixture_db();
    let run = ch(&db, &["db", "stats", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    crate::assert_schema("db-stats-v1.schema.json", &v);
    assert_eq!(v["schema_version"], "1");
    assert_eq!(v["advisories"], 5);
    assert_eq!(v["withdrawn"], 1);
    let ecos: Vec<(String, u64, u64)> = v["ecosystems"]
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
    assert_eq!(
        ecos,
        vec![
            ("Debian".to_owned(), 1, 0),
            ("PyPI".to_owned(), 3, 1),
            ("npm".to_owned(), 1, 0)
        ]
    );
    assert_eq!(
        v["ecosystems"][0]["releases"],
        serde_json::json!(["11", "12"])
    );
    let table = ch(&db, &["db", "stats"]);
    assert!(
        table.ok().contains("advisories: 5 (1 withdrawn)"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_missing_database_says_how_to_make_one() {
    let (_dir, db) = temp_db();
    let run = ch(&db, &["query", "PyPI", "jinja2", "2.4.1"]);
    assert!(
        run.user_error().contains("no advisory database at"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: run `clearinghouse db sync"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_corrupt_database_is_one_line_not_a_panic() {
    let (dir, _) = temp_db();
    let db = dir.path().join("garbage.db");
    fs::write(&db, vec![0x42u8; 8192]).unwrap();
    let run = ch(&db, &["db", "stats"]);
    let err = run.user_error();
    assert!(err.contains("is not a usable advisory database"), "{err}");

    // An empty file is a valid, empty SQLite database, but not ours.
    let other = dir.path().join("other.db");
    fs::write(&other, b"").unwrap();
    let err = ch(&other, &["db", "stats"]).user_error().to_owned();
    assert!(err.contains("is not a usable advisory database"), "{err}");
}

#[test]
fn database_location_comes_from_the_environment() {
    let (dir, db) = fixture_db();
    let out = std::process::Command::new(crate::bin())
        .args(["db", "stats", "--format", "json"])
        .env("CLEARINGHOUSE_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["advisories"], 5);
    // And the default lives under XDG_DATA_HOME.
    let out = std::process::Command::new(crate::bin())
        .args([
            "db",
            "import",
            fixtures().join("advisories").to_str().unwrap(),
        ])
        .env_remove("CLEARINGHOUSE_DB")
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("clearinghouse/advisories.db").is_file());
}

#[test]
fn a_version_1_database_is_migrated_in_place_and_answers_the_same() {
    let (_dir, db) = fixture_db();
    let project = crate::scan::project();
    let scan = || {
        let (run, mut v) = crate::scan_json(&db, project.path());
        assert_eq!(run.code, 1, "{}", run.stderr);
        v["inputs"] = serde_json::Value::Null;
        v
    };
    let before = scan();
    {
        // What a version-1 file looks like: no `head` column.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "ALTER TABLE advisory DROP COLUMN head;
             DROP TABLE kev; DROP TABLE epss; DROP TABLE enrichment;
             UPDATE meta SET value = '1' WHERE key = 'schema_version';",
        )
        .unwrap();
    }
    assert_eq!(scan(), before);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, "3");
    let threat_tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('kev', 'epss', 'enrichment')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(threat_tables, 3);
    let without_head: i64 = conn
        .query_row(
            "SELECT count(*) FROM advisory WHERE head IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(without_head, 0);
}
