//! Packagist (Composer) versions, ordered as Composer orders them.
//!
//! # Reference
//!
//! Composer's own semantics: `Composer\Semver\VersionParser::normalize`
//! (composer/semver 3.3), then PHP's `version_compare` (PHP 8, `ext/standard/
//! versioning.c`) on the normalised strings, which is what
//! `Composer\Semver\Comparator` and constraint matching do. The Packagist advisory
//! data used here (FriendsOfPHP, converted) writes Composer's implicit `-dev`
//! bounds (`fixed: "2.7.51-dev"`) and was checked with exactly this ordering.
//!
//! osv.dev's own `packagist.py` instead calls a Python port of `version_compare`
//! on the raw strings after a small canonicalisation. It differs from Composer on
//! versions with a different number of parts (`version_compare` orders `1.2`
//! below `1.2.0`, Composer makes them equal) and on stability prefixes; we follow
//! Composer, as the data requires.
//!
//! # Normalisation (`VersionParser::normalize`)
//!
//! 1. Trim `" \t\n\r\0\x0B"`; keep only `X` of an alias `X as Y`; drop a trailing
//!    stability flag `@stable|@RC|@beta|@alpha|@dev` (any case).
//! 2. `master`, `trunk`, `default` become `dev-master` etc.; a string starting
//!    with `dev-` (any case) is the branch `dev-<rest>`.
//! 3. Build metadata `X+Y` is dropped.
//! 4. Classical versions `v?N(.N)?(.N)?(.N)?` (first number 1–5 digits) are
//!    padded to four numbers (`1.2` → `1.2.0.0`); date versions
//!    `v?YYYY([.:-]?DD){1,6}([.:-]?D{1,3})?` keep their digits with every separator
//!    made a `.`. Then an optional modifier `[._-]?` +
//!    `(stable|beta|b|RC|alpha|a|patch|pl|p)` + numbers `([.-]?\d+)*` +
//!    `([.-]?dev)?` (case-insensitive): `stable` (lowercase only) returns the bare
//!    version; otherwise `-` + the expanded stability (`a`→`alpha`, `b`→`beta`,
//!    `p`/`pl`→`patch`, `rc`→`RC`, others lowercased) + the numbers without their
//!    leading `.`/`-`, and `-dev` if present (`1.0.0-beta.2-dev` →
//!    `1.0.0.0-beta2-dev`). These patterns are matched with PCRE's backtracking
//!    order, so the same groups capture the same text as in PHP.
//! 5. Otherwise `<name>[.-]dev` with a numeric name `v?N(.N|.x)*` (up to four
//!    parts, `x`/`X`/`*` wildcards) becomes `N.N.N.N-dev` with wildcards as
//!    `9999999` (`2.x-dev` → `2.9999999.9999999.9999999-dev`).
//! 6. Anything else is invalid.
//!
//! # Comparison (`version_compare`)
//!
//! Each normalised string is canonicalised (`-`, `_`, `+` become `.`; a `.` is
//! inserted between a digit and a non-digit; other non-alphanumeric bytes become
//! `.`, except the first of a run after a digit, which is kept; no two `.` in a
//! row) and split at `.`. Elements compare pairwise: two numbers by value (`strtol`,
//! so above 2^63-1 all are equal); two words by their special form, the first of
//! `dev` < `alpha` = `a` < `beta` = `b` < `RC` = `rc` < `#` < `pl` = `p` that is a
//! *prefix* of the word (`patch` is `p`, `beta2x` is `beta`), any other word below
//! `dev`; a number against a word as the form `#`. When one string runs out, a
//! following number makes the longer one greater, a following word is compared as
//! the rest against `#N#`. Two versions are equal when `version_compare` says 0
//! (`1.0.0.0-b1` == `1.0.0.0-beta1`).
//!
//! # Documented choices
//!
//! * Branches (`dev-foo`) are ordered by `version_compare` on `dev-foo` like any
//!   other string (so they sort below every numbered version, and `dev-a` ==
//!   `dev-alpha`). Composer itself never orders two different branches
//!   (`Comparator` answers false to `<`, `==` and `>`), so there is no reference
//!   answer to follow for them.
//! * `version_compare` is not a total order on arbitrary branch names; on
//!   normalised numbered versions it is.

use std::cmp::Ordering;

