//! A model API test double on loopback that speaks the real protocols — OpenAI Chat
//! Completions (`POST /v1/chat/completions`) and Anthropic Messages
//! (`POST /v1/messages`) — and plays scripted agents.
//!
//! It parses requests from the wire independently of the client under test, checks
//! the protocol rules a real server enforces (a tool result must answer a tool call of
//! the previous assistant turn; Anthropic's `anthropic-version` and `max_tokens`, and
//! alternating turns), answering 400 with an error document when one is broken, and
//! hands a protocol-neutral [`Turn`] to the script, whose [`Reply`] it encodes back.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    OpenAi,
    Anthropic,
}

/// A message as the server understood it.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    System(String),
    User(String),
    Assistant {
        text: String,
        /// (id, name, arguments as sent).
        calls: Vec<(String, String, String)>,
    },
    ToolResult {
        id: String,
        text: String,
    },
}

/// One request, protocol-neutral.
#[derive(Debug, Clone)]
pub struct Turn {
    pub protocol: Protocol,
    pub model: String,
    pub messages: Vec<Seen>,
    pub tools: Vec<String>,
    /// The credential sent (`Authorization: Bearer …` or `x-api-key`).
    pub api_key: Option<String>,
    pub body: Value,
}

impl Turn {
    /// The first user message's text.
    pub fn prompt(&self) -> &str {
        self.messages
            .iter()
            .find_map(|m| match m {
                Seen::User(t) => Some(t.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }

    /// The text of the last tool result, if the last message is one.
    pub fn last_tool_result(&self) -> Option<&str> {
        match self.messages.last() {
            Some(Seen::ToolResult { text, .. }) => Some(text),
            _ => None,
        }
    }

    /// How many assistant turns came before this request.
    pub fn assistant_turns(&self) -> usize {
        self.messages
            .iter()
            .filter(|m| matches!(m, Seen::Assistant { .. }))
            .count()
    }
}

/// What the scripted agent answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An assistant message: text and tool calls (name, raw arguments text).
    Message {
        text: String,
        calls: Vec<(String, String)>,
    },
    /// An HTTP error status with an error document.
    Status {
        code: u16,
        retry_after: Option<String>,
        message: String,
    },
    /// A 200 response with this body, whatever it is.
    Raw(String),
    /// Wait, then reply.
    Sleep(Duration, Box<Reply>),
}

impl Reply {
    pub fn text(t: &str) -> Reply {
        Reply::Message {
            text: t.into(),
            calls: vec![],
        }
    }

    pub fn call(name: &str, arguments: Value) -> Reply {
        Reply::Message {
            text: String::new(),
            calls: vec![(name.into(), arguments.to_string())],
        }
    }
}

type Script = dyn Fn(&Turn) -> Reply + Send + Sync;

/// The running server; stops when dropped.
pub struct ModelServer {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    requests: Arc<AtomicU64>,
    rejected: Arc<Mutex<Vec<String>>>,
}

/// One parsed HTTP request.
struct HttpRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one request from a kept-alive connection; `None` at end of stream.
fn read_request(r: &mut BufReader<TcpStream>) -> Option<HttpRequest> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let req = HttpRequest {
        method,
        path,
        headers,
        body: Vec::new(),
    };
    let len: usize = req
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(HttpRequest { body, ..req })
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        529 => "Overloaded",
        _ => "Status",
    }
}

