//! Running evaluation suites (issue 5): each task's workspace prepared in the sandbox
//! (files copied, a per-run flag planted, the setup script run), reference solutions
//! checked, the agent loop against a model provider, scoring, and the result file.

mod agent;
mod error;
pub mod reference;
pub mod run;
pub mod scoring;
pub mod workspace;

use ch_eval_result::{Harness, Header, ModelRef, RunSettings, SuiteRef, TaskRef};
use ch_eval_suite::{Category, Suite};
use ch_marking::Marking;

pub use agent::SampleLimits;
pub use error::HarnessError;
pub use reference::{check_references, ReferenceCheck, ReferenceOutcome};
pub use run::{execute, sample_id, RunOptions};
pub use workspace::{flag_for, sandbox_config, Seed, Workspace};

/// A category's name as suites and results spell it (`web-exploitation`, …).
pub fn category_name(c: Category) -> String {
    c.as_str().to_owned()
}

/// The header of a run of `suite` (or of the tasks named in `only`).
pub fn header(
    suite: &Suite,
    only: &[String],
    model: ModelRef,
    opts: &RunOptions<'_>,
    retry: serde_json::Value,
    started: String,
) -> Result<Header, HarnessError> {
    if let Some(unknown) = only
        .iter()
        .find(|id| !suite.tasks.iter().any(|t| &t.id == *id))
    {
        return Err(HarnessError::UnknownTask(unknown.clone()));
    }
    let tasks: Vec<TaskRef> = suite
        .tasks
        .iter()
        .filter(|t| only.is_empty() || only.contains(&t.id))
        .map(|t| TaskRef {
            id: t.id.clone(),
            kind: t.kind.name().to_owned(),
            category: category_name(t.category),
            marking: t.marking.clone(),
            hash: t.hash.to_string(),
            samples: t.kind.samples() as u64,
        })
        .collect();
    // The suite's marking covers its manifest, which the header quotes; it dominates
    // every task's, so the join is the high-water mark of everything in the file.
    let marking = Marking::join_all(
        std::iter::once(&suite.marking).chain(suite.tasks.iter().map(|t| &t.marking)),
    );
    let spec = &suite.sandbox;
    Ok(Header {
        schema_version: ch_eval_result::SCHEMA_VERSION.to_owned(),
        marking,
        harness: Harness {
            name: "clearinghouse".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        suite: SuiteRef {
            name: suite.name.clone(),
            version: suite.version.clone(),
            hash: suite.hash.to_string(),
            marking: suite.marking.clone(),
        },
        tasks,
        model,
        run: RunSettings {
            seed: opts.seed.to_string(),
            epochs: opts.epochs,
            concurrency: opts.concurrency as u32,
            limits: ch_eval_result::Limits {
                messages: opts.limits.messages,
                tokens: opts.limits.tokens,
                time_seconds: opts.limits.time.as_secs(),
                tool_output_bytes: opts.limits.tool_output_bytes as u64,
            },
            prices: opts.prices,
            sandbox: serde_json::json!({
                "root": spec.root.as_ref().map_or("host".to_owned(), |p| p.display().to_string()),
                "network": spec.network,
                "wall_seconds": spec.wall_seconds,
                "cpu_seconds": spec.cpu_seconds,
                "memory_mb": spec.memory_mb,
                "processes": spec.processes,
            }),
            retry,
        },
        started,
    })
}
