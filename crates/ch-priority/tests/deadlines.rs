//! Deadlines: supersession by date, the earliest wins, recomputation when an input
//! changes, unknown inputs at their worst, overlays, and BOD 23-01 cadences.
#![allow(clippy::unwrap_used)]

mod common;

use ch_cvss::Severity;
use ch_priority::context::Category;
use ch_priority::engine::{changes, DueDate, Engine};
use ch_priority::facts::{Epss, EpssThresholds, Fact, TechnicalImpact, VulnerabilityFacts};
use ch_priority::policy::PolicySet;
use common::*;
use time::Duration;

const OVERLAY: &str = r#"
kind = "overlay"
id = "NSS overlay"
agency = "Example agency"
applies_to = "BOD 26-04"
effective = 2026-07-01
categories = ["national_security_system"]
[timelines.60D]
days = 30
[timelines.FSU]
days = 180
"#;

fn with_overlay() -> PolicySet {
    let mut files: Vec<(String, String)> = ch_priority::policy::BUILTIN
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    files.push(("overlay.toml".into(), OVERLAY.into()));
    PolicySet::from_files(files).unwrap()
}

#[test]
fn before_bod_26_04_the_revoked_directives_apply_and_the_earliest_wins() {
    let policies = PolicySet::builtin().unwrap();
    let engine = Engine::new(&policies, EpssThresholds::default());
    let detected = day(2026, 5, 1);
    let in_force: Vec<&str> = policies.in_force(detected).map(|d| d.id.as_str()).collect();
    assert_eq!(in_force, ["BOD 19-02", "BOD 22-01", "BOD 23-01"]);
    let after: Vec<&str> = policies
        .in_force(day(2026, 6, 10))
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(after, ["BOD 23-01", "BOD 26-04"]);

    let mut f = facts(
        Some(kev(day(2026, 4, 20), day(2026, 5, 11))),
        true,
        TechnicalImpact::Total,
    );
    f.severity = Some(Fact::new(Severity::Critical, "CVSS:3.1/… 9.8", None));
    let a = engine.assess(&f, &system(true), detected);
    let got: Vec<(&str, DueDate)> = a.deadlines.iter().map(|d| (d.directive, d.due)).collect();
    assert_eq!(
        got,
        [
            ("BOD 19-02", DueDate::On(day(2026, 5, 16))),
            ("BOD 22-01", DueDate::On(day(2026, 5, 11))),
        ]
    );
    assert_eq!(a.governing().unwrap().directive, "BOD 22-01");
    assert_eq!(a.governing().unwrap().rule, "KEV catalog due date");

    // Not publicly exposed: BOD 19-02 does not apply; a high finding gets 30 days.
    f.kev = None;
    f.severity = Some(Fact::new(Severity::High, "CVSS:3.1/… 7.5", None));
    assert!(engine
        .assess(&f, &system(false), detected)
        .deadlines
        .is_empty());
    let a = engine.assess(&f, &system(true), detected);
    assert_eq!(a.governing().unwrap().due, DueDate::On(day(2026, 5, 31)));
    assert_eq!(a.governing().unwrap().rule, "high: 30 days");
}

#[test]
fn a_kev_entry_due_before_it_was_added_is_kept_as_given() {
    let policies = PolicySet::builtin().unwrap();
    let engine = Engine::new(&policies, EpssThresholds::default());
    // CVE-2021-34527 style: added 2021-11-03, due 2021-07-20.
    let f = facts(
        Some(kev(day(2021, 11, 3), day(2021, 7, 20))),
        true,
        TechnicalImpact::Total,
    );
    let a = engine.assess(&f, &system(false), day(2021, 12, 1));
    assert_eq!(a.governing().unwrap().due, DueDate::On(day(2021, 7, 20)));
}

#[test]
fn a_kev_addition_recomputes_the_deadline_from_the_listing_and_says_why() {
    let policies = PolicySet::builtin().unwrap();
    let engine = Engine::new(&policies, EpssThresholds::default());
    let detected = day(2026, 7, 1);
    let before = facts(None, false, TechnicalImpact::Partial);
    let a = engine.assess(&before, &system(true), detected);
    assert_eq!(
        a.governing().unwrap().due,
        DueDate::On(detected + Duration::days(60))
    );
    assert_eq!(a.ssvc.outcome, "track");

    let mut after = before.clone();
    after.kev = Some(kev(day(2026, 8, 1), day(2026, 8, 22)));
    let b = engine.assess(&after, &system(true), detected);
    let d = b.governing().unwrap();
    // KEV yes, exposed, not automatable, partial: row 5, 14 days from the listing.
    assert!(d.rule.starts_with("row 5 "), "{}", d.rule);
    assert_eq!(d.clock_start, day(2026, 8, 1));
    assert_eq!(d.due, DueDate::On(day(2026, 8, 15)));
    let what = changes(&a, &b);
    assert!(
        what.iter().any(
            |l| l.starts_with("in_kev: no → yes (KEV catalog: CVE-2026-0001 added 2026-08-01)")
        ),
        "{what:?}"
    );
    assert!(
        what.iter()
            .any(|l| l.starts_with("exploitation: none → active")),
        "{what:?}"
    );
    assert!(
        what.iter().any(|l| l.starts_with(&format!(
            "deadline: {} (BOD 26-04",
            detected + Duration::days(60)
        )) && l.contains("→ 2026-08-15 (BOD 26-04, row 5 ")),
        "{what:?}"
    );
    assert!(changes(&b, &b).is_empty());
}

