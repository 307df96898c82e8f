//! Threat data formats, bytes in, records out (no IO):
//!
//! * [`kev`]: CISA's Known Exploited Vulnerabilities catalog (JSON), dates as given
//!   (some entries are due before they were added).
//! * [`epss`]: FIRST EPSS scores (CSV, gzipped or not, with or without the
//!   `#model_version` line).
//! * [`vulnrichment`]: CISA's Vulnrichment CVE JSON 5 records: the SSVC values
//!   (Exploitation, Automatable, Technical Impact) and CVSS vectors of the CISA ADP
//!   container.
//!
//! Every error names the file, and the line or field, and what was expected.

pub mod epss;
pub mod kev;
pub mod vulnrichment;

/// Threat data that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ThreatError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl ThreatError {
    pub(crate) fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        ThreatError {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// A `YYYY-MM-DD` date (or the date part of an RFC 3339 timestamp).
pub(crate) fn date(text: &str) -> Option<time::Date> {
    let day = text.get(..10)?;
    time::Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Whether `id` looks like a CVE id (`CVE-YYYY-NNNN…`).
pub fn is_cve(id: &str) -> bool {
    let mut parts = id.splitn(3, '-');
    parts.next() == Some("CVE")
        && parts
            .next()
            .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}
