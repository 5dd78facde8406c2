//! Support-vector classifier with scikit-learn `SVC` semantics (libsvm's C-SVC):
//! kernels rbf / linear / poly / sigmoid with `gamma='scale'`, per-class C = C · w_c
//! (`class_weight`), one-vs-one multi-class with libsvm's voting (ties to the lowest class).
//!
//! The binary solver is libsvm's SMO: second-order working-set selection (Fan, Chen & Lin
//! 2005), stopping when the maximal violating pair's gap is below `tol` (1e-3, as scikit-learn),
//! with libsvm's shrinking (scikit-learn's `shrinking=True`): every min(l, 1000) iterations the
//! variables stuck at a bound leave the active set, and their gradients are rebuilt before the
//! last check. No kernel cache: the kernel matrix of the training rows is computed once, in
//! parallel (so at most [`MAX_ROWS`] training rows), and shared by the k(k−1)/2 pairwise
//! problems, which run in parallel.
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
            Kernel::Poly { degree, coef0, .. } => {
                let v = self.gamma * dot + coef0;
                // powi with a runtime exponent is a library call; the usual degrees inline.
                match degree {
                    1 => v,
                    2 => v * v,
                    3 => v * v * v,
                    _ => v.powi(degree as i32),
                }
            }
            Kernel::Sigmoid { coef0, .. } => (self.gamma * dot + coef0).tanh(),
            Kernel::Rbf { .. } => f64::NAN,
        }
    }

    /// The kernel of two rows from their dot product and squared norms.
    fn value(&self, dot: f64, sq_a: f64, sq_b: f64) -> f64 {
        match self.kernel {
            Kernel::Rbf { .. } => (-self.gamma * sq_distance(dot, sq_a, sq_b)).exp(),
            _ => self.of_dot(dot),
        }
    }

    /// The kernel matrix of the rows of `x` with themselves: symmetric, so each entry on or
    /// right of the diagonal is computed once (half the `exp` calls of [`Self::matrix`]) and
    /// mirrored.
    pub(crate) fn gram(&self, x: &Array2<f64>) -> Array2<f64> {
        symmetric_by_row_blocks(x, |i, j, dot, norms| self.value(dot, norms[i], norms[j]))
    }

    /// The kernel matrix between the rows of `a` and of `b`, blocks of rows of `a` in parallel.
    pub(crate) fn matrix(&self, a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
        let nb_norms: Vec<f64> = b.rows().into_iter().map(|r| r.dot(&r)).collect();
        by_row_blocks(a, b, |i, j, dot, na| self.value(dot, na[i], nb_norms[j]))
    }
}

/// Rows of `a` per parallel block of a pairwise matrix.
const ROW_BLOCK: usize = 64;

/// The matrix whose (i, j) entry is `f(i, j, ⟨a_i, b_j⟩, ‖a‖²)` (‖a‖² holding every row of `a`'s
/// squared norm), built by blocks of rows of `a` in parallel: each block one matrix product,
/// then `f` over it in the same pass.
fn by_row_blocks(
    a: &Array2<f64>,
    b: &Array2<f64>,
    f: impl Fn(usize, usize, f64, &[f64]) -> f64 + Sync,
) -> Array2<f64> {
    let (na, nb) = (a.nrows(), b.nrows());
    let norms: Vec<f64> = a.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut out = vec![0.0; na * nb];
    if nb > 0 {
        out.par_chunks_mut(ROW_BLOCK * nb)
            .enumerate()
            .for_each(|(block, chunk)| {
                let start = block * ROW_BLOCK;
                let rows = a.slice(ndarray::s![start..start + chunk.len() / nb, ..]);
                let dots = rows.dot(&b.t());
                for ((r, c), &dot) in dots.indexed_iter() {
                    chunk[r * nb + c] = f(start + r, c, dot, &norms);
                }
            });
    }
    Array2::from_shape_vec((na, nb), out).unwrap_or_else(|_| Array2::zeros((na, nb)))
}

