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
    let all: Vec<&Check> = checks.iter().collect();

    // One check per distinct package the data names (at a version its events name),
    // the shape of an SBOM whose every component has advisories.
    let mut seen = std::collections::HashSet::new();
    let per_package: Vec<&Check> = checks
        .iter()
        .filter(|c| !c.name_key.ends_with("-unlisted"))
        .filter(|c| seen.insert((c.ecosystem.to_string(), c.name_key.clone())))
        .collect();

    // One check per distinct package at the newest version its events name (often
    // the latest fix: an up-to-date inventory), and as many packages no advisory
    // names (most components of a real SBOM): the shape of a routine scan.
    let routine = routine(&checks);
    let routine: Vec<&Check> = routine.iter().collect();
    let hits = run(&matcher, routine.iter().copied(), &mut Vec::new());
    eprintln!(
        "routine scan: {} checks, {hits} affected entries found",
        routine.len()
    );
    breakdown(&matcher, &routine);

    let workloads = [
        ("check_all_shared_versions", &all, 10),
        ("check_one_version_per_package", &per_package, 20),
        ("routine_scan_newest_versions", &routine, 20),
    ];
    if let Some(passes) = std::env::var_os("BENCH_INTERLEAVED") {
        let passes = passes.to_str().and_then(|p| p.parse().ok()).unwrap_or(60);
        return interleaved(&matcher, &workloads, passes);
    }
    for (name, workload, samples) in workloads {
        let mut group = c.benchmark_group("matcher");
        group.throughput(Throughput::Elements(workload.len() as u64));
        group.sample_size(samples);
        group.bench_function(name, |b| {
            let mut out = Vec::with_capacity(64);
            b.iter(|| black_box(run(&matcher, workload.iter().copied(), &mut out)));
        });
        let batch = queries(workload.iter().copied());
        group.bench_function(format!("{name}_batch"), |b| {
            let mut results = BatchResults::default();
            b.iter(|| black_box(run_batch(&matcher, &batch, &mut results)));
        });
        group.finish();
    }

    let mut group = c.benchmark_group("query");
    group.bench_function("indexed_query_jinja2", |b| {
        let eco = Ecosystem::parse("PyPI").unwrap();
        b.iter(|| black_box(db.query(&eco, "jinja2", "2.4.1").unwrap().len()));
    });
    group.finish();
}

/// The routine-scan workload: each named package at the newest version its events
/// name, and the same number of packages no advisory names.
fn routine(checks: &[Check]) -> Vec<Check> {
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
    let mut routine = Vec::new();
    for (_, (_, check)) in newest {
        for name_key in [
            check.name_key.clone(),
            format!("{}-unlisted", check.name_key),
        ] {
            routine.push(Check {
                ecosystem: check.ecosystem.clone(),
                name_key,
                version: check.version.clone(),
            });
        }
    }
    routine
}

/// With `BENCH_INTERLEAVED=N`: N rounds, each running one pass of every workload
/// with `check` and with `check_batch`, then the best and median pass per
/// (workload, method). Slow drifts of this VM's speed then fall on every figure
/// alike, which criterion's one-benchmark-after-another runs do not give.
fn interleaved(
    matcher: &ch_advisory_db::Matcher,
    workloads: &[(&str, &Vec<&Check>, usize)],
    passes: usize,
) {
    let batches: Vec<Vec<Query<'_>>> = workloads
        .iter()
        .map(|(_, w, _)| queries(w.iter().copied()))
        .collect();
    let mut times = vec![[Vec::new(), Vec::new()]; workloads.len()];
    let (mut out, mut results) = (Vec::with_capacity(64), BatchResults::default());
    for _ in 0..passes {
        for (i, (_, workload, _)) in workloads.iter().enumerate() {
            let t = std::time::Instant::now();
            black_box(run(matcher, workload.iter().copied(), &mut out));
            times[i][0].push(t.elapsed().as_secs_f64());
            let t = std::time::Instant::now();
            black_box(run_batch(matcher, &batches[i], &mut results));
            times[i][1].push(t.elapsed().as_secs_f64());
        }
    }
    println!(
        "| workload | checks | check best | check median | check_batch best | check_batch median |"
    );
    println!("|---|---|---|---|---|---|");
    for ((name, workload, _), [single, batch]) in workloads.iter().zip(&mut times) {
        let n = workload.len() as f64;
        let cell = |t: &mut Vec<f64>| {
            t.sort_by(f64::total_cmp);
            (n / t[0] / 1e6, n / t[t.len() / 2] / 1e6)
        };
        let ((sb, sm), (bb, bm)) = (cell(single), cell(batch));
        println!(
            "| {name} | {} | {sb:.2} | {sm:.2} | {bb:.2} | {bm:.2} |",
            workload.len()
        );
    }
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
