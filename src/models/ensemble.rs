//! The write-up's "meta-classifier": MLPs of random size (hidden units, layers, epochs, and
//! whether the loss is class-weighted drawn per member), combined by majority vote of rounded
//! probabilities, scored with `ensem_classify`'s accuracy / agreement / individual accuracy.
//! Seeded: the draws and each member's training come from one seed.

use super::api::check_len;
use super::weights::ClassWeight;
use crate::error::{Error, Result};
use crate::models::mlp::{Mlp, MlpParams, argmax};
use ndarray::Array2;
use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How members are drawn (inclusive ranges, as Python's `randint`).
///
/// | setter | default | meaning |
/// |---|---|---|
/// | [`n_models`](Self::n_models) | `9` | members |
/// | [`hidden_range`](Self::hidden_range) | `(16, 128)` | units per hidden layer |
/// | [`layers_range`](Self::layers_range) | `(1, 2)` | hidden layers |
/// | [`epochs_range`](Self::epochs_range) | `(20, 100)` | epochs |
/// | [`weighted_share`](Self::weighted_share) | `0.75` | chance a member uses `base`'s class weights (`choice([cw, cw, cw, None])`) |
/// | [`base`](Self::base) | `Mlp::params()` | everything else (activation, learning rate, batch, validation, class weight) |
/// | [`seed`](Self::seed) | `0` | draws and training |
/// | [`verbose`](Self::verbose) | `false` | print "training model i…" to stdout |
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleParams {
    n_models: usize,
    hidden: (usize, usize),
    layers: (usize, usize),
    epochs: (usize, usize),
    weighted_share: f64,
    base: MlpParams,
    seed: u64,
    verbose: bool,
}

impl Default for EnsembleParams {
    fn default() -> Self {
        EnsembleParams {
            n_models: 9,
            hidden: (16, 128),
            layers: (1, 2),
            epochs: (20, 100),
            weighted_share: 0.75,
            base: MlpParams::default(),
            seed: 0,
            verbose: false,
        }
    }
}

/// What was drawn for one member.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub hidden: usize,
    pub layers: usize,
    pub epochs: usize,
    pub weighted: bool,
}

/// A fitted ensemble (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    pub models: Vec<Mlp>,
    pub members: Vec<Member>,
    n_classes: usize,
}

/// `ensem_classify`'s figures on a labelled set.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleScore {
    /// Predicted class per row (most votes, lowest class on ties; a row nobody votes for goes to
    /// class 0, as `argmax` of zeros).
    pub predictions: Vec<usize>,
    /// Share of rows predicted right.
    pub accuracy: f64,
    /// Mean share of members voting for the true class, over rows predicted right.
    pub agreement: f64,
    /// Mean share of members voting for the true class, over all rows.
    pub individual_accuracy: f64,
    /// Each member's own accuracy (argmax of its probabilities).
    pub member_accuracy: Vec<f64>,
}

impl std::fmt::Display for EnsembleScore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.1}% Accuracy, {:.1}% Agreement, {:.1}% Ind. Accuracy",
            100.0 * self.accuracy,
            100.0 * self.agreement,
            100.0 * self.individual_accuracy
        )
    }
}