/// The symmetric matrix whose (i, j) entry is `f(i, j, ⟨a_i, a_j⟩, ‖a‖²)`, with `f` called once
/// per pair i ≤ j: each block of rows (in parallel) takes its dot products with the rows from its
/// own first one on and fills its part on and right of the diagonal; then each block's part left
/// of the diagonal is copied from the blocks above it (rows in parallel), so `(i, j)` and `(j, i)`
/// hold the same bits.
fn symmetric_by_row_blocks(
    a: &Array2<f64>,
    f: impl Fn(usize, usize, f64, &[f64]) -> f64 + Sync,
) -> Array2<f64> {
    let n = a.nrows();
    let norms: Vec<f64> = a.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut out = vec![0.0; n * n];
    if n > 0 {
        out.par_chunks_mut(ROW_BLOCK * n)
            .enumerate()
            .for_each(|(block, chunk)| {
                let start = block * ROW_BLOCK;
                let len = chunk.len() / n;
                let rows = a.slice(ndarray::s![start..start + len, ..]);
                let dots = rows.dot(&a.slice(ndarray::s![start.., ..]).t());
                for (r, d) in dots.rows().into_iter().enumerate() {
                    let i = start + r;
                    let row = &mut chunk[r * n..(r + 1) * n];
                    for (c, &dot) in d.iter().enumerate().skip(r) {
                        row[start + c] = f(i, start + c, dot, &norms);
                    }
                }
            });
        let mut start = 0;
        while start < n {
            let (above, rest) = out.split_at_mut(start * n);
            let len = (n - start).min(ROW_BLOCK);
            let above = &*above;
            rest[..len * n]
                .par_chunks_mut(n)
                .enumerate()
                .for_each(|(r, row)| {
                    let j = start + r;
                    for (i, v) in row[..start].iter_mut().enumerate() {
                        *v = above[i * n + j];
                    }
                });
            // Left of the diagonal inside the block: from the block's own rows above.
            let block = &mut rest[..len * n];
            for r in 1..len {
                let (upper, lower) = block.split_at_mut(r * n);
                for c in 0..r {
                    lower[start + c] = upper[c * n + start + r];
                }
            }
            start += len;
        }
    }
    Array2::from_shape_vec((n, n), out).unwrap_or_else(|_| Array2::zeros((n, n)))
}

/// [`sq_distances`]`(a, a)` with each pair computed once (and the matrix exactly symmetric).
pub(crate) fn sq_distances_within(a: &Array2<f64>) -> Array2<f64> {
    symmetric_by_row_blocks(a, |i, j, dot, norms| sq_distance(dot, norms[i], norms[j]))
}

/// ‖a_i − b_j‖² for every pair of rows (clamped at 0 against rounding), blocks of rows in
/// parallel.
pub(crate) fn sq_distances(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let nb_norms: Vec<f64> = b.rows().into_iter().map(|r| r.dot(&r)).collect();
    by_row_blocks(a, b, |i, j, dot, na| sq_distance(dot, na[i], nb_norms[j]))
}

