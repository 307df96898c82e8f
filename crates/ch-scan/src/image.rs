//! Container images and root filesystems: the files inside that say what is
//! installed (OS package databases with their `os-release`, lockfiles, SBOMs).
//!
//! An image is an OCI image layout (a folder with `oci-layout` and `index.json`,
//! or a tar of one) or a `docker save` tar (`manifest.json`). The archive is read
//! once, front to back: each layer (tar, or gzip-compressed tar) is reduced to what
//! it adds, deletes (`.wh.NAME` whiteouts) and hides (`.wh..wh..opq` opaque
//! folders) among the interesting files; the manifest then says the order in which
//! the layers apply. Nothing is written to disk except an RPM database, which
//! SQLite must open from a file.
//!
//! Bounded: an image may unpack to at most [`MAX_IMAGE_BYTES`] (a compressed
//! layer that inflates beyond it is refused, not read), a captured file to
//! [`crate::MAX_FILE_BYTES`]; paths are normalised inside the image's root (`..`
//! never leaves it) and symbolic links are resolved in the image, never on the
//! host.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::Path;

use ch_inventory::{Format, OsRelease};

use crate::collect::{read_parsed, Collected};
use crate::MAX_FILE_BYTES;

/// The most bytes all of an image's layers may unpack to.
pub const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024 * 1024;

/// The most symbolic links followed to find one file.
const MAX_LINKS: usize = 16;

/// An OS package database, by where it lives in a root filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OsDb {
    Dpkg,
    Apk,
    Rpm,
}

impl OsDb {
    /// The database a root-relative path is, if any.
    pub(crate) fn at(path: &str) -> Option<OsDb> {
        match path {
            "var/lib/dpkg/status" => Some(OsDb::Dpkg),
            "lib/apk/db/installed" => Some(OsDb::Apk),
            "var/lib/rpm/rpmdb.sqlite" | "usr/lib/sysimage/rpm/rpmdb.sqlite" => Some(OsDb::Rpm),
            _ => None,
        }
    }
}

const OS_RELEASE: [&str; 2] = ["etc/os-release", "usr/lib/os-release"];

/// A file an image's layers left.
#[derive(Debug, Clone)]
enum Node {
    File(Vec<u8>),
    Link(String),
}

/// What one layer does to the interesting files.
#[derive(Debug, Default)]
struct Layer {
    deleted: Vec<String>,
    opaque: Vec<String>,
    added: BTreeMap<String, Node>,
}

/// Whether a file is worth keeping: an OS database, `os-release`, or a file a
/// reader recognises by name.
fn interesting(path: &str) -> bool {
    OsDb::at(path).is_some()
        || OS_RELEASE.contains(&path)
        || path.rsplit('/').next().and_then(Format::detect).is_some()
}

/// A path inside the image, relative to its root, without `.`, `..` above the
/// root, or repeated slashes.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Counts bytes read, failing past a budget shared by the whole image.
struct Budget<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::other(format!(
                "the image unpacks to more than {} GiB; refused",
                MAX_IMAGE_BYTES >> 30
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Reads one layer (a tar, gzip-compressed or not), keeping the interesting files.
fn read_layer(reader: impl Read, left: &mut u64) -> io::Result<Layer> {
    let mut buffered = io::BufReader::new(reader);
    let head = io::BufRead::fill_buf(&mut buffered)?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Err(io::Error::other(
            "zstd-compressed layers are not supported yet",
        ));
    }
    let inner: Box<dyn Read> = if gzip {
        Box::new(flate2::read::GzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    };
    let mut budget = Budget { inner, left: *left };
    let mut layer = Layer::default();
    {
        let mut archive = tar::Archive::new(&mut budget);
        for entry in archive.entries()? {
            let mut entry = entry?;
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let path = normalise(&raw);
            let (dir, name) = match path.rsplit_once('/') {
                Some((d, n)) => (d.to_owned(), n.to_owned()),
                None => (String::new(), path.clone()),
            };
            if name == ".wh..wh..opq" {
                layer.opaque.push(dir);
                continue;
            }
            if let Some(hidden) = name.strip_prefix(".wh.") {
                layer.deleted.push(if dir.is_empty() {
                    hidden.to_owned()
                } else {
                    format!("{dir}/{hidden}")
                });
                continue;
            }
            if !interesting(&path) {
                continue;
            }
            let kind = entry.header().entry_type();
            if kind.is_symlink() || kind.is_hard_link() {
                if let Some(target) = entry.link_name_bytes() {
                    let target = String::from_utf8_lossy(&target).into_owned();
                    let target = if kind.is_hard_link() {
                        format!("/{}", normalise(&target))
                    } else {
                        target
                    };
                    layer.added.insert(path, Node::Link(target));
                }
            } else if kind.is_file() {
                if entry.size() > MAX_FILE_BYTES {
                    continue;
                }
                let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
                entry.read_to_end(&mut bytes)?;
                layer.added.insert(path, Node::File(bytes));
            }
        }
    }
    *left = budget.left;
    Ok(layer)
}

/// The files the layers leave, applied in order.
fn apply(layers: Vec<Layer>) -> BTreeMap<String, Node> {
    let mut fs: BTreeMap<String, Node> = BTreeMap::new();
    let under = |root: &str, path: &str| {
        root.is_empty() || path == root || path.starts_with(&format!("{root}/"))
    };
    for layer in layers {
        for gone in &layer.deleted {
            fs.retain(|p, _| !under(gone, p));
        }
        for dir in &layer.opaque {
            fs.retain(|p, _| !(under(dir, p) && p != dir));
        }
        fs.extend(layer.added);
    }
    fs
}

/// A file's bytes, following symbolic links inside the image.
fn lookup<'a>(fs: &'a BTreeMap<String, Node>, path: &str) -> Option<&'a [u8]> {
    let mut path = normalise(path);
    for _ in 0..MAX_LINKS {
        match fs.get(&path)? {
            Node::File(bytes) => return Some(bytes),
            Node::Link(target) => {
                path = if target.starts_with('/') {
                    normalise(target)
                } else {
                    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                    normalise(&format!("{dir}/{target}"))
                };
            }
        }
    }
    None
}

