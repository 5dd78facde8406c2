//! Apple Music's privacy export ("Apple Media Services information"): its three kinds of play
//! files, and the library file used to split names and find track lengths.
//!
//! - **`Apple Music - Track Play History.csv`** (`Track Name, Last Played Date, Is User
//!   Initiated`): one row per play, the time in epoch milliseconds. Most plays are written twice,
//!   once with `Is User Initiated` `false` and once `true`: the first row of each (track cell,
//!   time) is the play, any further one is set apart ([`SET_APART_TWICE`]). The time is the
//!   **end** of the play: on the real sample, where a play also appears in Recently Played
//!   Tracks, it lies one play length after that file's `First Event Timestamp`
//!   (`peer/apple_music_counts.py`). The export writes no time played, so the start is derived
//!   only where the library gives the track's length (start = end − length, named in
//!   `time_from`); elsewhere it is unknown and the plays table files the play under its end.
//! - **`Apple Music - Recently Played Tracks.csv`**: one row per (container, track) with totals
//!   over a recent window (`Total plays`, `First Event Timestamp`, `Last Event Start Timestamp`,
//!   `Last Event End Timestamp`, …; `N/A` for missing values; Apple's own misspelt column
//!   `Last End Reason Tyoe`). Only the last play of each row has times: each row is loaded as
//!   that play (start and end written); the other `Total plays − 1` plays have no time and are
//!   only counted in a note.
//! - **`Apple Music Play Activity.csv`**: one row per playback event, 44 to over 100 columns by
//!   year. Read from the columns `Artist Name`, `Content Name` (older files: `Song Name`),
//!   `Album Name`, `Event Start Timestamp` (ISO 8601, UTC), `Event Type`, `Play Duration
//!   Milliseconds`, `Media Duration In Milliseconds`, `End Reason Type`, `ISRC` where present.
//!   A play is a `PLAY_END` row with a track name and a start: end = start + play duration.
//!   Rows of any other event type (`PLAY_START`, `LYRIC_DISPLAY`, blank, …) are set apart with
//!   their type named. No sample of this file was at hand: the reader and its fixture
//!   (`tests/fixtures/apple/Apple Music Play Activity.csv`) follow the description of the issue
//!   and Apple's documentation, not a real export.
//!
//! **"Artist - Title" in one cell** (Track Play History's `Track Name`, Recently Played's `Track
//! Description`). The split rule, in order:
//! 1. where the library file (`Apple Music Library Tracks.json`, zipped or not, in the same
//!    folder) holds a track whose `Artist` + " - " + `Title` is exactly the cell, its split;
//! 2. else at the **first** " - " (artist names seldom hold " - ", titles often do: "Mulan -
//!    Honor To Us All", "Cyrano de Bergerac - Love Theme");
//! 3. a cell without " - " is a title alone: its artist is the library's where exactly one
//!    library artist has a track of that title, else empty (counted in the report's flags).
//!
//! How often rule 2 agrees with the library is noted in the report (tested on the real sample).

use super::csv_table::stream_records;
use super::entries::{EntriesBuilder, Entry, Read, TimeFrom};
use super::report::{LoadReport, Loaded};
use super::zipped;
use crate::error::{Error, Result};
use chrono::DateTime;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Reason for the second record of a play in Track Play History.
pub const SET_APART_TWICE: &str = "second record of the same play (Apple writes most plays twice, once per `Is User Initiated` value)";
/// Reason for a Play Activity row that is not a play's end.
pub const SET_APART_NOT_PLAY_END: &str = "not a PLAY_END event";
/// Reason for a row without a track name.
pub const SET_APART_NO_TRACK: &str = "no track name";
/// Reason for a row without a usable time.
pub const SET_APART_NO_TIME: &str = "no time";
/// Flag for a play whose cell held a title alone and whose artist is unknown.
pub const FLAG_NO_ARTIST: &str =
    "title without artist (no \" - \" in the cell, not in the library)";

/// The Apple Music file kinds [`super::read_plays`] recognises by header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AppleFile {
    TrackPlayHistory,
    RecentlyPlayed,
    PlayActivity,
}

