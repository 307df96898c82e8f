//! Decision tables as data: decision points with ordered values, one outcome, and one
//! row per combination of values (checked: no overlap, no gap).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{line_of, PolicyError};

/// A decision point or an outcome: a key and its values, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub key: String,
    #[serde(default)]
    pub name: Option<String>,
    pub values: Vec<String>,
}

/// One row: the value index of each decision point, and the outcome's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Position among the file's rows, from 0 (CERT/CC numbers rows the same way).
    pub number: usize,
    /// The row's line in its file.
    pub line: usize,
    pub values: Vec<usize>,
    pub outcome: usize,
}

/// A checked decision table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionTable {
    pub points: Vec<Point>,
    pub outcome: Point,
    pub rows: Vec<Row>,
    /// Row index by the mixed-radix number of a combination.
    index: Vec<usize>,
}

pub(crate) type RawRow = toml::Spanned<BTreeMap<String, String>>;

impl DecisionTable {
    /// Checks `rows` against the points: every key known, every value allowed, every
    /// combination covered exactly once.
    pub(crate) fn build(
        file: &str,
        text: &str,
        points: Vec<Point>,
        outcome: Point,
        rows: Vec<RawRow>,
    ) -> Result<DecisionTable, PolicyError> {
        let err = |line: Option<usize>, m: String| PolicyError::new(file, line, m);
        if points.is_empty() {
            return Err(err(None, "a decision table needs `decision_points`".into()));
        }
        for p in points.iter().chain([&outcome]) {
            if p.values.is_empty() {
                return Err(err(None, format!("`{}` has no values", p.key)));
            }
            for (i, v) in p.values.iter().enumerate() {
                if p.values[..i].contains(v) {
                    return Err(err(
                        None,
                        format!("`{}` lists the value `{v}` twice", p.key),
                    ));
                }
            }
        }
        let size: usize = points.iter().map(|p| p.values.len()).product();
        let mut index = vec![usize::MAX; size];
        let mut out = Vec::with_capacity(rows.len());
        for (number, raw) in rows.into_iter().enumerate() {
            let line = line_of(text, raw.span().start);
            let map = raw.into_inner();
            for key in map.keys() {
                if key != &outcome.key && !points.iter().any(|p| &p.key == key) {
                    return Err(err(
                        Some(line),
                        format!(
                            "unknown key `{key}` in a row (expected the decision points and `{}`)",
                            outcome.key
                        ),
                    ));
                }
            }
            let value_of = |p: &Point| -> Result<usize, PolicyError> {
                let v = map
                    .get(&p.key)
                    .ok_or_else(|| err(Some(line), format!("the row lacks `{}`", p.key)))?;
                p.values.iter().position(|x| x == v).ok_or_else(|| {
                    err(
                        Some(line),
                        format!(
                            "`{}` has no value `{v}` (expected one of {})",
                            p.key,
                            p.values.join(", ")
                        ),
                    )
                })
            };
            let values = points.iter().map(value_of).collect::<Result<Vec<_>, _>>()?;
            let outcome_index = value_of(&outcome)?;
            let slot = combination(&points, &values);
            if index[slot] != usize::MAX {
                let other: &Row = &out[index[slot]];
                return Err(err(
                    Some(line),
                    format!(
                        "the row repeats the combination of line {} ({})",
                        other.line,
                        describe(&points, &values)
                    ),
                ));
            }
            index[slot] = out.len();
            out.push(Row {
                number,
                line,
                values,
                outcome: outcome_index,
            });
        }
        if let Some(gap) = index.iter().position(|&i| i == usize::MAX) {
            let values = decompose(&points, gap);
            return Err(err(
                None,
                format!("no row covers {}", describe(&points, &values)),
            ));
        }
        Ok(DecisionTable {
            points,
            outcome,
            rows: out,
            index,
        })
    }

    /// The row for one value index per decision point.
    pub fn row(&self, values: &[usize]) -> &Row {
        &self.rows[self.index[combination(&self.points, values)]]
    }

    /// The row for `(point, value)` inputs given by name.
    pub fn decide(&self, inputs: &[(&str, &str)]) -> Result<&Row, String> {
        let mut values = Vec::with_capacity(self.points.len());
        for p in &self.points {
            let (_, v) = inputs
                .iter()
                .find(|(k, _)| *k == p.key)
                .ok_or_else(|| format!("no value for `{}`", p.key))?;
            values.push(
                p.values
                    .iter()
                    .position(|x| x == v)
                    .ok_or_else(|| format!("`{}` has no value `{v}`", p.key))?,
            );
        }
        Ok(self.row(&values))
    }

    pub fn point(&self, key: &str) -> Option<usize> {
        self.points.iter().position(|p| p.key == key)
    }

    pub fn outcome_value(&self, row: &Row) -> &str {
        &self.outcome.values[row.outcome]
    }
}

fn combination(points: &[Point], values: &[usize]) -> usize {
    points
        .iter()
        .zip(values)
        .fold(0, |acc, (p, &v)| acc * p.values.len() + v)
}

fn decompose(points: &[Point], mut n: usize) -> Vec<usize> {
    let mut out = vec![0; points.len()];
    for (i, p) in points.iter().enumerate().rev() {
        out[i] = n % p.values.len();
        n /= p.values.len();
    }
    out
}

fn describe(points: &[Point], values: &[usize]) -> String {
    points
        .iter()
        .zip(values)
        .map(|(p, &v)| format!("{} = {}", p.key, p.values[v]))
        .collect::<Vec<_>>()
        .join(", ")
}
