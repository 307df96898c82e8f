//! The engine: from a vulnerability's facts, the system's context and the detection
//! date, an SSVC decision and every applicable directive deadline, each with the
//! row or rule and the inputs (and their sources) that set it.
//!
//! Assessments borrow their labels from the policy set and share their sources with
//! the facts, so that assessing a finding allocates little: a worklist of 100,000
//! findings is assessed in a fraction of a second (docs/BENCHMARKS.md).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use time::{Date, Duration};

use crate::context::SystemContext;
use crate::facts::{EpssThresholds, Exploitation, TechnicalImpact, VulnerabilityFacts};
use crate::policy::{Clock, Directive, Due, ListedDue, PolicySet, Rule, TableFile};

/// Where an input's value came from; rendered with `Display`.
#[derive(Debug, Clone, PartialEq)]
pub enum Source<'p> {
    /// Listed in the KEV catalog.
    Kev {
        cve: Arc<str>,
        added: Date,
    },
    NotInKev,
    /// The system description.
    System(Arc<str>),
    /// A fact's own source (Vulnrichment, a CVSS vector, …).
    Fact(Arc<str>),
    /// Not known: the worst value is assumed.
    Assumed(&'static str),
    /// An EPSS score at or over a user threshold.
    Epss {
        source: Arc<str>,
        score: f64,
        threshold: f64,
        level: &'static str,
    },
    NoEvidence,
    /// The mission-and-well-being table.
    MissionAndWellBeing {
        table: &'p str,
        row: usize,
        line: usize,
        prevalence: &'static str,
        well_being: &'static str,
    },
    /// A directive that lists CVEs.
    Listed {
        directive: &'p str,
        file: &'p str,
    },
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Kev { cve, added } => write!(f, "KEV catalog: {cve} added {added}"),
            Source::NotInKev => f.write_str("not in the KEV catalog"),
            Source::System(name) => write!(f, "system description ({name})"),
            Source::Fact(s) => f.write_str(s),
            Source::Assumed(s) => f.write_str(s),
            Source::Epss {
                source,
                score,
                threshold,
                level,
            } => write!(f, "{source} {score} ≥ threshold {threshold} for {level}"),
            Source::NoEvidence => f.write_str(
                "no evidence: not in KEV, no Vulnrichment value, EPSS under the thresholds",
            ),
            Source::MissionAndWellBeing {
                table,
                row,
                line,
                prevalence,
                well_being,
            } => write!(
                f,
                "{table} row {row} (line {line}): mission prevalence {prevalence}, public well-being {well_being}"
            ),
            Source::Listed { directive, file } => write!(f, "{directive} ({file})"),
        }
    }
}

/// One input of a decision: the decision point, its value, where the value came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Input<'p> {
    pub point: &'static str,
    pub value: Cow<'static, str>,
    pub source: Source<'p>,
    pub since: Option<Date>,
}

fn input<'p>(
    point: &'static str,
    value: &'static str,
    source: Source<'p>,
    since: Option<Date>,
) -> Input<'p> {
    Input {
        point,
        value: Cow::Borrowed(value),
        source,
        since,
    }
}

/// A decision-table outcome with its path.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision<'p> {
    /// `id version` of the table.
    pub table: &'p str,
    pub outcome: &'p str,
    /// The row's number (from 0, as CERT/CC numbers them) and its line in the file.
    pub row: usize,
    pub line: usize,
    pub inputs: Vec<Input<'p>>,
}

/// When a deadline falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueDate {
    On(Date),
    /// At the next scheduled major upgrade or rebuild (ranks after every date).
    NextSystemUpgrade,
}

/// A deadline one directive sets for a finding, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline<'p> {
    pub directive: &'p str,
    /// The rule that applied: `row 12 (line 37 of …)`, `KEV catalog due date`,
    /// `critical: 15 days`.
    pub rule: Cow<'p, str>,
    /// The outcome (`3DF (3 days & forensic investigation)`), or the rule's kind.
    pub outcome: &'p str,
    pub due: DueDate,
    /// When the clock started: detection, or later when an input became true later.
    pub clock_start: Date,
    pub inputs: Vec<Input<'p>>,
    /// Further clocks the outcome starts (BOD 26-04's forensic triage).
    pub clocks: &'p [Clock],
    /// The overlay that shortened it, if one did: (overlay id, agency, days).
    pub overlay: Option<(&'p str, &'p str, u32)>,
}

