//! Principal component analysis with scikit-learn `PCA` semantics, on ndarray alone (no LAPACK).
//!
//! The covariance matrix of the centred rows (features × features, divided by n − 1) is
//! diagonalised with cyclic Jacobi rotations, which give eigenvalues to full relative precision.
//! This is scikit-learn's own `covariance_eigh` solver, the one its `svd_solver='auto'` picks for
//! data with at least ten times more rows than features (the audio-feature tables here);
//! eigenvalues are the explained variances, eigenvectors the components. Jacobi costs
//! O(features³) per sweep: meant for tens of features, not thousands.
//!
//! As scikit-learn reports them:
//! - [`Pca::explained_variance`] of the kept components: eigenvalues of the covariance (n − 1);
//! - [`Pca::explained_variance_ratio`]: each kept component's variance over the variance of
//!   **all** components (the total variance of the data), so the kept ratios sum to less than 1
//!   when components are dropped;
//! - component signs: each component's largest absolute loading is positive (`svd_flip`).
//!
//! **Why not linfa-reduction.** linfa-reduction 0.8.1's `Pca` was checked on the 10k sample
//! (peer/README.md, "Neighbours"): its `explained_variance_ratio()` is normalised over the kept
//! components only (3 kept components give 0.512 / 0.264 / 0.224, summing to 1, where
//! scikit-learn reports 0.258 / 0.133 / 0.113 of the total); its `explained_variance()` divides
//! σ² by (kept components − 1) instead of (rows − 1) (14,199.6 instead of 2.84 for the first
//! component; infinite with one component); and with fewer components than features its
//! iterative truncated SVD (LOBPCG) is approximate: the first row's coordinates are off by up to
//! 1.4e-4. It also adds 18 crates.
//!
//! ```no_run
//! use listening::models::Pca;
//! # let x = ndarray::Array2::<f64>::zeros((20, 3));
//! let pca = Pca::params(2).fit(&x)?;
//! let z = pca.transform(&x)?; // rows × 2
//! let keep = pca.components_for(0.99)?; // components needed for 99 % of the variance
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::{check_finite, check_predict};
use crate::error::{Error, Result};
use ndarray::{Array1, Array2, Axis, s};

/// Hyperparameters of [`Pca`] (unchecked until `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`n_components`](Self::n_components) | given to [`Pca::params`] | components kept | 1 ..= min(rows, features) |
#[derive(Debug, Clone, PartialEq)]
pub struct PcaParams {
    n_components: usize,
}

impl PcaParams {
    pub fn n_components(mut self, n_components: usize) -> Self {
        self.n_components = n_components;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the bad one.
    pub fn check(&self) -> Result<()> {
        if self.n_components == 0 {
            return Err(Error::parameter("n_components", 0, "at least 1 component"));
        }
        Ok(())
    }

    /// Fits on the rows of `x`.
    ///
    /// # Errors
    /// [`Error::Parameter`] for `n_components` = 0 or above min(rows, features);
    /// [`Error::Shape`] for fewer than 2 rows or no columns; [`Error::NonFinite`] for a NaN or
    /// infinite value.
    pub fn fit(&self, x: &Array2<f64>) -> Result<Pca> {
        self.check()?;
        let (n, p) = x.dim();
        if n < 2 || p == 0 {
            return Err(Error::Shape(format!(
                "pca needs at least 2 rows and 1 column, given {n} × {p}"
            )));
        }
        if self.n_components > n.min(p) {
            return Err(Error::parameter(
                "n_components",
                self.n_components,
                format!("at most min(rows, features) = {}", n.min(p)),
            ));
        }
        check_finite(x)?;
        let mean = x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(p));
        let centred = x - &mean;
        let cov = centred.t().dot(&centred) / (n as f64 - 1.0);
        let (values, vectors) = jacobi_eigen(cov);
        let mut order: Vec<usize> = (0..p).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
        let all_variance: Array1<f64> = order.iter().map(|&j| values[j].max(0.0)).collect();
        let mut components = Array2::zeros((self.n_components, p));
        for (c, &j) in order.iter().take(self.n_components).enumerate() {
            let mut v = vectors.column(j).to_owned();
            // svd_flip: the largest absolute loading (the first such) is positive.
            let top = v.iter().enumerate().fold(
                0,
                |best, (i, x)| {
                    if x.abs() > v[best].abs() { i } else { best }
                },
            );
            if v[top] < 0.0 {
                v.mapv_inplace(|x| -x);
            }
            components.row_mut(c).assign(&v);
        }
        Ok(Pca {
            mean,
            components,
            all_variance,
            n_samples: n,
        })
    }
}

