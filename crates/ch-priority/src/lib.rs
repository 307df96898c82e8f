//! Prioritisation as policy data: what to fix first, by when, and why.
//!
//! * [`policy`]: the policy files (`policies/` in the repository, or any path the
//!   caller reads): SSVC decision tables, directives with their effective dates and
//!   what they supersede (BOD 26-04, 22-01, 19-02, 23-01, emergency directives), and
//!   agency overlays that may only shorten deadlines. Every file is checked: unknown
//!   keys, bad dates, overlapping or missing rows are errors naming file and line.
//! * [`engine`]: from a vulnerability's facts (KEV, Vulnrichment, EPSS, CVSS), the
//!   system's context and the detection date, the SSVC decision and every deadline of
//!   the directives in force then, each naming its row or rule and the inputs (and
//!   their sources) that set it; the earliest governs. [`engine::changes`] says what
//!   a recomputation changed.
//!
//! No IO: callers read files and pass their text.

pub mod context;
pub mod engine;
mod error;
pub mod facts;
pub mod policy;
pub mod table;

pub use error::PolicyError;
