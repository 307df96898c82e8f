//! The providers against a loopback server that speaks the real protocols.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ch_eval_provider::anthropic::Anthropic;
use ch_eval_provider::command::Command;
use ch_eval_provider::openai::OpenAi;
use ch_eval_provider::{
    Generation, Message, Policy, Provider, ProviderError, Retry, Role, ToolCall, ToolSpec,
};
use ch_test_support::model_server::{ModelServer, Reply, Seen};
use serde_json::json;

fn fast() -> Policy {
    Policy {
        retry: Retry {
            max_retries: 3,
            base: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
        },
        rate_limit: None,
        timeout: Duration::from_secs(10),
    }
}

fn bash_tool() -> Vec<ToolSpec> {
    vec![ToolSpec {
        name: "bash".into(),
        description: "Run a shell command".into(),
        parameters: json!({"type": "object", "properties": {"cmd": {"type": "string"}}, "required": ["cmd"]}),
    }]
}

/// A two-step conversation: the model calls a tool, then answers with its result.
fn echo_agent(turn: &ch_test_support::model_server::Turn) -> Reply {
    assert_eq!(turn.tools, ["bash"]);
    match turn.last_tool_result() {
        None => Reply::Message {
            text: "Let me look.".into(),
            calls: vec![("bash".into(), json!({"cmd": "ls"}).to_string())],
        },
        Some(out) => Reply::text(&format!("the folder holds {out}")),
    }
}

fn converse(p: &dyn Provider) -> (ToolCall, String, u64) {
    let mut messages = vec![
        Message::system("You are a tester."),
        Message::user("What is here?"),
    ];
    let first = p
        .complete(&messages, &bash_tool(), &Generation::default())
        .unwrap();
    assert_eq!(first.message.role, Role::Assistant);
    assert_eq!(first.message.tool_calls.len(), 1);
    let call = first.message.tool_calls[0].clone();
    messages.push(first.message);
    messages.push(Message::tool_result(&call.id, "a.txt"));
    let second = p
        .complete(&messages, &bash_tool(), &Generation::default())
        .unwrap();
    assert!(second.usage.input_tokens > 0 && second.usage.output_tokens > 0);
    (call, second.message.content, second.usage.total())
}

#[test]
fn openai_tool_calls_round_trip() {
    let server = ModelServer::start(|turn| {
        assert_eq!(turn.model, "gpt-test");
        assert_eq!(turn.api_key.as_deref(), Some("sk-test"));
        assert!(matches!(&turn.messages[0], Seen::System(s) if s == "You are a tester."));
        echo_agent(turn)
    });
    let p = OpenAi::new(
        &server.openai_url(),
        "gpt-test",
        Some("sk-test".into()),
        fast(),
    );
    let (call, answer, _) = converse(&p);
    assert_eq!(call.name, "bash");
    assert_eq!(call.parsed().unwrap()["cmd"], "ls");
    assert_eq!(answer, "the folder holds a.txt");
    assert_eq!(server.protocol_violations(), Vec::<String>::new());
}

#[test]
fn anthropic_tool_calls_round_trip() {
    let server = ModelServer::start(|turn| {
        assert_eq!(turn.api_key.as_deref(), Some("ak-test"));
        assert_eq!(
            turn.body["max_tokens"], 4096,
            "the default, since the API requires one"
        );
        assert_eq!(turn.body["system"], "You are a tester.");
        echo_agent(turn)
    });
    let p = Anthropic::new(
        &server.anthropic_url(),
        "claude-test",
        Some("ak-test".into()),
        fast(),
    );
    let (call, answer, _) = converse(&p);
    assert!(call.id.starts_with("toolu_"));
    assert_eq!(call.parsed().unwrap()["cmd"], "ls");
    assert_eq!(answer, "the folder holds a.txt");
    assert_eq!(server.protocol_violations(), Vec::<String>::new());
}

