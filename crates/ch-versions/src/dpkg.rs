//! dpkg version ordering (Debian, Ubuntu), as dpkg's `verrevcmp`.
//!
//! Reference: dpkg `lib/dpkg/version.c` (`dpkg_version_compare`, `verrevcmp`) and
//! `lib/dpkg/parse.c` (`parseversion`); Debian Policy §5.6.12. Checked by
//! `tests/differential_os.rs` against libapt (`apt_pkg.version_compare`) and
//! `dpkg --compare-versions` / `dpkg --validate-version`.
//!
//! # Syntax
//! `[epoch:]upstream[-revision]`:
//! * The **epoch** is everything before the first `:`. It must be ASCII digits and
//!   at most `2147483647` (dpkg's `INT_MAX`); a missing epoch is 0. Something must
//!   follow the colon.
//! * The **revision** is everything after the last `-`; it must not be empty when
//!   the `-` is present. A missing revision compares like `""` (so `1.0` = `1.0-0`).
//! * The **upstream** version is what remains. It must not be empty, must start with
//!   an ASCII digit, and may contain ASCII letters, digits and `. + ~ - :`.
//! * The revision may contain ASCII letters, digits and `. + ~`.
//!
//! We accept exactly what `dpkg --validate-version` accepts, with two deliberate
//! exceptions where we are stricter (both documented differences):
//! * dpkg trims leading and trailing blanks; we reject any whitespace.
//! * dpkg reads the epoch with `strtol`, so it takes a leading `+` (`+1:2`); we
//!   require plain digits.
//!
//! dpkg only *warns* (and still compares) for an upstream version that does not start
//! with a digit and for characters outside the sets above; `dpkg --validate-version`
//! rejects those, and so do we.
//!
//! # Order
//! Epochs compare numerically, then upstream versions, then revisions, each with
//! `verrevcmp`: the string is split into alternating non-digit and digit runs. Non-
//! digit runs compare character by character with the weights `~` < end of run <
//! ASCII letters (by byte) < every other character (by byte). Digit runs compare by
//! numeric value (leading zeros ignored, any length). So `1.0~rc1 < 1.0 < 1.0a <
//! 1.0+b1 < 1.0.1`, and `1.01 = 1.1`.
//!
//! # Differences from osv.dev
//! osv.dev's `Debian` ecosystem uses univers' `debian.Version`; for every version
//! both accept, the order is the same. Validity differs at the edges: osv.dev's regex
//! rejects a `:` inside the upstream version (`1:2:3`, which dpkg accepts) and
//! accepts an empty revision (`1.0-`, which dpkg rejects) and epochs of any size.
//! osv.dev sorts versions it finds invalid after every valid one; here they fail to
//! parse, and the caller decides.

use std::cmp::Ordering;

/// A parsed dpkg version.
#[derive(Debug, Clone)]
pub struct DpkgVersion {
    epoch: u32,
    upstream: String,
    revision: String,
}

impl DpkgVersion {
    /// Parses `[epoch:]upstream[-revision]` with dpkg's validity rules (see module docs).
    pub fn parse(input: &str) -> Result<Self, String> {
        if input.is_empty() {
            return Err("version string is empty".to_owned());
        }
        if input.chars().any(char::is_whitespace) {
            return Err("version string has whitespace".to_owned());
        }
        let (epoch, rest) = match input.split_once(':') {
            Some((epoch, rest)) => {
                if epoch.is_empty() {
                    return Err("epoch is empty".to_owned());
                }
                if !epoch.bytes().all(|b| b.is_ascii_digit()) {
                    return Err("epoch is not a number".to_owned());
                }
                let digits = epoch.trim_start_matches('0');
                let value = if digits.len() > 10 {
                    None
                } else if digits.is_empty() {
                    Some(0)
                } else {
                    digits.parse::<u64>().ok()
                };
                let epoch = match value {
                    Some(v) if v <= i32::MAX as u64 => v as u32,
                    _ => return Err("epoch is too big".to_owned()),
                };
                if rest.is_empty() {
                    return Err("nothing after colon".to_owned());
                }
                (epoch, rest)
            }
            None => (0, input),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((upstream, revision)) => {
                if revision.is_empty() {
                    return Err("revision is empty".to_owned());
                }
                (upstream, revision)
            }
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err("upstream version is empty".to_owned());
        }
        if !upstream.as_bytes()[0].is_ascii_digit() {
            return Err("upstream version does not start with a digit".to_owned());
        }
        if !upstream
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+~-:".contains(&b))
        {
            return Err("invalid character in upstream version".to_owned());
        }
        if !revision
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+~".contains(&b))
        {
            return Err("invalid character in revision".to_owned());
        }
        Ok(DpkgVersion {
            epoch,
            upstream: upstream.to_owned(),
            revision: revision.to_owned(),
        })
    }
}

