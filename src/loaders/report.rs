use crate::error::Result;
use polars::prelude::DataFrame;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// What a loader read, loaded and skipped. Nothing is dropped without being counted here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadReport {
    /// The loader that produced it, e.g. `"lastfm-to-csv"`.
    pub format: String,
    /// The variant of the format recognised, where it has several (e.g. Exportify's classic or
    /// later column set, a bare array of Last.fm tracks); empty for the format's only layout.
    pub variant: String,
    /// Files read, in order.
    pub files: Vec<PathBuf>,
    /// Data rows (or JSON records) found in the files.
    pub rows_read: usize,
    /// Rows in the returned main table.
    pub rows_loaded: usize,
    /// Rows put in a side table (podcast episodes, audiobook chapters) rather than the main one.
    pub rows_set_apart: usize,
    /// Skipped rows by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Rows loaded but worth knowing about, by reason: duplicates of an earlier row, spreadsheet
    /// error cells such as `#NAME?` (kept as they are).
    pub flagged: BTreeMap<String, usize>,
    /// How the input was read where it matters: character encodings other than UTF-8, the date
    /// format and how ambiguous dates were read, files of a folder that were not of the format.
    pub notes: Vec<String>,
    /// The first few skipped rows, as `file:line (reason)` or `file: record N (reason)`.
    pub skipped_examples: Vec<String>,
    /// Files of a folder that held no rows (read, nothing taken from them).
    pub empty_files: Vec<PathBuf>,
}

impl LoadReport {
    pub(crate) fn new(format: &str) -> Self {
        LoadReport {
            format: format.to_string(),
            ..Default::default()
        }
    }

    /// Adds a note once (the same note for several files is kept once).
    pub(crate) fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Counts a loaded row flagged for `reason`.
    pub(crate) fn flag(&mut self, reason: &str, n: usize) {
        if n > 0 {
            *self.flagged.entry(reason.to_string()).or_default() += n;
        }
    }

    /// Sets the variant; several files of different variants are listed together.
    pub(crate) fn set_variant(&mut self, variant: &str) {
        if self.variant.is_empty() {
            self.variant = variant.to_string();
        } else if !self.variant.split(" + ").any(|v| v == variant) {
            self.variant = format!("{} + {variant}", self.variant);
        }
    }

    /// Adds another report's counts to this one (a folder holding files of several formats).
    pub(crate) fn merge(&mut self, other: LoadReport) {
        if self.format.is_empty() {
            self.format = other.format;
        } else if !self.format.split(" + ").any(|f| f == other.format) {
            self.format = format!("{} + {}", self.format, other.format);
        }
        if !other.variant.is_empty() {
            self.set_variant(&other.variant);
        }
        self.files.extend(other.files);
        self.rows_read += other.rows_read;
        self.rows_loaded += other.rows_loaded;
        self.rows_set_apart += other.rows_set_apart;
        for (k, v) in other.skipped {
            *self.skipped.entry(k).or_default() += v;
        }
        for (k, v) in other.flagged {
            *self.flagged.entry(k).or_default() += v;
        }
        for e in other.skipped_examples {
            if self.skipped_examples.len() < 5 {
                self.skipped_examples.push(e);
            }
        }
        self.empty_files.extend(other.empty_files);
        for n in other.notes {
            self.note(n);
        }
    }

    /// Total rows skipped, all reasons.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Counts a skipped row of a text file, at 1-based `line`.
    pub(crate) fn skip(&mut self, file: &std::path::Path, line: u64, reason: &str) {
        self.skip_at(format!("{}:{}", file.display(), line), reason);
    }

    /// Counts a skipped record of a JSON array, at 1-based position `index`.
    pub(crate) fn skip_record(&mut self, file: &std::path::Path, index: usize, reason: &str) {
        self.skip_at(format!("{}: record {}", file.display(), index), reason);
    }

    fn skip_at(&mut self, place: String, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
        if self.skipped_examples.len() < 5 {
            self.skipped_examples.push(format!("{place} ({reason})"));
        }
    }

    /// Notes a file without rows; an error only if no file had any (see [`Self::check_not_empty`]).
    pub(crate) fn empty_file(&mut self, file: &std::path::Path) {
        self.empty_files.push(file.to_path_buf());
    }

