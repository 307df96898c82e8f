//! Every row of the shipped SSVC coordinator tree (36) and of BOD 26-04 (16) against
//! CERT/CC's published tables, through the engine: facts in, outcome and deadline out.
#![allow(clippy::unwrap_used)]

mod common;

use ch_priority::context::{MissionPrevalence, PublicWellBeing};
use ch_priority::engine::{DueDate, Engine};
use ch_priority::facts::{EpssThresholds, Exploitation, Fact, TechnicalImpact};
use ch_priority::policy::PolicySet;
use common::*;
use time::Duration;

fn csv(name: &str) -> Vec<Vec<String>> {
    let Some(data) = ch_test_support::shared_data() else {
        return Vec::new();
    };
    std::fs::read_to_string(data.join("ssvc").join(name))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|f| f.trim().to_lowercase()).collect())
        .collect()
}

#[test]
fn every_coordinator_row_decides_as_cert_cc_publishes_it() {
    let policies = PolicySet::builtin().unwrap();
    assert_eq!(policies.coordinator.table.rows.len(), 36);
    let engine = Engine::new(&policies, EpssThresholds::default());
    let rows = csv("cisa_coordinator_2_0_3.csv");
    if ch_test_support::shared_data().is_some() {
        assert_eq!(rows.len(), 36);
    }
    for r in rows {
        let (exploitation, automatable, ti, mwb, expected) = (&r[1], &r[2], &r[3], &r[4], &r[5]);
        let mut f = facts(
            None,
            automatable == "yes",
            if ti == "total" {
                TechnicalImpact::Total
            } else {
                TechnicalImpact::Partial
            },
        );
        f.exploitation = Some(Fact::new(
            match exploitation.as_str() {
                "none" => Exploitation::None,
                "public poc" => Exploitation::PublicPoc,
                _ => Exploitation::Active,
            },
            "Vulnrichment (CISA ADP)",
            None,
        ));
        // Mission and well-being from the system, through the shipped MWB table.
        let mut sys = system(false);
        (sys.mission_prevalence, sys.public_well_being) = match mwb.as_str() {
            "low" => (MissionPrevalence::Minimal, PublicWellBeing::Minimal),
            "medium" => (MissionPrevalence::Support, PublicWellBeing::Material),
            _ => (MissionPrevalence::Essential, PublicWellBeing::Minimal),
        };
        let a = engine.assess(&f, &sys, day(2026, 7, 1));
        assert_eq!(a.ssvc.outcome, expected, "row {}: {r:?}", r[0]);
        assert_eq!(a.ssvc.row.to_string(), r[0], "row number");
        let path: Vec<&str> = a.ssvc.inputs.iter().map(|i| i.point).collect();
        assert_eq!(
            path,
            [
                "exploitation",
                "automatable",
                "technical_impact",
                "mission_and_well_being"
            ]
        );
        assert!(a
            .ssvc
            .inputs
            .iter()
            .all(|i| !i.source.to_string().is_empty()));
    }
}

#[test]
fn every_bod_26_04_row_sets_its_timeline_from_detection() {
    let policies = PolicySet::builtin().unwrap();
    let engine = Engine::new(&policies, EpssThresholds::default());
    let rows = csv("cisa_bod_26_04_1_0_0.csv");
    if ch_test_support::shared_data().is_some() {
        assert_eq!(rows.len(), 16);
    }
    let detected = day(2026, 7, 1);
    for r in rows {
        let (in_kev, exposed, automatable, ti, expected) = (&r[1], &r[2], &r[3], &r[4], &r[5]);
        // Listed before detection, so the clock starts at detection.
        let k = (in_kev == "yes").then(|| kev(day(2026, 6, 20), day(2026, 7, 4)));
        let f = facts(
            k,
            automatable == "yes",
            if ti == "total" {
                TechnicalImpact::Total
            } else {
                TechnicalImpact::Partial
            },
        );
        let a = engine.assess(&f, &system(exposed == "yes"), detected);
        // BOD 22-01 and 19-02 are superseded: BOD 26-04 alone sets the deadline.
        assert_eq!(a.deadlines.len(), 1, "{:?}", a.deadlines);
        let d = a.governing().unwrap();
        assert_eq!(d.directive, "BOD 26-04");
        assert!(d.rule.starts_with(&format!("row {} ", r[0])), "{}", d.rule);
        let (due, clocks) = match expected.as_str() {
            "fix on system upgrade" => (DueDate::NextSystemUpgrade, 0),
            "60 days" => (DueDate::On(detected + Duration::days(60)), 0),
            "14 days" => (DueDate::On(detected + Duration::days(14)), 0),
            "3 days" => (DueDate::On(detected + Duration::days(3)), 0),
            "3 days & forensic investigation" => (DueDate::On(detected + Duration::days(3)), 3),
            other => panic!("unknown timeline {other}"),
        };
        assert_eq!(d.due, due, "row {}: {r:?}", r[0]);
        assert_eq!(d.clocks.len(), clocks, "row {}", r[0]);
        let points: Vec<(&str, &str)> = d.inputs.iter().map(|i| (i.point, &*i.value)).collect();
        assert_eq!(
            points,
            [
                ("in_kev", in_kev.as_str()),
                ("publicly_exposed", exposed.as_str()),
                ("automatable", automatable.as_str()),
                ("technical_impact", ti.as_str())
            ]
        );
    }
}
