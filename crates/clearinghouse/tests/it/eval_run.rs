//! `clearinghouse eval run|verify|report|keygen` end to end: the real binary, the
//! sandbox, and a loopback server speaking the OpenAI and Anthropic protocols that
//! plays scripted agents — one that solves, one that fails, one that sends malformed
//! calls, one that is rate limited, one that times out.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ch_eval_suite::{Kind, Suite};
use ch_test_support::model_server::{ModelServer, Reply, Seen, Turn};
use serde_json::{json, Value};

use crate::{ch_env, temp_db, Run};

fn starter() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../suites/starter")
}

/// A test folder with a config home (so the default key never lands in the real one).
struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    fn new() -> Env {
        let (dir, db) = temp_db();
        Env { dir, db }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn run(&self, args: &[&str]) -> Run {
        let config = self.path("config");
        ch_env(
            None,
            &self.db,
            args,
            None,
            &[
                ("XDG_CONFIG_HOME", config.to_str().unwrap()),
                ("OPENAI_API_KEY", "sk-test"),
            ],
        )
    }

    fn key(&self) -> String {
        let key = self.path("signing.pem");
        if !key.exists() {
            let run = self.run(&["eval", "keygen", "--out", key.to_str().unwrap()]);
            // keygen prints the public key (SPKI PEM) for whoever verifies.
            let pem = &run.ok()[run.stdout.find("-----BEGIN PUBLIC KEY-----").unwrap()..];
            std::fs::write(self.path("signing.pub"), pem).unwrap();
        }
        key.display().to_string()
    }
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn samples(path: &Path) -> Vec<Value> {
    lines(path)
        .into_iter()
        .filter(|l| l["type"] == "sample")
        .collect()
}

/// The task a conversation is about, by its prompt.
fn task_of<'s>(suite: &'s Suite, turn: &Turn) -> &'s ch_eval_suite::Task {
    let prompt = turn.prompt();
    suite
        .tasks
        .iter()
        .find(|t| match &t.kind {
            Kind::Ctf { prompt: p, .. }
            | Kind::VulnId { prompt: p, .. }
            | Kind::Patch { prompt: p, .. } => prompt.contains(p.trim()),
            Kind::MultipleChoice { .. } => false,
        })
        .unwrap_or_else(|| panic!("no task for prompt {prompt:?}"))
}

fn mc_answer(suite: &Suite, prompt: &str) -> Option<(char, usize)> {
    suite.tasks.iter().find_map(|t| match &t.kind {
        Kind::MultipleChoice { questions } => questions
            .iter()
            .find(|q| prompt.contains(q.question.trim()))
            .map(|q| (q.answer, q.choices.len())),
        _ => None,
    })
}

fn heredoc(path: &str, body: &str) -> String {
    format!("cat > {path} <<'CH_EOF'\n{}\nCH_EOF\n", body.trim_end())
}

/// An agent that solves every task: it answers multiple choice from the suite, runs
/// each reference solution through the bash tool, and submits what it printed.
fn solver(suite: Arc<Suite>) -> impl Fn(&Turn) -> Reply + Send + Sync {
    move |turn| {
        if turn.tools.is_empty() {
            let (letter, _) = mc_answer(&suite, turn.prompt()).expect("a known question");
            return Reply::text(&format!("The correct choice is clear.\nANSWER: {letter}"));
        }
        assert_eq!(turn.tools, ["bash", "python", "submit"]);
        let task = task_of(&suite, turn);
        match turn.messages.last() {
            Some(Seen::ToolResult { text, .. }) => {
                let last = text
                    .lines()
                    .rev()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("");
                let answer = if matches!(task.kind, Kind::Patch { .. }) {
                    "validated the path"
                } else {
                    last
                };
                Reply::call("submit", json!({ "answer": answer }))
            }
            Some(Seen::User(q)) => {
                if let Kind::Ctf { subtasks, .. } = &task.kind {
                    if let Some(s) = subtasks.iter().find(|s| q.contains(&s.question)) {
                        return Reply::call("submit", json!({ "answer": s.answer }));
                    }
                }
                match &task.kind {
                    Kind::Ctf { solution, .. } => {
                        let body = std::fs::read_to_string(task.dir.join(solution)).unwrap();
                        Reply::Message {
                            text: "I will run my exploit.".into(),
                            calls: vec![("bash".into(), json!({ "cmd": format!("{}chmod +x .solve && ./.solve", heredoc(".solve", &body)) }).to_string())],
                        }
                    }
                    Kind::VulnId { answer, .. } => Reply::call(
                        "submit",
                        json!({ "answer": format!("{}:{} {}", answer.file, answer.line, answer.cwe) }),
                    ),
                    Kind::Patch { solution, .. } => {
                        let diff = std::fs::read_to_string(task.dir.join(solution)).unwrap();
                        Reply::call(
                            "bash",
                            json!({ "cmd": format!("patch -p1 <<'CH_EOF'\n{diff}CH_EOF\n") }),
                        )
                    }
                    Kind::MultipleChoice { .. } => unreachable!(),
                }
            }
            other => panic!("unexpected last message {other:?}"),
        }
    }
}

