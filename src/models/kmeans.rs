//! k-means clustering with scikit-learn `KMeans` semantics: greedy k-means++ initialisation,
//! Lloyd iterations, `n_init` restarts keeping the run of lowest inertia.
//!
//! - **Initialisation**: scikit-learn's greedy k-means++: the first centre is a row drawn
//!   uniformly; each next centre is the best (lowest resulting inertia) of 2 + ⌊ln k⌋ rows drawn
//!   with probability proportional to their squared distance to the nearest centre so far.
//! - **Iterations**: Lloyd's (assign every row to its nearest centre, move each centre to the mean
//!   of its rows). Hamerly's bounds (per row, an upper bound on the distance to its centre and a
//!   lower bound on the distance to any other, kept up to date from how far the centres moved)
//!   pass over the rows whose centre cannot change; the others are measured against every centre
//!   in blocks of 256 rows, one matrix product per block, by the expansion ‖x‖² − 2x·c + ‖c‖²
//!   as scikit-learn does (centred rows; assignments can differ from exact arithmetic only between
//!   centres equidistant to about 1e-7). A centre left without rows is moved to the row farthest
//!   from its own centre (scikit-learn's relocation). A run stops when no assignment changes,
//!   when the squared centre movement summed over centres is at most `tol` × the mean column
//!   variance of `x` (scikit-learn's `tol`), or after `max_iter` iterations; the rows are then
//!   assigned once more to the final centres, and the inertia is summed exactly.
//! - **Restarts** run in parallel (rayon), each with its own generator drawn from `seed`, so the
//!   result does not depend on the number of threads.
//! - **What the fitted model reports is the best run's**: [`KMeans::inertia`] is the *sum* of
//!   squared distances of the rows to their centres (scikit-learn's `inertia_`, the elbow's
//!   WCSS), and [`KMeans::labels`], [`KMeans::centroids`] and [`KMeans::cluster_sizes`] all come
//!   from that run.
//!
//! **Why not linfa-clustering.** linfa-clustering 0.8.1's `KMeans` was checked on the 10k sample
//! of the 114k-track set (peer/README.md, "Neighbours"): its `inertia()` is the mean squared
//! distance (the sum ÷ n: 7.6280 for k = 4, where the sum is 76,280), and its `cluster_count()`
//! is counted from the memberships of the *last* run while its centroids are the best run's (for
//! every k ≥ 3 the counts disagree with `predict` on the same rows, e.g. k = 3: 925 / 6,677 /
//! 2,398 against 3,048 / 4,756 / 2,196). Its centre update also averages the old centre in as one
//! more row (not Lloyd's mean) and its k-means++ draws one candidate per centre. Its WCSS came
//! within 0.48 % of scikit-learn's, but wrapping it would mean recomputing memberships, counts
//! and inertia after every fit, and it adds 16 crates.
//!
//! ```no_run
//! use listening::models::{KMeans, wcss_curve};
//! # let x = ndarray::Array2::<f64>::zeros((20, 3));
//! let model = KMeans::params(4).n_init(10).seed(0).fit(&x)?;
//! let (wcss, sizes) = (model.inertia(), model.cluster_sizes());
//! let elbow = wcss_curve(&x, 1..=15, 10, 0)?; // columns k, wcss
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::{check_finite, check_predict};
use crate::error::{Error, Result};
use ndarray::{Array2, Axis};
use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use std::ops::RangeInclusive;

/// Hyperparameters of [`KMeans`] (unchecked until `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`n_clusters`](Self::n_clusters) | given to [`KMeans::params`] | clusters k | 1 ..= rows |
/// | [`n_init`](Self::n_init) | `10` | restarts; the lowest inertia wins | ≥ 1 |
/// | [`max_iter`](Self::max_iter) | `300` | Lloyd iterations per run | ≥ 1 |
/// | [`tol`](Self::tol) | `1e-4` | stop when Σ centre shift² ≤ tol × mean column variance | ≥ 0 |
/// | [`seed`](Self::seed) | `0` | seed of the initialisations | |
///
/// `n_init` defaults to 10 as scikit-learn's `n_init=10` (its own default, `'auto'`, is 1 run
/// with k-means++).
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    n_clusters: usize,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
}

