//! Evaluation result files (issue 5): the format, writing with resume, scores with
//! intervals, signatures, verification and reports.
//!
//! A run writes `OUT.partial` — the header, then each sample as it finishes — and on
//! completion appends the summary and the signature and renames it to `OUT`. Resuming
//! reads `OUT.partial` back (a torn last line from a crash is dropped) and runs only the
//! samples it lacks. See [`format`] for the lines.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub mod format;
pub mod report;
pub mod sign;
pub mod summary;

pub use ed25519_dalek::VerifyingKey as PublicKey;
pub use format::{
    End, GroupScore, Harness, Header, Limits, Line, ModelRef, Prices, RunSettings, Sample, Scores,
    Signature, SuiteRef, Summary, TaskRef, Usage, SCHEMA_VERSION,
};
pub use sign::{key_id, load_public, Key};
pub use summary::{summarize, Scored};

#[derive(Debug, thiserror::Error)]
pub enum ResultError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Key { path: String, message: String },
    /// Not a result file, or a malformed one.
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: usize,
        message: String,
    },
    /// Changed after it was signed, or signed over inconsistent content.
    #[error("{path}: NOT VERIFIED: {message}")]
    Tampered { path: String, message: String },
    /// Signed, but not by the key that was expected.
    #[error("{path}: NOT VERIFIED: {message}")]
    Untrusted { path: String, message: String },
    /// A partial result that belongs to another run.
    #[error("{path}: {message}")]
    Incompatible { path: String, message: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ResultError + '_ {
    move |source| ResultError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Where a run's lines go while it runs.
pub fn partial_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".partial");
    PathBuf::from(s)
}

/// Longest line accepted when reading (a sample with a long transcript).
const MAX_LINE: usize = 256 << 20;

/// A line's 1-based number, its bytes, and whether it is torn (no newline).
type NumberedLine = (usize, Vec<u8>, bool);

/// Reads lines with their 1-based numbers; a line without its newline is reported as
/// torn.
fn lines(
    path: &Path,
) -> Result<impl Iterator<Item = Result<NumberedLine, ResultError>> + '_, ResultError> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path).map_err(io(path))?);
    let mut n = 0usize;
    Ok(std::iter::from_fn(move || {
        let mut buf = Vec::new();
        match reader
            .by_ref()
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(0) => None,
            Ok(_) => {
                n += 1;
                if buf.len() > MAX_LINE {
                    return Some(Err(ResultError::Invalid {
                        path: path.display().to_string(),
                        line: n,
                        message: format!("longer than {MAX_LINE} bytes"),
                    }));
                }
                let torn = buf.last() != Some(&b'\n');
                Some(Ok((n, buf, torn)))
            }
            Err(e) => Some(Err(io(path)(e))),
        }
    }))
}

use std::io::Read as _;

fn parse_line(path: &Path, n: usize, bytes: &[u8]) -> Result<Line, ResultError> {
    serde_json::from_slice(bytes).map_err(|e| ResultError::Invalid {
        path: path.display().to_string(),
        line: n,
        message: format!("not a result line ({e})"),
    })
}

/// The header of `OUT.partial`, if a run was interrupted there.
pub fn partial_header(out: &Path) -> Result<Option<Header>, ResultError> {
    let p = partial_path(out);
    if !p.exists() {
        return Ok(None);
    }
    let mut it = lines(&p)?;
    match it.next() {
        Some(Ok((n, bytes, false))) => match parse_line(&p, n, &bytes)? {
            Line::Header(h) => Ok(Some(*h)),
            _ => Err(ResultError::Invalid {
                path: p.display().to_string(),
                line: 1,
                message: "the first line is not the header".into(),
            }),
        },
        // Torn before the header was complete: nothing to resume.
        Some(Ok((_, _, true))) | None => Ok(None),
        Some(Err(e)) => Err(e),
    }
}

/// Writes a run's result file.
#[derive(Debug)]
pub struct Writer {
    out: PathBuf,
    partial: PathBuf,
    file: File,
    header: Header,
    done: HashSet<String>,
}

