//! What a notebook's closing cells compute from its tables: the columns `describe` reports,
//! a column's mean or range, and one artist's, album's or track's figures beside a write-up's.

use crate::analysis::Summary;
use crate::analysis::listening::thousands;
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
    if write_up.len() != figures.len() {
        return Err(Error::Parameter {
            name: "write_up".into(),
            value: format!("{} values", write_up.len()),
            expected: format!("{} values: {}", figures.len(), figures.join(", ")),
        });
    }
    let mut ours = vec![
        name.to_string(),
        thousands(summary.plays),
        format!("{:.2}", summary.days_listening()),
        format!("{:.2}", summary.minutes_per_day()),
    ];
    ours.extend(means.iter().map(|m| format!("{:.3}", mean(plays, m))));
    Ok(DataFrame::new(
        figures.len(),
        vec![
            Column::new("figure".into(), figures),
            Column::new("write-up 000".into(), write_up),
            Column::new("this notebook".into(), ours),
        ],
    )?)
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
