//! Anthropic Messages: `POST {base_url}/v1/messages` (`base_url` e.g.
//! `https://api.anthropic.com`).
//!
//! System messages go to the top-level `system`; a tool call is a `tool_use` block of
//! the assistant; tool results are `tool_result` blocks of the next user turn, and
//! consecutive user-side messages are merged into one turn, as the API requires.

use serde_json::{json, Value};

use crate::{
    malformed, Completion, Endpoint, Generation, Message, Policy, Provider, ProviderError, Role,
    ToolCall, ToolSpec, Usage,
};

/// The API version this client speaks.
pub const API_VERSION: &str = "2023-06-01";
/// `max_tokens` is required by the API; this is used when none is configured.
pub const DEFAULT_MAX_TOKENS: u32 = 4096;

#[derive(Debug)]
pub struct Anthropic(Endpoint);

impl Anthropic {
    pub fn new(base_url: &str, model: &str, api_key: Option<String>, policy: Policy) -> Anthropic {
        let url = format!("{}/v1/messages", base_url.trim_end_matches('/'));
        Anthropic(Endpoint::new(url, model, api_key, policy))
    }
}

/// The request body.
pub fn request_body(
    model: &str,
    messages: &[Message],
    tools: &[ToolSpec],
    generation: &Generation,
) -> Value {
    let system: Vec<&str> = messages
        .iter()
        .filter(|m| m.role == Role::System)
        .map(|m| m.content.as_str())
        .collect();
    let mut turns: Vec<(&str, Vec<Value>)> = Vec::new();
    // An assistant turn with neither text nor tool calls cannot be sent (the API
    // refuses empty content); leaving it out merges the user turns around it.
    let sendable = |m: &&Message| {
        m.role != Role::System
            && !(m.role == Role::Assistant && m.content.is_empty() && m.tool_calls.is_empty())
    };
    for m in messages.iter().filter(sendable) {
        let (role, blocks) = match m.role {
            Role::Assistant => {
                let mut blocks = Vec::new();
                if !m.content.is_empty() {
                    blocks.push(json!({ "type": "text", "text": m.content }));
                }
                for c in &m.tool_calls {
                    let input = serde_json::from_str::<Value>(&c.arguments)
                        .ok()
                        .filter(Value::is_object)
                        .unwrap_or_else(|| json!({}));
                    blocks.push(
                        json!({ "type": "tool_use", "id": c.id, "name": c.name, "input": input }),
                    );
                }
                ("assistant", blocks)
            }
            Role::Tool => (
                "user",
                vec![json!({
                    "type": "tool_result",
                    "tool_use_id": m.tool_call_id.clone().unwrap_or_default(),
                    "content": m.content,
                })],
            ),
            _ => ("user", vec![json!({ "type": "text", "text": m.content })]),
        };
        match turns.last_mut() {
            Some((r, b)) if *r == role => b.extend(blocks),
            _ => turns.push((role, blocks)),
        }
    }
    let messages: Vec<Value> = turns
        .into_iter()
        .map(|(role, content)| json!({ "role": role, "content": content }))
        .collect();
    let mut body = json!({
        "model": model,
        "max_tokens": generation.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        "messages": messages,
    });
    if !system.is_empty() {
        body["system"] = json!(system.join("\n\n"));
    }
    if !tools.is_empty() {
        body["tools"] = tools
            .iter()
            .map(|t| json!({ "name": t.name, "description": t.description, "input_schema": t.parameters }))
            .collect();
    }
    if let Some(t) = generation.temperature {
        body["temperature"] = json!(t);
    }
    body
}

pub fn parse_response(v: &Value, source_name: &str) -> Result<Completion, ProviderError> {
    let blocks = v
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed(source_name, "`content` is missing or not an array"))?;
    let mut content = String::new();
    let mut tool_calls = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        match b.get("type").and_then(Value::as_str) {
            Some("text") => content.push_str(b.get("text").and_then(Value::as_str).unwrap_or("")),
            Some("tool_use") => {
                let field = |name: &str| {
                    b.get(name)
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .ok_or_else(|| {
                            malformed(source_name, format!("`content[{i}].{name}` is missing"))
                        })
                };
                tool_calls.push(ToolCall {
                    id: field("id")?,
                    name: field("name")?,
                    arguments: b.get("input").map_or_else(String::new, Value::to_string),
                });
            }
            // thinking and other blocks carry nothing the loop acts on
            Some(_) => {}
            None => {
                return Err(malformed(
                    source_name,
                    format!("`content[{i}].type` is missing"),
                ))
            }
        }
    }
    let usage = v.get("usage").map_or(Usage::default(), |u| Usage {
        input_tokens: u.get("input_tokens").and_then(Value::as_u64).unwrap_or(0),
        output_tokens: u.get("output_tokens").and_then(Value::as_u64).unwrap_or(0),
    });
    let stop = v
        .get("stop_reason")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    Ok(Completion::assistant(content, tool_calls, usage, stop))
}

impl Provider for Anthropic {
    fn complete(
        &self,
        messages: &[Message],
        tools: &[ToolSpec],
        generation: &Generation,
    ) -> Result<Completion, ProviderError> {
        let body = request_body(&self.0.model, messages, tools, generation);
        let mut headers = vec![
            ("Content-Type", "application/json"),
            ("anthropic-version", API_VERSION),
        ];
        if let Some(k) = &self.0.api_key {
            headers.push(("x-api-key", k.as_str()));
        }
        self.0.complete(&headers, &body, parse_response)
    }
}
