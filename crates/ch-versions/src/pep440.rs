//! PyPI versions, ordered exactly as osv.dev orders them.
//!
//! # Reference
//!
//! osv.dev's PyPI helper (`osv/ecosystems/pypi.py` in google/osv.dev) sorts with
//! `packaging_legacy.version.parse`: a string is parsed as a PEP 440
//! `packaging.version.Version` (the reference run here is packaging 26.4), and a
//! string that PEP 440 rejects becomes a `packaging_legacy.version.LegacyVersion`
//! (the `LegacyVersion` that `packaging` dropped in version 22), which sorts before
//! every PEP 440 version. Both are implemented by hand here. `pep440_rs` 0.7 was
//! tried against the reference: it agrees on every PEP 440 version of the PyPI
//! advisory data, but it has no legacy fallback, rejects numbers above `u64` and
//! Unicode whitespace around the version (`"1.0\u{a0}"`), so it is not exact.
//!
//! # PEP 440 versions
//!
//! After removing leading and trailing whitespace (Python's `str.isspace` set,
//! which also holds U+001C..U+001F, U+0085, U+00A0, …), the string must match,
//! case-insensitively and with ASCII digits only:
//!
//! `[v] [N!] N(.N)* [pre] [post] [dev] [+local]`
//!
//! * `pre` is an optional separator (`.`, `_` or `-`), one of `alpha`, `a`,
//!   `beta`, `b`, `preview`, `pre`, `c`, `rc` (tried in that order), an optional
//!   separator and an optional number (default 0). `alpha` means `a`, `beta`
//!   means `b`, and `c`, `pre`, `preview` mean `rc`.
//! * `post` is `-N`, or an optional separator, one of `post`, `rev`, `r`, an
//!   optional separator and an optional number (default 0).
//! * `dev` is an optional separator, `dev`, an optional separator and an optional
//!   number (default 0).
//! * `local` is `+` and alphanumeric segments separated by `.`, `_` or `-`.
//!
//! Every optional part is matched greedily and never given back, as packaging's
//! possessive regular expression does (`1.0a-` is `1.0a0`; `1.0-` is not PEP 440).
//! So `1.0-alpha1` == `1.0a1`, `v1.0.post1` == `1.0-1` == `1.0r1`, `1.0` == `1.0.0`.
//!
//! Versions compare by the key of packaging's `_cmpkey`: epoch; release with
//! trailing zeros removed (tuple order, so `1` == `1.0` < `1.0.1`); then the
//! suffix: a dev-only release (no pre or post) before `a` < `b` < `rc` <
//! no pre-release, then the pre-release number, then no post < post and its
//! number, then dev < no dev and the dev number; then no local < local, local
//! segments compared pairwise with strings (lowercased) before numbers, numbers by
//! value, strings by code point, and a shorter prefix first. Numbers have any size.
//!
//! # Legacy versions
//!
//! Every other string (including the empty string) is a legacy version. Its key,
//! following `packaging_legacy`'s `_legacy_cmpkey`, is built from the string
//! lowercased with Unicode rules (`str.lower`), split into runs of decimal digits
//! (Unicode category Nd, as Python's `\d`), runs of ASCII letters, `.`, `-`, and
//! runs of anything else. `pre`, `preview` and `rc` become `c`, `dev` becomes `@`,
//! `-` becomes `final-`; empty pieces and `.` are dropped; a piece starting with
//! an ASCII digit is left-padded with `0` to 8 characters, any other piece gets a
//! `*` prefix; `*final` is appended. Before each `*` piece, trailing `00000000`
//! pieces are removed, and before a `*` piece that sorts below `*final`, trailing
//! `*final-` pieces too. Keys compare as sequences of strings, by code point, so
//! numbers of more than 8 digits compare as text.
//!
//! # Documented choices and differences
//!
//! * A number (epoch, release part, pre/post/dev number or numeric local segment)
//!   of more than 4300 digits makes Python's `int()` raise `ValueError` (its
//!   integer-string limit), which `packaging_legacy.parse` does not catch and
//!   osv.dev's `sort_key` turns into an invalid version. We reject such strings
//!   (`parse` returns an error), which is the same outcome.
//! * Lowercasing of legacy versions uses Rust's Unicode tables, and the decimal
//!   digits are Unicode 14.0's (Python 3.11's). Characters whose case mapping is
//!   newer than the reference Python's Unicode version may lowercase differently.
//! * osv.dev's `sort_key` wrapper also treats the string `0` as smaller than every
//!   version; that is range-evaluation logic, not part of this ordering (here `0`
//!   is the PEP 440 version `0`).

