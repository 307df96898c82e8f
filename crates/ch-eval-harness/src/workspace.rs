//! A task's workspace: the folder mounted writable at `/task` in the sandbox.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use ch_eval_suite::{CtfFlag, Kind, SandboxSpec, Task};
use ch_sandbox::{Config, Exec, Limits, Outcome, Root, Session};
use sha2::{Digest, Sha256};

use crate::error::{io, HarnessError};

/// A run's seed: flags, sampling order and bootstrap draws derive from it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Seed(pub [u8; 32]);

impl Seed {
    /// A fresh seed from the kernel's generator.
    pub fn random() -> Result<Seed, HarnessError> {
        use std::io::Read;
        let mut s = [0u8; 32];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut s))
            .map_err(io(Path::new("/dev/urandom")))?;
        Ok(Seed(s))
    }

    pub fn from_hex(hex: &str) -> Option<Seed> {
        if hex.len() != 64 {
            return None;
        }
        let mut s = [0u8; 32];
        for (i, b) in s.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Seed(s))
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seed({self})")
    }
}

/// The flag of a generated-flag task for one run and epoch: its format with `...`
/// replaced by 16 hex digits of SHA-256(seed, task hash, epoch). Reproducible from the
/// result file's seed; unknowable from public data.
pub fn flag_for(format: &str, seed: &Seed, task: &Task, epoch: u32) -> String {
    let mut h = Sha256::new();
    h.update(seed.0);
    h.update(task.hash.0);
    h.update(epoch.to_be_bytes());
    let d = h.finalize();
    let hex: String = d[..8].iter().map(|b| format!("{b:02x}")).collect();
    format.replacen("...", &hex, 1)
}

/// The sandbox configuration a suite asks for.
pub fn sandbox_config(spec: &SandboxSpec) -> Config {
    Config {
        root: spec.root.clone().map_or(Root::Host, Root::Dir),
        network: spec.network,
        limits: Limits {
            wall: Duration::from_secs(spec.wall_seconds),
            cpu_seconds: spec.cpu_seconds,
            memory_bytes: spec.memory_mb << 20,
            processes: spec.processes,
            ..Limits::default()
        },
    }
}

/// A prepared task folder, removed on drop.
#[derive(Debug)]
pub struct Workspace {
    dir: tempfile::TempDir,
    /// The flag this workspace holds, when the task has a known one (fixed or
    /// generated); `None` for checker tasks and other kinds.
    pub flag: Option<String>,
}

impl Workspace {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Copies the task's files, plants the flag, and runs the setup script (with the
    /// flag in `$FLAG`) in `session`'s sandbox. `epoch` and `seed` choose a
    /// generated flag.
    pub fn prepare(task: &Task, seed: &Seed, epoch: u32) -> Result<Workspace, HarnessError> {
        let dir = tempfile::Builder::new()
            .prefix("clearinghouse-task-")
            .tempdir()
            .map_err(io(&std::env::temp_dir()))?;
        let files = match &task.kind {
            Kind::Ctf { files, .. } => files.clone(),
            Kind::VulnId { files, .. } | Kind::Patch { files, .. } => Some(files.clone()),
            Kind::MultipleChoice { .. } => None,
        };
        if let Some(files) = &files {
            let src = task.dir.join(files);
            ch_eval_suite::copy_files(&src, dir.path()).map_err(io(&src))?;
        }
        let flag = match &task.kind {
            Kind::Ctf {
                flag: CtfFlag::Fixed(f),
                ..
            } => Some(f.clone()),
            Kind::Ctf {
                flag: CtfFlag::Generated { format, plant },
                files: Some(files),
                ..
            } => {
                let flag = flag_for(format, seed, task, epoch);
                for p in plant {
                    // The loader checked that planted files are inside `files`.
                    let rel = Path::new(p).strip_prefix(files).unwrap_or(Path::new(p));
                    let at = dir.path().join(rel);
                    let text = std::fs::read_to_string(&at).map_err(io(&at))?;
                    std::fs::write(&at, text.replace("{{FLAG}}", &flag)).map_err(io(&at))?;
                }
                Some(flag)
            }
            _ => None,
        };
        Ok(Workspace { dir, flag })
    }

    /// Runs the task's setup script, when it has one.
    pub fn setup(&self, task: &Task, session: &Session<'_>) -> Result<(), HarnessError> {
        let Kind::Ctf {
            setup: Some(setup), ..
        } = &task.kind
        else {
            return Ok(());
        };
        let env: Vec<(String, String)> = self
            .flag
            .iter()
            .map(|f| ("FLAG".to_owned(), f.clone()))
            .collect();
        let out = run_script(session, &task.dir.join(setup), b"", &env)?;
        if !out.success() {
            return Err(HarnessError::Setup {
                task: task.id.clone(),
                status: describe(&out),
                stderr: tail(&out.stderr_text(), 400),
            });
        }
        Ok(())
    }
}