/// A Composer version, kept in Composer's normalised form, with the pieces PHP's
/// `version_compare` looks at precomputed, so that comparing allocates nothing.
#[derive(Debug, Clone)]
pub struct ComposerVersion {
    normalized: String,
    /// The NUL-cut, canonicalised form is empty.
    empty: bool,
    /// Length of the canonical form.
    len: usize,
    elements: Box<[Element]>,
}

/// One `.`-separated element of the canonical form, as `version_compare` sees it.
#[derive(Debug, Clone)]
struct Element {
    /// Byte offset of its start in the canonical form.
    start: usize,
    digit: bool,
    number: i64,
    form: i32,
    /// `php_version_compare(rest, "#N#")` for the rest of the string from here.
    rest_vs_n: i32,
    /// `php_version_compare("#N#", rest)`.
    n_vs_rest: i32,
}

impl ComposerVersion {
    /// Parses (normalises) a version as `VersionParser::normalize` does.
    pub fn parse(input: &str) -> Result<Self, String> {
        let normalized = normalize(input).ok_or_else(|| "not a composer version".to_owned())?;
        // PHP hands C strings to `version_compare`: it stops at the first NUL byte.
        let cut = normalized.as_bytes();
        let cut = &cut[..cut.iter().position(|&c| c == 0).unwrap_or(cut.len())];
        let empty = cut.is_empty();
        let canon = if cut.first() == Some(&b'#') {
            cut.to_vec()
        } else {
            canonicalize(cut)
        };
        let mut elements = Vec::with_capacity(8);
        let mut start = 0usize;
        loop {
            let end = canon[start..]
                .iter()
                .position(|&c| c == b'.')
                .map_or(canon.len(), |i| start + i);
            let el = &canon[start..end];
            elements.push(Element {
                start,
                digit: el.first().is_some_and(u8::is_ascii_digit),
                number: strtol(el),
                form: special_form(el),
                rest_vs_n: 0,
                n_vs_rest: 0,
            });
            if end >= canon.len() {
                break;
            }
            start = end + 1;
        }
        if is_plain_canonical(&canon) {
            // Canonicalising a suffix of a plain form changes nothing, so the walk of
            // `php_version_compare(rest, "#N#")` reduces to this recurrence (and the
            // reverse call to its negation); see `plain_rests_equal_version_compare`.
            let mut next: Option<(bool, i32)> = None;
            for el in elements.iter_mut().rev() {
                let here = if el.digit {
                    0
                } else {
                    (el.form - N_FORM).signum()
                };
                el.rest_vs_n = match next {
                    _ if here != 0 => here,
                    None => 0,
                    Some((true, _)) => 1,
                    Some((false, rest)) => rest,
                };
                el.n_vs_rest = -el.rest_vs_n;
                next = Some((el.digit, el.rest_vs_n));
            }
        } else {
            for el in &mut elements {
                let rest = &canon[el.start.min(canon.len())..];
                el.rest_vs_n = php_version_compare(rest, b"#N#");
                el.n_vs_rest = php_version_compare(b"#N#", rest);
            }
        }
        Ok(ComposerVersion {
            normalized,
            empty,
            len: canon.len(),
            elements: elements.into_boxed_slice(),
        })
    }

    /// `version_compare` on the precomputed elements: the same walk as
    /// [`php_version_compare`] on the two canonical forms.
    fn compare(&self, other: &Self) -> Ordering {
        if self.empty || other.empty {
            return (!self.empty).cmp(&!other.empty);
        }
        let (a, b) = (&self.elements, &other.elements);
        let (mut i, mut j) = (0usize, 0usize);
        let (mut n1, mut n2) = (true, true);
        let mut compare = 0;
        while a[i].start < self.len && b[j].start < other.len && n1 && n2 {
            let (x, y) = (&a[i], &b[j]);
            n1 = i + 1 < a.len();
            n2 = j + 1 < b.len();
            compare = if x.digit && y.digit {
                match x.number.cmp(&y.number) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                }
            } else if !x.digit && !y.digit {
                (x.form - y.form).signum()
            } else if x.digit {
                (N_FORM - y.form).signum()
            } else {
                (x.form - N_FORM).signum()
            };
            if compare != 0 {
                break;
            }
            if n1 {
                i += 1;
            }
            if n2 {
                j += 1;
            }
        }
        if compare == 0 && n1 && n2 {
            // Both forms end in '.', and one (or both) ran out at its end: PHP
            // compares the empty rest with "#N#" and answers -1 for whichever side is
            // its first argument, so it contradicts itself (`version_compare("dev-",
            // "dev-")` is -1). We make the empty rest the smallest element, which
            // agrees with PHP whenever PHP agrees with itself, and keeps `Ord` total.
            let (end1, end2) = (a[i].start >= self.len, b[j].start >= other.len);
            return end2.cmp(&end1);
        }
        if compare == 0 {
            if n1 {
                let x = &a[i];
                compare = if x.start < self.len && x.digit {
                    1
                } else {
                    x.rest_vs_n
                };
            } else if n2 {
                let y = &b[j];
                compare = if y.start < other.len && y.digit {
                    -1
                } else {
                    y.n_vs_rest
                };
            }
        }
        compare.cmp(&0)
    }

    /// The normalised form, as `VersionParser::normalize` returns it.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

