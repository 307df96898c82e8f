//! RPM version ordering (Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, Mageia,
//! Photon OS, openEuler, Azure Linux), as rpm 4.18's `rpmvercmp` applied to
//! epoch, version and release the way osv.dev does.
//!
//! Reference: rpm `rpmio/rpmvercmp.c` (`rpmvercmp`) and `lib/rpmver.c`
//! (`rpmverCmp`, used by `rpm.labelCompare`); osv.dev `osv/ecosystems/redhat.py`, which
//! sorts with `osv/third_party/univers/rpm.py` (`RpmVersion.from_string`). Checked by
//! `tests/differential_os.rs` against python3-rpm (`rpm.labelCompare`).
//!
//! # Syntax
//! `[epoch:]version[-release]`, as osv.dev's `from_evr` splits it:
//! * If the string has a `:`, the part before the first one is the epoch; it must be
//!   ASCII digits or empty (empty means 0, as in rpm). A missing epoch is 0.
//! * The rest is split at its **last** `-`: version before, release after. Without a
//!   `-` the release is empty.
//! * The version must not be empty. Every character must be printable ASCII other
//!   than a space (rpm's spec parser allows even fewer in a version).
//!
//! # Order
//! Epochs compare by numeric value (any length). Then versions, then releases, each
//! with `rpmvercmp`: characters other than ASCII letters, digits, `~` and `^` only
//! separate segments. Segments are runs of digits, runs of letters, `~` and `^`,
//! compared left to right:
//! * `~` sorts before everything, including the end (`1.0~rc1 < 1.0`);
//! * `^` sorts after the end but before anything else (`1.0 < 1.0^git1 < 1.0.1`);
//! * a digit run is newer than a letter run; digit runs compare by value (leading
//!   zeros ignored, any length); letter runs compare by bytes (`A < Z < a`);
//! * when one side runs out, the side with segments left is newer.
//!
//! So `1.0 = 1.0.` = `1_0` (separators are not compared) and `1.01 = 1.1`.
//!
//! # Differences
//! * **Missing vs empty release.** osv.dev reads a missing release (`1.0`) as the
//!   empty string, so `1.0 = 1.0-` and `1.0 < 1.0-1`; we follow it. python3-rpm's
//!   `labelCompare` with a `None` release (how rpm's `parseEVR` splits `1.0`) orders it
//!   before every release *including the empty one*, so it has `1.0 < 1.0-`. Only
//!   strings ending in `-` are affected.
//! * **`^` on the right-hand side.** univers' `Vercmp.compare` returns the wrong sign
//!   when only the *second* string has a `^` at a segment where the first has more
//!   segments (it says `1.0.1 < 1.0^git1`, and also `1.0^git1 < 1.0.1`). We follow
//!   `rpmvercmp`, which is antisymmetric; a total order requires it.
//! * **Non-digit epochs** (`a:1.0`): rpm takes the whole string as the version,
//!   osv.dev silently uses epoch 0 and drops the prefix; we reject them.
//! * **Non-ASCII, whitespace, control characters**: osv.dev drops non-ASCII
//!   characters and strips surrounding whitespace; rpm treats them as separators; we
//!   reject them. An empty version (`1:-1`) is rejected too.

use crate::key::{ByteKey, KeyWriter};

/// A parsed RPM EVR, held as a byte key whose lexicographic order is
/// `rpmvercmp`'s order (epoch, then version, then release), so a comparison is
/// one `memcmp` (inline for typical EVRs, no allocation). See [`encode_segments`]
/// for the layout.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RpmVersion {
    key: ByteKey,
}

/// Segment tags, in `rpmvercmp`'s order: `~` sorts before everything, even the end
/// of the string; `^` sorts after the end but before any further segment; letters
/// sort before digits.
const TAG_TILDE: u8 = 1;
const TAG_END: u8 = 2;
const TAG_CARET: u8 = 3;
const TAG_ALPHA: u8 = 4;
const TAG_NUMBER: u8 = 5;
/// Ends a run of letters (letters are all above it).
const ALPHA_END: u8 = 0;

