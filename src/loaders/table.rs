//! Column builders shared by the loaders.

use crate::error::Result;
use crate::schema::plays;
use polars::prelude::*;

/// Reason flagged for a play identical to an earlier one (same start, artist and track): kept,
/// since an export may really hold two such plays, and counted.
pub const FLAG_DUPLICATE: &str = "same time, artist and track as an earlier row (kept)";

/// Accumulates plays rows straight into polars builders (no second copy of the strings), then
/// builds the canonical plays table.
pub(crate) struct PlaysBuilder {
    pub played_at: Vec<i64>,
    artist: StringChunkedBuilder,
    album: StringChunkedBuilder,
    track: StringChunkedBuilder,
    ms_played: PrimitiveChunkedBuilder<Int64Type>,
    track_id: StringChunkedBuilder,
}

impl Default for PlaysBuilder {
    fn default() -> Self {
        PlaysBuilder {
            played_at: Vec::new(),
            artist: StringChunkedBuilder::new(plays::ARTIST.into(), 0),
            album: StringChunkedBuilder::new(plays::ALBUM.into(), 0),
            track: StringChunkedBuilder::new(plays::TRACK.into(), 0),
            ms_played: PrimitiveChunkedBuilder::new(plays::MS_PLAYED.into(), 0),
            track_id: StringChunkedBuilder::new(plays::TRACK_ID.into(), 0),
        }
    }
}

fn push_opt(b: &mut StringChunkedBuilder, v: Option<&str>) {
    match v {
        Some(v) => b.append_value(v),
        None => b.append_null(),
    }
}

impl PlaysBuilder {
    pub fn push(
        &mut self,
        played_at_ms: i64,
        artist: &str,
        album: Option<&str>,
        track: &str,
        ms_played: Option<i64>,
        track_id: Option<&str>,
    ) {
        self.played_at.push(played_at_ms);
        self.artist.append_value(artist);
        push_opt(&mut self.album, album);
        self.track.append_value(track);
        self.ms_played.append_option(ms_played);
        push_opt(&mut self.track_id, track_id);
    }

    pub fn len(&self) -> usize {
        self.played_at.len()
    }

    /// Builds the table and wraps it with its report (files read, rows loaded, duplicates
    /// flagged) and side tables; `Error::Empty` naming `path` when none of its files held a row.
    pub fn into_loaded(
        self,
        source: &str,
        path: &std::path::Path,
        mut report: super::LoadReport,
        files: Vec<std::path::PathBuf>,
        side: SideTables,
    ) -> Result<super::Loaded> {
        report.check_not_empty(path)?;
        report.files = files;
        report.rows_loaded = self.len();
        let df = self.finish(source)?;
        report.flag(FLAG_DUPLICATE, duplicates(&df)?);
        Ok(super::Loaded {
            df,
            episodes: side.episodes,
            audiobooks: side.audiobooks,
            report,
        })
    }

    /// Builds the table, sorted by `played_at` (oldest first; rows of equal times in the order
    /// read) for a stable order across sources.
    ///
    /// The order is found on the times alone and applied one column at a time, each unsorted
    /// column dropped as soon as its sorted copy exists; rows read in order (as most exports
    /// write them) are not moved at all. Sorting the whole frame instead held a second copy of
    /// every column at once: with 10 million plays that took the load's peak past 2 GB.
    pub fn finish(self, source: &str) -> Result<DataFrame> {
        let PlaysBuilder {
            played_at,
            artist,
            album,
            track,
            ms_played,
            track_id,
        } = self;
        let n = played_at.len();
        let (played_at, order) = if played_at.windows(2).all(|w| w[0] <= w[1]) {
            (played_at, None)
        } else {
            let mut idx: Vec<IdxSize> = (0..n as IdxSize).collect();
            // A stable sort: equal times keep the order they were read in.
            idx.sort_by_key(|&i| played_at[i as usize]);
            let sorted: Vec<i64> = idx.iter().map(|&i| played_at[i as usize]).collect();
            drop(played_at);
            (sorted, Some(IdxCa::from_vec(PlSmallStr::EMPTY, idx)))
        };
        let in_order = |c: Column| -> Result<Column> {
            Ok(match &order {
                Some(idx) => c.take(idx)?,
                None => c,
            })
        };
        let mut at = datetime_ms_column(plays::PLAYED_AT, played_at);
        at.set_sorted_flag(polars::series::IsSorted::Ascending);
        let columns = vec![
            at,
            in_order(artist.finish().into_column())?,
            in_order(album.finish().into_column())?,
            in_order(track.finish().into_column())?,
            in_order(ms_played.finish().into_column())?,
            in_order(track_id.finish().into_column())?,
            Column::new_scalar(
                plays::SOURCE.into(),
                Scalar::from(PlSmallStr::from(source)),
                n,
            ),
        ];
        Ok(DataFrame::new(n, columns)?)
    }
}