#[test]
fn anthropic_merges_tool_results_and_follow_ups_into_one_user_turn() {
    let server = ModelServer::start(|turn| {
        let results = turn
            .messages
            .iter()
            .filter(|m| matches!(m, Seen::ToolResult { .. }))
            .count();
        Reply::text(&format!("{results} results"))
    });
    let p = Anthropic::new(&server.anthropic_url(), "m", None, fast());
    let messages = vec![
        Message::user("go"),
        Message {
            role: Role::Assistant,
            content: String::new(),
            tool_calls: vec![
                ToolCall {
                    id: "t1".into(),
                    name: "bash".into(),
                    arguments: "{\"cmd\":\"a\"}".into(),
                },
                ToolCall {
                    id: "t2".into(),
                    name: "bash".into(),
                    arguments: "{\"cmd\":\"b\"}".into(),
                },
            ],
            tool_call_id: None,
        },
        Message::tool_result("t1", "A"),
        Message::tool_result("t2", "B"),
        Message::user("and now?"),
    ];
    let c = p
        .complete(&messages, &bash_tool(), &Generation::default())
        .unwrap();
    assert_eq!(c.message.content, "2 results");
    assert_eq!(server.protocol_violations(), Vec::<String>::new());
}

#[test]
fn rate_limits_and_server_errors_are_retried_with_back_off() {
    for anthropic in [false, true] {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let server = ModelServer::start(move |_| match c.fetch_add(1, Ordering::SeqCst) {
            0 => Reply::Status {
                code: 429,
                retry_after: Some("0".into()),
                message: "slow down".into(),
            },
            1 => Reply::Status {
                code: if anthropic { 529 } else { 503 },
                retry_after: None,
                message: "overloaded".into(),
            },
            _ => Reply::text("fine"),
        });
        let p: Box<dyn Provider> = if anthropic {
            Box::new(Anthropic::new(&server.anthropic_url(), "m", None, fast()))
        } else {
            Box::new(OpenAi::new(&server.openai_url(), "m", None, fast()))
        };
        let c = p
            .complete(&[Message::user("hi")], &[], &Generation::default())
            .unwrap();
        assert_eq!(c.message.content, "fine");
        assert_eq!(c.attempts, 3);
        assert_eq!(server.requests(), 3);
    }
}

#[test]
fn retries_end_and_client_errors_are_not_retried() {
    let server = ModelServer::start(|turn| {
        if turn.model == "always-busy" {
            Reply::Status {
                code: 429,
                retry_after: Some("0".into()),
                message: "rate limited".into(),
            }
        } else {
            Reply::Status {
                code: 400,
                retry_after: None,
                message: "bad model".into(),
            }
        }
    });
    let busy = OpenAi::new(&server.openai_url(), "always-busy", None, fast());
    let err = busy
        .complete(&[Message::user("hi")], &[], &Generation::default())
        .unwrap_err();
    assert!(
        matches!(err, ProviderError::Http { status: 429, ref message, .. } if message == "rate limited"),
        "{err}"
    );
    assert_eq!(server.requests(), 4, "one try and three retries");
    let bad = OpenAi::new(&server.openai_url(), "nope", None, fast());
    let err = bad
        .complete(&[Message::user("hi")], &[], &Generation::default())
        .unwrap_err();
    assert!(matches!(err, ProviderError::Http { status: 400, .. }));
    assert_eq!(server.requests(), 5, "a 400 is final");
}

#[test]
fn malformed_responses_and_timeouts_are_errors_not_panics() {
    let server = ModelServer::start(|turn| match turn.model.as_str() {
        "not-json" => Reply::Raw("<html>gateway</html>".into()),
        "no-choices" => Reply::Raw("{\"id\": 1}".into()),
        "bad-calls" => Reply::Raw(
            json!({"choices": [{"message": {"role": "assistant", "tool_calls": {"x": 1}}}]})
                .to_string(),
        ),
        "bad-args" => Reply::Message {
            text: String::new(),
            calls: vec![("bash".into(), "{cmd: ls".into())],
        },
        _ => Reply::Sleep(Duration::from_millis(1200), Box::new(Reply::text("late"))),
    });
    let p = |model: &str, timeout: u64| {
        OpenAi::new(
            &server.openai_url(),
            model,
            None,
            Policy {
                timeout: Duration::from_secs(timeout),
                ..fast()
            },
        )
    };
    let g = Generation::default();
    let m = [Message::user("hi")];
    for (model, expect) in [
        ("not-json", "the body is not JSON"),
        ("no-choices", "no `choices`"),
        ("bad-calls", "`message.tool_calls` is not an array"),
    ] {
        let err = p(model, 10).complete(&m, &[], &g).unwrap_err();
        assert!(
            matches!(err, ProviderError::Malformed { .. }) && err.to_string().contains(expect),
            "{model}: {err}"
        );
    }
    // Unparsable arguments are kept as given, for the loop to answer with an error.
    let c = p("bad-args", 10).complete(&m, &[], &g).unwrap();
    assert!(c.message.tool_calls[0].parsed().is_err());
    let slow = OpenAi::new(
        &server.openai_url(),
        "slow",
        None,
        Policy {
            timeout: Duration::from_millis(300),
            retry: Retry {
                max_retries: 1,
                ..fast().retry
            },
            rate_limit: None,
        },
    );
    let err = slow.complete(&m, &[], &g).unwrap_err();
    assert!(matches!(err, ProviderError::Transport { .. }), "{err}");
}

