//! Policy files: SSVC decision tables, directives (with their effective dates and what
//! they supersede) and agency overlays, as TOML (the repository's `policies/`).

use std::collections::{BTreeMap, BTreeSet};

use ch_cvss::Severity;
use serde::Deserialize;
use time::Date;

use crate::error::{date, line_of, parse_toml, PolicyError};
use crate::table::{DecisionTable, Point, RawRow};

/// What a timeline requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Within this many calendar days of the clock's start.
    Days(u32),
    /// At the asset's next scheduled major upgrade or rebuild: no date.
    NextSystemUpgrade,
}

/// A clock a timeline starts besides its deadline (BOD 26-04's forensic triage).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clock {
    pub name: String,
    pub hours: u32,
}

/// One outcome of a decision-table directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub key: String,
    pub name: String,
    /// `3DF (3 days & forensic investigation)`.
    pub label: String,
    pub due: Due,
    pub clocks: Vec<Clock>,
}

/// How a directive sets deadlines.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A decision table whose outcomes are timelines (BOD 26-04).
    DecisionTable {
        table: DecisionTable,
        /// By outcome index.
        timelines: Vec<Timeline>,
        /// By row number: `row 12 (line 37 of policies/directives/bod-26-04.toml)`.
        row_labels: Vec<String>,
    },
    /// The KEV catalog's due date (BOD 22-01).
    KevDueDate,
    /// Days by severity, optionally only on publicly exposed systems (BOD 19-02).
    SeverityDays {
        publicly_exposed_only: bool,
        /// Severity, days, and the rule's label (`critical: 15 days`).
        thresholds: Vec<(Severity, u32, String)>,
    },
    /// Inventory cadences (BOD 23-01): a stale inventory is a finding.
    Cadence(Vec<Cadence>),
    /// Named CVEs, due on a date or within days (emergency directives).
    ListedCves {
        cves: BTreeSet<String>,
        due: ListedDue,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedDue {
    On(Date),
    /// Days from detection, or from the directive's effective date if later.
    Days(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub activity: String,
    pub days: u32,
}

/// A directive: an identity, when it takes effect, what it supersedes, its rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub id: String,
    pub title: String,
    pub version: String,
    pub effective: Date,
    pub supersedes: Vec<String>,
    pub source: Option<String>,
    pub file: String,
    pub rule: Rule,
}

/// An agency's overlay on a decision-table directive: shorter timelines only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub id: String,
    pub agency: String,
    pub applies_to: String,
    pub effective: Date,
    /// System categories it covers (`None`: every system).
    pub categories: Option<Vec<crate::context::Category>>,
    /// Timeline key → days.
    pub timelines: BTreeMap<String, u32>,
    pub file: String,
}

/// A named decision table file (the SSVC trees).
#[derive(Debug, Clone, PartialEq)]
pub struct TableFile {
    /// `id version`.
    pub label: String,
    pub id: String,
    pub version: String,
    pub title: String,
    pub source: Option<String>,
    pub file: String,
    pub table: DecisionTable,
}

