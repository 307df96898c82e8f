//! `clearinghouse scan`: the known vulnerabilities in SBOMs, lockfiles and folders.

mod cyclonedx;
mod markdown;
mod sarif;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use ch_cvss::Severity;
use ch_scan::{
    match_packages, Collected, Finding, Matched, Rating, Suppression, Suppressions, Threshold,
};
use serde::Serialize;

use super::inventory::{collect_inputs, inputs_out, report_errors, InputOut, SourceOut};
use super::open_existing;
use crate::cli::{Colour, FailOn, ScanArgs, ScanFormat};
use crate::output::{count, hinted, json, note, print};
use crate::settings;

/// `scan --format json`, schema `docs/schemas/scan-v1.schema.json`.
#[derive(Serialize)]
struct ScanOutput<'a> {
    schema_version: &'static str,
    inputs: Vec<InputOut<'a>>,
    summary: Summary,
    findings: Vec<FindingOut<'a>>,
    warnings: Vec<&'a str>,
    errors: &'a [String],
}

#[derive(Serialize)]
struct Summary {
    packages: usize,
    checked: usize,
    unidentified: usize,
    vulnerable_packages: usize,
    vulnerabilities: usize,
    findings: usize,
    suppressed: usize,
    /// Open (unsuppressed) findings by rating.
    by_severity: BySeverity,
}

#[derive(Serialize, Default)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    none: usize,
    unrated: usize,
}

fn by_severity(matched: &Matched) -> BySeverity {
    let mut out = BySeverity::default();
    for f in open_findings(matched) {
        let slot = match f.rating.as_ref().map(|r| r.severity) {
            Some(Severity::Critical) => &mut out.critical,
            Some(Severity::High) => &mut out.high,
            Some(Severity::Medium) => &mut out.medium,
            Some(Severity::Low) => &mut out.low,
            Some(Severity::None) => &mut out.none,
            None => &mut out.unrated,
        };
        *slot += 1;
    }
    out
}

#[derive(Serialize)]
struct FindingOut<'a> {
    id: &'a str,
    aliases: &'a [String],
    advisories: &'a [String],
    summary: Option<&'a str>,
    severity: Vec<SeverityOut<'a>>,
    rating: Option<RatingOut<'a>>,
    fixed: &'a [String],
    smallest_fix: Option<&'a str>,
    published: Option<&'a str>,
    modified: &'a str,
    package: PackageOut<'a>,
    locations: Vec<SourceOut<'a>>,
    direct: Option<bool>,
    suppression: Option<SuppressionOut<'a>>,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    kind: &'static str,
    source: &'a str,
    status: &'a str,
    reason: &'a str,
    expires: Option<&'a str>,
}

fn suppression_out(s: &Suppression) -> SuppressionOut<'_> {
    SuppressionOut {
        kind: s.kind.as_str(),
        source: &s.source,
        status: &s.status,
        reason: &s.reason,
        expires: s.expires.as_deref(),
    }
}

#[derive(Serialize)]
struct PackageOut<'a> {
    ecosystem: String,
    name: &'a str,
    version: &'a str,
    purl: Option<&'a str>,
}

/// The highest rating the advisories give: severity, CVSS score, and the entry.
#[derive(Serialize)]
struct RatingOut<'a> {
    severity: Severity,
    score: Option<ch_cvss::Score>,
    #[serde(rename = "type")]
    kind: &'a str,
    vector: &'a str,
    source: &'a str,
}

fn rating_out(r: &Rating) -> RatingOut<'_> {
    RatingOut {
        severity: r.severity,
        score: r.score,
        kind: &r.kind,
        vector: &r.vector,
        source: &r.source,
    }
}

#[derive(Serialize)]
struct SeverityOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    score: &'a str,
}

