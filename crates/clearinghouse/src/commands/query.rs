//! `clearinghouse query`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use ch_advisory_db::VulnerabilityMatch;
use ch_types::Purl;
use serde::Serialize;

use super::{open_existing, parse_ecosystem};
use crate::cli::{Format, QueryArgs};
use crate::output::{hinted, json, print};
use crate::settings;

/// `query --format json` output, schema `docs/schemas/query-v1.schema.json`.
#[derive(Serialize)]
struct QueryOutput<'a> {
    schema_version: &'static str,
    package: PackageOut<'a>,
    vulnerabilities: Vec<VulnOut<'a>>,
}

#[derive(Serialize)]
struct PackageOut<'a> {
    ecosystem: String,
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct VulnOut<'a> {
    id: &'a str,
    aliases: &'a [String],
    advisories: &'a [String],
    summary: Option<&'a str>,
    fixed: &'a [String],
    smallest_fix: Option<&'a str>,
    severity: Vec<SeverityOut<'a>>,
    published: Option<&'a str>,
    modified: &'a str,
}

#[derive(Serialize)]
struct SeverityOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    score: &'a str,
}

pub(crate) fn run(db: Option<PathBuf>, args: QueryArgs) -> Result<ExitCode> {
    let (ecosystem, name, version) = match (&args.purl, args.ecosystem, args.name, args.version) {
        (Some(purl), ..) => {
            let purl = Purl::parse(purl)?;
            let Some((eco, name)) = purl.to_osv() else {
                bail!("purl type `{}` has no OSV ecosystem", purl.ty);
            };
            let Some(version) = purl.version.clone() else {
                return Err(hinted(
                    format!("purl `{purl}` has no version"),
                    "add one: pkg:TYPE/NAME@VERSION",
                ));
            };
            (eco, name, version)
        }
        (None, Some(e), Some(n), Some(v)) => (parse_ecosystem(&e)?, n, v),
        _ => bail!("give ECOSYSTEM NAME VERSION, or --purl"),
    };
    let db = open_existing(&settings::db_path(db)?)?;
    let matches = db.query(&ecosystem, &name, &version)?;
    let text = match args.format {
        Format::Json => json(&QueryOutput {
            schema_version: "1",
            package: PackageOut {
                ecosystem: ecosystem.to_string(),
                name: &name,
                version: &version,
            },
            vulnerabilities: matches.iter().map(vuln_out).collect(),
        })?,
        Format::Table => table(&ecosystem.to_string(), &name, &version, &matches),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn vuln_out(m: &VulnerabilityMatch) -> VulnOut<'_> {
    VulnOut {
        id: &m.id,
        aliases: &m.aliases,
        advisories: &m.advisories,
        summary: m.summary.as_deref(),
        fixed: &m.fixed,
        smallest_fix: m.smallest_fix.as_deref(),
        severity: m
            .severity
            .iter()
            .map(|(k, s)| SeverityOut { kind: k, score: s })
            .collect(),
        published: m.published.as_deref(),
        modified: &m.modified,
    }
}

fn table(ecosystem: &str, name: &str, version: &str, matches: &[VulnerabilityMatch]) -> String {
    let mut out = String::new();
    if matches.is_empty() {
        let _ = writeln!(
            out,
            "{ecosystem} {name} {version}: no known vulnerabilities"
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{ecosystem} {name} {version}: {} known {}",
        matches.len(),
        if matches.len() == 1 {
            "vulnerability"
        } else {
            "vulnerabilities"
        }
    );
    for m in matches {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", m.id);
        if !m.aliases.is_empty() {
            let _ = writeln!(out, "  aliases:  {}", m.aliases.join(", "));
        }
        if let Some(s) = &m.summary {
            let _ = writeln!(out, "  summary:  {}", s.trim());
        }
        let fixed = if m.fixed.is_empty() {
            "no fixed version known".to_owned()
        } else {
            m.fixed.join(", ")
        };
        let _ = writeln!(out, "  fixed in: {fixed}");
        if let Some(f) = &m.smallest_fix {
            let _ = writeln!(out, "  upgrade:  {f}");
        }
        for (kind, score) in &m.severity {
            let _ = writeln!(out, "  severity: {kind} {score}");
        }
    }
    out
}
