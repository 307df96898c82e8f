//! Differential test against Red Hat's Python `cvss` package (3.6, the library the
//! published reference vectors come from): every base vector of v3.0 and v3.1, and a
//! large deterministic sample of vectors of every version with every metric group
//! (temporal, threat, environmental, supplemental) given in random combinations.
//!
//! The package is installed by scripts/test.sh (tests/reference/requirements.txt). In
//! CI a missing package fails the test; elsewhere the test is skipped with a message.
#![allow(clippy::unwrap_used)]

use ch_cvss::Cvss;
use std::io::Write;
use std::process::{Command, Stdio};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

type Table = &'static [(&'static str, &'static [&'static str])];

const V2_BASE: Table = &[
    ("AV", &["L", "A", "N"]),
    ("AC", &["H", "M", "L"]),
    ("Au", &["M", "S", "N"]),
    ("C", &["N", "P", "C"]),
    ("I", &["N", "P", "C"]),
    ("A", &["N", "P", "C"]),
];
const V2_OPTIONAL: Table = &[
    ("E", &["U", "POC", "F", "H", "ND"]),
    ("RL", &["OF", "TF", "W", "U", "ND"]),
    ("RC", &["UC", "UR", "C", "ND"]),
    ("CDP", &["N", "L", "LM", "MH", "H", "ND"]),
    ("TD", &["N", "L", "M", "H", "ND"]),
    ("CR", &["L", "M", "H", "ND"]),
    ("IR", &["L", "M", "H", "ND"]),
    ("AR", &["L", "M", "H", "ND"]),
];
const V3_BASE: Table = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["H", "L", "N"]),
    ("I", &["H", "L", "N"]),
    ("A", &["H", "L", "N"]),
];
const V3_OPTIONAL: Table = &[
    ("E", &["X", "H", "F", "P", "U"]),
    ("RL", &["X", "U", "W", "T", "O"]),
    ("RC", &["X", "C", "R", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "R"]),
    ("MS", &["X", "U", "C"]),
    ("MC", &["X", "H", "L", "N"]),
    ("MI", &["X", "H", "L", "N"]),
    ("MA", &["X", "H", "L", "N"]),
];
const V4_BASE: Table = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
];
const V4_OPTIONAL: Table = &[
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "H", "L", "N"]),
    ("MVI", &["X", "H", "L", "N"]),
    ("MVA", &["X", "H", "L", "N"]),
    ("MSC", &["X", "H", "L", "N"]),
    ("MSI", &["X", "S", "H", "L", "N"]),
    ("MSA", &["X", "S", "H", "L", "N"]),
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// A random vector: every base metric, and each optional metric with probability
/// `1/density` (so that sparse and full vectors both occur).
fn random(rng: &mut Rng, prefix: &str, base: Table, optional: Table) -> String {
    let density = 1 + rng.below(4);
    let mut parts: Vec<String> = base
        .iter()
        .map(|(k, vs)| format!("{k}:{}", vs[rng.below(vs.len())]))
        .collect();
    for (k, vs) in optional {
        if rng.below(density) == 0 {
            parts.push(format!("{k}:{}", vs[rng.below(vs.len())]));
        }
    }
    format!("{prefix}{}", parts.join("/"))
}

/// Every combination of the base metrics.
fn all_base(prefix: &str, base: Table) -> Vec<String> {
    let mut out = vec![String::new()];
    for (k, vs) in base {
        out = out
            .iter()
            .flat_map(|p| vs.iter().map(move |v| format!("{p}/{k}:{v}")))
            .collect();
    }
    out.into_iter()
        .map(|s| format!("{prefix}{}", &s[1..]))
        .collect()
}

fn ours(vector: &str) -> String {
    let f = |s: Option<ch_cvss::Score>| s.map(|s| s.to_string()).unwrap_or_default();
    match Cvss::parse(vector) {
        Err(e) => format!("error\t{e}"),
        Ok(Cvss::V2(v)) => {
            let s = v.scores();
            format!("{}\t{}\t{}", s.base, f(s.temporal), f(s.environmental))
        }
        Ok(Cvss::V3(v)) => {
            let s = v.scores();
            format!("{}\t{}\t{}", s.base, s.temporal, s.environmental)
        }
        Ok(Cvss::V4(v)) => v.score().to_string(),
    }
}

/// The reference's output per vector, or `None` when the package is not installed.
fn reference(vectors: &[String]) -> Option<Vec<String>> {
    let script =
        ch_test_support::workspace_root().join("crates/ch-cvss/tests/reference/cvss_scores.py");
    let ok = Command::new("python3")
        .args(["-c", "import cvss"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        assert!(
            !in_ci,
            "the Python `cvss` package is missing (pip install -r crates/ch-cvss/tests/reference/requirements.txt)"
        );
        eprintln!("skipped: the Python `cvss` package is not installed");
        return None;
    }
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = vectors.join("\n") + "\n";
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "the reference script failed");
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), vectors.len(), "one reference line per vector");
    Some(lines)
}

fn compare(vectors: Vec<String>) {
    let Some(expected) = reference(&vectors) else {
        return;
    };
    let mut failures = Vec::new();
    for (vector, expected) in vectors.iter().zip(&expected) {
        let got = ours(vector);
        if &got != expected {
            failures.push(format!("{vector}: reference {expected:?}, ours {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ from the reference, e.g.:\n{}",
        failures.len(),
        vectors.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn v2_matches_reference() {
    let mut rng = Rng(0x5eed_0002);
    let mut vectors = all_base("", V2_BASE);
    vectors.extend((0..30_000).map(|_| random(&mut rng, "", V2_BASE, V2_OPTIONAL)));
    compare(vectors);
}

#[test]
fn v3_0_matches_reference() {
    let mut rng = Rng(0x5eed_0030);
    let mut vectors = all_base("CVSS:3.0/", V3_BASE);
    vectors.extend((0..40_000).map(|_| random(&mut rng, "CVSS:3.0/", V3_BASE, V3_OPTIONAL)));
    compare(vectors);
}

#[test]
fn v3_1_matches_reference() {
    let mut rng = Rng(0x5eed_0031);
    let mut vectors = all_base("CVSS:3.1/", V3_BASE);
    vectors.extend((0..40_000).map(|_| random(&mut rng, "CVSS:3.1/", V3_BASE, V3_OPTIONAL)));
    compare(vectors);
}

#[test]
fn v4_0_matches_reference() {
    let mut rng = Rng(0x5eed_0040);
    let vectors = (0..40_000)
        .map(|_| random(&mut rng, "CVSS:4.0/", V4_BASE, V4_OPTIONAL))
        .collect();
    compare(vectors);
}
