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

/// `$XDG_CONFIG_HOME/clearinghouse`, else `$HOME/.config/clearinghouse`.
pub(crate) fn config_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|d| d.join("clearinghouse"))
}

/// The locations configuration: the flag (or `$CLEARINGHOUSE_LOCATIONS`), else
/// `locations.toml` in the config folder when it exists; none means every place is
/// accredited for UNCLASSIFIED only.
pub(crate) fn locations(flag: Option<PathBuf>) -> Result<ch_marking::Locations> {
    let path = match flag.filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p,
        None => match config_dir().map(|d| d.join("locations.toml")) {
            Some(p) if p.is_file() => p,
            _ => return Ok(ch_marking::Locations::default()),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot read the locations configuration: {e}",
            path.display()
        )
    })?;
    Ok(ch_marking::Locations::from_toml(
        &path.display().to_string(),
        &text,
    )?)
}

/// `path` made absolute with links resolved (its folder must exist), for the
/// accreditation check.
pub(crate) fn resolved(path: &std::path::Path) -> Result<PathBuf> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir =
        std::fs::canonicalize(&parent).map_err(|e| anyhow::anyhow!("{}: {e}", parent.display()))?;
    Ok(match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    })
}
