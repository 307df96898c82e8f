//! RubyGems versions, ordered as `Gem::Version#<=>`.
//!
//! # Reference
//!
//! `rubygems/version.rb` (`Gem::Version`), RubyGems 3.3 as shipped with Ruby 3.1;
//! osv.dev's RubyGems helper uses a port of the same class. The rules:
//!
//! * **Validity** (`Gem::Version::ANCHORED_VERSION_PATTERN`): optional ASCII
//!   whitespace (space, `\t`, `\n`, `\v`, `\f`, `\r`), then optionally a version
//!   `[0-9]+(\.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`, then optional
//!   whitespace. A blank string is version `0`.
//! * **Segments**: the string is stripped, every `-` becomes `.pre.`, and the
//!   segments are the runs of ASCII digits (numbers, of any size) and runs of ASCII
//!   letters (strings, case kept), in order; anything else only separates.
//! * **Canonical segments**: the segments before the first string and the
//!   segments from the first string on are each stripped of trailing zeros, then
//!   joined (so `1.0` == `1`, `1.0.a` == `1.a`, `1.a.0` == `1.a`).
//! * **Comparison**: canonical segments pairwise, the shorter one padded with `0`.
//!   Equal segments continue; a string is less than a number (so strings mark
//!   pre-releases: `1.a` < `1` < `1.0.1`); two numbers compare by value, two
//!   strings by bytes (`B` < `a`).

use std::cmp::Ordering;

/// A RubyGems version.
#[derive(Debug, Clone)]
pub struct GemVersion {
    /// Canonical segments.
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// ASCII digits without leading zeros (`0` for zero).
    Number(String),
    /// ASCII letters.
    Text(String),
}

impl Segment {
    fn is_zero(&self) -> bool {
        matches!(self, Segment::Number(n) if n == "0")
    }
}

fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{B}' | '\u{C}' | '\r')
}

/// `[0-9]+(\.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`, the whole of `s`.
fn matches_version_pattern(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    let run = |from: usize, ok: fn(u8) -> bool| {
        let mut i = from;
        while i < n && ok(b[i]) {
            i += 1;
        }
        i
    };
    let mut i = run(0, |c| c.is_ascii_digit());
    if i == 0 {
        return false;
    }
    while i < n && b[i] == b'.' {
        let e = run(i + 1, |c| c.is_ascii_alphanumeric());
        if e == i + 1 {
            return false;
        }
        i = e;
    }
    if i < n && b[i] == b'-' {
        let label = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
        let e = run(i + 1, label);
        if e == i + 1 {
            return false;
        }
        i = e;
        while i < n && b[i] == b'.' {
            let e = run(i + 1, label);
            if e == i + 1 {
                return false;
            }
            i = e;
        }
    }
    i == n
}

impl GemVersion {
    /// Parses a version that `Gem::Version.correct?` accepts.
    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim_matches(is_ruby_space);
        let version = if trimmed.is_empty() {
            "0"
        } else if matches_version_pattern(trimmed) {
            trimmed
        } else {
            return Err("not a rubygems version (digits, then dot-separated letters and digits, then an optional -prerelease)".to_owned());
        };
        let replaced = version.replace('-', ".pre.");
        let mut segments = Vec::new();
        let b = replaced.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let start = i;
            if b[i].is_ascii_digit() {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let digits = replaced[start..i].trim_start_matches('0');
                segments.push(Segment::Number(if digits.is_empty() {
                    "0".to_owned()
                } else {
                    digits.to_owned()
                }));
            } else if b[i].is_ascii_alphabetic() {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                segments.push(Segment::Text(replaced[start..i].to_owned()));
            } else {
                i += 1;
            }
        }
        // Canonical segments: strip trailing zeros of the numeric part and of the rest.
        let split = segments
            .iter()
            .position(|s| matches!(s, Segment::Text(_)))
            .unwrap_or(segments.len());
        let mut rest = segments.split_off(split);
        while segments.last().is_some_and(Segment::is_zero) {
            segments.pop();
        }
        while rest.last().is_some_and(Segment::is_zero) {
            rest.pop();
        }
        segments.append(&mut rest);
        Ok(GemVersion { segments })
    }
}

fn cmp_segment(a: &Segment, b: &Segment) -> Ordering {
    match (a, b) {
        (Segment::Number(x), Segment::Number(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (Segment::Text(x), Segment::Text(y)) => x.cmp(y),
        (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
        (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number("0".to_owned());
        let len = self.segments.len().max(other.segments.len());
        for i in 0..len {
            let a = self.segments.get(i).unwrap_or(&zero);
            let b = other.segments.get(i).unwrap_or(&zero);
            let ord = cmp_segment(a, b);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

crate::ord_from_cmp!(GemVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> GemVersion {
        GemVersion::parse(s).unwrap()
    }

    #[test]
    fn ascending_table() {
        let ordered = [
            "0.a",
            "0",
            "0.0.1",
            "1.0.0.a",
            "1.0.0.a1",
            "1.0.0.a2",
            "1.0.0.a10",
            "1.0.0.b",
            "1.0.0.beta.1",
            "1.0.0.beta.2",
            "1.0.0-beta",
            "1.0.0.rc1",
            "1.0.0",
            "1.0.0.1",
            "1.0.1.A",
            "1.0.1.a",
            "1.0.1",
            "1.1",
            "1.9",
            "1.10",
            "2",
            "2.0.0.1",
            "123456789012345678901234567890",
        ];
        crate::testing::assert_increasing(v, &ordered);
    }

    #[test]
    fn equal_table() {
        let groups: &[&[&str]] = &[
            &["1", "1.0", "1.0.0", " 1.0 ", "01", "1.00"],
            &["1.a", "1.0.a", "1.0.a.0", "1.0a", "1.0a0"],
            &["1.0-beta", "1.0.pre.beta", "1-beta"],
            &["", "  ", "0", "0.0"],
            &["1.2.3.pre.1", "1.2.3-1"],
        ];
        crate::testing::assert_equal_groups(v, groups);
    }

    #[test]
    fn invalid() {
        for s in [
            "a",
            "1.",
            "1..0",
            ".1",
            "1-",
            "1.0-",
            "1.-1",
            "1.0_1",
            "1 0",
            "v1.0",
            "1.0+build",
            "1.0.é",
            "١",
            "-1",
            "1.0-a..b",
            "0x10",
        ] {
            assert!(GemVersion::parse(s).is_err(), "{s:?} is invalid");
        }
        for s in ["1--", "1.0-a-b.c-d", "1.0.0a", "1.0.0.A-1"] {
            assert!(GemVersion::parse(s).is_ok(), "{s:?} is valid");
        }
    }
}
