//! Reading inventories from paths: files by name (or `--as`), folders walked.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use ch_inventory::{Format, Package};

/// The largest input file read (lockfiles and SBOMs of real projects are a few
/// megabytes; a gigabyte file is refused, not loaded).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// How to collect.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// Read every named file as this format instead of recognising it by name.
    pub force: Option<Format>,
    /// Skip what `.gitignore` files (and `.ignore` files) in the walked folders
    /// exclude, as git would.
    pub gitignore: bool,
}

/// One file read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file, as shown in output (the path as given, or under the folder given).
    pub file: String,
    /// How it was read: a format's name (`Cargo.lock`, `cyclonedx`, …) or an OS
    /// database's (`dpkg-status`, `apk-installed`, `rpmdb.sqlite`).
    pub format: &'static str,
    /// Packages it named.
    pub n_packages: usize,
}

/// What the paths held.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every package found, in input order.
    pub packages: Vec<Package>,
    /// Files read.
    pub inputs: Vec<InputFile>,
    /// Problems that did not stop reading.
    pub warnings: Vec<String>,
    /// Inputs that could not be read, one line each; the others were still read.
    pub errors: Vec<String>,
}

/// Reads every path: a file by its name (or as `options.force`), else by content
/// (a JSON SBOM, or an image tar); a folder that is an OCI image layout as an
/// image; any other folder by walking it (`.git` skipped, symbolic links not
/// followed), reading every file whose name a reader recognises and, at its root,
/// the OS package databases of a root filesystem.
pub fn collect(paths: &[PathBuf], options: &CollectOptions) -> Collected {
    let mut out = Collected::default();
    // Files read so far (canonical paths): a file named twice, found by the walk
    // and included by another, is read once.
    let mut read = HashSet::new();
    for path in paths {
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors
                    .push(format!("{}: {}", path.display(), io_reason(&e)));
                continue;
            }
        };
        if meta.is_dir() {
            if path.join("oci-layout").is_file() && path.join("index.json").is_file() {
                crate::image::scan_image_dir(path, &label(path), &mut out);
                continue;
            }
            let root = label(path);
            let root = if root == "." { String::new() } else { root };
            for db in crate::image::scan_rootfs_databases(path, &root, &mut out) {
                read.insert(fs::canonicalize(&db).unwrap_or(db));
            }
            if options.gitignore {
                walk_gitignore(path, &mut out, &mut read);
            } else {
                walk(path, &mut out, &mut read);
            }
        } else {
            let format = options
                .force
                .or_else(|| file_name(path).and_then(Format::detect));
            if format.is_none() && looks_like_tar(path) {
                crate::image::scan_image_tar(path, &label(path), &mut out);
                continue;
            }
            read_file(path, format, true, &mut out, &mut read);
        }
    }
    out
}

/// Whether a file starts like a tar archive.
fn looks_like_tar(path: &Path) -> bool {
    let mut head = [0u8; 512];
    let Ok(mut f) = fs::File::open(path) else {
        return false;
    };
    std::io::Read::read_exact(&mut f, &mut head).is_ok() && crate::image::is_tar(&head)
}

fn file_name(path: &Path) -> Option<&str> {
    path.file_name().and_then(|n| n.to_str())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

fn walk(root: &Path, out: &mut Collected, read: &mut HashSet<PathBuf>) {
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.errors
                    .push(format!("{}: {}", dir.display(), io_reason(&e)));
                continue;
            }
        };
        let mut names: Vec<(PathBuf, fs::FileType)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_type().ok().map(|t| (e.path(), t)))
            .collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, ty) in names.into_iter().rev() {
            if ty.is_dir() {
                if file_name(&path) != Some(".git") {
                    stack.push(path);
                }
            } else if ty.is_file() {
                if let Some(format) = file_name(&path).and_then(Format::detect) {
                    files.push((path, format));
                }
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, format) in files {
        read_file(&path, Some(format), false, out, read);
    }
}

/// [`walk`], leaving out what `.gitignore` files exclude (without needing a git
/// repository), as `git status` would.
fn walk_gitignore(root: &Path, out: &mut Collected, read: &mut HashSet<PathBuf>) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| e.file_name() != ".git")
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    let mut files = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let path = e.into_path();
                if let Some(format) = file_name(&path).and_then(Format::detect) {
                    files.push((path, format));
                }
            }
            Ok(_) => {}
            Err(e) => out.errors.push(e.to_string()),
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, format) in files {
        read_file(&path, Some(format), false, out, read);
    }
}

/// Reads one file; `named` when the user named it (so an unrecognised one is an
/// error, not skipped). `read` holds the files read before (which also ends
/// include cycles).
fn read_file(
    path: &Path,
    format: Option<Format>,
    named: bool,
    out: &mut Collected,
    read: &mut HashSet<PathBuf>,
) {
    let label = label(path);
    let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if read.contains(&canonical) {
        return;
    }
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(reason) => {
            out.errors.push(format!("{label}: {reason}"));
            return;
        }
    };
    let Some(format) = format.or_else(|| Format::sniff(&bytes)) else {
        if named {
            out.errors.push(format!(
                "{label}: not a recognised inventory file name; name the format with --as ({})",
                Format::ALL
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return;
    };
    let includes = read_parsed(
        &label,
        format,
        ch_inventory::read(format, &label, &bytes),
        out,
    );
    read.insert(canonical);
    {
        for (include, line) in includes {
            let target = path.parent().unwrap_or(Path::new(".")).join(&include);
            if !target.is_file() {
                out.errors.push(format!(
                    "{label}:{line}: included file `{}` does not exist",
                    target.display()
                ));
                continue;
            }
            read_file(&target, Some(format), true, out, read);
        }
    }
}

/// Adds what a reader returned to `out`; returns the includes to follow.
pub(crate) fn read_parsed(
    file: &str,
    format: Format,
    result: Result<ch_inventory::Parsed, ch_inventory::InventoryError>,
    out: &mut Collected,
) -> Vec<(String, u32)> {
    let includes = result
        .as_ref()
        .map(|p| p.includes.clone())
        .unwrap_or_default();
    record(file, format.name(), result, out);
    includes
}

/// Adds what a reader returned to `out`: its packages and warnings, or its error.
pub(crate) fn record(
    file: &str,
    format: &'static str,
    result: Result<ch_inventory::Parsed, ch_inventory::InventoryError>,
    out: &mut Collected,
) {
    match result {
        Ok(parsed) => {
            out.inputs.push(InputFile {
                file: file.to_owned(),
                format,
                n_packages: parsed.packages.len(),
            });
            out.packages.extend(parsed.packages);
            out.warnings.extend(parsed.warnings);
        }
        Err(e) => out.errors.push(e.to_string()),
    }
}

/// How a file is named in output: as given, without a leading `./` (a walk of `.`
/// gives `./Cargo.lock`; people and code-scanning services write `Cargo.lock`).
fn label(path: &Path) -> String {
    let text = path.display().to_string();
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => text,
    }
}

pub(crate) fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let meta = fs::metadata(path).map_err(|e| io_reason(&e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} bytes is larger than the {} MiB an inventory file may be; refused",
            meta.len(),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    fs::read(path).map_err(|e| io_reason(&e))
}
