//! Downloads OSV exports and brings them into the advisory database.
//!
//! The source is laid out like osv.dev's public bucket:
//!
//! ```text
//! <base>/ecosystems.txt                one ecosystem folder name per line
//! <base>/<Ecosystem>/all.zip           every record, one `<id>.json` per entry
//! <base>/<Ecosystem>/modified_id.csv   `<RFC 3339 modified>,<id>` lines, newest first
//! <base>/<Ecosystem>/<id>.json         one record
//! ```
//!
//! A first sync of an ecosystem downloads `all.zip` to a temporary file next to the
//! database, **verifies it** (declared length, every entry's CRC-32, at least one
//! readable record) and only then imports it in one transaction, removing records
//! that this source had supplied before and no longer lists. Later syncs read
//! `modified_id.csv` down to the newest change already seen and fetch just the
//! records changed since, all of which must download and parse before any is
//! imported. Where `modified_id.csv` is missing, or lists more changes than
//! [`MAX_INCREMENTAL`], the whole export is fetched again.

mod threat;
pub use threat::{synced_threats, ThreatSync};

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use ch_advisory_db::{AdvisoryDb, DbError, SourceReport};
use ch_osv::model::parse_timestamp;
use ch_osv::Advisory;

/// Above this many changed records an incremental sync downloads `all.zip` instead.
pub const MAX_INCREMENTAL: usize = 2_000;

/// The public OSV bucket.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// What can go wrong while syncing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The server could not be reached or answered with an error.
    #[error("GET {url}: {reason}")]
    Http {
        /// What was requested.
        url: String,
        /// What happened.
        reason: String,
    },
    /// A download that does not verify; nothing was imported.
    #[error("{url}: download failed verification: {reason}; the database was not changed")]
    Verify {
        /// What was downloaded.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A local file failed.
    #[error("{context}: {source}")]
    Io {
        /// Doing what.
        context: String,
        /// The error.
        source: std::io::Error,
    },
}

/// How an ecosystem was brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncMode {
    /// The whole export was downloaded.
    Full,
    /// Only records changed since the last sync were downloaded.
    Incremental,
    /// Nothing had changed.
    UpToDate,
}

/// What syncing one ecosystem did.
#[derive(Debug, Clone)]
pub struct EcosystemSync {
    /// The ecosystem folder name.
    pub ecosystem: String,
    /// How.
    pub mode: SyncMode,
    /// Bytes downloaded.
    pub n_bytes: u64,
    /// What the import did (absent when up to date).
    pub report: Option<SourceReport>,
}

/// A client for one source.
pub struct Syncer {
    agent: ureq::Agent,
    base_url: String,
}

/// The database source name under which an ecosystem's sync is recorded.
pub fn source_name(ecosystem: &str) -> String {
    format!("osv:{ecosystem}")
}

/// The ecosystems synced into `db` before, by folder name.
pub fn synced_ecosystems(db: &AdvisoryDb) -> Result<Vec<String>, DbError> {
    Ok(db
        .sources()?
        .into_iter()
        .filter_map(|s| s.name.strip_prefix("osv:").map(str::to_owned))
        .collect())
}

fn state_json(base_url: &str, newest: Option<&str>) -> String {
    serde_json::json!({ "base_url": base_url, "newest": newest }).to_string()
}

