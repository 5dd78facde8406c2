//! CART classification tree with scikit-learn's `DecisionTreeClassifier` semantics.
//!
//! Depth-first growth; at each node the candidate features are drawn afresh without
//! replacement (`max_features`, a constant feature counts as drawn but the search goes on until
//! one non-constant feature has been tried, as scikit-learn). The best splitter tries every
//! threshold halfway between two consecutive distinct values of the node (values closer than
//! 1e-7 count as equal); the random splitter (extra trees) tries one threshold drawn uniformly
//! between the node's minimum and maximum. The split kept is the first with the largest
//! weighted impurity decrease (Gini or entropy); both children keep at least
//! `min_samples_leaf` rows. A row goes left when `x[feature] <= threshold`.
//!
//! Rows are weighted by `sample_weight × class_weight[label]`; rows of weight 0 are left out
//! (a forest's bootstrap passes its draw counts as weights, as scikit-learn does).
//!
//! One difference: scikit-learn casts the features to float32 before fitting, so its thresholds
//! are float32 midpoints (0.14750000089 where ours is 0.1475). Splits agree unless two distinct
//! f64 values round to the same float32.
//!
//! The fitted tree is a flat array of [`Node`]s (children by index) with each node's weighted
//! class distribution, so prediction and TreeSHAP walk plain vectors.
//!
//! ```no_run
//! use listening::models::tree::{DecisionTree, MaxFeatures};
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((4, 2)), vec![0, 0, 1, 1]);
//! let tree = DecisionTree::params().max_depth(Some(3)).seed(7).fit(&x, &y)?;
//! let p = tree.predict_proba(&x)?;
//! let importances = tree.feature_importances();
//! println!("depth {}, {} leaves", tree.depth(), tree.n_leaves());
//! # Ok::<(), listening::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::models::api::{Classifier, Fit, check_fit, check_predict, n_classes};
use crate::models::weights::ClassWeight;
use ndarray::{Array1, Array2, ArrayView1};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Values closer than this count as equal when looking for thresholds (scikit-learn's
/// `FEATURE_THRESHOLD`).
const FEATURE_THRESHOLD: f64 = 1e-7;

/// Impurity of a node, scikit-learn's `criterion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Criterion {
    /// 1 − Σ p_c².
    #[default]
    Gini,
    /// −Σ p_c log₂ p_c.
    Entropy,
}

/// How a node's threshold is chosen, scikit-learn's `splitter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Splitter {
    /// Every midpoint between consecutive distinct values of each candidate feature.
    #[default]
    Best,
    /// One threshold per candidate feature, uniform between the node's min and max (extra trees).
    Random,
}

/// Features drawn as candidates at every split, scikit-learn's `max_features`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum MaxFeatures {
    /// ⌊√p⌋ (at least 1).
    Sqrt,
    /// ⌊log₂ p⌋ (at least 1).
    Log2,
    /// ⌊f · p⌋ (at least 1), f in (0, 1].
    Fraction(f64),
    /// All p features (the tree's default).
    #[default]
    All,
    /// A fixed count in 1..=p.
    Count(usize),
}

impl MaxFeatures {
    /// The number of candidate features among `p`.
    ///
    /// # Errors
    /// [`Error::Parameter`] for a fraction outside (0, 1] or a count outside 1..=p.
    pub fn resolve(&self, p: usize) -> Result<usize> {
        let at_least_one = |v: f64| (v.floor() as usize).max(1);
        match *self {
            MaxFeatures::Sqrt => Ok(at_least_one((p as f64).sqrt())),
            MaxFeatures::Log2 => Ok(at_least_one((p as f64).log2())),
            MaxFeatures::All => Ok(p.max(1)),
            MaxFeatures::Fraction(f) if f.is_finite() && f > 0.0 && f <= 1.0 => {
                Ok(at_least_one(f * p as f64))
            }
            MaxFeatures::Fraction(f) => Err(Error::parameter("max_features", f, "in (0, 1]")),
            MaxFeatures::Count(c) if (1..=p).contains(&c) => Ok(c),
            MaxFeatures::Count(c) => Err(Error::parameter(
                "max_features",
                c,
                format!("a count in 1..={p} (the number of features)"),
            )),
        }
    }

