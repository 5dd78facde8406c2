//! Row-level reading: every row of an export kept with where it came from, the times the export
//! wrote and how the missing one was derived, the ids it carries, the fields play rules need, and
//! — for a row that is not a play — the reason it is set apart.
//!
//! The loaders of the sources added for the ledger (Apple Music, YouTube Music, the ListenBrainz
//! variants, lastfm-to-csv's `artist,album,track,uts` layout) read into [`Entries`]; [`read_plays`]
//! turns them into the canonical plays table ([`Entries::into_loaded`]) and [`crate::ledger`]
//! merges them. Every row read is either a play candidate (`set_apart` missing) or set apart with
//! its reason: `rows read = plays + set apart` holds by construction, and the tests check it.
//!
//! [`read_plays`]: super::read_plays

use super::report::{LoadReport, Loaded};
use super::table::{PlaysBuilder, SideTables};
use crate::error::Result;
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Column names of an entries table.
pub mod columns {
    /// Which service wrote the row: `spotify`, `lastfm`, `listenbrainz`, `apple`, `youtube`.
    pub const SOURCE: &str = "source";
    /// The file the row was read from (for a zip, `archive.zip/member`).
    pub const SOURCE_FILE: &str = "source_file";
    /// 1-based line of a CSV file (header = line 1) or record of a JSON file.
    pub const SOURCE_ROW: &str = "source_row";
    /// Start of the play, UTC (ms datetime); missing where neither written nor derivable.
    pub const START: &str = "start";
    /// End of the play, UTC; missing where neither written nor derivable.
    pub const END: &str = "end";
    /// Which time the export wrote and how the other was found (see [`super::TimeFrom`]).
    pub const TIME_FROM: &str = "time_from";
    pub const ARTIST: &str = "artist";
    pub const ALBUM: &str = "album";
    pub const TRACK: &str = "track";
    /// Time listened, where the export says.
    pub const MS_PLAYED: &str = "ms_played";
    /// The track's length, where the export says (not the time listened).
    pub const DURATION_MS: &str = "duration_ms";
    /// Spotify track id (the part after `spotify:track:`).
    pub const SPOTIFY_ID: &str = "spotify_id";
    pub const ISRC: &str = "isrc";
    /// MusicBrainz recording id.
    pub const RECORDING_MBID: &str = "recording_mbid";
    /// Spotify's `reason_end`: missing where the key is absent, the text `null` where the export
    /// wrote JSON null (ListenBrainz's importer treats the two differently).
    pub const REASON_END: &str = "reason_end";
    /// Spotify's `skipped` (or an export's own skip flag), where written.
    pub const SKIPPED: &str = "skipped";
    /// Spotify's `incognito_mode`, where written.
    pub const INCOGNITO: &str = "incognito";
    /// Why the row is not a play; missing for a play.
    pub const SET_APART: &str = "set_apart";
}

/// Which time an export wrote for a play and how the other end was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeFrom {
    /// The export wrote the start and the time played: end = start + ms_played.
    StartPlusPlayed,
    /// The export wrote the start and a track length: end = start + duration (an upper bound).
    StartPlusDuration,
    /// The export wrote the start only; the end is unknown.
    StartOnly,
    /// The export wrote the end and the time played: start = end − ms_played (Spotify).
    EndMinusPlayed,
    /// The export wrote the end only (Apple's Track Play History) and a track length was found:
    /// start = end − duration (a lower bound of the start).
    EndMinusDuration,
    /// The export wrote the end only; the start is unknown.
    EndOnly,
    /// The export wrote both.
    Both,
    /// The row has no usable time (it is set apart).
    None,
}

impl TimeFrom {
    /// The text stored in the `time_from` column.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeFrom::StartPlusPlayed => "start written; end = start + ms_played",
            TimeFrom::StartPlusDuration => "start written; end = start + track duration",
            TimeFrom::StartOnly => "start written; end unknown",
            TimeFrom::EndMinusPlayed => "end written; start = end − ms_played",
            TimeFrom::EndMinusDuration => "end written; start = end − track duration",
            TimeFrom::EndOnly => "end written; start unknown",
            TimeFrom::Both => "start and end written",
            TimeFrom::None => "no time",
        }
    }
}

