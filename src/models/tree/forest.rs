//! Random forests and extra trees with scikit-learn's semantics (`RandomForestClassifier`,
//! `ExtraTreesClassifier`): trees grown in parallel (rayon), each from its own seed derived
//! from (`seed`, tree index), so a fit does not depend on thread scheduling.
//!
//! A random forest grows best-split trees on bootstrap samples (the draw counts become row
//! weights, as scikit-learn); extra trees grow random-threshold trees on all rows (no bootstrap
//! unless asked). Both draw `max_features` candidates (default ⌊√p⌋) afresh at every split.
//! `predict_proba` is the mean of the trees' leaf distributions (soft voting).
//!
//! ```no_run
//! use listening::models::tree::Forest;
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((4, 2)), vec![0, 0, 1, 1]);
//! let forest = Forest::random_forest().n_estimators(200).oob_score(true).seed(1).fit(&x, &y)?;
//! println!("OOB accuracy {:?}", forest.oob_score());
//! let et = Forest::extra_trees().seed(1).fit(&x, &y)?;
//! # Ok::<(), listening::Error>(())
//! ```

use super::decision_tree::{
    Columns, Criterion, DecisionTree, DecisionTreeParams, Growth, MaxFeatures, Splitter, argmax,
    grow, row_weights, weights_note,
};
use crate::error::{Error, Result};
use crate::models::api::{Classifier, Fit, check_fit, check_predict, n_classes};
use crate::models::weights::ClassWeight;
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

/// Which ensemble: best-split trees on bootstraps, or random-threshold trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForestKind {
    /// scikit-learn's `RandomForestClassifier`.
    RandomForest,
    /// scikit-learn's `ExtraTreesClassifier`.
    ExtraTrees,
}

/// Hyperparameters of a [`Forest`] (unchecked until `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`n_estimators`](Self::n_estimators) | `100` | trees | ≥ 1 |
/// | [`criterion`](Self::criterion) | `Gini` | impurity | |
/// | [`max_depth`](Self::max_depth) | `None` | depth limit | ≥ 1 |
/// | [`min_samples_split`](Self::min_samples_split) | `2` | rows a node needs to split | ≥ 2 |
/// | [`min_samples_leaf`](Self::min_samples_leaf) | `1` | rows each child keeps | ≥ 1 |
/// | [`max_features`](Self::max_features) | `Sqrt` | candidates drawn at each split | see [`MaxFeatures`] |
/// | [`bootstrap`](Self::bootstrap) | `true` (RF) / `false` (ET) | each tree on a bootstrap sample | |
/// | [`max_samples`](Self::max_samples) | `None` (n draws) | bootstrap draws as a share of the rows | (0, 1], bootstrap only |
/// | [`class_weight`](Self::class_weight) | `Uniform` | class weights from all labels given | weights > 0 |
/// | [`balanced_subsample`](Self::balanced_subsample) | `false` | balanced weights per tree from its bootstrap | |
/// | [`oob_score`](Self::oob_score) | `false` | compute the out-of-bag accuracy | bootstrap only |
/// | [`seed`](Self::seed) | `0` | bootstraps, feature draws, thresholds | |
#[derive(Debug, Clone, PartialEq)]
pub struct ForestParams {
    kind: ForestKind,
    n_estimators: usize,
    tree: DecisionTreeParams,
    bootstrap: bool,
    max_samples: Option<f64>,
    class_weight: ClassWeight,
    balanced_subsample: bool,
    oob_score: bool,
    seed: u64,
}

