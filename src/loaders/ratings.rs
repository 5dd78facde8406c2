//! Ratings: how much a listener likes each track — a 1–10 score, a 0/1 liked flag, or a rank
//! by play count — from a CSV or a JSON array, into one table, then joined to audio features.
//!
//! [`read_ratings`] finds its columns by their common names (any case, `_`, `-`, `.` and spaces
//! ignored): a track id (`track_id`, `spotify_id`, `uri`, … — `spotify:track:…` URIs and
//! `open.spotify.com/track/…` links are cut to ids), an artist and a title, and the rating
//! (`rating`, `score`, `stars`, `like`, `liked`, `preference`). A file with a `rank` column
//! and no rating is scored by [`rank_scores`]: rank 1 (the most played) scores `bins`, the last
//! rank 1, in equal-sized bins (deciles for 10). [`RatingsColumns`] names the columns where the
//! file uses other names.
//!
//! The table: [`TRACK_ID`] (nullable), [`ARTIST`], [`TRACK`] (nullable when the id is there),
//! [`RATING`] (float), then the audio features, `duration_ms` and `popularity` when the file has
//! them, and `rank` when the rating came from it. Rows without a rating (empty or not a number)
//! or without a way to find the track (no id, and no artist or no title) are skipped and counted
//! in the report, with the first lines.
//!
//! [`rate_tracks`] attaches audio features: from the file itself when it carries them, else from
//! a catalogue by id, then by normalised artist and title ([`crate::analysis::join_features`]);
//! ratings whose track is not in the catalogue are counted and listed, not silently dropped.
//!
//! ```no_run
//! use listening::loaders::ratings::{rate_tracks, read_ratings};
//! use listening::datasets;
//! let mine = read_ratings("my_ratings.csv")?; // track_id or artist + title, and rating
//! let tracks = datasets::load_tracks("tidytuesday-spotify-songs")?;
//! let rated = rate_tracks(&mine.df, &tracks.df)?;
//! println!("{rated}"); // how many ratings found their features
//! # Ok::<(), listening::Error>(())
//! ```

use super::LoadReport;
use super::csv_table::{CsvFile, Kind};
use super::mapped::{ARTIST_NAMES, TRACK_ID_NAMES, TRACK_NAMES, column_named};
use super::text::read_text;
use crate::analysis::join::{join_features, need};
use crate::error::{Error, Result};
use crate::schema::{self, tracks};
use polars::prelude::*;
use std::fmt;
use std::path::Path;

/// The rating column of the ratings table (float).
pub const RATING: &str = "rating";
/// The track id column (Spotify id; nullable).
pub const TRACK_ID: &str = "track_id";
/// The artist column.
pub const ARTIST: &str = "artist";
/// The title column.
pub const TRACK: &str = "track";
/// The rank column, kept when the rating was computed from it.
pub const RANK: &str = "rank";

/// Header names read as a rating (compared after [`norm`]).
pub const RATING_NAMES: [&str; 7] = [
    "rating",
    "score",
    "stars",
    "like",
    "liked",
    "preference",
    "myrating",
];
/// Header names read as a rank (1 = the most liked or played).
pub const RANK_NAMES: [&str; 3] = ["rank", "playrank", "listenrank"];

/// Header names read as a track id beside the plays tables' ([`TRACK_ID_NAMES`]).
pub const MORE_ID_NAMES: [&str; 6] = ["spotifyuri", "id", "spotifyurl", "trackurl", "url", "link"];

/// Skip reason: the rating is empty or not a number.
pub const SKIP_NO_RATING: &str = "no rating (empty or not a number)";
/// Skip reason: neither a track id nor both artist and title.
pub const SKIP_NO_TRACK: &str = "no track id and no artist + title";

/// The columns of a ratings file, by their names in the file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RatingsColumns {
    rating: Option<String>,
    rank: Option<String>,
    track_id: Option<String>,
    artist: Option<String>,
    track: Option<String>,
}