/// Reads what an image's final filesystem holds into `out`, labelled
/// `LABEL:path`.
fn scan_files(label: &str, fs: &BTreeMap<String, Node>, out: &mut Collected) {
    let os = OS_RELEASE
        .iter()
        .find_map(|p| lookup(fs, p))
        .map(|b| OsRelease::parse(&String::from_utf8_lossy(b)));
    for path in fs.keys() {
        if OS_RELEASE.contains(&path.as_str()) {
            continue;
        }
        let Some(bytes) = lookup(fs, path) else {
            continue;
        };
        let file = format!("{label}:{path}");
        match OsDb::at(path) {
            Some(db) => read_os_db(&file, db, bytes, os.as_ref(), out),
            None => {
                let format = path.rsplit('/').next().and_then(Format::detect);
                if let Some(format) = format {
                    read_parsed(&file, format, ch_inventory::read(format, &file, bytes), out);
                }
            }
        }
    }
}

/// Reads one OS package database (from memory; an RPM database through a
/// temporary file, as SQLite needs one).
pub(crate) fn read_os_db(
    file: &str,
    db: OsDb,
    bytes: &[u8],
    os: Option<&OsRelease>,
    out: &mut Collected,
) {
    let text = || String::from_utf8_lossy(bytes);
    let result = match db {
        OsDb::Dpkg => ch_inventory::read_dpkg_status(file, &text(), os),
        OsDb::Apk => ch_inventory::read_apk_installed(file, &text(), os),
        OsDb::Rpm => match rpm_blobs(bytes) {
            Ok(blobs) => ch_inventory::read_rpm_headers(file, blobs.iter().map(Vec::as_slice), os),
            Err(reason) => Err(ch_inventory::InventoryError {
                file: file.to_owned(),
                line: None,
                message: reason,
            }),
        },
    };
    let format = match db {
        OsDb::Dpkg => "dpkg-status",
        OsDb::Apk => "apk-installed",
        OsDb::Rpm => "rpmdb.sqlite",
    };
    crate::collect::record(file, format, result, out);
}

/// Every package header blob of an `rpmdb.sqlite`.
fn rpm_blobs(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let path = dir.path().join("rpmdb.sqlite");
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write a temporary copy: {e}"))?;
    let conn = rusqlite::Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("not an RPM database: {e}"))?;
    let mut stmt = conn
        .prepare("SELECT blob FROM Packages ORDER BY hnum")
        .map_err(|e| format!("not an RPM database (no Packages table): {e}"))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .map_err(|e| format!("not an RPM database: {e}"))?;
    rows.collect::<Result<_, _>>()
        .map_err(|e| format!("not an RPM database: {e}"))
}

