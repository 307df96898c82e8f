//! `clearinghouse eval check SUITE`.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::cli::{EvalCommand, Format};
use crate::output::{json, print};

/// `eval check --format json` (docs/schemas/eval-check-v1.schema.json).
#[derive(Serialize)]
struct CheckOut<'a> {
    schema_version: &'static str,
    suite: SuiteOut<'a>,
    tasks: Vec<TaskOut<'a>>,
    /// Whether the reference solutions were run (they will be, in the sandbox).
    solutions_run: bool,
}

#[derive(Serialize)]
struct SuiteOut<'a> {
    name: &'a str,
    version: &'a str,
    description: Option<&'a str>,
    marking: &'a ch_marking::Marking,
    hash: ch_eval_suite::Hash,
}

#[derive(Serialize)]
struct TaskOut<'a> {
    id: &'a str,
    kind: &'static str,
    category: ch_eval_suite::Category,
    marking: &'a ch_marking::Marking,
    samples: usize,
    hash: ch_eval_suite::Hash,
}

pub(crate) fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Check(args) => {
            let suite = ch_eval_suite::load(&args.suite)?;
            let out = CheckOut {
                schema_version: "1",
                suite: SuiteOut {
                    name: &suite.name,
                    version: &suite.version,
                    description: suite.description.as_deref(),
                    marking: &suite.marking,
                    hash: suite.hash,
                },
                tasks: suite
                    .tasks
                    .iter()
                    .map(|t| TaskOut {
                        id: &t.id,
                        kind: t.kind.name(),
                        category: t.category,
                        marking: &t.marking,
                        samples: t.kind.samples(),
                        hash: t.hash,
                    })
                    .collect(),
                solutions_run: false,
            };
            let text = match args.format {
                Format::Json => json(&out)?,
                Format::Table => table(&out),
            };
            print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn table(out: &CheckOut<'_>) -> String {
    let banner = out.suite.marking.banner();
    let rows: Vec<[String; 6]> = out
        .tasks
        .iter()
        .map(|t| {
            [
                t.id.to_owned(),
                t.kind.to_owned(),
                serde_json::to_value(t.category)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                t.marking.banner(),
                t.samples.to_string(),
                t.hash.to_string()[..19].to_owned() + "…",
            ]
        })
        .collect();
    let samples: usize = out.tasks.iter().map(|t| t.samples).sum();
    format!(
        "{banner}\nsuite {} {}: {} tasks, {samples} samples, {}\n\n{}\nchecked without running the reference solutions (the sandbox that runs them is next)\n{banner}\n",
        out.suite.name,
        out.suite.version,
        out.tasks.len(),
        out.suite.hash,
        crate::output::columns(
            &["TASK", "KIND", "CATEGORY", "MARKING", "SAMPLES", "HASH"],
            &rows
        )
    )
}