impl ForestParams {
    /// scikit-learn's defaults for `kind`: 100 trees, Gini, √p features, bootstrap for a random
    /// forest only.
    pub fn new(kind: ForestKind) -> Self {
        ForestParams {
            kind,
            n_estimators: 100,
            tree: DecisionTreeParams::new().max_features(MaxFeatures::Sqrt),
            bootstrap: kind == ForestKind::RandomForest,
            max_samples: None,
            class_weight: ClassWeight::Uniform,
            balanced_subsample: false,
            oob_score: false,
            seed: 0,
        }
    }
    pub fn n_estimators(mut self, n_estimators: usize) -> Self {
        self.n_estimators = n_estimators;
        self
    }
    pub fn criterion(mut self, criterion: Criterion) -> Self {
        self.tree = self.tree.criterion(criterion);
        self
    }
    pub fn max_depth(mut self, max_depth: Option<usize>) -> Self {
        self.tree = self.tree.max_depth(max_depth);
        self
    }
    pub fn min_samples_split(mut self, min_samples_split: usize) -> Self {
        self.tree = self.tree.min_samples_split(min_samples_split);
        self
    }
    pub fn min_samples_leaf(mut self, min_samples_leaf: usize) -> Self {
        self.tree = self.tree.min_samples_leaf(min_samples_leaf);
        self
    }
    pub fn max_features(mut self, max_features: MaxFeatures) -> Self {
        self.tree = self.tree.max_features(max_features);
        self
    }
    pub fn bootstrap(mut self, bootstrap: bool) -> Self {
        self.bootstrap = bootstrap;
        self
    }
    /// Bootstrap draws per tree as a share of the rows (`round(f · n)`, at least 1); `None`
    /// draws n.
    pub fn max_samples(mut self, max_samples: Option<f64>) -> Self {
        self.max_samples = max_samples;
        self
    }
    /// Class weights; `Balanced` is computed once from all the labels given to `fit`.
    pub fn class_weight(mut self, class_weight: ClassWeight) -> Self {
        self.class_weight = class_weight;
        self
    }
    /// Balanced class weights computed per tree from its bootstrap draws (scikit-learn's
    /// `class_weight='balanced_subsample'`); replaces `class_weight`. Without bootstrap it is
    /// `Balanced`.
    pub fn balanced_subsample(mut self, balanced_subsample: bool) -> Self {
        self.balanced_subsample = balanced_subsample;
        self
    }
    /// Compute the out-of-bag accuracy at fit ([`Forest::oob_score`]).
    pub fn oob_score(mut self, oob_score: bool) -> Self {
        self.oob_score = oob_score;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the first bad one.
    pub fn check(&self) -> Result<()> {
        if self.n_estimators == 0 {
            return Err(Error::parameter("n_estimators", 0, "at least 1"));
        }
        self.tree.check()?;
        if let Some(f) = self.max_samples {
            if !self.bootstrap {
                return Err(Error::parameter(
                    "max_samples",
                    f,
                    "None without bootstrap (only bootstrap samples have a size)",
                ));
            }
            if !(f.is_finite() && f > 0.0 && f <= 1.0) {
                return Err(Error::parameter("max_samples", f, "in (0, 1]"));
            }
        }
        if self.oob_score && !self.bootstrap {
            return Err(Error::parameter(
                "oob_score",
                true,
                "false without bootstrap (every row is in every tree)",
            ));
        }
        Ok(())
    }

    /// Fits the trees in parallel on rows `x` with labels `y` (0..k, as
    /// [`DecisionTreeParams::fit`]).
    ///
    /// # Errors
    /// [`Error::Parameter`] for bad parameters; as [`check_fit`] for bad data.
    pub fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Forest> {
        self.fit_inner(x, y, None)
    }

    /// As [`Self::fit`], each row weighted by `sample_weight` (≥ 0), times its class weight and
    /// its bootstrap count.
    ///
    /// # Errors
    /// As [`DecisionTreeParams::fit_weighted`].
    pub fn fit_weighted(
        &self,
        x: &Array2<f64>,
        y: &[usize],
        sample_weight: &[f64],
    ) -> Result<Forest> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner(&self, x: &Array2<f64>, y: &[usize], sw: Option<&[f64]>) -> Result<Forest> {
        self.check()?;
        check_fit(x, y)?;
        let k = n_classes(y, false)?;
        let splitter = match self.kind {
            ForestKind::RandomForest => Splitter::Best,
            ForestKind::ExtraTrees => Splitter::Random,
        };
        let growth = Growth::new(&self.tree.clone().splitter(splitter), x.ncols())?;
        let per_tree_balance = self.balanced_subsample && self.bootstrap;
        let class_weight = match (self.balanced_subsample, per_tree_balance) {
            (true, false) => ClassWeight::Balanced,
            (true, true) => ClassWeight::Uniform,
            _ => self.class_weight.clone(),
        };
        let base = row_weights(y, k, sw, &class_weight)?;
        let cols = Columns::new(x, splitter == Splitter::Best);
        let n = y.len();
        let draws = self
            .max_samples
            .map_or(n, |f| ((f * n as f64).round() as usize).max(1));
        let grown: Vec<(DecisionTree, Option<Vec<bool>>)> = (0..self.n_estimators)
            .into_par_iter()
            .map(|i| {
                let mut rng = StdRng::seed_from_u64(tree_seed(self.seed, i));
                if !self.bootstrap {
                    return (grow(&cols, y, k, &base, &growth, &mut rng), None);
                }
                let w = bootstrap_weights(&base, y, k, draws, per_tree_balance, &mut rng);
                let in_bag = w.iter().map(|&v| v > 0.0).collect();
                (grow(&cols, y, k, &w, &growth, &mut rng), Some(in_bag))
            })
            .collect();
        let oob_score = self.oob_score.then(|| oob_accuracy(&grown, x, y, k));
        Ok(Forest {
            params: self.clone(),
            trees: grown.into_iter().map(|(t, _)| t).collect(),
            n_classes: k,
            n_features: x.ncols(),
            oob_score,
        })
    }
}

/// A well-mixed seed for tree `i` of a forest seeded `seed` (SplitMix64 steps).
fn tree_seed(seed: u64, i: usize) -> u64 {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    mix(seed ^ mix(i as u64))
}

/// `base` times the counts of `draws` rows drawn with replacement; with `balance`, times the
/// balanced class weights of the drawn labels (repeats counted; classes not drawn weigh 0).
fn bootstrap_weights(
    base: &[f64],
    y: &[usize],
    k: usize,
    draws: usize,
    balance: bool,
    rng: &mut StdRng,
) -> Vec<f64> {
    let n = base.len();
    let mut counts = vec![0u32; n];
    for _ in 0..draws {
        counts[rng.gen_range(0..n)] += 1;
    }
    let mut cw = vec![1.0; k];
    if balance {
        let mut drawn = vec![0.0; k];
        for (i, &c) in counts.iter().enumerate() {
            drawn[y[i]] += f64::from(c);
        }
        let present = drawn.iter().filter(|&&c| c > 0.0).count() as f64;
        for (w, &c) in cw.iter_mut().zip(&drawn) {
            *w = if c > 0.0 {
                draws as f64 / (present * c)
            } else {
                0.0
            };
        }
    }
    (0..n)
        .map(|i| base[i] * f64::from(counts[i]) * cw[y[i]])
        .collect()
}

/// Accuracy of the out-of-bag soft vote over the rows that are out of bag for at least one tree
/// (NaN when none is).
fn oob_accuracy(
    grown: &[(DecisionTree, Option<Vec<bool>>)],
    x: &Array2<f64>,
    y: &[usize],
    k: usize,
) -> f64 {
    let n = y.len();
    let (sums, votes) = grown
        .par_iter()
        .fold(
            || (vec![0.0; n * k], vec![0u32; n]),
            |(mut sums, mut votes), (tree, in_bag)| {
                let Some(in_bag) = in_bag else {
                    return (sums, votes);
                };
                for (i, row) in x.rows().into_iter().enumerate() {
                    if !in_bag[i] {
                        let leaf = tree.leaf(row);
                        for (s, v) in sums[i * k..(i + 1) * k]
                            .iter_mut()
                            .zip(tree.node_value(leaf))
                        {
                            *s += v;
                        }
                        votes[i] += 1;
                    }
                }
                (sums, votes)
            },
        )
        .reduce(
            || (vec![0.0; n * k], vec![0u32; n]),
            |(mut a, mut va), (b, vb)| {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                va.iter_mut().zip(&vb).for_each(|(x, y)| *x += y);
                (a, va)
            },
        );
    let (mut hits, mut rows) = (0usize, 0usize);
    for i in (0..n).filter(|&i| votes[i] > 0) {
        rows += 1;
        hits += usize::from(argmax(&sums[i * k..(i + 1) * k]) == y[i]);
    }
    if rows == 0 {
        f64::NAN
    } else {
        hits as f64 / rows as f64
    }
}

/// A fitted random forest or extra-trees ensemble (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct Forest {
    params: ForestParams,
    pub(super) trees: Vec<DecisionTree>,
    n_classes: usize,
    n_features: usize,
    oob_score: Option<f64>,
}

