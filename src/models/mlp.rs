//! Multi-layer perceptron classifier on ndarray, Keras-style as in the write-up: dense hidden
//! layers (sigmoid, relu or tanh), softmax output, cross-entropy with optional class weights,
//! Adam, mini-batches shuffled every epoch, Glorot-uniform initialisation, a validation split
//! taken from the *last* rows before shuffling (Keras' `validation_split`), and a per-epoch
//! history. Seeded: the same seed gives the same model.
//!
//! ```no_run
//! use listening::models::{Mlp, Activation};
//! use listening::evaluation::ClassWeight;
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((4, 2)), vec![0, 0, 1, 1]);
//! let model = Mlp::params()
//!     .hidden(&[64])
//!     .activation(Activation::Sigmoid)
//!     .learning_rate(0.01)
//!     .epochs(50)
//!     .batch_size(32)
//!     .validation_split(0.11)
//!     .class_weight(ClassWeight::Balanced)
//!     .seed(42)
//!     .fit(&x, &y)?;
//! let history = model.history().to_frame()?;
//! # Ok::<(), listening::Error>(())
//! ```

use super::api::check_len;
use super::weights::ClassWeight;
use crate::error::{Error, Result};
use ndarray::{Array1, Array2, Axis};
use polars::prelude::*;
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Activation of the hidden layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activation {
    /// 1 / (1 + e^−x) (Keras `'sigmoid'`, scikit-learn `'logistic'`); the write-up's choice.
    #[default]
    Sigmoid,
    Relu,
    Tanh,
}

impl Activation {
    pub(crate) fn apply(self, z: &mut Array2<f64>) {
        match self {
            Activation::Sigmoid => z.mapv_inplace(|v| 1.0 / (1.0 + (-v).exp())),
            Activation::Relu => z.mapv_inplace(|v| v.max(0.0)),
            Activation::Tanh => z.mapv_inplace(f64::tanh),
        }
    }

    /// Derivative in terms of the activation's output `a`.
    pub(crate) fn derivative(self, a: f64) -> f64 {
        match self {
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => 1.0 - a * a,
        }
    }
}

/// Hyperparameters of [`Mlp`] (checked by `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`hidden`](Self::hidden) | `[64]` | units per hidden layer | each ≥ 1 (may be empty) |
/// | [`activation`](Self::activation) | `Sigmoid` | hidden activation | |
/// | [`learning_rate`](Self::learning_rate) | `0.01` | Adam step size | > 0 |
/// | [`epochs`](Self::epochs) | `50` | passes over the training rows | ≥ 1 |
/// | [`batch_size`](Self::batch_size) | `32` | rows per Adam step | ≥ 1 |
/// | [`validation_split`](Self::validation_split) | `0.0` | last share of rows held out | [0, 1) |
/// | [`class_weight`](Self::class_weight) | `Uniform` | per-class weight of the loss | |
/// | [`l2`](Self::l2) | `0.0` | L2 penalty on weights (scikit-learn's `alpha`) | ≥ 0 |
/// | [`seed`](Self::seed) | `0` | initialisation and shuffling | |
#[derive(Debug, Clone, PartialEq)]
pub struct MlpParams {
    hidden: Vec<usize>,
    activation: Activation,
    learning_rate: f64,
    epochs: usize,
    batch_size: usize,
    validation_split: f64,
    class_weight: ClassWeight,
    l2: f64,
    seed: u64,
}

impl Default for MlpParams {
    fn default() -> Self {
        MlpParams {
            hidden: vec![64],
            activation: Activation::Sigmoid,
            learning_rate: 0.01,
            epochs: 50,
            batch_size: 32,
            validation_split: 0.0,
            class_weight: ClassWeight::Uniform,
            l2: 0.0,
            seed: 0,
        }
    }
}

/// Loss and accuracy per epoch (validation columns empty without a validation split).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// Mean (class-weighted) cross-entropy over the epoch's batches, as Keras reports it.
    pub loss: Vec<f64>,
    /// Training accuracy over the epoch's batches (weights as they were at each batch).
    pub accuracy: Vec<f64>,
    /// Unweighted cross-entropy and accuracy on the validation rows after each epoch.
    pub val_loss: Vec<f64>,
    pub val_accuracy: Vec<f64>,
}

impl History {
    /// Columns `epoch` (1-based), `loss`, `accuracy`, and `val_loss`, `val_accuracy` when there
    /// was a validation split.
    pub fn to_frame(&self) -> Result<DataFrame> {
        let n = self.loss.len();
        let mut cols = vec![
            Column::new("epoch".into(), (1..=n as u32).collect::<Vec<u32>>()),
            Column::new("loss".into(), self.loss.clone()),
            Column::new("accuracy".into(), self.accuracy.clone()),
        ];
        if self.val_loss.len() == n && n > 0 {
            cols.push(Column::new("val_loss".into(), self.val_loss.clone()));
            cols.push(Column::new(
                "val_accuracy".into(),
                self.val_accuracy.clone(),
            ));
        }
        Ok(DataFrame::new(n, cols)?)
    }
}

