//! Cybench's task layout:
//!
//! ```text
//! <task>/metadata/metadata.json     categories, hard_prompt / easy_prompt, target_host, subtasks
//! <task>/init_script.sh             copies the challenge files into the folder given as $1
//! <task>/metadata/solution/…        solution.sh and what it uses
//! ```
//!
//! The last subtask's answer is the flag; the others become weighted subtasks. The
//! init script runs in the sandbox (no network), on a copy of the task folder, and what
//! it copies becomes the task's files. Tasks with a `target_host` need a network service
//! of their own (started by Cybench's `start_docker.sh`) and are skipped, with that
//! reason: Clearinghouse does not run Docker.

use std::path::{Path, PathBuf};

use ch_marking::Marking;
use ch_sandbox::{Exec, Sandbox};
use serde::Serialize;
use serde_json::Value;

use crate::{create_output, io, task_id, write, write_suite, ImportError, Imported, Skipped};

/// Cybench category → ours.
fn category(c: &str) -> &'static str {
    match c.to_ascii_lowercase().as_str() {
        "crypto" | "cryptography" => "cryptography",
        "web" => "web-exploitation",
        "reverse" | "rev" | "reversing" => "reverse-engineering",
        "forensics" => "forensics",
        "pwn" | "binary" => "binary-exploitation",
        _ => "miscellaneous",
    }
}

#[derive(Serialize)]
struct SubtaskToml {
    question: String,
    answer: String,
    weight: f64,
}

#[derive(Serialize)]
struct TaskToml {
    kind: &'static str,
    category: &'static str,
    prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<&'static str>,
    flag: String,
    solution: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subtasks: Vec<SubtaskToml>,
}

/// Which prompt to use: Cybench's `hard_prompt` (unguided, the default) or `easy_prompt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    Hard,
    Easy,
}

/// Finds task folders under `roots` (a folder holding `metadata/metadata.json` is a task).
pub fn find_tasks(roots: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
        if dir.join("metadata/metadata.json").is_file() {
            out.push(dir.to_path_buf());
            return;
        }
        if depth == 0 {
            return;
        }
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut subs: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        subs.sort();
        for s in subs {
            walk(&s, out, depth - 1);
        }
    }
    let mut out = Vec::new();
    for r in roots {
        walk(r, &mut out, 6);
    }
    out
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), ImportError> {
    // Links are not followed: a task's files stay its own.
    ch_eval_suite::copy_files(from, to).map_err(io(from))
}

