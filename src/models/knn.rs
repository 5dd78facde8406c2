//! k-nearest-neighbours classifier with scikit-learn `KNeighborsClassifier` semantics: `k`
//! neighbours, weights uniform or 1/distance, metric euclidean / manhattan / cosine.
//!
//! - **Neighbours** are found by brute force (every training row is measured), exactly and in
//!   parallel over the query rows. Ties in distance go to the lower training row, as in
//!   scikit-learn's brute-force search.
//! - **`predict_proba`**: uniform weights give each class its share of the k neighbours;
//!   distance weights give each neighbour 1/d, except that when any neighbour is at distance 0
//!   those neighbours share the vote alone (scikit-learn's rule).
//! - **`predict`**: the most probable class; ties go to the lowest class index (scikit-learn's
//!   `argmax` / `mode`).
//!
//! **Why no k-d tree.** linfa-nn 0.8.1's `KdTree` was measured against brute force on
//! TidyTuesday (24,625 standardised training rows, 8,208 queries, 11 features; peer/README.md,
//! "Neighbours"). It is much faster (0.26 s for k = 5 on one thread, against about 1 s for this
//! search on two), and its neighbours are always at the right distances, but when distances tie
//! (TidyTuesday repeats 5,219 feature rows) it returns other rows than the lowest ones: its
//! neighbour sets differ from scikit-learn's brute-force ones on 643 (k = 5), 709 (k = 15) and
//! 668 (manhattan, k = 10) of the 8,208 queries, so votes and probabilities can differ. It also
//! panics on a non-finite coordinate, borrows the training rows (the index cannot live in an
//! owned model), and adds 8 crates. Brute force is exact, and fine up to tens of thousands of
//! training rows.
//!
//! ```no_run
//! use listening::models::{Classifier, Fit, Knn, Metric, Weights};
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((4, 2)), vec![0, 0, 1, 1]);
//! let model = Knn::params().k(15).weights(Weights::Distance).metric(Metric::Euclidean).fit(&x, &y)?;
//! let predicted: Vec<usize> = model.predict(&x)?;
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::{Classifier, Fit, check_fit, check_predict, n_classes};
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView1, Axis};
use rayon::prelude::*;

/// How the k neighbours vote (scikit-learn's `weights`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Weights {
    /// One vote each.
    #[default]
    Uniform,
    /// 1 / distance each; neighbours at distance 0, if any, take the whole vote.
    Distance,
}

/// Distance between feature rows (scikit-learn's `metric`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metric {
    /// √Σ(a − b)² (scikit-learn's default, minkowski with p = 2).
    #[default]
    Euclidean,
    /// Σ|a − b|.
    Manhattan,
    /// 1 − cos(a, b), in [0, 2]; a row of zeros is at distance 1 from everything.
    Cosine,
}

impl Metric {
    /// Short name: `euclidean`, `manhattan`, `cosine`.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Euclidean => "euclidean",
            Metric::Manhattan => "manhattan",
            Metric::Cosine => "cosine",
        }
    }

    /// The rows as this metric compares them: unit rows for cosine (zero rows stay zero), as they
    /// are otherwise.
    pub(crate) fn prepare(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut x = x.as_standard_layout().into_owned();
        if *self == Metric::Cosine {
            for mut row in x.axis_iter_mut(Axis(0)) {
                let norm = row.dot(&row).sqrt();
                if norm > 0.0 {
                    row /= norm;
                }
            }
        }
        x
    }

    /// The distance from the key [`nearest`] ranks by (squared for euclidean, 1 − cos for cosine).
    fn distance(&self, key: f64) -> f64 {
        match self {
            Metric::Euclidean => key.sqrt(),
            _ => key,
        }
    }
}

/// Training rows stored feature by feature (features × rows, contiguous), so that the distances
/// from one query to a block of rows are computed a feature at a time over the block: the loop
/// runs across rows (vectorised, no dependency chain) while each row's sum still adds its features
/// in column order, so every distance is bit for bit the row-at-a-time sum.
pub(crate) struct Columns {
    data: Vec<f64>,
    rows: usize,
}