/// One row of an export, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// 1-based line (CSV, header = 1) or record (JSON).
    pub row: u64,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub time_from: TimeFrom,
    pub artist: String,
    pub album: Option<String>,
    pub track: String,
    pub ms_played: Option<i64>,
    pub duration_ms: Option<i64>,
    pub spotify_id: Option<String>,
    pub isrc: Option<String>,
    pub recording_mbid: Option<String>,
    pub reason_end: Option<String>,
    pub skipped: Option<bool>,
    pub incognito: Option<bool>,
    /// Why it is not a play; `None` for a play.
    pub set_apart: Option<String>,
}

impl Entry {
    /// A play stamped at its start (ms since the epoch, UTC), with nothing else known yet.
    pub fn started(row: u64, start: i64, artist: &str, track: &str) -> Self {
        Entry {
            row,
            start: Some(start),
            end: None,
            time_from: TimeFrom::StartOnly,
            artist: artist.to_string(),
            album: None,
            track: track.to_string(),
            ms_played: None,
            duration_ms: None,
            spotify_id: None,
            isrc: None,
            recording_mbid: None,
            reason_end: None,
            skipped: None,
            incognito: None,
            set_apart: None,
        }
    }

    /// A row set apart for `reason` (times and names as far as known).
    pub fn apart(row: u64, reason: &str) -> Self {
        Entry {
            time_from: TimeFrom::None,
            start: None,
            set_apart: Some(reason.to_string()),
            ..Entry::started(row, 0, "", "")
        }
    }

    /// Fills the missing end from the time played (or the track length) where one is known.
    pub fn derive_end(mut self) -> Self {
        if let (Some(s), None) = (self.start, self.end) {
            if let Some(ms) = self.ms_played {
                self.end = Some(s + ms);
                self.time_from = TimeFrom::StartPlusPlayed;
            } else if let Some(d) = self.duration_ms {
                self.end = Some(s + d);
                self.time_from = TimeFrom::StartPlusDuration;
            }
        }
        self
    }

    /// The time the plays table files the row under: the start, else the end.
    pub fn played_at(&self) -> Option<i64> {
        self.start.or(self.end)
    }
}

/// Rows read from one export: the entries of every file, with the report.
#[derive(Debug, Clone, Default)]
pub struct EntriesBuilder {
    files: Vec<String>,
    file_of: Vec<u32>,
    rows: Vec<Entry>,
}

impl EntriesBuilder {
    /// Starts a file; later [`Self::push`]es belong to it.
    pub fn file(&mut self, name: impl Into<String>) {
        self.files.push(name.into());
    }

    /// Adds a row of the current file.
    pub fn push(&mut self, e: Entry) {
        self.file_of.push(self.files.len().saturating_sub(1) as u32);
        self.rows.push(e);
    }

    /// Rows so far.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row was pushed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows so far, to adjust before finishing (e.g. a second pass over a file).
    pub fn rows_mut(&mut self) -> &mut [Entry] {
        &mut self.rows
    }

    /// The file labels, each row's file (an index into the labels), and the rows.
    pub(crate) fn take(self) -> (Vec<String>, Vec<u32>, Vec<Entry>) {
        (self.files, self.file_of, self.rows)
    }

