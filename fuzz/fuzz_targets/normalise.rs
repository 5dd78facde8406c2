#![no_main]
//! The join's name keys (`analysis::normalise`) on the input as UTF-8 (other input is skipped).
//! Besides not panicking, a key is folded: no surrounding or doubled spaces.

use libfuzzer_sys::fuzz_target;
use listening::analysis::normalise::{artist_key, artist_keys, title_key};

fn check(key: &str) {
    assert_eq!(key, key.trim(), "key with surrounding space");
    assert!(!key.contains("  "), "key with doubled space: {key:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    check(&artist_key(s));
    check(&title_key(s));
    for k in artist_keys(s) {
        check(&k);
    }
});
