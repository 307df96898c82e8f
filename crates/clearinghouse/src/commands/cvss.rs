//! `clearinghouse cvss VECTOR…` and `clearinghouse cvss --batch`.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use ch_cvss::Cvss;

use crate::cli::CvssArgs;

pub(crate) fn run(args: CvssArgs) -> Result<ExitCode> {
    if !args.batch {
        // Every vector is checked before anything is printed: a malformed one is an
        // error naming it, and no partial answer is written.
        let mut lines = String::new();
        for (i, vector) in args.vectors.iter().enumerate() {
            let cvss =
                Cvss::parse(vector).with_context(|| format!("vector {} `{vector}`", i + 1))?;
            lines.push_str(&serde_json::to_string(&cvss.summary())?);
            lines.push('\n');
        }
        crate::output::print(&lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut n_bad = 0usize;
    for (index, line) in io::stdin().lock().lines().enumerate() {
        let line = line.context("cannot read standard input")?;
        let vector = line.trim();
        match Cvss::parse(vector) {
            Ok(cvss) => serde_json::to_writer(&mut out, &cvss.summary())?,
            Err(e) => {
                n_bad += 1;
                crate::output::warn(&format!("standard input line {}: {e}", index + 1));
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({ "vector": vector, "error": e.to_string() }),
                )?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if n_bad > 0 {
        drop(out);
        bail!(
            "{} malformed (answered with an \"error\" line each)",
            crate::output::count(n_bad, "vector was", "vectors were")
        );
    }
    Ok(ExitCode::SUCCESS)
}
