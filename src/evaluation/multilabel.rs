//! Multi-label metrics as scikit-learn names them, the per-label confusion matrices, and
//! cross-validated grid search of any multi-label model scored by a named metric.
//!
//! Labels are 0/1 matrices (rows × labels, [`crate::models::MultiLabelBinarizer`]). Divisions by
//! zero give 0 (scikit-learn's `zero_division=0`, which is what its default `"warn"` returns).
//!
//! | function | scikit-learn |
//! |---|---|
//! | [`subset_accuracy`] | `accuracy_score` (every label of a row right) |
//! | [`hamming_loss`] | `hamming_loss` |
//! | [`precision_score`], [`recall_score`], [`f1_score`] with an [`Average`] | the same, `average=` `'micro'`, `'macro'`, `'weighted'`, `'samples'` |
//! | [`MultiLabelConfusion`] | `multilabel_confusion_matrix` |
//! | [`multilabel_report`] | `classification_report` |

use crate::error::{Error, Result};
use crate::evaluation::search::SearchResult;
use crate::evaluation::split::kfold;
use crate::models::multilabel::{FitMultiLabel, MultiLabelClassifier, check_labels};
use ndarray::{Array2, Axis};
use polars::prelude::*;
use std::time::Instant;

/// How per-label scores are averaged (scikit-learn's `average`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// From the counts summed over labels.
    Micro,
    /// Unweighted mean over labels.
    Macro,
    /// Mean over labels weighted by their support (true rows).
    Weighted,
    /// Mean over rows of each row's score.
    Samples,
}

impl Average {
    /// scikit-learn's name: `micro`, `macro`, `weighted`, `samples`.
    pub fn name(&self) -> &'static str {
        match self {
            Average::Micro => "micro",
            Average::Macro => "macro",
            Average::Weighted => "weighted",
            Average::Samples => "samples",
        }
    }

    /// All four, in scikit-learn's report order.
    pub const ALL: [Average; 4] = [
        Average::Micro,
        Average::Macro,
        Average::Weighted,
        Average::Samples,
    ];
}

fn check_pair(y_true: &Array2<u8>, y_pred: &Array2<u8>) -> Result<()> {
    if y_true.dim() != y_pred.dim() {
        return Err(Error::Shape(format!(
            "true labels are {}×{}, predictions {}×{}",
            y_true.nrows(),
            y_true.ncols(),
            y_pred.nrows(),
            y_pred.ncols()
        )));
    }
    if y_true.nrows() == 0 || y_true.ncols() == 0 {
        return Err(Error::Labels("no rows or no labels to score".into()));
    }
    check_labels(y_true)?;
    check_labels(y_pred)
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// Share of rows whose predicted label set is exactly the true one (scikit-learn's
/// `accuracy_score` on label matrices).
///
/// # Errors
/// [`Error::Shape`] for matrices of different shapes; [`Error::Labels`] for empty matrices or a
/// value other than 0/1.
pub fn subset_accuracy(y_true: &Array2<u8>, y_pred: &Array2<u8>) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let hits = y_true
        .rows()
        .into_iter()
        .zip(y_pred.rows())
        .filter(|(t, p)| t == p)
        .count();
    Ok(hits as f64 / y_true.nrows() as f64)
}

/// Share of (row, label) cells predicted wrong.
///
/// # Errors
/// As [`subset_accuracy`].
pub fn hamming_loss(y_true: &Array2<u8>, y_pred: &Array2<u8>) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let wrong = y_true.iter().zip(y_pred).filter(|(t, p)| t != p).count();
    Ok(wrong as f64 / y_true.len() as f64)
}

/// Per label: (tp, fp, fn, tn).
fn label_counts(y_true: &Array2<u8>, y_pred: &Array2<u8>) -> Vec<[usize; 4]> {
    y_true
        .axis_iter(Axis(1))
        .zip(y_pred.axis_iter(Axis(1)))
        .map(|(t, p)| {
            let mut c = [0usize; 4];
            for (&a, &b) in t.iter().zip(p) {
                c[match (a, b) {
                    (1, 1) => 0,
                    (0, 1) => 1,
                    (1, 0) => 2,
                    _ => 3,
                }] += 1;
            }
            c
        })
        .collect()
}

