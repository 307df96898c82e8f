//! SARIF 2.1.0 for code-scanning services (GitHub code scanning among them): one
//! rule per vulnerability, one result per (package version, vulnerability,
//! file), located at the lockfile line, with a fingerprint that stays the same
//! from run to run while the finding does.

use ch_cvss::Severity;
use ch_scan::{Finding, Matched};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{advisory_url, fix_text};

/// The SARIF log.
pub(super) fn log(matched: &Matched) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut results = Vec::new();
    for f in &matched.findings {
        let v = &f.vulnerability;
        let index = match rule_ids.iter().position(|id| *id == v.id) {
            Some(i) => i,
            None => {
                rule_ids.push(&v.id);
                rules.push(rule(f));
                rules.len() - 1
            }
        };
        for location in &f.locations {
            let uri = artifact_uri(&location.file);
            let mut result = json!({
                "ruleId": v.id,
                "ruleIndex": index,
                "level": level(f),
                "message": {"text": message(f)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        // SARIF lines start at 1; a format without lines points at the file's first.
                        "region": {"startLine": location.line.unwrap_or(1)}
                    }
                }],
                "partialFingerprints": {
                    "clearinghouse/v1": fingerprint(f, &uri)
                }
            });
            if let Some(s) = &f.suppression {
                // Triaged outside the code: reported, and marked so services close it.
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!("{} by {}: {}", s.status, s.source, s.reason)
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "clearinghouse",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://clearinghouse.invalid/docs/scanning",
                    "rules": rules
                }
            },
            "results": results
        }]
    })
}

/// The result level: `error` for high and critical (and unrated: never assumed
/// harmless), `warning` for medium, `note` for low and none.
fn level(f: &Finding) -> &'static str {
    match f.rating.as_ref().map(|r| r.severity) {
        None | Some(Severity::High | Severity::Critical) => "error",
        Some(Severity::Medium) => "warning",
        Some(Severity::Low | Severity::None) => "note",
    }
}

fn rule(f: &Finding) -> Value {
    let v = &f.vulnerability;
    let title = match &v.summary {
        Some(s) => s.trim().to_owned(),
        None => format!("{} in {}", v.id, f.name),
    };
    let aliases = if v.aliases.is_empty() {
        String::new()
    } else {
        format!(" (also {})", v.aliases.join(", "))
    };
    let mut tags = vec!["security".to_owned(), "vulnerability".to_owned()];
    tags.extend(v.aliases.iter().filter(|a| a.starts_with("CVE-")).cloned());
    let mut properties = json!({"tags": tags});
    // GitHub code scanning ranks security alerts by this CVSS score (a string). A
    // qualitative rating has no number, and none is invented for it.
    if let Some(score) = f.rating.as_ref().and_then(|r| r.score) {
        properties["security-severity"] = json!(score.to_string());
    }
    json!({
        "id": v.id,
        "defaultConfiguration": {"level": level(f)},
        "shortDescription": {"text": title},
        "fullDescription": {"text": format!("{title}{aliases}")},
        "helpUri": advisory_url(&v.id),
        "help": {
            "text": format!("{title}{aliases}. Fixed versions: {}. See {}", fixed_list(f), advisory_url(&v.id)),
            "markdown": format!("**{title}**{aliases}\n\nFixed versions: {}.\n\n[{}]({})", fixed_list(f), v.id, advisory_url(&v.id))
        },
        "properties": properties
    })
}

fn fixed_list(f: &Finding) -> String {
    if f.vulnerability.fixed.is_empty() {
        "none known".to_owned()
    } else {
        f.vulnerability.fixed.join(", ")
    }
}

fn message(f: &Finding) -> String {
    format!(
        "{} {} {} is affected by {}: {}.",
        f.ecosystem,
        f.name,
        f.version,
        f.vulnerability.id,
        fix_text(f)
    )
}

/// A path as a relative URI reference: forward slashes, no leading `./`, and the
/// characters a URI cannot hold percent-encoded.
pub(super) fn artifact_uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Stable while the finding is: the vulnerability, the package version and the
/// file (not the line, which moves when the file is edited elsewhere).
fn fingerprint(f: &Finding, uri: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        f.vulnerability.id.as_str(),
        &f.ecosystem.to_string(),
        &f.name,
        &f.version,
        uri,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