/// The whole answer for one finding on one system.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment<'p> {
    pub ssvc: Decision<'p>,
    /// Every deadline of the directives in force at detection.
    pub deadlines: Vec<Deadline<'p>>,
    /// The index of the earliest deadline (a date beats "next system upgrade").
    pub governing: Option<usize>,
}

impl<'p> Assessment<'p> {
    pub fn governing(&self) -> Option<&Deadline<'p>> {
        self.governing.map(|i| &self.deadlines[i])
    }
}

/// A BOD 23-01 cadence a system has not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleInventory {
    pub directive: String,
    pub activity: String,
    pub every_days: u32,
    /// When it was last done (`None`: never recorded).
    pub last: Option<Date>,
    /// When it was due again.
    pub due: Option<Date>,
}

/// Prioritises findings under a policy set.
#[derive(Debug, Clone)]
pub struct Engine<'p> {
    pub policies: &'p PolicySet,
    pub epss: EpssThresholds,
}

impl<'p> Engine<'p> {
    pub fn new(policies: &'p PolicySet, epss: EpssThresholds) -> Self {
        Engine { policies, epss }
    }

    /// The SSVC decision and the deadlines of one finding detected on `detected`.
    pub fn assess(
        &self,
        facts: &VulnerabilityFacts,
        system: &SystemContext,
        detected: Date,
    ) -> Assessment<'p> {
        let inputs = self.inputs(facts, system);
        let ssvc = decide(&self.policies.coordinator, &inputs);
        let mut deadlines = Vec::new();
        for d in self.policies.in_force(detected) {
            if let Some(deadline) = self.deadline(d, facts, system, &inputs, detected) {
                deadlines.push(deadline);
            }
        }
        let governing = deadlines
            .iter()
            .enumerate()
            .min_by_key(|(i, d)| (d.due, *i))
            .map(|(i, _)| i);
        Assessment {
            ssvc,
            deadlines,
            governing,
        }
    }

    /// Every input a decision table can ask for, with its source.
    fn inputs(&self, facts: &VulnerabilityFacts, system: &SystemContext) -> Vec<Input<'p>> {
        let mut out = Vec::with_capacity(6);
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        out.push(match &facts.kev {
            Some(k) => input(
                "in_kev",
                "yes",
                Source::Kev {
                    cve: Arc::clone(&k.cve),
                    added: k.date_added,
                },
                Some(k.date_added),
            ),
            None => input("in_kev", "no", Source::NotInKev, None),
        });
        out.push(input(
            "publicly_exposed",
            yes_no(system.publicly_exposed),
            Source::System(Arc::clone(&system.name)),
            system.exposure_since,
        ));
        out.push(self.exploitation(facts));
        out.push(match &facts.automatable {
            Some(f) => input(
                "automatable",
                yes_no(f.value),
                Source::Fact(Arc::clone(&f.source)),
                f.since,
            ),
            None => input(
                "automatable",
                "yes",
                Source::Assumed("not known: assumed yes (worst case)"),
                None,
            ),
        });
        out.push(match &facts.technical_impact {
            Some(f) => input(
                "technical_impact",
                f.value.as_str(),
                Source::Fact(Arc::clone(&f.source)),
                f.since,
            ),
            None => input(
                "technical_impact",
                TechnicalImpact::Total.as_str(),
                Source::Assumed("not known: assumed total (worst case)"),
                None,
            ),
        });
        let t = &self.policies.mission_and_well_being;
        let prevalence = system.mission_prevalence.as_str();
        let well_being = system.public_well_being.as_str();
        let row = t
            .table
            .decide(&[
                ("mission_prevalence", prevalence),
                ("public_well_being", well_being),
            ])
            .unwrap_or(&t.table.rows[0]);
        // The policy set checked that this table's outcomes are exactly these.
        const LEVELS: [&str; 3] = ["low", "medium", "high"];
        out.push(Input {
            point: "mission_and_well_being",
            value: Cow::Borrowed(LEVELS[row.outcome.min(2)]),
            source: Source::MissionAndWellBeing {
                table: &t.label,
                row: row.number,
                line: row.line,
                prevalence,
                well_being,
            },
            since: None,
        });
        out
    }

    /// The strongest evidence of exploitation: KEV (active), Vulnrichment, EPSS over
    /// the user's thresholds.
    fn exploitation(&self, facts: &VulnerabilityFacts) -> Input<'p> {
        let mut best: Option<(Exploitation, Source<'p>, Option<Date>)> = None;
        let mut offer = |e: Exploitation, source: Source<'p>, since: Option<Date>| {
            if best.as_ref().is_none_or(|(b, _, _)| e > *b) {
                best = Some((e, source, since));
            }
        };
        if let Some(k) = &facts.kev {
            offer(
                Exploitation::Active,
                Source::Kev {
                    cve: Arc::clone(&k.cve),
                    added: k.date_added,
                },
                Some(k.date_added),
            );
        }
        if let Some(f) = &facts.exploitation {
            offer(f.value, Source::Fact(Arc::clone(&f.source)), f.since);
        }
        if let Some(f) = &facts.epss {
            let score = f.value.score;
            let over = |t: Option<f64>| t.filter(|t| score >= *t);
            if let Some(threshold) = over(self.epss.active) {
                offer(
                    Exploitation::Active,
                    Source::Epss {
                        source: Arc::clone(&f.source),
                        score,
                        threshold,
                        level: "active",
                    },
                    f.since,
                );
            } else if let Some(threshold) = over(self.epss.public_poc) {
                offer(
                    Exploitation::PublicPoc,
                    Source::Epss {
                        source: Arc::clone(&f.source),
                        score,
                        threshold,
                        level: "public PoC",
                    },
                    f.since,
                );
            }
        }
        let (value, source, since) = best.unwrap_or((Exploitation::None, Source::NoEvidence, None));
        input("exploitation", value.as_str(), source, since)
    }

    fn deadline(
        &self,
        d: &'p Directive,
        facts: &VulnerabilityFacts,
        system: &SystemContext,
        inputs: &[Input<'p>],
        detected: Date,
    ) -> Option<Deadline<'p>> {
        match &d.rule {
            Rule::DecisionTable {
                table,
                timelines,
                row_labels,
            } => {
                let mut values = Vec::with_capacity(table.points.len());
                let mut used = Vec::with_capacity(table.points.len());
                for p in &table.points {
                    let i = inputs.iter().find(|i| i.point == p.key)?;
                    values.push(p.values.iter().position(|v| *v == *i.value)?);
                    used.push(i.clone());
                }
                let row = table.row(&values);
                let timeline = &timelines[row.outcome];
                let clock_start = used
                    .iter()
                    .filter_map(|i| i.since)
                    .fold(detected, Date::max);
                let base_due = match timeline.due {
                    Due::Days(days) => DueDate::On(clock_start + Duration::days(i64::from(days))),
                    Due::NextSystemUpgrade => DueDate::NextSystemUpgrade,
                };
                let overlay = self
                    .policies
                    .overlays
                    .iter()
                    .filter(|o| {
                        o.applies_to == d.id
                            && o.effective <= detected
                            && o.categories
                                .as_ref()
                                .is_none_or(|c| c.contains(&system.category))
                    })
                    .filter_map(|o| o.timelines.get(&timeline.key).map(|&days| (o, days)))
                    .min_by_key(|(_, days)| *days);
                let (due, overlay) = match overlay {
                    Some((o, days)) => {
                        let stricter = DueDate::On(clock_start + Duration::days(i64::from(days)));
                        if stricter < base_due {
                            (stricter, Some((o.id.as_str(), o.agency.as_str(), days)))
                        } else {
                            (base_due, None)
                        }
                    }
                    None => (base_due, None),
                };
                Some(Deadline {
                    directive: &d.id,
                    rule: Cow::Borrowed(&row_labels[row.number]),
                    outcome: &timeline.label,
                    due,
                    clock_start,
                    inputs: used,
                    clocks: &timeline.clocks,
                    overlay,
                })
            }
            Rule::KevDueDate => {
                let k = facts.kev.as_ref()?;
                Some(Deadline {
                    directive: &d.id,
                    rule: Cow::Borrowed("KEV catalog due date"),
                    outcome: "kev-due-date",
                    due: DueDate::On(k.due_date),
                    clock_start: k.date_added,
                    inputs: inputs
                        .iter()
                        .filter(|i| i.point == "in_kev")
                        .cloned()
                        .collect(),
                    clocks: &[],
                    overlay: None,
                })
            }
            Rule::SeverityDays {
                publicly_exposed_only,
                thresholds,
            } => {
                if *publicly_exposed_only && !system.publicly_exposed {
                    return None;
                }
                let severity = facts.severity.as_ref()?;
                let (sev, days, label) =
                    thresholds.iter().find(|(s, _, _)| *s == severity.value)?;
                let mut used: Vec<Input<'p>> = inputs
                    .iter()
                    .filter(|i| *publicly_exposed_only && i.point == "publicly_exposed")
                    .cloned()
                    .collect();
                used.push(Input {
                    point: "severity",
                    value: Cow::Borrowed(match sev {
                        ch_cvss::Severity::None => "none",
                        ch_cvss::Severity::Low => "low",
                        ch_cvss::Severity::Medium => "medium",
                        ch_cvss::Severity::High => "high",
                        ch_cvss::Severity::Critical => "critical",
                    }),
                    source: Source::Fact(Arc::clone(&severity.source)),
                    since: severity.since,
                });
                Some(Deadline {
                    directive: &d.id,
                    rule: Cow::Borrowed(label),
                    outcome: "severity-days",
                    due: DueDate::On(detected + Duration::days(i64::from(*days))),
                    clock_start: detected,
                    inputs: used,
                    clocks: &[],
                    overlay: None,
                })
            }
            Rule::ListedCves { cves, due } => {
                let cve = facts.cves.iter().find(|c| cves.contains(*c))?;
                let start = detected.max(d.effective);
                let (due, rule) = match due {
                    ListedDue::On(day) => (*day, format!("{cve} listed: due {day}")),
                    ListedDue::Days(n) => (
                        start + Duration::days(i64::from(*n)),
                        format!("{cve} listed: {n} days"),
                    ),
                };
                Some(Deadline {
                    directive: &d.id,
                    rule: Cow::Owned(rule),
                    outcome: "listed",
                    due: DueDate::On(due),
                    clock_start: start,
                    inputs: vec![Input {
                        point: "cve",
                        value: Cow::Owned(cve.clone()),
                        source: Source::Listed {
                            directive: &d.id,
                            file: &d.file,
                        },
                        since: Some(d.effective),
                    }],
                    clocks: &[],
                    overlay: None,
                })
            }
            Rule::Cadence(_) => None,
        }
    }

    /// The cadences in force on `today` that `system` has not kept.
    pub fn stale_inventories(&self, system: &SystemContext, today: Date) -> Vec<StaleInventory> {
        let mut out = Vec::new();
        for d in self.policies.in_force(today) {
            let Rule::Cadence(cadences) = &d.rule else {
                continue;
            };
            for c in cadences {
                let last = match c.activity.as_str() {
                    "asset_discovery" => system.last_asset_discovery,
                    "vulnerability_enumeration" => system.last_vulnerability_enumeration,
                    _ => None,
                };
                let due = last.map(|l| l + Duration::days(i64::from(c.days)));
                if due.is_none_or(|due| due < today) {
                    out.push(StaleInventory {
                        directive: d.id.clone(),
                        activity: c.activity.clone(),
                        every_days: c.days,
                        last,
                        due,
                    });
                }
            }
        }
        out
    }
}