pub(crate) fn run(db: Option<PathBuf>, quiet: bool, args: ScanArgs) -> Result<ExitCode> {
    let collected = collect_inputs(&args.input)?;
    if let Some(code) = super::inventory::nothing_read(&collected) {
        return Ok(code);
    }
    let db = advisories_for(&settings::db_path(db)?, &collected, &args, quiet)?;
    let mut matched = match_packages(&db, &collected.packages)?;
    let mut suppressions = load_suppressions(&args)?;
    let today = time::OffsetDateTime::now_utc().date();
    let expired = suppressions.apply(&mut matched, today);
    matched.warnings.extend(expired);
    for w in &matched.warnings {
        crate::output::warn(w);
    }
    let text = match args.format {
        ScanFormat::Json => json(&output(&collected, &matched))?,
        ScanFormat::Table => table(&collected, &matched, use_colour(&args)),
        ScanFormat::Sarif => json(&sarif::log(&matched))?,
        ScanFormat::Cyclonedx => json(&cyclonedx::bom(&matched, &now_rfc3339()))?,
        ScanFormat::Markdown => markdown::render(&matched),
    };
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)?;
            note(quiet, &summary_line(&collected, &matched));
        }
        None => print(&text)?,
    }
    if let Some(code) = report_errors(&collected) {
        return Ok(code);
    }
    let threshold = Threshold {
        min: min_severity(args.fail_on),
        unrated: !args.ignore_unrated,
    };
    let failing = matched
        .findings
        .iter()
        .filter(|f| f.suppression.is_none() && threshold.reached_by(f.rating.as_ref()));
    let (mut n_failing, mut n_unrated) = (0, 0);
    for f in failing {
        n_failing += 1;
        n_unrated += usize::from(f.rating.is_none());
    }
    if n_unrated > 0 && threshold.min.is_some() {
        crate::output::warn(&format!(
            "{} no severity and {} treated as reaching --fail-on (--ignore-unrated to let them pass)",
            count(n_unrated, "finding has", "findings have"),
            if n_unrated == 1 { "is" } else { "are" }
        ));
    }
    Ok(if n_failing == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `CRITICAL 9.8` (CVSS), or the label alone (`HIGH`).
fn rating_text(r: &Rating) -> String {
    match r.score {
        Some(score) => format!("{} {score}", r.severity),
        None => r.severity.to_string(),
    }
}

fn min_severity(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Any => None,
        FailOn::Low => Some(Severity::Low),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::High => Some(Severity::High),
        FailOn::Critical => Some(Severity::Critical),
    }
}

/// The advisory database, with every ecosystem the inputs name: without
/// `--offline`, a missing database is created and the ecosystems it lacks are
/// downloaded (and the user told so); with it, either is an error.
fn advisories_for(
    path: &Path,
    collected: &Collected,
    args: &ScanArgs,
    quiet: bool,
) -> Result<ch_advisory_db::AdvisoryDb> {
    let mut needed: Vec<&str> = collected
        .packages
        .iter()
        .filter_map(|p| p.ecosystem.as_ref().map(ch_types::Ecosystem::base))
        .collect();
    needed.sort_unstable();
    needed.dedup();
    if !path.is_file() {
        if args.offline {
            return Err(hinted(
                format!(
                    "no advisory database at `{}`, and --offline forbids downloading one",
                    path.display()
                ),
                format!(
                    "on a machine with network access run `clearinghouse db sync {}`, or `clearinghouse db import PATH`",
                    needed.join(" ")
                ),
            ));
        }
        note(
            quiet,
            &format!(
                "no advisory database at `{}`: creating it and downloading {} from {}",
                path.display(),
                if needed.is_empty() {
                    "nothing (no package has an ecosystem)".to_owned()
                } else {
                    needed.join(", ")
                },
                args.base_url
            ),
        );
    }
    let mut db = if path.is_file() {
        open_existing(path)?
    } else {
        ch_advisory_db::AdvisoryDb::open_or_create(path)?
    };
    let mut missing = Vec::new();
    for base in &needed {
        if !db.has_ecosystem(base)? {
            missing.push(*base);
        }
    }
    if missing.is_empty() {
        return Ok(db);
    }
    if args.offline {
        return Err(hinted(
            format!(
                "the advisory database has no advisories for {}, and --offline forbids downloading them",
                missing.join(", ")
            ),
            format!("run `clearinghouse db sync {}` where the network is reachable", missing.join(" ")),
        ));
    }
    let syncer = ch_sync::Syncer::new(&args.base_url);
    let progress = |line: &str| note(quiet, line);
    for base in missing {
        note(
            quiet,
            &format!("{base}: downloading advisories (not in the database yet)"),
        );
        syncer.sync(&mut db, base, false, &progress)?;
    }
    Ok(db)
}

