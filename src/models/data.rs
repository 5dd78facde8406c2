//! The classification dataset of the write-up: a user's playlists as classes. Each playlist
//! contributes its distinct tracks (first entry wins); a track in two playlists appears once in
//! each class, as in the original. Tracks without features (or with a null feature) are skipped
//! and counted per playlist, never dropped silently.

use crate::analysis::join::str_values;
use crate::error::{Error, Result};
use crate::loaders::PlaylistExport;
use crate::schema::{playlists, tracks};
use ndarray::Array2;
use polars::prelude::*;
use std::collections::{HashMap, HashSet};

/// The six broad genre playlists of the Exportify export `exportify-playlists-seankmchenry`, the
/// closest analogue of write-up 000's six classes (notebooks 07 and 08).
pub const SIX_GENRES: [&str; 6] = [
    "genre_hip-hop_rb",
    "genre_house__techno",
    "genre_pop_rock",
    "genre_jazz_jazz-funk",
    "genre_funk__soul",
    "genre_classical",
];

/// The ten features write-up 000's MLP reads (notebook 08): the seven descriptors
/// ([`crate::schema::DESCRIPTORS`]), then mode, loudness and tempo.
pub const MLP_FEATURES: [&str; 10] = [
    crate::schema::DANCEABILITY,
    crate::schema::ENERGY,
    crate::schema::SPEECHINESS,
    crate::schema::ACOUSTICNESS,
    crate::schema::INSTRUMENTALNESS,
    crate::schema::LIVENESS,
    crate::schema::VALENCE,
    crate::schema::MODE,
    crate::schema::LOUDNESS,
    crate::schema::TEMPO,
];

/// Features, labels and names of the playlist tracks (owned).
#[derive(Debug, Clone)]
pub struct PlaylistDataset {
    /// Rows × features.
    pub x: Array2<f64>,
    /// Class of each row: the index of its playlist in [`Self::classes`].
    pub y: Vec<usize>,
    /// Class names: the playlist names, in the order asked for.
    pub classes: Vec<String>,
    /// Feature column names, in the order of `x`'s columns.
    pub features: Vec<String>,
    /// Spotify track id, name and artists of each row (for display; not features).
    pub track_ids: Vec<String>,
    pub names: Vec<String>,
    pub artists: Vec<String>,
    /// Per class: playlist entries, distinct tracks, rows kept, rows skipped for missing features.
    pub entries: Vec<usize>,
    pub distinct: Vec<usize>,
    pub skipped: Vec<usize>,
}

impl PlaylistDataset {
    /// Rows per class.
    pub fn class_counts(&self) -> Vec<usize> {
        super::api::class_counts(&self.y, self.classes.len())
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Rows skipped for missing features, all classes.
    pub fn skipped_total(&self) -> usize {
        self.skipped.iter().sum()
    }

    /// At most `n` rows of each class, drawn at random (seeded) and kept in their original order;
    /// the per-class source counts (`entries`, `distinct`, `skipped`) stay those of the whole set.
    pub fn sample_per_class(&self, n: usize, seed: u64) -> PlaylistDataset {
        use rand::SeedableRng;
        use rand::seq::SliceRandom;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut keep: Vec<usize> = Vec::new();
        for c in 0..self.classes.len() {
            let mut rows: Vec<usize> = (0..self.y.len()).filter(|&i| self.y[i] == c).collect();
            rows.shuffle(&mut rng);
            rows.truncate(n);
            keep.extend(rows);
        }
        keep.sort_unstable();
        let pick = |v: &[String]| keep.iter().map(|&i| v[i].clone()).collect::<Vec<String>>();
        PlaylistDataset {
            x: self.x.select(ndarray::Axis(0), &keep),
            y: keep.iter().map(|&i| self.y[i]).collect(),
            classes: self.classes.clone(),
            features: self.features.clone(),
            track_ids: pick(&self.track_ids),
            names: pick(&self.names),
            artists: pick(&self.artists),
            entries: self.entries.clone(),
            distinct: self.distinct.clone(),
            skipped: self.skipped.clone(),
        }
    }

    /// One row per class: `class`, `label`, `entries`, `distinct_tracks`, `skipped_no_features`,
    /// `rows`.
    pub fn summary(&self) -> Result<DataFrame> {
        let k = self.classes.len();
        let u = |v: &[usize]| v.iter().map(|&n| n as u64).collect::<Vec<u64>>();
        Ok(DataFrame::new(
            k,
            vec![
                Column::new("class".into(), self.classes.clone()),
                Column::new("label".into(), (0..k as u32).collect::<Vec<u32>>()),
                Column::new("entries".into(), u(&self.entries)),
                Column::new("distinct_tracks".into(), u(&self.distinct)),
                Column::new("skipped_no_features".into(), u(&self.skipped)),
                Column::new("rows".into(), u(&self.class_counts())),
            ],
        )?)
    }
}

impl std::fmt::Display for PlaylistDataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} rows × {} features, {} classes; {} skipped (no features)",
            self.len(),
            self.features.len(),
            self.classes.len(),
            self.skipped_total()
        )
    }
}

/// Builds the dataset from the playlists `names` (the classes, in this order) of `export`, with
/// the feature columns `features` of its tracks table.
///
/// # Errors
/// `InvalidParameter` when a playlist is not in the export (the message lists those that are)
/// or no name is given; `Column` when a feature column is missing.
pub fn playlist_dataset(
    export: &PlaylistExport,
    names: &[&str],
    features: &[&str],
) -> Result<PlaylistDataset> {
    build(&export.playlists, &export.tracks, names, features)
}

