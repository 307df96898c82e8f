//! Parsing throughput per scheme, on every version string of the shared OSV data.
//!
//! `cargo bench -p ch-versions --bench parse` (figures in docs/BENCHMARKS.md). A
//! check parses its query version once, so this bounds matching throughput.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use ch_test_support::mirror::SHARED_EXPORTS;
use ch_versions::Scheme;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// (benchmark name, ecosystem prefix in the data, scheme).
const SETS: &[(&str, &str, Scheme)] = &[
    ("rpm_almalinux", "AlmaLinux", Scheme::Rpm),
    ("apk_alpine", "Alpine", Scheme::Apk),
    ("pep440_pypi", "PyPI", Scheme::Pep440),
    ("composer_packagist", "Packagist", Scheme::Composer),
    ("go", "Go", Scheme::Go),
    ("semver_crates", "crates.io", Scheme::SemVer),
    ("npm", "npm", Scheme::Npm),
    ("rubygems", "RubyGems", Scheme::RubyGems),
];

fn bench(c: &mut Criterion) {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let zips: Vec<_> = SHARED_EXPORTS
        .iter()
        .map(|(_, rel)| data.join(rel))
        .collect();
    let mut group = c.benchmark_group("parse");
    for &(name, prefix, scheme) in SETS {
        let versions: Vec<String> = ch_test_support::osv_versions(&zips, prefix)
            .into_iter()
            .filter(|v| scheme.parse(v).is_ok())
            .collect();
        group.throughput(Throughput::Elements(versions.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0u64;
                for v in &versions {
                    n += black_box(scheme.parse(v)).is_ok() as u64;
                }
                n
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