/// Rows of a plays table that repeat an earlier row's start, artist and track. The table must be
/// sorted by `played_at` (as every loader returns it): rows are compared within each run of equal
/// start times, so no copy of the table is made.
pub(crate) fn duplicates(df: &DataFrame) -> Result<usize> {
    if df.height() < 2 {
        return Ok(0);
    }
    let at = df
        .column(plays::PLAYED_AT)?
        .as_materialized_series()
        .to_physical_repr();
    let at = at.i64()?;
    let artist = df.column(plays::ARTIST)?.str()?;
    let track = df.column(plays::TRACK)?.str()?;
    let mut run: std::collections::HashSet<(Option<&str>, Option<&str>)> =
        std::collections::HashSet::new();
    let mut last: Option<Option<i64>> = None;
    let mut repeats = 0;
    for ((t, a), k) in at.iter().zip(artist.iter()).zip(track.iter()) {
        if last != Some(t) {
            run.clear();
            last = Some(t);
        }
        if !run.insert((a, k)) {
            repeats += 1;
        }
    }
    Ok(repeats)
}

/// The side tables a Spotify history yields beside plays.
#[derive(Default)]
pub(crate) struct SideTables {
    pub episodes: Option<DataFrame>,
    pub audiobooks: Option<DataFrame>,
}

/// Podcast episodes, as they are read.
#[derive(Default)]
pub(crate) struct EpisodesBuilder {
    played_at: Vec<i64>,
    show: Vec<String>,
    episode: Vec<String>,
    ms_played: Vec<i64>,
    episode_id: Vec<Option<String>>,
}

impl EpisodesBuilder {
    pub fn push(&mut self, start: i64, show: String, episode: String, ms: i64, id: Option<String>) {
        self.played_at.push(start);
        self.show.push(show);
        self.episode.push(episode);
        self.ms_played.push(ms);
        self.episode_id.push(id);
    }

    pub fn len(&self) -> usize {
        self.played_at.len()
    }

    pub fn finish(self) -> Result<DataFrame> {
        use crate::schema::episodes as e;
        let n = self.played_at.len();
        Ok(DataFrame::new(
            n,
            vec![
                datetime_ms_column(e::PLAYED_AT, self.played_at),
                Column::new(e::SHOW.into(), self.show),
                Column::new(e::EPISODE.into(), self.episode),
                Column::new(e::MS_PLAYED.into(), self.ms_played),
                Column::new(e::EPISODE_ID.into(), self.episode_id),
            ],
        )?)
    }
}

/// Audiobook chapters, as they are read.
#[derive(Default)]
pub(crate) struct AudiobooksBuilder {
    played_at: Vec<i64>,
    audiobook: Vec<String>,
    chapter: Vec<Option<String>>,
    author: Vec<Option<String>>,
    ms_played: Vec<i64>,
    chapter_id: Vec<Option<String>>,
}

impl AudiobooksBuilder {
    pub fn push(
        &mut self,
        start: i64,
        audiobook: String,
        chapter: Option<String>,
        author: Option<String>,
        ms: i64,
        chapter_id: Option<String>,
    ) {
        self.played_at.push(start);
        self.audiobook.push(audiobook);
        self.chapter.push(chapter);
        self.author.push(author);
        self.ms_played.push(ms);
        self.chapter_id.push(chapter_id);
    }

    pub fn len(&self) -> usize {
        self.played_at.len()
    }

    pub fn finish(self) -> Result<DataFrame> {
        use crate::schema::audiobooks as a;
        let n = self.played_at.len();
        Ok(DataFrame::new(
            n,
            vec![
                datetime_ms_column(a::PLAYED_AT, self.played_at),
                Column::new(a::AUDIOBOOK.into(), self.audiobook),
                Column::new(a::CHAPTER.into(), self.chapter),
                Column::new(a::AUTHOR.into(), self.author),
                Column::new(a::MS_PLAYED.into(), self.ms_played),
                Column::new(a::CHAPTER_ID.into(), self.chapter_id),
            ],
        )?)
    }
}

/// The side tables of a history: each present only where the export had such rows (an
/// extended history always has its episodes table, possibly empty).
pub(crate) fn side_tables(
    episodes: EpisodesBuilder,
    audiobooks: AudiobooksBuilder,
    always_episodes: bool,
) -> Result<SideTables> {
    Ok(SideTables {
        episodes: if episodes.len() > 0 || always_episodes {
            Some(episodes.finish()?)
        } else {
            None
        },
        audiobooks: if audiobooks.len() > 0 {
            Some(audiobooks.finish()?)
        } else {
            None
        },
    })
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