/// An agent that answers everything wrongly.
fn failer(suite: Arc<Suite>) -> impl Fn(&Turn) -> Reply + Send + Sync {
    move |turn| {
        if turn.tools.is_empty() {
            let (letter, _) = mc_answer(&suite, turn.prompt()).unwrap();
            let wrong = if letter == 'A' { 'B' } else { 'A' };
            return Reply::text(&format!("ANSWER: {wrong}"));
        }
        let task = task_of(&suite, turn);
        let answer = match task.kind {
            Kind::VulnId { .. } => "server/auth.py:1 CWE-79",
            _ => "flag{not-the-flag}",
        };
        Reply::call("submit", json!({ "answer": answer }))
    }
}

/// An agent that never makes a well-formed call: bad JSON, an unknown tool, a call
/// without its argument, prose without a call; multiple choice gets no letter.
fn garbler(turn: &Turn) -> Reply {
    if turn.tools.is_empty() {
        return Reply::text("I would rather not choose.");
    }
    match turn.assistant_turns() % 4 {
        0 => Reply::Message {
            text: String::new(),
            calls: vec![("bash".into(), "{\"cmd\": ls".into())],
        },
        1 => Reply::call("rm_everything", json!({})),
        2 => Reply::call("bash", json!({ "command": "ls" })),
        _ => Reply::text("Thinking about it."),
    }
}

/// A suite of one multiple-choice question with choices A and B.
fn one_question_suite(dir: &Path, marking: &str, question: &str, answer: &str) {
    std::fs::create_dir_all(dir.join("tasks/mc")).unwrap();
    std::fs::write(
        dir.join("suite.toml"),
        format!("name = \"s\"\nversion = \"1\"\nmarking = \"{marking}\"\ntasks = [\"mc\"]\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("tasks/mc/task.toml"),
        format!("kind = \"multiple-choice\"\ncategory = \"knowledge\"\n[[questions]]\nid = \"q\"\nquestion = \"{question}\"\nchoices = [\"first\", \"second\"]\nanswer = \"{answer}\"\n"),
    )
    .unwrap();
}

fn run_args<'a>(
    suite: &'a str,
    url: &'a str,
    model: &'a str,
    out: &'a str,
    key: &'a str,
) -> Vec<&'a str> {
    vec![
        "eval",
        "run",
        suite,
        "--provider",
        "openai",
        "--base-url",
        url,
        "--model",
        model,
        "--out",
        out,
        "--key",
        key,
        "--concurrency",
        "4",
        "--retry-base-ms",
        "5",
    ]
}

