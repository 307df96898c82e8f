//! The engine: from a vulnerability's facts, the system's context and the detection
//! date, an SSVC decision and every applicable directive deadline, each with the
//! row or rule and the inputs (and their sources) that set it.

use time::{Date, Duration};

use crate::context::SystemContext;
use crate::facts::{EpssThresholds, Exploitation, TechnicalImpact, VulnerabilityFacts};
use crate::policy::{Directive, Due, ListedDue, PolicySet, Rule};

/// One input of a decision: the decision point, its value, where the value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub point: String,
    pub value: String,
    pub source: String,
    pub since: Option<Date>,
}

/// A decision-table outcome with its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `id version` of the table.
    pub table: String,
    pub outcome: String,
    /// The row's number (from 0, as CERT/CC numbers them) and its line in the file.
    pub row: usize,
    pub line: usize,
    pub inputs: Vec<Input>,
}

/// When a deadline falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueDate {
    On(Date),
    /// At the next scheduled major upgrade or rebuild (ranks after every date).
    NextSystemUpgrade,
}

/// A deadline one directive sets for a finding, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub directive: String,
    /// The rule that applied: `row 12 (line 80)`, `KEV catalog due date`, `critical: 15 days`.
    pub rule: String,
    /// The outcome (BOD 26-04 timeline key), or the rule's kind.
    pub outcome: String,
    pub due: DueDate,
    /// When the clock started: detection, or later when an input became true later.
    pub clock_start: Date,
    pub inputs: Vec<Input>,
    /// Further clocks the outcome starts (name, due date-time as date and hours).
    pub clocks: Vec<(String, u32)>,
    /// The overlay that shortened it, if one did.
    pub overlay: Option<String>,
}

/// The whole answer for one finding on one system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub ssvc: Decision,
    /// Every deadline of the directives in force at detection.
    pub deadlines: Vec<Deadline>,
    /// The index of the earliest deadline (a date beats "next system upgrade").
    pub governing: Option<usize>,
}

impl Assessment {
    pub fn governing(&self) -> Option<&Deadline> {
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
pub struct Engine<'a> {
    pub policies: &'a PolicySet,
    pub epss: EpssThresholds,
}

impl<'a> Engine<'a> {
    pub fn new(policies: &'a PolicySet, epss: EpssThresholds) -> Self {
        Engine { policies, epss }
    }

