#![no_main]
//! `loaders::exportify::read_playlists` on one file (first byte: its name), and, when the second
//! byte is odd, on a folder of two files: the rest of the input split at its middle.

use libfuzzer_sys::fuzz_target;
use listening::loaders::exportify::read_playlists;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const NAMES: [&str; 4] = [
    "playlist.csv",
    "日本のシティポップ.csv",
    "liked.csv.gz",
    "notes.txt",
];

/// One folder per process, reused for every input; `folder/` in it holds the two-file case.
fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("fuzz-exportify-{}", std::process::id()));
        std::fs::create_dir_all(d.join("folder")).expect("temp dir");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let [name, folder, content @ ..] = data else {
        return;
    };
    let path = dir().join(NAMES[*name as usize % NAMES.len()]);
    std::fs::write(&path, content).expect("write the input");
    let _ = read_playlists(&path);
    if folder % 2 == 1 {
        let (a, b) = content.split_at(content.len() / 2);
        let folder = dir().join("folder");
        std::fs::write(folder.join("a.csv"), a).expect("write the input");
        std::fs::write(folder.join("b.csv"), b).expect("write the input");
        let _ = read_playlists(&folder);
    }
});
