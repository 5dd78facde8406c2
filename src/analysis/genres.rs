//! Genre groupings the project keeps as data: write-up 004's eight super-genres over the 114
//! genres of the Spotify Tracks Dataset (`data/super_genres.csv`, every genre assigned, with the
//! reasoning for the unclear ones), and the class-level summaries its notebook draws.

use crate::error::{Error, Result};
use polars::prelude::*;

/// The eight super-genres, in the order write-up 004 lists them (its confusion matrices use it).
pub const SUPER_GENRES: [&str; 8] = [
    "entertainment",
    "electronic",
    "rock",
    "pop",
    "folk",
    "latin",
    "foreign",
    "easy_listening",
];

const SUPER_GENRES_CSV: &str = include_str!("../../data/super_genres.csv");

/// The genre → super-genre map: columns `genre`, `super_genre`, `reasoning` (empty where the
/// assignment is plain), one row per genre of the 114-genre dataset.
pub fn super_genres() -> Result<DataFrame> {
    let mut reader = csv::Reader::from_reader(SUPER_GENRES_CSV.as_bytes());
    let (mut g, mut s, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for rec in reader.records() {
        let rec = rec.map_err(|e| Error::Dataset {
            name: "super_genres".into(),
            message: format!("data/super_genres.csv: {e}"),
        })?;
        g.push(rec[0].to_string());
        s.push(rec[1].to_string());
        r.push(rec[2].to_string());
    }
    Ok(DataFrame::new(
        g.len(),
        vec![
            Column::new("genre".into(), g),
            Column::new("super_genre".into(), s),
            Column::new("reasoning".into(), r),
        ],
    )?)
}

/// `df` with a `super_genre` column beside its `genre_column`, by the map of [`super_genres`].
///
/// # Errors
/// [`Error::Labels`] naming the genres the map does not know; a missing column.
pub fn with_super_genre(df: &DataFrame, genre_column: &str) -> Result<DataFrame> {
    let map = super_genres()?.select(["genre", "super_genre"])?;
    let out = df.clone().lazy().join(
        map.lazy(),
        [col(genre_column)],
        [col("genre")],
        JoinArgs::new(JoinType::Left),
    );
    let out = out.collect()?;
    let missing = out
        .clone()
        .lazy()
        .filter(
            col("super_genre")
                .is_null()
                .and(col(genre_column).is_not_null()),
        )
        .select([col(genre_column).unique_stable()])
        .collect()?;
    if missing.height() > 0 {
        let names: Vec<String> = missing
            .column(genre_column)?
            .cast(&DataType::String)?
            .str()?
            .iter()
            .flatten()
            .take(10)
            .map(str::to_string)
            .collect();
        return Err(Error::Labels(format!(
            "{} genre(s) not in data/super_genres.csv: {}",
            missing.height(),
            names.join(", ")
        )));
    }
    Ok(out)
}

/// A seeded random sample of `n` rows of `df` without replacement, in the frame's order (all rows
/// when it has at most `n`): write-up 001's 100 rated tracks, drawn from a larger table.
pub fn sample(df: &DataFrame, n: usize, seed: u64) -> Result<DataFrame> {
    use rand::SeedableRng;
    if n >= df.height() {
        return Ok(df.clone());
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut idx = rand::seq::index::sample(&mut rng, df.height(), n).into_vec();
    idx.sort_unstable();
    let idx = IdxCa::from_vec(
        "idx".into(),
        idx.into_iter().map(|i| i as IdxSize).collect(),
    );
    Ok(df.take(&idx)?)
}

/// Keeps the first row of each value of `key` (write-up 004: "only the first genre/recording of
/// each song was kept"), in the frame's order.
pub fn first_per(df: &DataFrame, key: &str) -> Result<DataFrame> {
    Ok(df.unique_stable(Some(&[key.to_string()]), UniqueKeepStrategy::First, None)?)
}

/// Mean of each of `features` per value of `group` (a centroid profile), groups sorted by name,
/// plus a `rows` count: what the parallel-coordinates plot
/// ([`crate::plots::profile`]) draws one line per row of.
pub fn group_means(df: &DataFrame, group: &str, features: &[&str]) -> Result<DataFrame> {
    let mut aggs: Vec<Expr> = features
        .iter()
        .map(|f| col(*f).cast(DataType::Float64).mean())
        .collect();
    aggs.push(len().alias("rows"));
    Ok(df
        .clone()
        .lazy()
        .group_by_stable([col(group).cast(DataType::String)])
        .agg(aggs)
        .sort([group], SortMultipleOptions::default())
        .collect()?)
}

/// The `n` most popular tracks of a catalogue whose `label` column (e.g. `label`, the playlist
/// genre) is `value`: columns `track_id`, `name`, `artists`, `popularity`, most popular first,
/// ties by track id — tracks to start a recommendation from.
///
/// # Errors
/// [`Error::Column`] when `label` or one of those columns is missing.
pub fn most_popular(tracks: &DataFrame, label: &str, value: &str, n: usize) -> Result<DataFrame> {
    use crate::schema::tracks::{ARTISTS, NAME, POPULARITY, TRACK_ID};
    for c in [label, TRACK_ID, NAME, ARTISTS, POPULARITY] {
        crate::analysis::join::need(tracks, "tracks", c)?;
    }
    Ok(tracks
        .clone()
        .lazy()
        .filter(col(label).cast(DataType::String).eq(lit(value)))
        .sort(
            [POPULARITY, TRACK_ID],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .limit(n as IdxSize)
        .select([col(TRACK_ID), col(NAME), col(ARTISTS), col(POPULARITY)])
        .collect()?)
}

/// Rows per value of `column` — `column`, `rows`, `share` (of all rows, nulls counted as
/// `null`) — most frequent first, ties in order of first appearance: a distribution to draw
/// with [`crate::plots::barh`].
pub fn counts(df: &DataFrame, column: &str) -> Result<DataFrame> {
    let n = df.height().max(1) as f64;
    Ok(df
        .clone()
        .lazy()
        .group_by_stable([col(column).cast(DataType::String).fill_null(lit("null"))])
        .agg([len().alias("rows")])
        .with_column((col("rows").cast(DataType::Float64) / lit(n)).alias("share"))
        .sort(
            ["rows"],
            SortMultipleOptions::default()
                .with_order_descending(true)
                .with_maintain_order(true),
        )
        .collect()?)
}
