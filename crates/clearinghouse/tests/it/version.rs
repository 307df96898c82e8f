use crate::{ch, ch_stdin, temp_db};

#[test]
fn cmp_uses_each_ecosystems_order() {
    let (_dir, db) = temp_db();
    // (ecosystem, a, b, expected): cases where a naive order would be wrong.
    let cases = [
        ("PyPI", "1.0rc1", "1.0", "<"),
        ("PyPI", "1.0", "1.0.0", "="),
        ("PyPI", "1!0.1", "2.0", ">"),
        ("npm", "1.0.0-beta.11", "1.0.0-beta.2", ">"),
        ("crates.io", "1.0.0+build", "1.0.0", "="),
        ("Go", "v1.2", "1.2.0", "="),
        ("Go", "v0.0.0-20210101000000-abcdefabcdef", "v0.0.1", "<"),
        ("Debian", "1.0~rc1", "1.0", "<"),
        ("Debian", "1:0.9", "2.0", ">"),
        (
            "Ubuntu:22.04:LTS",
            "3.0.2-0ubuntu1.10",
            "3.0.2-0ubuntu1.9",
            ">",
        ),
        ("AlmaLinux:9", "1:3.0.1-41.el9_0", "1:3.0.1-43.el9_0", "<"),
        ("Red Hat", "1.0~rc1-1", "1.0-1", "<"),
        ("Alpine:v3.19", "1.2.3_rc1-r0", "1.2.3-r0", "<"),
        ("Maven", "1.0-alpha-1", "1.0", "<"),
        ("Maven", "1.0.0", "1", "="),
        ("RubyGems", "1.0.0.beta", "1.0.0", "<"),
        ("NuGet", "1.0.0-Beta", "1.0.0-beta", "="),
        ("Packagist", "2.7.51-RC1", "2.7.51-dev", ">"),
        ("CRAN", "1.0-10", "1.0-9", ">"),
    ];
    for (eco, a, b, expected) in cases {
        let run = ch(&db, &["version", "cmp", eco, a, b]);
        assert_eq!(run.ok().trim(), expected, "{eco}: {a} vs {b}");
    }
}

#[test]
fn cmp_rejects_an_invalid_version_with_one_line() {
    let (_dir, db) = temp_db();
    let run = ch(&db, &["version", "cmp", "crates.io", "1.0", "1.0.0"]);
    let error = run.user_error();
    assert!(error.contains("invalid semver version `1.0`"), "{error}");
    assert_eq!(run.stdout, "");
}

#[test]
fn cmp_rejects_an_unknown_ecosystem_with_a_hint() {
    let (_dir, db) = temp_db();
    let run = ch(&db, &["version", "cmp", "Nixpkgs", "1", "2"]);
    assert!(run.user_error().contains("unknown ecosystem `Nixpkgs`"));
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
}

#[test]
fn batch_answers_every_line_in_order_and_marks_bad_ones() {
    let (_dir, db) = temp_db();
    let input =
        "1.0.0\t2.0.0\nnot a version\t1.0.0\n2.0.0\t2.0.0+b1\nno tab here\n3.0.0-rc.1\t3.0.0\n";
    let run = ch_stdin(&db, &["version", "cmp", "--batch", "npm"], Some(input));
    assert_eq!(run.stdout, "<\n!\n=\n!\n<\n");
    assert_eq!(run.code, 2, "a bad line makes the exit code 2");
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("warning: line 2: invalid npm version `not a version`"),
        "{}",
        warnings[0]
    );
    assert!(warnings[1].starts_with("warning: line 4: expected two versions separated by a tab"));

    let clean = ch_stdin(
        &db,
        &["version", "cmp", "--batch", "npm"],
        Some("1.0.0\t1.0.1\r\n"),
    );
    assert_eq!(clean.ok(), "<\n");
}

#[test]
fn sort_orders_by_ecosystem_and_keeps_input_spelling() {
    let (_dir, db) = temp_db();
    let input = "1.10\n1.9\n1.0.post1\n1.0\n1.0a1\n1.0.dev0\n\n0!2.0\n";
    let run = ch_stdin(&db, &["version", "sort", "PyPI"], Some(input));
    assert_eq!(
        run.ok(),
        "1.0.dev0\n1.0a1\n1.0\n1.0.post1\n1.9\n1.10\n0!2.0\n"
    );
    let rev = ch_stdin(
        &db,
        &["version", "sort", "--reverse", "Debian"],
        Some("1.0\n1.0~rc1\n1.0+b1\n"),
    );
    assert_eq!(rev.ok(), "1.0+b1\n1.0\n1.0~rc1\n");
}

#[test]
fn sort_fails_whole_on_a_bad_line_and_prints_nothing() {
    let (_dir, db) = temp_db();
    let run = ch_stdin(
        &db,
        &["version", "sort", "npm"],
        Some("1.0.0\nbanana\n2.0.0\n"),
    );
    assert!(run.user_error().contains("line 2"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}