/// `special_form("#N#")`: how a number ranks against special forms.
const N_FORM: i32 = 4;

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare(other)
    }
}

crate::ord_from_cmp!(ComposerVersion);

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/// PHP `trim()`'s default characters.
fn is_php_trim(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\u{B}')
}

/// PCRE `\s` without Unicode mode.
fn is_pcre_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// PCRE `$` (no `D` modifier): the end, or just before a final newline.
fn at_end(b: &[u8], pos: usize) -> bool {
    pos == b.len() || (pos + 1 == b.len() && b[pos] == b'\n')
}

fn starts_with_ci(b: &[u8], at: usize, word: &str) -> bool {
    b.get(at..at + word.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(word.as_bytes()))
}

fn run_end(b: &[u8], from: usize, ok: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while i < b.len() && ok(b[i]) {
        i += 1;
    }
    i
}

fn digits_end(b: &[u8], from: usize) -> usize {
    run_end(b, from, |c| c.is_ascii_digit())
}

type Span = (usize, usize);

/// What the modifier part `[._-]?(?:(stability)(numbers)?)?([.-]?dev)?$` captured.
struct Modifier {
    stability: Option<Span>,
    numbers: Option<Span>,
    dev: Option<Span>,
}

const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

/// Matches the modifier and `$` at `pos`, trying alternatives in PCRE's order.
fn match_modifier(b: &[u8], pos: usize) -> Option<Modifier> {
    let sep = pos < b.len() && matches!(b[pos], b'.' | b'_' | b'-');
    for q in [sep.then_some(pos + 1), Some(pos)].into_iter().flatten() {
        for word in STABILITIES {
            if !starts_with_ci(b, q, word) {
                continue;
            }
            let r = q + word.len();
            // `((?:[.-]?\d+)*+)?`: possessive, so the longest run is the only one.
            let mut k = r;
            loop {
                if k + 1 < b.len() && matches!(b[k], b'.' | b'-') && b[k + 1].is_ascii_digit() {
                    k = digits_end(b, k + 1);
                } else if k < b.len() && b[k].is_ascii_digit() {
                    k = digits_end(b, k);
                } else {
                    break;
                }
            }
            if let Some(dev) = match_dev(b, k) {
                return Some(Modifier {
                    stability: Some((q, r)),
                    numbers: Some((r, k)),
                    dev,
                });
            }
        }
        if let Some(dev) = match_dev(b, q) {
            return Some(Modifier {
                stability: None,
                numbers: None,
                dev,
            });
        }
    }
    None
}

/// `([.-]?dev)?$` at `pos`: `Some(captured dev span)` when it matches.
fn match_dev(b: &[u8], pos: usize) -> Option<Option<Span>> {
    if pos < b.len()
        && matches!(b[pos], b'.' | b'-')
        && starts_with_ci(b, pos + 1, "dev")
        && at_end(b, pos + 4)
    {
        return Some(Some((pos, pos + 4)));
    }
    if starts_with_ci(b, pos, "dev") && at_end(b, pos + 3) {
        return Some(Some((pos, pos + 3)));
    }
    at_end(b, pos).then_some(None)
}

/// `^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?` + modifier + `$`.
fn match_classical(b: &[u8]) -> Option<([Option<Span>; 4], Modifier)> {
    let start = usize::from(!b.is_empty() && (b[0] == b'v' || b[0] == b'V'));
    let avail = digits_end(b, start) - start;
    for len in (1..=avail.min(5)).rev() {
        let g1 = (start, start + len);
        let found = classical_group(b, g1.1, &mut [Some(g1), None, None, None], 1);
        if found.is_some() {
            return found;
        }
    }
    None
}

