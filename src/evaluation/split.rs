//! Seeded splits: stratified train/test split, stratified k-fold, repeated stratified k-fold,
//! plain k-fold and repeated plain k-fold. Each returns row indices (owned), so one split can be
//! applied to features, labels and track names alike. The same seed gives the same split; the
//! splits are not those of scikit-learn's `StratifiedShuffleSplit` (numpy's generator), only of
//! the same kind.

use crate::error::{Error, Result};
use ndarray::{Array2, Axis};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Row indices of one train/validation (or train/test) partition.
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// A stratified train/test split applied to a feature matrix and its labels.
#[derive(Debug, Clone)]
pub struct TrainTest {
    pub x_train: Array2<f64>,
    pub y_train: Vec<usize>,
    pub x_test: Array2<f64>,
    pub y_test: Vec<usize>,
    /// Row indices (into the matrix given to [`train_test_split`]) of the train and test sets,
    /// in the order of `x_train` / `x_test`.
    pub fold: Fold,
}

/// The rows `idx` of `x`, in that order.
pub fn take_rows(x: &Array2<f64>, idx: &[usize]) -> Array2<f64> {
    x.select(Axis(0), idx)
}

/// The first `n` rows of `x` (all of them when it has fewer): a sample for slow work such as
/// SHAP values or UMAP, when the rows are already in random order.
pub fn first_rows(x: &Array2<f64>, n: usize) -> Array2<f64> {
    x.slice(ndarray::s![..n.min(x.nrows()), ..]).to_owned()
}

/// The labels `idx` of `y`, in that order.
pub fn take_labels(y: &[usize], idx: &[usize]) -> Vec<usize> {
    idx.iter().map(|&i| y[i]).collect()
}

fn by_class(y: &[usize]) -> Vec<Vec<usize>> {
    let k = y.iter().max().map_or(0, |m| m + 1);
    let mut groups = vec![Vec::new(); k];
    for (i, &l) in y.iter().enumerate() {
        groups[l].push(i);
    }
    groups
}