#[test]
fn unknown_automatable_and_technical_impact_count_at_their_worst_and_say_so() {
    let policies = PolicySet::builtin().unwrap();
    let engine = Engine::new(&policies, EpssThresholds::default());
    let f = VulnerabilityFacts {
        id: "X".into(),
        ..Default::default()
    };
    let a = engine.assess(&f, &system(true), day(2026, 7, 1));
    let d = a.governing().unwrap();
    // no, yes, yes(assumed), total(assumed): row 14, 3 days
    assert!(d.rule.starts_with("row 14 "), "{}", d.rule);
    let automatable = d.inputs.iter().find(|i| i.point == "automatable").unwrap();
    assert_eq!(
        automatable.source.to_string(),
        "not known: assumed yes (worst case)"
    );
}

#[test]
fn epss_thresholds_raise_exploitation_and_never_lower_it() {
    let policies = PolicySet::builtin().unwrap();
    let thresholds = EpssThresholds {
        public_poc: Some(0.1),
        active: Some(0.9),
    };
    let engine = Engine::new(&policies, thresholds);
    let mut f = facts(None, true, TechnicalImpact::Total);
    let exploitation = |f: &VulnerabilityFacts| {
        let a = engine.assess(f, &system(false), day(2026, 7, 1));
        let i = a
            .ssvc
            .inputs
            .iter()
            .find(|i| i.point == "exploitation")
            .unwrap();
        (i.value.to_string(), i.source.to_string())
    };
    assert_eq!(exploitation(&f).0, "none");
    f.epss = Some(Fact::new(
        Epss {
            score: 0.2,
            percentile: 0.95,
        },
        "EPSS 2026-08-16",
        None,
    ));
    assert_eq!(
        exploitation(&f),
        (
            "public_poc".to_owned(),
            "EPSS 2026-08-16 0.2 ≥ threshold 0.1 for public PoC".to_owned()
        )
    );
    f.kev = Some(kev(day(2026, 6, 1), day(2026, 6, 22)));
    assert_eq!(exploitation(&f).0, "active");
}

#[test]
fn overlays_shorten_deadlines_for_the_categories_they_name() {
    let policies = with_overlay();
    let engine = Engine::new(&policies, EpssThresholds::default());
    let detected = day(2026, 7, 1);
    let f = facts(None, false, TechnicalImpact::Partial); // exposed → 60D; not → FSU
    let mut nss = system(true);
    nss.category = Category::NationalSecuritySystem;
    let d = engine
        .assess(&f, &nss, detected)
        .governing()
        .cloned()
        .unwrap();
    assert_eq!(d.due, DueDate::On(detected + Duration::days(30)));
    assert_eq!(d.overlay, Some(("NSS overlay", "Example agency", 30)));
    nss.publicly_exposed = false;
    let d = engine
        .assess(&f, &nss, detected)
        .governing()
        .cloned()
        .unwrap();
    assert_eq!(d.due, DueDate::On(detected + Duration::days(180)));
    // A civilian system keeps the directive's timeline.
    let d = engine
        .assess(&f, &system(true), detected)
        .governing()
        .cloned()
        .unwrap();
    assert_eq!(d.due, DueDate::On(detected + Duration::days(60)));
    assert_eq!(d.overlay, None);
    // Before the overlay's effective date, too.
    let d = engine
        .assess(
            &f,
            &{
                let mut s = system(true);
                s.category = Category::NationalSecuritySystem;
                s
            },
            day(2026, 6, 15),
        )
        .governing()
        .cloned()
        .unwrap();
    assert_eq!(d.due, DueDate::On(day(2026, 6, 15) + Duration::days(60)));
}

#[test]
fn stale_inventories_are_findings_under_bod_23_01() {
    let policies = PolicySet::builtin().unwrap();
    let engine = Engine::new(&policies, EpssThresholds::default());
    let mut sys = system(false);
    let today = day(2026, 8, 20);
    sys.last_asset_discovery = Some(day(2026, 8, 15));
    sys.last_vulnerability_enumeration = Some(day(2026, 8, 1));
    let stale = engine.stale_inventories(&sys, today);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].activity, "vulnerability_enumeration");
    assert_eq!(stale[0].due, Some(day(2026, 8, 15)));
    sys.last_asset_discovery = None;
    assert_eq!(engine.stale_inventories(&sys, today).len(), 2);
    // Before the directive's compliance date nothing is stale.
    assert!(engine.stale_inventories(&sys, day(2023, 1, 1)).is_empty());
}

#[test]
fn an_emergency_directive_sets_its_own_date() {
    let mut files: Vec<(String, String)> = ch_priority::policy::BUILTIN
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    files.push((
        "ed.toml".into(),
        r#"
kind = "directive"
id = "ED 26-01"
title = "Example emergency directive"
version = "1"
effective = 2026-08-01
rule = "listed-cves"
cves = ["CVE-2026-0001"]
due = 2026-08-04
"#
        .into(),
    ));
    let policies = PolicySet::from_files(files).unwrap();
    let engine = Engine::new(&policies, EpssThresholds::default());
    let f = facts(None, false, TechnicalImpact::Partial);
    let a = engine.assess(&f, &system(true), day(2026, 8, 2));
    let d = a.governing().unwrap();
    assert_eq!(
        (d.directive, d.due),
        ("ED 26-01", DueDate::On(day(2026, 8, 4)))
    );
    assert_eq!(d.rule, "CVE-2026-0001 listed: due 2026-08-04");
    assert_eq!(a.deadlines.len(), 2, "BOD 26-04's 60 days are still listed");
}
