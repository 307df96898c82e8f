//! Parse-and-score throughput per version, on the published reference vectors (each
//! iteration parses and scores every vector of a set once), and on the same vectors
//! with every temporal/threat, environmental and supplemental metric appended (the
//! longest vectors, and every equation). See docs/BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn vectors(file: &str, prefix: &str) -> Vec<String> {
    let Some(data) = ch_test_support::shared_data() else {
        return Vec::new();
    };
    let text =
        std::fs::read_to_string(data.join("testvectors/cvss").join(file)).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|v| v.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

const V31_ALL: &str = "/E:P/RL:O/RC:R/CR:H/IR:M/AR:L/MAV:A/MAC:H/MPR:L/MUI:R/MS:C/MC:L/MI:H/MA:N";
const V40_ALL: &str = "/E:P/CR:H/IR:M/AR:L/MAV:A/MAC:H/MAT:P/MPR:L/MUI:P/MVC:L/MVI:H/MVA:N\
                       /MSC:L/MSI:S/MSA:H/S:P/AU:Y/R:U/V:C/RE:M/U:Red";

fn with_suffix(vectors: Vec<String>, suffix: &str) -> Vec<String> {
    vectors.into_iter().map(|v| v + suffix).collect()
}

/// Every `severity[].score` of the given type in the shared OSV exports (advisory-level
/// and per affected package): the vectors a scan actually scores.
fn osv_vectors(kind: &str) -> Vec<String> {
    let Some(data) = ch_test_support::shared_data() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(&data) else {
        return out;
    };
    for dir in dirs.flatten() {
        let zip = dir.path().join("all.zip");
        if !zip.is_file() {
            continue;
        }
        for (_, record) in ch_test_support::osv_zip_records(&zip) {
            let affected = record["affected"].as_array().cloned().unwrap_or_default();
            let lists =
                std::iter::once(&record["severity"]).chain(affected.iter().map(|a| &a["severity"]));
            for list in lists {
                for s in list.as_array().into_iter().flatten() {
                    if s["type"] == kind {
                        if let Some(v) = s["score"].as_str() {
                            out.push(v.to_owned());
                        }
                    }
                }
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let sets = [
        ("OSV CVSS_V3", osv_vectors("CVSS_V3")),
        ("OSV CVSS_V4", osv_vectors("CVSS_V4")),
        ("v2.0", vectors("cvssv2_simple.tsv", "")),
        ("v3.1", vectors("cvssv3.1_simple.tsv", "CVSS:3.1/")),
        ("v4.0", {
            let mut v = vectors("cvssv4.0_simple.tsv", "CVSS:4.0/");
            v.extend(vectors("cvssv4.0_supplemental.tsv", "CVSS:4.0/"));
            v
        }),
        (
            "v3.1 all groups",
            with_suffix(vectors("cvssv3.1_simple.tsv", "CVSS:3.1/"), V31_ALL),
        ),
        (
            "v4.0 all groups",
            with_suffix(vectors("cvssv4.0_simple.tsv", "CVSS:4.0/"), V40_ALL),
        ),
    ];
    let mut group = c.benchmark_group("parse_and_score");
    for (name, set) in &sets {
        if set.is_empty() {
            continue;
        }
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut total = 0u32;
                for v in set {
                    if let Ok(cvss) = ch_cvss::Cvss::parse(black_box(v)) {
                        total += u32::from(cvss.score().tenths());
                    }
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