    pub(super) fn describe(&self) -> String {
        match self {
            MaxFeatures::Sqrt => "sqrt".into(),
            MaxFeatures::Log2 => "log2".into(),
            MaxFeatures::Fraction(f) => format!("{f}"),
            MaxFeatures::All => "all".into(),
            MaxFeatures::Count(c) => format!("{c}"),
        }
    }
}

/// Hyperparameters of [`DecisionTree`] (unchecked until `fit`).
///
/// | setter | default | meaning | range |
/// |---|---|---|---|
/// | [`criterion`](Self::criterion) | `Gini` | impurity | |
/// | [`splitter`](Self::splitter) | `Best` | best or random threshold | |
/// | [`max_depth`](Self::max_depth) | `None` | depth limit (root = 0) | ≥ 1 |
/// | [`min_samples_split`](Self::min_samples_split) | `2` | rows a node needs to split | ≥ 2 |
/// | [`min_samples_leaf`](Self::min_samples_leaf) | `1` | rows each child keeps | ≥ 1 |
/// | [`max_features`](Self::max_features) | `All` | candidates drawn at each split | see [`MaxFeatures`] |
/// | [`class_weight`](Self::class_weight) | `Uniform` | weight of each class | weights > 0 |
/// | [`seed`](Self::seed) | `0` | feature draws and random thresholds | |
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionTreeParams {
    pub(super) criterion: Criterion,
    pub(super) splitter: Splitter,
    pub(super) max_depth: Option<usize>,
    pub(super) min_samples_split: usize,
    pub(super) min_samples_leaf: usize,
    pub(super) max_features: MaxFeatures,
    pub(super) class_weight: ClassWeight,
    pub(super) seed: u64,
}

impl Default for DecisionTreeParams {
    fn default() -> Self {
        DecisionTreeParams {
            criterion: Criterion::Gini,
            splitter: Splitter::Best,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::All,
            class_weight: ClassWeight::Uniform,
            seed: 0,
        }
    }
}