    /// The SSVC decision and the deadlines of one finding detected on `detected`.
    pub fn assess(
        &self,
        facts: &VulnerabilityFacts,
        system: &SystemContext,
        detected: Date,
    ) -> Assessment {
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
    fn inputs(&self, facts: &VulnerabilityFacts, system: &SystemContext) -> Vec<Input> {
        let mut out = Vec::new();
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
        out.push(match &facts.kev {
            Some(k) => Input {
                point: "in_kev".into(),
                value: "yes".into(),
                source: format!("KEV catalog: {} added {}", k.cve, k.date_added),
                since: Some(k.date_added),
            },
            None => Input {
                point: "in_kev".into(),
                value: "no".into(),
                source: "not in the KEV catalog".into(),
                since: None,
            },
        });
        out.push(Input {
            point: "publicly_exposed".into(),
            value: yes_no(system.publicly_exposed),
            source: format!("system description ({})", system.name),
            since: system.exposure_since,
        });
        out.push(self.exploitation(facts));
        out.push(match &facts.automatable {
            Some(f) => Input {
                point: "automatable".into(),
                value: yes_no(f.value),
                source: f.source.clone(),
                since: f.since,
            },
            None => Input {
                point: "automatable".into(),
                value: "yes".into(),
                source: "not known: assumed yes (worst case)".into(),
                since: None,
            },
        });
        out.push(match &facts.technical_impact {
            Some(f) => Input {
                point: "technical_impact".into(),
                value: f.value.as_str().into(),
                source: f.source.clone(),
                since: f.since,
            },
            None => Input {
                point: "technical_impact".into(),
                value: TechnicalImpact::Total.as_str().into(),
                source: "not known: assumed total (worst case)".into(),
                since: None,
            },
        });
        let mwb_inputs = [
            Input {
                point: "mission_prevalence".into(),
                value: system.mission_prevalence.as_str().into(),
                source: format!("system description ({})", system.name),
                since: None,
            },
            Input {
                point: "public_well_being".into(),
                value: system.public_well_being.as_str().into(),
                source: format!("system description ({})", system.name),
                since: None,
            },
        ];
        let mwb = decide(&self.policies.mission_and_well_being, &mwb_inputs);
        out.push(Input {
            point: "mission_and_well_being".into(),
            value: mwb.outcome.clone(),
            source: format!(
                "{} row {} (line {}): mission prevalence {}, public well-being {}",
                mwb.table,
                mwb.row,
                mwb.line,
                system.mission_prevalence.as_str(),
                system.public_well_being.as_str()
            ),
            since: None,
        });
        out
    }

    /// The strongest evidence of exploitation: KEV (active), Vulnrichment, EPSS over
    /// the user's thresholds.
    fn exploitation(&self, facts: &VulnerabilityFacts) -> Input {
        let mut best: Option<(Exploitation, String, Option<Date>)> = None;
        let mut offer = |e: Exploitation, source: String, since: Option<Date>| {
            if best.as_ref().is_none_or(|(b, _, _)| e > *b) {
                best = Some((e, source, since));
            }
        };
        if let Some(k) = &facts.kev {
            offer(
                Exploitation::Active,
                format!("KEV catalog: {} added {}", k.cve, k.date_added),
                Some(k.date_added),
            );
        }
        if let Some(f) = &facts.exploitation {
            offer(f.value, f.source.clone(), f.since);
        }
        if let Some(f) = &facts.epss {
            let score = f.value.score;
            if let Some(t) = self.epss.active.filter(|t| score >= *t) {
                offer(
                    Exploitation::Active,
                    format!("{} {score} ≥ threshold {t} for active", f.source),
                    f.since,
                );
            } else if let Some(t) = self.epss.public_poc.filter(|t| score >= *t) {
                offer(
                    Exploitation::PublicPoc,
                    format!("{} {score} ≥ threshold {t} for public PoC", f.source),
                    f.since,
                );
            }
        }
        let (value, source, since) = best.unwrap_or((
            Exploitation::None,
            "no evidence: not in KEV, no Vulnrichment value, EPSS under the thresholds".into(),
            None,
        ));
        Input {
            point: "exploitation".into(),
            value: value.as_str().into(),
            source,
            since,
        }
    }

    fn deadline(
        &self,
        d: &Directive,
        facts: &VulnerabilityFacts,
        system: &SystemContext,
        inputs: &[Input],
        detected: Date,
    ) -> Option<Deadline> {
        match &d.rule {
            Rule::DecisionTable { table, timelines } => {
                let used: Vec<Input> = table
                    .points
                    .iter()
                    .filter_map(|p| inputs.iter().find(|i| i.point == p.key).cloned())
                    .collect();
                let pairs: Vec<(&str, &str)> = used
                    .iter()
                    .map(|i| (i.point.as_str(), i.value.as_str()))
                    .collect();
                let row = table.decide(&pairs).ok()?;
                let timeline = &timelines[row.outcome];
                let clock_start = used
                    .iter()
                    .filter_map(|i| i.since)
                    .fold(detected, Date::max);
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
                let base_due = match timeline.due {
                    Due::Days(days) => DueDate::On(clock_start + Duration::days(i64::from(days))),
                    Due::NextSystemUpgrade => DueDate::NextSystemUpgrade,
                };
                let (due, overlay) = match overlay {
                    Some((o, days)) => {
                        let stricter = DueDate::On(clock_start + Duration::days(i64::from(days)));
                        if stricter < base_due {
                            (
                                stricter,
                                Some(format!("{} ({}): {days} days", o.id, o.agency)),
                            )
                        } else {
                            (base_due, None)
                        }
                    }
                    None => (base_due, None),
                };
                Some(Deadline {
                    directive: d.id.clone(),
                    rule: format!("row {} (line {} of {})", row.number, row.line, d.file),
                    outcome: format!("{} ({})", timeline.key, timeline.name),
                    due,
                    clock_start,
                    inputs: used,
                    clocks: timeline
                        .clocks
                        .iter()
                        .map(|c| (c.name.clone(), c.hours))
                        .collect(),
                    overlay,
                })
            }
            Rule::KevDueDate => {
                let k = facts.kev.as_ref()?;
                Some(Deadline {
                    directive: d.id.clone(),
                    rule: "KEV catalog due date".into(),
                    outcome: "kev-due-date".into(),
                    due: DueDate::On(k.due_date),
                    clock_start: k.date_added,
                    inputs: inputs
                        .iter()
                        .filter(|i| i.point == "in_kev")
                        .cloned()
                        .collect(),
                    clocks: Vec::new(),
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
                let (sev, days) = thresholds.iter().find(|(s, _)| *s == severity.value)?;
                let mut used: Vec<Input> = inputs
                    .iter()
                    .filter(|i| *publicly_exposed_only && i.point == "publicly_exposed")
                    .cloned()
                    .collect();
                used.push(Input {
                    point: "severity".into(),
                    value: sev.as_str().to_ascii_lowercase(),
                    source: severity.source.clone(),
                    since: severity.since,
                });
                Some(Deadline {
                    directive: d.id.clone(),
                    rule: format!("{}: {days} days", sev.as_str().to_ascii_lowercase()),
                    outcome: format!("{days}D"),
                    due: DueDate::On(detected + Duration::days(i64::from(*days))),
                    clock_start: detected,
                    inputs: used,
                    clocks: Vec::new(),
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
                    directive: d.id.clone(),
                    rule,
                    outcome: "listed".into(),
                    due: DueDate::On(due),
                    clock_start: start,
                    inputs: vec![Input {
                        point: "cve".into(),
                        value: cve.clone(),
                        source: format!("{} ({})", d.id, d.file),
                        since: Some(d.effective),
                    }],
                    clocks: Vec::new(),
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

fn decide(t: &crate::policy::TableFile, inputs: &[Input]) -> Decision {
    let used: Vec<Input> = t
        .table
        .points
        .iter()
        .filter_map(|p| inputs.iter().find(|i| i.point == p.key).cloned())
        .collect();
    let pairs: Vec<(&str, &str)> = used
        .iter()
        .map(|i| (i.point.as_str(), i.value.as_str()))
        .collect();
    // The policy set checked at load that these tables take exactly these inputs
    // and values, so every combination has a row.
    let row = t.table.decide(&pairs).unwrap_or_else(|_| &t.table.rows[0]);
    Decision {
        table: format!("{} {}", t.id, t.version),
        outcome: t.table.outcome_value(row).to_owned(),
        row: row.number,
        line: row.line,
        inputs: used,
    }
}

/// What changed between two assessments of the same finding, one line each.
pub fn changes(before: &Assessment, after: &Assessment) -> Vec<String> {
    let mut out = Vec::new();
    let all_inputs = |a: &Assessment| -> Vec<Input> {
        let mut v = a.ssvc.inputs.clone();
        for d in &a.deadlines {
            for i in &d.inputs {
                if !v.iter().any(|x| x.point == i.point) {
                    v.push(i.clone());
                }
            }
        }
        v
    };
    let (b, a) = (all_inputs(before), all_inputs(after));
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
    let describe = |d: Option<&Deadline>| match d {
        None => "none".to_owned(),
        Some(d) => format!(
            "{} ({}, {}: {})",
            due_text(d.due),
            d.directive,
            d.rule,
            d.outcome
        ),
    };
    if before.governing().map(|d| (d.due, &d.directive, &d.rule))
        != after.governing().map(|d| (d.due, &d.directive, &d.rule))
    {
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
        a: &Assessment,
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
