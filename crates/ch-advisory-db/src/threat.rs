//! Threat data beside the advisories: the KEV catalog, EPSS scores and Vulnrichment
//! enrichments, each imported in one transaction, and looked up by CVE.

use std::collections::BTreeMap;

use ch_threat::epss::EpssSet;
use ch_threat::kev::KevCatalog;
use ch_threat::vulnrichment::Enrichment;
use rusqlite::{params, OptionalExtension};

use crate::{AdvisoryDb, DbError};

/// What importing a snapshot changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreatReport {
    /// Entries now held.
    pub n_entries: usize,
    /// CVEs that were not held before (new KEV listings, first EPSS scores).
    pub added: Vec<String>,
    /// CVEs held before and not any more.
    pub removed: Vec<String>,
    /// Entries whose values changed.
    pub n_changed: usize,
}

/// A stored KEV entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKev {
    pub cve: String,
    pub date_added: String,
    pub due_date: String,
    pub ransomware: String,
    pub vendor_project: String,
    pub product: String,
    pub name: String,
}

/// Everything held about one CVE.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CveThreat {
    pub kev: Option<StoredKev>,
    /// (score, percentile).
    pub epss: Option<(f64, f64)>,
    pub enrichment: Option<Enrichment>,
}

/// Versions and dates of the threat data held.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreatSources {
    pub kev_catalog_version: Option<String>,
    pub kev_entries: usize,
    pub epss_model_version: Option<String>,
    pub epss_score_date: Option<String>,
    pub epss_scores: usize,
    pub enrichments: usize,
}

impl AdvisoryDb {
    fn set_meta(
        tx: &rusqlite::Transaction<'_>,
        key: &str,
        value: Option<&str>,
    ) -> rusqlite::Result<()> {
        match value {
            Some(v) => tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![key, v],
            )?,
            None => tx.execute("DELETE FROM meta WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// A value of the database's own settings (`meta`), e.g. what a sync remembers.
    pub fn meta_value(&self, key: &str) -> Result<Option<String>, DbError> {
        self.meta(key)
    }

    /// Sets a value of the database's own settings.
    pub fn set_meta_value(&mut self, key: &str, value: &str) -> Result<(), DbError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    fn meta(&self, key: &str) -> Result<Option<String>, DbError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql_err(e))
    }

