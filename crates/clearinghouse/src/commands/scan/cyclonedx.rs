//! CycloneDX 1.6 with a `vulnerabilities` section: a vulnerability disclosure
//! report (VDR) that other tools (Dependency-Track among them) import. Every
//! package version with a finding is a component; each vulnerability lists the
//! components it affects.

use std::collections::BTreeMap;

use ch_scan::{Finding, Matched};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{advisory_url, fix_text};

pub(super) fn bom(matched: &Matched, timestamp: &str) -> Value {
    // Components: one per vulnerable package version, keyed by a stable bom-ref.
    let mut components: BTreeMap<String, Value> = BTreeMap::new();
    // Vulnerabilities: one per id, with every component it affects.
    let mut vulns: BTreeMap<&str, (Vec<&Finding>, Vec<String>)> = BTreeMap::new();
    for f in &matched.findings {
        let r = bom_ref(f);
        components.entry(r.clone()).or_insert_with(|| {
            let mut c = json!({
                "type": "library",
                "bom-ref": r,
                "name": f.name,
                "version": f.version,
            });
            if let Some(p) = &f.purl {
                c["purl"] = json!(p);
            }
            c
        });
        let entry = vulns.entry(&f.vulnerability.id).or_default();
        entry.0.push(f);
        if !entry.1.contains(&r) {
            entry.1.push(r);
        }
    }
    let vulnerabilities: Vec<Value> = vulns
        .into_iter()
        .map(|(id, (findings, refs))| vulnerability(id, &findings, &refs))
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial_number(matched),
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {"components": [{
                "type": "application",
                "name": "clearinghouse",
                "version": env!("CARGO_PKG_VERSION")
            }]}
        },
        "components": components.into_values().collect::<Vec<_>>(),
        "vulnerabilities": vulnerabilities
    })
}

fn bom_ref(f: &Finding) -> String {
    match &f.purl {
        Some(p) => p.clone(),
        None => format!("{}:{}@{}", f.ecosystem, f.name, f.version),
    }
}

fn vulnerability(id: &str, findings: &[&Finding], refs: &[String]) -> Value {
    let v = &findings[0].vulnerability;
    let mut out = json!({
        "bom-ref": format!("vuln:{id}"),
        "id": id,
        "source": {"name": "OSV", "url": advisory_url(id)},
        "references": v.aliases.iter().map(|a| json!({
            "id": a,
            "source": {"name": "OSV", "url": advisory_url(a)}
        })).collect::<Vec<_>>(),
        "ratings": v.severity.iter().map(|(kind, score)| rating(kind, score)).collect::<Vec<_>>(),
        "affects": refs.iter().map(|r| json!({
            "ref": r,
            "versions": findings.iter().filter(|f| bom_ref(f) == *r).map(|f| json!({
                "version": f.version, "status": "affected"
            })).collect::<Vec<_>>()
        })).collect::<Vec<_>>(),
        "recommendation": findings.iter().map(|f| format!("{}: {}", f.name, fix_text(f))).collect::<Vec<_>>().join("; "),
        "updated": v.modified,
    });
    if let Some(s) = &v.summary {
        out["description"] = json!(s.trim());
    }
    // A suppression of every affected package is the analysis of the whole entry.
    if let Some(s) = findings[0]
        .suppression
        .as_ref()
        .filter(|_| findings.iter().all(|f| f.suppression.is_some()))
    {
        let detail = format!("{} by {}: {}", s.status, s.source, s.reason);
        out["analysis"] = match s.status.as_str() {
            "not_affected" => json!({"state": "not_affected", "detail": detail}),
            "fixed" => json!({"state": "resolved", "detail": detail}),
            _ => json!({"detail": detail}),
        };
    }
    if let Some(p) = &v.published {
        out["published"] = json!(p);
    }
    out
}

/// A CycloneDX rating from an OSV severity entry: the vector and its method, with
/// the score and severity computed from a well-formed CVSS vector.
fn rating(kind: &str, score: &str) -> Value {
    let method = match kind {
        "CVSS_V2" => "CVSSv2",
        "CVSS_V3" if score.starts_with("CVSS:3.1/") => "CVSSv31",
        "CVSS_V3" => "CVSSv3",
        "CVSS_V4" => "CVSSv4",
        _ => "other",
    };
    if method == "other" {
        return json!({"method": method, "justification": format!("{kind}: {score}")});
    }
    let mut out = json!({"method": method, "vector": score});
    if let Ok(cvss) = ch_cvss::Cvss::parse(score) {
        out["score"] = json!(cvss.score().value());
        out["severity"] = json!(cvss.severity().as_str().to_ascii_lowercase());
    }
    out
}

/// A version-4-shaped UUID derived from the findings, so the same report has the
/// same serial number.
fn serial_number(matched: &Matched) -> String {
    let mut h = Sha256::new();
    for f in &matched.findings {
        for part in [
            f.vulnerability.id.as_str(),
            &f.ecosystem.to_string(),
            &f.name,
            &f.version,
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
