//! opam (OCaml) version ordering, as opam's `OpamVersionCompare.compare`.
//!
//! Reference: opam `src/core/opamVersionCompare.ml` (derived from dose3's Debian
//! comparison) and `OpamPackage.Version.of_string` for validity. Checked by
//! `tests/differential_os.rs` against the `opam` binary (`opam admin list`).
//!
//! # Syntax
//! A non-empty string of ASCII letters, digits and `_ + . ~ -` (opam rejects every
//! other character in a package version). Unlike dpkg there is no epoch (`:` is not
//! allowed) and the version need not start with a digit (`v1.0`, `dev` are valid).
//!
//! # Order
//! The string is split at its **last** `-`: the part before it is compared first, the
//! part after it (empty when there is no `-`) breaks ties. Each part is compared with
//! dpkg's `verrevcmp` (see [`crate::dpkg`]): alternating non-digit runs (weights `~` <
//! end < letters < other characters, by byte) and digit runs (by value, any length).
//! So `1.0~beta < 1.0 < 1.0a < 1.0+1 < 1.0.1`, `1.0 = 1.00 = 1.0-0`, and
//! `1.0-beta < 1.0a` (the `-beta` is split off). Identical strings are equal.
//!
//! # Differences from osv.dev
//! osv.dev's `Opam` ecosystem sorts with univers' `debian.Version`, which orders the
//! same way for the versions it accepts (it also splits at the last `-`; a `:` can
//! not occur in an opam version). It rejects what is not a valid *Debian* version,
//! though, and sorts those after every valid version: versions that do not start
//! with a digit (`v1.0`, `dev`), versions containing `_`, and an empty revision
//! (`1.0-`). We follow opam and order them.

use std::cmp::Ordering;

use crate::dpkg::verrevcmp;

/// A parsed opam version.
#[derive(Debug, Clone)]
pub struct OpamVersion {
    /// Byte index of the last `-`, or the length when there is none.
    split: usize,
    text: String,
}

impl OpamVersion {
    /// Parses an opam version (see module docs for the allowed characters).
    pub fn parse(input: &str) -> Result<Self, String> {
        if input.is_empty() {
            return Err("version is empty".to_owned());
        }
        if !input
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+.~-".contains(&b))
        {
            return Err("invalid character in version".to_owned());
        }
        let split = input.rfind('-').unwrap_or(input.len());
        Ok(OpamVersion {
            split,
            text: input.to_owned(),
        })
    }

    fn upstream(&self) -> &[u8] {
        &self.text.as_bytes()[..self.split]
    }

    fn revision(&self) -> &[u8] {
        self.text.as_bytes().get(self.split + 1..).unwrap_or(b"")
    }
}

impl Ord for OpamVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.text == other.text {
            return Ordering::Equal;
        }
        verrevcmp(self.upstream(), other.upstream())
            .then_with(|| verrevcmp(self.revision(), other.revision()))
    }
}

crate::ord_from_cmp!(OpamVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> OpamVersion {
        OpamVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Each list is strictly increasing.
    const ORDERED: &[&[&str]] = &[
        &["~~", "~", "~1", "0", "0a"],
        &[
            "0.9", "1.0~~", "1.0~beta", "1.0~rc1", "1.0", "1.0-beta", "1.0a", "1.0z", "1.0+1",
            "1.0.1", "1.0.10", "1.1", "2", "10",
        ],
        // Letters before non-letters; upper case before lower case.
        &["1A", "1Z", "1a", "1z", "1+", "1.", "1_"],
        // Non-numeric versions.
        &["alpha", "beta", "dev", "v1", "v1.0", "v2"],
        &["0.1.0", "dev", "v0.1"],
        // Revisions split at the last '-'.
        &["1.0-1", "1.0-2", "1.0-10", "1.0-a", "1.0a-1", "1.0.1-0"],
        &["1.0-a-b", "1.0-a-c", "1.0-b-a"],
        // Long digit runs.
        &["1.99999999999999999999", "1.100000000000000000000", "2.0"],
    ];

    const EQUAL: &[(&str, &str)] = &[
        ("1.0", "1.00"),
        ("1.0", "1.0-0"),
        ("1.0", "1.0-"),
        ("1.01", "1.1"),
        ("01", "1"),
        ("1.0-01", "1.0-1"),
        ("1.0000000000000000000000000000001", "1.1"),
    ];

    #[test]
    fn ordered_tables() {
        for list in ORDERED {
            crate::testing::assert_increasing(v, list);
        }
    }

    #[test]
    fn equalities() {
        crate::testing::assert_equal_pairs(v, EQUAL);
    }

    #[test]
    fn rejected() {
        for s in ["", "1.0 ", "1:0", "1.0/1", "1.0é", "1,0", "1.0\n", "v1.0!"] {
            assert!(OpamVersion::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn accepts_opam_charset() {
        for s in ["-", "-1", "1-", "~", "_", "+", ".", "v1.0_beta+git~1-2"] {
            assert!(OpamVersion::parse(s).is_ok(), "{s:?}");
        }
        let big = format!("1.{}", "9".repeat(3000));
        assert!(v(&big) < v("2"));
    }
}
