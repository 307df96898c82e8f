//! The severity of a finding: the highest CVSS score its advisories give, or, when
//! none gives a usable CVSS vector, the highest qualitative rating (OSV `Ubuntu`).

use ch_advisory_db::VulnerabilityMatch;
use ch_cvss::{Cvss, Score, Severity};

/// How severe a vulnerability is, and which of its severity entries says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub severity: Severity,
    /// The CVSS score (for v4.0 the score of every group the vector gives); `None`
    /// for a qualitative rating.
    pub score: Option<Score>,
    /// The OSV severity type it came from: `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    pub kind: String,
    /// The vector (or the qualitative label) as the advisory gives it.
    pub vector: String,
    /// Who gives it: `advisory`, or `Vulnrichment for CVE-…` when no advisory rates
    /// the vulnerability and CISA's Vulnrichment record of one of its CVEs does.
    pub source: String,
}

/// What `--fail-on` compares findings with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    /// Open findings rated at or above this reach the threshold; `None`: any rating.
    pub min: Option<Severity>,
    /// Whether findings no advisory rates reach it. They are never assumed harmless
    /// unless the user says so (`--ignore-unrated`).
    pub unrated: bool,
}

impl Threshold {
    /// Every open finding, rated or not.
    pub const ANY: Threshold = Threshold {
        min: None,
        unrated: true,
    };

    /// Whether an open finding with `rating` reaches the threshold.
    pub fn reached_by(self, rating: Option<&Rating>) -> bool {
        match rating {
            None => self.unrated,
            Some(r) => self.min.is_none_or(|min| r.severity >= min),
        }
    }
}

/// The rating of a vulnerability, and a warning for each malformed CVSS vector (which
/// is left out of the rating, never guessed at).
pub fn rate(v: &VulnerabilityMatch) -> (Option<Rating>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut best_cvss: Option<(Score, ch_cvss::Version, Rating)> = None;
    let mut best_label: Option<Rating> = None;
    for (kind, vector) in &v.severity {
        match kind.as_str() {
            "CVSS_V2" | "CVSS_V3" | "CVSS_V4" => match Cvss::parse(vector) {
                Ok(cvss) => keep_highest(&mut best_cvss, &cvss, kind, vector, "advisory"),
                Err(e) => warnings.push(format!(
                    "{}: {kind} vector `{vector}` left out of the rating: {e}",
                    v.id
                )),
            },
            "Ubuntu" => {
                let severity = match vector.to_ascii_lowercase().as_str() {
                    "negligible" | "low" => Some(Severity::Low),
                    "medium" => Some(Severity::Medium),
                    "high" => Some(Severity::High),
                    "critical" => Some(Severity::Critical),
                    _ => None,
                };
                if let Some(severity) = severity {
                    if best_label.as_ref().is_none_or(|b| severity > b.severity) {
                        best_label = Some(Rating {
                            severity,
                            score: None,
                            kind: kind.clone(),
                            vector: vector.clone(),
                            source: "advisory".to_owned(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    (best_cvss.map(|(_, _, r)| r).or(best_label), warnings)
}

/// Keeps in `best` the highest-scoring CVSS rating seen (on a tie, the newer CVSS
/// version): the one rule both advisory and CVE-record ratings follow.
fn keep_highest(
    best: &mut Option<(Score, ch_cvss::Version, Rating)>,
    cvss: &Cvss,
    kind: &str,
    vector: &str,
    source: &str,
) {
    let (score, version) = (cvss.score(), cvss.version());
    if best
        .as_ref()
        .is_none_or(|(s, v, _)| (score, version) > (*s, *v))
    {
        let rating = Rating {
            severity: cvss.severity(),
            score: Some(score),
            kind: kind.to_owned(),
            vector: vector.to_owned(),
            source: source.to_owned(),
        };
        *best = Some((score, version, rating));
    }
}

/// The highest CVSS rating among CVSS vectors a CVE record gives (`cve`, vectors),
/// for a vulnerability no advisory rates.
pub fn rate_from_cve_records<'a>(
    records: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> Option<Rating> {
    let mut best = None;
    for (cve, vectors) in records {
        for vector in vectors {
            let Ok(cvss) = Cvss::parse(vector) else {
                continue;
            };
            let kind = match cvss.version() {
                ch_cvss::Version::V2 => "CVSS_V2",
                ch_cvss::Version::V3_0 | ch_cvss::Version::V3_1 => "CVSS_V3",
                ch_cvss::Version::V4_0 => "CVSS_V4",
            };
            keep_highest(
                &mut best,
                &cvss,
                kind,
                vector,
                &format!("Vulnrichment for {cve}"),
            );
        }
    }
    best.map(|(_, _, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vuln(severity: &[(&str, &str)]) -> VulnerabilityMatch {
        VulnerabilityMatch {
            id: "GHSA-test".into(),
            aliases: vec![],
            advisories: vec![],
            summary: None,
            fixed: vec![],
            smallest_fix: None,
            severity: severity
                .iter()
                .map(|(k, s)| ((*k).to_owned(), (*s).to_owned()))
                .collect(),
            modified: String::new(),
            published: None,
        }
    }

    #[test]
    fn takes_the_highest_cvss_score_and_names_its_vector() {
        let (r, w) = rate(&vuln(&[
            ("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), // 5.9
            (
                "CVSS_V4",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            ), // 9.3
            ("CVSS_V2", "AV:N/AC:L/Au:N/C:C/I:C/A:C"),                   // 10.0, HIGH in v2's bands
            ("Ubuntu", "critical"),
        ]));
        assert!(w.is_empty());
        let r = r.unwrap();
        assert_eq!(r.kind, "CVSS_V2");
        assert_eq!(r.score.unwrap().to_string(), "10.0");
        assert_eq!(r.severity, Severity::High);
    }

    #[test]
    fn skips_malformed_vectors_with_a_warning_and_falls_back_to_labels() {
        let (r, w) = rate(&vuln(&[
            ("CVSS_V3", "CVSS:3.1/AV:N/AC:H"),
            ("Ubuntu", "medium"),
            ("Ubuntu", "high"),
        ]));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("lacks the mandatory metric `PR`"), "{w:?}");
        let r = r.unwrap();
        assert_eq!(
            (r.severity, r.score, r.vector.as_str()),
            (Severity::High, None, "high")
        );
        assert_eq!(rate(&vuln(&[])).0, None);
    }

    #[test]
    fn thresholds_count_unrated_findings_as_reaching_them() {
        let high = Rating {
            severity: Severity::High,
            score: None,
            kind: "Ubuntu".into(),
            vector: "high".into(),
            source: "advisory".into(),
        };
        let at_least = |min| Threshold {
            min: Some(min),
            unrated: true,
        };
        assert!(Threshold::ANY.reached_by(None));
        assert!(Threshold::ANY.reached_by(Some(&high)));
        assert!(at_least(Severity::High).reached_by(Some(&high)));
        assert!(!at_least(Severity::Critical).reached_by(Some(&high)));
        assert!(at_least(Severity::Critical).reached_by(None));
        let ignoring_unrated = Threshold {
            min: Some(Severity::Critical),
            unrated: false,
        };
        assert!(!ignoring_unrated.reached_by(None));
    }
}
