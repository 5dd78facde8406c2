#![no_main]
//! `loaders::dates`: every format on the input (as lossy UTF-8), `DateFormat::detect`, and a
//! caller's strftime pattern taken from the input (`pattern\nvalue`).

use libfuzzer_sys::fuzz_target;
use listening::loaders::dates::{DateFormat, parse};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let _ = DateFormat::detect(&s);
    for format in [
        DateFormat::Auto,
        DateFormat::LastfmText,
        DateFormat::MonthFirst,
        DateFormat::DayFirst,
        DateFormat::Iso,
        DateFormat::Unix,
        DateFormat::Custom("%d-%m-%Y %H:%M".into()),
        DateFormat::Custom("%Y-%m-%dT%H:%M:%S%.f%z".into()),
    ] {
        let _ = parse(&format, &s);
    }
    if let Some((pattern, value)) = s.split_once('\n') {
        let _ = parse(&DateFormat::Custom(pattern.to_string()), value);
    }
});
