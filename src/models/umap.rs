//! UMAP (McInnes, Healy & Melville 2018), ported from umap-learn 0.5 step by step, seeded and
//! single-threaded so that a seed gives the same embedding on every run (umap-learn's own
//! reproducible mode, `random_state` set, is single-threaded too).
//!
//! The steps, as umap-learn does them:
//!
//! 1. **k nearest neighbours**, exact: a brute-force search in blocks of 256 × 2,048 rows (one
//!    block of squared distances in memory, never an n × n matrix), the row itself first, as
//!    umap-learn's exact search for small data. O(n² · features) time.
//! 2. **smooth_knn_dist**: per row, ρ = distance to the nearest other row and σ by binary search
//!    so that Σ exp(−(d − ρ)/σ) = log2(k), floored at `MIN_K_DIST_SCALE` × the mean distance.
//! 3. **fuzzy simplicial set**: memberships exp(−(d − ρ)/σ), symmetrised by the fuzzy union
//!    A + Aᵀ − A∘Aᵀ (`set_op_mix_ratio` 1), kept sparse (n × k edges each way); edges below
//!    max / n_epochs are dropped before the layout.
//! 4. **find_ab_params**: a, b of 1 / (1 + a d^{2b}) fitted by Levenberg–Marquardt to the
//!    min_dist / spread curve, from (1, 1) as scipy's `curve_fit`.
//! 5. **initialisation** ([`UmapInit`]): `Spectral` (default, as umap-learn) takes the
//!    eigenvectors of the normalised graph Laplacian I − D^{−½} W D^{−½} with the smallest
//!    non-trivial eigenvalues, computed by a thick-restart Lanczos iteration with full
//!    reorthogonalisation (exact for components of up to 48 rows); a graph of several connected
//!    components is laid out as umap-learn's `multi_component_layout` does, each component's
//!    spectral layout placed around a point of a meta layout (see [`UmapInit::Spectral`] for the
//!    one difference). `Random` is umap-learn's uniform init in [−10, 10]. Both are rescaled to
//!    [0, 10] per axis, as umap-learn does.
//! 6. **SGD**: `n_epochs` passes; each edge is sampled every `max weight / weight` epochs,
//!    followed by `negative_sample_rate` negative samples, gradients clipped at ±4, learning
//!    rate decaying linearly to 0.
//!
//! Numbers are `f64` throughout (umap-learn uses `f32` for σ, ρ and the embedding) except the
//! SGD's d^{2b}, taken in `f32` (glibc's `pow` was half of the fit's time; its table-driven `powf`
//! is several times cheaper, and as precise as umap-learn's `f32` embedding; a series in `f64`
//! was slower still, being one long dependency chain). The random numbers come
//! from `StdRng`, and the negative samples from a SplitMix64 seeded by it (cheap, as umap-learn's
//! Tausworthe generator), so a seed does not give umap-learn's embedding, only one of the same
//! quality: on the fixture of `tests/it/umap.rs` the trustworthiness of ours and of
//! umap-learn's agree within 0.02.
//!
//! ```no_run
//! use listening::models::{Umap, trustworthiness};
//! # let x = ndarray::Array2::<f64>::zeros((100, 11));
//! let embedding = Umap::params().n_neighbors(15).min_dist(0.1).seed(42).fit_transform(&x)?;
//! let xy = embedding.coordinates(); // rows × 2
//! let t = trustworthiness(&x, xy, 10)?;
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::check_finite;
use super::resample::normal;
use crate::error::{Error, Result};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, s};
use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// umap-learn's tolerance of the σ binary search.
const SMOOTH_K_TOLERANCE: f64 = 1e-5;
/// umap-learn's floor of σ, as a share of the mean neighbour distance.
const MIN_K_DIST_SCALE: f64 = 1e-3;
/// Query rows and reference rows per block of the nearest-neighbour search.
const QUERY_BLOCK: usize = 256;
const REF_BLOCK: usize = 2048;

/// Distance between rows of the input. Only Euclidean, umap-learn's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UmapMetric {
    #[default]
    Euclidean,
}

/// How the layout starts before the SGD epochs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UmapInit {
    /// umap-learn's default: the graph Laplacian's smallest non-trivial eigenvectors, scaled to
    /// ±10 with N(0, 10⁻⁴) noise. A graph of several connected components: each component's own
    /// spectral layout around a meta position, as umap-learn's `multi_component_layout`; the meta
    /// positions are umap-learn's (±unit vectors) up to 2 × n_components components, and beyond
    /// that the components' centroids projected on their first principal axes (umap-learn uses a
    /// spectral embedding of the centroids there). Components too small for a spectral layout
    /// are spread uniformly around their meta position, as umap-learn does.
    #[default]
    Spectral,
    /// Uniform in [−10, 10] on every axis (umap-learn's `init="random"`).
    Random,
}

/// Hyperparameters of [`Umap`] (checked by [`fit_transform`](Self::fit_transform)); defaults are
/// umap-learn's.
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`n_neighbors`](Self::n_neighbors) | `15` | neighbours per row, the row itself included | ≥ 2, < rows |
/// | [`n_components`](Self::n_components) | `2` | dimensions of the embedding | ≥ 1 |
/// | [`min_dist`](Self::min_dist) | `0.1` | closest distance of embedded neighbours | [0, spread] |
/// | [`spread`](Self::spread) | `1.0` | scale of the embedded clusters | > 0 |
/// | [`n_epochs`](Self::n_epochs) | `None` | SGD epochs; `None`: 500 up to 10,000 rows, else 200 | any (0: the initial layout) |
/// | [`learning_rate`](Self::learning_rate) | `1.0` | initial SGD step | > 0 |
/// | [`negative_sample_rate`](Self::negative_sample_rate) | `5` | negative samples per edge sample | any |
/// | [`repulsion_strength`](Self::repulsion_strength) | `1.0` | weight γ of the negative samples | ≥ 0 |
/// | [`metric`](Self::metric) | `Euclidean` | input distance | |
/// | [`init`](Self::init) | `Spectral` | initial layout | |
/// | [`seed`](Self::seed) | `0` | initial layout and negative sampling | |
#[derive(Debug, Clone, PartialEq)]
pub struct UmapParams {
    n_neighbors: usize,
    n_components: usize,
    min_dist: f64,
    spread: f64,
    n_epochs: Option<usize>,
    learning_rate: f64,
    negative_sample_rate: usize,
    repulsion_strength: f64,
    metric: UmapMetric,
    init: UmapInit,
    seed: u64,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams {
            n_neighbors: 15,
            n_components: 2,
            min_dist: 0.1,
            spread: 1.0,
            n_epochs: None,
            learning_rate: 1.0,
            negative_sample_rate: 5,
            repulsion_strength: 1.0,
            metric: UmapMetric::Euclidean,
            init: UmapInit::Spectral,
            seed: 0,
        }
    }
}

