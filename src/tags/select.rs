//! Per-tag counts, the top N tags with exclusions, and the `misc` bucket for the rest.

use super::clean::normalise_tag;
use super::{ARTIST, SOURCE, TAG, TITLE, WEIGHT};
use crate::analysis::join::{need, str_values};
use crate::error::{Error, Result};
use polars::prelude::*;

/// Per tag: `tag`, `items` (distinct artist + title carrying it; an artist-level row is one item)
/// and `share` of all items, most frequent first (ties by tag).
///
/// # Errors
/// [`Error::Column`] when `artist`, `title` or `tag` is missing; polars errors.
pub fn tag_counts(tags: &DataFrame) -> Result<DataFrame> {
    for c in [ARTIST, TITLE, TAG] {
        need(tags, "tags", c)?;
    }
    let items = tags
        .clone()
        .lazy()
        .select([col(ARTIST), col(TITLE)])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .collect()?
        .height()
        .max(1);
    Ok(tags
        .clone()
        .lazy()
        .select([col(ARTIST), col(TITLE), col(TAG)])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .group_by([col(TAG)])
        .agg([len().cast(DataType::UInt64).alias("items")])
        .with_column((col("items").cast(DataType::Float64) / lit(items as f64)).alias("share"))
        .sort_by_exprs(
            [col("items"), col(TAG)],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?)
}

/// The `n` most frequent tags of a [`tag_counts`] table, leaving out `exclude` (normalised as
/// [`normalise_tag`], so `"Rock"` excludes `rock`), in order of frequency.
///
/// # Errors
/// [`Error::Parameter`] for `n` = 0; [`Error::Column`] when `tag` is missing.
pub fn top_tags(counts: &DataFrame, n: usize, exclude: &[&str]) -> Result<Vec<String>> {
    if n == 0 {
        return Err(Error::parameter("n", 0, "at least 1 tag"));
    }
    let exclude: Vec<String> = exclude.iter().map(|e| normalise_tag(e)).collect();
    Ok(str_values(counts, "tag counts", TAG)?
        .into_iter()
        .flatten()
        .filter(|t| !exclude.contains(t))
        .take(n)
        .collect())
}

/// The tidy tags table with every tag not in `keep` renamed `misc`, then one row per (artist,
/// title, source, tag) (largest weight): the write-up's cut to its top tags plus a bucket.
///
/// # Errors
/// [`Error::Parameter`] for an empty `misc` name or a `keep` that holds it; [`Error::Column`]
/// for a missing column.
pub fn bucket_tags(tags: &DataFrame, keep: &[String], misc: &str) -> Result<DataFrame> {
    if misc.trim().is_empty() || keep.iter().any(|k| k == misc) {
        return Err(Error::parameter(
            "misc",
            format!("{misc:?}"),
            "a non-empty name that is not one of the kept tags",
        ));
    }
    for c in [ARTIST, TITLE, TAG, WEIGHT, SOURCE] {
        need(tags, "tags", c)?;
    }
    let keep_df = DataFrame::new(
        keep.len(),
        vec![
            Column::new("__keep".into(), keep.to_vec()),
            Column::new("__kept".into(), vec![true; keep.len()]),
        ],
    )?;
    Ok(tags
        .clone()
        .lazy()
        .join(
            keep_df.lazy(),
            [col(TAG)],
            [col("__keep")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("__kept").is_null())
                .then(lit(misc.to_string()))
                .otherwise(col(TAG))
                .alias(TAG),
        )
        .group_by_stable([col(ARTIST), col(TITLE), col(SOURCE), col(TAG)])
        .agg([col(WEIGHT).max()])
        .select([col(ARTIST), col(TITLE), col(TAG), col(WEIGHT), col(SOURCE)])
        .collect()?)
}

/// Per tag of a (track, tag) table such as [`super::TaggedTracks::df`]: `tag`, `tracks`
/// (distinct `track_id`s carrying it) and `share` of all its tracks, most frequent first (ties
/// by tag) — the tag distribution a model of tracks sees, for [`top_tags`].
///
/// # Errors
/// [`Error::Column`] when `track_id` or `tag` is missing; polars errors.
pub fn track_tag_counts(tagged: &DataFrame) -> Result<DataFrame> {
    let id = crate::schema::tracks::TRACK_ID;
    need(tagged, "tagged tracks", id)?;
    need(tagged, "tagged tracks", TAG)?;
    let pairs = tagged
        .clone()
        .lazy()
        .select([col(id), col(TAG)])
        .unique_stable_generic(None, UniqueKeepStrategy::First);
    let tracks = pairs
        .clone()
        .select([col(id)])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .collect()?
        .height()
        .max(1);
    Ok(pairs
        .group_by([col(TAG)])
        .agg([len().cast(DataType::UInt64).alias("tracks")])
        .with_column((col("tracks").cast(DataType::Float64) / lit(tracks as f64)).alias("share"))
        .sort_by_exprs(
            [col("tracks"), col(TAG)],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?)
}
