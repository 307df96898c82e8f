//! CVSS v4.0 (FIRST, "Common Vulnerability Scoring System Version 4.0: Specification
//! Document"), scored as FIRST's reference calculator scores it: the vector's
//! MacroVector (EQ1–EQ6) gives a score from the published lookup table, which is then
//! lowered by the mean, over the EQs that have a lower MacroVector, of the vector's
//! severity distance from the MacroVector's highest vectors, in proportion to the
//! MacroVector's depth. The floating-point operations follow the reference calculator's
//! order, so that results agree to the last bit before rounding.

mod lookup;

use crate::parse::{self, m, mandatory, Metric};
use crate::{Error, Score, Severity};
use std::fmt;

const AV: usize = 0;
const AC: usize = 1;
const AT: usize = 2;
const PR: usize = 3;
const UI: usize = 4;
const VC: usize = 5;
const VI: usize = 6;
const VA: usize = 7;
const SC: usize = 8;
const SI: usize = 9;
const SA: usize = 10;
const E: usize = 11;
const CR: usize = 12;
const IR: usize = 13;
const AR: usize = 14;
const MAV: usize = 15;
const MSA: usize = 25;
const S: usize = 26;
const N_METRICS: usize = 32;

static METRICS: [Metric; N_METRICS] = [
    mandatory("AV", &["N", "A", "L", "P"]),
    mandatory("AC", &["L", "H"]),
    mandatory("AT", &["N", "P"]),
    mandatory("PR", &["N", "L", "H"]),
    mandatory("UI", &["N", "P", "A"]),
    mandatory("VC", &["H", "L", "N"]),
    mandatory("VI", &["H", "L", "N"]),
    mandatory("VA", &["H", "L", "N"]),
    mandatory("SC", &["H", "L", "N"]),
    mandatory("SI", &["H", "L", "N"]),
    mandatory("SA", &["H", "L", "N"]),
    m("E", &["X", "A", "P", "U"]),
    m("CR", &["X", "H", "M", "L"]),
    m("IR", &["X", "H", "M", "L"]),
    m("AR", &["X", "H", "M", "L"]),
    m("MAV", &["X", "N", "A", "L", "P"]),
    m("MAC", &["X", "L", "H"]),
    m("MAT", &["X", "N", "P"]),
    m("MPR", &["X", "N", "L", "H"]),
    m("MUI", &["X", "N", "P", "A"]),
    m("MVC", &["X", "H", "L", "N"]),
    m("MVI", &["X", "H", "L", "N"]),
    m("MVA", &["X", "H", "L", "N"]),
    m("MSC", &["X", "H", "L", "N"]),
    m("MSI", &["X", "S", "H", "L", "N"]),
    m("MSA", &["X", "S", "H", "L", "N"]),
    m("S", &["X", "N", "P"]),
    m("AU", &["X", "N", "Y"]),
    m("R", &["X", "A", "U", "I"]),
    m("V", &["X", "D", "C"]),
    m("RE", &["X", "L", "M", "H"]),
    m("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// Which metric groups a v4.0 score covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Nomenclature {
    #[serde(rename = "CVSS-B")]
    Base,
    #[serde(rename = "CVSS-BT")]
    BaseThreat,
    #[serde(rename = "CVSS-BE")]
    BaseEnvironmental,
    #[serde(rename = "CVSS-BTE")]
    BaseThreatEnvironmental,
}

impl Nomenclature {
    pub fn as_str(self) -> &'static str {
        match self {
            Nomenclature::Base => "CVSS-B",
            Nomenclature::BaseThreat => "CVSS-BT",
            Nomenclature::BaseEnvironmental => "CVSS-BE",
            Nomenclature::BaseThreatEnvironmental => "CVSS-BTE",
        }
    }
}

impl fmt::Display for Nomenclature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed CVSS v4.0 vector, supplemental metrics included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vector {
    values: [u8; N_METRICS],
}

impl Vector {
    /// Parses `CVSS:4.0/…`.
    pub fn parse(vector: &str) -> Result<Vector, Error> {
        let Some(body) = vector.strip_prefix("CVSS:4.0/") else {
            let prefix = vector.split('/').next().unwrap_or(vector);
            return Err(Error::Prefix(prefix.to_owned()));
        };
        parse::metrics("v4.0", body, &METRICS).map(|values| Vector { values })
    }

    /// The score of every metric group the vector gives.
    pub fn score(&self) -> Score {
        score(&Effective::of(&self.values))
    }

    /// The CVSS-B score: the base metrics alone.
    pub fn base_score(&self) -> Score {
        let mut base = self.values;
        base[E..S].fill(0);
        score(&Effective::of(&base))
    }

