//! Homebrew version ordering, as osv.dev's port of Homebrew's `PkgVersion` and
//! `Version#<=>`.
//!
//! Reference: osv.dev `osv/ecosystems/homebrew.py` (`HomebrewPkgVersion`), which
//! ports Homebrew/brew `Library/Homebrew/version.rb` (`Version::SCAN_PATTERN`, the
//! token classes, `Version#<=>`) and `pkg_version.rb`; its test table
//! (`homebrew_test.py`, from brew's `test/version_spec.rb`) is in the unit tests
//! below. No Homebrew runs in our test environment. Where osv.dev and Homebrew could
//! differ we follow osv.dev, the matcher we must agree with.
//!
//! # Syntax
//! Any non-empty string without a line feed (`\n`). A trailing `_N` (ASCII digits) is
//! the package revision: `1.81.6_6` is version `1.81.6`, revision 6; a missing
//! revision is 0. The part before it must not be empty (`_5` is version `_5`).
//!
//! # Tokens
//! The version part is scanned left to right, case-insensitively; at each position
//! the first of these patterns that matches makes a token, and characters that match
//! none are skipped:
//!
//! | kind    | pattern                    | value                      |
//! |---------|----------------------------|----------------------------|
//! | alpha   | `alpha[0-9]*` or `a[0-9]+` | first digit run, else 0    |
//! | beta    | `beta[0-9]*` or `b[0-9]+`  | 〃                         |
//! | pre     | `pre[0-9]*`                | 〃                         |
//! | rc      | `rc[0-9]*`                 | 〃                         |
//! | patch   | `p[0-9]*`                  | 〃                         |
//! | post    | `.post[0-9]+` (`.` = any character) | 〃                |
//! | numeric | `[0-9]+`                   | the number                 |
//! | string  | `[a-z]+`                   | the letters, lower-cased   |
//!
//! (So `1.2.3a` ends in the string `a`, `1.0-p34` has patch 34, `1post2` is one post
//! token whose value is 1, as in osv.dev.)
//!
//! # Order
//! Token kinds rank `alpha < beta < pre < rc <` *(end)* `< string < patch < post <
//! numeric`; tokens of one kind compare by value. The two token lists are walked
//! together: equal tokens are skipped; a numeric token facing a non-numeric token (or
//! the end) wins if it is non-zero and is skipped if it is zero (so `2.1-p194` lines
//! up with `2.1.0-p194`); otherwise the first differing pair decides. When the
//! versions are equal, the revisions decide. So `1.2.3alpha4 < 1.2.3rc3 < 1.2.3 =
//! 1.2.3.0 < 1.2.3a < 1.2.3-p34 < 1.2.3.post1 < 1.2.3.1`.
//!
//! # Differences
//! * **Transitivity.** Homebrew's and osv.dev's walk stops as soon as the *left*
//!   index reaches the longer list's length, ignoring tokens still left on the right
//!   after zeros were skipped on the left. That makes `1.0a = 1a` and `1.0a = 1a.b`
//!   while `1a < 1a.b`: not an order. We keep walking until both sides are exhausted
//!   (here `1.0a = 1a < 1a.b = ...`), which only changes such pairs. Implemented as:
//!   drop numeric zeros that end a run of numeric tokens, then compare the lists
//!   lexicographically with the end as a token between `rc` and `string`.
//! * **Non-ASCII.** osv.dev matches with Python's Unicode rules: `\d` in the revision
//!   also matches non-ASCII decimal digits, and case-insensitive `[a-z]` also matches
//!   `ſ`, `ı`, `İ` and the Kelvin sign. We treat only ASCII digits and letters as such.
//! * **Homebrew itself** compares different marker kinds (patch vs post, …) by their
//!   text, where osv.dev (and we) use the kind rank above; osv.dev notes this matches
//!   every case in Homebrew's spec.

use std::cmp::Ordering;

/// A parsed Homebrew `PkgVersion`.
#[derive(Debug, Clone)]
pub struct HomebrewVersion {
    /// Tokens with run-ending numeric zeros removed (see module docs).
    tokens: Vec<Token>,
    /// Revision digits without leading zeros.
    revision: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Alpha,
    Beta,
    Pre,
    Rc,
    /// The end of the list (osv.dev's null token); only used in comparisons.
    End,
    Str,
    Patch,
    Post,
    Numeric,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    kind: Kind,
    /// Digits without leading zeros (every kind but `Str`), or lower-case letters.
    value: String,
}

