//! SemVer 2.0.0 precedence, and the two dialects built on it: npm and Go.
//!
//! Parsing is strict SemVer 2.0.0 (the `semver` crate): three numeric parts without
//! leading zeros, optional pre-release and build metadata. Precedence ignores build
//! metadata, as §10 of the specification requires, so `1.0.0+a` and `1.0.0+b` are
//! equal.
//!
//! * **npm** (node-semver): surrounding whitespace and a leading `v` or `=` are
//!   tolerated, as node-semver's `clean` does. node-semver's rule that a range only
//!   matches pre-releases on the same `major.minor.patch` concerns range syntax; OSV
//!   ranges have no such rule, so pre-releases inside an OSV range are affected.
//! * **Go**: the leading `v` is optional (Go's advisory data omits it), `vMAJOR` and
//!   `vMAJOR.MINOR` shorthands mean `.0` padding (as `golang.org/x/mod/semver` does),
//!   pseudo-versions are ordinary pre-releases, and `+incompatible` is build metadata.

use std::cmp::Ordering;

/// A SemVer 2.0.0 version, ordered by precedence.
#[derive(Debug, Clone)]
pub struct SemVersion(::semver::Version);

impl SemVersion {
    /// Strict SemVer 2.0.0.
    pub fn parse(input: &str) -> Result<Self, String> {
        ::semver::Version::parse(input)
            .map(SemVersion)
            .map_err(|e| e.to_string())
    }

    /// node-semver: tolerates surrounding whitespace and a leading `v` or `=`.
    pub fn parse_npm(input: &str) -> Result<Self, String> {
        let trimmed = input.trim().trim_start_matches(['=', 'v']).trim_start();
        Self::parse(trimmed)
    }

    /// Go modules: optional `v`, `vMAJOR[.MINOR]` shorthands.
    pub fn parse_go(input: &str) -> Result<Self, String> {
        let body = input.strip_prefix('v').unwrap_or(input);
        let core_end = body.find(['-', '+']).unwrap_or(body.len());
        let n_dots = body[..core_end].matches('.').count();
        if n_dots < 2 && core_end == body.len() && !body.is_empty() {
            let padded = if n_dots == 0 {
                format!("{body}.0.0")
            } else {
                format!("{body}.0")
            };
            return Self::parse(&padded);
        }
        Self::parse(body)
    }

    /// The underlying version.
    pub fn as_semver(&self) -> &::semver::Version {
        &self.0
    }
}

impl SemVersion {
    /// See [`crate::Version::order_prefix`]: major, minor and patch (16 bits
    /// each), then 1 for a release, 0 for a pre-release (which sorts first).
    pub(crate) fn order_prefix(&self) -> u64 {
        crate::pack_prefix(self.prefix_fields())
    }

    fn prefix_fields(&self) -> [(Option<u64>, u32); 4] {
        let v = &self.0;
        [
            (Some(v.major), 16),
            (Some(v.minor), 16),
            (Some(v.patch), 16),
            (Some(u64::from(v.pre.is_empty())), 15),
        ]
    }

    /// See [`crate::Version::prefix_is_exact`]: a release (build metadata does not
    /// count in precedence) whose numbers fit their fields.
    pub(crate) fn prefix_is_exact(&self) -> bool {
        self.0.pre.is_empty() && crate::fields_fit(&self.prefix_fields())
    }
}

impl Ord for SemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_precedence(&other.0)
    }
}

crate::ord_from_cmp!(SemVersion);

#[cfg(test)]
mod tests {
    use super::*;

    fn check(parse: fn(&str) -> Result<SemVersion, String>, ordered: &[&str]) {
        for pair in ordered.windows(2) {
            let a = parse(pair[0]).unwrap();
            let b = parse(pair[1]).unwrap();
            assert_eq!(a.cmp(&b), Ordering::Less, "{} < {}", pair[0], pair[1]);
            assert_eq!(b.cmp(&a), Ordering::Greater, "{} > {}", pair[1], pair[0]);
        }
    }

    #[test]
    fn semver_spec_precedence_example() {
        // SemVer 2.0.0 §11, verbatim.
        check(
            SemVersion::parse,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "2.0.0",
                "2.1.0",
                "2.1.1",
            ],
        );
    }

    #[test]
    fn build_metadata_is_ignored() {
        let a = SemVersion::parse("1.0.0+build.1").unwrap();
        let b = SemVersion::parse("1.0.0+build.2").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn strict_parse_rejects_v_and_leading_zeros() {
        assert!(SemVersion::parse("v1.0.0").is_err());
        assert!(SemVersion::parse("01.0.0").is_err());
        assert!(SemVersion::parse("1.0").is_err());
        assert!(SemVersion::parse_npm(" =v1.2.3 ").is_ok());
    }

    #[test]
    fn go_shorthands_pseudo_versions_and_incompatible() {
        check(
            SemVersion::parse_go,
            &[
                "v0.0.0-20191109021931-daa7c04131f5",
                "0.0.1",
                "v1",
                "v1.0.1-0.20200101000000-abcdefabcdef",
                "v1.0.1",
                "v1.2",
                "v2.0.0+incompatible",
                "2.0.1",
            ],
        );
        assert_eq!(
            SemVersion::parse_go("v1").unwrap(),
            SemVersion::parse_go("1.0.0").unwrap()
        );
        assert_eq!(
            SemVersion::parse_go("v2.0.0+incompatible").unwrap(),
            SemVersion::parse_go("2.0.0").unwrap()
        );
        assert!(SemVersion::parse_go("v1.2-pre").is_err());
    }
}