impl RpmVersion {
    /// Parses `[epoch:]version[-release]` (see module docs).
    pub fn parse(input: &str) -> Result<Self, String> {
        let b = input.as_bytes();
        if b.is_empty() {
            return Err("version string is empty".to_owned());
        }
        // One pass: check the characters, find the first ':' and the last '-'.
        let (mut colon, mut dash) = (None, None);
        for (i, &c) in b.iter().enumerate() {
            if !c.is_ascii_graphic() {
                return Err("only printable ascii without spaces is allowed".to_owned());
            }
            if c == b':' && colon.is_none() {
                colon = Some(i);
            } else if c == b'-' {
                dash = Some(i);
            }
        }
        let (epoch, rest_at) = match colon {
            Some(k) => {
                if !b[..k].iter().all(u8::is_ascii_digit) {
                    return Err("epoch is not a number".to_owned());
                }
                let zeros = b[..k].iter().take_while(|&&d| d == b'0').count();
                (&input[zeros..k], k + 1)
            }
            None => ("", 0),
        };
        // The last '-' of the whole string, if it lies after the epoch.
        let (version, release) = match dash {
            Some(d) if d >= rest_at => (&input[rest_at..d], &input[d + 1..]),
            _ => (&input[rest_at..], ""),
        };
        if version.is_empty() {
            return Err("version is empty".to_owned());
        }
        let key = match encode_short(epoch, version, release) {
            Some(key) => key,
            None => {
                let mut buf = Vec::with_capacity(2 * input.len() + 24);
                encode_evr(epoch, version, release, &mut buf);
                ByteKey::from_slice(&buf)
            }
        };
        Ok(RpmVersion { key })
    }
}

/// The key of a short EVR (the usual case), built in a stack buffer in one pass
/// without calls per segment; `None` when it might not fit ([`encode_evr`] then
/// builds it). Produces exactly [`encode_evr`]'s bytes (tested).
fn encode_short(epoch: &str, version: &str, release: &str) -> Option<ByteKey> {
    const CAP: usize = 128;
    // Each byte yields at most three key bytes (`a1b2`: every character its own
    // segment, tag and terminator or length), plus the epoch's length byte and the
    // two end tags.
    if 3 * (epoch.len() + version.len() + release.len()) + 3 > CAP || epoch.len() >= 255 {
        return None;
    }
    let mut k = [0u8; CAP];
    k[0] = epoch.len() as u8;
    k[1..1 + epoch.len()].copy_from_slice(epoch.as_bytes());
    let mut n = 1 + epoch.len();
    for part in [version.as_bytes(), release.as_bytes()] {
        let mut i = 0;
        while i < part.len() {
            let c = part[i];
            if c.is_ascii_digit() {
                while i < part.len() && part[i] == b'0' {
                    i += 1;
                }
                k[n] = TAG_NUMBER;
                let len_at = n + 1;
                n += 2;
                let start = i;
                while i < part.len() && part[i].is_ascii_digit() {
                    k[n] = part[i];
                    n += 1;
                    i += 1;
                }
                k[len_at] = (i - start) as u8;
            } else if c.is_ascii_alphabetic() {
                k[n] = TAG_ALPHA;
                n += 1;
                while i < part.len() && part[i].is_ascii_alphabetic() {
                    k[n] = part[i];
                    n += 1;
                    i += 1;
                }
                k[n] = ALPHA_END;
                n += 1;
            } else {
                if c == b'~' {
                    k[n] = TAG_TILDE;
                    n += 1;
                } else if c == b'^' {
                    k[n] = TAG_CARET;
                    n += 1;
                }
                i += 1;
            }
        }
        k[n] = TAG_END;
        n += 1;
    }
    Some(ByteKey::from_slice(&k[..n]))
}

