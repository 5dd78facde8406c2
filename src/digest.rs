//! What a notebook's closing cells compute from its tables: the columns `describe` reports,
//! a column's mean or range, and a notebook's figures beside its write-up's — one artist's,
//! album's or track's (02–04), a whole history's (01), a playlist's (05), the feature coverage
//! of several histories (06).

use crate::analysis::listening::thousands;
use crate::analysis::{HoursPerDay, Joined, PlaylistPlays, Summary};
use crate::error::{Error, Result};
use crate::schema;
use polars::prelude::*;

/// The columns the notebooks `describe`: the track duration, then every audio feature
/// ([`crate::schema::AUDIO_FEATURES`]).
pub const DESCRIBED: [&str; 13] = [
    crate::analysis::join::TRACK_DURATION_MS,
    schema::DANCEABILITY,
    schema::ENERGY,
    schema::KEY,
    schema::LOUDNESS,
    schema::MODE,
    schema::SPEECHINESS,
    schema::ACOUSTICNESS,
    schema::INSTRUMENTALNESS,
    schema::LIVENESS,
    schema::VALENCE,
    schema::TEMPO,
    schema::TIME_SIGNATURE,
];

/// Mean of the non-null values of `column` (NaN when the column is missing, not numeric or
/// has no values).
pub fn mean(df: &DataFrame, column: &str) -> f64 {
    df.column(column)
        .ok()
        .and_then(|c| c.as_materialized_series().mean())
        .unwrap_or(f64::NAN)
}

/// Smallest and largest non-null value of a numeric `column`.
///
/// # Errors
/// [`Error::Column`] when the column is missing, [`Error::Parameter`] when it holds no number.
pub fn min_max(df: &DataFrame, column: &str) -> Result<(f64, f64)> {
    let values = crate::analysis::columns::f64_values(df, "min_max", column)?;
    let (lo, hi) = values
        .iter()
        .flatten()
        .filter(|v| !v.is_nan())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return Err(Error::Parameter {
            name: "column".into(),
            value: column.into(),
            expected: "a column with at least one number".into(),
        });
    }
    Ok((lo, hi))
}

/// The figures of one artist, album or track (`kind`, named `name`) that notebooks 02–04 report
/// — its plays, days spent listening, minutes per day and mean danceability, energy,
/// speechiness and valence over its `plays` — in a column `this notebook`, beside the
/// write-up's values in the same order (`write-up 000`).
///
/// # Errors
/// [`Error::Parameter`] unless `write_up` has the 8 values of the `figure` column.
pub fn subject_beside(
    kind: &str,
    name: &str,
    summary: &Summary,
    plays: &DataFrame,
    write_up: &[&str],
) -> Result<DataFrame> {
    let means = ["danceability", "energy", "speechiness", "valence"];
    let mut figures = vec![
        kind.to_string(),
        "plays".into(),
        "days spent listening".into(),
        "minutes/day".into(),
    ];
    figures.extend(means.iter().map(|m| format!("mean {m}")));
    let mut ours = vec![
        name.to_string(),
        thousands(summary.plays),
        format!("{:.2}", summary.days_listening()),
        format!("{:.2}", summary.minutes_per_day()),
    ];
    ours.extend(means.iter().map(|m| format!("{:.3}", mean(plays, m))));
    beside(
        figures,
        ("write-up 000", write_up),
        vec![("this notebook", ours)],
    )
}

/// The figures of a whole listening history that notebook 01 reports — plays, span in days,
/// share of plays with audio features, mean energy, danceability, instrumentalness and valence,
/// the range of the weekly mean hours per day and each year's mean hours per day — in a column
/// `this notebook` beside the write-up's 9 values in the same order (`write-up 000`).
///
/// # Errors
/// [`Error::Parameter`] unless `write_up` has the 9 values of the `figure` column;
/// [`Error::Column`] when `hours` lacks its `hours`, `year` or `mean_hours` columns.
pub fn history_beside(
    summary: &Summary,
    joined: &Joined,
    hours: &HoursPerDay,
    write_up: &[&str],
) -> Result<DataFrame> {
    let means = ["energy", "danceability", "instrumentalness", "valence"];
    let mut figures: Vec<String> = ["plays", "span (days)", "plays with audio features"]
        .map(String::from)
        .to_vec();
    figures.extend(means.iter().map(|m| format!("mean {m}")));
    figures.push("weekly mean hours/day, range".to_string());
    figures.push("per-year mean hours/day".to_string());
    let mut ours = vec![
        thousands(summary.plays),
        thousands(summary.span_days.max(0) as usize),
        format!("{:.1} %", 100.0 * joined.coverage.play_share()),
    ];
    ours.extend(means.iter().map(|m| format!("{:.3}", mean(&joined.df, m))));
    let (lo, hi) = min_max(&hours.weekly, "hours")?;
    ours.push(format!("{lo:.1} – {hi:.1}"));
    ours.push(pairs(&hours.fits, "year", "mean_hours", ": ", 2)?);
    beside(
        figures,
        ("write-up 000", write_up),
        vec![("this notebook", ours)],
    )
}

