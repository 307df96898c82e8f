//! Matching throughput against the full shared advisory data.
//!
//! `cargo bench -p ch-advisory-db --bench matching` (figures in docs/BENCHMARKS.md).
//! Setup (not timed): import every OSV set of the shared data into a temporary
//! database, load the in-memory matcher, and build the (package, version) checks:
//! for every affected entry of every advisory, each version its events name and a
//! version just below and above, plus versions of packages no advisory names.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use ch_advisory_db::{AdvisoryDb, BatchResults, Query};
use ch_test_support::mirror::SHARED_EXPORTS;
use ch_types::{normalize_name, Ecosystem};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

struct Check {
    ecosystem: Ecosystem,
    name_key: String,
    version: String,
}

fn checks(data: &std::path::Path) -> Vec<Check> {
    let mut out = Vec::new();
    for (_, rel) in SHARED_EXPORTS {
        for (_, record) in ch_test_support::osv_zip_records(&data.join(rel)) {
            for affected in record["affected"].as_array().into_iter().flatten() {
                let eco = affected["package"]["ecosystem"].as_str().unwrap_or("");
                let name = affected["package"]["name"].as_str().unwrap_or("");
                let Ok(ecosystem) = Ecosystem::parse(eco) else {
                    continue;
                };
                let name_key = normalize_name(ecosystem.kind(), name);
                for range in affected["ranges"].as_array().into_iter().flatten() {
                    for event in range["events"].as_array().into_iter().flatten() {
                        for value in event
                            .as_object()
                            .into_iter()
                            .flatten()
                            .filter_map(|(_, v)| v.as_str())
                        {
                            if value == "0" || value == "*" || range["type"] == "GIT" {
                                continue;
                            }
                            out.push(Check {
                                ecosystem: ecosystem.clone(),
                                name_key: name_key.clone(),
                                version: value.to_owned(),
                            });
                            // A package no advisory names: the index miss path.
                            out.push(Check {
                                ecosystem: ecosystem.clone(),
                                name_key: format!("{name_key}-unlisted"),
                                version: value.to_owned(),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut db = AdvisoryDb::open_or_create(&dir.path().join("bench.db")).unwrap();
    for (_, rel) in SHARED_EXPORTS {
        db.import_path(&data.join(rel)).unwrap();
    }
    let matcher = db.matcher().unwrap();
    let checks = checks(&data);
    eprintln!("{} checks; matcher {:?}", checks.len(), matcher.stats());
    breakdown(&matcher, &checks.iter().collect::<Vec<_>>());

    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Elements(checks.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("check_all_shared_versions", |b| {
        let mut out = Vec::with_capacity(64);
        b.iter(|| black_box(run(&matcher, checks.iter(), &mut out)));
    });
    let queries_all = queries(checks.iter());
    group.bench_function("check_all_shared_versions_batch", |b| {
        let mut results = BatchResults::default();
        b.iter(|| black_box(run_batch(&matcher, &queries_all, &mut results)));
    });
    group.finish();

    // One check per distinct package the data names (at a version its events name),
    // the shape of an SBOM whose every component has advisories.
    let mut seen = std::collections::HashSet::new();
    let per_package: Vec<&Check> = checks
        .iter()
        .filter(|c| !c.name_key.ends_with("-unlisted"))
        .filter(|c| seen.insert((c.ecosystem.to_string(), c.name_key.clone())))
        .collect();
    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Elements(per_package.len() as u64));
    group.sample_size(20);
    group.bench_function("check_one_version_per_package", |b| {
        let mut out = Vec::with_capacity(64);
        b.iter(|| black_box(run(&matcher, per_package.iter().copied(), &mut out)));
    });
    let queries_per_package = queries(per_package.iter().copied());
    group.bench_function("check_one_version_per_package_batch", |b| {
        let mut results = BatchResults::default();
        b.iter(|| black_box(run_batch(&matcher, &queries_per_package, &mut results)));
    });
    group.finish();

    // One check per distinct package at the newest version its events name (often
    // the latest fix: an up-to-date inventory), and as many packages no advisory
    // names (most components of a real SBOM): the shape of a routine scan.
    let mut newest: std::collections::HashMap<(String, String), (ch_versions::Version, &Check)> =
        Default::default();
    for check in checks.iter().filter(|c| !c.name_key.ends_with("-unlisted")) {
        let Ok(v) = ch_osv::scheme_for(&check.ecosystem).parse(&check.version) else {
            continue;
        };
        let key = (check.ecosystem.to_string(), check.name_key.clone());
        match newest.get(&key) {
            Some((old, _)) if *old >= v => {}
            _ => {
                newest.insert(key, (v, check));
            }
        }
    }
    let mut routine: Vec<Check> = Vec::new();
    for (_, (_, check)) in newest {
        routine.push(Check {
            ecosystem: check.ecosystem.clone(),
            name_key: check.name_key.clone(),
            version: check.version.clone(),
        });
        routine.push(Check {
            ecosystem: check.ecosystem.clone(),
            name_key: format!("{}-unlisted", check.name_key),
            version: check.version.clone(),
        });
    }
    let hits: usize = routine
        .iter()
        .map(|c| {
            let mut out = Vec::new();
            let _ = matcher.check(&c.ecosystem, &c.name_key, &c.version, &mut out);
            out.len()
        })
        .sum();
    eprintln!(
        "routine scan: {} checks, {hits} affected entries found",
        routine.len()
    );
    breakdown(&matcher, &routine.iter().collect::<Vec<_>>());
    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Elements(routine.len() as u64));
    group.sample_size(20);
    group.bench_function("routine_scan_newest_versions", |b| {
        let mut out = Vec::with_capacity(64);
        b.iter(|| black_box(run(&matcher, routine.iter(), &mut out)));
    });
    let queries_routine = queries(routine.iter());
    group.bench_function("routine_scan_newest_versions_batch", |b| {
        let mut results = BatchResults::default();
        b.iter(|| black_box(run_batch(&matcher, &queries_routine, &mut results)));
    });
    group.finish();

    let mut group = c.benchmark_group("query");
    group.bench_function("indexed_query_jinja2", |b| {
        let eco = Ecosystem::parse("PyPI").unwrap();
        b.iter(|| black_box(db.query(&eco, "jinja2", "2.4.1").unwrap().len()));
    });
    group.finish();
}

/// Runs every check; returns the number of affected entries found.
fn run<'a>(
    matcher: &ch_advisory_db::Matcher,
    checks: impl Iterator<Item = &'a Check>,
    out: &mut Vec<u32>,
) -> usize {
    let mut n = 0;
    for check in checks {
        out.clear();
        if matcher
            .check(&check.ecosystem, &check.name_key, &check.version, out)
            .is_ok()
        {
            n += out.len();
        }
    }
    n
}

fn queries<'a>(checks: impl Iterator<Item = &'a Check>) -> Vec<Query<'a>> {
    checks
        .map(|c| Query {
            ecosystem: &c.ecosystem,
            name_key: &c.name_key,
            version: &c.version,
        })
        .collect()
}

/// Runs every check through [`ch_advisory_db::Matcher::check_batch`]; returns the
/// number of affected entries found.
fn run_batch(
    matcher: &ch_advisory_db::Matcher,
    queries: &[Query<'_>],
    results: &mut BatchResults,
) -> usize {
    matcher.check_batch(queries, results);
    (0..results.len())
        .filter_map(|i| results.get(i)?.ok())
        .map(<[u32]>::len)
        .sum()
}

/// With `BENCH_BREAKDOWN` set, prints the time per check for each ecosystem.
fn breakdown(matcher: &ch_advisory_db::Matcher, checks: &[&Check]) {
    if std::env::var_os("BENCH_BREAKDOWN").is_none() {
        return;
    }
    let mut per: std::collections::BTreeMap<String, (usize, Duration, usize)> = Default::default();
    let mut out = Vec::new();
    for check in checks {
        let t = std::time::Instant::now();
        out.clear();
        let _ = matcher.check(&check.ecosystem, &check.name_key, &check.version, &mut out);
        let e = per.entry(check.ecosystem.base().to_owned()).or_default();
        e.0 += 1;
        e.1 += t.elapsed();
        e.2 += out.len();
    }
    for (k, (n, d, hits)) in per {
        eprintln!(
            "{k:12} {n:8} checks {:8.1} ms {:8.0} ns/check {hits} hits",
            d.as_secs_f64() * 1e3,
            d.as_nanos() as f64 / n as f64
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
