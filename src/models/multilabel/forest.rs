//! Natively multi-output trees and forests, as scikit-learn's `DecisionTreeClassifier`,
//! `RandomForestClassifier` and `ExtraTreesClassifier` are when `y` is a label matrix: one tree
//! predicts every label at once. A node's impurity is the mean over the labels of their Gini
//! impurities (each label a two-class problem), a split is the one that lowers the weighted sum
//! of the children's impurities most, and a leaf holds, per label, the weighted share of its rows
//! that carry the label. The forest averages those shares over its trees (soft voting), and a
//! label is predicted where the mean is above 0.5.
//!
//! Splits follow scikit-learn's rules: `max_features` candidates drawn afresh at every node (the
//! draw goes on past constant features until that many non-constant ones were tried), best
//! thresholds at midpoints between consecutive distinct values more than 1e-7 apart, random
//! thresholds uniform between the node's min and max (extra trees), `min_samples_leaf` rows on
//! both sides. Bootstrap draws become row weights. The trees are grown in parallel, each from a
//! seed derived from (`seed`, tree index), so a fit does not depend on thread scheduling. The
//! random draws are not numpy's: fits agree with scikit-learn's in accuracy, not tree by tree.

use super::{FitMultiLabel, MultiLabelClassifier, check_fit_multilabel, label_class_weights};
use crate::error::{Error, Result};
use crate::models::api::check_predict;
use crate::models::tree::{ForestKind, MaxFeatures};
use ndarray::{Array2, ArrayView1};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

/// Values closer than this are one value (scikit-learn's `FEATURE_THRESHOLD`).
const FEATURE_THRESHOLD: f64 = 1e-7;

/// How rows are weighted by their labels (scikit-learn's `class_weight` on a label matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabelWeight {
    /// Every row weighs 1.
    #[default]
    Uniform,
    /// A row weighs the product over the labels of the balanced weight of its value in that
    /// label's column ([`label_class_weights`]), as `compute_sample_weight('balanced', Y)`.
    Balanced,
}

/// Hyperparameters of a [`MultiForest`] (unchecked until `fit`).
///
/// | setter | default (forest) | meaning | range |
/// |---|---|---|---|
/// | [`n_estimators`](Self::n_estimators) | `100` | trees | ≥ 1 |
/// | [`max_depth`](Self::max_depth) | `None` | depth limit | ≥ 1 |
/// | [`min_samples_split`](Self::min_samples_split) | `2` | rows a node needs to split | ≥ 2 |
/// | [`min_samples_leaf`](Self::min_samples_leaf) | `1` | rows each child keeps | ≥ 1 |
/// | [`max_features`](Self::max_features) | `Sqrt` (tree: `All`) | candidates per split | see [`MaxFeatures`] |
/// | [`bootstrap`](Self::bootstrap) | `true` (RF) / `false` (ET, tree) | bootstrap sample per tree | |
/// | [`class_weight`](Self::class_weight) | `Uniform` | row weights from the labels | |
/// | [`seed`](Self::seed) | `0` | bootstraps, feature draws, thresholds | |
#[derive(Debug, Clone, PartialEq)]
pub struct MultiForestParams {
    kind: ForestKind,
    single_tree: bool,
    n_estimators: usize,
    max_depth: Option<usize>,
    min_samples_split: usize,
    min_samples_leaf: usize,
    max_features: MaxFeatures,
    bootstrap: bool,
    class_weight: LabelWeight,
    seed: u64,
}

