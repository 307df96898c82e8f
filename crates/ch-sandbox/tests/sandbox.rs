//! The sandbox contains what a hostile task or model would try: reaching the network,
//! writing outside its folder, reading the host's secrets, forking without end,
//! eating memory or CPU, outliving its command.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use ch_sandbox::{processes_of, Config, Exec, Limits, Root, Sandbox, Status};

fn sandbox(limits: Limits) -> Sandbox {
    Sandbox::new(Config {
        root: Root::Host,
        network: false,
        limits,
    })
    .expect("bubblewrap works on this machine (scripts/test.sh installs it)")
}

fn quick() -> Limits {
    Limits {
        wall: Duration::from_secs(20),
        ..Limits::default()
    }
}

fn work() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("given.txt"), "task file\n").expect("write");
    dir
}

#[test]
fn runs_in_the_task_folder_with_a_clean_environment() {
    let sb = sandbox(quick());
    let w = work();
    std::env::set_var("CLEARINGHOUSE_SECRET_FOR_TEST", "leak");
    let out = sb
        .run(
            w.path(),
            &Exec::shell("pwd; cat given.txt; echo made > new.txt; echo \"[$HOME]\"; env | sort; echo err >&2")
                .env("TASK_FLAG_HINT", "x"),
        )
        .expect("runs");
    assert!(out.success(), "{out:?}");
    let text = out.stdout_text();
    assert!(text.starts_with("/task\ntask file\n[/task]\n"), "{text}");
    assert!(text.contains("TASK_FLAG_HINT=x"), "{text}");
    assert!(
        !text.contains("CLEARINGHOUSE_SECRET_FOR_TEST"),
        "host env leaked: {text}"
    );
    assert_eq!(out.stderr_text(), "err\n");
    assert_eq!(
        std::fs::read_to_string(w.path().join("new.txt")).expect("written in the folder"),
        "made\n"
    );
}

#[test]
fn reports_exit_codes_and_stdin() {
    let sb = sandbox(quick());
    let w = work();
    let out = sb
        .run(
            w.path(),
            &Exec::shell("read x; echo got:$x; exit 7").stdin("hello\n"),
        )
        .expect("runs");
    assert_eq!(out.status, Status::Exited(7));
    assert_eq!(out.stdout_text(), "got:hello\n");
}

#[test]
fn has_no_network() {
    // A listener on the host's loopback: inside, 127.0.0.1 is the container's own.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let sb = sandbox(quick());
    let w = work();
    let script = format!(
        "import socket,sys\n\
         try:\n    socket.create_connection(('127.0.0.1',{port}),timeout=3)\n    print('connected')\n\
         except OSError as e:\n    print('refused', e)\n\
         try:\n    socket.create_connection(('1.1.1.1',80),timeout=3)\n    print('internet')\n\
         except OSError as e:\n    print('no route', e)\n\
         import os\nprint(sorted(os.listdir('/sys/class/net')) if os.path.exists('/sys/class/net') else 'no sysfs')\n"
    );
    let out = sb
        .run(w.path(), &Exec::new(&["python3", "-c", &script]))
        .expect("runs");
    let text = out.stdout_text();
    assert!(text.contains("refused"), "{text} {}", out.stderr_text());
    assert!(text.contains("no route"), "{text}");
    assert!(
        !text.contains("connected\n") && !text.contains("internet"),
        "{text}"
    );
    assert!(
        listener.accept().is_err(),
        "the host's listener was reached from inside"
    );
}

#[test]
fn cannot_write_outside_its_folder_or_read_host_secrets() {
    let sb = sandbox(quick());
    let w = work();
    let outside = tempfile::tempdir().expect("temp dir");
    let target = outside.path().join("escaped");
    let script = format!(
        "touch /etc/escaped && echo etc-written; touch /usr/escaped && echo usr-written; \
         touch {t} && echo host-tmp-written; echo x > /tmp/private && echo tmp-ok; \
         ls /root >/dev/null 2>&1 && echo root-visible; cat /etc/shadow >/dev/null 2>&1 && echo shadow-read; \
         ls {cwd} >/dev/null 2>&1 && echo repo-visible; true",
        t = target.display(),
        cwd = std::env::current_dir().expect("cwd").display(),
    );
    let out = sb.run(w.path(), &Exec::shell(&script)).expect("runs");
    let text = out.stdout_text();
    assert_eq!(text, "tmp-ok\n", "stderr: {}", out.stderr_text());
    assert!(!Path::new("/etc/escaped").exists() && !Path::new("/usr/escaped").exists());
    assert!(!target.exists());
    assert!(!Path::new("/tmp/private").exists(), "/tmp is private");
}

#[test]
fn a_fork_bomb_is_contained_and_nothing_outlives_the_command() {
    let sb = sandbox(Limits {
        wall: Duration::from_secs(3),
        processes: 32,
        ..Limits::default()
    });
    let w = work();
    let session = sb.session(w.path()).expect("session");
    let started = Instant::now();
    let out = session
        .run(&Exec::shell("b(){ b|b& }; b; sleep 600"))
        .expect("runs");
    assert_eq!(out.status, Status::TimedOut);
    assert!(started.elapsed() < Duration::from_secs(15));
    if let Some(uid) = session.uid() {
        // Running as root: the session's own id; the PID namespace took everything down.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !processes_of(uid).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            processes_of(uid),
            Vec::<u32>::new(),
            "processes outlived the sandbox"
        );
        // The limit held: far fewer than an unbounded bomb would make.
        assert!(out.stderr_text().contains("fork"), "{}", out.stderr_text());
    }
}

