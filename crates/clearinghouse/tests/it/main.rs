//! End-to-end tests: the real binary, real files, real loopback servers.
#![allow(clippy::unwrap_used, unreachable_pub)]

mod cvss;
mod data;
mod db;
mod eval;
mod eval_llm;
mod eval_run;
mod image;
mod peers;
mod prioritize;
mod query;
mod scan;
mod sync;
mod version;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        &self.stdout
    }

    /// Asserts exit code 2 with a one-line `error:` (plus an optional `hint:` line),
    /// and returns the error line.
    #[track_caller]
    pub fn user_error(&self) -> &str {
        assert_eq!(
            self.code, 2,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        let error = lines
            .iter()
            .find(|l| l.starts_with("error: "))
            .unwrap_or_else(|| panic!("no error line in {:?}", self.stderr));
        assert!(
            lines.iter().all(|l| l.starts_with("error: ")
                || l.starts_with("hint: ")
                || l.starts_with("warning: ")
                || !l.contains("panicked")),
            "unexpected stderr: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.stderr.contains("RUST_BACKTRACE"), "{}", self.stderr);
        error
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_clearinghouse")
}

/// Runs the binary with `args` against the database at `db`.
pub fn ch(db: &Path, args: &[&str]) -> Run {
    ch_stdin(db, args, None)
}

pub fn ch_stdin(db: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    ch_in(None, db, args, stdin)
}

/// Runs the binary in folder `dir` (else the test's own).
pub fn ch_in(dir: Option<&Path>, db: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    ch_env(dir, db, args, stdin, &[])
}

/// Runs the binary with extra environment variables.
pub fn ch_env(
    dir: Option<&Path>,
    db: &Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    let mut command = Command::new(bin());
    command
        .env_remove("CLEARINGHOUSE_EVAL_KEY")
        .env_remove("CLEARINGHOUSE_LOCATIONS")
        .envs(env.iter().copied());
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let mut child = command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CLEARINGHOUSE_DB")
        .env_remove("CLEARINGHOUSE_SYNC_URL")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The test fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// A fresh temporary folder and a database path inside it.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("advisories.db");
    (dir, db)
}

/// A database with the fixture advisories imported.
pub fn fixture_db() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = temp_db();
    let advisories = fixtures().join("advisories");
    ch(&db, &["db", "import", advisories.to_str().unwrap()]).ok();
    (dir, db)
}

/// `scan --offline --format json PATH` against `db`, checked against the schema.
pub fn scan_json(db: &Path, path: &Path) -> (Run, serde_json::Value) {
    let run = ch(
        db,
        &[
            "scan",
            "--offline",
            "--format",
            "json",
            path.to_str().unwrap(),
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_schema("scan-v1.schema.json", &v);
    (run, v)
}

/// The shared KEV catalog with one more entry (`cve`, added and due on the dates
/// given), as JSON bytes: what CISA publishes when it lists a CVE.
pub fn kev_catalog_with(data: &Path, cve: &str, added: &str, due: &str) -> Vec<u8> {
    let bytes = std::fs::read(data.join("kev/known_exploited_vulnerabilities.json")).unwrap();
    let mut catalog: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let mut entry = catalog["vulnerabilities"][0].clone();
    entry["cveID"] = cve.into();
    entry["dateAdded"] = added.into();
    entry["dueDate"] = due.into();
    let list = catalog["vulnerabilities"].as_array_mut().unwrap();
    list.push(entry);
    catalog["count"] = list.len().into();
    serde_json::to_vec(&catalog).unwrap()
}

/// Asserts that `value` validates against `docs/schemas/<name>`.
#[track_caller]
pub fn assert_schema(name: &str, value: &serde_json::Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schemas")
        .join(name);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{value:#}");
}

/// Asserts that `value` validates against the schema file at `path`; references to
/// other schemas resolve to the files of the same folder with the same name (the
/// CycloneDX schema refers to `spdx.schema.json` and `jsf-0.82.schema.json`).
#[track_caller]
pub fn assert_schema_file(path: &Path, value: &serde_json::Value) {
    struct Siblings(PathBuf);
    impl jsonschema::Retrieve for Siblings {
        fn retrieve(
            &self,
            uri: &jsonschema::Uri<String>,
        ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
            let name = uri
                .path()
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            Ok(serde_json::from_str(&std::fs::read_to_string(
                self.0.join(name),
            )?)?)
        }
    }
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_retriever(Siblings(path.parent().unwrap().to_path_buf()))
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
}
