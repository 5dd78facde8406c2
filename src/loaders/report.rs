use polars::prelude::DataFrame;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// What a loader read, loaded and skipped. Nothing is dropped without being counted here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadReport {
    /// The loader that produced it, e.g. `"lastfm-to-csv"`.
    pub format: String,
    /// Files read, in order.
    pub files: Vec<PathBuf>,
    /// Data rows (or JSON records) found in the files.
    pub rows_read: usize,
    /// Rows in the returned main table.
    pub rows_loaded: usize,
    /// Rows put in a side table (podcast episodes) rather than the main one.
    pub rows_set_apart: usize,
    /// Skipped rows by reason.
    pub skipped: BTreeMap<String, usize>,
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
        write!(
            f,
            "{}: {} file(s), {} rows read, {} loaded",
            self.format,
            self.files.len(),
            self.rows_read,
            self.rows_loaded
        )?;
        if !self.empty_files.is_empty() {
            write!(f, ", {} empty file(s)", self.empty_files.len())?;
        }
        if self.rows_set_apart > 0 {
            write!(f, ", {} set apart (podcast episodes)", self.rows_set_apart)?;
        }
        if self.skipped.is_empty() {
            write!(f, ", none skipped")
        } else {
            write!(f, ", {} skipped:", self.skipped_total())?;
            for (reason, n) in &self.skipped {
                write!(f, " {n} {reason};")?;
            }
            if let Some(first) = self.skipped_examples.first() {
                write!(f, " first at {first}")?;
            }
            Ok(())
        }
    }
}

/// A loaded listening history: the plays table, podcast episodes where the export has them, and
/// the report.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The plays table (see [`crate::schema::plays`]).
    pub df: DataFrame,
    /// Podcast episodes, kept apart from music (extended Spotify history only).
    pub episodes: Option<DataFrame>,
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
