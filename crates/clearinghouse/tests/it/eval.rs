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
