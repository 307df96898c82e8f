#![allow(dead_code, clippy::unwrap_used, unreachable_pub)]

use ch_priority::context::{Category, MissionPrevalence, PublicWellBeing, SystemContext};
use ch_priority::facts::{Fact, KevEntry, TechnicalImpact, VulnerabilityFacts};
use time::{Date, Month};

pub fn day(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

pub fn system(exposed: bool) -> SystemContext {
    SystemContext {
        name: "payroll".into(),
        category: Category::CivilianFederal,
        publicly_exposed: exposed,
        exposure_since: None,
        mission_prevalence: MissionPrevalence::Support,
        public_well_being: PublicWellBeing::Minimal,
        high_value_asset: false,
        last_asset_discovery: None,
        last_vulnerability_enumeration: None,
    }
}

pub fn kev(added: Date, due: Date) -> KevEntry {
    KevEntry {
        cve: "CVE-2026-0001".into(),
        date_added: added,
        due_date: due,
        known_ransomware_use: false,
    }
}

/// Facts with known Vulnrichment values.
pub fn facts(
    kev: Option<KevEntry>,
    automatable: bool,
    technical_impact: TechnicalImpact,
) -> VulnerabilityFacts {
    VulnerabilityFacts {
        id: "GHSA-test".into(),
        cves: vec!["CVE-2026-0001".into()],
        kev,
        automatable: Some(Fact::new(automatable, "Vulnrichment (CISA ADP)", None)),
        technical_impact: Some(Fact::new(technical_impact, "Vulnrichment (CISA ADP)", None)),
        ..Default::default()
    }
}
