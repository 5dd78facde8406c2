//! Loaders: listening exports and public catalogues into the canonical tables of
//! [`crate::schema`].
//!
//! Every loader takes a path — a file, a gzip file (read transparently, recognised by its bytes),
//! or a folder of such files — and returns owned tables plus a [`LoadReport`] that names the
//! format and variant recognised and counts the rows read, loaded, set apart and skipped (by
//! reason, with the first places), the rows kept but flagged (duplicates, spreadsheet error
//! cells), and notes on how the input was read (encoding, dates). A malformed row is an error
//! naming the file and line (or JSON record) and the column; only the skips each loader documents
//! are counted instead. Text may be UTF-8 (with or without byte order mark) or cp1252 / Latin-1
//! ([`text`]); dates are read as [`dates`] lists.
//!
//! | source | function | recognised by [`read_plays`] |
//! |---|---|---|
//! | any plays export (format sniffed from the content) | [`read_plays`] | |
//! | Last.fm "lastfm-to-csv", also re-saved by a spreadsheet | [`lastfm::read_scrobbles_csv`] | yes |
//! | lastfm.ghan.nl CSV | [`lastfm::read_ghan_csv`] | yes |
//! | Last.fm API `user.getRecentTracks` JSON: pages, concatenated pages, bare track arrays | [`lastfm::read_recent_tracks_json`] | yes |
//! | Spotify account-data `StreamingHistory*.json`, both layouts (music / podcast / audiobook) | [`spotify::read_account_history`] | yes |
//! | Spotify extended `Streaming_History_Audio_*.json` / `endsong_*.json` | [`spotify::read_extended_history`] | yes |
//! | ListenBrainz listens: JSON lines, JSON array, the 2018 array, `{"payload": {"listens"}}` / `{"listens"}` wrappers, the export zip of `listens/YYYY/M.jsonl` | [`listenbrainz::read_listens`] | yes |
//! | lastfm-to-csv's `artist,album,track,uts` layout (page-head now-playing rows set apart) | [`lastfm_uts::read_uts_csv`] | yes |
//! | Apple Music `Track Play History`, `Recently Played Tracks`, `Play Activity` CSVs | [`apple::read_track_play_history`], [`apple::read_recently_played`], [`apple::read_play_activity`] | yes |
//! | Google Takeout YouTube `watch-history.json` (YouTube Music rows; videos set apart) | [`youtube::read_watch_history`] | yes |
//! | any headed scrobble / plays table (R, pandas, other tools) | [`mapped::read_table`] with the columns named | when its header uses the common names ([`mapped::PlaysColumns::detect`]) |
//! | Exportify playlist CSVs, classic and later column sets | [`exportify::read_playlists`] | no: playlists, not plays |
//! | Spotify Tracks Dataset (114 genres) | [`catalogues::read_spotify_tracks_114k`] | no |
//! | TidyTuesday 2020-01-21 spotify_songs | [`catalogues::read_tidytuesday_songs`] | no |
//! | ratings of tracks (1–10, liked 0/1, or a rank), CSV or JSON array | [`ratings::read_ratings`] | no: ratings, not plays |
//! | any header CSV, columns typed | [`read_csv`] | no |

pub mod apple;
pub mod catalogues;
mod csv_table;
pub mod dates;
pub mod entries;
pub mod exportify;
mod json;
pub mod lastfm;
pub mod lastfm_uts;
pub mod listenbrainz;
pub mod mapped;
pub mod ratings;
mod report;
pub mod spotify;
pub(crate) mod spotify_rows;
mod table;
pub mod text;
pub mod youtube;
mod zipped;

pub use catalogues::Catalogue;
pub use dates::DateFormat;
pub use mapped::{PlaysColumns, read_table};
pub use report::{LoadReport, Loaded, PlaylistExport, report_table};
pub use table::FLAG_DUPLICATE;
pub(crate) use table::datetime_ms_column as table_datetime_ms_column;
pub use text::Encoding;

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Notes in `report` that `file` was not UTF-8.
pub(crate) fn note_encoding(report: &mut LoadReport, file: &Path, encoding: Encoding) {
    if encoding == Encoding::Cp1252 {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        report.note(format!(
            "{name}: not UTF-8, read as cp1252 (Windows Latin-1)"
        ));
    }
}

