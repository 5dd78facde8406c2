//! Classification metrics: accuracy, the confusion matrix (counts public, row-normalised form)
//! and scikit-learn's classification report (precision, recall, F1, support; macro and weighted
//! averages) as a DataFrame.

use crate::error::{Error, Result};
use ndarray::Array2;
use polars::prelude::*;

pub use crate::models::api::accuracy;

/// Counts of (true class, predicted class): row = true label, column = predicted label, as
/// scikit-learn's `confusion_matrix`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionMatrix {
    /// `counts[[t, p]]` rows of true class `t` predicted as `p`.
    pub counts: Array2<usize>,
    /// Class names, in label order.
    pub labels: Vec<String>,
}

impl ConfusionMatrix {
    /// From true and predicted labels (0..labels.len()), as scikit-learn's
    /// `ConfusionMatrixDisplay.from_predictions(y_true, y_pred, display_labels=labels)`.
    ///
    /// # Errors
    /// [`Error::Shape`] when the lengths differ; [`Error::Labels`] when a label is ≥
    /// `labels.len()`.
    pub fn from_predictions(
        y_true: &[usize],
        y_pred: &[usize],
        labels: &[String],
    ) -> Result<ConfusionMatrix> {
        if y_true.len() != y_pred.len() {
            return Err(Error::Shape(format!(
                "{} true labels but {} predictions",
                y_true.len(),
                y_pred.len()
            )));
        }
        let k = labels.len();
        let mut counts = Array2::<usize>::zeros((k, k));
        for (&t, &p) in y_true.iter().zip(y_pred) {
            if t >= k || p >= k {
                return Err(Error::Labels(format!(
                    "label {} but only {k} class names",
                    t.max(p)
                )));
            }
            counts[[t, p]] += 1;
        }
        Ok(ConfusionMatrix {
            counts,
            labels: labels.to_vec(),
        })
    }

    /// Each row divided by its sum (`normalize='true'`): the diagonal is per-class recall. A
    /// class with no rows gives a row of zeros.
    pub fn normalized_rows(&self) -> Array2<f64> {
        let mut out = self.counts.mapv(|c| c as f64);
        for mut row in out.rows_mut() {
            let s: f64 = row.sum();
            if s > 0.0 {
                row.mapv_inplace(|v| v / s);
            }
        }
        out
    }

    /// Rows of the matrix (the test set size).
    pub fn total(&self) -> usize {
        self.counts.sum()
    }

    /// Share of the diagonal.
    pub fn accuracy(&self) -> f64 {
        let t = self.total();
        if t == 0 {
            return 0.0;
        }
        (0..self.labels.len())
            .map(|i| self.counts[[i, i]])
            .sum::<usize>() as f64
            / t as f64
    }

    /// Per class: true rows (support).
    pub fn support(&self) -> Vec<usize> {
        self.counts.rows().into_iter().map(|r| r.sum()).collect()
    }

    /// Per class: tp / (tp + fp), 0 when the class is never predicted (scikit-learn's
    /// `zero_division=0`).
    pub fn precision(&self) -> Vec<f64> {
        (0..self.labels.len())
            .map(|c| ratio(self.counts[[c, c]], self.counts.column(c).sum()))
            .collect()
    }

    /// Per class: tp / (tp + fn), 0 for a class without rows.
    pub fn recall(&self) -> Vec<f64> {
        let support = self.support();
        (0..self.labels.len())
            .map(|c| ratio(self.counts[[c, c]], support[c]))
            .collect()
    }

