//! Harness overhead on multiple-choice samples against a loopback OpenAI-compatible
//! server that answers at once: what the harness adds per sample beyond the model's
//! latency (target: under 2 ms), and 1,000 samples with 64 concurrent requests.
//! Each iteration is a whole run: result file written, summary computed, signed.

use std::time::Duration;

use ch_eval_harness::{RunOptions, SampleLimits, Seed};
use ch_eval_provider::openai::OpenAi;
use ch_eval_provider::{Generation, Policy};
use ch_eval_result::{Key, ModelRef, Writer};
use ch_sandbox::{Config, Sandbox};
use ch_test_support::model_server::{ModelServer, Reply};
use criterion::{criterion_group, criterion_main, Criterion};

fn suite(dir: &std::path::Path, questions: usize) -> ch_eval_suite::Suite {
    std::fs::create_dir_all(dir.join("tasks/mc")).expect("mkdir");
    std::fs::write(
        dir.join("suite.toml"),
        "name = \"bench\"\nversion = \"1\"\nmarking = \"U\"\ntasks = [\"mc\"]\n",
    )
    .expect("write");
    let mut t = String::from("kind = \"multiple-choice\"\ncategory = \"knowledge\"\n");
    for i in 0..questions {
        t.push_str(&format!(
            "[[questions]]\nid = \"q{i}\"\nquestion = \"Question number {i}: which port does HTTPS use by default?\"\nchoices = [\"80\", \"443\", \"22\", \"25\"]\nanswer = \"B\"\n"
        ));
    }
    std::fs::write(dir.join("tasks/mc/task.toml"), t).expect("write");
    ch_eval_suite::load(dir).expect("suite")
}

fn run(
    suite: &ch_eval_suite::Suite,
    sandbox: &Sandbox,
    url: &str,
    key: &Key,
    out: &std::path::Path,
    concurrency: usize,
) {
    let provider = OpenAi::new(url, "bench", None, Policy::default());
    let opts = RunOptions {
        provider: &provider,
        generation: Generation::default(),
        limits: SampleLimits::default(),
        epochs: 1,
        concurrency,
        seed: Seed([7; 32]),
        prices: None,
    };
    let model = ModelRef {
        provider: "openai".into(),
        model: "bench".into(),
        base_url: Some(url.into()),
        command: None,
        generation: serde_json::json!({}),
    };
    let header = ch_eval_harness::header(
        suite,
        &[],
        model,
        &opts,
        serde_json::json!({}),
        "2026-11-27T00:00:00Z".into(),
    )
    .expect("header");
    let _ = std::fs::remove_file(out);
    let mut writer = Writer::open(out, header).expect("writer");
    ch_eval_harness::execute(suite, sandbox, &opts, &mut writer, &mut |_, _, _| {}).expect("run");
    writer.finish(key, "2026-11-27T00:00:01Z").expect("finish");
}

fn overhead(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp");
    let suite = suite(&dir.path().join("suite"), 1000);
    let sandbox = Sandbox::new(Config::default()).expect("bubblewrap");
    let server = ModelServer::start(|_| Reply::text("ANSWER: B"));
    let key = Key::generate(&dir.path().join("k.pem")).expect("key");
    let out = dir.path().join("r.jsonl");
    let url = server.openai_url();
    let mut g = c.benchmark_group("eval");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("1000 multiple-choice samples, concurrency 1", |b| {
        b.iter(|| run(&suite, &sandbox, &url, &key, &out, 1))
    });
    g.bench_function("1000 multiple-choice samples, concurrency 64", |b| {
        b.iter(|| run(&suite, &sandbox, &url, &key, &out, 64))
    });
    g.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