/// The same from a catalogue's `label` column (e.g. TidyTuesday's `playlist_genre`): each label
/// in `labels` is a class of the distinct track ids filed under it.
///
/// # Errors
/// As [`playlist_dataset`], for labels.
pub fn label_dataset(
    catalogue: &DataFrame,
    labels: &[&str],
    features: &[&str],
) -> Result<PlaylistDataset> {
    let members = crate::analysis::memberships_from_labels(catalogue)?;
    build(&members, catalogue, labels, features)
}

/// `members`: `playlist`, `track_id`; `tracks`: a tracks table with the features.
fn build(
    members: &DataFrame,
    tracks_df: &DataFrame,
    names: &[&str],
    features: &[&str],
) -> Result<PlaylistDataset> {
    if names.is_empty() || features.is_empty() {
        return Err(Error::InvalidParameter(
            "playlist dataset: give at least one playlist and one feature".into(),
        ));
    }
    let pl = str_values(members, "playlists", playlists::PLAYLIST)?;
    let pl_ids = str_values(members, "playlists", playlists::TRACK_ID)?;
    let known: HashSet<&str> = pl.iter().flatten().map(String::as_str).collect();
    if let Some(missing) = names.iter().find(|n| !known.contains(**n)) {
        let mut all: Vec<&str> = known.into_iter().collect();
        all.sort_unstable();
        return Err(Error::InvalidParameter(format!(
            "no playlist `{missing}` in the export (playlists: {})",
            all.join(", ")
        )));
    }
    let t_ids = str_values(tracks_df, "tracks", tracks::TRACK_ID)?;
    let t_names = str_values(tracks_df, "tracks", tracks::NAME)?;
    let t_artists = str_values(tracks_df, "tracks", tracks::ARTISTS)?;
    let (fx, complete) = crate::bridge::to_array2_nullable(tracks_df, features)?;
    let row_of: HashMap<&str, usize> = t_ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| id.as_deref().map(|id| (id, i)))
        .collect();
    let class_of: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let k = names.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut seen: Vec<HashSet<&str>> = vec![HashSet::new(); k];
    let (mut entries, mut distinct, mut skipped) = (vec![0; k], vec![0; k], vec![0; k]);
    for (p, id) in pl.iter().zip(&pl_ids) {
        let (Some(p), Some(id)) = (p, id) else {
            continue;
        };
        let Some(&c) = class_of.get(p.as_str()) else {
            continue;
        };
        entries[c] += 1;
        if !seen[c].insert(id.as_str()) {
            continue;
        }
        distinct[c] += 1;
        match row_of.get(id.as_str()) {
            Some(&r) if complete[r] => members[c].push(r),
            _ => skipped[c] += 1,
        }
    }
    let rows: Vec<usize> = members.iter().flatten().copied().collect();
    let y: Vec<usize> = members
        .iter()
        .enumerate()
        .flat_map(|(c, m)| std::iter::repeat_n(c, m.len()))
        .collect();
    let text = |v: &[Option<String>]| -> Vec<String> {
        rows.iter()
            .map(|&r| v[r].clone().unwrap_or_default())
            .collect()
    };
    Ok(PlaylistDataset {
        x: fx.select(ndarray::Axis(0), &rows),
        y,
        classes: names.iter().map(|s| s.to_string()).collect(),
        features: features.iter().map(|s| s.to_string()).collect(),
        track_ids: text(&t_ids),
        names: text(&t_names),
        artists: text(&t_artists),
        entries,
        distinct,
        skipped,
    })
}

/// Each row of `df` as one sample: features from `features`, class from `label_column`. Classes
/// are `classes` in that order when given (rows of other labels left out), else every label in
/// sorted order. Rows with a null feature or label are skipped and counted per class (`skipped`;
/// a null label counts nowhere but in the difference between `df.height()` and the rows kept).
///
/// # Errors
/// A missing column; [`Error::Labels`] when no row has a label of `classes`.
pub fn table_dataset(
    df: &DataFrame,
    label_column: &str,
    classes: Option<&[&str]>,
    features: &[&str],
) -> Result<PlaylistDataset> {
    if features.is_empty() {
        return Err(Error::parameter(
            "features",
            "[]",
            "at least one feature column",
        ));
    }
    let labels = str_values(df, "table", label_column)?;
    let classes: Vec<String> = match classes {
        Some(c) => c.iter().map(|s| s.to_string()).collect(),
        None => {
            let mut all: Vec<String> = labels.iter().flatten().cloned().collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    };
    let class_of: HashMap<&str, usize> = classes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let (fx, complete) = crate::bridge::to_array2_nullable(df, features)?;
    let k = classes.len();
    let (mut rows, mut y) = (Vec::new(), Vec::new());
    let (mut entries, mut skipped) = (vec![0; k], vec![0; k]);
    for (r, label) in labels.iter().enumerate() {
        let Some(&c) = label.as_deref().and_then(|l| class_of.get(l)) else {
            continue;
        };
        entries[c] += 1;
        if complete[r] {
            rows.push(r);
            y.push(c);
        } else {
            skipped[c] += 1;
        }
    }
    if rows.is_empty() {
        return Err(Error::Labels(format!(
            "no row of `{label_column}` has a label of the classes asked for, with all features"
        )));
    }
    let text = |name: &str| -> Vec<String> {
        let v = str_values(df, "table", name).unwrap_or_else(|_| vec![None; df.height()]);
        rows.iter()
            .map(|&r| v[r].clone().unwrap_or_default())
            .collect()
    };
    Ok(PlaylistDataset {
        x: fx.select(ndarray::Axis(0), &rows),
        track_ids: text(tracks::TRACK_ID),
        names: text(tracks::NAME),
        artists: text(tracks::ARTISTS),
        y,
        classes,
        features: features.iter().map(|s| s.to_string()).collect(),
        distinct: entries.clone(),
        entries,
        skipped,
    })
}