/// A whole file as text (see [`text`]), its encoding noted in `report`.
pub(crate) fn read_text(path: &Path, report: &mut LoadReport) -> Result<String> {
    let (text, encoding) = text::read_text(path)?;
    note_encoding(report, path, encoding);
    Ok(text)
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

/// Which plays export a file is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaysFormat {
    /// lastfm-to-csv: no header, `artist,album,track,date`.
    LastfmCsv,
    /// lastfm.ghan.nl: header `uts,utc_time,artist,…`.
    GhanCsv,
    /// Saved Last.fm API recent-tracks responses.
    LastfmApiJson,
    /// Spotify account-data streaming history.
    SpotifyAccount,
    /// Spotify extended streaming history.
    SpotifyExtended,
    /// ListenBrainz listens.
    ListenBrainz,
    /// A headed table whose columns carry the common names (see [`PlaysColumns::detect`]).
    HeadedTable,
    /// lastfm-to-csv's `artist,album,track,uts` layout.
    LastfmUtsCsv,
    /// Apple Music `Track Play History` CSV.
    AppleTrackPlayHistory,
    /// Apple Music `Recently Played Tracks` CSV.
    AppleRecentlyPlayed,
    /// Apple Music `Play Activity` CSV.
    ApplePlayActivity,
    /// Google Takeout YouTube `watch-history.json`.
    YouTube,
}

/// What a file is, as far as [`read_plays`] is concerned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FileKind {
    Plays(PlaysFormat),
    /// Recognised, but not a plays export: what it is and which function reads it.
    Other(&'static str),
    /// Nothing but whitespace.
    Empty,
    Unknown,
}

const APPLE_LIBRARY: &str = "an Apple Music library file (tracks, not plays; the Apple play files beside it use it to split names)";

/// The folders [`read_plays`] walks into, at most this deep below the given one.
const MAX_DEPTH: usize = 4;

fn kind_of(path: &Path) -> Result<FileKind> {
    if zipped::is_zip(path)? {
        let members = zipped::members(path)?;
        return Ok(
            if members.iter().any(|m| listenbrainz::is_listens_member(m)) {
                FileKind::Plays(PlaysFormat::ListenBrainz)
            } else if members
                .iter()
                .any(|m| m.ends_with("Apple Music Library Tracks.json"))
            {
                FileKind::Other(APPLE_LIBRARY)
            } else {
                FileKind::Other("a zip archive without listens/*.jsonl members (unzip it)")
            },
        );
    }
    let head = text::read_head(path, 8192)?;
    if head.starts_with("\u{fffd}\u{fffd}") && head.contains('\0') {
        return Ok(FileKind::Other(
            "UTF-16 text (save it as UTF-8; in Excel: CSV UTF-8)",
        ));
    }
    let trimmed = head.trim_start();
    let compact: String = trimmed
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(3)
        .collect();
    if trimmed.is_empty() || compact == "[]" {
        return Ok(FileKind::Empty);
    }
    let has = |k: &str| head.contains(k);
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let array = trimmed.starts_with('[');
        let kind = if array && has("\"header\"") && has("\"activityControls\"") {
            FileKind::Plays(PlaysFormat::YouTube)
        } else if array && has("\"Track Identifier\"") && has("\"Title\"") {
            FileKind::Other(APPLE_LIBRARY)
        } else if has("\"timestamp\"") && has("\"artist_name\"") && has("\"track_name\"") {
            FileKind::Plays(PlaysFormat::ListenBrainz)
        } else if has("\"recenttracks\"") || (!array && has("\"error\"") && has("\"message\"")) {
            FileKind::Plays(PlaysFormat::LastfmApiJson)
        } else if has("\"listened_at\"") && has("\"track_metadata\"") {
            FileKind::Plays(PlaysFormat::ListenBrainz)
        } else if has("\"endTime\"") && has("\"msPlayed\"") {
            FileKind::Plays(PlaysFormat::SpotifyAccount)
        } else if has("\"ts\"") && (has("\"ms_played\"") || has("master_metadata")) {
            FileKind::Plays(PlaysFormat::SpotifyExtended)
        } else if array
            && has("\"artist\"")
            && has("\"name\"")
            && (has("\"uts\"") || has("\"nowplaying\"") || has("\"streamable\""))
        {
            FileKind::Plays(PlaysFormat::LastfmApiJson)
        } else {
            FileKind::Unknown
        };
        return Ok(kind);
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    let delimiter = csv_table::sniff_delimiter(first_line);
    let cells: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(trimmed.as_bytes())
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    let named = |n: &str| cells.iter().any(|c| c.eq_ignore_ascii_case(n));
    if let Some(apple) = apple::kind_of_header(&cells) {
        return Ok(FileKind::Plays(match apple {
            apple::AppleFile::TrackPlayHistory => PlaysFormat::AppleTrackPlayHistory,
            apple::AppleFile::RecentlyPlayed => PlaysFormat::AppleRecentlyPlayed,
            apple::AppleFile::PlayActivity => PlaysFormat::ApplePlayActivity,
        }));
    }
    if cells.len() == 4
        && cells
            .iter()
            .zip(lastfm_uts::HEADER)
            .all(|(c, h)| c.eq_ignore_ascii_case(h))
    {
        return Ok(FileKind::Plays(PlaysFormat::LastfmUtsCsv));
    }
    if cells.first().map(String::as_str) == Some("uts") && named("artist") && named("track") {
        return Ok(FileKind::Plays(PlaysFormat::GhanCsv));
    }
    if (named("Track URI") || named("Track ID")) && named("Track Name") {
        return Ok(FileKind::Other(
            "an Exportify playlist export (read it with exportify::read_playlists)",
        ));
    }
    if named("danceability") && (named("track_id") || named("id")) {
        return Ok(FileKind::Other(
            "a track catalogue with audio features (read it with datasets::load_catalogue or              the catalogues module)",
        ));
    }
    if PlaysColumns::detect(&cells).is_some() {
        return Ok(FileKind::Plays(PlaysFormat::HeadedTable));
    }
    if cells.len() == 4 && (cells[3].is_empty() || DateFormat::detect(&cells[3]).is_some()) {
        return Ok(FileKind::Plays(PlaysFormat::LastfmCsv));
    }
    Ok(FileKind::Unknown)
}

