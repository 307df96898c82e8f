//! Incremental, atomic import of OSV records.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use ch_osv::{Advisory, CompiledAffected};
use ch_types::{normalize_name, Ecosystem};
use rusqlite::{params, Transaction};
use sha2::{Digest, Sha256};

use crate::{AdvisoryDb, DbError};

/// One record that was skipped (malformed) or imported with a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// `file` or `archive.zip:entry.json`.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// Whether the record was skipped (true) or imported with a warning (false).
    pub skipped: bool,
}

/// What importing one source did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceReport {
    /// The source as given.
    pub source: String,
    /// Records seen (including malformed ones).
    pub n_read: usize,
    /// Records not in the database before.
    pub n_new: usize,
    /// Records that replaced an older (or same-time, different) version.
    pub n_updated: usize,
    /// Records identical to the stored one.
    pub n_unchanged: usize,
    /// Records older than the stored one, ignored.
    pub n_older: usize,
    /// Records that could not be read, skipped.
    pub n_malformed: usize,
    /// Records this source had supplied before and no longer lists, removed (sync only).
    pub n_removed: usize,
    /// Every skipped record and every warning.
    pub problems: Vec<RecordProblem>,
}

impl SourceReport {
    /// Records that were read successfully (whatever was done with them).
    pub fn n_valid(&self) -> usize {
        self.n_read - self.n_malformed
    }
}

/// What an import of several sources did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// One per source, in order.
    pub sources: Vec<SourceReport>,
}

struct Stored {
    modified_us: i64,
    sha256: Vec<u8>,
}

/// The state of one running import: the ids already stored, and the transaction.
struct Importer<'a> {
    tx: Transaction<'a>,
    db_path: PathBuf,
    stored: HashMap<String, Stored>,
    /// Ids of the valid records this source supplied in this run.
    seen: Vec<String>,
    source: String,
    now: String,
    report: SourceReport,
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl AdvisoryDb {
    /// Imports one source: an OSV export zip, a folder (walked for `*.json` and
    /// `*.zip`), or a JSON file holding one record, an array of records, or
    /// `{"vulns": [...]}`. The whole source is one transaction.
    pub fn import_path(&mut self, path: &Path) -> Result<SourceReport, DbError> {
        let source = path.display().to_string();
        let kind = if path.is_dir() { "folder" } else { "file" };
        let mut importer = self.importer(&source)?;
        importer.add_path(path, true)?;
        importer.finish(kind, &source, None, false)
    }

    /// Imports records given as `(location, JSON bytes)` under the source name
    /// `source` (for downloads), as one transaction, saving `state` (the source's
    /// sync state, e.g. the newest change seen) in the same transaction.
    pub fn import_records<I>(
        &mut self,
        source: &str,
        location: &str,
        records: I,
        state: Option<&str>,
    ) -> Result<SourceReport, DbError>
    where
        I: IntoIterator<Item = (String, Vec<u8>)>,
    {
        let mut importer = self.importer(source)?;
        for (name, bytes) in records {
            importer.add_record(&name, &bytes)?;
        }
        importer.finish("download", location, state, false)
    }

    /// Imports an OSV export zip already on disk under the source name `source`,
    /// saving `state` in the same transaction. With `prune`, records this source
    /// supplied before that the zip no longer holds are removed (the zip is the
    /// source's complete export).
    pub fn import_zip_as(
        &mut self,
        source: &str,
        zip: &Path,
        location: &str,
        state: Option<&str>,
        prune: bool,
    ) -> Result<SourceReport, DbError> {
        let mut importer = self.importer(source)?;
        importer.add_zip(zip)?;
        importer.finish("download", location, state, prune)
    }

    /// The saved sync state of a source, if any.
    pub fn source_state(&self, source: &str) -> Result<Option<String>, DbError> {
        self.conn
            .query_row("SELECT state FROM source WHERE name = ?1", [source], |r| {
                r.get(0)
            })
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(|e| self.sql_err(e))
    }

    fn importer(&mut self, source: &str) -> Result<Importer<'_>, DbError> {
        let path = self.path.clone();
        let sql = |e| DbError::Sql {
            path: self.path.clone(),
            source: e,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut stored = HashMap::new();
        {
            let mut stmt = tx
                .prepare("SELECT id, modified_us, sha256 FROM advisory")
                .map_err(sql)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        Stored {
                            modified_us: r.get(1)?,
                            sha256: r.get(2)?,
                        },
                    ))
                })
                .map_err(sql)?;
            for row in rows {
                let (id, s) = row.map_err(sql)?;
                stored.insert(id, s);
            }
        }
        Ok(Importer {
            tx,
            db_path: path,
            stored,
            seen: Vec::new(),
            source: source.to_owned(),
            now: now_rfc3339(),
            report: SourceReport {
                source: source.to_owned(),
                ..SourceReport::default()
            },
        })
    }
}

