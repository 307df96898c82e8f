//! Downloading threat data (the KEV catalog, EPSS scores, Vulnrichment records) from
//! configurable URLs: each download lands in a temporary file, is checked to be what
//! was asked for, and only then replaces what the database holds.

use std::io::Write;

use ch_advisory_db::{sniff_threat, AdvisoryDb, ThreatKind, ThreatReport};

use crate::{SyncError, Syncer};

/// Downloads are capped (the Vulnrichment repository archive is the largest, a few
/// hundred MB).
const MAX_DOWNLOAD: u64 = 2 * 1024 * 1024 * 1024;

/// What a threat-data sync did.
#[derive(Debug, Clone)]
pub struct ThreatSync {
    pub n_bytes: u64,
    pub report: ThreatReport,
}

/// The meta key under which the last sync URL of `kind` is remembered.
fn remembered(kind: ThreatKind) -> &'static str {
    match kind {
        ThreatKind::Kev => "synced:kev",
        ThreatKind::Epss => "synced:epss",
        ThreatKind::Vulnrichment => "synced:vulnrichment",
    }
}

/// The threat data kinds synced into `db` before.
pub fn synced_threats(db: &AdvisoryDb) -> Result<Vec<ThreatKind>, SyncError> {
    let mut out = Vec::new();
    for kind in [ThreatKind::Kev, ThreatKind::Epss, ThreatKind::Vulnrichment] {
        if db.meta_value(remembered(kind))?.is_some() {
            out.push(kind);
        }
    }
    Ok(out)
}

impl Syncer {
    /// Downloads `url` and imports it as `kind`.
    pub fn sync_threat(
        &self,
        db: &mut AdvisoryDb,
        kind: ThreatKind,
        url: &str,
    ) -> Result<ThreatSync, SyncError> {
        let Some(mut response) = self.get(url)? else {
            return Err(SyncError::Http {
                url: url.to_owned(),
                reason: "not found (HTTP 404)".to_owned(),
            });
        };
        let mut tmp = tempfile::NamedTempFile::new().map_err(|e| SyncError::Io {
            context: "creating a temporary file".to_owned(),
            source: e,
        })?;
        let mut reader = response
            .body_mut()
            .with_config()
            .limit(MAX_DOWNLOAD)
            .reader();
        let n_bytes =
            std::io::copy(&mut reader, tmp.as_file_mut()).map_err(|e| SyncError::Http {
                url: url.to_owned(),
                reason: e.to_string(),
            })?;
        tmp.as_file_mut().flush().map_err(|e| SyncError::Io {
            context: "writing the download".to_owned(),
            source: e,
        })?;
        match sniff_threat(tmp.path()) {
            Some(k) if k == kind => {}
            other => {
                return Err(SyncError::Verify {
                    url: url.to_owned(),
                    reason: format!(
                        "expected {}, got {}",
                        kind.as_str(),
                        other.map_or("something else", ThreatKind::as_str)
                    ),
                })
            }
        }
        let report = db.import_threat_path(tmp.path(), kind)?;
        db.set_meta_value(remembered(kind), url)?;
        Ok(ThreatSync { n_bytes, report })
    }
}