/// The files below `dir` (at most [`MAX_DEPTH`] folders deep), sorted, hidden ones left out.
fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if depth < MAX_DEPTH {
                walk(&p, depth + 1, out)?;
            }
        } else if p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

/// Plays files grouped by format.
pub(crate) type FilesByFormat = BTreeMap<PlaysFormat, Vec<PathBuf>>;

/// The plays files of `path` grouped by format, and the files that are not plays exports (with
/// what they are, where known).
pub(crate) fn plays_files(path: &Path) -> Result<(FilesByFormat, Vec<(PathBuf, FileKind)>)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        walk(path, 0, &mut files)?;
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut by_format: BTreeMap<PlaysFormat, Vec<PathBuf>> = BTreeMap::new();
    let mut others = Vec::new();
    for f in files {
        match kind_of(&f)? {
            FileKind::Plays(format) => by_format.entry(format).or_default().push(f),
            other => others.push((f, other)),
        }
    }
    Ok((by_format, others))
}

/// Sniffs the export kind of one file (a folder: of the history files in it, the extended Spotify
/// history first, as [`read_plays`] would load it).
pub fn sniff_plays_format(path: &Path) -> Result<PlaysFormat> {
    let (by_format, others) = plays_files(path)?;
    if by_format.contains_key(&PlaysFormat::SpotifyExtended) {
        return Ok(PlaysFormat::SpotifyExtended);
    }
    by_format
        .keys()
        .next()
        .copied()
        .ok_or_else(|| not_plays(path, &others))
}

fn not_plays(path: &Path, others: &[(PathBuf, FileKind)]) -> Error {
    if let [(file, FileKind::Empty)] = others {
        return Error::Empty { path: file.clone() };
    }
    let detail = match others {
        [(_, FileKind::Other(what))] => format!("it is {what}"),
        [] => "the folder holds no files".to_string(),
        [(_, FileKind::Unknown)] => "not a Last.fm CSV or API page, a Spotify streaming history,              ListenBrainz listens, nor a table whose header names a time, an artist and a track              column (name them with loaders::read_table)"
            .to_string(),
        many => format!(
            "none of its {} files is a listening-history export (e.g. {})",
            many.len(),
            many[0].0.display()
        ),
    };
    let path = match others {
        [(file, _)] => file.clone(),
        _ => path.to_path_buf(),
    };
    Error::WrongFormat {
        path,
        expected: "listening-history export".into(),
        detail,
    }
}