/// Reads a root filesystem folder: its OS package databases, with its
/// `os-release`. (Lockfiles in it are found by the ordinary folder walk.)
pub(crate) fn scan_rootfs_databases(
    root: &Path,
    label: &str,
    out: &mut Collected,
) -> Vec<std::path::PathBuf> {
    let os = OS_RELEASE
        .iter()
        .find_map(|p| std::fs::read(root.join(p)).ok())
        .map(|b| OsRelease::parse(&String::from_utf8_lossy(&b)));
    let mut read = Vec::new();
    for rel in [
        "var/lib/dpkg/status",
        "lib/apk/db/installed",
        "var/lib/rpm/rpmdb.sqlite",
        "usr/lib/sysimage/rpm/rpmdb.sqlite",
    ] {
        let path = root.join(rel);
        // Never follow a link out of the root.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let file = if label.is_empty() {
            rel.to_owned()
        } else {
            format!("{label}/{rel}")
        };
        match crate::collect::read_bounded(&path) {
            Ok(bytes) => {
                if let Some(db) = OsDb::at(rel) {
                    read_os_db(&file, db, &bytes, os.as_ref(), out);
                    read.push(path);
                }
            }
            Err(reason) => out.errors.push(format!("{file}: {reason}")),
        }
    }
    read
}

/// Whether a file is a tar archive (the `ustar` magic at offset 257).
pub(crate) fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// Reads an image tar (`docker save`, or an OCI layout in a tar) into `out`.
pub(crate) fn scan_image_tar(path: &Path, label: &str, out: &mut Collected) {
    let result = (|| -> io::Result<()> {
        let file = std::fs::File::open(path)?;
        let mut archive = tar::Archive::new(io::BufReader::new(file));
        let mut left = MAX_IMAGE_BYTES;
        let mut layers: HashMap<String, Layer> = HashMap::new();
        let mut json: HashMap<String, Vec<u8>> = HashMap::new();
        for entry in archive.entries()? {
            let mut entry = entry?;
            let name = normalise(&String::from_utf8_lossy(&entry.path_bytes()));
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let mut head = [0u8; 1];
            let size = entry.size();
            if size <= 4 * 1024 * 1024 {
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes)?;
                head[0] = bytes.first().copied().unwrap_or(0);
                if head[0] == b'{' || head[0] == b'[' {
                    json.insert(name, bytes);
                    continue;
                }
                if let Ok(layer) = read_layer(&bytes[..], &mut left) {
                    layers.insert(name, layer);
                }
                continue;
            }
            match read_layer(&mut entry, &mut left) {
                Ok(layer) => {
                    layers.insert(name, layer);
                }
                Err(e) if e.to_string().contains("refused") || e.to_string().contains("zstd") => {
                    return Err(e)
                }
                Err(_) => {}
            }
        }
        let order = layer_order(&json).map_err(io::Error::other)?;
        let mut ordered = Vec::new();
        for name in order {
            match layers.remove(&name) {
                Some(l) => ordered.push(l),
                None => {
                    return Err(io::Error::other(format!(
                        "layer `{name}` is missing or not a tar"
                    )))
                }
            }
        }
        scan_files(label, &apply(ordered), out);
        Ok(())
    })();
    if let Err(e) = result {
        out.errors
            .push(format!("{label}: not a readable image: {e}"));
    }
}

/// Reads an OCI image layout folder into `out`.
pub(crate) fn scan_image_dir(root: &Path, label: &str, out: &mut Collected) {
    let result = (|| -> io::Result<()> {
        let read_json = |rel: &str| -> io::Result<Vec<u8>> {
            let p = root.join(rel);
            let meta = std::fs::symlink_metadata(&p)?;
            if !meta.is_file() || meta.len() > 4 * 1024 * 1024 {
                return Err(io::Error::other(format!(
                    "`{rel}` is not a small regular file"
                )));
            }
            std::fs::read(p)
        };
        let mut json = HashMap::new();
        json.insert("index.json".to_owned(), read_json("index.json")?);
        // Follow index → manifest (possibly through a nested index).
        let mut left = MAX_IMAGE_BYTES;
        for _ in 0..4 {
            match layer_order(&json) {
                Ok(order) => {
                    let mut layers = Vec::new();
                    for name in order {
                        let p = root.join(&name);
                        let meta = std::fs::symlink_metadata(&p)?;
                        if !meta.is_file() {
                            return Err(io::Error::other(format!("layer `{name}` is missing")));
                        }
                        layers.push(read_layer(std::fs::File::open(p)?, &mut left)?);
                    }
                    scan_files(label, &apply(layers), out);
                    return Ok(());
                }
                Err(Missing(blob)) => {
                    let bytes = read_json(&blob)?;
                    json.insert(blob, bytes);
                }
            }
        }
        Err(io::Error::other(
            "index.json does not lead to an image manifest",
        ))
    })();
    if let Err(e) = result {
        out.errors
            .push(format!("{label}: not a readable image: {e}"));
    }
}

/// A blob the manifests refer to that has not been read yet.
#[derive(Debug)]
struct Missing(String);

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "manifest `{}` is missing", self.0)
    }
}

impl std::error::Error for Missing {}

fn blob_path(digest: &str) -> String {
    match digest.split_once(':') {
        Some((alg, hex)) => format!("blobs/{alg}/{hex}"),
        None => format!("blobs/{digest}"),
    }
}

