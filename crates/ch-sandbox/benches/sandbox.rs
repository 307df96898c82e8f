//! Start-up cost of one sandboxed command (`true`): namespaces, mounts, limits, wait.
//! Target (issue 5): under 50 ms per sample.

use std::time::Duration;

use ch_sandbox::{Config, Exec, Sandbox};
use criterion::{criterion_group, criterion_main, Criterion};

fn startup(c: &mut Criterion) {
    let sb = Sandbox::new(Config::default()).expect("bubblewrap");
    let work = tempfile::tempdir().expect("temp");
    let session = sb.session(work.path()).expect("session");
    let exec = Exec::new(&["true"]);
    let mut g = c.benchmark_group("sandbox");
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("run true (session reused)", |b| {
        b.iter(|| session.run(&exec).expect("runs"))
    });
    g.bench_function("session + run true", |b| {
        b.iter(|| sb.run(work.path(), &exec).expect("runs"))
    });
    g.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
