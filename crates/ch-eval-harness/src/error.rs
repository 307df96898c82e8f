use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error(transparent)]
    Sandbox(#[from] ch_sandbox::SandboxError),
    #[error(transparent)]
    Result(#[from] ch_eval_result::ResultError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("task `{task}`: the setup script {status}: {stderr}")]
    Setup {
        task: String,
        status: String,
        stderr: String,
    },
    #[error("stopped: {samples} sample{}{} could not reach the model (last: {reason}); {} not recorded, the finished samples are kept, and the same command resumes the run", if *samples == 1 { "" } else { "s" }, if *in_a_row { " in a row" } else { "" }, if *samples == 1 { "it is" } else { "they are" })]
    Unreachable {
        samples: usize,
        in_a_row: bool,
        reason: String,
    },
    #[error("the suite has no task `{0}`")]
    UnknownTask(String),
}

pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> HarnessError + '_ {
    move |source| HarnessError::Io {
        path: path.to_path_buf(),
        source,
    }
}