/// Which Apple file a CSV header (trimmed cells) is, if any.
pub(crate) fn kind_of_header(cells: &[String]) -> Option<AppleFile> {
    let has = |n: &str| cells.iter().any(|c| c == n);
    if has("Track Name") && has("Last Played Date") && has("Is User Initiated") {
        Some(AppleFile::TrackPlayHistory)
    } else if has("Track Description") && has("Last Event Start Timestamp") && has("Total plays") {
        Some(AppleFile::RecentlyPlayed)
    } else if has("Event Start Timestamp")
        && has("Event Type")
        && (has("Content Name") || has("Song Name"))
    {
        Some(AppleFile::PlayActivity)
    } else {
        None
    }
}

/// The library file's tracks, for the split rule and track lengths.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// `"Artist - Title"` → (artist, title, length in ms).
    by_cell: HashMap<String, (String, String, Option<i64>)>,
    /// title → the artists having a track of that title.
    by_title: HashMap<String, HashSet<String>>,
    /// Items in the file.
    pub items: usize,
    /// The file read.
    pub file: PathBuf,
}

/// The library file names Apple uses.
const LIBRARY_NAMES: [&str; 2] = [
    "Apple Music Library Tracks.json",
    "Apple Music Library Tracks.json.zip",
];

impl Library {
    /// Reads `Apple Music Library Tracks.json` (or its `.zip`, as Apple ships it): a JSON array of
    /// items with `Title`, `Artist`, `Track Duration` (ms), ….
    pub fn read(path: impl AsRef<Path>) -> Result<Library> {
        let path = path.as_ref();
        let text =
            if zipped::is_zip(path)? {
                let names = zipped::members(path)?;
                let name = names.iter().find(|n| n.ends_with(".json")).ok_or_else(|| {
                    Error::WrongFormat {
                        path: path.to_path_buf(),
                        expected: "Apple Music library".into(),
                        detail: "the archive holds no .json member".into(),
                    }
                })?;
                zipped::read_member_text(path, name)?
            } else {
                super::text::read_text(path)?.0
            };
        let items: Vec<Value> = serde_json::from_str(&text)
            .map_err(|e| Error::parse(path, e.line() as u64, format!("invalid JSON: {e}")))?;
        let mut lib = Library {
            items: items.len(),
            file: path.to_path_buf(),
            ..Default::default()
        };
        for it in &items {
            let (Some(artist), Some(title)) = (
                it.get("Artist").and_then(Value::as_str),
                it.get("Title").and_then(Value::as_str),
            ) else {
                continue;
            };
            let length = it.get("Track Duration").and_then(Value::as_i64);
            lib.by_cell
                .entry(format!("{artist} - {title}"))
                .or_insert_with(|| (artist.to_string(), title.to_string(), length));
            lib.by_title
                .entry(title.to_string())
                .or_default()
                .insert(artist.to_string());
        }
        Ok(lib)
    }

    /// The library beside `file` (same folder), if there is one.
    pub fn beside(file: &Path) -> Result<Option<Library>> {
        let Some(dir) = file.parent() else {
            return Ok(None);
        };
        for name in LIBRARY_NAMES {
            let p = dir.join(name);
            if p.is_file() {
                return Library::read(p).map(Some);
            }
        }
        Ok(None)
    }

    /// The length of the library track whose "Artist - Title" cell is `cell`.
    fn length(&self, cell: &str) -> Option<i64> {
        self.by_cell.get(cell).and_then(|t| t.2)
    }
}

/// How the "Artist - Title" cells of a file were split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SplitCounts {
    /// Distinct cells.
    pub cells: usize,
    /// Cells found whole in the library (rule 1).
    pub in_library: usize,
    /// Of those holding more than one " - ", how many the first-" - " rule splits as the
    /// library does.
    pub multi_dash_in_library: usize,
    pub multi_dash_first_agrees: usize,
    /// Cells without " - ".
    pub title_only: usize,
    /// Of those, how many took their artist from the library.
    pub title_only_resolved: usize,
}

/// Splits an "Artist - Title" cell by the module's rule; `None` artist where unknown.
pub fn split_artist_title(cell: &str, library: Option<&Library>) -> (Option<String>, String) {
    if let Some((a, t, _)) = library.and_then(|l| l.by_cell.get(cell)) {
        return (Some(a.clone()), t.clone());
    }
    if let Some((a, t)) = cell.split_once(" - ") {
        return (Some(a.to_string()), t.to_string());
    }
    let artist = library
        .and_then(|l| l.by_title.get(cell))
        .filter(|s| s.len() == 1)
        .and_then(|s| s.iter().next().cloned());
    (artist, cell.to_string())
}