impl Columns {
    /// The prepared training rows, transposed once per search.
    pub(crate) fn new(train: &Array2<f64>) -> Columns {
        Columns {
            data: train.t().iter().copied().collect(),
            rows: train.nrows(),
        }
    }

    fn column(&self, f: usize) -> &[f64] {
        &self.data[f * self.rows..(f + 1) * self.rows]
    }
}

/// Rows per block of distances: small enough to stay in L1 beside one column's slice.
const BLOCK: usize = 256;

/// The `k` training rows nearest to the prepared row `q`, as (distance, row) by increasing
/// distance, ties to the lower row.
pub(crate) fn nearest(
    train: &Columns,
    q: ArrayView1<f64>,
    k: usize,
    metric: Metric,
) -> Vec<(f64, usize)> {
    let q = q.to_vec();
    // Sorted by (key, row); a later row enters only if strictly nearer than the k-th.
    let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
    let mut keys = [0.0f64; BLOCK];
    let mut start = 0;
    while start < train.rows {
        let end = (start + BLOCK).min(train.rows);
        let keys = &mut keys[..end - start];
        keys.fill(0.0);
        for (f, &qf) in q.iter().enumerate() {
            let col = &train.column(f)[start..end];
            match metric {
                Metric::Euclidean => {
                    for (s, &p) in keys.iter_mut().zip(col) {
                        *s += (p - qf) * (p - qf);
                    }
                }
                Metric::Manhattan => {
                    for (s, &p) in keys.iter_mut().zip(col) {
                        *s += (p - qf).abs();
                    }
                }
                Metric::Cosine => {
                    for (s, &p) in keys.iter_mut().zip(col) {
                        *s += p * qf;
                    }
                }
            }
        }
        if metric == Metric::Cosine {
            keys.iter_mut()
                .for_each(|s| *s = (1.0 - *s).clamp(0.0, 2.0));
        }
        for (offset, &key) in keys.iter().enumerate() {
            if best.len() == k && key >= best[k - 1].0 {
                continue;
            }
            let at = best.partition_point(|&(b, _)| b <= key);
            best.insert(at, (key, start + offset));
            best.truncate(k);
        }
        start = end;
    }
    best.into_iter()
        .map(|(key, i)| (metric.distance(key), i))
        .collect()
}

/// Hyperparameters of [`Knn`] (unchecked until `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`k`](Self::k) | `5` | neighbours that vote | 1 ..= training rows |
/// | [`weights`](Self::weights) | `Uniform` | one vote each, or 1/distance | |
/// | [`metric`](Self::metric) | `Euclidean` | distance between rows | |
#[derive(Debug, Clone, PartialEq)]
pub struct KnnParams {
    k: usize,
    weights: Weights,
    metric: Metric,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams {
            k: 5,
            weights: Weights::Uniform,
            metric: Metric::Euclidean,
        }
    }
}

impl KnnParams {
    pub fn k(mut self, k: usize) -> Self {
        self.k = k;
        self
    }
    pub fn weights(mut self, weights: Weights) -> Self {
        self.weights = weights;
        self
    }
    pub fn metric(mut self, metric: Metric) -> Self {
        self.metric = metric;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the bad one.
    pub fn check(&self) -> Result<()> {
        if self.k == 0 {
            return Err(Error::parameter("k", self.k, "at least 1 neighbour"));
        }
        Ok(())
    }
}

/// A fitted k-nearest-neighbours classifier: the training rows themselves (owned).
#[derive(Debug, Clone)]
pub struct Knn {
    params: KnnParams,
    /// Training rows as the metric compares them (unit rows for cosine).
    x: Array2<f64>,
    y: Vec<usize>,
    n_classes: usize,
}

impl Knn {
    /// Default hyperparameters: k = 5, uniform, euclidean (scikit-learn's).
    pub fn params() -> KnnParams {
        KnnParams::default()
    }