fn classical_group(
    b: &[u8],
    pos: usize,
    groups: &mut [Option<Span>; 4],
    index: usize,
) -> Option<([Option<Span>; 4], Modifier)> {
    if index == 4 {
        return match_modifier(b, pos).map(|m| (*groups, m));
    }
    if pos + 1 < b.len() && b[pos] == b'.' && b[pos + 1].is_ascii_digit() {
        let end = digits_end(b, pos + 1);
        groups[index] = Some((pos, end));
        if let Some(found) = classical_group(b, end, groups, index + 1) {
            return Some(found);
        }
        groups[index] = None;
    }
    classical_group(b, pos, groups, index + 1)
}

/// `^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?)` + modifier + `$`.
fn match_date(b: &[u8]) -> Option<(Span, Modifier)> {
    let start = usize::from(!b.is_empty() && (b[0] == b'v' || b[0] == b'V'));
    if digits_end(b, start) < start + 4 {
        return None;
    }
    date_pairs(b, start, start + 4, 0)
}

/// Where the next date part may start: after an optional separator, tried first.
fn date_seps(b: &[u8], pos: usize) -> impl Iterator<Item = usize> {
    let sep = pos < b.len() && matches!(b[pos], b'.' | b':' | b'-');
    [sep.then_some(pos + 1), Some(pos)].into_iter().flatten()
}

fn date_pairs(b: &[u8], start: usize, pos: usize, count: usize) -> Option<(Span, Modifier)> {
    if count < 6 {
        for q in date_seps(b, pos) {
            if digits_end(b, q) >= q + 2 {
                if let Some(found) = date_pairs(b, start, q + 2, count + 1) {
                    return Some(found);
                }
            }
        }
    }
    if count == 0 {
        return None;
    }
    // `(?:[.:-]?\d{1,3})?`, greedy.
    for q in date_seps(b, pos) {
        let avail = digits_end(b, q) - q;
        for len in (1..=avail.min(3)).rev() {
            if let Some(m) = match_modifier(b, q + len) {
                return Some(((start, q + len), m));
            }
        }
    }
    match_modifier(b, pos).map(|m| ((start, pos), m))
}

/// Appends the expanded stability word.
fn expand_stability(word: &str, out: &mut String) {
    let expanded = match word.len() {
        1 | 2 => [
            "a", "alpha", "b", "beta", "p", "patch", "pl", "patch", "rc", "RC",
        ]
        .chunks(2)
        .find(|pair| word.eq_ignore_ascii_case(pair[0]))
        .map(|pair| pair[1]),
        _ => None,
    };
    match expanded {
        Some(e) => out.push_str(e),
        None => out.extend(word.chars().map(|c| c.to_ascii_lowercase())),
    }
}

/// `VersionParser::normalize`, or `None` where it throws.
fn normalize(input: &str) -> Option<String> {
    let mut version: &str = input.trim_matches(is_php_trim);

    // Alias: `^([^,\s]++) ++as ++([^,\s]++)$`.
    {
        let b = version.as_bytes();
        let plain = |c: u8| c != b',' && !is_pcre_space(c);
        let a_end = run_end(b, 0, plain);
        let sp1 = run_end(b, a_end, |c| c == b' ');
        if a_end > 0 && sp1 > a_end && b.get(sp1..sp1 + 2) == Some(b"as".as_slice()) {
            let sp2 = run_end(b, sp1 + 2, |c| c == b' ');
            let b_end = run_end(b, sp2, plain);
            if sp2 > sp1 + 2 && b_end > sp2 && at_end(b, b_end) {
                version = &version[..a_end];
            }
        }
    }

    // Stability flag: `@(?:stable|RC|beta|alpha|dev)$`i.
    for flag in ["stable", "RC", "beta", "alpha", "dev"] {
        let b = version.as_bytes();
        let cut = |end: usize| {
            end.checked_sub(flag.len() + 1)
                .filter(|&at| b[at] == b'@' && starts_with_ci(b, at + 1, flag))
        };
        if cut(b.len()).is_some() {
            version = &version[..version.len() - flag.len() - 1];
            break;
        }
        // `$` may also match before a final newline; the length removed is the same.
        if b.last() == Some(&b'\n') && cut(b.len() - 1).is_some() {
            version = &version[..version.len() - flag.len() - 1];
            break;
        }
    }

    let owned;
    if matches!(version, "master" | "trunk" | "default") {
        owned = format!("dev-{version}");
        version = &owned;
    }
    if starts_with_ci(version.as_bytes(), 0, "dev-") {
        return Some(format!("dev-{}", &version[4..]));
    }

    // Build metadata: `^([^,\s+]++)\+[^\s]++$`.
    {
        let b = version.as_bytes();
        let a_end = run_end(b, 0, |c| c != b',' && c != b'+' && !is_pcre_space(c));
        if a_end > 0 && a_end < b.len() && b[a_end] == b'+' {
            let m_end = run_end(b, a_end + 1, |c| !is_pcre_space(c));
            if m_end > a_end + 1 && at_end(b, m_end) {
                version = &version[..a_end];
            }
        }
    }

    let b = version.as_bytes();
    let text = |s: Span| &version[s.0..s.1];
    let found = if let Some((groups, m)) = match_classical(b) {
        let mut out = String::with_capacity(b.len() + 16);
        for (i, g) in groups.iter().enumerate() {
            match g {
                Some(s) => out.push_str(text(*s)),
                None if i > 0 => out.push_str(".0"),
                None => {}
            }
        }
        Some((out, m))
    } else if let Some((span, m)) = match_date(b) {
        let out = text(span)
            .bytes()
            .map(|c| if c.is_ascii_digit() { c as char } else { '.' })
            .collect::<String>();
        Some((out, m))
    } else {
        None
    };
    if let Some((mut out, m)) = found {
        if let Some(stability) = m.stability.filter(|s| s.1 > s.0) {
            let word = text(stability);
            if word == "stable" {
                return Some(out);
            }
            out.push('-');
            expand_stability(word, &mut out);
            if let Some(numbers) = m.numbers {
                out.push_str(text(numbers).trim_start_matches(['.', '-']));
            }
        }
        if m.dev.is_some_and(|s| s.1 > s.0) {
            out.push_str("-dev");
        }
        return Some(out);
    }

    // Numeric branches: `(.*?)[.-]?dev$`i, then `normalizeBranch`.
    let name = dev_branch_name(b)?;
    let normalized = normalize_branch(&version[name.0..name.1])?;
    Some(normalized)
}

