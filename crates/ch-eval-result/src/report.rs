//! Reports of verified results: a text table, JSON, and an HTML page or SVG chart of
//! the capability profile; one run, or two compared. Every report carries the banner
//! of the highest marking among the runs, first and last.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use ch_eval_stats::Interval;
use ch_marking::{Level, Marking};
use serde::Serialize;

use crate::format::GroupScore;
use crate::Verified;

/// The marking of a report over `runs`.
pub fn marking(runs: &[&Verified]) -> Marking {
    Marking::join_all(runs.iter().map(|r| &r.header.marking))
}

fn pct(i: &Option<Interval>) -> String {
    match i {
        Some(i) => format!(
            "{:.1}% [{:.1}, {:.1}]",
            100.0 * i.estimate,
            100.0 * i.low,
            100.0 * i.high
        ),
        None => "—".into(),
    }
}

fn score(i: &Option<Interval>) -> String {
    match i {
        Some(i) => format!("{:.2} [{:.2}, {:.2}]", i.estimate, i.low, i.high),
        None => "—".into(),
    }
}

fn columns(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let n = cells.len();
        let mut row = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            row.push_str(c);
            if i + 1 < n {
                row.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        out.push_str(row.trim_end());
        out.push('\n');
    };
    line(head.to_vec(), &mut out);
    for r in rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

fn describe(r: &Verified) -> String {
    let h = &r.header;
    let mut s = format!(
        "{} via {} on suite {} {} ({})\n",
        h.model.model, h.model.provider, h.suite.name, h.suite.version, h.suite.hash
    );
    let _ = writeln!(
        s,
        "{} samples ({} expected), {} epoch{}, seed {}…, signed by {} (verified)",
        r.summary.samples,
        h.expected_samples(),
        h.run.epochs,
        if h.run.epochs == 1 { "" } else { "s" },
        &h.run.seed[..h.run.seed.len().min(16)],
        r.key_id
    );
    let ended: Vec<String> = r
        .summary
        .ended
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = writeln!(
        s,
        "tokens: {} in, {} out{}; ended: {}",
        r.summary.usage.input_tokens,
        r.summary.usage.output_tokens,
        r.summary
            .cost_usd
            .map(|c| format!("; cost ${c:.4}"))
            .unwrap_or_default(),
        ended.join(", ")
    );
    s
}

fn group_row(name: &str, g: &GroupScore) -> Vec<String> {
    vec![
        name.to_owned(),
        g.samples.to_string(),
        g.solved.to_string(),
        pct(&g.success),
        score(&g.mean_score),
        g.pass_at_k
            .iter()
            .map(|(k, v)| format!("pass@{k} {:.2}", v))
            .collect::<Vec<_>>()
            .join(", "),
    ]
}

/// The text report of one run.
pub fn table(r: &Verified) -> String {
    let banner = marking(&[r]).banner();
    let head = [
        "CATEGORY",
        "SAMPLES",
        "SOLVED",
        "SUCCESS % [95% CI]",
        "MEAN SCORE [95% CI]",
        "PASS@K",
    ];
    let mut rows: Vec<Vec<String>> = r
        .summary
        .scores
        .by_category
        .iter()
        .map(|(k, g)| group_row(k, g))
        .collect();
    rows.push(group_row("overall", &r.summary.scores.overall));
    let tasks: Vec<Vec<String>> = r
        .summary
        .scores
        .by_task
        .iter()
        .map(|(k, g)| group_row(k, g))
        .collect();
    let mut task_head = head;
    task_head[0] = "TASK";
    format!(
        "{banner}\n{}\n{}\n{}\nSuccess: Wilson 95% intervals over samples. Mean score: 95% bootstrap intervals over tasks and questions.\n{banner}\n",
        describe(r),
        columns(&head, &rows),
        columns(&task_head, &tasks),
    )
}

/// The text comparison of two runs, category by category.
pub fn compare_table(a: &Verified, b: &Verified) -> String {
    let banner = marking(&[a, b]).banner();
    let cats: BTreeSet<&String> = a
        .summary
        .scores
        .by_category
        .keys()
        .chain(b.summary.scores.by_category.keys())
        .collect();
    // Verdicts rest on the mean-score intervals, bootstrapped over items with epochs
    // resampled within: samples of one item are not independent, so Wilson intervals
    // over samples would be overconfident here.
    let row = |name: &str, ga: Option<&GroupScore>, gb: Option<&GroupScore>| {
        let ma = ga.and_then(|g| g.mean_score);
        let mb = gb.and_then(|g| g.mean_score);
        let (diff, verdict) = match (ma, mb) {
            (Some(x), Some(y)) => (
                format!("{:+.2}", y.estimate - x.estimate),
                if x.high < y.low {
                    "B higher".to_owned()
                } else if y.high < x.low {
                    "A higher".to_owned()
                } else {
                    "intervals overlap".to_owned()
                },
            ),
            _ => ("—".into(), "not in both".into()),
        };
        vec![
            name.to_owned(),
            pct(&ga.and_then(|g| g.success)),
            pct(&gb.and_then(|g| g.success)),
            score(&ma),
            score(&mb),
            diff,
            verdict,
        ]
    };
    let mut rows: Vec<Vec<String>> = cats
        .iter()
        .map(|c| {
            row(
                c,
                a.summary.scores.by_category.get(*c),
                b.summary.scores.by_category.get(*c),
            )
        })
        .collect();
    rows.push(row(
        "overall",
        Some(&a.summary.scores.overall),
        Some(&b.summary.scores.overall),
    ));
    let same_suite = if a.header.suite.hash == b.header.suite.hash {
        "same suite (hashes equal)".to_owned()
    } else {
        "DIFFERENT suite versions: compare with care".to_owned()
    };
    format!(
        "{banner}\nA: {}\nB: {}\n{same_suite}\n\n{}\n\"B higher\" / \"A higher\": the mean-score 95% intervals (bootstrap over tasks and questions) do not overlap.\n{banner}\n",
        describe(a).replace('\n', "\n   ").trim_end(),
        describe(b).replace('\n', "\n   ").trim_end(),
        columns(
            &["CATEGORY", "A SUCCESS %", "B SUCCESS %", "A MEAN SCORE", "B MEAN SCORE", "B − A", ""],
            &rows
        ),
    )
}

#[derive(Serialize)]
struct RunOut<'a> {
    model: &'a crate::ModelRef,
    suite: &'a crate::SuiteRef,
    marking: &'a Marking,
    key_id: &'a str,
    digest: &'a str,
    summary: &'a crate::Summary,
}