impl RatingsColumns {
    /// A file whose rating is in column `rating`.
    pub fn new(rating: impl Into<String>) -> Self {
        RatingsColumns {
            rating: Some(rating.into()),
            ..Default::default()
        }
    }

    /// A file with a rank column (1 = most liked) instead of a rating; see [`rank_scores`].
    pub fn from_rank(rank: impl Into<String>) -> Self {
        RatingsColumns {
            rank: Some(rank.into()),
            ..Default::default()
        }
    }

    pub fn track_id(mut self, column: impl Into<String>) -> Self {
        self.track_id = Some(column.into());
        self
    }

    pub fn artist(mut self, column: impl Into<String>) -> Self {
        self.artist = Some(column.into());
        self
    }

    pub fn track(mut self, column: impl Into<String>) -> Self {
        self.track = Some(column.into());
        self
    }

    /// The columns found by their common names, or `None` without a rating or rank column.
    pub fn detect(header: &[String]) -> Option<RatingsColumns> {
        let find = |names: &[&str]| column_named(header, names).map(|i| header[i].clone());
        let rating = find(&RATING_NAMES);
        let rank = if rating.is_none() {
            find(&RANK_NAMES)
        } else {
            None
        };
        rating.as_ref().or(rank.as_ref())?;
        Some(RatingsColumns {
            rating,
            rank,
            track_id: find(&TRACK_ID_NAMES).or_else(|| find(&MORE_ID_NAMES)),
            artist: find(&ARTIST_NAMES),
            track: find(&TRACK_NAMES),
        })
    }
}

/// A ratings table and what loading it read and skipped.
#[derive(Debug, Clone)]
pub struct Ratings {
    /// See the module docs for the columns.
    pub df: DataFrame,
    pub report: LoadReport,
}

/// Reads a ratings file (CSV, or a JSON array of objects), finding its columns by their common
/// names ([`RatingsColumns::detect`]).
///
/// # Errors
/// [`Error::MissingColumn`] naming the header when no rating or rank column is found; as
/// [`read_ratings_with`].
pub fn read_ratings(path: impl AsRef<Path>) -> Result<Ratings> {
    let path = path.as_ref();
    let (df, json) = read_any(path)?;
    let header: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let columns = RatingsColumns::detect(&header).ok_or_else(|| Error::MissingColumn {
        path: path.to_path_buf(),
        column: "rating (or rank)".into(),
        found: header.join(", "),
    })?;
    ratings_from(path, df, json, &columns)
}

/// Reads a ratings file with the columns named by `columns`.
///
/// # Errors
/// [`Error::Io`], [`Error::Parse`] (file and line) for unreadable input; [`Error::MissingColumn`]
/// for a named column the file lacks, or neither a track id nor an artist and title column.
pub fn read_ratings_with(path: impl AsRef<Path>, columns: &RatingsColumns) -> Result<Ratings> {
    let path = path.as_ref();
    let (df, json) = read_any(path)?;
    ratings_from(path, df, json, columns)
}

/// The file as a table of typed columns, and whether it was JSON.
fn read_any(path: &Path) -> Result<(DataFrame, bool)> {
    let (text, _) = read_text(path)?;
    if text.trim_start().starts_with('[') {
        return Ok((json_table(path, &text)?, true));
    }
    let csv = CsvFile::parse(path, &text)?;
    let rows: Vec<usize> = (0..csv.len()).collect();
    let mut columns = Vec::with_capacity(csv.header.len());
    for (c, name) in csv.header.iter().enumerate() {
        let numeric = rows
            .iter()
            .filter_map(|&r| csv.cell(r, c))
            .all(|s| s.parse::<f64>().is_ok());
        // Numbers stay text where any cell is not one: the rating column is parsed row by row
        // below so that a bad cell is a counted skip, not an error for the whole file.
        let kind = if numeric { Kind::Float } else { Kind::Str };
        let name = if name.is_empty() {
            format!("column_{}", c + 1)
        } else {
            name.clone()
        };
        columns.push(csv.column(Some(c), &name, kind, &rows)?);
    }
    Ok((DataFrame::new(rows.len(), columns)?, false))
}

