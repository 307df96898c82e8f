//! Any bytes through the evaluation harness's readers of untrusted input: model
//! responses (Chat Completions, Anthropic Messages), multiple-choice datasets, result
//! file lines, answers (letters, vulnerability locations), the locations
//! configuration. Each returns a value or an error; none panics.
#![no_main]

use ch_eval_suite::Answer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        if let Ok(c) = ch_eval_provider::openai::parse_response(&v, "fuzz") {
            for call in &c.message.tool_calls {
                let _ = call.parsed();
            }
        }
        let _ = ch_eval_provider::anthropic::parse_response(&v, "fuzz");
    }
    if let Ok(records) = ch_eval_import::mcq::read("fuzz.jsonl", text) {
        for r in records {
            assert!((2..=26).contains(&r.choices.len()));
            let letter = r.answer.chars().next().expect("a letter");
            assert!(((letter as u8 - b'A') as usize) < r.choices.len());
        }
    }
    for line in text.lines() {
        let _ = serde_json::from_str::<ch_eval_result::Line>(line);
    }
    if let Some(c) = ch_eval_harness::scoring::parse_letter(text, 4) {
        assert!(('A'..='D').contains(&c));
    }
    let expected = Answer { file: "a/b.py".into(), line: 10, cwe: "CWE-22".into() };
    let (solved, score, _) = ch_eval_harness::scoring::vuln_score(text, &expected);
    assert!((0.0..=1.0).contains(&score) && (!solved || score == 1.0));
    let _ = ch_marking::Locations::from_toml("fuzz.toml", text);
});
