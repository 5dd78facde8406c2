//! Linear discriminant analysis as a supervised projection, with scikit-learn's
//! `LinearDiscriminantAnalysis(solver='svd')` semantics, on ndarray alone (no LAPACK).
//!
//! As scikit-learn's `_solve_svd`: the rows are centred on their class means and scaled by the
//! within-class standard deviation of each feature (a zero deviation counts as 1) and by
//! √(1 / n) (scikit-learn 1.9.1; older releases used √(1 / (n − k)), which scales every
//! projection by √((n − k) / n)); the directions of that within-class scatter with singular value above `tol`
//! whiten it; the class means, centred on the prior-weighted overall mean and weighted by
//! √(n · prior / (k − 1)), are projected on them and decomposed again; the between-class
//! directions with singular value above `tol` times the largest are the discriminant axes.
//! [`Lda::transform`] centres on the overall mean and projects on the first min(k − 1, features)
//! axes; [`Lda::explained_variance_ratio`] is each axis' share of the between-class variance.
//!
//! Both singular value decompositions are taken as the eigen-decomposition (cyclic Jacobi, the
//! solver of [`super::pca`]) of the Gram matrix AᵀA: meant for tens of features. The sign of
//! each axis is arbitrary, as in scikit-learn (whose LAPACK picks its own): compare projections
//! up to the sign of each component.
//!
//! ```no_run
//! use listening::models::Lda;
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((6, 3)), vec![0, 0, 1, 1, 2, 2]);
//! let lda = Lda::params().fit(&x, &y)?;
//! let z = lda.transform(&x)?; // rows × min(classes − 1, features)
//! let shares = lda.explained_variance_ratio();
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::{check_fit, check_predict, n_classes};
use super::pca::jacobi_eigen;
use crate::error::{Error, Result};
use ndarray::{Array1, Array2, Axis, s};

/// Hyperparameters of [`Lda`] (checked by `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`n_components`](Self::n_components) | `None` = min(k − 1, features) | axes kept | 1 ..= min(k − 1, features) |
/// | [`tol`](Self::tol) | `1e-4` | least singular value of a kept direction | ≥ 0 |
#[derive(Debug, Clone, PartialEq)]
pub struct LdaParams {
    n_components: Option<usize>,
    tol: f64,
}

impl Default for LdaParams {
    fn default() -> Self {
        LdaParams {
            n_components: None,
            tol: 1e-4,
        }
    }
}

/// A fitted LDA projection (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct Lda {
    /// Prior-weighted mean of the class means (scikit-learn's `xbar_`).
    xbar: Array1<f64>,
    /// Class means, classes × features (`means_`).
    means: Array2<f64>,
    /// Features × kept axes (`scalings_` cut to the components kept).
    scalings: Array2<f64>,
    ratio: Array1<f64>,
}

impl LdaParams {
    pub fn n_components(mut self, n_components: usize) -> Self {
        self.n_components = Some(n_components);
        self
    }
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the bad one.
    pub fn check(&self) -> Result<()> {
        if self.n_components == Some(0) {
            return Err(Error::parameter("n_components", 0, "at least 1 component"));
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(Error::parameter("tol", self.tol, "must be ≥ 0"));
        }
        Ok(())
    }