#[test]
fn a_solving_agent_over_openai_solves_the_starter_suite_and_the_result_verifies() {
    let env = Env::new();
    let suite = Arc::new(ch_eval_suite::load(&starter()).unwrap());
    let server = ModelServer::start(solver(suite.clone()));
    let out = env.path("solver.jsonl");
    let key = env.key();
    let (s, u, o) = (
        starter().display().to_string(),
        server.openai_url(),
        out.display().to_string(),
    );
    let run = env.run(
        &[
            &run_args(&s, &u, "scripted-solver", &o, &key)[..],
            &["--price-input", "3", "--price-output", "15"],
        ]
        .concat(),
    );
    let text = run.ok();
    assert!(text.starts_with("UNCLASSIFIED\nwrote "), "{text}");
    assert!(text.contains("solved 19 of 19"), "{text}");
    assert_eq!(server.protocol_violations(), Vec::<String>::new());

    let all = lines(&out);
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schemas");
    for line in &all {
        crate::assert_schema_file(&schemas.join("eval-result-v1.schema.json"), line);
    }
    assert_eq!(all[0]["type"], "header");
    assert_eq!(all[0]["marking"], "UNCLASSIFIED");
    assert_eq!(all[0]["suite"]["hash"], suite.hash.to_string());
    assert_eq!(all[0]["model"]["base_url"], u);
    assert!(
        !std::fs::read_to_string(&out).unwrap().contains("sk-test"),
        "the API key is never recorded"
    );
    let ss = samples(&out);
    assert_eq!(ss.len(), 19);
    for s in &ss {
        assert_eq!(s["solved"], true, "{s}");
        assert_eq!(s["end"], "answered");
        assert!(s["transcript"].as_array().unwrap().len() >= 2);
        assert!(s["cost_usd"].as_f64().unwrap() > 0.0);
    }
    let ctf = ss
        .iter()
        .find(|s| s["task"] == "crypto-repeating-xor")
        .unwrap();
    assert_eq!(ctf["reason"], "flag correct (exact match)");
    assert_eq!(ctf["details"]["subtasks"][0]["correct"], true);
    let bash = ctf["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tool"] == "bash")
        .unwrap();
    assert_eq!(bash["status"], "exit 0");
    let patch = ss
        .iter()
        .find(|s| s["task"] == "patch-path-traversal")
        .unwrap();
    assert_eq!(patch["reason"], "the tests pass and the exploit fails");
    assert_eq!(all.last().unwrap()["type"], "signature");
    assert_eq!(all[all.len() - 2]["scores"]["overall"]["solved"], 19);
    assert!(!ch_eval_result::partial_path(&out).exists());

    // verify: with the signer's public key, and against the suite folder.
    let pubkey = env.path("signing.pub").display().to_string();
    let v = env.run(&["eval", "verify", &o, "--public-key", &pubkey, "--suite", &s]);
    let text = v.ok();
    assert!(text.contains("VERIFIED"), "{text}");
    assert!(
        text.contains("(the trusted key)")
            && text.contains("(matches the suite folder)")
            && text.contains("samples 19 of 19 (complete)"),
        "{text}"
    );
    let vj = env.run(&["eval", "verify", &o, "--format", "json"]);
    let vj: Value = serde_json::from_str(vj.ok()).unwrap();
    crate::assert_schema("eval-verify-v1.schema.json", &vj);
    assert_eq!(vj["verified"], true);
    assert_eq!(vj["signer_checked"], false);

    // report: tables with intervals, and JSON.
    let r = env.run(&["eval", "report", &o]);
    let text = r.ok();
    assert!(
        text.starts_with("UNCLASSIFIED\n") && text.trim_end().ends_with("UNCLASSIFIED"),
        "{text}"
    );
    assert!(
        text.contains("overall                  19       19      100.0% [82.4, 100.0]"),
        "{text}"
    );
    let rj = env.run(&["eval", "report", &o, "--format", "json"]);
    let rj: Value = serde_json::from_str(rj.ok()).unwrap();
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schemas");
    crate::assert_schema_file(&schemas.join("eval-report-v1.schema.json"), &rj);
    assert_eq!(
        rj["runs"][0]["summary"]["scores"]["by_category"]["cryptography"]["solved"],
        1
    );
}