    /// Replaces the KEV catalog held with `catalog`, in one transaction.
    pub fn import_kev(&mut self, catalog: &KevCatalog) -> Result<ThreatReport, DbError> {
        let path = self.path.clone();
        let sql = |e| DbError::corrupt(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let before: BTreeMap<String, (String, String, String)> = tx
            .prepare("SELECT cve, date_added, due_date, ransomware FROM kev")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
                    .collect()
            })
            .map_err(sql)?;
        tx.execute("DELETE FROM kev", []).map_err(sql)?;
        let mut report = ThreatReport::default();
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO kev (cve, date_added, due_date, ransomware, vendor_project, product, name, required_action)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            for e in &catalog.entries {
                let row = (
                    e.date_added.to_string(),
                    e.due_date.to_string(),
                    e.known_ransomware_campaign_use.clone(),
                );
                match before.get(&e.cve) {
                    None => report.added.push(e.cve.clone()),
                    Some(old) if *old != row => report.n_changed += 1,
                    _ => {}
                }
                insert
                    .execute(params![
                        e.cve,
                        row.0,
                        row.1,
                        row.2,
                        e.vendor_project,
                        e.product,
                        e.name,
                        e.required_action
                    ])
                    .map_err(sql)?;
            }
        }
        let now: std::collections::BTreeSet<&str> =
            catalog.entries.iter().map(|e| e.cve.as_str()).collect();
        report.removed = before
            .keys()
            .filter(|c| !now.contains(c.as_str()))
            .cloned()
            .collect();
        report.n_entries = now.len();
        Self::set_meta(&tx, "kev_catalog_version", Some(&catalog.catalog_version)).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(report)
    }

    /// Replaces the EPSS scores held with `set`, in one transaction.
    pub fn import_epss(&mut self, set: &EpssSet) -> Result<ThreatReport, DbError> {
        let path = self.path.clone();
        let sql = |e| DbError::corrupt(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let n_before: usize = tx
            .query_row("SELECT count(*) FROM epss", [], |r| r.get::<_, i64>(0))
            .map_err(sql)? as usize;
        tx.execute("DELETE FROM epss", []).map_err(sql)?;
        {
            let mut insert = tx
                .prepare("INSERT OR REPLACE INTO epss (cve, score, percentile) VALUES (?1, ?2, ?3)")
                .map_err(sql)?;
            for s in &set.scores {
                insert
                    .execute(params![s.cve, s.score, s.percentile])
                    .map_err(sql)?;
            }
        }
        Self::set_meta(&tx, "epss_model_version", set.model_version.as_deref()).map_err(sql)?;
        Self::set_meta(&tx, "epss_score_date", set.score_date.as_deref()).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(ThreatReport {
            n_entries: set.scores.len(),
            n_changed: n_before,
            ..Default::default()
        })
    }

    /// Adds or updates enrichments, in one transaction; a record older than the one
    /// held (by `dateUpdated`) is ignored.
    pub fn import_enrichments(&mut self, records: &[Enrichment]) -> Result<ThreatReport, DbError> {
        let path = self.path.clone();
        let sql = |e| DbError::corrupt(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let mut report = ThreatReport::default();
        {
            let mut held = tx
                .prepare("SELECT date_updated FROM enrichment WHERE cve = ?1")
                .map_err(sql)?;
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO enrichment (cve, date_updated, exploitation, automatable, technical_impact, ssvc_timestamp, cvss)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sql)?;
            for e in records {
                let old: Option<Option<String>> = held
                    .query_row([&e.cve], |r| r.get(0))
                    .optional()
                    .map_err(sql)?;
                match &old {
                    None => report.added.push(e.cve.clone()),
                    Some(old) if old.as_deref() > e.date_updated.as_deref() => continue,
                    Some(old) if old.as_deref() == e.date_updated.as_deref() => {}
                    Some(_) => report.n_changed += 1,
                }
                insert
                    .execute(params![
                        e.cve,
                        e.date_updated,
                        e.exploitation,
                        e.automatable,
                        e.technical_impact,
                        e.ssvc_timestamp,
                        e.cvss.join("\n"),
                    ])
                    .map_err(sql)?;
            }
        }
        report.n_entries = tx
            .query_row("SELECT count(*) FROM enrichment", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(sql)? as usize;
        tx.commit().map_err(sql)?;
        Ok(report)
    }

    /// What is held about each of `cves` (only those with something held), read in
    /// one transaction (one consistent snapshot, and one lock instead of one per query).
    pub fn threats(&self, cves: &[&str]) -> Result<BTreeMap<String, CveThreat>, DbError> {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(|e| self.sql_err(e))?;
        let out = self.threats_in(cves)?;
        tx.finish().map_err(|e| self.sql_err(e))?;
        Ok(out)
    }

    fn threats_in(&self, cves: &[&str]) -> Result<BTreeMap<String, CveThreat>, DbError> {
        let mut out: BTreeMap<String, CveThreat> = BTreeMap::new();
        let mut kev = self
            .conn
            .prepare_cached(
                "SELECT date_added, due_date, ransomware, vendor_project, product, name FROM kev WHERE cve = ?1",
            )
            .map_err(|e| self.sql_err(e))?;
        let mut epss = self
            .conn
            .prepare_cached("SELECT score, percentile FROM epss WHERE cve = ?1")
            .map_err(|e| self.sql_err(e))?;
        let mut enrichment = self
            .conn
            .prepare_cached(
                "SELECT date_updated, exploitation, automatable, technical_impact, ssvc_timestamp, cvss FROM enrichment WHERE cve = ?1",
            )
            .map_err(|e| self.sql_err(e))?;
        for &cve in cves {
            let k = kev
                .query_row([cve], |r| {
                    Ok(StoredKev {
                        cve: cve.to_owned(),
                        date_added: r.get(0)?,
                        due_date: r.get(1)?,
                        ransomware: r.get(2)?,
                        vendor_project: r.get(3)?,
                        product: r.get(4)?,
                        name: r.get(5)?,
                    })
                })
                .optional()
                .map_err(|e| self.sql_err(e))?;
            let e = epss
                .query_row([cve], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(|e| self.sql_err(e))?;
            let n = enrichment
                .query_row([cve], |r| {
                    let cvss: String = r.get(5)?;
                    Ok(Enrichment {
                        cve: cve.to_owned(),
                        date_updated: r.get(0)?,
                        exploitation: r.get(1)?,
                        automatable: r.get(2)?,
                        technical_impact: r.get(3)?,
                        ssvc_timestamp: r.get(4)?,
                        cvss: cvss.lines().map(str::to_owned).collect(),
                    })
                })
                .optional()
                .map_err(|e| self.sql_err(e))?;
            if k.is_some() || e.is_some() || n.is_some() {
                out.insert(
                    cve.to_owned(),
                    CveThreat {
                        kev: k,
                        epss: e,
                        enrichment: n,
                    },
                );
            }
        }
        Ok(out)
    }

    /// Versions and counts of the threat data held.
    pub fn threat_sources(&self) -> Result<ThreatSources, DbError> {
        let count = |table: &str| -> Result<usize, DbError> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as usize)
                .map_err(|e| self.sql_err(e))
        };
        Ok(ThreatSources {
            kev_catalog_version: self.meta("kev_catalog_version")?,
            kev_entries: count("kev")?,
            epss_model_version: self.meta("epss_model_version")?,
            epss_score_date: self.meta("epss_score_date")?,
            epss_scores: count("epss")?,
            enrichments: count("enrichment")?,
        })
    }
}

/// Which threat data a file or folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreatKind {
    Kev,
    Epss,
    /// CVE JSON 5 records: one file, a folder of them, or a zip.
    Vulnrichment,
}

