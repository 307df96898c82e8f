//! Leasing an unprivileged host user id for a session, when running as root.
//!
//! Ids come from a fixed pool far above ordinary accounts. A lease is an exclusive lock
//! on `/run/clearinghouse-sandbox-uids/<uid>.lock` (only root writes `/run`, so no
//! one else can take the folder first), so concurrent Clearinghouse processes never
//! share an id, and a crashed process's leases free themselves.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::SandboxError;

/// First id of the pool (no distribution allocates accounts this high).
pub(crate) const POOL_BASE: u32 = 0x6000_0000;
pub(crate) const POOL_SIZE: u32 = 4096;

#[derive(Debug)]
pub(crate) struct Lease {
    pub(crate) uid: u32,
    _lock: File,
}

fn dir() -> Result<PathBuf, SandboxError> {
    let dir = std::path::Path::new("/run/clearinghouse-sandbox-uids").to_path_buf();
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(source) => return Err(SandboxError::Io { path: dir, source }),
    }
    let meta = std::fs::symlink_metadata(&dir).map_err(|source| SandboxError::Io {
        path: dir.clone(),
        source,
    })?;
    // Someone else's folder (or a link) could hand out ids we do not control.
    if !meta.is_dir() || meta.uid() != 0 {
        return Err(SandboxError::Unavailable(format!(
            "{} is not a folder owned by root",
            dir.display()
        )));
    }
    Ok(dir)
}

impl Lease {
    pub(crate) fn take() -> Result<Lease, SandboxError> {
        let dir = dir()?;
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
            ^ std::process::id().wrapping_mul(2_654_435_761);
        for i in 0..POOL_SIZE {
            let uid = POOL_BASE + (seed.wrapping_add(i) % POOL_SIZE);
            let path = dir.join(format!("{uid}.lock"));
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|source| SandboxError::Io {
                    path: path.clone(),
                    source,
                })?;
            if file.try_lock().is_ok() {
                return Ok(Lease { uid, _lock: file });
            }
        }
        Err(SandboxError::NoFreeUid(POOL_SIZE))
    }
}