use std::cmp::Ordering;

/// A PyPI version: PEP 440, or a legacy version that sorts before all of those.
#[derive(Debug, Clone)]
pub struct Pep440Version {
    key: Key,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// Declared first: every legacy version sorts before every PEP 440 version.
    Legacy(Vec<String>),
    Standard(Standard),
}

/// The comparison key of a PEP 440 version; field order is comparison order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Standard {
    epoch: Num,
    /// Release with trailing zeros removed.
    release: Vec<Num>,
    suffix: Suffix,
    local: Option<Vec<LocalPart>>,
}

/// `(pre_rank, pre_n, post_rank, post_n, dev_rank, dev_n)` as in packaging's `_cmpkey`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Suffix {
    pre_rank: i8,
    pre_n: Num,
    post_rank: u8,
    post_n: Num,
    dev_rank: u8,
    dev_n: Num,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum LocalPart {
    /// Declared first: strings sort before numbers.
    Str(String),
    Int(Num),
}

/// A non-negative integer of any size: a `u64` when it fits (nearly always, and
/// then comparing costs no allocation), else its ASCII digits without leading
/// zeros (always larger than every `Small`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Num {
    Small(u64),
    Big(Box<str>),
}

impl Num {
    fn zero() -> Num {
        Num::Small(0)
    }

    /// From ASCII digits, as Python's `int()` would (which refuses over 4300 digits).
    fn from_digits(digits: &str) -> Result<Num, String> {
        python::check_int_len(digits)?;
        let trimmed = digits.trim_start_matches('0');
        if trimmed.is_empty() {
            return Ok(Num::zero());
        }
        Ok(match trimmed.parse::<u64>() {
            Ok(v) => Num::Small(v),
            Err(_) => Num::Big(trimmed.into()),
        })
    }

    fn is_zero(&self) -> bool {
        matches!(self, Num::Small(0))
    }

