//! Standard scaling and a dimensionality reduction before a regressor, fitted together
//! (scikit-learn's `make_pipeline(StandardScaler(), PCA(k) | LinearDiscriminantAnalysis(k),
//! MLPRegressor(...))`), so that cross-validation and grid search fit the scaler and the
//! reduction on each training fold only and never see the held-out rows.
//!
//! [`Reduction::Lda`] is a classifier's projection: it needs classes, so the targets are
//! **rounded to whole numbers and each distinct value taken as a class** (ratings 1–10 become up
//! to ten classes). That is write-up 001's caveat made explicit: LDA finds the axes that best
//! separate the rating *classes*, ignoring that 9 is closer to 10 than to 1.
//!
//! ```no_run
//! use listening::models::{MlpRegressor, Reduced, Reduction, Regressor};
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((40, 5)), vec![1.0; 40]);
//! let params = Reduced::params(MlpRegressor::params().hidden(&[2, 2])).reduction(Reduction::Lda(3));
//! let model = listening::models::Fit::fit(&params, &x, &y)?;
//! let r2 = model.score(&x, &y)?;
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::{Fit, Regressor, check_fit, check_predict};
use super::{Lda, Pca, StandardScaler};
use crate::error::{Error, Result};
use ndarray::{Array1, Array2};

/// The reduction between the scaler and the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reduction {
    /// The (scaled) features as they are.
    #[default]
    None,
    /// The first n principal components.
    Pca(usize),
    /// The first n discriminant axes of the rounded targets taken as classes (at most
    /// classes − 1).
    Lda(usize),
}

impl std::fmt::Display for Reduction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reduction::None => write!(f, "no reduction"),
            Reduction::Pca(n) => write!(f, "PCA({n})"),
            Reduction::Lda(n) => write!(f, "LDA({n})"),
        }
    }
}

/// Hyperparameters of [`Reduced`]: scaling (on by default), a [`Reduction`] (none by
/// default), and the regressor's own parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ReducedParams<P> {
    scale: bool,
    reduction: Reduction,
    model: P,
}

impl<P> ReducedParams<P> {
    /// Standardise the features first (default `true`).
    pub fn scale(mut self, scale: bool) -> Self {
        self.scale = scale;
        self
    }

    pub fn reduction(mut self, reduction: Reduction) -> Self {
        self.reduction = reduction;
        self
    }

    /// The regressor's parameters.
    pub fn model(&self) -> &P {
        &self.model
    }
}

/// A fitted scaler, reduction and regressor.
#[derive(Debug, Clone)]
pub struct Reduced<M> {
    scaler: Option<StandardScaler>,
    reducer: Reducer,
    model: M,
    n_features: usize,
}

#[derive(Debug, Clone)]
enum Reducer {
    None,
    Pca(Pca),
    Lda(Lda),
}

impl Reduced<()> {
    /// Scaling, no reduction, then the model of `params`.
    pub fn params<P>(params: P) -> ReducedParams<P> {
        ReducedParams {
            scale: true,
            reduction: Reduction::None,
            model: params,
        }
    }
}

impl<M> Reduced<M> {
    /// The fitted regressor (on the reduced features).
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The features the regressor sees: `x` scaled and reduced.
    ///
    /// # Errors
    /// [`Error::Shape`] or [`Error::NonFinite`] for rows that do not fit.
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(x, self.n_features)?;
        let x = match &self.scaler {
            Some(s) => s.transform(x)?,
            None => x.clone(),
        };
        match &self.reducer {
            Reducer::None => Ok(x),
            Reducer::Pca(p) => p.transform(&x),
            Reducer::Lda(l) => l.transform(&x),
        }
    }
}

/// Targets rounded to whole numbers, each distinct value a class (0.. in increasing order).
pub fn rounded_classes(y: &[f64]) -> Vec<usize> {
    let mut values: Vec<i64> = y.iter().map(|v| v.round() as i64).collect();
    values.sort_unstable();
    values.dedup();
    y.iter()
        .map(|v| values.partition_point(|&c| c < v.round() as i64))
        .collect()
}

impl<P> Fit<f64> for ReducedParams<P>
where
    P: Fit<f64>,
    P::Model: Regressor,
{
    type Model = Reduced<P::Model>;

    fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<Self::Model> {
        check_fit(x, y)?;
        if let Some(v) = y.iter().find(|v| !v.is_finite()) {
            return Err(Error::Labels(format!(
                "a target is {v}: targets must be finite"
            )));
        }
        let scaler = if self.scale {
            Some(StandardScaler::fit(x)?)
        } else {
            None
        };
        let xs = match &scaler {
            Some(s) => s.transform(x)?,
            None => x.clone(),
        };
        let (reducer, z) = match self.reduction {
            Reduction::None => (Reducer::None, xs),
            Reduction::Pca(n) => {
                let p = Pca::params(n).fit(&xs)?;
                let z = p.transform(&xs)?;
                (Reducer::Pca(p), z)
            }
            Reduction::Lda(n) => {
                let l = Lda::params()
                    .n_components(n)
                    .fit(&xs, &rounded_classes(y))?;
                let z = l.transform(&xs)?;
                (Reducer::Lda(l), z)
            }
        };
        Ok(Reduced {
            scaler,
            reducer,
            model: self.model.fit(&z, y)?,
            n_features: x.ncols(),
        })
    }

    fn describe(&self) -> String {
        let scale = if self.scale { "scaled, " } else { "" };
        format!("{scale}{}, {}", self.reduction, self.model.describe())
    }
}

impl<M: Regressor> Regressor for Reduced<M> {
    fn n_features(&self) -> usize {
        self.n_features
    }

    fn predict(&self, x: &Array2<f64>) -> Result<Array1<f64>> {
        self.model.predict(&self.transform(x)?)
    }
}