    /// The rating of [`Vector::score`].
    pub fn severity(&self) -> Severity {
        Severity::of(self.score())
    }

    pub fn nomenclature(&self) -> Nomenclature {
        let threat = self.values[E] > 1;
        let environmental = self.values[CR..=MSA].iter().any(|&v| v > 1);
        match (threat, environmental) {
            (false, false) => Nomenclature::Base,
            (true, false) => Nomenclature::BaseThreat,
            (false, true) => Nomenclature::BaseEnvironmental,
            (true, true) => Nomenclature::BaseThreatEnvironmental,
        }
    }

    /// The supplemental metrics the vector gives (other than `X`), as `(metric, value)`.
    pub fn supplemental(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        (S..N_METRICS).filter_map(|i| {
            let v = self.values[i];
            (v > 1).then(|| (METRICS[i].key, METRICS[i].values[usize::from(v - 1)]))
        })
    }
}

impl fmt::Display for Vector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CVSS:4.0/")?;
        parse::write(f, &METRICS, &self.values)
    }
}

// --- scoring -----------------------------------------------------------------------

/// Severity levels of the reference calculator, by level index.
const LEVEL: [f64; 4] = [0.0, 0.1, 0.2, 0.3];

// Positions in `Effective::levels`, in the reference calculator's order.
const L_AV: usize = 0;
const L_PR: usize = 1;
const L_UI: usize = 2;
const L_AC: usize = 3;
const L_AT: usize = 4;
const L_VC: usize = 5;
const L_VI: usize = 6;
const L_VA: usize = 7;
const L_SC: usize = 8;
const L_SI: usize = 9;
const L_SA: usize = 10;
const L_CR: usize = 11;
const L_IR: usize = 12;
const L_AR: usize = 13;

/// The metric values scoring uses (modified metrics applied, defaults filled in), as
/// level indices: AV N0 A1 L2 P3; PR N0 L1 H2; UI N0 P1 A2; AC L0 H1; AT N0 P1;
/// VC/VI/VA H0 L1 N2; SC/SI/SA S0 H1 L2 N3; CR/IR/AR H0 M1 L2. `e` is A0 P1 U2.
struct Effective {
    levels: [u8; 14],
    e: u8,
}

impl Effective {
    fn of(values: &[u8; N_METRICS]) -> Effective {
        // The base value's index (values[i] − 1), or the modified metric's where given
        // and not X (modified tables list X first, then the base table's values).
        let eff = |base: usize| -> u8 {
            let modified = values[MAV + base];
            if modified > 1 {
                modified - 2
            } else {
                values[base] - 1
            }
        };
        let subsequent = |base: usize| -> u8 {
            // SC/SI/SA: H L N → 1 2 3; MSI/MSA add S → 0.
            let modified = values[MAV + base];
            if modified > 1 {
                if base == SC {
                    modified - 1
                } else {
                    modified - 2
                }
            } else {
                values[base]
            }
        };
        let requirement = |i: usize| -> u8 { values[i].saturating_sub(2) }; // X/absent → H
        Effective {
            levels: [
                eff(AV),
                eff(PR),
                eff(UI),
                eff(AC),
                eff(AT),
                eff(VC),
                eff(VI),
                eff(VA),
                subsequent(SC),
                subsequent(SI),
                subsequent(SA),
                requirement(CR),
                requirement(IR),
                requirement(AR),
            ],
            e: values[E].saturating_sub(2), // X/absent → A
        }
    }
}

/// The MacroVector digits of a vector.
fn macro_vector(x: &Effective) -> [usize; 6] {
    let l = &x.levels;
    let (av_n, pr_n, ui_n) = (l[L_AV] == 0, l[L_PR] == 0, l[L_UI] == 0);
    let eq1 = if av_n && pr_n && ui_n {
        0
    } else if (av_n || pr_n || ui_n) && l[L_AV] != 3 {
        1
    } else {
        2
    };
    let eq2 = if l[L_AC] == 0 && l[L_AT] == 0 { 0 } else { 1 };
    let (vc_h, vi_h, va_h) = (l[L_VC] == 0, l[L_VI] == 0, l[L_VA] == 0);
    let eq3 = if vc_h && vi_h {
        0
    } else if vc_h || vi_h || va_h {
        1
    } else {
        2
    };
    let eq4 = if l[L_SI] == 0 || l[L_SA] == 0 {
        0
    } else if l[L_SC] == 1 || l[L_SI] == 1 || l[L_SA] == 1 {
        1
    } else {
        2
    };
    let eq5 = usize::from(x.e);
    let eq6 = if (l[L_CR] == 0 && vc_h) || (l[L_IR] == 0 && vi_h) || (l[L_AR] == 0 && va_h) {
        0
    } else {
        1
    };
    [eq1, eq2, eq3, eq4, eq5, eq6]
}

