//! Where things live. Precedence: command-line flag > environment variable > default.

use std::path::PathBuf;

use anyhow::{bail, Result};

/// The advisory database path: `--db`, else `$CLEARINGHOUSE_DB` (both handled by clap),
/// else `$XDG_DATA_HOME/clearinghouse/advisories.db`, else
/// `$HOME/.local/share/clearinghouse/advisories.db`.
pub(crate) fn db_path(flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = flag.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(p);
    }
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    match data_home {
        Some(dir) => Ok(dir.join("clearinghouse").join("advisories.db")),
        None => bail!("cannot find a home folder for the advisory database; pass --db PATH or set CLEARINGHOUSE_DB"),
    }
}
