//! Haskell version ordering (Hackage, GHC), as `Data.Version` / Cabal's `Version`.
//!
//! Reference: Cabal-syntax `Distribution.Types.Version` (the `Ord` instance on the
//! list of numeric parts) and the Haskell PVP; osv.dev `osv/ecosystems/haskell.py`,
//! whose Hackage sort key is `[int(x) for x in version.split('.')]`. No GHC or Cabal
//! binary runs in our test environment, so this is checked by the unit tests below.
//!
//! # Syntax
//! One or more non-negative integers (ASCII digits, any length) separated by `.`:
//! `0`, `1.2.3`, `2.0.0.1`. Leading zeros are accepted (osv.dev's `int()` accepts
//! them; Cabal's parser does not) and ignored.
//!
//! # Order
//! Lexicographic by numeric value, part by part; a version that is a proper prefix of
//! another is smaller, so trailing zeros **do** count: `1.0 < 1.0.0 < 1.0.0.1 < 1.1`
//! (unlike R's or PEP 440's ordering).
//!
//! # Differences from osv.dev
//! * osv.dev maps every string it cannot read to the key `[999999]`, so such a string
//!   compares like the version `999999` (after `999998.x`, before `1000000`); we
//!   reject it and leave the decision to the caller.
//! * Python's `int()` also reads `" 1"`, `"+1"`, `"-1"`, `"1_0"` and non-ASCII digits
//!   (`"١"`); we reject them.
//! * osv.dev's `GHC` ecosystem compares `X.Y.Z-rcN` tags as SemVer pre-releases; this
//!   scheme accepts only the numeric form (every GHC release version is numeric).

use std::cmp::Ordering;

/// A parsed Haskell version.
#[derive(Debug, Clone)]
pub struct HackageVersion {
    /// Parts as digits without leading zeros.
    parts: Vec<String>,
}

impl HackageVersion {
    /// Parses dot-separated non-negative integers.
    pub fn parse(input: &str) -> Result<Self, String> {
        if input.is_empty() {
            return Err("version is empty".to_owned());
        }
        let mut parts = Vec::new();
        for part in input.split('.') {
            if part.is_empty() {
                return Err("empty part (leading, trailing or doubled dot)".to_owned());
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err("parts must be non-negative integers".to_owned());
            }
            parts.push(part.trim_start_matches('0').to_owned());
        }
        Ok(HackageVersion { parts })
    }
}

impl Ord for HackageVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        crate::cmp_decimal_lists(&self.parts, &other.parts)
    }
}

crate::ord_from_cmp!(HackageVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> HackageVersion {
        HackageVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Strictly increasing. Includes osv.dev's GHC historical versions (numeric ones).
    const ORDERED: &[&str] = &[
        "0",
        "0.0",
        "0.0.0",
        "0.1",
        "0.29",
        "1",
        "1.0",
        "1.0.0",
        "1.0.0.0",
        "1.0.0.1",
        "1.0.1",
        "1.1",
        "1.2.3",
        "1.2.3.4",
        "1.9",
        "1.10",
        "2.10",
        "3.02",
        "3.03",
        "4.02",
        "4.08",
        "4.08.1",
        "5.00",
        "5.00.1",
        "5.02.3",
        "6.0",
        "6.0.1",
        "6.8.3",
        "6.10.1",
        "6.12.3",
        "7.0.4",
        "9.2.1",
        "999999",
        "1000000",
        "18446744073709551616",
        "99999999999999999999999999999999",
    ];

    const EQUAL: &[(&str, &str)] = &[
        ("1.01", "1.1"),
        ("01", "1"),
        ("0.00", "0.0"),
        ("3.02", "3.2"),
    ];

    #[test]
    fn ordered_table() {
        crate::testing::assert_increasing(v, ORDERED);
    }

    #[test]
    fn equalities() {
        crate::testing::assert_equal_pairs(v, EQUAL);
        assert_ne!(v("1.0"), v("1.0.0"));
    }

    #[test]
    fn rejected() {
        for s in [
            "",
            ".",
            "1.",
            ".1",
            "1..2",
            "1-2",
            "1.0-rc1",
            "6.10.2-rc1",
            "v1",
            " 1",
            "1 ",
            "+1",
            "-1",
            "1_0",
            "١",
            "1.a",
            "1.0.0-alpha",
        ] {
            assert!(HackageVersion::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn huge_parts_do_not_panic() {
        let a = format!("1.{}", "9".repeat(10_000));
        let b = format!("1.1{}", "0".repeat(10_000));
        assert!(v(&a) < v(&b));
    }
}
