//! Prioritising 100,000 findings in one process: facts in, assessments out, sorted
//! into a worklist. Every finding is assessed (no caching by vulnerability, which the
//! command adds on top). See docs/BENCHMARKS.md.

use ch_priority::context::{Category, MissionPrevalence, PublicWellBeing, SystemContext};
use ch_priority::engine::{Engine, Urgency};
use ch_priority::facts::{
    Epss, EpssThresholds, Exploitation, Fact, KevEntry, TechnicalImpact, VulnerabilityFacts,
};
use ch_priority::policy::PolicySet;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use time::{Date, Duration, Month};

fn findings(n: usize) -> Vec<VulnerabilityFacts> {
    let base = Date::from_calendar_date(2024, Month::January, 1).unwrap_or(Date::MIN);
    (0..n)
        .map(|i| {
            let cve = format!("CVE-2024-{:05}", i % 40_000);
            let added = base + Duration::days((i % 900) as i64);
            VulnerabilityFacts {
                id: format!("GHSA-{i}"),
                cves: vec![cve.clone()],
                // One in ten in KEV, half with Vulnrichment values, all with EPSS.
                kev: (i % 10 == 0).then(|| KevEntry {
                    cve: cve.as_str().into(),
                    date_added: added,
                    due_date: added + Duration::days(21),
                    known_ransomware_use: i % 30 == 0,
                }),
                exploitation: (i % 2 == 0).then(|| {
                    Fact::new(
                        [
                            Exploitation::None,
                            Exploitation::PublicPoc,
                            Exploitation::Active,
                        ][i % 3],
                        "Vulnrichment (CISA ADP)",
                        Some(added),
                    )
                }),
                automatable: (i % 2 == 0)
                    .then(|| Fact::new(i % 4 == 0, "Vulnrichment (CISA ADP)", Some(added))),
                technical_impact: (i % 2 == 0).then(|| {
                    Fact::new(
                        if i % 3 == 0 {
                            TechnicalImpact::Total
                        } else {
                            TechnicalImpact::Partial
                        },
                        "Vulnrichment (CISA ADP)",
                        Some(added),
                    )
                }),
                epss: Some(Fact::new(
                    Epss {
                        score: (i % 1000) as f64 / 1000.0,
                        percentile: 0.5,
                    },
                    "EPSS",
                    None,
                )),
                severity: None,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let Ok(policies) = PolicySet::builtin() else {
        return;
    };
    let engine = Engine::new(
        &policies,
        EpssThresholds {
            public_poc: Some(0.1),
            active: Some(0.9),
        },
    );
    let system = SystemContext {
        name: "bench".into(),
        category: Category::CivilianFederal,
        publicly_exposed: true,
        exposure_since: None,
        mission_prevalence: MissionPrevalence::Support,
        public_well_being: PublicWellBeing::Minimal,
        high_value_asset: false,
        last_asset_discovery: None,
        last_vulnerability_enumeration: None,
    };
    let detected = Date::from_calendar_date(2026, Month::November, 1).unwrap_or(Date::MIN);
    let facts = findings(100_000);
    let mut group = c.benchmark_group("prioritize");
    group.sample_size(10);
    group.throughput(Throughput::Elements(facts.len() as u64));
    group.bench_function("100k findings", |b| {
        b.iter(|| {
            let mut list: Vec<(Urgency, usize)> = facts
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let a = engine.assess(f, &system, detected);
                    let epss = f.epss.as_ref().map(|e| e.value.score);
                    (Urgency::of(&policies, &a, f.kev.is_some(), epss, None), i)
                })
                .collect();
            list.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            list.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