/// Which score of (tp, fp, fn).
#[derive(Clone, Copy)]
enum Which {
    Precision,
    Recall,
    F1,
}

fn from_counts(which: Which, tp: f64, fp: f64, fn_: f64) -> f64 {
    match which {
        Which::Precision => ratio(tp, tp + fp),
        Which::Recall => ratio(tp, tp + fn_),
        Which::F1 => ratio(2.0 * tp, 2.0 * tp + fp + fn_),
    }
}

fn averaged(which: Which, y_true: &Array2<u8>, y_pred: &Array2<u8>, avg: Average) -> Result<f64> {
    check_pair(y_true, y_pred)?;
    let counts = label_counts(y_true, y_pred);
    let per: Vec<f64> = counts
        .iter()
        .map(|c| from_counts(which, c[0] as f64, c[1] as f64, c[2] as f64))
        .collect();
    Ok(match avg {
        Average::Micro => {
            let s = |i: usize| counts.iter().map(|c| c[i]).sum::<usize>() as f64;
            from_counts(which, s(0), s(1), s(2))
        }
        Average::Macro => per.iter().sum::<f64>() / per.len() as f64,
        Average::Weighted => {
            let support: Vec<f64> = counts.iter().map(|c| (c[0] + c[2]) as f64).collect();
            let total: f64 = support.iter().sum();
            ratio(per.iter().zip(&support).map(|(p, s)| p * s).sum(), total)
        }
        Average::Samples => {
            let rows = y_true.rows().into_iter().zip(y_pred.rows());
            let sum: f64 = rows
                .map(|(t, p)| {
                    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
                    for (&a, &b) in t.iter().zip(p) {
                        match (a, b) {
                            (1, 1) => tp += 1.0,
                            (0, 1) => fp += 1.0,
                            (1, 0) => fn_ += 1.0,
                            _ => {}
                        }
                    }
                    from_counts(which, tp, fp, fn_)
                })
                .sum();
            sum / y_true.nrows() as f64
        }
    })
}

/// Precision tp / (tp + fp), averaged as `avg` (scikit-learn's `precision_score`).
///
/// # Errors
/// As [`subset_accuracy`].
pub fn precision_score(y_true: &Array2<u8>, y_pred: &Array2<u8>, avg: Average) -> Result<f64> {
    averaged(Which::Precision, y_true, y_pred, avg)
}

/// Recall tp / (tp + fn), averaged as `avg` (scikit-learn's `recall_score`).
///
/// # Errors
/// As [`subset_accuracy`].
pub fn recall_score(y_true: &Array2<u8>, y_pred: &Array2<u8>, avg: Average) -> Result<f64> {
    averaged(Which::Recall, y_true, y_pred, avg)
}

/// F1 2tp / (2tp + fp + fn), averaged as `avg` (scikit-learn's `f1_score`).
///
/// # Errors
/// As [`subset_accuracy`].
pub fn f1_score(y_true: &Array2<u8>, y_pred: &Array2<u8>, avg: Average) -> Result<f64> {
    averaged(Which::F1, y_true, y_pred, avg)
}

/// A named multi-label score, for grid search and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultiLabelMetric {
    /// [`subset_accuracy`].
    SubsetAccuracy,
    /// [`hamming_loss`] (lower is better).
    HammingLoss,
    /// [`precision_score`].
    Precision(Average),
    /// [`recall_score`].
    Recall(Average),
    /// [`f1_score`].
    F1(Average),
}

impl MultiLabelMetric {
    /// scikit-learn's scorer name: `accuracy`, `hamming_loss`, `f1_micro`, `precision_samples`, …
    pub fn name(&self) -> String {
        match self {
            MultiLabelMetric::SubsetAccuracy => "accuracy".into(),
            MultiLabelMetric::HammingLoss => "hamming_loss".into(),
            MultiLabelMetric::Precision(a) => format!("precision_{}", a.name()),
            MultiLabelMetric::Recall(a) => format!("recall_{}", a.name()),
            MultiLabelMetric::F1(a) => format!("f1_{}", a.name()),
        }
    }

