//! Regression metrics as scikit-learn names them — [`r2`] (`r2_score`, shared with
//! [`Regressor::score`]), [`mean_squared_error`], [`mean_absolute_error`] — the three of them for
//! one model on one set ([`regression_scores`]), cross-validated R² or negated MSE over repeated
//! shuffled k-fold ([`cross_val_score_regression`]), and the train/test table that shows an
//! overfitting gap ([`train_test_table`]).

use crate::error::{Error, Result};
use crate::evaluation::split::{Fold, repeated_kfold, take_rows};
use crate::models::api::check_rows;
use crate::models::{Fit, Regressor};
use ndarray::Array2;
use polars::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

pub use crate::models::api::r2;

/// Mean of (y − ŷ)², as scikit-learn's `mean_squared_error` (0 for empty input).
pub fn mean_squared_error(y_true: &[f64], y_pred: &[f64]) -> f64 {
    mean_of(y_true, y_pred, |d| d * d)
}

/// Mean of |y − ŷ|, as scikit-learn's `mean_absolute_error` (0 for empty input).
pub fn mean_absolute_error(y_true: &[f64], y_pred: &[f64]) -> f64 {
    mean_of(y_true, y_pred, f64::abs)
}

fn mean_of(y_true: &[f64], y_pred: &[f64], f: fn(f64) -> f64) -> f64 {
    if y_true.is_empty() {
        return 0.0;
    }
    let s: f64 = y_true.iter().zip(y_pred).map(|(y, p)| f(y - p)).sum();
    s / y_true.len() as f64
}

/// R², mean squared and mean absolute error of one model on one set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegressionScores {
    pub r2: f64,
    pub mse: f64,
    pub mae: f64,
    /// Rows scored.
    pub rows: usize,
}

/// The [`RegressionScores`] of `model` on rows `x` with true targets `y`.
///
/// # Errors
/// [`Error::Shape`] when `y` does not fit `x`; as the model's `predict`.
pub fn regression_scores(
    model: &dyn Regressor,
    x: &Array2<f64>,
    y: &[f64],
) -> Result<RegressionScores> {
    check_rows(x.nrows(), y.len())?;
    let pred = model.predict(x)?.to_vec();
    Ok(RegressionScores {
        r2: r2(y, &pred),
        mse: mean_squared_error(y, &pred),
        mae: mean_absolute_error(y, &pred),
        rows: y.len(),
    })
}

/// What [`cross_val_score_regression`] reports per fold (scikit-learn's `scoring=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegressionScoring {
    /// `'r2'`.
    #[default]
    R2,
    /// `'neg_mean_squared_error'`: −MSE, so that greater is better.
    NegMse,
}

impl RegressionScoring {
    /// The score of predictions `y_pred` of targets `y_true` (greater is better).
    pub fn score(self, y_true: &[f64], y_pred: &[f64]) -> f64 {
        match self {
            RegressionScoring::R2 => r2(y_true, y_pred),
            RegressionScoring::NegMse => -mean_squared_error(y_true, y_pred),
        }
    }
}

impl std::fmt::Display for RegressionScoring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RegressionScoring::R2 => "R²",
            RegressionScoring::NegMse => "−MSE",
        })
    }
}

/// The score of `params` on each of the `folds · repeats` folds of a seeded, shuffled repeated
/// k-fold of (`x`, `y`) (scikit-learn's `cross_val_score(cv=RepeatedKFold(...))`; the folds
/// are of the same kind, not the same rows).
///
/// # Errors
/// [`Error::Shape`] when `y` does not fit `x`; [`Error::Parameter`] for bad `folds` or
/// `repeats`; as the model's `fit` and `predict`.
pub fn cross_val_score_regression<P>(
    params: &P,
    x: &Array2<f64>,
    y: &[f64],
    folds: usize,
    repeats: usize,
    seed: u64,
    scoring: RegressionScoring,
) -> Result<Vec<f64>>
where
    P: Fit<f64>,
    P::Model: Regressor,
{
    check_rows(x.nrows(), y.len())?;
    let take = |idx: &[usize]| idx.iter().map(|&i| y[i]).collect::<Vec<f64>>();
    repeated_kfold(y.len(), folds, repeats, seed)?
        .iter()
        .map(|f| {
            let model = params.fit(&take_rows(x, &f.train), &take(&f.train))?;
            let yv = take(&f.test);
            let pred = model.predict(&take_rows(x, &f.test))?.to_vec();
            Ok(scoring.score(&yv, &pred))
        })
        .collect()
}

/// A model's scores on the rows it was fitted on and on held-out rows: the overfitting check of
/// write-up 001. Displays itself as the table of [`Self::table`] with both gaps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainTestScores {
    pub train: RegressionScores,
    pub test: RegressionScores,
}