/// A JSON array of flat objects as a table: a column per key (in order of first appearance),
/// float where every value is a number (or a boolean, as 0/1) or null, text otherwise.
fn json_table(path: &Path, text: &str) -> Result<DataFrame> {
    use serde_json::Value;
    let records: Vec<serde_json::Map<String, Value>> = serde_json::from_str(text).map_err(|e| {
        Error::parse(
            path,
            e.line() as u64,
            format!("not a JSON array of objects: {e}"),
        )
    })?;
    let mut keys: Vec<String> = Vec::new();
    for r in &records {
        for k in r.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let mut columns = Vec::with_capacity(keys.len());
    for k in &keys {
        let values: Vec<Option<&Value>> = records
            .iter()
            .map(|r| r.get(k).filter(|v| !v.is_null()))
            .collect();
        let numeric = values
            .iter()
            .flatten()
            .all(|v| v.is_number() || v.is_boolean());
        let column = if numeric {
            let v: Vec<Option<f64>> = values
                .iter()
                .map(|v| v.and_then(|v| v.as_f64().or(v.as_bool().map(f64::from))))
                .collect();
            Column::new(k.as_str().into(), v)
        } else {
            let v: Vec<Option<String>> = values
                .iter()
                .map(|v| {
                    v.map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                })
                .collect();
            Column::new(k.as_str().into(), v)
        };
        columns.push(column);
    }
    Ok(DataFrame::new(records.len(), columns)?)
}

/// Text values of column `name` of `df` (numbers formatted), or all null without it.
fn text_of(df: &DataFrame, name: Option<&String>) -> Result<Vec<Option<String>>> {
    let Some(name) = name else {
        return Ok(vec![None; df.height()]);
    };
    let c = need(df, "ratings file", name)?.cast(&DataType::String)?;
    Ok(c.str()?
        .iter()
        .map(|v| {
            v.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
        .collect())
}

/// Numbers of column `name`, text cells parsed (a cell that is not a number is `None`).
fn numbers_of(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    let c = need(df, "ratings file", name)?;
    if c.dtype().is_primitive_numeric() {
        let c = c.cast(&DataType::Float64)?;
        return Ok(c.f64()?.iter().collect());
    }
    Ok(text_of(df, Some(&name.to_string()))?
        .into_iter()
        .map(|v| {
            v.and_then(|s| s.parse::<f64>().ok())
                .filter(|f| f.is_finite())
        })
        .collect())
}

/// The Spotify id of a track id, `spotify:track:…` URI or `open.spotify.com/track/…` link.
pub fn spotify_id(text: &str) -> String {
    let t = text.trim();
    let t = t.split(['?', '#']).next().unwrap_or(t);
    let t = t.trim_end_matches('/');
    t.rsplit([':', '/']).next().unwrap_or(t).to_string()
}

fn missing(path: &Path, df: &DataFrame, column: &str) -> Error {
    Error::MissingColumn {
        path: path.to_path_buf(),
        column: column.to_string(),
        found: df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn ratings_from(path: &Path, df: DataFrame, json: bool, cols: &RatingsColumns) -> Result<Ratings> {
    let mut report = LoadReport::new("ratings");
    report.files.push(path.to_path_buf());
    report.set_variant(if json { "json" } else { "csv" });
    report.rows_read = df.height();
    for c in [
        &cols.rating,
        &cols.rank,
        &cols.track_id,
        &cols.artist,
        &cols.track,
    ]
    .into_iter()
    .flatten()
    {
        if !df.get_column_names().iter().any(|n| n.as_str() == c) {
            return Err(missing(path, &df, c));
        }
    }
    if cols.track_id.is_none() && (cols.artist.is_none() || cols.track.is_none()) {
        return Err(missing(path, &df, "track id, or artist and title"));
    }
    let (values, from_rank) = match (&cols.rating, &cols.rank) {
        (Some(r), _) => (numbers_of(&df, r)?, false),
        (None, Some(r)) => (numbers_of(&df, r)?, true),
        (None, None) => return Err(missing(path, &df, "rating (or rank)")),
    };
    let ids: Vec<Option<String>> = text_of(&df, cols.track_id.as_ref())?
        .into_iter()
        .map(|v| v.map(|s| spotify_id(&s)))
        .collect();
    let artists = text_of(&df, cols.artist.as_ref())?;
    let titles = text_of(&df, cols.track.as_ref())?;
    let mut keep: Vec<bool> = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let reason = if values[i].is_none() {
            Some(SKIP_NO_RATING)
        } else if ids[i].is_none() && (artists[i].is_none() || titles[i].is_none()) {
            Some(SKIP_NO_TRACK)
        } else {
            None
        };
        if let Some(reason) = reason {
            if json {
                report.skip_record(path, i + 1, reason);
            } else {
                report.skip(path, i as u64 + 2, reason);
            }
        }
        keep.push(reason.is_none());
    }
    let mut out = vec![
        Column::new(TRACK_ID.into(), ids),
        Column::new(ARTIST.into(), artists),
        Column::new(TRACK.into(), titles),
        Column::new(if from_rank { RANK } else { RATING }.into(), values),
    ];
    let carried = schema::AUDIO_FEATURES
        .iter()
        .chain([&tracks::DURATION_MS, &tracks::POPULARITY]);
    for name in carried {
        if df.get_column_names().iter().any(|n| n.as_str() == *name) {
            out.push(Column::new((*name).into(), numbers_of(&df, name)?));
        }
    }
    let mask = BooleanChunked::from_slice("keep".into(), &keep);
    let mut table = DataFrame::new(df.height(), out)?.filter(&mask)?;
    if from_rank {
        table = rank_scores(&table, RANK, 10)?;
        report.note(format!(
            "rating computed from `{}`: rank 1 scores 10, the last rank 1, in deciles",
            cols.rank.as_deref().unwrap_or(RANK)
        ));
    }
    report.rows_loaded = table.height();
    Ok(Ratings { df: table, report })
}

/// `df` with a [`RATING`] column from its `rank` column (1 = best): the ranks cut into `bins`
/// equal-sized bins, the best bin scoring `bins` and the worst 1 — `bins − ⌊(rank − 1) · bins /
/// n⌋` for ranks 1..=n, where n is the largest rank. Deciles for `bins` = 10.
///
/// # Errors
/// [`Error::Parameter`] for `bins` 0; [`Error::Column`] without the rank column.
pub fn rank_scores(df: &DataFrame, rank: &str, bins: u32) -> Result<DataFrame> {
    if bins == 0 {
        return Err(Error::parameter("bins", 0, "at least 1 bin"));
    }
    let ranks = need(df, "ratings", rank)?.cast(&DataType::Float64)?;
    let ranks = ranks.f64()?;
    let n = ranks.max().unwrap_or(1.0).max(1.0);
    let b = f64::from(bins);
    let scores: Vec<Option<f64>> = ranks
        .iter()
        .map(|r| r.map(|r| (b - ((r - 1.0) * b / n).floor()).clamp(1.0, b)))
        .collect();
    let mut out = df.clone();
    out.with_column(Column::new(RATING.into(), scores))?;
    Ok(out)
}

/// Ratings with audio features attached, and how many ratings found them.
#[derive(Debug, Clone)]
pub struct Rated {
    /// The ratings that found features: the ratings columns, `matched_by` (`file`, `id` or
    /// `name`), then `duration_ms` and the audio features.
    pub df: DataFrame,
    /// Ratings read.
    pub ratings: usize,
    /// Ratings whose features came from the file itself.
    pub from_file: usize,
    /// Ratings matched in the catalogue by track id.
    pub by_id: usize,
    /// Ratings matched in the catalogue by normalised artist and title.
    pub by_name: usize,
    /// Ratings without features (their track is not in the catalogue), first 20: `artist`,
    /// `track`, `plays` (the times the pair appears).
    pub unmatched: DataFrame,
}

impl Rated {
    /// Ratings without features.
    pub fn unmatched_count(&self) -> usize {
        self.ratings - self.from_file - self.by_id - self.by_name
    }
}

impl fmt::Display for Rated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ratings: {} with features from the file, {} matched by id, {} by artist + title, {} without features",
            self.ratings,
            self.from_file,
            self.by_id,
            self.by_name,
            self.unmatched_count()
        )
    }
}

/// The ratings of `ratings` (a [`Ratings`] table) with audio features: those of the file where
/// it carries every feature of [`schema::AUDIO_FEATURES`] but `time_signature` (rows with a
/// missing feature then go to the catalogue), else `catalogue`'s (a tracks table), matched by id
/// first, then by normalised artist and title.
///
/// # Errors
/// [`Error::Column`] when `ratings` lacks a ratings column or `catalogue` a tracks column.
pub fn rate_tracks(ratings: &DataFrame, catalogue: &DataFrame) -> Result<Rated> {
    for c in [TRACK_ID, ARTIST, TRACK, RATING] {
        need(ratings, "ratings", c)?;
    }
    let n = ratings.height();
    let core: Vec<&str> = schema::AUDIO_FEATURES
        .iter()
        .copied()
        .filter(|f| *f != schema::TIME_SIGNATURE)
        .collect();
    let has = |c: &str| ratings.get_column_names().iter().any(|n| n.as_str() == c);
    let (own, rest) = if core.iter().all(|c| has(c)) {
        let complete = core
            .iter()
            .map(|c| col(*c).is_not_null())
            .reduce(|a, b| a.and(b))
            .unwrap_or(lit(true));
        let own = ratings
            .clone()
            .lazy()
            .filter(complete.clone())
            .with_column(lit("file").alias(crate::analysis::join::MATCHED_BY))
            .collect()?;
        let rest = ratings.clone().lazy().filter(complete.not()).collect()?;
        (Some(own), rest)
    } else {
        (None, ratings.clone())
    };
    let from_file = own.as_ref().map_or(0, DataFrame::height);
    // The rest go to the catalogue, keeping only the identity and rating columns.
    let keep: Vec<Expr> = [TRACK_ID, ARTIST, TRACK, RATING]
        .iter()
        .chain(has(RANK).then_some(&RANK))
        .map(|c| col(*c))
        .collect();
    let rest = rest.lazy().select(keep).collect()?;
    let joined = join_features(&rest, catalogue)?;
    let cov = joined.coverage;
    // The catalogue's duration under the name a ratings file with features uses.
    let matched = joined
        .df
        .lazy()
        .filter(col(crate::analysis::join::MATCHED_BY).is_not_null())
        .rename(
            [crate::analysis::join::TRACK_DURATION_MS],
            [tracks::DURATION_MS],
            true,
        )
        .collect()?;
    let df = match own {
        Some(own) if matched.height() == 0 => own,
        Some(own) => {
            let names: Vec<String> = own
                .get_column_names()
                .iter()
                .map(|s| s.to_string())
                .filter(|c| matched.get_column_names().iter().any(|m| m.as_str() == c))
                .collect();
            concat(
                [same_columns(own, &names), same_columns(matched, &names)],
                UnionArgs::default(),
            )?
            .collect()?
        }
        None => matched,
    };
    let mut unmatched = cov.top_unmatched;
    unmatched.rename("plays", "ratings".into())?;
    Ok(Rated {
        df,
        ratings: n,
        from_file,
        by_id: cov.plays_matched_by_id,
        by_name: cov.plays_matched_by_name,
        unmatched,
    })
}

/// The columns `names` of `df`, audio features as floats (catalogues type some as integers).
fn same_columns(df: DataFrame, names: &[String]) -> LazyFrame {
    let exprs: Vec<Expr> = names
        .iter()
        .map(|c| {
            if schema::AUDIO_FEATURES.contains(&c.as_str()) {
                col(c.as_str()).cast(DataType::Float64)
            } else {
                col(c.as_str())
            }
        })
        .collect();
    df.lazy().select(exprs)
}