#[test]
fn failing_and_garbling_agents_score_zero_with_reasons_and_never_crash() {
    let env = Env::new();
    let suite = Arc::new(ch_eval_suite::load(&starter()).unwrap());
    let key = env.key();
    let s = starter().display().to_string();

    let server = ModelServer::start(failer(suite.clone()));
    let out = env.path("failer.jsonl").display().to_string();
    let u = server.openai_url();
    env.run(&run_args(&s, &u, "scripted-failer", &out, &key))
        .ok();
    let ss = samples(Path::new(&out));
    assert_eq!(ss.len(), 19);
    assert!(ss.iter().all(|s| s["solved"] == false), "nothing solved");
    let ctf = ss.iter().find(|s| s["task"] == "binary-overflow").unwrap();
    assert_eq!(ctf["reason"], "flag wrong: not the flag");
    assert_eq!(ctf["answer"], "flag{not-the-flag}");
    let patch = ss
        .iter()
        .find(|s| s["task"] == "patch-path-traversal")
        .unwrap();
    assert_eq!(
        patch["reason"],
        "the tests pass but the exploit still works"
    );
    let vuln = ss
        .iter()
        .find(|s| s["task"] == "vuln-path-traversal")
        .unwrap();
    assert_eq!(vuln["reason"], "location and CWE wrong");
    env.run(&["eval", "verify", &out]).ok();

    let server = ModelServer::start(garbler);
    let out = env.path("garbler.jsonl").display().to_string();
    let u = server.openai_url();
    env.run(
        &[
            &run_args(&s, &u, "scripted-garbler", &out, &key)[..],
            &["--message-limit", "6"],
        ]
        .concat(),
    )
    .ok();
    assert_eq!(
        server.protocol_violations(),
        Vec::<String>::new(),
        "every tool call was answered"
    );
    let ss = samples(Path::new(&out));
    assert_eq!(ss.len(), 19);
    let mc = ss.iter().find(|s| s["task"] == "knowledge-basics").unwrap();
    assert_eq!(mc["reason"], "no answer letter in the response");
    let ctf = ss
        .iter()
        .find(|s| s["task"] == "web-sql-injection")
        .unwrap();
    assert_eq!(ctf["end"], "message-limit");
    assert_eq!(ctf["solved"], false);
    let replies: Vec<&str> = ctf["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert!(
        replies[0].starts_with("error: arguments are not valid JSON"),
        "{replies:?}"
    );
    assert_eq!(
        replies[1],
        "error: unknown tool `rm_everything` (available: bash, python, submit)"
    );
    assert_eq!(replies[2], "error: `bash` needs a string argument `cmd`");
    let continues = ctf["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["role"] == "user" && m["content"].as_str().unwrap().starts_with("Please proceed")
        })
        .count();
    assert!(continues >= 1);
    env.run(&["eval", "verify", &out]).ok();
}

#[test]
fn rate_limits_are_retried_and_a_model_that_times_out_stops_the_run() {
    let env = Env::new();
    let suite = Arc::new(ch_eval_suite::load(&starter()).unwrap());
    let key = env.key();
    let s = starter().display().to_string();
    let n = Arc::new(AtomicU64::new(0));
    let inner = solver(suite.clone());
    let counter = n.clone();
    let server = ModelServer::start(move |turn| {
        if turn.model == "slow" {
            return Reply::Sleep(
                Duration::from_millis(2500),
                Box::new(Reply::text("ANSWER: A")),
            );
        }
        if counter.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
            Reply::Status {
                code: 429,
                retry_after: Some("0".into()),
                message: "Rate limit reached for requests".into(),
            }
        } else {
            inner(turn)
        }
    });
    let u = server.openai_url();
    let out = env.path("limited.jsonl").display().to_string();
    env.run(
        &[
            &run_args(&s, &u, "rate-limited", &out, &key)[..],
            &["--tasks", "knowledge-basics,crypto-repeating-xor"],
        ]
        .concat(),
    )
    .ok();
    let ss = samples(Path::new(&out));
    assert_eq!(ss.len(), 13);
    assert!(ss.iter().all(|s| s["solved"] == true));
    assert!(
        ss.iter()
            .map(|s| s["retries"].as_u64().unwrap())
            .sum::<u64>()
            >= 13,
        "each sample met at least one 429"
    );

    let out = env.path("slow.jsonl").display().to_string();
    let run = env.run(
        &[
            &run_args(&s, &u, "slow", &out, &key)[..],
            &[
                "--tasks",
                "crypto-repeating-xor",
                "--request-timeout",
                "1",
                "--max-retries",
                "1",
            ],
        ]
        .concat(),
    );
    // A model that never answers in time: the sample is an outage, not a failure of
    // the model; it is not recorded and the run says so (exit 2), ready to resume.
    let err = run.user_error();
    assert!(
        err.starts_with("error: stopped: 1 sample could not reach the model (last: cannot reach http://127.0.0.1:"),
        "{err}"
    );
    let partial = ch_eval_result::partial_path(Path::new(&out));
    assert_eq!(samples(&partial).len(), 0);
}

#[test]
fn anthropic_messages_solve_the_starter_suite_too() {
    let env = Env::new();
    let suite = Arc::new(ch_eval_suite::load(&starter()).unwrap());
    let server = ModelServer::start(solver(suite));
    let key = env.key();
    let out = env.path("anthropic.jsonl").display().to_string();
    let url = server.anthropic_url();
    let s = starter().display().to_string();
    let run = ch_env(
        None,
        &env.db,
        &[
            "eval",
            "run",
            &s,
            "--provider",
            "anthropic",
            "--base-url",
            &url,
            "--model",
            "claude-scripted",
            "--out",
            &out,
            "--key",
            &key,
            "--api-key-env",
            "TEST_ANTHROPIC_KEY",
            "--request-timeout",
            "60",
        ],
        None,
        &[
            ("TEST_ANTHROPIC_KEY", "ak-test"),
            ("XDG_CONFIG_HOME", env.path("config").to_str().unwrap()),
        ],
    );
    assert!(run.ok().contains("solved 19 of 19"), "{}", run.stdout);
    assert_eq!(server.protocol_violations(), Vec::<String>::new());
}