impl MultiForestParams {
    fn new(kind: ForestKind) -> Self {
        MultiForestParams {
            kind,
            single_tree: false,
            n_estimators: 100,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::Sqrt,
            bootstrap: kind == ForestKind::RandomForest,
            class_weight: LabelWeight::Uniform,
            seed: 0,
        }
    }
    pub fn n_estimators(mut self, n_estimators: usize) -> Self {
        self.n_estimators = n_estimators;
        self
    }
    pub fn max_depth(mut self, max_depth: Option<usize>) -> Self {
        self.max_depth = max_depth;
        self
    }
    pub fn min_samples_split(mut self, min_samples_split: usize) -> Self {
        self.min_samples_split = min_samples_split;
        self
    }
    pub fn min_samples_leaf(mut self, min_samples_leaf: usize) -> Self {
        self.min_samples_leaf = min_samples_leaf;
        self
    }
    pub fn max_features(mut self, max_features: MaxFeatures) -> Self {
        self.max_features = max_features;
        self
    }
    pub fn bootstrap(mut self, bootstrap: bool) -> Self {
        self.bootstrap = bootstrap;
        self
    }
    pub fn class_weight(mut self, class_weight: LabelWeight) -> Self {
        self.class_weight = class_weight;
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
        if self.max_depth == Some(0) {
            return Err(Error::parameter("max_depth", 0, "at least 1, or None"));
        }
        if self.min_samples_split < 2 {
            return Err(Error::parameter(
                "min_samples_split",
                self.min_samples_split,
                "at least 2",
            ));
        }
        if self.min_samples_leaf == 0 {
            return Err(Error::parameter("min_samples_leaf", 0, "at least 1"));
        }
        Ok(())
    }
}

/// One node of a [`MultiTree`]: a split (`children` set) or a leaf (`value` offset).
#[derive(Debug, Clone, PartialEq)]
struct TreeNode {
    feature: usize,
    threshold: f64,
    children: Option<(usize, usize)>,
    /// Offset of the leaf's per-label shares in the tree's values.
    value: usize,
}

/// One multi-output tree: per leaf, the weighted share of rows carrying each label.
#[derive(Debug, Clone, PartialEq)]
struct MultiTree {
    nodes: Vec<TreeNode>,
    values: Vec<f64>,
}

impl MultiTree {
    fn leaf_values(&self, row: ArrayView1<f64>, n_labels: usize) -> &[f64] {
        let mut i = 0;
        while let Some((l, r)) = self.nodes[i].children {
            i = if row[self.nodes[i].feature] <= self.nodes[i].threshold {
                l
            } else {
                r
            };
        }
        let v = self.nodes[i].value;
        &self.values[v..v + n_labels]
    }
}

/// What every tree of a fit shares: the columns, the labels (row-major), the settings.
struct Grower<'a> {
    cols: Vec<Vec<f64>>,
    y: &'a [u8],
    labels: usize,
    random: bool,
    max_depth: usize,
    min_split: usize,
    min_leaf: usize,
    max_features: usize,
}

/// Weighted row count and per-label weighted ones of some rows.
fn stats(g: &Grower, rows: &[usize], w: &[f64]) -> (f64, Vec<f64>) {
    let mut ones = vec![0.0; g.labels];
    let mut total = 0.0;
    for &r in rows {
        total += w[r];
        for (o, &v) in ones.iter_mut().zip(&g.y[r * g.labels..(r + 1) * g.labels]) {
            if v == 1 {
                *o += w[r];
            }
        }
    }
    (total, ones)
}

/// Σ over labels of the Gini impurity 2p(1 − p) of a node of weight `total`.
fn gini_sum(ones: &[f64], total: f64) -> f64 {
    if total <= 0.0 {
        return 0.0;
    }
    ones.iter()
        .map(|&o| {
            let p = o / total;
            2.0 * p * (1.0 - p)
        })
        .sum()
}