/// A fitted PCA: the mean, the kept components and the variance of every component (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    mean: Array1<f64>,
    /// n_components × features, rows of unit length.
    components: Array2<f64>,
    /// Variance along every principal axis (features of them), decreasing.
    all_variance: Array1<f64>,
    n_samples: usize,
}

impl Pca {
    /// Parameters keeping `n_components` components.
    pub fn params(n_components: usize) -> PcaParams {
        PcaParams { n_components }
    }

    /// Number of components kept.
    pub fn n_components(&self) -> usize {
        self.components.nrows()
    }

    /// Number of feature columns it was fitted on.
    pub fn n_features(&self) -> usize {
        self.mean.len()
    }

    /// Per-feature mean of the fitted rows.
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// The kept components, n_components × features (scikit-learn's `components_`).
    pub fn components(&self) -> &Array2<f64> {
        &self.components
    }

    /// Variance along each kept component (divided by n − 1, scikit-learn's
    /// `explained_variance_`).
    pub fn explained_variance(&self) -> Array1<f64> {
        self.all_variance
            .slice(s![..self.n_components()])
            .to_owned()
    }

    /// Each kept component's share of the variance of **all** components (scikit-learn's
    /// `explained_variance_ratio_`; sums to 1 only when every component is kept).
    pub fn explained_variance_ratio(&self) -> Array1<f64> {
        let total = self.all_variance.sum();
        if total > 0.0 {
            self.explained_variance() / total
        } else {
            Array1::zeros(self.n_components())
        }
    }

    /// Singular values of the centred rows for the kept components (scikit-learn's
    /// `singular_values_`).
    pub fn singular_values(&self) -> Array1<f64> {
        let scale = self.n_samples as f64 - 1.0;
        self.explained_variance().mapv(|v| (v * scale).sqrt())
    }

    /// The fewest components whose variances, from the largest, add up to at least `share` of
    /// the total (e.g. 0.99), counted over all components whether kept or not. scikit-learn's
    /// `PCA(n_components=share)` asks for strictly more than `share`; the two differ only
    /// when a cumulative share equals `share` exactly.
    ///
    /// # Errors
    /// [`Error::Parameter`] unless 0 < `share` ≤ 1.
    pub fn components_for(&self, share: f64) -> Result<usize> {
        if !(share > 0.0 && share <= 1.0) {
            return Err(Error::parameter("share", share, "in (0, 1]"));
        }
        let total = self.all_variance.sum();
        let mut acc = 0.0;
        for (i, v) in self.all_variance.iter().enumerate() {
            acc += v;
            if acc >= share * total {
                return Ok(i + 1);
            }
        }
        Ok(self.all_variance.len())
    }

    /// Coordinates of the rows of `x` on the kept components: (x − mean) · componentsᵀ.
    ///
    /// # Errors
    /// [`Error::Shape`] or [`Error::NonFinite`] for rows that do not fit the model.
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(x, self.n_features())?;
        Ok((x - &self.mean).dot(&self.components.t()))
    }

    /// Rows back in feature space from their coordinates: z · components + mean.
    ///
    /// # Errors
    /// [`Error::Shape`] when `z` has another number of columns than components.
    pub fn inverse_transform(&self, z: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(z, self.n_components())?;
        Ok(z.dot(&self.components) + &self.mean)
    }
}

