//! Multi-label classification: each row carries a set of labels (a track's genre tags), held as a
//! 0/1 matrix (rows × labels) by the [`MultiLabelBinarizer`].
//!
//! - [`MultiLabelClassifier`] / [`FitMultiLabel`]: the multi-label counterparts of
//!   [`Classifier`] / [`Fit`] (the same names and checks, a `&Array2<u8>` target);
//! - [`OneVsRest`]: any classifier of the crate, one model per label (scikit-learn's
//!   `OneVsRestClassifier`; a label constant in training is predicted as that constant);
//! - [`MultiForest`] and [`MultiKnn`]: random forest / extra trees / a decision tree and
//!   k-nearest neighbours that are natively multi-output, as scikit-learn's are on a 2-D `y`;
//! - [`label_class_weights`]: per-label balanced class weights (the write-up's
//!   `class_weights_list`); [`multilabel_dataset`]: features and tag sets into `x`, `y`.
//!
//! ```no_run
//! use listening::models::{Fit, Knn, MultiLabelBinarizer, MultiLabelClassifier, FitMultiLabel, MultiForest, OneVsRest};
//! # let x = ndarray::Array2::<f64>::zeros((4, 2));
//! let sets = vec![vec!["pop"], vec!["pop", "soul"], vec!["rap"], vec!["soul"]];
//! let mlb = MultiLabelBinarizer::fit(&sets);
//! let y = mlb.transform(&sets)?;
//! let forest = MultiForest::random_forest().n_estimators(50).seed(1).fit(&x, &y)?;
//! let ovr = OneVsRest::params(Knn::params().k(1)).fit(&x, &y)?;
//! let tags: Vec<Vec<String>> = mlb.inverse_transform(&forest.predict(&x)?)?;
//! # Ok::<(), listening::Error>(())
//! ```

mod forest;
mod knn;

pub use forest::{LabelWeight, MultiForest, MultiForestParams};
pub use knn::{MultiKnn, MultiKnnParams};

use super::api::{Classifier, Fit, check_fit, check_predict};
use crate::bridge;
use crate::error::{Error, Result};
use ndarray::{Array2, Axis};
use polars::prelude::*;
use std::collections::BTreeSet;

/// A fitted multi-label classifier: for each row, 0 or 1 for each of `n_labels()` labels.
pub trait MultiLabelClassifier: Send + Sync {
    /// Number of labels (columns of `y`).
    fn n_labels(&self) -> usize;

    /// Number of feature columns the model was fitted on.
    fn n_features(&self) -> usize;

    /// The probability of each label (rows × labels; rows need not sum to 1).
    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>>;

    /// The predicted labels, rows × labels of 0/1: by default a label where its probability is
    /// above 0.5 (a tie goes to 0, as scikit-learn's argmax over the classes [0, 1]).
    fn predict(&self, x: &Array2<f64>) -> Result<Array2<u8>> {
        Ok(self.predict_proba(x)?.mapv(|p| u8::from(p > 0.5)))
    }

    /// Subset accuracy (every label of a row right) on rows `x` with true labels `y`, as
    /// scikit-learn's `score`.
    fn score(&self, x: &Array2<f64>, y: &Array2<u8>) -> Result<f64> {
        crate::evaluation::multilabel::subset_accuracy(y, &self.predict(x)?)
    }
}

/// Checked hyperparameters that fit a multi-label model on rows `x` and 0/1 labels `y`.
pub trait FitMultiLabel: Clone + Send + Sync {
    /// The fitted model.
    type Model: MultiLabelClassifier;

    /// Checks the parameters and the data, then fits.
    fn fit(&self, x: &Array2<f64>, y: &Array2<u8>) -> Result<Self::Model>;

    /// The settings in a few words, for tables.
    fn describe(&self) -> String;
}

/// What every multi-label `fit` checks: [`check_fit`] on the rows, at least one label column,
/// and every label 0 or 1 (an error names the row and column of the first that is not).
pub fn check_fit_multilabel(x: &Array2<f64>, y: &Array2<u8>) -> Result<()> {
    check_fit(x, &vec![(); y.nrows()])?;
    if y.ncols() == 0 {
        return Err(Error::Labels("no label columns to fit".into()));
    }
    check_labels(y)
}

/// Every value of `y` is 0 or 1.
pub(crate) fn check_labels(y: &Array2<u8>) -> Result<()> {
    if let Some(((r, c), v)) = y.indexed_iter().find(|(_, v)| **v > 1) {
        return Err(Error::Labels(format!(
            "label matrix value {v} at row {r}, column {c}: labels must be 0 or 1"
        )));
    }
    Ok(())
}