/// The best (feature, threshold, proxy) among the candidates of one node, if any split is valid.
fn best_split(
    g: &Grower,
    rows: &[usize],
    w: &[f64],
    total: (f64, &[f64]),
    rng: &mut StdRng,
) -> Option<(usize, f64)> {
    let p = g.cols.len();
    let mut features: Vec<usize> = (0..p).collect();
    let mut best: Option<(usize, f64, f64)> = None;
    let mut tried = 0;
    let mut sorted: Vec<(f64, usize)> = Vec::with_capacity(rows.len());
    for k in 0..p {
        if tried >= g.max_features {
            break;
        }
        let pick = rng.gen_range(k..p);
        features.swap(k, pick);
        let f = features[k];
        let col = &g.cols[f];
        let found = if g.random {
            random_threshold(g, col, rows, w, total, rng)
        } else {
            sorted.clear();
            sorted.extend(rows.iter().map(|&r| (col[r], r)));
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
            if sorted[sorted.len() - 1].0 <= sorted[0].0 + FEATURE_THRESHOLD {
                None
            } else {
                Some(sweep(g, &sorted, w, total))
            }
        };
        let Some(found) = found else { continue };
        tried += 1;
        if let Some((thr, proxy)) = found
            && best.is_none_or(|b| proxy > b.2)
        {
            best = Some((f, thr, proxy));
        }
    }
    best.map(|(f, t, _)| (f, t))
}

/// Best threshold of one feature over rows sorted by it: (threshold, proxy) or `None` when no
/// position leaves `min_leaf` rows on both sides between distinct values.
fn sweep(
    g: &Grower,
    sorted: &[(f64, usize)],
    w: &[f64],
    total: (f64, &[f64]),
) -> Option<(f64, f64)> {
    let n = sorted.len();
    let mut left = vec![0.0; g.labels];
    let mut right = vec![0.0; g.labels];
    let mut wl = 0.0;
    let mut best: Option<(f64, f64)> = None;
    for i in 0..n - 1 {
        let (v, r) = sorted[i];
        wl += w[r];
        for (o, &y) in left.iter_mut().zip(&g.y[r * g.labels..(r + 1) * g.labels]) {
            if y == 1 {
                *o += w[r];
            }
        }
        if i + 1 < g.min_leaf {
            continue;
        }
        if n - (i + 1) < g.min_leaf {
            break;
        }
        let next = sorted[i + 1].0;
        if next <= v + FEATURE_THRESHOLD {
            continue;
        }
        let wr = total.0 - wl;
        for ((o, t), l) in right.iter_mut().zip(total.1).zip(&left) {
            *o = t - l;
        }
        let proxy = -(wl * gini_sum(&left, wl) + wr * gini_sum(&right, wr));
        if best.is_none_or(|b| proxy > b.1) {
            let mut thr = v / 2.0 + next / 2.0;
            if thr == next || !thr.is_finite() {
                thr = v;
            }
            best = Some((thr, proxy));
        }
    }
    best
}

/// Extra trees' split of one feature: `None` for a constant feature, `Some(None)` when the drawn
/// threshold leaves fewer than `min_leaf` rows on a side, else (threshold, proxy).
fn random_threshold(
    g: &Grower,
    col: &[f64],
    rows: &[usize],
    w: &[f64],
    total: (f64, &[f64]),
    rng: &mut StdRng,
) -> Option<Option<(f64, f64)>> {
    let (lo, hi) = rows
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &r| {
            (a.min(col[r]), b.max(col[r]))
        });
    if hi <= lo + FEATURE_THRESHOLD {
        return None;
    }
    // A range too wide for a float draw (|hi − lo| overflows) splits at the midpoint.
    let mut thr = if (hi - lo).is_finite() {
        rng.gen_range(lo..hi)
    } else {
        lo / 2.0 + hi / 2.0
    };
    if thr == hi {
        thr = lo;
    }
    let left_rows: Vec<usize> = rows.iter().copied().filter(|&r| col[r] <= thr).collect();
    let nl = left_rows.len();
    if nl < g.min_leaf || rows.len() - nl < g.min_leaf {
        return Some(None);
    }
    let (wl, left) = stats(g, &left_rows, w);
    let right: Vec<f64> = total.1.iter().zip(&left).map(|(t, l)| t - l).collect();
    let wr = total.0 - wl;
    Some(Some((
        thr,
        -(wl * gini_sum(&left, wl) + wr * gini_sum(&right, wr)),
    )))
}

