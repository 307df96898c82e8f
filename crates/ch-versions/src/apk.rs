//! apk version ordering (Alpine, Wolfi, Chainguard, MinimOS), as apk-tools 3's
//! `apk_version_compare`.
//!
//! Reference: apk-tools `src/version.c` (the tokenizer `token_first`/`token_next`,
//! `token_cmp`, `apk_version_validate`, `apk_version_compare_fuzzy`) and its test
//! vectors `test/version.data`. No apk-tools binary runs in our test environment, so
//! the unit tests below carry every vector of that file.
//!
//! # Syntax
//! `digits{.digits}...{letter}{_suffix{digits}}...{~hash}{-rdigits}`:
//! * it starts with one or more ASCII digits; further numeric components follow a `.`;
//! * then at most one lower-case letter `a`–`z`;
//! * then any number of suffixes `_alpha`, `_beta`, `_pre`, `_rc` (pre-releases) or
//!   `_cvs`, `_svn`, `_git`, `_hg`, `_p` (post-releases), each optionally followed by
//!   digits;
//! * then optionally `~` and one or more lower-case hex digits (a commit hash);
//! * then optionally `-r` and one or more digits (the package revision).
//!
//! Anything else (`1.0bc`, `1.0-1`, `1.0_foo`, `1.2p3`, `v1.0`, upper case) is what
//! `apk_version_validate` rejects, and `parse` rejects it too.
//!
//! # Order
//! The versions are compared token by token while both have a token of the same kind:
//! * the first number and `_suffix` numbers and `-r` numbers by value;
//! * a later `.`-number by value, unless either side starts with `0`: then both
//!   compare as strings, byte by byte (`1.02 < 1.1`, `1.0 < 1.00`, as Gentoo does);
//! * letters by byte; suffixes by kind, `_alpha < _beta < _pre < _rc <` (no suffix)
//!   `< _cvs < _svn < _git < _hg < _p`; hashes as strings.
//!
//! When all shared tokens are equal and both end, the versions are equal. Otherwise, at
//! the first token where the kinds differ: a side that has a pre-release suffix there
//! is smaller; otherwise the side whose token kind comes later in the list *number,
//! letter, suffix, suffix number, hash, revision, end* is smaller. So `1.0_rc1 < 1.0 <
//! 1.0-r1 < 1.0_p1 < 1.0a < 1.0.1`.
//!
//! Numbers of any length compare by value. apk-tools accumulates them in a 64-bit
//! integer that wraps, so runs of 20 or more digits may order differently there
//! (documented difference; no real version has them).
//!
//! # Differences from osv.dev
//! osv.dev's `Alpine` (and `Wolfi`, `Chainguard`, `MinimOS`) ecosystems do not run
//! apk-tools' algorithm but univers' `AlpineLinuxVersion`, a Gentoo comparison:
//! * it rejects (and sorts after every valid version) the suffixes `_cvs`, `_svn`,
//!   `_git`, `_hg`, a `~hash`, and a first number with a leading zero (`006`), all of
//!   which apk-tools accepts and we order as apk-tools does;
//! * it rewrites `1.2p3` to `1.2_p3` and accepts a `.r1` revision; apk-tools rejects
//!   both forms, and so do we;
//! * with a leading zero it strips trailing zeros before the string comparison
//!   (`1.010 = 1.01` there, `1.010 > 1.01` in apk-tools).
//!
//! For the version strings in Alpine's secdb (plain numbers, a letter, the Gentoo
//! suffixes and `-rN`) the orders agree; `tests/differential_os.rs` checks that every
//! version in the secdb export parses.

use std::cmp::Ordering;

/// A parsed apk version.
#[derive(Debug, Clone)]
pub struct ApkVersion {
    tokens: Vec<Token>,
}

/// Token kinds, in apk-tools' order (`TOKEN_INITIAL_DIGIT` … `TOKEN_END`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit = 0,
    Digit = 1,
    Letter = 2,
    Suffix = 3,
    SuffixNo = 4,
    Hash = 5,
    Revision = 6,
    End = 7,
}