impl Forest {
    /// scikit-learn's `RandomForestClassifier()` defaults.
    pub fn random_forest() -> ForestParams {
        ForestParams::new(ForestKind::RandomForest)
    }

    /// scikit-learn's `ExtraTreesClassifier()` defaults.
    pub fn extra_trees() -> ForestParams {
        ForestParams::new(ForestKind::ExtraTrees)
    }

    /// The parameters it was fitted with.
    pub fn fitted_params(&self) -> &ForestParams {
        &self.params
    }

    /// Random forest or extra trees.
    pub fn kind(&self) -> ForestKind {
        self.params.kind
    }

    /// The fitted trees.
    pub fn trees(&self) -> &[DecisionTree] {
        &self.trees
    }

    /// Number of classes (largest training label + 1).
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of feature columns it was fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Out-of-bag accuracy: each training row predicted by the soft vote of the trees whose
    /// bootstrap left it out, over the rows left out by at least one tree (scikit-learn's
    /// `oob_score_`, which also counts rows no tree left out, as class 0). `None` unless asked
    /// with [`ForestParams::oob_score`]; NaN if every row was in every bootstrap.
    pub fn oob_score(&self) -> Option<f64> {
        self.oob_score
    }

    /// Mean of the trees' impurity-based importances (trees that are a single leaf left out),
    /// normalised to sum 1, as scikit-learn.
    pub fn feature_importances(&self) -> Array1<f64> {
        let mut sum = Array1::<f64>::zeros(self.n_features);
        for t in self.trees.iter().filter(|t| t.nodes.len() > 1) {
            sum += &t.feature_importances();
        }
        let total = sum.sum();
        if total > 0.0 {
            sum /= total;
        }
        sum
    }