/// The ignores of `--config` (else `./clearinghouse.toml` when it exists) and the
/// `--vex` documents. A file that cannot be read or understood is an error: a
/// scan must not report as open what the user has triaged, nor the reverse.
fn load_suppressions(args: &ScanArgs) -> Result<Suppressions> {
    let mut s = Suppressions::default();
    let config = match &args.config {
        Some(path) => Some(path.clone()),
        None => Some(PathBuf::from("clearinghouse.toml")).filter(|p| p.is_file()),
    };
    if let Some(path) = config {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        s.add_config(&path, &text)?;
    }
    for path in &args.vex {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        s.add_vex(path, &text)?;
    }
    Ok(s)
}

/// Writes the report next to its destination, then renames it into place, so a
/// failed run never leaves a half-written report.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<()> {
    crate::output::write_atomically(path, text.as_bytes())
}

/// The current time, RFC 3339, to the second.
fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Where osv.dev shows an advisory (or a CVE, GHSA… alias of one).
fn advisory_url(id: &str) -> String {
    format!("https://osv.dev/vulnerability/{id}")
}

/// `file:line`, or the file where the line is not known.
fn location_text(s: &ch_inventory::Source) -> String {
    match s.line {
        Some(l) => format!("{}:{l}", s.file),
        None => s.file.clone(),
    }
}

/// What to do about a finding, in a few words.
fn fix_text(f: &Finding) -> String {
    match (
        &f.vulnerability.smallest_fix,
        f.vulnerability.fixed.is_empty(),
    ) {
        (Some(fix), _) => format!("upgrade to {fix}"),
        (None, false) => format!("fixed in {}", f.vulnerability.fixed.join(", ")),
        (None, true) => "no fix known".to_owned(),
    }
}

/// Findings no ignore or VEX statement covers.
fn open_findings(matched: &Matched) -> impl Iterator<Item = &Finding> {
    matched.findings.iter().filter(|f| f.suppression.is_none())
}

/// Distinct vulnerabilities of the open findings.
fn n_vulnerabilities(matched: &Matched) -> usize {
    let mut ids: Vec<&str> = open_findings(matched)
        .map(|f| f.vulnerability.id.as_str())
        .collect();
    ids.dedup();
    ids.len()
}

