//! `clearinghouse advisory show`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::open_existing;
use crate::cli::{AdvisoryCommand, Format};
use crate::output::{hinted, json, print};
use crate::settings;

pub(crate) fn run(db: Option<PathBuf>, cmd: AdvisoryCommand) -> Result<ExitCode> {
    let AdvisoryCommand::Show(args) = cmd;
    let db = open_existing(&settings::db_path(db)?)?;
    let found = db.advisory(&args.id)?;
    if found.is_empty() {
        return Err(hinted(
            format!(
                "no advisory `{}` (as id or alias) in `{}`",
                args.id.trim(),
                db.path().display()
            ),
            "ids are case-sensitive; `clearinghouse db stats` shows what the database holds",
        ));
    }
    let text = match args.format {
        Format::Json => {
            // The records exactly as imported, as one JSON array.
            let values: Vec<serde_json::Value> = found
                .iter()
                .map(|s| serde_json::from_slice(&s.raw))
                .collect::<Result<_, _>>()?;
            json(&values)?
        }
        Format::Table => {
            let mut out = String::new();
            for (i, stored) in found.iter().enumerate() {
                let a = &stored.advisory;
                if i > 0 {
                    let _ = writeln!(out);
                }
                let _ = writeln!(out, "{}", a.id);
                if let Some(w) = &a.withdrawn {
                    let _ = writeln!(out, "  WITHDRAWN {w}: this advisory no longer applies");
                }
                if !a.aliases().is_empty() {
                    let _ = writeln!(out, "  aliases:   {}", a.aliases().join(", "));
                }
                if let Some(s) = &a.summary {
                    let _ = writeln!(out, "  summary:   {}", s.trim());
                }
                if let Some(p) = &a.published {
                    let _ = writeln!(out, "  published: {p}");
                }
                let _ = writeln!(out, "  modified:  {}", a.modified);
                for s in a.severity() {
                    let _ = writeln!(out, "  severity:  {} {}", s.kind, s.score);
                }
                for affected in a.affected() {
                    let Some(p) = &affected.package else { continue };
                    let mut ranges = Vec::new();
                    for r in affected.ranges() {
                        let events: Vec<String> = r
                            .events()
                            .iter()
                            .map(|e| format!("{} {}", e.kind.key(), e.value))
                            .collect();
                        ranges.push(format!("{} [{}]", r.kind.as_str(), events.join(", ")));
                    }
                    let _ = writeln!(out, "  affects:   {} {}", p.ecosystem, p.name);
                    for r in ranges {
                        let _ = writeln!(out, "             {r}");
                    }
                    if !affected.versions().is_empty() {
                        let _ = writeln!(
                            out,
                            "             {} listed versions",
                            affected.versions().len()
                        );
                    }
                }
                for r in a.references() {
                    let _ = writeln!(out, "  ref:       {} {}", r.kind, r.url);
                }
                if let Some(d) = &a.details {
                    let _ = writeln!(out, "\n{}", d.trim());
                }
                let _ = writeln!(
                    out,
                    "  (source: {}, imported {})",
                    stored.source, stored.imported_at
                );
            }
            out
        }
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}