/// UMAP's entry point: `Umap::params()` then setters then
/// [`fit_transform`](UmapParams::fit_transform).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Umap;

impl Umap {
    /// umap-learn's default parameters, seed 0.
    pub fn params() -> UmapParams {
        UmapParams::default()
    }
}

/// A fitted embedding: the coordinates (rows × n_components, in the order of the input rows) and
/// what produced them (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding {
    coordinates: Array2<f64>,
    params: UmapParams,
    a: f64,
    b: f64,
    n_epochs: usize,
    n_edges: usize,
    seconds: f64,
}

impl UmapParams {
    pub fn n_neighbors(mut self, n_neighbors: usize) -> Self {
        self.n_neighbors = n_neighbors;
        self
    }
    pub fn n_components(mut self, n_components: usize) -> Self {
        self.n_components = n_components;
        self
    }
    pub fn min_dist(mut self, min_dist: f64) -> Self {
        self.min_dist = min_dist;
        self
    }
    pub fn spread(mut self, spread: f64) -> Self {
        self.spread = spread;
        self
    }
    /// `None`: umap-learn's default, 500 epochs for up to 10,000 rows, 200 above.
    pub fn n_epochs(mut self, n_epochs: Option<usize>) -> Self {
        self.n_epochs = n_epochs;
        self
    }
    pub fn learning_rate(mut self, learning_rate: f64) -> Self {
        self.learning_rate = learning_rate;
        self
    }
    pub fn negative_sample_rate(mut self, negative_sample_rate: usize) -> Self {
        self.negative_sample_rate = negative_sample_rate;
        self
    }
    pub fn repulsion_strength(mut self, repulsion_strength: f64) -> Self {
        self.repulsion_strength = repulsion_strength;
        self
    }
    pub fn metric(mut self, metric: UmapMetric) -> Self {
        self.metric = metric;
        self
    }
    pub fn init(mut self, init: UmapInit) -> Self {
        self.init = init;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the first one out of range (the data
    /// checks, such as n_neighbors below the number of rows, are in `fit_transform`).
    pub fn check(&self) -> Result<()> {
        if self.n_neighbors < 2 {
            return Err(Error::parameter("n_neighbors", self.n_neighbors, "≥ 2"));
        }
        if self.n_components == 0 {
            return Err(Error::parameter("n_components", 0, "≥ 1"));
        }
        if !(self.spread.is_finite() && self.spread > 0.0) {
            return Err(Error::parameter("spread", self.spread, "finite and > 0"));
        }
        if !(self.min_dist.is_finite() && self.min_dist >= 0.0) {
            return Err(Error::parameter(
                "min_dist",
                self.min_dist,
                "finite and ≥ 0",
            ));
        }
        if self.min_dist > self.spread {
            return Err(Error::parameter(
                "min_dist",
                self.min_dist,
                format!("≤ spread ({})", self.spread),
            ));
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(Error::parameter(
                "learning_rate",
                self.learning_rate,
                "finite and > 0",
            ));
        }
        if !(self.repulsion_strength.is_finite() && self.repulsion_strength >= 0.0) {
            return Err(Error::parameter(
                "repulsion_strength",
                self.repulsion_strength,
                "finite and ≥ 0",
            ));
        }
        Ok(())
    }

    /// Embeds the rows of `x` (rows × features, e.g. standardised audio features).
    ///
    /// # Errors
    /// [`Error::Parameter`] for parameters out of range or `n_neighbors` not below the number of
    /// rows, [`Error::Shape`] for no feature columns, [`Error::NonFinite`] for a NaN or infinite
    /// value.
    pub fn fit_transform(&self, x: &Array2<f64>) -> Result<Embedding> {
        self.check()?;
        self.check_data(x)?;
        let start = std::time::Instant::now();
        let n = x.nrows();
        let mut rng = StdRng::seed_from_u64(self.seed);
        let UmapMetric::Euclidean = self.metric;
        let knn = nearest_neighbors(x.view(), self.n_neighbors);
        let default_epochs = if n <= 10_000 { 500 } else { 200 };
        let n_epochs = self.n_epochs.unwrap_or(default_epochs);
        let graph = fuzzy_simplicial_set(&knn, n);
        // umap-learn drops the edges below max / n_epochs (max / default for ≤ 10 epochs).
        let prune_epochs = if n_epochs > 10 {
            n_epochs
        } else {
            default_epochs
        };
        let graph = graph.pruned(prune_epochs as f64);
        let (a, b) = find_ab_params(self.spread, self.min_dist);
        let mut layout = match self.init {
            UmapInit::Spectral => spectral_init(x.view(), &graph, self.n_components, &mut rng),
            UmapInit::Random => uniform(n, self.n_components, 10.0, &mut rng),
        };
        rescale_axes(&mut layout);
        let sgd = Sgd {
            a,
            b,
            gamma: self.repulsion_strength,
            alpha: self.learning_rate,
            negative_sample_rate: self.negative_sample_rate,
            n_epochs,
        };
        sgd.run(&graph, &mut layout, &mut rng);
        Ok(Embedding {
            coordinates: layout,
            params: self.clone(),
            a,
            b,
            n_epochs,
            n_edges: graph.n_edges(),
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    fn check_data(&self, x: &Array2<f64>) -> Result<()> {
        if x.ncols() == 0 {
            return Err(Error::Shape("no feature columns to embed".into()));
        }
        if x.nrows() <= self.n_neighbors {
            return Err(Error::parameter(
                "n_neighbors",
                self.n_neighbors,
                format!(
                    "below the number of rows ({}): umap needs at least n_neighbors + 1 rows",
                    x.nrows()
                ),
            ));
        }
        if x.nrows() >= u32::MAX as usize {
            return Err(Error::Shape(format!(
                "{} rows: too many to embed",
                x.nrows()
            )));
        }
        check_finite(x)
    }
}

impl Embedding {
    /// The embedded rows (rows × n_components), in the order of the input rows.
    pub fn coordinates(&self) -> &Array2<f64> {
        &self.coordinates
    }

    /// The coordinates, without the rest.
    pub fn into_coordinates(self) -> Array2<f64> {
        self.coordinates
    }

    /// The parameters it was fitted with.
    pub fn fitted_params(&self) -> &UmapParams {
        &self.params
    }

    /// The fitted curve 1 / (1 + a d^{2b}): (a, b).
    pub fn ab(&self) -> (f64, f64) {
        (self.a, self.b)
    }

    /// SGD epochs run (the set value or umap-learn's default).
    pub fn n_epochs(&self) -> usize {
        self.n_epochs
    }

    /// Directed edges of the fuzzy graph the layout was optimised on (each pair counted twice).
    pub fn n_edges(&self) -> usize {
        self.n_edges
    }

    /// Seconds spent in `fit_transform`.
    pub fn fit_seconds(&self) -> f64 {
        self.seconds
    }

    /// Columns `umap1`, `umap2`, … (one per component), rows in input order: join a cluster or
    /// genre column to colour a scatter plot.
    pub fn to_frame(&self) -> Result<DataFrame> {
        let cols: Vec<Column> = (0..self.coordinates.ncols())
            .map(|c| {
                let v: Vec<f64> = self.coordinates.column(c).to_vec();
                Column::new(format!("umap{}", c + 1).into(), v)
            })
            .collect();
        Ok(DataFrame::new(self.coordinates.nrows(), cols)?)
    }

    /// [`Self::to_frame`] with a last column `column` naming each row's class, `classes[code]`
    /// for its code in `codes` (one per embedded row): the frame to draw a scatter plot from.
    ///
    /// # Errors
    /// [`Error::Shape`] when `codes` has not one code per row, [`Error::Parameter`] when a code
    /// has no class.
    pub fn labelled(&self, column: &str, codes: &[usize], classes: &[String]) -> Result<DataFrame> {
        crate::bridge::with_classes(self.to_frame()?, column, codes, classes)
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Nearest neighbours

/// k nearest neighbours of every row, row-major n × k: the row itself first (distance 0), then
/// the k − 1 nearest other rows by increasing distance (ties by row index).
struct Knn {
    k: usize,
    indices: Vec<usize>,
    distances: Vec<f64>,
}

/// The k − 1 best (squared distance, row) of one query row so far, ascending.
struct Best {
    d2: Vec<f64>,
    idx: Vec<usize>,
}

impl Best {
    fn worst(&self, cap: usize) -> f64 {
        if self.d2.len() < cap {
            f64::INFINITY
        } else {
            self.d2[cap - 1]
        }
    }

    fn insert(&mut self, cap: usize, d2: f64, j: usize) {
        let pos = self.d2.partition_point(|&d| d <= d2);
        if pos >= cap {
            return;
        }
        if self.d2.len() == cap {
            self.d2.pop();
            self.idx.pop();
        }
        self.d2.insert(pos, d2);
        self.idx.insert(pos, j);
    }
}

/// Exact k-nearest-neighbour search (k includes the row itself; needs rows ≥ k). Squared
/// distances ‖q‖² + ‖r‖² − 2 q·r of one block of query rows against one block of reference rows
/// at a time (a matrix product), so memory stays at one block whatever the number of rows; the
/// distances of the neighbours found are then recomputed directly.
fn nearest_neighbors(x: ArrayView2<f64>, k: usize) -> Knn {
    let n = x.nrows();
    let cap = k - 1;
    let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut indices = vec![0usize; n * k];
    let mut distances = vec![0.0; n * k];
    let mut block = Array2::<f64>::zeros((QUERY_BLOCK.min(n), REF_BLOCK.min(n)));
    for q0 in (0..n).step_by(QUERY_BLOCK) {
        let q1 = (q0 + QUERY_BLOCK).min(n);
        let queries = x.slice(s![q0..q1, ..]);
        let mut best: Vec<Best> = (q0..q1)
            .map(|_| Best {
                d2: Vec::with_capacity(k),
                idx: Vec::with_capacity(k),
            })
            .collect();
        for r0 in (0..n).step_by(REF_BLOCK) {
            let r1 = (r0 + REF_BLOCK).min(n);
            let mut dots = block.slice_mut(s![..q1 - q0, ..r1 - r0]);
            general_mat_mul(1.0, &queries, &x.slice(s![r0..r1, ..]).t(), 0.0, &mut dots);
            for (qi, row) in dots.rows().into_iter().enumerate() {
                let i = q0 + qi;
                let b = &mut best[qi];
                let mut worst = b.worst(cap);
                for (c, &dot) in row.iter().enumerate() {
                    let j = r0 + c;
                    let d2 = norms[i] + norms[j] - 2.0 * dot;
                    if d2 < worst && j != i {
                        b.insert(cap, d2, j);
                        worst = b.worst(cap);
                    }
                }
            }
        }
        for (qi, b) in best.into_iter().enumerate() {
            let i = q0 + qi;
            let mut found: Vec<(f64, usize)> = b
                .idx
                .iter()
                .map(|&j| (euclidean(x.row(i), x.row(j)), j))
                .collect();
            found.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
            indices[i * k] = i;
            for (slot, (d, j)) in found.into_iter().enumerate() {
                indices[i * k + 1 + slot] = j;
                distances[i * k + 1 + slot] = d;
            }
        }
    }
    Knn {
        k,
        indices,
        distances,
    }
}

fn euclidean(a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>) -> f64 {
    a.iter()
        .zip(b.iter())
        .map(|(p, q)| (p - q) * (p - q))
        .sum::<f64>()
        .sqrt()
}

// ---------------------------------------------------------------------------------------------
// 2-3. smooth_knn_dist and the fuzzy simplicial set

/// umap-learn's `smooth_knn_dist` (local_connectivity 1, bandwidth 1): (σ, ρ) per row.
fn smooth_knn_dist(knn: &Knn) -> (Vec<f64>, Vec<f64>) {
    let k = knn.k;
    let n = knn.distances.len() / k;
    let target = (k as f64).log2();
    let mean_all = knn.distances.iter().sum::<f64>() / knn.distances.len() as f64;
    let mut sigmas = vec![0.0; n];
    let mut rhos = vec![0.0; n];
    for i in 0..n {
        let row = &knn.distances[i * k..(i + 1) * k];
        // local_connectivity 1: ρ is the first non-zero distance.
        let rho = row.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0);
        let (mut lo, mut hi, mut mid) = (0.0, f64::INFINITY, 1.0);
        for _ in 0..64 {
            let psum: f64 = row[1..]
                .iter()
                .map(|&d| {
                    if d - rho > 0.0 {
                        (-(d - rho) / mid).exp()
                    } else {
                        1.0
                    }
                })
                .sum();
            if (psum - target).abs() < SMOOTH_K_TOLERANCE {
                break;
            }
            if psum > target {
                hi = mid;
                mid = (lo + hi) / 2.0;
            } else {
                lo = mid;
                mid = if hi.is_infinite() {
                    mid * 2.0
                } else {
                    (lo + hi) / 2.0
                };
            }
        }
        let mean = if rho > 0.0 {
            row.iter().sum::<f64>() / k as f64
        } else {
            mean_all
        };
        sigmas[i] = mid.max(MIN_K_DIST_SCALE * mean);
        rhos[i] = rho;
    }
    (sigmas, rhos)
}

/// The symmetric fuzzy graph, sparse (CSR, rows sorted by column): `indices[indptr[i]..
/// indptr[i + 1]]` are the neighbours of row i, `weights` their memberships in (0, 1].
#[derive(Debug, Clone)]
struct Graph {
    indptr: Vec<usize>,
    indices: Vec<usize>,
    weights: Vec<f64>,
}

impl Graph {
    fn n(&self) -> usize {
        self.indptr.len() - 1
    }

    fn n_edges(&self) -> usize {
        self.indices.len()
    }

    fn row(&self, i: usize) -> (&[usize], &[f64]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.weights[a..b])
    }

    /// Sorted (row, col, value) triples with distinct (row, col) → CSR over `n` rows.
    fn from_sorted(n: usize, entries: impl Iterator<Item = (usize, usize, f64)>) -> Graph {
        let mut indptr = vec![0usize; n + 1];
        let (mut indices, mut weights) = (Vec::new(), Vec::new());
        for (r, c, v) in entries {
            indptr[r + 1] += 1;
            indices.push(c);
            weights.push(v);
        }
        for i in 0..n {
            indptr[i + 1] += indptr[i];
        }
        Graph {
            indptr,
            indices,
            weights,
        }
    }

    /// Without the edges below max weight / `n_epochs` (umap-learn's pruning before the layout).
    fn pruned(&self, n_epochs: f64) -> Graph {
        let max = self.weights.iter().copied().fold(0.0, f64::max);
        let n = self.n();
        let entries = (0..n).flat_map(|i| {
            let (cols, w) = self.row(i);
            cols.iter()
                .zip(w)
                .filter(move |&(_, &v)| v >= max / n_epochs && v > 0.0)
                .map(move |(&c, &v)| (i, c, v))
        });
        Graph::from_sorted(n, entries)
    }
}

/// umap-learn's `fuzzy_simplicial_set` with `set_op_mix_ratio` 1: memberships
/// exp(−(d − ρ)/σ) of each row's neighbours, then the fuzzy union A + Aᵀ − A∘Aᵀ.
fn fuzzy_simplicial_set(knn: &Knn, n: usize) -> Graph {
    let (sigmas, rhos) = smooth_knn_dist(knn);
    let k = knn.k;
    // (row, col, a_rc, a_cr): each membership once as itself, once as its transpose.
    let mut entries: Vec<(usize, usize, f64, f64)> = Vec::with_capacity(2 * n * k);
    for i in 0..n {
        for slot in 0..k {
            let j = knn.indices[i * k + slot];
            let d = knn.distances[i * k + slot];
            if j == i {
                continue;
            }
            let v = if d - rhos[i] <= 0.0 || sigmas[i] == 0.0 {
                1.0
            } else {
                (-(d - rhos[i]) / sigmas[i]).exp()
            };
            if v > 0.0 {
                entries.push((i, j, v, 0.0));
                entries.push((j, i, 0.0, v));
            }
        }
    }
    entries.sort_unstable_by(|p, q| p.0.cmp(&q.0).then(p.1.cmp(&q.1)));
    let mut merged: Vec<(usize, usize, f64)> = Vec::with_capacity(entries.len());
    let mut e = 0;
    while e < entries.len() {
        let (r, c) = (entries[e].0, entries[e].1);
        let (mut a, mut t) = (0.0, 0.0);
        while e < entries.len() && entries[e].0 == r && entries[e].1 == c {
            a += entries[e].2;
            t += entries[e].3;
            e += 1;
        }
        let v = a + t - a * t;
        if v > 0.0 {
            merged.push((r, c, v));
        }
    }
    Graph::from_sorted(n, merged.into_iter())
}

// ---------------------------------------------------------------------------------------------
// 4. find_ab_params

/// a, b of the embedding's membership curve 1 / (1 + a d^{2b}), fitted as umap-learn's
/// `find_ab_params`: least squares against 1 for d < min_dist and exp(−(d − min_dist) / spread)
/// beyond, on 300 points of [0, 3 · spread], by Levenberg–Marquardt from (1, 1) as scipy's
/// `curve_fit`. `(0.1, 1.0)` gives a ≈ 1.577, b ≈ 0.895.
///
/// Arguments outside `UmapParams::check`'s ranges give whatever the fit reaches (possibly NaN).
pub fn find_ab_params(spread: f64, min_dist: f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..300).map(|i| 3.0 * spread * i as f64 / 299.0).collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|&x| {
            if x < min_dist {
                1.0
            } else {
                (-(x - min_dist) / spread).exp()
            }
        })
        .collect();
    let cost = |a: f64, b: f64| -> f64 {
        xs.iter()
            .zip(&ys)
            .map(|(&x, &y)| (curve(x, a, b) - y).powi(2))
            .sum()
    };
    let (mut a, mut b) = (1.0, 1.0);
    let mut current = cost(a, b);
    let mut lambda = 1e-3;
    for _ in 0..500 {
        let (jtj, jtr) = normal_equations(&xs, &ys, a, b);
        let mut improved = false;
        for _ in 0..50 {
            let m = [
                [jtj[0][0] * (1.0 + lambda), jtj[0][1]],
                [jtj[1][0], jtj[1][1] * (1.0 + lambda)],
            ];
            let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
            let da = -(m[1][1] * jtr[0] - m[0][1] * jtr[1]) / det;
            let db = -(m[0][0] * jtr[1] - m[1][0] * jtr[0]) / det;
            let trial = cost(a + da, b + db);
            if trial.is_finite() && trial <= current {
                let step = (da.abs() + db.abs()) / (a.abs() + b.abs());
                (a, b, current) = (a + da, b + db, trial);
                lambda = (lambda / 10.0).max(1e-12);
                improved = step > 1e-14;
                break;
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    (a, b)
}

fn curve(x: f64, a: f64, b: f64) -> f64 {
    1.0 / (1.0 + a * x.powf(2.0 * b))
}

/// JᵀJ and Jᵀr of the residuals curve(x; a, b) − y.
fn normal_equations(xs: &[f64], ys: &[f64], a: f64, b: f64) -> ([[f64; 2]; 2], [f64; 2]) {
    let mut jtj = [[0.0; 2]; 2];
    let mut jtr = [0.0; 2];
    for (&x, &y) in xs.iter().zip(ys) {
        if x <= 0.0 {
            // curve(0) = 1 whatever a and b: no gradient.
            continue;
        }
        let p = x.powf(2.0 * b);
        let den = (1.0 + a * p) * (1.0 + a * p);
        let g = [-p / den, -a * p * 2.0 * x.ln() / den];
        let r = 1.0 / (1.0 + a * p) - y;
        for u in 0..2 {
            jtr[u] += g[u] * r;
            for v in 0..2 {
                jtj[u][v] += g[u] * g[v];
            }
        }
    }
    (jtj, jtr)
}

// ---------------------------------------------------------------------------------------------
// 5. Initialisation

/// Basis size of the Lanczos iteration (its vectors are the largest memory of the spectral
/// init: 48 × rows numbers).
const LANCZOS_BASIS: usize = 48;
/// Residual ‖M u − θ u‖ below which a Ritz pair of M = (I + D^{−½} W D^{−½}) / 2 has converged.
const LANCZOS_TOL: f64 = 1e-7;
/// Matrix-vector products after which the Lanczos iteration stops, converged or not (its Ritz
/// vectors are then a smooth layout all the same).
const LANCZOS_MAX_PRODUCTS: usize = 2_000;

/// umap-learn's spectral initialisation, scaled so that the largest coordinate is 10, plus
/// N(0, 10⁻⁴) noise (`noisy_scale_coords`).
fn spectral_init(x: ArrayView2<f64>, graph: &Graph, dim: usize, rng: &mut StdRng) -> Array2<f64> {
    let (labels, n_comp) = components(graph);
    let mut layout = if n_comp == 1 {
        component_layout(graph, dim, 10.0, rng)
    } else {
        multi_component_layout(x, graph, &labels, n_comp, dim, rng)
    };
    let max = layout.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max > 0.0 {
        layout.mapv_inplace(|v| v * 10.0 / max);
    }
    layout.mapv_inplace(|v| v + 1e-4 * normal(rng));
    layout
}

/// Connected components: the label of each row (0.., in order of first row) and their number.
fn components(graph: &Graph) -> (Vec<usize>, usize) {
    let n = graph.n();
    let mut labels = vec![usize::MAX; n];
    let mut count = 0;
    let mut stack = Vec::new();
    for start in 0..n {
        if labels[start] != usize::MAX {
            continue;
        }
        labels[start] = count;
        stack.push(start);
        while let Some(i) = stack.pop() {
            for &j in graph.row(i).0 {
                if labels[j] == usize::MAX {
                    labels[j] = count;
                    stack.push(j);
                }
            }
        }
        count += 1;
    }
    (labels, count)
}

/// The layout of one connected component within ±`range`: its spectral layout scaled to a
/// largest coordinate of `range`, or uniform in ±`range` when it has too few rows for one
/// (fewer than 2 · dim, or at most dim + 1, as umap-learn).
fn component_layout(graph: &Graph, dim: usize, range: f64, rng: &mut StdRng) -> Array2<f64> {
    let n = graph.n();
    if n < 2 * dim || n <= dim + 1 {
        return uniform(n, dim, range, rng);
    }
    let vectors = laplacian_eigenvectors(graph, dim, rng);
    let mut layout = Array2::zeros((n, dim));
    for (c, v) in vectors.iter().enumerate() {
        layout
            .column_mut(c)
            .assign(&ndarray::ArrayView1::from(v.as_slice()));
    }
    let max = layout.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max > 0.0 {
        layout.mapv_inplace(|v| v * range / max);
    }
    layout
}

/// umap-learn's `multi_component_layout`: each component laid out on its own around its meta
/// position, within half the distance to the nearest other meta position.
fn multi_component_layout(
    x: ArrayView2<f64>,
    graph: &Graph,
    labels: &[usize],
    n_comp: usize,
    dim: usize,
    rng: &mut StdRng,
) -> Array2<f64> {
    let meta = if n_comp > 2 * dim {
        centroid_layout(x, labels, n_comp, dim)
    } else {
        // umap-learn: [I | 0; −I | 0], the first n_comp rows.
        let half = n_comp.div_ceil(2);
        Array2::from_shape_fn((n_comp, dim), |(c, d)| {
            let sign = if c < half { 1.0 } else { -1.0 };
            if c % half == d { sign } else { 0.0 }
        })
    };
    let mut members = vec![Vec::new(); n_comp];
    for (i, &l) in labels.iter().enumerate() {
        members[l].push(i);
    }
    let mut local = vec![usize::MAX; graph.n()];
    let mut out = Array2::zeros((graph.n(), dim));
    for (c, rows) in members.iter().enumerate() {
        let range = (0..n_comp)
            .map(|o| euclidean(meta.row(c), meta.row(o)))
            .filter(|&d| d > 0.0)
            .fold(f64::INFINITY, f64::min);
        let range = if range.is_finite() { range / 2.0 } else { 1.0 };
        let sub = subgraph(graph, rows, &mut local);
        let layout = component_layout(&sub, dim, range, rng);
        for (li, &gi) in rows.iter().enumerate() {
            let mut row = out.row_mut(gi);
            row.assign(&layout.row(li));
            row += &meta.row(c);
        }
    }
    out
}

/// The graph restricted to `rows` (a whole component, ascending), renumbered 0..rows.len().
fn subgraph(graph: &Graph, rows: &[usize], local: &mut [usize]) -> Graph {
    for (li, &gi) in rows.iter().enumerate() {
        local[gi] = li;
    }
    let entries = rows.iter().enumerate().flat_map(|(li, &gi)| {
        let (cols, w) = graph.row(gi);
        cols.iter().zip(w).map(move |(&c, &v)| (li, c, v))
    });
    let entries: Vec<(usize, usize, f64)> = entries.map(|(r, c, v)| (r, local[c], v)).collect();
    Graph::from_sorted(rows.len(), entries.into_iter())
}

/// Meta positions of many components: their centroids in the input space projected on the
/// centroids' first `dim` principal axes, scaled to a largest coordinate of 1.
fn centroid_layout(x: ArrayView2<f64>, labels: &[usize], n_comp: usize, dim: usize) -> Array2<f64> {
    let f = x.ncols();
    let mut centroids = Array2::<f64>::zeros((n_comp, f));
    let mut counts = vec![0.0; n_comp];
    for (row, &l) in x.rows().into_iter().zip(labels) {
        let mut c = centroids.row_mut(l);
        c += &row;
        counts[l] += 1.0;
    }
    for (mut c, &k) in centroids.rows_mut().into_iter().zip(&counts) {
        c /= k;
    }
    let mean = centroids
        .mean_axis(ndarray::Axis(0))
        .unwrap_or_else(|| ndarray::Array1::zeros(f));
    let centred = &centroids - &mean;
    let (_, axes) = symmetric_eigen(centred.t().dot(&centred));
    let mut meta = Array2::zeros((n_comp, dim));
    for d in 0..dim.min(f) {
        meta.column_mut(d).assign(&centred.dot(&axes.column(d)));
    }
    let max = meta.iter().fold(0.0f64, |m, v: &f64| m.max(v.abs()));
    if max > 0.0 {
        meta.mapv_inplace(|v| v / max);
    }
    meta
}

/// Uniform in ±`range`, rows × dim.
fn uniform(n: usize, dim: usize, range: f64, rng: &mut StdRng) -> Array2<f64> {
    Array2::from_shape_simple_fn((n, dim), || rng.gen_range(-range..=range))
}

/// Each axis mapped onto [0, 10], as umap-learn does before the epochs (an axis with one value
/// becomes 0).
fn rescale_axes(layout: &mut Array2<f64>) {
    for mut col in layout.columns_mut() {
        let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let width = hi - lo;
        col.mapv_inplace(|v| {
            if width > 0.0 {
                10.0 * (v - lo) / width
            } else {
                0.0
            }
        });
    }
}

/// The `dim` eigenvectors of the normalised Laplacian I − D^{−½} W D^{−½} of a connected graph
/// with the smallest eigenvalues after the trivial one (∝ √degree), as unit vectors: the
/// largest eigenvalues of M = (I + D^{−½} W D^{−½}) / 2 on the complement of the trivial
/// vector, by thick-restart Lanczos with full reorthogonalisation. Needs rows > dim.
fn laplacian_eigenvectors(graph: &Graph, dim: usize, rng: &mut StdRng) -> Vec<Vec<f64>> {
    let n = graph.n();
    let degree: Vec<f64> = (0..n).map(|i| graph.row(i).1.iter().sum()).collect();
    let norm = degree.iter().sum::<f64>().sqrt();
    let trivial: Vec<f64> = degree.iter().map(|d| d.sqrt() / norm).collect();
    let op = Normalised {
        graph,
        inv_sqrt: degree.iter().map(|d| 1.0 / d.sqrt()).collect(),
    };
    // The complement of the trivial vector has n − 1 dimensions: a basis of that size is exact.
    let m = (n - 1).min(LANCZOS_BASIS.max(3 * dim + 8));
    let keep = (2 * dim + 2).min(m - 1).max(dim);
    let mut basis = vec![random_unit(&trivial, &[], rng)];
    let mut h = Array2::<f64>::zeros((m, m));
    let mut products = 0;
    loop {
        products += m + 1 - basis.len();
        let (residual, beta) = expand(&op, &trivial, &mut basis, &mut h, m, rng);
        let (theta, y) = symmetric_eigen(upper_symmetric(&h));
        let converged = (0..dim).all(|i| (beta * y[[m - 1, i]]).abs() < LANCZOS_TOL);
        if converged || m == n - 1 || products >= LANCZOS_MAX_PRODUCTS {
            return (0..dim).map(|i| combine(&basis, y.column(i))).collect();
        }
        let mut restarted: Vec<Vec<f64>> =
            (0..keep).map(|i| combine(&basis, y.column(i))).collect();
        restarted.push(residual);
        basis = restarted;
        h.fill(0.0);
        for (i, &t) in theta.iter().take(keep).enumerate() {
            h[[i, i]] = t;
        }
    }
}

/// M = (I + D^{−½} W D^{−½}) / 2, eigenvalues in [0, 1].
struct Normalised<'a> {
    graph: &'a Graph,
    inv_sqrt: Vec<f64>,
}

impl Normalised<'_> {
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        for (i, o) in out.iter_mut().enumerate() {
            let (cols, w) = self.graph.row(i);
            let s: f64 = cols
                .iter()
                .zip(w)
                .map(|(&j, &wij)| wij * self.inv_sqrt[j] * v[j])
                .sum();
            *o = 0.5 * (v[i] + self.inv_sqrt[i] * s);
        }
    }
}

/// Grows `basis` to `m` orthonormal vectors by Lanczos steps from its last vector, filling the
/// upper triangle of column j of `h` with ⟨v_i, M v_j⟩; returns the unit residual of the last
/// step and its norm β (so that ‖M u − θ u‖ = β |y_m| for a Ritz pair).
fn expand(
    op: &Normalised,
    trivial: &[f64],
    basis: &mut Vec<Vec<f64>>,
    h: &mut Array2<f64>,
    m: usize,
    rng: &mut StdRng,
) -> (Vec<f64>, f64) {
    let n = trivial.len();
    loop {
        let j = basis.len() - 1;
        let mut w = vec![0.0; n];
        op.apply(&basis[j], &mut w);
        let coef = orthogonalise(&mut w, trivial, basis);
        for (i, c) in coef.into_iter().enumerate() {
            h[[i, j]] = c;
        }
        let beta = dot(&w, &w).sqrt();
        let next = if beta > 1e-10 {
            w.iter().map(|v| v / beta).collect()
        } else if basis.len() < n - 1 {
            // An invariant subspace: carry on from a new direction.
            random_unit(trivial, basis, rng)
        } else {
            vec![0.0; n]
        };
        let beta = if beta > 1e-10 { beta } else { 0.0 };
        if basis.len() == m {
            return (next, beta);
        }
        basis.push(next);
    }
}

/// Removes from `w` its components along `trivial` and along each of `basis` (classical
/// Gram–Schmidt, twice); returns the coefficients along `basis`.
fn orthogonalise(w: &mut [f64], trivial: &[f64], basis: &[Vec<f64>]) -> Vec<f64> {
    let mut coef = vec![0.0; basis.len()];
    for _ in 0..2 {
        let t = dot(w, trivial);
        axpy(w, -t, trivial);
        let c: Vec<f64> = basis.iter().map(|v| dot(v, w)).collect();
        for (v, &cv) in basis.iter().zip(&c) {
            axpy(w, -cv, v);
        }
        for (acc, cv) in coef.iter_mut().zip(c) {
            *acc += cv;
        }
    }
    coef
}

/// A random unit vector orthogonal to `trivial` and to `basis`.
fn random_unit(trivial: &[f64], basis: &[Vec<f64>], rng: &mut StdRng) -> Vec<f64> {
    loop {
        let mut v: Vec<f64> = (0..trivial.len())
            .map(|_| rng.gen_range(-1.0..1.0))
            .collect();
        orthogonalise(&mut v, trivial, basis);
        let norm = dot(&v, &v).sqrt();
        if norm > 1e-8 {
            return v.into_iter().map(|x| x / norm).collect();
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| p * q).sum()
}

/// w += alpha · v.
fn axpy(w: &mut [f64], alpha: f64, v: &[f64]) {
    for (x, y) in w.iter_mut().zip(v) {
        *x += alpha * y;
    }
}

/// Σ coefᵢ · basisᵢ.
fn combine(basis: &[Vec<f64>], coef: ndarray::ArrayView1<f64>) -> Vec<f64> {
    let mut out = vec![0.0; basis[0].len()];
    for (v, &c) in basis.iter().zip(coef.iter()) {
        axpy(&mut out, c, v);
    }
    out
}

/// The symmetric matrix whose upper triangle is that of `h`.
fn upper_symmetric(h: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn(h.dim(), |(i, j)| if i <= j { h[[i, j]] } else { h[[j, i]] })
}

/// Eigenvalues (descending) and unit eigenvectors (columns, in the same order) of a small
/// symmetric matrix, by cyclic Jacobi rotations.
fn symmetric_eigen(mut a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut v = Array2::<f64>::eye(n);
    let scale = a.iter().map(|x| x * x).sum::<f64>().max(f64::MIN_POSITIVE);
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        if off <= 1e-30 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                jacobi_rotate(&mut a, &mut v, p, q);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[[j, j]].total_cmp(&a[[i, i]]));
    let values = order.iter().map(|&i| a[[i, i]]).collect();
    let vectors = Array2::from_shape_fn((n, n), |(r, c)| v[[r, order[c]]]);
    (values, vectors)
}

/// One Jacobi rotation zeroing a[p][q] (a ← Jᵀ a J, v ← v J).
fn jacobi_rotate(a: &mut Array2<f64>, v: &mut Array2<f64>, p: usize, q: usize) {
    let apq = a[[p, q]];
    if apq == 0.0 {
        return;
    }
    let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * apq);
    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    let n = a.nrows();
    for k in 0..n {
        let (akp, akq) = (a[[k, p]], a[[k, q]]);
        a[[k, p]] = c * akp - s * akq;
        a[[k, q]] = s * akp + c * akq;
    }
    for k in 0..n {
        let (apk, aqk) = (a[[p, k]], a[[q, k]]);
        a[[p, k]] = c * apk - s * aqk;
        a[[q, k]] = s * apk + c * aqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v[[k, p]], v[[k, q]]);
        v[[k, p]] = c * vkp - s * vkq;
        v[[k, q]] = s * vkp + c * vkq;
    }
}

// ---------------------------------------------------------------------------------------------
// 6. SGD

/// umap-learn's `optimize_layout_euclidean`, single-threaded, `move_other` on.
struct Sgd {
    a: f64,
    b: f64,
    gamma: f64,
    alpha: f64,
    negative_sample_rate: usize,
    n_epochs: usize,
}

/// d^b in `f32` (see the module docs), in `f64` where `f32` would underflow or overflow.
fn pow_b(d: f64, b: f64) -> f64 {
    // In [1e-15, 1e15] both d and d^b (0 < b < 2 in practice) are normal f32 numbers.
    if d > 1e-15 && d < 1e15 && b > 0.0 && b < 2.0 {
        f64::from((d as f32).powf(b as f32))
    } else {
        d.powf(b)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the negative samples' generator, seeded from the
/// fit's `StdRng`.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (Lemire's multiply-shift; a bias below n / 2⁶⁴).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// Clip a gradient component to ±4, as umap-learn.
fn clip(v: f64) -> f64 {
    v.clamp(-4.0, 4.0)
}

impl Sgd {
    fn run(&self, graph: &Graph, layout: &mut Array2<f64>, rng: &mut StdRng) {
        let n = graph.n();
        let dim = layout.ncols();
        let max = graph.weights.iter().copied().fold(0.0, f64::max);
        if self.n_epochs == 0 || max <= 0.0 {
            return;
        }
        let heads: Vec<usize> = (0..n)
            .flat_map(|i| std::iter::repeat_n(i, graph.row(i).0.len()))
            .collect();
        // make_epochs_per_sample: an edge of weight w is sampled every max / w epochs.
        let per_sample: Vec<f64> = graph.weights.iter().map(|&w| max / w).collect();
        let rate = self.negative_sample_rate as f64;
        let per_negative: Vec<f64> = per_sample.iter().map(|&e| e / rate).collect();
        let mut next_sample = per_sample.clone();
        let mut next_negative = per_negative.clone();
        let mut alpha = self.alpha;
        let mut negatives = SplitMix64(rng.r#gen());
        let Some(emb) = layout.as_slice_mut() else {
            return;
        };
        for epoch in 0..self.n_epochs {
            let n_f = epoch as f64;
            for e in 0..per_sample.len() {
                if next_sample[e] > n_f {
                    continue;
                }
                let (j, k) = (heads[e], graph.indices[e]);
                self.attract(emb, dim, j, k, alpha);
                next_sample[e] += per_sample[e];
                if self.negative_sample_rate == 0 {
                    continue;
                }
                // umap-learn truncates towards zero, and adds back a negative count too.
                let n_neg = ((n_f - next_negative[e]) / per_negative[e]).trunc();
                for _ in 0..n_neg.max(0.0) as usize {
                    let k = negatives.below(n);
                    self.repel(emb, dim, j, k, alpha);
                }
                next_negative[e] += n_neg * per_negative[e];
            }
            alpha = self.alpha * (1.0 - n_f / self.n_epochs as f64);
        }
    }

    /// Moves rows j and k (an edge) towards each other.
    fn attract(&self, emb: &mut [f64], dim: usize, j: usize, k: usize, alpha: f64) {
        let d2: f64 = (0..dim)
            .map(|d| (emb[j * dim + d] - emb[k * dim + d]).powi(2))
            .sum();
        let coeff = if d2 > 0.0 {
            let pb = pow_b(d2, self.b);
            -2.0 * self.a * self.b * (pb / d2) / (self.a * pb + 1.0)
        } else {
            0.0
        };
        for d in 0..dim {
            let grad = clip(coeff * (emb[j * dim + d] - emb[k * dim + d]));
            emb[j * dim + d] += grad * alpha;
            emb[k * dim + d] -= grad * alpha;
        }
    }

    /// Moves row j away from row k (a negative sample).
    fn repel(&self, emb: &mut [f64], dim: usize, j: usize, k: usize, alpha: f64) {
        let d2: f64 = (0..dim)
            .map(|d| (emb[j * dim + d] - emb[k * dim + d]).powi(2))
            .sum();
        if d2 <= 0.0 {
            // The same row, or one at the same place: umap-learn moves nothing.
            return;
        }
        let coeff = 2.0 * self.gamma * self.b / ((0.001 + d2) * (self.a * pow_b(d2, self.b) + 1.0));
        if coeff > 0.0 {
            for d in 0..dim {
                let grad = clip(coeff * (emb[j * dim + d] - emb[k * dim + d]));
                emb[j * dim + d] += grad * alpha;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Trustworthiness

/// How well an embedding keeps neighbourhoods, as scikit-learn's
/// `sklearn.manifold.trustworthiness` (Venna & Kaski): 1 − 2 / (n k (2n − 3k − 1)) ·
/// Σᵢ Σ_{j ∈ Uᵢ} max(0, r(i, j) − k), where Uᵢ are the k nearest neighbours of row i in the
/// embedding and r(i, j) the rank of j by distance from i in the input (1 = nearest). 1 means
/// every embedded neighbourhood is made of input neighbours.
///
/// O(n² · features) time, O(n) memory beyond the inputs (scikit-learn keeps an n × n matrix).
/// Ranks break ties of distance by row index.
///
/// # Errors
/// [`Error::Shape`] for different row counts or no columns, [`Error::Parameter`] unless
/// 1 ≤ `n_neighbors` < rows / 2 (as scikit-learn), [`Error::NonFinite`] for NaN or infinite
/// values.
pub fn trustworthiness(x: &Array2<f64>, embedded: &Array2<f64>, n_neighbors: usize) -> Result<f64> {
    let n = x.nrows();
    if embedded.nrows() != n {
        return Err(Error::Shape(format!(
            "{n} input rows but {} embedded rows",
            embedded.nrows()
        )));
    }
    if x.ncols() == 0 || embedded.ncols() == 0 {
        return Err(Error::Shape("no columns to compare".into()));
    }
    let k = n_neighbors;
    if k == 0 || 2 * k >= n {
        return Err(Error::parameter(
            "n_neighbors",
            k,
            format!("≥ 1 and below half the number of rows ({n})"),
        ));
    }
    check_finite(x)?;
    check_finite(embedded)?;
    let knn = nearest_neighbors(embedded.view(), k + 1);
    let mut penalty = 0.0;
    let mut dist = vec![0.0; n];
    for i in 0..n {
        for (l, d) in dist.iter_mut().enumerate() {
            *d = squared_distance(x.row(i), x.row(l));
        }
        // The embedded neighbours as (input distance, row), ascending.
        let mut found: Vec<(f64, usize)> = knn.indices[i * (k + 1) + 1..(i + 1) * (k + 1)]
            .iter()
            .map(|&j| (dist[j], j))
            .collect();
        found.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
        // closer[m]: rows other than i before found[m] in the input order.
        let mut closer = vec![0usize; k + 1];
        for (l, &d) in dist.iter().enumerate() {
            if l != i {
                let before = |f: &(f64, usize)| f.0 < d || (f.0 == d && f.1 <= l);
                closer[found.partition_point(before)] += 1;
            }
        }
        let mut below = 0;
        for &count in closer.iter().take(k) {
            below += count;
            let rank = below + 1;
            if rank > k {
                penalty += (rank - k) as f64;
            }
        }
    }
    let (n, k) = (n as f64, k as f64);
    Ok(1.0 - penalty * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)))
}

fn squared_distance(a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(p, q)| (p - q) * (p - q)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Lanczos eigenpairs of a 100-row kNN graph (restarted: basis 48) against a dense
    /// Jacobi eigendecomposition of the same M = (I + D^{−½} W D^{−½}) / 2.
    #[test]
    fn lanczos_matches_dense_eigenvalues() {
        let mut rng = StdRng::seed_from_u64(1);
        let n = 100;
        let x = Array2::from_shape_simple_fn((n, 3), || rng.gen_range(-1.0..1.0));
        let graph = fuzzy_simplicial_set(&nearest_neighbors(x.view(), 15), n).pruned(500.0);
        assert_eq!(components(&graph).1, 1);
        let degree: Vec<f64> = (0..n).map(|i| graph.row(i).1.iter().sum()).collect();
        let mut dense = Array2::<f64>::eye(n) * 0.5;
        for i in 0..n {
            let (cols, w) = graph.row(i);
            for (&j, &wij) in cols.iter().zip(w) {
                dense[[i, j]] += 0.5 * wij / (degree[i] * degree[j]).sqrt();
            }
        }
        let (values, _) = symmetric_eigen(dense.clone());
        assert!((values[0] - 1.0).abs() < 1e-12);
        for (c, u) in laplacian_eigenvectors(&graph, 2, &mut rng)
            .iter()
            .enumerate()
        {
            let u = ndarray::Array1::from(u.clone());
            let mu = dense.dot(&u);
            let theta = u.dot(&mu);
            let residual = (&mu - &(&u * theta)).mapv(|v| v * v).sum().sqrt();
            assert!((u.dot(&u) - 1.0).abs() < 1e-12);
            assert!(
                (theta - values[c + 1]).abs() < 1e-9,
                "{theta} vs {}",
                values[c + 1]
            );
            assert!(residual < LANCZOS_TOL * 1.01, "residual {residual}");
        }
    }
}

#[cfg(test)]
mod pow_tests {
    #[test]
    fn pow_b_agrees_with_f64_powf_to_f32_precision() {
        let mut worst: f64 = 0.0;
        for b in [0.5, 0.79, 0.8951, 1.0, 1.5, 1.93] {
            for i in -3000..3000 {
                let d = 10f64.powf(f64::from(i) / 100.0) * 1.000_123;
                let (ours, exact) = (super::pow_b(d, b), d.powf(b));
                worst = worst.max(((ours - exact) / exact).abs());
            }
        }
        // f32's rounding of d and b, magnified by |b ln d| ≤ 67: at most about 4e-6.
        assert!(worst < 1e-5, "relative error {worst}");
        assert_eq!(super::pow_b(0.0, 0.9), 0.0);
    }
}
