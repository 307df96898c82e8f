//! The OSV model reads every record of the shared data and writes it back unchanged.
#![allow(clippy::unwrap_used)]

use ch_osv::{Advisory, CompiledAffected};
use ch_types::Ecosystem;

#[test]
fn every_shared_record_round_trips_unchanged() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let mut n_records = 0;
    let mut n_problems = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let zip = entry.unwrap().path().join("all.zip");
        if !zip.is_file() {
            continue;
        }
        for (name, value) in ch_test_support::osv_zip_records(&zip) {
            let bytes = serde_json::to_vec(&value).unwrap();
            let advisory = Advisory::from_json(&bytes)
                .unwrap_or_else(|e| panic!("{}: {name}: {e}", zip.display()));
            let back = serde_json::to_value(&advisory).unwrap();
            assert_eq!(
                back,
                value,
                "{}: {name} changed on round trip",
                zip.display()
            );
            for affected in advisory.affected() {
                let Some(package) = &affected.package else {
                    continue;
                };
                let eco = Ecosystem::parse(&package.ecosystem).unwrap();
                let (_, problems) = CompiledAffected::compile(&eco, affected);
                n_problems += problems.len();
            }
            n_records += 1;
        }
    }
    // SOURCES.md: 4,291 + 2,661 + 1,206 + 461 + 1,219 + 1,585 + 14 + 5,637 + 2,406 + 43.
    assert_eq!(n_records, 19_523);
    eprintln!("{n_records} records, {n_problems} unparsable events");
}

#[test]
fn malformed_records_say_what_is_wrong() {
    let cases: [(&[u8], &str); 4] = [
        (b"{", "EOF while parsing"),
        (br#"{"modified": "2024-01-01T00:00:00Z"}"#, "missing field `id`"),
        (br#"{"id": "X-1", "modified": "yesterday"}"#, "field `modified`: expected an RFC 3339 timestamp, found `yesterday`"),
        (br#"{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1"}]}]}]}"#, "exactly one of"),
    ];
    for (input, expected) in cases {
        let err = Advisory::from_json(input).unwrap_err().to_string();
        assert!(
            err.contains(expected),
            "{err:?} should contain {expected:?}"
        );
    }
}
