//! CVSS v3.0 and v3.1 (FIRST, "Common Vulnerability Scoring System v3.1: Specification
//! Document", section 7 and Appendix A; the v3.0 document for v3.0's differences).
//!
//! The equations are evaluated in exact decimal arithmetic on scaled integers; only the
//! scope-changed power term (`(ISS − 0.02)^15`, `(MISS × 0.9731 − 0.02)^13`) is a
//! floating-point value, converted at 10⁻¹⁸. v3.1 rounds with the specification's
//! `Roundup` (Appendix A); v3.0 with its "smallest number, specified to one decimal
//! place, that is equal to or higher than its input", applied to the exact value.

use crate::parse::{self, m, mandatory, Metric};
use crate::{Error, Score, Severity, Version};
use std::fmt;

const AV: usize = 0;
const AC: usize = 1;
const PR: usize = 2;
const UI: usize = 3;
const S: usize = 4;
const C: usize = 5;
const I: usize = 6;
const A: usize = 7;
const E: usize = 8;
const RL: usize = 9;
const RC: usize = 10;
const CR: usize = 11;
const IR: usize = 12;
const AR: usize = 13;
const MAV: usize = 14;
const MAC: usize = 15;
const MPR: usize = 16;
const MUI: usize = 17;
const MS: usize = 18;
const MC: usize = 19;
const MI: usize = 20;
const MA: usize = 21;

const N_METRICS: usize = 22;

static METRICS: [Metric; N_METRICS] = [
    mandatory("AV", &["N", "A", "L", "P"]),
    mandatory("AC", &["L", "H"]),
    mandatory("PR", &["N", "L", "H"]),
    mandatory("UI", &["N", "R"]),
    mandatory("S", &["U", "C"]),
    mandatory("C", &["H", "L", "N"]),
    mandatory("I", &["H", "L", "N"]),
    mandatory("A", &["H", "L", "N"]),
    m("E", &["X", "H", "F", "P", "U"]),
    m("RL", &["X", "U", "W", "T", "O"]),
    m("RC", &["X", "C", "R", "U"]),
    m("CR", &["X", "H", "M", "L"]),
    m("IR", &["X", "H", "M", "L"]),
    m("AR", &["X", "H", "M", "L"]),
    m("MAV", &["X", "N", "A", "L", "P"]),
    m("MAC", &["X", "L", "H"]),
    m("MPR", &["X", "N", "L", "H"]),
    m("MUI", &["X", "N", "R"]),
    m("MS", &["X", "U", "C"]),
    m("MC", &["X", "H", "L", "N"]),
    m("MI", &["X", "H", "L", "N"]),
    m("MA", &["X", "H", "L", "N"]),
];

// Weights ×1e2, indexed by the value's position in METRICS (0 = not given).
const W_AV: [i64; 5] = [0, 85, 62, 55, 20];
const W_AC: [i64; 3] = [0, 77, 44];
const W_PR_UNCHANGED: [i64; 4] = [0, 85, 62, 27];
const W_PR_CHANGED: [i64; 4] = [0, 85, 68, 50];
const W_UI: [i64; 3] = [0, 85, 62];
const W_CIA: [i64; 4] = [0, 56, 22, 0];
const W_E: [u64; 6] = [100, 100, 100, 97, 94, 91];
const W_RL: [u64; 6] = [100, 100, 100, 97, 96, 95];
const W_RC: [u64; 5] = [100, 100, 100, 96, 92];
/// Security requirements, ×1e1: X 1, H 1.5, M 1, L 0.5.
const W_REQ: [i64; 5] = [10, 10, 15, 10, 5];

/// A parsed CVSS v3.0 or v3.1 vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vector {
    minor: u8,
    values: [u8; N_METRICS],
}

/// The scores of a v3 vector. `temporal` and `environmental` are always computed (they
/// equal the base score when the vector gives no such metrics); [`Vector::has_temporal`]
/// and [`Vector::has_environmental`] say whether the vector gives any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scores {
    pub base: Score,
    pub temporal: Score,
    pub environmental: Score,
}

impl Vector {
    /// Parses `CVSS:3.0/…` or `CVSS:3.1/…`.
    pub fn parse(vector: &str) -> Result<Vector, Error> {
        let (minor, version, body) = if let Some(body) = vector.strip_prefix("CVSS:3.1/") {
            (1, "v3.1", body)
        } else if let Some(body) = vector.strip_prefix("CVSS:3.0/") {
            (0, "v3.0", body)
        } else {
            let prefix = vector.split('/').next().unwrap_or(vector);
            return Err(Error::Prefix(prefix.to_owned()));
        };
        parse::metrics(version, body, &METRICS).map(|values| Vector { minor, values })
    }

    pub fn version(&self) -> Version {
        if self.minor == 0 {
            Version::V3_0
        } else {
            Version::V3_1
        }
    }

    fn v(&self, metric: usize) -> usize {
        usize::from(self.values[metric])
    }

    /// Whether the vector gives a temporal metric other than `X`.
    pub fn has_temporal(&self) -> bool {
        (E..=RC).any(|i| self.values[i] > 1)
    }

    /// Whether the vector gives an environmental metric other than `X`.
    pub fn has_environmental(&self) -> bool {
        (CR..=MA).any(|i| self.values[i] > 1)
    }

    /// The value of modified metric `modified`, or of its base metric where it is `X`
    /// or not given (modified tables list `X` first, then the base table's values).
    fn effective(&self, modified: usize, base: usize) -> usize {
        match self.v(modified) {
            0 | 1 => self.v(base),
            v => v - 1,
        }
    }

