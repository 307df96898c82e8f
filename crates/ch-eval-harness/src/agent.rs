//! The tool-using agent loop: the model works in the sandbox with `bash` and
//! `python`, and answers with `submit`. Every message and tool run is recorded.

use std::time::{Duration, Instant};

use ch_eval_provider::{Generation, Message, Provider, ToolSpec, Usage};
use ch_eval_result::End;
use ch_sandbox::{Exec, Outcome, Session, Status};
use serde_json::json;

/// Per-sample limits.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleLimits {
    /// Assistant messages.
    pub messages: u32,
    /// Input + output tokens over the sample.
    pub tokens: u64,
    pub time: Duration,
    /// Bytes of each tool's output shown to the model.
    pub tool_output_bytes: usize,
}

impl Default for SampleLimits {
    fn default() -> Self {
        SampleLimits {
            messages: 50,
            tokens: 1_000_000,
            time: Duration::from_secs(1800),
            tool_output_bytes: 16 * 1024,
        }
    }
}

pub(crate) fn tools() -> Vec<ToolSpec> {
    vec![
        ToolSpec {
            name: "bash".into(),
            description: "Run a bash command in the sandbox (working directory /task). Returns its output and exit status.".into(),
            parameters: json!({"type": "object", "properties": {"cmd": {"type": "string", "description": "The command."}}, "required": ["cmd"]}),
        },
        ToolSpec {
            name: "python".into(),
            description: "Run a Python 3 program in the sandbox (working directory /task). Print what you want to see.".into(),
            parameters: json!({"type": "object", "properties": {"code": {"type": "string", "description": "The program."}}, "required": ["code"]}),
        },
        ToolSpec {
            name: "submit".into(),
            description: "Submit your final answer to the current question.".into(),
            parameters: json!({"type": "object", "properties": {"answer": {"type": "string", "description": "The answer."}}, "required": ["answer"]}),
        },
    ]
}

pub(crate) const CONTINUE: &str =
    "Please proceed to the next step using your best judgement. When you have the answer, call the submit() tool with it.";

/// How a question of the episode ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ask {
    Submitted(String),
    Stopped(End, String),
}

/// One sample's conversation.
pub(crate) struct Episode<'a> {
    pub provider: &'a dyn Provider,
    pub generation: &'a Generation,
    pub limits: &'a SampleLimits,
    /// The longest a single tool run may take (the suite's sandbox limit).
    pub tool_wall: Duration,
    pub started: Instant,
    pub messages: Vec<Message>,
    pub tool_log: Vec<serde_json::Value>,
    pub usage: Usage,
    pub calls: u32,
    pub retries: u32,
    pub turns: u32,
    /// The sample ended because the model could not be reached (not its fault).
    pub unavailable: bool,
    tools: Vec<ToolSpec>,
}

