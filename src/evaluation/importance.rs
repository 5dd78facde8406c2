//! Permutation importance for any classifier (scikit-learn's `permutation_importance` with the
//! accuracy scorer): the drop in accuracy when one feature column is shuffled, averaged over
//! seeded repeats.

use crate::error::{Error, Result};
use crate::models::Classifier;
use crate::models::api::check_len;
use ndarray::Array2;
use polars::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;

/// One row per feature — `feature`, `importance_mean`, `importance_std` (population, over
/// repeats) — sorted by mean importance, largest first. `names` names the columns of `x`.
///
/// # Errors
/// [`Error::Shape`] when `names` or `y` do not fit `x`; [`Error::Parameter`] for zero repeats;
/// as the model's `predict`.
pub fn permutation_importance(
    model: &dyn Classifier,
    x: &Array2<f64>,
    y: &[usize],
    names: &[&str],
    repeats: usize,
    seed: u64,
) -> Result<DataFrame> {
    check_len(x, y)?;
    if names.len() != x.ncols() {
        return Err(Error::Shape(format!(
            "{} feature names for {} columns",
            names.len(),
            x.ncols()
        )));
    }
    if repeats == 0 {
        return Err(Error::parameter("repeats", 0, "at least 1"));
    }
    let base = model.score(x, y)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut rows: Vec<(String, f64, f64)> = Vec::with_capacity(x.ncols());
    let mut shuffled = x.clone();
    for (j, name) in names.iter().enumerate() {
        let column: Vec<f64> = x.column(j).to_vec();
        let mut drops = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            let mut perm = column.clone();
            perm.shuffle(&mut rng);
            shuffled.column_mut(j).assign(&ndarray::Array1::from(perm));
            drops.push(base - model.score(&shuffled, y)?);
        }
        shuffled.column_mut(j).assign(&x.column(j));
        let m = drops.iter().sum::<f64>() / repeats as f64;
        let sd = (drops.iter().map(|d| (d - m).powi(2)).sum::<f64>() / repeats as f64).sqrt();
        rows.push((name.to_string(), m, sd));
    }
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    ranked(
        names,
        vec![
            ("importance_mean", rows.iter().map(|r| r.1).collect()),
            ("importance_std", rows.iter().map(|r| r.2).collect()),
        ],
    )
}

/// A `feature` column and `columns`, rows sorted by the first of `columns`, largest first.
fn ranked(names: Vec<String>, columns: Vec<(&str, Vec<f64>)>) -> Result<DataFrame> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    if let Some((_, key)) = columns.first() {
        order.sort_by(|&a, &b| key[b].total_cmp(&key[a]));
    }
    let mut cols = vec![Column::new(
        "feature".into(),
        order.iter().map(|&i| names[i].clone()).collect::<Vec<_>>(),
    )];
    for (name, values) in &columns {
        cols.push(Column::new(
            (*name).into(),
            order.iter().map(|&i| values[i]).collect::<Vec<_>>(),
        ));
    }
    Ok(DataFrame::new(order.len(), cols)?)
}

/// Named importances (a forest's impurity-based `feature_importances()`, or any per-feature
/// score) as a table — `feature`, `importance` — largest first.
///
/// # Errors
/// [`Error::Shape`] when the counts differ.
pub fn importance_table(names: &[&str], values: &ndarray::Array1<f64>) -> Result<DataFrame> {
    if names.len() != values.len() {
        return Err(Error::Shape(format!(
            "{} feature names for {} importances",
            names.len(),
            values.len()
        )));
    }
    ranked(
        names.iter().map(|n| n.to_string()).collect(),
        vec![("importance", values.to_vec())],
    )
}
