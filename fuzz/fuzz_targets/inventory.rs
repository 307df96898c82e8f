//! Any bytes, read as every inventory format: a reader returns packages or an
//! error naming the file, and never panics.
#![no_main]

use ch_inventory::{read, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in Format::ALL {
        match read(*format, "fuzz", data) {
            Ok(parsed) => {
                for p in &parsed.packages {
                    assert_eq!(p.source.file, "fuzz");
                }
            }
            Err(e) => assert_eq!(e.file, "fuzz"),
        }
    }
    let _ = Format::sniff(data);
});