    /// Rounds `value / 10^digits` up to tenths, as this version specifies.
    #[inline(always)]
    fn round_up(&self, value: u64, unit_digits: u32) -> u64 {
        if self.minor == 0 {
            round_up_exact(value, unit_digits)
        } else {
            roundup_31(value, unit_digits)
        }
    }

    pub fn scores(&self) -> Scores {
        let changed = self.v(S) == 2;
        let (c, i, a) = (W_CIA[self.v(C)], W_CIA[self.v(I)], W_CIA[self.v(A)]);
        // ISS = 1 − (1−C)(1−I)(1−A), ×1e6
        let iss = 1_000_000 - (100 - c) * (100 - i) * (100 - a);
        let impact = if changed {
            // 7.52 × (ISS − 0.029) − 3.25 × (ISS − 0.02)^15, ×1e16
            let power = (iss - 20_000) as f64 / 1e6;
            752 * (iss - 29_000) * 100_000_000 - to_e16(3.25 * power.powi(15))
        } else {
            642 * iss * 100_000_000
        };
        let pr = if changed {
            W_PR_CHANGED[self.v(PR)]
        } else {
            W_PR_UNCHANGED[self.v(PR)]
        };
        // 8.22 × AV × AC × PR × UI, ×1e16
        let exploitability =
            822 * W_AV[self.v(AV)] * W_AC[self.v(AC)] * pr * W_UI[self.v(UI)] * 1_000_000;
        let base = self.combine(impact, exploitability, changed);

        let factor = W_E[self.v(E)] * W_RL[self.v(RL)] * W_RC[self.v(RC)]; // ×1e6
        let temporal = self.round_up(base * factor, 7);

        // Without environmental metrics and with scope unchanged, the environmental
        // equations reduce to the base ones (ISS never exceeds 0.915). With scope changed
        // they do not (v3.1 changed the modified impact), so they are evaluated.
        let environmental = if self.has_environmental() || changed {
            self.environmental(factor)
        } else {
            temporal
        };
        Scores {
            base: score(base),
            temporal: score(temporal),
            environmental: score(environmental),
        }
    }

    /// Base (or modified base) score in tenths from impact and exploitability (×1e16).
    #[inline(always)]
    fn combine(&self, impact: i64, exploitability: i64, changed: bool) -> u64 {
        if impact <= 0 {
            return 0;
        }
        // Both are positive here, and below 12 × 1e16.
        let sum = (impact + exploitability) as u64;
        if changed {
            // Roundup(min(1.08 × (Impact + Exploitability), 10)), ×1e18
            self.round_up((108 * sum).min(10 * 1_000_000_000_000_000_000), 18)
        } else {
            self.round_up(sum.min(10 * 10_000_000_000_000_000), 16)
        }
    }

    fn environmental(&self, factor: u64) -> u64 {
        let mc = W_CIA[self.effective(MC, C)];
        let mi = W_CIA[self.effective(MI, I)];
        let ma = W_CIA[self.effective(MA, A)];
        let (cr, ir, ar) = (W_REQ[self.v(CR)], W_REQ[self.v(IR)], W_REQ[self.v(AR)]);
        // MISS = min(1 − (1−MC·CR)(1−MI·IR)(1−MA·AR), 0.915), ×1e9
        let miss = (1_000_000_000 - (1000 - mc * cr) * (1000 - mi * ir) * (1000 - ma * ar))
            .min(915_000_000);
        let changed = self.effective(MS, S) == 2;
        let impact = if !changed {
            642 * miss * 100_000
        } else if self.minor == 0 {
            // 7.52 × (MISS − 0.029) − 3.25 × (MISS − 0.02)^15
            let power = (miss - 20_000_000) as f64 / 1e9;
            752 * (miss - 29_000_000) * 100_000 - to_e16(3.25 * power.powi(15))
        } else {
            // 7.52 × (MISS − 0.029) − 3.25 × (MISS × 0.9731 − 0.02)^13
            let power = (miss * 9731 - 200_000_000_000) as f64 / 1e13;
            752 * (miss - 29_000_000) * 100_000 - to_e16(3.25 * power.powi(13))
        };
        let pr = if changed {
            W_PR_CHANGED[self.effective(MPR, PR)]
        } else {
            W_PR_UNCHANGED[self.effective(MPR, PR)]
        };
        let exploitability = 822
            * W_AV[self.effective(MAV, AV)]
            * W_AC[self.effective(MAC, AC)]
            * pr
            * W_UI[self.effective(MUI, UI)]
            * 1_000_000;
        let modified_base = self.combine(impact, exploitability, changed);
        self.round_up(modified_base * factor, 7)
    }

    /// The rating of the base score.
    pub fn severity(&self) -> Severity {
        Severity::of(self.scores().base)
    }
}

fn to_e16(x: f64) -> i64 {
    (x * 1e16).round() as i64
}

/// v3.0's round up of `value / 10^unit_digits` to tenths, exactly: the smallest tenth
/// equal to or higher than the value.
#[inline(always)]
fn round_up_exact(value: u64, unit_digits: u32) -> u64 {
    let unit = 10u64.pow(unit_digits - 1);
    value.div_ceil(unit)
}

/// v3.1's `Roundup` (specification Appendix A) of `value / 10^unit_digits`, in tenths:
/// the value is first rounded to an integer count of 10⁻⁵, which a tenth then bounds.
#[inline(always)]
fn roundup_31(value: u64, unit_digits: u32) -> u64 {
    let unit = 10u64.pow(unit_digits - 5);
    let int_input = (value + unit / 2) / unit;
    int_input.div_ceil(10_000)
}

fn score(tenths: u64) -> Score {
    Score::from_tenths(tenths.min(100) as u8)
}

impl fmt::Display for Vector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CVSS:3.{}/", self.minor)?;
        parse::write(f, &METRICS, &self.values)
    }
}
