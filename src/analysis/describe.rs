//! `describe()`: count, mean, std, min, quartiles and max of numeric columns, as pandas computes
//! them (sample standard deviation, linearly interpolated quantiles, nulls and NaN skipped).

use super::columns::f64_values;
use crate::error::Result;
use polars::prelude::*;

/// The statistics of [`describe`], in row order.
pub const STATISTICS: [&str; 8] = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];

/// The `q`-quantile (0–1) of sorted values, linearly interpolated (numpy's default, pandas').
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

/// Statistics of one set of values: `[count, mean, std, min, 25%, 50%, 75%, max]`, null where
/// undefined (no values; std of one value).
pub fn describe_values(values: &[f64]) -> [Option<f64>; 8] {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let mean = (n > 0).then(|| v.iter().sum::<f64>() / n as f64);
    let std = match (n > 1, mean) {
        (true, Some(m)) => {
            Some((v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64).sqrt())
        }
        _ => None,
    };
    [
        Some(n as f64),
        mean,
        std,
        v.first().copied(),
        quantile_sorted(&v, 0.25),
        quantile_sorted(&v, 0.5),
        quantile_sorted(&v, 0.75),
        v.last().copied(),
    ]
}

/// pandas' `df[columns].describe()`: a `statistic` column (see [`STATISTICS`]) and one column per
/// entry of `columns`.
pub fn describe(df: &DataFrame, columns: &[&str]) -> Result<DataFrame> {
    let mut cols = vec![Column::new(
        "statistic".into(),
        STATISTICS.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    )];
    for name in columns {
        let v: Vec<f64> = f64_values(df, "frame", name)?
            .into_iter()
            .flatten()
            .collect();
        cols.push(Column::new((*name).into(), describe_values(&v).to_vec()));
    }
    Ok(DataFrame::new(STATISTICS.len(), cols)?)
}
