//! Per-class resampling to a target count, as write-up 003 balanced its genres before
//! classifying (its `upsample(n, categories)` with scikit-learn's `resample`):
//!
//! - a class with **fewer than n** rows is drawn **with** replacement up to n rows;
//! - a class with **more than 1.1 · n** rows is drawn **without** replacement down to n rows;
//! - a class with **n to 1.1 · n** rows (both included) is **kept as it is**.
//!
//! The 1.1 rule is the write-up's (`elif len(c) > (n * 1.1)`): a class at most 10 % above the
//! target keeps all its rows rather than losing a few to reach n exactly, so the balanced set can
//! hold up to 1.1 · n rows of such a class. A label of 0..k with no rows has nothing to draw from
//! and stays without rows.
//!
//! Draws are seeded (one generator for the whole call, classes in label order), so the same
//! labels, n and seed give the same rows. The write-up's draws came from numpy's generator, so
//! the rows differ from its rows, not the rule.
//!
//! ```no_run
//! use listening::models::resample_rows;
//! # let (x, y) = (ndarray::Array2::<f64>::zeros((4, 2)), vec![0, 0, 0, 1]);
//! let (xb, yb) = resample_rows(&x, &y, 2000, 123)?; // every class ~2,000 rows
//! # Ok::<(), listening::Error>(())
//! ```

use crate::error::{Error, Result};
use ndarray::{Array2, Axis};
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};

/// Indices of the rows of the resampled set (class by class in label order; within a class in
/// draw order, or the original order for a class kept as it is). Indices repeat where a class
/// was drawn with replacement.
///
/// # Errors
/// [`Error::Parameter`] for `n` = 0; [`Error::Labels`] for no labels.
pub fn resample_indices(y: &[usize], n: usize, seed: u64) -> Result<Vec<usize>> {
    if n == 0 {
        return Err(Error::parameter("n", 0, "at least 1 row per class"));
    }
    let k = super::api::n_classes(y, false)?;
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &c) in y.iter().enumerate() {
        rows[c].push(i);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(n * k);
    for class in rows {
        let c = class.len();
        if c == 0 {
            continue;
        } else if c < n {
            out.extend((0..n).map(|_| class[rng.gen_range(0..c)]));
        } else if c as f64 > 1.1 * n as f64 {
            out.extend(sample(&mut rng, c, n).into_iter().map(|j| class[j]));
        } else {
            out.extend(class);
        }
    }
    Ok(out)
}

/// The resampled rows and labels of `(x, y)` (e.g. a [`super::PlaylistDataset`]'s `x` and `y`),
/// from [`resample_indices`].
///
/// # Errors
/// As [`resample_indices`]; [`Error::Shape`] when `x` and `y` have different row counts.
pub fn resample_rows(
    x: &Array2<f64>,
    y: &[usize],
    n: usize,
    seed: u64,
) -> Result<(Array2<f64>, Vec<usize>)> {
    super::api::check_rows(x.nrows(), y.len())?;
    let idx = resample_indices(y, n, seed)?;
    Ok((x.select(Axis(0), &idx), idx.iter().map(|&i| y[i]).collect()))
}

/// A standard normal number (Box–Muller).
pub(crate) fn normal(rng: &mut StdRng) -> f64 {
    let u: f64 = 1.0 - rng.r#gen::<f64>();
    let v: f64 = rng.r#gen::<f64>();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// `(x, y)` followed by `round(fraction · rows)` jittered copies of its rows: artificial
/// training data as write-up 001 added a quarter of it (`fraction` 0.25). The copied rows are
/// drawn seeded, without replacement while `fraction` ≤ 1 (with replacement beyond); each feature
/// of a copy gets Gaussian noise of standard deviation `noise` × that feature's standard
/// deviation in `x` (population), so the noise is on each feature's own scale; the copy keeps its
/// row's target. Integer-valued features (key, mode) come out fractional: scale or drop them
/// first if that matters.
///
/// Augment the **training** rows only: copies of a row that is later held out leak it.
///
/// # Errors
/// [`Error::Shape`] when `y` does not fit `x`; [`Error::Parameter`] for a negative or non-finite
/// `fraction` or `noise`; [`Error::Labels`] for no rows.
pub fn jitter_rows<T: Clone>(
    x: &Array2<f64>,
    y: &[T],
    fraction: f64,
    noise: f64,
    seed: u64,
) -> Result<(Array2<f64>, Vec<T>)> {
    super::api::check_rows(x.nrows(), y.len())?;
    if !(fraction.is_finite() && fraction >= 0.0) {
        return Err(Error::parameter("fraction", fraction, "≥ 0"));
    }
    if !(noise.is_finite() && noise >= 0.0) {
        return Err(Error::parameter("noise", noise, "≥ 0"));
    }
    let n = x.nrows();
    if n == 0 {
        return Err(Error::Labels("no rows to copy".into()));
    }
    let m = (fraction * n as f64).round() as usize;
    let mut rng = StdRng::seed_from_u64(seed);
    let idx: Vec<usize> = if m <= n {
        sample(&mut rng, n, m).into_vec()
    } else {
        (0..m).map(|_| rng.gen_range(0..n)).collect()
    };
    let sd = x.std_axis(Axis(0), 0.0);
    let mut copies = x.select(Axis(0), &idx);
    for mut row in copies.rows_mut() {
        for (v, s) in row.iter_mut().zip(sd.iter()) {
            *v += noise * s * normal(&mut rng);
        }
    }
    let xa = ndarray::concatenate(Axis(0), &[x.view(), copies.view()])
        .map_err(|e| Error::Shape(e.to_string()))?;
    let mut ya = y.to_vec();
    ya.extend(idx.iter().map(|&i| y[i].clone()));
    Ok((xa, ya))
}