const MACRO_LIMITS: [usize; 6] = [3, 2, 3, 3, 3, 2];

const fn macro_index(d: [usize; 6]) -> usize {
    ((((d[0] * 2 + d[1]) * 3 + d[2]) * 3 + d[3]) * 3 + d[4]) * 2 + d[5]
}

/// MacroVector scores by `macro_index`; NaN where the reference table has none.
static SCORES: [f64; 324] = {
    let mut table = [f64::NAN; 324];
    let mut i = 0;
    while i < lookup::MACRO_SCORES.len() {
        let (key, value) = lookup::MACRO_SCORES[i];
        let b = key.as_bytes();
        let mut d = [0usize; 6];
        let mut j = 0;
        while j < 6 {
            d[j] = (b[j] - b'0') as usize;
            j += 1;
        }
        table[macro_index(d)] = value;
        i += 1;
    }
    table
};

/// The score of a MacroVector, NaN where it does not exist.
fn macro_score(d: [usize; 6]) -> f64 {
    if d.iter().zip(MACRO_LIMITS).any(|(&v, limit)| v >= limit) {
        f64::NAN
    } else {
        SCORES[macro_index(d)]
    }
}

fn bump(mut d: [usize; 6], eq: usize) -> [usize; 6] {
    d[eq] += 1;
    d
}

// The highest-severity vectors of each MacroVector part (the reference calculator's
// `max_composed.js`), as level indices, in the calculator's order.
const EQ1_MAX: [&[[u8; 3]]; 3] = [
    &[[0, 0, 0]],                       // AV:N/PR:N/UI:N
    &[[1, 0, 0], [0, 1, 0], [0, 0, 1]], // AV:A/PR:N/UI:N, AV:N/PR:L/UI:N, AV:N/PR:N/UI:P
    &[[3, 0, 0], [1, 1, 1]],            // AV:P/PR:N/UI:N, AV:A/PR:L/UI:P
];
const EQ2_MAX: [&[[u8; 2]]; 2] = [
    &[[0, 0]],         // AC:L/AT:N
    &[[1, 0], [0, 1]], // AC:H/AT:N, AC:L/AT:P
];
/// VC, VI, VA, CR, IR, AR; by EQ3 then EQ6.
const EQ3_EQ6_MAX: [[&[[u8; 6]]; 2]; 3] = [
    [
        &[[0, 0, 0, 0, 0, 0]],                     // VC:H/VI:H/VA:H/CR:H/IR:H/AR:H
        &[[0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1]], // VC:H/VI:H/VA:L/CR:M/IR:M/AR:H, VC:H/VI:H/VA:H/CR:M/IR:M/AR:M
    ],
    [
        &[[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]], // VC:L/VI:H/VA:H/CR:H/IR:H/AR:H, VC:H/VI:L/VA:H/CR:H/IR:H/AR:H
        &[
            [1, 0, 1, 0, 1, 0], // VC:L/VI:H/VA:L/CR:H/IR:M/AR:H
            [1, 0, 0, 0, 1, 1], // VC:L/VI:H/VA:H/CR:H/IR:M/AR:M
            [0, 1, 0, 1, 0, 1], // VC:H/VI:L/VA:H/CR:M/IR:H/AR:M
            [0, 1, 1, 1, 0, 0], // VC:H/VI:L/VA:L/CR:M/IR:H/AR:H
            [1, 1, 0, 0, 0, 1], // VC:L/VI:L/VA:H/CR:H/IR:H/AR:M
        ],
    ],
    [
        &[],                   // EQ3 2 with EQ6 0 does not exist
        &[[1, 1, 1, 0, 0, 0]], // VC:L/VI:L/VA:L/CR:H/IR:H/AR:H
    ],
];
/// SC, SI, SA (S0 H1 L2 N3).
const EQ4_MAX: [[u8; 3]; 3] = [
    [1, 0, 0], // SC:H/SI:S/SA:S
    [1, 1, 1], // SC:H/SI:H/SA:H
    [2, 2, 2], // SC:L/SI:L/SA:L
];

// The depth of each MacroVector part, in severity steps (`max_severity.js`).
const EQ1_DEPTH: [f64; 3] = [1.0, 4.0, 5.0];
const EQ2_DEPTH: [f64; 2] = [1.0, 2.0];
const EQ3_EQ6_DEPTH: [[f64; 2]; 3] = [[7.0, 6.0], [8.0, 8.0], [f64::NAN, 10.0]];
const EQ4_DEPTH: [f64; 3] = [6.0, 5.0, 4.0];

