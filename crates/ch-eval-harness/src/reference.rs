//! Proving a suite solvable: every task's reference solution runs in the sandbox, on a
//! freshly prepared workspace with a freshly generated flag, and must succeed.

use std::time::Instant;

use ch_eval_suite::{CtfFlag, Kind, Suite, Task};
use ch_sandbox::{Exec, Outcome, Sandbox, Session};
use serde::Serialize;

use crate::error::HarnessError;
use crate::workspace::{describe, run_script, tail, Seed, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceOutcome {
    /// The reference solution ran and solved the task.
    Solved,
    /// It ran and did not.
    Failed,
    /// The kind has nothing to run (multiple choice, vulnerability identification).
    NotApplicable,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceCheck {
    pub task: String,
    pub outcome: ReferenceOutcome,
    /// What was checked, or why it failed.
    pub detail: String,
    pub elapsed_ms: u64,
}

/// Runs every reference solution of `suite` (in manifest order). A task whose
/// solution fails is reported, not an error; an error means the sandbox itself
/// could not run.
pub fn check_references(
    suite: &Suite,
    sandbox: &Sandbox,
    seed: &Seed,
) -> Result<Vec<ReferenceCheck>, HarnessError> {
    suite
        .tasks
        .iter()
        .map(|task| {
            let started = Instant::now();
            let (outcome, detail) = check_task(task, sandbox, seed)?;
            Ok(ReferenceCheck {
                task: task.id.clone(),
                outcome,
                detail,
                elapsed_ms: started.elapsed().as_millis() as u64,
            })
        })
        .collect()
}

fn check_task(
    task: &Task,
    sandbox: &Sandbox,
    seed: &Seed,
) -> Result<(ReferenceOutcome, String), HarnessError> {
    use ReferenceOutcome::*;
    match &task.kind {
        Kind::MultipleChoice { questions } => Ok((
            NotApplicable,
            format!(
                "{} questions, answers checked against their choices",
                questions.len()
            ),
        )),
        Kind::VulnId { answer, .. } => Ok((
            NotApplicable,
            format!(
                "answer {}:{} {} exists",
                answer.file, answer.line, answer.cwe
            ),
        )),
        Kind::Ctf { solution, flag, .. } => {
            let ws = Workspace::prepare(task, seed, 0)?;
            let session = sandbox.session(ws.path())?;
            match ws.setup(task, &session) {
                Ok(()) => {}
                Err(HarnessError::Setup { status, stderr, .. }) => {
                    return Ok((Failed, format!("setup {status}: {stderr}")))
                }
                Err(e) => return Err(e),
            }
            let out = run_script(&session, &task.dir.join(solution), b"", &[])?;
            if !out.success() {
                return Ok((
                    Failed,
                    format!(
                        "the solution {}: {}",
                        describe(&out),
                        tail(&out.stderr_text(), 300)
                    ),
                ));
            }
            let stdout = out.stdout_text();
            match (flag, &ws.flag) {
                (CtfFlag::Checker(checker), _) => {
                    let submission = last_line(&stdout);
                    let verdict = checker_accepts(sandbox, task, checker, &submission)?;
                    Ok(if verdict.success() {
                        (Solved, format!("the checker accepted `{submission}`"))
                    } else {
                        (
                            Failed,
                            format!(
                                "the checker rejected `{submission}` ({})",
                                describe(&verdict)
                            ),
                        )
                    })
                }
                (CtfFlag::Generated { .. }, Some(f)) if stdout.contains(f.as_str()) => {
                    Ok((Solved, "printed the flag generated for this run".into()))
                }
                (CtfFlag::Fixed(_), Some(f)) if stdout.contains(f.as_str()) => {
                    Ok((Solved, "printed the flag".into()))
                }
                _ => Ok((
                    Failed,
                    format!(
                        "the solution's output holds no flag: {}",
                        tail(&stdout, 200)
                    ),
                )),
            }
        }
        Kind::Patch {
            tests,
            exploit,
            solution,
            ..
        } => {
            let ws = Workspace::prepare(task, seed, 0)?;
            let session = sandbox.session(ws.path())?;
            let before = run_script(&session, &task.dir.join(exploit), b"", &[])?;
            if !before.success() {
                return Ok((
                    Failed,
                    format!(
                        "the exploit {} on the unpatched code: it must succeed there",
                        describe(&before)
                    ),
                ));
            }
            let applied = apply(&session, task, solution)?;
            if !applied.success() {
                return Ok((
                    Failed,
                    format!(
                        "the reference patch {}: {}",
                        describe(&applied),
                        tail(&applied.stderr_text(), 300)
                    ),
                ));
            }
            let t = run_script(&session, &task.dir.join(tests), b"", &[])?;
            if !t.success() {
                return Ok((
                    Failed,
                    format!(
                        "the tests {} after the reference patch: {}",
                        describe(&t),
                        tail(&t.stdout_text(), 300)
                    ),
                ));
            }
            let after = run_script(&session, &task.dir.join(exploit), b"", &[])?;
            if after.success() {
                return Ok((
                    Failed,
                    "the exploit still succeeds after the reference patch".into(),
                ));
            }
            Ok((
                Solved,
                "the exploit works on the original, the patched code passes the tests and stops the exploit".into(),
            ))
        }
    }
}

/// Applies a patch task's solution: a unified diff (`.diff`, `.patch`) with `patch -p1`,
/// or a script that edits the files.
pub(crate) fn apply(
    session: &Session<'_>,
    task: &Task,
    solution: &str,
) -> Result<Outcome, HarnessError> {
    let path = task.dir.join(solution);
    if solution.ends_with(".diff") || solution.ends_with(".patch") {
        let diff = std::fs::read(&path).map_err(crate::error::io(&path))?;
        Ok(session.run(&patch_exec(diff))?)
    } else {
        run_script(session, &path, b"", &[])
    }
}

/// `patch -p1` reading a unified diff from stdin, refusing to leave the folder.
pub(crate) fn patch_exec(diff: Vec<u8>) -> Exec {
    Exec::new(&[
        "patch",
        "-p1",
        "--batch",
        "--forward",
        "--no-backup-if-mismatch",
        "-s",
    ])
    .stdin(diff)
}

/// Runs the checker on a scratch folder with the submission on stdin.
pub(crate) fn checker_accepts(
    sandbox: &Sandbox,
    task: &Task,
    checker: &str,
    submission: &str,
) -> Result<Outcome, HarnessError> {
    let scratch = tempfile::Builder::new()
        .prefix("clearinghouse-checker-")
        .tempdir()
        .map_err(crate::error::io(&std::env::temp_dir()))?;
    let session = sandbox.session(scratch.path())?;
    run_script(
        &session,
        &task.dir.join(checker),
        format!("{submission}\n").as_bytes(),
        &[("SUBMISSION".to_owned(), submission.to_owned())],
    )
}

fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}
