//! PLACEHOLDER, being replaced in this session: homebrew ordering, falling back to the generic order.

use std::cmp::Ordering;

use crate::generic::GenericVersion;

/// A homebrew version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomebrewVersion(GenericVersion);

impl HomebrewVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<Self, String> {
        GenericVersion::parse(input).map(HomebrewVersion)
    }
}

impl Ord for HomebrewVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for HomebrewVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
