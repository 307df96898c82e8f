//! Multiple-choice datasets: Inspect / inspect_evals records and CyberMetric files.
//!
//! Accepted shapes (the file is JSON Lines when its first non-blank character is not
//! `[` or `{` spanning the whole file):
//!
//! - one record per line, or a JSON array of records, or `{"questions": [records]}`
//!   (CyberMetric);
//! - a record's question is `input` or `question` (a string);
//! - its choices are `choices` or `options` (a list of strings) or `answers` (a list,
//!   or an object from letters to texts, as CyberMetric has it);
//! - its answer is `target`, `answer`, `solution` or `label`: a letter (`"B"`, `"B)"`),
//!   a 0-based index, or the text of a choice;
//! - `id` (string or number) is kept when present and unique.

use std::collections::BTreeSet;
use std::path::Path;

use ch_marking::Marking;
use serde::Serialize;
use serde_json::Value;

use crate::{create_output, io, write, write_suite, ImportError, Imported};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub id: String,
    pub question: String,
    pub choices: Vec<String>,
    pub answer: String,
}

fn bad(file: &str, line: Option<usize>, field: &str, message: impl Into<String>) -> ImportError {
    ImportError::Input(format!(
        "{file}{}: `{field}`: {}",
        line.map(|l| format!(":{l}")).unwrap_or_default(),
        message.into()
    ))
}

fn record(file: &str, line: Option<usize>, index: usize, v: &Value) -> Result<Record, ImportError> {
    let o = v.as_object().ok_or_else(|| {
        bad(
            file,
            line,
            "record",
            format!("record {} is not a JSON object", index + 1),
        )
    })?;
    let pick = |names: &[&'static str]| -> Option<(&'static str, &Value)> {
        names.iter().find_map(|n| o.get(*n).map(|v| (*n, v)))
    };
    let (qf, q) = pick(&["input", "question"]).ok_or_else(|| {
        bad(
            file,
            line,
            "input",
            "missing: the question (`input` or `question`)",
        )
    })?;
    let question = q
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| bad(file, line, qf, "must be a non-empty string"))?
        .to_owned();
    let (cf, c) = pick(&["choices", "options", "answers"]).ok_or_else(|| {
        bad(
            file,
            line,
            "choices",
            "missing: the choices (`choices`, `options` or `answers`)",
        )
    })?;
    let choices: Vec<String> = match c {
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .or_else(|| x.as_number().map(|n| n.to_string()))
            })
            .collect::<Option<_>>()
            .ok_or_else(|| bad(file, line, cf, "every choice must be a string"))?,
        Value::Object(m) => {
            let mut letters: Vec<(&String, &Value)> = m.iter().collect();
            letters.sort_by_key(|(k, _)| k.to_ascii_uppercase());
            for (i, (k, _)) in letters.iter().enumerate() {
                if k.to_ascii_uppercase() != ((b'A' + i as u8) as char).to_string() {
                    return Err(bad(
                        file,
                        line,
                        cf,
                        format!("keys must be the letters A, B, C… in order; found `{k}`"),
                    ));
                }
            }
            letters
                .into_iter()
                .map(|(_, v)| v.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| bad(file, line, cf, "every choice must be a string"))?
        }
        _ => {
            return Err(bad(
                file,
                line,
                cf,
                "must be a list of strings or an object from letters to strings",
            ))
        }
    };
    if !(2..=26).contains(&choices.len()) {
        return Err(bad(
            file,
            line,
            cf,
            format!("needs 2 to 26 choices, has {}", choices.len()),
        ));
    }
    let (af, a) = pick(&["target", "answer", "solution", "label"]).ok_or_else(|| {
        bad(
            file,
            line,
            "target",
            "missing: the answer (`target`, `answer`, `solution` or `label`)",
        )
    })?;
    let last = (b'A' + choices.len() as u8 - 1) as char;
    let letter = match a {
        Value::Number(n) => n
            .as_u64()
            .filter(|i| (*i as usize) < choices.len())
            .map(|i| (b'A' + i as u8) as char)
            .ok_or_else(|| {
                bad(
                    file,
                    line,
                    af,
                    format!(
                        "index {n} is not one of the {} choices (0-based)",
                        choices.len()
                    ),
                )
            })?,
        Value::String(s) => {
            let t = s
                .trim()
                .trim_end_matches([')', '.', ':'])
                .trim_start_matches('(');
            let up = t.to_ascii_uppercase();
            let mut chars = up.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_uppercase() && c <= last => c,
                _ => match choices.iter().position(|c| c.trim() == s.trim()) {
                    Some(i) => (b'A' + i as u8) as char,
                    None => {
                        return Err(bad(
                            file,
                            line,
                            af,
                            format!("`{s}` is neither a letter A–{last} nor the text of a choice"),
                        ))
                    }
                },
            }
        }
        _ => {
            return Err(bad(
                file,
                line,
                af,
                "must be a letter, a 0-based index or a choice's text",
            ))
        }
    };
    let id = match o.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("q{}", index + 1),
    };
    Ok(Record {
        id,
        question,
        choices,
        answer: letter.to_string(),
    })
}

