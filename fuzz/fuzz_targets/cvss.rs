//! Any string: CVSS parsing and scoring must never panic; a parsed vector scores
//! within 0.0–10.0 and re-parses from its canonical form to the same vector.
#![no_main]

use ch_cvss::Cvss;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cvss) = Cvss::parse(text) {
        let score = cvss.score();
        assert!(score.tenths() <= 100);
        assert!(cvss.base_score().tenths() <= 100);
        let _ = cvss.severity();
        let canonical = cvss.to_string();
        let again = Cvss::parse(&canonical).expect("canonical form parses");
        assert_eq!(again, cvss);
        assert_eq!(again.score(), score);
    }
});