impl HomebrewVersion {
    /// Parses a Homebrew version with an optional `_N` revision (see module docs).
    pub fn parse(input: &str) -> Result<Self, String> {
        if input.is_empty() {
            return Err("version is empty".to_owned());
        }
        if input.contains('\n') {
            return Err("version contains a line feed".to_owned());
        }
        let (version, revision) = split_revision(input);
        let mut tokens = tokenize(version);
        drop_run_ending_zeros(&mut tokens);
        Ok(HomebrewVersion {
            tokens,
            revision: revision.trim_start_matches('0').to_owned(),
        })
    }
}

/// `\A(.+?)(?:_(\d+))?\Z`: the revision is the digits after the last `_` when they run
/// to the end and something precedes that `_`.
fn split_revision(s: &str) -> (&str, &str) {
    if let Some(i) = s.rfind('_') {
        let digits = &s[i + 1..];
        if i > 0 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return (&s[..i], digits);
        }
    }
    (s, "")
}

fn digits_at(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    j
}

fn starts_with_ci(b: &[u8], i: usize, word: &[u8]) -> bool {
    b.len() >= i + word.len() && b[i..i + word.len()].eq_ignore_ascii_case(word)
}

/// The first digit run in `text`, without leading zeros (empty = 0).
fn first_number(text: &[u8]) -> String {
    let Some(start) = text.iter().position(u8::is_ascii_digit) else {
        return String::new();
    };
    let end = digits_at(text, start);
    String::from_utf8_lossy(&text[start..end])
        .trim_start_matches('0')
        .to_owned()
}

/// Tries the marker patterns at byte `i` (which starts a character); returns the kind
/// and the end of the match.
fn marker_at(s: &str, i: usize) -> Option<(Kind, usize)> {
    let b = s.as_bytes();
    // `word[0-9]*`
    let word = |w: &[u8]| starts_with_ci(b, i, w).then(|| digits_at(b, i + w.len()));
    // `letter[0-9]+`
    let letter_num = |l: u8| {
        (b.get(i).is_some_and(|c| c.eq_ignore_ascii_case(&l)) && digits_at(b, i + 1) > i + 1)
            .then(|| digits_at(b, i + 1))
    };
    if let Some(end) = word(b"alpha").or_else(|| letter_num(b'a')) {
        return Some((Kind::Alpha, end));
    }
    if let Some(end) = word(b"beta").or_else(|| letter_num(b'b')) {
        return Some((Kind::Beta, end));
    }
    if let Some(end) = word(b"pre") {
        return Some((Kind::Pre, end));
    }
    if let Some(end) = word(b"rc") {
        return Some((Kind::Rc, end));
    }
    if let Some(end) = word(b"p") {
        return Some((Kind::Patch, end));
    }
    // `.post[0-9]+`, where `.` is any one character (not a line feed).
    let c_len = s[i..].chars().next().map_or(0, char::len_utf8);
    if c_len > 0 && starts_with_ci(b, i + c_len, b"post") {
        let end = digits_at(b, i + c_len + 4);
        if end > i + c_len + 4 {
            return Some((Kind::Post, end));
        }
    }
    None
}

fn tokenize(s: &str) -> Vec<Token> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if let Some((kind, end)) = marker_at(s, i) {
            out.push(Token {
                kind,
                value: first_number(&b[i..end]),
            });
            i = end;
        } else if b[i].is_ascii_digit() {
            let end = digits_at(b, i);
            out.push(Token {
                kind: Kind::Numeric,
                value: s[i..end].trim_start_matches('0').to_owned(),
            });
            i = end;
        } else if b[i].is_ascii_alphabetic() {
            let mut end = i;
            while end < b.len() && b[end].is_ascii_alphabetic() {
                end += 1;
            }
            out.push(Token {
                kind: Kind::Str,
                value: s[i..end].to_ascii_lowercase(),
            });
            i = end;
        } else {
            // Skip one character.
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// Removes numeric zero tokens that are followed by a non-numeric token or the end,
/// repeatedly (all trailing zeros of every run of numeric tokens).
fn drop_run_ending_zeros(tokens: &mut Vec<Token>) {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens.drain(..) {
        if t.kind != Kind::Numeric {
            while out
                .last()
                .is_some_and(|l| l.kind == Kind::Numeric && l.value.is_empty())
            {
                out.pop();
            }
        }
        out.push(t);
    }
    while out
        .last()
        .is_some_and(|l| l.kind == Kind::Numeric && l.value.is_empty())
    {
        out.pop();
    }
    *tokens = out;
}

fn cmp_digits(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn cmp_token(a: Option<&Token>, b: Option<&Token>) -> Ordering {
    let ka = a.map_or(Kind::End, |t| t.kind);
    let kb = b.map_or(Kind::End, |t| t.kind);
    if ka != kb {
        return ka.cmp(&kb);
    }
    match (a, b) {
        (Some(x), Some(y)) if ka == Kind::Str => x.value.cmp(&y.value),
        (Some(x), Some(y)) => cmp_digits(&x.value, &y.value),
        _ => Ordering::Equal,
    }
}

impl Ord for HomebrewVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.tokens.len().max(other.tokens.len());
        for i in 0..n {
            let o = cmp_token(self.tokens.get(i), other.tokens.get(i));
            if o != Ordering::Equal {
                return o;
            }
        }
        cmp_digits(&self.revision, &other.revision)
    }
}