/// Imports the Cybench tasks found under `roots` into a new suite in `out`.
pub fn import(
    roots: &[PathBuf],
    out: &Path,
    name: &str,
    marking: &Marking,
    prompt: Prompt,
    sandbox: &Sandbox,
) -> Result<Imported, ImportError> {
    let dirs = find_tasks(roots);
    if dirs.is_empty() {
        return Err(ImportError::Empty(
            "no Cybench task (a folder with metadata/metadata.json) under the given paths".into(),
        ));
    }
    create_output(out)?;
    let mut tasks: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for dir in dirs {
        let label = dir.display().to_string();
        let meta_path = dir.join("metadata/metadata.json");
        let text = std::fs::read_to_string(&meta_path).map_err(io(&meta_path))?;
        let meta: Value = serde_json::from_str(&text)
            .map_err(|e| ImportError::Input(format!("{}: not JSON ({e})", meta_path.display())))?;
        let field = |f: &str, why: &str| {
            ImportError::Input(format!("{}: `{f}`: {why}", meta_path.display()))
        };
        if let Some(host) = meta["target_host"]
            .as_str()
            .filter(|h| !h.trim().is_empty())
        {
            skipped.push(Skipped {
                item: label,
                reason: format!(
                    "needs its own network service ({host}, started by Cybench's start_docker.sh)"
                ),
            });
            continue;
        }
        let subtasks = meta["subtasks"]
            .as_array()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                field(
                    "subtasks",
                    "missing or empty: the last subtask's answer is the flag",
                )
            })?;
        let mut subs = Vec::new();
        for (i, s) in subtasks.iter().enumerate() {
            let q = s["question"]
                .as_str()
                .ok_or_else(|| field(&format!("subtasks[{i}].question"), "missing"))?;
            let a = s["answer"]
                .as_str()
                .ok_or_else(|| field(&format!("subtasks[{i}].answer"), "missing"))?;
            let format_hint = s["answer_format"]
                .as_str()
                .filter(|f| !f.is_empty())
                .map(|f| format!(" (answer format: {f})"))
                .unwrap_or_default();
            subs.push(SubtaskToml {
                question: format!("{q}{format_hint}"),
                answer: a.to_owned(),
                weight: 1.0,
            });
        }
        let flag = subs.pop().map(|s| s.answer).unwrap_or_default();
        if flag.trim().is_empty() {
            return Err(field(
                "subtasks",
                "the last subtask's answer (the flag) is empty",
            ));
        }
        let key = if prompt == Prompt::Hard {
            "hard_prompt"
        } else {
            "easy_prompt"
        };
        let text_prompt = meta[key]
            .as_str()
            .filter(|p| !p.trim().is_empty())
            .ok_or_else(|| field(key, "missing"))?
            .replace("$TMP_DIR", "/task")
            .replace("/tmp/cyber-bench", "/task");
        let cat = meta["categories"]
            .as_array()
            .and_then(|c| c.first())
            .and_then(Value::as_str)
            .map_or("miscellaneous", category);
        let mut id = task_id(
            &dir.file_name()
                .and_then(|n| n.to_str())
                .map_or(String::new(), str::to_owned),
        );
        while tasks.contains(&id) {
            id.push_str("-2");
        }
        let task_dir = out.join("tasks").join(&id);
        // The challenge files: what init_script.sh copies, run in the sandbox.
        let files = if dir.join("init_script.sh").is_file() {
            let work = tempfile::Builder::new()
                .prefix("clearinghouse-import-")
                .tempdir()
                .map_err(io(&std::env::temp_dir()))?;
            copy_tree(&dir, work.path())?;
            std::fs::create_dir_all(work.path().join(".ch-files")).map_err(io(work.path()))?;
            let outcome = sandbox.run(
                work.path(),
                &Exec::new(&["bash", "init_script.sh", "/task/.ch-files", "false"]),
            )?;
            if !outcome.success() {
                skipped.push(Skipped {
                    item: label,
                    reason: format!(
                        "init_script.sh failed in the sandbox: {}",
                        outcome
                            .stderr_text()
                            .trim()
                            .lines()
                            .last()
                            .unwrap_or("no output")
                    ),
                });
                continue;
            }
            copy_tree(&work.path().join(".ch-files"), &task_dir.join("files"))?;
            true
        } else if dir.join("release").is_dir() {
            copy_tree(&dir.join("release"), &task_dir.join("files"))?;
            true
        } else {
            false
        };
        let solution_dir = dir.join("metadata/solution");
        let solution = if solution_dir.join("solution.sh").is_file() {
            copy_tree(&solution_dir, &task_dir.join("solution"))?;
            "solution/solution.sh".to_owned()
        } else {
            // No reference solution: the flag itself, so that eval check can still run.
            write(
                &task_dir.join("solution/print-flag.sh"),
                &format!("#!/bin/sh\necho '{}'\n", flag.replace('\'', "'\\''")),
            )?;
            skipped.push(Skipped {
                item: format!("{label} (reference solution)"),
                reason:
                    "no metadata/solution/solution.sh; the imported solution only prints the flag"
                        .into(),
            });
            "solution/print-flag.sh".to_owned()
        };
        let files_opt = if files
            && task_dir
                .join("files")
                .read_dir()
                .is_ok_and(|mut d| d.next().is_some())
        {
            Some("files")
        } else {
            None
        };
        let toml_text = toml::to_string(&TaskToml {
            kind: "ctf",
            category: cat,
            prompt: text_prompt,
            files: files_opt,
            flag,
            solution,
            subtasks: subs,
        })
        .map_err(|e| ImportError::Input(format!("cannot write task.toml: {e}")))?;
        write(&task_dir.join("task.toml"), &toml_text)?;
        tasks.push(id);
    }
    if tasks.is_empty() {
        return Err(ImportError::Empty(format!(
            "every task was skipped: {}",
            skipped
                .iter()
                .map(|s| format!("{} ({})", s.item, s.reason))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    let count = tasks.len();
    write_suite(
        out,
        name,
        marking,
        format!(
            "Imported from Cybench's task layout ({count} tasks, {} prompts).",
            if prompt == Prompt::Hard {
                "hard"
            } else {
                "easy"
            }
        ),
        &tasks,
    )?;
    Ok(Imported {
        suite: out.to_path_buf(),
        samples: count,
        tasks,
        skipped,
    })
}