/// Write-up 001's count of "components needed to keep 99 % of the total feature variance": the
/// fewest **leading columns** of `x`, in their order, whose variances sum to more than `share` of
/// all columns' variance (`np.var(features[:, 0:i+1], axis=0).sum() / total > share`). It
/// measures raw columns, not principal components: on unscaled audio features the columns with
/// the largest units (duration in ms, tempo) decide it. Compare [`Pca::components_for`].
///
/// # Errors
/// [`Error::Parameter`] unless 0 < `share` < 1; [`Error::Shape`] for no rows or columns.
pub fn leading_columns_for(x: &Array2<f64>, share: f64) -> Result<usize> {
    if !(share > 0.0 && share < 1.0) {
        return Err(Error::parameter("share", share, "in (0, 1)"));
    }
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Shape("no rows or columns to measure".into()));
    }
    let var = x.var_axis(Axis(0), 0.0);
    let total = var.sum();
    let mut acc = 0.0;
    for (i, v) in var.iter().enumerate() {
        acc += v;
        if acc > share * total {
            return Ok(i + 1);
        }
    }
    Ok(x.ncols())
}

impl std::fmt::Display for Pca {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ratio = self.explained_variance_ratio();
        write!(
            f,
            "pca: {} of {} components, {:.2} % of the variance (",
            self.n_components(),
            self.n_features(),
            100.0 * ratio.sum()
        )?;
        for (i, r) in ratio.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{:.2} %", 100.0 * r)?;
        }
        write!(f, ")")
    }
}

/// Eigenvalues and eigenvectors (columns) of the symmetric matrix `a`, by cyclic Jacobi
/// rotations until the off-diagonal part is negligible.
pub(crate) fn jacobi_eigen(mut a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let p = a.nrows();
    let mut v = Array2::<f64>::eye(p);
    for _sweep in 0..100 {
        let off: f64 = (0..p)
            .flat_map(|i| (i + 1..p).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        let diag: f64 = (0..p).map(|i| a[[i, i]] * a[[i, i]]).sum();
        if off <= f64::EPSILON * f64::EPSILON * diag || off == 0.0 {
            break;
        }
        for i in 0..p {
            for j in i + 1..p {
                rotate(&mut a, &mut v, i, j);
            }
        }
    }
    ((0..p).map(|i| a[[i, i]]).collect(), v)
}

/// One Jacobi rotation zeroing a[i][j] (Golub & Van Loan, algorithm 8.4.1).
fn rotate(a: &mut Array2<f64>, v: &mut Array2<f64>, i: usize, j: usize) {
    let aij = a[[i, j]];
    if aij == 0.0 {
        return;
    }
    let tau = (a[[j, j]] - a[[i, i]]) / (2.0 * aij);
    // The smaller root of t² + 2τt − 1 = 0 (|t| ≤ 1, a rotation of at most 45°).
    let t = tau.signum() / (tau.abs() + tau.hypot(1.0));
    let c = 1.0 / (1.0 + t * t).sqrt();
    let s = t * c;
    let p = a.nrows();
    for k in 0..p {
        let (aki, akj) = (a[[k, i]], a[[k, j]]);
        a[[k, i]] = c * aki - s * akj;
        a[[k, j]] = s * aki + c * akj;
    }
    for k in 0..p {
        let (aik, ajk) = (a[[i, k]], a[[j, k]]);
        a[[i, k]] = c * aik - s * ajk;
        a[[j, k]] = s * aik + c * ajk;
    }
    for k in 0..p {
        let (vki, vkj) = (v[[k, i]], v[[k, j]]);
        v[[k, i]] = c * vki - s * vkj;
        v[[k, j]] = s * vki + c * vkj;
    }
}
