//! One call for what notebooks do again and again when they compare classifiers: fit several
//! named settings on one split and tabulate their test accuracy, their confusion matrices in one
//! grid, and a split standardised by its training rows.
//!
//! ```no_run
//! use listening::prelude::*;
//! use listening::evaluation::Models;
//! # fn main() -> Result<()> {
//! # let (x, y) = (Array2::<f64>::zeros((8, 2)), vec![0, 1, 0, 1, 0, 1, 0, 1]);
//! let split: TrainTest = evaluation::train_test_split(&x, &y, 0.25, 70)?;
//! let svms: Models<Svc> = Models::fit(
//!     &[("rbf", Svc::params()), ("linear", Svc::params().kernel(Kernel::Linear))],
//!     &split,
//! )?;
//! let table: DataFrame = svms.table(&split)?; // model, settings, accuracy_pct, fit_seconds
//! # Ok(()) }
//! ```

use super::{ConfusionMatrix, TrainTest};
use crate::error::{Error, Result};
use crate::models::{Classifier, Fit, StandardScaler};
use crate::plots::{Colormap, Figure, HeatmapOptions, heatmap, panels};
use polars::prelude::*;
use std::time::Instant;

/// One fitted model of a [`Models`] set.
#[derive(Debug, Clone)]
pub struct FittedModel<M> {
    /// The name it was given.
    pub name: String,
    /// Its settings in a few words ([`Fit::describe`]).
    pub settings: String,
    /// The fitted model.
    pub model: M,
    /// Wall-clock seconds its fit took.
    pub fit_seconds: f64,
}

/// Several classifiers fitted from named settings on the training rows of one split, in the
/// order given; scored on its test rows.
#[derive(Debug, Clone)]
pub struct Models<M> {
    /// The fitted models, in the order of the settings.
    pub fitted: Vec<FittedModel<M>>,
}

/// Test accuracy in percent, rounded to 2 decimals as the write-ups print it.
fn percent(share: f64) -> f64 {
    (share * 10_000.0).round() / 100.0
}

impl<M: Classifier> Models<M> {
    /// Fits every `(name, settings)` on `split`'s training rows, timing each fit.
    ///
    /// # Errors
    /// No settings given, or the first fit that fails (its error says which parameter or data).
    pub fn fit<P: Fit<usize, Model = M>>(specs: &[(&str, P)], split: &TrainTest) -> Result<Self> {
        if specs.is_empty() {
            return Err(Error::Parameter {
                name: "specs".into(),
                value: "[]".into(),
                expected: "at least one (name, settings) pair".into(),
            });
        }
        let fitted = specs
            .iter()
            .map(|(name, params)| {
                let t = Instant::now();
                let model = params.fit(&split.x_train, &split.y_train)?;
                Ok(FittedModel {
                    name: name.to_string(),
                    settings: params.describe(),
                    model,
                    fit_seconds: t.elapsed().as_secs_f64(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Models { fitted })
    }

    /// The model named `name`.
    ///
    /// # Errors
    /// [`Error::Parameter`] listing the names there are.
    pub fn get(&self, name: &str) -> Result<&M> {
        self.fitted
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.model)
            .ok_or_else(|| Error::Parameter {
                name: "name".into(),
                value: name.into(),
                expected: format!("one of {}", self.names().join(", ")),
            })
    }

    /// The names, in order.
    pub fn names(&self) -> Vec<String> {
        self.fitted.iter().map(|f| f.name.clone()).collect()
    }

    /// Each model's fit time in seconds, in order.
    pub fn fit_seconds(&self) -> Vec<f64> {
        self.fitted.iter().map(|f| f.fit_seconds).collect()
    }

    /// Each model's accuracy on `split`'s test rows, in percent rounded to 2 decimals.
    ///
    /// # Errors
    /// As the models' `predict`.
    pub fn accuracy_pct(&self, split: &TrainTest) -> Result<Vec<f64>> {
        self.fitted
            .iter()
            .map(|f| Ok(percent(f.model.score(&split.x_test, &split.y_test)?)))
            .collect()
    }

    /// One row per model: `model`, `settings`, `accuracy_pct` on `split`'s test rows and
    /// `fit_seconds`.
    ///
    /// # Errors
    /// As the models' `predict`.
    pub fn table(&self, split: &TrainTest) -> Result<DataFrame> {
        let n = self.fitted.len();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new("model".into(), self.names()),
                Column::new(
                    "settings".into(),
                    self.fitted
                        .iter()
                        .map(|f| f.settings.clone())
                        .collect::<Vec<_>>(),
                ),
                Column::new("accuracy_pct".into(), self.accuracy_pct(split)?),
                Column::new(
                    "fit_seconds".into(),
                    self.fitted
                        .iter()
                        .map(|f| f.fit_seconds)
                        .collect::<Vec<_>>(),
                ),
            ],
        )?)
    }