    /// `Ok(None)`, noting `file` as empty, where `r` is [`crate::Error::Empty`]; otherwise `r`.
    pub(crate) fn unless_empty<T>(
        &mut self,
        file: &std::path::Path,
        r: crate::error::Result<T>,
    ) -> crate::error::Result<Option<T>> {
        match r {
            Err(crate::error::Error::Empty { .. }) => {
                self.empty_file(file);
                Ok(None)
            }
            other => other.map(Some),
        }
    }

    /// `Error::Empty` for `path` when no file held a row.
    pub(crate) fn check_not_empty(&self, path: &std::path::Path) -> crate::error::Result<()> {
        if self.rows_read == 0 {
            return Err(crate::error::Error::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(())
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.format)?;
        if !self.variant.is_empty() {
            write!(f, " ({})", self.variant)?;
        }
        write!(
            f,
            ": {} file(s), {} rows read, {} loaded",
            self.files.len(),
            self.rows_read,
            self.rows_loaded
        )?;
        if !self.empty_files.is_empty() {
            write!(f, ", {} empty file(s)", self.empty_files.len())?;
        }
        if self.rows_set_apart > 0 {
            write!(
                f,
                ", {} set apart (podcast episodes, audiobook chapters)",
                self.rows_set_apart
            )?;
        }
        if self.skipped.is_empty() {
            write!(f, ", none skipped")?;
        } else {
            write!(f, ", {} skipped:", self.skipped_total())?;
            for (reason, n) in &self.skipped {
                write!(f, " {n} {reason};")?;
            }
            if let Some(first) = self.skipped_examples.first() {
                write!(f, " first at {first}")?;
            }
        }
        for (reason, n) in &self.flagged {
            write!(f, "; {n} flagged: {reason}")?;
        }
        for note in &self.notes {
            write!(f, "; {note}")?;
        }
        Ok(())
    }
}

/// A loaded listening history: the plays table, podcast episodes where the export has them, and
/// the report.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The plays table (see [`crate::schema::plays`]).
    pub df: DataFrame,
    /// Podcast episodes, kept apart from music (Spotify histories that have them).
    pub episodes: Option<DataFrame>,
    /// Audiobook chapters, kept apart from music (Spotify histories that have them; see
    /// [`crate::schema::audiobooks`]).
    pub audiobooks: Option<DataFrame>,
    pub report: LoadReport,
}

/// Exportify playlists: the distinct tracks with their features, and playlist membership.
#[derive(Debug, Clone)]
pub struct PlaylistExport {
    /// One row per distinct track id (see [`crate::schema::tracks`]).
    pub tracks: DataFrame,
    /// One row per (playlist, track) entry (see [`crate::schema::playlists`]).
    pub playlists: DataFrame,
    pub report: LoadReport,
}

/// One row per load report — format, variant, files, rows read / loaded / set apart / skipped /
/// flagged, and the notes — to compare several exports at a glance.
pub fn report_table<'a>(reports: impl IntoIterator<Item = &'a LoadReport>) -> Result<DataFrame> {
    use polars::prelude::*;
    let reports: Vec<&LoadReport> = reports.into_iter().collect();
    let text =
        |f: fn(&LoadReport) -> String| -> Vec<String> { reports.iter().map(|r| f(r)).collect() };
    let count =
        |f: fn(&LoadReport) -> usize| -> Vec<u64> { reports.iter().map(|r| f(r) as u64).collect() };
    Ok(DataFrame::new(
        reports.len(),
        vec![
            Column::new("format".into(), text(|r| r.format.clone())),
            Column::new("variant".into(), text(|r| r.variant.clone())),
            Column::new("files".into(), count(|r| r.files.len())),
            Column::new("rows_read".into(), count(|r| r.rows_read)),
            Column::new("loaded".into(), count(|r| r.rows_loaded)),
            Column::new("set_apart".into(), count(|r| r.rows_set_apart)),
            Column::new("skipped".into(), count(LoadReport::skipped_total)),
            Column::new("flagged".into(), count(|r| r.flagged.values().sum())),
            Column::new(
                "skips and flags".into(),
                text(|r| {
                    r.skipped
                        .iter()
                        .chain(r.flagged.iter())
                        .map(|(why, n)| format!("{n} {why}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
            ),
            Column::new("notes".into(), text(|r| r.notes.join("; "))),
        ],
    )?)
}