impl DecisionTreeParams {
    /// scikit-learn's defaults: Gini, best splitter, unlimited depth, all features.
    pub fn new() -> Self {
        Self::default()
    }
    pub fn criterion(mut self, criterion: Criterion) -> Self {
        self.criterion = criterion;
        self
    }
    pub fn splitter(mut self, splitter: Splitter) -> Self {
        self.splitter = splitter;
        self
    }
    /// Depth limit (`None`: grow until leaves are pure or too small).
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
    /// Class weights; `Balanced` is computed from the labels given to `fit`.
    pub fn class_weight(mut self, class_weight: ClassWeight) -> Self {
        self.class_weight = class_weight;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The parameters, or [`Error::Parameter`] naming the first bad one (a `max_features`
    /// count is checked against the data in `fit`).
    pub fn check(&self) -> Result<()> {
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
        if self.min_samples_leaf < 1 {
            return Err(Error::parameter(
                "min_samples_leaf",
                self.min_samples_leaf,
                "at least 1",
            ));
        }
        match self.max_features {
            MaxFeatures::Count(0) => Err(Error::parameter("max_features", 0, "a count ≥ 1")),
            MaxFeatures::Fraction(_) => self.max_features.resolve(1).map(|_| ()),
            _ => Ok(()),
        }
    }

    /// Fits on rows `x` with labels `y` (0..k, k = largest label + 1; a class of 0..k without
    /// rows is allowed and always has probability 0).
    ///
    /// # Errors
    /// [`Error::Parameter`] for bad parameters; [`Error::Shape`], [`Error::Labels`],
    /// [`Error::NonFinite`] for data that does not fit (see [`check_fit`]).
    pub fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<DecisionTree> {
        self.fit_inner(x, y, None)
    }

    /// As [`Self::fit`], each row weighted by `sample_weight` (≥ 0; rows of weight 0 are left
    /// out), times its class weight.
    ///
    /// # Errors
    /// As [`Self::fit`]; [`Error::Shape`] when `sample_weight` does not have one weight per
    /// row; [`Error::Parameter`] for a negative or non-finite weight, or all weights 0.
    pub fn fit_weighted(
        &self,
        x: &Array2<f64>,
        y: &[usize],
        sample_weight: &[f64],
    ) -> Result<DecisionTree> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner(&self, x: &Array2<f64>, y: &[usize], sw: Option<&[f64]>) -> Result<DecisionTree> {
        self.check()?;
        check_fit(x, y)?;
        let k = n_classes(y, false)?;
        let growth = Growth::new(self, x.ncols())?;
        let w = row_weights(y, k, sw, &self.class_weight)?;
        let cols = Columns::new(x, self.splitter == Splitter::Best);
        let mut rng = StdRng::seed_from_u64(self.seed);
        Ok(grow(&cols, y, k, &w, &growth, &mut rng))
    }
}

/// Per-row weights `sample_weight × class_weight[label]`, checked.
pub(super) fn row_weights(
    y: &[usize],
    k: usize,
    sw: Option<&[f64]>,
    class_weight: &ClassWeight,
) -> Result<Vec<f64>> {
    let cw = class_weight.resolve(y, k)?;
    let Some(sw) = sw else {
        return Ok(y.iter().map(|&c| cw[c]).collect());
    };
    if sw.len() != y.len() {
        return Err(Error::Shape(format!(
            "{} sample weights for {} rows",
            sw.len(),
            y.len()
        )));
    }
    if let Some(bad) = sw.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
        return Err(Error::parameter("sample_weight", bad, "finite and ≥ 0"));
    }
    if sw.iter().all(|&v| v == 0.0) {
        return Err(Error::parameter(
            "sample_weight",
            "all 0",
            "at least one weight > 0",
        ));
    }
    Ok(sw.iter().zip(y).map(|(w, &c)| w * cw[c]).collect())
}

/// One node of a fitted tree. A row goes to the left child when `x[feature] <= threshold`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    /// Indices of the left and right children in [`DecisionTree::nodes`]; `None` for a leaf.
    pub children: Option<(usize, usize)>,
    /// Feature tested (0 for a leaf).
    pub feature: usize,
    /// Threshold of the test (0 for a leaf).
    pub threshold: f64,
    /// Impurity of the node's training rows (weighted).
    pub impurity: f64,
    /// Training rows that reached the node (distinct rows: a bootstrap's repeats count once).
    pub n_samples: usize,
    /// Their total weight (a bootstrap's repeats count as weight): the node's "cover".
    pub weighted_n: f64,
}

/// A fitted classification tree (owned; see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionTree {
    pub(super) nodes: Vec<Node>,
    /// Weighted class distribution of each node, normalised (nodes × classes, row-major).
    pub(super) value: Vec<f64>,
    pub(super) n_classes: usize,
    pub(super) n_features: usize,
    pub(super) depth: usize,
}

impl DecisionTree {
    /// scikit-learn's `DecisionTreeClassifier()` defaults.
    pub fn params() -> DecisionTreeParams {
        DecisionTreeParams::new()
    }

    /// Number of classes (largest training label + 1).
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of feature columns it was fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The nodes, root first (depth-first order, left subtree before right).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Weighted class distribution of the training rows at node `i`, normalised (the leaf's
    /// `predict_proba`).
    pub fn node_value(&self, i: usize) -> &[f64] {
        &self.value[i * self.n_classes..(i + 1) * self.n_classes]
    }

    /// Depth of the deepest leaf (a single-leaf tree has depth 0).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.children.is_none()).count()
    }

