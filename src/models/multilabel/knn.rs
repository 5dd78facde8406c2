//! k-nearest neighbours on a label matrix, as scikit-learn's `KNeighborsClassifier` is with a 2-D
//! `y`: one neighbour search per row, then each label voted on by the same k neighbours (uniform
//! or 1/distance weights; neighbours at distance 0, if any, take the whole vote). The search is
//! the exact brute-force one of [`crate::models::Knn`] (ties in distance to the lower training
//! row).

use super::{FitMultiLabel, MultiLabelClassifier, check_fit_multilabel};
use crate::error::{Error, Result};
use crate::models::api::check_predict;
use crate::models::knn::{Columns, Metric, Weights, nearest};
use ndarray::Array2;
use rayon::prelude::*;

/// Hyperparameters of [`MultiKnn`] (unchecked until `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`k`](Self::k) | `5` | neighbours that vote | 1 ..= training rows |
/// | [`weights`](Self::weights) | `Uniform` | one vote each, or 1/distance | |
/// | [`metric`](Self::metric) | `Euclidean` | distance between rows | |
#[derive(Debug, Clone, PartialEq)]
pub struct MultiKnnParams {
    k: usize,
    weights: Weights,
    metric: Metric,
}

impl Default for MultiKnnParams {
    fn default() -> Self {
        MultiKnnParams {
            k: 5,
            weights: Weights::Uniform,
            metric: Metric::Euclidean,
        }
    }
}

impl MultiKnnParams {
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
}

/// A fitted multi-output k-nearest-neighbours classifier: the training rows and labels (owned).
#[derive(Debug, Clone)]
pub struct MultiKnn {
    params: MultiKnnParams,
    x: Array2<f64>,
    y: Array2<u8>,
}

impl MultiKnn {
    /// Default hyperparameters: k = 5, uniform, euclidean (scikit-learn's).
    pub fn params() -> MultiKnnParams {
        MultiKnnParams::default()
    }

    /// The hyperparameters it was fitted with.
    pub fn hyperparameters(&self) -> &MultiKnnParams {
        &self.params
    }
}

impl FitMultiLabel for MultiKnnParams {
    type Model = MultiKnn;

    /// Stores the training rows and labels after checking them.
    ///
    /// # Errors
    /// [`Error::Parameter`] for `k` = 0 or above the training rows; as [`check_fit_multilabel`].
    fn fit(&self, x: &Array2<f64>, y: &Array2<u8>) -> Result<MultiKnn> {
        if self.k == 0 {
            return Err(Error::parameter("k", 0, "at least 1 neighbour"));
        }
        check_fit_multilabel(x, y)?;
        if self.k > x.nrows() {
            return Err(Error::parameter(
                "k",
                self.k,
                format!("at most the {} training rows", x.nrows()),
            ));
        }
        Ok(MultiKnn {
            params: self.clone(),
            x: self.metric.prepare(x),
            y: y.clone(),
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

impl MultiLabelClassifier for MultiKnn {
    fn n_labels(&self) -> usize {
        self.y.ncols()
    }

    fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// Per label, the (weighted) share of the k neighbours carrying it.
    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(x, self.x.ncols())?;
        let q = self.params.metric.prepare(x);
        let (k, metric, weights) = (self.params.k, self.params.metric, self.params.weights);
        let l = self.y.ncols();
        let mut out = vec![0.0; q.nrows() * l];
        let train = Columns::new(&self.x);
        out.par_chunks_mut(l.max(1)).enumerate().for_each(|(i, p)| {
            let list = nearest(&train, q.row(i), k, metric);
            let at_zero = list.iter().any(|&(d, _)| d == 0.0);
            let mut total = 0.0;
            for &(d, r) in &list {
                let w = match weights {
                    Weights::Uniform => 1.0,
                    Weights::Distance if at_zero => f64::from(u8::from(d == 0.0)),
                    Weights::Distance => 1.0 / d,
                };
                total += w;
                for (o, &v) in p.iter_mut().zip(self.y.row(r)) {
                    *o += w * f64::from(v);
                }
            }
            if total > 0.0 {
                p.iter_mut().for_each(|v| *v /= total);
            }
        });
        let out =
            Array2::from_shape_vec((q.nrows(), l), out).map_err(|e| Error::Shape(e.to_string()))?;
        Ok(out)
    }
}