impl TrainTestScores {
    /// Training R² minus held-out R², in percentage points (×100).
    pub fn r2_gap_points(&self) -> f64 {
        100.0 * (self.train.r2 - self.test.r2)
    }

    /// How much larger the held-out MSE is than the training MSE, in % of the held-out MSE.
    pub fn mse_gap_pct(&self) -> f64 {
        if self.test.mse == 0.0 {
            return 0.0;
        }
        100.0 * (self.test.mse - self.train.mse) / self.test.mse
    }

    /// Rows `train` and `test`, columns `set`, `r2`, `mse`, `mae`, `rows`.
    ///
    /// # Errors
    /// Only if polars cannot build the frame.
    pub fn table(&self) -> Result<DataFrame> {
        let s = [self.train, self.test];
        let col = |f: fn(&RegressionScores) -> f64| s.iter().map(f).collect::<Vec<f64>>();
        Ok(DataFrame::new(
            2,
            vec![
                Column::new("set".into(), ["train", "test"]),
                Column::new("r2".into(), col(|s| s.r2)),
                Column::new("mse".into(), col(|s| s.mse)),
                Column::new("mae".into(), col(|s| s.mae)),
                Column::new(
                    "rows".into(),
                    s.iter().map(|s| s.rows as u64).collect::<Vec<u64>>(),
                ),
            ],
        )?)
    }
}

impl std::fmt::Display for TrainTestScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "train R² {:.3}, test R² {:.3} (gap {:.1} points); train MSE {:.3}, test MSE {:.3} (test {:.1} % higher)",
            self.train.r2,
            self.test.r2,
            self.r2_gap_points(),
            self.train.mse,
            self.test.mse,
            self.mse_gap_pct()
        )
    }
}

impl crate::display::NotebookDisplay for TrainTestScores {
    fn evcxr_display(&self) {
        let text = self.to_string();
        match self.table() {
            Ok(t) => crate::display::emit(&[
                (
                    "text/html",
                    &format!(
                        "<p>{}</p>{}",
                        text.replace('&', "&amp;").replace('<', "&lt;"),
                        crate::display::to_html(&t, &Default::default())
                    ),
                ),
                ("text/plain", &format!("{text}\n{t}")),
            ]),
            Err(_) => crate::display::emit(&[("text/plain", &text)]),
        }
    }
}

/// The [`TrainTestScores`] of `model` fitted on (`x_train`, `y_train`), held out (`x_test`,
/// `y_test`).
///
/// # Errors
/// As [`regression_scores`] on either set.
pub fn train_test_scores(
    model: &dyn Regressor,
    x_train: &Array2<f64>,
    y_train: &[f64],
    x_test: &Array2<f64>,
    y_test: &[f64],
) -> Result<TrainTestScores> {
    Ok(TrainTestScores {
        train: regression_scores(model, x_train, y_train)?,
        test: regression_scores(model, x_test, y_test)?,
    })
}

/// [`TrainTestScores::table`] of [`train_test_scores`]: the overfitting gap as a table.
///
/// # Errors
/// As [`regression_scores`] on either set.
pub fn train_test_table(
    model: &dyn Regressor,
    x_train: &Array2<f64>,
    y_train: &[f64],
    x_test: &Array2<f64>,
    y_test: &[f64],
) -> Result<DataFrame> {
    train_test_scores(model, x_train, y_train, x_test, y_test)?.table()
}

/// Every fold's score of each named candidate (`repeats` × `folds`-fold, seeded, the same folds
/// for all): columns `candidate`, `fold` (0-based over all repeats), `score` — a long table to
/// draw with [`crate::plots::strip`].
///
/// # Errors
/// As [`cross_val_score_regression`].
pub fn cv_scores_table<P>(
    candidates: &[(String, P)],
    x: &Array2<f64>,
    y: &[f64],
    folds: usize,
    repeats: usize,
    seed: u64,
    scoring: RegressionScoring,
) -> Result<DataFrame>
where
    P: Fit<f64>,
    P::Model: Regressor,
{
    let (mut names, mut fold, mut scores) = (Vec::new(), Vec::new(), Vec::new());
    for (name, params) in candidates {
        let s = cross_val_score_regression(params, x, y, folds, repeats, seed, scoring)?;
        names.extend(std::iter::repeat_n(name.clone(), s.len()));
        fold.extend(0..s.len() as u32);
        scores.extend(s);
    }
    Ok(DataFrame::new(
        names.len(),
        vec![
            Column::new("candidate".into(), names),
            Column::new("fold".into(), fold),
            Column::new("score".into(), scores),
        ],
    )?)
}

/// A shuffled train/test split of rows and numeric targets (scikit-learn's `train_test_split`
/// without stratification).
#[derive(Debug, Clone)]
pub struct RegressionSplit {
    pub x_train: Array2<f64>,
    pub y_train: Vec<f64>,
    pub x_test: Array2<f64>,
    pub y_test: Vec<f64>,
    /// The row indices of each side, in drawn order.
    pub fold: Fold,
}

