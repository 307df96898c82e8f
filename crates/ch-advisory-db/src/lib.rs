//! The local advisory database.
//!
//! One SQLite file holds every OSV record imported or synced, with indexes for the
//! two questions everything else asks: *which advisories name this package?* and
//! *which record has this id or alias?*
//!
//! * Import ([`AdvisoryDb::import_path`], [`AdvisoryDb::import_records`]) is
//!   incremental (an unchanged record is a no-op; a newer `modified` replaces; an
//!   older one is ignored) and atomic per source: each zip, folder or file is one
//!   transaction, so a process killed mid-import leaves the database as it was
//!   before that source, never half-written.
//! * [`AdvisoryDb::query`] answers one package version from the index, opening only
//!   the records that name the package.
//! * [`Matcher`] holds every affected entry compiled in memory for bulk matching.
//!
//! Owns the only SQL in the advisory path. Knows nothing of HTTP or the CLI.

mod error;
mod import;
mod matcher;
mod query;
mod schema;
mod threat;

pub use error::DbError;
pub use import::{ImportReport, RecordProblem, SourceReport};
pub use matcher::{BatchResults, Matcher, MatcherStats, Query};
pub use query::{
    EcosystemStats, PackageQuery, SourceInfo, Stats, StoredAdvisory, VulnerabilityMatch,
};
pub use threat::{sniff_threat, CveThreat, StoredKev, ThreatKind, ThreatReport, ThreatSources};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// An open advisory database.
pub struct AdvisoryDb {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for AdvisoryDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdvisoryDb")
            .field("path", &self.path)
            .finish()
    }
}

impl AdvisoryDb {
    /// Opens an existing database for reading and writing. Fails with
    /// [`DbError::Missing`] when there is no file, and [`DbError::Corrupt`] when the
    /// file is not a Clearinghouse advisory database.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        if !path.is_file() {
            return Err(DbError::Missing(path.to_path_buf()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| DbError::corrupt(path, e))?;
        let db = AdvisoryDb {
            conn,
            path: path.to_path_buf(),
        };
        db.configure()?;
        schema::check(&db.conn, path)?;
        Ok(db)
    }

    /// Opens a database, creating it (and its folder) if it does not exist.
    pub fn open_or_create(path: &Path) -> Result<Self, DbError> {
        if path.is_file() {
            return Self::open(path);
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| DbError::Io {
                path: parent.to_path_buf(),
                source: e,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| DbError::corrupt(path, e))?;
        let db = AdvisoryDb {
            conn,
            path: path.to_path_buf(),
        };
        db.configure()?;
        schema::create(&db.conn).map_err(|e| DbError::corrupt(path, e))?;
        Ok(db)
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<(), DbError> {
        // WAL: readers never block the importer and a killed writer leaves the last
        // committed state. NORMAL sync is durable against process death (not power
        // loss of the last transaction, which a re-import repairs).
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 10000;",
            )
            .map_err(|e| DbError::corrupt(&self.path, e))
    }

    pub(crate) fn sql_err(&self, e: rusqlite::Error) -> DbError {
        DbError::Sql {
            path: self.path.clone(),
            source: e,
        }
    }
}