fn load_format(format: PlaysFormat, root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    match format {
        PlaysFormat::LastfmCsv => lastfm::load_scrobbles_csv(root, files),
        PlaysFormat::GhanCsv => lastfm::load_ghan_csv(root, files),
        PlaysFormat::LastfmApiJson => lastfm::load_recent_tracks_json(root, files),
        PlaysFormat::SpotifyAccount => spotify::load_account_history(root, files),
        PlaysFormat::SpotifyExtended => spotify::load_extended_history(root, files),
        PlaysFormat::ListenBrainz => listenbrainz::load_listens(root, files),
        PlaysFormat::HeadedTable => mapped::load_detected(root, files),
        PlaysFormat::LastfmUtsCsv => lastfm_uts::read(root, files)?.into_loaded(root),
        PlaysFormat::AppleTrackPlayHistory => {
            apple::load(apple::AppleFile::TrackPlayHistory, root, files)?.into_loaded(root)
        }
        PlaysFormat::AppleRecentlyPlayed => {
            apple::load(apple::AppleFile::RecentlyPlayed, root, files)?.into_loaded(root)
        }
        PlaysFormat::ApplePlayActivity => {
            apple::load(apple::AppleFile::PlayActivity, root, files)?.into_loaded(root)
        }
        PlaysFormat::YouTube => youtube::load(root, files)?.into_loaded(root),
    }
}

/// Loads any supported listening history into the plays table, recognising each file's format
/// from its content (see the module docs for the formats). A folder is searched up to four levels
/// deep, so the unzipped export folder can be given as it is: files that are not plays exports
/// (`Userdata.json`, playlists, images…) are left out and listed in the report's notes; files of
/// several formats are loaded and stacked (the `source` column tells them apart). A folder holding
/// both Spotify's extended history and its account data loads the extended history only, which
/// covers the same plays with more detail; the report says so.
pub fn read_plays(path: impl AsRef<Path>) -> Result<Loaded> {
    let path = path.as_ref();
    let (mut by_format, others) = plays_files(path)?;
    if by_format.is_empty() {
        return Err(not_plays(path, &others));
    }
    let (empty, others): (Vec<_>, Vec<_>) =
        others.into_iter().partition(|(_, k)| *k == FileKind::Empty);
    let mut notes = Vec::new();
    if by_format.contains_key(&PlaysFormat::SpotifyExtended)
        && let Some(account) = by_format.remove(&PlaysFormat::SpotifyAccount)
    {
        notes.push(format!(
            "{} Spotify account-data file(s) left out: the extended history covers the same plays",
            account.len()
        ));
    }
    // Apple's files overlap: Play Activity holds every play event, Track Play History every
    // play, Recently Played the last play of recent tracks.
    for (covered, by) in [
        (
            PlaysFormat::AppleTrackPlayHistory,
            PlaysFormat::ApplePlayActivity,
        ),
        (
            PlaysFormat::AppleRecentlyPlayed,
            PlaysFormat::ApplePlayActivity,
        ),
        (
            PlaysFormat::AppleRecentlyPlayed,
            PlaysFormat::AppleTrackPlayHistory,
        ),
    ] {
        if by_format.contains_key(&by)
            && let Some(left) = by_format.remove(&covered)
        {
            notes.push(format!(
                "{} Apple Music {:?} file(s) left out: the {:?} file covers the same plays (a ledger can merge both)",
                left.len(),
                covered,
                by
            ));
        }
    }
    if !others.is_empty() {
        let names: Vec<String> = others
            .iter()
            .take(5)
            .map(|(p, _)| p.strip_prefix(path).unwrap_or(p).display().to_string())
            .collect();
        notes.push(format!(
            "{} file(s) that are not plays exports left out: {}{}",
            others.len(),
            names.join(", "),
            if others.len() > 5 { ", …" } else { "" }
        ));
    }
    let mut loaded: Option<Loaded> = None;
    for (format, files) in by_format {
        let next = load_format(format, path, files)?;
        loaded = Some(match loaded {
            None => next,
            Some(acc) => stack(acc, next)?,
        });
    }
    let mut loaded = loaded.expect("at least one format");
    if loaded.report.files.len() > 1
        && let Some(&n) = loaded.report.flagged.get(FLAG_DUPLICATE)
    {
        notes.push(format!(
            "{n} row(s) repeat an earlier row (same time, artist and track), kept: overlapping downloads of one account in one folder count the plays they share twice; ledger::Ledger keeps each once"
        ));
    }
    for n in notes {
        loaded.report.note(n);
    }
    loaded
        .report
        .empty_files
        .extend(empty.into_iter().map(|(p, _)| p));
    Ok(loaded)
}

