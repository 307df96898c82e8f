//! The database schema and its version.

use std::path::Path;

use rusqlite::Connection;

use crate::DbError;

/// Bumped on every incompatible change; a newer file is refused, an older one migrated.
pub(crate) const SCHEMA_VERSION: i64 = 3;

// `advisory.head` (since version 2): what a match reports of the record (see
// [`head`]), so that a scan reads a few hundred bytes per matched record instead of
// all of it. NULL only for a record that no longer parses.
const CREATE: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS advisory (
    id          TEXT PRIMARY KEY,
    modified    TEXT NOT NULL,
    modified_us INTEGER NOT NULL,
    published   TEXT,
    withdrawn   TEXT,
    summary     TEXT,
    sha256      BLOB NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    record      BLOB NOT NULL,
    head        BLOB
);
CREATE TABLE IF NOT EXISTS affected (
    advisory_id TEXT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    ecosystem   TEXT NOT NULL,
    base        TEXT NOT NULL,
    release     TEXT,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    withdrawn   INTEGER NOT NULL,
    entry       BLOB NOT NULL,
    PRIMARY KEY (advisory_id, position)
);
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (base, name_key);
CREATE TABLE IF NOT EXISTS alias (
    name        TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,
    PRIMARY KEY (name, advisory_id)
);
CREATE INDEX IF NOT EXISTS alias_by_advisory ON alias (advisory_id);
CREATE TABLE IF NOT EXISTS kev (
    cve            TEXT PRIMARY KEY,
    date_added     TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    ransomware     TEXT NOT NULL,
    vendor_project TEXT NOT NULL,
    product        TEXT NOT NULL,
    name           TEXT NOT NULL,
    required_action TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS epss (
    cve        TEXT PRIMARY KEY,
    score      REAL NOT NULL,
    percentile REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS enrichment (
    cve              TEXT PRIMARY KEY,
    date_updated     TEXT,
    exploitation     TEXT,
    automatable      TEXT,
    technical_impact TEXT,
    ssvc_timestamp   TEXT,
    cvss             TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS source (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    location    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    n_records   INTEGER NOT NULL,
    state       TEXT
);
";

pub(crate) fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(CREATE)?;
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?1)",
        [SCHEMA_VERSION.to_string()],
    )?;
    Ok(())
}

pub(crate) fn check(conn: &Connection, path: &Path) -> Result<(), DbError> {
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => DbError::Corrupt {
                path: path.to_path_buf(),
                reason: "no schema version recorded".to_owned(),
            },
            other => DbError::corrupt(path, other),
        })
        .map(Some)?;
    let found: i64 = version
        .as_deref()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| DbError::Corrupt {
            path: path.to_path_buf(),
            reason: "unreadable schema version".to_owned(),
        })?;
    if found > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        migrate(conn, found).map_err(|e| DbError::corrupt(path, e))?;
    }
    Ok(())
}

/// Brings a version-`found` file up to date, in one transaction.
fn migrate(conn: &Connection, found: i64) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    if found < 2 {
        tx.execute_batch("ALTER TABLE advisory ADD COLUMN head BLOB")?;
        let rows: Vec<(String, Vec<u8>)> = tx
            .prepare("SELECT id, record FROM advisory")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = tx.prepare("UPDATE advisory SET head = ?2 WHERE id = ?1")?;
        for (id, record) in rows {
            // A record that no longer parses keeps no head; queries then read the
            // record itself and report it.
            if let Ok(advisory) = serde_json::from_slice::<ch_osv::Advisory>(&record) {
                update.execute(rusqlite::params![id, head(&advisory)])?;
            }
        }
    }
    // Version 3 added the threat-data tables, which `create` makes.
    create(&tx)?;
    tx.commit()
}

/// The part of a record a match reports: aliases, summary, modified, published and
/// record-level severity, as JSON with the record's own field names (so the query
/// side reads a head and a whole record alike).
pub(crate) fn head(advisory: &ch_osv::Advisory) -> Vec<u8> {
    let mut head = serde_json::Map::new();
    head.insert("modified".into(), advisory.modified.clone().into());
    if let Some(aliases) = &advisory.aliases {
        head.insert("aliases".into(), aliases.clone().into());
    }
    if let Some(summary) = &advisory.summary {
        head.insert("summary".into(), summary.clone().into());
    }
    if let Some(published) = &advisory.published {
        head.insert("published".into(), published.clone().into());
    }
    if let Some(severity) = &advisory.severity {
        let list: Vec<serde_json::Value> = severity
            .iter()
            .map(|s| serde_json::json!({"type": s.kind, "score": s.score}))
            .collect();
        head.insert("severity".into(), list.into());
    }
    serde_json::to_vec(&head).unwrap_or_default()
}