/// ‖a − b‖² from ⟨a, b⟩, ‖a‖² and ‖b‖², clamped at 0 against rounding.
fn sq_distance(dot: f64, sq_a: f64, sq_b: f64) -> f64 {
    (sq_a + sq_b - 2.0 * dot).max(0.0)
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
/// | [`shrinking`](Self::shrinking) | `true` | libsvm's shrinking heuristic (same optimum, faster) | |
#[derive(Debug, Clone, PartialEq)]
pub struct SvcParams {
    kernel: Kernel,
    c: f64,
    class_weight: ClassWeight,
    tol: f64,
    max_iter: usize,
    shrinking: bool,
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
            shrinking: true,
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
    /// Whether SMO sets aside the variables stuck at a bound (scikit-learn's `shrinking`).
    pub fn shrinking(mut self, shrinking: bool) -> Self {
        self.shrinking = shrinking;
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
        let gram = rk.gram(x);
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
        let gram = gram.as_standard_layout();
        let gram_values = gram
            .as_slice()
            .ok_or_else(|| Error::Shape("svc kernel matrix not contiguous".into()))?;
        let mut pairs: Vec<Pair> = pair_classes
            .par_iter()
            .map(|&(a, b)| {
                let idx: Vec<usize> = groups[a].iter().chain(&groups[b]).copied().collect();
                let ys: Vec<f64> = idx
                    .iter()
                    .map(|&i| if y[i] == a { 1.0 } else { -1.0 })
                    .collect();
                let sol = smo(
                    Gram {
                        values: gram_values,
                        n: gram.ncols(),
                        rows: &idx,
                    },
                    &ys,
                    self.c * weights[a],
                    self.c * weights[b],
                    self.tol,
                    self.max_iter,
                    self.shrinking,
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
    /// Variables set aside by shrinking, counted each time.
    #[cfg_attr(not(test), allow(dead_code))]
    shrunk: usize,
}

const TAU: f64 = 1e-12;

/// The kernel matrix of the training rows (row-major, `n` × `n`) and the rows of one pairwise
/// problem: Q_st = y_s y_t K[rows[s], rows[t]].
#[derive(Clone, Copy)]
struct Gram<'a> {
    values: &'a [f64],
    n: usize,
    rows: &'a [usize],
}

/// libsvm's `Solver::Solve` for C-SVC with shrinking (scikit-learn's `shrinking=True`):
/// min ½αᵀQα − eᵀα, yᵀα = 0, 0 ≤ α_i ≤ C_i, with Q from `q` (each row of Q built when first
/// used, as libsvm's kernel cache fills). `cp` bounds the +1 rows, `cn` the −1 rows.
fn smo(
    q: Gram<'_>,
    y: &[f64],
    cp: f64,
    cn: f64,
    eps: f64,
    max_iter: usize,
    shrinking: bool,
) -> Solution {
    let mut s = Solver::new(q, y, cp, cn);
    let l = y.len();
    let mut counter = l.min(1000) + 1;
    let mut converged = false;
    while s.iter < max_iter {
        // Every min(l, 1000) iterations, drop the variables stuck at a bound (libsvm).
        counter -= 1;
        if counter == 0 {
            counter = l.min(1000);
            if shrinking {
                s.shrink(eps);
            }
        }
        let (i, j) = match s.working_set(eps) {
            Some(ij) => ij,
            None => {
                // Optimal on the active set: check it on every variable.
                s.unshrink();
                match s.working_set(eps) {
                    Some(ij) => {
                        counter = 1;
                        ij
                    }
                    None => {
                        converged = true;
                        break;
                    }
                }
            }
        };
        s.iter += 1;
        s.step(i, j);
    }
    s.unshrink();
    Solution {
        rho: s.rho(),
        iterations: s.iter,
        converged,
        shrunk: s.shrunk,
        alpha: s.alpha,
    }
}

/// The state of one SMO run: α, the gradient G = Qα − e over the active variables, and Ḡ
/// (Σ over α_j at its bound C_j of C_j Q_tj, for every t) from which the shrunk variables'
/// gradients are rebuilt.
struct Solver<'a> {
    q: Gram<'a>,
    /// Rows of Q built so far (empty until used).
    rows: Vec<Vec<f64>>,
    y: &'a [f64],
    /// C_i per variable.
    c: Vec<f64>,
    /// Q_ii.
    qd: Vec<f64>,
    alpha: Vec<f64>,
    g: Vec<f64>,
    g_bar: Vec<f64>,
    /// Variables still optimised, ascending.
    active: Vec<usize>,
    /// Whether the active set was restored once near the end (libsvm's `unshrink`).
    unshrunk: bool,
    iter: usize,
    /// Variables set aside so far (each time counted).
    shrunk: usize,
}

impl<'a> Solver<'a> {
    fn new(q: Gram<'a>, y: &'a [f64], cp: f64, cn: f64) -> Solver<'a> {
        let l = y.len();
        Solver {
            q,
            rows: vec![Vec::new(); l],
            y,
            c: y.iter().map(|&v| if v > 0.0 { cp } else { cn }).collect(),
            qd: q.rows.iter().map(|&r| q.values[r * q.n + r]).collect(),
            alpha: vec![0.0; l],
            g: vec![-1.0; l],
            g_bar: vec![0.0; l],
            active: (0..l).collect(),
            unshrunk: false,
            iter: 0,
            shrunk: 0,
        }
    }

    /// Builds row i of Q if not yet built.
    fn fill(&mut self, i: usize) {
        if self.rows[i].is_empty() {
            let Gram { values, n, rows } = self.q;
            let k = &values[rows[i] * n..(rows[i] + 1) * n];
            let yi = self.y[i];
            self.rows[i] = rows
                .iter()
                .zip(self.y)
                .map(|(&r, &yr)| yi * yr * k[r])
                .collect();
        }
    }

    fn upper(&self, t: usize) -> bool {
        self.alpha[t] >= self.c[t]
    }

    fn lower(&self, t: usize) -> bool {
        self.alpha[t] <= 0.0
    }

    /// Second-order working-set selection over the active variables (Fan, Chen & Lin 2005):
    /// i maximises −y_t G_t over I_up, j minimises the gain's bound; `None` when the maximal
    /// violation is below `eps`.
    fn working_set(&mut self, eps: f64) -> Option<(usize, usize)> {
        // Over 0..l while nothing is shrunk (the loops then index directly), else the list.
        if self.active.len() == self.y.len() {
            return self.select(0..self.y.len(), eps);
        }
        let active = std::mem::take(&mut self.active);
        let found = self.select(active.iter().copied(), eps);
        self.active = active;
        found
    }

    /// [`Self::working_set`] over the variables `active`.
    fn select(
        &mut self,
        active: impl Iterator<Item = usize> + Clone,
        eps: f64,
    ) -> Option<(usize, usize)> {
        let (y, g) = (self.y, &self.g);
        let (mut gmax, mut gmax_idx) = (f64::NEG_INFINITY, None);
        for t in active.clone() {
            let v = if y[t] > 0.0 {
                if self.upper(t) {
                    continue;
                }
                -g[t]
            } else {
                if self.lower(t) {
                    continue;
                }
                g[t]
            };
            if v >= gmax {
                gmax = v;
                gmax_idx = Some(t);
            }
        }
        let i = gmax_idx?;
        self.fill(i);
        let (y, g, qi) = (self.y, &self.g, &self.rows[i]);
        let (mut gmax2, mut gmin_idx, mut obj_min) = (f64::NEG_INFINITY, None, f64::INFINITY);
        for t in active {
            // −y_t G_t over I_low, and Q_ii + Q_tt − 2 y_i y_t Q_it = K_ii + K_tt − 2 K_it.
            let (v, quad) = if y[t] > 0.0 {
                if self.lower(t) {
                    continue;
                }
                (g[t], self.qd[i] + self.qd[t] - 2.0 * y[i] * qi[t])
            } else {
                if self.upper(t) {
                    continue;
                }
                (-g[t], self.qd[i] + self.qd[t] + 2.0 * y[i] * qi[t])
            };
            if v >= gmax2 {
                gmax2 = v;
            }
            let grad_diff = gmax + v;
            if grad_diff > 0.0 {
                let obj = -(grad_diff * grad_diff) / if quad > 0.0 { quad } else { TAU };
                if obj <= obj_min {
                    gmin_idx = Some(t);
                    obj_min = obj;
                }
            }
        }
        let j = gmin_idx?;
        (gmax + gmax2 >= eps).then_some((i, j))
    }

    /// Solves the two-variable subproblem on (i, j) and updates G and Ḡ.
    fn step(&mut self, i: usize, j: usize) {
        self.fill(i);
        self.fill(j);
        let (qi, qj) = (&self.rows[i], &self.rows[j]);
        let (ci, cj) = (self.c[i], self.c[j]);
        let (old_ai, old_aj) = (self.alpha[i], self.alpha[j]);
        let (ai, aj) = self.two_variables(i, j, qi[j]);
        self.alpha[i] = ai;
        self.alpha[j] = aj;
        let (dai, daj) = (ai - old_ai, aj - old_aj);
        if self.active.len() == self.g.len() {
            for ((g, &a), &b) in self.g.iter_mut().zip(qi).zip(qj) {
                *g += a * dai + b * daj;
            }
        } else {
            for &t in &self.active {
                self.g[t] += qi[t] * dai + qj[t] * daj;
            }
        }
        // Ḡ follows every change of a variable's upper-bound status.
        for (t, old, ct, qt) in [(i, old_ai, ci, qi), (j, old_aj, cj, qj)] {
            let (was, is) = (old >= ct, self.alpha[t] >= ct);
            if was != is {
                let sign = if is { ct } else { -ct };
                for (gb, &v) in self.g_bar.iter_mut().zip(qt) {
                    *gb += sign * v;
                }
            }
        }
    }

    /// The new (α_i, α_j), clipped to the box, with Q_ij = `qij`.
    fn two_variables(&self, i: usize, j: usize, qij: f64) -> (f64, f64) {
        let (g, y) = (&self.g, self.y);
        let (ci, cj) = (self.c[i], self.c[j]);
        let (mut ai, mut aj) = (self.alpha[i], self.alpha[j]);
        if y[i] != y[j] {
            let quad = self.qd[i] + self.qd[j] + 2.0 * qij;
            let delta = (-g[i] - g[j]) / if quad > 0.0 { quad } else { TAU };
            let diff = ai - aj;
            ai += delta;
            aj += delta;
            if diff > 0.0 {
                if aj < 0.0 {
                    aj = 0.0;
                    ai = diff;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = -diff;
            }
            if diff > ci - cj {
                if ai > ci {
                    ai = ci;
                    aj = ci - diff;
                }
            } else if aj > cj {
                aj = cj;
                ai = cj + diff;
            }
        } else {
            let quad = self.qd[i] + self.qd[j] - 2.0 * qij;
            let delta = (g[i] - g[j]) / if quad > 0.0 { quad } else { TAU };
            let sum = ai + aj;
            ai -= delta;
            aj += delta;
            if sum > ci {
                if ai > ci {
                    ai = ci;
                    aj = sum - ci;
                }
            } else if aj < 0.0 {
                aj = 0.0;
                ai = sum;
            }
            if sum > cj {
                if aj > cj {
                    aj = cj;
                    ai = sum - cj;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = sum;
            }
        }
        (ai, aj)
    }

    /// libsvm's `do_shrinking`: drops the bound variables that cannot enter a violating pair;
    /// once the violation falls below 10·eps, restores every variable first (once).
    fn shrink(&mut self, eps: f64) {
        let (y, g) = (self.y, &self.g);
        // Gmax1 over I_up, Gmax2 over I_low (libsvm's names).
        let (mut gmax1, mut gmax2) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &t in &self.active {
            if !self.upper(t) {
                if y[t] > 0.0 {
                    gmax1 = gmax1.max(-g[t]);
                } else {
                    gmax2 = gmax2.max(-g[t]);
                }
            }
            if !self.lower(t) {
                if y[t] > 0.0 {
                    gmax2 = gmax2.max(g[t]);
                } else {
                    gmax1 = gmax1.max(g[t]);
                }
            }
        }
        if !self.unshrunk && gmax1 + gmax2 <= eps * 10.0 {
            self.unshrunk = true;
            self.unshrink();
        }
        let mut active = std::mem::take(&mut self.active);
        let before = active.len();
        active.retain(|&t| !self.be_shrunk(t, gmax1, gmax2));
        self.shrunk += before - active.len();
        self.active = active;
    }

    /// libsvm's `be_shrunk`.
    fn be_shrunk(&self, t: usize, gmax1: f64, gmax2: f64) -> bool {
        let (y, g) = (self.y[t], self.g[t]);
        if self.upper(t) {
            -g > if y > 0.0 { gmax1 } else { gmax2 }
        } else if self.lower(t) {
            g > if y > 0.0 { gmax2 } else { gmax1 }
        } else {
            false
        }
    }

    /// libsvm's `reconstruct_gradient`: G of the shrunk variables from Ḡ and the free α, then
    /// every variable active again.
    fn unshrink(&mut self) {
        let l = self.y.len();
        if self.active.len() == l {
            return;
        }
        let mut is_active = vec![false; l];
        for &t in &self.active {
            is_active[t] = true;
        }
        let free: Vec<usize> = (0..l)
            .filter(|&t| is_active[t] && !self.upper(t) && !self.lower(t))
            .collect();
        for t in (0..l).filter(|&t| !is_active[t]) {
            self.fill(t);
            let qt = &self.rows[t];
            self.g[t] =
                self.g_bar[t] - 1.0 + free.iter().map(|&f| self.alpha[f] * qt[f]).sum::<f64>();
        }
        self.active = (0..l).collect();
    }

    /// ρ: the mean of y_t G_t over the free α, else the middle of the feasible interval.
    fn rho(&self) -> f64 {
        let (mut ub, mut lb, mut sum_free, mut n_free) =
            (f64::INFINITY, f64::NEG_INFINITY, 0.0, 0usize);
        for t in 0..self.y.len() {
            let (y, yg) = (self.y[t], self.y[t] * self.g[t]);
            if self.upper(t) {
                if y < 0.0 {
                    ub = ub.min(yg);
                } else {
                    lb = lb.max(yg);
                }
            } else if self.lower(t) {
                if y > 0.0 {
                    ub = ub.min(yg);
                } else {
                    lb = lb.max(yg);
                }
            } else {
                n_free += 1;
                sum_free += yg;
            }
        }
        if n_free > 0 {
            sum_free / n_free as f64
        } else {
            (ub + lb) / 2.0
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    /// Two overlapping Gaussian classes, RBF kernel: the signed Q and the labels.
    fn problem(l: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut rng = StdRng::seed_from_u64(7);
        let y: Vec<f64> = (0..l)
            .map(|i| if i % 3 == 0 { -1.0 } else { 1.0 })
            .collect();
        let x = Array2::from_shape_fn((l, 4), |(i, _)| y[i] * 0.4 + rng.r#gen::<f64>() * 2.0 - 1.0);
        let k = ResolvedKernel::resolve(
            Kernel::Rbf {
                gamma: Gamma::Scale,
            },
            &x,
        )
        .matrix(&x, &x);
        let q = (0..l * l)
            .map(|e| y[e / l] * y[e % l] * k[[e / l, e % l]])
            .collect();
        (k.into_raw_vec_and_offset().0, q, y)
    }

    /// The maximal KKT violation m(α) − M(α) over every variable, from a gradient computed
    /// afresh; the dual objective ½αᵀQα − eᵀα.
    fn check(q: &[f64], y: &[f64], c: &[f64], alpha: &[f64]) -> (f64, f64) {
        let l = y.len();
        let g: Vec<f64> = (0..l)
            .map(|t| (0..l).map(|j| q[t * l + j] * alpha[j]).sum::<f64>() - 1.0)
            .collect();
        let (mut up, mut low) = (f64::NEG_INFINITY, f64::INFINITY);
        for t in 0..l {
            let v = -y[t] * g[t];
            let in_up = (y[t] > 0.0 && alpha[t] < c[t]) || (y[t] < 0.0 && alpha[t] > 0.0);
            let in_low = (y[t] > 0.0 && alpha[t] > 0.0) || (y[t] < 0.0 && alpha[t] < c[t]);
            if in_up {
                up = up.max(v);
            }
            if in_low {
                low = low.min(v);
            }
        }
        let obj = (0..l).map(|t| 0.5 * alpha[t] * (g[t] - 1.0)).sum::<f64>();
        (up - low, obj)
    }

    #[test]
    fn shrinking_reaches_the_same_optimum_and_meets_kkt_on_every_variable() {
        let l = 1500;
        let (k, q, y) = problem(l);
        let rows: Vec<usize> = (0..l).collect();
        let gram = Gram {
            values: &k,
            n: l,
            rows: &rows,
        };
        let (cp, cn, eps) = (10.0, 20.0, 1e-3);
        let c: Vec<f64> = y.iter().map(|&v| if v > 0.0 { cp } else { cn }).collect();
        let with = smo(gram, &y, cp, cn, eps, 10_000_000, true);
        let without = smo(gram, &y, cp, cn, eps, 10_000_000, false);
        assert!(with.converged && without.converged);
        assert!(
            with.shrunk > 0,
            "the problem never shrank: the test checks nothing"
        );
        assert_eq!(without.shrunk, 0);
        for s in [&with, &without] {
            let (gap, _) = check(&q, &y, &c, &s.alpha);
            assert!(gap < eps + 1e-6, "KKT violation {gap} after convergence");
            let balance: f64 = s.alpha.iter().zip(&y).map(|(a, y)| a * y).sum();
            assert!(balance.abs() < 1e-8, "yᵀα = {balance}");
            assert!(
                s.alpha
                    .iter()
                    .zip(&c)
                    .all(|(&a, &c)| (0.0..=c).contains(&a))
            );
        }
        let (_, o1) = check(&q, &y, &c, &with.alpha);
        let (_, o2) = check(&q, &y, &c, &without.alpha);
        assert!(
            (o1 - o2).abs() <= 1e-3 * o2.abs(),
            "objectives {o1} vs {o2}"
        );
        assert!(
            (with.rho - without.rho).abs() < 1e-2,
            "rho {} vs {}",
            with.rho,
            without.rho
        );
    }

    #[test]
    fn gram_is_the_kernel_matrix_computed_once_per_pair_and_exactly_symmetric() {
        let mut rng = StdRng::seed_from_u64(11);
        // Sizes below, at and across the row block, and a partial last block.
        for n in [0, 1, 5, ROW_BLOCK, ROW_BLOCK + 1, 2 * ROW_BLOCK + 37] {
            let x = Array2::from_shape_fn((n, 6), |_| rng.r#gen::<f64>() * 4.0 - 2.0);
            for kernel in [
                Kernel::rbf_sigma(1.5),
                Kernel::Linear,
                Kernel::poly(),
                Kernel::sigmoid(),
            ] {
                let rk = ResolvedKernel::resolve(kernel, &x);
                let full = rk.matrix(&x, &x);
                let gram = rk.gram(&x);
                assert_eq!(gram.dim(), (n, n));
                for i in 0..n {
                    for j in 0..n {
                        assert_eq!(
                            gram[[i, j]].to_bits(),
                            gram[[j, i]].to_bits(),
                            "{kernel:?} n={n} ({i}, {j})"
                        );
                        let tol = 1e-12 * full[[i, j]].abs().max(1.0);
                        assert!(
                            (gram[[i, j]] - full[[i, j]]).abs() <= tol,
                            "{kernel:?} n={n} ({i}, {j}): {} vs {}",
                            gram[[i, j]],
                            full[[i, j]]
                        );
                    }
                }
            }
        }
    }
}
