//! Loaders: listening exports and public catalogues into the canonical tables of
//! [`crate::schema`].
//!
//! Every loader takes a path — a file, a gzip file (read transparently), or a folder of such
//! files — and returns owned tables plus a [`LoadReport`] that counts the rows read, loaded and
//! skipped (with the reason and the first places). A malformed row is an error naming the file and
//! line; only the skips each loader documents (a Last.fm row without a date, a Spotify row that is
//! neither music nor a podcast episode) are counted instead.
//!
//! | source | function |
//! |---|---|
//! | any plays export (format sniffed) | [`read_plays`] |
//! | Last.fm "lastfm-to-csv" (no header) | [`lastfm::read_scrobbles_csv`] |
//! | lastfm.ghan.nl CSV | [`lastfm::read_ghan_csv`] |
//! | Last.fm API `user.getRecentTracks` JSON pages | [`lastfm::read_recent_tracks_json`] |
//! | Spotify account-data `StreamingHistory*.json` | [`spotify::read_account_history`] |
//! | Spotify extended `Streaming_History_Audio_*.json` | [`spotify::read_extended_history`] |
//! | Exportify playlist CSVs | [`exportify::read_playlists`] |
//! | Spotify Tracks Dataset (114 genres) | [`catalogues::read_spotify_tracks_114k`] |
//! | TidyTuesday 2020-01-21 spotify_songs | [`catalogues::read_tidytuesday_songs`] |

pub mod catalogues;
mod csv_table;
pub mod exportify;
pub mod lastfm;
mod report;
pub mod spotify;
mod table;

pub use catalogues::Catalogue;
pub use report::{LoadReport, Loaded, PlaylistExport};
pub(crate) use table::datetime_ms_column as table_datetime_ms_column;

use crate::error::{Error, Result};
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

/// Reads a whole file as UTF-8 text, gunzipping it when it starts with the gzip magic bytes.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(bytes.len() * 4);
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| Error::io(path, e))?;
        out
    } else {
        bytes
    };
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        Error::parse(path, line, "not valid UTF-8 text")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// The first `n` bytes of a file's text (gunzipped), lossily decoded: enough to tell its format
/// without reading it all.
fn read_head(path: &Path, n: u64) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut magic = [0u8; 2];
    let got = file.read(&mut magic).map_err(|e| Error::io(path, e))?;
    file.seek(std::io::SeekFrom::Start(0))
        .map_err(|e| Error::io(path, e))?;
    let mut head = Vec::new();
    if got == 2 && magic == [0x1f, 0x8b] {
        flate2::read::MultiGzDecoder::new(file)
            .take(n)
            .read_to_end(&mut head)
    } else {
        file.take(n).read_to_end(&mut head)
    }
    .map_err(|e| Error::io(path, e))?;
    Ok(String::from_utf8_lossy(&head)
        .trim_start_matches('\u{feff}')
        .to_string())
}

/// The files a loader reads from `path`: the file itself, or the files of a folder whose names
/// `accept` takes, sorted by name. A folder with none of them is an error.
pub(crate) fn files_in(
    path: &Path,
    pattern: &str,
    accept: fn(&str) -> bool,
) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && accept(&name) {
            files.push(entry.path());
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::NoFiles {
            path: path.to_path_buf(),
            pattern: pattern.to_string(),
        });
    }
    Ok(files)
}

/// Strips `.gz` so that name patterns see the inner file name.
pub(crate) fn base_name(name: &str) -> &str {
    name.strip_suffix(".gz").unwrap_or(name)
}

/// Which export a file is, judged by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaysFormat {
    LastfmCsv,
    GhanCsv,
    LastfmApiJson,
    SpotifyAccount,
    SpotifyExtended,
}

/// Sniffs the export kind of one file (a folder: of its first file).
pub fn sniff_plays_format(path: &Path) -> Result<PlaysFormat> {
    let file = if path.is_dir() {
        let candidates = files_in(path, "*.csv or *.json", |n| {
            let n = base_name(n);
            n.ends_with(".csv") || n.ends_with(".json")
        })?;
        // A Spotify data folder also holds Follow.json, Identity.json, Payments.json…: judge it by
        // its history files when it has them.
        let is_history = |p: &PathBuf| {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ["StreamingHistory", "Streaming_History_Audio", "endsong"]
                .iter()
                .any(|k| n.starts_with(k))
        };
        candidates
            .iter()
            .find(|p| is_history(p))
            .unwrap_or(&candidates[0])
            .clone()
    } else {
        path.to_path_buf()
    };
    let head = read_head(&file, 4096)?;
    let trimmed = head.trim_start();
    let format = if trimmed.starts_with('{') && head.contains("\"recenttracks\"") {
        PlaysFormat::LastfmApiJson
    } else if trimmed.starts_with('[') && head.contains("\"endTime\"") {
        PlaysFormat::SpotifyAccount
    } else if trimmed.starts_with('[') && head.contains("\"ts\"") {
        PlaysFormat::SpotifyExtended
    } else if trimmed.starts_with("uts,") {
        PlaysFormat::GhanCsv
    } else if !trimmed.starts_with('[') && !trimmed.starts_with('{') && !trimmed.is_empty() {
        PlaysFormat::LastfmCsv
    } else {
        return Err(Error::WrongFormat {
            path: file,
            expected: "listening-history export".into(),
            detail: "not a Last.fm CSV or API page, nor a Spotify streaming history".into(),
        });
    };
    Ok(format)
}

/// Loads any supported listening history into the plays table, sniffing the format.
pub fn read_plays(path: impl AsRef<Path>) -> Result<Loaded> {
    let path = path.as_ref();
    match sniff_plays_format(path)? {
        PlaysFormat::LastfmCsv => lastfm::read_scrobbles_csv(path),
        PlaysFormat::GhanCsv => lastfm::read_ghan_csv(path),
        PlaysFormat::LastfmApiJson => lastfm::read_recent_tracks_json(path),
        PlaysFormat::SpotifyAccount => spotify::read_account_history(path),
        PlaysFormat::SpotifyExtended => spotify::read_extended_history(path),
    }
}

/// Reads any header CSV (plain or gzip) into a DataFrame, each column typed as integer, float or
/// text: the narrowest type every non-empty cell parses as. Header cells are trimmed.
pub fn read_csv(path: impl AsRef<Path>) -> Result<polars::prelude::DataFrame> {
    use csv_table::{CsvFile, Kind};
    let path = path.as_ref();
    let text = read_text(path)?;
    let csv = CsvFile::parse(path, &text)?;
    let rows: Vec<usize> = (0..csv.records.len()).collect();
    let mut columns = Vec::with_capacity(csv.header.len());
    for (c, name) in csv.header.iter().enumerate() {
        let cells = || rows.iter().filter_map(|&r| csv.cell(r, c));
        let kind = if cells().all(|s| s.parse::<i64>().is_ok()) {
            Kind::Int
        } else if cells().all(|s| s.parse::<f64>().is_ok()) {
            Kind::Float
        } else {
            Kind::Str
        };
        let name = if name.is_empty() {
            format!("column_{}", c + 1)
        } else {
            name.clone()
        };
        columns.push(csv.column(Some(c), &name, kind, &rows)?);
    }
    Ok(polars::prelude::DataFrame::new(rows.len(), columns)?)
}