    /// Impurity-based importances: each feature's weighted impurity decrease over the nodes
    /// split on it, normalised to sum 1 (all 0 for a single-leaf tree), as scikit-learn's
    /// `feature_importances_`.
    pub fn feature_importances(&self) -> Array1<f64> {
        let mut imp = Array1::<f64>::zeros(self.n_features);
        for n in &self.nodes {
            if let Some((l, r)) = n.children {
                let (l, r) = (&self.nodes[l], &self.nodes[r]);
                imp[n.feature] += n.weighted_n * n.impurity
                    - l.weighted_n * l.impurity
                    - r.weighted_n * r.impurity;
            }
        }
        let root = self.nodes[0].weighted_n;
        if root > 0.0 {
            imp /= root;
        }
        let total = imp.sum();
        if total > 0.0 {
            imp /= total;
        }
        imp
    }

    /// Index of the leaf that `row` falls into.
    pub(super) fn leaf(&self, row: ArrayView1<f64>) -> usize {
        let mut i = 0;
        while let Some((l, r)) = self.nodes[i].children {
            let n = &self.nodes[i];
            i = if row[n.feature] <= n.threshold { l } else { r };
        }
        i
    }

    /// The leaf index of each row (scikit-learn's `apply`).
    ///
    /// # Errors
    /// As [`check_predict`].
    pub fn apply(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        check_predict(x, self.n_features)?;
        Ok(x.rows().into_iter().map(|r| self.leaf(r)).collect())
    }

    /// Class probabilities: the weighted class distribution of each row's leaf.
    ///
    /// # Errors
    /// As [`check_predict`].
    pub fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(x, self.n_features)?;
        let mut p = Array2::zeros((x.nrows(), self.n_classes));
        for (mut out, row) in p.rows_mut().into_iter().zip(x.rows()) {
            let leaf = self.leaf(row);
            out.assign(&ArrayView1::from(self.node_value(leaf)));
        }
        Ok(p)
    }

    /// The most probable class of each row (the first on ties).
    ///
    /// # Errors
    /// As [`check_predict`].
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        check_predict(x, self.n_features)?;
        Ok(x.rows()
            .into_iter()
            .map(|r| argmax(self.node_value(self.leaf(r))))
            .collect())
    }
}

/// Index of the first largest value.
pub(super) fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Growth settings resolved against the data.
#[derive(Debug, Clone, Copy)]
pub(super) struct Growth {
    pub(super) criterion: Criterion,
    pub(super) splitter: Splitter,
    pub(super) max_depth: usize,
    pub(super) min_samples_split: usize,
    pub(super) min_samples_leaf: usize,
    pub(super) max_features: usize,
}

impl Growth {
    pub(super) fn new(p: &DecisionTreeParams, n_features: usize) -> Result<Growth> {
        Ok(Growth {
            criterion: p.criterion,
            splitter: p.splitter,
            max_depth: p.max_depth.unwrap_or(usize::MAX),
            min_samples_split: p.min_samples_split,
            min_samples_leaf: p.min_samples_leaf,
            max_features: p.max_features.resolve(n_features)?,
        })
    }
}

/// Training columns, contiguous, shared by the trees of a forest; for the best splitter also each
/// value's rank among its column's distinct values (sorting small integers beats sorting
/// floats, and few-valued columns are counted instead of sorted).
pub(super) struct Columns {
    n: usize,
    p: usize,
    values: Vec<f64>,
    ranks: Vec<u32>,
    distinct: Vec<Vec<f64>>,
}

