//! CVSS vectors: strict parsing and scoring, exact to FIRST's specifications.
//!
//! * [`v2`]: CVSS v2.0 base, temporal and environmental scores, vectors as NVD writes
//!   them (no prefix, optionally in parentheses), computed in exact decimal arithmetic.
//! * [`v3`]: CVSS v3.0 and v3.1 base, temporal and environmental scores; v3.1 with the
//!   specification's `Roundup`, v3.0 with its exact round-up to one decimal.
//! * [`v4`]: CVSS v4.0 as FIRST's reference calculator scores it (MacroVector lookup and
//!   interpolation), with its nomenclature (CVSS-B, -BT, -BE, -BTE); supplemental
//!   metrics are kept and never change the score.
//!
//! Parsing is strict: a duplicate, missing or unknown metric, an unknown value or a
//! wrong prefix is an [`Error`] that names the metric. Metrics may come in any order.
//!
//! ```
//! let cvss = ch_cvss::Cvss::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
//! assert_eq!(cvss.base_score().to_string(), "9.8");
//! assert_eq!(cvss.severity(), ch_cvss::Severity::Critical);
//! ```

mod parse;
pub mod v2;
pub mod v3;
pub mod v4;

use std::fmt;

/// Why a vector was refused. Every variant names the metric (or component) at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("empty CVSS vector")]
    Empty,
    #[error(
        "unknown CVSS prefix `{0}`: expected `CVSS:3.0/`, `CVSS:3.1/` or `CVSS:4.0/`, \
         or a CVSS v2 vector with no prefix"
    )]
    Prefix(String),
    #[error("malformed CVSS {version} component `{component}`: expected METRIC:VALUE")]
    Malformed {
        version: &'static str,
        component: String,
    },
    #[error("CVSS {version} has no metric `{metric}`")]
    UnknownMetric {
        version: &'static str,
        metric: String,
    },
    #[error("CVSS {version} metric `{metric}` is given twice")]
    Duplicate {
        version: &'static str,
        metric: &'static str,
    },
    #[error(
        "CVSS {version} metric `{metric}` has no value `{value}` (expected one of {expected})"
    )]
    Value {
        version: &'static str,
        metric: &'static str,
        value: String,
        expected: String,
    },
    #[error("CVSS {version} vector lacks the mandatory metric `{metric}`")]
    Missing {
        version: &'static str,
        metric: &'static str,
    },
}

/// A score from 0.0 to 10.0, held in tenths so that it prints and compares exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Score(u8);

impl Score {
    /// The score from a count of tenths (clamped to 0–100).
    pub const fn from_tenths(tenths: u8) -> Self {
        Score(if tenths > 100 { 100 } else { tenths })
    }

    pub const fn tenths(self) -> u8 {
        self.0
    }

    pub fn value(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

impl serde::Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.value())
    }
}

/// The qualitative rating of a score. CVSS v3 and v4 use all five; v2 (as NVD rates
/// it) has only Low (0.0–3.9), Medium and High (7.0–10.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The CVSS v3.x / v4.0 rating of a score.
    pub fn of(score: Score) -> Severity {
        match score.0 {
            0 => Severity::None,
            1..=39 => Severity::Low,
            40..=69 => Severity::Medium,
            70..=89 => Severity::High,
            _ => Severity::Critical,
        }
    }

    /// The NVD rating of a CVSS v2 score.
    pub fn of_v2(score: Score) -> Severity {
        match score.0 {
            0..=39 => Severity::Low,
            40..=69 => Severity::Medium,
            _ => Severity::High,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "NONE",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Ok(Severity::None),
            "low" => Ok(Severity::Low),
            "medium" | "moderate" => Ok(Severity::Medium),
            "high" | "important" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(format!(
                "unknown severity `{s}`: expected none, low, medium, high or critical"
            )),
        }
    }
}

/// The CVSS version of a vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    V2,
    V3_0,
    V3_1,
    V4_0,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2 => "2.0",
            Version::V3_0 => "3.0",
            Version::V3_1 => "3.1",
            Version::V4_0 => "4.0",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed vector of any version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cvss {
    V2(v2::Vector),
    V3(v3::Vector),
    V4(v4::Vector),
}

