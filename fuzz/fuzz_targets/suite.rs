//! Any bytes as a suite: the manifest and one task's task.toml (split at the first
//! NUL byte) written to a folder and loaded. A suite loads or is refused with an error
//! naming the file; the loader never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (suite, task) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let dir = std::env::temp_dir().join(format!("ch-fuzz-suite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tasks/t/files")).expect("temp folder");
    std::fs::write(dir.join("suite.toml"), suite).expect("write");
    std::fs::write(dir.join("tasks/t/task.toml"), task).expect("write");
    std::fs::write(dir.join("tasks/t/solve.sh"), "echo flag{x}\n").expect("write");
    std::fs::write(dir.join("tasks/t/files/app.py"), "{{FLAG}}\n").expect("write");
    if let Ok(s) = ch_eval_suite::load(&dir) {
        assert!(!s.tasks.is_empty());
        for t in &s.tasks {
            assert!(s.marking.dominates(&t.marking));
        }
    }
});