impl ModelServer {
    /// Starts the server; each connection is served on its own thread (kept alive).
    pub fn start(script: impl Fn(&Turn) -> Reply + Send + Sync + 'static) -> ModelServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("model server: bind");
        let port = listener.local_addr().expect("model server: address").port();
        let script: Arc<Script> = Arc::new(script);
        let requests = Arc::new(AtomicU64::new(0));
        let rejected = Arc::new(Mutex::new(Vec::new()));
        let ids = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let (script, requests, rejected, stop) = (
                script.clone(),
                requests.clone(),
                rejected.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (script, requests, rejected, ids) = (
                        script.clone(),
                        requests.clone(),
                        rejected.clone(),
                        ids.clone(),
                    );
                    std::thread::spawn(move || {
                        let _ = conn.set_nodelay(true);
                        let Ok(mut writer) = conn.try_clone() else {
                            return;
                        };
                        let mut reader = BufReader::new(conn);
                        while let Some(req) = read_request(&mut reader) {
                            requests.fetch_add(1, Ordering::Relaxed);
                            let (code, body, retry_after) = handle(&req, &*script, &ids);
                            if code == 400 {
                                rejected.lock().expect("lock").push(body.clone());
                            }
                            let mut head = format!(
                                "HTTP/1.1 {code} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
                                reason(code),
                                body.len()
                            );
                            if let Some(r) = retry_after {
                                head.push_str(&format!("Retry-After: {r}\r\n"));
                            }
                            head.push_str("\r\n");
                            if writer
                                .write_all(head.as_bytes())
                                .and_then(|()| writer.write_all(body.as_bytes()))
                                .and_then(|()| writer.flush())
                                .is_err()
                            {
                                break;
                            }
                        }
                    });
                }
            })
        };
        ModelServer {
            port,
            stop,
            acceptor: Some(acceptor),
            requests,
            rejected,
        }
    }

    /// Base URL for the OpenAI provider (`…/v1`).
    pub fn openai_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// Base URL for the Anthropic provider.
    pub fn anthropic_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Requests received.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Error documents of requests refused for breaking the protocol.
    pub fn protocol_violations(&self) -> Vec<String> {
        self.rejected.lock().expect("lock").clone()
    }
}

impl Drop for ModelServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
    }
}

fn error_doc(protocol: Protocol, code: u16, message: &str) -> String {
    match protocol {
        Protocol::OpenAi => json!({"error": {"message": message, "type": "invalid_request_error", "code": code}}),
        Protocol::Anthropic => json!({"type": "error", "error": {"type": if code == 429 {"rate_limit_error"} else {"invalid_request_error"}, "message": message}}),
    }
    .to_string()
}

fn handle(req: &HttpRequest, script: &Script, ids: &AtomicU64) -> (u16, String, Option<String>) {
    let protocol = match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/v1/chat/completions") => Protocol::OpenAi,
        ("POST", "/v1/messages") => Protocol::Anthropic,
        _ => {
            return (
                404,
                json!({"error": {"message": "not found"}}).to_string(),
                None,
            )
        }
    };
    let api_key = match protocol {
        Protocol::OpenAi => req
            .header("Authorization")
            .and_then(|a| a.strip_prefix("Bearer ").map(str::to_owned)),
        Protocol::Anthropic => req.header("x-api-key").map(str::to_owned),
    };
    if protocol == Protocol::Anthropic && req.header("anthropic-version").is_none() {
        return (
            400,
            error_doc(protocol, 400, "anthropic-version: header is required"),
            None,
        );
    }
    let Ok(text) = String::from_utf8(req.body.clone()) else {
        return (400, error_doc(protocol, 400, "the body is not UTF-8"), None);
    };
    let body: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            return (
                400,
                error_doc(protocol, 400, &format!("invalid JSON: {e}")),
                None,
            )
        }
    };
    let parsed = match protocol {
        Protocol::OpenAi => parse_openai(&body),
        Protocol::Anthropic => parse_anthropic(&body),
    };
    let (model, messages, tools) = match parsed {
        Ok(p) => p,
        Err(e) => return (400, error_doc(protocol, 400, &e), None),
    };
    let input_chars: usize = text.len();
    let turn = Turn {
        protocol,
        model,
        messages,
        tools,
        api_key,
        body,
    };
    // A script that panics (a failed assertion about the request) answers 400, which
    // the client does not retry, and is listed among the violations.
    let mut reply = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| script(&turn))) {
        Ok(r) => r,
        Err(p) => {
            let why = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            return (
                400,
                error_doc(protocol, 400, &format!("the test script panicked: {why}")),
                None,
            );
        }
    };
    while let Reply::Sleep(d, next) = reply {
        std::thread::sleep(d);
        reply = *next;
    }
    match reply {
        Reply::Status {
            code,
            retry_after,
            message,
        } => (code, error_doc(protocol, code, &message), retry_after),
        Reply::Raw(body) => (200, body, None),
        Reply::Sleep(..) => unreachable!("unwrapped above"),
        Reply::Message { text, calls } => {
            let n = ids.fetch_add(1, Ordering::Relaxed);
            let output_chars = text.len() + calls.iter().map(|c| c.1.len()).sum::<usize>();
            let (input_tokens, output_tokens) =
                (input_chars as u64 / 4 + 1, output_chars as u64 / 4 + 1);
            let body = match protocol {
                Protocol::OpenAi => {
                    let tool_calls: Vec<Value> = calls
                        .iter()
                        .enumerate()
                        .map(|(i, (name, args))| json!({"id": format!("call_{n}_{i}"), "type": "function", "function": {"name": name, "arguments": args}}))
                        .collect();
                    let mut message = json!({"role": "assistant", "content": if text.is_empty() && !calls.is_empty() { Value::Null } else { json!(text) }});
                    if !tool_calls.is_empty() {
                        message["tool_calls"] = json!(tool_calls);
                    }
                    json!({
                        "id": format!("chatcmpl-{n}"), "object": "chat.completion", "created": 1_790_000_000u64, "model": turn.model,
                        "choices": [{"index": 0, "message": message, "finish_reason": if calls.is_empty() { "stop" } else { "tool_calls" }}],
                        "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens, "total_tokens": input_tokens + output_tokens},
                    })
                }
                Protocol::Anthropic => {
                    let mut content = Vec::new();
                    if !text.is_empty() {
                        content.push(json!({"type": "text", "text": text}));
                    }
                    for (i, (name, args)) in calls.iter().enumerate() {
                        // Anthropic sends parsed input; unparsable arguments go as a string,
                        // which the client must refuse as a malformed call.
                        let input =
                            serde_json::from_str::<Value>(args).unwrap_or_else(|_| json!(args));
                        content.push(json!({"type": "tool_use", "id": format!("toolu_{n}_{i}"), "name": name, "input": input}));
                    }
                    json!({
                        "id": format!("msg_{n}"), "type": "message", "role": "assistant", "model": turn.model, "content": content,
                        "stop_reason": if calls.is_empty() { "end_turn" } else { "tool_use" }, "stop_sequence": null,
                        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
                    })
                }
            };
            (200, body.to_string(), None)
        }
    }
}