impl Columns {
    pub(super) fn new(x: &Array2<f64>, with_ranks: bool) -> Columns {
        let (n, p) = x.dim();
        let mut values: Vec<f64> = Vec::with_capacity(n * p);
        for col in x.columns() {
            values.extend(col.iter());
        }
        let (mut ranks, mut distinct) = (Vec::new(), Vec::new());
        if with_ranks {
            ranks = vec![0u32; n * p];
            let mut order: Vec<usize> = (0..n).collect();
            for f in 0..p {
                let col = &values[f * n..(f + 1) * n];
                order.sort_unstable_by(|&a, &b| col[a].total_cmp(&col[b]));
                let mut d: Vec<f64> = Vec::new();
                for &i in &order {
                    if d.last() != Some(&col[i]) {
                        d.push(col[i]);
                    }
                    ranks[f * n + i] = (d.len() - 1) as u32;
                }
                distinct.push(d);
            }
        }
        Columns {
            n,
            p,
            values,
            ranks,
            distinct,
        }
    }

    #[inline]
    fn value(&self, f: usize, s: u32) -> f64 {
        self.values[f * self.n + s as usize]
    }
}

/// Impurity of weighted class counts `c` of total weight `w`.
fn impurity(criterion: Criterion, c: &[f64], w: f64) -> f64 {
    if w <= 0.0 {
        return 0.0;
    }
    match criterion {
        Criterion::Gini => 1.0 - c.iter().map(|v| v * v).sum::<f64>() / (w * w),
        Criterion::Entropy => -c
            .iter()
            .filter(|&&v| v > 0.0)
            .map(|v| {
                let q = v / w;
                q * q.log2()
            })
            .sum::<f64>(),
    }
}

/// scikit-learn's proxy of the impurity decrease: −w_right·imp_right − w_left·imp_left.
fn proxy(criterion: Criterion, left: &[f64], total: &[f64], w_left: f64, w_right: f64) -> f64 {
    match criterion {
        Criterion::Gini => {
            let (mut sl, mut sr) = (0.0, 0.0);
            for (l, t) in left.iter().zip(total) {
                sl += l * l;
                sr += (t - l) * (t - l);
            }
            let il = 1.0 - sl / (w_left * w_left);
            let ir = 1.0 - sr / (w_right * w_right);
            -w_right * ir - w_left * il
        }
        Criterion::Entropy => {
            let (mut el, mut er) = (0.0, 0.0);
            for (l, t) in left.iter().zip(total) {
                let r = t - l;
                if *l > 0.0 {
                    let q = l / w_left;
                    el -= q * q.log2();
                }
                if r > 0.0 {
                    let q = r / w_right;
                    er -= q * q.log2();
                }
            }
            -w_right * er - w_left * el
        }
    }
}

/// A split found on one feature.
#[derive(Debug, Clone, Copy)]
struct Split {
    feature: usize,
    threshold: f64,
    proxy: f64,
}

/// What trying one feature gave.
enum Tried {
    Constant,
    NoSplit,
    Split(Split),
}

/// Distinct values of one feature within a node, ascending: value, rows, class weights.
#[derive(Default)]
struct Runs {
    values: Vec<f64>,
    rows: Vec<u32>,
    weights: Vec<f64>,
}

/// A node waiting to be made: its rows `samples[start..end]`, depth, and parent link.
struct Pending {
    start: usize,
    end: usize,
    depth: usize,
    parent: Option<(usize, bool)>,
}

/// Grows one tree on the rows of positive weight `w`.
pub(super) fn grow(
    cols: &Columns,
    y: &[usize],
    k: usize,
    w: &[f64],
    g: &Growth,
    rng: &mut StdRng,
) -> DecisionTree {
    let samples: Vec<u32> = (0..cols.n as u32)
        .filter(|&s| w[s as usize] > 0.0)
        .collect();
    let max_distinct = cols.distinct.iter().map(Vec::len).max().unwrap_or(0);
    let mut b = Builder {
        cols,
        y,
        k,
        w,
        g,
        samples,
        features: (0..cols.p).collect(),
        keys: Vec::new(),
        runs: Runs::default(),
        hist_rows: vec![0; max_distinct],
        hist_weights: vec![0.0; max_distinct * k],
        left: vec![0.0; k],
        sums: vec![0.0; k],
        tree: DecisionTree {
            nodes: Vec::new(),
            value: Vec::new(),
            n_classes: k,
            n_features: cols.p,
            depth: 0,
        },
    };
    b.run(rng);
    b.tree
}

