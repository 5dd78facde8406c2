//! Tags onto catalogue tracks by normalised artist (and title where the source has one).

use super::{ARTIST, SOURCE, TAG, TITLE, WEIGHT};
use crate::analysis::join::{need, str_values};
use crate::analysis::normalise::{artist_key, title_key};
use crate::error::Result;
use crate::schema::tracks;
use polars::prelude::*;

/// Tags joined to tracks, and how many tracks each source tagged.
#[derive(Debug, Clone)]
pub struct TaggedTracks {
    /// One row per (track, tag, source): `track_id`, `artist`, `title` (the tag row's), `tag`,
    /// `weight`, `source`.
    pub df: DataFrame,
    /// Per source, then `all`: `source`, `items` (distinct artist + title in the tags), `items_matched`
    /// (those that found at least one track), `tracks_tagged` (distinct tracks given a tag),
    /// `join` (`artist + title` or `artist`).
    pub coverage: DataFrame,
}

impl std::fmt::Display for TaggedTracks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.coverage)
    }
}

/// The join keys of each distinct track of a tracks table: `track_id`, `__ak`, `__tk`.
fn track_keys(tracks_df: &DataFrame) -> Result<DataFrame> {
    for c in [tracks::TRACK_ID, tracks::NAME, tracks::ARTISTS] {
        need(tracks_df, "tracks", c)?;
    }
    let t = tracks_df
        .clone()
        .lazy()
        .select([
            col(tracks::TRACK_ID).cast(DataType::String),
            col(tracks::NAME).cast(DataType::String),
            col(tracks::ARTISTS).cast(DataType::String),
        ])
        .filter(col(tracks::TRACK_ID).is_not_null())
        .unique_stable_generic(Some(vec![col(tracks::TRACK_ID)]), UniqueKeepStrategy::First)
        .collect()?;
    let ids = str_values(&t, "tracks", tracks::TRACK_ID)?;
    let ak: Vec<Option<String>> = keys(&t, tracks::ARTISTS, artist_key)?;
    let tk: Vec<Option<String>> = keys(&t, tracks::NAME, title_key)?;
    Ok(DataFrame::new(
        t.height(),
        vec![
            Column::new(tracks::TRACK_ID.into(), ids),
            Column::new("__ak".into(), ak),
            Column::new("__tk".into(), tk),
        ],
    )?)
}

/// `key` of each value of `column` (null for a null value or an empty key).
fn keys(df: &DataFrame, column: &str, key: fn(&str) -> String) -> Result<Vec<Option<String>>> {
    Ok(str_values(df, "table", column)?
        .into_iter()
        .map(|v| v.map(|s| key(&s)).filter(|k| !k.is_empty()))
        .collect())
}

/// Joins a tidy tags table (see [`super`]) to a tracks table (`track_id`, `name`, `artists`):
/// rows with a title by (artist key, title key), artist-level rows by artist key alone (every
/// track of the artist gets them), with the normalisation of the plays↔catalogue join
/// ([`crate::analysis::normalise`]). A track filed several times keeps its first row.
///
/// # Errors
/// [`crate::Error::Column`] for a missing column; polars errors.
pub fn tag_tracks(tracks_df: &DataFrame, tags: &DataFrame) -> Result<TaggedTracks> {
    for c in [ARTIST, TITLE, TAG, WEIGHT, SOURCE] {
        need(tags, "tags", c)?;
    }
    let tk = track_keys(tracks_df)?;
    let mut keyed = tags.clone();
    keyed.with_column(Column::new("__ak".into(), keys(tags, ARTIST, artist_key)?))?;
    keyed.with_column(Column::new("__tk".into(), keys(tags, TITLE, title_key)?))?;
    let out = [
        col(tracks::TRACK_ID),
        col(ARTIST),
        col(TITLE),
        col(TAG),
        col(WEIGHT),
        col(SOURCE),
    ];
    let by_title = keyed
        .clone()
        .lazy()
        .filter(col("__tk").is_not_null().and(col("__ak").is_not_null()))
        .join(
            tk.clone().lazy(),
            [col("__ak"), col("__tk")],
            [col("__ak"), col("__tk")],
            JoinArgs::new(JoinType::Inner),
        )
        .select(out.clone());
    let by_artist = keyed
        .clone()
        .lazy()
        .filter(col("__tk").is_null().and(col("__ak").is_not_null()))
        .join(
            tk.lazy().select([col(tracks::TRACK_ID), col("__ak")]),
            [col("__ak")],
            [col("__ak")],
            JoinArgs::new(JoinType::Inner),
        )
        .select(out);
    let df = concat([by_title, by_artist], UnionArgs::default())?
        .unique_stable_generic(
            Some(vec![col(tracks::TRACK_ID), col(TAG), col(SOURCE)]),
            UniqueKeepStrategy::First,
        )
        .collect()?;
    let coverage = coverage(tags, &df)?;
    Ok(TaggedTracks { df, coverage })
}