/// Suffix values; `NONE` (5) is the pivot between pre- and post-release suffixes.
const SUFFIX_NONE: u8 = 5;

#[derive(Debug, Clone)]
enum Token {
    /// Digits without leading zeros.
    InitialDigit(String),
    /// Digits as written.
    Digit(String),
    Letter(u8),
    Suffix(u8),
    /// Digits without leading zeros.
    SuffixNo(String),
    Hash(String),
    /// Digits without leading zeros.
    Revision(String),
}

impl Token {
    fn kind(&self) -> Kind {
        match self {
            Token::InitialDigit(_) => Kind::InitialDigit,
            Token::Digit(_) => Kind::Digit,
            Token::Letter(_) => Kind::Letter,
            Token::Suffix(_) => Kind::Suffix,
            Token::SuffixNo(_) => Kind::SuffixNo,
            Token::Hash(_) => Kind::Hash,
            Token::Revision(_) => Kind::Revision,
        }
    }
}

fn suffix_value(s: &str) -> Option<u8> {
    Some(match s {
        "alpha" => 1,
        "beta" => 2,
        "pre" => 3,
        "rc" => 4,
        "cvs" => 6,
        "svn" => 7,
        "git" => 8,
        "hg" => 9,
        "p" => 10,
        _ => return None,
    })
}

