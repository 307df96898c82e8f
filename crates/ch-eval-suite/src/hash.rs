//! Content hashes: SHA-256 over every file of a folder, in path order, each as its
//! relative path, a NUL, its length, a NUL and its bytes, so that renaming, moving or
//! editing any file changes the hash and nothing else does.

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

/// A SHA-256 content hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash(pub [u8; 32]);

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sha256:")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Every regular file under `dir` (links are refused: a task must be self-contained),
/// as (relative path with `/`, absolute path), sorted by relative path.
pub(crate) fn files(dir: &Path) -> std::io::Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path));
            } else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "`{}` is a link or a special file; tasks hold regular files only",
                        path.display()
                    ),
                ));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The content hash of a folder.
pub fn folder_hash(dir: &Path) -> std::io::Result<Hash> {
    let mut h = Sha256::new();
    for (rel, path) in files(dir)? {
        let bytes = std::fs::read(&path)?;
        h.update(rel.as_bytes());
        h.update([0]);
        h.update(bytes.len().to_string().as_bytes());
        h.update([0]);
        h.update(&bytes);
    }
    Ok(Hash(h.finalize().into()))
}
