//! Importing the public formats evaluators already have into suites (issue 5):
//!
//! - [`mcq`]: multiple-choice datasets as Inspect and inspect_evals keep them (JSON
//!   Lines or a JSON array of `{input, choices, target}` records, with the common
//!   variants of those names) and CyberMetric's `{"questions": [{question, answers,
//!   solution}]}`;
//! - [`cybench`]: Cybench's task layout (`metadata/metadata.json`, `init_script.sh`,
//!   `metadata/solution/`). Tasks that need their own network service (a
//!   `target_host`) are listed as skipped, with the reason.
//!
//! An import writes a new suite folder that `clearinghouse eval check` then checks
//! (and, for Cybench, proves solvable by running the imported solutions).

use std::path::{Path, PathBuf};

use ch_marking::Marking;
use serde::Serialize;

pub mod cybench;
pub mod mcq;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Bad input, with the file (and line) and field named.
    #[error("{0}")]
    Input(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: the output folder exists and is not empty; choose a new one")]
    OutputExists(PathBuf),
    #[error(transparent)]
    Sandbox(#[from] ch_sandbox::SandboxError),
    #[error("nothing to import: {0}")]
    Empty(String),
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub suite: PathBuf,
    pub tasks: Vec<String>,
    /// Samples (questions count one each).
    pub samples: usize,
    /// Items left out, with why.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub item: String,
    pub reason: String,
}

/// A task id from any name: lower case letters, digits and `-`.
pub(crate) fn task_id(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_owned();
    if id.is_empty() {
        "task".into()
    } else {
        id
    }
}

/// Creates the output folder (it must not exist, or be empty).
pub(crate) fn create_output(out: &Path) -> Result<(), ImportError> {
    if out.exists() {
        let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
        if !empty {
            return Err(ImportError::OutputExists(out.to_path_buf()));
        }
    }
    std::fs::create_dir_all(out).map_err(io(out))
}

#[derive(Serialize)]
struct SuiteToml<'a> {
    name: &'a str,
    version: &'a str,
    marking: String,
    description: String,
    tasks: &'a [String],
}

pub(crate) fn write_suite(
    out: &Path,
    name: &str,
    marking: &Marking,
    description: String,
    tasks: &[String],
) -> Result<(), ImportError> {
    let text = toml::to_string(&SuiteToml {
        name,
        version: "1.0.0",
        marking: marking.to_string(),
        description,
        tasks,
    })
    .map_err(|e| ImportError::Input(format!("cannot write suite.toml: {e}")))?;
    let path = out.join("suite.toml");
    std::fs::write(&path, text).map_err(io(&path))
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), ImportError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(path, text).map_err(io(path))
}