/// What must match for a partial result to be resumed: everything but how fast it ran
/// (concurrency, the retry policy and rate limit) and when it started.
fn same_run(a: &Header, b: &Header) -> bool {
    let norm = |h: &Header| {
        let mut h = h.clone();
        h.run.concurrency = 0;
        h.run.retry = serde_json::Value::Null;
        h.started = String::new();
        h
    };
    norm(a) == norm(b)
}

impl Writer {
    /// Starts `OUT.partial` with `header`, or resumes it when it holds the same run
    /// (the header equal but for concurrency, retries and start time; the file's own
    /// header is kept). The file is locked while the writer lives, so two runs never
    /// write one file.
    pub fn open(out: &Path, header: Header) -> Result<Writer, ResultError> {
        let partial = partial_path(out);
        let refuse = |message: String| ResultError::Incompatible {
            path: partial.display().to_string(),
            message,
        };
        if let Ok(meta) = std::fs::symlink_metadata(&partial) {
            if !meta.is_file() {
                return Err(refuse("is not a regular file (a link?); remove it".into()));
            }
        }
        let mut done = HashSet::new();
        let (file, header) = match partial_header(out)? {
            Some(existing) => {
                if !same_run(&existing, &header) {
                    return Err(refuse(format!(
                        "holds an interrupted run with other settings ({}); finish it with the same command, or remove it",
                        first_difference(&existing, &header)
                    )));
                }
                let file = OpenOptions::new()
                    .append(true)
                    .open(&partial)
                    .map_err(io(&partial))?;
                if file.try_lock().is_err() {
                    return Err(refuse("another run is writing it".into()));
                }
                // Keep complete sample lines; drop a torn one, and a summary or signature
                // written before a crash kept the rename from happening.
                let mut keep = 0u64;
                for item in lines(&partial)? {
                    let (n, bytes, torn) = item?;
                    if torn {
                        break;
                    }
                    if n > 1 {
                        match parse_line(&partial, n, &bytes)? {
                            Line::Sample(s) => {
                                done.insert(s.id);
                            }
                            Line::Summary(_) | Line::Signature(_) => break,
                            Line::Header(_) => {
                                return Err(ResultError::Invalid {
                                    path: partial.display().to_string(),
                                    line: n,
                                    message: "a second header".into(),
                                })
                            }
                        }
                    }
                    keep += bytes.len() as u64;
                }
                file.set_len(keep).map_err(io(&partial))?;
                (file, existing)
            }
            None => {
                // A new file, never through an existing name or link.
                let _ = std::fs::remove_file(&partial);
                let mut f = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&partial)
                    .map_err(io(&partial))?;
                if f.try_lock().is_err() {
                    return Err(refuse("another run is writing it".into()));
                }
                f.write_all(&format::encode(&Line::Header(Box::new(header.clone()))))
                    .and_then(|()| f.flush())
                    .map_err(io(&partial))?;
                (f, header)
            }
        };
        Ok(Writer {
            out: out.to_path_buf(),
            partial,
            file,
            header,
            done,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Whether the sample `id` is already in the file (from an interrupted run).
    pub fn is_done(&self, id: &str) -> bool {
        self.done.contains(id)
    }

    pub fn done(&self) -> usize {
        self.done.len()
    }

    /// Appends a finished sample, whole (one write of the line).
    pub fn append(&mut self, sample: &Sample) -> Result<(), ResultError> {
        let mut line = format::encode(&Line::Sample(Box::new(sample.clone())));
        if line.len() > MAX_LINE {
            // A transcript too long for a line that can be read back: its middle goes,
            // with a note saying how much.
            let mut cut = sample.clone();
            let mut removed = 0usize;
            while line.len() > MAX_LINE && cut.transcript.len() > 2 {
                let mid = cut.transcript.len() / 2;
                let n = (cut.transcript.len() / 2).max(1);
                cut.transcript.drain(mid - n / 2..mid - n / 2 + n);
                removed += n;
                let mut t = cut.clone();
                t.transcript.insert(
                    t.transcript.len() / 2,
                    serde_json::json!({"role": "system", "content": format!("[{removed} messages cut: the sample's line exceeded {MAX_LINE} bytes]")}),
                );
                line = format::encode(&Line::Sample(Box::new(t)));
            }
        }
        self.file
            .write_all(&line)
            .and_then(|()| self.file.flush())
            .map_err(io(&self.partial))?;
        self.done.insert(sample.id.clone());
        Ok(())
    }

    /// Appends the summary (computed from the samples as written, in file order) and
    /// the signature, and renames the file to its final name.
    pub fn finish(mut self, key: &Key, finished: &str) -> Result<Summary, ResultError> {
        self.file.sync_all().map_err(io(&self.partial))?;
        let mut scored = Vec::new();
        let mut hasher = Sha256::new();
        for item in lines(&self.partial)? {
            let (n, bytes, _) = item?;
            hasher.update(&bytes);
            if n > 1 {
                if let Line::Sample(s) = parse_line(&self.partial, n, &bytes)? {
                    scored.push(Scored::of(&s));
                }
            }
        }
        let summary = summarize(&self.header, &scored, finished);
        let line = format::encode(&Line::Summary(Box::new(summary.clone())));
        hasher.update(&line);
        let digest: [u8; 32] = hasher.finalize().into();
        let public = key.public();
        let sig = Line::Signature(Signature {
            algorithm: "ed25519".into(),
            public_key: sign::public_hex(&public),
            key_id: key_id(&public),
            signed: sign::digest_hex(&digest),
            signature: key.sign_digest(&digest),
        });
        self.file
            .write_all(&line)
            .and_then(|()| self.file.write_all(&format::encode(&sig)))
            .and_then(|()| self.file.sync_all())
            .map_err(io(&self.partial))?;
        std::fs::rename(&self.partial, &self.out).map_err(io(&self.out))?;
        Ok(summary)
    }
}

fn first_difference(a: &Header, b: &Header) -> String {
    let (va, vb) = (
        serde_json::to_value(a).unwrap_or_default(),
        serde_json::to_value(b).unwrap_or_default(),
    );
    fn walk(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Option<String> {
        match (a, b) {
            (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
                for k in x.keys().chain(y.keys()) {
                    let next = if at.is_empty() {
                        k.clone()
                    } else {
                        format!("{at}.{k}")
                    };
                    let null = serde_json::Value::Null;
                    if let Some(d) =
                        walk(x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null), &next)
                    {
                        return Some(d);
                    }
                }
                None
            }
            _ if a == b => None,
            _ => Some(format!("`{at}` was {a}, now {b}")),
        }
    }
    walk(&va, &vb, "").unwrap_or_else(|| "the headers differ".into())
}

/// A verified result file.
#[derive(Debug, Clone)]
pub struct Verified {
    pub header: Header,
    pub summary: Summary,
    pub samples: Vec<Scored>,
    pub key_id: String,
    pub public_key: String,
    /// The digest that was signed.
    pub digest: String,
}

/// Checks a result file: its structure, that every sample belongs to a task of the
/// header and is dominated by its marking, that the summary is what the samples give,
/// the digest of its bytes and the signature — and, when `trusted` is given, that it
/// was signed by that key. Reads the file once, in bounded memory (transcripts are not
/// kept).
pub fn verify(
    path: &Path,
    trusted: Option<&ed25519_dalek::VerifyingKey>,
) -> Result<Verified, ResultError> {
    let p = path.display().to_string();
    let invalid = |line: usize, message: String| ResultError::Invalid {
        path: p.clone(),
        line,
        message,
    };
    let tampered = |message: String| ResultError::Tampered {
        path: p.clone(),
        message,
    };
    let mut hasher = Sha256::new();
    let mut header: Option<Header> = None;
    let mut summary: Option<(usize, Summary)> = None;
    let mut signature: Option<(Signature, [u8; 32])> = None;
    let mut scored = Vec::new();
    let mut ids = HashSet::new();
    for item in lines(path)? {
        let (n, bytes, torn) = item?;
        if torn {
            return Err(invalid(
                n,
                "the last line is cut short (an unfinished write?)".into(),
            ));
        }
        if signature.is_some() {
            return Err(invalid(n, "nothing may follow the signature".into()));
        }
        let line = parse_line(path, n, &bytes)?;
        match (n, line) {
            (1, Line::Header(h)) => {
                if h.schema_version != SCHEMA_VERSION {
                    return Err(invalid(
                        1,
                        format!(
                            "schema_version {} is not {SCHEMA_VERSION}",
                            h.schema_version
                        ),
                    ));
                }
                header = Some(*h)
            }
            (1, _) => return Err(invalid(1, "the first line must be the header".into())),
            (_, Line::Header(_)) => return Err(invalid(n, "a second header".into())),
            (_, Line::Sample(s)) => {
                if summary.is_some() {
                    return Err(invalid(n, "a sample after the summary".into()));
                }
                let h = header
                    .as_ref()
                    .ok_or_else(|| invalid(n, "no header".into()))?;
                let task = h.tasks.iter().find(|t| t.id == s.task).ok_or_else(|| {
                    invalid(
                        n,
                        format!(
                            "sample `{}` names task `{}`, which the header does not list",
                            s.id, s.task
                        ),
                    )
                })?;
                if !h.marking.dominates(&s.marking) || !task.marking.dominates(&s.marking) {
                    return Err(invalid(
                        n,
                        format!(
                            "sample `{}` is marked {}, above its task's {} or the file's {}",
                            s.id, s.marking, task.marking, h.marking
                        ),
                    ));
                }
                if !(0.0..=1.0).contains(&s.score) {
                    return Err(invalid(
                        n,
                        format!("sample `{}` has score {} outside 0..1", s.id, s.score),
                    ));
                }
                if !ids.insert(s.id.clone()) {
                    return Err(invalid(n, format!("sample `{}` appears twice", s.id)));
                }
                scored.push(Scored::of(&s));
            }
            (_, Line::Summary(s)) => {
                if summary.is_some() {
                    return Err(invalid(n, "a second summary".into()));
                }
                summary = Some((n, *s))
            }
            (_, Line::Signature(s)) => {
                let digest: [u8; 32] = hasher.clone().finalize().into();
                signature = Some((s, digest));
            }
        }
        hasher.update(&bytes);
    }
    let header = header.ok_or_else(|| invalid(1, "empty file".into()))?;
    let (_, summary) = summary.ok_or_else(|| {
        tampered("no summary: the run did not finish (resume it), or the file was cut".into())
    })?;
    let (sig, digest) = signature.ok_or_else(|| tampered("no signature line".into()))?;
    if sig.algorithm != "ed25519" {
        return Err(tampered(format!(
            "unknown signature algorithm `{}`",
            sig.algorithm
        )));
    }
    let actual = sign::digest_hex(&digest);
    if sig.signed != actual {
        return Err(tampered(format!(
            "the file's digest is {actual}, but {} was signed: it was changed after signing",
            sig.signed
        )));
    }
    let key = sign::verify_digest(&sig.public_key, &digest, &sig.signature).map_err(tampered)?;
    if key_id(&key) != sig.key_id {
        return Err(tampered(format!(
            "`key_id` {} does not belong to the public key ({})",
            sig.key_id,
            key_id(&key)
        )));
    }
    if let Some(t) = trusted {
        if t != &key {
            return Err(ResultError::Untrusted {
                path: p.clone(),
                message: format!(
                    "signed by key {}, not by the trusted key {}",
                    key_id(&key),
                    key_id(t)
                ),
            });
        }
    }
    let recomputed = summarize(&header, &scored, &summary.finished);
    if recomputed != summary {
        return Err(tampered(
            "the summary's scores are not what its samples give".into(),
        ));
    }
    Ok(Verified {
        header,
        summary,
        samples: scored,
        key_id: sig.key_id,
        public_key: sig.public_key,
        digest: actual,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    pub(crate) fn header() -> Header {
        Header {
            schema_version: SCHEMA_VERSION.into(),
            marking: "CUI".parse().unwrap(),
            harness: Harness {
                name: "clearinghouse".into(),
                version: "0.1.0".into(),
            },
            suite: SuiteRef {
                name: "demo".into(),
                version: "1".into(),
                hash: format!("sha256:{}", "a".repeat(64)),
                marking: "CUI".parse().unwrap(),
            },
            tasks: vec![
                TaskRef {
                    id: "mc".into(),
                    kind: "multiple-choice".into(),
                    category: "knowledge".into(),
                    marking: "U".parse().unwrap(),
                    hash: format!("sha256:{}", "b".repeat(64)),
                    samples: 2,
                },
                TaskRef {
                    id: "ctf".into(),
                    kind: "ctf".into(),
                    category: "cryptography".into(),
                    marking: "CUI".parse().unwrap(),
                    hash: format!("sha256:{}", "c".repeat(64)),
                    samples: 1,
                },
            ],
            model: ModelRef {
                provider: "openai".into(),
                model: "m".into(),
                base_url: Some("http://127.0.0.1:1/v1".into()),
                command: None,
                generation: serde_json::json!({}),
            },
            run: RunSettings {
                seed: "0123456789abcdef".repeat(4),
                epochs: 1,
                concurrency: 1,
                limits: Limits {
                    messages: 10,
                    tokens: 1000,
                    time_seconds: 60,
                    tool_output_bytes: 100,
                },
                prices: None,
                sandbox: serde_json::json!({}),
                retry: serde_json::json!({}),
            },
            started: "2026-11-27T00:00:00Z".into(),
        }
    }

    pub(crate) fn sample(task: &str, question: Option<&str>, solved: bool) -> Sample {
        Sample {
            id: match question {
                Some(q) => format!("{task}/{q}#0"),
                None => format!("{task}#0"),
            },
            task: task.into(),
            question: question.map(str::to_owned),
            epoch: 0,
            category: if task == "mc" {
                "knowledge"
            } else {
                "cryptography"
            }
            .into(),
            marking: "U".parse().unwrap(),
            solved,
            score: f64::from(u8::from(solved)),
            end: End::Answered,
            reason: "r".into(),
            answer: None,
            details: serde_json::Value::Null,
            usage: Usage {
                input_tokens: 10,
                output_tokens: 2,
            },
            cost_usd: None,
            model_calls: 1,
            retries: 0,
            elapsed_ms: 5,
            transcript: vec![],
            tools: vec![],
        }
    }

    fn key(dir: &Path) -> Key {
        Key::generate(&dir.join("k.pem")).unwrap()
    }

    #[test]
    fn a_written_file_verifies_and_any_change_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.jsonl");
        let k = key(dir.path());
        let mut w = Writer::open(&out, header()).unwrap();
        w.append(&sample("mc", Some("a"), true)).unwrap();
        w.append(&sample("mc", Some("b"), false)).unwrap();
        w.append(&sample("ctf", None, true)).unwrap();
        let summary = w.finish(&k, "2026-11-27T01:00:00Z").unwrap();
        assert_eq!(summary.scores.overall.solved, 2);
        assert_eq!(summary.scores.by_category["knowledge"].samples, 2);
        let v = verify(&out, Some(&k.public())).unwrap();
        assert_eq!(v.summary, summary);
        assert_eq!(v.samples.len(), 3);

        // The summary rewritten and re-signed with the same key: still caught, because
        // the summary must be what the samples give.
        let text = std::fs::read_to_string(&out).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let n = lines.len();
        lines[n - 2] = lines[n - 2].replacen("\"solved\":2", "\"solved\":3", 1);
        let body = lines[..n - 1].join("\n") + "\n";
        let digest: [u8; 32] = Sha256::digest(body.as_bytes()).into();
        let mut sig: Signature = serde_json::from_value(
            serde_json::from_str::<serde_json::Value>(&lines[n - 1]).unwrap(),
        )
        .unwrap();
        sig.signed = sign::digest_hex(&digest);
        sig.signature = k.sign_digest(&digest);
        let forged = dir.path().join("forged.jsonl");
        std::fs::write(
            &forged,
            body + &String::from_utf8(format::encode(&Line::Signature(sig))).unwrap(),
        )
        .unwrap();
        let err = verify(&forged, Some(&k.public())).unwrap_err().to_string();
        assert!(
            err.ends_with("NOT VERIFIED: the summary's scores are not what its samples give"),
            "{err}"
        );

        // A sample marked above its task.
        let mut hot = sample("mc", Some("c"), true);
        hot.marking = "SECRET".parse().unwrap();
        let out2 = dir.path().join("r2.jsonl");
        let mut w = Writer::open(&out2, header()).unwrap();
        w.append(&hot).unwrap();
        w.finish(&k, "x").unwrap();
        let err = verify(&out2, None).unwrap_err().to_string();
        assert!(err.contains(":2: sample `mc/c#0` is marked SECRET, above its task's UNCLASSIFIED or the file's CUI"), "{err}");
    }

    #[test]
    fn a_partial_file_resumes_without_its_torn_line_and_refuses_other_runs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.jsonl");
        let mut w = Writer::open(&out, header()).unwrap();
        w.append(&sample("mc", Some("a"), true)).unwrap();
        drop(w);
        // A crash in the middle of writing the next line.
        let partial = partial_path(&out);
        let mut text = std::fs::read_to_string(&partial).unwrap();
        text.push_str("{\"type\":\"sample\",\"id\":\"mc/b#0\",\"ta");
        std::fs::write(&partial, &text).unwrap();
        let mut w = Writer::open(&out, header()).unwrap();
        assert_eq!(w.done(), 1);
        assert!(w.is_done("mc/a#0") && !w.is_done("mc/b#0"));
        w.append(&sample("mc", Some("b"), true)).unwrap();
        w.append(&sample("ctf", None, false)).unwrap();
        let k = key(dir.path());
        w.finish(&k, "x").unwrap();
        let v = verify(&out, None).unwrap();
        assert_eq!(v.summary.samples, 3);

        let mut other = header();
        other.run.epochs = 2;
        let out3 = dir.path().join("r3.jsonl");
        drop(Writer::open(&out3, header()).unwrap());
        let err = Writer::open(&out3, other).unwrap_err().to_string();
        assert!(err.contains("(`run.epochs` was 1, now 2)"), "{err}");
    }

    #[test]
    fn a_crash_between_summary_and_rename_resumes_and_two_writers_never_share_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.jsonl");
        let k = key(dir.path());
        let mut w = Writer::open(&out, header()).unwrap();
        w.append(&sample("mc", Some("a"), true)).unwrap();
        // While it writes, another run cannot open the same file.
        let err = Writer::open(&out, header()).unwrap_err().to_string();
        assert!(err.ends_with("another run is writing it"), "{err}");
        w.finish(&k, "x").unwrap();
        // Simulate the crash: the finished file back at its partial name.
        std::fs::rename(&out, partial_path(&out)).unwrap();
        let mut faster = header();
        faster.run.concurrency = 64;
        faster.run.retry = serde_json::json!({"rpm": 10});
        faster.started = "later".into();
        let mut w = Writer::open(&out, faster).unwrap();
        assert_eq!(
            w.done(),
            1,
            "resumed despite other concurrency, retries, start time"
        );
        assert_eq!(
            w.header().run.concurrency,
            1,
            "the file's own header is kept"
        );
        w.append(&sample("mc", Some("b"), true)).unwrap();
        w.append(&sample("ctf", None, true)).unwrap();
        w.finish(&k, "y").unwrap();
        assert_eq!(verify(&out, Some(&k.public())).unwrap().summary.samples, 3);
    }

    #[test]
    fn a_link_at_the_partial_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.jsonl");
        let elsewhere = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&elsewhere, partial_path(&out)).unwrap();
        let err = Writer::open(&out, header()).unwrap_err().to_string();
        assert!(
            err.ends_with("is not a regular file (a link?); remove it"),
            "{err}"
        );
        assert!(!elsewhere.exists());
    }

    #[test]
    fn the_report_prints_banners_intervals_and_the_profile() {
        let h = header();
        let samples: Vec<Scored> = [
            sample("mc", Some("a"), true),
            sample("mc", Some("b"), false),
            sample("ctf", None, true),
        ]
        .iter()
        .map(Scored::of)
        .collect();
        let summary = summarize(&h, &samples, "2026-11-27T01:00:00Z");
        let v = Verified {
            header: h,
            summary,
            samples,
            key_id: "sha256:0011223344556677".into(),
            public_key: "00".repeat(32),
            digest: format!("sha256:{}", "d".repeat(64)),
        };
        insta::assert_snapshot!("report_table", report::table(&v));
        let svg = report::svg(&[&v]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(
            svg.matches(">CUI</text>").count(),
            2,
            "banner at top and bottom"
        );
        let html = report::html(&[&v, &v]);
        assert!(
            html.contains("id=\"banner-top\">CUI<") && html.contains("id=\"banner-bottom\">CUI<")
        );
        assert!(html.contains("intervals overlap"));
    }
}
