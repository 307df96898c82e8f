//! Range evaluation against the OSV schema's rules and edge cases.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use ch_osv::{Affected, CompiledAffected, GitAncestry, Match};
use ch_types::Ecosystem;
use serde_json::json;

fn compile(ecosystem: &str, affected: serde_json::Value) -> CompiledAffected {
    let affected: Affected = serde_json::from_value(affected).unwrap();
    let (compiled, problems) =
        CompiledAffected::compile(&Ecosystem::parse(ecosystem).unwrap(), &affected);
    assert!(problems.is_empty(), "{problems:?}");
    compiled
}

/// Asserts which of `versions` are affected: `expected` holds the affected ones.
fn check(ecosystem: &str, affected: serde_json::Value, versions: &[&str], expected: &[&str]) {
    let c = compile(ecosystem, affected);
    let got: Vec<&str> = versions
        .iter()
        .copied()
        .filter(|v| c.affects_str(v).unwrap().is_some())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn introduced_zero_and_fixed_is_exclusive() {
    check(
        "PyPI",
        json!({"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}]}),
        &["0.0.1", "1.0", "1.2rc1", "1.2", "1.2.0", "1.2.post1", "2.0"],
        &["0.0.1", "1.0", "1.2rc1"],
    );
}

#[test]
fn last_affected_is_inclusive() {
    check(
        "crates.io",
        json!({"ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"last_affected": "1.4.2"}]}]}),
        &[
            "0.9.9",
            "1.0.0-rc.1",
            "1.0.0",
            "1.4.2",
            "1.4.3-alpha",
            "1.4.3",
        ],
        &["1.0.0", "1.4.2"],
    );
}

#[test]
fn reintroduced_ranges_and_events_in_any_order() {
    // The schema's own example of several intervals in one range, given shuffled.
    check(
        "npm",
        json!({"ranges": [{"type": "SEMVER", "events": [
            {"fixed": "1.2.0"}, {"introduced": "1.1.0"}, {"fixed": "1.0.0"}, {"introduced": "0"}
        ]}]}),
        &[
            "0.1.0", "1.0.0", "1.0.5", "1.1.0", "1.1.9", "1.2.0", "3.0.0",
        ],
        &["0.1.0", "1.1.0", "1.1.9"],
    );
}

#[test]
fn open_ended_introduced_affects_everything_after() {
    check(
        "Go",
        json!({"ranges": [{"type": "SEMVER", "events": [{"introduced": "1.5.0"}]}]}),
        &[
            "v1.4.9",
            "v1.5.0",
            "v2.0.0+incompatible",
            "v1.6.0-0.20200101000000-abcdefabcdef",
        ],
        &[
            "v1.5.0",
            "v2.0.0+incompatible",
            "v1.6.0-0.20200101000000-abcdefabcdef",
        ],
    );
}

#[test]
fn versions_list_alone_and_with_ranges() {
    check(
        "PyPI",
        json!({"versions": ["1.0", "1.1", "not-a-pep440-version!"]}),
        &["1.0", "1.0.0", "1.1", "1.2", "not-a-pep440-version!"],
        &["1.0", "1.0.0", "1.1", "not-a-pep440-version!"],
    );
    check(
        "RubyGems",
        json!({"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.1"}]}],
               "versions": ["1.5.3"]}),
        &["1.5.2", "1.5.3", "2.0.1", "2.1"],
        &["1.5.3", "2.0.1"],
    );
}

#[test]
fn git_range_first_does_not_stop_later_ranges() {
    // 1,385 PyPA entries list a GIT range first; osv-scanner's offline matcher stops
    // there. The ECOSYSTEM range after it must still be evaluated.
    let c = compile(
        "PyPI",
        json!({"ranges": [
            {"type": "GIT", "repo": "https://github.com/example/project",
             "events": [{"introduced": "0"}, {"fixed": "8f5f1a6b0c1e4e7f9a8d4e2b3c1d0e9f8a7b6c5d"}]},
            {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.1"}]}
        ]}),
    );
    assert_eq!(c.affects_str("1.9").unwrap(), Some(Match::Range(1)));
    assert_eq!(c.affects_str("2.0.1").unwrap(), None);
}

#[test]
fn limit_events_bound_ecosystem_ranges() {
    check(
        "Maven",
        json!({"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"limit": "2.0"}]}]}),
        &["1.0", "1.9.9", "2.0", "2.1"],
        &["1.0", "1.9.9"],
    );
    check(
        "npm",
        json!({"ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "*"}]}]}),
        &["0.9.0", "1.0.0", "9.9.9"],
        &["1.0.0", "9.9.9"],
    );
}

#[test]
fn several_ranges_are_a_union() {
    check(
        "crates.io",
        json!({"ranges": [
            {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.5.2"}]},
            {"type": "SEMVER", "events": [{"introduced": "0.6.0"}, {"fixed": "0.6.3"}]}
        ]}),
        &["0.5.1", "0.5.2", "0.5.9", "0.6.0", "0.6.2", "0.6.3"],
        &["0.5.1", "0.6.0", "0.6.2"],
    );
}

#[test]
fn unknown_range_types_never_match() {
    check(
        "PyPI",
        json!({"ranges": [{"type": "FUTURE", "events": [{"introduced": "0"}]}]}),
        &["1.0"],
        &[],
    );
}

#[test]
fn equal_versions_keep_record_order() {
    // introduced and fixed at the same version: processed in the record's order,
    // so the version itself ends unaffected, as in osv.dev.
    check(
        "PyPI",
        json!({"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.0"}]}]}),
        &["0.9", "1.0", "1.1"],
        &[],
    );
}

#[test]
fn smallest_fix_skips_fixes_that_are_still_affected() {
    let c = compile(
        "PyPI",
        json!({"ranges": [
            {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5"}]},
            {"type": "ECOSYSTEM", "events": [{"introduced": "1.5"}, {"fixed": "1.7"}]},
            {"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.3"}]}
        ]}),
    );
    assert_eq!(c.smallest_fix("1.2").as_deref(), Some("1.7"));
    assert_eq!(c.smallest_fix("2.1").as_deref(), Some("2.3"));
    assert_eq!(c.smallest_fix("3.0"), None);
    assert_eq!(c.fixed_versions(), ["1.5", "1.7", "2.3"]);
}

#[test]
fn unparsable_query_version_is_an_error() {
    let c = compile(
        "crates.io",
        json!({"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}),
    );
    assert!(c.affects_str("not a version").is_err());
}

#[test]
fn unparsable_event_is_reported_and_dropped() {
    let affected: Affected = serde_json::from_value(json!({"ranges": [{"type": "SEMVER",
        "events": [{"introduced": "0"}, {"fixed": "one.two"}]}]}))
    .unwrap();
    let (c, problems) = CompiledAffected::compile(&Ecosystem::parse("npm").unwrap(), &affected);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].event, "fixed");
    assert!(c.affects_str("5.0.0").unwrap().is_some());
}

/// A commit graph: child → parents.
struct Graph(HashMap<&'static str, Vec<&'static str>>);

impl GitAncestry for Graph {
    fn is_ancestor(&self, _: Option<&str>, ancestor: &str, descendant: &str) -> Option<bool> {
        if !self.0.contains_key(descendant) || !self.0.contains_key(ancestor) {
            return None;
        }
        let mut stack = vec![descendant];
        while let Some(c) = stack.pop() {
            if c == ancestor {
                return Some(true);
            }
            stack.extend(self.0[c].iter().copied());
        }
        Some(false)
    }
}

#[test]
fn git_ranges_follow_ancestry_and_limits() {
    // a - b - c - d - e      (main; fix at d)
    //      \
    //       x - y - z        (release branch; limit at z, no fix)
    let g = Graph(HashMap::from([
        ("a", vec![]),
        ("b", vec!["a"]),
        ("c", vec!["b"]),
        ("d", vec!["c"]),
        ("e", vec!["d"]),
        ("x", vec!["b"]),
        ("y", vec!["x"]),
        ("z", vec!["y"]),
    ]));
    let c = compile(
        "GIT",
        json!({"ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "b"}, {"fixed": "d"}]}]}),
    );
    let affected = |c: &CompiledAffected, commits: &[&str]| -> Vec<String> {
        commits
            .iter()
            .filter(|x| c.affects_commit(x, &g) == Some(true))
            .map(|x| (*x).to_owned())
            .collect()
    };
    assert_eq!(
        affected(&c, &["a", "b", "c", "d", "e", "x", "y", "z"]),
        ["b", "c", "x", "y", "z"]
    );

    let limited = compile(
        "GIT",
        json!({"ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "b"}, {"limit": "y"}]}]}),
    );
    assert_eq!(
        affected(&limited, &["a", "b", "c", "x", "y", "z"]),
        ["b", "x"]
    );

    let last = compile(
        "GIT",
        json!({"ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "0"}, {"last_affected": "c"}]}]}),
    );
    assert_eq!(affected(&last, &["a", "c", "d", "x"]), ["a", "c", "x"]);
    assert_eq!(c.affects_commit("unknown", &g), None);
}

mod pseudo_code {
    //! The schema's normative pseudo-code, transcribed literally, against our
    //! compiled intervals on random event lists.
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Ev {
        Introduced(u32),
        Fixed(u32),
        LastAffected(u32),
        Limit(u32),
    }

    fn literal(events: &[Ev], v: u32) -> bool {
        // BeforeLimits
        let limits: Vec<u32> = events
            .iter()
            .filter_map(|e| if let Ev::Limit(l) = e { Some(*l) } else { None })
            .collect();
        if !limits.is_empty() && !limits.iter().any(|l| v < *l) {
            return false;
        }
        // sorted(events): by version, "0" first, stable.
        let key = |e: &Ev| match e {
            Ev::Introduced(x) | Ev::Fixed(x) | Ev::LastAffected(x) | Ev::Limit(x) => *x,
        };
        let mut sorted: Vec<&Ev> = events.iter().collect();
        sorted.sort_by_key(|e| key(e));
        let mut vulnerable = false;
        for e in sorted {
            match e {
                Ev::Introduced(x) if *x == 0 || v >= *x => vulnerable = true,
                Ev::Fixed(x) if v >= *x => vulnerable = false,
                Ev::LastAffected(x) if v > *x => vulnerable = false,
                _ => {}
            }
        }
        vulnerable
    }

    fn event_strategy() -> impl Strategy<Value = Ev> {
        prop_oneof![
            4 => (0u32..12).prop_map(Ev::Introduced),
            3 => (1u32..12).prop_map(Ev::Fixed),
            2 => (1u32..12).prop_map(Ev::LastAffected),
            1 => (1u32..12).prop_map(Ev::Limit),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn intervals_equal_the_pseudo_code(events in proptest::collection::vec(event_strategy(), 1..7)) {
            let json_events: Vec<serde_json::Value> = events
                .iter()
                .map(|e| match e {
                    Ev::Introduced(x) => json!({"introduced": x.to_string()}),
                    Ev::Fixed(x) => json!({"fixed": x.to_string()}),
                    Ev::LastAffected(x) => json!({"last_affected": x.to_string()}),
                    Ev::Limit(x) => json!({"limit": x.to_string()}),
                })
                .collect();
            // Hackage orders plain integers numerically; "0" is the special introduced.
            let c = compile("Hackage", json!({"ranges": [{"type": "ECOSYSTEM", "events": json_events}]}));
            for v in 0u32..14 {
                let ours = c.affects_str(&v.to_string()).unwrap().is_some();
                prop_assert_eq!(ours, literal(&events, v), "v = {}", v);
            }
        }
    }
}