/// Two loads of one folder in one: plays stacked and sorted by time, side tables stacked, reports
/// merged (duplicates counted again over the whole).
fn stack(mut a: Loaded, b: Loaded) -> Result<Loaded> {
    use polars::prelude::*;
    fn both(x: Option<DataFrame>, y: Option<DataFrame>) -> Result<Option<DataFrame>> {
        Ok(match (x, y) {
            (Some(mut x), Some(y)) => {
                x.vstack_mut_owned(y)?;
                Some(x)
            }
            (x, y) => x.or(y),
        })
    }
    a.df.vstack_mut_owned(b.df)?;
    a.df = a.df.sort(
        [crate::schema::plays::PLAYED_AT],
        SortMultipleOptions::default().with_maintain_order(true),
    )?;
    a.episodes = both(a.episodes, b.episodes)?;
    a.audiobooks = both(a.audiobooks, b.audiobooks)?;
    a.report.merge(b.report);
    a.report.flagged.remove(FLAG_DUPLICATE);
    a.report.flag(FLAG_DUPLICATE, table::duplicates(&a.df)?);
    Ok(a)
}

/// The row-level reader of `format`, where it has one (see [`entries`]); `None` for the formats
/// read only into the plays table (Last.fm's date-text CSV, ghan CSV, API pages, headed tables).
pub(crate) fn read_rows(
    format: PlaysFormat,
    root: &Path,
    files: Vec<PathBuf>,
) -> Result<Option<entries::Read>> {
    Ok(Some(match format {
        PlaysFormat::SpotifyExtended => spotify_rows::read_extended(root, files)?,
        PlaysFormat::SpotifyAccount => spotify_rows::read_account(root, files)?,
        PlaysFormat::ListenBrainz => listenbrainz::read(root, files)?,
        PlaysFormat::LastfmUtsCsv => lastfm_uts::read(root, files)?,
        PlaysFormat::AppleTrackPlayHistory => {
            apple::load(apple::AppleFile::TrackPlayHistory, root, files)?
        }
        PlaysFormat::AppleRecentlyPlayed => {
            apple::load(apple::AppleFile::RecentlyPlayed, root, files)?
        }
        PlaysFormat::ApplePlayActivity => apple::load(apple::AppleFile::PlayActivity, root, files)?,
        PlaysFormat::YouTube => youtube::load(root, files)?,
        PlaysFormat::LastfmCsv
        | PlaysFormat::GhanCsv
        | PlaysFormat::LastfmApiJson
        | PlaysFormat::HeadedTable => return Ok(None),
    }))
}

/// Every row of an export — plays and rows set apart alike, with file, row, both times, ids and
/// the fields play rules need (see [`entries`]) — one table per format found. Formats without a
/// row-level reader (Last.fm's date-text CSV, ghan CSV, API pages, headed tables) are an error
/// naming them; read those with [`read_plays`].
pub fn read_entries(path: impl AsRef<Path>) -> Result<Vec<entries::Entries>> {
    let path = path.as_ref();
    let (by_format, others) = plays_files(path)?;
    if by_format.is_empty() {
        return Err(not_plays(path, &others));
    }
    let root = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    let mut out = Vec::new();
    for (format, files) in by_format {
        match read_rows(format, root, files)? {
            Some(read) => out.push(read.into_entries()?),
            None => {
                return Err(Error::WrongFormat {
                    path: path.to_path_buf(),
                    expected: "export with a row-level reader".into(),
                    detail: format!("{format:?} is read only into the plays table: use read_plays"),
                });
            }
        }
    }
    Ok(out)
}

/// Loads `files` of `format` into the plays table (as [`read_plays`] does for one format).
pub(crate) fn load_files(format: PlaysFormat, root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    load_format(format, root, files)
}

/// Reads any header CSV (plain or gzip) into a DataFrame, each column typed as integer, float or
/// text: the narrowest type every non-empty cell parses as. Header cells are trimmed.
pub fn read_csv(path: impl AsRef<Path>) -> Result<polars::prelude::DataFrame> {
    use csv_table::{CsvFile, Kind};
    let path = path.as_ref();
    let (text, _) = text::read_text(path)?;
    let csv = CsvFile::parse(path, &text)?;
    let rows: Vec<usize> = (0..csv.len()).collect();
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