    /// Whether a larger value is better (all but the Hamming loss).
    pub fn greater_is_better(&self) -> bool {
        *self != MultiLabelMetric::HammingLoss
    }

    /// The metric of predictions `y_pred` against `y_true`.
    ///
    /// # Errors
    /// As [`subset_accuracy`].
    pub fn score(&self, y_true: &Array2<u8>, y_pred: &Array2<u8>) -> Result<f64> {
        match *self {
            MultiLabelMetric::SubsetAccuracy => subset_accuracy(y_true, y_pred),
            MultiLabelMetric::HammingLoss => hamming_loss(y_true, y_pred),
            MultiLabelMetric::Precision(a) => precision_score(y_true, y_pred, a),
            MultiLabelMetric::Recall(a) => recall_score(y_true, y_pred, a),
            MultiLabelMetric::F1(a) => f1_score(y_true, y_pred, a),
        }
    }
}

/// One 2×2 matrix per label, as scikit-learn's `multilabel_confusion_matrix`: `counts[j]` is
/// `[[tn, fp], [fn, tp]]` of label j (rows: true 0 / 1, columns: predicted 0 / 1).
#[derive(Debug, Clone, PartialEq)]
pub struct MultiLabelConfusion {
    /// Per label `[[tn, fp], [fn, tp]]`.
    pub counts: Vec<[[usize; 2]; 2]>,
    /// The label names, in column order.
    pub labels: Vec<String>,
}

impl MultiLabelConfusion {
    /// From true and predicted label matrices, columns named by `labels`.
    ///
    /// # Errors
    /// As [`subset_accuracy`]; [`Error::Shape`] when `labels` does not name every column.
    pub fn from_predictions(
        y_true: &Array2<u8>,
        y_pred: &Array2<u8>,
        labels: &[String],
    ) -> Result<MultiLabelConfusion> {
        check_pair(y_true, y_pred)?;
        if labels.len() != y_true.ncols() {
            return Err(Error::Shape(format!(
                "{} label names for {} label columns",
                labels.len(),
                y_true.ncols()
            )));
        }
        let counts = label_counts(y_true, y_pred)
            .into_iter()
            .map(|[tp, fp, fn_, tn]| [[tn, fp], [fn_, tp]])
            .collect();
        Ok(MultiLabelConfusion {
            counts,
            labels: labels.to_vec(),
        })
    }

    /// The matrices as a long table: `label`, `tn`, `fp`, `fn`, `tp`.
    pub fn to_frame(&self) -> Result<DataFrame> {
        let get = |i: usize, j: usize| {
            self.counts
                .iter()
                .map(|c| c[i][j] as u64)
                .collect::<Vec<_>>()
        };
        Ok(DataFrame::new(
            self.labels.len(),
            vec![
                Column::new("label".into(), self.labels.clone()),
                Column::new("tn".into(), get(0, 0)),
                Column::new("fp".into(), get(0, 1)),
                Column::new("fn".into(), get(1, 0)),
                Column::new("tp".into(), get(1, 1)),
            ],
        )?)
    }

    /// Every label's 2×2 matrix, row-normalised (each true class's share predicted 0 / 1) and
    /// annotated, in one figure of `columns` panels per row, titled `title`
    /// ([`crate::plots::confusion_grid`]).
    ///
    /// # Errors
    /// As [`crate::plots::confusion_grid`].
    pub fn plot(&self, title: &str, columns: usize) -> Result<crate::plots::Figure> {
        crate::plots::confusion_grid(&self.counts, &self.labels, title, columns)
    }
}

