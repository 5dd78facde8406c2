//! Support-vector classifier with scikit-learn `SVC` semantics (libsvm's C-SVC):
//! kernels rbf / linear / poly / sigmoid with `gamma='scale'`, per-class C = C · w_c
//! (`class_weight`), one-vs-one multi-class with libsvm's voting (ties to the lowest class).
//!
//! The binary solver is libsvm's SMO: second-order working-set selection (Fan, Chen & Lin
//! 2005), stopping when the maximal violating pair's gap is below `tol` (1e-3, as scikit-learn).
//! No shrinking and no kernel cache: the kernel matrix of the training rows is computed once
//! (so at most [`MAX_ROWS`] training rows) and shared by the k(k−1)/2 pairwise problems.
//!
//! ```no_run
//! use listening::models::{Svc, Kernel, Gamma};
//! use listening::evaluation::ClassWeight;
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((4, 2)), vec![0, 0, 1, 1]);
//! let model = Svc::params()
//!     .kernel(Kernel::Rbf { gamma: Gamma::Scale })
//!     .c(1.0)
//!     .class_weight(ClassWeight::Balanced)
//!     .fit(&x, &y)?;
//! let predicted: Vec<usize> = model.predict(&x)?;
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::check_len;
use super::weights::ClassWeight;
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView1, Axis};
use rayon::prelude::*;

/// The largest training set [`Svc`] fits (its kernel matrix is kept whole: 8,000² × 8 bytes).
pub const MAX_ROWS: usize = 8_000;

/// Kernel coefficient γ, scikit-learn's `gamma`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gamma {
    /// 1 / (n_features · X.var()), the variance over all values of the training matrix
    /// (scikit-learn's default `'scale'`).
    Scale,
    /// 1 / n_features (`'auto'`).
    Auto,
    /// A fixed value > 0.
    Value(f64),
}

/// Kernel function, as scikit-learn's `SVC(kernel=...)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// exp(−γ‖x − x'‖²).
    Rbf { gamma: Gamma },
    /// ⟨x, x'⟩.
    Linear,
    /// (γ⟨x, x'⟩ + coef0)^degree.
    Poly {
        degree: u32,
        gamma: Gamma,
        coef0: f64,
    },
    /// tanh(γ⟨x, x'⟩ + coef0).
    Sigmoid { gamma: Gamma, coef0: f64 },
}

impl Kernel {
    /// RBF with γ = 1 / (2σ²), as the write-up's `gamma=1/(2*sig**2)`.
    pub fn rbf_sigma(sigma: f64) -> Kernel {
        Kernel::Rbf {
            gamma: Gamma::Value(1.0 / (2.0 * sigma * sigma)),
        }
    }

    /// scikit-learn's poly default: degree 3, γ 'scale', coef0 0.
    pub fn poly() -> Kernel {
        Kernel::Poly {
            degree: 3,
            gamma: Gamma::Scale,
            coef0: 0.0,
        }
    }

    /// scikit-learn's sigmoid default: γ 'scale', coef0 0.
    pub fn sigmoid() -> Kernel {
        Kernel::Sigmoid {
            gamma: Gamma::Scale,
            coef0: 0.0,
        }
    }

    /// Short name: `rbf`, `linear`, `poly`, `sigmoid`.
    pub fn name(&self) -> &'static str {
        match self {
            Kernel::Rbf { .. } => "rbf",
            Kernel::Linear => "linear",
            Kernel::Poly { .. } => "poly",
            Kernel::Sigmoid { .. } => "sigmoid",
        }
    }

    fn gamma(&self) -> Option<Gamma> {
        match *self {
            Kernel::Rbf { gamma } | Kernel::Poly { gamma, .. } | Kernel::Sigmoid { gamma, .. } => {
                Some(gamma)
            }
            Kernel::Linear => None,
        }
    }
}

/// A kernel with γ resolved to a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ResolvedKernel {
    pub kernel: Kernel,
    pub gamma: f64,
}

