//! Any headed table of plays or scrobbles (CSV, `;`- or tab-separated): the caller names the
//! columns and the date format ([`read_table`] with [`PlaysColumns`]), or [`crate::loaders::read_plays`]
//! recognises a header whose columns carry the common names ([`PlaysColumns::detect`]) — as R's
//! `write.csv`, pandas' `to_csv` and most scrobble tools write them, in any order, with or without
//! a leading unnamed row-index column.
//!
//! Cells that are empty or `NA` are missing. A row without a date is skipped and counted
//! ([`SKIP_NO_DATE`]), and so is a row without an artist or a track name ([`SKIP_NO_NAME`]); a
//! date that does not parse, or does not fit the file's first date's format, is an error naming
//! file, line and column (formats: [`super::dates`]).

use super::csv_table::{FLAG_SPREADSHEET_ERROR, is_spreadsheet_error, stream_records};
use super::dates::{DateFormat, DateReader};
use super::report::{LoadReport, Loaded};
use super::table::{PlaysBuilder, SideTables};
use super::{base_name, files_in};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Reason counted for a row whose date cell is empty or `NA`.
pub const SKIP_NO_DATE: &str = "no date";
/// Reason counted for a row without an artist or a track name.
pub const SKIP_NO_NAME: &str = "no artist or track name";

/// Which columns of a headed plays table hold what, and how its dates are written. Column names
/// are matched ignoring case, spaces, `_` and `-`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlaysColumns {
    pub played_at: String,
    pub artist: String,
    pub track: String,
    pub album: Option<String>,
    pub ms_played: Option<String>,
    pub track_id: Option<String>,
    pub date_format: DateFormat,
    /// The times mark the end of each play (Spotify's `endTime`); with `ms_played`, the start is
    /// `end − ms_played`. Default: the times mark the start.
    pub stamped_at_end: bool,
}

/// Header names recognised for each column, normalised (lowercase, no spaces, `_` or `-`), in
/// order of preference.
pub const TIME_NAMES: [&str; 15] = [
    "uts",
    "timestamp",
    "playedat",
    "listenedat",
    "scrobbledat",
    "utctime",
    "datetime",
    "date",
    "ts",
    "time",
    "endtime",
    "playtime",
    "dateutc",
    "scrobbletime",
    "when",
];
pub const ARTIST_NAMES: [&str; 7] = [
    "artist",
    "artistname",
    "artists",
    "artistnames",
    "performer",
    "mastermetadataalbumartistname",
    "trackartist",
];
pub const TRACK_NAMES: [&str; 9] = [
    "track",
    "title",
    "song",
    "trackname",
    "songname",
    "tracktitle",
    "songtitle",
    "mastermetadatatrackname",
    "name",
];
pub const ALBUM_NAMES: [&str; 5] = [
    "album",
    "albumname",
    "release",
    "releasename",
    "mastermetadataalbumalbumname",
];
pub const MS_PLAYED_NAMES: [&str; 3] = ["msplayed", "mslistened", "durationplayedms"];
pub const TRACK_ID_NAMES: [&str; 6] = [
    "trackid",
    "spotifytrackid",
    "spotifyid",
    "spotifytrackuri",
    "trackuri",
    "uri",
];

/// The position of the first of `names` (in their order) that a cell of `header` is, compared
/// as [`norm`] makes them.
pub(crate) fn column_named(header: &[String], names: &[&str]) -> Option<usize> {
    let normed: Vec<String> = header.iter().map(|h| norm(h)).collect();
    names
        .iter()
        .find_map(|n| normed.iter().position(|h| h == n))
}

