//! Running evaluation suites (issue 5): each task's workspace prepared in the sandbox
//! (files copied, a per-run flag planted, the setup script run), reference solutions
//! checked, and — with a model provider — the agent loop, scoring and result files.

mod error;
pub mod reference;
pub mod workspace;

pub use error::HarnessError;
pub use reference::{check_references, ReferenceCheck, ReferenceOutcome};
pub use workspace::{flag_for, sandbox_config, Seed, Workspace};
