//! `clearinghouse cvss`: scores per version, strict errors, and the batch mode.

use crate::{ch, ch_stdin, temp_db};

fn lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            crate::assert_schema("cvss-v1.schema.json", &v);
            v
        })
        .collect()
}

#[test]
fn scores_every_version_as_one_json_line_each() {
    let (_dir, db) = temp_db();
    let run = ch(
        &db,
        &[
            "cvss",
            "(AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H)",
            "CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MAV:L/U:Amber",
        ],
    );
    insta::assert_snapshot!(run.ok(), @r#"
    {"version":"2.0","vector":"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H","base_score":7.5,"severity":"HIGH","temporal_score":6.2,"environmental_score":8.7}
    {"version":"3.0","vector":"CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F/RL:X","base_score":3.8,"severity":"LOW","temporal_score":3.7}
    {"version":"3.1","vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H","base_score":9.6,"severity":"CRITICAL"}
    {"version":"4.0","vector":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MAV:L/U:Amber","base_score":9.3,"severity":"MEDIUM","score":6.1,"nomenclature":"CVSS-BTE","supplemental":{"U":"Amber"}}
    "#);
    assert_eq!(lines(run.ok()).len(), 4);
}

#[test]
fn a_malformed_vector_is_one_error_naming_it_and_nothing_is_printed() {
    let (_dir, db) = temp_db();
    let run = ch(
        &db,
        &[
            "cvss",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L",
        ],
    );
    assert_eq!(
        run.user_error(),
        "error: vector 2 `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L`: CVSS v3.1 metric `AV` is given twice"
    );
    assert_eq!(run.stdout, "");
    for (vector, message) in [
        ("CVSS:3.2/AV:N", "unknown CVSS prefix `CVSS:3.2`"),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
            "lacks the mandatory metric `SA`",
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z",
            "metric `E` has no value `Z` (expected one of X, H, F, P, U)",
        ),
        (
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/Q:1",
            "CVSS v2.0 has no metric `Q`",
        ),
    ] {
        let run = ch(&db, &["cvss", vector]);
        let error = run.user_error();
        assert!(error.contains(message), "{vector}: {error}");
    }
}

#[test]
fn batch_answers_every_line_in_order_and_marks_bad_ones() {
    let (_dir, db) = temp_db();
    let input = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\r\n\
                 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X\n\
                 \n  AV:L/AC:H/Au:M/C:N/I:N/A:P  \n";
    let run = ch_stdin(&db, &["cvss", "--batch"], Some(input));
    assert_eq!(run.code, 2, "{}", run.stderr);
    let out = lines(&run.stdout);
    assert_eq!(out.len(), 4);
    assert_eq!(out[0]["base_score"], 9.8);
    assert_eq!(
        out[1]["error"],
        "CVSS v3.1 metric `A` has no value `X` (expected one of H, L, N)"
    );
    assert_eq!(out[2]["error"], "empty CVSS vector");
    assert_eq!(out[3]["base_score"], 0.8);
    assert_eq!(out[3]["severity"], "LOW");
    assert!(run
        .stderr
        .contains("standard input line 2: CVSS v3.1 metric `A`"));
    assert!(run.stderr.contains("error: 2 vectors were malformed"));

    let run = ch_stdin(
        &db,
        &["cvss", "--batch"],
        Some("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N\n"),
    );
    assert_eq!(lines(run.ok())[0]["score"], 0.0);
}

#[test]
fn batch_scores_the_published_reference_vectors() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let (_dir, db) = temp_db();
    let text =
        std::fs::read_to_string(data.join("testvectors/cvss/cvssv4.0_supplemental.tsv")).unwrap();
    let rows: Vec<(&str, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let (v, s) = l.split_once('\t').unwrap();
            (v, s.parse().unwrap())
        })
        .collect();
    let input: String = rows.iter().map(|(v, _)| format!("{v}\n")).collect();
    let run = ch_stdin(&db, &["cvss", "--batch"], Some(&input));
    let out = lines(run.ok());
    assert_eq!(out.len(), rows.len());
    for ((vector, expected), got) in rows.iter().zip(&out) {
        assert_eq!(got["score"].as_f64(), Some(*expected), "{vector}");
    }
}