/// Indices of a stratified split: each class contributes to the test set in proportion to its
/// size (largest remainders, ties to the lower class), `ceil(test_size · n)` rows in all, as
/// scikit-learn's `train_test_split(stratify=y)`. Both index lists are shuffled.
///
/// # Errors
/// [`Error::Parameter`] when `test_size` is not in (0, 1); [`Error::Labels`] when a class has
/// fewer than 2 rows.
pub fn stratified_split(y: &[usize], test_size: f64, seed: u64) -> Result<Fold> {
    if !(test_size > 0.0 && test_size < 1.0) {
        return Err(Error::parameter("test_size", test_size, "in (0, 1)"));
    }
    let n = y.len();
    if n < 2 {
        return Err(Error::Labels(format!(
            "{n} row(s): a train/test split needs at least 2"
        )));
    }
    let groups = by_class(y);
    if let Some((c, g)) = groups
        .iter()
        .enumerate()
        .find(|(_, g)| !g.is_empty() && g.len() < 2)
    {
        return Err(Error::Labels(format!(
            "class {c} has {} row(s); stratified splitting needs at least 2 per class",
            g.len()
        )));
    }
    let n_test = ((test_size * n as f64).ceil() as usize).clamp(1, n.saturating_sub(1));
    // Largest-remainder allocation of n_test over the classes.
    let exact: Vec<f64> = groups
        .iter()
        .map(|g| n_test as f64 * g.len() as f64 / n as f64)
        .collect();
    let mut alloc: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.partial_cmp(&ra).unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut left = n_test - alloc.iter().sum::<usize>();
    for &c in order.iter().cycle().take(order.len() * 2) {
        if left == 0 {
            break;
        }
        if alloc[c] < groups[c].len().saturating_sub(1) {
            alloc[c] += 1;
            left -= 1;
        }
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (g, &t) in groups.iter().zip(&alloc) {
        let mut g = g.clone();
        g.shuffle(&mut rng);
        test.extend_from_slice(&g[..t]);
        train.extend_from_slice(&g[t..]);
    }
    train.shuffle(&mut rng);
    test.shuffle(&mut rng);
    Ok(Fold { train, test })
}

/// Stratified train/test split of `x` and `y` (see [`stratified_split`]).
///
/// # Errors
/// As [`stratified_split`], and when `x` and `y` differ in length.
pub fn train_test_split(
    x: &Array2<f64>,
    y: &[usize],
    test_size: f64,
    seed: u64,
) -> Result<TrainTest> {
    check_len(x, y)?;
    let fold = stratified_split(y, test_size, seed)?;
    Ok(TrainTest {
        x_train: take_rows(x, &fold.train),
        y_train: take_labels(y, &fold.train),
        x_test: take_rows(x, &fold.test),
        y_test: take_labels(y, &fold.test),
        fold,
    })
}

/// Rows and labels agree ([`Error::Shape`]) and there is at least one ([`Error::Labels`]).
pub(crate) use crate::models::api::check_len;

/// Stratified k-fold: each class's rows are shuffled and dealt round-robin over the `k` folds
/// (the dealing continues from class to class, so fold sizes differ by at most one). Fold `i`
/// tests on its rows and trains on the rest.
///
/// # Errors
/// [`Error::Parameter`] when `k < 2` or `k` exceeds the number of rows.
pub fn stratified_kfold(y: &[usize], k: usize, seed: u64) -> Result<Vec<Fold>> {
    check_k(y.len(), k)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut member = vec![0usize; y.len()];
    let mut next = 0usize;
    for g in by_class(y) {
        let mut g = g;
        g.shuffle(&mut rng);
        for i in g {
            member[i] = next % k;
            next += 1;
        }
    }
    Ok(folds_from(&member, k))
}

/// `repeats` stratified k-folds, each with its own seed drawn from `seed`: `k · repeats` folds.
///
/// # Errors
/// As [`stratified_kfold`], and when `repeats` is 0.
pub fn repeated_stratified_kfold(
    y: &[usize],
    k: usize,
    repeats: usize,
    seed: u64,
) -> Result<Vec<Fold>> {
    if repeats == 0 {
        return Err(Error::parameter("repeats", 0, "must be at least 1"));
    }
    let mut out = Vec::with_capacity(k * repeats);
    for r in 0..repeats {
        out.extend(stratified_kfold(
            y,
            k,
            seed.wrapping_add(r as u64 * 0x9e37_79b9),
        )?);
    }
    Ok(out)
}

/// Plain (unstratified) shuffled k-fold over `n` rows.
///
/// # Errors
/// [`Error::Parameter`] when `k < 2` or `k > n`.
pub fn kfold(n: usize, k: usize, seed: u64) -> Result<Vec<Fold>> {
    check_k(n, k)?;
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(&mut StdRng::seed_from_u64(seed));
    let mut member = vec![0usize; n];
    for (pos, i) in idx.into_iter().enumerate() {
        member[i] = pos % k;
    }
    Ok(folds_from(&member, k))
}

/// `repeats` plain shuffled k-folds over `n` rows, each with its own seed drawn from `seed`:
/// `k · repeats` folds (scikit-learn's `RepeatedKFold`, for regression targets).
///
/// # Errors
/// [`Error::Parameter`] when `repeats` is 0 or `k` is not in 2 ..= `n`.
pub fn repeated_kfold(n: usize, k: usize, repeats: usize, seed: u64) -> Result<Vec<Fold>> {
    if repeats == 0 {
        return Err(Error::parameter("repeats", 0, "must be at least 1"));
    }
    if k < 2 || k > n {
        return Err(Error::parameter(
            "folds",
            k,
            format!("must be in 2 ..= rows ({n})"),
        ));
    }
    let mut out = Vec::with_capacity(k * repeats);
    for r in 0..repeats {
        out.extend(kfold(n, k, seed.wrapping_add(r as u64 * 0x9e37_79b9))?);
    }
    Ok(out)
}

fn check_k(n: usize, k: usize) -> Result<()> {
    if k < 2 || k > n {
        return Err(Error::parameter(
            "folds",
            k,
            format!("must be in 2 ..= rows ({n})"),
        ));
    }
    Ok(())
}

fn folds_from(member: &[usize], k: usize) -> Vec<Fold> {
    (0..k)
        .map(|f| Fold {
            train: (0..member.len()).filter(|&i| member[i] != f).collect(),
            test: (0..member.len()).filter(|&i| member[i] == f).collect(),
        })
        .collect()
}
