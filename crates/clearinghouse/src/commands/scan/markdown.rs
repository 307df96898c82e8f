//! Markdown for pull-request comments: a heading with the counts and one table row
//! per finding, each vulnerability linked to its advisory.

use std::fmt::Write as _;

use ch_scan::Matched;

use super::{
    advisory_url, fix_text, location_text, n_vulnerabilities, n_vulnerable_packages, open_findings,
    rating_text,
};

pub(super) fn render(matched: &Matched) -> String {
    let mut out = String::new();
    let n = n_vulnerabilities(matched);
    let suppressed = matched.findings.len() - open_findings(matched).count();
    let suppressed_note = match suppressed {
        0 => String::new(),
        1 => "\n1 finding suppressed by an ignore or a VEX statement.\n".to_owned(),
        n => format!("\n{n} findings suppressed by ignores or VEX statements.\n"),
    };
    if n == 0 {
        let _ = writeln!(
            out,
            "### Clearinghouse: no known vulnerabilities in the {} package{} checked",
            matched.n_checked,
            if matched.n_checked == 1 { "" } else { "s" }
        );
        out.push_str(&suppressed_note);
        return out;
    }
    let _ = writeln!(
        out,
        "### Clearinghouse: {n} known {} in {} of {} packages checked\n",
        if n == 1 {
            "vulnerability"
        } else {
            "vulnerabilities"
        },
        n_vulnerable_packages(matched),
        matched.n_checked
    );
    out.push_str(
        "| Vulnerability | Severity | Package | Version | Found in | Fix |\n|---|---|---|---|---|---|\n",
    );
    for f in open_findings(matched) {
        let v = &f.vulnerability;
        let mut id = format!("[{}]({})", cell(&v.id), advisory_url(&v.id));
        if !v.aliases.is_empty() {
            let _ = write!(id, " ({})", cell(&v.aliases.join(", ")));
        }
        let found: Vec<String> = f
            .locations
            .iter()
            .map(|l| {
                format!(
                    "`{}`",
                    location_text(l).replace('`', "'").replace('|', "\\|")
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "| {id} | {} | {} {} | {} | {} | {} |",
            f.rating
                .as_ref()
                .map_or_else(|| "unrated".to_owned(), rating_text),
            cell(&f.ecosystem.to_string()),
            cell(&f.name),
            cell(&f.version),
            found.join(", "),
            cell(&fix_text(f))
        );
    }
    out.push_str(&suppressed_note);
    out
}

/// Text safe inside a table cell: `|` escaped, line breaks as spaces, and the
/// characters that would start markup escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '`' | '*' | '_' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
