//! Grid search for the RBF SVC over σ × C, scored by stratified k-fold cross-validation on the
//! training split only (the write-up scored each grid point on its test split, which leaks the
//! test set into the choice of σ and C; here the test split stays untouched until the end).
//!
//! The squared distances of each fold are computed once and shared by every (σ, C), so the
//! cost is that of the SMO solves.

use crate::error::{Error, Result};
use crate::evaluation::regression::RegressionScoring;
use crate::evaluation::split::repeated_kfold;
use crate::evaluation::split::{check_len, stratified_kfold, take_labels, take_rows};
use crate::models::svc::{Kernel, ResolvedKernel, SvcParams, sq_distances, sq_distances_within};
use crate::models::{Classifier, Fit, Regressor};
use ndarray::Array2;
use polars::prelude::*;
use rayon::prelude::*;
use std::time::Instant;

/// One fold, prepared once for the whole grid: training distances, validation-to-training
/// distances, the training rows themselves, and the labels of both sides.
type PreparedFold = (
    Array2<f64>,
    Array2<f64>,
    Array2<f64>,
    Vec<usize>,
    Vec<usize>,
);

/// Grid search settings: number of folds, seed of the folds, and whether to print one progress
/// line per σ (to stdout).
#[derive(Debug, Clone, PartialEq)]
pub struct GridSearch {
    folds: usize,
    seed: u64,
    verbose: bool,
}

impl Default for GridSearch {
    fn default() -> Self {
        GridSearch {
            folds: 5,
            seed: 0,
            verbose: false,
        }
    }
}

/// Scores of every grid point, owned.
#[derive(Debug, Clone)]
pub struct GridResult {
    /// One row per (σ, C): columns `sigma`, `gamma`, `c`, `mean_score`, `std_score` (population
    /// standard deviation over folds, as scikit-learn's `std_test_score`).
    pub table: DataFrame,
    /// Mean CV accuracy, rows = σ, columns = C (for a heatmap).
    pub scores: Array2<f64>,
    pub sigmas: Vec<f64>,
    pub cs: Vec<f64>,
    /// The best point (first maximum in σ-major order, as `np.argmax` on the flattened grid).
    pub best_sigma: f64,
    pub best_c: f64,
    pub best_score: f64,
    /// SVC fits run (grid points × folds).
    pub fits: usize,
    /// Wall-clock seconds of the whole search.
    pub seconds: f64,
}

impl GridResult {
    /// Row labels for a heatmap of [`Self::scores`]: `σ=0.5`, …
    pub fn sigma_labels(&self) -> Vec<String> {
        self.sigmas.iter().map(|s| format!("σ={s}")).collect()
    }

    /// Column labels for a heatmap of [`Self::scores`]: `C=20`, …
    pub fn c_labels(&self) -> Vec<String> {
        self.cs.iter().map(|c| format!("C={c}")).collect()
    }

    /// `base` with the best σ (as γ = 1/(2σ²)) and C.
    pub fn best_params(&self, base: &SvcParams) -> SvcParams {
        base.clone()
            .kernel(Kernel::rbf_sigma(self.best_sigma))
            .c(self.best_c)
    }
}

