//! `clearinghouse prioritize SCAN_JSON --system FILE`: a scan's findings as a worklist
//! for one system, with the SSVC decision, the directive deadline and why.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use ch_advisory_db::{AdvisoryDb, CveThreat};
use ch_cvss::Severity;
use ch_priority::context::SystemContext;
use ch_priority::engine::{Assessment, Deadline, DueDate, Engine, Input, Urgency};
use ch_priority::facts::{
    Epss, EpssThresholds, Exploitation, Fact, KevEntry, TechnicalImpact, VulnerabilityFacts,
};
use ch_priority::policy::PolicySet;
use serde::Serialize;
use serde_json::Value;
use time::Date;

use super::open_existing;
use crate::cli::{Format, PrioritizeArgs};
use crate::output::{hinted, json, note, print, warn};
use crate::settings;

pub(crate) fn run(db: Option<PathBuf>, quiet: bool, args: PrioritizeArgs) -> Result<ExitCode> {
    let policies = load_policies(args.policies.as_deref())?;
    let (system, thresholds) = system(&args)?;
    let detected = match &args.detected {
        Some(d) => parse_date("--detected", d)?,
        None => time::OffsetDateTime::now_utc().date(),
    };
    let scan = read_scan(&args.scan)?;
    let db = open_existing(&settings::db_path(db)?)?;
    let sources = db.threat_sources()?;
    if sources.kev_entries == 0 {
        warn("the database holds no KEV catalog: every finding counts as not in KEV (run `clearinghouse db sync KEV EPSS Vulnrichment`)");
    }
    let engine = Engine::new(&policies, thresholds);
    let n_suppressed = scan.iter().filter(|f| !f["suppression"].is_null()).count();
    let mut items = worklist(&db, &engine, &system, detected, scan)?;
    let resolved = match &args.previous {
        Some(path) => compare(path, &mut items)?,
        None => Vec::new(),
    };
    let stale = engine.stale_inventories(&system, time::OffsetDateTime::now_utc().date());
    let out = Output {
        schema_version: "1",
        system: system_out(&system),
        detected: detected.to_string(),
        policies_in_force: policies
            .in_force(detected)
            .map(|d| PolicyOut {
                id: &d.id,
                version: &d.version,
                effective: d.effective.to_string(),
                file: &d.file,
            })
            .collect(),
        threat_data: ThreatDataOut {
            kev_catalog_version: sources.kev_catalog_version.clone(),
            epss_score_date: sources.epss_score_date.clone(),
            vulnrichment_records: sources.enrichments,
        },
        suppressed: n_suppressed,
        resolved,
        stale_inventories: stale
            .iter()
            .map(|s| StaleOut {
                directive: &s.directive,
                activity: &s.activity,
                every_days: s.every_days,
                last: s.last.map(|d| d.to_string()),
                due: s.due.map(|d| d.to_string()),
            })
            .collect(),
        worklist: items,
    };
    let text = match args.format {
        Format::Json => json(&out)?,
        Format::Table => table(&out),
    };
    match &args.output {
        Some(path) => {
            super::scan::write_atomically(path, &text)?;
            note(
                quiet,
                &format!(
                    "{} findings prioritised into {}",
                    out.worklist.len(),
                    path.display()
                ),
            );
        }
        None => print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_date(what: &str, text: &str) -> Result<Date> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| anyhow::anyhow!("{what} `{text}` is not a date (YYYY-MM-DD)"))
}

/// The shipped policies, or every `.toml` file under `dir` (sorted, recursively).
fn load_policies(dir: Option<&Path>) -> Result<PolicySet> {
    let Some(dir) = dir else {
        return Ok(PolicySet::builtin()?);
    };
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("cannot read `{}`", d.display()))?;
        for e in entries {
            let p = e
                .with_context(|| format!("cannot read `{}`", d.display()))?
                .path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut texts = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f)
            .with_context(|| format!("cannot read `{}`", f.display()))?;
        texts.push((f.display().to_string(), text));
    }
    Ok(PolicySet::from_files(texts)?)
}

