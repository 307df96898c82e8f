use std::path::{Path, PathBuf};

/// What can go wrong with the advisory database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// No database file where one was expected.
    #[error("no advisory database at `{}`", .0.display())]
    Missing(PathBuf),
    /// The file is not a (readable) Clearinghouse advisory database.
    #[error("`{}` is not a usable advisory database: {reason}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The database was written by a newer Clearinghouse.
    #[error("`{}` has schema version {found}, newer than this program's {supported}", path.display())]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// Ours.
        supported: i64,
    },
    /// An SQL failure on a database that opened fine.
    #[error("advisory database `{}`: {source}", path.display())]
    Sql {
        /// The file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A file or folder could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A version the ecosystem's ordering does not accept.
    #[error(transparent)]
    Version(#[from] ch_versions::VersionError),
    /// Threat data (KEV, EPSS, Vulnrichment) that cannot be read.
    #[error(transparent)]
    Threat(#[from] ch_threat::ThreatError),
    /// An input that is not an OSV zip, folder or JSON file.
    #[error("`{}`: {reason}", path.display())]
    BadSource {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl DbError {
    pub(crate) fn corrupt(path: &Path, e: rusqlite::Error) -> Self {
        DbError::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}