impl Syncer {
    /// A client for the exports under `base_url`.
    pub fn new(base_url: &str) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_body(Some(Duration::from_secs(600)))
            .http_status_as_error(false)
            .build();
        Syncer {
            agent: config.into(),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url)
    }

    /// GET; `Ok(None)` on 404.
    fn get(&self, url: &str) -> Result<Option<ureq::http::Response<ureq::Body>>, SyncError> {
        let response = self.agent.get(url).call().map_err(|e| SyncError::Http {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        match response.status().as_u16() {
            200 => Ok(Some(response)),
            404 => Ok(None),
            code => Err(SyncError::Http {
                url: url.to_owned(),
                reason: format!("HTTP status {code}"),
            }),
        }
    }

    fn get_bytes(&self, url: &str, limit: u64) -> Result<Option<Vec<u8>>, SyncError> {
        let Some(mut response) = self.get(url)? else {
            return Ok(None);
        };
        let bytes = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| SyncError::Http {
                url: url.to_owned(),
                reason: e.to_string(),
            })?;
        Ok(Some(bytes))
    }

    /// The ecosystem folders the source lists in `ecosystems.txt`.
    pub fn ecosystems(&self) -> Result<Vec<String>, SyncError> {
        let url = self.url("ecosystems.txt");
        let bytes = self
            .get_bytes(&url, 1 << 20)?
            .ok_or_else(|| SyncError::Http {
                url: url.clone(),
                reason: "not found".to_owned(),
            })?;
        Ok(String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect())
    }

    /// Brings one ecosystem up to date.
    pub fn sync(
        &self,
        db: &mut AdvisoryDb,
        ecosystem: &str,
        full: bool,
        progress: &dyn Fn(&str),
    ) -> Result<EcosystemSync, SyncError> {
        let source = source_name(ecosystem);
        let state: Option<serde_json::Value> = db
            .source_state(&source)?
            .and_then(|s| serde_json::from_str(&s).ok());
        let newest = state
            .as_ref()
            .filter(|s| s["base_url"] == self.base_url.as_str())
            .and_then(|s| s["newest"].as_str().map(str::to_owned));
        if let (false, Some(newest)) = (full, newest) {
            if let Some(done) = self.incremental(db, ecosystem, &newest, progress)? {
                return Ok(done);
            }
        }
        self.full(db, ecosystem, progress)
    }

    /// `Ok(None)` when an incremental update is not possible.
    fn incremental(
        &self,
        db: &mut AdvisoryDb,
        ecosystem: &str,
        newest: &str,
        progress: &dyn Fn(&str),
    ) -> Result<Option<EcosystemSync>, SyncError> {
        let seen_us = parse_timestamp("newest", newest).unwrap_or(i64::MIN);
        let url = self.url(&format!("{ecosystem}/modified_id.csv"));
        let Some(mut response) = self.get(&url)? else {
            progress(&format!(
                "{ecosystem}: no modified_id.csv; downloading the whole export"
            ));
            return Ok(None);
        };
        let mut n_bytes = 0u64;
        let mut changed: Vec<(String, String)> = Vec::new();
        let mut reader = std::io::BufReader::new(response.body_mut().as_reader());
        let mut line = String::new();
        loop {
            line.clear();
            let n = std::io::BufRead::read_line(&mut reader, &mut line).map_err(|e| {
                SyncError::Http {
                    url: url.clone(),
                    reason: e.to_string(),
                }
            })?;
            if n == 0 {
                break;
            }
            n_bytes += n as u64;
            let text = line.trim();
            if text.is_empty() {
                continue;
            }
            let Some((stamp, id)) = text.split_once(',') else {
                return Err(SyncError::Verify {
                    url,
                    reason: format!("line `{text}` is not `<timestamp>,<id>`"),
                });
            };
            let stamp_us = parse_timestamp("modified", stamp).map_err(|e| SyncError::Verify {
                url: url.clone(),
                reason: e.to_string(),
            })?;
            if stamp_us <= seen_us {
                break; // newest first: everything below is already here
            }
            let id = id.rsplit('/').next().unwrap_or(id);
            changed.push((stamp.to_owned(), id.to_owned()));
            if changed.len() > MAX_INCREMENTAL {
                progress(&format!(
                    "{ecosystem}: more than {MAX_INCREMENTAL} changes; downloading the whole export"
                ));
                return Ok(None);
            }
        }
        if changed.is_empty() {
            return Ok(Some(EcosystemSync {
                ecosystem: ecosystem.to_owned(),
                mode: SyncMode::UpToDate,
                n_bytes,
                report: None,
            }));
        }
        progress(&format!("{ecosystem}: {} changed records", changed.len()));
        let mut records = Vec::with_capacity(changed.len());
        for (_, id) in &changed {
            let record_url = self.url(&format!("{ecosystem}/{id}.json"));
            let bytes =
                self.get_bytes(&record_url, 64 << 20)?
                    .ok_or_else(|| SyncError::Verify {
                        url: record_url.clone(),
                        reason: "listed in modified_id.csv but not found".to_owned(),
                    })?;
            n_bytes += bytes.len() as u64;
            let advisory = Advisory::from_json(&bytes).map_err(|e| SyncError::Verify {
                url: record_url.clone(),
                reason: e.to_string(),
            })?;
            if advisory.id != *id {
                return Err(SyncError::Verify {
                    url: record_url,
                    reason: format!("holds `{}`, expected `{id}`", advisory.id),
                });
            }
            records.push((record_url, bytes));
        }
        let newest = changed
            .iter()
            .map(|(s, _)| s.as_str())
            .max_by_key(|s| parse_timestamp("modified", s).unwrap_or(i64::MIN));
        let report = db.import_records(
            &source_name(ecosystem),
            &self.url(ecosystem),
            records,
            Some(&state_json(&self.base_url, newest)),
        )?;
        Ok(Some(EcosystemSync {
            ecosystem: ecosystem.to_owned(),
            mode: SyncMode::Incremental,
            n_bytes,
            report: Some(report),
        }))
    }

    fn full(
        &self,
        db: &mut AdvisoryDb,
        ecosystem: &str,
        progress: &dyn Fn(&str),
    ) -> Result<EcosystemSync, SyncError> {
        let url = self.url(&format!("{ecosystem}/all.zip"));
        progress(&format!("{ecosystem}: downloading {url}"));
        let mut response = self.get(&url)?.ok_or_else(|| SyncError::Http {
            url: url.clone(),
            reason: format!("not found (is `{ecosystem}` an ecosystem folder of this source? see its ecosystems.txt)"),
        })?;
        let declared: Option<u64> = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let folder = db
            .path()
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut temp = tempfile::Builder::new()
            .prefix(".sync-")
            .suffix(".zip")
            .tempfile_in(folder)
            .map_err(|e| SyncError::Io {
                context: format!("cannot create a temporary file in `{}`", folder.display()),
                source: e,
            })?;
        let mut reader = response.body_mut().with_config().limit(u64::MAX).reader();
        let mut buf = vec![0u8; 1 << 16];
        let mut n_bytes = 0u64;
        loop {
            let n = reader.read(&mut buf).map_err(|e| SyncError::Http {
                url: url.clone(),
                reason: e.to_string(),
            })?;
            if n == 0 {
                break;
            }
            n_bytes += n as u64;
            temp.write_all(&buf[..n]).map_err(|e| SyncError::Io {
                context: format!("cannot write `{}`", temp.path().display()),
                source: e,
            })?;
        }
        temp.flush().map_err(|e| SyncError::Io {
            context: format!("cannot write `{}`", temp.path().display()),
            source: e,
        })?;
        if let Some(expected) = declared {
            if expected != n_bytes {
                return Err(SyncError::Verify {
                    url,
                    reason: format!("received {n_bytes} bytes of {expected}"),
                });
            }
        }
        let newest = verify_zip(temp.path()).map_err(|reason| SyncError::Verify {
            url: url.clone(),
            reason,
        })?;
        progress(&format!("{ecosystem}: verified {n_bytes} bytes; importing"));
        let report = db.import_zip_as(
            &source_name(ecosystem),
            temp.path(),
            &url,
            Some(&state_json(&self.base_url, newest.as_deref())),
            true,
        )?;
        Ok(EcosystemSync {
            ecosystem: ecosystem.to_owned(),
            mode: SyncMode::Full,
            n_bytes,
            report: Some(report),
        })
    }
}

/// Reads every entry to its end (which checks its CRC-32) and returns the newest
/// `modified` among readable records. Fails when the archive is unreadable, an
/// entry is corrupt, or no record reads.
fn verify_zip(path: &Path) -> Result<Option<String>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not a zip archive: {e}"))?;
    let mut newest: Option<(i64, String)> = None;
    let mut n_valid = 0usize;
    let mut bytes = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| format!("entry {i}: {e}"))?;
        let name = entry.name().to_owned();
        bytes.clear();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("entry `{name}`: {e}"))?;
        if !name.ends_with(".json") {
            continue;
        }
        if let Ok(a) = Advisory::from_json(&bytes) {
            n_valid += 1;
            let us = a.modified_micros();
            if newest.as_ref().is_none_or(|(n, _)| us > *n) {
                newest = Some((us, a.modified.clone()));
            }
        }
    }
    if n_valid == 0 {
        return Err("no readable OSV record in the archive".to_owned());
    }
    Ok(newest.map(|(_, s)| s))
}