impl RpmVersion {
    /// See [`crate::Version::order_key`].
    pub(crate) fn key(&self) -> &[u8] {
        self.key.as_slice()
    }

    /// See [`crate::Version::order_prefix`]: the key's first eight bytes (padded
    /// with zeros), which order as the key does up to ties.
    pub(crate) fn order_prefix(&self) -> u64 {
        let key = self.key.as_slice();
        let mut head = [0u8; 8];
        let n = key.len().min(8);
        head[..n].copy_from_slice(&key[..n]);
        u64::from_be_bytes(head)
    }
}

/// Digits without leading zeros compare by length, then digit by digit: a length
/// prefix (one byte below 255, else 255 and eight big-endian bytes) then the digits.
fn encode_evr(epoch: &str, version: &str, release: &str, out: &mut impl KeyWriter) {
    encode_number(epoch.as_bytes(), out);
    encode_segments(version, out);
    encode_segments(release, out);
}

fn encode_number(digits: &[u8], out: &mut impl KeyWriter) {
    match u8::try_from(digits.len()) {
        Ok(n) if n < u8::MAX => out.push(n),
        _ => {
            out.push(u8::MAX);
            out.extend_from_slice(&(digits.len() as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(digits);
}

/// Appends the key of one `rpmvercmp` operand: each segment as its tag and
/// content (`~` and `^` alone; letters then [`ALPHA_END`]; numbers as
/// [`encode_number`]), then [`TAG_END`]. Separators (anything else) only split
/// segments. Comparing two keys byte by byte walks the segments pairwise exactly
/// as `rpmvercmp` does, and the end tag makes a shorter operand compare as rpm's
/// "ran out of segments" rules say.
fn encode_segments(s: &str, out: &mut impl KeyWriter) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'~' {
            out.push(TAG_TILDE);
            i += 1;
        } else if c == b'^' {
            out.push(TAG_CARET);
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &b[start..i];
            let zeros = digits.iter().take_while(|&&d| d == b'0').count();
            out.push(TAG_NUMBER);
            encode_number(&digits[zeros..], out);
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(TAG_ALPHA);
            out.extend_from_slice(&b[start..i]);
            out.push(ALPHA_END);
        } else {
            i += 1;
        }
    }
    out.push(TAG_END);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::cmp::Ordering;

    fn v(s: &str) -> RpmVersion {
        RpmVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn short_encoder_equals_general_encoder() {
        let parts = [
            "",
            "0",
            "00",
            "1",
            "007",
            "1.0",
            "1.0~rc1",
            "1.0^git1~pre",
            "a",
            "A.b",
            "5.14.0",
            "570.35.1.el9_6",
            "1..0.",
            "~~^^",
            "x1y2z3",
            "9999999999999999999999",
            "1_0+x",
            "el8_10.alma.1",
            "16.el8_9.alma.1",
            "a1b2c3d4e5f6g7h8",
            "1a2b3c4d5e6f7g8h9",
        ];
        for epoch in ["", "1", "12"] {
            for version in parts.iter().filter(|p| !p.is_empty()) {
                for release in parts {
                    let mut general = Vec::new();
                    encode_evr(epoch, version, release, &mut general);
                    let total = epoch.len() + version.len() + release.len();
                    match encode_short(epoch, version, release) {
                        Some(short) => assert_eq!(
                            short.as_slice(),
                            &general[..],
                            "{epoch}:{version}-{release}"
                        ),
                        None => assert!(3 * total + 3 > 128, "{epoch}:{version}-{release}"),
                    }
                }
            }
        }
        // Too long for the stack buffer: the general path.
        assert!(encode_short("", &"1.".repeat(70), "").is_none());
        // The densest key, three bytes a character, at the buffer's limit and past it
        // (a stack key once overflowed here: a panic on input).
        for n in [20, 21, 41, 42, 60] {
            let dense = "a1".repeat(n);
            let parsed = RpmVersion::parse(&dense).unwrap();
            let mut general = Vec::new();
            encode_evr("", &dense, "", &mut general);
            assert_eq!(parsed.key.as_slice(), &general[..], "{dense}");
        }
    }

    fn vc(a: &str, b: &str) -> Ordering {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        encode_segments(a, &mut x);
        encode_segments(b, &mut y);
        x.cmp(&y)
    }

    /// rpm's own `rpmvercmp` test vectors (tests/rpmvercmp.at, rpm 4.18): (a, b, result).
    const RPMVERCMP: &[(&str, &str, i8)] = &[
        ("1.0", "1.0", 0),
        ("1.0", "2.0", -1),
        ("2.0", "1.0", 1),
        ("2.0.1", "2.0.1", 0),
        ("2.0", "2.0.1", -1),
        ("2.0.1", "2.0", 1),
        ("2.0.1a", "2.0.1a", 0),
        ("2.0.1a", "2.0.1", 1),
        ("2.0.1", "2.0.1a", -1),
        ("5.5p1", "5.5p1", 0),
        ("5.5p1", "5.5p2", -1),
        ("5.5p2", "5.5p1", 1),
        ("5.5p10", "5.5p10", 0),
        ("5.5p1", "5.5p10", -1),
        ("5.5p10", "5.5p1", 1),
        ("10xyz", "10.1xyz", -1),
        ("10.1xyz", "10xyz", 1),
        ("xyz10", "xyz10", 0),
        ("xyz10", "xyz10.1", -1),
        ("xyz10.1", "xyz10", 1),
        ("xyz.4", "xyz.4", 0),
        ("xyz.4", "8", -1),
        ("8", "xyz.4", 1),
        ("xyz.4", "2", -1),
        ("2", "xyz.4", 1),
        ("5.5p2", "5.6p1", -1),
        ("5.6p1", "5.5p2", 1),
        ("5.6p1", "6.5p1", -1),
        ("6.5p1", "5.6p1", 1),
        ("6.0.rc1", "6.0", 1),
        ("6.0", "6.0.rc1", -1),
        ("10b2", "10a1", 1),
        ("10a2", "10b2", -1),
        ("1.0aa", "1.0aa", 0),
        ("1.0a", "1.0aa", -1),
        ("1.0aa", "1.0a", 1),
        ("10.0001", "10.0001", 0),
        ("10.0001", "10.1", 0),
        ("10.1", "10.0001", 0),
        ("10.0001", "10.0039", -1),
        ("10.0039", "10.0001", 1),
        ("4.999.9", "5.0", -1),
        ("5.0", "4.999.9", 1),
        ("20101121", "20101121", 0),
        ("20101121", "20101122", -1),
        ("20101122", "20101121", 1),
        ("2_0", "2_0", 0),
        ("2.0", "2_0", 0),
        ("2_0", "2.0", 0),
        ("a", "a", 0),
        ("a+", "a+", 0),
        ("a+", "a_", 0),
        ("a_", "a+", 0),
        ("+a", "+a", 0),
        ("+a", "_a", 0),
        ("_a", "+a", 0),
        ("+_", "+_", 0),
        ("_+", "+_", 0),
        ("_+", "_+", 0),
        ("+", "_", 0),
        ("_", "+", 0),
        ("1.0~rc1", "1.0~rc1", 0),
        ("1.0~rc1", "1.0", -1),
        ("1.0", "1.0~rc1", 1),
        ("1.0~rc1", "1.0~rc2", -1),
        ("1.0~rc2", "1.0~rc1", 1),
        ("1.0~rc1~git123", "1.0~rc1~git123", 0),
        ("1.0~rc1~git123", "1.0~rc1", -1),
        ("1.0~rc1", "1.0~rc1~git123", 1),
        ("1.0^", "1.0^", 0),
        ("1.0^", "1.0", 1),
        ("1.0", "1.0^", -1),
        ("1.0^git1", "1.0^git1", 0),
        ("1.0^git1", "1.0", 1),
        ("1.0", "1.0^git1", -1),
        ("1.0^git1", "1.0^git2", -1),
        ("1.0^git2", "1.0^git1", 1),
        ("1.0^git1", "1.01", -1),
        ("1.01", "1.0^git1", 1),
        ("1.0^20160101", "1.0^20160101", 0),
        ("1.0^20160101", "1.0.1", -1),
        ("1.0.1", "1.0^20160101", 1),
        ("1.0^20160101^git1", "1.0^20160101^git1", 0),
        ("1.0^20160102", "1.0^20160101^git1", 1),
        ("1.0^20160101^git1", "1.0^20160102", -1),
        ("1.0~rc1^git1", "1.0~rc1^git1", 0),
        ("1.0~rc1^git1", "1.0~rc1", 1),
        ("1.0~rc1", "1.0~rc1^git1", -1),
        ("1.0^git1~pre", "1.0^git1~pre", 0),
        ("1.0^git1", "1.0^git1~pre", 1),
        ("1.0^git1~pre", "1.0^git1", -1),
        ("1.900", "1.8000", -1),
        ("FC5", "fc4", -1),
        ("2a", "2.0", -1),
        ("1.0", "1.fc4", 1),
        ("3.0.0_fc", "3.0.0.fc", 0),
    ];

    #[test]
    fn rpmvercmp_vectors() {
        for (a, b, r) in RPMVERCMP {
            assert_eq!(vc(a, b), r.cmp(&0), "rpmvercmp({a}, {b})");
            assert_eq!(vc(b, a), r.cmp(&0).reverse(), "rpmvercmp({b}, {a})");
        }
    }

    /// Each list is strictly increasing as full EVRs.
    const ORDERED: &[&[&str]] = &[
        &[
            "0-0.10.20200515gitb52ac13.el8",
            "0.9-1",
            "1.0~rc1-1",
            "1.0",
            "1.0-0.1",
            "1.0-1",
            "1.0-1.el8",
            "1.0-1.el8_5",
            "1.0-1.el8_5.1",
            "1.0-2.el8",
            "1.0-10.el8",
            "1.0^git1-1",
            "1.0.1-1",
            "1.1-1",
            "1:0.1-1",
            "2:0-0",
            "10:0",
            "99999999999999999999:0",
        ],
        &["1.0-1~beta", "1.0-1", "1.0-1^post", "1.0-1.1"],
        &["0:1.0-1", "1:1.0-1"],
        &[
            "1.2.3-1.module_el8.0.0+6004+2fc32706",
            "1.2.3-1.module_el8.6.0+2786+d7c38b21",
        ],
    ];

    const EQUAL: &[(&str, &str)] = &[
        ("1.0-1", "0:1.0-1"),
        ("1.0-1", ":1.0-1"),
        ("1.0-1", "000:1.0-1"),
        ("1.0-1", "1.0-01"),
        ("1.0-1", "1_0-1"),
        ("1.0", "1.0-"),
        ("1.0.", "1.0"),
        ("1:2:3", "1:2.3"),
        ("1.0-1.el8", "1.0-1.el8."),
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
    fn caret_is_antisymmetric() {
        // univers gets the right-hand `^` case wrong; we follow rpmvercmp.
        assert!(v("1.0.1") > v("1.0^git1"));
        assert!(v("1.0^git1") < v("1.0.1"));
    }

    #[test]
    fn rejected() {
        for s in [
            "", "a:1.0", "1.0 -1", " 1.0", "1.0\t", "1.0é", "1:-1", "-1", ":", "1:",
        ] {
            assert!(RpmVersion::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn never_panics() {
        let big = format!("1.{}-1", "9".repeat(10_000));
        let bigger = format!("1.1{}-1", "0".repeat(10_000));
        assert!(v(&big) < v(&bigger));
        for s in ["~", "^", "~~^^", "-", "1-~", "!!!"] {
            let _ = RpmVersion::parse(s);
        }
    }
}