    /// One number per model, as a column named `name` (for what only this kind of model has,
    /// such as an SVM's support vectors), to put beside [`Self::table`].
    pub fn column<T>(&self, name: &str, value: impl Fn(&M) -> T) -> Column
    where
        Series: NamedFrom<Vec<T>, [T]>,
    {
        let values: Vec<T> = self.fitted.iter().map(|f| value(&f.model)).collect();
        Column::new(name.into(), values)
    }

    /// Each model's confusion matrix on `split`'s test rows, classes named `labels`.
    ///
    /// # Errors
    /// As [`ConfusionMatrix::from_predictions`] and the models' `predict`.
    pub fn confusion_matrices(
        &self,
        split: &TrainTest,
        labels: &[String],
    ) -> Result<Vec<ConfusionMatrix>> {
        self.fitted
            .iter()
            .map(|f| ConfusionMatrix::from_model(&f.model, &split.x_test, &split.y_test, labels))
            .collect()
    }
}

/// Natural width of a whole [`confusion_grid`]: wide enough for legible labels, narrow enough
/// to show at 70 % or more of its size in a notebook column of a laptop screen.
pub const GRID_WIDTH: u32 = 1120;

/// Heatmap settings of a row-normalised confusion matrix of `n` classes, as
/// [`ConfusionMatrix::plot`] draws it, at `width` × `height`.
fn matrix_options(title: &str, n: usize, width: u32, height: u32) -> HeatmapOptions {
    HeatmapOptions {
        title: title.to_string(),
        width,
        height,
        x_label: Some("predicted".into()),
        y_label: Some("true".into()),
        annotate: n <= 16,
        decimals: 2,
        range: Some((0.0, 1.0)),
        ..Default::default()
    }
}

/// Row-normalised confusion matrices titled `(title, matrix)`, drawn side by side in a grid of
/// `columns` columns at most [`GRID_WIDTH`] pixels wide in all (scikit-learn's layout: true
/// classes down, predicted across, each cell annotated up to 16 classes).
///
/// # Errors
/// No matrices or no columns, or as [`heatmap`].
pub fn confusion_grid(matrices: &[(&str, &ConfusionMatrix)], columns: usize) -> Result<Figure> {
    if matrices.is_empty() || columns == 0 {
        return Err(Error::Parameter {
            name: if columns == 0 { "columns" } else { "matrices" }.into(),
            value: if columns == 0 {
                "0".into()
            } else {
                "[]".into()
            },
            expected: "at least one matrix in at least one column".into(),
        });
    }
    let cols = columns.min(matrices.len()) as u32;
    let width = (GRID_WIDTH / cols).min(980);
    let height = width.saturating_sub(80).max(240);
    let figures = matrices
        .iter()
        .map(|(title, cm)| {
            let n = cm.labels.len();
            let opts = matrix_options(title, n, width, height);
            heatmap(&cm.normalized_rows(), &cm.labels, &cm.labels, &opts)
        })
        .collect::<Result<Vec<Figure>>>()?;
    panels(&figures, columns)
}