/// Splits (`x`, `y`) into `round(test_size · rows)` seeded random test rows (at least one) and
/// the rest for training.
///
/// # Errors
/// [`Error::Shape`] when `y` does not fit `x`; [`Error::Parameter`] unless 0 < `test_size` < 1
/// leaves a row on each side.
pub fn regression_split(
    x: &Array2<f64>,
    y: &[f64],
    test_size: f64,
    seed: u64,
) -> Result<RegressionSplit> {
    check_rows(x.nrows(), y.len())?;
    let n = y.len();
    let n_test = (test_size * n as f64).round().max(1.0) as usize;
    if !(test_size > 0.0 && test_size < 1.0) || n_test >= n {
        return Err(Error::parameter(
            "test_size",
            test_size,
            format!("in (0, 1), leaving rows on both sides of {n}"),
        ));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng);
    let fold = Fold {
        test: order[..n_test].to_vec(),
        train: order[n_test..].to_vec(),
    };
    let take = |idx: &[usize]| idx.iter().map(|&i| y[i]).collect::<Vec<f64>>();
    Ok(RegressionSplit {
        x_train: take_rows(x, &fold.train),
        y_train: take(&fold.train),
        x_test: take_rows(x, &fold.test),
        y_test: take(&fold.test),
        fold,
    })
}

/// How the train/test gap changes with the amount of data: for each size n of `sizes` and each
/// of `repeats` seeded shuffles of (`x`, `y`), the first n rows are split (`test_size`),
/// `params` is fitted on the training part, and both parts are scored; the scores are averaged
/// over the repeats (one split of a few hundred rows is noisy). Columns `rows`, `train_r2`,
/// `test_r2`, `r2_gap` (train − test), `train_mse`, `test_mse`, `mse_gap_pct` (how much larger
/// the test MSE is than the training MSE, in % of the test MSE, as write-up 001 quoted its
/// "difference between training and test").
///
/// # Errors
/// [`Error::Parameter`] for a size above the rows or too small to split, or `repeats` 0; as
/// [`regression_split`] and the model's `fit`.
pub fn learning_curve<P>(
    params: &P,
    x: &Array2<f64>,
    y: &[f64],
    sizes: &[usize],
    test_size: f64,
    repeats: usize,
    seed: u64,
) -> Result<DataFrame>
where
    P: Fit<f64>,
    P::Model: Regressor,
{
    check_rows(x.nrows(), y.len())?;
    if repeats == 0 {
        return Err(Error::parameter("repeats", 0, "at least 1"));
    }
    let orders: Vec<Vec<usize>> = (0..repeats as u64)
        .map(|r| {
            let mut rng = StdRng::seed_from_u64(seed.wrapping_add(r));
            let mut order: Vec<usize> = (0..y.len()).collect();
            order.shuffle(&mut rng);
            order
        })
        .collect();
    let mut rows = Vec::with_capacity(sizes.len());
    for &n in sizes {
        if n > y.len() {
            let expected = format!("at most the {} rows", y.len());
            return Err(Error::parameter("sizes", n, expected));
        }
        let mut sum = [0.0; 4];
        for (r, order) in orders.iter().enumerate() {
            let idx = &order[..n];
            let yn: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
            let split_seed = seed.wrapping_add(r as u64);
            let s = regression_split(&take_rows(x, idx), &yn, test_size, split_seed)?;
            let model = params.fit(&s.x_train, &s.y_train)?;
            let t = train_test_scores(&model, &s.x_train, &s.y_train, &s.x_test, &s.y_test)?;
            for (acc, v) in sum
                .iter_mut()
                .zip([t.train.r2, t.test.r2, t.train.mse, t.test.mse])
            {
                *acc += v / repeats as f64;
            }
        }
        rows.push((n, sum));
    }
    let col = |f: &dyn Fn(&[f64; 4]) -> f64| rows.iter().map(|(_, m)| f(m)).collect::<Vec<f64>>();
    Ok(DataFrame::new(
        rows.len(),
        vec![
            Column::new(
                "rows".into(),
                rows.iter().map(|r| r.0 as u64).collect::<Vec<_>>(),
            ),
            Column::new("train_r2".into(), col(&|m| m[0])),
            Column::new("test_r2".into(), col(&|m| m[1])),
            Column::new("r2_gap".into(), col(&|m| m[0] - m[1])),
            Column::new("train_mse".into(), col(&|m| m[2])),
            Column::new("test_mse".into(), col(&|m| m[3])),
            Column::new("mse_gap_pct".into(), col(&|m| 100.0 * (m[3] - m[2]) / m[3])),
        ],
    )?)
}
