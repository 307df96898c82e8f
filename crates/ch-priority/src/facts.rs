//! What is known about a vulnerability, and where each fact came from.

use std::sync::Arc;

use ch_cvss::Severity;
use time::Date;

/// A value with its source ("KEV catalog", "Vulnrichment (CISA ADP)", "EPSS ≥ 0.5",
/// "system description", …) and, where known, since when it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact<T> {
    pub value: T,
    pub source: Arc<str>,
    pub since: Option<Date>,
}

impl<T> Fact<T> {
    pub fn new(value: T, source: impl Into<Arc<str>>, since: Option<Date>) -> Self {
        Fact {
            value,
            source: source.into(),
            since,
        }
    }
}

/// SSVC Exploitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exploitation {
    None,
    PublicPoc,
    Active,
}

impl Exploitation {
    pub fn as_str(self) -> &'static str {
        match self {
            Exploitation::None => "none",
            Exploitation::PublicPoc => "public_poc",
            Exploitation::Active => "active",
        }
    }
}

/// SSVC Technical Impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TechnicalImpact {
    Partial,
    Total,
}

impl TechnicalImpact {
    pub fn as_str(self) -> &'static str {
        match self {
            TechnicalImpact::Partial => "partial",
            TechnicalImpact::Total => "total",
        }
    }
}

/// A KEV catalog entry, dates as the catalog gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevEntry {
    pub cve: Arc<str>,
    pub date_added: Date,
    /// May precede `date_added` (entries inherited from emergency directives).
    pub due_date: Date,
    pub known_ransomware_use: bool,
}

/// An EPSS score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epss {
    pub score: f64,
    pub percentile: f64,
}

/// Everything known about one vulnerability.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VulnerabilityFacts {
    pub id: String,
    /// Its CVE ids (the id itself, or aliases).
    pub cves: Vec<String>,
    pub kev: Option<KevEntry>,
    /// Vulnrichment's SSVC values (CISA ADP), when a record has them.
    pub exploitation: Option<Fact<Exploitation>>,
    pub automatable: Option<Fact<bool>>,
    pub technical_impact: Option<Fact<TechnicalImpact>>,
    pub epss: Option<Fact<Epss>>,
    /// The rating of its highest CVSS score.
    pub severity: Option<Fact<Severity>>,
}

/// User-set EPSS thresholds that raise SSVC Exploitation (never lower it).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EpssThresholds {
    /// From this probability, Exploitation is at least Public PoC.
    pub public_poc: Option<f64>,
    /// From this probability, Exploitation is Active.
    pub active: Option<f64>,
}