/// Distinct package versions with open findings.
fn n_vulnerable_packages(matched: &Matched) -> usize {
    let mut keys: Vec<(String, &str, &str)> = open_findings(matched)
        .map(|f| (f.ecosystem.to_string(), f.name.as_str(), f.version.as_str()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

fn summary_line(collected: &Collected, matched: &Matched) -> String {
    let suppressed = matched.findings.len() - open_findings(matched).count();
    let suppressed = if suppressed == 0 {
        String::new()
    } else {
        format!("; {suppressed} suppressed")
    };
    format!(
        "{} in {} of {} checked ({} in {}; {} without an ecosystem not checked{suppressed})",
        count(
            n_vulnerabilities(matched),
            "known vulnerability",
            "known vulnerabilities"
        ),
        n_vulnerable_packages(matched),
        count(matched.n_checked, "package", "packages"),
        count(collected.packages.len(), "package", "packages"),
        count(collected.inputs.len(), "file", "files"),
        matched.n_unidentified,
    )
}

fn output<'a>(collected: &'a Collected, matched: &'a Matched) -> ScanOutput<'a> {
    ScanOutput {
        schema_version: "1",
        inputs: inputs_out(collected),
        summary: Summary {
            packages: collected.packages.len(),
            checked: matched.n_checked,
            unidentified: matched.n_unidentified,
            vulnerable_packages: n_vulnerable_packages(matched),
            vulnerabilities: n_vulnerabilities(matched),
            findings: matched.findings.len(),
            suppressed: matched
                .findings
                .iter()
                .filter(|f| f.suppression.is_some())
                .count(),
            by_severity: by_severity(matched),
        },
        findings: matched.findings.iter().map(finding_out).collect(),
        warnings: collected
            .warnings
            .iter()
            .chain(&matched.warnings)
            .map(String::as_str)
            .collect(),
        errors: &collected.errors,
    }
}

fn finding_out(f: &Finding) -> FindingOut<'_> {
    let v = &f.vulnerability;
    FindingOut {
        id: &v.id,
        aliases: &v.aliases,
        advisories: &v.advisories,
        summary: v.summary.as_deref(),
        severity: v
            .severity
            .iter()
            .map(|(kind, score)| SeverityOut { kind, score })
            .collect(),
        rating: f.rating.as_ref().map(rating_out),
        fixed: &v.fixed,
        smallest_fix: v.smallest_fix.as_deref(),
        published: v.published.as_deref(),
        modified: &v.modified,
        package: PackageOut {
            ecosystem: f.ecosystem.to_string(),
            name: &f.name,
            version: &f.version,
            purl: f.purl.as_deref(),
        },
        locations: f
            .locations
            .iter()
            .map(|s| SourceOut {
                file: &s.file,
                line: s.line,
            })
            .collect(),
        direct: f.direct,
        suppression: f.suppression.as_ref().map(suppression_out),
    }
}

/// Whether the table is coloured: `--color`, and for `auto` a terminal on
/// standard output, no `NO_COLOR` (<https://no-color.org>) and a `TERM` other
/// than `dumb`.
fn use_colour(args: &ScanArgs) -> bool {
    match args.color {
        Colour::Always => true,
        Colour::Never => false,
        Colour::Auto => {
            args.output.is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").is_ok_and(|t| t != "dumb")
        }
    }
}

fn table(collected: &Collected, matched: &Matched, colour: bool) -> String {
    let (bold_red, green, reset) = if colour {
        ("\x1b[1;31m", "\x1b[32m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    let mut findings = open_findings(matched).peekable();
    while let Some(first) = findings.next() {
        let v = &first.vulnerability;
        let _ = write!(out, "{bold_red}{}{reset}", v.id);
        if !v.aliases.is_empty() {
            let _ = write!(out, " ({})", v.aliases.join(", "));
        }
        if let Some(r) = &first.rating {
            let _ = write!(out, " [{}]", rating_text(r));
        }
        out.push('\n');
        if let Some(s) = &v.summary {
            let _ = writeln!(out, "  {}", s.trim());
        }
        let mut group = vec![first];
        while let Some(next) = findings.next_if(|f| f.vulnerability.id == v.id) {
            group.push(next);
        }
        let rows: Vec<[String; 4]> = group
            .iter()
            .map(|f| {
                let at = f
                    .locations
                    .iter()
                    .map(location_text)
                    .collect::<Vec<_>>()
                    .join(", ");
                let fix = fix_text(f);
                [
                    format!("  {} {}", f.ecosystem, f.name),
                    f.version.clone(),
                    at,
                    fix,
                ]
            })
            .collect();
        let cols = crate::output::columns(&["  PACKAGE", "VERSION", "FOUND IN", "FIX"], &rows);
        // The fix is the last column: colouring it leaves the alignment alone.
        for line in cols.lines() {
            match line.rfind("upgrade to ") {
                Some(i) if colour => {
                    let _ = writeln!(out, "{}{green}{}{reset}", &line[..i], &line[i..]);
                }
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    }
    let suppressed: Vec<&Finding> = matched
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .collect();
    if !suppressed.is_empty() {
        out.push_str("Suppressed (not counted):\n");
        for f in suppressed {
            if let Some(s) = &f.suppression {
                let until = s
                    .expires
                    .as_ref()
                    .map(|d| format!(", until {d}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {} {} {} {}: {} by {} ({}{until})",
                    f.vulnerability.id,
                    f.ecosystem,
                    f.name,
                    f.version,
                    s.status,
                    s.source,
                    s.reason
                );
            }
        }
        out.push('\n');
    }
    out.push_str(&summary_line(collected, matched));
    out.push('\n');
    out
}
