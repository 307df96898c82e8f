//! CVSS v2.0 (FIRST, "A Complete Guide to the Common Vulnerability Scoring System
//! Version 2.0", section 3.2), in exact decimal arithmetic.
//!
//! Every weight has at most four decimals, so the equations are evaluated on scaled
//! integers: no floating-point error can move a score across a rounding boundary.

use crate::parse::{self, m, mandatory, Metric};
use crate::{Error, Score, Severity};
use std::fmt;

const VERSION: &str = "v2.0";

const AV: usize = 0;
const AC: usize = 1;
const AU: usize = 2;
const C: usize = 3;
const I: usize = 4;
const A: usize = 5;
const E: usize = 6;
const RL: usize = 7;
const RC: usize = 8;
const CDP: usize = 9;
const TD: usize = 10;
const CR: usize = 11;
const IR: usize = 12;
const AR: usize = 13;

static METRICS: [Metric; 14] = [
    mandatory("AV", &["L", "A", "N"]),
    mandatory("AC", &["H", "M", "L"]),
    mandatory("Au", &["M", "S", "N"]),
    mandatory("C", &["N", "P", "C"]),
    mandatory("I", &["N", "P", "C"]),
    mandatory("A", &["N", "P", "C"]),
    m("E", &["U", "POC", "F", "H", "ND"]),
    m("RL", &["OF", "TF", "W", "U", "ND"]),
    m("RC", &["UC", "UR", "C", "ND"]),
    m("CDP", &["N", "L", "LM", "MH", "H", "ND"]),
    m("TD", &["N", "L", "M", "H", "ND"]),
    m("CR", &["L", "M", "H", "ND"]),
    m("IR", &["L", "M", "H", "ND"]),
    m("AR", &["L", "M", "H", "ND"]),
];

// Weights, scaled to integers. Index 0 is "not given" (ND).
const W_AV: [i128; 4] = [0, 3950, 6460, 10000]; // ×1e4
const W_AC: [i128; 4] = [0, 3500, 6100, 7100]; // ×1e4
const W_AU: [i128; 4] = [0, 4500, 5600, 7040]; // ×1e4
const W_CIA: [i128; 4] = [0, 0, 2750, 6600]; // ×1e4
const W_E: [i128; 6] = [100, 85, 90, 95, 100, 100]; // ×1e2
const W_RL: [i128; 6] = [100, 87, 90, 95, 100, 100]; // ×1e2
const W_RC: [i128; 5] = [100, 90, 95, 100, 100]; // ×1e2
const W_CDP: [i128; 7] = [0, 0, 1, 3, 4, 5, 0]; // ×1e1
const W_TD: [i128; 6] = [100, 0, 25, 75, 100, 100]; // ×1e2
const W_REQ: [i128; 5] = [100, 50, 100, 151, 100]; // ×1e2

/// A parsed CVSS v2.0 vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vector {
    values: [u8; 14],
}

/// The scores of a v2.0 vector. Temporal and environmental scores exist only when the
/// vector gives at least one metric of that group other than `ND`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scores {
    pub base: Score,
    pub temporal: Option<Score>,
    pub environmental: Option<Score>,
}

impl Vector {
    /// Parses a vector as NVD writes it: `AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally in
    /// parentheses, with optional temporal and environmental metrics.
    pub fn parse(vector: &str) -> Result<Vector, Error> {
        let body = vector
            .strip_prefix('(')
            .and_then(|v| v.strip_suffix(')'))
            .unwrap_or(vector);
        if body.is_empty() {
            return Err(Error::Empty);
        }
        parse::metrics(VERSION, body, &METRICS).map(|values| Vector { values })
    }

    fn given(&self, metrics: std::ops::RangeInclusive<usize>) -> bool {
        metrics.into_iter().any(|i| {
            let v = self.values[i];
            v != 0 && METRICS[i].values[usize::from(v - 1)] != "ND"
        })
    }

    fn v(&self, metric: usize) -> usize {
        usize::from(self.values[metric])
    }

    pub fn scores(&self) -> Scores {
        let exploitability = 20 * W_AV[self.v(AV)] * W_AC[self.v(AC)] * W_AU[self.v(AU)]; // ×1e12
        let (c, i, a) = (W_CIA[self.v(C)], W_CIA[self.v(I)], W_CIA[self.v(A)]);

        // Impact = 10.41 × (1 − (1−C)(1−I)(1−A)), ×1e14
        let e4 = 10_000;
        let impact = 1041 * (e4 * e4 * e4 - (e4 - c) * (e4 - i) * (e4 - a));
        // (0.6·Impact + 0.4·Exploitability − 1.5) × f(Impact), ×1e18
        let bracket = 6 * impact + 4 * exploitability * 100 - 15 * 100_000_000_000_000;
        let base = if impact == 0 {
            0
        } else {
            round_tenths(bracket * 1176, 100_000_000_000_000_000)
        };

        let factor = W_E[self.v(E)] * W_RL[self.v(RL)] * W_RC[self.v(RC)]; // ×1e6
        let temporal_of = |base_tenths: i128| round_tenths(base_tenths * factor, 1_000_000);

        let temporal = self.given(E..=RC).then(|| score(temporal_of(base)));
        let environmental = self.given(CDP..=AR).then(|| {
            // AdjustedImpact = min(10, 10.41 × (1 − (1−C·CR)(1−I·IR)(1−A·AR))), ×1e20
            let e6 = 1_000_000;
            let (cr, ir, ar) = (W_REQ[self.v(CR)], W_REQ[self.v(IR)], W_REQ[self.v(AR)]);
            let adjusted = (1041 * (e6 * e6 * e6 - (e6 - c * cr) * (e6 - i * ir) * (e6 - a * ar)))
                .min(10 * 100_000_000_000_000_000_000);
            // AdjustedBase, ×1e24 before rounding
            let adjusted_base = if adjusted == 0 {
                0
            } else {
                let bracket = 6 * adjusted + 4 * exploitability * 100_000_000
                    - 15 * 100_000_000_000_000_000_000;
                round_tenths(bracket * 1176, 100_000_000_000_000_000_000_000)
            };
            let adjusted_temporal = temporal_of(adjusted_base); // tenths
            let cdp = W_CDP[self.v(CDP)];
            let td = W_TD[self.v(TD)];
            // (AT + (10 − AT)·CDP)·TD = (10·at + (100 − at)·cdp)·td / 1e4, in tenths: / 1e3
            score(round_tenths(
                (10 * adjusted_temporal + (100 - adjusted_temporal) * cdp) * td,
                1_000,
            ))
        });
        Scores {
            base: score(base),
            temporal,
            environmental,
        }
    }

    /// The NVD rating of the base score.
    pub fn severity(&self) -> Severity {
        Severity::of_v2(self.scores().base)
    }
}

/// `value / unit` (a count of tenths) rounded half away from zero, as the
/// specification's `round_to_1_decimal`.
fn round_tenths(value: i128, unit: i128) -> i128 {
    let half = unit / 2;
    if value >= 0 {
        (value + half) / unit
    } else {
        -((-value + half) / unit)
    }
}

fn score(tenths: i128) -> Score {
    Score::from_tenths(tenths.clamp(0, 100) as u8)
}

impl fmt::Display for Vector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        parse::write(f, &METRICS, &self.values)
    }
}
