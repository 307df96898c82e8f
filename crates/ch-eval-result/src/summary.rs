//! Scores from samples: per task, per category and overall, with intervals.

use std::collections::BTreeMap;

use ch_eval_stats::{cluster_bootstrap, pass_at_k, proportion};

use crate::format::{GroupScore, Header, Sample, Scores, Summary, Usage};

/// Bootstrap resamples for mean-score intervals.
pub const RESAMPLES: usize = 2000;

/// What scoring keeps of a sample: a few numbers, so that a run of any size is
/// summarised in bounded memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub task: String,
    pub item: String,
    pub category: String,
    pub solved: bool,
    pub score: f64,
    pub end: &'static str,
    pub usage: Usage,
    pub cost_usd: Option<f64>,
}

impl Scored {
    pub fn of(s: &Sample) -> Scored {
        Scored {
            task: s.task.clone(),
            item: match &s.question {
                Some(q) => format!("{}/{q}", s.task),
                None => s.task.clone(),
            },
            category: s.category.clone(),
            solved: s.solved,
            score: s.score,
            end: s.end.as_str(),
            usage: s.usage,
            cost_usd: s.cost_usd,
        }
    }
}

/// The bootstrap's seed: the first 8 bytes of the run's seed, so that a result
/// file always yields the same intervals.
pub fn bootstrap_seed(header: &Header) -> u64 {
    u64::from_str_radix(header.run.seed.get(..16).unwrap_or("0"), 16).unwrap_or(0)
}

fn group(samples: &[&Scored], epochs: u32, seed: u64) -> GroupScore {
    let n = samples.len() as u64;
    let solved = samples.iter().filter(|s| s.solved).count() as u64;
    let mut items: BTreeMap<&str, Vec<&Scored>> = BTreeMap::new();
    for s in samples {
        items.entry(s.item.as_str()).or_default().push(s);
    }
    let clusters: Vec<Vec<f64>> = items
        .values()
        .map(|v| v.iter().map(|s| s.score).collect())
        .collect();
    let mut pass = BTreeMap::new();
    let ks: Vec<u64> = if epochs > 1 {
        vec![1, u64::from(epochs)]
    } else {
        vec![]
    };
    for k in ks {
        let values: Vec<f64> = items
            .values()
            .filter_map(|v| {
                pass_at_k(
                    v.len() as u64,
                    v.iter().filter(|s| s.solved).count() as u64,
                    k,
                )
            })
            .collect();
        if !values.is_empty() {
            pass.insert(
                k.to_string(),
                values.iter().sum::<f64>() / values.len() as f64,
            );
        }
    }
    GroupScore {
        samples: n,
        solved,
        items: items.len() as u64,
        success: proportion(solved, n),
        mean_score: cluster_bootstrap(&clusters, RESAMPLES, seed),
        pass_at_k: pass,
    }
}

/// The summary of `samples` (in any order) under `header`.
pub fn summarize(header: &Header, samples: &[Scored], finished: &str) -> Summary {
    let seed = bootstrap_seed(header);
    let epochs = header.run.epochs;
    let all: Vec<&Scored> = samples.iter().collect();
    let mut by_category: BTreeMap<&str, Vec<&Scored>> = BTreeMap::new();
    let mut by_task: BTreeMap<&str, Vec<&Scored>> = BTreeMap::new();
    let mut ended: BTreeMap<String, u64> = BTreeMap::new();
    let mut usage = Usage::default();
    let mut cost: Option<f64> = None;
    for s in samples {
        by_category.entry(s.category.as_str()).or_default().push(s);
        by_task.entry(s.task.as_str()).or_default().push(s);
        *ended.entry(s.end.to_owned()).or_default() += 1;
        usage.input_tokens += s.usage.input_tokens;
        usage.output_tokens += s.usage.output_tokens;
        if let Some(c) = s.cost_usd {
            *cost.get_or_insert(0.0) += c;
        }
    }
    Summary {
        finished: finished.to_owned(),
        samples: samples.len() as u64,
        scores: Scores {
            overall: group(&all, epochs, seed),
            by_category: by_category
                .into_iter()
                .map(|(k, v)| (k.to_owned(), group(&v, epochs, seed)))
                .collect(),
            by_task: by_task
                .into_iter()
                .map(|(k, v)| (k.to_owned(), group(&v, epochs, seed)))
                .collect(),
        },
        ended,
        usage,
        cost_usd: cost,
    }
}
