//! The result file: JSON Lines, one object per line, each with a `type`.
//!
//! ```text
//! {"type":"header", …}      what was run: suite and task hashes, model, settings, seed, marking
//! {"type":"sample", …}      one per sample, in the order they finished (transcript included)
//! {"type":"summary", …}     scores with intervals, usage, cost (recomputable from the samples)
//! {"type":"signature", …}   ed25519 over SHA-256 of every byte before this line
//! ```
//!
//! Lines, rather than one document, so that a run of thousands of samples is written
//! and verified with bounded memory, and an interrupted run resumes from its samples.

use std::collections::BTreeMap;

use ch_eval_stats::Interval;
use ch_marking::Marking;
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: &str = "1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Harness {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuiteRef {
    pub name: String,
    pub version: String,
    pub hash: String,
    pub marking: Marking,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRef {
    pub id: String,
    pub kind: String,
    pub category: String,
    pub marking: Marking,
    pub hash: String,
    /// Samples per epoch (questions of a multiple-choice task, else 1).
    pub samples: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRef {
    /// `openai`, `anthropic` or `command`.
    pub provider: String,
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Generation settings sent with every request (max_tokens, temperature, seed).
    pub generation: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Assistant messages per sample.
    pub messages: u32,
    /// Input + output tokens per sample.
    pub tokens: u64,
    /// Wall-clock seconds per sample.
    pub time_seconds: u64,
    /// Bytes of a tool's output shown to the model.
    pub tool_output_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prices {
    /// US dollars per million input tokens.
    pub input_per_mtok: f64,
    /// US dollars per million output tokens.
    pub output_per_mtok: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// Hex; flags, bootstrap draws derive from it.
    pub seed: String,
    pub epochs: u32,
    pub concurrency: u32,
    pub limits: Limits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
    /// The sandbox the suite asked for (root, network, per-command limits).
    pub sandbox: serde_json::Value,
    /// The provider's retry policy (max_retries, base and max_delay in ms).
    pub retry: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub schema_version: String,
    /// The high-water mark of everything in the file.
    pub marking: Marking,
    pub harness: Harness,
    pub suite: SuiteRef,
    /// The tasks run (all of the suite's unless a subset was asked for), in suite order.
    pub tasks: Vec<TaskRef>,
    pub model: ModelRef,
    pub run: RunSettings,
    /// RFC 3339, when the run first started (kept on resume).
    pub started: String,
}

impl Header {
    /// Samples the run will have when complete.
    pub fn expected_samples(&self) -> u64 {
        self.tasks.iter().map(|t| t.samples).sum::<u64>() * u64::from(self.run.epochs)
    }
}

/// How a sample ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum End {
    /// The model gave its answer (multiple choice) or called `submit`.
    Answered,
    MessageLimit,
    TokenLimit,
    TimeLimit,
    /// The provider failed after its retries, or answered outside the protocol.
    ModelError,
    /// The harness could not prepare or score the sample (setup failed, sandbox error).
    HarnessError,
}

impl End {
    pub fn as_str(self) -> &'static str {
        match self {
            End::Answered => "answered",
            End::MessageLimit => "message-limit",
            End::TokenLimit => "token-limit",
            End::TimeLimit => "time-limit",
            End::ModelError => "model-error",
            End::HarnessError => "harness-error",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// `task[/question]#epoch`, unique in the file.
    pub id: String,
    pub task: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub epoch: u32,
    pub category: String,
    pub marking: Marking,
    /// The task's main goal met (the flag, the letter, the location and CWE, the patch).
    pub solved: bool,
    /// 0 to 1: partial credit from subtasks or answer parts; 1 when solved.
    pub score: f64,
    pub end: End,
    /// Why this score, in words.
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Scoring details by kind (subtask answers, tests and exploit outcomes, …).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub details: serde_json::Value,
    pub usage: Usage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    pub model_calls: u32,
    /// Requests retried (429, 5xx, transport).
    pub retries: u32,
    pub elapsed_ms: u64,
    /// Every message of the conversation (role, content, tool calls, tool results).
    pub transcript: Vec<serde_json::Value>,
    /// Every tool call the harness ran: id, tool, exit, elapsed, truncated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<serde_json::Value>,
}

/// Scores of a group of samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupScore {
    pub samples: u64,
    pub solved: u64,
    /// Distinct items (task, question) in the group.
    pub items: u64,
    /// Share of samples solved, with its Wilson 95 % interval.
    pub success: Option<Interval>,
    /// Mean score, with a 95 % bootstrap interval over items (epochs resampled within).
    pub mean_score: Option<Interval>,
    /// Mean over items of the unbiased pass@k, for k = 1 and k = epochs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_at_k: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub overall: GroupScore,
    pub by_category: BTreeMap<String, GroupScore>,
    pub by_task: BTreeMap<String, GroupScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// RFC 3339.
    pub finished: String,
    pub samples: u64,
    pub scores: Scores,
    /// Samples by how they ended.
    pub ended: BTreeMap<String, u64>,
    pub usage: Usage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    pub algorithm: String,
    /// Hex of the 32-byte ed25519 public key.
    pub public_key: String,
    /// `sha256:` and the first 16 hex digits of SHA-256 of the public key.
    pub key_id: String,
    /// `sha256:` and the hex digest of every byte before this line.
    pub signed: String,
    /// Hex of the 64-byte signature over the 32 bytes of that digest.
    pub signature: String,
}

/// One line of a result file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line {
    Header(Box<Header>),
    Sample(Box<Sample>),
    Summary(Box<Summary>),
    Signature(Signature),
}

/// A line as written: JSON and a newline.
pub fn encode(line: &Line) -> Vec<u8> {
    let mut v = serde_json::to_vec(line).unwrap_or_default();
    v.push(b'\n');
    v
}
