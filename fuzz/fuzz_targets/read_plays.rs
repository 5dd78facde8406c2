#![no_main]
//! `loaders::read_plays` on one file. The first byte picks the file's name (the format is sniffed
//! from the content, but a name may steer a loader); the rest is the file. Any input may be an
//! error; none may panic.

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const NAMES: [&str; 6] = [
    "x.csv",
    "x.json",
    "StreamingHistory_music_0.json",
    "Streaming_History_Audio_2023.json",
    "x.jsonl",
    "x.csv.gz",
];

/// One folder per process, reused for every input.
fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("fuzz-read_plays-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let path = dir().join(NAMES[pick as usize % NAMES.len()]);
    std::fs::write(&path, content).expect("write the input");
    let _ = listening::loaders::read_plays(&path);
});
