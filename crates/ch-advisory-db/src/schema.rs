//! The database schema and its version.

use std::path::Path;

use rusqlite::Connection;

use crate::DbError;

/// Bumped on every incompatible change; a newer file is refused, an older one migrated.
pub(crate) const SCHEMA_VERSION: i64 = 1;

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
    record      BLOB NOT NULL
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
        // Idempotent: brings an older file up to date.
        create(conn).map_err(|e| DbError::corrupt(path, e))?;
    }
    Ok(())
}