fn count_split(
    counts: &mut SplitCounts,
    seen: &mut HashSet<String>,
    cell: &str,
    lib: Option<&Library>,
) {
    if !seen.insert(cell.to_string()) {
        return;
    }
    counts.cells += 1;
    let in_lib = lib.and_then(|l| l.by_cell.get(cell));
    if let Some((a, _, _)) = in_lib {
        counts.in_library += 1;
        if cell.matches(" - ").count() > 1 {
            counts.multi_dash_in_library += 1;
            if cell.split_once(" - ").map(|p| p.0) == Some(a.as_str()) {
                counts.multi_dash_first_agrees += 1;
            }
        }
    }
    if !cell.contains(" - ") {
        counts.title_only += 1;
        if split_artist_title(cell, lib).0.is_some() {
            counts.title_only_resolved += 1;
        }
    }
}

fn split_note(file: &Path, c: &SplitCounts, lib: Option<&Library>) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    match lib {
        Some(_) => format!(
            "{name}: \"Artist - Title\" split by the library where it holds the cell ({} of {} distinct cells), else at the first \" - \"; of the {} library cells with several \" - \", the first-\" - \" rule agrees on {}; {} title-only cells, {} given an artist by the library",
            c.in_library,
            c.cells,
            c.multi_dash_in_library,
            c.multi_dash_first_agrees,
            c.title_only,
            c.title_only_resolved
        ),
        None => format!(
            "{name}: \"Artist - Title\" split at the first \" - \" (no library file beside it to check against); {} of {} distinct cells are a title alone",
            c.title_only, c.cells
        ),
    }
}

/// A headed CSV read as a stream: `f(header, record, line)` for each data row. Returns the rows.
fn each_row(
    file: &Path,
    report: &mut LoadReport,
    mut f: impl FnMut(&HashMap<String, usize>, &csv::StringRecord, u64) -> Result<()>,
) -> Result<usize> {
    let mut header: Option<HashMap<String, usize>> = None;
    let mut n = 0;
    stream_records(file, report, |_, record, line| {
        match &header {
            None => {
                header = Some(
                    record
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (c.trim().to_string(), i))
                        .collect(),
                );
            }
            Some(h) => {
                n += 1;
                f(h, record, line)?;
            }
        }
        Ok(())
    })?;
    Ok(n)
}

fn cell<'r>(
    h: &HashMap<String, usize>,
    r: &'r csv::StringRecord,
    names: &[&str],
) -> Option<&'r str> {
    names
        .iter()
        .find_map(|n| h.get(*n))
        .and_then(|&i| r.get(i))
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "N/A")
}

fn require(file: &Path, h: &HashMap<String, usize>, names: &[&str]) -> Result<()> {
    if names.iter().any(|n| h.contains_key(*n)) {
        return Ok(());
    }
    let mut found: Vec<&String> = h.keys().collect();
    found.sort();
    Err(Error::MissingColumn {
        path: file.to_path_buf(),
        column: names.join(" or "),
        found: found
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn iso_ms(file: &Path, line: u64, column: &str, s: &str) -> Result<i64> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.timestamp_millis())
        .ok()
        .filter(|ms| super::dates::in_range(*ms))
        .ok_or_else(|| {
            Error::parse(
                file,
                line,
                format!("`{column}` `{s}` is not an ISO 8601 time between 1900 and 2200"),
            )
        })
}

fn int(file: &Path, line: u64, column: &str, s: Option<&str>) -> Result<Option<i64>> {
    match s {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).or_else(|_| {
            s.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && f.fract() == 0.0)
                .map(|f| Some(f as i64))
                .ok_or_else(|| {
                    Error::parse(
                        file,
                        line,
                        format!("`{column}` `{s}` is not a whole number"),
                    )
                })
        }),
    }
}

pub(crate) fn file_label(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Reads Apple Music's Track Play History (a file, or a folder's `*Track Play History*.csv`).
pub fn read_track_play_history(path: impl AsRef<Path>) -> Result<Loaded> {
    let p = path.as_ref();
    let files = super::files_in(p, "*Track Play History*.csv", |n| {
        n.contains("Track Play History") && n.ends_with(".csv")
    })?;
    load(AppleFile::TrackPlayHistory, p, files)?.into_loaded(p)
}

/// Reads Apple Music's Recently Played Tracks (a file, or a folder's `*Recently Played*.csv`).
pub fn read_recently_played(path: impl AsRef<Path>) -> Result<Loaded> {
    let p = path.as_ref();
    let files = super::files_in(p, "*Recently Played*.csv", |n| {
        n.contains("Recently Played") && n.ends_with(".csv")
    })?;
    load(AppleFile::RecentlyPlayed, p, files)?.into_loaded(p)
}

