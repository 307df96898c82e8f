//! The differential-test harness shared by `tests/differential_*.rs`.
#![allow(dead_code, clippy::unwrap_used)]

use std::cmp::Ordering;

use ch_test_support::{differential_pairs, ReferenceTool};
use ch_versions::Scheme;

/// Our answer for a pair: `<`, `=`, `>` or `!` when either side does not parse.
pub(crate) fn ours(scheme: Scheme, a: &str, b: &str) -> &'static str {
    match scheme.compare(a, b) {
        Ok(Ordering::Less) => "<",
        Ok(Ordering::Equal) => "=",
        Ok(Ordering::Greater) => ">",
        Err(_) => "!",
    }
}

/// Sorts `versions` with our ordering (unparsable ones last, in input order), builds
/// adjacent, identical and `n_random` random pairs, and checks every pair against
/// `tool`. A disagreement is allowed only when `documented(a, b, ours, theirs)`
/// says it is one of the documented differences; otherwise the test fails listing
/// (up to 40 of) them.
pub(crate) fn check_against(
    scheme: Scheme,
    tool: &ReferenceTool,
    mut versions: Vec<String>,
    n_random: usize,
    documented: impl Fn(&str, &str, &str, &str) -> bool,
) -> usize {
    versions.sort();
    versions.dedup();
    let mut parsed: Vec<(ch_versions::Version, String)> = Vec::new();
    let mut unparsed = Vec::new();
    for v in versions {
        match scheme.parse(&v) {
            Ok(p) => parsed.push((p, v)),
            Err(_) => unparsed.push(v),
        }
    }
    parsed.sort_by(|a, b| a.0.cmp(&b.0));
    assert_prefix_monotone(&parsed);
    let mut ordered: Vec<String> = parsed.into_iter().map(|(_, v)| v).collect();
    ordered.extend(unparsed);
    let pairs = differential_pairs(&ordered, n_random);
    let theirs = tool.compare(&pairs);
    let mut bad = Vec::new();
    for ((a, b), t) in pairs.iter().zip(&theirs) {
        let o = ours(scheme, a, b);
        if o != t.as_str() && !documented(a, b, o, t) {
            bad.push(format!("{a:?} vs {b:?}: ours {o}, {} {t}", tool.name));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} pairs disagree with {}:\n{}",
        bad.len(),
        pairs.len(),
        tool.name,
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    pairs.len()
}

/// `Version::order_prefix` never decreases along our order (the property the
/// matcher's prefix search relies on), and versions with equal exact prefixes are
/// equal (`Version::prefix_is_exact`), checked on every sorted version list.
pub(crate) fn assert_prefix_monotone(sorted: &[(ch_versions::Version, String)]) {
    let mut exact_by_prefix: std::collections::HashMap<u64, &(ch_versions::Version, String)> =
        std::collections::HashMap::new();
    for v in sorted.iter().filter(|v| v.0.prefix_is_exact()) {
        assert_eq!(v.0.order_prefix() & 1, 0, "bit 0 of {:?}'s prefix", v.1);
        if let Some(first) = exact_by_prefix.insert(v.0.order_prefix(), v) {
            assert!(
                first.0 == v.0,
                "{:?} and {:?} share an exact prefix {:#x} but differ",
                first.1,
                v.1,
                v.0.order_prefix()
            );
        }
    }
    for pair in sorted.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            a.0.order_prefix() <= b.0.order_prefix(),
            "order_prefix not monotone: {:?} ({:#x}) <= {:?} ({:#x})",
            a.1,
            a.0.order_prefix(),
            b.1,
            b.0.order_prefix()
        );
    }
}
