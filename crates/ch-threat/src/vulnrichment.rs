//! CISA Vulnrichment: CVE JSON 5 records whose `containers.adp[]` holds CISA's ADP
//! container ("CISA ADP Vulnrichment") with an SSVC entry (`metrics[].other`, type
//! `ssvc`: Exploitation, Automatable, Technical Impact) and CVSS metrics.

use serde_json::Value;

use crate::ThreatError;

/// What a record says about one CVE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrichment {
    pub cve: String,
    /// `cveMetadata.dateUpdated`.
    pub date_updated: Option<String>,
    /// `none`, `poc` (as CISA writes Public PoC), `active`.
    pub exploitation: Option<String>,
    /// `yes`, `no`.
    pub automatable: Option<String>,
    /// `partial`, `total`.
    pub technical_impact: Option<String>,
    /// When CISA made the SSVC assessment.
    pub ssvc_timestamp: Option<String>,
    /// CVSS vector strings of the ADP and CNA containers (`cvssV4_0`, `cvssV3_1`,
    /// `cvssV3_0`, `cvssV2_0`), as given.
    pub cvss: Vec<String>,
}

/// Whether `bytes` look like a CVE JSON 5 record.
pub fn looks_like(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    String::from_utf8_lossy(head).contains("\"CVE_RECORD\"")
}

/// Reads one record. `Ok(None)` for a record that is not PUBLISHED (rejected CVEs
/// carry no enrichment).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Option<Enrichment>, ThreatError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        ThreatError::new(file, Some(e.line()), format!("not a CVE JSON record: {e}"))
    })?;
    if v["dataType"] != "CVE_RECORD" {
        return Err(ThreatError::new(
            file,
            None,
            "not a CVE JSON record: `dataType` is not CVE_RECORD",
        ));
    }
    let meta = &v["cveMetadata"];
    let Some(cve) = meta["cveId"].as_str().filter(|c| crate::is_cve(c)) else {
        return Err(ThreatError::new(
            file,
            None,
            "`cveMetadata.cveId` is missing or not a CVE id",
        ));
    };
    if meta["state"] != "PUBLISHED" {
        return Ok(None);
    }
    let mut out = Enrichment {
        cve: cve.to_owned(),
        date_updated: meta["dateUpdated"].as_str().map(str::to_owned),
        exploitation: None,
        automatable: None,
        technical_impact: None,
        ssvc_timestamp: None,
        cvss: Vec::new(),
    };
    let containers = &v["containers"];
    let adp = containers["adp"].as_array().cloned().unwrap_or_default();
    for metrics in std::iter::once(&containers["cna"])
        .chain(adp.iter())
        .filter_map(|c| c["metrics"].as_array())
    {
        for m in metrics {
            for key in ["cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0"] {
                if let Some(vector) = m[key]["vectorString"].as_str() {
                    if !out.cvss.iter().any(|x| x == vector) {
                        out.cvss.push(vector.to_owned());
                    }
                }
            }
            let other = &m["other"];
            if other["type"] != "ssvc" {
                continue;
            }
            let content = &other["content"];
            out.ssvc_timestamp = content["timestamp"].as_str().map(str::to_owned);
            for option in content["options"].as_array().into_iter().flatten() {
                let Some(map) = option.as_object() else {
                    continue;
                };
                for (k, value) in map {
                    let value = value.as_str().map(|s| s.to_ascii_lowercase());
                    match k.as_str() {
                        "Exploitation" => out.exploitation = value,
                        "Automatable" => out.automatable = value,
                        "Technical Impact" => out.technical_impact = value,
                        _ => {}
                    }
                }
            }
        }
    }
    for (field, value, allowed) in [
        (
            "Exploitation",
            &out.exploitation,
            &["none", "poc", "active"][..],
        ),
        ("Automatable", &out.automatable, &["yes", "no"][..]),
        (
            "Technical Impact",
            &out.technical_impact,
            &["partial", "total"][..],
        ),
    ] {
        if let Some(v) = value {
            if !allowed.contains(&v.as_str()) {
                return Err(ThreatError::new(
                    file,
                    None,
                    format!(
                        "SSVC `{field}` is `{v}` (expected one of {})",
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(Some(out))
}