fn cmp_number(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn strip(s: &str) -> String {
    s.trim_start_matches('0').to_owned()
}

impl ApkVersion {
    /// Parses a version that `apk_version_validate` accepts (see module docs).
    pub fn parse(input: &str) -> Result<Self, String> {
        let b = input.as_bytes();
        let run = |start: usize, f: fn(&u8) -> bool| -> usize {
            let mut end = start;
            while end < b.len() && f(&b[end]) {
                end += 1;
            }
            end
        };
        let mut tokens = Vec::new();
        let mut i = run(0, u8::is_ascii_digit);
        if i == 0 {
            return Err("version must start with a digit".to_owned());
        }
        tokens.push(Token::InitialDigit(strip(&input[..i])));
        let mut kind = Kind::InitialDigit;
        while i < b.len() {
            let c = b[i];
            let (token, next) = match c {
                b'a'..=b'z' => {
                    if kind > Kind::Digit {
                        return Err("unexpected letter".to_owned());
                    }
                    (Token::Letter(c), i + 1)
                }
                b'.' => {
                    if kind > Kind::Digit {
                        return Err("unexpected `.`".to_owned());
                    }
                    let end = run(i + 1, u8::is_ascii_digit);
                    if end == i + 1 {
                        return Err("expected digits after `.`".to_owned());
                    }
                    (Token::Digit(input[i + 1..end].to_owned()), end)
                }
                b'0'..=b'9' => {
                    if kind != Kind::Suffix {
                        return Err("unexpected digit".to_owned());
                    }
                    let end = run(i, u8::is_ascii_digit);
                    (Token::SuffixNo(strip(&input[i..end])), end)
                }
                b'_' => {
                    if kind > Kind::SuffixNo {
                        return Err("unexpected `_`".to_owned());
                    }
                    let end = run(i + 1, u8::is_ascii_lowercase);
                    match suffix_value(&input[i + 1..end]) {
                        Some(s) => (Token::Suffix(s), end),
                        None => return Err("unknown suffix".to_owned()),
                    }
                }
                b'~' => {
                    if kind >= Kind::Hash {
                        return Err("unexpected `~`".to_owned());
                    }
                    let end = run(i + 1, |c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
                    if end == i + 1 {
                        return Err("expected a hex hash after `~`".to_owned());
                    }
                    (Token::Hash(input[i + 1..end].to_owned()), end)
                }
                b'-' => {
                    if kind >= Kind::Revision || b.get(i + 1) != Some(&b'r') {
                        return Err("expected `-r` and a number".to_owned());
                    }
                    let end = run(i + 2, u8::is_ascii_digit);
                    if end == i + 2 {
                        return Err("expected digits after `-r`".to_owned());
                    }
                    (Token::Revision(strip(&input[i + 2..end])), end)
                }
                _ => return Err("invalid character".to_owned()),
            };
            kind = token.kind();
            tokens.push(token);
            i = next;
        }
        Ok(ApkVersion { tokens })
    }
}

impl ApkVersion {
    /// See [`crate::Version::order_prefix`]: the initial number (16 bits), then the
    /// next two tokens (24 bits each: a 3-bit class, then the token's value).
    ///
    /// Where two versions' tokens first differ in kind, the comparison is decided
    /// by kind alone (a pre-release suffix is smallest; otherwise the later kind is
    /// smaller), so classes rank the kinds that way: pre-release suffix < end <
    /// revision < hash < suffix number < post-release suffix < letter < `.`-number.
    /// Within a class the value is the suffix, letter or number; `.`-numbers with a
    /// leading zero compare as strings and all sort below the others, so they get 0
    /// and end the prefix, as a hash does (later fields are then zero, keeping the
    /// packing monotone).
    pub(crate) fn order_prefix(&self) -> u64 {
        self.prefix_summary().0
    }

    /// See [`crate::Version::prefix_is_exact`]: every token, and where the version
    /// ends, is held whole by the prefix (the initial number and at most one more
    /// token).
    pub(crate) fn prefix_is_exact(&self) -> bool {
        self.prefix_summary().1
    }

    /// The order prefix, and whether it holds the whole version.
    fn prefix_summary(&self) -> (u64, bool) {
        const VALUE_BITS: u32 = 21;
        let number = |digits: &str| -> Option<u64> {
            if digits.len() > 18 {
                return None;
            }
            digits.parse::<u64>().ok().or(Some(0))
        };
        let mut fields: [(Option<u64>, u32); 3] = [(Some(0), 0); 3];
        let Some(Token::InitialDigit(first)) = self.tokens.first() else {
            return (0, false);
        };
        fields[0] = (number(first), 16);
        let mut whole = false;
        for (k, field) in fields.iter_mut().enumerate().skip(1) {
            // (class, value within it, whether the value orders the token exactly)
            let token = self.tokens.get(k);
            let (class, value, exact): (u64, Option<u64>, bool) = match token {
                Some(Token::Suffix(v)) if *v < SUFFIX_NONE => (0, Some(u64::from(*v)), true),
                None => (1, Some(0), true),
                Some(Token::Revision(n)) => (2, number(n), true),
                Some(Token::Hash(_)) => (3, Some(0), false),
                Some(Token::SuffixNo(n)) => (4, number(n), true),
                Some(Token::Suffix(v)) => (5, Some(u64::from(*v)), true),
                Some(Token::Letter(c)) => (6, Some(u64::from(*c)), true),
                Some(Token::Digit(d)) if d.starts_with('0') => (7, Some(0), false),
                Some(Token::Digit(d)) => (7, number(d), true),
                Some(Token::InitialDigit(_)) => return (0, false),
            };
            // A value too large takes the class's largest and ends the packing (the
            // field must stay within its class: a larger class is a larger token).
            let max = (1u64 << VALUE_BITS) - 1;
            let capped = value.filter(|v| *v < max);
            *field = (
                Some((class << VALUE_BITS) | capped.unwrap_or(max)),
                VALUE_BITS + 3,
            );
            if !exact || capped.is_none() {
                break;
            }
            if token.is_none() {
                // The end is recorded, and every token before it was held whole.
                whole = crate::fields_fit(&fields[..1]);
                break;
            }
        }
        (crate::pack_prefix(fields), whole)
    }
}

fn token_cmp(a: &Token, b: &Token) -> Ordering {
    match (a, b) {
        (Token::Digit(x), Token::Digit(y)) => {
            if x.starts_with('0') || y.starts_with('0') {
                x.as_bytes().cmp(y.as_bytes())
            } else {
                cmp_number(x, y)
            }
        }
        (Token::InitialDigit(x), Token::InitialDigit(y))
        | (Token::SuffixNo(x), Token::SuffixNo(y))
        | (Token::Revision(x), Token::Revision(y)) => cmp_number(x, y),
        (Token::Letter(x), Token::Letter(y)) | (Token::Suffix(x), Token::Suffix(y)) => x.cmp(y),
        (Token::Hash(x), Token::Hash(y)) => x.as_bytes().cmp(y.as_bytes()),
        // Only called with tokens of the same kind.
        _ => a.kind().cmp(&b.kind()),
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut i = 0;
        let (ta, tb) = loop {
            let (ta, tb) = (self.tokens.get(i), other.tokens.get(i));
            match (ta, tb) {
                (Some(x), Some(y)) if x.kind() == y.kind() => {
                    let o = token_cmp(x, y);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                (None, None) => return Ordering::Equal,
                _ => break (ta, tb),
            }
            i += 1;
        };
        if let Some(Token::Suffix(s)) = ta {
            if *s < SUFFIX_NONE {
                return Ordering::Less;
            }
        }
        if let Some(Token::Suffix(s)) = tb {
            if *s < SUFFIX_NONE {
                return Ordering::Greater;
            }
        }
        let ka = ta.map_or(Kind::End, Token::kind);
        let kb = tb.map_or(Kind::End, Token::kind);
        // The later kind is the smaller version.
        kb.cmp(&ka)
    }
}

crate::ord_from_cmp!(ApkVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> ApkVersion {
        ApkVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// apk-tools `test/version.data`, every line. Two lines compare a version that
    /// `apk_version_validate` rejects (`1.0bc`, `23_foo`; apk-tools orders them only up
    /// to the invalid token); they are commented out there and covered by `rejected`.
    const VERSION_DATA: &str = include_str!("../tests/reference/apk_version.data");

    #[test]
    fn apk_tools_test_vectors() {
        let mut n = 0;
        for line in VERSION_DATA.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "bad line {line:?}");
            let (a, op, b) = (parts[0], parts[1], parts[2]);
            let (Ok(pa), Ok(pb)) = (ApkVersion::parse(a), ApkVersion::parse(b)) else {
                panic!("unparsable vector {line:?}");
            };
            let want = match op {
                "<" => Ordering::Less,
                ">" => Ordering::Greater,
                "=" => Ordering::Equal,
                _ => panic!("bad op in {line:?}"),
            };
            assert_eq!(pa.cmp(&pb), want, "{line}");
            assert_eq!(pb.cmp(&pa), want.reverse(), "{line} (reversed)");
            n += 1;
        }
        assert!(n > 600, "only {n} vectors");
    }

    /// Each list is strictly increasing.
    const ORDERED: &[&[&str]] = &[
        &[
            "1.0_alpha_pre2",
            "1.0_alpha",
            "1.0_alpha1",
            "1.0_beta",
            "1.0_pre",
            "1.0_rc1",
            "1.0_rc2",
            "1.0",
            "1.0-r0",
            "1.0-r1",
            "1.0~abc",
            "1.0_cvs",
            "1.0_svn",
            "1.0_git20200101",
            "1.0_hg",
            "1.0_p",
            "1.0_p0~1",
            "1.0_p1",
            "1.0_p10",
            "1.0a",
            "1.0b_rc1",
            "1.0b",
            "1.0.0",
            "1.0.1",
            "1.1",
        ],
        // Leading zeros: string comparison after the first component.
        &[
            "1.0", "1.00", "1.001", "1.01", "1.010", "1.02", "1.1", "1.2", "1.10",
        ],
        &["0.9", "1", "01.1", "2", "006", "10"],
        // Hashes and revisions.
        &[
            "1.0-r0",
            "1.0-r1",
            "1.0-r2",
            "1.0-r10",
            "1.0~0abc",
            "1.0~0abc-r1",
            "1.0~1",
            "1.0~a",
        ],
        &["1.0_p1-r3", "1.0_p1~ab", "1.0_p1_p1"],
        // Long digit runs.
        &[
            "1.99999999999999999999999999",
            "1.100000000000000000000000000",
            "2",
        ],
        &[
            "100000000000000000000000000000",
            "100000000000000000000000000001",
        ],
    ];

    const EQUAL: &[(&str, &str)] = &[
        ("006", "6"),
        ("0", "00"),
        ("1.0_p00", "1.0_p0"),
        ("1.0_rc01", "1.0_rc1"),
        ("1.0-r01", "1.0-r1"),
        ("1.0-r00", "1.0-r0"),
        ("1.0~ab", "1.0~ab"),
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
        for s in [
            "",
            "a",
            "v1.0",
            ".1",
            "1.",
            "1..2",
            "1.0bc",
            "1.0b1",
            "1.2p3",
            "1.0-1",
            "1.0-r",
            "1.0-ra",
            "1.0_foo",
            "1.0_",
            "1.0_Alpha",
            "1.0A",
            "1.0~",
            "1.0~xyz",
            "1.0~ABC",
            "1.0-r1-r2",
            "1.0-r1.2",
            "1.0-r1a",
            "1.0~ab~cd",
            "1.0~ab_p1",
            "1.0a.1",
            "1.0aa",
            "1.0_p1.2",
            "1.0_p1a",
            "23_foo",
            "1.0 ",
            " 1.0",
            "1.0.r1",
            "1,0",
            "1.0é",
        ] {
            assert!(ApkVersion::parse(s).is_err(), "{s:?} should be rejected");
        }
    }

    #[test]
    fn accepted() {
        for s in [
            "0",
            "1a",
            "1.2.3a_rc1_p2~deadbeef-r10",
            "1_p",
            "1~0",
            "1-r0",
            "1_alpha_beta_pre",
        ] {
            assert!(ApkVersion::parse(s).is_ok(), "{s:?}");
        }
    }

    /// Every pair of the apk-tools vectors and of the tables: the prefix never
    /// orders two versions against their order.
    #[test]
    fn order_prefix_is_monotone() {
        let mut all: Vec<ApkVersion> = VERSION_DATA
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .flat_map(|l| {
                let p: Vec<&str> = l.split_whitespace().collect();
                [v(p[0]), v(p[2])]
            })
            .collect();
        for s in [
            "1",
            "1_rc1",
            "1-r1",
            "1-r99999999999",
            "1_p1",
            "1a",
            "1.0",
            "1.01",
            "1.1",
            "1.99999999999",
            "1~ab",
            "1.2_alpha3",
            "1.2_p4-r2",
            "1.2.3",
            "1.2a_rc1",
            "99999999999999999999",
            "2.0.00",
            "2.0.0",
            "2.0.1_pre",
            "2.0.1~0f-r3",
        ] {
            all.push(v(s));
        }
        let mut n = 0;
        for a in &all {
            for b in &all {
                if a < b {
                    assert!(
                        a.order_prefix() <= b.order_prefix(),
                        "{a:?} < {b:?} but prefix {:#x} > {:#x}",
                        a.order_prefix(),
                        b.order_prefix()
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 10_000, "{n} ordered pairs");
        // Prefixes separate versions that differ early.
        assert!(v("1.2").order_prefix() < v("1.3").order_prefix());
        assert!(v("1_rc1").order_prefix() < v("1").order_prefix());
        assert!(v("1-r1").order_prefix() < v("1a").order_prefix());
    }

    proptest::proptest! {
        /// Generated versions: the prefix is monotone in the order.
        #[test]
        fn order_prefix_monotone_generated(
            a in "[0-9]{1,3}(\\.[0-9]{1,3}){0,3}[a-c]?(_(alpha|rc|p)[0-9]?){0,2}(~[0-9a-f]{1,3})?(-r[0-9]{1,2})?",
            b in "[0-9]{1,3}(\\.[0-9]{1,3}){0,3}[a-c]?(_(alpha|rc|p)[0-9]?){0,2}(~[0-9a-f]{1,3})?(-r[0-9]{1,2})?",
        ) {
            let (a, b) = (v(&a), v(&b));
            if a < b {
                proptest::prop_assert!(a.order_prefix() <= b.order_prefix(), "{:?} < {:?}", a, b);
            }
        }
    }

    #[test]
    fn never_panics() {
        let big = format!("{}.{}", "9".repeat(5000), "0".repeat(5000));
        let _ = v(&big).cmp(&v("1"));
        for s in ["\u{0}", "1\u{0}", "1.\u{10FFFF}", "1-\u{e9}"] {
            let _ = ApkVersion::parse(s);
        }
    }
}