    /// Fits on rows `x` with class labels `y` (0..k, every class present, k ≥ 2).
    ///
    /// # Errors
    /// [`Error::Parameter`] for bad parameters or more components than min(k − 1, features);
    /// [`Error::Shape`], [`Error::NonFinite`] from the data checks; [`Error::Labels`] for no
    /// rows, an absent class, fewer than 2 classes or no more rows than classes.
    pub fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Lda> {
        self.check()?;
        check_fit(x, y)?;
        let k = n_classes(y, true)?;
        let (n, p) = x.dim();
        if k < 2 || n <= k {
            return Err(Error::Labels(format!(
                "lda needs at least 2 classes and more rows than classes, given {k} and {n}"
            )));
        }
        let max = (k - 1).min(p);
        let keep = self.n_components.unwrap_or(max);
        if keep > max {
            let expected = format!("at most min(classes − 1, features) = {max}");
            return Err(Error::parameter("n_components", keep, expected));
        }
        let (means, priors) = class_means(x, y, k);
        let xbar = priors.dot(&means);
        let within = self.within_scalings(x, y, &means);
        // Between-class: weighted centred means in the whitened space.
        let mut between = (&means - &xbar).dot(&within);
        for (c, mut row) in between.rows_mut().into_iter().enumerate() {
            row *= (n as f64 * priors[c] / (k - 1) as f64).sqrt();
        }
        let (values, vectors) = sorted_eigen(between.t().dot(&between));
        let total: f64 = values.iter().sum();
        let ratio = values.iter().take(max).map(|v| v / total).collect();
        let top = values.first().map_or(0.0, |v| v.sqrt());
        let rank = values.iter().filter(|v| v.sqrt() > self.tol * top).count();
        let axes = vectors.slice(s![.., ..rank.min(keep)]);
        Ok(Lda {
            xbar,
            means,
            scalings: within.dot(&axes),
            ratio,
        })
    }

    /// Features × rank matrix whitening the within-class scatter (`scalings` of `_solve_svd`).
    fn within_scalings(&self, x: &Array2<f64>, y: &[usize], means: &Array2<f64>) -> Array2<f64> {
        let mut xc = x.clone();
        for (mut row, &c) in xc.rows_mut().into_iter().zip(y) {
            row -= &means.row(c);
        }
        let mut std = xc.std_axis(Axis(0), 0.0);
        std.mapv_inplace(|s| if s == 0.0 { 1.0 } else { s });
        let fac = (1.0 / x.nrows() as f64).sqrt();
        let scaled = (xc / &std) * fac;
        let (values, vectors) = sorted_eigen(scaled.t().dot(&scaled));
        let rank = values.iter().filter(|v| v.sqrt() > self.tol).count();
        let mut w = vectors.slice(s![.., ..rank]).to_owned();
        for ((f, j), v) in w.indexed_iter_mut() {
            *v /= std[f] * values[j].sqrt();
        }
        w
    }
}

/// Class means (classes × features) and priors (class shares of the rows).
fn class_means(x: &Array2<f64>, y: &[usize], k: usize) -> (Array2<f64>, Array1<f64>) {
    let mut means = Array2::<f64>::zeros((k, x.ncols()));
    let mut counts = Array1::<f64>::zeros(k);
    for (row, &c) in x.rows().into_iter().zip(y) {
        let mut m = means.row_mut(c);
        m += &row;
        counts[c] += 1.0;
    }
    for (mut m, &c) in means.rows_mut().into_iter().zip(&counts) {
        m /= c;
    }
    let priors = counts / y.len() as f64;
    (means, priors)
}

/// Eigenvalues (clamped at 0, decreasing) and their eigenvectors as columns.
fn sorted_eigen(a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let (values, vectors) = jacobi_eigen(a);
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[j].total_cmp(&values[i]).then(i.cmp(&j)));
    let sorted = order.iter().map(|&i| values[i].max(0.0)).collect();
    (sorted, vectors.select(Axis(1), &order))
}

impl Lda {
    /// Default parameters: min(k − 1, features) components, tol 1e-4.
    pub fn params() -> LdaParams {
        LdaParams::default()
    }

    /// Axes kept (columns of [`Self::transform`]).
    pub fn n_components(&self) -> usize {
        self.scalings.ncols()
    }

    /// Number of feature columns it was fitted on.
    pub fn n_features(&self) -> usize {
        self.xbar.len()
    }

    /// Class means, classes × features (scikit-learn's `means_`).
    pub fn means(&self) -> &Array2<f64> {
        &self.means
    }

    /// Share of the between-class variance along each of the first min(k − 1, features) axes
    /// (scikit-learn's `explained_variance_ratio_`).
    pub fn explained_variance_ratio(&self) -> &Array1<f64> {
        &self.ratio
    }

    /// Rows of `x` projected on the discriminant axes, rows × [`Self::n_components`].
    ///
    /// # Errors
    /// [`Error::Shape`] for the wrong number of columns; [`Error::NonFinite`].
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(x, self.n_features())?;
        Ok((x - &self.xbar).dot(&self.scalings))
    }
}
