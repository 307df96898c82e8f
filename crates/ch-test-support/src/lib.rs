//! Test-only helpers shared by every crate's tests.
//!
//! * [`shared_data`]: the one setting through which tests read the real public data
//!   in `../shared/data` (override with `CLEARINGHOUSE_SHARED_DATA`). In CI
//!   (`CI=true`) a missing folder fails the test; elsewhere the test is skipped with
//!   a message on standard error.
//! * [`osv_zip_records`]: the JSON records of an OSV export zip.
//! * [`ReferenceTool`]: runs a reference implementation (Python `packaging`, dpkg,
//!   node-semver, …) as one batch process for differential tests.
//!
//! * [`mirror::OsvMirror`]: a loopback HTTP server laid out like osv.dev's bucket.
//!
//! Never a dependency of production code.
#![allow(clippy::unwrap_used)]

pub mod mirror;
pub mod model_server;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The environment variable that overrides where the shared data lives.
pub const SHARED_DATA_ENV: &str = "CLEARINGHOUSE_SHARED_DATA";

/// The workspace root (the folder holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect("crates/ch-test-support sits two levels below the workspace root")
        .to_path_buf()
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The shared data folder, or `None` (after printing why) when it is missing outside CI.
///
/// # Panics
/// In CI (`CI=true`) when the folder is missing.
pub fn shared_data() -> Option<PathBuf> {
    let path = std::env::var_os(SHARED_DATA_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/data"));
    if path.join("SOURCES.md").is_file() {
        return Some(path.canonicalize().unwrap_or(path));
    }
    assert!(
        !in_ci(),
        "shared data not found at {} (set {SHARED_DATA_ENV}); it must be present in CI",
        path.display()
    );
    eprintln!(
        "skipped: shared data not found at {} (set {SHARED_DATA_ENV})",
        path.display()
    );
    None
}

/// Every `.json` entry of an OSV export zip, parsed, with its entry name.
pub fn osv_zip_records(zip_path: &Path) -> Vec<(String, serde_json::Value)> {
    let file = std::fs::File::open(zip_path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_owned();
        if !name.ends_with(".json") {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        out.push((name, serde_json::from_str(&text).unwrap()));
    }
    out
}

/// Every version string (range events other than `introduced: "0"` and `limit: "*"`,
/// and `versions[]`) of the `affected[]` entries whose ecosystem starts with
/// `ecosystem_prefix`, across the given OSV export zips. Sorted and de-duplicated.
pub fn osv_versions(zip_paths: &[PathBuf], ecosystem_prefix: &str) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for path in zip_paths {
        for (_, record) in osv_zip_records(path) {
            for affected in record["affected"].as_array().into_iter().flatten() {
                let eco = affected["package"]["ecosystem"].as_str().unwrap_or("");
                if !eco.starts_with(ecosystem_prefix) {
                    continue;
                }
                for range in affected["ranges"].as_array().into_iter().flatten() {
                    if range["type"] == "GIT" {
                        continue;
                    }
                    for event in range["events"].as_array().into_iter().flatten() {
                        for (key, value) in event.as_object().into_iter().flatten() {
                            let v = value.as_str().unwrap_or("");
                            if (key == "introduced" && v == "0") || (key == "limit" && v == "*") {
                                continue;
                            }
                            out.insert(v.to_owned());
                        }
                    }
                }
                for v in affected["versions"].as_array().into_iter().flatten() {
                    if let Some(v) = v.as_str() {
                        out.insert(v.to_owned());
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// A reference implementation run as one batch process: it reads lines `A<TAB>B`
/// on standard input and prints one line per pair, `<`, `=`, `>` or `!` (cannot
/// parse), in order.
pub struct ReferenceTool {
    /// What the tool is, for messages.
    pub name: &'static str,
    /// The program and its arguments.
    pub command: Vec<String>,
}

impl ReferenceTool {
    /// A tool from a program and arguments.
    pub fn new(name: &'static str, command: &[&str]) -> Self {
        ReferenceTool {
            name,
            command: command.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether the program can be started and answers a trivial pair. Outside CI a
    /// missing tool prints a skip message; in CI it panics (CI installs every tool).
    pub fn available(&self) -> bool {
        let ok = self
            .try_compare(&[("1".to_owned(), "1".to_owned())])
            .is_ok_and(|r| r.len() == 1);
        if !ok {
            assert!(
                !in_ci(),
                "reference tool {} (`{}`) is not available; .ci/run must install it",
                self.name,
                self.command.join(" ")
            );
            eprintln!(
                "skipped: reference tool {} (`{}`) is not available",
                self.name,
                self.command.join(" ")
            );
        }
        ok
    }

    /// Runs the tool over `pairs` and returns its answers, one per pair.
    ///
    /// # Panics
    /// If the tool fails or answers a different number of lines.
    pub fn compare(&self, pairs: &[(String, String)]) -> Vec<String> {
        let out = self
            .try_compare(pairs)
            .unwrap_or_else(|e| panic!("reference tool {} failed: {e}", self.name));
        assert_eq!(
            out.len(),
            pairs.len(),
            "reference tool {} answered {} lines for {} pairs",
            self.name,
            out.len(),
            pairs.len()
        );
        out
    }

    fn try_compare(&self, pairs: &[(String, String)]) -> Result<Vec<String>, String> {
        let mut child = Command::new(&self.command[0])
            .args(&self.command[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .current_dir(workspace_root())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut input = String::new();
        for (a, b) in pairs {
            input.push_str(a);
            input.push('\t');
            input.push_str(b);
            input.push('\n');
        }
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        writer.join().unwrap().map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!(
                "exit {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect())
    }
}

/// Pairs for a differential test over `versions`: every adjacent pair after sorting
/// with `sort_key` (which is where ordering bugs show), each version with itself, and
/// `n_random` pseudo-random pairs from a fixed seed (reproducible).
pub fn differential_pairs(versions: &[String], n_random: usize) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for w in versions.windows(2) {
        pairs.push((w[0].clone(), w[1].clone()));
        pairs.push((w[1].clone(), w[0].clone()));
    }
    for v in versions {
        pairs.push((v.clone(), v.clone()));
    }
    if versions.len() > 1 {
        // xorshift64*, fixed seed: the same pairs on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let n = versions.len() as u64;
        for _ in 0..n_random {
            let a = (next() % n) as usize;
            let b = (next() % n) as usize;
            pairs.push((versions[a].clone(), versions[b].clone()));
        }
    }
    pairs
}

/// Extracts every file of a zip archive under `dir` (entries that would land
/// outside it are skipped).
pub fn unzip_to(zip_path: &Path, dir: &Path) {
    let file = std::fs::File::open(zip_path).expect("zip must exist");
    let mut archive = zip::ZipArchive::new(file).expect("must be a zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("readable entry");
        let Some(rel) = entry.enclosed_name() else {
            continue;
        };
        let out = dir.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&out).expect("create folder");
            continue;
        }
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        let mut f = std::fs::File::create(&out).expect("create file");
        std::io::copy(&mut entry, &mut f).expect("write file");
    }
}