#[test]
fn background_processes_die_with_the_command() {
    let sb = sandbox(quick());
    let w = work();
    let session = sb.session(w.path()).expect("session");
    let out = session
        .run(&Exec::shell(
            "(sleep 30; echo late > late.txt) & echo started",
        ))
        .expect("runs");
    assert!(out.success());
    assert!(out.elapsed < Duration::from_secs(10));
    if let Some(uid) = session.uid() {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !processes_of(uid).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(processes_of(uid).is_empty());
    }
    assert!(!w.path().join("late.txt").exists());
}

#[test]
fn memory_cpu_and_output_limits_hold() {
    let sb = sandbox(Limits {
        wall: Duration::from_secs(20),
        memory_bytes: 256 << 20,
        cpu_seconds: 1,
        output_bytes: 1000,
        ..Limits::default()
    });
    let w = work();
    let out = sb
        .run(
            w.path(),
            &Exec::new(&[
                "python3",
                "-c",
                "b = bytearray(1 << 30); print('allocated')",
            ]),
        )
        .expect("runs");
    assert!(!out.success());
    assert!(
        out.stderr_text().contains("MemoryError"),
        "{}",
        out.stderr_text()
    );

    let started = Instant::now();
    let out = sb
        .run(w.path(), &Exec::shell("while :; do :; done"))
        .expect("runs");
    // RLIMIT_CPU: SIGXCPU (24) at the soft limit; the shell reports 128 + 24.
    assert_eq!(out.status, Status::Exited(128 + 24), "{out:?}");
    assert!(started.elapsed() < Duration::from_secs(15));

    let out = sb
        .run(w.path(), &Exec::shell("yes | head -c 100000"))
        .expect("runs");
    assert!(out.success());
    assert_eq!(out.stdout.len(), 1000);
    assert!(out.truncated);
}

#[test]
fn a_command_is_killed_at_its_wall_clock_limit() {
    let sb = sandbox(quick());
    let w = work();
    let started = Instant::now();
    let out = sb
        .run(
            w.path(),
            &Exec::shell("echo before; sleep 60").wall(Duration::from_millis(500)),
        )
        .expect("runs");
    assert_eq!(out.status, Status::TimedOut);
    assert_eq!(out.stdout_text(), "before\n");
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// A root filesystem folder of our own: just dash, prlimit and their libraries.
#[test]
fn runs_on_a_root_filesystem_folder() {
    let root = tempfile::tempdir().expect("temp dir");
    // Readable by the sandbox's unprivileged id, as an mmdebstrap root is.
    std::fs::set_permissions(
        root.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    for d in ["bin", "lib", "lib64"] {
        if Path::new("/").join(d).is_symlink() {
            std::fs::create_dir_all(root.path().join("usr").join(d)).expect("mkdir");
            std::os::unix::fs::symlink(format!("usr/{d}"), root.path().join(d)).expect("link");
        }
    }
    for bin in ["/usr/bin/dash", "/usr/bin/prlimit", "/usr/bin/cat"] {
        copy_with_libraries(Path::new(bin), root.path());
    }
    std::os::unix::fs::symlink("dash", root.path().join("usr/bin/sh")).expect("link");
    for d in ["proc", "dev", "tmp", "task"] {
        std::fs::create_dir_all(root.path().join(d)).expect("mkdir");
    }
    let sb = Sandbox::new(Config {
        root: Root::Dir(root.path().to_path_buf()),
        network: false,
        limits: quick(),
    })
    .expect("a minimal root works");
    let w = work();
    let out = sb
        .run(
            w.path(),
            &Exec::shell("cat given.txt; ls / 2>&1; python3 -V 2>&1; true"),
        )
        .expect("runs");
    let text = out.stdout_text();
    assert!(text.starts_with("task file\n"), "{text}");
    assert!(
        text.contains("not found"),
        "only the root's programs exist: {text}"
    );

    let err = Sandbox::new(Config {
        root: Root::Dir(w.path().to_path_buf()),
        ..Config::default()
    })
    .expect_err("a folder without prlimit is no root");
    assert!(err.to_string().contains("prlimit"), "{err}");
}

fn copy_with_libraries(bin: &Path, root: &Path) {
    let mut files = vec![bin.to_path_buf()];
    let ldd = std::process::Command::new("ldd")
        .arg(bin)
        .output()
        .expect("ldd");
    for line in String::from_utf8_lossy(&ldd.stdout).lines() {
        let path = line
            .split_whitespace()
            .find(|w| w.starts_with('/'))
            .map(std::path::PathBuf::from);
        if let Some(p) = path {
            files.push(p);
        }
    }
    for f in files {
        let real = std::fs::canonicalize(&f).expect("canonical");
        let dest = root.join(f.strip_prefix("/").expect("absolute"));
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        let mut bytes = Vec::new();
        std::fs::File::open(&real)
            .and_then(|mut h| h.read_to_end(&mut bytes))
            .expect("read");
        std::fs::write(&dest, bytes).expect("write");
        let mode = std::fs::metadata(&real).expect("meta").permissions();
        std::fs::set_permissions(&dest, mode).expect("chmod");
    }
}