/// The layer files in the order they apply: from `manifest.json` (docker save)
/// or `index.json` → image manifest (OCI; the first manifest, or the linux/amd64
/// one of several).
fn layer_order(json: &HashMap<String, Vec<u8>>) -> Result<Vec<String>, Missing> {
    let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
    if let Some(m) = json.get("manifest.json").and_then(|b| parse(b)) {
        if let Some(layers) = m
            .get(0)
            .and_then(|m| m.get("Layers"))
            .and_then(|l| l.as_array())
        {
            return Ok(layers
                .iter()
                .filter_map(|l| l.as_str().map(normalise))
                .collect());
        }
    }
    let mut current = json
        .get("index.json")
        .and_then(|b| parse(b))
        .ok_or_else(|| Missing("index.json".into()))?;
    for _ in 0..4 {
        if let Some(layers) = current.get("layers").and_then(|l| l.as_array()) {
            return Ok(layers
                .iter()
                .filter_map(|l| l.get("digest").and_then(|d| d.as_str()).map(blob_path))
                .collect());
        }
        let manifests = current
            .get("manifests")
            .and_then(|m| m.as_array())
            .cloned()
            .unwrap_or_default();
        let chosen = manifests
            .iter()
            .find(|m| {
                m.get("platform").is_some_and(|p| {
                    p.get("os").and_then(|o| o.as_str()) == Some("linux")
                        && p.get("architecture").and_then(|a| a.as_str()) == Some("amd64")
                })
            })
            .or_else(|| manifests.first())
            .and_then(|m| m.get("digest").and_then(|d| d.as_str()))
            .map(blob_path)
            .ok_or_else(|| Missing("an image manifest".into()))?;
        current = json
            .get(&chosen)
            .and_then(|b| parse(b))
            .ok_or(Missing(chosen))?;
    }
    Err(Missing("an image manifest".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_that_inflates_past_the_budget_is_refused() {
        // 8 MiB of zeros in a tar, gzip-compressed to a few kilobytes.
        let mut builder = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(8 << 20);
        header.set_mode(0o644);
        builder
            .append_data(
                &mut header,
                "app/Cargo.lock",
                std::io::repeat(0).take(8 << 20),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let tar = builder.into_inner().unwrap_or_default();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, &tar).unwrap_or_else(|e| panic!("{e}"));
        let gz = enc.finish().unwrap_or_default();
        assert!(gz.len() < 64 * 1024, "{}", gz.len());
        let mut left = 1 << 20;
        let e = read_layer(&gz[..], &mut left).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("the image unpacks to more than 16 GiB; refused")
        );
        let mut left = 16 << 20;
        assert!(read_layer(&gz[..], &mut left).is_ok());
        assert!(left < 8 << 20, "the budget is spent: {left}");
    }

    #[test]
    fn paths_stay_inside_the_root() {
        assert_eq!(normalise("./etc/../../../etc/os-release"), "etc/os-release");
        assert_eq!(normalise("/var//lib/./dpkg/status"), "var/lib/dpkg/status");
    }

    #[test]
    fn whiteouts_and_opaque_folders_hide_lower_layers() {
        let file = |s: &str| Node::File(s.as_bytes().to_vec());
        let mut l1 = Layer::default();
        l1.added.insert("app/Cargo.lock".into(), file("1"));
        l1.added.insert("srv/x/Cargo.lock".into(), file("2"));
        l1.added.insert("opt/Cargo.lock".into(), file("3"));
        let mut l2 = Layer::default();
        l2.deleted.push("app".into());
        l2.opaque.push("srv".into());
        l2.added.insert("srv/y/Cargo.lock".into(), file("4"));
        let fs = apply(vec![l1, l2]);
        let paths: Vec<&str> = fs.keys().map(String::as_str).collect();
        assert_eq!(paths, ["opt/Cargo.lock", "srv/y/Cargo.lock"]);
    }

    #[test]
    fn links_resolve_inside_the_image_and_loops_end() {
        let mut fs = BTreeMap::new();
        fs.insert(
            "usr/lib/os-release".to_owned(),
            Node::File(b"ID=debian".to_vec()),
        );
        fs.insert(
            "etc/os-release".to_owned(),
            Node::Link("../usr/lib/os-release".into()),
        );
        fs.insert("a".to_owned(), Node::Link("/b".into()));
        fs.insert("b".to_owned(), Node::Link("a".into()));
        assert_eq!(lookup(&fs, "etc/os-release"), Some(&b"ID=debian"[..]));
        assert_eq!(lookup(&fs, "a"), None);
        assert_eq!(lookup(&fs, "missing"), None);
    }
}