/// Per label `precision`, `recall`, `f1`, `support`, then rows `micro avg`, `macro avg`,
/// `weighted avg`, `samples avg` (scikit-learn's `classification_report` on label matrices),
/// column `label` first.
///
/// # Errors
/// As [`MultiLabelConfusion::from_predictions`].
pub fn multilabel_report(
    y_true: &Array2<u8>,
    y_pred: &Array2<u8>,
    labels: &[String],
) -> Result<DataFrame> {
    let cm = MultiLabelConfusion::from_predictions(y_true, y_pred, labels)?;
    let mut name = labels.to_vec();
    let (mut p, mut r, mut f, mut s) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for c in &cm.counts {
        let (tp, fp, fn_) = (c[1][1] as f64, c[0][1] as f64, c[1][0] as f64);
        p.push(from_counts(Which::Precision, tp, fp, fn_));
        r.push(from_counts(Which::Recall, tp, fp, fn_));
        f.push(from_counts(Which::F1, tp, fp, fn_));
        s.push((c[1][0] + c[1][1]) as u64);
    }
    let total: u64 = s.iter().sum();
    for a in Average::ALL {
        name.push(format!("{} avg", a.name()));
        p.push(precision_score(y_true, y_pred, a)?);
        r.push(recall_score(y_true, y_pred, a)?);
        f.push(f1_score(y_true, y_pred, a)?);
        s.push(total);
    }
    Ok(DataFrame::new(
        name.len(),
        vec![
            Column::new("label".into(), name),
            Column::new("precision".into(), p),
            Column::new("recall".into(), r),
            Column::new("f1".into(), f),
            Column::new("support".into(), s),
        ],
    )?)
}

/// The headline scores of named models on one labelled set, one row each: `model`, `accuracy`
/// (subset), `hamming_loss`, and `precision`, `recall`, `f1` averaged as `avg`.
///
/// # Errors
/// As the models' `predict` and [`subset_accuracy`].
pub fn multilabel_score_table(
    models: &[(&str, &dyn MultiLabelClassifier)],
    x: &Array2<f64>,
    y: &Array2<u8>,
    avg: Average,
) -> Result<DataFrame> {
    let mut cols: [Vec<f64>; 5] = Default::default();
    for (_, m) in models {
        let pred = m.predict(x)?;
        cols[0].push(subset_accuracy(y, &pred)?);
        cols[1].push(hamming_loss(y, &pred)?);
        cols[2].push(precision_score(y, &pred, avg)?);
        cols[3].push(recall_score(y, &pred, avg)?);
        cols[4].push(f1_score(y, &pred, avg)?);
    }
    let [a, h, p, r, f] = cols;
    Ok(DataFrame::new(
        models.len(),
        vec![
            Column::new(
                "model".into(),
                models
                    .iter()
                    .map(|(n, _)| n.to_string())
                    .collect::<Vec<_>>(),
            ),
            Column::new("accuracy".into(), a),
            Column::new("hamming_loss".into(), h),
            Column::new(format!("precision_{}", avg.name()).into(), p),
            Column::new(format!("recall_{}", avg.name()).into(), r),
            Column::new(format!("f1_{}", avg.name()).into(), f),
        ],
    )?)
}

/// Candidates of one model over a parameter grid (scikit-learn's `param_grid`): every
/// combination of the values of each axis, named `k=5, weights=distance`.
///
/// ```
/// use listening::evaluation::ParamGrid;
/// use listening::models::{MultiKnn, Metric};
/// let grid = ParamGrid::new(MultiKnn::params())
///     .axis("k", &[5, 15], |p, &k| p.k(k))
///     .axis("metric", &[Metric::Euclidean, Metric::Manhattan], |p, m| p.metric(*m));
/// assert_eq!(grid.len(), 4);
/// ```
#[derive(Debug, Clone)]
pub struct ParamGrid<P> {
    candidates: Vec<(String, P)>,
}

impl<P: Clone> ParamGrid<P> {
    /// One candidate: `base`.
    pub fn new(base: P) -> Self {
        ParamGrid {
            candidates: vec![(String::new(), base)],
        }
    }