fn system(args: &PrioritizeArgs) -> Result<(SystemContext, EpssThresholds)> {
    if let Some(path) = &args.system {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        return Ok(SystemContext::from_toml(
            &path.display().to_string(),
            &text,
        )?);
    }
    let need = |v: &Option<String>, flag: &str| -> Result<String> {
        v.clone().ok_or_else(|| {
            hinted(
                format!("the system is not described: {flag} is missing"),
                "pass --system FILE (docs/prioritisation.md), or --category, --publicly-exposed, --mission-prevalence and --public-well-being",
            )
        })
    };
    fn map<T>(r: Result<T, String>) -> Result<T> {
        r.map_err(|e| anyhow::anyhow!(e))
    }
    let exposed = match need(&args.publicly_exposed, "--publicly-exposed")?.as_str() {
        "yes" => true,
        "no" => false,
        other => bail!("--publicly-exposed `{other}`: expected yes or no"),
    };
    Ok((
        SystemContext {
            name: "system described by flags".into(),
            category: map(need(&args.category, "--category")?.parse())?,
            publicly_exposed: exposed,
            exposure_since: None,
            mission_prevalence: map(
                need(&args.mission_prevalence, "--mission-prevalence")?.parse()
            )?,
            public_well_being: map(need(&args.public_well_being, "--public-well-being")?.parse())?,
            high_value_asset: args.high_value_asset,
            last_asset_discovery: None,
            last_vulnerability_enumeration: None,
        },
        EpssThresholds::default(),
    ))
}

