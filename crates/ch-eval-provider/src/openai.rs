//! OpenAI-compatible Chat Completions: `POST {base_url}/chat/completions`.
//!
//! `base_url` ends before `/chat/completions`, as every compatible server documents
//! it: `https://api.openai.com/v1`, `http://127.0.0.1:8000/v1` (vLLM, llama.cpp),
//! `http://127.0.0.1:11434/v1` (Ollama).

use serde_json::{json, Value};

use crate::{
    malformed, Completion, Endpoint, Generation, Message, Policy, Provider, ProviderError, Role,
    ToolCall, ToolSpec, Usage,
};

#[derive(Debug)]
pub struct OpenAi(Endpoint);

impl OpenAi {
    pub fn new(base_url: &str, model: &str, api_key: Option<String>, policy: Policy) -> OpenAi {
        let url = format!("{}/chat/completions", base_url.trim_end_matches('/'));
        OpenAi(Endpoint::new(url, model, api_key, policy))
    }
}

fn role(r: Role) -> &'static str {
    match r {
        Role::System => "system",
        Role::User => "user",
        Role::Assistant => "assistant",
        Role::Tool => "tool",
    }
}

/// The request body (also what the `command` provider writes to its program).
pub fn request_body(
    model: &str,
    messages: &[Message],
    tools: &[ToolSpec],
    generation: &Generation,
) -> Value {
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| {
            let mut v = json!({ "role": role(m.role), "content": m.content });
            if !m.tool_calls.is_empty() {
                v["tool_calls"] = m
                    .tool_calls
                    .iter()
                    .map(|c| {
                        json!({
                            "id": c.id,
                            "type": "function",
                            "function": { "name": c.name, "arguments": c.arguments },
                        })
                    })
                    .collect();
            }
            if let Some(id) = &m.tool_call_id {
                v["tool_call_id"] = json!(id);
            }
            v
        })
        .collect();
    let mut body = json!({ "model": model, "messages": messages });
    if !tools.is_empty() {
        body["tools"] = tools
            .iter()
            .map(|t| {
                json!({
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters,
                    },
                })
            })
            .collect();
    }
    if let Some(n) = generation.max_tokens {
        body["max_tokens"] = json!(n);
    }
    if let Some(t) = generation.temperature {
        body["temperature"] = json!(t);
    }
    if let Some(s) = generation.seed {
        body["seed"] = json!(s);
    }
    body
}

/// Reads a Chat Completions response — or, from a command, a bare assistant message.
pub fn parse_response(v: &Value, source_name: &str) -> Result<Completion, ProviderError> {
    let (message, stop) = match v.get("choices") {
        Some(choices) => {
            let choice = choices
                .get(0)
                .ok_or_else(|| malformed(source_name, "`choices` is empty or not an array"))?;
            let stop = choice
                .get("finish_reason")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let message = choice
                .get("message")
                .ok_or_else(|| malformed(source_name, "`choices[0].message` is missing"))?;
            (message, stop)
        }
        None if v.get("role").is_some() || v.get("content").is_some() => (v, String::new()),
        None => return Err(malformed(source_name, "no `choices`")),
    };
    let content = match message.get("content") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        // Some servers send content parts: keep their text.
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        Some(other) => {
            return Err(malformed(
                source_name,
                format!("`message.content` is {other}, expected a string"),
            ))
        }
    };
    let mut tool_calls = Vec::new();
    if let Some(calls) = message.get("tool_calls").filter(|c| !c.is_null()) {
        let calls = calls
            .as_array()
            .ok_or_else(|| malformed(source_name, "`message.tool_calls` is not an array"))?;
        for (i, c) in calls.iter().enumerate() {
            let f = c.get("function").ok_or_else(|| {
                malformed(
                    source_name,
                    format!("`tool_calls[{i}].function` is missing"),
                )
            })?;
            let name = f
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    malformed(
                        source_name,
                        format!("`tool_calls[{i}].function.name` is missing"),
                    )
                })?
                .to_owned();
            // Arguments are a JSON string by the protocol; some servers send an object.
            let arguments = match f.get("arguments") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let id = c
                .get("id")
                .and_then(Value::as_str)
                .map_or_else(|| format!("call_{i}"), str::to_owned);
            tool_calls.push(ToolCall {
                id,
                name,
                arguments,
            });
        }
    }
    let usage = v.get("usage").map_or(Usage::default(), |u| Usage {
        input_tokens: u.get("prompt_tokens").and_then(Value::as_u64).unwrap_or(0),
        output_tokens: u
            .get("completion_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
    });
    Ok(Completion::assistant(content, tool_calls, usage, stop))
}

impl Provider for OpenAi {
    fn complete(
        &self,
        messages: &[Message],
        tools: &[ToolSpec],
        generation: &Generation,
    ) -> Result<Completion, ProviderError> {
        let body = request_body(&self.0.model, messages, tools, generation);
        let auth = self.0.api_key.as_ref().map(|k| format!("Bearer {k}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        self.0.complete(&headers, &body, parse_response)
    }
}
