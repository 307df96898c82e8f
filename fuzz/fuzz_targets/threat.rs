//! Any bytes: the KEV, EPSS and Vulnrichment readers return records or an error
//! naming the file, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ch_threat::kev::parse("fuzz.json", data);
    let _ = ch_threat::epss::parse("fuzz.csv", data);
    let _ = ch_threat::vulnrichment::parse("fuzz.json", data);
    let _ = ch_threat::epss::looks_like(data);
});