#[derive(Deserialize)]
struct Kind {
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableToml {
    #[allow(dead_code)]
    kind: String,
    id: String,
    version: String,
    title: String,
    source: Option<String>,
    decision_points: Vec<Point>,
    outcome: Point,
    rows: Vec<RawRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineToml {
    name: String,
    days: Option<u32>,
    due: Option<String>,
    #[serde(default)]
    clocks: Vec<Clock>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdToml {
    severity: String,
    days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectiveToml {
    #[allow(dead_code)]
    kind: String,
    id: String,
    title: String,
    version: String,
    effective: toml::Spanned<toml::value::Datetime>,
    #[serde(default)]
    supersedes: Vec<String>,
    source: Option<String>,
    rule: toml::Spanned<String>,
    decision_points: Option<Vec<Point>>,
    outcome: Option<Point>,
    timelines: Option<BTreeMap<String, toml::Spanned<TimelineToml>>>,
    rows: Option<Vec<RawRow>>,
    publicly_exposed_only: Option<bool>,
    thresholds: Option<Vec<toml::Spanned<ThresholdToml>>>,
    cadences: Option<Vec<Cadence>>,
    cves: Option<Vec<String>>,
    due: Option<toml::Spanned<toml::value::Datetime>>,
    days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayTimelineToml {
    days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayToml {
    #[allow(dead_code)]
    kind: String,
    id: String,
    agency: String,
    applies_to: String,
    effective: toml::Spanned<toml::value::Datetime>,
    categories: Option<Vec<toml::Spanned<String>>>,
    timelines: BTreeMap<String, toml::Spanned<OverlayTimelineToml>>,
}

/// One parsed policy file.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyFile {
    Table(TableFile),
    Directive(Directive),
    Overlay(Overlay),
}

impl PolicyFile {
    /// Parses one policy file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<PolicyFile, PolicyError> {
        let kind: Kind = parse_toml(file, text)?;
        match kind.kind.as_deref() {
            Some("decision-table") => {
                let t: TableToml = parse_toml(file, text)?;
                let table = DecisionTable::build(file, text, t.decision_points, t.outcome, t.rows)?;
                Ok(PolicyFile::Table(TableFile {
                    label: format!("{} {}", t.id, t.version),
                    id: t.id,
                    version: t.version,
                    title: t.title,
                    source: t.source,
                    file: file.to_owned(),
                    table,
                }))
            }
            Some("directive") => directive(file, text).map(PolicyFile::Directive),
            Some("overlay") => overlay(file, text).map(PolicyFile::Overlay),
            Some(other) => Err(PolicyError::new(
                file,
                Some(1),
                format!("unknown `kind` `{other}` (expected decision-table, directive or overlay)"),
            )),
            None => Err(PolicyError::new(
                file,
                Some(1),
                "missing `kind` (decision-table, directive or overlay)",
            )),
        }
    }
}

fn directive(file: &str, text: &str) -> Result<Directive, PolicyError> {
    let d: DirectiveToml = parse_toml(file, text)?;
    let rule_line = Some(line_of(text, d.rule.span().start));
    let err = |line: Option<usize>, m: String| PolicyError::new(file, line, m);
    // Which optional keys each rule takes; any other is an error.
    let given: Vec<(&str, bool)> = vec![
        ("decision_points", d.decision_points.is_some()),
        ("outcome", d.outcome.is_some()),
        ("timelines", d.timelines.is_some()),
        ("rows", d.rows.is_some()),
        ("publicly_exposed_only", d.publicly_exposed_only.is_some()),
        ("thresholds", d.thresholds.is_some()),
        ("cadences", d.cadences.is_some()),
        ("cves", d.cves.is_some()),
        ("due", d.due.is_some()),
        ("days", d.days.is_some()),
    ];
    let allowed: &[&str] = match d.rule.get_ref().as_str() {
        "decision-table" => &["decision_points", "outcome", "timelines", "rows"],
        "kev-due-date" => &[],
        "severity-days" => &["publicly_exposed_only", "thresholds"],
        "cadence" => &["cadences"],
        "listed-cves" => &["cves", "due", "days"],
        other => {
            return Err(err(
                rule_line,
                format!(
                    "unknown `rule` `{other}` (expected decision-table, kev-due-date, severity-days, cadence or listed-cves)"
                ),
            ))
        }
    };
    for (key, present) in &given {
        if *present && !allowed.contains(key) {
            return Err(err(
                rule_line,
                format!("rule `{}` takes no `{key}`", d.rule.get_ref()),
            ));
        }
    }
    let missing = |key: &str| {
        err(
            rule_line,
            format!("rule `{}` needs `{key}`", d.rule.get_ref()),
        )
    };
    let rule = match d.rule.get_ref().as_str() {
        "decision-table" => {
            let points = d
                .decision_points
                .ok_or_else(|| missing("decision_points"))?;
            let outcome = d.outcome.ok_or_else(|| missing("outcome"))?;
            let rows = d.rows.ok_or_else(|| missing("rows"))?;
            let mut specs = d.timelines.ok_or_else(|| missing("timelines"))?;
            let table = DecisionTable::build(file, text, points, outcome, rows)?;
            let mut timelines = Vec::new();
            for key in &table.outcome.values {
                let spec = specs.remove(key).ok_or_else(|| {
                    err(
                        rule_line,
                        format!("no `timelines.{key}` for the outcome `{key}`"),
                    )
                })?;
                let line = Some(line_of(text, spec.span().start));
                let spec = spec.into_inner();
                let due = match (spec.days, spec.due.as_deref()) {
                    (Some(days), None) => Due::Days(days),
                    (None, Some("next-system-upgrade")) => Due::NextSystemUpgrade,
                    (None, Some(other)) => {
                        return Err(err(
                            line,
                            format!(
                                "`timelines.{key}.due` is `{other}` (expected next-system-upgrade)"
                            ),
                        ))
                    }
                    _ => {
                        return Err(err(
                            line,
                            format!("`timelines.{key}` needs exactly one of `days` and `due`"),
                        ))
                    }
                };
                timelines.push(Timeline {
                    key: key.clone(),
                    label: format!("{key} ({})", spec.name),
                    name: spec.name,
                    due,
                    clocks: spec.clocks,
                });
            }
            if let Some((extra, spec)) = specs.into_iter().next() {
                return Err(err(
                    Some(line_of(text, spec.span().start)),
                    format!("`timelines.{extra}` is not an outcome of the table"),
                ));
            }
            let row_labels = table
                .rows
                .iter()
                .map(|r| format!("row {} (line {} of {file})", r.number, r.line))
                .collect();
            Rule::DecisionTable {
                table,
                timelines,
                row_labels,
            }
        }
        "kev-due-date" => Rule::KevDueDate,
        "severity-days" => {
            let mut thresholds = Vec::new();
            for t in d.thresholds.ok_or_else(|| missing("thresholds"))? {
                let line = Some(line_of(text, t.span().start));
                let t = t.into_inner();
                let severity: Severity = t.severity.parse().map_err(|e: String| err(line, e))?;
                let label = format!(
                    "{}: {} days",
                    severity.as_str().to_ascii_lowercase(),
                    t.days
                );
                thresholds.push((severity, t.days, label));
            }
            Rule::SeverityDays {
                publicly_exposed_only: d.publicly_exposed_only.unwrap_or(false),
                thresholds,
            }
        }
        "cadence" => Rule::Cadence(d.cadences.ok_or_else(|| missing("cadences"))?),
        _ => {
            let cves = d.cves.ok_or_else(|| missing("cves"))?;
            let due = match (&d.due, d.days) {
                (Some(due), None) => ListedDue::On(date(file, text, "due", due)?),
                (None, Some(days)) => ListedDue::Days(days),
                _ => {
                    return Err(err(
                        rule_line,
                        "rule `listed-cves` needs exactly one of `due` and `days`".into(),
                    ))
                }
            };
            Rule::ListedCves {
                cves: cves.into_iter().collect(),
                due,
            }
        }
    };
    Ok(Directive {
        id: d.id,
        title: d.title,
        version: d.version,
        effective: date(file, text, "effective", &d.effective)?,
        supersedes: d.supersedes,
        source: d.source,
        file: file.to_owned(),
        rule,
    })
}

fn overlay(file: &str, text: &str) -> Result<Overlay, PolicyError> {
    let o: OverlayToml = parse_toml(file, text)?;
    let categories = match o.categories {
        None => None,
        Some(list) => Some(
            list.into_iter()
                .map(|c| {
                    let line = Some(line_of(text, c.span().start));
                    c.get_ref()
                        .parse()
                        .map_err(|e: String| PolicyError::new(file, line, e))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(Overlay {
        id: o.id,
        agency: o.agency,
        applies_to: o.applies_to,
        effective: date(file, text, "effective", &o.effective)?,
        categories,
        timelines: o
            .timelines
            .into_iter()
            .map(|(k, v)| (k, v.into_inner().days))
            .collect(),
        file: file.to_owned(),
    })
}

/// Every policy in use: the SSVC tables, the directives and the overlays.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySet {
    pub coordinator: TableFile,
    pub mission_and_well_being: TableFile,
    pub directives: Vec<Directive>,
    pub overlays: Vec<Overlay>,
}

/// The policy files shipped in the repository (`policies/`), compiled in.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "policies/ssvc/cisa-coordinator-2.0.3.toml",
        include_str!("../../../policies/ssvc/cisa-coordinator-2.0.3.toml"),
    ),
    (
        "policies/ssvc/mission-and-well-being-1.0.0.toml",
        include_str!("../../../policies/ssvc/mission-and-well-being-1.0.0.toml"),
    ),
    (
        "policies/directives/bod-19-02.toml",
        include_str!("../../../policies/directives/bod-19-02.toml"),
    ),
    (
        "policies/directives/bod-22-01.toml",
        include_str!("../../../policies/directives/bod-22-01.toml"),
    ),
    (
        "policies/directives/bod-23-01.toml",
        include_str!("../../../policies/directives/bod-23-01.toml"),
    ),
    (
        "policies/directives/bod-26-04.toml",
        include_str!("../../../policies/directives/bod-26-04.toml"),
    ),
];

/// Every input the engine supplies to a directive's decision table, with its values.
const SUPPLIED: [(&str, &[&str]); 6] = [
    ("in_kev", &["no", "yes"]),
    ("publicly_exposed", &["no", "yes"]),
    ("exploitation", &["none", "public_poc", "active"]),
    ("automatable", &["no", "yes"]),
    ("technical_impact", &["partial", "total"]),
    ("mission_and_well_being", &["low", "medium", "high"]),
];

/// The decision points the engine supplies to the coordinator tree.
const COORDINATOR_POINTS: [(&str, &[&str]); 4] = [
    ("exploitation", &["none", "public_poc", "active"]),
    ("automatable", &["no", "yes"]),
    ("technical_impact", &["partial", "total"]),
    ("mission_and_well_being", &["low", "medium", "high"]),
];
const MWB_POINTS: [(&str, &[&str]); 2] = [
    ("mission_prevalence", &["minimal", "support", "essential"]),
    (
        "public_well_being",
        &["minimal", "material", "irreversible"],
    ),
];

impl PolicySet {
    /// The shipped policies.
    pub fn builtin() -> Result<PolicySet, PolicyError> {
        PolicySet::from_files(BUILTIN.iter().map(|(f, t)| (f.to_string(), t.to_string())))
    }

    /// A policy set from `(file name, text)` pairs: exactly one coordinator table and
    /// one mission-and-well-being table (by `id`), any directives and overlays.
    pub fn from_files(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<PolicySet, PolicyError> {
        let mut tables: Vec<TableFile> = Vec::new();
        let mut directives: Vec<Directive> = Vec::new();
        let mut overlays: Vec<Overlay> = Vec::new();
        for (file, text) in files {
            match PolicyFile::parse(&file, &text)? {
                PolicyFile::Table(t) => tables.push(t),
                PolicyFile::Directive(d) => {
                    if let Some(other) = directives.iter().find(|o| o.id == d.id) {
                        return Err(PolicyError::new(
                            &file,
                            None,
                            format!("directive `{}` is already defined by {}", d.id, other.file),
                        ));
                    }
                    directives.push(d);
                }
                PolicyFile::Overlay(o) => overlays.push(o),
            }
        }
        let mut take = |id: &str, points: &[(&str, &[&str])]| -> Result<TableFile, PolicyError> {
            let i = tables.iter().position(|t| t.id == id).ok_or_else(|| {
                PolicyError::new(
                    "policies",
                    None,
                    format!("no decision table with id `{id}`"),
                )
            })?;
            let t = tables.remove(i);
            check_points(&t, points)?;
            Ok(t)
        };
        let coordinator = take("cisa-coordinator", &COORDINATOR_POINTS)?;
        let mission_and_well_being = take("mission-and-well-being", &MWB_POINTS)?;
        if mission_and_well_being.table.outcome.values != ["low", "medium", "high"] {
            return Err(PolicyError::new(
                &mission_and_well_being.file,
                None,
                "the mission-and-well-being outcome must have the values low, medium, high",
            ));
        }
        for d in &directives {
            if let Rule::DecisionTable { table, .. } = &d.rule {
                for p in &table.points {
                    let supplied = SUPPLIED.iter().find(|(k, _)| *k == p.key);
                    let fits = supplied.is_some_and(|(_, values)| {
                        values.len() == p.values.len()
                            && values.iter().all(|v| p.values.iter().any(|x| x == v))
                    });
                    if !fits {
                        return Err(PolicyError::new(
                            &d.file,
                            None,
                            format!(
                                "decision point `{}` is not one the engine supplies with these values ({})",
                                p.key,
                                SUPPLIED
                                    .iter()
                                    .map(|(k, v)| format!("{k}: {}", v.join("/")))
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            ),
                        ));
                    }
                }
            }
        }
        if let Some(extra) = tables.first() {
            return Err(PolicyError::new(
                &extra.file,
                None,
                format!("decision table `{}` is not used (expected cisa-coordinator or mission-and-well-being)", extra.id),
            ));
        }
        for o in &overlays {
            let Some(d) = directives.iter().find(|d| d.id == o.applies_to) else {
                return Err(PolicyError::new(
                    &o.file,
                    None,
                    format!(
                        "overlay `{}` applies to `{}`, which no directive defines",
                        o.id, o.applies_to
                    ),
                ));
            };
            let Rule::DecisionTable { timelines, .. } = &d.rule else {
                return Err(PolicyError::new(
                    &o.file,
                    None,
                    format!(
                        "overlays apply to decision-table directives; `{}` is not one",
                        d.id
                    ),
                ));
            };
            for (key, &days) in &o.timelines {
                let Some(base) = timelines.iter().find(|t| &t.key == key) else {
                    return Err(PolicyError::new(
                        &o.file,
                        None,
                        format!("`{}` has no timeline `{key}`", d.id),
                    ));
                };
                if let Due::Days(base_days) = base.due {
                    if days > base_days {
                        return Err(PolicyError::new(
                            &o.file,
                            None,
                            format!(
                                "timeline `{key}`: {days} days is longer than {}'s {base_days}; overlays may only make deadlines stricter",
                                d.id
                            ),
                        ));
                    }
                }
            }
        }
        directives.sort_by(|a, b| a.effective.cmp(&b.effective).then_with(|| a.id.cmp(&b.id)));
        Ok(PolicySet {
            coordinator,
            mission_and_well_being,
            directives,
            overlays,
        })
    }

    /// The directives in force on `day`: in effect, and not superseded by a directive
    /// in effect.
    pub fn in_force(&self, day: Date) -> impl Iterator<Item = &Directive> {
        self.directives.iter().filter(move |d| {
            d.effective <= day
                && !self
                    .directives
                    .iter()
                    .any(|s| s.effective <= day && s.supersedes.contains(&d.id))
        })
    }
}

/// A table the engine feeds must have exactly the decision points it supplies.
fn check_points(t: &TableFile, expected: &[(&str, &[&str])]) -> Result<(), PolicyError> {
    let got: Vec<(&str, Vec<&str>)> = t
        .table
        .points
        .iter()
        .map(|p| {
            (
                p.key.as_str(),
                p.values.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let want: Vec<(&str, Vec<&str>)> = expected.iter().map(|(k, v)| (*k, v.to_vec())).collect();
    if got != want {
        return Err(PolicyError::new(
            &t.file,
            None,
            format!(
                "decision table `{}` must have the decision points {}",
                t.id,
                want.iter()
                    .map(|(k, v)| format!("{k} ({})", v.join("/")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(())
}
