//! `clearinghouse db import|sync|stats`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use ch_advisory_db::{AdvisoryDb, SourceReport, Stats};
use ch_sync::{SyncMode, Syncer};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::open_existing;
use crate::cli::{DbCommand, Format};
use crate::output::{hinted, json, note, print, warn};
use crate::settings;

pub(crate) fn run(db: Option<PathBuf>, quiet: bool, cmd: DbCommand) -> Result<ExitCode> {
    let path = settings::db_path(db)?;
    match cmd {
        DbCommand::Import(args) => {
            let mut db = AdvisoryDb::open_or_create(&path)?;
            let mut n_valid = 0usize;
            let mut n_failed_sources = 0usize;
            for source in &args.paths {
                if let Some(kind) = ch_advisory_db::sniff_threat(source) {
                    match db.import_threat_path(source, kind) {
                        Ok(report) => {
                            n_valid += report.n_entries;
                            note(quiet, &threat_line(source, kind, &report));
                        }
                        Err(e) => {
                            n_failed_sources += 1;
                            #[allow(clippy::print_stderr)]
                            {
                                eprintln!("error: {e}");
                            }
                        }
                    }
                    continue;
                }
                match db.import_path(source) {
                    Ok(report) => {
                        n_valid += report.n_valid();
                        report_source(quiet, args.verbose, &report);
                    }
                    Err(e) => {
                        // One unreadable source does not stop the others.
                        n_failed_sources += 1;
                        #[allow(clippy::print_stderr)]
                        {
                            eprintln!("error: {e}");
                        }
                    }
                }
            }
            if n_valid == 0 {
                bail!(
                    "nothing could be imported from {} source{}",
                    args.paths.len(),
                    if args.paths.len() == 1 { "" } else { "s" }
                );
            }
            if n_failed_sources > 0 {
                warn(&format!(
                    "{n_failed_sources} source(s) could not be read; the others were imported"
                ));
            }
            note(quiet, &format!("database: {}", db.path().display()));
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Sync(args) => {
            let mut db = AdvisoryDb::open_or_create(&path)?;
            let syncer = Syncer::new(&args.base_url);
            let (mut ecosystems, mut threats) = if args.all {
                (syncer.ecosystems()?, Vec::new())
            } else if args.ecosystems.is_empty() {
                let before = ch_sync::synced_ecosystems(&db)?;
                let threats = ch_sync::synced_threats(&db)?;
                if before.is_empty() && threats.is_empty() {
                    return Err(hinted(
                        "nothing to sync: no ecosystem or threat data was synced into this database before",
                        "name some, e.g. `clearinghouse db sync PyPI npm crates.io KEV EPSS Vulnrichment`, or use --all",
                    ));
                }
                (before, threats)
            } else {
                (args.ecosystems.clone(), Vec::new())
            };
            // Threat data is named among the ecosystems; OSV has no ecosystem of these names.
            ecosystems.retain(|name| match threat_kind(name) {
                Some(kind) => {
                    if !threats.contains(&kind) {
                        threats.push(kind);
                    }
                    false
                }
                None => true,
            });
            for kind in threats {
                let url = match kind {
                    ch_advisory_db::ThreatKind::Kev => &args.kev_url,
                    ch_advisory_db::ThreatKind::Epss => &args.epss_url,
                    ch_advisory_db::ThreatKind::Vulnrichment => &args.vulnrichment_url,
                };
                let done = syncer.sync_threat(&mut db, kind, url)?;
                note(
                    quiet,
                    &format!("{}: {} bytes from {url}", kind.as_str(), done.n_bytes),
                );
                note(
                    quiet,
                    &threat_line(std::path::Path::new(url), kind, &done.report),
                );
            }
            let progress = |line: &str| note(quiet, line);
            for ecosystem in &ecosystems {
                let done = syncer.sync(&mut db, ecosystem, args.full, &progress)?;
                match (&done.mode, &done.report) {
                    (SyncMode::UpToDate, _) => note(quiet, &format!("{ecosystem}: up to date")),
                    (mode, Some(report)) => {
                        let how = if *mode == SyncMode::Full {
                            "full"
                        } else {
                            "incremental"
                        };
                        note(
                            quiet,
                            &format!("{ecosystem}: {how} sync, {} bytes", done.n_bytes),
                        );
                        report_source(quiet, false, report);
                    }
                    _ => {}
                }
            }
            note(quiet, &format!("database: {}", db.path().display()));
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Stats(args) => {
            let db = open_existing(&path)?;
            let stats = db.stats()?;
            let threat = db.threat_sources()?;
            let text = match args.format {
                Format::Json => json(&stats_out(&stats, &threat))?,
                Format::Table => stats_table(&stats, &threat),
            };
            print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report_source(quiet: bool, verbose: bool, r: &SourceReport) {
    let mut line = format!(
        "{}: {} records: {} new, {} updated, {} unchanged",
        r.source, r.n_read, r.n_new, r.n_updated, r.n_unchanged
    );
    if r.n_older > 0 {
        let _ = write!(line, ", {} older than stored (ignored)", r.n_older);
    }
    if r.n_removed > 0 {
        let _ = write!(line, ", {} removed (no longer in the source)", r.n_removed);
    }
    if r.n_malformed > 0 {
        let _ = write!(line, ", {} malformed (skipped)", r.n_malformed);
    }
    note(quiet, &line);
    let limit = if verbose { usize::MAX } else { 20 };
    for p in r.problems.iter().take(limit) {
        let what = if p.skipped { "skipped" } else { "warning" };
        warn(&format!("{}: {what}: {}", p.location, p.message));
    }
    if r.problems.len() > limit {
        warn(&format!(
            "… and {} more (use --verbose)",
            r.problems.len() - limit
        ));
    }
}

/// `db stats --format json`, schema `docs/schemas/db-stats-v1.schema.json`.
#[derive(Serialize)]
struct StatsOut<'a> {
    schema_version: &'static str,
    database: String,
    advisories: u64,
    withdrawn: u64,
    newest_modified: Option<&'a str>,
    last_imported: Option<&'a str>,
    age_days: Option<i64>,
    ecosystems: Vec<EcosystemOut<'a>>,
    threat: ThreatOut<'a>,
}

#[derive(Serialize)]
struct ThreatOut<'a> {
    kev_catalog_version: Option<&'a str>,
    kev_entries: usize,
    epss_model_version: Option<&'a str>,
    epss_score_date: Option<&'a str>,
    epss_scores: usize,
    vulnrichment_records: usize,
}

#[derive(Serialize)]
struct EcosystemOut<'a> {
    ecosystem: &'a str,
    advisories: u64,
    withdrawn: u64,
    packages: u64,
    releases: &'a [String],
    newest_modified: Option<&'a str>,
    last_imported: Option<&'a str>,
}

/// Whole days since an RFC 3339 time.
fn age_days(stamp: Option<&str>) -> Option<i64> {
    let t = OffsetDateTime::parse(stamp?, &Rfc3339).ok()?;
    Some((OffsetDateTime::now_utc() - t).whole_days())
}

fn stats_out<'a>(s: &'a Stats, t: &'a ch_advisory_db::ThreatSources) -> StatsOut<'a> {
    StatsOut {
        schema_version: "1",
        database: s.path.display().to_string(),
        advisories: s.n_advisories,
        withdrawn: s.n_withdrawn,
        newest_modified: s.newest_modified.as_deref(),
        last_imported: s.last_imported.as_deref(),
        age_days: age_days(s.newest_modified.as_deref()),
        ecosystems: s
            .ecosystems
            .iter()
            .map(|e| EcosystemOut {
                ecosystem: &e.ecosystem,
                advisories: e.n_advisories,
                withdrawn: e.n_withdrawn,
                packages: e.n_packages,
                releases: &e.releases,
                newest_modified: e.newest_modified.as_deref(),
                last_imported: e.last_imported.as_deref(),
            })
            .collect(),
        threat: ThreatOut {
            kev_catalog_version: t.kev_catalog_version.as_deref(),
            kev_entries: t.kev_entries,
            epss_model_version: t.epss_model_version.as_deref(),
            epss_score_date: t.epss_score_date.as_deref(),
            epss_scores: t.epss_scores,
            vulnrichment_records: t.enrichments,
        },
    }
}

fn stats_table(s: &Stats, t: &ch_advisory_db::ThreatSources) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "database: {}", s.path.display());
    let _ = writeln!(
        out,
        "advisories: {} ({} withdrawn)",
        s.n_advisories, s.n_withdrawn
    );
    let _ = writeln!(
        out,
        "KEV: {} entries{}; EPSS: {} scores{}; Vulnrichment: {} records",
        t.kev_entries,
        t.kev_catalog_version
            .as_deref()
            .map_or(String::new(), |v| format!(" (catalog {v})")),
        t.epss_scores,
        t.epss_score_date
            .as_deref()
            .or(t.epss_model_version.as_deref())
            .map_or(String::new(), |v| format!(" ({v})")),
        t.enrichments
    );
    if let Some(m) = &s.newest_modified {
        let age = age_days(Some(m)).map_or(String::new(), |d| format!(" ({d} days ago)"));
        let _ = writeln!(out, "newest change: {m}{age}");
    }
    if let Some(i) = &s.last_imported {
        let _ = writeln!(out, "last import: {i}");
    }
    let _ = writeln!(out);
    let width = s
        .ecosystems
        .iter()
        .map(|e| e.ecosystem.len())
        .max()
        .unwrap_or(9)
        .max(9);
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>9}  {:>8}  {:<13}  releases",
        "ecosystem", "advisories", "withdrawn", "packages", "newest change"
    );
    for e in &s.ecosystems {
        let newest = e.newest_modified.as_deref().unwrap_or("-");
        let newest = newest.get(..10).unwrap_or(newest);
        let releases = if e.releases.len() > 6 {
            format!(
                "{} … {} ({})",
                e.releases[0],
                e.releases[e.releases.len() - 1],
                e.releases.len()
            )
        } else {
            e.releases.join(", ")
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:>10}  {:>9}  {:>8}  {:<13}  {}",
            e.ecosystem, e.n_advisories, e.n_withdrawn, e.n_packages, newest, releases
        );
    }
    out
}