/// Grows one tree on the rows with weight > 0, depth first.
fn grow(g: &Grower, w: &[f64], rng: &mut StdRng) -> MultiTree {
    let mut rows: Vec<usize> = (0..w.len()).filter(|&r| w[r] > 0.0).collect();
    let mut tree = MultiTree {
        nodes: Vec::new(),
        values: Vec::new(),
    };
    // (start, end, depth, node index)
    let mut stack = vec![(0usize, rows.len(), 0usize, 0usize)];
    tree.nodes.push(TreeNode {
        feature: 0,
        threshold: 0.0,
        children: None,
        value: 0,
    });
    while let Some((start, end, depth, at)) = stack.pop() {
        let part = &mut rows[start..end];
        let (total, ones) = stats(g, part, w);
        let n = end - start;
        let pure = gini_sum(&ones, total) <= 1e-12;
        let split = if depth >= g.max_depth || n < g.min_split || n < 2 * g.min_leaf || pure {
            None
        } else {
            best_split(g, part, w, (total, &ones), rng)
        };
        let Some((feature, threshold)) = split else {
            tree.nodes[at].value = tree.values.len();
            tree.values.extend(
                ones.iter()
                    .map(|&o| if total > 0.0 { o / total } else { 0.0 }),
            );
            continue;
        };
        let col = &g.cols[feature];
        part.sort_by_key(|&r| col[r] > threshold);
        let mid = start + part.iter().filter(|&&r| col[r] <= threshold).count();
        let (l, r) = (tree.nodes.len(), tree.nodes.len() + 1);
        for _ in 0..2 {
            tree.nodes.push(TreeNode {
                feature: 0,
                threshold: 0.0,
                children: None,
                value: 0,
            });
        }
        tree.nodes[at] = TreeNode {
            feature,
            threshold,
            children: Some((l, r)),
            value: 0,
        };
        stack.push((mid, end, depth + 1, r));
        stack.push((start, mid, depth + 1, l));
    }
    tree
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

/// A fitted multi-output forest (or single tree), owned.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiForest {
    params: MultiForestParams,
    trees: Vec<MultiTree>,
    n_labels: usize,
    n_features: usize,
}

impl MultiForest {
    /// scikit-learn's `RandomForestClassifier()` defaults: 100 best-split trees on bootstraps,
    /// ⌊√p⌋ candidate features.
    pub fn random_forest() -> MultiForestParams {
        MultiForestParams::new(ForestKind::RandomForest)
    }

    /// scikit-learn's `ExtraTreesClassifier()` defaults: 100 random-threshold trees on all rows.
    pub fn extra_trees() -> MultiForestParams {
        MultiForestParams::new(ForestKind::ExtraTrees)
    }

    /// scikit-learn's `DecisionTreeClassifier()` defaults: one best-split tree on all rows and
    /// all features.
    pub fn decision_tree() -> MultiForestParams {
        MultiForestParams {
            single_tree: true,
            n_estimators: 1,
            bootstrap: false,
            max_features: MaxFeatures::All,
            ..MultiForestParams::new(ForestKind::RandomForest)
        }
    }

    /// The parameters it was fitted with.
    pub fn fitted_params(&self) -> &MultiForestParams {
        &self.params
    }

    /// Number of trees.
    pub fn n_trees(&self) -> usize {
        self.trees.len()
    }

    /// Total leaves over the trees.
    pub fn n_leaves(&self) -> usize {
        self.trees
            .iter()
            .map(|t| t.nodes.iter().filter(|n| n.children.is_none()).count())
            .sum()
    }
}

/// Per-row weights: 1, or the product of the balanced weights of the row's label values.
fn row_weights(y: &Array2<u8>, cw: LabelWeight) -> Vec<f64> {
    match cw {
        LabelWeight::Uniform => vec![1.0; y.nrows()],
        LabelWeight::Balanced => {
            let lw = label_class_weights(y);
            y.rows()
                .into_iter()
                .map(|r| {
                    r.iter()
                        .zip(&lw)
                        .map(|(&v, w)| w[usize::from(v.min(1))])
                        .product()
                })
                .collect()
        }
    }
}

impl FitMultiLabel for MultiForestParams {
    type Model = MultiForest;