/// The findings of a scan report (schema scan-v1).
fn read_scan(path: &Path) -> Result<Vec<Value>> {
    let name = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{name}`"))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{name}:{}: not JSON: {e}", e.line()))?;
    if v["schema_version"] != "1" || !v["findings"].is_array() {
        bail!("{name}: not a `clearinghouse scan --format json` report (schema_version \"1\" with `findings`)");
    }
    let findings = match v {
        Value::Object(mut m) => match m.remove("findings") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for (i, f) in findings.iter().enumerate() {
        if !f["id"].is_string() || !f["package"].is_object() {
            bail!("{name}: findings[{i}]: expected `id` and `package`");
        }
    }
    Ok(findings)
}

fn cves_of(f: &Value) -> Vec<String> {
    let mut out: Vec<String> = std::iter::once(&f["id"])
        .chain(f["aliases"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .filter(|id| ch_threat::is_cve(id))
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The facts of one vulnerability from what the database holds about its CVEs.
fn facts(
    id: &str,
    cves: &[String],
    threats: &BTreeMap<String, CveThreat>,
    rating: &Value,
) -> VulnerabilityFacts {
    let mut facts = VulnerabilityFacts {
        id: id.to_owned(),
        cves: cves.to_vec(),
        ..Default::default()
    };
    let day = |s: &str| parse_date("date", s).ok();
    for cve in cves {
        let Some(t) = threats.get(cve) else { continue };
        if let Some(k) = &t.kev {
            if let (Some(added), Some(due)) = (day(&k.date_added), day(&k.due_date)) {
                if facts.kev.as_ref().is_none_or(|e| added < e.date_added) {
                    facts.kev = Some(KevEntry {
                        cve: cve.as_str().into(),
                        date_added: added,
                        due_date: due,
                        known_ransomware_use: k.ransomware == "Known",
                    });
                }
            }
        }
        if let Some((score, percentile)) = t.epss {
            if facts.epss.as_ref().is_none_or(|e| score > e.value.score) {
                facts.epss = Some(Fact::new(
                    Epss { score, percentile },
                    format!("EPSS for {cve}"),
                    None,
                ));
            }
        }
        if let Some(e) = &t.enrichment {
            let source = format!("Vulnrichment (CISA ADP) for {cve}");
            let since = e.ssvc_timestamp.as_deref().and_then(day);
            if facts.exploitation.is_none() {
                facts.exploitation = e.exploitation.as_deref().map(|v| {
                    let value = match v {
                        "active" => Exploitation::Active,
                        "poc" => Exploitation::PublicPoc,
                        _ => Exploitation::None,
                    };
                    Fact::new(value, source.clone(), since)
                });
            }
            if facts.automatable.is_none() {
                facts.automatable = e
                    .automatable
                    .as_deref()
                    .map(|v| Fact::new(v == "yes", source.clone(), since));
            }
            if facts.technical_impact.is_none() {
                facts.technical_impact = e.technical_impact.as_deref().map(|v| {
                    let value = if v == "total" {
                        TechnicalImpact::Total
                    } else {
                        TechnicalImpact::Partial
                    };
                    Fact::new(value, source.clone(), since)
                });
            }
        }
    }
    if let Some(sev) = rating["severity"]
        .as_str()
        .and_then(|s| s.parse::<Severity>().ok())
    {
        let source = format!(
            "{} {}",
            rating["source"].as_str().unwrap_or("rating"),
            rating["vector"].as_str().unwrap_or("")
        );
        facts.severity = Some(Fact::new(sev, source, None));
    }
    facts
}

/// The rating to show and rank by: the scan's, or else the highest CVSS vector
/// Vulnrichment gives for one of the CVEs (CISA ADP or CNA metrics).
fn rating_of(f: &Value, cves: &[String], threats: &BTreeMap<String, CveThreat>) -> Value {
    if !f["rating"].is_null() {
        let r = &f["rating"];
        return serde_json::json!({
            "severity": r["severity"], "score": r["score"], "vector": r["vector"],
            "source": match r["source"].as_str() {
                Some("advisory") | None => format!("advisory ({})", r["type"].as_str().unwrap_or("rating")),
                Some(other) => other.to_owned(),
            },
        });
    }
    let rating = ch_scan::rate_from_cve_records(cves.iter().filter_map(|c| {
        let e = threats.get(c)?.enrichment.as_ref()?;
        Some((c.as_str(), e.cvss.as_slice()))
    }));
    match rating {
        Some(r) => serde_json::json!({
            "severity": r.severity, "score": r.score, "vector": r.vector, "source": r.source,
        }),
        None => Value::Null,
    }
}

#[derive(Serialize)]
struct Output<'a> {
    schema_version: &'static str,
    system: SystemOut,
    detected: String,
    policies_in_force: Vec<PolicyOut<'a>>,
    threat_data: ThreatDataOut,
    suppressed: usize,
    /// Findings of the `--previous` worklist that are not open any more.
    resolved: Vec<Value>,
    stale_inventories: Vec<StaleOut<'a>>,
    worklist: Vec<ItemOut>,
}

#[derive(Serialize)]
struct SystemOut {
    name: String,
    category: &'static str,
    publicly_exposed: bool,
    mission_prevalence: &'static str,
    public_well_being: &'static str,
    high_value_asset: bool,
}

fn system_out(s: &SystemContext) -> SystemOut {
    SystemOut {
        name: s.name.to_string(),
        category: s.category.as_str(),
        publicly_exposed: s.publicly_exposed,
        mission_prevalence: s.mission_prevalence.as_str(),
        public_well_being: s.public_well_being.as_str(),
        high_value_asset: s.high_value_asset,
    }
}

#[derive(Serialize)]
struct PolicyOut<'a> {
    id: &'a str,
    version: &'a str,
    effective: String,
    file: &'a str,
}

#[derive(Serialize)]
struct ThreatDataOut {
    kev_catalog_version: Option<String>,
    epss_score_date: Option<String>,
    vulnrichment_records: usize,
}

#[derive(Serialize)]
struct StaleOut<'a> {
    directive: &'a str,
    activity: &'a str,
    every_days: u32,
    last: Option<String>,
    due: Option<String>,
}

#[derive(Serialize, Clone)]
struct InputOut {
    point: String,
    value: String,
    source: String,
}

fn inputs_out(inputs: &[Input]) -> Vec<InputOut> {
    inputs
        .iter()
        .map(|i| InputOut {
            point: i.point.to_owned(),
            value: i.value.to_string(),
            source: i.source.to_string(),
        })
        .collect()
}

#[derive(Serialize, Clone)]
struct SsvcOut {
    decision: String,
    table: String,
    row: usize,
    line: usize,
    inputs: Vec<InputOut>,
}

#[derive(Serialize, Clone)]
struct DeadlineOut {
    due: String,
    overdue: bool,
    directive: String,
    rule: String,
    outcome: String,
    clock_start: String,
    overlay: Option<String>,
    clocks: Vec<ClockOut>,
    inputs: Vec<InputOut>,
}

#[derive(Serialize, Clone)]
struct ClockOut {
    name: String,
    hours: u32,
}

fn deadline_out(d: &Deadline, today: Date) -> DeadlineOut {
    DeadlineOut {
        due: match d.due {
            DueDate::On(day) => day.to_string(),
            DueDate::NextSystemUpgrade => "next-system-upgrade".into(),
        },
        overdue: matches!(d.due, DueDate::On(day) if day < today),
        directive: d.directive.to_owned(),
        rule: d.rule.to_string(),
        outcome: d.outcome.to_owned(),
        clock_start: d.clock_start.to_string(),
        overlay: d
            .overlay
            .map(|(id, agency, days)| format!("{id} ({agency}): {days} days")),
        clocks: d
            .clocks
            .iter()
            .map(|c| ClockOut {
                name: c.name.clone(),
                hours: c.hours,
            })
            .collect(),
        inputs: inputs_out(&d.inputs),
    }
}

#[derive(Serialize, Clone)]
struct KevOut {
    cve: String,
    date_added: String,
    due_date: String,
    known_ransomware_campaign_use: bool,
}

#[derive(Serialize, Clone)]
struct EpssOut {
    score: f64,
    percentile: f64,
    source: String,
}

#[derive(Serialize)]
struct ItemOut {
    rank: usize,
    id: String,
    aliases: Value,
    package: Value,
    locations: Value,
    ssvc: SsvcOut,
    deadline: Option<DeadlineOut>,
    other_deadlines: Vec<DeadlineOut>,
    kev: Option<KevOut>,
    epss: Option<EpssOut>,
    rating: Value,
    /// What changed since the `--previous` worklist (empty without one).
    changes: Vec<String>,
    #[serde(skip)]
    urgency: Option<Urgency>,
}

/// One assessment per vulnerability (its facts do not depend on the package).
struct Assessed<'p> {
    assessment: Assessment<'p>,
    facts: VulnerabilityFacts,
}

fn worklist(
    db: &AdvisoryDb,
    engine: &Engine<'_>,
    system: &SystemContext,
    detected: Date,
    findings: Vec<Value>,
) -> Result<Vec<ItemOut>> {
    let open: Vec<Value> = findings
        .into_iter()
        .filter(|f| f["suppression"].is_null())
        .collect();
    let mut all_cves: Vec<String> = open.iter().flat_map(cves_of).collect();
    all_cves.sort();
    all_cves.dedup();
    let refs: Vec<&str> = all_cves.iter().map(String::as_str).collect();
    let threats = db.threats(&refs)?;
    let today = time::OffsetDateTime::now_utc().date();
    let mut cache: HashMap<(String, String), Assessed> = HashMap::new();
    let mut items = Vec::with_capacity(open.len());
    for mut f in open {
        let id = f["id"].as_str().unwrap_or_default().to_owned();
        let cves = cves_of(&f);
        let rating = rating_of(&f, &cves, &threats);
        let key = (id.clone(), rating.to_string());
        let assessed = cache.entry(key).or_insert_with(|| {
            let facts = facts(&id, &cves, &threats, &rating);
            Assessed {
                assessment: engine.assess(&facts, system, detected),
                facts,
            }
        });
        let a = &assessed.assessment;
        let facts = &assessed.facts;
        let cvss_tenths = rating["score"].as_f64().map(|s| (s * 10.0).round() as u8);
        let urgency = Urgency::of(
            engine.policies,
            a,
            facts.kev.is_some(),
            facts.epss.as_ref().map(|e| e.value.score),
            cvss_tenths,
        );
        items.push(ItemOut {
            rank: 0,
            id,
            aliases: f["aliases"].take(),
            package: f["package"].take(),
            locations: f["locations"].take(),
            ssvc: SsvcOut {
                decision: a.ssvc.outcome.to_owned(),
                table: a.ssvc.table.to_owned(),
                row: a.ssvc.row,
                line: a.ssvc.line,
                inputs: inputs_out(&a.ssvc.inputs),
            },
            deadline: a.governing().map(|d| deadline_out(d, today)),
            other_deadlines: a
                .deadlines
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != a.governing)
                .map(|(_, d)| deadline_out(d, today))
                .collect(),
            kev: facts.kev.as_ref().map(|k| KevOut {
                cve: k.cve.to_string(),
                date_added: k.date_added.to_string(),
                due_date: k.due_date.to_string(),
                known_ransomware_campaign_use: k.known_ransomware_use,
            }),
            epss: facts.epss.as_ref().map(|e| EpssOut {
                score: e.value.score,
                percentile: e.value.percentile,
                source: e.source.to_string(),
            }),
            rating,
            changes: Vec::new(),
            urgency: Some(urgency),
        });
    }
    items.sort_by(|a, b| {
        a.urgency
            .partial_cmp(&b.urgency)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.package.to_string().cmp(&b.package.to_string()))
    });
    for (i, item) in items.iter_mut().enumerate() {
        item.rank = i + 1;
    }
    Ok(items)
}

/// A finding's identity across worklists: vulnerability and package version.
fn finding_key(id: &str, package: &Value) -> String {
    format!(
        "{id} {} {} {}",
        package["ecosystem"].as_str().unwrap_or(""),
        package["name"].as_str().unwrap_or(""),
        package["version"].as_str().unwrap_or("")
    )
}

/// Fills each item's `changes` against an earlier worklist and returns the findings
/// that were in it and are not now.
fn compare(path: &Path, items: &mut [ItemOut]) -> Result<Vec<Value>> {
    let name = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{name}`"))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{name}:{}: not JSON: {e}", e.line()))?;
    let Some(previous) = v["worklist"]
        .as_array()
        .filter(|_| v["schema_version"] == "1")
    else {
        bail!("{name}: not a `clearinghouse prioritize --format json` worklist (schema_version \"1\" with `worklist`)");
    };
    let mut by_key: HashMap<String, &Value> = previous
        .iter()
        .map(|p| {
            (
                finding_key(p["id"].as_str().unwrap_or(""), &p["package"]),
                p,
            )
        })
        .collect();
    for item in items.iter_mut() {
        let Some(old) = by_key.remove(&finding_key(&item.id, &item.package)) else {
            item.changes.push(format!(
                "new since {}",
                v["detected"].as_str().unwrap_or("the previous worklist")
            ));
            continue;
        };
        // Inputs, by decision point: the SSVC path, then each deadline's.
        let mut old_inputs: Vec<(&str, &str)> = Vec::new();
        for list in [&old["ssvc"]["inputs"], &old["deadline"]["inputs"]] {
            for i in list.as_array().into_iter().flatten() {
                let point = i["point"].as_str().unwrap_or("");
                if !old_inputs.iter().any(|(p, _)| *p == point) {
                    old_inputs.push((point, i["value"].as_str().unwrap_or("")));
                }
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        let new_inputs = item
            .ssvc
            .inputs
            .iter()
            .chain(item.deadline.iter().flat_map(|d| d.inputs.iter()));
        let mut lines = Vec::new();
        for i in new_inputs {
            if seen.contains(&i.point.as_str()) {
                continue;
            }
            seen.push(&i.point);
            match old_inputs.iter().find(|(p, _)| *p == i.point) {
                Some((_, was)) if *was != i.value => {
                    lines.push(format!("{}: {was} → {} ({})", i.point, i.value, i.source));
                }
                None => lines.push(format!("{}: {} ({})", i.point, i.value, i.source)),
                _ => {}
            }
        }
        let old_decision = old["ssvc"]["decision"].as_str().unwrap_or("");
        if old_decision != item.ssvc.decision {
            lines.push(format!(
                "SSVC decision: {old_decision} → {}",
                item.ssvc.decision
            ));
        }
        let describe = |d: &Value| -> String {
            if d.is_null() {
                return "none".into();
            }
            format!(
                "{} ({} {})",
                d["due"].as_str().unwrap_or(""),
                d["directive"].as_str().unwrap_or(""),
                d["rule"].as_str().unwrap_or("")
            )
        };
        let new_deadline = serde_json::to_value(&item.deadline)?;
        let key = |d: &Value| (d["due"].clone(), d["directive"].clone(), d["rule"].clone());
        if key(&old["deadline"]) != key(&new_deadline) {
            lines.push(format!(
                "deadline: {} → {}",
                describe(&old["deadline"]),
                describe(&new_deadline)
            ));
        }
        item.changes = lines;
    }
    let mut resolved: Vec<Value> = by_key
        .into_values()
        .map(|p| serde_json::json!({"id": p["id"], "package": p["package"]}))
        .collect();
    resolved.sort_by_key(|r| r.to_string());
    Ok(resolved)
}

fn table(out: &Output<'_>) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "system: {} ({}, {}publicly exposed, mission prevalence {}, public well-being {}); detected {}; in force: {}",
        out.system.name,
        out.system.category,
        if out.system.publicly_exposed { "" } else { "not " },
        out.system.mission_prevalence,
        out.system.public_well_being,
        out.detected,
        out.policies_in_force.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
    );
    for s in &out.stale_inventories {
        let _ = writeln!(
            text,
            "{}: {} is due every {} days; last {} — the inventory itself is a finding",
            s.directive,
            s.activity.replace('_', " "),
            s.every_days,
            s.last.as_deref().unwrap_or("never recorded")
        );
    }
    text.push('\n');
    let rows: Vec<[String; 7]> = out
        .worklist
        .iter()
        .map(|i| {
            let due = i.deadline.as_ref().map_or("-".to_owned(), |d| {
                if d.overdue {
                    format!("{} (overdue)", d.due)
                } else {
                    d.due.clone()
                }
            });
            [
                i.rank.to_string(),
                due,
                i.ssvc.decision.clone(),
                if i.kev.is_some() {
                    "KEV".into()
                } else {
                    "-".into()
                },
                i.epss
                    .as_ref()
                    .map_or("-".into(), |e| format!("{:.3}", e.score)),
                i.rating["score"]
                    .as_f64()
                    .map_or("-".into(), |s| format!("{s:.1}")),
                format!(
                    "{} {} {} {}",
                    i.id,
                    i.package["ecosystem"].as_str().unwrap_or(""),
                    i.package["name"].as_str().unwrap_or(""),
                    i.package["version"].as_str().unwrap_or("")
                ),
            ]
        })
        .collect();
    let cols = crate::output::columns(
        &[
            "#",
            "DUE",
            "SSVC",
            "KEV",
            "EPSS",
            "CVSS",
            "VULNERABILITY / PACKAGE",
        ],
        &rows,
    );
    let mut lines = cols.lines();
    if let Some(header) = lines.next() {
        let _ = writeln!(text, "{header}");
    }
    for (line, item) in lines.zip(&out.worklist) {
        let _ = writeln!(text, "{line}");
        if let Some(d) = &item.deadline {
            let why: Vec<String> = d
                .inputs
                .iter()
                .map(|i| format!("{}={} ({})", i.point, i.value, i.source))
                .collect();
            let _ = writeln!(
                text,
                "    {} {} → {}: {}",
                d.directive,
                d.rule,
                d.outcome,
                why.join("; ")
            );
        }
    }
    let _ = write!(
        text,
        "\n{} findings ({} suppressed, not listed)",
        out.worklist.len(),
        out.suppressed
    );
    if !out.resolved.is_empty() {
        let _ = write!(
            text,
            "; {} gone since the previous worklist",
            out.resolved.len()
        );
    }
    text
}