struct Builder<'a> {
    cols: &'a Columns,
    y: &'a [usize],
    k: usize,
    w: &'a [f64],
    g: &'a Growth,
    samples: Vec<u32>,
    features: Vec<usize>,
    keys: Vec<u64>,
    runs: Runs,
    hist_rows: Vec<u32>,
    hist_weights: Vec<f64>,
    left: Vec<f64>,
    sums: Vec<f64>,
    tree: DecisionTree,
}

impl Builder<'_> {
    fn run(&mut self, rng: &mut StdRng) {
        let mut stack = vec![Pending {
            start: 0,
            end: self.samples.len(),
            depth: 0,
            parent: None,
        }];
        while let Some(pending) = stack.pop() {
            let Pending {
                start,
                end,
                depth,
                parent,
            } = pending;
            let (id, w_node, impurity) = self.add_node(start, end, depth, parent);
            let n_node = end - start;
            let g = self.g;
            let leaf = depth >= g.max_depth
                || n_node < g.min_samples_split
                || n_node < 2 * g.min_samples_leaf
                || impurity <= f64::EPSILON;
            if leaf {
                continue;
            }
            let Some(split) = self.find_split(start, end, w_node, rng) else {
                continue;
            };
            let pos = self.partition(start, end, split.feature, split.threshold);
            let node = &mut self.tree.nodes[id];
            node.feature = split.feature;
            node.threshold = split.threshold;
            node.children = Some((0, 0));
            for (start, end, is_left) in [(pos, end, false), (start, pos, true)] {
                stack.push(Pending {
                    start,
                    end,
                    depth: depth + 1,
                    parent: Some((id, is_left)),
                });
            }
        }
    }

    /// Appends the node of `samples[start..end]` as a leaf, links it to its parent, and leaves
    /// its class weights in `self.sums`. Returns (index, weight, impurity).
    fn add_node(
        &mut self,
        start: usize,
        end: usize,
        depth: usize,
        parent: Option<(usize, bool)>,
    ) -> (usize, f64, f64) {
        self.sums.fill(0.0);
        for &s in &self.samples[start..end] {
            self.sums[self.y[s as usize]] += self.w[s as usize];
        }
        let w_node: f64 = self.sums.iter().sum();
        let impurity = impurity(self.g.criterion, &self.sums, w_node);
        let t = &mut self.tree;
        let id = t.nodes.len();
        t.nodes.push(Node {
            children: None,
            feature: 0,
            threshold: 0.0,
            impurity,
            n_samples: end - start,
            weighted_n: w_node,
        });
        if w_node > 0.0 {
            t.value.extend(self.sums.iter().map(|c| c / w_node));
        } else {
            // Only for a bootstrap that drew no row of positive weight: no information.
            t.value
                .extend(std::iter::repeat_n(1.0 / self.k as f64, self.k));
        }
        t.depth = t.depth.max(depth);
        if let Some((p, is_left)) = parent
            && let Some((l, r)) = t.nodes[p].children.as_mut()
        {
            *(if is_left { l } else { r }) = id;
        }
        (id, w_node, impurity)
    }

    /// Draws candidate features one by one (without replacement) and keeps the best split.
    fn find_split(
        &mut self,
        start: usize,
        end: usize,
        w_node: f64,
        rng: &mut StdRng,
    ) -> Option<Split> {
        let p = self.cols.p;
        let (mut visited, mut constants) = (0, 0);
        let mut best: Option<Split> = None;
        for i in 0..p {
            if visited >= self.g.max_features && visited > constants {
                break;
            }
            visited += 1;
            let j = rng.gen_range(i..p);
            self.features.swap(i, j);
            let f = self.features[i];
            let tried = match self.g.splitter {
                Splitter::Best => self.best_on(f, start, end, w_node),
                Splitter::Random => self.random_on(f, start, end, w_node, rng),
            };
            match tried {
                Tried::Constant => constants += 1,
                Tried::NoSplit => {}
                Tried::Split(s) => {
                    if best.is_none_or(|b| s.proxy > b.proxy) {
                        best = Some(s);
                    }
                }
            }
        }
        best
    }

    /// The best threshold of feature `f` over the node's rows.
    fn best_on(&mut self, f: usize, start: usize, end: usize, w_node: f64) -> Tried {
        let n_node = end - start;
        if self.cols.distinct[f].len() <= 2 * n_node {
            self.runs_by_counting(f, start, end);
        } else {
            self.runs_by_sorting(f, start, end);
        }
        let r = &self.runs;
        let nr = r.values.len();
        if nr < 2 || r.values[nr - 1] <= r.values[0] + FEATURE_THRESHOLD {
            return Tried::Constant;
        }
        let (k, msl) = (self.k, self.g.min_samples_leaf);
        self.left.fill(0.0);
        let (mut n_left, mut w_left) = (0usize, 0.0);
        let mut best: Option<Split> = None;
        for i in 0..nr - 1 {
            for (l, v) in self.left.iter_mut().zip(&r.weights[i * k..(i + 1) * k]) {
                *l += v;
                w_left += v;
            }
            n_left += r.rows[i] as usize;
            let (a, b) = (r.values[i], r.values[i + 1]);
            if b <= a + FEATURE_THRESHOLD || n_left < msl {
                continue;
            }
            if n_node - n_left < msl {
                break;
            }
            let px = proxy(
                self.g.criterion,
                &self.left,
                &self.sums,
                w_left,
                w_node - w_left,
            );
            if best.is_none_or(|s| px > s.proxy) {
                let mut threshold = a / 2.0 + b / 2.0;
                if threshold == b || threshold.is_infinite() {
                    threshold = a;
                }
                best = Some(Split {
                    feature: f,
                    threshold,
                    proxy: px,
                });
            }
        }
        best.map_or(Tried::NoSplit, Tried::Split)
    }

    /// Runs of feature `f` by a histogram over its ranks (few distinct values for the node).
    fn runs_by_counting(&mut self, f: usize, start: usize, end: usize) {
        let (n, k) = (self.cols.n, self.k);
        let ranks = &self.cols.ranks[f * n..(f + 1) * n];
        for &s in &self.samples[start..end] {
            let r = ranks[s as usize] as usize;
            self.hist_rows[r] += 1;
            self.hist_weights[r * k + self.y[s as usize]] += self.w[s as usize];
        }
        let runs = &mut self.runs;
        runs.values.clear();
        runs.rows.clear();
        runs.weights.clear();
        for (r, &v) in self.cols.distinct[f].iter().enumerate() {
            if self.hist_rows[r] == 0 {
                continue;
            }
            runs.values.push(v);
            runs.rows.push(self.hist_rows[r]);
            self.hist_rows[r] = 0;
            let hw = &mut self.hist_weights[r * k..(r + 1) * k];
            runs.weights.extend_from_slice(hw);
            hw.fill(0.0);
        }
    }

    /// Runs of feature `f` by sorting the node's rows on their ranks.
    fn runs_by_sorting(&mut self, f: usize, start: usize, end: usize) {
        let (n, k) = (self.cols.n, self.k);
        let ranks = &self.cols.ranks[f * n..(f + 1) * n];
        self.keys.clear();
        self.keys.extend(
            self.samples[start..end]
                .iter()
                .map(|&s| (u64::from(ranks[s as usize]) << 32) | u64::from(s)),
        );
        self.keys.sort_unstable();
        let runs = &mut self.runs;
        runs.values.clear();
        runs.rows.clear();
        runs.weights.clear();
        let mut last = u64::MAX;
        for &key in &self.keys {
            let (r, s) = (key >> 32, (key & 0xffff_ffff) as usize);
            if r != last {
                last = r;
                runs.values.push(self.cols.distinct[f][r as usize]);
                runs.rows.push(0);
                runs.weights.extend(std::iter::repeat_n(0.0, k));
            }
            let i = runs.rows.len() - 1;
            runs.rows[i] += 1;
            runs.weights[i * k + self.y[s]] += self.w[s];
        }
    }

    /// One uniform threshold between the node's min and max of feature `f` (extra trees).
    fn random_on(
        &mut self,
        f: usize,
        start: usize,
        end: usize,
        w_node: f64,
        rng: &mut StdRng,
    ) -> Tried {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &s in &self.samples[start..end] {
            let v = self.cols.value(f, s);
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if hi <= lo + FEATURE_THRESHOLD {
            return Tried::Constant;
        }
        let mut threshold = lo + (hi - lo) * rng.r#gen::<f64>();
        if threshold == hi {
            threshold = lo;
        }
        self.left.fill(0.0);
        let (mut n_left, mut w_left) = (0usize, 0.0);
        for &s in &self.samples[start..end] {
            if self.cols.value(f, s) <= threshold {
                let ws = self.w[s as usize];
                self.left[self.y[s as usize]] += ws;
                w_left += ws;
                n_left += 1;
            }
        }
        let msl = self.g.min_samples_leaf;
        if n_left < msl || end - start - n_left < msl {
            return Tried::NoSplit;
        }
        Tried::Split(Split {
            feature: f,
            threshold,
            proxy: proxy(
                self.g.criterion,
                &self.left,
                &self.sums,
                w_left,
                w_node - w_left,
            ),
        })
    }

    /// Moves the rows with `x[f] <= threshold` to the front of `samples[start..end]`; returns
    /// where the right child's rows begin.
    fn partition(&mut self, start: usize, end: usize, f: usize, threshold: f64) -> usize {
        let (mut i, mut j) = (start, end);
        while i < j {
            if self.cols.value(f, self.samples[i]) <= threshold {
                i += 1;
            } else {
                j -= 1;
                self.samples.swap(i, j);
            }
        }
        i
    }
}

