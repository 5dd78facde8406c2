//! A distance-based recommender, as write-up 003's second half: the tracks of a catalogue
//! nearest, in standardised audio-feature space, to one track or to the mean of a set of liked
//! tracks.
//!
//! - Features are standardised (mean 0, standard deviation 1 per column) over the catalogue rows
//!   searched, so tempo in BPM does not outweigh danceability in 0–1.
//! - Rows with a null (or non-finite) value in any of the features are left out of the search and
//!   counted in [`Recommendations::skipped`].
//! - The seeds themselves are never recommended: every row carrying a seed's track id is passed
//!   over. A track id on several rows (TidyTuesday files a track once per playlist) is
//!   recommended once, at its nearest row; a seed on several rows is placed at its first complete
//!   row.
//! - Distances are euclidean; ties go to the earlier catalogue row.
//!
//! ```no_run
//! use listening::models::recommend;
//! use listening::schema::DESCRIPTORS;
//! # let tracks = polars::prelude::DataFrame::empty();
//! let recs = recommend(&tracks, &DESCRIPTORS, &["4uLU6hMCjMI75M1A2tKUQC"], 10)?;
//! println!("{recs}"); // the table, with how many rows were left out
//! # Ok::<(), listening::Error>(())
//! ```

use super::scaler::StandardScaler;
use crate::analysis::join::{need, str_values};
use crate::bridge::to_array2_nullable;
use crate::error::{Error, Result};
use crate::schema::tracks;
use ndarray::{Array1, Axis};
use polars::prelude::*;
use std::collections::HashSet;

/// Name of the distance column of [`Recommendations::table`].
pub const DISTANCE: &str = "distance";
/// Name of the rank column (1 = nearest) of [`Recommendations::table`].
pub const RANK: &str = "rank";

/// The nearest tracks to the seeds, and what the search left out (owned; displays itself).
#[derive(Debug, Clone)]
pub struct Recommendations {
    /// `rank` (u32, from 1), the catalogue's `track_id`, `name` and `artists` where it has them,
    /// and `distance` (f64, in standardised units), nearest first.
    pub table: DataFrame,
    /// The seed track ids, as given.
    pub seeds: Vec<String>,
    /// The feature columns compared.
    pub features: Vec<String>,
    /// Catalogue rows searched (every feature present), seeds' rows included.
    pub searched: usize,
    /// Catalogue rows left out for a null or non-finite feature.
    pub skipped: usize,
}

impl std::fmt::Display for Recommendations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.seeds.len() {
            1 => "track".to_string(),
            n => format!("mean of {n} tracks"),
        };
        writeln!(
            f,
            "{} tracks nearest to the {what} in {} standardised features; {} catalogue rows \
             searched, {} left out (null feature)",
            self.table.height(),
            self.features.len(),
            self.searched,
            self.skipped
        )?;
        write!(f, "{}", self.table)
    }
}

/// The `n` tracks of `catalogue` (a tracks table, see [`crate::schema::tracks`]) nearest to the
/// track `seeds[0]`, or to the mean of the tracks `seeds`, over the feature columns `features`
/// (e.g. [`crate::schema::DESCRIPTORS`]). Fewer than `n` when the catalogue holds fewer other
/// tracks.
///
/// # Errors
/// [`Error::Parameter`] for `n` = 0, no seeds or features, or a seed id that is not in the
/// catalogue or has a null feature; [`Error::Column`] for a missing column; [`Error::Shape`] when
/// no row has every feature.
pub fn recommend(
    catalogue: &DataFrame,
    features: &[&str],
    seeds: &[&str],
    n: usize,
) -> Result<Recommendations> {
    if n == 0 {
        return Err(Error::parameter("n", 0, "at least 1 track"));
    }
    if seeds.is_empty() || features.is_empty() {
        let (name, what) = if seeds.is_empty() {
            ("seeds", "at least one track id")
        } else {
            ("features", "at least one feature column")
        };
        return Err(Error::parameter(name, "[]", what));
    }
    let ids = str_values(catalogue, "tracks", tracks::TRACK_ID)?;
    let (m, complete) = to_array2_nullable(catalogue, features)?;
    let rows: Vec<usize> = (0..m.nrows()).filter(|&i| complete[i]).collect();
    if rows.is_empty() {
        return Err(Error::Shape(format!(
            "no catalogue row has all of {}",
            features.join(", ")
        )));
    }
    let z = {
        let x = m.select(Axis(0), &rows);
        StandardScaler::fit(&x)?.transform(&x)?
    };
    let query = seed_mean(&z, &rows, &ids, seeds)?;
    let mut dist: Vec<(f64, usize)> = z
        .rows()
        .into_iter()
        .enumerate()
        .map(|(p, r)| ((&r - &query).mapv(|v| v * v).sum().sqrt(), p))
        .collect();
    dist.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut seen: HashSet<&str> = seeds.iter().copied().collect();
    let mut picked: Vec<(f64, usize)> = Vec::with_capacity(n);
    for (d, p) in dist {
        let row = rows[p];
        match ids[row].as_deref() {
            Some(id) if !seen.insert(id) => continue,
            _ => picked.push((d, row)),
        }
        if picked.len() == n {
            break;
        }
    }
    Ok(Recommendations {
        table: table(catalogue, &picked)?,
        seeds: seeds.iter().map(|s| s.to_string()).collect(),
        features: features.iter().map(|s| s.to_string()).collect(),
        searched: rows.len(),
        skipped: m.nrows() - rows.len(),
    })
}

/// Mean of the standardised rows of the seeds (each at its first complete row).
fn seed_mean(
    z: &ndarray::Array2<f64>,
    rows: &[usize],
    ids: &[Option<String>],
    seeds: &[&str],
) -> Result<Array1<f64>> {
    let mut sum = Array1::<f64>::zeros(z.ncols());
    for seed in seeds {
        let at = rows.iter().position(|&r| ids[r].as_deref() == Some(*seed));
        let Some(p) = at else {
            let expected = if ids.iter().any(|id| id.as_deref() == Some(*seed)) {
                "a track with every feature (its rows have a null feature)"
            } else {
                "a track_id of the catalogue"
            };
            return Err(Error::parameter("seeds", seed, expected));
        };
        sum += &z.row(p);
    }
    Ok(sum / seeds.len() as f64)
}

/// `rank`, the identifying columns present, `distance`, for catalogue rows `picked`.
fn table(catalogue: &DataFrame, picked: &[(f64, usize)]) -> Result<DataFrame> {
    let h = picked.len();
    let idx = IdxCa::from_vec(
        "idx".into(),
        picked.iter().map(|p| p.1 as IdxSize).collect(),
    );
    let mut cols = vec![Column::new(
        RANK.into(),
        (1..=h as u32).collect::<Vec<u32>>(),
    )];
    for name in [tracks::TRACK_ID, tracks::NAME, tracks::ARTISTS] {
        if let Ok(c) = need(catalogue, "tracks", name) {
            cols.push(c.take(&idx)?);
        }
    }
    cols.push(Column::new(
        DISTANCE.into(),
        picked.iter().map(|p| p.0).collect::<Vec<f64>>(),
    ));
    Ok(DataFrame::new(h, cols)?)
}