fn distance(selected: u8, max: u8) -> f64 {
    LEVEL[usize::from(selected)] - LEVEL[usize::from(max)]
}

fn score(x: &Effective) -> Score {
    let l = &x.levels;
    // No impact on either system: 0.0.
    if l[L_VC] == 2 && l[L_VI] == 2 && l[L_VA] == 2 && l[L_SC] == 3 && l[L_SI] == 3 && l[L_SA] == 3
    {
        return Score::from_tenths(0);
    }
    let mv = macro_vector(x);
    let [eq1, eq2, eq3, eq4, _eq5, eq6] = mv;
    let value = macro_score(mv);

    let lower_eq1 = macro_score(bump(mv, 0));
    let lower_eq2 = macro_score(bump(mv, 1));
    let lower_eq3eq6 = match (eq3, eq6) {
        // 00 → 01 or 10, whichever scores higher
        (0, 0) => {
            let left = macro_score(bump(mv, 5));
            let right = macro_score(bump(mv, 2));
            if left > right {
                left
            } else {
                right
            }
        }
        (1, 0) => macro_score(bump(mv, 5)),
        (0, 1) | (1, 1) => macro_score(bump(mv, 2)),
        _ => macro_score(bump(bump(mv, 2), 5)),
    };
    let lower_eq4 = macro_score(bump(mv, 3));
    let lower_eq5 = macro_score(bump(mv, 4));

    // The severity distances from the first highest vector the vector does not exceed
    // (or, as the reference calculator does, from the last one when there is none).
    let mut d = [0.0f64; 14];
    'search: for m1 in EQ1_MAX[eq1] {
        for m2 in EQ2_MAX[eq2] {
            for m36 in EQ3_EQ6_MAX[eq3][eq6] {
                let m4 = &EQ4_MAX[eq4];
                d = [
                    distance(l[L_AV], m1[0]),
                    distance(l[L_PR], m1[1]),
                    distance(l[L_UI], m1[2]),
                    distance(l[L_AC], m2[0]),
                    distance(l[L_AT], m2[1]),
                    distance(l[L_VC], m36[0]),
                    distance(l[L_VI], m36[1]),
                    distance(l[L_VA], m36[2]),
                    distance(l[L_SC], m4[0]),
                    distance(l[L_SI], m4[1]),
                    distance(l[L_SA], m4[2]),
                    distance(l[L_CR], m36[3]),
                    distance(l[L_IR], m36[4]),
                    distance(l[L_AR], m36[5]),
                ];
                if d.iter().all(|&v| v >= 0.0) {
                    break 'search;
                }
            }
        }
    }
    let current_eq1 = d[L_AV] + d[L_PR] + d[L_UI];
    let current_eq2 = d[L_AC] + d[L_AT];
    let current_eq3eq6 = d[L_VC] + d[L_VI] + d[L_VA] + d[L_CR] + d[L_IR] + d[L_AR];
    let current_eq4 = d[L_SC] + d[L_SI] + d[L_SA];

    let step = 0.1;
    let parts = [
        (value - lower_eq1, current_eq1, EQ1_DEPTH[eq1] * step),
        (value - lower_eq2, current_eq2, EQ2_DEPTH[eq2] * step),
        (
            value - lower_eq3eq6,
            current_eq3eq6,
            EQ3_EQ6_DEPTH[eq3][eq6] * step,
        ),
        (value - lower_eq4, current_eq4, EQ4_DEPTH[eq4] * step),
    ];
    let mut n_lower = 0u32;
    let mut sum = 0.0f64;
    for (available, current, depth) in parts {
        if available >= 0.0 {
            n_lower += 1;
            sum += available * (current / depth);
        }
    }
    // EQ5 counts as a lower MacroVector but contributes no distance.
    let available_eq5 = value - lower_eq5;
    if available_eq5 >= 0.0 {
        n_lower += 1;
        sum += available_eq5 * 0.0;
    }
    let mean = if n_lower == 0 {
        0.0
    } else {
        sum / f64::from(n_lower)
    };
    let value = (value - mean).clamp(0.0, 10.0);
    // Rounded half up to one decimal, after the reference calculator's 10⁻⁶ nudge
    // against floating-point error (8.6 − 7.15 = 1.4499999999999993 → 1.5).
    let tenths = ((value + 1e-6) * 10.0 + 0.5).floor();
    Score::from_tenths(tenths as u8)
}
