//! The one model interface: checked hyperparameters fit ([`Fit`]) into owned, fitted models that
//! predict ([`Classifier`] for labels 0..k, [`Regressor`] for numbers). Cross-validation, grid
//! search, permutation importance, confusion matrices and score tables
//! ([`crate::evaluation`]) take any of them.
//!
//! This is linfa's `Fit` / `Predict` pair on plain ndarray rows (`&Array2<f64>`) and label slices
//! rather than linfa's `DatasetBase`, so that notebook cells can name every type. Hyperparameter
//! structs follow linfa's `params()` → setters → `check()` pattern: `fit` checks them first and
//! returns [`Error::Parameter`] naming the one out of range.
//!
//! The data checks every model runs ([`check_fit`], [`check_predict`]) give typed errors naming
//! what is wrong: mismatched row counts ([`Error::Shape`]), a NaN or infinite feature by row and
//! column ([`Error::NonFinite`]), empty data or a class without rows where one is needed
//! ([`Error::Labels`]).

use crate::error::{Error, Result};
use ndarray::{Array1, Array2};

/// A fitted classifier of labels `0..n_classes()`.
pub trait Classifier: Send + Sync {
    /// Number of classes the model knows (labels 0..n).
    fn n_classes(&self) -> usize;

    /// Number of feature columns the model was fitted on.
    fn n_features(&self) -> usize;

    /// The most probable class of each row.
    fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>>;

    /// Class probabilities (rows × classes, each row summing to 1). Models without
    /// probabilities return the one-hot rows of [`Self::predict`].
    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        let pred = self.predict(x)?;
        let mut p = Array2::zeros((pred.len(), self.n_classes()));
        for (i, &c) in pred.iter().enumerate() {
            if c < self.n_classes() {
                p[[i, c]] = 1.0;
            }
        }
        Ok(p)
    }

    /// Accuracy on rows `x` with true labels `y`.
    fn score(&self, x: &Array2<f64>, y: &[usize]) -> Result<f64> {
        check_rows(x.nrows(), y.len())?;
        Ok(accuracy(y, &self.predict(x)?))
    }
}

/// A fitted regressor of one number per row.
pub trait Regressor: Send + Sync {
    /// Number of feature columns the model was fitted on.
    fn n_features(&self) -> usize;

    /// The prediction for each row.
    fn predict(&self, x: &Array2<f64>) -> Result<Array1<f64>>;

    /// R² on rows `x` with true targets `y` (scikit-learn's `score`).
    fn score(&self, x: &Array2<f64>, y: &[f64]) -> Result<f64> {
        check_rows(x.nrows(), y.len())?;
        Ok(r2(y, self.predict(x)?.as_slice().unwrap_or(&[])))
    }
}

/// Checked hyperparameters that fit a model on rows `x` and targets `y` (`usize` labels for
/// classifiers, `f64` for regressors).
pub trait Fit<T>: Clone + Send + Sync {
    /// The fitted model.
    type Model;

    /// Checks the parameters and the data, then fits.
    fn fit(&self, x: &Array2<f64>, y: &[T]) -> Result<Self::Model>;

    /// The settings in a few words, for tables: `rbf, C=10, γ=0.5`.
    fn describe(&self) -> String;
}

/// Share of `y_pred` equal to `y_true` (0 for empty input).
pub fn accuracy(y_true: &[usize], y_pred: &[usize]) -> f64 {
    if y_true.is_empty() {
        return 0.0;
    }
    let hits = y_true.iter().zip(y_pred).filter(|(a, b)| a == b).count();
    hits as f64 / y_true.len() as f64
}

/// Coefficient of determination, as scikit-learn's `r2_score` (1 − SS_res / SS_tot; a constant
/// `y_true` gives 1 for a perfect fit, else 0).
pub fn r2(y_true: &[f64], y_pred: &[f64]) -> f64 {
    let n = y_true.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let mean = y_true.iter().sum::<f64>() / n;
    let ss_tot: f64 = y_true.iter().map(|y| (y - mean).powi(2)).sum();
    let ss_res: f64 = y_true
        .iter()
        .zip(y_pred)
        .map(|(y, p)| (y - p).powi(2))
        .sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}

pub(crate) fn check_rows(rows: usize, targets: usize) -> Result<()> {
    if rows != targets {
        return Err(Error::Shape(format!(
            "{rows} feature rows but {targets} labels or targets"
        )));
    }
    Ok(())
}

/// Rows and targets agree and there is at least one row.
pub(crate) fn check_len<T>(x: &Array2<f64>, y: &[T]) -> Result<()> {
    check_rows(x.nrows(), y.len())?;
    if y.is_empty() {
        return Err(Error::Labels("no rows to fit on".into()));
    }
    Ok(())
}

/// The first NaN or infinite value of `x`, as an error naming its row and column.
pub(crate) fn check_finite(x: &Array2<f64>) -> Result<()> {
    for ((row, col), &v) in x.indexed_iter() {
        if !v.is_finite() {
            return Err(Error::NonFinite {
                row,
                column: format!("{col}"),
                value: v,
            });
        }
    }
    Ok(())
}

/// What every `fit` checks: rows and targets agree, at least one row, every feature finite.
pub fn check_fit<T>(x: &Array2<f64>, y: &[T]) -> Result<()> {
    check_rows(x.nrows(), y.len())?;
    if y.is_empty() {
        return Err(Error::Labels("no rows to fit on".into()));
    }
    if x.ncols() == 0 {
        return Err(Error::Shape("no feature columns to fit on".into()));
    }
    check_finite(x)
}

/// What every `predict` checks: the number of feature columns, every feature finite.
pub fn check_predict(x: &Array2<f64>, n_features: usize) -> Result<()> {
    if x.ncols() != n_features {
        return Err(Error::Shape(format!(
            "the model was fitted on {n_features} feature columns, given {}",
            x.ncols()
        )));
    }
    check_finite(x)
}

/// Labels `y` as classes 0..k: k, checked to leave no class of 0..k without rows when
/// `all_present` (a class with no rows cannot be learned).
pub fn n_classes(y: &[usize], all_present: bool) -> Result<usize> {
    let k = y
        .iter()
        .max()
        .map(|m| m + 1)
        .ok_or_else(|| Error::Labels("no labels: the dataset is empty".into()))?;
    if all_present {
        let counts = class_counts(y, k);
        if let Some(c) = counts.iter().position(|&n| n == 0) {
            return Err(Error::Labels(format!(
                "class {c} of 0..{k} has no rows (labels must be 0..k with every class present)"
            )));
        }
    }
    Ok(k)
}

/// Per-class counts of labels 0..k.
pub(crate) fn class_counts(y: &[usize], k: usize) -> Vec<usize> {
    let mut c = vec![0; k];
    for &l in y {
        if l < k {
            c[l] += 1;
        }
    }
    c
}
