//! PLACEHOLDER, being replaced in this session: composer ordering, falling back to the generic order.

use std::cmp::Ordering;

use crate::generic::GenericVersion;

/// A composer version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposerVersion(GenericVersion);

impl ComposerVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<Self, String> {
        GenericVersion::parse(input).map(ComposerVersion)
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
