//! PLACEHOLDER, being replaced in this session: maven ordering, falling back to the generic order.

use std::cmp::Ordering;

use crate::generic::GenericVersion;

/// A maven version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MavenVersion(GenericVersion);

impl MavenVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<Self, String> {
        GenericVersion::parse(input).map(MavenVersion)
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
