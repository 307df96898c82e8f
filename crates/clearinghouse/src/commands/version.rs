//! `clearinghouse version cmp|sort`.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use ch_osv::scheme_for;

use super::parse_ecosystem;
use crate::cli::VersionCommand;

fn symbol(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

pub(crate) fn run(cmd: VersionCommand) -> Result<ExitCode> {
    match cmd {
        VersionCommand::Cmp(args) => {
            let ecosystem = parse_ecosystem(&args.ecosystem)?;
            let scheme = scheme_for(&ecosystem);
            if !args.batch {
                let (Some(a), Some(b)) = (args.a, args.b) else {
                    bail!("two versions are needed, or --batch");
                };
                let ord = scheme.compare(&a, &b)?;
                crate::output::print(&format!("{}\n", symbol(ord)))?;
                return Ok(ExitCode::SUCCESS);
            }
            let stdin = io::stdin().lock();
            let mut out = io::BufWriter::new(io::stdout().lock());
            let mut n_bad = 0usize;
            for (index, line) in stdin.lines().enumerate() {
                let line = line.context("cannot read standard input")?;
                let line = line.strip_suffix('\r').unwrap_or(&line);
                let answer = match line.split_once('\t') {
                    Some((a, b)) => match scheme.compare(a, b) {
                        Ok(o) => symbol(o),
                        Err(e) => {
                            n_bad += 1;
                            crate::output::warn(&format!("line {}: {e}", index + 1));
                            "!"
                        }
                    },
                    None => {
                        n_bad += 1;
                        crate::output::warn(&format!(
                            "line {}: expected two versions separated by a tab",
                            index + 1
                        ));
                        "!"
                    }
                };
                out.write_all(answer.as_bytes())?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(if n_bad == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        VersionCommand::Sort(args) => {
            let ecosystem = parse_ecosystem(&args.ecosystem)?;
            let scheme = scheme_for(&ecosystem);
            let mut items = Vec::new();
            for (index, line) in io::stdin().lock().lines().enumerate() {
                let line = line.context("cannot read standard input")?;
                let text = line.trim();
                if text.is_empty() {
                    continue;
                }
                let parsed = scheme
                    .parse(text)
                    .with_context(|| format!("standard input line {}", index + 1))?;
                items.push((parsed, text.to_owned()));
            }
            // Stable: equal versions keep their input order.
            items.sort_by(|a, b| a.0.cmp(&b.0));
            if args.reverse {
                items.reverse();
            }
            let mut text = String::new();
            for (_, v) in items {
                let _ = writeln!(text, "{v}");
            }
            crate::output::print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
