//! Suppressions: ignores in `clearinghouse.toml` and VEX statements (OpenVEX,
//! CycloneDX VEX). A suppressed finding stays in the report, marked with what
//! suppressed it and why; it is never silently dropped.

use std::path::Path;

use ch_types::Purl;
use serde::Deserialize;
use serde_json::Value;
use time::Date;

use crate::{Finding, Matched};

/// What suppressed a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// `config` (an ignore in `clearinghouse.toml`) or `vex`.
    pub kind: SuppressionKind,
    /// The file and line (or statement) that says so.
    pub source: String,
    /// The VEX status (`not_affected`, `fixed`) or `ignored`.
    pub status: String,
    /// The reason or justification given.
    pub reason: String,
    /// Until when an ignore applies, where it says.
    pub expires: Option<String>,
}

/// Where a suppression comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// An `[[ignore]]` of the configuration file.
    Config,
    /// A VEX statement.
    Vex,
}

impl SuppressionKind {
    /// As written in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionKind::Config => "config",
            SuppressionKind::Vex => "vex",
        }
    }
}

/// A configuration or VEX file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SuppressionError(String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    ignore: Vec<toml::Spanned<IgnoreEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreEntry {
    id: String,
    reason: String,
    expires: Option<toml::value::Datetime>,
    ecosystem: Option<String>,
    package: Option<String>,
}

struct Rule {
    /// Any id or alias of the vulnerability.
    id: String,
    /// Restricts to a package: (ecosystem base, name) or a purl.
    package: PackageFilter,
    suppression: Suppression,
    /// The last day an ignore applies.
    until: Option<Date>,
    /// An ignore past its expiry date: it does not apply, and says so.
    expired: bool,
}

enum PackageFilter {
    Any,
    Named {
        ecosystem: Option<String>,
        name: Option<String>,
    },
    Purl(Purl),
}

/// Every suppression in force for one scan.
#[derive(Default)]
pub struct Suppressions {
    rules: Vec<Rule>,
}

