//! A real HTTP server on loopback that serves OSV exports in the layout of osv.dev's
//! public bucket, built from the shared data (or any zips), for sync tests.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How the mirror should misbehave for one ecosystem's `all.zip`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Flip bytes inside the archive (the declared length stays right).
    CorruptBytes,
    /// Answer 500.
    ServerError,
}

struct Ecosystem {
    original: PathBuf,
    /// id → record bytes.
    records: BTreeMap<String, Vec<u8>>,
    changed: bool,
    fault: Option<Fault>,
}

#[derive(Default)]
struct State {
    ecosystems: BTreeMap<String, Ecosystem>,
    /// Any other file, by path (threat data feeds).
    files: BTreeMap<String, Vec<u8>>,
    requests: Vec<String>,
}

/// The running server; stops when dropped.
pub struct OsvMirror {
    server: Arc<tiny_http::Server>,
    state: Arc<Mutex<State>>,
    thread: Option<JoinHandle<()>>,
    url: String,
}

/// The bucket folder name of each shared-data export.
pub const SHARED_EXPORTS: &[(&str, &str)] = &[
    ("AlmaLinux", "osv-almalinux/all.zip"),
    ("Alpine", "osv-alpine-secdb/all.zip"),
    ("Packagist", "osv-friendsofphp/all.zip"),
    ("Go", "osv-go-vulndb/all.zip"),
    ("Homebrew", "osv-homebrew/all.zip"),
    ("npm", "osv-nodejs-security-wg/all.zip"),
    ("PyPI", "osv-pypa/all.zip"),
    ("CRAN", "osv-rconsortium/all.zip"),
    ("RubyGems", "osv-rubysec/all.zip"),
    ("crates.io", "osv-rustsec/all.zip"),
];

fn read_records(zip_path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(zip_path).expect("mirror: export zip must exist");
    let mut archive = zip::ZipArchive::new(file).expect("mirror: export must be a zip");
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("mirror: readable entry");
        let Some(id) = entry.name().strip_suffix(".json").map(str::to_owned) else {
            continue;
        };
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .expect("mirror: readable entry");
        out.insert(id, bytes);
    }
    out
}

fn build_zip(records: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (id, bytes) in records {
        writer
            .start_file(format!("{id}.json"), options)
            .expect("mirror: zip entry");
        writer.write_all(bytes).expect("mirror: zip write");
    }
    writer.finish().expect("mirror: zip finish").into_inner()
}

fn modified_of(bytes: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| v["modified"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn decode_path(path: &str) -> String {
    let mut out = Vec::new();
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl OsvMirror {
    /// Serves the shared data's exports under their bucket folder names.
    pub fn from_shared_data(data: &Path) -> Self {
        let exports: Vec<(String, PathBuf)> = SHARED_EXPORTS
            .iter()
            .map(|(eco, rel)| ((*eco).to_owned(), data.join(rel)))
            .collect();
        Self::start(&exports)
    }

    /// Serves the given `(folder name, export zip)` pairs.
    pub fn start(exports: &[(String, PathBuf)]) -> Self {
        let mut state = State::default();
        for (eco, zip) in exports {
            state.ecosystems.insert(
                eco.clone(),
                Ecosystem {
                    original: zip.clone(),
                    records: read_records(zip),
                    changed: false,
                    fault: None,
                },
            );
        }
        let state = Arc::new(Mutex::new(state));
        let server =
            Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("mirror: bind loopback"));
        let url = format!(
            "http://{}",
            server.server_addr().to_ip().expect("mirror: ip address")
        );
        let thread = {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let path = decode_path(request.url().split('?').next().unwrap_or(""));
                    let (status, body) = respond(&state, &path);
                    let response = tiny_http::Response::from_data(body).with_status_code(status);
                    let _ = request.respond(response);
                }
            })
        };
        OsvMirror {
            server,
            state,
            thread: Some(thread),
            url,
        }
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Adds or replaces a record in an ecosystem; `all.zip` and
    /// `modified_id.csv` follow.
    pub fn put_record(&self, ecosystem: &str, bytes: &[u8]) {
        let id = serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|v| v["id"].as_str().map(str::to_owned))
            .expect("mirror: record must have an id");
        let mut state = self.state.lock().expect("mirror: lock");
        let eco = state
            .ecosystems
            .get_mut(ecosystem)
            .expect("mirror: known ecosystem");
        eco.records.insert(id, bytes.to_vec());
        eco.changed = true;
    }

    /// Serves `bytes` at `path` (e.g. `feeds/known_exploited_vulnerabilities.json`).
    pub fn put_file(&self, path: &str, bytes: Vec<u8>) {
        let mut state = self.state.lock().expect("mirror: lock");
        state
            .files
            .insert(path.trim_start_matches('/').to_owned(), bytes);
    }

    /// Removes a record from an ecosystem's export.
    pub fn remove_record(&self, ecosystem: &str, id: &str) {
        let mut state = self.state.lock().expect("mirror: lock");
        let eco = state
            .ecosystems
            .get_mut(ecosystem)
            .expect("mirror: known ecosystem");
        eco.records.remove(id);
        eco.changed = true;
    }

    /// Makes `all.zip` of an ecosystem misbehave (or behave again with `None`).
    pub fn set_fault(&self, ecosystem: &str, fault: Option<Fault>) {
        let mut state = self.state.lock().expect("mirror: lock");
        state
            .ecosystems
            .get_mut(ecosystem)
            .expect("mirror: known ecosystem")
            .fault = fault;
    }

    /// The paths requested so far, in order; clears the list.
    pub fn take_requests(&self) -> Vec<String> {
        std::mem::take(&mut self.state.lock().expect("mirror: lock").requests)
    }
}

fn respond(state: &Mutex<State>, path: &str) -> (u16, Vec<u8>) {
    let mut state = state.lock().expect("mirror: lock");
    state.requests.push(path.to_owned());
    let path = path.trim_start_matches('/');
    if let Some(bytes) = state.files.get(path) {
        return (200, bytes.clone());
    }
    if path == "ecosystems.txt" {
        let list: String = state.ecosystems.keys().map(|k| format!("{k}\n")).collect();
        return (200, list.into_bytes());
    }
    let Some((eco_name, file)) = path.rsplit_once('/') else {
        return (404, b"not found".to_vec());
    };
    let Some(eco) = state.ecosystems.get(eco_name) else {
        return (404, b"not found".to_vec());
    };
    match file {
        "all.zip" => {
            if eco.fault == Some(Fault::ServerError) {
                return (500, b"internal error".to_vec());
            }
            let mut bytes = if eco.changed {
                build_zip(&eco.records)
            } else {
                std::fs::read(&eco.original).expect("mirror: read export")
            };
            if eco.fault == Some(Fault::CorruptBytes) {
                let mid = bytes.len() / 2;
                for b in &mut bytes[mid..mid + 64] {
                    *b ^= 0x5A;
                }
            }
            (200, bytes)
        }
        "modified_id.csv" => {
            let mut lines: Vec<(String, &String)> = eco
                .records
                .iter()
                .map(|(id, bytes)| (modified_of(bytes), id))
                .collect();
            lines.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            let csv: String = lines.iter().map(|(m, id)| format!("{m},{id}\n")).collect();
            (200, csv.into_bytes())
        }
        other => match other
            .strip_suffix(".json")
            .and_then(|id| eco.records.get(id))
        {
            Some(bytes) => (200, bytes.clone()),
            None => (404, b"not found".to_vec()),
        },
    }
}

impl Drop for OsvMirror {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