/// Tag sets ↔ 0/1 matrix, as scikit-learn's `MultiLabelBinarizer`: the classes are the sorted
/// distinct labels seen by [`Self::fit`]; column j of the matrix is `classes()[j]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiLabelBinarizer {
    classes: Vec<String>,
}

impl MultiLabelBinarizer {
    /// Learns the classes: every label of `sets`, sorted, once.
    pub fn fit<S: AsRef<str>>(sets: &[Vec<S>]) -> MultiLabelBinarizer {
        let classes: BTreeSet<String> = sets
            .iter()
            .flatten()
            .map(|s| s.as_ref().to_string())
            .collect();
        MultiLabelBinarizer {
            classes: classes.into_iter().collect(),
        }
    }

    /// Uses `classes` in the order given (scikit-learn's `classes=` argument).
    ///
    /// # Errors
    /// [`Error::Parameter`] for a class given twice.
    pub fn with_classes(classes: &[&str]) -> Result<MultiLabelBinarizer> {
        let distinct: BTreeSet<&str> = classes.iter().copied().collect();
        if distinct.len() != classes.len() {
            return Err(Error::parameter(
                "classes",
                classes.join(", "),
                "each class once",
            ));
        }
        Ok(MultiLabelBinarizer {
            classes: classes.iter().map(|c| c.to_string()).collect(),
        })
    }

    /// The classes: column j of a matrix is `classes()[j]`.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Rows × classes, 1 where the row's set holds the class.
    ///
    /// # Errors
    /// [`Error::Labels`] naming the row and the label for a label not among the classes.
    pub fn transform<S: AsRef<str>>(&self, sets: &[Vec<S>]) -> Result<Array2<u8>> {
        let mut y = Array2::<u8>::zeros((sets.len(), self.classes.len()));
        for (i, set) in sets.iter().enumerate() {
            for s in set {
                let s = s.as_ref();
                let j = self.classes.iter().position(|c| c == s).ok_or_else(|| {
                    Error::Labels(format!("row {i}: label `{s}` is not one of the classes"))
                })?;
                y[[i, j]] = 1;
            }
        }
        Ok(y)
    }

    /// [`Self::fit`] then [`Self::transform`].
    pub fn fit_transform<S: AsRef<str>>(sets: &[Vec<S>]) -> (MultiLabelBinarizer, Array2<u8>) {
        let mlb = Self::fit(sets);
        let y = mlb
            .transform(sets)
            .unwrap_or_else(|_| Array2::zeros((0, 0)));
        (mlb, y)
    }

    /// The label set of each row of a 0/1 matrix, in class order.
    ///
    /// # Errors
    /// [`Error::Shape`] when the matrix has another number of columns than classes;
    /// [`Error::Labels`] for a value other than 0 and 1.
    pub fn inverse_transform(&self, y: &Array2<u8>) -> Result<Vec<Vec<String>>> {
        if y.ncols() != self.classes.len() {
            return Err(Error::Shape(format!(
                "{} label columns for {} classes",
                y.ncols(),
                self.classes.len()
            )));
        }
        check_labels(y)?;
        Ok(y.rows()
            .into_iter()
            .map(|r| {
                r.iter()
                    .zip(&self.classes)
                    .filter(|(v, _)| **v == 1)
                    .map(|(_, c)| c.clone())
                    .collect()
            })
            .collect())
    }