#[test]
fn a_command_is_a_model() {
    let dir = std::env::temp_dir().join(format!("ch-command-provider-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("agent.py");
    std::fs::write(
        &script,
        "import json, sys\nreq = json.load(sys.stdin)\nlast = req['messages'][-1]\n\
         if last['role'] == 'tool':\n    print(json.dumps({'content': 'saw ' + last['content']}))\n\
         else:\n    print(json.dumps({'choices': [{'message': {'role': 'assistant', 'content': None, 'tool_calls': [\
         {'id': 'c1', 'type': 'function', 'function': {'name': req['tools'][0]['function']['name'], 'arguments': '{\"cmd\": \"ls\"}'}}]}, 'finish_reason': 'tool_calls'}]}))\n",
    )
    .unwrap();
    let p = Command::new(
        vec!["python3".into(), script.display().to_string()],
        "human",
        fast(),
    );
    let (call, answer, _) = {
        let mut messages = vec![Message::user("What is here?")];
        let first = p
            .complete(&messages, &bash_tool(), &Generation::default())
            .unwrap();
        let call = first.message.tool_calls[0].clone();
        messages.push(first.message);
        messages.push(Message::tool_result(&call.id, "a.txt"));
        let second = p
            .complete(&messages, &bash_tool(), &Generation::default())
            .unwrap();
        (call, second.message.content, 0)
    };
    assert_eq!(call.name, "bash");
    assert_eq!(answer, "saw a.txt");
    let failing = Command::new(
        vec!["sh".into(), "-c".into(), "echo oops >&2; exit 3".into()],
        "x",
        fast(),
    );
    let err = failing
        .complete(&[Message::user("hi")], &[], &Generation::default())
        .unwrap_err();
    assert!(err.to_string().contains("oops"), "{err}");
    let garbage = Command::new(vec!["echo".into(), "not json".into()], "x", fast());
    let err = garbage
        .complete(&[Message::user("hi")], &[], &Generation::default())
        .unwrap_err();
    assert!(matches!(err, ProviderError::Malformed { .. }), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_assistant_turn_is_left_out_of_anthropic_requests() {
    let server =
        ModelServer::start(|turn| Reply::text(&format!("{} messages", turn.messages.len())));
    let p = Anthropic::new(&server.anthropic_url(), "m", None, fast());
    let messages = vec![
        Message::user("go"),
        Message::text(Role::Assistant, ""),
        Message::user("Please proceed."),
    ];
    let c = p
        .complete(&messages, &bash_tool(), &Generation::default())
        .unwrap();
    assert_eq!(
        c.message.content, "2 messages",
        "the two user messages, merged into one turn"
    );
    assert_eq!(server.protocol_violations(), Vec::<String>::new());
}

#[test]
fn an_absurd_retry_after_is_capped_not_a_panic() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let server = ModelServer::start(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::Status {
                code: 429,
                retry_after: Some("1e20".into()),
                message: "later".into(),
            }
        } else {
            Reply::text("ok")
        }
    });
    let p = OpenAi::new(&server.openai_url(), "m", None, fast());
    let started = std::time::Instant::now();
    assert_eq!(
        p.complete(&[Message::user("hi")], &[], &Generation::default())
            .unwrap()
            .message
            .content,
        "ok"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "waited the capped delay only"
    );
}

#[test]
fn a_command_whose_output_never_ends_fails_instead_of_hanging() {
    // The program answers, exits, and leaves a process holding its output open.
    let p = Command::new(
        vec![
            "sh".into(),
            "-c".into(),
            "sleep 30 & echo '{\"content\": \"hi\"}'".into(),
        ],
        "x",
        fast(),
    );
    let started = std::time::Instant::now();
    let err = p
        .complete(&[Message::user("hi")], &[], &Generation::default())
        .unwrap_err();
    assert!(err.to_string().contains("its output did not end"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}
