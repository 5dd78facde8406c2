#![no_main]
//! The catalogue readers and the typed CSV reader on one file; the first byte picks the reader.

use libfuzzer_sys::fuzz_target;
use listening::loaders::{catalogues, read_csv};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One folder per process, reused for every input.
fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("fuzz-catalogues-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let path = dir().join("catalogue.csv");
    std::fs::write(&path, content).expect("write the input");
    match pick % 3 {
        0 => drop(catalogues::read_tidytuesday_songs(&path)),
        1 => drop(catalogues::read_spotify_tracks_114k(&path)),
        _ => drop(read_csv(&path)),
    }
});
