//! Discovery: which known vulnerabilities affect the software in these files.
//!
//! [`collect`] reads SBOMs and lockfiles from files and folders (through
//! `ch-inventory`'s readers); [`match_packages`] checks every package against the
//! advisory database and reports one [`Finding`] per (package, vulnerability):
//! advisories that alias one another are one vulnerability, and a package named by
//! several files (or several times in one) is one finding with every location.
//!
//! Owns the file IO of discovery (size limits, folder walking, `-r` includes).
//! Output formats belong to the binary.

mod collect;
mod image;
mod rating;
mod suppress;

use std::collections::BTreeMap;

use ch_advisory_db::{AdvisoryDb, DbError, PackageQuery, VulnerabilityMatch};
use ch_inventory::{Package, Source};
use ch_types::{normalize_name, Ecosystem};

pub use collect::{collect, CollectOptions, Collected, InputFile, MAX_FILE_BYTES};
pub use image::MAX_IMAGE_BYTES;
pub use rating::{rate, rate_from_cve_records, Rating, Threshold};
pub use suppress::{Suppression, SuppressionError, SuppressionKind, Suppressions};

/// One vulnerability affecting one package version.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The package's ecosystem.
    pub ecosystem: Ecosystem,
    /// The package name as the (first) file wrote it.
    pub name: String,
    /// The version.
    pub version: String,
    /// The purl of the first occurrence.
    pub purl: Option<String>,
    /// Every place the package was found.
    pub locations: Vec<Source>,
    /// Whether any occurrence is a direct dependency (`None`: no file says).
    pub direct: Option<bool>,
    /// The vulnerability: id, aliases, fixed versions, severity, …
    pub vulnerability: VulnerabilityMatch,
    /// The highest rating its advisories give (`None`: none gives one).
    pub rating: Option<Rating>,
    /// Set when an ignore or a VEX statement covers the finding: it is still
    /// reported, marked, and does not fail the scan.
    pub suppression: Option<Suppression>,
}

/// What matching found.
#[derive(Debug, Default)]
pub struct Matched {
    /// Findings, ordered by vulnerability id, then package.
    pub findings: Vec<Finding>,
    /// Distinct (ecosystem, name, version) checked.
    pub n_checked: usize,
    /// Packages without an ecosystem (local, git or unidentified), not checked.
    pub n_unidentified: usize,
    /// Problems with single packages (a version the ecosystem cannot parse) and with
    /// advisories (a malformed CVSS vector).
    pub warnings: Vec<String>,
}

/// An error of the database while matching.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ScanError(#[from] DbError);

struct Occurrences<'a> {
    first: &'a Package,
    ecosystem: &'a Ecosystem,
    locations: Vec<Source>,
    direct: Option<bool>,
}

/// Rates the findings no advisory rates from the CVSS vectors of their CVEs'
/// Vulnrichment records, where the database holds them.
fn rate_unrated_from_cve_records(
    db: &AdvisoryDb,
    findings: &mut [Finding],
) -> Result<(), ScanError> {
    let cves_of = |f: &Finding| -> Vec<String> {
        std::iter::once(&f.vulnerability.id)
            .chain(&f.vulnerability.aliases)
            .filter(|id| ch_threat::is_cve(id))
            .cloned()
            .collect()
    };
    let mut wanted: Vec<String> = findings
        .iter()
        .filter(|f| f.rating.is_none())
        .flat_map(cves_of)
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    wanted.sort();
    wanted.dedup();
    let refs: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let threats = db.threats(&refs)?;
    for f in findings.iter_mut().filter(|f| f.rating.is_none()) {
        let cves = cves_of(f);
        f.rating = rate_from_cve_records(cves.iter().filter_map(|c| {
            let e = threats.get(c)?.enrichment.as_ref()?;
            Some((c.as_str(), e.cvss.as_slice()))
        }));
    }
    Ok(())
}

/// Checks every package against the database.
pub fn match_packages(db: &AdvisoryDb, packages: &[Package]) -> Result<Matched, ScanError> {
    let mut matched = Matched::default();
    // (ecosystem, name key, version) → occurrences, in a stable order.
    let mut distinct: BTreeMap<(String, String, String), Occurrences<'_>> = BTreeMap::new();
    for p in packages {
        let Some(ecosystem) = &p.ecosystem else {
            matched.n_unidentified += 1;
            continue;
        };
        let key = (
            ecosystem.to_string(),
            normalize_name(ecosystem.kind(), &p.name),
            p.version.clone(),
        );
        let entry = distinct.entry(key).or_insert_with(|| Occurrences {
            first: p,
            ecosystem,
            locations: Vec::new(),
            direct: None,
        });
        if !entry.locations.contains(&p.source) {
            entry.locations.push(p.source.clone());
        }
        entry.direct = match (entry.direct, p.direct) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        };
    }
    matched.n_checked = distinct.len();
    let queries: Vec<PackageQuery> = distinct
        .iter()
        .map(|((_, _, version), occ)| PackageQuery {
            ecosystem: occ.ecosystem.clone(),
            name: occ.first.name.clone(),
            version: version.clone(),
        })
        .collect();
    let answers = db.query_many(&queries)?;
    for (((_, _, version), occ), answer) in distinct.into_iter().zip(answers) {
        let found = match answer {
            Ok(found) => found,
            Err(e) => {
                let at = &occ.locations[0];
                let place = match at.line {
                    Some(l) => format!("{}:{l}", at.file),
                    None => at.file.clone(),
                };
                matched.warnings.push(format!(
                    "{place}: {} {} version `{version}` is not a valid {} version ({}); not checked",
                    occ.ecosystem,
                    occ.first.name,
                    occ.ecosystem.base(),
                    e.reason
                ));
                continue;
            }
        };
        for vulnerability in found {
            let (rating, problems) = rate(&vulnerability);
            for p in problems {
                if !matched.warnings.contains(&p) {
                    matched.warnings.push(p);
                }
            }
            matched.findings.push(Finding {
                ecosystem: occ.ecosystem.clone(),
                name: occ.first.name.clone(),
                version: version.clone(),
                purl: occ.first.purl.clone(),
                locations: occ.locations.clone(),
                direct: occ.direct,
                vulnerability,
                rating,
                suppression: None,
            });
        }
    }
    rate_unrated_from_cve_records(db, &mut matched.findings)?;
    matched.findings.sort_by(|a, b| {
        a.vulnerability
            .id
            .cmp(&b.vulnerability.id)
            .then_with(|| a.ecosystem.to_string().cmp(&b.ecosystem.to_string()))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.version.cmp(&b.version))
    });
    Ok(matched)
}