    /// The value, when it fits in a u64.
    fn small(&self) -> Option<u64> {
        match self {
            Num::Small(v) => Some(*v),
            Num::Big(_) => None,
        }
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Num::Small(a), Num::Small(b)) => a.cmp(b),
            (Num::Small(_), Num::Big(_)) => Ordering::Less,
            (Num::Big(_), Num::Small(_)) => Ordering::Greater,
            (Num::Big(a), Num::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Pep440Version {
    /// Parses a PyPI version. Every string is either a PEP 440 version or a legacy
    /// version; the only error is a number of more than 4300 digits.
    pub fn parse(input: &str) -> Result<Self, String> {
        let key = match parse_standard(input)? {
            Some(standard) => Key::Standard(standard),
            None => Key::Legacy(legacy_key(input)),
        };
        Ok(Pep440Version { key })
    }

    /// Whether this is a PEP 440 version (rather than a legacy one).
    pub fn is_pep440(&self) -> bool {
        matches!(self.key, Key::Standard(_))
    }
}

impl Pep440Version {
    /// See [`crate::Version::order_prefix`]: 0 for a legacy version (they sort
    /// first); else a 1 bit, the epoch (7 bits) and the first three release numbers
    /// (16 bits each; trailing zeros were removed, so a missing number is 0).
    pub(crate) fn order_prefix(&self) -> u64 {
        let Key::Standard(s) = &self.key else {
            return 0;
        };
        (1 << 63) | (crate::pack_prefix(prefix_fields(s)) >> 1)
    }
}

impl Pep440Version {
    /// See [`crate::Version::prefix_is_exact`]: no pre-, post- or dev-release, no
    /// local part, and an epoch and at most three release numbers (after trailing
    /// zeros) that fit their fields.
    pub(crate) fn prefix_is_exact(&self) -> bool {
        let Key::Standard(s) = &self.key else {
            return false;
        };
        let plain = s.suffix.pre_rank == 3 && s.suffix.post_rank == 0 && s.suffix.dev_rank == 1;
        plain && s.local.is_none() && s.release.len() <= 3 && crate::fields_fit(&prefix_fields(s))
    }
}

/// The epoch and the first three release numbers, as packed into the prefix.
fn prefix_fields(s: &Standard) -> [(Option<u64>, u32); 4] {
    let part = |i: usize| s.release.get(i).map_or(Some(0), Num::small);
    [
        (s.epoch.small(), 7),
        (part(0), 16),
        (part(1), 16),
        (part(2), 16),
    ]
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

crate::ord_from_cmp!(Pep440Version);

fn is_sep(b: u8) -> bool {
    matches!(b, b'.' | b'_' | b'-')
}

fn digits_end(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

fn alnum_end(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

/// The first of `words` that `b[at..]` starts with, ASCII case-insensitively.
fn match_word(b: &[u8], at: usize, words: &[&'static str]) -> Option<&'static str> {
    let rest = b.get(at..)?;
    words
        .iter()
        .copied()
        .find(|w| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
}

/// An optional separator, one of `words`, an optional separator and optional
/// digits, starting at `i`: the word, the digits (maybe empty) and the end.
fn letter_number<'a>(
    t: &'a str,
    i: usize,
    words: &[&'static str],
) -> Option<(&'static str, &'a str, usize)> {
    let b = t.as_bytes();
    let mut k = i;
    if k < b.len() && is_sep(b[k]) {
        k += 1;
    }
    let word = match_word(b, k, words)?;
    k += word.len();
    if k < b.len() && is_sep(b[k]) {
        k += 1;
    }
    let d = digits_end(b, k);
    Some((word, &t[k..d], d))
}

fn num_or_zero(digits: &str) -> Result<Num, String> {
    if digits.is_empty() {
        Ok(Num::zero())
    } else {
        Num::from_digits(digits)
    }
}

/// The PEP 440 key, `Ok(None)` when the string is not PEP 440 (so legacy), or an
/// error when a number is too long for Python's `int()`.
fn parse_standard(input: &str) -> Result<Option<Standard>, String> {
    let t = input.trim_matches(python::is_space);
    let b = t.as_bytes();
    let n = b.len();
    let mut i = 0;
    if i < n && (b[i] == b'v' || b[i] == b'V') {
        i += 1;
    }

    // Epoch.
    let mut epoch_digits = "";
    let d = digits_end(b, i);
    if d > i && d < n && b[d] == b'!' {
        epoch_digits = &t[i..d];
        i = d + 1;
    }

    // Release.
    let mut release_digits = Vec::new();
    let d = digits_end(b, i);
    if d == i {
        return Ok(None);
    }
    release_digits.push(&t[i..d]);
    i = d;
    while i + 1 < n && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        let d = digits_end(b, i + 1);
        release_digits.push(&t[i + 1..d]);
        i = d;
    }

    // Pre-release.
    let mut pre = None;
    const PRE_WORDS: [&str; 8] = ["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"];
    if let Some((word, digits, end)) = letter_number(t, i, &PRE_WORDS) {
        let rank = match word.to_ascii_lowercase().as_str() {
            "alpha" | "a" => 0,
            "beta" | "b" => 1,
            _ => 2,
        };
        pre = Some((rank, digits));
        i = end;
    }

    // Post-release.
    let mut post = None;
    if i + 1 < n && b[i] == b'-' && b[i + 1].is_ascii_digit() {
        let d = digits_end(b, i + 1);
        post = Some(&t[i + 1..d]);
        i = d;
    } else if let Some((_, digits, end)) = letter_number(t, i, &["post", "rev", "r"]) {
        post = Some(digits);
        i = end;
    }

    // Development release.
    let mut dev = None;
    if let Some((_, digits, end)) = letter_number(t, i, &["dev"]) {
        dev = Some(digits);
        i = end;
    }

    // Local version.
    let mut local_segments = Vec::new();
    if i + 1 < n && b[i] == b'+' && b[i + 1].is_ascii_alphanumeric() {
        let mut k = i + 1;
        let e = alnum_end(b, k);
        local_segments.push(&t[k..e]);
        k = e;
        while k + 1 < n && is_sep(b[k]) && b[k + 1].is_ascii_alphanumeric() {
            let e = alnum_end(b, k + 1);
            local_segments.push(&t[k + 1..e]);
            k = e;
        }
        i = k;
    }

    if i != n {
        return Ok(None);
    }

    // Build the key (numbers only now, so that a non-PEP 440 string never fails).
    let epoch = num_or_zero(epoch_digits)?;
    let mut release = release_digits
        .into_iter()
        .map(Num::from_digits)
        .collect::<Result<Vec<_>, _>>()?;
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }
    let (pre_rank, pre_n) = match (pre, post, dev) {
        (None, None, Some(_)) => (-1, Num::zero()),
        (None, _, _) => (3, Num::zero()),
        (Some((rank, digits)), _, _) => (rank, num_or_zero(digits)?),
    };
    let (post_rank, post_n) = match post {
        Some(digits) => (1, num_or_zero(digits)?),
        None => (0, Num::zero()),
    };
    let (dev_rank, dev_n) = match dev {
        Some(digits) => (0, num_or_zero(digits)?),
        None => (1, Num::zero()),
    };
    let local = if local_segments.is_empty() {
        None
    } else {
        Some(
            local_segments
                .into_iter()
                .map(|s| {
                    if s.bytes().all(|c| c.is_ascii_digit()) {
                        Num::from_digits(s).map(LocalPart::Int)
                    } else {
                        Ok(LocalPart::Str(s.to_ascii_lowercase()))
                    }
                })
                .collect::<Result<Vec<_>, _>>()?,
        )
    };
    Ok(Some(Standard {
        epoch,
        release,
        suffix: Suffix {
            pre_rank,
            pre_n,
            post_rank,
            post_n,
            dev_rank,
            dev_n,
        },
        local,
    }))
}

/// `packaging_legacy`'s `_legacy_cmpkey` (without the constant epoch of -1).
fn legacy_key(input: &str) -> Vec<String> {
    let lowered = input.to_lowercase();
    let mut parts: Vec<String> = Vec::new();
    let mut other = String::new();
    let mut chars = lowered.chars().peekable();
    while let Some(&c) = chars.peek() {
        let token: String = if python::is_decimal(c) {
            let mut run = String::new();
            while let Some(&d) = chars.peek().filter(|&&d| python::is_decimal(d)) {
                run.push(d);
                chars.next();
            }
            run
        } else if c.is_ascii_lowercase() {
            let mut run = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_lowercase()) {
                run.push(d);
                chars.next();
            }
            run
        } else if c == '.' || c == '-' {
            chars.next();
            c.to_string()
        } else {
            other.push(c);
            chars.next();
            continue;
        };
        legacy_push(&mut parts, std::mem::take(&mut other));
        legacy_push(&mut parts, token);
    }
    legacy_push(&mut parts, other);
    legacy_add(&mut parts, "*final".to_owned());
    parts
}

/// One piece of the split string, through the replacement map and the padding.
fn legacy_push(parts: &mut Vec<String>, piece: String) {
    let piece = match piece.as_str() {
        "pre" | "preview" | "rc" => "c".to_owned(),
        "-" => "final-".to_owned(),
        "dev" => "@".to_owned(),
        _ => piece,
    };
    if piece.is_empty() || piece == "." {
        return;
    }
    let part = if piece.starts_with(|c: char| c.is_ascii_digit()) {
        let width = piece.chars().count();
        let mut padded = "0".repeat(8usize.saturating_sub(width));
        padded.push_str(&piece);
        padded
    } else {
        format!("*{piece}")
    };
    legacy_add(parts, part);
}

fn legacy_add(parts: &mut Vec<String>, part: String) {
    if part.starts_with('*') {
        if part.as_str() < "*final" {
            while parts.last().is_some_and(|p| p == "*final-") {
                parts.pop();
            }
        }
        while parts.last().is_some_and(|p| p == "00000000") {
            parts.pop();
        }
    }
    parts.push(part);
}

/// Python 3.11 (Unicode 14.0) character classes and `int()` limits, for the
/// modules that reproduce Python code (PyPI, Maven and NuGet, as osv.dev runs them).
pub(crate) mod python {
    /// The first code point (digit zero) of each run of ten Unicode 14.0 `Nd`
    /// characters (`str.isdecimal`, and `\d` in a `str` regular expression).
    const DECIMAL_ZEROS: [u32; 66] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
        0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
        0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
    ];

    /// Python's `int()` refuses strings of more than this many digits.
    pub(crate) const MAX_INT_DIGITS: usize = 4300;

    /// The value (0–9) of a decimal digit (`str.isdecimal`), or `None`.
    pub(crate) fn decimal_value(c: char) -> Option<u32> {
        let cp = u32::from(c);
        let i = DECIMAL_ZEROS.partition_point(|&z| z <= cp);
        let zero = *DECIMAL_ZEROS.get(i.checked_sub(1)?)?;
        (cp - zero < 10).then_some(cp - zero)
    }

    /// `str.isdecimal` for one character (Unicode `Nd`, Python's `\d`).
    pub(crate) fn is_decimal(c: char) -> bool {
        decimal_value(c).is_some()
    }

    /// `str.isspace` for one character (also what `\s` matches in a `str` pattern).
    pub(crate) fn is_space(c: char) -> bool {
        matches!(
            c,
            '\t'..='\r'
                | '\u{1C}'..='\u{20}'
                | '\u{85}'
                | '\u{A0}'
                | '\u{1680}'
                | '\u{2000}'..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
        )
    }

    /// The error Python's `int()` raises for too long a digit string.
    pub(crate) fn check_int_len(digits: &str) -> Result<(), String> {
        if digits.chars().count() > MAX_INT_DIGITS {
            Err(format!(
                "number of more than {MAX_INT_DIGITS} digits (python int() refuses it)"
            ))
        } else {
            Ok(())
        }
    }

    /// `str(int(s))` for a non-empty string of decimal digits (any script): ASCII
    /// digits without leading zeros.
    pub(crate) fn int_str(s: &str) -> Result<String, String> {
        check_int_len(s)?;
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            let v = decimal_value(c).ok_or_else(|| "not a decimal number".to_owned())?;
            if out.is_empty() && v == 0 {
                continue;
            }
            out.push(char::from_digit(v, 10).unwrap_or('0'));
        }
        if out.is_empty() {
            out.push('0');
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> Pep440Version {
        Pep440Version::parse(s).unwrap()
    }

    #[test]
    fn ascending_table() {
        let ordered = [
            // Legacy versions first, in their own order.
            "",
            "foo",
            "invalid",
            "1.0.0-final-1",
            // PEP 440.
            "0",
            "0.0.1",
            "1.0.dev0",
            "1.0.dev456",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a1.post1.dev1",
            "1.0a1.post1",
            "1.0a2",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0+5.abc",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1.2",
            "1.10",
            "2.0",
            "99999999999999999999999999",
            "1!0.1",
            "2!0.0.1",
        ];
        for w in ordered.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{:?} < {:?}", w[0], w[1]);
            assert!(v(w[1]) > v(w[0]), "{:?} > {:?}", w[1], w[0]);
        }
        crate::testing::assert_increasing(v, &ordered);
    }

    #[test]
    fn equal_table() {
        let groups: &[&[&str]] = &[
            &[
                "1.0a1",
                "1.0-alpha1",
                "1.0.ALPHA.1",
                "1.0_a_1",
                "v1.0a1",
                " 1.0a1\n",
            ],
            &["1.0", "1", "1.0.0", "V1.0", "0!1.0", "01.00"],
            &[
                "1.0.post1",
                "1.0-1",
                "1.0r1",
                "1.0.rev1",
                "1.0post1",
                "1.0-post-1",
            ],
            &["1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0-RC-1"],
            &["1.0b0", "1.0b", "1.0beta", "1.0.b"],
            &["1.0.dev0", "1.0dev", "1.0-dev", "1.0.DEV0"],
            &["1.0a-", "1.0a0"],
            &["1.0+ABC.1", "1.0+abc-01", "1.0+abc_1"],
            &["0", "0.0", "00"],
            &["\u{a0}1.2\u{3000}", "1.2"],
        ];
        for group in groups {
            for a in *group {
                assert!(v(a).is_pep440(), "{a:?} is PEP 440");
                for b in *group {
                    assert_eq!(v(a), v(b), "{a:?} == {b:?}");
                }
            }
        }
    }

    #[test]
    fn legacy_versions() {
        for s in [
            "",
            "foo",
            "1.0-",
            "1.0.x",
            "1..2",
            "1.0a1a",
            "1,0",
            "١.٢",
            "2.0-SNAPSHOT",
        ] {
            assert!(!v(s).is_pep440(), "{s:?} is legacy");
            assert!(v(s) < v("0"), "{s:?} < 0");
        }
        // Legacy order: numbers padded to 8 digits, so 9 digits compare as text.
        assert!(v("1.x") < v("2.x"));
        assert!(v("123456789.x") < v("99999999.x"));
        assert!(v("1.0.x") == v("1.x"));
        assert!(v("1.0-pre1") == v("1.0-rc1"));
        assert!(v("1.0-dev.x") < v("1.0-a.x"));
        assert!(v("1.0-x") < v("1.0.x"));
        // Unicode digits are digits in the legacy split (and lowercasing is Unicode).
        assert!(v("٣.x") != v("3.x"));
        assert!(v("A.X") == v("a.x"));
    }

    #[test]
    fn huge_numbers() {
        let big = "9".repeat(4300);
        assert!(v(&format!("1.{big}")) > v(&format!("1.{}", &big[1..])));
        let too_big = "1".repeat(4301);
        assert!(Pep440Version::parse(&format!("1.{too_big}")).is_err());
        assert!(Pep440Version::parse(&format!("1.0+{too_big}")).is_err());
        // Not PEP 440, so legacy (which needs no int()): fine.
        assert!(Pep440Version::parse(&format!("x.{too_big}")).is_ok());
        assert_eq!(v("1.00000000000000000000001"), v("1.1"));
        // Around u64::MAX, where a number stops being held as an integer.
        let ordered = [
            "1.18446744073709551614",
            "1.18446744073709551615",
            "1.18446744073709551616",
            "1.99999999999999999999",
            "1.100000000000000000000",
        ];
        crate::testing::assert_increasing(v, &ordered);
        assert_eq!(v("1.018446744073709551616"), v("1.18446744073709551616"));
        assert_eq!(
            v("1.0.post018446744073709551616"),
            v("1.0.post18446744073709551616")
        );
    }

    #[test]
    fn never_panics() {
        for s in [
            "\u{0}",
            "💥",
            "1.0+",
            "1.0+.",
            "+",
            "!",
            "1!",
            "v",
            "1.0.post.dev.+a",
            "ǅ",
        ] {
            let _ = Pep440Version::parse(s);
        }
    }

    #[test]
    fn python_tables() {
        use super::python::*;
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('\u{1FBF9}'), Some(9));
        assert_eq!(decimal_value('a'), None);
        assert_eq!(decimal_value('²'), None);
        assert!(!is_decimal('²'));
        assert!(is_space('\u{1C}') && is_space('\u{85}') && !is_space('\u{200B}'));
        assert_eq!(int_str("٠٠١٢").unwrap(), "12");
        assert_eq!(int_str("000").unwrap(), "0");
    }
}