    /// A 0/1 matrix as a DataFrame, one `u32` column per class.
    ///
    /// # Errors
    /// As [`Self::inverse_transform`].
    pub fn to_frame(&self, y: &Array2<u8>) -> Result<DataFrame> {
        self.inverse_transform(y)?;
        let cols = self
            .classes
            .iter()
            .enumerate()
            .map(|(j, c)| {
                Column::new(
                    c.as_str().into(),
                    y.column(j)
                        .iter()
                        .map(|&v| u32::from(v))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        Ok(DataFrame::new(y.nrows(), cols)?)
    }
}

/// Per label, scikit-learn's `compute_class_weight('balanced')` over that label's column:
/// `[w0, w1]` with w_c = n / (2 · n_c) (a value absent from the column weighs 1) — the
/// write-up's `class_weights_list`.
pub fn label_class_weights(y: &Array2<u8>) -> Vec<[f64; 2]> {
    y.axis_iter(Axis(1))
        .map(|col| {
            let labels: Vec<usize> = col.iter().map(|&v| usize::from(v.min(1))).collect();
            let w = super::weights::balanced_weights(&labels, 2);
            [w[0], w[1]]
        })
        .collect()
}

/// The label columns of `y` as the 0/1 vector of one label.
fn label_column(y: &Array2<u8>, j: usize) -> Vec<usize> {
    y.column(j).iter().map(|&v| usize::from(v)).collect()
}

/// One binary classifier per label, each fitted on that label's column (scikit-learn's
/// `OneVsRestClassifier` on a label matrix). Works with every [`Fit`] of the crate; give it
/// `ClassWeight::Balanced` to weight each label's classes as [`label_class_weights`] does.
#[derive(Debug, Clone, PartialEq)]
pub struct OneVsRestParams<P> {
    base: P,
}

/// A fitted one-vs-rest model: per label, a fitted classifier or, for a label that was constant
/// in training, that constant.
#[derive(Debug, Clone)]
pub struct OneVsRest<M> {
    members: Vec<Member<M>>,
    n_features: usize,
}

/// One label's model in a [`OneVsRest`].
#[derive(Debug, Clone)]
pub enum Member<M> {
    /// A classifier of the label's 0/1 column.
    Model(M),
    /// The label was always this value in training.
    Constant(u8),
}

impl OneVsRest<()> {
    /// One `base` per label.
    pub fn params<P>(base: P) -> OneVsRestParams<P> {
        OneVsRestParams { base }
    }
}

impl<M> OneVsRest<M> {
    /// The per-label models, in label order.
    pub fn members(&self) -> &[Member<M>] {
        &self.members
    }
}

impl<P> OneVsRestParams<P> {
    /// The classifier settings used for every label.
    pub fn base(&self) -> &P {
        &self.base
    }
}

impl<P> FitMultiLabel for OneVsRestParams<P>
where
    P: Fit<usize>,
    P::Model: Classifier,
{
    type Model = OneVsRest<P::Model>;

    /// Fits `base` on each label's column (a constant column becomes a [`Member::Constant`]).
    ///
    /// # Errors
    /// As [`check_fit_multilabel`] and the base model's `fit` (its error says which label).
    fn fit(&self, x: &Array2<f64>, y: &Array2<u8>) -> Result<Self::Model> {
        check_fit_multilabel(x, y)?;
        let members = (0..y.ncols())
            .map(|j| {
                let col = label_column(y, j);
                let ones = col.iter().filter(|&&v| v == 1).count();
                if ones == 0 || ones == col.len() {
                    return Ok(Member::Constant(u8::from(ones > 0)));
                }
                self.base
                    .fit(x, &col)
                    .map(Member::Model)
                    .map_err(|e| match e {
                        Error::Labels(m) => Error::Labels(format!("label column {j}: {m}")),
                        other => other,
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(OneVsRest {
            members,
            n_features: x.ncols(),
        })
    }

    fn describe(&self) -> String {
        format!("one-vs-rest {}", self.base.describe())
    }
}

impl<M: Classifier> MultiLabelClassifier for OneVsRest<M> {
    fn n_labels(&self) -> usize {
        self.members.len()
    }

    fn n_features(&self) -> usize {
        self.n_features
    }

    /// Per label, the base model's probability of class 1 (its one-hot prediction for models
    /// without probabilities).
    fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        check_predict(x, self.n_features)?;
        let mut out = Array2::zeros((x.nrows(), self.members.len()));
        for (j, m) in self.members.iter().enumerate() {
            match m {
                Member::Constant(v) => out.column_mut(j).fill(f64::from(*v)),
                Member::Model(m) => {
                    let p = m.predict_proba(x)?;
                    if p.ncols() > 1 {
                        out.column_mut(j).assign(&p.column(1));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Per label, the base model's own `predict` (which for some models is not a cut of the
    /// probability at 0.5).
    fn predict(&self, x: &Array2<f64>) -> Result<Array2<u8>> {
        check_predict(x, self.n_features)?;
        let mut out = Array2::zeros((x.nrows(), self.members.len()));
        for (j, m) in self.members.iter().enumerate() {
            match m {
                Member::Constant(v) => out.column_mut(j).fill(*v),
                Member::Model(m) => {
                    for (i, c) in m.predict(x)?.into_iter().enumerate() {
                        out[[i, j]] = u8::from(c == 1);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Features and 0/1 tag matrix of the tracks that have both, owned.
#[derive(Debug, Clone)]
pub struct MultiLabelDataset {
    /// Rows × features.
    pub x: Array2<f64>,
    /// Rows × labels, 0/1, columns in [`MultiLabelBinarizer::classes`] order.
    pub y: Array2<u8>,
    /// The binarizer (its classes name the columns of `y`).
    pub binarizer: MultiLabelBinarizer,
    /// The feature names, in column order.
    pub features: Vec<String>,
    /// The track id of each row.
    pub ids: Vec<String>,
    /// Tagged tracks left out: not in the tracks table, or with a missing feature.
    pub skipped: usize,
}

impl MultiLabelDataset {
    /// A seeded random sample of `n` rows (all rows, shuffled, when `n` is at least the rows),
    /// with the same binarizer (a class may then have no row).
    pub fn sample(&self, n: usize, seed: u64) -> MultiLabelDataset {
        use rand::SeedableRng;
        use rand::seq::SliceRandom;
        let mut idx: Vec<usize> = (0..self.x.nrows()).collect();
        idx.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
        idx.truncate(n);
        MultiLabelDataset {
            x: self.x.select(Axis(0), &idx),
            y: self.y.select(Axis(0), &idx),
            binarizer: self.binarizer.clone(),
            features: self.features.clone(),
            ids: idx.iter().map(|&i| self.ids[i].clone()).collect(),
            skipped: self.skipped,
        }
    }
}

impl std::fmt::Display for MultiLabelDataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} tracks × {} features, {} labels ({}); {} tagged tracks skipped",
            self.x.nrows(),
            self.x.ncols(),
            self.binarizer.classes().len(),
            self.binarizer.classes().join(", "),
            self.skipped
        )
    }
}

/// The rows of tracks that have tags: `features` of each track of `tracks_df` (its first row per
/// `track_id`) whose id has tags in `tagged` (a `track_id`, `tag` table such as
/// [`crate::tags::TaggedTracks::df`]), and their tag sets binarized. Rows in track-id order;
/// tracks with a missing feature or absent from `tracks_df` are counted in `skipped`.
///
/// # Errors
/// [`Error::Column`] for a missing column; [`Error::Labels`] when no track has both.
pub fn multilabel_dataset(
    tracks_df: &DataFrame,
    tagged: &DataFrame,
    features: &[&str],
) -> Result<MultiLabelDataset> {
    let id = crate::schema::tracks::TRACK_ID;
    let (ids, sets) = crate::tags::tag_sets(tagged, id)?;
    let order = DataFrame::new(
        ids.len(),
        vec![
            Column::new(id.into(), ids.clone()),
            Column::new("__row".into(), (0..ids.len() as u64).collect::<Vec<_>>()),
        ],
    )?;
    let mut cols = vec![col(id).cast(DataType::String)];
    cols.extend(features.iter().map(|f| col(*f)));
    let rows = tracks_df
        .clone()
        .lazy()
        .select(cols)
        .unique_stable_generic(Some(vec![col(id)]), UniqueKeepStrategy::First)
        .join(
            order.lazy(),
            [col(id)],
            [col(id)],
            JoinArgs::new(JoinType::Inner),
        )
        .sort(["__row"], SortMultipleOptions::default())
        .collect()?;
    let (x_all, complete) = bridge::to_array2_nullable(&rows, features)?;
    let keep: Vec<usize> = (0..rows.height()).filter(|&i| complete[i]).collect();
    let row_of = crate::analysis::join::str_values(&rows, "tracks", id)?;
    let kept_ids: Vec<String> = keep
        .iter()
        .map(|&i| row_of[i].clone().unwrap_or_default())
        .collect();
    let pos: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let kept_sets: Vec<Vec<String>> = kept_ids
        .iter()
        .filter_map(|i| pos.get(i.as_str()).map(|&p| sets[p].clone()))
        .collect();
    if kept_sets.is_empty() {
        return Err(Error::Labels(
            "no tagged track has all the features: nothing to learn from".into(),
        ));
    }
    let binarizer = MultiLabelBinarizer::fit(&kept_sets);
    let y = binarizer.transform(&kept_sets)?;
    Ok(MultiLabelDataset {
        x: x_all.select(Axis(0), &keep),
        y,
        binarizer,
        features: features.iter().map(|f| f.to_string()).collect(),
        skipped: ids.len() - kept_ids.len(),
        ids: kept_ids,
    })
}