/// `eval report --format json` (docs/schemas/eval-report-v1.schema.json).
pub fn json(runs: &[&Verified]) -> serde_json::Value {
    serde_json::json!({
        "schema_version": "1",
        "marking": marking(runs),
        "runs": runs.iter().map(|r| RunOut {
            model: &r.header.model,
            suite: &r.header.suite,
            marking: &r.header.marking,
            key_id: &r.key_id,
            digest: &r.digest,
            summary: &r.summary,
        }).collect::<Vec<_>>(),
    })
}

/// Banner colours of the usual marking conventions.
fn banner_colour(m: &Marking) -> (&'static str, &'static str) {
    match m.level {
        Level::Unclassified => ("#007a33", "#ffffff"),
        Level::Cui => ("#502b85", "#ffffff"),
        Level::Confidential => ("#0033a0", "#ffffff"),
        Level::Secret => ("#c8102e", "#ffffff"),
        Level::TopSecret => ("#ff8c00", "#000000"),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const RUN_COLOURS: [&str; 2] = ["#1f77b4", "#d62728"];

/// The capability profile as an SVG chart: success per category with its 95 %
/// interval, one bar per run, banners at top and bottom.
pub fn svg(runs: &[&Verified]) -> String {
    let m = marking(runs);
    let (bg, fg) = banner_colour(&m);
    let cats: BTreeSet<&String> = runs
        .iter()
        .flat_map(|r| r.summary.scores.by_category.keys())
        .collect();
    let mut names: Vec<&str> = cats.iter().map(|s| s.as_str()).collect();
    names.push("overall");
    let (left, width, bar, gap) = (190.0, 420.0, 14.0, 12.0);
    let group_h = bar * runs.len() as f64 + gap;
    let top = 40.0 + 18.0 * runs.len() as f64;
    let height = top + group_h * names.len() as f64 + 60.0;
    let total_w = left + width + 40.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{height}" viewBox="0 0 {total_w} {height}" font-family="sans-serif" font-size="12" role="img" aria-label="Capability profile">"#
    );
    let banner = esc(&m.banner());
    let _ = write!(
        s,
        r#"<rect x="0" y="0" width="{total_w}" height="20" fill="{bg}"/><text x="{}" y="14" text-anchor="middle" fill="{fg}" font-weight="bold">{banner}</text>"#,
        total_w / 2.0
    );
    for (i, r) in runs.iter().enumerate() {
        let _ = write!(
            s,
            r#"<rect x="10" y="{}" width="10" height="10" fill="{}"/><text x="26" y="{}">{}</text>"#,
            28.0 + 18.0 * i as f64,
            RUN_COLOURS[i % 2],
            37.0 + 18.0 * i as f64,
            esc(&format!(
                "{} ({}), suite {} {}",
                r.header.model.model,
                r.header.model.provider,
                r.header.suite.name,
                r.header.suite.version
            ))
        );
    }
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = left + width * t;
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{top}" x2="{x}" y2="{}" stroke="#ccc"/><text x="{x}" y="{}" text-anchor="middle" fill="#555">{:.0}%</text>"##,
            top + group_h * names.len() as f64,
            top + group_h * names.len() as f64 + 14.0,
            t * 100.0
        );
    }
    for (gi, name) in names.iter().enumerate() {
        let y0 = top + group_h * gi as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 8.0,
            y0 + group_h / 2.0,
            esc(name)
        );
        for (ri, r) in runs.iter().enumerate() {
            let g = if *name == "overall" {
                Some(&r.summary.scores.overall)
            } else {
                r.summary.scores.by_category.get(*name)
            };
            let Some(i) = g.and_then(|g| g.success) else {
                continue;
            };
            let y = y0 + bar * ri as f64;
            let colour = RUN_COLOURS[ri % 2];
            let _ = write!(
                s,
                r##"<rect x="{left}" y="{y}" width="{:.1}" height="{}" fill="{colour}" fill-opacity="0.75"><title>{}: {:.1}% [{:.1}, {:.1}]</title></rect><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#000" stroke-width="1.5"/>"##,
                width * i.estimate,
                bar - 2.0,
                esc(name),
                100.0 * i.estimate,
                100.0 * i.low,
                100.0 * i.high,
                left + width * i.low,
                y + (bar - 2.0) / 2.0,
                left + width * i.high,
                y + (bar - 2.0) / 2.0
            );
        }
    }
    let _ = write!(
        s,
        r##"<text x="{left}" y="{}" fill="#555">Success per category; whiskers: Wilson 95% intervals.</text>"##,
        height - 28.0
    );
    let _ = write!(
        s,
        r#"<rect x="0" y="{}" width="{total_w}" height="20" fill="{bg}"/><text x="{}" y="{}" text-anchor="middle" fill="{fg}" font-weight="bold">{banner}</text></svg>"#,
        height - 20.0,
        total_w / 2.0,
        height - 6.0
    );
    s
}

/// A self-contained HTML page: banners, the runs, the profile chart, the tables.
pub fn html(runs: &[&Verified]) -> String {
    let m = marking(runs);
    let (bg, fg) = banner_colour(&m);
    let banner = esc(&m.banner());
    let text = match runs {
        [a, b] => compare_table(a, b),
        [a] => table(a),
        _ => String::new(),
    };
    // The text tables, without their banner lines (the page has its own).
    let body: Vec<&str> = text.lines().collect();
    let inner = body
        .get(1..body.len().saturating_sub(1))
        .map(|l| l.join("\n"))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{banner} — evaluation report</title>\
<style>body{{font-family:sans-serif;margin:0}}.banner{{background:{bg};color:{fg};text-align:center;font-weight:bold;padding:4px;position:sticky}}\
.banner.top{{top:0}}.banner.bottom{{bottom:0}}main{{padding:16px}}pre{{font-size:13px}}</style></head>\
<body><div class=\"banner top\" id=\"banner-top\">{banner}</div><main><h1>Evaluation report</h1>\
<figure>{}</figure><pre>{}</pre></main><div class=\"banner bottom\" id=\"banner-bottom\">{banner}</div></body></html>\n",
        svg(runs),
        esc(&inner)
    )
}