impl<'a> Episode<'a> {
    pub(crate) fn new(
        provider: &'a dyn Provider,
        generation: &'a Generation,
        limits: &'a SampleLimits,
        tool_wall: Duration,
        system: String,
    ) -> Episode<'a> {
        Episode {
            provider,
            generation,
            limits,
            tool_wall,
            started: Instant::now(),
            messages: vec![Message::system(system)],
            tool_log: Vec::new(),
            usage: Usage::default(),
            calls: 0,
            retries: 0,
            turns: 0,
            unavailable: false,
            tools: tools(),
        }
    }

    fn limit_reached(&self) -> Option<(End, String)> {
        if self.turns >= self.limits.messages {
            return Some((
                End::MessageLimit,
                format!("message limit of {} reached", self.limits.messages),
            ));
        }
        if self.usage.total() >= self.limits.tokens {
            return Some((
                End::TokenLimit,
                format!(
                    "token limit of {} reached ({} used)",
                    self.limits.tokens,
                    self.usage.total()
                ),
            ));
        }
        if self.started.elapsed() >= self.limits.time {
            return Some((
                End::TimeLimit,
                format!("time limit of {} s reached", self.limits.time.as_secs()),
            ));
        }
        None
    }

    /// Sends one completion request, counting usage; `Err` ends the sample.
    pub(crate) fn complete(&mut self, tools: bool) -> Result<Message, (End, String)> {
        if let Some(l) = self.limit_reached() {
            return Err(l);
        }
        let offered: &[ToolSpec] = if tools { &self.tools } else { &[] };
        match self
            .provider
            .complete(&self.messages, offered, self.generation)
        {
            Ok(c) => {
                self.usage.add(c.usage);
                self.calls += 1;
                self.retries += c.attempts.saturating_sub(1);
                self.turns += 1;
                self.messages.push(c.message.clone());
                Ok(c.message)
            }
            Err(e) => {
                self.calls += 1;
                self.unavailable = e.is_unavailable();
                Err((End::ModelError, e.to_string()))
            }
        }
    }

    /// Asks `question` (a user message) and runs the loop until the model submits or a
    /// limit ends the sample.
    pub(crate) fn ask(&mut self, question: String, session: &Session<'_>) -> Ask {
        self.messages.push(Message::user(question));
        loop {
            let message = match self.complete(true) {
                Ok(m) => m,
                Err((end, why)) => return Ask::Stopped(end, why),
            };
            if message.tool_calls.is_empty() {
                self.messages.push(Message::user(CONTINUE));
                continue;
            }
            let mut submitted: Option<String> = None;
            for call in &message.tool_calls {
                let reply = if submitted.is_some() {
                    "not run: an answer was already submitted in this turn".to_owned()
                } else {
                    match call.parsed() {
                        Err(why) => {
                            self.tool_log
                                .push(json!({"id": call.id, "tool": call.name, "error": why}));
                            format!("error: {why}. Call the tool again with valid JSON arguments.")
                        }
                        Ok(args) => {
                            let text =
                                |k: &str| args.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                            match (
                                call.name.as_str(),
                                text("cmd"),
                                text("code"),
                                text("answer"),
                            ) {
                                ("submit", _, _, Some(answer)) => {
                                    self.tool_log.push(json!({"id": call.id, "tool": "submit"}));
                                    submitted = Some(answer);
                                    "answer submitted".to_owned()
                                }
                                ("bash", Some(cmd), _, _) => {
                                    self.run_tool(session, call, Exec::new(&["bash", "-c", &cmd]))
                                }
                                ("python", _, Some(code), _) => self.run_tool(
                                    session,
                                    call,
                                    Exec::new(&["python3", "-"]).stdin(code),
                                ),
                                (name @ ("submit" | "bash" | "python"), ..) => {
                                    let field = match name {
                                        "submit" => "answer",
                                        "bash" => "cmd",
                                        _ => "code",
                                    };
                                    let why = format!("`{name}` needs a string argument `{field}`");
                                    self.tool_log
                                        .push(json!({"id": call.id, "tool": name, "error": why}));
                                    format!("error: {why}")
                                }
                                (other, ..) => {
                                    let why = format!(
                                        "unknown tool `{other}` (available: bash, python, submit)"
                                    );
                                    self.tool_log
                                        .push(json!({"id": call.id, "tool": other, "error": why}));
                                    format!("error: {why}")
                                }
                            }
                        }
                    }
                };
                self.messages.push(Message::tool_result(&call.id, reply));
            }
            if let Some(a) = submitted {
                return Ask::Submitted(a);
            }
        }
    }

    fn run_tool(
        &mut self,
        session: &Session<'_>,
        call: &ch_eval_provider::ToolCall,
        exec: Exec,
    ) -> String {
        let remaining = self.limits.time.saturating_sub(self.started.elapsed());
        let exec = exec.wall(self.tool_wall.min(remaining).max(Duration::from_millis(1)));
        match session.run(&exec) {
            Ok(out) => {
                let (text, truncated) = tool_output(&out, self.limits.tool_output_bytes);
                self.tool_log.push(json!({
                    "id": call.id,
                    "tool": call.name,
                    "status": status_text(&out),
                    "elapsed_ms": out.elapsed.as_millis() as u64,
                    "truncated": truncated || out.truncated,
                }));
                text
            }
            Err(e) => {
                self.tool_log
                    .push(json!({"id": call.id, "tool": call.name, "error": e.to_string()}));
                format!("error: the sandbox could not run this: {e}")
            }
        }
    }
}

pub(crate) fn status_text(out: &Outcome) -> String {
    match out.status {
        Status::Exited(c) => format!("exit {c}"),
        Status::Signalled(s) => format!("signal {s}"),
        Status::TimedOut => "timed out".into(),
    }
}

/// stdout, then stderr, then the status when it is not success; cut to `max` bytes
/// (on a character boundary) with a note.
fn tool_output(out: &Outcome, max: usize) -> (String, bool) {
    let mut s = out.stdout_text();
    let err = out.stderr_text();
    if !err.is_empty() {
        if !s.is_empty() && !s.ends_with('\n') {
            s.push('\n');
        }
        s.push_str(&err);
    }
    let mut truncated = false;
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str(&format!("\n[output cut at {max} bytes]"));
        truncated = true;
    }
    match out.status {
        Status::Exited(0) => {}
        Status::TimedOut => s.push_str(&format!(
            "\n[timed out after {:.1} s and was killed]",
            out.elapsed.as_secs_f64()
        )),
        _ => s.push_str(&format!("\n[{}]", status_text(out))),
    }
    (s, truncated)
}
