//! Any string: purl parsing must never panic, and a parsed purl must re-parse to
//! itself from its canonical form.
#![no_main]

use ch_types::Purl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(purl) = Purl::parse(text) {
        let _ = purl.to_osv();
        let canonical = purl.to_string();
        let again = Purl::parse(&canonical).expect("canonical form parses");
        assert_eq!(again.to_string(), canonical);
    }
});