crate::ord_from_cmp!(HomebrewVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> HomebrewVersion {
        HomebrewVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// osv.dev `homebrew_test.py` (from brew's `test/version_spec.rb`): (a, op, b).
    const OSV_CASES: &[(&str, &str, &str)] = &[
        ("0.1", "<", "0.2"),
        ("1.2.3", ">", "1.2.2"),
        ("1.2.4", "<", "1.2.4.1"),
        ("1.2.3", ">", "1.2.3alpha4"),
        ("1.2.3", ">", "1.2.3beta2"),
        ("1.2.3", ">", "1.2.3rc3"),
        ("1.2.3alpha", "<", "1.2.3"),
        ("1.2.3", "<", "1.2.3a"),
        ("1.2.3", "<", "1.2.3-p34"),
        ("1.2.3-p34", ">", "1.2.3"),
        ("1.2.3-p34", "==", "1.2.3-P34"),
        ("1.2.3-p34", ">", "1.2.3-p33"),
        ("1.2.3-p34", "<", "1.2.3-p35"),
        ("1.2.3-p34", ">", "1.2.3-p9"),
        ("1.2.3alpha4", ">", "1.2.3alpha3"),
        ("1.2.3alpha4", "<", "1.2.3alpha5"),
        ("1.2.3alpha4", "<", "1.2.3alpha10"),
        ("1.2.3alpha4", "<", "1.2.3beta2"),
        ("1.2.3alpha4", "<", "1.2.3rc3"),
        ("1.2.3alpha4", "<", "1.2.3-p34"),
        ("1.2.3beta2", ">", "1.2.3beta1"),
        ("1.2.3beta2", "<", "1.2.3beta10"),
        ("1.2.3beta2", ">", "1.2.3alpha4"),
        ("1.2.3beta2", "<", "1.2.3rc3"),
        ("1.2.3beta2", "<", "1.2.3-p34"),
        ("1.2.3pre9", ">", "1.2.3pre8"),
        ("1.2.3pre9", "<", "1.2.3pre10"),
        ("1.2.3pre3", ">", "1.2.3alpha4"),
        ("1.2.3pre3", ">", "1.2.3beta5"),
        ("1.2.3pre3", "<", "1.2.3rc2"),
        ("1.2.3pre3", "<", "1.2.3"),
        ("1.2.3pre3", "<", "1.2.3-p2"),
        ("1.2.3rc3", ">", "1.2.3rc2"),
        ("1.2.3rc3", "<", "1.2.3rc10"),
        ("1.2.3rc3", ">", "1.2.3beta2"),
        ("1.2.3rc3", "<", "1.2.3-p34"),
        ("1.2.3.post34", ">", "1.2.3.post33"),
        ("1.2.3.post34", "<", "1.2.3.post35"),
        ("1.2.3.post34", ">", "1.2.3rc35"),
        ("1.2.3.post34", ">", "1.2.3alpha35"),
        ("1.2.3.post34", ">", "1.2.3"),
        ("2.1.0-p194", "<", "2.1-p195"),
        ("2.1-p195", ">", "2.1.0-p194"),
        ("2.1-p194", "<", "2.1.0-p195"),
        ("2.1.0-p195", ">", "2.1-p194"),
        ("2-p194", "<", "2.1-p195"),
        ("1.81.6_5", "<", "1.81.6_6"),
        ("1.81.6_6", "<", "1.82.0"),
        ("1.81.6", "<", "1.81.6_1"),
        ("1.81.6_0", "==", "1.81.6"),
        ("6.0_8", ">", "6.0_6"),
        ("0.12.20_1", ">", "0.12.20"),
    ];

    #[test]
    fn osv_dev_cases() {
        for (a, op, b) in OSV_CASES {
            let want = match *op {
                "<" => Ordering::Less,
                ">" => Ordering::Greater,
                _ => Ordering::Equal,
            };
            assert_eq!(v(a).cmp(&v(b)), want, "{a} {op} {b}");
            assert_eq!(v(b).cmp(&v(a)), want.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn osv_dev_sort_versions() {
        let mut versions = vec!["1.82.0", "1.81.6_6", "1.81.6", "1.81.6_5", "1.81.6rc1"];
        versions.sort_by_key(|s| v(s));
        assert_eq!(
            versions,
            ["1.81.6rc1", "1.81.6", "1.81.6_5", "1.81.6_6", "1.82.0"]
        );
    }

    /// Strictly increasing.
    const ORDERED: &[&str] = &[
        "v1.0",
        "0.1",
        "1.0alpha",
        "1.0a1",
        "1.0alpha2",
        "1.0b1",
        "1.0beta2",
        "1.0pre1",
        "1.0rc1",
        "1.0",
        "1.0_1",
        "1.0a",
        "1.0b",
        "1.0p",
        "1.0-p1",
        "1.0.post1",
        "1.0.1",
        "1.1",
        "1.10",
        "2",
        "10",
        "99999999999999999999999",
        "100000000000000000000000",
    ];

    const EQUAL: &[(&str, &str)] = &[
        ("1.0", "1.0.0"),
        ("1.0", "1.0.0.0.0"),
        ("1.0", "1"),
        ("1.0", "1.0_0"),
        ("1.0", "1-0"),
        ("1.0", "1..0"),
        ("1.0rc1", "1.0RC1"),
        ("1.0rc1", "1.0.rc01"),
        ("1.0.0-p1", "1-p1"),
        ("1.0a", "1a"),
        ("1.01", "1.1"),
        ("1.0_01", "1.0_1"),
        ("1post2", "xpost1"),
        ("1.0", "1.0.0.0_0"),
        ("abc", "ABC"),
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
    fn tokenizer_quirks() {
        let kinds = |s: &str| {
            tokenize(s)
                .iter()
                .map(|t| (t.kind, t.value.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            kinds("alphabet"),
            [(Kind::Alpha, String::new()), (Kind::Str, "bet".into())]
        );
        assert_eq!(
            kinds("patch"),
            [(Kind::Patch, String::new()), (Kind::Str, "atch".into())]
        );
        assert_eq!(kinds("1post2"), [(Kind::Post, "1".into())]);
        assert_eq!(
            kinds("1.2.3a"),
            [
                (Kind::Numeric, "1".into()),
                (Kind::Numeric, "2".into()),
                (Kind::Numeric, "3".into()),
                (Kind::Str, "a".into()),
            ]
        );
        assert_eq!(
            kinds("xrc1"),
            [(Kind::Str, "xrc".into()), (Kind::Numeric, "1".into())]
        );
        assert_eq!(kinds("éPOST7"), [(Kind::Post, "7".into())]);
    }

    #[test]
    fn transitive_where_the_walk_is_not() {
        // osv.dev: 1.0a = 1a, 1.0a = 1a.b, but 1a < 1a.b. Here: 1.0a = 1a < 1a.b.
        assert_eq!(v("1.0a"), v("1a"));
        assert!(v("1a") < v("1a.b"));
        assert!(v("1.0a") < v("1a.b"));
    }

    #[test]
    fn revision_split() {
        assert_eq!(split_revision("1.0_5"), ("1.0", "5"));
        assert_eq!(split_revision("_5"), ("_5", ""));
        assert_eq!(split_revision("1_2_3"), ("1_2", "3"));
        assert_eq!(split_revision("1_"), ("1_", ""));
        assert_eq!(split_revision("1_a"), ("1_a", ""));
    }

    #[test]
    fn rejected() {
        assert!(HomebrewVersion::parse("").is_err());
        assert!(HomebrewVersion::parse("1.0\n").is_err());
        assert!(HomebrewVersion::parse("\n").is_err());
    }

    #[test]
    fn never_panics() {
        for s in [
            "_",
            "-",
            "é",
            "\u{10FFFF}post1",
            "a",
            "p",
            "ap",
            "1\u{0}",
            "\r",
            "...",
        ] {
            let _ = v(s).cmp(&v("1"));
        }
        let big = format!("1.{}_{}", "9".repeat(10_000), "9".repeat(10_000));
        assert!(v(&big) < v("2"));
    }
}