/// The weight of one byte (or the end, `None`) in a non-digit run, as dpkg's `order`.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp` over two upstream versions or two revisions. Also used by the
/// opam ordering, which is the same comparison. Never panics; digit runs of any length
/// compare by value.
pub(crate) fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0usize, 0usize);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        // Non-digit run, character by character.
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            // Equal weights here means both are the same non-digit byte.
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream.as_bytes(), other.upstream.as_bytes()))
            .then_with(|| verrevcmp(self.revision.as_bytes(), other.revision.as_bytes()))
    }
}

crate::ord_from_cmp!(DpkgVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> DpkgVersion {
        DpkgVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Each list is strictly increasing.
    const ORDERED: &[&[&str]] = &[
        &[
            "0~~", "0~", "0", "0a", "0+", "0.", "0.0.1", "0.1~rc1+1", "0.1", "0.9", "0.10",
            "1.0~~", "1.0~~a", "1.0~", "1.0~a", "1.0~rc1", "1.0", "1.0a", "1.0z", "1.0+",
            "1.0+b1", "1.0.0", "1.0.1", "1.1", "2", "10", "1:0",
            "1:0.1", "2:0", "10:0",
        ],
        // Revisions.
        &["1.0-0~", "1.0", "1.0-0.1", "1.0-1~bpo1", "1.0-1", "1.0-1+b1", "1.0-1.1", "1.0-2", "1.0-10"],
        // From dpkg's t-version.c and Debian policy examples.
        &["1.2.3~rc1-1", "1.2.3-1", "1.2.3-1+deb11u1", "1.2.3a-1", "1.2.3+dfsg-1"],
        &["2.30-0ubuntu0.1", "2.30-0ubuntu0.1.1", "2.30-0ubuntu1", "2.30-1ubuntu1"],
        &["4.13.1-0ubuntu0.16.04.1", "4.13.1-0ubuntu0.16.04.1.1~", "4.13.1-0ubuntu0.16.04.1.1"],
        // Letters before non-letters, upper case before lower case.
        &["1A", "1Z", "1a", "1z", "1+", "1.", "1:1"],
        // Long digit runs compare by value.
        &[
            "1.99999999999999999999999",
            "1.100000000000000000000000",
            "1.0000000000000000000000000000000000000000000000000000000000000000000001000000000000000000000000",
            "2147483647:0",
        ],
    ];

    const EQUAL: &[(&str, &str)] = &[
        ("1.0", "1.0-0"),
        ("0:1.0", "1.0"),
        ("00:1.0", "1.0"),
        ("1.01", "1.1"),
        ("1.001-01", "1.1-1"),
        ("1.0-0", "1.0-00"),
        ("0:1.2.00", "1.2.0"),
        ("1:2:3", "01:2:3"),
        ("1.0000000000000000000000000000000000001", "1.1"),
        ("1.0.", "1.0.0"),
        ("1.0", "1.0-0"),
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
    fn accepted() {
        for s in [
            "0",
            "1:2:3",
            "1.0-a-b",
            "1.0-~",
            "2147483647:1",
            "1a",
            "0:0",
            "1:9a-z+.~",
        ] {
            assert!(DpkgVersion::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn rejected() {
        for s in [
            "",
            "abc",
            "~1",
            "a1",
            ":1",
            "1:",
            "a:1",
            "1.0-",
            "1 0",
            " 1.0",
            "1.0 ",
            "1.0_1",
            "1.0-1_",
            "1.0-1:2",
            "2147483648:1",
            "99999999999999999999:1",
            "+1:2",
            "-1:2",
            "1.0é",
            "1:",
            "1:-1",
            "1!",
        ] {
            assert!(DpkgVersion::parse(s).is_err(), "{s:?} should be rejected");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "\u{0}",
            "1\u{0}",
            "1.\u{10FFFF}",
            "9".repeat(10_000).as_str(),
            "1-",
            "1--",
            "1::",
        ] {
            let _ = DpkgVersion::parse(s);
        }
        let big = format!("1.{}", "9".repeat(5000));
        let bigger = format!("1.1{}", "0".repeat(5000));
        assert!(v(&big) < v(&bigger));
    }

    #[test]
    fn verrevcmp_basics() {
        assert_eq!(verrevcmp(b"", b""), Ordering::Equal);
        assert_eq!(verrevcmp(b"~", b""), Ordering::Less);
        assert_eq!(verrevcmp(b"", b"a"), Ordering::Less);
        assert_eq!(verrevcmp(b"0", b""), Ordering::Equal);
        assert_eq!(verrevcmp(b"a", b"+"), Ordering::Less);
        assert_eq!(verrevcmp(b"9", b"10"), Ordering::Less);
    }
}
