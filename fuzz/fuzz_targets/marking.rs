//! Any string: a classification marking parses or is refused without panicking, and
//! a parsed marking re-parses from its banner to itself.
#![no_main]

use ch_marking::Marking;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(m) = text.parse::<Marking>() {
        let again: Marking = m.banner().parse().expect("a banner parses");
        assert_eq!(again, m);
        assert!(m.join(&again).dominates(&m));
    }
});