/// Reads the records of a dataset file's bytes (`file` names it in errors).
pub fn read(file: &str, text: &str) -> Result<Vec<Record>, ImportError> {
    let trimmed = text.trim_start();
    let whole: Option<Value> = if trimmed.starts_with('[') || trimmed.starts_with('{') {
        serde_json::from_str(text).ok()
    } else {
        None
    };
    let mut records = Vec::new();
    match whole {
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                records.push(
                    record(file, None, i, v)
                        .map_err(|e| ImportError::Input(format!("{e} (record {})", i + 1)))?,
                );
            }
        }
        Some(Value::Object(o)) if o.get("questions").is_some_and(Value::is_array) => {
            for (i, v) in o["questions"].as_array().into_iter().flatten().enumerate() {
                records.push(
                    record(file, None, i, v)
                        .map_err(|e| ImportError::Input(format!("{e} (questions[{i}])")))?,
                );
            }
        }
        _ => {
            // JSON Lines (a file of one object is also one line).
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let v: Value = serde_json::from_str(line)
                    .map_err(|e| bad(file, Some(n + 1), "record", format!("not JSON ({e})")))?;
                records.push(record(file, Some(n + 1), records.len(), &v)?);
            }
        }
    }
    if records.is_empty() {
        return Err(ImportError::Empty(format!("{file} holds no records")));
    }
    // Ids must be unique; duplicates fall back to positions.
    let mut seen = BTreeSet::new();
    if !records.iter().all(|r| seen.insert(r.id.clone())) {
        for (i, r) in records.iter_mut().enumerate() {
            r.id = format!("q{}", i + 1);
        }
    }
    Ok(records)
}

#[derive(Serialize)]
struct TaskToml<'a> {
    kind: &'static str,
    category: &'static str,
    questions: &'a [Record],
}

/// Imports `file` as a suite of one multiple-choice task in `out`.
pub fn import(
    file: &Path,
    out: &Path,
    name: &str,
    marking: &Marking,
) -> Result<Imported, ImportError> {
    let text = std::fs::read_to_string(file).map_err(io(file))?;
    let records = read(&file.display().to_string(), &text)?;
    create_output(out)?;
    let id = crate::task_id(
        file.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("questions"),
    );
    let task = toml::to_string(&TaskToml {
        kind: "multiple-choice",
        category: "knowledge",
        questions: &records,
    })
    .map_err(|e| ImportError::Input(format!("cannot write task.toml: {e}")))?;
    write(&out.join("tasks").join(&id).join("task.toml"), &task)?;
    let tasks = vec![id];
    write_suite(
        out,
        name,
        marking,
        format!(
            "Imported from {} ({} questions).",
            file.display(),
            records.len()
        ),
        &tasks,
    )?;
    Ok(Imported {
        suite: out.to_path_buf(),
        tasks,
        samples: records.len(),
        skipped: Vec::new(),
    })
}
