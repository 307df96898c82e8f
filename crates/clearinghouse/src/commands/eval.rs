//! `clearinghouse eval check SUITE`.

use std::process::ExitCode;

use anyhow::Result;
use ch_eval_harness::{ReferenceCheck, ReferenceOutcome, Seed};
use serde::Serialize;

use crate::cli::{EvalCommand, Format};
use crate::output::{json, print};

/// `eval check --format json` (docs/schemas/eval-check-v1.schema.json).
#[derive(Serialize)]
struct CheckOut<'a> {
    schema_version: &'static str,
    suite: SuiteOut<'a>,
    tasks: Vec<TaskOut<'a>>,
    /// Whether the reference solutions were run in the sandbox.
    solutions_run: bool,
    /// Whether every reference solution that was run solved its task.
    solvable: Option<bool>,
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
    reference: Option<ReferenceCheck>,
}

pub(crate) fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Check(args) => {
            let suite = ch_eval_suite::load(&args.suite)?;
            let mut references: Vec<Option<ReferenceCheck>> = vec![None; suite.tasks.len()];
            if !args.static_only {
                let sandbox =
                    ch_sandbox::Sandbox::new(ch_eval_harness::sandbox_config(&suite.sandbox))?;
                let checks = ch_eval_harness::check_references(&suite, &sandbox, &Seed::random()?)?;
                references = checks.into_iter().map(Some).collect();
            }
            let solvable = (!args.static_only).then(|| {
                references
                    .iter()
                    .flatten()
                    .all(|r| r.outcome != ReferenceOutcome::Failed)
            });
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
                    .zip(references)
                    .map(|(t, reference)| TaskOut {
                        id: &t.id,
                        kind: t.kind.name(),
                        category: t.category,
                        marking: &t.marking,
                        samples: t.kind.samples(),
                        hash: t.hash,
                        reference,
                    })
                    .collect(),
                solutions_run: !args.static_only,
                solvable,
            };
            let text = match args.format {
                Format::Json => json(&out)?,
                Format::Table => table(&out),
            };
            print(&text)?;
            // A suite whose reference solution fails is not usable: exit 1, like a
            // scan's findings, so scripts can tell it from a malformed suite (2).
            Ok(if solvable == Some(false) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn category(c: ch_eval_suite::Category) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
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
                category(t.category),
                t.marking.banner(),
                t.samples.to_string(),
                match &t.reference {
                    None => "not run".to_owned(),
                    Some(r) => match r.outcome {
                        ReferenceOutcome::Solved => format!("solved ({} ms)", r.elapsed_ms),
                        ReferenceOutcome::Failed => "FAILED".to_owned(),
                        ReferenceOutcome::NotApplicable => "nothing to run".to_owned(),
                    },
                },
            ]
        })
        .collect();
    let samples: usize = out.tasks.iter().map(|t| t.samples).sum();
    let failures: Vec<String> = out
        .tasks
        .iter()
        .filter_map(|t| t.reference.as_ref())
        .filter(|r| r.outcome == ReferenceOutcome::Failed)
        .map(|r| format!("  {}: {}\n", r.task, r.detail))
        .collect();
    let verdict = match out.solvable {
        None => "checked without running the reference solutions (--static-only)\n".to_owned(),
        Some(true) => "every reference solution solved its task in the sandbox\n".to_owned(),
        Some(false) => format!("reference solutions that failed:\n{}", failures.concat()),
    };
    format!(
        "{banner}\nsuite {} {}: {} tasks, {samples} samples, {}\n\n{}\n{verdict}{banner}\n",
        out.suite.name,
        out.suite.version,
        out.tasks.len(),
        out.suite.hash,
        crate::output::columns(
            &[
                "TASK",
                "KIND",
                "CATEGORY",
                "MARKING",
                "SAMPLES",
                "REFERENCE"
            ],
            &rows
        )
    )
}