    /// The hyperparameters it was fitted with.
    pub fn hyperparameters(&self) -> &KnnParams {
        &self.params
    }

    /// Number of training rows.
    pub fn n_rows(&self) -> usize {
        self.y.len()
    }

    /// The k nearest training rows of each row of `x`: distances and training-row indices
    /// (rows × k each, nearest first, ties to the lower row), as scikit-learn's `kneighbors`.
    ///
    /// # Errors
    /// [`Error::Shape`] or [`Error::NonFinite`] for rows that do not fit the model.
    pub fn kneighbors(&self, x: &Array2<f64>) -> Result<(Array2<f64>, Array2<usize>)> {
        let lists = self.neighbour_lists(x)?;
        let k = self.params.k;
        let mut dist = Array2::zeros((lists.len(), k));
        let mut idx = Array2::zeros((lists.len(), k));
        for (i, list) in lists.iter().enumerate() {
            for (j, &(d, r)) in list.iter().enumerate() {
                dist[[i, j]] = d;
                idx[[i, j]] = r;
            }
        }
        Ok((dist, idx))
    }

    fn neighbour_lists(&self, x: &Array2<f64>) -> Result<Vec<Vec<(f64, usize)>>> {
        check_predict(x, self.x.ncols())?;
        let q = self.params.metric.prepare(x);
        let (k, metric) = (self.params.k, self.params.metric);
        let train = Columns::new(&self.x);
        Ok((0..q.nrows())
            .into_par_iter()
            .map(|i| nearest(&train, q.row(i), k, metric))
            .collect())
    }

    /// Class probabilities of one neighbour list.
    fn vote(&self, list: &[(f64, usize)], out: &mut [f64]) {
        let at_zero = list.iter().any(|&(d, _)| d == 0.0);
        for &(d, r) in list {
            out[self.y[r]] += match self.params.weights {
                Weights::Uniform => 1.0,
                Weights::Distance if at_zero => {
                    if d == 0.0 {
                        1.0
                    } else {
                        0.0
                    }
                }
                Weights::Distance => 1.0 / d,
            };
        }
        let total: f64 = out.iter().sum();
        if total > 0.0 {
            out.iter_mut().for_each(|p| *p /= total);
        }
    }
}

impl Fit<usize> for KnnParams {
    type Model = Knn;

    /// Stores the training rows after checking them.
    ///
    /// # Errors
    /// [`Error::Parameter`] for `k` = 0 or `k` above the number of training rows; the data
    /// errors of [`check_fit`].
    fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Knn> {
        self.check()?;
        check_fit(x, y)?;
        if self.k > x.nrows() {
            return Err(Error::parameter(
                "k",
                self.k,
                format!("at most the {} training rows", x.nrows()),
            ));
        }
        Ok(Knn {
            params: self.clone(),
            x: self.metric.prepare(x),
            y: y.to_vec(),
            n_classes: n_classes(y, false)?,
        })
    }

    fn describe(&self) -> String {
        let w = match self.weights {
            Weights::Uniform => "uniform",
            Weights::Distance => "distance",
        };
        format!("k={}, {w}, {}", self.k, self.metric.name())
    }
}

impl Classifier for Knn {
    fn n_classes(&self) -> usize {
        self.n_classes
    }

    fn n_features(&self) -> usize {
        self.x.ncols()
    }

    fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        let p = self.predict_proba(x)?;
        Ok(p.rows()
            .into_iter()
            .map(|row| {
                // First maximum: ties go to the lowest class.
                row.iter()
                    .enumerate()
                    .fold((0, f64::NEG_INFINITY), |best, (c, &v)| {
                        if v > best.1 { (c, v) } else { best }
                    })
                    .0
            })
            .collect())
    }

    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        let lists = self.neighbour_lists(x)?;
        let mut p = Array2::zeros((lists.len(), self.n_classes));
        for (list, mut row) in lists.iter().zip(p.axis_iter_mut(Axis(0))) {
            if let Some(out) = row.as_slice_mut() {
                self.vote(list, out);
            }
        }
        Ok(p)
    }
}
