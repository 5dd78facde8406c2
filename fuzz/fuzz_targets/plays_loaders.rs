#![no_main]
//! The plays loaders called directly, each on whatever file it is given. First byte: the loader;
//! second byte: the date format `read_table` is told; the rest is the file.

use libfuzzer_sys::fuzz_target;
use listening::loaders::{DateFormat, PlaysColumns, lastfm, listenbrainz, read_table, spotify};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The file name each loader is given.
const NAMES: [&str; 7] = [
    "scrobbles.csv",
    "ghan.csv",
    "recenttracks.json",
    "StreamingHistory_music_0.json",
    "Streaming_History_Audio_2023.json",
    "listens.jsonl",
    "plays.csv",
];

fn date_format(pick: u8) -> DateFormat {
    use DateFormat::*;
    let custom = Custom("%d-%m-%Y %H:%M".into());
    [Auto, LastfmText, MonthFirst, DayFirst, Iso, Unix, custom][pick as usize % 7].clone()
}

/// One folder per process, reused for every input.
fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("fuzz-plays_loaders-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let [loader, format, content @ ..] = data else {
        return;
    };
    let path = dir().join(NAMES[*loader as usize % NAMES.len()]);
    std::fs::write(&path, content).expect("write the input");
    let _ = match loader % 7 {
        0 => lastfm::read_scrobbles_csv(&path),
        1 => lastfm::read_ghan_csv(&path),
        2 => lastfm::read_recent_tracks_json(&path),
        3 => spotify::read_account_history(&path),
        4 => spotify::read_extended_history(&path),
        5 => listenbrainz::read_listens(&path),
        _ => {
            let columns = PlaysColumns::new("date", "artist", "track")
                .album("album")
                .ms_played("ms")
                .track_id("id")
                .date_format(date_format(*format));
            read_table(&path, &columns)
        }
    };
});