impl ConfusionMatrix {
    /// [`ConfusionMatrix::plot`] in another colour map (matplotlib's names: `Colormap::Inferno`,
    /// …).
    ///
    /// # Errors
    /// As [`heatmap`].
    pub fn plot_in(&self, title: &str, colormap: Colormap) -> Result<Figure> {
        let n = self.labels.len();
        let side = (160 + 60 * n as u32).clamp(360, 900);
        let opts = HeatmapOptions {
            colormap,
            ..matrix_options(title, n, side + 80, side)
        };
        heatmap(&self.normalized_rows(), &self.labels, &self.labels, &opts)
    }
}

impl TrainTest {
    /// The split with its features standardised by the training rows' means and standard
    /// deviations (a [`StandardScaler`] fitted on `x_train`, as scikit-learn's pipeline does),
    /// labels and row indices unchanged.
    ///
    /// # Errors
    /// As [`StandardScaler::fit`] and [`StandardScaler::transform`].
    pub fn standardized(&self) -> Result<TrainTest> {
        let scaler = StandardScaler::fit(&self.x_train)?;
        Ok(TrainTest {
            x_train: scaler.transform(&self.x_train)?,
            x_test: scaler.transform(&self.x_test)?,
            ..self.clone()
        })
    }
}

/// A classifier tried on a few tracks named by title and artist (see [`predict_named`]).
#[derive(Debug, Clone)]
pub struct NamedPredictions {
    /// One row per track asked for: `track`, `artist`, `expected`, `predicted` and `correct`
    /// (both null when the track was left out), `note` (why it was left out).
    pub table: DataFrame,
    /// Tracks predicted right.
    pub right: usize,
    /// Tracks predicted (found in the catalogue and not trained on).
    pub tried: usize,
}

impl NamedPredictions {
    /// Share of the tried tracks predicted right (0 when none was tried).
    pub fn accuracy(&self) -> f64 {
        self.right as f64 / self.tried.max(1) as f64
    }
}

/// Predicts the class of tracks named by `(title, artist, expected class)`, as the write-ups try
/// a model on a few well-known songs: each is looked up in `catalogue` by exact `name` and
/// `artists`, left out when absent or when its `track_id` is in `trained_ids` (the model saw
/// it), else its `features` are predicted and the class named from `classes`.
///
/// # Errors
/// A missing column, a feature that is not numeric, or as the model's `predict`.
pub fn predict_named(
    model: &dyn Classifier,
    catalogue: &DataFrame,
    features: &[&str],
    classes: &[String],
    trained_ids: &[String],
    tracks: &[(&str, &str, &str)],
) -> Result<NamedPredictions> {
    let (mut predicted, mut correct, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    for (title, artist, expected) in tracks {
        let one = catalogue
            .clone()
            .lazy()
            .filter(
                col("name")
                    .eq(lit(*title))
                    .and(col("artists").eq(lit(*artist))),
            )
            .limit(1)
            .collect()?;
        let id = crate::bridge::to_labels(&one, "track_id")?.pop();
        let note = match &id {
            None => Some("not in the catalogue"),
            Some(id) if trained_ids.contains(id) => Some("in the training data"),
            Some(_) => None,
        };
        let guess = match note {
            Some(_) => None,
            None => {
                let x = crate::bridge::to_array2(&one, features)?;
                let class = model.predict(&x)?[0];
                Some(
                    classes
                        .get(class)
                        .cloned()
                        .unwrap_or_else(|| class.to_string()),
                )
            }
        };
        correct.push(guess.as_ref().map(|g| g == expected));
        predicted.push(guess);
        notes.push(note.unwrap_or(""));
    }
    let right = correct.iter().filter(|c| **c == Some(true)).count();
    let tried = correct.iter().flatten().count();
    let column = |i: usize| {
        tracks
            .iter()
            .map(|t| [t.0, t.1, t.2][i])
            .collect::<Vec<_>>()
    };
    let table = DataFrame::new(
        tracks.len(),
        vec![
            Column::new("track".into(), column(0)),
            Column::new("artist".into(), column(1)),
            Column::new("expected".into(), column(2)),
            Column::new("predicted".into(), predicted),
            Column::new("correct".into(), correct),
            Column::new("note".into(), notes),
        ],
    )?;
    Ok(NamedPredictions {
        table,
        right,
        tried,
    })
}