fn decide<'p>(t: &'p TableFile, inputs: &[Input<'p>]) -> Decision<'p> {
    let mut values = Vec::with_capacity(t.table.points.len());
    let mut used = Vec::with_capacity(t.table.points.len());
    for p in &t.table.points {
        // The policy set checked at load that this table takes exactly the inputs
        // the engine supplies, with their values.
        let found = inputs.iter().find(|i| i.point == p.key).and_then(|i| {
            let v = p.values.iter().position(|v| *v == *i.value)?;
            Some((i, v))
        });
        if let Some((i, v)) = found {
            values.push(v);
            used.push(i.clone());
        } else {
            values.push(0);
        }
    }
    let row = t.table.row(&values);
    Decision {
        table: &t.label,
        outcome: t.table.outcome_value(row),
        row: row.number,
        line: row.line,
        inputs: used,
    }
}

/// What changed between two assessments of the same finding, one line each.
pub fn changes(before: &Assessment<'_>, after: &Assessment<'_>) -> Vec<String> {
    fn all<'a, 'p>(a: &'a Assessment<'p>) -> Vec<&'a Input<'p>> {
        let mut v: Vec<&Input<'p>> = a.ssvc.inputs.iter().collect();
        for d in &a.deadlines {
            for i in &d.inputs {
                if !v.iter().any(|x| x.point == i.point) {
                    v.push(i);
                }
            }
        }
        v
    }
    let mut out = Vec::new();
    let (b, a) = (all(before), all(after));
    for new in &a {
        match b.iter().find(|old| old.point == new.point) {
            Some(old) if old.value != new.value => out.push(format!(
                "{}: {} → {} ({})",
                new.point, old.value, new.value, new.source
            )),
            None => out.push(format!("{}: {} ({})", new.point, new.value, new.source)),
            _ => {}
        }
    }
    if before.ssvc.outcome != after.ssvc.outcome {
        out.push(format!(
            "SSVC decision: {} → {}",
            before.ssvc.outcome, after.ssvc.outcome
        ));
    }
    let describe = |d: Option<&Deadline<'_>>| match d {
        None => "none".to_owned(),
        Some(d) => format!(
            "{} ({}, {}: {})",
            due_text(d.due),
            d.directive,
            d.rule,
            d.outcome
        ),
    };
    let key =
        |d: Option<&Deadline<'_>>| d.map(|d| (d.due, d.directive.to_owned(), d.rule.to_string()));
    if key(before.governing()) != key(after.governing()) {
        out.push(format!(
            "deadline: {} → {}",
            describe(before.governing()),
            describe(after.governing())
        ));
    }
    out
}

