//! A local program as the model: for human baselines (a program that shows the
//! conversation to a person and returns their tool calls) and scripted agents.
//!
//! Each turn runs the program once. Its stdin is a Chat Completions request (the same
//! JSON the `openai` provider sends); its stdout is a Chat Completions response, or just
//! the assistant message (`{"content": …, "tool_calls": […]}`). A non-zero exit, a
//! timeout or output that is not such JSON fails the turn with the reason.
//! The program runs outside the sandbox, as the user: it is the model, not the task.

use std::io::{Read, Write};
use std::process::{Command as Process, Stdio};

use wait_timeout::ChildExt;

use crate::openai::{parse_response, request_body};
use crate::{Completion, Generation, Message, Policy, Provider, ProviderError, ToolSpec};

#[derive(Debug)]
pub struct Command {
    argv: Vec<String>,
    model: String,
    policy: Policy,
}

impl Command {
    pub fn new(argv: Vec<String>, model: &str, policy: Policy) -> Command {
        Command {
            argv,
            model: model.to_owned(),
            policy,
        }
    }
}

fn fail(reason: impl Into<String>) -> ProviderError {
    ProviderError::Command {
        reason: reason.into(),
    }
}

impl Provider for Command {
    fn complete(
        &self,
        messages: &[Message],
        tools: &[ToolSpec],
        generation: &Generation,
    ) -> Result<Completion, ProviderError> {
        let Some((program, args)) = self.argv.split_first() else {
            return Err(fail("is empty"));
        };
        let body = request_body(&self.model, messages, tools, generation).to_string();
        let mut child = Process::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| fail(format!("`{program}` cannot be started: {e}")))?;
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(body.as_bytes());
            }
        });
        let mut stdout = child.stdout.take();
        let (out_tx, out_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.take(64 << 20).read_to_end(&mut out);
            }
            let _ = out_tx.send(out);
        });
        let mut stderr = child.stderr.take();
        let (err_tx, err_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.take(1 << 16).read_to_end(&mut out);
            }
            let _ = err_tx.send(out);
        });
        let status = match child.wait_timeout(self.policy.timeout) {
            Ok(Some(s)) => s,
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!(
                    "`{program}` did not answer within {} s",
                    self.policy.timeout.as_secs()
                )));
            }
            Err(e) => return Err(fail(format!("`{program}`: {e}"))),
        };
        let _ = writer.join();
        // The program has exited; a process it left behind may still hold its output
        // open, so the output is awaited only briefly.
        let out = out_rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .map_err(|_| fail(format!("`{program}` exited but its output did not end (a background process holds it?)")))?;
        let err = err_rx
            .recv_timeout(std::time::Duration::from_secs(1))
            .unwrap_or_default();
        if !status.success() {
            return Err(fail(format!(
                "`{program}` {status}: {}",
                String::from_utf8_lossy(&err).trim()
            )));
        }
        let v: serde_json::Value = serde_json::from_slice(&out)
            .map_err(|e| crate::malformed(program, format!("its output is not JSON ({e})")))?;
        parse_response(&v, program)
    }
}