/// Reads Apple Music Play Activity (a file, or a folder's `*Play Activity*.csv`).
pub fn read_play_activity(path: impl AsRef<Path>) -> Result<Loaded> {
    let p = path.as_ref();
    let files = super::files_in(p, "*Play Activity*.csv", |n| {
        n.contains("Play Activity") && n.ends_with(".csv")
    })?;
    load(AppleFile::PlayActivity, p, files)?.into_loaded(p)
}

/// Reads `files` of one Apple kind.
pub(crate) fn load(kind: AppleFile, root: &Path, files: Vec<PathBuf>) -> Result<Read> {
    let mut report = LoadReport::new(match kind {
        AppleFile::TrackPlayHistory => "apple music track play history",
        AppleFile::RecentlyPlayed => "apple music recently played tracks",
        AppleFile::PlayActivity => "apple music play activity",
    });
    let mut rows = EntriesBuilder::default();
    for file in &files {
        rows.file(file_label(root, file));
        let n = match kind {
            AppleFile::TrackPlayHistory => track_play_history(file, &mut report, &mut rows)?,
            AppleFile::RecentlyPlayed => recently_played(file, &mut report, &mut rows)?,
            AppleFile::PlayActivity => play_activity(file, &mut report, &mut rows)?,
        };
        if n == 0 {
            report.empty_file(file);
        }
        report.rows_read += n;
    }
    Ok(Read {
        source: "apple",
        rows,
        report,
        files,
    })
}

fn track_play_history(
    file: &Path,
    report: &mut LoadReport,
    out: &mut EntriesBuilder,
) -> Result<usize> {
    let lib = Library::beside(file)?;
    let mut seen_play: HashSet<(String, i64)> = HashSet::new();
    let mut counts = SplitCounts::default();
    let mut cells = HashSet::new();
    let mut no_artist = 0;
    let mut first = true;
    let n = each_row(file, report, |h, r, line| {
        if first {
            first = false;
            require(file, h, &["Track Name"])?;
            require(file, h, &["Last Played Date"])?;
        }
        let Some(name) = cell(h, r, &["Track Name"]) else {
            out.push(Entry::apart(line, SET_APART_NO_TRACK));
            return Ok(());
        };
        let Some(end) = int(
            file,
            line,
            "Last Played Date",
            cell(h, r, &["Last Played Date"]),
        )?
        else {
            out.push(Entry::apart(line, SET_APART_NO_TIME));
            return Ok(());
        };
        if !super::dates::in_range(end) {
            return Err(Error::parse(
                file,
                line,
                format!("`Last Played Date` {end} is not epoch milliseconds between 1900 and 2200"),
            ));
        }
        count_split(&mut counts, &mut cells, name, lib.as_ref());
        let (artist, track) = split_artist_title(name, lib.as_ref());
        let mut e = Entry::started(line, 0, artist.as_deref().unwrap_or(""), &track);
        e.start = None;
        e.end = Some(end);
        e.time_from = TimeFrom::EndOnly;
        e.skipped = None;
        if let Some(len) = lib.as_ref().and_then(|l| l.length(name)) {
            e.duration_ms = Some(len);
            e.start = Some(end - len);
            e.time_from = TimeFrom::EndMinusDuration;
        }
        if !seen_play.insert((name.to_string(), end)) {
            e.set_apart = Some(SET_APART_TWICE.to_string());
        } else if artist.is_none() {
            no_artist += 1;
        }
        out.push(e);
        Ok(())
    })?;
    report.flag(FLAG_NO_ARTIST, no_artist);
    report.note(split_note(file, &counts, lib.as_ref()));
    report.note(
        "Track Play History stamps the end of a play; the start is derived from the library's track length where known",
    );
    Ok(n)
}