/// A header cell as the name lists hold it.
pub(crate) fn norm(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl PlaysColumns {
    /// The three columns every plays table has.
    pub fn new(
        played_at: impl Into<String>,
        artist: impl Into<String>,
        track: impl Into<String>,
    ) -> Self {
        PlaysColumns {
            played_at: played_at.into(),
            artist: artist.into(),
            track: track.into(),
            ..Default::default()
        }
    }

    pub fn album(mut self, column: impl Into<String>) -> Self {
        self.album = Some(column.into());
        self
    }

    pub fn ms_played(mut self, column: impl Into<String>) -> Self {
        self.ms_played = Some(column.into());
        self
    }

    pub fn track_id(mut self, column: impl Into<String>) -> Self {
        self.track_id = Some(column.into());
        self
    }

    pub fn date_format(mut self, format: DateFormat) -> Self {
        self.date_format = format;
        self
    }

    pub fn stamped_at_end(mut self, yes: bool) -> Self {
        self.stamped_at_end = yes;
        self
    }

    /// The mapping a header implies, when it names a time, an artist and a track column by the
    /// common names ([`TIME_NAMES`], [`ARTIST_NAMES`], [`TRACK_NAMES`]; album, `ms_played` and track
    /// id where present).
    pub fn detect(header: &[String]) -> Option<PlaysColumns> {
        let find =
            |names: &[&str]| column_named(header, names).map(|i| header[i].trim().to_string());
        let played_at = find(&TIME_NAMES)?;
        let mut c = PlaysColumns::new(played_at.clone(), find(&ARTIST_NAMES)?, find(&TRACK_NAMES)?);
        c.album = find(&ALBUM_NAMES);
        c.ms_played = find(&MS_PLAYED_NAMES);
        c.track_id = find(&TRACK_ID_NAMES);
        c.stamped_at_end = norm(&played_at) == "endtime" && c.ms_played.is_some();
        Some(c)
    }
}

/// Column positions of a mapping in one file's header.
struct Positions {
    played_at: usize,
    artist: usize,
    track: usize,
    album: Option<usize>,
    ms_played: Option<usize>,
    track_id: Option<usize>,
}

fn positions(file: &Path, header: &[String], c: &PlaysColumns) -> Result<Positions> {
    let normed: Vec<String> = header.iter().map(|h| norm(h)).collect();
    let find = |name: &str| normed.iter().position(|h| *h == norm(name));
    let need = |name: &str| {
        find(name).ok_or_else(|| Error::MissingColumn {
            path: file.to_path_buf(),
            column: name.to_string(),
            found: header.join(","),
        })
    };
    let want =
        |name: &Option<String>| -> Result<Option<usize>> { name.as_deref().map(need).transpose() };
    Ok(Positions {
        played_at: need(&c.played_at)?,
        artist: need(&c.artist)?,
        track: need(&c.track)?,
        album: want(&c.album)?,
        ms_played: want(&c.ms_played)?,
        track_id: want(&c.track_id)?,
    })
}

fn missing(cell: &str) -> bool {
    let t = cell.trim();
    t.is_empty() || t == "NA" || t == "NaN" || t == "null" || t == "None"
}

/// Reads a headed plays table (a file, a gzip file, or a folder of `*.csv`, `*.tsv`, `*.txt`)
/// with the columns `columns` names. See the module docs.
pub fn read_table(path: impl AsRef<Path>, columns: &PlaysColumns) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.csv, *.tsv or *.txt", |n| {
        let n = base_name(n);
        n.ends_with(".csv") || n.ends_with(".tsv") || n.ends_with(".txt")
    })?;
    load_table(path.as_ref(), files, columns, "plays table", "table")
}

/// Reads headed tables whose header is recognised ([`PlaysColumns::detect`]), each file by its own
/// header.
pub(crate) fn load_detected(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    load_table(
        root,
        files,
        &PlaysColumns::default(),
        "plays table",
        "table",
    )
}