impl ThreatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreatKind::Kev => "KEV catalog",
            ThreatKind::Epss => "EPSS scores",
            ThreatKind::Vulnrichment => "Vulnrichment records",
        }
    }
}

/// Threat data files are capped like the inputs of a scan.
const MAX_THREAT_FILE: u64 = 1024 * 1024 * 1024;

fn io_err(path: &std::path::Path) -> impl Fn(std::io::Error) -> DbError + '_ {
    move |source| DbError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn read_capped(path: &std::path::Path) -> Result<Vec<u8>, DbError> {
    use std::io::Read;
    let mut out = Vec::new();
    std::fs::File::open(path)
        .map_err(io_err(path))?
        .take(MAX_THREAT_FILE + 1)
        .read_to_end(&mut out)
        .map_err(io_err(path))?;
    if out.len() as u64 > MAX_THREAT_FILE {
        return Err(DbError::BadSource {
            path: path.to_path_buf(),
            reason: format!("larger than {MAX_THREAT_FILE} bytes; refused"),
        });
    }
    Ok(out)
}

/// The first JSON entry of a zip, if the file is a zip.
fn first_zip_json(path: &std::path::Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(file).ok()?;
    for i in 0..zip.len().min(16) {
        let mut entry = zip.by_index(i).ok()?;
        if entry.name().ends_with(".json") {
            let mut head = Vec::new();
            (&mut entry).take(4096).read_to_end(&mut head).ok()?;
            return Some(head);
        }
    }
    None
}

/// What threat data `path` holds, if any (otherwise it is taken as OSV records).
pub fn sniff_threat(path: &std::path::Path) -> Option<ThreatKind> {
    use std::io::Read;
    if path.is_dir() {
        let first = walk_json(path).into_iter().next()?;
        let head = std::fs::read(first).ok()?;
        return ch_threat::vulnrichment::looks_like(&head).then_some(ThreatKind::Vulnrichment);
    }
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    if ch_threat::epss::looks_like(&head) {
        Some(ThreatKind::Epss)
    } else if ch_threat::kev::looks_like(&head) {
        Some(ThreatKind::Kev)
    } else if ch_threat::vulnrichment::looks_like(&head) {
        Some(ThreatKind::Vulnrichment)
    } else if head.starts_with(b"PK") {
        first_zip_json(path)
            .filter(|h| ch_threat::vulnrichment::looks_like(h))
            .map(|_| ThreatKind::Vulnrichment)
    } else {
        None
    }
}

/// Every `.json` file under `dir`, sorted.
fn walk_json(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                stack.push(p);
            } else if kind.is_file() && p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

impl AdvisoryDb {
    /// Imports threat data of `kind` from `path`.
    pub fn import_threat_path(
        &mut self,
        path: &std::path::Path,
        kind: ThreatKind,
    ) -> Result<ThreatReport, DbError> {
        let name = path.display().to_string();
        match kind {
            ThreatKind::Kev => {
                let catalog = ch_threat::kev::parse(&name, &read_capped(path)?)?;
                self.import_kev(&catalog)
            }
            ThreatKind::Epss => {
                let set = ch_threat::epss::parse(&name, &read_capped(path)?)?;
                self.import_epss(&set)
            }
            ThreatKind::Vulnrichment => {
                let mut records = Vec::new();
                if path.is_dir() {
                    for file in walk_json(path) {
                        let label = file.display().to_string();
                        let bytes = read_capped(&file)?;
                        // Other JSON beside the records (a repository's own files) is skipped.
                        if !ch_threat::vulnrichment::looks_like(&bytes) {
                            continue;
                        }
                        if !ch_threat::vulnrichment::looks_like(&bytes) {
                            continue;
                        }
                        if let Some(e) = ch_threat::vulnrichment::parse(&label, &bytes)? {
                            records.push(e);
                        }
                    }
                } else if let Some(zip) = std::fs::File::open(path)
                    .ok()
                    .and_then(|f| zip::ZipArchive::new(f).ok())
                {
                    let mut zip = zip;
                    for i in 0..zip.len() {
                        use std::io::Read;
                        let mut entry = zip.by_index(i).map_err(|e| DbError::BadSource {
                            path: path.to_path_buf(),
                            reason: format!("unreadable zip entry {i}: {e}"),
                        })?;
                        if !entry.name().ends_with(".json") {
                            continue;
                        }
                        let label = format!("{name}!{}", entry.name());
                        let mut bytes = Vec::new();
                        (&mut entry)
                            .take(MAX_THREAT_FILE)
                            .read_to_end(&mut bytes)
                            .map_err(io_err(path))?;
                        if !ch_threat::vulnrichment::looks_like(&bytes) {
                            continue;
                        }
                        if let Some(e) = ch_threat::vulnrichment::parse(&label, &bytes)? {
                            records.push(e);
                        }
                    }
                } else if let Some(e) = ch_threat::vulnrichment::parse(&name, &read_capped(path)?)?
                {
                    records.push(e);
                }
                self.import_enrichments(&records)
            }
        }
    }
}