fn recently_played(
    file: &Path,
    report: &mut LoadReport,
    out: &mut EntriesBuilder,
) -> Result<usize> {
    let lib = Library::beside(file)?;
    let mut counts = SplitCounts::default();
    let mut cells = HashSet::new();
    let mut untimed_plays = 0i64;
    let mut no_artist = 0;
    let mut first = true;
    let n = each_row(file, report, |h, r, line| {
        if first {
            first = false;
            require(file, h, &["Track Description"])?;
            require(file, h, &["Last Event Start Timestamp"])?;
        }
        let Some(name) = cell(h, r, &["Track Description"]) else {
            out.push(Entry::apart(line, SET_APART_NO_TRACK));
            return Ok(());
        };
        let Some(start) = cell(h, r, &["Last Event Start Timestamp"]) else {
            out.push(Entry::apart(line, SET_APART_NO_TIME));
            return Ok(());
        };
        let start = iso_ms(file, line, "Last Event Start Timestamp", start)?;
        let end = match cell(h, r, &["Last Event End Timestamp"]) {
            Some(s) => Some(iso_ms(file, line, "Last Event End Timestamp", s)?),
            None => None,
        };
        let total = int(file, line, "Total plays", cell(h, r, &["Total plays"]))?;
        let total_ms = int(
            file,
            line,
            "Total play duration in millis",
            cell(h, r, &["Total play duration in millis"]),
        )?;
        count_split(&mut counts, &mut cells, name, lib.as_ref());
        let (artist, track) = split_artist_title(name, lib.as_ref());
        if artist.is_none() {
            no_artist += 1;
        }
        let mut e = Entry::started(line, start, artist.as_deref().unwrap_or(""), &track);
        e.album = None;
        e.end = end;
        e.time_from = if end.is_some() {
            TimeFrom::Both
        } else {
            TimeFrom::StartOnly
        };
        e.duration_ms = int(
            file,
            line,
            "Media duration in millis",
            cell(h, r, &["Media duration in millis"]),
        )?;
        // With one play, the row's total is that play's time played.
        e.ms_played = if total == Some(1) { total_ms } else { None };
        e.reason_end =
            cell(h, r, &["Last End Reason Tyoe", "Last End Reason Type"]).map(str::to_string);
        untimed_plays += total.unwrap_or(1).max(1) - 1;
        out.push(e);
        Ok(())
    })?;
    report.flag(FLAG_NO_ARTIST, no_artist);
    report.note(split_note(file, &counts, lib.as_ref()));
    report.note(format!(
        "Recently Played Tracks holds one row per (container, track) with totals: each row is loaded as its last play; {untimed_plays} earlier plays its `Total plays` count have no time and are not loaded"
    ));
    Ok(n)
}

fn play_activity(file: &Path, report: &mut LoadReport, out: &mut EntriesBuilder) -> Result<usize> {
    let mut first = true;
    let n = each_row(file, report, |h, r, line| {
        if first {
            first = false;
            require(file, h, &["Event Start Timestamp"])?;
            require(file, h, &["Event Type"])?;
            require(file, h, &["Content Name", "Song Name"])?;
        }
        let event = cell(h, r, &["Event Type"]);
        if event != Some("PLAY_END") {
            let reason = format!(
                "{SET_APART_NOT_PLAY_END} (event type {})",
                event.map_or("blank".to_string(), |e| format!("`{e}`"))
            );
            out.push(Entry::apart(line, &reason));
            return Ok(());
        }
        let Some(track) = cell(h, r, &["Content Name", "Song Name"]) else {
            out.push(Entry::apart(line, SET_APART_NO_TRACK));
            return Ok(());
        };
        let Some(start) = cell(h, r, &["Event Start Timestamp"]) else {
            out.push(Entry::apart(line, SET_APART_NO_TIME));
            return Ok(());
        };
        let start = iso_ms(file, line, "Event Start Timestamp", start)?;
        let artist = cell(h, r, &["Artist Name"]).unwrap_or("");
        let mut e = Entry::started(line, start, artist, track);
        e.album = cell(h, r, &["Album Name", "Container Album Name"]).map(str::to_string);
        e.ms_played = int(
            file,
            line,
            "Play Duration Milliseconds",
            cell(h, r, &["Play Duration Milliseconds"]),
        )?;
        if e.ms_played.is_some_and(|ms| ms < 0) {
            e.ms_played = None;
        }
        e.duration_ms = int(
            file,
            line,
            "Media Duration In Milliseconds",
            cell(h, r, &["Media Duration In Milliseconds"]),
        )?;
        e.isrc = cell(h, r, &["ISRC"]).map(str::to_string);
        e.reason_end = cell(h, r, &["End Reason Type"]).map(str::to_string);
        e.skipped = e
            .reason_end
            .as_deref()
            .map(|r| r.starts_with("TRACK_SKIPPED"));
        let e = if e.ms_played.is_some() {
            e.derive_end()
        } else {
            e
        };
        out.push(e);
        Ok(())
    })?;
    Ok(n)
}
