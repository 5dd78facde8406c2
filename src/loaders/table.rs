//! Column builders shared by the loaders.

use crate::error::Result;
use crate::schema::plays;
use polars::prelude::*;

/// Accumulates plays rows, then builds the canonical plays table.
#[derive(Default)]
pub(crate) struct PlaysBuilder {
    pub played_at: Vec<i64>,
    pub artist: Vec<String>,
    pub album: Vec<Option<String>>,
    pub track: Vec<String>,
    pub ms_played: Vec<Option<i64>>,
    pub track_id: Vec<Option<String>>,
}

impl PlaysBuilder {
    pub fn push(
        &mut self,
        played_at_ms: i64,
        artist: String,
        album: Option<String>,
        track: String,
        ms_played: Option<i64>,
        track_id: Option<String>,
    ) {
        self.played_at.push(played_at_ms);
        self.artist.push(artist);
        self.album.push(album);
        self.track.push(track);
        self.ms_played.push(ms_played);
        self.track_id.push(track_id);
    }

    pub fn len(&self) -> usize {
        self.played_at.len()
    }

    /// Builds the table and wraps it with its report (files read, rows loaded) and episodes;
    /// `Error::Empty` naming `path` when none of its files held a row.
    pub fn into_loaded(
        self,
        source: &str,
        path: &std::path::Path,
        mut report: super::LoadReport,
        files: Vec<std::path::PathBuf>,
        episodes: Option<DataFrame>,
    ) -> Result<super::Loaded> {
        report.check_not_empty(path)?;
        report.files = files;
        report.rows_loaded = self.len();
        Ok(super::Loaded {
            df: self.finish(source)?,
            episodes,
            report,
        })
    }

    /// Builds the table, sorted by `played_at` (oldest first) for a stable order across sources.
    pub fn finish(self, source: &str) -> Result<DataFrame> {
        let n = self.played_at.len();
        let df = DataFrame::new(
            n,
            vec![
                datetime_ms_column(plays::PLAYED_AT, self.played_at),
                Column::new(plays::ARTIST.into(), self.artist),
                Column::new(plays::ALBUM.into(), self.album),
                Column::new(plays::TRACK.into(), self.track),
                Column::new(plays::MS_PLAYED.into(), self.ms_played),
                Column::new(plays::TRACK_ID.into(), self.track_id),
                Column::new_scalar(
                    plays::SOURCE.into(),
                    Scalar::from(PlSmallStr::from(source)),
                    n,
                ),
            ],
        )?;
        Ok(df.sort(
            [plays::PLAYED_AT],
            SortMultipleOptions::default().with_maintain_order(true),
        )?)
    }
}

/// A naive (UTC by convention) millisecond datetime column.
pub(crate) fn datetime_ms_column(name: &str, ms: Vec<i64>) -> Column {
    Int64Chunked::from_vec(name.into(), ms)
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_series()
        .into_column()
}

/// The same, with missing values.
pub(crate) fn opt_datetime_ms_column(name: &str, ms: Vec<Option<i64>>) -> Column {
    Int64Chunked::from_iter_options(name.into(), ms.into_iter())
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_series()
        .into_column()
}

/// Milliseconds since the epoch of a naive UTC datetime.
pub(crate) fn ms(dt: chrono::NaiveDateTime) -> i64 {
    dt.and_utc().timestamp_millis()
}
