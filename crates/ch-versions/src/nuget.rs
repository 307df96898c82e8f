//! NuGet versions, ordered as osv.dev orders them (NuGet.Versioning's order).
//!
//! # Reference
//!
//! NuGet.Versioning's `NuGetVersion` with `VersionComparer.Default`: up to four
//! numeric parts (missing ones are 0, so `1.0` == `1.0.0.0`), then SemVer 2.0
//! pre-release labels compared case-insensitively (numeric labels by value and
//! before alphanumeric ones, a release after all its pre-releases), build metadata
//! ignored. osv.dev implements this in `osv/ecosystems/nuget.py` on top of its
//! SemVer helper (`osv/semver_index.py`, python-semver 3); we follow osv.dev
//! exactly, including which strings it accepts:
//!
//! 1. **Coerce** (`semver_index.coerce`): drop one leading `v`; if the string starts
//!    with decimal digits, split it as `N(.N)?(.N)?rest` (digits are Unicode `Nd`,
//!    as Python's `\d`; `rest` may not hold a newline, except one at the very end,
//!    which is dropped) and rebuild it as `N.N.N` with missing parts `0` and leading
//!    zeros removed. In `rest`, a pre-release `-…` (up to `+`) gets its empty
//!    identifiers replaced by `-` and its all-digit identifiers stripped of leading
//!    zeros, and build metadata `+…` gets its empty identifiers replaced by `-`.
//! 2. **Revision** (`_extract_revision`): if the result is `N.N.N.N…`, the fourth
//!    number is the revision (any digits, leading zeros allowed) and is removed; a
//!    newline ends the string there. Otherwise the revision is 0.
//! 3. **SemVer** (python-semver's `Version.parse`): `0|[1-9]\d*` three times,
//!    optional `-` pre-release identifiers (`0`, `[1-9]\d*`, or
//!    `\d*[A-Za-z-][0-9A-Za-z-]*`), optional `+` build identifiers
//!    (`[0-9A-Za-z-]+`), and the end (or a final newline). Anything else is invalid.
//! 4. **Order**: major, minor, patch, revision by value (any size); then a version
//!    without pre-release after one with; pre-releases (lowercased) compare
//!    identifier by identifier: all-digit ones by value and before the others,
//!    the others by code point, and a shorter list first. Build metadata is ignored.
//!
//! So `1.0.01` == `1.0.1.0`, `1.0.0-BETA+AA` == `1.0.0-beta`, `1.0.0` < `1.0.0.1`,
//! `1.0.0-pre` < `1.0.0.1-alpha` and `v1.2` == `1.2.0`.
//!
//! # Differences from NuGet.Versioning (we follow osv.dev)
//!
//! * Validity: osv.dev accepts a leading `v`, non-ASCII decimal digits, parts
//!   larger than `int.MaxValue`, leading zeros in pre-release identifiers of
//!   three-part versions (`1.0.0-beta.01` → `beta.1`), and empty pre-release or
//!   metadata identifiers (`1.4.7-` is the pre-release `-`); NuGet rejects them.
//!   NuGet trims surrounding whitespace (`" 1.0"`), osv.dev rejects it.
//! * Order: NuGet treats a label as numeric when `int.TryParse` accepts it, so
//!   labels above `int.MaxValue` compare as text and `-1` as the number -1;
//!   osv.dev compares all-digit identifiers of any size by value and `-1` as text.
//! * osv.dev's `sort_key` wrapper also puts the string `0` before every version and
//!   invalid versions after every version; that is range-evaluation logic, not
//!   part of this ordering (here `0` is `0.0.0.0`, and invalid strings are errors).
//!
//! # Errors
//!
//! A number of more than 4300 digits makes Python's `int()` raise, which osv.dev
//! treats as an invalid version; `parse` rejects it too.

use std::cmp::Ordering;

use crate::pep440::python;