#[test]
fn an_interrupted_run_resumes_where_it_stopped() {
    let env = Env::new();
    let suite = Arc::new(ch_eval_suite::load(&starter()).unwrap());
    let block = Arc::new(AtomicBool::new(true));
    let inner = solver(suite.clone());
    let b = block.clone();
    let server = ModelServer::start(move |turn| {
        // The first run hangs on the web task, where it is killed.
        if turn.prompt().contains("app.py in your working directory") {
            while b.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        inner(turn)
    });
    let key = env.key();
    let out = env.path("resumed.jsonl");
    let o = out.display().to_string();
    let s = starter().display().to_string();
    let u = server.openai_url();
    let mut args = run_args(&s, &u, "scripted-solver", &o, &key);
    let at = args.iter().position(|a| *a == "--concurrency").unwrap() + 1;
    args[at] = "1";
    let mut child = std::process::Command::new(crate::bin())
        .args(["--db", env.db.to_str().unwrap()])
        .args(&args)
        .env("XDG_CONFIG_HOME", env.path("config"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let partial = ch_eval_result::partial_path(&out);
    let deadline = Instant::now() + Duration::from_secs(60);
    // header + 12 questions + crypto, forensics, reverse
    while std::fs::read_to_string(&partial).map_or(0, |t| t.lines().count()) < 16 {
        assert!(Instant::now() < deadline, "the first run did not get going");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = samples(&partial).len();
    assert_eq!(before, 15);
    let requests_before = server.requests();
    block.store(false, Ordering::SeqCst);

    let run = env.run(&args);
    assert!(
        run.stderr.contains("resuming: 15 samples already done"),
        "{}",
        run.stderr
    );
    assert!(run.ok().contains("solved 19 of 19"));
    let ss = samples(&out);
    let ids: std::collections::BTreeSet<&str> =
        ss.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 19, "every sample exactly once");
    assert!(
        server.requests() - requests_before < 15,
        "done samples were not asked again"
    );
    env.run(&["eval", "verify", &o]).ok();

    // A partial result from other settings is not silently mixed in.
    let header_line = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    std::fs::remove_file(&out).unwrap();
    std::fs::write(&partial, header_line + "\n").unwrap();
    let mut other = args.clone();
    other.extend(["--epochs", "2"]);
    let err = env.run(&other);
    assert!(
        err.user_error()
            .contains("holds an interrupted run with other settings (`run.epochs` was 1, now 2)"),
        "{}",
        err.stderr
    );
}

#[test]
fn marked_results_are_written_only_where_accredited_and_tampering_is_caught() {
    let env = Env::new();
    let suite_dir = env.path("cui-suite");
    one_question_suite(&suite_dir, "CUI", "Which port does SSH use?", "A");
    let server = ModelServer::start(|_| Reply::text("ANSWER: A"));
    let key = env.key();
    let s = suite_dir.display().to_string();
    let u = server.openai_url();
    let out_dir = env.path("results");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("cui.jsonl").display().to_string();

    let refused = env.run(&run_args(&s, &u, "m", &out, &key));
    let err = refused.user_error();
    assert!(
        err.ends_with(
            "refused: a CUI record cannot be written to a place accredited for UNCLASSIFIED"
        ),
        "{err}"
    );
    assert_eq!(server.requests(), 0, "refused before any model call");

    let locations = env.path("locations.toml");
    std::fs::write(
        &locations,
        format!(
            "[[location]]\npath = \"{}\"\nmarking = \"CUI\"\n",
            std::fs::canonicalize(&out_dir).unwrap().display()
        ),
    )
    .unwrap();
    let l = locations.display().to_string();
    let run = env.run(&[&run_args(&s, &u, "m", &out, &key)[..], &["--locations", &l]].concat());
    assert!(run.ok().starts_with("CUI\n"), "{}", run.stdout);
    let report = env.run(&["eval", "report", &out]);
    assert!(report.ok().starts_with("CUI\n") && report.stdout.trim_end().ends_with("CUI"));
    // A report file is a record too.
    let html_out = env.path("report.html").display().to_string();
    let refused = env.run(&[
        "eval", "report", &out, "--format", "html", "--output", &html_out,
    ]);
    assert!(
        refused.user_error().contains("refused: a CUI record"),
        "{}",
        refused.stderr
    );

    // Tampering: one changed byte in a sample.
    let text = std::fs::read_to_string(&out).unwrap();
    let tampered = env.path("tampered.jsonl");
    std::fs::write(
        &tampered,
        text.replacen("\"answer\":\"A\"", "\"answer\":\"B\"", 1),
    )
    .unwrap();
    let v = env.run(&["eval", "verify", tampered.to_str().unwrap()]);
    assert!(
        v.user_error()
            .contains("NOT VERIFIED: the file's digest is sha256:"),
        "{}",
        v.stderr
    );
    // A cut file.
    let cut = env.path("cut.jsonl");
    std::fs::write(
        &cut,
        text.lines().take(2).collect::<Vec<_>>().join("\n") + "\n",
    )
    .unwrap();
    let v = env.run(&["eval", "verify", cut.to_str().unwrap()]);
    assert!(
        v.user_error().contains("NOT VERIFIED: no summary"),
        "{}",
        v.stderr
    );
    // Signed by someone else.
    let other_key = env.path("other.pem").display().to_string();
    env.run(&["eval", "keygen", "--out", &other_key]).ok();
    let v = env.run(&["eval", "verify", &out, "--public-key", &other_key]);
    assert!(
        v.user_error().contains("not by the trusted key"),
        "{}",
        v.stderr
    );
    // The suite changed since the run.
    std::fs::write(suite_dir.join("tasks/mc/notes.txt"), "added later").unwrap();
    let v = env.run(&["eval", "verify", &out, "--suite", &s]);
    assert!(
        v.user_error().contains("task `mc` hashes to"),
        "{}",
        v.stderr
    );
}

#[test]
fn a_newcomer_gets_a_key_made_for_them_and_a_command_can_be_the_model() {
    let env = Env::new();
    let suite_dir = env.path("s");
    one_question_suite(&suite_dir, "U", "2 + 2?", "B");
    let baseline = env.path("baseline.py");
    std::fs::write(
        &baseline,
        "import json, sys\njson.load(sys.stdin)\nprint(json.dumps({'content': 'ANSWER: B'}))\n",
    )
    .unwrap();
    let out = env.path("human.jsonl").display().to_string();
    let s = suite_dir.display().to_string();
    let b = baseline.display().to_string();
    let baseline_run = [
        "eval",
        "run",
        &s,
        "--provider",
        "command",
        "--model",
        "human-baseline",
        "--out",
        &out,
        "--",
        "python3",
        &b,
    ];
    let run = env.run(&baseline_run);
    assert!(run.ok().contains("solved 1 of 1"), "{}", run.stdout);
    assert!(
        run.stderr.contains("made a new signing key at"),
        "{}",
        run.stderr
    );
    assert!(env
        .path("config/clearinghouse/eval-signing-key.pem")
        .is_file());
    let header = &lines(Path::new(&out))[0];
    assert_eq!(header["model"]["command"], json!(["python3", b]));
    env.run(&[
        "eval",
        "verify",
        &out,
        "--public-key",
        env.path("config/clearinghouse/eval-signing-key.pem")
            .to_str()
            .unwrap(),
    ])
    .ok();

    // A finished result is never overwritten by a new run.
    let again = env.run(&baseline_run);
    assert!(
        again
            .user_error()
            .ends_with("human.jsonl: exists (a finished run)"),
        "{}",
        again.stderr
    );

    // Bad input is refused before any model call, naming the field.
    let fresh = env.path("new.jsonl").display().to_string();
    let err = env.run(&[
        "eval",
        "run",
        &s,
        "--provider",
        "openai",
        "--model",
        "m",
        "--out",
        &fresh,
    ]);
    assert_eq!(
        err.user_error(),
        "error: --provider openai needs --base-url"
    );
    let err = env.run(&[
        "eval",
        "run",
        &s,
        "--provider",
        "command",
        "--model",
        "m",
        "--out",
        &fresh,
        "--seed",
        "xyz",
        "--",
        "true",
    ]);
    assert_eq!(err.user_error(), "error: --seed: expected 64 hex digits");
    std::fs::write(
        suite_dir.join("suite.toml"),
        "name = \"s\"\nversion = \"1\"\nmarking = \"SEKRET\"\ntasks = [\"mc\"]\n",
    )
    .unwrap();
    let err = env.run(&[
        "eval",
        "run",
        &s,
        "--provider",
        "command",
        "--model",
        "m",
        "--out",
        &fresh,
        "--",
        "true",
    ]);
    assert!(
        err.user_error()
            .contains("`marking`: unknown classification level `SEKRET`"),
        "{}",
        err.stderr
    );
}

/// The HTML report in a real browser: Debian's Chromium renders it headless; the page
/// has both banners with the marking and the profile chart, and the top banner is
/// painted in the marking's colour.
#[test]
fn the_html_report_renders_in_chromium_with_its_banners() {
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        assert!(
            std::env::var("CI").is_err(),
            "CI installs chromium (scripts/test.sh)"
        );
        eprintln!("skipped: chromium is not installed (scripts/test.sh installs it)");
        return;
    };
    let env = Env::new();
    let suite = Arc::new(ch_eval_suite::load(&starter()).unwrap());
    let server = ModelServer::start(solver(suite));
    let key = env.key();
    let out = env.path("r.jsonl").display().to_string();
    let (s, u) = (starter().display().to_string(), server.openai_url());
    env.run(
        &[
            &run_args(&s, &u, "scripted-solver", &out, &key)[..],
            &["--tasks", "knowledge-basics,crypto-repeating-xor"],
        ]
        .concat(),
    )
    .ok();
    let html = env.path("report.html");
    env.run(&[
        "eval",
        "report",
        &out,
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ])
    .ok();
    let profile = env.path("chromium-profile");
    let browse = |extra: &[&str]| {
        let out = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(format!("file://{}", html.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "chromium: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let dom = String::from_utf8(browse(&["--dump-dom"]).stdout).unwrap();
    assert!(
        dom.contains("<div class=\"banner top\" id=\"banner-top\">UNCLASSIFIED</div>"),
        "{dom}"
    );
    assert!(dom.contains("<div class=\"banner bottom\" id=\"banner-bottom\">UNCLASSIFIED</div>"));
    assert!(dom.contains("<svg") && dom.contains("cryptography") && dom.contains("knowledge"));
    let shot = env.path("shot.png");
    browse(&[
        "--window-size=800,600",
        &format!("--screenshot={}", shot.display()),
    ]);
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    // A pixel of the top banner, away from its text: UNCLASSIFIED green #007a33.
    let at = (5 * info.width as usize + 10) * channels;
    assert_eq!(
        &buf[at..at + 3],
        &[0x00, 0x7a, 0x33],
        "the top banner is painted green"
    );
}

#[test]
fn an_unreachable_model_stops_the_run_without_recording_its_failures() {
    let env = Env::new();
    let key = env.key();
    let s = starter().display().to_string();
    // Nothing listens on this port.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}/v1", l.local_addr().unwrap().port())
    };
    let out = env.path("down.jsonl");
    let o = out.display().to_string();
    let mut args = run_args(&s, &dead, "scripted-solver", &o, &key);
    args.extend(["--tasks", "knowledge-basics", "--max-retries", "0"]);
    let run = env.run(&args);
    let err = run.user_error();
    assert!(err.starts_with("error: stopped: 3 samples in a row could not reach the model (last: cannot reach http://127.0.0.1:"), "{err}");
    let partial = ch_eval_result::partial_path(&out);
    assert_eq!(
        samples(&partial).len(),
        0,
        "unreachable samples are not recorded as failures of the model"
    );

    // The endpoint is back: the same command (and endpoint) resumes and completes.
    let suite = Arc::new(ch_eval_suite::load(&starter()).unwrap());
    let server = ModelServer::start(solver(suite));
    let up = server.openai_url();
    let mut args = run_args(&s, &up, "scripted-solver", &o, &key);
    args.extend(["--tasks", "knowledge-basics", "--max-retries", "0"]);
    let err = env.run(&args);
    assert!(
        err.user_error().contains("`model.base_url` was"),
        "another endpoint is another run: {}",
        err.stderr
    );
    std::fs::remove_file(&partial).unwrap();
    assert!(env.run(&args).ok().contains("solved 12 of 12"));
}
