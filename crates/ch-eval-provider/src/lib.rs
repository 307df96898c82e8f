//! Model providers for evaluations (issue 5).
//!
//! One conversation model ([`Message`], [`ToolCall`], [`ToolSpec`]) and three ways to
//! reach a model:
//!
//! - [`openai`]: OpenAI-compatible Chat Completions (`POST {base}/chat/completions`):
//!   vLLM, llama.cpp's server, Ollama, OpenAI and compatible gateways;
//! - [`anthropic`]: Anthropic Messages (`POST {base}/v1/messages`);
//! - [`command`]: a local program that reads the request as Chat Completions JSON on
//!   stdin and answers with a Chat Completions response (or just the message) on
//!   stdout — for human baselines and scripted agents.
//!
//! All of them: tool calls, a request timeout, retries with exponential back-off and
//! jitter on 429, 5xx (and 529) and transport errors, honouring `Retry-After`, a shared
//! requests-per-minute limit, and token usage per call. A response that breaks the
//! protocol is a [`ProviderError::Malformed`] naming what is wrong, never a panic.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub mod anthropic;
pub mod command;
pub mod openai;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
}

/// One message of a conversation, as recorded in transcripts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    #[serde(default)]
    pub content: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// For `Role::Tool`: the call answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
}

impl Message {
    pub fn system(text: impl Into<String>) -> Message {
        Message::text(Role::System, text)
    }

    pub fn user(text: impl Into<String>) -> Message {
        Message::text(Role::User, text)
    }

    pub fn text(role: Role, text: impl Into<String>) -> Message {
        Message {
            role,
            content: text.into(),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    pub fn tool_result(id: &str, text: impl Into<String>) -> Message {
        Message {
            role: Role::Tool,
            content: text.into(),
            tool_calls: Vec::new(),
            tool_call_id: Some(id.to_owned()),
        }
    }
}

/// A tool call as the model made it. `arguments` is kept as the model's text, so a
/// malformed call is recorded exactly and answered with an error, not dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: String,
}

impl ToolCall {
    /// The arguments as a JSON object, or why they are not one.
    pub fn parsed(&self) -> Result<serde_json::Map<String, serde_json::Value>, String> {
        match serde_json::from_str::<serde_json::Value>(&self.arguments) {
            Ok(serde_json::Value::Object(m)) => Ok(m),
            Ok(other) => Err(format!("arguments must be a JSON object, got {other}")),
            Err(e) => Err(format!("arguments are not valid JSON: {e}")),
        }
    }
}

/// A tool offered to the model: name, description and JSON Schema of its arguments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: serde_json::Value,
}

/// Generation settings recorded in results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Generation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl Usage {
    pub fn total(&self) -> u64 {
        self.input_tokens + self.output_tokens
    }

    pub fn add(&mut self, other: Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
    }
}

/// The model's answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub message: Message,
    pub usage: Usage,
    /// `finish_reason` / `stop_reason` as the provider gave it.
    pub stop: String,
    /// Requests sent (1 + retries).
    pub attempts: u32,
}

