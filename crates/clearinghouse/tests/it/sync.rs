//! `db sync` against a real HTTP server on loopback that serves the shared data in
//! the layout of osv.dev's bucket.

use ch_test_support::mirror::{Fault, OsvMirror};
use ch_test_support::shared_data;

use crate::{ch, temp_db};

fn stats(db: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(ch(db, &["db", "stats", "--format", "json"]).ok()).unwrap()
}

fn count(stats: &serde_json::Value, ecosystem: &str) -> u64 {
    stats["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ecosystem"] == ecosystem)
        .map_or(0, |e| e["advisories"].as_u64().unwrap())
}

#[test]
fn full_then_incremental_then_up_to_date() {
    let Some(data) = shared_data() else { return };
    let mirror = OsvMirror::from_shared_data(&data);
    let (_dir, db) = temp_db();
    let url = mirror.url().to_owned();

    let run = ch(
        &db,
        &["db", "sync", "--base-url", &url, "PyPI", "crates.io"],
    );
    run.ok();
    assert!(run.stderr.contains("PyPI: full sync"), "{}", run.stderr);
    let s = stats(&db);
    assert_eq!(count(&s, "PyPI"), 2661);
    assert_eq!(count(&s, "crates.io"), 1206);
    let requests = mirror.take_requests();
    assert!(
        requests.contains(&"/PyPI/all.zip".to_owned()),
        "{requests:?}"
    );

    // Nothing changed: only modified_id.csv is read.
    let run = ch(&db, &["db", "sync", "--base-url", &url]);
    assert!(run.ok().is_empty());
    assert!(run.stderr.contains("PyPI: up to date"), "{}", run.stderr);
    assert!(
        run.stderr.contains("crates.io: up to date"),
        "{}",
        run.stderr
    );
    assert_eq!(
        mirror.take_requests(),
        ["/PyPI/modified_id.csv", "/crates.io/modified_id.csv"]
    );

    // One record changes upstream: only it is downloaded.
    let changed = r#"{"id": "PYSEC-2099-1", "modified": "2099-01-01T00:00:00Z",
        "summary": "a new advisory", "affected": [{"package": {"ecosystem": "PyPI", "name": "jinja2"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99"}]}]}]}"#;
    mirror.put_record("PyPI", changed.as_bytes());
    let run = ch(&db, &["db", "sync", "--base-url", &url, "PyPI"]);
    run.ok();
    assert!(
        run.stderr.contains("PyPI: incremental sync"),
        "{}",
        run.stderr
    );
    assert_eq!(
        mirror.take_requests(),
        ["/PyPI/modified_id.csv", "/PyPI/PYSEC-2099-1.json"]
    );
    let q = ch(&db, &["query", "PyPI", "jinja2", "3.1.4"]);
    assert!(q.ok().contains("PYSEC-2099-1"), "{}", q.stdout);
    assert_eq!(count(&stats(&db), "PyPI"), 2662);
}

#[test]
fn a_corrupt_download_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let mirror = OsvMirror::from_shared_data(&data);
    let (_dir, db) = temp_db();
    let url = mirror.url().to_owned();
    ch(&db, &["db", "sync", "--base-url", &url, "crates.io"]).ok();
    let before = stats(&db);

    mirror.remove_record("crates.io", "RUSTSEC-2021-0003");
    mirror.set_fault("crates.io", Some(Fault::CorruptBytes));
    let run = ch(
        &db,
        &["db", "sync", "--base-url", &url, "--full", "crates.io"],
    );
    let err = run.user_error();
    assert!(err.contains("failed verification"), "{err}");
    assert!(err.contains("the database was not changed"), "{err}");
    assert_eq!(stats(&db)["advisories"], before["advisories"]);

    mirror.set_fault("crates.io", Some(Fault::ServerError));
    let err = ch(
        &db,
        &["db", "sync", "--base-url", &url, "--full", "crates.io"],
    )
    .user_error()
    .to_owned();
    assert!(err.contains("HTTP status 500"), "{err}");

    // Healthy again: the full export replaces the old one, and the record it no
    // longer lists is removed.
    mirror.set_fault("crates.io", None);
    let run = ch(
        &db,
        &["db", "sync", "--base-url", &url, "--full", "crates.io"],
    );
    run.ok();
    assert!(
        run.stderr.contains("1 removed (no longer in the source)"),
        "{}",
        run.stderr
    );
    assert_eq!(count(&stats(&db), "crates.io"), 1205);
    let q = ch(&db, &["query", "crates.io", "smallvec", "1.6.0"]);
    assert!(!q.ok().contains("RUSTSEC-2021-0003"));
}

#[test]
fn sync_all_reads_the_source_listing_and_unknown_ecosystems_fail_clearly() {
    let Some(data) = shared_data() else { return };
    let mirror = OsvMirror::from_shared_data(&data);
    let (_dir, db) = temp_db();
    let url = mirror.url().to_owned();
    let run = ch(&db, &["db", "sync", "--base-url", &url, "Nope"]);
    assert!(run.user_error().contains("not found"), "{}", run.stderr);
    let run = ch(&db, &["db", "sync", "--base-url", &url]);
    assert!(
        run.user_error().contains("nothing to sync"),
        "{}",
        run.stderr
    );
    ch(&db, &["db", "sync", "--base-url", &url, "--all"]).ok();
    assert_eq!(stats(&db)["advisories"], 19_523);
}

#[test]
fn an_unreachable_source_is_one_line() {
    let (_dir, db) = temp_db();
    // A port on loopback with nothing listening.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}");
    let run = ch(&db, &["db", "sync", "--base-url", &url, "PyPI"]);
    let err = run.user_error();
    assert!(err.contains(&format!("GET {url}/PyPI/all.zip")), "{err}");
}

#[test]
fn threat_data_syncs_from_configurable_urls_and_is_remembered() {
    let Some(data) = shared_data() else {
        return;
    };
    let mirror = OsvMirror::start(&[]);
    let kev = std::fs::read(data.join("kev/known_exploited_vulnerabilities.json")).unwrap();
    mirror.put_file("feeds/kev.json", kev.clone());
    mirror.put_file(
        "epss/epss_scores-current.csv.gz",
        std::fs::read(data.join("epss/epss_scores-2026-08-16.csv.gz")).unwrap(),
    );
    mirror.put_file(
        "vulnrichment/develop.zip",
        std::fs::read(data.join("vulnrichment/vulnrichment.zip")).unwrap(),
    );
    let (_dir, db) = temp_db();
    let url = mirror.url().to_owned();
    let urls = [
        "--kev-url".to_owned(),
        format!("{url}/feeds/kev.json"),
        "--epss-url".to_owned(),
        format!("{url}/epss/epss_scores-current.csv.gz"),
        "--vulnrichment-url".to_owned(),
        format!("{url}/vulnrichment/develop.zip"),
    ];
    let mut args = vec!["db", "sync", "KEV", "epss", "Vulnrichment"];
    args.extend(urls.iter().map(String::as_str));
    let run = ch(&db, &args);
    run.ok();
    assert!(
        run.stderr.contains(
            "KEV catalog: 1404 held (1404 newly listed, 0 removed, 0 with changed dates)"
        ),
        "{}",
        run.stderr
    );
    let threat = &stats(&db)["threat"];
    assert_eq!(threat["kev_catalog_version"], "2025.08.25");
    assert_eq!(threat["kev_entries"], 1404);
    assert!(threat["epss_scores"].as_u64().unwrap() > 300_000);
    assert!(threat["vulnrichment_records"].as_u64().unwrap() >= 1000);

    // The catalog gains an entry: a plain `db sync` re-syncs what was synced before,
    // and says which CVE is newly listed.
    mirror.put_file(
        "feeds/kev.json",
        crate::kev_catalog_with(&data, "CVE-2026-99999", "2026-11-20", "2026-12-11"),
    );
    let mut args = vec!["db", "sync"];
    args.extend(urls.iter().map(String::as_str));
    let run = ch(&db, &args);
    run.ok();
    assert!(
        run.stderr
            .contains("KEV catalog: 1405 held (1 newly listed, 0 removed"),
        "{}",
        run.stderr
    );

    // A URL that serves something else changes nothing.
    mirror.put_file("feeds/kev.json", b"<html>maintenance</html>".to_vec());
    let run = ch(
        &db,
        &[
            "db",
            "sync",
            "KEV",
            "--kev-url",
            &format!("{url}/feeds/kev.json"),
        ],
    );
    let error = run.user_error();
    assert!(
        error.contains("download failed verification: expected KEV catalog, got something else"),
        "{error}"
    );
    assert_eq!(stats(&db)["threat"]["kev_entries"], 1405);
}

#[test]
fn threat_data_imports_from_files_and_bad_files_are_named() {
    let Some(data) = shared_data() else {
        return;
    };
    let (dir, db) = temp_db();
    let run = ch(
        &db,
        &[
            "db",
            "import",
            data.join("kev/known_exploited_vulnerabilities.json")
                .to_str()
                .unwrap(),
            data.join("vulnrichment/vulnrichment.zip").to_str().unwrap(),
        ],
    );
    run.ok();
    assert_eq!(stats(&db)["threat"]["kev_entries"], 1404);
    let bad = dir.path().join("epss_scores-2026-01-01.csv");
    std::fs::write(
        &bad,
        "cve,epss,percentile\nCVE-2024-1234,0.5,0.9\nCVE-2024-1235,high,0.9\n",
    )
    .unwrap();
    let run = ch(&db, &["db", "import", bad.to_str().unwrap()]);
    assert_eq!(
        run.user_error(),
        format!(
            "error: {}:3: epss `high` is not a number from 0 to 1",
            bad.display()
        )
    );
    assert!(
        run.stderr.contains("error: nothing could be imported"),
        "{}",
        run.stderr
    );
    assert_eq!(
        stats(&db)["threat"]["epss_scores"],
        0,
        "nothing half-written"
    );
}
