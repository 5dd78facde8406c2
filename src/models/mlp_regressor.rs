//! Multi-layer perceptron regressor on ndarray, as scikit-learn's `MLPRegressor`: dense hidden
//! layers (sigmoid = scikit-learn's `'logistic'`, relu or tanh), one identity output unit,
//! squared loss (½·mean (ŷ − y)²) plus an L2 penalty (`alpha`), Adam on mini-batches shuffled
//! every epoch, Glorot-uniform initialisation of weights and biases with scikit-learn's bounds
//! (√(6 / (in + out)), √(2 / (in + out)) for sigmoid), and scikit-learn's stopping rule: stop when
//! the training loss (or, with early stopping, the validation R²) has not improved by `tol` for
//! more than `n_iter_no_change` epochs. With early stopping a seeded random `validation_fraction`
//! of the rows is held out and the best-scoring weights are kept. Seeded: the same seed gives the
//! same model.
//!
//! It shares the classifier's activations and Adam ([`super::mlp`]); Adam's ε is therefore
//! Keras' 1e-7 where scikit-learn uses 1e-8.
//!
//! ```no_run
//! use listening::models::{Activation, MlpRegressor, Regressor};
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((4, 2)), vec![0.0, 1.0, 2.0, 3.0]);
//! let model = MlpRegressor::params()
//!     .hidden(&[32])
//!     .activation(Activation::Relu)
//!     .early_stopping(true)
//!     .seed(42)
//!     .fit(&x, &y)?;
//! let r2 = model.score(&x, &y)?;
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::{Fit, Regressor, check_fit, check_predict, r2};
use super::mlp::{Activation, Adam};
use crate::error::{Error, Result};
use ndarray::{Array1, Array2, Axis, s};
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

type Layers = Vec<(Array2<f64>, Array1<f64>)>;

/// Hyperparameters of [`MlpRegressor`] (checked by `fit`); defaults are scikit-learn's.
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`hidden`](Self::hidden) | `[100]` | units per hidden layer | each ≥ 1 (may be empty) |
/// | [`activation`](Self::activation) | `Relu` | hidden activation | |
/// | [`l2`](Self::l2) | `1e-4` | L2 penalty (scikit-learn's `alpha`) | ≥ 0 |
/// | [`learning_rate`](Self::learning_rate) | `0.001` | Adam step size | > 0 |
/// | [`max_iter`](Self::max_iter) | `200` | most epochs | ≥ 1 |
/// | [`batch_size`](Self::batch_size) | `None` = min(200, rows) | rows per Adam step | ≥ 1 |
/// | [`tol`](Self::tol) | `1e-4` | least improvement that counts | ≥ 0 |
/// | [`early_stopping`](Self::early_stopping) | `false` | stop on validation R² | |
/// | [`validation_fraction`](Self::validation_fraction) | `0.1` | rows held out for it | (0, 1) |
/// | [`n_iter_no_change`](Self::n_iter_no_change) | `10` | epochs without improvement | ≥ 1 |
/// | [`seed`](Self::seed) | `0` | initialisation, split and shuffling | |
#[derive(Debug, Clone, PartialEq)]
pub struct MlpRegressorParams {
    hidden: Vec<usize>,
    activation: Activation,
    l2: f64,
    learning_rate: f64,
    max_iter: usize,
    batch_size: Option<usize>,
    tol: f64,
    early_stopping: bool,
    validation_fraction: f64,
    n_iter_no_change: usize,
    seed: u64,
}

impl Default for MlpRegressorParams {
    fn default() -> Self {
        MlpRegressorParams {
            hidden: vec![100],
            activation: Activation::Relu,
            l2: 1e-4,
            learning_rate: 1e-3,
            max_iter: 200,
            batch_size: None,
            tol: 1e-4,
            early_stopping: false,
            validation_fraction: 0.1,
            n_iter_no_change: 10,
            seed: 0,
        }
    }
}