impl Completion {
    /// An assistant message as a provider parsed it (one attempt, until the retry loop
    /// counts them).
    pub(crate) fn assistant(
        content: String,
        tool_calls: Vec<ToolCall>,
        usage: Usage,
        stop: String,
    ) -> Completion {
        Completion {
            message: Message {
                role: Role::Assistant,
                content,
                tool_calls,
                tool_call_id: None,
            },
            usage,
            stop,
            attempts: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// An HTTP error status that is not retried, or the last one after the retries.
    #[error("HTTP {status} from {url}: {message}")]
    Http {
        url: String,
        status: u16,
        message: String,
    },
    /// The connection failed or timed out (after the retries).
    #[error("cannot reach {url}: {reason}")]
    Transport { url: String, reason: String },
    /// The response does not follow the protocol.
    #[error("malformed response from {source_name}: {reason}")]
    Malformed { source_name: String, reason: String },
    /// The command provider's program failed.
    #[error("the model command {reason}")]
    Command { reason: String },
}

impl ProviderError {
    /// Whether the model could not be reached (transport errors, 429, 5xx after the
    /// retries), as opposed to answering wrongly: a fault of the infrastructure, not of
    /// the model.
    pub fn is_unavailable(&self) -> bool {
        self.retryable()
    }

    fn retryable(&self) -> bool {
        match self {
            ProviderError::Http { status, .. } => matches!(status, 408 | 409 | 429 | 500..=599),
            ProviderError::Transport { .. } => true,
            _ => false,
        }
    }
}

/// Retries with exponential back-off and jitter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retry {
    pub max_retries: u32,
    #[serde(serialize_with = "millis")]
    pub base: Duration,
    #[serde(serialize_with = "millis")]
    pub max_delay: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_retries: 6,
            base: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl Retry {
    /// The wait before retry `n` (0-based): `Retry-After` when the server gave one,
    /// else base × 2ⁿ with full jitter in [½, 1], capped.
    fn delay(&self, n: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        if let Some(d) = retry_after {
            return d.min(self.max_delay);
        }
        let exp = self.base.saturating_mul(1u32 << n.min(20));
        exp.min(self.max_delay)
            .mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// A requests-per-minute limit shared by every worker of a run.
#[derive(Debug)]
pub struct RateLimit {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimit {
    pub fn per_minute(rpm: u32) -> RateLimit {
        RateLimit {
            interval: Duration::from_secs(60) / rpm.max(1),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this caller's slot.
    fn acquire(&self) {
        let wait = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

/// What every provider shares: retries, the rate limit, the request timeout.
#[derive(Debug)]
pub struct Policy {
    pub retry: Retry,
    pub rate_limit: Option<RateLimit>,
    pub timeout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            retry: Retry::default(),
            rate_limit: None,
            timeout: Duration::from_secs(600),
        }
    }
}

/// A way to reach a model.
pub trait Provider: Send + Sync {
    /// Sends the conversation and returns the model's next message.
    fn complete(
        &self,
        messages: &[Message],
        tools: &[ToolSpec],
        generation: &Generation,
    ) -> Result<Completion, ProviderError>;
}

/// One attempt's failure, with the server's `Retry-After` when it gave one.
pub(crate) struct Failure {
    error: ProviderError,
    retry_after: Option<Duration>,
}

impl From<ProviderError> for Failure {
    fn from(error: ProviderError) -> Failure {
        Failure {
            error,
            retry_after: None,
        }
    }
}

/// Runs `attempt` under the policy: rate limit before each request, retries on
/// retryable failures.
pub(crate) fn with_retries(
    policy: &Policy,
    mut attempt: impl FnMut() -> Result<Completion, Failure>,
) -> Result<Completion, ProviderError> {
    let mut n = 0u32;
    loop {
        if let Some(limit) = &policy.rate_limit {
            limit.acquire();
        }
        match attempt() {
            Ok(mut c) => {
                c.attempts = n + 1;
                return Ok(c);
            }
            Err(f) if f.error.retryable() && n < policy.retry.max_retries => {
                std::thread::sleep(policy.retry.delay(n, f.retry_after, jitter()));
                n += 1;
            }
            Err(f) => return Err(f.error),
        }
    }
}

/// A number in [0, 1) that differs between calls (for back-off jitter only).
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut x = u64::from(nanos) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// `url` as it may be shown and recorded: without user information (`user:key@`) or a
/// query string, where gateways put credentials.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let path = path.split(['?', '#']).next().unwrap_or("");
    if scheme.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{scheme}://{host}{path}")
    }
}

/// Where an HTTP provider sends its requests: the URL (and the redacted form every
/// message shows), the model, the key, the policy and a pooled agent.
#[derive(Debug)]
pub(crate) struct Endpoint {
    url: String,
    shown: String,
    pub(crate) model: String,
    pub(crate) api_key: Option<String>,
    policy: Policy,
    agent: ureq::Agent,
}

impl Endpoint {
    pub(crate) fn new(
        url: String,
        model: &str,
        api_key: Option<String>,
        policy: Policy,
    ) -> Endpoint {
        Endpoint {
            shown: redact(&url),
            url,
            model: model.to_owned(),
            api_key,
            // Statuses as values; the policy's timeout; connections pooled.
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(policy.timeout))
                .max_idle_connections_per_host(256)
                .build()
                .into(),
            policy,
        }
    }

    /// POSTs `body` under the policy (rate limit, retries), reading each 2xx answer
    /// with `parse`.
    pub(crate) fn complete(
        &self,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
        parse: fn(&serde_json::Value, &str) -> Result<Completion, ProviderError>,
    ) -> Result<Completion, ProviderError> {
        with_retries(&self.policy, || {
            let v = self.post(headers, body)?;
            parse(&v, &self.shown).map_err(Failure::from)
        })
    }

    /// One POST of `body` as JSON; a non-2xx status becomes an error carrying the
    /// server's message and `Retry-After`.
    fn post(
        &self,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, Failure> {
        let shown = &self.shown;
        let mut req = self.agent.post(&self.url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut resp = req
            .send(body.to_string())
            .map_err(|e| ProviderError::Transport {
                url: shown.clone(),
                reason: e.to_string(),
            })?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            // A server's number is capped before it becomes a duration (the back-off caps it
            // again at its maximum delay).
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::from_secs_f64(s.min(86_400.0)));
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .map_err(|e| ProviderError::Transport {
                url: shown.clone(),
                reason: format!("reading the response: {e}"),
            })?;
        if !(200..300).contains(&status) {
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| {
                    v.pointer("/error/message")
                        .and_then(|m| m.as_str())
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| text.chars().take(300).collect());
            return Err(Failure {
                error: ProviderError::Http {
                    url: shown.clone(),
                    status,
                    message,
                },
                retry_after,
            });
        }
        serde_json::from_str(&text)
            .map_err(|e| Failure::from(malformed(shown, format!("the body is not JSON ({e})"))))
    }
}

pub(crate) fn malformed(source_name: &str, reason: impl Into<String>) -> ProviderError {
    ProviderError::Malformed {
        source_name: source_name.to_owned(),
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_with_jitter_and_honours_retry_after() {
        let r = Retry {
            max_retries: 5,
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        assert_eq!(r.delay(0, None, 1.0), Duration::from_millis(100));
        assert_eq!(r.delay(0, None, 0.0), Duration::from_millis(50));
        assert_eq!(r.delay(3, None, 1.0), Duration::from_millis(800));
        assert_eq!(r.delay(4, None, 1.0), Duration::from_secs(1), "capped");
        assert_eq!(
            r.delay(0, Some(Duration::from_millis(1500)), 0.3),
            Duration::from_secs(1),
            "Retry-After, capped"
        );
        assert_eq!(r.delay(2, Some(Duration::ZERO), 0.3), Duration::ZERO);
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn a_tool_call_s_arguments_parse_or_say_why_not() {
        let call = |a: &str| ToolCall {
            id: "1".into(),
            name: "bash".into(),
            arguments: a.into(),
        };
        assert_eq!(
            call(r#"{"cmd":"ls"}"#).parsed().unwrap_or_default()["cmd"],
            "ls"
        );
        assert!(call("[1]")
            .parsed()
            .is_err_and(|e| e.contains("JSON object")));
        assert!(call("{cmd: ls")
            .parsed()
            .is_err_and(|e| e.contains("not valid JSON")));
    }

    #[test]
    fn credentials_in_urls_are_never_shown() {
        assert_eq!(
            redact("https://user:sk-123@gw.example/v1?key=abc"),
            "https://gw.example/v1"
        );
        assert_eq!(
            redact("http://127.0.0.1:8000/v1"),
            "http://127.0.0.1:8000/v1"
        );
        assert_eq!(redact("https://gw.example?token=x"), "https://gw.example");
    }

    #[test]
    fn the_rate_limit_spaces_requests() {
        let limit = RateLimit::per_minute(600); // one per 100 ms
        let started = Instant::now();
        for _ in 0..3 {
            limit.acquire();
        }
        assert!(started.elapsed() >= Duration::from_millis(200));
    }
}