/// A NuGet version.
#[derive(Debug, Clone)]
pub struct NuGetVersion {
    key: Key,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    major: Num,
    minor: Num,
    patch: Num,
    revision: Num,
    release: Release,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Release {
    /// Declared first: a pre-release sorts before the release.
    Pre(Vec<Identifier>),
    Final,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Identifier {
    /// Declared first: numeric identifiers sort before alphanumeric ones.
    Number(Num),
    Text(String),
}

/// A non-negative integer: ASCII digits without leading zeros (`0` for zero).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Num(String);

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn num(digits: &str) -> Result<Num, String> {
    python::int_str(digits).map(Num)
}

/// The length of the leading run of decimal digits (Unicode `Nd`).
fn decimal_prefix_len(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !python::is_decimal(c))
        .map_or(s.len(), |(i, _)| i)
}

/// `semver_index.coerce`.
fn coerce(version: &str) -> Result<String, String> {
    let version = version.strip_prefix('v').unwrap_or(version);
    // `^(\d+)(\.\d+)?(\.\d+)?(.*)$`: `.` stops at a newline, and `$` matches at the
    // end or before a final newline.
    let g1_end = decimal_prefix_len(version);
    if g1_end == 0 {
        return Ok(version.to_owned());
    }
    let rest_all = &version[g1_end..];
    let body = rest_all.strip_suffix('\n').unwrap_or(rest_all);
    if body.contains('\n') {
        return Ok(version.to_owned());
    }
    let mut out = python::int_str(&version[..g1_end])?;
    let mut rest = body;
    for _ in 0..2 {
        let digits = rest.strip_prefix('.').map_or(0, decimal_prefix_len);
        if digits > 0 {
            out.push('.');
            out.push_str(&python::int_str(&rest[1..1 + digits])?);
            rest = &rest[1 + digits..];
        } else {
            out.push_str(".0");
        }
    }
    out.push_str(&coerce_suffix(rest)?);
    Ok(out)
}

/// `semver_index._coerce_suffix`.
fn coerce_suffix(suffix: &str) -> Result<String, String> {
    // `^(-[^+]*)?(\+.*)?(.*)$`
    let (pre, rest) = match suffix.strip_prefix('-') {
        Some(after) => {
            let end = after.find('+').unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, suffix),
    };
    let (build, rest) = match rest.strip_prefix('+') {
        Some(after) => (Some(after), ""),
        None => (None, rest),
    };
    let mut out = String::new();
    if let Some(pre) = pre {
        let mut parts = Vec::new();
        for component in pre.split('.') {
            if component.is_empty() {
                parts.push("-".to_owned());
            } else if component.chars().all(python::is_decimal) {
                parts.push(python::int_str(component)?);
            } else {
                parts.push(component.to_owned());
            }
        }
        out.push('-');
        out.push_str(&parts.join("."));
    }
    if let Some(build) = build {
        let parts: Vec<&str> = build
            .split('.')
            .map(|c| if c.is_empty() { "-" } else { c })
            .collect();
        out.push('+');
        out.push_str(&parts.join("."));
    }
    out.push_str(rest);
    Ok(out)
}

/// `_extract_revision`: `^(\d+)(\.\d+)(\.\d+)(\.\d+)(.*)`.
fn extract_revision(version: &str) -> Result<(String, Num), String> {
    let mut pos = 0;
    let mut groups = Vec::with_capacity(4);
    for i in 0..4 {
        let start = pos;
        if i > 0 {
            if !version[pos..].starts_with('.') {
                return Ok((version.to_owned(), Num("0".to_owned())));
            }
            pos += 1;
        }
        let digits = decimal_prefix_len(&version[pos..]);
        if digits == 0 {
            return Ok((version.to_owned(), Num("0".to_owned())));
        }
        pos += digits;
        groups.push((start, pos));
    }
    let tail = &version[pos..];
    let tail = &tail[..tail.find('\n').unwrap_or(tail.len())];
    let (r_start, r_end) = groups[3];
    let revision = num(&version[r_start + 1..r_end])?;
    let mut rebuilt = version[..groups[2].1].to_owned();
    rebuilt.push_str(tail);
    Ok((rebuilt, revision))
}

/// `0|[1-9]\d*` as a whole string.
fn is_semver_number(s: &str) -> bool {
    s == "0"
        || (s.starts_with(|c: char| ('1'..='9').contains(&c))
            && s.chars().skip(1).all(python::is_decimal))
}

/// A SemVer pre-release identifier: `0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*`.
fn is_prerelease_identifier(s: &str) -> bool {
    if is_semver_number(s) {
        return true;
    }
    let rest = &s[decimal_prefix_len(s)..];
    let mut chars = rest.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '-')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl NuGetVersion {
    /// Parses a version as osv.dev does (see the module documentation).
    pub fn parse(input: &str) -> Result<Self, String> {
        let coerced = coerce(input)?;
        let (semver, revision) = extract_revision(&coerced)?;
        // python-semver's `$` also matches before a final newline.
        let s = semver.strip_suffix('\n').unwrap_or(&semver);
        let invalid = || "not a nuget version (semver with an optional fourth number)".to_owned();
        let (head, build) = match s.find('+') {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        if let Some(build) = build {
            let ok = build.split('.').all(|id| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
            if !ok {
                return Err(invalid());
            }
        }
        let (core, pre) = match head.find('-') {
            Some(i) => (&head[..i], Some(&head[i + 1..])),
            None => (head, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() != 3 || !parts.iter().all(|p| is_semver_number(p)) {
            return Err(invalid());
        }
        let release = match pre {
            None => Release::Final,
            Some(pre) => {
                let mut ids = Vec::new();
                for id in pre.split('.') {
                    if !is_prerelease_identifier(id) {
                        return Err(invalid());
                    }
                    // osv.dev lowercases the pre-release; semver's comparison turns
                    // `str.isdigit` identifiers into numbers.
                    let lower = id.to_lowercase();
                    if lower.chars().all(python::is_decimal) {
                        ids.push(Identifier::Number(num(&lower)?));
                    } else {
                        ids.push(Identifier::Text(lower));
                    }
                }
                Release::Pre(ids)
            }
        };
        Ok(NuGetVersion {
            key: Key {
                major: num(parts[0])?,
                minor: num(parts[1])?,
                patch: num(parts[2])?,
                revision,
                release,
            },
        })
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

crate::ord_from_cmp!(NuGetVersion);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> NuGetVersion {
        NuGetVersion::parse(s).unwrap()
    }

    #[test]
    fn ascending_table() {
        let ordered = [
            "0.0.0-0",
            "0.0.0",
            "0.9.9.1",
            "1.0.0-0",
            "1.0.0-1",
            "1.0.0-2",
            "1.0.0-10",
            "1.0.0-99999999999999999999",
            "1.0.0--",
            "1.0.0-A",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-BETA",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-beta2",
            "1.0.0-pre",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.0.1-alpha",
            "1.0.0.1",
            "1.0.0.2",
            "1.0.1",
            "1.1",
            "1.2",
            "1.10",
            "1.999.9999",
            "2.1.1",
            "12345678901234567890",
        ];
        crate::testing::assert_increasing(v, &ordered);
    }

    #[test]
    fn equal_table() {
        let groups: &[&[&str]] = &[
            &[
                "1.0.0",
                "1.0",
                "1",
                "1.0.0.0",
                "1.0+test",
                "v1.0.0",
                "01.00.000",
                "1.0.0+beta",
            ],
            &["1.0.0-BETA", "1.0.0-beta", "1.0.0-Beta+AA"],
            &["1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa"],
            &["1.0.0.1-1.2.A", "1.0.0.1-1.2.a+A"],
            &["1.0.01", "1.0.1.0"],
            &["1.0.0-beta.01", "1.0.0-beta.1"],
            &["1.0.0009.01-1.1+A", "1.0.9.1-1.1"],
            &["1.2.3.0004", "1.2.3.4"],
            &["1.0.0-", "1.0.0--"],
            &["1.0.0-a..b", "1.0.0-a.-.b"],
            &["١.٢", "1.2.0"],
            &["1.0\n", "1.0.0"],
            // `_extract_revision` stops at a newline (coerce gave up on it).
            &["1.2.3.4\nx", "1.2.3.4"],
        ];
        crate::testing::assert_equal_groups(v, groups);
    }

    #[test]
    fn invalid() {
        for s in [
            "",
            "a",
            "1beta",
            "$version$",
            "1.2Av^c",
            "1.2..",
            "1.2.3.4.5",
            "1.2.3.Beta",
            "So.is.this",
            "1.34.2Alpha",
            "1.34.2Release Candidate",
            "1.4.7-*",
            "1.4.7+*",
            "1.4.7-AA.01^",
            "1.4.7-AA.0A^",
            "1.4.7-A^A",
            "1.4.7+AA.01^",
            " 1.0",
            "1.0 ",
            "V1.0",
            "1.4.0rc3",
            "1.2.3.4-beta.01",
            "1.0.0-é",
            "1.0\nx",
            "1.2.3\nfoo",
            "01.2.3.4\nfoo",
            "1.0\n\n",
        ] {
            assert!(NuGetVersion::parse(s).is_err(), "{s:?} is invalid");
        }
        assert!(NuGetVersion::parse(&format!("1.{}", "1".repeat(4301))).is_err());
    }
}