    /// The entries table (columns of [`columns`]), in the order read.
    pub fn finish(self, source: &str) -> Result<DataFrame> {
        use columns as c;
        let n = self.rows.len();
        let files = self.files;
        let text = |f: &dyn Fn(&Entry) -> Option<&str>| -> Column {
            StringChunked::from_iter_options(PlSmallStr::EMPTY, self.rows.iter().map(f))
                .into_column()
        };
        let named = |c: Column, name: &str| c.with_name(name.into());
        let int = |name: &str, f: &dyn Fn(&Entry) -> Option<i64>| -> Column {
            Column::new(name.into(), self.rows.iter().map(f).collect::<Vec<_>>())
        };
        let time = |name: &str, f: &dyn Fn(&Entry) -> Option<i64>| -> Column {
            super::table::opt_datetime_ms_column(name, self.rows.iter().map(f).collect())
        };
        let flag = |name: &str, f: &dyn Fn(&Entry) -> Option<bool>| -> Column {
            Column::new(name.into(), self.rows.iter().map(f).collect::<Vec<_>>())
        };
        let columns = vec![
            Column::new_scalar(c::SOURCE.into(), Scalar::from(PlSmallStr::from(source)), n),
            Column::new(
                c::SOURCE_FILE.into(),
                self.file_of
                    .iter()
                    .map(|&i| files.get(i as usize).map(String::as_str).unwrap_or(""))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                c::SOURCE_ROW.into(),
                self.rows.iter().map(|e| e.row).collect::<Vec<u64>>(),
            ),
            time(c::START, &|e| e.start),
            time(c::END, &|e| e.end),
            Column::new(
                c::TIME_FROM.into(),
                self.rows
                    .iter()
                    .map(|e| e.time_from.as_str())
                    .collect::<Vec<_>>(),
            ),
            named(text(&|e| Some(e.artist.as_str())), c::ARTIST),
            named(text(&|e| e.album.as_deref()), c::ALBUM),
            named(text(&|e| Some(e.track.as_str())), c::TRACK),
            int(c::MS_PLAYED, &|e| e.ms_played),
            int(c::DURATION_MS, &|e| e.duration_ms),
            named(text(&|e| e.spotify_id.as_deref()), c::SPOTIFY_ID),
            named(text(&|e| e.isrc.as_deref()), c::ISRC),
            named(text(&|e| e.recording_mbid.as_deref()), c::RECORDING_MBID),
            named(text(&|e| e.reason_end.as_deref()), c::REASON_END),
            flag(c::SKIPPED, &|e| e.skipped),
            flag(c::INCOGNITO, &|e| e.incognito),
            named(text(&|e| e.set_apart.as_deref()), c::SET_APART),
        ];
        Ok(DataFrame::new(n, columns)?)
    }

    /// The plays table of the rows that are plays (set-apart rows counted in the report as
    /// skipped, by reason), wrapped as [`Loaded`]. `report.rows_read` must already count every
    /// row (each loader counts what it read).
    pub(crate) fn into_loaded(
        self,
        source: &str,
        root: &Path,
        mut report: LoadReport,
        files: Vec<PathBuf>,
    ) -> Result<Loaded> {
        let mut out = PlaysBuilder::default();
        for (i, e) in self.rows.iter().enumerate() {
            match (&e.set_apart, e.played_at()) {
                (Some(reason), _) => {
                    let file = self
                        .files
                        .get(self.file_of[i] as usize)
                        .map(String::as_str)
                        .unwrap_or("");
                    report.skip_record(Path::new(file), e.row as usize, reason);
                }
                (None, Some(at)) => out.push(
                    at,
                    &e.artist,
                    e.album.as_deref(),
                    &e.track,
                    e.ms_played,
                    e.spotify_id.as_deref(),
                ),
                (None, None) => {
                    report.skip_record(Path::new(""), e.row as usize, SET_APART_NO_TIME);
                }
            }
        }
        out.into_loaded(source, root, report, files, SideTables::default())
    }
}

/// Reason for a row that carries no time at all.
pub const SET_APART_NO_TIME: &str = "no time";

/// What one row-level loader read: the rows, the report, the files.
#[derive(Debug, Clone)]
pub(crate) struct Read {
    /// The service, for the `source` column.
    pub source: &'static str,
    pub rows: EntriesBuilder,
    pub report: LoadReport,
    pub files: Vec<PathBuf>,
}

impl Read {
    /// The canonical plays table and report (see [`EntriesBuilder::into_loaded`]).
    pub fn into_loaded(self, root: &Path) -> Result<Loaded> {
        self.rows
            .into_loaded(self.source, root, self.report, self.files)
    }

    /// The entries table and report.
    pub fn into_entries(self) -> Result<Entries> {
        let mut report = self.report;
        report.files = self.files;
        report.rows_set_apart = self
            .rows
            .rows
            .iter()
            .filter(|e| e.set_apart.is_some())
            .count();
        report.rows_loaded = self.rows.len() - report.rows_set_apart;
        Ok(Entries {
            df: self.rows.finish(self.source)?,
            report,
        })
    }
}

/// Every row of one export with its provenance and, for rows that are not plays, the reason
/// (see the module docs); `report.rows_read` = rows of `df`.
#[derive(Debug, Clone)]
pub struct Entries {
    /// One row per row read (columns of [`columns`]).
    pub df: DataFrame,
    pub report: LoadReport,
}