/// The loader behind [`read_table`], [`load_detected`] (an empty `columns.played_at`: each
/// file's header decides) and the lastfm.ghan.nl reader.
pub(crate) fn load_table(
    root: &Path,
    files: Vec<PathBuf>,
    columns: &PlaysColumns,
    format: &str,
    source: &str,
) -> Result<Loaded> {
    let mut report = LoadReport::new(format);
    let mut out = PlaysBuilder::default();
    for file in &files {
        let mut header: Option<(Vec<String>, Positions, PlaysColumns)> = None;
        let mut dates = DateReader::new(columns.date_format.clone());
        let mut rows_in_file = 0usize;
        let mut errors = 0usize;
        stream_records(file, &mut report, |report, record, line| {
            let Some((names, at, cols)) = &header else {
                let names: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
                if names.iter().all(String::is_empty) {
                    return Ok(()); // a blank first row
                }
                let cols = if columns.played_at.is_empty() {
                    PlaysColumns::detect(&names).ok_or_else(|| Error::WrongFormat {
                        path: file.clone(),
                        expected: "plays table".into(),
                        detail: format!(
                            "the header names no time, artist and track columns (header: {})",
                            names.join(",")
                        ),
                    })?
                } else {
                    columns.clone()
                };
                let at = positions(file, &names, &cols)?;
                if names.first().is_some_and(|n| n.is_empty()) {
                    report.note("a leading unnamed column (a row index) was left out");
                }
                dates = DateReader::new(cols.date_format.clone());
                header = Some((names, at, cols));
                return Ok(());
            };
            rows_in_file += 1;
            if record.len() != names.len() {
                return Err(Error::parse(
                    file,
                    line,
                    format!(
                        "expected {} fields as in the header, found {}",
                        names.len(),
                        record.len()
                    ),
                ));
            }
            let date = &record[at.played_at];
            if missing(date) {
                report.skip(file, line, SKIP_NO_DATE);
                return Ok(());
            }
            let (artist, track) = (&record[at.artist], &record[at.track]);
            if missing(artist) || missing(track) {
                report.skip(file, line, SKIP_NO_NAME);
                return Ok(());
            }
            let ms_played = match at.ms_played.map(|c| &record[c]).filter(|s| !missing(s)) {
                None => None,
                Some(s) => Some(parse_ms(s).ok_or_else(|| {
                    Error::parse(
                        file,
                        line,
                        format!(
                            "column `{}`: `{s}` is not a whole number of ms",
                            names[at.ms_played.unwrap_or(0)]
                        ),
                    )
                })?),
            };
            if let Some(ms) = ms_played
                && !(0..=86_400_000).contains(&ms)
            {
                report.skip(
                    file,
                    line,
                    if ms < 0 {
                        super::spotify::SKIP_NEGATIVE_MS
                    } else {
                        super::spotify::SKIP_HUGE_MS
                    },
                );
                return Ok(());
            }
            let minus = match (cols.stamped_at_end, ms_played) {
                (true, Some(ms)) => ms,
                _ => 0,
            };
            let when = dates
                .read(file, line, out.len(), date, minus)
                .map_err(|e| in_column(e, &names[at.played_at]))?;
            if [at.artist, at.track]
                .iter()
                .chain(at.album.iter())
                .any(|&c| is_spreadsheet_error(&record[c]))
            {
                errors += 1;
            }
            let opt = |c: Option<usize>| c.map(|c| &record[c]).filter(|s| !missing(s));
            let id = opt(at.track_id).map(|s| s.trim().rsplit([':', '/']).next().unwrap_or(s));
            out.push(
                when.unwrap_or(0),
                artist,
                opt(at.album),
                track,
                ms_played,
                id,
            );
            Ok(())
        })?;
        report.flag(FLAG_SPREADSHEET_ERROR, errors);
        if let Some((_, _, cols)) = &header {
            if columns.played_at.is_empty() {
                report.note(format!(
                    "columns found by name: time `{}`, artist `{}`, track `{}`{}",
                    cols.played_at,
                    cols.artist,
                    cols.track,
                    cols.album
                        .as_ref()
                        .map(|a| format!(", album `{a}`"))
                        .unwrap_or_default()
                ));
            }
            if cols.stamped_at_end {
                report.note("times mark the end of each play: start = end − ms_played");
            }
        }
        if let Some(note) = dates.finish(file, &mut out.played_at)? {
            report.note(note);
        }
        if rows_in_file == 0 {
            report.empty_file(file);
        }
        report.rows_read += rows_in_file;
    }
    out.into_loaded(source, root, report, files, SideTables::default())
}

/// `e` with the column named, where it is a parse error of a cell.
fn in_column(e: Error, column: &str) -> Error {
    match e {
        Error::Parse {
            path,
            line,
            message,
        } => Error::Parse {
            path,
            line,
            message: format!("column `{column}`: {message}"),
        },
        other => other,
    }
}

/// A whole number of milliseconds (`"1234"` or `"1234.0"`).
fn parse_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    s.parse::<i64>().ok().or_else(|| {
        s.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
            .map(|f| f as i64)
    })
}
