//! A policy that cannot be trusted is refused with one line naming the file, the
//! line where there is one, and what was expected.
#![allow(clippy::unwrap_used)]

use ch_priority::policy::{PolicyFile, PolicySet, BUILTIN};

fn builtin(name: &str) -> String {
    BUILTIN
        .iter()
        .find(|(f, _)| f.ends_with(name))
        .unwrap()
        .1
        .to_owned()
}

fn err(text: &str) -> String {
    PolicyFile::parse("p.toml", text).unwrap_err().to_string()
}

#[test]
fn overlapping_and_missing_rows_are_named() {
    let text = builtin("bod-26-04.toml");
    // Row 1 (KEV yes …) rewritten as a copy of row 0: a repeat and a gap.
    let dup = text.replacen(
        r#"{ in_kev = "yes", publicly_exposed = "no", automatable = "no", technical_impact = "partial", timeline = "14D" }"#,
        r#"{ in_kev = "no", publicly_exposed = "no", automatable = "no", technical_impact = "partial", timeline = "14D" }"#,
        1,
    );
    assert_ne!(dup, text);
    let e = err(&dup);
    assert!(
        e.starts_with("p.toml:25: the row repeats the combination of line 24 (in_kev = no, publicly_exposed = no"),
        "{e}"
    );
    let missing: String = text
        .lines()
        .filter(|l| !l.contains(r#"in_kev = "yes", publicly_exposed = "yes", automatable = "yes", technical_impact = "total""#))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        err(&missing),
        "p.toml: no row covers in_kev = yes, publicly_exposed = yes, automatable = yes, technical_impact = total"
    );
}

#[test]
fn unknown_keys_values_rules_and_bad_dates_are_named() {
    let text = builtin("bod-26-04.toml");
    let e = err(&text.replace(
        "effective = 2026-06-10",
        "effective = 2026-06-10\nstrictness = 3",
    ));
    assert!(
        e.starts_with("p.toml:11: unknown field `strictness`"),
        "{e}"
    );
    let e = err(&text.replace("effective = 2026-06-10", "effective = 2026-13-10"));
    assert!(e.starts_with("p.toml:10: "), "{e}");
    let e = err(&text.replace("effective = 2026-06-10", "effective = \"June 10\""));
    assert!(e.starts_with("p.toml:10: "), "{e}");
    let e = err(&text.replace("effective = 2026-06-10", "effective = 2026-06-10T00:00:00Z"));
    assert_eq!(
        e,
        "p.toml:10: `effective` must be a date like 2026-06-10, without a time"
    );
    let e = err(&text.replacen(r#"timeline = "14D" }"#, r#"timeline = "7D" }"#, 1));
    assert!(
        e.starts_with(
            "p.toml:25: `timeline` has no value `7D` (expected one of FSU, 60D, 14D, 3D, 3DF)"
        ),
        "{e}"
    );
    let e = err(&text.replacen(
        r#"publicly_exposed = "no","#,
        r#"publicly_exposed = "no", extra = "x","#,
        1,
    ));
    assert!(
        e.starts_with("p.toml:24: unknown key `extra` in a row"),
        "{e}"
    );
    let e = err(&text.replace(r#"rule = "decision-table""#, r#"rule = "vibes""#));
    assert!(e.starts_with("p.toml:13: unknown `rule` `vibes`"), "{e}");
    let e = err(&builtin("bod-22-01.toml").replace(
        r#"rule = "kev-due-date""#,
        "rule = \"kev-due-date\"\ncadences = []",
    ));
    assert_eq!(e, "p.toml:13: rule `kev-due-date` takes no `cadences`");
    let e = err(&text.replace("[timelines.3DF]\nname", "[timelines.3DX]\nname"));
    assert_eq!(e, "p.toml:13: no `timelines.3DF` for the outcome `3DF`");
    let e =
        err(&builtin("bod-19-02.toml").replace(r#"severity = "high""#, r#"severity = "severe""#));
    assert!(e.starts_with("p.toml:15: unknown severity `severe`"), "{e}");
    assert_eq!(
        err("id = \"x\""),
        "p.toml:1: missing `kind` (decision-table, directive or overlay)"
    );
}

#[test]
fn overlays_may_only_make_deadlines_stricter() {
    let mut files: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    files.push((
        "overlay.toml".into(),
        "kind = \"overlay\"\nid = \"lax\"\nagency = \"X\"\napplies_to = \"BOD 26-04\"\neffective = 2026-07-01\n[timelines.14D]\ndays = 20\n".into(),
    ));
    let e = PolicySet::from_files(files.clone())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "overlay.toml: timeline `14D`: 20 days is longer than BOD 26-04's 14; overlays may only make deadlines stricter"
    );
    files.pop();
    files.push((
        "overlay.toml".into(),
        "kind = \"overlay\"\nid = \"x\"\nagency = \"X\"\napplies_to = \"BOD 99-99\"\neffective = 2026-07-01\n[timelines.14D]\ndays = 7\n".into(),
    ));
    let e = PolicySet::from_files(files).unwrap_err().to_string();
    assert_eq!(
        e,
        "overlay.toml: overlay `x` applies to `BOD 99-99`, which no directive defines"
    );
}

#[test]
fn the_shipped_policies_load() {
    let set = PolicySet::builtin().unwrap();
    let ids: Vec<&str> = set.directives.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["BOD 19-02", "BOD 22-01", "BOD 23-01", "BOD 26-04"]);
    assert_eq!(set.mission_and_well_being.table.rows.len(), 9);
}