impl Suppressions {
    /// Reads a `clearinghouse.toml`:
    ///
    /// ```toml
    /// [[ignore]]
    /// id = "GHSA-43w2-9j62-hq99"        # any id or alias of the vulnerability
    /// reason = "insert_many is never called"
    /// expires = 2027-01-31              # optional; after it the ignore stops applying
    /// ecosystem = "crates.io"           # optional: only this ecosystem …
    /// package = "smallvec"              # … and package
    /// ```
    pub fn add_config(&mut self, path: &Path, text: &str) -> Result<(), SuppressionError> {
        let label = path.display().to_string();
        let lines = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let config: ConfigFile = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!(":{}", lines(s.start)))
                .unwrap_or_default();
            SuppressionError(format!("{label}{at}: {}", e.message().trim_end()))
        })?;
        for entry in config.ignore {
            let line = lines(entry.span().start);
            let entry = entry.into_inner();
            let here = format!("{label}:{line}");
            if entry.reason.trim().is_empty() {
                return Err(SuppressionError(format!(
                    "{here}: an ignore of `{}` needs a `reason`",
                    entry.id
                )));
            }
            let expires = match entry.expires {
                None => None,
                Some(dt) => match (dt.date, dt.time) {
                    (Some(d), None) => Some(
                        Date::from_calendar_date(
                            i32::from(d.year),
                            time::Month::try_from(d.month).map_err(|_| {
                                SuppressionError(format!("{here}: `expires` is not a date"))
                            })?,
                            d.day,
                        )
                        .map_err(|_| {
                            SuppressionError(format!("{here}: `expires` is not a date"))
                        })?,
                    ),
                    _ => {
                        return Err(SuppressionError(format!(
                            "{here}: `expires` must be a date such as 2027-01-31"
                        )))
                    }
                },
            };
            self.rules.push(Rule {
                id: entry.id.clone(),
                package: if entry.ecosystem.is_none() && entry.package.is_none() {
                    PackageFilter::Any
                } else {
                    PackageFilter::Named {
                        ecosystem: entry.ecosystem,
                        name: entry.package,
                    }
                },
                suppression: Suppression {
                    kind: SuppressionKind::Config,
                    source: here,
                    status: "ignored".to_owned(),
                    reason: entry.reason,
                    expires: expires.map(|d| d.to_string()),
                },
                until: expires,
                expired: false,
            });
        }
        Ok(())
    }

    /// Reads a VEX document: OpenVEX (`statements`) or CycloneDX
    /// (`vulnerabilities[].analysis`). Statements of `not_affected` and `fixed`
    /// (CycloneDX: `not_affected`, `false_positive`, `resolved`) suppress; others
    /// (`affected`, `under_investigation`, `exploitable`, `in_triage`) do not.
    pub fn add_vex(&mut self, path: &Path, text: &str) -> Result<(), SuppressionError> {
        let label = path.display().to_string();
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| SuppressionError(format!("{label}:{}: invalid JSON: {e}", e.line())))?;
        if let Some(statements) = doc.get("statements").and_then(Value::as_array) {
            self.add_openvex(&label, statements)
        } else if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
            self.add_cyclonedx_vex(&label, &doc)
        } else {
            Err(SuppressionError(format!(
                "{label}: not a VEX document (expected OpenVEX `statements` or a CycloneDX BOM with `vulnerabilities`)"
            )))
        }
    }

    fn add_openvex(&mut self, label: &str, statements: &[Value]) -> Result<(), SuppressionError> {
        for (i, st) in statements.iter().enumerate() {
            let here = format!("{label}: statements[{i}]");
            let status = st
                .get("status")
                .and_then(Value::as_str)
                .ok_or_else(|| SuppressionError(format!("{here}: no `status`")))?;
            if !matches!(status, "not_affected" | "fixed") {
                continue;
            }
            let vuln = st.get("vulnerability");
            let mut ids: Vec<String> = Vec::new();
            match vuln {
                Some(Value::String(s)) => ids.push(s.clone()),
                Some(Value::Object(v)) => {
                    ids.extend(
                        ["name", "@id"]
                            .iter()
                            .filter_map(|k| v.get(*k)?.as_str().map(str::to_owned)),
                    );
                    ids.extend(
                        v.get("aliases")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(|a| a.as_str().map(str::to_owned)),
                    );
                }
                _ => {}
            }
            if ids.is_empty() {
                return Err(SuppressionError(format!("{here}: no `vulnerability` name")));
            }
            let reason = ["justification", "impact_statement", "status_notes"]
                .iter()
                .filter_map(|k| st.get(*k).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(": ");
            let products: Vec<Purl> = st
                .get("products")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    let id = p
                        .get("identifiers")
                        .and_then(|i| i.get("purl"))
                        .or_else(|| p.get("@id"))
                        .or(Some(p))
                        .and_then(Value::as_str)?;
                    Purl::parse(id).ok()
                })
                .collect();
            if products.is_empty() {
                return Err(SuppressionError(format!(
                    "{here}: no product with a purl; a statement must name the packages it is about"
                )));
            }
            for id in &ids {
                for product in &products {
                    self.rules.push(Rule {
                        id: id.clone(),
                        package: PackageFilter::Purl(product.clone()),
                        suppression: Suppression {
                            kind: SuppressionKind::Vex,
                            source: here.clone(),
                            status: status.to_owned(),
                            reason: reason.clone(),
                            expires: None,
                        },
                        until: None,
                        expired: false,
                    });
                }
            }
        }
        Ok(())
    }

    fn add_cyclonedx_vex(&mut self, label: &str, doc: &Value) -> Result<(), SuppressionError> {
        // bom-ref → purl, for `affects` that point at components.
        let mut purls: Vec<(String, String)> = Vec::new();
        let mut stack: Vec<&Value> = doc
            .get("components")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        while let Some(c) = stack.pop() {
            if let (Some(r), Some(p)) = (
                c.get("bom-ref").and_then(Value::as_str),
                c.get("purl").and_then(Value::as_str),
            ) {
                purls.push((r.to_owned(), p.to_owned()));
            }
            stack.extend(
                c.get("components")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
        for (i, v) in doc
            .get("vulnerabilities")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let here = format!("{label}: vulnerabilities[{i}]");
            let Some(analysis) = v.get("analysis") else {
                continue;
            };
            let state = analysis.get("state").and_then(Value::as_str).unwrap_or("");
            let status = match state {
                "not_affected" | "false_positive" => "not_affected",
                "resolved" | "resolved_with_pedigree" => "fixed",
                _ => continue,
            };
            let Some(id) = v.get("id").and_then(Value::as_str) else {
                return Err(SuppressionError(format!("{here}: no `id`")));
            };
            let reason = ["justification", "detail"]
                .iter()
                .filter_map(|k| analysis.get(*k).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(": ");
            let mut any = false;
            for a in v
                .get("affects")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(r) = a.get("ref").and_then(Value::as_str) else {
                    continue;
                };
                let purl = purls
                    .iter()
                    .find(|(bom_ref, _)| bom_ref == r)
                    .map_or(r, |(_, p)| p.as_str());
                let Ok(purl) = Purl::parse(purl) else {
                    continue;
                };
                any = true;
                self.rules.push(Rule {
                    id: id.to_owned(),
                    package: PackageFilter::Purl(purl),
                    suppression: Suppression {
                        kind: SuppressionKind::Vex,
                        source: here.clone(),
                        status: status.to_owned(),
                        reason: reason.clone(),
                        expires: None,
                    },
                    until: None,
                    expired: false,
                });
            }
            if !any {
                return Err(SuppressionError(format!(
                    "{here}: `affects` names no component with a purl"
                )));
            }
        }
        Ok(())
    }

    /// Marks the findings the suppressions cover; returns a warning for each
    /// expired ignore (which then does not apply).
    pub fn apply(&mut self, matched: &mut Matched, today: Date) -> Vec<String> {
        let mut warnings = Vec::new();
        for rule in &mut self.rules {
            if let Some(until) = rule.until {
                if until < today {
                    rule.expired = true;
                    warnings.push(format!(
                        "{}: the ignore of `{}` expired on {until}; it no longer applies",
                        rule.suppression.source, rule.id
                    ));
                }
            }
        }
        for f in &mut matched.findings {
            if f.suppression.is_some() {
                continue;
            }
            f.suppression = self
                .rules
                .iter()
                .find(|r| !r.expired && names_vulnerability(r, f) && r.package.covers(f))
                .map(|r| r.suppression.clone());
        }
        warnings
    }
}

fn names_vulnerability(rule: &Rule, f: &Finding) -> bool {
    let v = &f.vulnerability;
    rule.id == v.id || v.aliases.contains(&rule.id) || v.advisories.contains(&rule.id)
}

impl PackageFilter {
    fn covers(&self, f: &Finding) -> bool {
        match self {
            PackageFilter::Any => true,
            PackageFilter::Named { ecosystem, name } => {
                ecosystem.as_deref().is_none_or(|e| {
                    e.eq_ignore_ascii_case(f.ecosystem.base()) || e == f.ecosystem.to_string()
                }) && name.as_deref().is_none_or(|n| {
                    ch_types::normalize_name(f.ecosystem.kind(), n)
                        == ch_types::normalize_name(f.ecosystem.kind(), &f.name)
                })
            }
            PackageFilter::Purl(p) => {
                let Some((eco, name)) = p.to_osv() else {
                    return false;
                };
                eco.base() == f.ecosystem.base()
                    && ch_types::normalize_name(eco.kind(), &name)
                        == ch_types::normalize_name(f.ecosystem.kind(), &f.name)
                    && p.version.as_deref().is_none_or(|v| v == f.version)
            }
        }
    }
}
