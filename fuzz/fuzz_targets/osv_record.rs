//! Any bytes: parsing an OSV record, compiling its entries and evaluating a few
//! versions must never panic.
#![no_main]

use ch_osv::{Advisory, CompiledAffected};
use ch_types::Ecosystem;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(advisory) = Advisory::from_json(data) else { return };
    for affected in advisory.affected() {
        let Some(package) = &affected.package else { continue };
        let Ok(ecosystem) = Ecosystem::parse(&package.ecosystem) else { continue };
        let (compiled, _) = CompiledAffected::compile(&ecosystem, affected);
        for event in affected.ranges().iter().flat_map(|r| r.events()) {
            let _ = compiled.affects_str(&event.value);
            let _ = compiled.smallest_fix(&event.value);
        }
    }
    // What we keep, we write back unchanged.
    let bytes = serde_json::to_vec(&advisory).expect("a parsed record serialises");
    let again = Advisory::from_json(&bytes).expect("a written record parses");
    assert_eq!(again, advisory);
});