impl ResolvedKernel {
    pub(crate) fn resolve(kernel: Kernel, x: &Array2<f64>) -> ResolvedKernel {
        let nf = x.ncols().max(1) as f64;
        let gamma = match kernel.gamma() {
            None => 0.0,
            Some(Gamma::Value(g)) => g,
            Some(Gamma::Auto) => 1.0 / nf,
            Some(Gamma::Scale) => {
                let var = x.var(0.0);
                if var > 0.0 { 1.0 / (nf * var) } else { 1.0 }
            }
        };
        ResolvedKernel { kernel, gamma }
    }

    fn of_dot(&self, dot: f64) -> f64 {
        match self.kernel {
            Kernel::Linear => dot,
            Kernel::Poly { degree, coef0, .. } => (self.gamma * dot + coef0).powi(degree as i32),
            Kernel::Sigmoid { coef0, .. } => (self.gamma * dot + coef0).tanh(),
            Kernel::Rbf { .. } => f64::NAN,
        }
    }

    /// The kernel matrix between the rows of `a` and of `b`.
    pub(crate) fn matrix(&self, a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
        match self.kernel {
            Kernel::Rbf { .. } => {
                let g = self.gamma;
                sq_distances(a, b).mapv_into(|d| (-g * d).exp())
            }
            _ => a.dot(&b.t()).mapv_into(|d| self.of_dot(d)),
        }
    }
}

/// ‖a_i − b_j‖² for every pair of rows (clamped at 0 against rounding).
pub(crate) fn sq_distances(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let na: Vec<f64> = a.rows().into_iter().map(|r| r.dot(&r)).collect();
    let nb: Vec<f64> = b.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut d = a.dot(&b.t());
    for ((i, j), v) in d.indexed_iter_mut() {
        *v = (na[i] + nb[j] - 2.0 * *v).max(0.0);
    }
    d
}

/// Hyperparameters of [`Svc`] (unchecked until `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`kernel`](Self::kernel) | `Rbf { gamma: Scale }` | kernel function | γ > 0, degree ≥ 1 |
/// | [`c`](Self::c) | `1.0` | regularisation C | > 0 |
/// | [`class_weight`](Self::class_weight) | `Uniform` | per-class C = C · w_c | weights > 0 |
/// | [`tol`](Self::tol) | `1e-3` | stopping tolerance of SMO | > 0 |
/// | [`max_iter`](Self::max_iter) | `10_000_000` | iteration cap per pairwise problem | ≥ 1 |
#[derive(Debug, Clone, PartialEq)]
pub struct SvcParams {
    kernel: Kernel,
    c: f64,
    class_weight: ClassWeight,
    tol: f64,
    max_iter: usize,
}

impl Default for SvcParams {
    fn default() -> Self {
        SvcParams {
            kernel: Kernel::Rbf {
                gamma: Gamma::Scale,
            },
            c: 1.0,
            class_weight: ClassWeight::Uniform,
            tol: 1e-3,
            max_iter: 10_000_000,
        }
    }
}

