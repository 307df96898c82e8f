//! The CISA KEV catalog (`known_exploited_vulnerabilities.json`, schema
//! `known_exploited_vulnerabilities_schema.json`).

use serde::Deserialize;
use time::Date;

use crate::ThreatError;

/// One catalog entry. Dates are kept as the catalog gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevEntry {
    pub cve: String,
    pub vendor_project: String,
    pub product: String,
    pub name: String,
    pub date_added: Date,
    pub due_date: Date,
    /// `Known` or `Unknown`.
    pub known_ransomware_campaign_use: String,
    pub required_action: String,
}

/// The catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevCatalog {
    pub catalog_version: String,
    pub date_released: String,
    pub entries: Vec<KevEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CatalogJson {
    catalog_version: String,
    date_released: String,
    count: Option<usize>,
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EntryJson {
    #[serde(rename = "cveID")]
    cve_id: String,
    vendor_project: String,
    product: String,
    vulnerability_name: String,
    date_added: String,
    due_date: String,
    known_ransomware_campaign_use: String,
    required_action: String,
}

/// Whether `bytes` look like a KEV catalog (a JSON object with `catalogVersion`).
pub fn looks_like(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    String::from_utf8_lossy(head).contains("\"catalogVersion\"")
}

/// Parses a catalog. An entry without a CVE id or with a date that is not
/// `YYYY-MM-DD` is an error naming the entry.
pub fn parse(file: &str, bytes: &[u8]) -> Result<KevCatalog, ThreatError> {
    let catalog: CatalogJson = serde_json::from_slice(bytes)
        .map_err(|e| ThreatError::new(file, Some(e.line()), format!("not a KEV catalog: {e}")))?;
    if let Some(count) = catalog.count {
        if count != catalog.vulnerabilities.len() {
            return Err(ThreatError::new(
                file,
                None,
                format!(
                    "`count` says {count} entries but `vulnerabilities` has {}",
                    catalog.vulnerabilities.len()
                ),
            ));
        }
    }
    let mut entries = Vec::with_capacity(catalog.vulnerabilities.len());
    for (i, v) in catalog.vulnerabilities.into_iter().enumerate() {
        let at = |m: String| ThreatError::new(file, None, format!("vulnerabilities[{i}]: {m}"));
        let e: EntryJson = serde_json::from_value(v).map_err(|e| at(e.to_string()))?;
        if !crate::is_cve(&e.cve_id) {
            return Err(at(format!("`cveID` `{}` is not a CVE id", e.cve_id)));
        }
        let day = |field: &str, text: &str| {
            crate::date(text)
                .filter(|_| text.len() == 10)
                .ok_or_else(|| at(format!("`{field}` `{text}` is not a date (YYYY-MM-DD)")))
        };
        entries.push(KevEntry {
            date_added: day("dateAdded", &e.date_added)?,
            due_date: day("dueDate", &e.due_date)?,
            cve: e.cve_id,
            vendor_project: e.vendor_project,
            product: e.product,
            name: e.vulnerability_name,
            known_ransomware_campaign_use: e.known_ransomware_campaign_use,
            required_action: e.required_action,
        });
    }
    Ok(KevCatalog {
        catalog_version: catalog.catalog_version,
        date_released: catalog.date_released,
        entries,
    })
}