    /// Every candidate so far crossed with each of `values`, set by `set`; `name=value` (the
    /// value's `Debug` form, lower-cased) is added to the candidate's name.
    pub fn axis<V: std::fmt::Debug>(
        self,
        name: &str,
        values: &[V],
        set: impl Fn(P, &V) -> P,
    ) -> Self {
        let mut out = Vec::with_capacity(self.candidates.len() * values.len());
        for (n, p) in &self.candidates {
            for v in values {
                let label = format!("{name}={}", format!("{v:?}").to_lowercase());
                let n = if n.is_empty() {
                    label
                } else {
                    format!("{n}, {label}")
                };
                out.push((n, set(p.clone(), v)));
            }
        }
        ParamGrid { candidates: out }
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether there are none (an axis with no values).
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// The named candidates.
    pub fn candidates(&self) -> &[(String, P)] {
        &self.candidates
    }
}

/// `metric` of `params` on each fold of a seeded shuffled k-fold of (`x`, `y`) (scikit-learn's
/// `cross_val_score` with `KFold(shuffle=True)`: a label matrix is not stratified).
///
/// # Errors
/// As the model's `fit` and [`kfold`]; [`Error::Shape`] when `y` does not fit `x`.
pub fn cross_val_multilabel<P: FitMultiLabel>(
    params: &P,
    x: &Array2<f64>,
    y: &Array2<u8>,
    folds: usize,
    seed: u64,
    metric: MultiLabelMetric,
) -> Result<Vec<f64>> {
    crate::models::api::check_rows(x.nrows(), y.nrows())?;
    kfold(x.nrows(), folds, seed)?
        .iter()
        .map(|f| {
            let m = params.fit(&x.select(Axis(0), &f.train), &y.select(Axis(0), &f.train))?;
            metric.score(
                &y.select(Axis(0), &f.test),
                &m.predict(&x.select(Axis(0), &f.test))?,
            )
        })
        .collect()
}

/// Grid search of any multi-label model by k-fold cross-validation on the training rows,
/// scored by a named [`MultiLabelMetric`] (scikit-learn's `GridSearchCV(scoring=…)`).
#[derive(Debug, Clone, PartialEq)]
pub struct MultiLabelSearch {
    folds: usize,
    seed: u64,
    metric: MultiLabelMetric,
    verbose: bool,
}

impl MultiLabelSearch {
    /// `folds` seeded shuffled folds, scored by `metric`, quiet.
    pub fn new(metric: MultiLabelMetric) -> Self {
        MultiLabelSearch {
            folds: 5,
            seed: 0,
            metric,
            verbose: false,
        }
    }
    pub fn folds(mut self, folds: usize) -> Self {
        self.folds = folds;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// One progress line per candidate on stdout.
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Scores every candidate (e.g. [`ParamGrid::candidates`]). The table has one row per
    /// candidate: `candidate`, `settings` ([`FitMultiLabel::describe`]), `metric`, `mean_score`,
    /// `std_score` (population standard deviation over folds), `fit_seconds` (mean per fold),
    /// `rank` (1 = best; for the Hamming loss the lowest).
    ///
    /// # Errors
    /// [`Error::Parameter`] for no candidates; as the model's `fit` and [`kfold`].
    pub fn search<P: FitMultiLabel>(
        &self,
        candidates: &[(String, P)],
        x: &Array2<f64>,
        y: &Array2<u8>,
    ) -> Result<SearchResult<P>> {
        crate::models::api::check_rows(x.nrows(), y.nrows())?;
        if candidates.is_empty() {
            return Err(Error::parameter(
                "candidates",
                "[]",
                "at least one candidate",
            ));
        }
        let start = Instant::now();
        let parts: Vec<_> = kfold(x.nrows(), self.folds, self.seed)?
            .iter()
            .map(|f| {
                let take = |idx: &[usize]| (x.select(Axis(0), idx), y.select(Axis(0), idx));
                (take(&f.train), take(&f.test))
            })
            .collect();
        let (mut means, mut stds, mut secs) = (Vec::new(), Vec::new(), Vec::new());
        for (i, (name, p)) in candidates.iter().enumerate() {
            let mut scores = Vec::with_capacity(parts.len());
            let t = Instant::now();
            for ((xt, yt), (xv, yv)) in &parts {
                scores.push(self.metric.score(yv, &p.fit(xt, yt)?.predict(xv)?)?);
            }
            let n = scores.len() as f64;
            let m = scores.iter().sum::<f64>() / n;
            let sd = (scores.iter().map(|s| (s - m).powi(2)).sum::<f64>() / n).sqrt();
            means.push(m);
            stds.push(sd);
            secs.push(t.elapsed().as_secs_f64() / n);
            if self.verbose {
                println!(
                    "[{}/{}] {name}: {} {m:.4} ± {sd:.4}",
                    i + 1,
                    candidates.len(),
                    self.metric.name()
                );
            }
        }
        self.result(candidates, means, stds, secs, parts.len(), start)
    }

    fn result<P: FitMultiLabel>(
        &self,
        candidates: &[(String, P)],
        means: Vec<f64>,
        stds: Vec<f64>,
        secs: Vec<f64>,
        folds: usize,
        start: Instant,
    ) -> Result<SearchResult<P>> {
        let sign = if self.metric.greater_is_better() {
            1.0
        } else {
            -1.0
        };
        let mut order: Vec<usize> = (0..means.len()).collect();
        order.sort_by(|&a, &b| {
            (sign * means[b])
                .total_cmp(&(sign * means[a]))
                .then(a.cmp(&b))
        });
        let mut rank = vec![0u32; means.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32 + 1;
        }
        let n = candidates.len();
        let table = DataFrame::new(
            n,
            vec![
                Column::new(
                    "candidate".into(),
                    candidates
                        .iter()
                        .map(|(c, _)| c.clone())
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "settings".into(),
                    candidates
                        .iter()
                        .map(|(_, p)| p.describe())
                        .collect::<Vec<_>>(),
                ),
                Column::new("metric".into(), vec![self.metric.name(); n]),
                Column::new("mean_score".into(), means.clone()),
                Column::new("std_score".into(), stds),
                Column::new("fit_seconds".into(), secs),
                Column::new("rank".into(), rank),
            ],
        )?;
        Ok(SearchResult {
            table,
            candidates: candidates.to_vec(),
            scores: means,
            best: order[0],
            fits: n * folds,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

/// Per label `label`, `precision`, `recall`, `f1`, `support` of one model's predictions (the rows
/// of [`multilabel_report`] without the averages): what the box plot of per-label scores draws.
///
/// # Errors
/// As [`multilabel_report`].
pub fn per_label_scores(
    y_true: &Array2<u8>,
    y_pred: &Array2<u8>,
    labels: &[String],
) -> Result<DataFrame> {
    Ok(multilabel_report(y_true, y_pred, labels)?.head(Some(labels.len())))
}

/// A shuffled train/test split of features and a label matrix (a label matrix is not
/// stratified, as scikit-learn's `train_test_split` without `stratify`).
#[derive(Debug, Clone)]
pub struct MultiLabelSplit {
    pub x_train: Array2<f64>,
    pub y_train: Array2<u8>,
    pub x_test: Array2<f64>,
    pub y_test: Array2<u8>,
    /// Row indices of the train and test sets, in the order of the matrices.
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Shuffles the rows with `seed` and holds out `ceil(test_size · n)` of them as the test set.
///
/// # Errors
/// [`Error::Parameter`] for `test_size` outside (0, 1) or a split leaving a side empty;
/// [`Error::Shape`] when `y` does not fit `x`.
pub fn train_test_split_multilabel(
    x: &Array2<f64>,
    y: &Array2<u8>,
    test_size: f64,
    seed: u64,
) -> Result<MultiLabelSplit> {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    crate::models::api::check_rows(x.nrows(), y.nrows())?;
    let n = x.nrows();
    let n_test = (test_size * n as f64).ceil() as usize;
    if !(test_size > 0.0 && test_size < 1.0) || n_test == 0 || n_test >= n {
        return Err(Error::parameter(
            "test_size",
            test_size,
            format!("in (0, 1), leaving rows on both sides of {n}"),
        ));
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    let (test, train) = (idx[..n_test].to_vec(), idx[n_test..].to_vec());
    Ok(MultiLabelSplit {
        x_train: x.select(Axis(0), &train),
        y_train: y.select(Axis(0), &train),
        x_test: x.select(Axis(0), &test),
        y_test: y.select(Axis(0), &test),
        train,
        test,
    })
}