/// The playlist figures notebook 05 reports — one playlist `name` (its `summary`: plays, days
/// spent listening, minutes per day), the days and plays per track of every playlist in `stats`
/// (from [`crate::analysis::playlist_stats`]) and how the plays were tied to the playlists — in a
/// column `this notebook` beside the write-up's 7 values in the same order (`write-up 000`).
///
/// # Errors
/// [`Error::Parameter`] unless `write_up` has 7 values; [`Error::Column`] when `stats` lacks
/// its `playlist`, `days` or `plays_per_track` columns.
pub fn playlist_beside(
    name: &str,
    summary: &Summary,
    stats: &DataFrame,
    tied: &PlaylistPlays,
    write_up: &[&str],
) -> Result<DataFrame> {
    let figures = [
        "one playlist",
        "its plays",
        "its days spent listening",
        "its minutes/day",
        "days per playlist",
        "plays per track per playlist",
        "plays tied by track id / by name",
    ]
    .map(String::from)
    .to_vec();
    let ours = vec![
        name.to_string(),
        thousands(summary.plays),
        format!("{:.2}", summary.days_listening()),
        format!("{:.2}", summary.minutes_per_day()),
        pairs(stats, "playlist", "days", " ", 1)?,
        pairs(stats, "playlist", "plays_per_track", " ", 2)?,
        format!("{} / {}", tied.plays_by_id, tied.plays_by_name),
    ];
    beside(
        figures,
        ("write-up 000", write_up),
        vec![("this notebook", ours)],
    )
}

/// The feature coverage of several histories, as notebook 06 reports it: for each
/// `(column name, joined plays, unmatched tracks)` of `histories` (the unmatched tracks from
/// [`crate::analysis::unmatched_tracks`]), its plays, the share of plays that came with a
/// Spotify id (`0 % (the export has none)` when none did), the share with audio features, the
/// distinct tracks without features and the most played of them — beside the write-up's 5
/// values, in a column named `write_up.0`.
///
/// # Errors
/// [`Error::Parameter`] unless `write_up.1` has 5 values; [`Error::Column`] when an unmatched
/// table lacks its `artist`, `track` or `plays` columns.
pub fn coverage_beside(
    write_up: (&str, &[&str]),
    histories: &[(&str, &Joined, &DataFrame)],
) -> Result<DataFrame> {
    let figures = [
        "plays",
        "plays with a Spotify id",
        "plays with audio features",
        "distinct tracks without features",
        "most-played track without features",
    ]
    .map(String::from)
    .to_vec();
    let mut columns = Vec::with_capacity(histories.len());
    for (column, joined, missing) in histories {
        let rows = joined.df.height();
        let with_id = joined
            .df
            .column(crate::schema::plays::TRACK_ID)
            .map_or(0, |c| rows - c.null_count());
        let ids = if with_id == 0 {
            "0 % (the export has none)".to_string()
        } else {
            format!("{:.2} %", 100.0 * with_id as f64 / rows as f64)
        };
        let artist = crate::analysis::join::str_values(missing, "unmatched tracks", "artist")?;
        let track = crate::analysis::join::str_values(missing, "unmatched tracks", "track")?;
        let plays = crate::analysis::columns::f64_values(missing, "unmatched tracks", "plays")?;
        let top = match (artist.first(), track.first(), plays.first()) {
            (Some(a), Some(t), Some(p)) => format!(
                "{} – {} ({})",
                a.as_deref().unwrap_or(""),
                t.as_deref().unwrap_or(""),
                p.unwrap_or(0.0)
            ),
            _ => "none".to_string(),
        };
        let ours = vec![
            thousands(joined.coverage.plays),
            ids,
            format!("{:.2} %", 100.0 * joined.coverage.play_share()),
            thousands(missing.height()),
            top,
        ];
        columns.push((*column, ours));
    }
    beside(figures, write_up, columns)
}

/// A `figure` column, the write-up's values beside it and the notebook's columns, each as long
/// as `figures`.
fn beside(
    figures: Vec<String>,
    write_up: (&str, &[&str]),
    ours: Vec<(&str, Vec<String>)>,
) -> Result<DataFrame> {
    if write_up.1.len() != figures.len() {
        return Err(Error::Parameter {
            name: "write_up".into(),
            value: format!("{} values", write_up.1.len()),
            expected: format!("{} values: {}", figures.len(), figures.join(", ")),
        });
    }
    let n = figures.len();
    let mut columns = vec![
        Column::new("figure".into(), figures),
        Column::new(write_up.0.into(), write_up.1),
    ];
    columns.extend(
        ours.into_iter()
            .map(|(name, v)| Column::new(name.into(), v)),
    );
    Ok(DataFrame::new(n, columns)?)
}

/// `label`–`value` pairs of a table's rows in one line, for a closing comparison: each row's
/// `label` column as text, `separator`, its `value` column to `decimals` places ("no data" where
/// null), rows joined by ", " — `EDM 61.5, ALL RAP 34.5` or `2022: 3.21, 2023: 4.02`.
///
/// # Errors
/// [`Error::Column`] when either column is missing, or `value` is not numeric.
pub fn pairs(
    df: &DataFrame,
    label: &str,
    value: &str,
    separator: &str,
    decimals: usize,
) -> Result<String> {
    let labels = crate::analysis::join::need(df, "pairs", label)?.cast(&DataType::String)?;
    let values = crate::analysis::columns::f64_values(df, "pairs", value)?;
    Ok(labels
        .str()?
        .iter()
        .zip(values)
        .map(|(l, v)| {
            let v = v.map_or_else(|| "no data".to_string(), |v| format!("{v:.decimals$}"));
            format!("{}{separator}{v}", l.unwrap_or(""))
        })
        .collect::<Vec<_>>()
        .join(", "))
}
