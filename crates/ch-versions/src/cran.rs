//! R package version ordering (CRAN, Bioconductor), as R's `package_version`.
//!
//! Reference: R `base::numeric_version` / `package_version` and their comparison
//! (`Ops.numeric_version`, via `.encode_numeric_version`); "Writing R Extensions",
//! §1.1.1 (the `Version` field); osv.dev `osv/ecosystems/cran.py`. Checked by
//! `tests/differential_os.rs` against R (`Rscript`, package r-base-core).
//!
//! # Syntax
//! Non-negative integers (ASCII digits, any length) separated by single `.` or `-`
//! characters: `1.0`, `0.1-18`, `0.99-8.47`. Nothing else is allowed: no letters, no
//! leading or trailing separator, no whitespace.
//!
//! # Order
//! Parts compare numerically from the left (`1.10 > 1.9`, `1.01 = 1.1`); the
//! separator does not matter (`1.0-2 = 1.0.2`). R pads the shorter version with
//! zeros before comparing, so trailing zero parts do not count: `1.9 = 1.9.0 =
//! 1.9-0-0`, and `1.9 < 1.9.0.1`.
//!
//! # Differences
//! * **One part** (`1`): `package_version` rejects it (a package version needs at
//!   least two parts) but `numeric_version` and osv.dev accept it; we accept it and
//!   it orders as `1.0`.
//! * **Big parts**: R stores parts as 32-bit integers and rejects (or mangles) larger
//!   ones; we compare parts of any length by value.
//! * **osv.dev** replaces `-` by `.` and orders with Python `packaging`'s legacy
//!   `parse`. For the versions R accepts the order is the same (PEP 440 release
//!   segments also ignore trailing zeros). Strings R rejects (`1.0-rc1`, `v1.0`) are
//!   given PEP 440 or "legacy" semantics there; we reject them.

use std::cmp::Ordering;

/// A parsed R package version.
#[derive(Debug, Clone)]
pub struct CranVersion {
    /// Parts as digits without leading zeros, trailing zero parts removed.
    parts: Vec<String>,
}

impl CranVersion {
    /// Parses numbers separated by `.` or `-` (see module docs).
    pub fn parse(input: &str) -> Result<Self, String> {
        if input.is_empty() {
            return Err("version is empty".to_owned());
        }
        let mut parts = Vec::new();
        for part in input.split(['.', '-']) {
            if part.is_empty() {
                return Err("empty part (leading, trailing or doubled separator)".to_owned());
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err("parts must be non-negative integers".to_owned());
            }
            parts.push(part.trim_start_matches('0').to_owned());
        }
        while parts.last().is_some_and(String::is_empty) {
            parts.pop();
        }
        Ok(CranVersion { parts })
    }
}

impl Ord for CranVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        crate::cmp_decimal_lists(&self.parts, &other.parts)
    }
}

crate::ord_from_cmp!(CranVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> CranVersion {
        CranVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Strictly increasing. Includes osv.dev's cran_test.py cases (readxl, abd, aqp).
    const ORDERED: &[&str] = &[
        "0.0",
        "0.0.0.1",
        "0.1",
        "0.1.0.1",
        "0.1.1",
        "0.1-3",
        "0.1-12",
        "0.1-18",
        "0.1-22",
        "0.2-2",
        "0.9",
        "0.9.1-10",
        "0.10",
        "0.99-8.1",
        "0.99-8.47",
        "1",
        "1.0-1",
        "1.0.2",
        "1.1",
        "1.9",
        "1.9.0.1",
        "1.10",
        "1.10.0-1",
        "2.0",
        "10.0",
        "4294967296.0",
        "99999999999999999999999999.0",
        "100000000000000000000000000.0",
    ];

    const EQUAL: &[(&str, &str)] = &[
        ("1.9", "1.9.0"),
        ("1.9", "1.9-0-0"),
        ("1.0-2", "1.0.2"),
        ("1.01", "1.1"),
        ("01.2-3", "1.2.3"),
        ("1", "1.0"),
        ("0.0", "0"),
        ("0.0.0", "0-0"),
    ];

    #[test]
    fn ordered_table() {
        crate::testing::assert_increasing(v, ORDERED);
    }

    #[test]
    fn equalities() {
        crate::testing::assert_equal_pairs(v, EQUAL);
    }

    #[test]
    fn rejected() {
        for s in [
            "",
            ".",
            "-",
            "1.",
            ".1",
            "1..0",
            "1.-0",
            "1.0-",
            "1.0-devel",
            "1.0-rc1",
            "v1.0",
            "1.0 ",
            " 1.0",
            "1,0",
            "1_0",
            "-1.0",
            "+1.0",
            "1.0a",
            "١.٠",
        ] {
            assert!(CranVersion::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn huge_parts_do_not_panic() {
        let a = format!("1.{}", "9".repeat(10_000));
        let b = format!("1.1{}", "0".repeat(10_000));
        assert!(v(&a) < v(&b));
    }
}