type Parsed = (String, Vec<Seen>, Vec<String>);

fn parse_openai(body: &Value) -> Result<Parsed, String> {
    let model = body["model"]
        .as_str()
        .ok_or("`model` is required")?
        .to_owned();
    let messages = body["messages"]
        .as_array()
        .ok_or("`messages` must be an array")?;
    let mut seen = Vec::new();
    let mut open_calls: BTreeSet<String> = BTreeSet::new();
    for (i, m) in messages.iter().enumerate() {
        let content = match &m["content"] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            _ => return Err(format!("messages[{i}].content must be a string or null")),
        };
        match m["role"].as_str() {
            Some("system") => seen.push(Seen::System(content)),
            Some("user") => {
                if !open_calls.is_empty() {
                    return Err(format!(
                        "messages[{i}]: tool calls {open_calls:?} were not answered"
                    ));
                }
                seen.push(Seen::User(content))
            }
            Some("assistant") => {
                if !open_calls.is_empty() {
                    return Err(format!(
                        "messages[{i}]: tool calls {open_calls:?} were not answered"
                    ));
                }
                let mut calls = Vec::new();
                if let Some(tc) = m.get("tool_calls") {
                    for (j, c) in tc
                        .as_array()
                        .ok_or(format!("messages[{i}].tool_calls must be an array"))?
                        .iter()
                        .enumerate()
                    {
                        let id = c["id"]
                            .as_str()
                            .ok_or(format!("messages[{i}].tool_calls[{j}].id is required"))?;
                        if c["type"] != "function" {
                            return Err(format!(
                                "messages[{i}].tool_calls[{j}].type must be \"function\""
                            ));
                        }
                        let name = c["function"]["name"].as_str().ok_or(format!(
                            "messages[{i}].tool_calls[{j}].function.name is required"
                        ))?;
                        let args = c["function"]["arguments"].as_str().ok_or(format!(
                            "messages[{i}].tool_calls[{j}].function.arguments must be a string"
                        ))?;
                        open_calls.insert(id.to_owned());
                        calls.push((id.to_owned(), name.to_owned(), args.to_owned()));
                    }
                }
                seen.push(Seen::Assistant {
                    text: content,
                    calls,
                })
            }
            Some("tool") => {
                let id = m["tool_call_id"]
                    .as_str()
                    .ok_or(format!("messages[{i}].tool_call_id is required"))?;
                if !open_calls.remove(id) {
                    return Err(format!("messages[{i}]: tool_call_id {id} answers no tool call of the previous assistant message"));
                }
                seen.push(Seen::ToolResult {
                    id: id.to_owned(),
                    text: content,
                })
            }
            other => return Err(format!("messages[{i}].role {other:?} is not valid")),
        }
    }
    let tools = body
        .get("tools")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(|t| t["function"]["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok((model, seen, tools))
}

fn parse_anthropic(body: &Value) -> Result<Parsed, String> {
    let model = body["model"]
        .as_str()
        .ok_or("model: Field required")?
        .to_owned();
    if !body["max_tokens"].is_u64() {
        return Err("max_tokens: Field required".into());
    }
    let messages = body["messages"]
        .as_array()
        .ok_or("messages: Field required")?;
    let mut seen = Vec::new();
    if let Some(s) = body.get("system") {
        seen.push(Seen::System(
            s.as_str().ok_or("system must be a string")?.to_owned(),
        ));
    }
    let mut open_calls: BTreeSet<String> = BTreeSet::new();
    let mut expect = "user";
    for (i, m) in messages.iter().enumerate() {
        let role = m["role"]
            .as_str()
            .ok_or(format!("messages.{i}.role: Field required"))?;
        if role != expect {
            return Err(format!("messages.{i}: roles must alternate between \"user\" and \"assistant\", starting with \"user\""));
        }
        expect = if role == "user" { "assistant" } else { "user" };
        let blocks: Vec<Value> = match &m["content"] {
            Value::String(s) => vec![json!({"type": "text", "text": s})],
            Value::Array(a) => a.clone(),
            _ => {
                return Err(format!(
                    "messages.{i}.content must be a string or a list of blocks"
                ))
            }
        };
        if role == "user" {
            let mut answered = BTreeSet::new();
            for b in &blocks {
                match b["type"].as_str() {
                    Some("text") => {
                        seen.push(Seen::User(b["text"].as_str().unwrap_or("").to_owned()))
                    }
                    Some("tool_result") => {
                        let id = b["tool_use_id"]
                            .as_str()
                            .ok_or(format!("messages.{i}: tool_result.tool_use_id required"))?;
                        if !open_calls.contains(id) {
                            return Err(format!("messages.{i}: unexpected `tool_use_id` found in `tool_result` blocks: {id}"));
                        }
                        answered.insert(id.to_owned());
                        let text = match &b["content"] {
                            Value::String(s) => s.clone(),
                            Value::Array(parts) => parts
                                .iter()
                                .filter_map(|p| p["text"].as_str())
                                .collect::<Vec<_>>()
                                .join(""),
                            _ => String::new(),
                        };
                        seen.push(Seen::ToolResult {
                            id: id.to_owned(),
                            text,
                        });
                    }
                    other => {
                        return Err(format!(
                            "messages.{i}: block type {other:?} is not valid here"
                        ))
                    }
                }
            }
            if answered != open_calls {
                return Err(format!("messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: {:?}", open_calls.difference(&answered).collect::<Vec<_>>()));
            }
            open_calls.clear();
        } else {
            let mut text = String::new();
            let mut calls = Vec::new();
            for b in &blocks {
                match b["type"].as_str() {
                    Some("text") => text.push_str(b["text"].as_str().unwrap_or("")),
                    Some("tool_use") => {
                        let id = b["id"]
                            .as_str()
                            .ok_or(format!("messages.{i}: tool_use.id required"))?;
                        let name = b["name"]
                            .as_str()
                            .ok_or(format!("messages.{i}: tool_use.name required"))?;
                        if !b["input"].is_object() {
                            return Err(format!("messages.{i}: tool_use.input must be an object"));
                        }
                        open_calls.insert(id.to_owned());
                        calls.push((id.to_owned(), name.to_owned(), b["input"].to_string()));
                    }
                    other => {
                        return Err(format!(
                            "messages.{i}: block type {other:?} is not valid here"
                        ))
                    }
                }
            }
            seen.push(Seen::Assistant { text, calls });
        }
    }
    let tools = body
        .get("tools")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(|t| t["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok((model, seen, tools))
}
