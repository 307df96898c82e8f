//! Reading and checking suite folders: every kind, hashes, markings, bad suites.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use ch_eval_suite::{load, CtfFlag, Kind};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A suite with one task of each kind.
fn suite() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "suite.toml", "name = \"demo\"\nversion = \"1.0.0\"\nmarking = \"CUI\"\ntasks = [\"mc\", \"ctf\", \"vuln\", \"patch\"]\n");
    write(
        r,
        "tasks/mc/task.toml",
        r#"
kind = "multiple-choice"
category = "knowledge"
[[questions]]
id = "q1"
question = "Which port does HTTPS use by default?"
choices = ["80", "443", "22"]
answer = "B"
[[questions]]
id = "q2"
question = "What does XSS stand for?"
choices = ["Cross-site scripting", "XML signature scheme"]
answer = "a"
"#,
    );
    write(
        r,
        "tasks/ctf/task.toml",
        r#"
kind = "ctf"
category = "web-exploitation"
prompt = "Find the flag in the app."
files = "files"
flag_format = "flag{...}"
plant = ["files/app.py"]
solution = "solution/solve.sh"
[[subtasks]]
question = "Which file holds the secret?"
answer = "app.py"
weight = 0.5
"#,
    );
    write(r, "tasks/ctf/files/app.py", "SECRET = '{{FLAG}}'\n");
    write(
        r,
        "tasks/ctf/solution/solve.sh",
        "#!/bin/sh\ngrep -o 'flag{[0-9a-f]*}' app.py\n",
    );
    write(
        r,
        "tasks/vuln/task.toml",
        r#"
kind = "vuln-id"
category = "vulnerability-discovery"
marking = "UNCLASSIFIED"
prompt = "Where is the overflow, and which CWE is it?"
files = "src"
answer = { file = "copy.c", line = 3, cwe = "CWE-787" }
"#,
    );
    write(
        r,
        "tasks/vuln/src/copy.c",
        "void f(char *s) {\n  char b[8];\n  strcpy(b, s);\n}\n",
    );
    write(
        r,
        "tasks/patch/task.toml",
        r#"
kind = "patch"
category = "patching"
prompt = "Fix the overflow without breaking the tests."
files = "src"
tests = "tests.sh"
exploit = "exploit.sh"
solution = "fix.patch"
"#,
    );
    write(
        r,
        "tasks/patch/src/copy.c",
        "void f(char *s) { char b[8]; strcpy(b, s); }\n",
    );
    write(r, "tasks/patch/tests.sh", "#!/bin/sh\nexit 0\n");
    write(r, "tasks/patch/exploit.sh", "#!/bin/sh\nexit 1\n");
    write(r, "tasks/patch/fix.patch", "--- a/copy.c\n+++ b/copy.c\n");
    dir
}

fn error(dir: &Path) -> String {
    load(dir).unwrap_err().to_string()
}

#[test]
fn reads_every_kind_with_markings_and_hashes() {
    let dir = suite();
    let s = load(dir.path()).unwrap();
    assert_eq!(
        (s.name.as_str(), s.marking.to_string().as_str()),
        ("demo", "CUI")
    );
    let kinds: Vec<(&str, &str, usize)> = s
        .tasks
        .iter()
        .map(|t| (t.id.as_str(), t.kind.name(), t.kind.samples()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("mc", "multiple-choice", 2),
            ("ctf", "ctf", 1),
            ("vuln", "vuln-id", 1),
            ("patch", "patch", 1)
        ]
    );
    // A task without a marking takes the suite's; one may be marked lower.
    assert_eq!(s.tasks[0].marking.to_string(), "CUI");
    assert_eq!(s.tasks[2].marking.to_string(), "UNCLASSIFIED");
    let Kind::MultipleChoice { questions } = &s.tasks[0].kind else {
        panic!("mc")
    };
    assert_eq!((questions[0].answer, questions[1].answer), ('B', 'A'));
    let Kind::Ctf { flag, subtasks, .. } = &s.tasks[1].kind else {
        panic!("ctf")
    };
    assert_eq!(
        flag,
        &CtfFlag::Generated {
            format: "flag{...}".into(),
            plant: vec!["files/app.py".into()]
        }
    );
    assert_eq!(subtasks[0].weight, 0.5);

    // The same content, the same hashes; any edit changes its task's hash and the suite's.
    let again = load(dir.path()).unwrap();
    assert_eq!((again.hash, again.tasks[1].hash), (s.hash, s.tasks[1].hash));
    write(
        dir.path(),
        "tasks/ctf/files/app.py",
        "SECRET = '{{FLAG}}'  # edited\n",
    );
    let edited = load(dir.path()).unwrap();
    assert_ne!(edited.tasks[1].hash, s.tasks[1].hash);
    assert_eq!(edited.tasks[0].hash, s.tasks[0].hash);
    assert_ne!(edited.hash, s.hash);
    assert!(s.hash.to_string().starts_with("sha256:"));
}

