//! Evaluation suites as data (issue 5).
//!
//! A suite is a folder:
//!
//! ```text
//! suite.toml            name, version, marking, description, tasks = ["id", …]
//! tasks/<id>/task.toml  kind, category, marking (optional), and the kind's fields
//! tasks/<id>/…          files, setup script, reference solution, tests, exploit
//! ```
//!
//! Task kinds: `multiple-choice` (questions with lettered choices), `ctf` (files, an
//! optional setup script, a fixed flag, a checker script or a flag generated per run
//! and planted in the files, optional subtasks with weights, a reference solution),
//! `vuln-id` (the location and CWE of a vulnerability in code) and `patch` (tests that
//! must pass and an exploit that must fail after the model's patch).
//!
//! A task's identity is its content hash (every file of its folder); a suite's is the
//! hash of its manifest and its tasks' hashes. Markings: a task may be marked higher
//! than UNCLASSIFIED, and the suite's marking must dominate every task's.
//!
//! Reading a suite checks everything that can be checked without running it; every
//! error names the file and the field.

mod hash;
mod model;

pub use hash::{folder_hash, Hash};
pub use model::{
    copy_files, load, Answer, Category, Choice, CtfFlag, Kind, Question, SandboxSpec, Subtask,
    Suite, SuiteError, Task,
};