impl KMeansParams {
    pub fn n_clusters(mut self, n_clusters: usize) -> Self {
        self.n_clusters = n_clusters;
        self
    }
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the bad one.
    pub fn check(&self) -> Result<()> {
        if self.n_clusters == 0 {
            return Err(Error::parameter("n_clusters", 0, "at least 1 cluster"));
        }
        if self.n_init == 0 {
            return Err(Error::parameter("n_init", 0, "at least 1 run"));
        }
        if self.max_iter == 0 {
            return Err(Error::parameter("max_iter", 0, "at least 1 iteration"));
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(Error::parameter("tol", self.tol, "a number ≥ 0"));
        }
        Ok(())
    }

    /// Clusters the rows of `x`.
    ///
    /// # Errors
    /// [`Error::Parameter`] for a bad parameter or more clusters than rows; [`Error::Shape`]
    /// for no columns; [`Error::NonFinite`] for a NaN or infinite value.
    pub fn fit(&self, x: &Array2<f64>) -> Result<KMeans> {
        self.check()?;
        if x.ncols() == 0 {
            return Err(Error::Shape("no feature columns to cluster".into()));
        }
        if self.n_clusters > x.nrows() {
            return Err(Error::parameter(
                "n_clusters",
                self.n_clusters,
                format!("at most the {} rows", x.nrows()),
            ));
        }
        check_finite(x)?;
        let mean = x.mean_axis(Axis(0)).unwrap_or_default();
        let data = Data::new((x - &mean).as_standard_layout().into_owned());
        let tol = self.tol * x.var_axis(Axis(0), 0.0).mean().unwrap_or(0.0);
        let mut master = StdRng::seed_from_u64(self.seed);
        let seeds: Vec<u64> = (0..self.n_init).map(|_| master.r#gen()).collect();
        let runs: Vec<Run> = seeds
            .par_iter()
            .map(|&s| {
                let mut rng = StdRng::seed_from_u64(s);
                let init = plus_plus(&data, self.n_clusters, &mut rng);
                lloyd(&data, init, self.max_iter, tol)
            })
            .collect();
        let run_inertias: Vec<f64> = runs.iter().map(|r| r.inertia).collect();
        // Lowest inertia; the first such run on ties.
        let best = runs
            .into_iter()
            .reduce(|a, b| if b.inertia < a.inertia { b } else { a })
            .ok_or_else(|| Error::parameter("n_init", 0, "at least 1 run"))?;
        let centroids = best.centres + &mean;
        Ok(KMeans {
            params: self.clone(),
            centroids,
            labels: best.labels,
            inertia: best.inertia,
            n_iter: best.n_iter,
            run_inertias,
        })
    }
}

/// A fitted k-means clustering: the best of its runs (owned).
#[derive(Debug, Clone)]
pub struct KMeans {
    params: KMeansParams,
    centroids: Array2<f64>,
    labels: Vec<usize>,
    inertia: f64,
    n_iter: usize,
    run_inertias: Vec<f64>,
}

impl KMeans {
    /// Parameters for `n_clusters` clusters, otherwise scikit-learn's defaults (with
    /// `n_init` = 10).
    pub fn params(n_clusters: usize) -> KMeansParams {
        KMeansParams {
            n_clusters,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 0,
        }
    }

    /// The hyperparameters it was fitted with.
    pub fn hyperparameters(&self) -> &KMeansParams {
        &self.params
    }

    /// Number of clusters k.
    pub fn n_clusters(&self) -> usize {
        self.centroids.nrows()
    }

    /// Cluster centres, k × features.
    pub fn centroids(&self) -> &Array2<f64> {
        &self.centroids
    }

    /// The cluster of each fitted row (0..k).
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Sum over the fitted rows of the squared distance to their centre (WCSS; scikit-learn's
    /// `inertia_`, not a mean).
    pub fn inertia(&self) -> f64 {
        self.inertia
    }

    /// Rows in each cluster.
    pub fn cluster_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.n_clusters()];
        for &l in &self.labels {
            sizes[l] += 1;
        }
        sizes
    }

    /// Lloyd iterations of the best run.
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Inertia of every run, in run order (the best is [`Self::inertia`]).
    pub fn run_inertias(&self) -> &[f64] {
        &self.run_inertias
    }