/// A fitted MLP regressor (owned): weights, biases and the training curves.
#[derive(Debug, Clone, PartialEq)]
pub struct MlpRegressor {
    params: MlpRegressorParams,
    /// (weights in × out, bias) per layer, the one-unit output layer last.
    layers: Layers,
    loss_curve: Vec<f64>,
    validation_scores: Vec<f64>,
}

impl MlpRegressorParams {
    /// Units of each hidden layer (`&[]` gives linear regression fitted by Adam).
    pub fn hidden(mut self, hidden: &[usize]) -> Self {
        self.hidden = hidden.to_vec();
        self
    }
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }
    pub fn l2(mut self, l2: f64) -> Self {
        self.l2 = l2;
        self
    }
    pub fn learning_rate(mut self, learning_rate: f64) -> Self {
        self.learning_rate = learning_rate;
        self
    }
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = Some(batch_size);
        self
    }
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    pub fn early_stopping(mut self, early_stopping: bool) -> Self {
        self.early_stopping = early_stopping;
        self
    }
    pub fn validation_fraction(mut self, validation_fraction: f64) -> Self {
        self.validation_fraction = validation_fraction;
        self
    }
    pub fn n_iter_no_change(mut self, n_iter_no_change: usize) -> Self {
        self.n_iter_no_change = n_iter_no_change;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the first bad one.
    pub fn check(&self) -> Result<()> {
        if self.hidden.contains(&0) {
            let h = format!("{:?}", self.hidden);
            return Err(Error::parameter("hidden", h, "each layer needs ≥ 1 unit"));
        }
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let non_negative = |v: f64| v.is_finite() && v >= 0.0;
        if !positive(self.learning_rate) {
            return Err(Error::parameter("learning_rate", self.learning_rate, "> 0"));
        }
        if !non_negative(self.l2) {
            return Err(Error::parameter("l2", self.l2, "must be ≥ 0"));
        }
        if !non_negative(self.tol) {
            return Err(Error::parameter("tol", self.tol, "must be ≥ 0"));
        }
        if self.max_iter == 0 {
            return Err(Error::parameter("max_iter", 0, "must be at least 1"));
        }
        if self.batch_size == Some(0) {
            return Err(Error::parameter("batch_size", 0, "must be at least 1"));
        }
        if self.n_iter_no_change == 0 {
            return Err(Error::parameter("n_iter_no_change", 0, "must be ≥ 1"));
        }
        let vf = self.validation_fraction;
        if !(vf > 0.0 && vf < 1.0) {
            return Err(Error::parameter("validation_fraction", vf, "in (0, 1)"));
        }
        Ok(())
    }

    /// Trains on rows `x`, targets `y`.
    ///
    /// # Errors
    /// [`Error::Parameter`] for bad parameters or a validation split that leaves no row on
    /// either side; [`Error::Shape`], [`Error::Labels`] (no rows) and [`Error::NonFinite`] (a
    /// NaN or infinite feature or target) from the data checks.
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<MlpRegressor> {
        self.check()?;
        check_fit(x, y)?;
        if let Some((row, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            let column = "target".to_string();
            return Err(Error::NonFinite { row, column, value });
        }
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut layers = self.init_layers(x.ncols(), &mut rng);
        let (train, val) = self.split(y.len(), &mut rng)?;
        let y = Array1::from(y.to_vec());
        let (xt, yt) = (x.select(Axis(0), &train), y.select(Axis(0), &train));
        let (xv, yv) = (x.select(Axis(0), &val), y.select(Axis(0), &val));
        let batch = self.batch_size.unwrap_or(200).min(train.len());
        let mut adam = Adam::new(&layers);
        let mut stop = Stopping::new(self.tol, self.n_iter_no_change);
        let (mut loss_curve, mut validation_scores) = (Vec::new(), Vec::new());
        let mut order: Vec<usize> = (0..train.len()).collect();
        for _ in 0..self.max_iter {
            order.shuffle(&mut rng);
            let loss = self.epoch(&mut layers, &mut adam, &xt, &yt, &order, batch);
            loss_curve.push(loss);
            let done = if self.early_stopping {
                let pred = forward(&layers, self.activation, &xv)
                    .pop()
                    .unwrap_or_default();
                let score = r2(
                    yv.as_slice().unwrap_or(&[]),
                    pred.column(0).to_vec().as_slice(),
                );
                validation_scores.push(score);
                stop.update(-score, &layers)
            } else {
                stop.update(loss, &layers)
            };
            if done {
                break;
            }
        }
        if self.early_stopping {
            layers = stop.best_layers.unwrap_or(layers);
        }
        Ok(MlpRegressor {
            params: self.clone(),
            layers,
            loss_curve,
            validation_scores,
        })
    }

    /// Glorot-uniform weights and biases with scikit-learn's bounds.
    fn init_layers(&self, n_features: usize, rng: &mut StdRng) -> Layers {
        let mut sizes = vec![n_features];
        sizes.extend(&self.hidden);
        sizes.push(1);
        let factor = if self.activation == Activation::Sigmoid {
            2.0
        } else {
            6.0
        };
        sizes
            .windows(2)
            .map(|w| {
                let bound = (factor / (w[0] + w[1]) as f64).sqrt();
                let wts = Array2::from_shape_fn((w[0], w[1]), |_| rng.gen_range(-bound..bound));
                let bias = Array1::from_shape_fn(w[1], |_| rng.gen_range(-bound..bound));
                (wts, bias)
            })
            .collect()
    }

    /// Training and validation row indices: a seeded random `validation_fraction` (rounded up,
    /// as scikit-learn's `train_test_split`) held out with early stopping, else every row trains.
    fn split(&self, n: usize, rng: &mut StdRng) -> Result<(Vec<usize>, Vec<usize>)> {
        if !self.early_stopping {
            return Ok(((0..n).collect(), Vec::new()));
        }
        let n_val = (self.validation_fraction * n as f64).ceil() as usize;
        if n_val == 0 || n_val >= n {
            return Err(Error::parameter(
                "validation_fraction",
                self.validation_fraction,
                format!("leaves no training or no validation row of {n}"),
            ));
        }
        let mut idx: Vec<usize> = (0..n).collect();
        idx.shuffle(rng);
        let val = idx.split_off(n - n_val);
        Ok((idx, val))
    }

    /// One pass of Adam over the mini-batches of `order`; the epoch's loss (squared loss and L2
    /// penalty per batch, weighted by batch size), as scikit-learn's `loss_curve_`.
    fn epoch(
        &self,
        layers: &mut Layers,
        adam: &mut Adam,
        x: &Array2<f64>,
        y: &Array1<f64>,
        order: &[usize],
        batch: usize,
    ) -> f64 {
        let mut total = 0.0;
        for rows in order.chunks(batch) {
            let xb = x.select(Axis(0), rows);
            let yb = y.select(Axis(0), rows);
            let (loss, grads) = self.gradients(layers, &xb, &yb);
            total += loss * rows.len() as f64;
            adam.step(layers, &grads, self.learning_rate);
        }
        total / order.len() as f64
    }

    /// Loss and (weights, bias) gradients of one batch.
    fn gradients(&self, layers: &Layers, x: &Array2<f64>, y: &Array1<f64>) -> (f64, Layers) {
        let m = x.nrows() as f64;
        let acts = forward(layers, self.activation, x);
        let out = &acts[acts.len() - 1];
        let mut delta = out - &y.view().insert_axis(Axis(1));
        let penalty: f64 = layers.iter().map(|(w, _)| w.mapv(|v| v * v).sum()).sum();
        let loss = delta.mapv(|d| d * d).sum() / (2.0 * m) + 0.5 * self.l2 * penalty / m;
        delta /= m;
        let mut grads = Vec::with_capacity(layers.len());
        for l in (0..layers.len()).rev() {
            let mut gw = acts[l].t().dot(&delta);
            gw.scaled_add(self.l2 / m, &layers[l].0);
            let gb = delta.sum_axis(Axis(0));
            if l > 0 {
                let mut prev = delta.dot(&layers[l].0.t());
                prev.zip_mut_with(&acts[l], |d, &a| *d *= self.activation.derivative(a));
                delta = prev;
            }
            grads.push((gw, gb));
        }
        grads.reverse();
        (loss, grads)
    }
}

/// scikit-learn's `_update_no_improvement_count` on a value to minimise (the training loss, or
/// minus the validation score), keeping the best layers seen.
struct Stopping {
    tol: f64,
    patience: usize,
    best: f64,
    count: usize,
    best_layers: Option<Layers>,
}

impl Stopping {
    fn new(tol: f64, patience: usize) -> Self {
        Stopping {
            tol,
            patience,
            best: f64::INFINITY,
            count: 0,
            best_layers: None,
        }
    }

    /// Records `value`; true when more than `patience` epochs in a row missed `best − tol`.
    fn update(&mut self, value: f64, layers: &Layers) -> bool {
        if value > self.best - self.tol {
            self.count += 1;
        } else {
            self.count = 0;
        }
        if value < self.best {
            self.best = value;
            self.best_layers = Some(layers.clone());
        }
        self.count > self.patience
    }
}

/// Activations of every layer, the input first and the identity output last.
fn forward(layers: &Layers, act: Activation, x: &Array2<f64>) -> Vec<Array2<f64>> {
    let mut out = vec![x.clone()];
    for (l, (w, b)) in layers.iter().enumerate() {
        let mut z = out[l].dot(w) + b;
        if l + 1 < layers.len() {
            act.apply(&mut z);
        }
        out.push(z);
    }
    out
}

impl MlpRegressor {
    /// scikit-learn's defaults: one hidden layer of 100 relu units, Adam 0.001, at most 200
    /// epochs, batches of min(200, rows), no early stopping.
    pub fn params() -> MlpRegressorParams {
        MlpRegressorParams::default()
    }

    /// The parameters it was fitted with.
    pub fn fitted_params(&self) -> &MlpRegressorParams {
        &self.params
    }

    /// Training loss per epoch (scikit-learn's `loss_curve_`).
    pub fn loss_curve(&self) -> &[f64] {
        &self.loss_curve
    }

    /// Validation R² per epoch with early stopping, else empty (`validation_scores_`).
    pub fn validation_scores(&self) -> &[f64] {
        &self.validation_scores
    }

    /// Epochs run (`n_iter_`).
    pub fn n_iter(&self) -> usize {
        self.loss_curve.len()
    }

    /// Layer sizes, input first: e.g. `[10, 100, 1]`.
    pub fn layer_sizes(&self) -> Vec<usize> {
        let mut s: Vec<usize> = self.layers.iter().map(|(w, _)| w.nrows()).collect();
        s.extend(self.layers.last().map(|(w, _)| w.ncols()));
        s
    }
}

impl Fit<f64> for MlpRegressorParams {
    type Model = MlpRegressor;

    fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<MlpRegressor> {
        MlpRegressorParams::fit(self, x, y)
    }

    fn describe(&self) -> String {
        format!(
            "mlp regressor {:?}, {:?}, α={}",
            self.hidden, self.activation, self.l2
        )
    }
}

impl Regressor for MlpRegressor {
    fn n_features(&self) -> usize {
        self.layers.first().map_or(0, |(w, _)| w.nrows())
    }

    fn predict(&self, x: &Array2<f64>) -> Result<Array1<f64>> {
        check_predict(x, Regressor::n_features(self))?;
        let out = forward(&self.layers, self.params.activation, x)
            .pop()
            .unwrap_or_default();
        Ok(out.slice(s![.., 0]).to_owned())
    }
}