fn io_err(path: &Path, e: std::io::Error) -> DbError {
    DbError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

impl Importer<'_> {
    fn sql(&self, e: rusqlite::Error) -> DbError {
        DbError::Sql {
            path: self.db_path.clone(),
            source: e,
        }
    }

    fn add_path(&mut self, path: &Path, top: bool) -> Result<(), DbError> {
        let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| io_err(path, e))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    !p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
                })
                .collect();
            entries.sort();
            for entry in entries {
                let is_data = entry.is_dir()
                    || entry.extension().is_some_and(|x| {
                        x.eq_ignore_ascii_case("json") || x.eq_ignore_ascii_case("zip")
                    });
                if is_data {
                    self.add_path(&entry, false)?;
                }
            }
            return Ok(());
        }
        let is_zip = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("zip"));
        if is_zip {
            return self.add_zip(path);
        }
        let is_json = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json"));
        if !is_json && top {
            // Sniff: a zip without the extension, else try JSON.
            let mut magic = [0u8; 4];
            let n = std::fs::File::open(path)
                .and_then(|mut f| f.read(&mut magic))
                .map_err(|e| io_err(path, e))?;
            if n == 4 && magic == *b"PK\x03\x04" {
                return self.add_zip(path);
            }
        }
        let bytes = std::fs::read(path).map_err(|e| io_err(path, e))?;
        self.add_json_file(&path.display().to_string(), &bytes)
    }

    fn add_zip(&mut self, path: &Path) -> Result<(), DbError> {
        let file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
        let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
            DbError::BadSource {
                path: path.to_path_buf(),
                reason: format!("not a readable zip archive: {e}"),
            }
        })?;
        let mut bytes = Vec::new();
        for i in 0..archive.len() {
            let mut entry = match archive.by_index(i) {
                Ok(e) => e,
                Err(e) => {
                    self.malformed(
                        format!("{}:#{i}", path.display()),
                        format!("unreadable zip entry: {e}"),
                    );
                    continue;
                }
            };
            let name = entry.name().to_owned();
            if entry.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
                continue;
            }
            let location = format!("{}:{name}", path.display());
            bytes.clear();
            if let Err(e) = entry.read_to_end(&mut bytes) {
                self.malformed(location, format!("unreadable zip entry: {e}"));
                continue;
            }
            let record = std::mem::take(&mut bytes);
            self.add_record(&location, &record)?;
            bytes = record;
        }
        Ok(())
    }

    /// A JSON file: one record, an array of records, or `{"vulns": [...]}`.
    fn add_json_file(&mut self, location: &str, bytes: &[u8]) -> Result<(), DbError> {
        let trimmed = bytes.trim_ascii_start();
        if trimmed.first() == Some(&b'[') || trimmed.windows(7).take(64).any(|w| w == b"\"vulns\"")
        {
            let value: serde_json::Value = match serde_json::from_slice(bytes) {
                Ok(v) => v,
                Err(e) => {
                    self.malformed(location.to_owned(), e.to_string());
                    return Ok(());
                }
            };
            let list = match value {
                serde_json::Value::Array(a) => a,
                serde_json::Value::Object(mut o) => match o.remove("vulns") {
                    Some(serde_json::Value::Array(a)) => a,
                    _ => {
                        return self.add_record(location, bytes);
                    }
                },
                _ => {
                    self.malformed(
                        location.to_owned(),
                        "expected an OSV record, an array of records, or {\"vulns\": [...]}"
                            .to_owned(),
                    );
                    return Ok(());
                }
            };
            for (i, item) in list.into_iter().enumerate() {
                let item_bytes = serde_json::to_vec(&item).unwrap_or_default();
                self.add_record(&format!("{location}[{i}]"), &item_bytes)?;
            }
            return Ok(());
        }
        self.add_record(location, bytes)
    }

    fn malformed(&mut self, location: String, message: String) {
        self.report.n_read += 1;
        self.report.n_malformed += 1;
        self.report.problems.push(RecordProblem {
            location,
            message,
            skipped: true,
        });
    }

    fn add_record(&mut self, location: &str, bytes: &[u8]) -> Result<(), DbError> {
        let advisory = match Advisory::from_json(bytes) {
            Ok(a) => a,
            Err(e) => {
                self.malformed(location.to_owned(), e.to_string());
                return Ok(());
            }
        };
        self.report.n_read += 1;
        self.seen.push(advisory.id.clone());
        let sha = Sha256::digest(bytes).to_vec();
        let modified_us = advisory.modified_micros();
        let replacing = match self.stored.get(&advisory.id) {
            None => false,
            Some(s) if s.sha256 == sha => {
                self.report.n_unchanged += 1;
                return Ok(());
            }
            Some(s) if s.modified_us > modified_us => {
                self.report.n_older += 1;
                return Ok(());
            }
            Some(_) => true,
        };
        if replacing {
            self.tx
                .execute("DELETE FROM advisory WHERE id = ?1", [&advisory.id])
                .map_err(|e| self.sql(e))?;
            self.report.n_updated += 1;
        } else {
            self.report.n_new += 1;
        }
        self.insert(&advisory, bytes, &sha, modified_us, location)?;
        self.stored.insert(
            advisory.id.clone(),
            Stored {
                modified_us,
                sha256: sha,
            },
        );
        Ok(())
    }

    fn insert(
        &mut self,
        advisory: &Advisory,
        bytes: &[u8],
        sha: &[u8],
        modified_us: i64,
        location: &str,
    ) -> Result<(), DbError> {
        let withdrawn = advisory.is_withdrawn();
        self.tx
            .prepare_cached(
                "INSERT INTO advisory (id, modified, modified_us, published, withdrawn, summary, sha256, source, imported_at, record, head)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    advisory.id,
                    advisory.modified,
                    modified_us,
                    advisory.published,
                    advisory.withdrawn,
                    advisory.summary,
                    sha,
                    self.source,
                    self.now,
                    bytes,
                    crate::schema::head(advisory),
                ])
            })
            .map_err(|e| self.sql(e))?;
        for (position, affected) in advisory.affected().iter().enumerate() {
            let Some(package) = &affected.package else {
                continue;
            };
            let Ok(ecosystem) = Ecosystem::parse(&package.ecosystem) else {
                self.report.problems.push(RecordProblem {
                    location: location.to_owned(),
                    message: format!("affected[{position}]: empty ecosystem; entry cannot match"),
                    skipped: false,
                });
                continue;
            };
            let (_, problems) = CompiledAffected::compile(&ecosystem, affected);
            for p in problems {
                self.report.problems.push(RecordProblem {
                    location: location.to_owned(),
                    message: format!("affected[{position}] {p}; event ignored"),
                    skipped: false,
                });
            }
            let entry = serde_json::to_vec(affected).unwrap_or_default();
            let name_key = normalize_name(ecosystem.kind(), &package.name);
            self.tx
                .prepare_cached(
                    "INSERT INTO affected (advisory_id, position, ecosystem, base, release, name, name_key, withdrawn, entry)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        advisory.id,
                        position as i64,
                        package.ecosystem,
                        ecosystem.base(),
                        ecosystem.release_key().map(|r| r.into_owned()),
                        package.name,
                        name_key,
                        withdrawn,
                        entry,
                    ])
                })
                .map_err(|e| self.sql(e))?;
        }
        for alias in advisory.aliases() {
            if alias == &advisory.id {
                continue;
            }
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO alias (name, advisory_id) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![alias, advisory.id]))
                .map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Removes the records this source supplied before and did not list this time.
    fn prune(&mut self) -> Result<(), DbError> {
        self.tx
            .execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY); DELETE FROM seen;",
            )
            .map_err(|e| self.sql(e))?;
        for id in std::mem::take(&mut self.seen) {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO seen (id) VALUES (?1)")
                .and_then(|mut s| s.execute([id]))
                .map_err(|e| self.sql(e))?;
        }
        let n = self
            .tx
            .execute(
                "DELETE FROM advisory WHERE source = ?1 AND id NOT IN (SELECT id FROM seen)",
                [&self.source],
            )
            .map_err(|e| self.sql(e))?;
        self.report.n_removed = n;
        Ok(())
    }

    /// Records the source and commits everything at once. `state` replaces the
    /// source's saved sync state when given.
    fn finish(
        mut self,
        kind: &str,
        location: &str,
        state: Option<&str>,
        prune: bool,
    ) -> Result<SourceReport, DbError> {
        if prune {
            self.prune()?;
        }
        let n_valid = self.report.n_valid() as i64;
        self.tx
            .execute(
                "INSERT OR REPLACE INTO source (name, kind, location, updated_at, n_records, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, (SELECT state FROM source WHERE name = ?1)))",
                params![self.source, kind, location, self.now, n_valid, state],
            )
            .map_err(|e| self.sql(e))?;
        let db_path = self.db_path.clone();
        let report = self.report;
        self.tx.commit().map_err(|e| DbError::Sql {
            path: db_path,
            source: e,
        })?;
        Ok(report)
    }
}