impl Cvss {
    /// Parses a vector, telling the version from its prefix: `CVSS:3.0/`, `CVSS:3.1/`,
    /// `CVSS:4.0/`, or none (optionally in parentheses) for v2.
    pub fn parse(vector: &str) -> Result<Cvss, Error> {
        if vector.is_empty() {
            return Err(Error::Empty);
        }
        if let Some(rest) = vector.strip_prefix("CVSS:") {
            let prefix = rest.split('/').next().unwrap_or(rest);
            return match prefix {
                "3.0" | "3.1" => v3::Vector::parse(vector).map(Cvss::V3),
                "4.0" => v4::Vector::parse(vector).map(Cvss::V4),
                _ => Err(Error::Prefix(format!("CVSS:{prefix}"))),
            };
        }
        v2::Vector::parse(vector).map(Cvss::V2)
    }

    pub fn version(&self) -> Version {
        match self {
            Cvss::V2(_) => Version::V2,
            Cvss::V3(v) => v.version(),
            Cvss::V4(_) => Version::V4_0,
        }
    }

    /// The base score (for v4.0, the CVSS-B score of the base metrics alone).
    pub fn base_score(&self) -> Score {
        match self {
            Cvss::V2(v) => v.scores().base,
            Cvss::V3(v) => v.scores().base,
            Cvss::V4(v) => v.base_score(),
        }
    }

    /// The score a reader should act on: for v4.0 the score of every metric group the
    /// vector gives (CVSS-B/BT/BE/BTE); for v2 and v3 the base score.
    pub fn score(&self) -> Score {
        match self {
            Cvss::V4(v) => v.score(),
            _ => self.base_score(),
        }
    }

    /// The rating of [`Cvss::score`].
    pub fn severity(&self) -> Severity {
        match self {
            Cvss::V2(_) => Severity::of_v2(self.score()),
            _ => Severity::of(self.score()),
        }
    }
}

impl std::str::FromStr for Cvss {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cvss::parse(s)
    }
}

impl fmt::Display for Cvss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cvss::V2(v) => v.fmt(f),
            Cvss::V3(v) => v.fmt(f),
            Cvss::V4(v) => v.fmt(f),
        }
    }
}

/// Everything a vector's scores say, in the shape `clearinghouse cvss` prints it
/// (docs/schemas/cvss-v1.schema.json): the fields a version does not have are absent.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    pub version: &'static str,
    /// The vector in canonical form: the specification's metric order.
    pub vector: String,
    pub base_score: Score,
    /// The rating of `score` for v4.0, of `base_score` otherwise.
    pub severity: Severity,
    /// v2/v3, when the vector gives a temporal metric (other than `ND`/`X`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporal_score: Option<Score>,
    /// v2/v3, when the vector gives an environmental metric (other than `ND`/`X`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environmental_score: Option<Score>,
    /// v4.0: the score of every metric group given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    /// v4.0: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nomenclature: Option<v4::Nomenclature>,
    /// v4.0: the supplemental metrics given (other than `X`), which never change a score.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub supplemental: std::collections::BTreeMap<&'static str, &'static str>,
}

impl Cvss {
    /// The vector's scores, as [`Summary`].
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            version: self.version().as_str(),
            vector: self.to_string(),
            base_score: self.base_score(),
            severity: self.severity(),
            temporal_score: None,
            environmental_score: None,
            score: None,
            nomenclature: None,
            supplemental: Default::default(),
        };
        match self {
            Cvss::V2(v) => {
                let s = v.scores();
                summary.temporal_score = s.temporal;
                summary.environmental_score = s.environmental;
            }
            Cvss::V3(v) => {
                let s = v.scores();
                summary.temporal_score = v.has_temporal().then_some(s.temporal);
                summary.environmental_score = v.has_environmental().then_some(s.environmental);
            }
            Cvss::V4(v) => {
                summary.score = Some(v.score());
                summary.nomenclature = Some(v.nomenclature());
                summary.supplemental = v.supplemental().collect();
            }
        }
        summary
    }
}
