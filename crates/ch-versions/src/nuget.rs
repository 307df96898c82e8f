//! PLACEHOLDER, being replaced in this session: nuget ordering, falling back to the generic order.

use std::cmp::Ordering;

use crate::generic::GenericVersion;

/// A nuget version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NuGetVersion(GenericVersion);

impl NuGetVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<Self, String> {
        GenericVersion::parse(input).map(NuGetVersion)
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