/// The capture of `(.*?)[.-]?dev$`i (leftmost start, lazy, `.` not matching `\n`).
fn dev_branch_name(b: &[u8]) -> Option<Span> {
    let n = b.len();
    // Candidate (position of `[.-]?dev`, with separator) in the engine's order.
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for p in n.saturating_sub(5)..n {
        if matches!(b[p], b'.' | b'-') && starts_with_ci(b, p + 1, "dev") && at_end(b, p + 4) {
            candidates.push((p, p + 4));
        }
        if starts_with_ci(b, p, "dev") && at_end(b, p + 3) {
            candidates.push((p, p + 3));
        }
    }
    // For each candidate, the leftmost start whose prefix holds no newline.
    let start_for = |p: usize| {
        b[..p]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1)
    };
    let best_start = candidates.iter().map(|&(p, _)| start_for(p)).min()?;
    candidates
        .iter()
        .find(|&&(p, _)| start_for(p) == best_start)
        .map(|&(p, _)| (best_start, p))
}

/// `VersionParser::normalizeBranch`, only where it yields a numeric branch.
fn normalize_branch(name: &str) -> Option<String> {
    let name = name.trim_matches(is_php_trim);
    let b = name.as_bytes();
    let start = usize::from(!b.is_empty() && (b[0] == b'v' || b[0] == b'V'));
    let mut pos = digits_end(b, start);
    if pos == start {
        return None;
    }
    let mut out = name[start..pos].to_owned();
    let mut parts = 1;
    while parts < 4 && pos + 1 < b.len() && b[pos] == b'.' {
        let c = b[pos + 1];
        let end = if c.is_ascii_digit() {
            digits_end(b, pos + 1)
        } else if matches!(c, b'x' | b'X' | b'*') {
            pos + 2
        } else {
            break;
        };
        out.push('.');
        out.push_str(&name[pos + 1..end]);
        pos = end;
        parts += 1;
    }
    if !at_end(b, pos) {
        return None;
    }
    for _ in parts..4 {
        out.push_str(".x");
    }
    let out = out.replace(['*', 'X'], "x").replace('x', "9999999");
    Some(format!("{out}-dev"))
}

// ---------------------------------------------------------------------------
// version_compare
// ---------------------------------------------------------------------------

fn is_special(c: u8) -> bool {
    matches!(c, b'-' | b'_' | b'+')
}

fn is_dig(c: u8) -> bool {
    c.is_ascii_digit()
}

fn is_ndig(c: u8) -> bool {
    !c.is_ascii_digit() && c != b'.'
}

