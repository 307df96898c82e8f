//! PLACEHOLDER, being replaced in this session: opam ordering, falling back to the generic order.

use std::cmp::Ordering;

use crate::generic::GenericVersion;

/// A opam version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpamVersion(GenericVersion);

impl OpamVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<Self, String> {
        GenericVersion::parse(input).map(OpamVersion)
    }
}

impl Ord for OpamVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for OpamVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