/// How a command ended, in words.
pub(crate) fn describe(out: &Outcome) -> String {
    match out.status {
        ch_sandbox::Status::Exited(0) => "succeeded".into(),
        ch_sandbox::Status::Exited(c) => format!("exited with {c}"),
        ch_sandbox::Status::Signalled(s) => format!("was killed by signal {s}"),
        ch_sandbox::Status::TimedOut => {
            format!("timed out after {:.1} s", out.elapsed.as_secs_f64())
        }
    }
}

/// The last `max` bytes of `text` (on a character boundary), trimmed.
pub(crate) fn tail(text: &str, max: usize) -> String {
    let t = text.trim();
    if t.len() <= max {
        return t.to_owned();
    }
    let mut start = t.len() - max;
    while !t.is_char_boundary(start) {
        start += 1;
    }
    format!("…{}", &t[start..])
}

/// Runs a script of the task (setup, solution, tests, exploit, checker) in the
/// session: copied to a private folder of the harness and mounted read-only at
/// `/tmp/.clearinghouse/`, so nothing in the workspace — which the model controls —
/// is written or followed; run by its `#!` line (or `sh`), with `/task` as the working
/// directory.
pub(crate) fn run_script(
    session: &Session<'_>,
    script: &Path,
    stdin: &[u8],
    env: &[(String, String)],
) -> Result<Outcome, HarnessError> {
    use std::os::unix::fs::PermissionsExt;
    let bytes = std::fs::read(script).map_err(io(script))?;
    let private = tempfile::Builder::new()
        .prefix("clearinghouse-script-")
        .tempdir()
        .map_err(io(&std::env::temp_dir()))?;
    // Readable by the sandbox's unprivileged id; writable by nobody but the harness.
    std::fs::set_permissions(private.path(), std::fs::Permissions::from_mode(0o755))
        .map_err(io(private.path()))?;
    let host = private.path().join("script");
    std::fs::write(&host, &bytes).map_err(io(&host))?;
    std::fs::set_permissions(&host, std::fs::Permissions::from_mode(0o755)).map_err(io(&host))?;
    let inside = "/tmp/.clearinghouse/script";
    let argv: Vec<String> = if bytes.starts_with(b"#!") {
        vec![inside.into()]
    } else {
        vec!["sh".into(), inside.into()]
    };
    let mut exec = Exec::new(&argv)
        .stdin(stdin.to_vec())
        .read_only(private.path(), ".clearinghouse");
    exec.env = env.to_vec();
    Ok(session.run(&exec)?)
}

/// Carries the model's edits into `fresh`, a new copy of the task's files: each file
/// the task gave is taken from the model's workspace when it is still a regular file
/// there (reached through real folders only), and removed when the model removed it or
/// replaced it with anything else. Files the model added are not carried, so they cannot
/// shadow what tests and exploits import. Returns the paths changed.
pub(crate) fn carry_edits(model: &Path, fresh: &Path) -> Result<Vec<String>, HarnessError> {
    fn walk(
        model: Option<&Path>,
        fresh: &Path,
        rel: &Path,
        changed: &mut Vec<String>,
    ) -> Result<(), HarnessError> {
        for entry in std::fs::read_dir(fresh).map_err(io(fresh))? {
            let entry = entry.map_err(io(fresh))?;
            let name = entry.file_name();
            let here = entry.path();
            let rel = rel.join(&name);
            let theirs = model.map(|m| m.join(&name));
            let meta = theirs
                .as_deref()
                .and_then(|t| std::fs::symlink_metadata(t).ok());
            let ty = entry.file_type().map_err(io(&here))?;
            if ty.is_dir() {
                let real_dir = meta.as_ref().is_some_and(|m| m.is_dir());
                walk(theirs.as_deref().filter(|_| real_dir), &here, &rel, changed)?;
            } else if ty.is_file() {
                match (&theirs, meta) {
                    (Some(t), Some(m)) if m.is_file() => {
                        let same = m.len() == entry.metadata().map_err(io(&here))?.len()
                            && std::fs::read(t).map_err(io(t))?
                                == std::fs::read(&here).map_err(io(&here))?;
                        if !same {
                            std::fs::copy(t, &here).map_err(io(&here))?;
                            changed.push(rel.display().to_string());
                        }
                    }
                    _ => {
                        std::fs::remove_file(&here).map_err(io(&here))?;
                        changed.push(format!("{} (removed)", rel.display()));
                    }
                }
            }
        }
        Ok(())
    }
    let mut changed = Vec::new();
    walk(Some(model), fresh, Path::new(""), &mut changed)?;
    changed.sort();
    Ok(changed)
}
