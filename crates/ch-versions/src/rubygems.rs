//! PLACEHOLDER, being replaced in this session: rubygems ordering, falling back to the generic order.

use std::cmp::Ordering;

use crate::generic::GenericVersion;

/// A rubygems version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GemVersion(GenericVersion);

impl GemVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<Self, String> {
        GenericVersion::parse(input).map(GemVersion)
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