    /// The nearest centre of each row of `x` (ties to the lower cluster).
    ///
    /// # Errors
    /// [`Error::Shape`] or [`Error::NonFinite`] for rows that do not fit the model.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        check_predict(x, self.centroids.ncols())?;
        let (c, d) = (self.centroids.as_standard_layout(), self.centroids.ncols());
        let c = c.as_slice().unwrap_or(&[]);
        Ok(x.rows()
            .into_iter()
            .map(|row| {
                let row = row.to_vec();
                let dist: Vec<f64> = c.chunks_exact(d).map(|cj| sq(&row, cj)).collect();
                best_two(&dist).0
            })
            .collect())
    }
}

impl std::fmt::Display for KMeans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "k-means: {} clusters of {} rows, inertia (WCSS) {:.4}, sizes {:?}; best of {} runs, {} iterations",
            self.n_clusters(),
            self.labels.len(),
            self.inertia,
            self.cluster_sizes(),
            self.run_inertias.len(),
            self.n_iter
        )
    }
}

/// The elbow: for each k of `ks`, the inertia (WCSS) of k-means with `n_init` runs seeded by
/// `seed`, as a DataFrame with columns `k` (u32) and `wcss` (f64).
///
/// # Errors
/// [`Error::Parameter`] for an empty range or a bad k / `n_init`; the data errors of
/// [`KMeansParams::fit`].
pub fn wcss_curve(
    x: &Array2<f64>,
    ks: RangeInclusive<usize>,
    n_init: usize,
    seed: u64,
) -> Result<DataFrame> {
    if ks.is_empty() {
        return Err(Error::parameter(
            "ks",
            format!("{ks:?}"),
            "a non-empty range of cluster counts",
        ));
    }
    let (mut k_col, mut wcss) = (Vec::new(), Vec::new());
    for k in ks {
        let model = KMeans::params(k).n_init(n_init).seed(seed).fit(x)?;
        k_col.push(k as u32);
        wcss.push(model.inertia());
    }
    Ok(DataFrame::new(
        k_col.len(),
        vec![
            Column::new("k".into(), k_col),
            Column::new("wcss".into(), wcss),
        ],
    )?)
}

/// The centred rows and their squared norms, shared by the runs.
struct Data {
    x: Array2<f64>,
    norms: Vec<f64>,
}

impl Data {
    fn new(x: Array2<f64>) -> Data {
        let norms = x.rows().into_iter().map(|r| r.dot(&r)).collect();
        Data { x, norms }
    }
    fn n(&self) -> usize {
        self.x.nrows()
    }
    fn row(&self, i: usize) -> &[f64] {
        let d = self.x.ncols();
        &self.x.as_slice().unwrap_or(&[])[i * d..(i + 1) * d]
    }
    /// The rows `rows`, copied into a block.
    fn gather(&self, rows: &[usize]) -> Array2<f64> {
        let mut v = Vec::with_capacity(rows.len() * self.x.ncols());
        for &i in rows {
            v.extend_from_slice(self.row(i));
        }
        Array2::from_shape_vec((rows.len(), self.x.ncols()), v).unwrap_or_default()
    }
}

/// One run's outcome: centres (k × d), labels, inertia, iterations.
struct Run {
    centres: Array2<f64>,
    labels: Vec<usize>,
    inertia: f64,
    n_iter: usize,
}