/// A fitted MLP (owned): weights, biases and training history.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    params: MlpParams,
    /// (weights in × out, bias) per layer, the output layer last.
    layers: Vec<(Array2<f64>, Array1<f64>)>,
    n_classes: usize,
    history: History,
    seconds: f64,
}

impl MlpParams {
    /// Units of each hidden layer (`&[]` gives multinomial logistic regression).
    pub fn hidden(mut self, hidden: &[usize]) -> Self {
        self.hidden = hidden.to_vec();
        self
    }
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }
    pub fn learning_rate(mut self, learning_rate: f64) -> Self {
        self.learning_rate = learning_rate;
        self
    }
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// Share of the rows, taken from the end before any shuffling, held out for validation.
    pub fn validation_split(mut self, validation_split: f64) -> Self {
        self.validation_split = validation_split;
        self
    }
    pub fn class_weight(mut self, class_weight: ClassWeight) -> Self {
        self.class_weight = class_weight;
        self
    }
    pub fn l2(mut self, l2: f64) -> Self {
        self.l2 = l2;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    pub fn get_hidden(&self) -> &[usize] {
        &self.hidden
    }
    pub fn get_epochs(&self) -> usize {
        self.epochs
    }
    pub fn get_class_weight(&self) -> &ClassWeight {
        &self.class_weight
    }

    /// The parameters, or [`Error::Parameter`] naming the first bad one.
    pub fn check(&self) -> Result<()> {
        if self.hidden.contains(&0) {
            return Err(Error::parameter(
                "hidden",
                format!("{:?}", self.hidden),
                "each hidden layer needs at least 1 unit",
            ));
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(Error::parameter(
                "learning_rate",
                self.learning_rate,
                "must be > 0",
            ));
        }
        if self.epochs == 0 {
            return Err(Error::parameter("epochs", 0, "must be at least 1"));
        }
        if self.batch_size == 0 {
            return Err(Error::parameter("batch_size", 0, "must be at least 1"));
        }
        if !(0.0..1.0).contains(&self.validation_split) {
            return Err(Error::parameter(
                "validation_split",
                self.validation_split,
                "must be in [0, 1)",
            ));
        }
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(Error::parameter("l2", self.l2, "must be ≥ 0"));
        }
        Ok(())
    }

    /// Trains on rows `x`, labels `y` (0..k; k = largest label + 1 output units).
    ///
    /// # Errors
    /// [`Error::Parameter`] for bad parameters; `InvalidParameter` for mismatched lengths, non-finite features, or a
    /// validation split that leaves no training row.
    pub fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Mlp> {
        self.check()?;
        check_len(x, y)?;
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::InvalidParameter(
                "mlp features hold NaN or infinite values".into(),
            ));
        }
        let start = std::time::Instant::now();
        let k = super::api::n_classes(y, false)?;
        // Class weights from all rows given (as the write-up computed them on y_train).
        let cw = self.class_weight.resolve(y, k)?;
        let n = y.len();
        let n_val = (self.validation_split * n as f64).floor() as usize;
        let n_train = n - n_val;
        if n_train == 0 {
            return Err(Error::InvalidParameter(
                "mlp validation_split leaves no training rows".into(),
            ));
        }
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut sizes = vec![x.ncols()];
        sizes.extend(&self.hidden);
        sizes.push(k);
        let mut layers: Vec<(Array2<f64>, Array1<f64>)> = sizes
            .windows(2)
            .map(|w| {
                let limit = (6.0 / (w[0] + w[1]) as f64).sqrt();
                let wts = Array2::from_shape_fn((w[0], w[1]), |_| rng.gen_range(-limit..limit));
                (wts, Array1::zeros(w[1]))
            })
            .collect();
        let mut adam = Adam::new(&layers);
        let x_val = x.slice(ndarray::s![n_train.., ..]).to_owned();
        let y_val = &y[n_train..];
        let mut order: Vec<usize> = (0..n_train).collect();
        let mut history = History::default();
        for _ in 0..self.epochs {
            order.shuffle(&mut rng);
            let (mut loss_sum, mut hits, mut seen) = (0.0, 0usize, 0usize);
            for batch in order.chunks(self.batch_size) {
                let xb = x.select(Axis(0), batch);
                let yb: Vec<usize> = batch.iter().map(|&i| y[i]).collect();
                let acts = forward(&layers, self.activation, &xb);
                let probs = &acts[acts.len() - 1];
                let m = batch.len() as f64;
                // δ at the output: (p − onehot) · w / m (softmax + cross-entropy).
                let mut delta = probs.clone();
                for (r, &c) in yb.iter().enumerate() {
                    let w = cw[c];
                    loss_sum += -w * probs[[r, c]].max(1e-12).ln();
                    if argmax(probs.row(r)) == c {
                        hits += 1;
                    }
                    delta[[r, c]] -= 1.0;
                    delta.row_mut(r).mapv_inplace(|v| v * w / m);
                }
                seen += batch.len();
                let mut grads = Vec::with_capacity(layers.len());
                for l in (0..layers.len()).rev() {
                    let mut gw = acts[l].t().dot(&delta);
                    if self.l2 > 0.0 {
                        gw.scaled_add(self.l2 / m, &layers[l].0);
                    }
                    let gb = delta.sum_axis(Axis(0));
                    if l > 0 {
                        let mut prev = delta.dot(&layers[l].0.t());
                        prev.zip_mut_with(&acts[l], |d, &a| *d *= self.activation.derivative(a));
                        delta = prev;
                    }
                    grads.push((gw, gb));
                }
                grads.reverse();
                adam.step(&mut layers, &grads, self.learning_rate);
            }
            history.loss.push(loss_sum / seen as f64);
            history.accuracy.push(hits as f64 / seen as f64);
            if n_val > 0 {
                let p = predict_proba(&layers, self.activation, &x_val);
                let (l, a) = loss_accuracy(&p, y_val);
                history.val_loss.push(l);
                history.val_accuracy.push(a);
            }
        }
        Ok(Mlp {
            params: self.clone(),
            layers,
            n_classes: k,
            history,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

pub(crate) struct Adam {
    m: Vec<(Array2<f64>, Array1<f64>)>,
    v: Vec<(Array2<f64>, Array1<f64>)>,
    t: i32,
}

impl Adam {
    const B1: f64 = 0.9;
    const B2: f64 = 0.999;
    /// Keras' default ε.
    const EPS: f64 = 1e-7;

    pub(crate) fn new(layers: &[(Array2<f64>, Array1<f64>)]) -> Adam {
        let zeros = || {
            layers
                .iter()
                .map(|(w, b)| (Array2::zeros(w.raw_dim()), Array1::zeros(b.raw_dim())))
                .collect::<Vec<_>>()
        };
        Adam {
            m: zeros(),
            v: zeros(),
            t: 0,
        }
    }

    pub(crate) fn step(
        &mut self,
        layers: &mut [(Array2<f64>, Array1<f64>)],
        grads: &[(Array2<f64>, Array1<f64>)],
        lr: f64,
    ) {
        self.t += 1;
        let lr_t = lr * (1.0 - Self::B2.powi(self.t)).sqrt() / (1.0 - Self::B1.powi(self.t));
        for (l, (gw, gb)) in grads.iter().enumerate() {
            update(
                &mut layers[l].0,
                gw,
                &mut self.m[l].0,
                &mut self.v[l].0,
                lr_t,
            );
            update(
                &mut layers[l].1,
                gb,
                &mut self.m[l].1,
                &mut self.v[l].1,
                lr_t,
            );
        }
    }
}

fn update<D: ndarray::Dimension>(
    p: &mut ndarray::Array<f64, D>,
    g: &ndarray::Array<f64, D>,
    m: &mut ndarray::Array<f64, D>,
    v: &mut ndarray::Array<f64, D>,
    lr_t: f64,
) {
    ndarray::Zip::from(p)
        .and(g)
        .and(m)
        .and(v)
        .for_each(|p, &g, m, v| {
            *m = Adam::B1 * *m + (1.0 - Adam::B1) * g;
            *v = Adam::B2 * *v + (1.0 - Adam::B2) * g * g;
            *p -= lr_t * *m / (v.sqrt() + Adam::EPS);
        });
}

/// Activations of every layer, the input first and the softmax output last.
fn forward(
    layers: &[(Array2<f64>, Array1<f64>)],
    act: Activation,
    x: &Array2<f64>,
) -> Vec<Array2<f64>> {
    let mut out = vec![x.clone()];
    for (l, (w, b)) in layers.iter().enumerate() {
        let mut z = out[l].dot(w) + b;
        if l + 1 < layers.len() {
            act.apply(&mut z);
        } else {
            softmax(&mut z);
        }
        out.push(z);
    }
    out
}

fn softmax(z: &mut Array2<f64>) {
    for mut row in z.rows_mut() {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let s = row.sum();
        row.mapv_inplace(|v| v / s);
    }
}

fn predict_proba(
    layers: &[(Array2<f64>, Array1<f64>)],
    act: Activation,
    x: &Array2<f64>,
) -> Array2<f64> {
    forward(layers, act, x).pop().unwrap_or_default()
}

fn loss_accuracy(p: &Array2<f64>, y: &[usize]) -> (f64, f64) {
    if y.is_empty() {
        return (0.0, 0.0);
    }
    let mut loss = 0.0;
    let mut hits = 0;
    for (r, &c) in y.iter().enumerate() {
        loss -= p[[r, c]].max(1e-12).ln();
        if argmax(p.row(r)) == c {
            hits += 1;
        }
    }
    (loss / y.len() as f64, hits as f64 / y.len() as f64)
}

/// Index of the largest value, the first on ties.
pub(crate) fn argmax(v: ndarray::ArrayView1<f64>) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

impl Mlp {
    /// Default parameters: one hidden layer of 64 sigmoid units, Adam 0.01, 50 epochs, batch 32.
    pub fn params() -> MlpParams {
        MlpParams::default()
    }

    /// The parameters it was fitted with.
    pub fn fitted_params(&self) -> &MlpParams {
        &self.params
    }

    /// Per-epoch loss and accuracy (and validation figures).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Output units (classes).
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Trainable parameters (weights and biases), as Keras' `summary()` total.
    pub fn n_parameters(&self) -> usize {
        self.layers.iter().map(|(w, b)| w.len() + b.len()).sum()
    }

    /// Layer sizes, input first: e.g. `[10, 64, 6]`.
    pub fn layer_sizes(&self) -> Vec<usize> {
        let mut s: Vec<usize> = self.layers.iter().map(|(w, _)| w.nrows()).collect();
        s.extend(self.layers.last().map(|(w, _)| w.ncols()));
        s
    }

    /// Seconds spent in `fit`.
    pub fn fit_seconds(&self) -> f64 {
        self.seconds
    }

    /// Softmax probabilities, rows × classes.
    ///
    /// # Errors
    /// `InvalidParameter` when `x` has the wrong number of columns.
    pub fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        let nf = self.layers.first().map_or(0, |(w, _)| w.nrows());
        if x.ncols() != nf {
            return Err(Error::InvalidParameter(format!(
                "mlp fitted on {nf} features, given {}",
                x.ncols()
            )));
        }
        Ok(predict_proba(&self.layers, self.params.activation, x))
    }

    /// Most probable class per row.
    ///
    /// # Errors
    /// As [`Self::predict_proba`].
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        let p = self.predict_proba(x)?;
        Ok(p.rows().into_iter().map(argmax).collect())
    }

    /// Unweighted cross-entropy and accuracy on `x`, `y` (Keras' `evaluate`).
    ///
    /// # Errors
    /// As [`Self::predict_proba`], and for mismatched lengths.
    pub fn evaluate(&self, x: &Array2<f64>, y: &[usize]) -> Result<(f64, f64)> {
        check_len(x, y)?;
        if let Some(&bad) = y.iter().find(|&&c| c >= self.n_classes) {
            return Err(Error::Labels(format!(
                "label {bad}: the mlp was fitted on {} classes (0..{})",
                self.n_classes, self.n_classes
            )));
        }
        Ok(loss_accuracy(&self.predict_proba(x)?, y))
    }

    /// Keras-like summary: one line per layer with its output size and parameters, then the total.
    pub fn summary(&self) -> String {
        let mut s = String::from("layer     output  params\n");
        for (i, (w, b)) in self.layers.iter().enumerate() {
            let name = if i + 1 == self.layers.len() {
                "Output".to_string()
            } else {
                format!("Hidden{}", i + 1)
            };
            s.push_str(&format!(
                "{name:<9} {:>6}  {:>6}\n",
                w.ncols(),
                w.len() + b.len()
            ));
        }
        s.push_str(&format!("total params: {}", self.n_parameters()));
        s
    }
}

impl super::api::Fit<usize> for MlpParams {
    type Model = Mlp;

    fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Mlp> {
        MlpParams::fit(self, x, y)
    }

    fn describe(&self) -> String {
        format!(
            "mlp {:?}, {:?}, {} epochs",
            self.hidden, self.activation, self.epochs
        )
    }
}

impl super::api::Classifier for Mlp {
    fn n_classes(&self) -> usize {
        self.n_classes
    }

    fn n_features(&self) -> usize {
        self.layers.first().map_or(0, |(w, _)| w.nrows())
    }

    fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        Mlp::predict(self, x)
    }

    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        Mlp::predict_proba(self, x)
    }
}
