//! Any text: policy files and system descriptions load or fail with an error naming
//! the file (and line), never panic; a decision table that loads decides every
//! combination.
#![no_main]

use ch_priority::context::SystemContext;
use ch_priority::policy::PolicyFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(PolicyFile::Table(t)) = PolicyFile::parse("fuzz.toml", text) {
        let n: usize = t.table.points.iter().map(|p| p.values.len()).product();
        assert_eq!(t.table.rows.len(), n);
    }
    let _ = SystemContext::from_toml("fuzz.toml", text);
});
