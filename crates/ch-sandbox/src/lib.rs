//! Running untrusted commands — a model's tool calls, a task's setup script, its
//! reference solution — in a bubblewrap container (issue 5).
//!
//! Every command runs in a fresh `bwrap` with:
//!
//! - **new namespaces** (user, mount, PID, network, IPC, UTS, cgroup): no network unless
//!   the configuration asks for it (a new network namespace has only its own loopback),
//!   and when the command's PID 1 ends, the kernel kills everything left in the
//!   namespace, so nothing outlives the command;
//! - **a read-only system**: the host's `/usr` and `/etc` (with `/bin`, `/lib`… as the
//!   host has them), or a root filesystem folder (built with `mmdebstrap`), mounted
//!   read-only; a private `/tmp` of bounded size; `/proc` and a minimal `/dev`;
//! - **one writable folder**, the caller's work folder, at `/task` (also the working
//!   directory and `HOME`);
//! - **limits** set with `prlimit` inside the container: CPU seconds, address space,
//!   processes, file size, open files, no core files; and a wall-clock limit enforced
//!   here (the container is killed);
//! - **an unprivileged identity**: when Clearinghouse runs as root, each session leases
//!   its own user id from a pool (a lock file per id) and runs as it, so the host's
//!   root-only files stay unreadable. The process limit counts the container's own
//!   processes (Linux ≥ 5.14 counts per user namespace).
//! - a clean environment (`PATH`, `HOME=/task`, `LANG`, `TMPDIR`, and what the caller
//!   adds).
//!
//! Output is captured up to a limit per stream; what is beyond it is read and dropped.

use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

mod lease;

use lease::Lease;

/// Why a command could not be run (not: why it failed — that is its [`Outcome`]).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("bubblewrap (`bwrap`) is not installed; install the Debian package `bubblewrap`")]
    BwrapMissing,
    #[error("the sandbox root `{0}` is not a folder")]
    RootMissing(PathBuf),
    #[error("the sandbox root `{0}` has no `prlimit` (Debian package util-linux), which sets the limits")]
    PrlimitMissing(PathBuf),
    #[error("bubblewrap cannot start a container here: {0}")]
    Unavailable(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no free sandbox user id: all {0} are in use")]
    NoFreeUid(u32),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SandboxError + '_ {
    move |source| SandboxError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The system the command sees, read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// The host's `/usr` and `/etc` (and `/bin`, `/lib`, … as the host has them).
    Host,
    /// A root filesystem folder, e.g. one built by `mmdebstrap`.
    Dir(PathBuf),
}

/// Resource limits of one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time; the container is killed when it is reached.
    pub wall: Duration,
    /// CPU time per process (`RLIMIT_CPU`).
    pub cpu_seconds: u64,
    /// Address space per process (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// Processes (`RLIMIT_NPROC`).
    pub processes: u32,
    /// Largest file a process may write (`RLIMIT_FSIZE`).
    pub file_bytes: u64,
    /// Open files per process (`RLIMIT_NOFILE`).
    pub open_files: u32,
    /// Size of the private `/tmp`.
    pub tmp_bytes: u64,
    /// Bytes of stdout and of stderr kept; the rest is dropped.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall: Duration::from_secs(120),
            cpu_seconds: 120,
            memory_bytes: 2 << 30,
            processes: 128,
            file_bytes: 256 << 20,
            open_files: 1024,
            tmp_bytes: 256 << 20,
            output_bytes: 1 << 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub root: Root,
    /// Share the host's network (off by default).
    pub network: bool,
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            root: Root::Host,
            network: false,
            limits: Limits::default(),
        }
    }
}

/// One command to run.
#[derive(Debug, Clone, Default)]
pub struct Exec {
    pub argv: Vec<String>,
    pub stdin: Vec<u8>,
    pub env: Vec<(String, String)>,
    /// Overrides the configured wall-clock limit when shorter.
    pub wall: Option<Duration>,
    /// Host files or folders mounted read-only at the given paths under `/tmp` (the
    /// command's private tmpfs): scripts the harness runs, out of the model's reach.
    pub read_only: Vec<(PathBuf, String)>,
}

impl Exec {
    pub fn new<S: AsRef<str>>(argv: &[S]) -> Exec {
        Exec {
            argv: argv.iter().map(|s| s.as_ref().to_owned()).collect(),
            ..Exec::default()
        }
    }

