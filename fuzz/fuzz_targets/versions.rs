//! Any two strings under every scheme: parsing and comparing must never panic, and
//! comparison must be antisymmetric.
#![no_main]

use ch_versions::Scheme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (a, b) = text.split_once('\t').unwrap_or((text, "1.0"));
    for scheme in Scheme::ALL {
        if let (Ok(x), Ok(y)) = (scheme.parse(a), scheme.parse(b)) {
            assert_eq!(x.cmp(&y), y.cmp(&x).reverse(), "{scheme}: {a:?} vs {b:?}");
            assert_eq!(x.cmp(&x), std::cmp::Ordering::Equal);
        }
    }
});