impl EnsembleParams {
    pub fn n_models(mut self, n: usize) -> Self {
        self.n_models = n;
        self
    }
    pub fn hidden_range(mut self, lo: usize, hi: usize) -> Self {
        self.hidden = (lo, hi);
        self
    }
    pub fn layers_range(mut self, lo: usize, hi: usize) -> Self {
        self.layers = (lo, hi);
        self
    }
    pub fn epochs_range(mut self, lo: usize, hi: usize) -> Self {
        self.epochs = (lo, hi);
        self
    }
    pub fn weighted_share(mut self, share: f64) -> Self {
        self.weighted_share = share;
        self
    }
    pub fn base(mut self, base: MlpParams) -> Self {
        self.base = base;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// The parameters, or `InvalidParameter` naming the first bad one.
    pub fn check(&self) -> Result<()> {
        let range = |name: &str, (lo, hi): (usize, usize)| {
            if lo == 0 || lo > hi {
                Err(Error::InvalidParameter(format!(
                    "ensemble {name} range {lo}..={hi}: need 1 ≤ low ≤ high"
                )))
            } else {
                Ok(())
            }
        };
        if self.n_models == 0 {
            return Err(Error::InvalidParameter(
                "ensemble needs at least 1 model".into(),
            ));
        }
        range("hidden", self.hidden)?;
        range("layers", self.layers)?;
        range("epochs", self.epochs)?;
        if !(0.0..=1.0).contains(&self.weighted_share) {
            return Err(Error::InvalidParameter(format!(
                "ensemble weighted_share = {}: must be in [0, 1]",
                self.weighted_share
            )));
        }
        self.base.check()
    }

    /// Draws and trains the members on `x`, `y`.
    ///
    /// # Errors
    /// As [`MlpParams::fit`], and for bad ranges.
    pub fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Ensemble> {
        self.check()?;
        check_len(x, y)?;
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut models = Vec::with_capacity(self.n_models);
        let mut members = Vec::with_capacity(self.n_models);
        for i in 0..self.n_models {
            let m = Member {
                hidden: rng.gen_range(self.hidden.0..=self.hidden.1),
                layers: rng.gen_range(self.layers.0..=self.layers.1),
                epochs: rng.gen_range(self.epochs.0..=self.epochs.1),
                weighted: rng.gen_bool(self.weighted_share),
            };
            if self.verbose {
                println!(
                    "training model {}: {} × {} units, {} epochs, {}",
                    i + 1,
                    m.layers,
                    m.hidden,
                    m.epochs,
                    if m.weighted { "weighted" } else { "unweighted" }
                );
            }
            let cw = if m.weighted {
                self.base.get_class_weight().clone()
            } else {
                ClassWeight::Uniform
            };
            let p = self
                .base
                .clone()
                .hidden(&vec![m.hidden; m.layers])
                .epochs(m.epochs)
                .class_weight(cw)
                .seed(rng.r#gen());
            models.push(p.fit(x, y)?);
            members.push(m);
        }
        let n_classes = super::api::n_classes(y, false)?;
        Ok(Ensemble {
            models,
            members,
            n_classes,
        })
    }
}

impl Ensemble {
    /// Defaults of the write-up: 9 members, 16–128 units, 1–2 layers, 20–100 epochs, 75 %
    /// weighted.
    pub fn params() -> EnsembleParams {
        EnsembleParams::default()
    }

    /// Per class, the number of members whose probability for it exceeds 0.5 (rounded votes).
    ///
    /// # Errors
    /// As [`Mlp::predict_proba`].
    pub fn votes(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        let mut votes = Array2::<f64>::zeros((x.nrows(), self.n_classes));
        for m in &self.models {
            let p = m.predict_proba(x)?;
            // TensorFlow's round is half-to-even: 0.5 rounds to 0, so a vote needs p > 0.5.
            votes.zip_mut_with(&p, |v, &p| *v += if p > 0.5 { 1.0 } else { 0.0 });
        }
        Ok(votes)
    }

    /// Majority vote of rounded probabilities (lowest class on ties).
    ///
    /// # Errors
    /// As [`Mlp::predict_proba`].
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        Ok(self.votes(x)?.rows().into_iter().map(argmax).collect())
    }

    /// `ensem_classify`: predictions, accuracy, agreement and individual accuracy.
    ///
    /// # Errors
    /// As [`Mlp::predict_proba`], and for mismatched lengths.
    pub fn evaluate(&self, x: &Array2<f64>, y: &[usize]) -> Result<EnsembleScore> {
        check_len(x, y)?;
        let votes = self.votes(x)?;
        let m = self.models.len() as f64;
        let predictions: Vec<usize> = votes.rows().into_iter().map(argmax).collect();
        let (mut right, mut agree_right, mut agree_all) = (0usize, 0.0, 0.0);
        for (r, (&p, &t)) in predictions.iter().zip(y).enumerate() {
            let share = if t < self.n_classes {
                votes[[r, t]] / m
            } else {
                0.0
            };
            agree_all += share;
            if p == t {
                right += 1;
                agree_right += share;
            }
        }
        let n = y.len() as f64;
        let member_accuracy = self
            .models
            .iter()
            .map(|model| Ok(super::api::accuracy(y, &model.predict(x)?)))
            .collect::<Result<Vec<f64>>>()?;
        Ok(EnsembleScore {
            predictions,
            accuracy: right as f64 / n,
            agreement: if right > 0 {
                agree_right / right as f64
            } else {
                0.0
            },
            individual_accuracy: agree_all / n,
            member_accuracy,
        })
    }

    /// One row per member: `model`, `layers`, `hidden`, `epochs`, `weighted`, `parameters`.
    pub fn summary(&self) -> Result<DataFrame> {
        let n = self.members.len();
        let col = |f: &dyn Fn(&Member) -> u32| self.members.iter().map(f).collect::<Vec<u32>>();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new("model".into(), (1..=n as u32).collect::<Vec<u32>>()),
                Column::new("layers".into(), col(&|m| m.layers as u32)),
                Column::new("hidden".into(), col(&|m| m.hidden as u32)),
                Column::new("epochs".into(), col(&|m| m.epochs as u32)),
                Column::new(
                    "weighted".into(),
                    self.members
                        .iter()
                        .map(|m| m.weighted)
                        .collect::<Vec<bool>>(),
                ),
                Column::new(
                    "parameters".into(),
                    self.models
                        .iter()
                        .map(|m| m.n_parameters() as u64)
                        .collect::<Vec<u64>>(),
                ),
            ],
        )?)
    }
}
