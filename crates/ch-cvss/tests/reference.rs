//! Every published reference vector in ../shared/data/testvectors/cvss scores exactly
//! as expected, to the decimal, in every score the file gives.
#![allow(clippy::unwrap_used)]

use ch_cvss::Cvss;

struct Case {
    file: &'static str,
    line: usize,
    vector: String,
    expected: Vec<Option<String>>,
}

fn cases(file: &'static str) -> Vec<Case> {
    let Some(data) = ch_test_support::shared_data() else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(data.join("testvectors/cvss").join(file)).unwrap();
    text.lines()
        .enumerate()
        .skip(1)
        .map(|(i, line)| {
            let mut fields = line.split('\t');
            let vector = fields.next().unwrap().to_owned();
            let expected = fields
                .map(|f| (!f.is_empty()).then(|| f.to_owned()))
                .collect();
            Case {
                file,
                line: i + 1,
                vector,
                expected,
            }
        })
        .collect()
}

fn fmt(score: Option<ch_cvss::Score>) -> Option<String> {
    score.map(|s| s.to_string())
}

fn check(files: &[&'static str], min_cases: usize) {
    let mut failures = Vec::new();
    let mut n = 0;
    for file in files {
        for case in cases(file) {
            n += 1;
            let got: Vec<Option<String>> = match Cvss::parse(&case.vector) {
                Err(e) => {
                    failures.push(format!("{}:{} {}: {e}", case.file, case.line, case.vector));
                    continue;
                }
                Ok(Cvss::V2(v)) => {
                    let s = v.scores();
                    vec![fmt(Some(s.base)), fmt(s.temporal), fmt(s.environmental)]
                }
                Ok(Cvss::V3(v)) => {
                    let s = v.scores();
                    vec![
                        fmt(Some(s.base)),
                        fmt(Some(s.temporal)),
                        fmt(Some(s.environmental)),
                    ]
                }
                Ok(Cvss::V4(v)) => vec![fmt(Some(v.score()))],
            };
            let expected: Vec<Option<String>> = case
                .expected
                .iter()
                .cloned()
                .chain(std::iter::repeat(None))
                .take(got.len())
                .collect();
            if got != expected {
                failures.push(format!(
                    "{}:{} {}: expected {:?}, got {:?}",
                    case.file, case.line, case.vector, expected, got
                ));
            }
        }
    }
    if ch_test_support::shared_data().is_some() {
        assert!(n >= min_cases, "only {n} reference vectors were read");
    }
    assert!(
        failures.is_empty(),
        "{} of {n} reference vectors differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn v2_reference_vectors() {
    check(
        &[
            "cvssv2_simple.tsv",
            "cvssv2_calculator.tsv",
            "cvssv2_cvsslib.tsv",
        ],
        370,
    );
}

#[test]
fn v3_0_reference_vectors() {
    check(
        &[
            "cvssv3.0_simple.tsv",
            "cvssv3.0_calculator.tsv",
            "cvssv3.0_cvsslib.tsv",
        ],
        1300,
    );
}

#[test]
fn v3_1_reference_vectors() {
    check(&["cvssv3.1_simple.tsv"], 1290);
}

#[test]
fn v4_0_reference_vectors() {
    check(
        &[
            "cvssv4.0_simple.tsv",
            "cvssv4.0_security.tsv",
            "cvssv4.0_supplemental.tsv",
            "cvssv4.0_threat.tsv",
        ],
        840,
    );
}