/// Items and tracks per source, then a row `all`.
fn coverage(tags: &DataFrame, tagged: &DataFrame) -> Result<DataFrame> {
    let items = |df: &DataFrame, name: &str| -> Result<LazyFrame> {
        Ok(df
            .clone()
            .lazy()
            .select([col(SOURCE), col(ARTIST), col(TITLE)])
            .unique_stable_generic(None, UniqueKeepStrategy::First)
            .group_by_stable([col(SOURCE)])
            .agg([
                len().cast(DataType::UInt64).alias(name),
                col(TITLE).is_not_null().any(true).alias("__titled"),
            ]))
    };
    let tracks_per = tagged
        .clone()
        .lazy()
        .select([col(SOURCE), col(tracks::TRACK_ID)])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .group_by_stable([col(SOURCE)])
        .agg([len().cast(DataType::UInt64).alias("tracks_tagged")]);
    let all_tracks = tagged
        .clone()
        .lazy()
        .select([col(tracks::TRACK_ID)])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .collect()?
        .height() as u64;
    let per = items(tags, "items")?
        .join(
            items(tagged, "items_matched")?.select([col(SOURCE), col("items_matched")]),
            [col(SOURCE)],
            [col(SOURCE)],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            tracks_per,
            [col(SOURCE)],
            [col(SOURCE)],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col(SOURCE),
            col("items"),
            col("items_matched").fill_null(lit(0u64)),
            col("tracks_tagged").fill_null(lit(0u64)),
            when(col("__titled"))
                .then(lit("artist + title"))
                .otherwise(lit("artist"))
                .alias("join"),
        ])
        .sort([SOURCE], SortMultipleOptions::default())
        .collect()?;
    let total = |c: &str| -> Result<u64> { Ok(per.column(c)?.u64()?.iter().flatten().sum()) };
    let all = df!(
        SOURCE => ["all"],
        "items" => [total("items")?],
        "items_matched" => [total("items_matched")?],
        "tracks_tagged" => [all_tracks],
        "join" => ["(any)"],
    )?;
    Ok(per.vstack(&all)?)
}

/// The tag set of each item of a (track, tag) table: the distinct `id` values in sorted order,
/// and for each its tags, sorted and distinct. What [`crate::models::MultiLabelBinarizer`] takes.
///
/// # Errors
/// [`crate::Error::Column`] when `id` or `tag` is missing.
pub fn tag_sets(tagged: &DataFrame, id: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let sorted = tagged
        .clone()
        .lazy()
        .select([col(id).cast(DataType::String), col(TAG)])
        .filter(col(id).is_not_null().and(col(TAG).is_not_null()))
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .sort([id, TAG], SortMultipleOptions::default())
        .collect()?;
    let ids = str_values(&sorted, "tagged tracks", id)?;
    let tags = str_values(&sorted, "tagged tracks", TAG)?;
    let (mut out_ids, mut sets): (Vec<String>, Vec<Vec<String>>) = (Vec::new(), Vec::new());
    for (i, t) in ids.into_iter().zip(tags) {
        let (Some(i), Some(t)) = (i, t) else { continue };
        if out_ids.last() != Some(&i) {
            out_ids.push(i);
            sets.push(Vec::new());
        }
        if let Some(s) = sets.last_mut() {
            s.push(t);
        }
    }
    Ok((out_ids, sets))
}