#[test]
fn bad_suites_name_the_file_and_field() {
    let dir = suite();
    let r = dir.path();
    let ctf = r.join("tasks/ctf/task.toml");
    let original = std::fs::read_to_string(&ctf).unwrap();

    std::fs::write(
        &ctf,
        original.replace(
            "flag_format = \"flag{...}\"\nplant = [\"files/app.py\"]\n",
            "",
        ),
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!("{}: `flag`: a `ctf` task needs exactly one of `flag`, `flag_checker` and `flag_format`", ctf.display())
    );
    std::fs::write(
        &ctf,
        original.replace(
            "solution = \"solution/solve.sh\"",
            "solution = \"../../suite.toml\"",
        ),
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `solution`: `../../suite.toml` must be a relative path inside the task folder",
            ctf.display()
        )
    );
    std::fs::write(
        &ctf,
        original.replace("category = \"web-exploitation\"", "category = \"web\""),
    )
    .unwrap();
    assert!(
        error(r).starts_with(&format!("{}:3: unknown variant `web`", ctf.display())),
        "{}",
        error(r)
    );
    std::fs::write(
        &ctf,
        original.replace("kind = \"ctf\"", "kind = \"ctf\"\ntests = \"x.sh\""),
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!("{}: `tests`: a `ctf` task takes no `tests`", ctf.display())
    );
    std::fs::write(
        &ctf,
        original.replace("kind = \"ctf\"", "kind = \"ctf\"\nmarking = \"SECRET\""),
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `marking`: SECRET is higher than the suite's CUI; mark the suite at least as high",
            ctf.display()
        )
    );
    write(r, "tasks/ctf/files/app.py", "no placeholder\n");
    std::fs::write(&ctf, &original).unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `plant`: `files/app.py` holds no `{{{{FLAG}}}}` to replace",
            ctf.display()
        )
    );
    write(r, "tasks/ctf/files/app.py", "SECRET = '{{FLAG}}'\n");
    write(r, "tasks/ctf/seed.txt", "{{FLAG}}\n");
    std::fs::write(
        &ctf,
        original.replace("plant = [\"files/app.py\"]", "plant = [\"seed.txt\"]"),
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `plant`: `seed.txt` is not inside the task's `files` folder, where the flag is planted",
            ctf.display()
        )
    );
    std::fs::write(&ctf, &original).unwrap();

    let suite_toml = r.join("suite.toml");
    let suite_text = std::fs::read_to_string(&suite_toml).unwrap();
    std::fs::write(
        &suite_toml,
        format!("{suite_text}[sandbox]\nroot = \"rootfs\"\n"),
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `sandbox.root`: `rootfs` is not a folder (expected \"host\" or a root filesystem folder)",
            suite_toml.display()
        )
    );
    std::fs::write(
        &suite_toml,
        format!("{suite_text}[sandbox]\nwall_seconds = 0\n"),
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `sandbox.wall_seconds`: must be at least 1",
            suite_toml.display()
        )
    );
    std::fs::write(
        &suite_toml,
        format!("{suite_text}[sandbox]\nnetwork = true\nmemory_mb = 512\n"),
    )
    .unwrap();
    let s = load(r).unwrap();
    assert!(s.sandbox.network);
    assert_eq!(s.sandbox.memory_mb, 512);
    assert_eq!(s.sandbox.root, None);
    std::fs::write(&suite_toml, &suite_text).unwrap();

    let mc = r.join("tasks/mc/task.toml");
    let mc_text = std::fs::read_to_string(&mc).unwrap();
    std::fs::write(&mc, mc_text.replace("answer = \"B\"", "answer = \"D\"")).unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `questions[0].answer`: `D` is not one of the choices' letters (A–C)",
            mc.display()
        )
    );
    std::fs::write(&mc, &mc_text).unwrap();

    let suite_toml = r.join("suite.toml");
    std::fs::write(
        &suite_toml,
        "name = \"demo\"\nversion = \"1\"\nmarking = \"SEKRET\"\ntasks = [\"mc\"]\n",
    )
    .unwrap();
    assert!(error(r).starts_with(&format!(
        "{}: `marking`: unknown classification level `SEKRET`",
        suite_toml.display()
    )));
    std::fs::write(
        &suite_toml,
        "name = \"demo\"\nversion = \"1\"\nmarking = \"U\"\ntasks = [\"mc\", \"nope\"]\n",
    )
    .unwrap();
    assert_eq!(
        error(r),
        format!(
            "{}: `tasks`: no task `nope` (expected tasks/nope/task.toml)",
            suite_toml.display()
        )
    );
    assert!(load(&r.join("tasks"))
        .unwrap_err()
        .to_string()
        .ends_with("not a suite: no suite.toml"));
}
