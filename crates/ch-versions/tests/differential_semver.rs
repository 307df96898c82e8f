//! SemVer, npm and Go orderings against node-semver.
#![allow(clippy::unwrap_used)]

mod common;

use ch_test_support::{osv_versions, shared_data, ReferenceTool};
use ch_versions::Scheme;

fn node_semver() -> ReferenceTool {
    ReferenceTool::new(
        "node-semver 7.7.3",
        &["node", "crates/ch-versions/tests/reference/semver.js"],
    )
}

/// Generated versions exercising SemVer 2.0.0 §9–11: pre-release identifiers,
/// numeric vs alphanumeric, build metadata, large numbers.
fn generated() -> Vec<String> {
    let mut out = Vec::new();
    for core in [
        "0.0.0",
        "0.0.1",
        "1.0.0",
        "1.2.3",
        "1.10.0",
        "10.0.0",
        "99999999999.0.0",
    ] {
        out.push(core.to_owned());
        for pre in [
            "alpha",
            "alpha.1",
            "alpha.beta",
            "beta",
            "beta.2",
            "beta.11",
            "rc.1",
            "0",
            "1",
            "01a",
            "a.b.c.d",
            "alpha-1",
            "x.7.z.92",
            "-",
            "0.0",
        ] {
            out.push(format!("{core}-{pre}"));
        }
        out.push(format!("{core}+build.1"));
        out.push(format!("{core}-rc.1+build.5"));
    }
    out.extend(
        [
            "01.0.0", "1.0", "1", "1.0.0-01", "1.0.0-", "1.0.0+", "a.b.c",
        ]
        .map(String::from),
    );
    out
}

#[test]
fn npm_matches_node_semver() {
    let tool = node_semver();
    if !tool.available() {
        return;
    }
    let mut versions = generated();
    if let Some(data) = shared_data() {
        versions.extend(osv_versions(
            &[data.join("osv-nodejs-security-wg/all.zip")],
            "npm",
        ));
    }
    let n = common::check_against(Scheme::Npm, &tool, versions, 20_000, |_, _, _, _| false);
    assert!(n > 1_000);
}

#[test]
fn semver_matches_node_semver_on_strict_versions() {
    let tool = node_semver();
    if !tool.available() {
        return;
    }
    let mut versions = generated();
    if let Some(data) = shared_data() {
        versions.extend(osv_versions(
            &[data.join("osv-rustsec/all.zip")],
            "crates.io",
        ));
    }
    // node-semver accepts a leading `v`, strict SemVer 2.0.0 does not: that is the
    // only allowed difference.
    common::check_against(
        Scheme::SemVer,
        &tool,
        versions,
        20_000,
        |a, b, ours, theirs| {
            ours == "!" && theirs != "!" && (a.starts_with('v') || b.starts_with('v'))
        },
    );
}

#[test]
fn go_matches_node_semver_on_full_versions() {
    let tool = node_semver();
    if !tool.available() {
        return;
    }
    let Some(data) = shared_data() else { return };
    // Go's advisory versions are SemVer without the `v`; pseudo-versions are
    // ordinary pre-releases and `+incompatible` is build metadata, so node-semver
    // orders them as Go does. (Go's shorthands `v1`, `v1.2` are unit-tested.)
    let versions = osv_versions(&[data.join("osv-go-vulndb/all.zip")], "Go");
    assert!(versions.len() > 1_000, "{} Go versions", versions.len());
    common::check_against(Scheme::Go, &tool, versions, 20_000, |_, _, _, _| false);
}
