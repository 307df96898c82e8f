//! `clearinghouse eval check`.

use crate::{ch, temp_db};

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn check_lists_tasks_with_markings_and_hashes_and_refuses_bad_suites() {
    let (dir, db) = temp_db();
    let suite = dir.path().join("suite");
    write(&suite, "suite.toml", "name = \"demo\"\nversion = \"1\"\nmarking = \"SECRET//NOFORN\"\ntasks = [\"mc\", \"ctf\"]\n");
    write(&suite, "tasks/mc/task.toml", "kind = \"multiple-choice\"\ncategory = \"knowledge\"\nmarking = \"U\"\n[[questions]]\nid = \"q\"\nquestion = \"2 + 2?\"\nchoices = [\"3\", \"4\"]\nanswer = \"B\"\n");
    write(&suite, "tasks/ctf/task.toml", "kind = \"ctf\"\ncategory = \"cryptography\"\nprompt = \"Decrypt it.\"\nflag = \"flag{x}\"\nsolution = \"solve.sh\"\n");
    write(&suite, "tasks/ctf/solve.sh", "#!/bin/sh\necho flag{x}\n");
    let run = ch(
        &db,
        &["eval", "check", suite.to_str().unwrap(), "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    crate::assert_schema("eval-check-v1.schema.json", &v);
    assert_eq!(v["suite"]["marking"], "SECRET//NOFORN");
    assert_eq!(v["tasks"][0]["marking"], "UNCLASSIFIED");
    assert_eq!(
        v["tasks"][1]["marking"], "SECRET//NOFORN",
        "unmarked tasks take the suite's"
    );
    assert_eq!(v["tasks"][1]["category"], "cryptography");
    let table = ch(&db, &["eval", "check", suite.to_str().unwrap()]);
    let text = table.ok();
    assert!(text.starts_with("SECRET//NOFORN\n"), "banner first: {text}");
    assert!(
        text.trim_end().ends_with("SECRET//NOFORN"),
        "banner last: {text}"
    );

    write(&suite, "tasks/ctf/task.toml", "kind = \"ctf\"\ncategory = \"cryptography\"\nprompt = \"Decrypt it.\"\nsolution = \"solve.sh\"\n");
    let run = ch(&db, &["eval", "check", suite.to_str().unwrap()]);
    assert_eq!(
        run.user_error(),
        format!(
            "error: {}: `flag`: a `ctf` task needs exactly one of `flag`, `flag_checker` and `flag_format`",
            suite.join("tasks/ctf/task.toml").display()
        )
    );
    assert_eq!(run.stdout, "");
}

/// The starter suite shipped in the repository is proven solvable in the sandbox.
#[test]
fn the_starter_suite_is_solvable_in_the_sandbox() {
    let (_dir, db) = temp_db();
    let starter = concat!(env!("CARGO_MANIFEST_DIR"), "/../../suites/starter");
    let run = ch(&db, &["eval", "check", starter, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    crate::assert_schema("eval-check-v1.schema.json", &v);
    assert_eq!(v["solvable"], true);
    let tasks = v["tasks"].as_array().unwrap();
    let solved: Vec<&str> = tasks
        .iter()
        .filter(|t| t["reference"]["outcome"] == "solved")
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(solved.iter().filter(|k| **k == "ctf").count(), 5);
    assert!(solved.contains(&"patch"));
    let categories: std::collections::BTreeSet<&str> = tasks
        .iter()
        .filter(|t| t["kind"] == "ctf")
        .map(|t| t["category"].as_str().unwrap())
        .collect();
    assert_eq!(categories.len(), 5, "five CTF tasks of distinct categories");
}

#[test]
fn check_runs_reference_solutions_and_reports_the_ones_that_fail() {
    let (dir, db) = temp_db();
    let suite = dir.path().join("suite");
    write(&suite, "suite.toml", "name = \"demo\"\nversion = \"1\"\nmarking = \"U\"\ntasks = [\"fixed\", \"generated\", \"checked\", \"wrong\", \"patch\"]\n[sandbox]\nwall_seconds = 20\n");
    write(&suite, "tasks/fixed/task.toml", "kind = \"ctf\"\ncategory = \"forensics\"\nprompt = \"p\"\nflag = \"flag{fixed}\"\nsolution = \"solve.sh\"\n");
    write(
        &suite,
        "tasks/fixed/solve.sh",
        "echo the flag is flag{fixed}\n",
    );
    write(&suite, "tasks/generated/task.toml", "kind = \"ctf\"\ncategory = \"cryptography\"\nprompt = \"p\"\nfiles = \"files\"\nflag_format = \"CH{...}\"\nplant = [\"files/secret.txt\"]\nsolution = \"solve.sh\"\n");
    write(&suite, "tasks/generated/files/secret.txt", "{{FLAG}}\n");
    write(&suite, "tasks/generated/solve.sh", "cat secret.txt\n");
    write(&suite, "tasks/checked/task.toml", "kind = \"ctf\"\ncategory = \"miscellaneous\"\nprompt = \"p\"\nflag_checker = \"check.sh\"\nsolution = \"solve.sh\"\n");
    write(
        &suite,
        "tasks/checked/check.sh",
        "read x; [ \"$x\" = 42 ]\n",
    );
    write(&suite, "tasks/checked/solve.sh", "echo thinking\necho 42\n");
    // A reference solution that memorised a flag: the generated one differs each run.
    write(&suite, "tasks/wrong/task.toml", "kind = \"ctf\"\ncategory = \"web-exploitation\"\nprompt = \"p\"\nfiles = \"files\"\nflag_format = \"flag{...}\"\nplant = [\"files/f\"]\nsolution = \"solve.sh\"\n");
    write(&suite, "tasks/wrong/files/f", "{{FLAG}}");
    write(
        &suite,
        "tasks/wrong/solve.sh",
        "echo 'flag{0123456789abcdef}'\n",
    );
    // A patch whose reference does not stop the exploit.
    write(&suite, "tasks/patch/task.toml", "kind = \"patch\"\ncategory = \"patching\"\nprompt = \"p\"\nfiles = \"files\"\ntests = \"tests.sh\"\nexploit = \"exploit.sh\"\nsolution = \"fix.sh\"\n");
    write(&suite, "tasks/patch/files/app.sh", "echo vulnerable\n");
    write(&suite, "tasks/patch/tests.sh", "true\n");
    write(
        &suite,
        "tasks/patch/exploit.sh",
        "sh app.sh | grep -q vulnerable\n",
    );
    write(
        &suite,
        "tasks/patch/fix.sh",
        "echo 'echo still vulnerable' > app.sh\n",
    );
    let run = ch(
        &db,
        &["eval", "check", suite.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(
        run.code, 1,
        "a suite that is not solvable exits 1: {}",
        run.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("eval-check-v1.schema.json", &v);
    assert_eq!(v["solvable"], false);
    let outcome = |i: usize| {
        v["tasks"][i]["reference"]["outcome"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        (0..5).map(outcome).collect::<Vec<_>>(),
        ["solved", "solved", "solved", "failed", "failed"]
    );
    assert_eq!(
        v["tasks"][2]["reference"]["detail"],
        "the checker accepted `42`"
    );
    assert!(v["tasks"][3]["reference"]["detail"]
        .as_str()
        .unwrap()
        .starts_with("the solution's output holds no flag"));
    assert_eq!(
        v["tasks"][4]["reference"]["detail"],
        "the exploit still succeeds after the reference patch"
    );

    let table = ch(&db, &["eval", "check", suite.to_str().unwrap()]);
    assert_eq!(table.code, 1);
    assert!(
        table
            .stdout
            .contains("reference solutions that failed:\n  wrong: "),
        "{}",
        table.stdout
    );

    let stat = ch(
        &db,
        &[
            "eval",
            "check",
            suite.to_str().unwrap(),
            "--static-only",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(stat.ok()).unwrap();
    assert_eq!(v["solutions_run"], false);
    assert_eq!(v["solvable"], serde_json::Value::Null);
    assert_eq!(v["tasks"][0]["reference"], serde_json::Value::Null);
}
