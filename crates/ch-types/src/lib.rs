//! The Clearinghouse vocabulary: small values every other crate shares.
//!
//! * [`Ecosystem`]: an OSV ecosystem string such as `PyPI`, `Debian:12` or
//!   `Ubuntu:Pro:22.04:LTS`, split into its known base ([`EcosystemKind`]) and suffix.
//! * [`normalize_name`]: package names folded the way each ecosystem's registry folds
//!   them (PEP 503 for PyPI, case-insensitive registries lower-cased, …).
//! * [`Purl`]: package URLs (ECMA-427), and their mapping to OSV ecosystems.
//!
//! Parsing only: no IO, no knowledge of advisories or version ordering.

mod ecosystem;
mod name;
mod purl;

pub use ecosystem::{Ecosystem, EcosystemError, EcosystemKind};
pub use name::normalize_name;
pub use purl::{Purl, PurlError};
