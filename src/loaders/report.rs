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
    /// The first few skipped rows, as `file:line (reason)`.
    pub skipped_examples: Vec<String>,
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

    pub(crate) fn skip(&mut self, file: &std::path::Path, line: u64, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
        if self.skipped_examples.len() < 5 {
            self.skipped_examples
                .push(format!("{}:{} ({})", file.display(), line, reason));
        }
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