    /// Per class: harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> Vec<f64> {
        self.precision()
            .iter()
            .zip(self.recall())
            .map(|(p, r)| {
                if p + r > 0.0 {
                    2.0 * p * r / (p + r)
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Diagonal of [`Self::normalized_rows`] (per-class recall), as the write-ups read off the
    /// figures.
    pub fn diagonal(&self) -> Vec<f64> {
        let n = self.normalized_rows();
        (0..self.labels.len()).map(|i| n[[i, i]]).collect()
    }

    /// scikit-learn's `classification_report` as a DataFrame: one row per class, then
    /// `macro avg` and `weighted avg` (columns class, precision, recall, f1, support), and an
    /// `accuracy` row (its precision, recall and f1 all hold the accuracy).
    pub fn report(&self) -> Result<DataFrame> {
        let (p, r, f, s) = (self.precision(), self.recall(), self.f1(), self.support());
        let total: usize = s.iter().sum();
        let k = self.labels.len().max(1) as f64;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / k;
        let wmean = |v: &[f64]| {
            if total == 0 {
                0.0
            } else {
                v.iter().zip(&s).map(|(a, &n)| a * n as f64).sum::<f64>() / total as f64
            }
        };
        let mut class: Vec<String> = self.labels.clone();
        let mut precision = p.clone();
        let mut recall = r.clone();
        let mut f1 = f.clone();
        let mut support: Vec<u64> = s.iter().map(|&n| n as u64).collect();
        let acc = self.accuracy();
        for (name, a, b, c) in [
            ("accuracy", acc, acc, acc),
            ("macro avg", mean(&p), mean(&r), mean(&f)),
            ("weighted avg", wmean(&p), wmean(&r), wmean(&f)),
        ] {
            class.push(name.to_string());
            precision.push(a);
            recall.push(b);
            f1.push(c);
            support.push(total as u64);
        }
        let n = class.len();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new("class".into(), class),
                Column::new("precision".into(), precision),
                Column::new("recall".into(), recall),
                Column::new("f1".into(), f1),
                Column::new("support".into(), support),
            ],
        )?)
    }

    /// The counts as a DataFrame: a `true` column of class names, then one column per predicted
    /// class.
    pub fn to_frame(&self) -> Result<DataFrame> {
        let mut cols = vec![Column::new("true".into(), self.labels.clone())];
        for (j, name) in self.labels.iter().enumerate() {
            let v: Vec<u64> = self.counts.column(j).iter().map(|&c| c as u64).collect();
            cols.push(Column::new(name.as_str().into(), v));
        }
        Ok(DataFrame::new(self.labels.len(), cols)?)
    }
}

impl std::fmt::Display for ConfusionMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let w = self
            .labels
            .iter()
            .map(|l| l.len())
            .max()
            .unwrap_or(4)
            .max(6);
        write!(f, "{:>w$}", "true \\ pred")?;
        for l in &self.labels {
            write!(f, " {l:>w$}")?;
        }
        for (i, l) in self.labels.iter().enumerate() {
            write!(f, "\n{l:>w$}")?;
            for j in 0..self.labels.len() {
                write!(f, " {:>w$}", self.counts[[i, j]])?;
            }
        }
        write!(
            f,
            "\naccuracy {:.2} % of {}",
            100.0 * self.accuracy(),
            self.total()
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// [`ConfusionMatrix::report`] straight from labels.
///
/// # Errors
/// As [`ConfusionMatrix::from_predictions`].
pub fn classification_report(
    y_true: &[usize],
    y_pred: &[usize],
    labels: &[String],
) -> Result<DataFrame> {
    ConfusionMatrix::from_predictions(y_true, y_pred, labels)?.report()
}

impl ConfusionMatrix {
    /// The matrix of `model`'s predictions on rows `x` with true labels `y`.
    ///
    /// # Errors
    /// As [`Self::from_predictions`] and the model's `predict`.
    pub fn from_model(
        model: &dyn crate::models::Classifier,
        x: &Array2<f64>,
        y: &[usize],
        labels: &[String],
    ) -> Result<ConfusionMatrix> {
        Self::from_predictions(y, &model.predict(x)?, labels)
    }

    /// The row-normalised matrix drawn as scikit-learn's `ConfusionMatrixDisplay` draws it:
    /// true labels down, predicted across, each cell annotated, titled `title`.
    ///
    /// # Errors
    /// As [`crate::plots::heatmap`].
    pub fn plot(&self, title: &str) -> Result<crate::plots::Figure> {
        let n = self.labels.len();
        let side = (160 + 60 * n as u32).clamp(360, 900);
        crate::plots::heatmap(
            &self.normalized_rows(),
            &self.labels,
            &self.labels,
            &crate::plots::HeatmapOptions {
                title: title.to_string(),
                width: side + 80,
                height: side,
                x_label: Some("predicted".into()),
                y_label: Some("true".into()),
                annotate: n <= 16,
                decimals: 2,
                range: Some((0.0, 1.0)),
                ..Default::default()
            },
        )
    }
}

/// Accuracy and macro-averaged precision, recall and F1 of one model on one labelled set
/// (macro: the unweighted mean over the classes present in the true or the predicted labels, as
/// scikit-learn's `average='macro'`; a class never predicted has precision 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Rows scored.
    pub rows: usize,
}