/// `KEV`, `EPSS` or `Vulnrichment` (any case) as a sync target.
fn threat_kind(name: &str) -> Option<ch_advisory_db::ThreatKind> {
    match name.to_ascii_lowercase().as_str() {
        "kev" => Some(ch_advisory_db::ThreatKind::Kev),
        "epss" => Some(ch_advisory_db::ThreatKind::Epss),
        "vulnrichment" => Some(ch_advisory_db::ThreatKind::Vulnrichment),
        _ => None,
    }
}

/// `kev.json: KEV catalog: 1404 entries (3 newly listed, 1 removed, 2 changed)`.
fn threat_line(
    source: &std::path::Path,
    kind: ch_advisory_db::ThreatKind,
    report: &ch_advisory_db::ThreatReport,
) -> String {
    let mut line = format!(
        "{}: {}: {} held",
        source.display(),
        kind.as_str(),
        report.n_entries
    );
    match kind {
        ch_advisory_db::ThreatKind::Kev => {
            let _ = write!(
                line,
                " ({} newly listed, {} removed, {} with changed dates)",
                report.added.len(),
                report.removed.len(),
                report.n_changed
            );
        }
        ch_advisory_db::ThreatKind::Epss => {
            let _ = write!(line, " (replacing {})", report.n_changed);
        }
        ch_advisory_db::ThreatKind::Vulnrichment => {
            let _ = write!(
                line,
                " ({} new, {} updated)",
                report.added.len(),
                report.n_changed
            );
        }
    }
    line
}