/// `php_canonicalize_version`.
fn canonicalize(v: &[u8]) -> Vec<u8> {
    let Some((&first, rest)) = v.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(v.len() * 2);
    out.push(first);
    let mut lp = first;
    for &c in rest {
        let lq = out.last().copied().unwrap_or(0);
        if is_special(c) {
            if lq != b'.' {
                out.push(b'.');
            }
        } else if (is_ndig(lp) && is_dig(c)) || (is_dig(lp) && is_ndig(c)) {
            if lq != b'.' {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if lq != b'.' {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        lp = c;
    }
    out
}

/// A canonical form made only of ASCII letters and digits in `.`-separated,
/// non-empty elements: [`canonicalize`] leaves it and every suffix that starts an
/// element unchanged.
fn is_plain_canonical(canon: &[u8]) -> bool {
    !canon.is_empty()
        && canon[0] != b'.'
        && canon[canon.len() - 1] != b'.'
        && canon
            .iter()
            .all(|&c| c == b'.' || c.is_ascii_alphanumeric())
        && !canon.windows(2).any(|w| w == b"..")
}

/// `compare_special_version_forms`: the order of the first form that prefixes `s`.
fn special_form(s: &[u8]) -> i32 {
    const FORMS: [(&[u8], i32); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| s.starts_with(name))
        .map_or(-1, |&(_, order)| order)
}

/// `strtol(s, NULL, 10)` for a string starting with a digit (saturating).
fn strtol(s: &[u8]) -> i64 {
    let mut value: i64 = 0;
    for &c in s.iter().take_while(|c| c.is_ascii_digit()) {
        value = value.saturating_mul(10).saturating_add(i64::from(c - b'0'));
    }
    value
}

/// PHP's `version_compare($a, $b)` as an ordering: the reference the precomputed
/// [`ComposerVersion::compare`] is tested against.
#[cfg(test)]
pub(crate) fn version_compare(a: &[u8], b: &[u8]) -> Ordering {
    // PHP hands C strings to the comparison: it stops at the first NUL byte.
    let cut = |s: &'_ [u8]| -> Vec<u8> { s.iter().copied().take_while(|&c| c != 0).collect() };
    php_version_compare(&cut(a), &cut(b)).cmp(&0)
}

fn php_version_compare(orig1: &[u8], orig2: &[u8]) -> i32 {
    if orig1.is_empty() || orig2.is_empty() {
        return match (orig1.is_empty(), orig2.is_empty()) {
            (true, true) => 0,
            (false, _) => 1,
            _ => -1,
        };
    }
    let ver1 = if orig1[0] == b'#' {
        orig1.to_vec()
    } else {
        canonicalize(orig1)
    };
    let ver2 = if orig2[0] == b'#' {
        orig2.to_vec()
    } else {
        canonicalize(orig2)
    };
    let (e1, e2) = (ver1.len(), ver2.len());
    let (mut p1, mut p2) = (0usize, 0usize);
    // `n1`/`n2` mirror the C pointers: `Some` while a '.' ended the last element.
    let (mut n1, mut n2): (Option<usize>, Option<usize>) = (Some(0), Some(0));
    let mut compare = 0;
    let first_is_digit = |v: &[u8], p: usize| v.get(p).is_some_and(u8::is_ascii_digit);
    while p1 < e1 && p2 < e2 && n1.is_some() && n2.is_some() {
        n1 = ver1[p1..].iter().position(|&c| c == b'.').map(|i| p1 + i);
        n2 = ver2[p2..].iter().position(|&c| c == b'.').map(|i| p2 + i);
        let el1 = &ver1[p1..n1.unwrap_or(e1)];
        let el2 = &ver2[p2..n2.unwrap_or(e2)];
        let (d1, d2) = (first_is_digit(el1, 0), first_is_digit(el2, 0));
        compare = if d1 && d2 {
            match strtol(el1).cmp(&strtol(el2)) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            }
        } else if !d1 && !d2 {
            (special_form(el1) - special_form(el2)).signum()
        } else if d1 {
            (special_form(b"#N#") - special_form(el2)).signum()
        } else {
            (special_form(el1) - special_form(b"#N#")).signum()
        };
        if compare != 0 {
            break;
        }
        if let Some(i) = n1 {
            p1 = i + 1;
        }
        if let Some(i) = n2 {
            p2 = i + 1;
        }
    }
    if compare == 0 {
        if n1.is_some() {
            compare = if first_is_digit(&ver1, p1) {
                1
            } else {
                php_version_compare(&ver1[p1.min(e1)..], b"#N#")
            };
        } else if n2.is_some() {
            compare = if first_is_digit(&ver2, p2) {
                -1
            } else {
                php_version_compare(b"#N#", &ver2[p2.min(e2)..])
            };
        }
    }
    compare
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> ComposerVersion {
        ComposerVersion::parse(s).unwrap()
    }

    #[test]
    fn precomputed_compare_equals_version_compare() {
        let inputs = [
            "1.0.0",
            "1.0",
            "1",
            "1.0.0-dev",
            "1.0.0-alpha",
            "1.0.0-alpha2",
            "1.0.0-beta",
            "1.0.0-RC1",
            "1.0.0-rc2",
            "1.0.0-patch1",
            "1.0.0-p2",
            "1.0.0-pl3",
            "2.7.51-dev",
            "2.7.51-RC1",
            "dev-master",
            "dev-feature/x",
            "dev-1.x",
            "1.x-dev",
            "v2.0.1",
            "2019.01.01",
            "0.0.1-beta.1",
            "1.2.3.4",
            "1.2.3.4-alpha5",
            "9999999-dev",
            "dev-foo.bar",
            "dev-foo..bar",
            "dev-foo.",
            "dev-#hash",
            "1.0.0.0-stable",
        ];
        let parsed: Vec<(ComposerVersion, &str)> = inputs
            .iter()
            .filter_map(|s| ComposerVersion::parse(s).ok().map(|p| (p, *s)))
            .collect();
        assert!(parsed.len() > 20);
        let mut contradictions = 0;
        for (a, sa) in &parsed {
            for (b, sb) in &parsed {
                let php = version_compare(a.normalized.as_bytes(), b.normalized.as_bytes());
                let php_reversed =
                    version_compare(b.normalized.as_bytes(), a.normalized.as_bytes());
                assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{sa} vs {sb}: antisymmetric");
                if php != php_reversed.reverse() {
                    // PHP contradicts itself (forms ending in '.'): see `compare`.
                    contradictions += 1;
                    continue;
                }
                assert_eq!(a.cmp(b), php, "{sa} vs {sb}");
            }
        }
        // `dev-foo.` against itself and `dev-foo..bar`/`dev-foo.` both ways.
        assert!(contradictions >= 1);
        let v = |s: &str| ComposerVersion::parse(s).unwrap();
        assert_eq!(v("dev-foo.").cmp(&v("dev-foo.")), Ordering::Equal);
        assert_eq!(v("dev-").cmp(&v("dev-")), Ordering::Equal);
        assert_eq!(v("dev-1.").cmp(&v("dev-1.dev")), Ordering::Less);
        assert_eq!(v("dev-1.dev").cmp(&v("dev-1.")), Ordering::Greater);
    }

    proptest::proptest! {
        /// The recurrence `parse` uses on plain canonical forms gives what the
        /// literal `php_version_compare(rest, "#N#")` walk gives, both ways round.
        #[test]
        fn plain_rests_equal_version_compare(
            elements in proptest::collection::vec(
                "[0-9]{1,3}|dev|alpha|a|beta|b|RC|rc|pl|p|patch|[a-z]{1,4}", 1..7)
        ) {
            let canon = canonicalize(elements.join(".").as_bytes());
            proptest::prop_assume!(is_plain_canonical(&canon));
            let input = format!("dev-{}", String::from_utf8(canon).unwrap());
            let parsed = ComposerVersion::parse(&input).unwrap();
            let full = canonicalize(parsed.normalized.as_bytes());
            for el in parsed.elements.iter() {
                let rest = &full[el.start..];
                proptest::prop_assert_eq!(el.rest_vs_n, php_version_compare(rest, b"#N#"));
                proptest::prop_assert_eq!(el.n_vs_rest, php_version_compare(b"#N#", rest));
            }
        }
    }

    #[test]
    fn normalize_table() {
        let cases = [
            ("1.0.0", "1.0.0.0"),
            ("1.2.3.4", "1.2.3.4"),
            ("v1.0", "1.0.0.0"),
            ("V2", "2.0.0.0"),
            ("1.0.0RC1dev", "1.0.0.0-RC1-dev"),
            ("1.0.0-rC15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0-rc1", "1.0.0.0-RC1"),
            ("1.0.0-pl3", "1.0.0.0-patch3"),
            ("1.0.0-p3", "1.0.0.0-patch3"),
            ("1.0.0-patch", "1.0.0.0-patch"),
            ("1.0.0-b2", "1.0.0.0-beta2"),
            ("1.0.0-beta.5+foo", "1.0.0.0-beta5"),
            ("1.0.0+foo", "1.0.0.0"),
            ("1.0.0-alpha.3.1+foo/bar", "1.0.0.0-alpha3.1"),
            ("1.0.0-stable", "1.0.0.0"),
            ("1.0.0-STABLE", "1.0.0.0-stable"),
            ("1.0.0-dev", "1.0.0.0-dev"),
            ("2.7.51-dev", "2.7.51.0-dev"),
            ("1.0.0@dev", "1.0.0.0"),
            ("1.0.0-beta@RC", "1.0.0.0-beta"),
            ("1.0.0 as 2.0", "1.0.0.0"),
            ("  1.0.0\t", "1.0.0.0"),
            ("20100102", "20100102"),
            ("20100102-203040", "20100102.203040"),
            ("2010-01-02", "2010.01.02"),
            ("2010.01.02.5", "2010.01.02.5"),
            ("20100102.1-p1", "20100102.1-patch1"),
            ("dev-master", "dev-master"),
            ("DEV-Feature/Foo", "dev-Feature/Foo"),
            ("master", "dev-master"),
            ("trunk", "dev-trunk"),
            ("1.x-dev", "1.9999999.9999999.9999999-dev"),
            ("2.1.*-dev", "2.1.9999999.9999999-dev"),
            ("v2.X.dev", "2.9999999.9999999.9999999-dev"),
            ("00.01.03.04", "00.01.03.04"),
            ("123456", "123456"),
        ];
        for (input, expected) in cases {
            assert_eq!(v(input).normalized(), expected, "normalize({input:?})");
        }
    }

    #[test]
    fn invalid() {
        for s in [
            "",
            "a",
            "1.0.0-meh",
            "1.0.0.0.0",
            "feature-foo",
            "1.2-3",
            "dev",
            "1.0 .2",
            "1.x",
            "foo-dev",
            "1.0.0-beta+",
            "1.0,2",
        ] {
            assert!(ComposerVersion::parse(s).is_err(), "{s:?} is invalid");
        }
    }

    #[test]
    fn ascending_table() {
        let ordered = [
            "dev-master",
            "1.0.0-dev",
            "1.0.0-alpha",
            "1.0.0-alpha2",
            "1.0.0-beta1",
            "1.0.0-beta2",
            "1.0.0-RC1",
            "1.0.0",
            "1.0.0-patch1",
            "1.0.0.1",
            "1.0.1-dev",
            "1.0.1",
            "1.1",
            "1.10",
            "1.x-dev",
            "2",
            "20100102",
        ];
        crate::testing::assert_increasing(v, &ordered);
    }

    #[test]
    fn equal_table() {
        let groups: &[&[&str]] = &[
            &[
                "1",
                "1.0",
                "1.0.0",
                "1.0.0.0",
                "v1.0.0",
                "01.00",
                "1.0.0-stable",
                "1.0.0+build",
            ],
            &["1.0.0-b1", "1.0.0-beta1", "1.0.0beta1", "1.0.0.beta.1"],
            &["1.0.0-p1", "1.0.0-pl1", "1.0.0-patch1"],
            &["1.0.0-rc1", "1.0.0-RC1", "1.0.0-RC.1"],
        ];
        crate::testing::assert_equal_groups(v, groups);
    }

    #[test]
    fn php_version_compare_cases() {
        // Checked with PHP 8.2's version_compare.
        let cases: [(&str, &str, Ordering); 12] = [
            ("1.0pl1", "1.0p1", Ordering::Equal),
            ("1.0-foo", "1.0-dev", Ordering::Less),
            ("1.0~1", "1.0.1", Ordering::Less),
            ("1.0", "1.0.", Ordering::Greater),
            ("1..0", "1.0", Ordering::Equal),
            ("1.0#1", "1.0.1", Ordering::Greater),
            ("1.0", "1.0.0", Ordering::Less),
            (
                "9223372036854775807",
                "9223372036854775808",
                Ordering::Equal,
            ),
            ("1.0.0.0-dev", "dev-master", Ordering::Greater),
            ("", "1", Ordering::Less),
            ("#1", "1", Ordering::Equal),
            ("1.0é", "1.0", Ordering::Less),
        ];
        for (a, b, expected) in cases {
            assert_eq!(
                version_compare(a.as_bytes(), b.as_bytes()),
                expected,
                "{a:?} vs {b:?}"
            );
        }
    }
}