    /// `sh -c SCRIPT`.
    pub fn shell(script: &str) -> Exec {
        Exec::new(&["sh", "-c", script])
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Exec {
        self.stdin = bytes.into();
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Exec {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn wall(mut self, wall: Duration) -> Exec {
        self.wall = Some(wall);
        self
    }

    /// Mounts `host` read-only at `/tmp/<name>` for this command.
    pub fn read_only(mut self, host: &Path, name: &str) -> Exec {
        self.read_only
            .push((host.to_path_buf(), format!("/tmp/{name}")));
        self
    }
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Exit code (a process killed by a signal inside the container shows as 128 + signal).
    Exited(i32),
    /// The container itself was killed by a signal.
    Signalled(i32),
    /// The wall-clock limit was reached and the container killed.
    TimedOut,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Whether output was cut at the limit.
    pub truncated: bool,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn success(&self) -> bool {
        self.status == Status::Exited(0)
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

const SANDBOX_UID: &str = "1000";
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A configured sandbox; cheap to share between threads.
#[derive(Debug)]
pub struct Sandbox {
    config: Config,
    bwrap: PathBuf,
    /// Running as root: each session leases its own unprivileged user id.
    privileged: bool,
    /// The `/bin`, `/lib`… entries of the host root: symlink target or folder.
    host_links: Vec<(String, Option<PathBuf>)>,
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

impl Sandbox {
    /// Checks that bubblewrap is installed and can start a container with this
    /// configuration (one trial run of `true`).
    pub fn new(config: Config) -> Result<Sandbox, SandboxError> {
        let bwrap = std::env::var_os("CLEARINGHOUSE_BWRAP")
            .map(PathBuf::from)
            .or_else(|| find_on_path("bwrap"))
            .ok_or(SandboxError::BwrapMissing)?;
        let system = match &config.root {
            Root::Host => PathBuf::from("/"),
            Root::Dir(dir) => {
                if !dir.is_dir() {
                    return Err(SandboxError::RootMissing(dir.clone()));
                }
                dir.clone()
            }
        };
        if !["usr/bin/prlimit", "bin/prlimit"]
            .iter()
            .any(|p| system.join(p).exists())
        {
            return Err(SandboxError::PrlimitMissing(system));
        }
        let mut host_links = Vec::new();
        if config.root == Root::Host {
            for d in ["bin", "sbin", "lib", "lib32", "lib64", "libx32"] {
                let p = Path::new("/").join(d);
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if m.file_type().is_symlink() => {
                        host_links.push((d.to_owned(), std::fs::read_link(&p).ok()))
                    }
                    Ok(m) if m.is_dir() => host_links.push((d.to_owned(), None)),
                    _ => {}
                }
            }
        }
        let privileged = std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false);
        let sandbox = Sandbox {
            config,
            bwrap,
            privileged,
            host_links,
        };
        let probe = tempfile::Builder::new()
            .prefix("clearinghouse-probe-")
            .tempdir()
            .map_err(io(&std::env::temp_dir()))?;
        let out = sandbox.run(probe.path(), &Exec::new(&["prlimit", "--version"]))?;
        if !out.success() {
            return Err(SandboxError::Unavailable(
                out.stderr_text().trim().replace('\n', "; "),
            ));
        }
        Ok(sandbox)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Starts a session on `work` (the folder mounted writable at `/task`): leases a
    /// user id when running as root and gives it the folder.
    pub fn session(&self, work: &Path) -> Result<Session<'_>, SandboxError> {
        let lease = if self.privileged {
            let lease = Lease::take()?;
            chown_tree(work, lease.uid)?;
            Some(lease)
        } else {
            None
        };
        Ok(Session {
            sandbox: self,
            work: work.to_path_buf(),
            lease,
        })
    }

    /// One command in a session of its own.
    pub fn run(&self, work: &Path, exec: &Exec) -> Result<Outcome, SandboxError> {
        self.session(work)?.run(exec)
    }

    fn command(&self, work: &Path, exec: &Exec, uid: Option<u32>) -> Command {
        let l = &self.config.limits;
        let mut c = Command::new(&self.bwrap);
        c.args([
            "--unshare-all",
            "--unshare-user",
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
            "--hostname",
            "sandbox",
        ]);
        if self.config.network {
            c.arg("--share-net");
        }
        match &self.config.root {
            Root::Host => {
                c.args(["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]);
                for (name, target) in &self.host_links {
                    let at = format!("/{name}");
                    match target {
                        Some(t) => c.arg("--symlink").arg(t).arg(&at),
                        None => c.arg("--ro-bind").arg(&at).arg(&at),
                    };
                }
            }
            Root::Dir(dir) => {
                c.arg("--ro-bind").arg(dir).arg("/");
            }
        }
        c.args(["--proc", "/proc", "--dev", "/dev", "--size"])
            .arg(l.tmp_bytes.to_string())
            .args(["--tmpfs", "/tmp"]);
        for (host, at) in &exec.read_only {
            c.arg("--ro-bind").arg(host).arg(at);
        }
        c.arg("--bind").arg(work).args([
            "/task",
            "--chdir",
            "/task",
            "--uid",
            SANDBOX_UID,
            "--gid",
            SANDBOX_UID,
            "--clearenv",
            "--setenv",
            "PATH",
            PATH,
            "--setenv",
            "HOME",
            "/task",
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--setenv",
            "TMPDIR",
            "/tmp",
        ]);
        for (k, v) in &exec.env {
            c.args(["--setenv", k, v]);
        }
        // Since Linux 5.14 the process count is kept per user namespace, and every
        // container has its own: the limit counts the container's processes only.
        let nproc = l.processes;
        c.args(["--", "prlimit"])
            .arg(format!("--cpu={}:{}", l.cpu_seconds, l.cpu_seconds + 1))
            .arg(format!("--as={}", l.memory_bytes))
            .arg(format!("--nproc={nproc}"))
            .arg(format!("--fsize={}", l.file_bytes))
            .arg(format!("--nofile={}", l.open_files))
            .args(["--core=0", "--"])
            .args(&exec.argv);
        c.env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(uid) = uid {
            c.uid(uid).gid(uid);
        }
        c
    }
}

/// A leased identity and work folder; commands of one sample share it.
#[derive(Debug)]
pub struct Session<'s> {
    sandbox: &'s Sandbox,
    work: PathBuf,
    lease: Option<Lease>,
}

impl Session<'_> {
    pub fn work(&self) -> &Path {
        &self.work
    }

    /// The host user id the commands run as, when one was leased.
    pub fn uid(&self) -> Option<u32> {
        self.lease.as_ref().map(|l| l.uid)
    }

    /// Runs one command to its end, or until the wall-clock limit kills it.
    pub fn run(&self, exec: &Exec) -> Result<Outcome, SandboxError> {
        if exec.argv.is_empty() {
            return Err(SandboxError::Unavailable("no command given".into()));
        }
        let limits = &self.sandbox.config.limits;
        let wall = exec.wall.map_or(limits.wall, |w| w.min(limits.wall));
        let mut cmd = self.sandbox.command(&self.work, exec, self.uid());
        let started = Instant::now();
        let mut child = cmd.spawn().map_err(io(&self.sandbox.bwrap))?;
        let cap = limits.output_bytes;
        let stdout = child.stdout.take().map(|s| reader(s, cap));
        let stderr = child.stderr.take().map(|s| reader(s, cap));
        if let Some(mut input) = child.stdin.take() {
            let bytes = exec.stdin.clone();
            // A command that does not read its input closes the pipe: not an error.
            thread::spawn(move || {
                let _ = input.write_all(&bytes);
            });
        }
        let status = match child.wait_timeout(wall).map_err(io(&self.sandbox.bwrap))? {
            Some(s) => match (s.code(), s.signal()) {
                (Some(code), _) => Status::Exited(code),
                (None, Some(sig)) => Status::Signalled(sig),
                (None, None) => Status::Signalled(0),
            },
            None => {
                // bwrap runs with --die-with-parent: killing it kills the container's
                // PID 1, and with it every process of the PID namespace.
                let _ = child.kill();
                let _ = child.wait();
                Status::TimedOut
            }
        };
        let elapsed = started.elapsed();
        let (stdout, t1) = stdout.map(join).unwrap_or_default();
        let (stderr, t2) = stderr.map(join).unwrap_or_default();
        Ok(Outcome {
            status,
            stdout,
            stderr,
            truncated: t1 || t2,
            elapsed,
        })
    }
}

type Captured = thread::JoinHandle<(Vec<u8>, bool)>;

fn reader(mut stream: impl Read + Send + 'static, cap: usize) -> Captured {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut truncated = false;
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(kept.len());
                    if n > room {
                        truncated = true;
                    }
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        (kept, truncated)
    })
}

fn join(h: Captured) -> (Vec<u8>, bool) {
    h.join().unwrap_or_default()
}

/// Gives `dir` and everything in it to `uid` (links themselves, never followed).
fn chown_tree(dir: &Path, uid: u32) -> Result<(), SandboxError> {
    std::os::unix::fs::lchown(dir, Some(uid), Some(uid)).map_err(io(dir))?;
    let meta = std::fs::symlink_metadata(dir).map_err(io(dir))?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let entry = entry.map_err(io(dir))?;
            chown_tree(&entry.path(), uid)?;
        }
    }
    Ok(())
}

/// Lists processes owned by `uid` (for tests and checks that nothing was left behind).
pub fn processes_of(uid: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    let pid: u32 = e.file_name().to_str()?.parse().ok()?;
                    let m = e.metadata().ok()?;
                    (m.uid() == uid).then_some(pid)
                })
                .collect()
        })
        .unwrap_or_default()
}