/// `2026-08-15`, or `next system upgrade`.
pub fn due_text(due: DueDate) -> String {
    match due {
        DueDate::On(d) => d.to_string(),
        DueDate::NextSystemUpgrade => "next system upgrade".into(),
    }
}

/// The order of a worklist, most urgent first: the governing deadline (earliest date
/// first; "next system upgrade" after every date; no deadline last), then the SSVC
/// decision (later outcomes of the coordinator table first: Act before Attend before
/// Track* before Track), then KEV listing, then EPSS, then CVSS score.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Urgency {
    due: (u8, Option<Date>),
    ssvc: std::cmp::Reverse<usize>,
    kev: std::cmp::Reverse<bool>,
    epss: std::cmp::Reverse<f64>,
    cvss: std::cmp::Reverse<u8>,
}

impl Urgency {
    pub fn of(
        policies: &PolicySet,
        a: &Assessment<'_>,
        in_kev: bool,
        epss: Option<f64>,
        cvss_tenths: Option<u8>,
    ) -> Urgency {
        let due = match a.governing().map(|d| d.due) {
            Some(DueDate::On(d)) => (0, Some(d)),
            Some(DueDate::NextSystemUpgrade) => (1, None),
            None => (2, None),
        };
        let ssvc = policies
            .coordinator
            .table
            .outcome
            .values
            .iter()
            .position(|v| *v == a.ssvc.outcome)
            .unwrap_or(0);
        Urgency {
            due,
            ssvc: std::cmp::Reverse(ssvc),
            kev: std::cmp::Reverse(in_kev),
            epss: std::cmp::Reverse(epss.unwrap_or(0.0)),
            cvss: std::cmp::Reverse(cvss_tenths.unwrap_or(0)),
        }
    }
}