impl GridSearch {
    /// 5 folds, seed 0, quiet.
    pub fn new() -> Self {
        Self::default()
    }
    pub fn folds(mut self, folds: usize) -> Self {
        self.folds = folds;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Print one line per σ to stdout.
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Scores RBF SVCs with γ = 1/(2σ²) for every σ in `sigmas` and C in `cs` (other settings,
    /// class weights included, from `base`) by stratified k-fold CV on `x_train`, `y_train`.
    ///
    /// # Errors
    /// [`Error::Parameter`] for an empty grid, σ ≤ 0, a bad C, or folds that do not fit the data.
    pub fn svc_sigma_c(
        &self,
        base: &SvcParams,
        sigmas: &[f64],
        cs: &[f64],
        x_train: &Array2<f64>,
        y_train: &[usize],
    ) -> Result<GridResult> {
        check_len(x_train, y_train)?;
        if sigmas.is_empty() || cs.is_empty() {
            return Err(Error::parameter(
                "sigmas / cs",
                "[]",
                "at least one σ and one C",
            ));
        }
        if let Some(s) = sigmas.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Err(Error::parameter("sigma", s, "finite and > 0"));
        }
        for &c in cs {
            base.clone().c(c).check()?;
        }
        let start = Instant::now();
        let folds = stratified_kfold(y_train, self.folds, self.seed)?;
        // Per fold: training rows' distances, validation-to-training distances, labels.
        let prepared: Vec<PreparedFold> = folds
            .iter()
            .map(|f| {
                let xt = take_rows(x_train, &f.train);
                let xv = take_rows(x_train, &f.test);
                (
                    sq_distances_within(&xt),
                    sq_distances(&xv, &xt),
                    xt,
                    take_labels(y_train, &f.train),
                    take_labels(y_train, &f.test),
                )
            })
            .collect();
        let mut scores = Array2::<f64>::zeros((sigmas.len(), cs.len()));
        let mut stds = Array2::<f64>::zeros((sigmas.len(), cs.len()));
        for (si, &sigma) in sigmas.iter().enumerate() {
            let kernel = Kernel::rbf_sigma(sigma);
            let gamma = 1.0 / (2.0 * sigma * sigma);
            let row_start = Instant::now();
            let mut per_c: Vec<Vec<f64>> = vec![Vec::new(); cs.len()];
            for (dt, dv, xt, yt, yv) in &prepared {
                let (gram, kv) = rayon::join(|| rbf_of(dt, gamma), || rbf_of(dv, gamma));
                let rk = ResolvedKernel { kernel, gamma };
                // The C values in parallel (each fit's pairwise problems are parallel too).
                let accuracies: Vec<f64> = cs
                    .par_iter()
                    .map(|&c| {
                        let model = base
                            .clone()
                            .kernel(kernel)
                            .c(c)
                            .fit_gram(xt, yt, rk, &gram)?;
                        let pred = model.predict_from_train_kernel(&kv);
                        Ok(crate::evaluation::accuracy(yv, &pred))
                    })
                    .collect::<Result<_>>()?;
                for (ci, a) in accuracies.into_iter().enumerate() {
                    per_c[ci].push(a);
                }
            }
            for (ci, v) in per_c.iter().enumerate() {
                let m = v.iter().sum::<f64>() / v.len() as f64;
                let var = v.iter().map(|s| (s - m).powi(2)).sum::<f64>() / v.len() as f64;
                scores[[si, ci]] = m;
                stds[[si, ci]] = var.sqrt();
            }
            if self.verbose {
                let (bc, bs) = cs.iter().zip(scores.row(si)).fold(
                    (cs[0], f64::NEG_INFINITY),
                    |acc, (&c, &s)| {
                        if s > acc.1 { (c, s) } else { acc }
                    },
                );
                println!(
                    "σ = {sigma}: best C = {bc} (CV accuracy {:.2} %), {} fits in {:.1} s",
                    100.0 * bs,
                    cs.len() * prepared.len(),
                    row_start.elapsed().as_secs_f64()
                );
            }
        }
        let (mut best, mut best_score) = ((0, 0), f64::NEG_INFINITY);
        for ((i, j), &s) in scores.indexed_iter() {
            if s > best_score {
                best = (i, j);
                best_score = s;
            }
        }
        let (mut col_s, mut col_g, mut col_c, mut col_m, mut col_sd) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, &s) in sigmas.iter().enumerate() {
            for (j, &c) in cs.iter().enumerate() {
                col_s.push(s);
                col_g.push(1.0 / (2.0 * s * s));
                col_c.push(c);
                col_m.push(scores[[i, j]]);
                col_sd.push(stds[[i, j]]);
            }
        }
        let n = col_s.len();
        let table = DataFrame::new(
            n,
            vec![
                Column::new("sigma".into(), col_s),
                Column::new("gamma".into(), col_g),
                Column::new("c".into(), col_c),
                Column::new("mean_score".into(), col_m),
                Column::new("std_score".into(), col_sd),
            ],
        )?;
        Ok(GridResult {
            table,
            scores,
            sigmas: sigmas.to_vec(),
            cs: cs.to_vec(),
            best_sigma: sigmas[best.0],
            best_c: cs[best.1],
            best_score,
            fits: n * prepared.len(),
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

/// Accuracy of `params` on each fold of a seeded stratified k-fold of (`x`, `y`), for any
/// classifier (scikit-learn's `cross_val_score`).
///
/// # Errors
/// As the model's `fit` and [`stratified_kfold`].
pub fn cross_val_score<P>(
    params: &P,
    x: &Array2<f64>,
    y: &[usize],
    folds: usize,
    seed: u64,
) -> Result<Vec<f64>>
where
    P: Fit<usize>,
    P::Model: Classifier,
{
    check_len(x, y)?;
    stratified_kfold(y, folds, seed)?
        .iter()
        .map(|f| {
            let m = params.fit(&take_rows(x, &f.train), &take_labels(y, &f.train))?;
            m.score(&take_rows(x, &f.test), &take_labels(y, &f.test))
        })
        .collect()
}

/// Cross-validated scores of named candidate settings of one model (scikit-learn's
/// `GridSearchCV.cv_results_`), owned.
#[derive(Debug, Clone)]
pub struct SearchResult<P> {
    /// One row per candidate: `candidate`, `settings` ([`Fit::describe`]), `mean_score`,
    /// `std_score` (population standard deviation over folds), `rank` (1 = best).
    pub table: DataFrame,
    /// The candidates, in the order given.
    pub candidates: Vec<(String, P)>,
    /// Mean CV accuracy per candidate.
    pub scores: Vec<f64>,
    /// Index of the best candidate (the first maximum).
    pub best: usize,
    /// Fits run (candidates × folds).
    pub fits: usize,
    /// Wall-clock seconds of the whole search.
    pub seconds: f64,
}

impl<P: Clone> SearchResult<P> {
    /// The best candidate's name.
    pub fn best_name(&self) -> &str {
        &self.candidates[self.best].0
    }

    /// The best candidate's settings.
    pub fn best_params(&self) -> P {
        self.candidates[self.best].1.clone()
    }

    /// The best mean CV accuracy.
    pub fn best_score(&self) -> f64 {
        self.scores[self.best]
    }

    /// Index of the best candidate whose name starts with `prefix` (the first maximum), or
    /// `None` when no name does: the best of one family of a mixed grid.
    pub fn best_among(&self, prefix: &str) -> Option<usize> {
        (0..self.candidates.len())
            .filter(|&i| self.candidates[i].0.starts_with(prefix))
            .fold(None, |b: Option<usize>, i| match b {
                Some(b) if self.scores[i] <= self.scores[b] => Some(b),
                _ => Some(i),
            })
    }
}

impl GridSearch {
    /// Scores every candidate of any classifier by stratified k-fold CV on (`x_train`,
    /// `y_train`); with `verbose`, one progress line per candidate on stdout.
    ///
    /// # Errors
    /// [`Error::Parameter`] for no candidates; as the model's `fit` and [`stratified_kfold`].
    pub fn search<P>(
        &self,
        candidates: &[(String, P)],
        x_train: &Array2<f64>,
        y_train: &[usize],
    ) -> Result<SearchResult<P>>
    where
        P: Fit<usize>,
        P::Model: Classifier,
    {
        check_len(x_train, y_train)?;
        if candidates.is_empty() {
            return Err(Error::parameter(
                "candidates",
                "[]",
                "at least one candidate",
            ));
        }
        let start = Instant::now();
        let folds = stratified_kfold(y_train, self.folds, self.seed)?;
        let parts: Vec<_> = folds
            .iter()
            .map(|f| {
                (
                    take_rows(x_train, &f.train),
                    take_labels(y_train, &f.train),
                    take_rows(x_train, &f.test),
                    take_labels(y_train, &f.test),
                )
            })
            .collect();
        let (mut means, mut stds) = (Vec::new(), Vec::new());
        for (i, (name, p)) in candidates.iter().enumerate() {
            let mut fold_scores = Vec::with_capacity(parts.len());
            for (xt, yt, xv, yv) in &parts {
                fold_scores.push(p.fit(xt, yt)?.score(xv, yv)?);
            }
            let (m, sd) = mean_std(&fold_scores);
            means.push(m);
            stds.push(sd);
            if self.verbose {
                println!(
                    "[{}/{}] {name}: CV accuracy {:.2} % ± {:.2} ({:.1} s)",
                    i + 1,
                    candidates.len(),
                    100.0 * m,
                    100.0 * sd,
                    start.elapsed().as_secs_f64()
                );
            }
        }
        let (table, best) = search_table(candidates, &means, stds)?;
        Ok(SearchResult {
            table,
            candidates: candidates.to_vec(),
            scores: means,
            best,
            fits: candidates.len() * parts.len(),
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

/// The candidates' table (`candidate`, `settings`, `mean_score`, `std_score`, `rank`) and the
/// index of the best (the first maximum).
fn search_table<P, T>(
    candidates: &[(String, P)],
    means: &[f64],
    stds: Vec<f64>,
) -> Result<(DataFrame, usize)>
where
    P: Fit<T>,
{
    let best = means
        .iter()
        .enumerate()
        .fold(0, |b, (i, &m)| if m > means[b] { i } else { b });
    let mut order: Vec<usize> = (0..means.len()).collect();
    order.sort_by(|&a, &b| means[b].total_cmp(&means[a]).then(a.cmp(&b)));
    let mut rank = vec![0u32; means.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as u32 + 1;
    }
    let names: Vec<String> = candidates.iter().map(|(c, _)| c.clone()).collect();
    let settings: Vec<String> = candidates.iter().map(|(_, p)| p.describe()).collect();
    let table = DataFrame::new(
        candidates.len(),
        vec![
            Column::new("candidate".into(), names),
            Column::new("settings".into(), settings),
            Column::new("mean_score".into(), means.to_vec()),
            Column::new("std_score".into(), stds),
            Column::new("rank".into(), rank),
        ],
    )?;
    Ok((table, best))
}

/// Mean and population standard deviation of fold scores.
fn mean_std(scores: &[f64]) -> (f64, f64) {
    let m = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
    let var = scores.iter().map(|s| (s - m).powi(2)).sum::<f64>() / scores.len().max(1) as f64;
    (m, var.sqrt())
}

impl GridSearch {
    /// Scores every candidate of any regressor by `repeats` × seeded shuffled k-fold
    /// cross-validation on (`x_train`, `y_train`) (scikit-learn's `GridSearchCV(cv=
    /// RepeatedKFold(...), scoring='r2' | 'neg_mean_squared_error')`); the folds are those of
    /// [`crate::evaluation::repeated_kfold`] with this search's folds and seed, the same for
    /// every candidate. With `verbose`, one progress line per candidate on stdout.
    ///
    /// # Errors
    /// [`Error::Parameter`] for no candidates, bad folds or repeats; [`Error::Shape`] when
    /// `y_train` does not fit `x_train`; as the model's `fit` and `predict`.
    pub fn search_regression<P>(
        &self,
        candidates: &[(String, P)],
        x_train: &Array2<f64>,
        y_train: &[f64],
        repeats: usize,
        scoring: RegressionScoring,
    ) -> Result<SearchResult<P>>
    where
        P: Fit<f64>,
        P::Model: Regressor,
    {
        check_len(x_train, y_train)?;
        if candidates.is_empty() {
            return Err(Error::parameter(
                "candidates",
                "[]",
                "at least one candidate",
            ));
        }
        let start = Instant::now();
        let folds = repeated_kfold(y_train.len(), self.folds, repeats, self.seed)?;
        let take = |idx: &[usize]| idx.iter().map(|&i| y_train[i]).collect::<Vec<f64>>();
        let parts: Vec<_> = folds
            .iter()
            .map(|f| {
                let xt = take_rows(x_train, &f.train);
                let xv = take_rows(x_train, &f.test);
                (xt, take(&f.train), xv, take(&f.test))
            })
            .collect();
        let (mut means, mut stds) = (Vec::new(), Vec::new());
        for (i, (name, p)) in candidates.iter().enumerate() {
            let mut fold_scores = Vec::with_capacity(parts.len());
            for (xt, yt, xv, yv) in &parts {
                let pred = p.fit(xt, yt)?.predict(xv)?.to_vec();
                fold_scores.push(scoring.score(yv, &pred));
            }
            let (m, sd) = mean_std(&fold_scores);
            means.push(m);
            stds.push(sd);
            if self.verbose {
                println!(
                    "[{}/{}] {name}: CV {scoring} {m:.3} ± {sd:.3} ({:.1} s)",
                    i + 1,
                    candidates.len(),
                    start.elapsed().as_secs_f64()
                );
            }
        }
        let (table, best) = search_table(candidates, &means, stds)?;
        Ok(SearchResult {
            table,
            candidates: candidates.to_vec(),
            scores: means,
            best,
            fits: candidates.len() * parts.len(),
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}

/// exp(−γ d) of every squared distance, rows in parallel.
fn rbf_of(d: &Array2<f64>, gamma: f64) -> Array2<f64> {
    let mut k = d.as_standard_layout().into_owned();
    if let Some(v) = k.as_slice_mut() {
        v.par_chunks_mut(4096)
            .for_each(|c| c.iter_mut().for_each(|x| *x = (-gamma * *x).exp()));
    }
    k
}