impl SvcParams {
    pub fn kernel(mut self, kernel: Kernel) -> Self {
        self.kernel = kernel;
        self
    }
    pub fn c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }
    pub fn class_weight(mut self, class_weight: ClassWeight) -> Self {
        self.class_weight = class_weight;
        self
    }
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    pub fn get_kernel(&self) -> Kernel {
        self.kernel
    }
    pub fn get_c(&self) -> f64 {
        self.c
    }
    pub fn get_class_weight(&self) -> &ClassWeight {
        &self.class_weight
    }

    /// The parameters, or [`Error::Parameter`] naming the first bad one.
    pub fn check(&self) -> Result<()> {
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(Error::parameter("c", self.c, "must be > 0"));
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(Error::parameter("tol", self.tol, "must be > 0"));
        }
        if self.max_iter == 0 {
            return Err(Error::parameter("max_iter", 0, "must be at least 1"));
        }
        if let Some(Gamma::Value(g)) = self.kernel.gamma()
            && !(g.is_finite() && g > 0.0)
        {
            return Err(Error::parameter("gamma", g, "must be > 0"));
        }
        match self.kernel {
            Kernel::Poly { degree: 0, .. } => Err(Error::parameter(
                "degree",
                0,
                "a poly kernel's degree must be at least 1",
            )),
            Kernel::Poly { coef0, .. } | Kernel::Sigmoid { coef0, .. } if !coef0.is_finite() => {
                Err(Error::parameter("coef0", coef0, "must be finite"))
            }
            _ => Ok(()),
        }
    }

    /// Fits one-vs-one on rows `x` with labels `y` (0..k).
    ///
    /// # Errors
    /// [`Error::Parameter`] for bad parameters; `InvalidParameter` for mismatched lengths, non-finite features, fewer
    /// than two classes or more than [`MAX_ROWS`] rows.
    pub fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Svc> {
        self.check()?;
        check_len(x, y)?;
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::InvalidParameter(
                "svc features hold NaN or infinite values".into(),
            ));
        }
        if x.nrows() > MAX_ROWS {
            return Err(Error::InvalidParameter(format!(
                "svc keeps the whole kernel matrix: at most {MAX_ROWS} training rows, got {}",
                x.nrows()
            )));
        }
        let rk = ResolvedKernel::resolve(self.kernel, x);
        let gram = rk.matrix(x, x);
        self.fit_gram(x, y, rk, &gram)
    }

    /// Fit on a precomputed kernel matrix of the rows of `x` (used by the grid search, which
    /// shares distances across parameter sets).
    pub(crate) fn fit_gram(
        &self,
        x: &Array2<f64>,
        y: &[usize],
        rk: ResolvedKernel,
        gram: &Array2<f64>,
    ) -> Result<Svc> {
        let k = super::api::n_classes(y, false)?;
        let weights = self.class_weight.resolve(y, k)?;
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (i, &l) in y.iter().enumerate() {
            groups[l].push(i);
        }
        let present: Vec<usize> = (0..k).filter(|&c| !groups[c].is_empty()).collect();
        let mut iterations = 0;
        if present.len() < 2 {
            return Err(Error::InvalidParameter(
                "svc needs at least two classes in the training labels".into(),
            ));
        }
        // The k(k − 1)/2 pairwise problems are independent: solved in parallel (rayon), each
        // exactly as alone, and kept in (a, b) order, so the model does not depend on threads.
        let pair_classes: Vec<(usize, usize)> = present
            .iter()
            .enumerate()
            .flat_map(|(pi, &a)| present[pi + 1..].iter().map(move |&b| (a, b)))
            .collect();
        let mut pairs: Vec<Pair> = pair_classes
            .par_iter()
            .map(|&(a, b)| {
                let idx: Vec<usize> = groups[a].iter().chain(&groups[b]).copied().collect();
                let ys: Vec<f64> = idx
                    .iter()
                    .map(|&i| if y[i] == a { 1.0 } else { -1.0 })
                    .collect();
                let q = gram.select(Axis(0), &idx).select(Axis(1), &idx);
                let sol = smo(
                    &q,
                    &ys,
                    self.c * weights[a],
                    self.c * weights[b],
                    self.tol,
                    self.max_iter,
                );
                let (mut sv, mut coef) = (Vec::new(), Vec::new());
                for (t, &alpha) in sol.alpha.iter().enumerate() {
                    if alpha > 0.0 {
                        sv.push(idx[t]);
                        coef.push(alpha * ys[t]);
                    }
                }
                (
                    sol.iterations,
                    Pair {
                        a,
                        b,
                        sv,
                        sv_pos: Vec::new(),
                        coef,
                        rho: sol.rho,
                        converged: sol.converged,
                    },
                )
            })
            .collect::<Vec<(usize, Pair)>>()
            .into_iter()
            .map(|(it, p)| {
                iterations += it;
                p
            })
            .collect();
        let mut is_sv = vec![false; y.len()];
        for p in &pairs {
            for &i in &p.sv {
                is_sv[i] = true;
            }
        }
        // Support vectors: the union over pairs, in training-row order.
        let sv_rows: Vec<usize> = (0..y.len()).filter(|&i| is_sv[i]).collect();
        let mut pos = vec![usize::MAX; y.len()];
        for (p, &i) in sv_rows.iter().enumerate() {
            pos[i] = p;
        }
        for p in &mut pairs {
            p.sv_pos = p.sv.iter().map(|&i| pos[i]).collect();
        }
        Ok(Svc {
            params: self.clone(),
            kernel: rk,
            n_classes: k,
            n_features: x.ncols(),
            support: x.select(Axis(0), &sv_rows),
            support_rows: sv_rows,
            pairs,
            iterations,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Pair {
    a: usize,
    b: usize,
    /// Training rows of this pair's support vectors.
    sv: Vec<usize>,
    /// Their rows in `Svc::support`.
    sv_pos: Vec<usize>,
    /// α_i · y_i.
    coef: Vec<f64>,
    rho: f64,
    converged: bool,
}

/// A fitted one-vs-one support-vector classifier (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct Svc {
    params: SvcParams,
    kernel: ResolvedKernel,
    n_classes: usize,
    n_features: usize,
    support: Array2<f64>,
    support_rows: Vec<usize>,
    pairs: Vec<Pair>,
    iterations: usize,
}

impl Svc {
    /// Default parameters (scikit-learn's `SVC()`): rbf, γ 'scale', C = 1, no class weights.
    pub fn params() -> SvcParams {
        SvcParams::default()
    }

    /// The parameters it was fitted with.
    pub fn fitted_params(&self) -> &SvcParams {
        &self.params
    }

    /// γ as used (after resolving 'scale' / 'auto'); 0 for the linear kernel.
    pub fn gamma(&self) -> f64 {
        self.kernel.gamma
    }

    /// Number of classes (largest training label + 1).
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Distinct support vectors over all pairwise problems.
    pub fn n_support(&self) -> usize {
        self.support_rows.len()
    }

    /// Training rows that are support vectors, ascending.
    pub fn support_rows(&self) -> &[usize] {
        &self.support_rows
    }

    /// SMO iterations summed over the pairwise problems.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Whether every pairwise problem met the tolerance within `max_iter`.
    pub fn converged(&self) -> bool {
        self.pairs.iter().all(|p| p.converged)
    }

    /// One-vs-one decision values: one column per pair (a, b), a < b, in scikit-learn's order
    /// (0-1, 0-2, …, 1-2, …); positive means `a`.
    ///
    /// # Errors
    /// `InvalidParameter` when `x` has the wrong number of columns.
    pub fn decision_function(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        if x.ncols() != self.n_features {
            return Err(Error::InvalidParameter(format!(
                "svc fitted on {} features, given {}",
                self.n_features,
                x.ncols()
            )));
        }
        let kx = self.kernel.matrix(x, &self.support);
        let mut out = Array2::zeros((x.nrows(), self.pairs.len()));
        for (r, krow) in kx.rows().into_iter().enumerate() {
            for (c, p) in self.pairs.iter().enumerate() {
                out[[r, c]] = pair_value(p, |t| krow[p.sv_pos[t]]);
            }
        }
        Ok(out)
    }

    /// Predicted class per row: libsvm's one-vs-one vote, ties to the lowest class.
    ///
    /// # Errors
    /// As [`Self::decision_function`].
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        let d = self.decision_function(x)?;
        Ok(d.rows().into_iter().map(|r| self.vote(r)).collect())
    }

    /// Prediction from kernel values against the training rows (`k_train[[r, i]]` = K(x_r,
    /// train_i)), for the grid search.
    pub(crate) fn predict_from_train_kernel(&self, k_train: &Array2<f64>) -> Vec<usize> {
        let mut dec = ndarray::Array1::zeros(self.pairs.len());
        k_train
            .rows()
            .into_iter()
            .map(|krow| {
                for (c, p) in self.pairs.iter().enumerate() {
                    dec[c] = pair_value(p, |t| krow[p.sv[t]]);
                }
                self.vote(dec.view())
            })
            .collect()
    }

    fn vote(&self, dec: ArrayView1<f64>) -> usize {
        let mut votes = vec![0usize; self.n_classes];
        for (p, &d) in self.pairs.iter().zip(dec) {
            if d > 0.0 {
                votes[p.a] += 1;
            } else {
                votes[p.b] += 1;
            }
        }
        let mut best = 0;
        for c in 1..self.n_classes {
            if votes[c] > votes[best] {
                best = c;
            }
        }
        best
    }

    /// Accuracy on `x`, `y`.
    ///
    /// # Errors
    /// As [`Self::predict`].
    pub fn score(&self, x: &Array2<f64>, y: &[usize]) -> Result<f64> {
        Ok(super::api::accuracy(y, &self.predict(x)?))
    }
}

fn pair_value(p: &Pair, k: impl Fn(usize) -> f64) -> f64 {
    let mut s = 0.0;
    for (t, &c) in p.coef.iter().enumerate() {
        s += c * k(t);
    }
    s - p.rho
}

struct Solution {
    alpha: Vec<f64>,
    rho: f64,
    iterations: usize,
    converged: bool,
}

const TAU: f64 = 1e-12;

/// libsvm's `Solver::Solve` for C-SVC without shrinking: min ½αᵀQα − eᵀα, yᵀα = 0,
/// 0 ≤ α_i ≤ C_i, with Q_ij = y_i y_j K_ij. `cp` bounds the +1 rows, `cn` the −1 rows.
fn smo(k: &Array2<f64>, y: &[f64], cp: f64, cn: f64, eps: f64, max_iter: usize) -> Solution {
    let l = y.len();
    let cb: Vec<f64> = y.iter().map(|&v| if v > 0.0 { cp } else { cn }).collect();
    let qd: Vec<f64> = (0..l).map(|i| k[[i, i]]).collect();
    let mut alpha = vec![0.0; l];
    let mut g = vec![-1.0; l];
    let upper = |a: &[f64], t: usize| a[t] >= cb[t];
    let lower = |a: &[f64], t: usize| a[t] <= 0.0;
    let mut iter = 0;
    let mut converged = false;
    while iter < max_iter {
        // Working set: i maximises −y_t G_t over I_up; j minimises the second-order gain.
        let mut gmax = f64::NEG_INFINITY;
        let mut gmax_idx = usize::MAX;
        for t in 0..l {
            if y[t] > 0.0 {
                if !upper(&alpha, t) && -g[t] >= gmax {
                    gmax = -g[t];
                    gmax_idx = t;
                }
            } else if !lower(&alpha, t) && g[t] >= gmax {
                gmax = g[t];
                gmax_idx = t;
            }
        }
        let i = gmax_idx;
        let mut gmax2 = f64::NEG_INFINITY;
        let mut gmin_idx = usize::MAX;
        let mut obj_min = f64::INFINITY;
        if i != usize::MAX {
            let ki = k.row(i);
            for t in 0..l {
                if y[t] > 0.0 {
                    if !lower(&alpha, t) {
                        let grad_diff = gmax + g[t];
                        if g[t] >= gmax2 {
                            gmax2 = g[t];
                        }
                        if grad_diff > 0.0 {
                            let quad = qd[i] + qd[t] - 2.0 * ki[t];
                            let obj =
                                -(grad_diff * grad_diff) / if quad > 0.0 { quad } else { TAU };
                            if obj <= obj_min {
                                gmin_idx = t;
                                obj_min = obj;
                            }
                        }
                    }
                } else if !upper(&alpha, t) {
                    let grad_diff = gmax - g[t];
                    if -g[t] >= gmax2 {
                        gmax2 = -g[t];
                    }
                    if grad_diff > 0.0 {
                        let quad = qd[i] + qd[t] - 2.0 * ki[t];
                        let obj = -(grad_diff * grad_diff) / if quad > 0.0 { quad } else { TAU };
                        if obj <= obj_min {
                            gmin_idx = t;
                            obj_min = obj;
                        }
                    }
                }
            }
        }
        if i == usize::MAX || gmin_idx == usize::MAX || gmax + gmax2 < eps {
            converged = true;
            break;
        }
        iter += 1;
        let j = gmin_idx;
        let (ci, cj) = (cb[i], cb[j]);
        let (old_ai, old_aj) = (alpha[i], alpha[j]);
        let kij = k[[i, j]];
        if y[i] != y[j] {
            // Q_ij = −K_ij.
            let mut quad = qd[i] + qd[j] + 2.0 * (-kij);
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (-g[i] - g[j]) / quad;
            let diff = alpha[i] - alpha[j];
            alpha[i] += delta;
            alpha[j] += delta;
            if diff > 0.0 {
                if alpha[j] < 0.0 {
                    alpha[j] = 0.0;
                    alpha[i] = diff;
                }
            } else if alpha[i] < 0.0 {
                alpha[i] = 0.0;
                alpha[j] = -diff;
            }
            if diff > ci - cj {
                if alpha[i] > ci {
                    alpha[i] = ci;
                    alpha[j] = ci - diff;
                }
            } else if alpha[j] > cj {
                alpha[j] = cj;
                alpha[i] = cj + diff;
            }
        } else {
            let mut quad = qd[i] + qd[j] - 2.0 * kij;
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (g[i] - g[j]) / quad;
            let sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;
            if sum > ci {
                if alpha[i] > ci {
                    alpha[i] = ci;
                    alpha[j] = sum - ci;
                }
            } else if alpha[j] < 0.0 {
                alpha[j] = 0.0;
                alpha[i] = sum;
            }
            if sum > cj {
                if alpha[j] > cj {
                    alpha[j] = cj;
                    alpha[i] = sum - cj;
                }
            } else if alpha[i] < 0.0 {
                alpha[i] = 0.0;
                alpha[j] = sum;
            }
        }
        let (dai, daj) = (alpha[i] - old_ai, alpha[j] - old_aj);
        let (ki, kj) = (k.row(i), k.row(j));
        let (yi, yj) = (y[i], y[j]);
        for t in 0..l {
            // Q_it = y_i y_t K_it.
            g[t] += y[t] * (yi * ki[t] * dai + yj * kj[t] * daj);
        }
    }
    // ρ: mean of y_t G_t over free α, else the middle of the feasible interval.
    let (mut ub, mut lb, mut sum_free, mut n_free) =
        (f64::INFINITY, f64::NEG_INFINITY, 0.0, 0usize);
    for t in 0..l {
        let yg = y[t] * g[t];
        if upper(&alpha, t) {
            if y[t] < 0.0 {
                ub = ub.min(yg);
            } else {
                lb = lb.max(yg);
            }
        } else if lower(&alpha, t) {
            if y[t] > 0.0 {
                ub = ub.min(yg);
            } else {
                lb = lb.max(yg);
            }
        } else {
            n_free += 1;
            sum_free += yg;
        }
    }
    let rho = if n_free > 0 {
        sum_free / n_free as f64
    } else {
        (ub + lb) / 2.0
    };
    Solution {
        alpha,
        rho,
        iterations: iter,
        converged,
    }
}

impl super::api::Fit<usize> for SvcParams {
    type Model = Svc;

    fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Svc> {
        SvcParams::fit(self, x, y)
    }

    fn describe(&self) -> String {
        let gamma = |g: &Gamma| match g {
            Gamma::Scale => "scale".to_string(),
            Gamma::Auto => "auto".to_string(),
            Gamma::Value(v) => format!("{v}"),
        };
        let kernel = match &self.kernel {
            Kernel::Rbf { gamma: g } => format!("rbf, γ={}", gamma(g)),
            Kernel::Linear => "linear".to_string(),
            Kernel::Poly {
                degree, gamma: g, ..
            } => format!("poly {degree}, γ={}", gamma(g)),
            Kernel::Sigmoid { gamma: g, .. } => format!("sigmoid, γ={}", gamma(g)),
        };
        let weights = match self.class_weight {
            ClassWeight::Uniform => "",
            ClassWeight::Balanced => ", balanced",
            ClassWeight::Manual(_) => ", weighted",
        };
        format!("svc {kernel}, C={}{weights}", self.c)
    }
}

impl super::api::Classifier for Svc {
    fn n_classes(&self) -> usize {
        self.n_classes
    }

    fn n_features(&self) -> usize {
        self.n_features
    }

    fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        Svc::predict(self, x)
    }
}