impl Fit<usize> for DecisionTreeParams {
    type Model = DecisionTree;

    fn fit(&self, x: &Array2<f64>, y: &[usize]) -> Result<DecisionTree> {
        DecisionTreeParams::fit(self, x, y)
    }

    fn describe(&self) -> String {
        let mut s = format!(
            "tree {}",
            match self.criterion {
                Criterion::Gini => "gini",
                Criterion::Entropy => "entropy",
            }
        );
        if self.splitter == Splitter::Random {
            s.push_str(", random splits");
        }
        if let Some(d) = self.max_depth {
            s.push_str(&format!(", depth ≤ {d}"));
        }
        if self.min_samples_leaf > 1 {
            s.push_str(&format!(", leaf ≥ {}", self.min_samples_leaf));
        }
        if self.max_features != MaxFeatures::All {
            s.push_str(&format!(", {} features", self.max_features.describe()));
        }
        s + weights_note(&self.class_weight)
    }
}

/// `, balanced` / `, weighted` / nothing, for `describe`.
pub(super) fn weights_note(cw: &ClassWeight) -> &'static str {
    match cw {
        ClassWeight::Uniform => "",
        ClassWeight::Balanced => ", balanced",
        ClassWeight::Manual(_) => ", weighted",
    }
}

impl Classifier for DecisionTree {
    fn n_classes(&self) -> usize {
        self.n_classes
    }

    fn n_features(&self) -> usize {
        self.n_features
    }

    fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        DecisionTree::predict(self, x)
    }

    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        DecisionTree::predict_proba(self, x)
    }
}