/// The [`Scores`] of `model` on rows `x` with true labels `y`.
///
/// # Errors
/// As the model's `predict`; [`Error::Shape`] when `y` does not fit `x`.
pub fn scores(
    model: &dyn crate::models::Classifier,
    x: &Array2<f64>,
    y: &[usize],
) -> Result<Scores> {
    crate::models::api::check_len(x, y)?;
    let pred = model.predict(x)?;
    let k = y
        .iter()
        .chain(&pred)
        .map(|l| l + 1)
        .max()
        .unwrap_or(0)
        .max(model.n_classes());
    let labels: Vec<String> = (0..k).map(|c| c.to_string()).collect();
    let cm = ConfusionMatrix::from_predictions(y, &pred, &labels)?;
    let seen: Vec<bool> = (0..k)
        .map(|c| cm.counts.row(c).sum() > 0 || cm.counts.column(c).sum() > 0)
        .collect();
    let mean = |v: Vec<f64>| {
        let present: Vec<f64> = v
            .iter()
            .zip(&seen)
            .filter(|(_, s)| **s)
            .map(|(v, _)| *v)
            .collect();
        present.iter().sum::<f64>() / present.len().max(1) as f64
    };
    Ok(Scores {
        accuracy: cm.accuracy(),
        precision: mean(cm.precision()),
        recall: mean(cm.recall()),
        f1: mean(cm.f1()),
        rows: y.len(),
    })
}

/// One row per named model — `model`, `accuracy`, and macro-averaged `precision`, `recall`, `f1`
/// (see [`Scores`]) — on the same rows `x` with true labels `y`: the table a notebook shows to
/// compare models.
///
/// # Errors
/// As the models' `predict`; [`Error::Shape`] when `y` does not fit `x`.
pub fn score_table(
    models: &[(&str, &dyn crate::models::Classifier)],
    x: &Array2<f64>,
    y: &[usize],
) -> Result<DataFrame> {
    let all = models
        .iter()
        .map(|(_, m)| scores(*m, x, y))
        .collect::<Result<Vec<_>>>()?;
    let col = |f: fn(&Scores) -> f64| all.iter().map(f).collect::<Vec<f64>>();
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
            Column::new("accuracy".into(), col(|s| s.accuracy)),
            Column::new("precision".into(), col(|s| s.precision)),
            Column::new("recall".into(), col(|s| s.recall)),
            Column::new("f1".into(), col(|s| s.f1)),
        ],
    )?)
}

/// A write-up's figures beside the ones a notebook computed: one row per `(figure, write-up,
/// ours)`, with `difference` = ours − write-up. The closing table of every notebook.
pub fn figures_beside(rows: &[(&str, f64, f64)]) -> Result<DataFrame> {
    Ok(DataFrame::new(
        rows.len(),
        vec![
            Column::new(
                "figure".into(),
                rows.iter().map(|r| r.0.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "write_up".into(),
                rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            ),
            Column::new("ours".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            Column::new(
                "difference".into(),
                rows.iter().map(|r| r.2 - r.1).collect::<Vec<_>>(),
            ),
        ],
    )?)
}