fn sq(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

/// Squared distances (rows × centres) of the rows `block` (their squared norms `norms`) to the
/// centres `c` (squared norms `c_norms`) by the expansion ‖x‖² − 2x·c + ‖c‖², one matrix product
/// (as scikit-learn computes them), clamped at 0.
fn sq_distances(
    block: &Array2<f64>,
    norms: &[f64],
    c: &Array2<f64>,
    c_norms: &[f64],
) -> Array2<f64> {
    let mut d = block.dot(&c.t()).as_standard_layout().into_owned();
    let k = c_norms.len();
    if let Some(v) = d.as_slice_mut() {
        for (row, &xx) in v.chunks_exact_mut(k).zip(norms) {
            for (v, &cc) in row.iter_mut().zip(c_norms) {
                let e = xx + cc - 2.0 * *v;
                *v = if e > 0.0 { e } else { 0.0 };
            }
        }
    }
    d
}

fn row_norms(c: &Array2<f64>) -> Vec<f64> {
    c.rows().into_iter().map(|r| r.dot(&r)).collect()
}

/// Nearest (ties to the lower index) and second-nearest of squared distances `d` (∞ for one
/// distance). Three branch-free passes: cheaper than one pass of unpredictable branches.
fn best_two(d: &[f64]) -> (usize, f64, f64) {
    let d1 = d
        .iter()
        .fold(f64::INFINITY, |m, &v| if v < m { v } else { m });
    let j = d.iter().position(|&v| v == d1).unwrap_or(0);
    let d2 = d.iter().enumerate().fold(
        f64::INFINITY,
        |m, (i, &v)| if v < m && i != j { v } else { m },
    );
    (j, d1, d2)
}

/// scikit-learn's greedy k-means++: k centres (k × d) drawn from the rows.
fn plus_plus(data: &Data, k: usize, rng: &mut StdRng) -> Array2<f64> {
    let n = data.n();
    let rows = || {
        data.x
            .as_slice()
            .unwrap_or(&[])
            .chunks_exact(data.x.ncols())
    };
    let trials = 2 + (k as f64).ln() as usize;
    let mut chosen = vec![rng.gen_range(0..n)];
    let mut closest: Vec<f64> = rows().map(|r| sq(r, data.row(chosen[0]))).collect();
    let mut pot: f64 = closest.iter().sum();
    let mut cum = vec![0.0; n];
    // Per row, its squared distance to each candidate or to the nearest centre, if nearer.
    let mut dist = vec![0.0; n * trials];
    for _ in 1..k {
        let mut acc = 0.0;
        for (c, &v) in cum.iter_mut().zip(&closest) {
            acc += v;
            *c = acc;
        }
        let cands: Vec<usize> = (0..trials)
            .map(|_| {
                let r = rng.r#gen::<f64>() * pot;
                cum.partition_point(|&c| c < r).min(n - 1)
            })
            .collect();
        let mut pots = vec![0.0; trials];
        for ((row, &c), out) in rows().zip(&closest).zip(dist.chunks_exact_mut(trials)) {
            for ((o, p), &cand) in out.iter_mut().zip(&mut pots).zip(&cands) {
                let v = sq(row, data.row(cand));
                *o = if v < c { v } else { c };
                *p += *o;
            }
        }
        // The candidate leaving the lowest potential (the first on ties).
        let t = (0..trials).fold(0, |b, t| if pots[t] < pots[b] { t } else { b });
        chosen.push(cands[t]);
        pot = pots[t];
        for (c, out) in closest.iter_mut().zip(dist.chunks_exact(trials)) {
            *c = out[t];
        }
    }
    data.gather(&chosen)
}

/// One run's state: per row the assigned centre, an upper bound on its distance and a lower
/// bound on its distance to every other centre (Hamerly); per centre the sum and count of its
/// rows.
struct State {
    label: Vec<usize>,
    upper: Vec<f64>,
    lower: Vec<f64>,
    /// k × d, row-major.
    sums: Vec<f64>,
    counts: Vec<usize>,
}

impl State {
    fn new(data: &Data, k: usize) -> State {
        let n = data.n();
        State {
            label: vec![0; n],
            upper: vec![f64::INFINITY; n],
            lower: vec![0.0; n],
            sums: vec![0.0; k * data.x.ncols()],
            counts: vec![0; k],
        }
    }

    fn add(&mut self, j: usize, row: &[f64], sign: f64) {
        let d = row.len();
        for (s, v) in self.sums[j * d..(j + 1) * d].iter_mut().zip(row) {
            *s += sign * v;
        }
        if sign > 0.0 {
            self.counts[j] += 1;
        } else {
            self.counts[j] -= 1;
        }
    }

    /// Reassigns every row whose bounds allow a change, measuring those rows against all
    /// centres at once (blocks of 256 rows, one matrix product each); returns how many rows
    /// changed centre. `first` assigns every row (no bounds yet).
    fn assign(&mut self, data: &Data, c: &Array2<f64>, first: bool) -> usize {
        let half = half_gaps(c);
        let todo: Vec<usize> = (0..data.n())
            .filter(|&i| first || self.upper[i] > half[self.label[i]].max(self.lower[i]))
            .collect();
        let c_norms = row_norms(c);
        let mut changed = 0;
        for chunk in todo.chunks(256) {
            let block = data.gather(chunk);
            let norms: Vec<f64> = chunk.iter().map(|&i| data.norms[i]).collect();
            let d = sq_distances(&block, &norms, c, &c_norms);
            let rows = d.as_slice().unwrap_or(&[]).chunks_exact(c.nrows());
            for (&i, row) in chunk.iter().zip(rows) {
                let (j, d1, d2) = best_two(row);
                (self.upper[i], self.lower[i]) = (d1.sqrt(), d2.sqrt());
                let a = self.label[i];
                if first || j != a {
                    if !first {
                        changed += 1;
                        self.add(a, data.row(i), -1.0);
                    }
                    self.label[i] = j;
                    self.add(j, data.row(i), 1.0);
                }
            }
        }
        changed
    }

    /// The means of the centres' rows. A centre without rows takes the row farthest from its
    /// centre in `c` (scikit-learn's relocation), which moves to it.
    fn means(&mut self, data: &Data, c: &Array2<f64>) -> Array2<f64> {
        let k = c.nrows();
        let empty: Vec<usize> = (0..k).filter(|&j| self.counts[j] == 0).collect();
        if !empty.is_empty() {
            let cs = c.as_standard_layout();
            let cs = cs.as_slice().unwrap_or(&[]);
            let d = c.ncols();
            let mut far: Vec<(f64, usize)> = (0..data.n())
                .map(|i| {
                    let l = self.label[i];
                    (sq(data.row(i), &cs[l * d..(l + 1) * d]), i)
                })
                .collect();
            far.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (&j, &(_, i)) in empty.iter().zip(&far) {
                self.add(self.label[i], data.row(i), -1.0);
                self.add(j, data.row(i), 1.0);
                (self.label[i], self.upper[i], self.lower[i]) = (j, 0.0, 0.0);
            }
        }
        let mut means = c.as_standard_layout().into_owned();
        let d = c.ncols();
        for (j, mut m) in means.rows_mut().into_iter().enumerate() {
            if self.counts[j] > 0 {
                let n = self.counts[j] as f64;
                for (v, s) in m.iter_mut().zip(&self.sums[j * d..(j + 1) * d]) {
                    *v = s / n;
                }
            }
        }
        means
    }

    /// Loosens the bounds after each centre j moved by `shift[j]`.
    fn moved(&mut self, shift: &[f64]) {
        let (mut m1, mut m2, mut arg) = (0.0, 0.0, usize::MAX);
        for (j, &s) in shift.iter().enumerate() {
            if s > m1 {
                (m2, m1, arg) = (m1, s, j);
            } else if s > m2 {
                m2 = s;
            }
        }
        for ((u, l), &a) in self.upper.iter_mut().zip(&mut self.lower).zip(&self.label) {
            *u += shift[a];
            *l -= if a == arg { m2 } else { m1 };
        }
    }
}

/// Half the distance from each centre to its nearest other centre (∞ for one centre).
fn half_gaps(c: &Array2<f64>) -> Vec<f64> {
    let k = c.nrows();
    (0..k)
        .map(|j| {
            (0..k)
                .filter(|&m| m != j)
                .map(|m| (&c.row(j) - &c.row(m)).mapv(|v| v * v).sum())
                .fold(f64::INFINITY, f64::min)
                .sqrt()
                / 2.0
        })
        .collect()
}

/// Lloyd iterations from `centres` (with Hamerly's bounds and running sums), as
/// scikit-learn's `_kmeans_single_lloyd`.
fn lloyd(data: &Data, mut centres: Array2<f64>, max_iter: usize, tol: f64) -> Run {
    let mut state = State::new(data, centres.nrows());
    let mut strict = false;
    let mut n_iter = 0;
    for it in 0..max_iter {
        n_iter = it + 1;
        let changed = state.assign(data, &centres, it == 0);
        let new = state.means(data, &centres);
        let shift: Vec<f64> = new
            .rows()
            .into_iter()
            .zip(centres.rows())
            .map(|(a, b)| (&a - &b).mapv(|v| v * v).sum().sqrt())
            .collect();
        centres = new;
        state.moved(&shift);
        if it > 0 && changed == 0 {
            strict = true;
            break;
        }
        if shift.iter().map(|s| s * s).sum::<f64>() <= tol {
            break;
        }
    }
    if !strict {
        state.assign(data, &centres, false);
    }
    let inertia = (0..data.n())
        .map(|i| {
            let c = centres.row(state.label[i]);
            data.row(i)
                .iter()
                .zip(c)
                .map(|(p, q)| (p - q) * (p - q))
                .sum::<f64>()
        })
        .sum();
    Run {
        centres,
        labels: state.label,
        inertia,
        n_iter,
    }
}