    /// Mean of the trees' leaf class distributions.
    ///
    /// # Errors
    /// As [`check_predict`].
    pub fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        let p = self.mean_proba(x)?;
        Array2::from_shape_vec((x.nrows(), self.n_classes), p)
            .map_err(|e| Error::Shape(e.to_string()))
    }

    /// The most probable class of each row (the first on ties).
    ///
    /// # Errors
    /// As [`check_predict`].
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        let p = self.mean_proba(x)?;
        Ok(p.chunks(self.n_classes).map(argmax).collect())
    }

    /// Mean class distributions, rows × classes, row-major; rows in parallel.
    fn mean_proba(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        check_predict(x, self.n_features)?;
        let k = self.n_classes;
        let mut out = vec![0.0; x.nrows() * k];
        let scale = 1.0 / self.trees.len() as f64;
        out.par_chunks_mut(k).enumerate().for_each(|(i, p)| {
            let row = x.row(i);
            for t in &self.trees {
                for (o, v) in p.iter_mut().zip(t.node_value(t.leaf(row))) {
                    *o += v;
                }
            }
            p.iter_mut().for_each(|v| *v *= scale);
        });
        Ok(out)
    }
}

impl Fit<usize> for ForestParams {
    type Model = Forest;

    fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<Forest> {
        ForestParams::fit(self, x, y)
    }

    fn describe(&self) -> String {
        let name = match self.kind {
            ForestKind::RandomForest => "random forest",
            ForestKind::ExtraTrees => "extra trees",
        };
        let mut s = format!("{name} ×{}", self.n_estimators);
        if self.tree.criterion == Criterion::Entropy {
            s.push_str(", entropy");
        }
        if let Some(d) = self.tree.max_depth {
            s.push_str(&format!(", depth ≤ {d}"));
        }
        if self.tree.min_samples_leaf > 1 {
            s.push_str(&format!(", leaf ≥ {}", self.tree.min_samples_leaf));
        }
        if self.tree.max_features != MaxFeatures::Sqrt {
            s.push_str(&format!(", {} features", self.tree.max_features.describe()));
        }
        if self.balanced_subsample {
            s + ", balanced per tree"
        } else {
            s + weights_note(&self.class_weight)
        }
    }
}

impl Classifier for Forest {
    fn n_classes(&self) -> usize {
        self.n_classes
    }

    fn n_features(&self) -> usize {
        self.n_features
    }

    fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        Forest::predict(self, x)
    }

    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        Forest::predict_proba(self, x)
    }
}