    /// Grows the trees in parallel on rows `x` with 0/1 labels `y` (rows × labels).
    ///
    /// # Errors
    /// [`Error::Parameter`] for bad parameters (`max_features` resolved against the columns);
    /// as [`check_fit_multilabel`] for bad data.
    fn fit(&self, x: &Array2<f64>, y: &Array2<u8>) -> Result<MultiForest> {
        self.check()?;
        check_fit_multilabel(x, y)?;
        let n = x.nrows();
        let labels = y.ncols();
        let y_flat: Vec<u8> = y.iter().copied().collect();
        let g = Grower {
            cols: x.columns().into_iter().map(|c| c.to_vec()).collect(),
            y: &y_flat,
            labels,
            random: self.kind == ForestKind::ExtraTrees && !self.single_tree,
            max_depth: self.max_depth.unwrap_or(usize::MAX),
            min_split: self.min_samples_split,
            min_leaf: self.min_samples_leaf,
            max_features: self.max_features.resolve(x.ncols())?,
        };
        let base = row_weights(y, self.class_weight);
        let trees = (0..self.n_estimators)
            .into_par_iter()
            .map(|i| {
                let mut rng = StdRng::seed_from_u64(tree_seed(self.seed, i));
                if !self.bootstrap {
                    return grow(&g, &base, &mut rng);
                }
                let mut counts = vec![0u32; n];
                for _ in 0..n {
                    counts[rng.gen_range(0..n)] += 1;
                }
                let w: Vec<f64> = base
                    .iter()
                    .zip(&counts)
                    .map(|(b, &c)| b * f64::from(c))
                    .collect();
                grow(&g, &w, &mut rng)
            })
            .collect();
        Ok(MultiForest {
            params: self.clone(),
            trees,
            n_labels: labels,
            n_features: x.ncols(),
        })
    }

    fn describe(&self) -> String {
        let name = match (self.single_tree, self.kind) {
            (true, _) => "decision tree".to_string(),
            (false, ForestKind::RandomForest) => format!("random forest ×{}", self.n_estimators),
            (false, ForestKind::ExtraTrees) => format!("extra trees ×{}", self.n_estimators),
        };
        let mut s = name;
        if let Some(d) = self.max_depth {
            s.push_str(&format!(", depth ≤ {d}"));
        }
        if self.min_samples_split != 2 {
            s.push_str(&format!(", split ≥ {}", self.min_samples_split));
        }
        if self.min_samples_leaf > 1 {
            s.push_str(&format!(", leaf ≥ {}", self.min_samples_leaf));
        }
        let mf = match self.max_features {
            MaxFeatures::Sqrt => "sqrt".to_string(),
            MaxFeatures::Log2 => "log2".to_string(),
            MaxFeatures::All => "all".to_string(),
            MaxFeatures::Fraction(f) => format!("{f}"),
            MaxFeatures::Count(c) => format!("{c}"),
        };
        s.push_str(&format!(", {mf} features"));
        if self.class_weight == LabelWeight::Balanced {
            s.push_str(", balanced");
        }
        s
    }
}

impl MultiLabelClassifier for MultiForest {
    fn n_labels(&self) -> usize {
        self.n_labels
    }

    fn n_features(&self) -> usize {
        self.n_features
    }

    /// Per label, the mean over the trees of the leaf's share of rows carrying it.
    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(x, self.n_features)?;
        let l = self.n_labels;
        let mut out = vec![0.0; x.nrows() * l];
        let scale = 1.0 / self.trees.len() as f64;
        out.par_chunks_mut(l.max(1)).enumerate().for_each(|(i, p)| {
            let row = x.row(i);
            for t in &self.trees {
                for (o, v) in p.iter_mut().zip(t.leaf_values(row, l)) {
                    *o += v;
                }
            }
            p.iter_mut().for_each(|v| *v *= scale);
        });
        Array2::from_shape_vec((x.nrows(), l), out).map_err(|e| Error::Shape(e.to_string()))
    }
}
