//! PLACEHOLDER, being replaced in this session: rpm ordering, falling back to the generic order.

use std::cmp::Ordering;

use crate::generic::GenericVersion;

/// A rpm version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpmVersion(GenericVersion);

impl RpmVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<Self, String> {
        GenericVersion::parse(input).map(RpmVersion)
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
