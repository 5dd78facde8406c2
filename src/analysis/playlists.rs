//! Playlists against listening: which plays fall in which playlist (by Spotify track id where the
//! play has one, else by normalised artist and title), per-playlist plays and time, normalised
//! listening time, and each playlist's average feature profile.

use super::columns::f64_values;
use super::join::str_values;
use super::normalise::{artist_key, artist_keys, title_key};
use crate::error::{Error, Result};
use crate::schema::{playlists, plays, tracks};
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// Column of [`PlaylistPlays::df`] saying how a play was tied to the playlist: `"id"` or `"name"`.
pub const JOINED_BY: &str = "joined_by";

/// The names of the genre playlists of an export's playlist table: those named `genre_…`
/// except `genre_unsorted`, each once, sorted.
///
/// # Errors
/// [`Error::Column`] when the table has no `playlist` column.
pub fn genre_playlists(memberships: &DataFrame) -> Result<Vec<String>> {
    let names: std::collections::BTreeSet<String> =
        str_values(memberships, "playlists", playlists::PLAYLIST)?
            .into_iter()
            .flatten()
            .filter(|n| n.starts_with("genre_") && n != "genre_unsorted")
            .collect();
    Ok(names.into_iter().collect())
}

/// Plays that fall in playlists: one row per (playlist, play), as the write-up's merge.
#[derive(Debug, Clone)]
pub struct PlaylistPlays {
    /// `playlist`, then the plays columns, then [`JOINED_BY`].
    pub df: DataFrame,
    pub plays: usize,
    /// Plays found in at least one playlist by track id, and by name only.
    pub plays_by_id: usize,
    pub plays_by_name: usize,
}

impl fmt::Display for PlaylistPlays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = self.plays_by_id + self.plays_by_name;
        write!(
            f,
            "{} of {} plays ({:.1}%) are in a playlist: {} by track id, {} by normalised artist and title; {} (playlist, play) rows",
            found,
            self.plays,
            100.0 * found as f64 / self.plays.max(1) as f64,
            self.plays_by_id,
            self.plays_by_name,
            self.df.height()
        )
    }
}

/// A membership table (`playlist`, `track_id`) from a catalogue's `label` column: each label
/// (a genre, a playlist) becomes a playlist of the distinct track ids filed under it.
pub fn memberships_from_labels(catalogue: &DataFrame) -> Result<DataFrame> {
    let labels = str_values(catalogue, "tracks", tracks::LABEL)?;
    let ids = str_values(catalogue, "tracks", tracks::TRACK_ID)?;
    let mut seen = HashSet::new();
    let (mut p, mut t) = (vec![], vec![]);
    for (l, id) in labels.into_iter().zip(ids) {
        if let (Some(l), Some(id)) = (l, id)
            && seen.insert((l.clone(), id.clone()))
        {
            p.push(l);
            t.push(id);
        }
    }
    Ok(DataFrame::new(
        p.len(),
        vec![
            Column::new(playlists::PLAYLIST.into(), p),
            Column::new(playlists::TRACK_ID.into(), t),
        ],
    )?)
}

/// Each playlist of a membership table (`playlist`, `track_id`) with its distinct track ids.
fn playlist_sets(members: &DataFrame) -> Result<BTreeMap<String, HashSet<String>>> {
    let m_pl = str_values(members, "playlists", playlists::PLAYLIST)?;
    let m_id = str_values(members, "playlists", playlists::TRACK_ID)?;
    let mut sets: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for (p, id) in m_pl.into_iter().zip(m_id) {
        if let (Some(p), Some(id)) = (p, id) {
            sets.entry(p).or_default().insert(id);
        }
    }
    Ok(sets)
}

/// Ties plays to playlists. `members` has `playlist` and `track_id` (a playlists table, or
/// [`memberships_from_labels`]); `catalogue` is a tracks table naming those ids (for the name
/// match). A play with a track id matches the playlists holding that id; a play without one, or
/// whose id is in no playlist (another release of the same song), matches by normalised (artist,
/// title) against every artist of the playlist tracks. A play in
/// several playlists gives one row per playlist.
pub fn playlist_plays(
    plays_df: &DataFrame,
    members: &DataFrame,
    catalogue: &DataFrame,
) -> Result<PlaylistPlays> {
    let m_pl = str_values(members, "playlists", playlists::PLAYLIST)?;
    let m_id = str_values(members, "playlists", playlists::TRACK_ID)?;
    let mut by_id: HashMap<String, Vec<String>> = HashMap::new();
    for (p, id) in m_pl.into_iter().zip(m_id) {
        if let (Some(p), Some(id)) = (p, id) {
            let v = by_id.entry(id).or_default();
            if !v.contains(&p) {
                v.push(p);
            }
        }
    }
    let c_id = str_values(catalogue, "tracks", tracks::TRACK_ID)?;
    let c_name = str_values(catalogue, "tracks", tracks::NAME)?;
    let c_artists = str_values(catalogue, "tracks", tracks::ARTISTS)?;
    let mut by_name: HashMap<(String, String), Vec<String>> = HashMap::new();
    for i in 0..catalogue.height() {
        let (Some(id), Some(name), Some(artists)) = (&c_id[i], &c_name[i], &c_artists[i]) else {
            continue;
        };
        let Some(pls) = by_id.get(id) else { continue };
        let t = title_key(name);
        for a in artist_keys(artists) {
            let v = by_name.entry((a, t.clone())).or_default();
            for p in pls {
                if !v.contains(p) {
                    v.push(p.clone());
                }
            }
        }
    }
    let p_id = str_values(plays_df, "plays", plays::TRACK_ID)?;
    let p_artist = str_values(plays_df, "plays", plays::ARTIST)?;
    let p_track = str_values(plays_df, "plays", plays::TRACK)?;
    let (mut take, mut pl, mut how) = (vec![], vec![], vec![]);
    let (mut n_id, mut n_name) = (0, 0);
    for i in 0..plays_df.height() {
        let (hits, kind) = if let Some(h) = p_id[i].as_ref().and_then(|id| by_id.get(id)) {
            n_id += 1;
            (h, "id")
        } else if let Some(h) = by_name.get(&(
            artist_key(p_artist[i].as_deref().unwrap_or("")),
            title_key(p_track[i].as_deref().unwrap_or("")),
        )) {
            n_name += 1;
            (h, "name")
        } else {
            continue;
        };
        for p in hits {
            take.push(i as IdxSize);
            pl.push(p.clone());
            how.push(kind);
        }
    }
    let idx = IdxCa::from_vec("idx".into(), take);
    let picked = plays_df.take(&idx)?;
    let mut cols = vec![Column::new(playlists::PLAYLIST.into(), pl)];
    cols.extend(picked.columns().iter().cloned());
    cols.push(Column::new(JOINED_BY.into(), how));
    let df = DataFrame::new(picked.height(), cols)?;
    Ok(PlaylistPlays {
        df,
        plays: plays_df.height(),
        plays_by_id: n_id,
        plays_by_name: n_name,
    })
}

/// Per playlist: `playlist`, `tracks` (in the playlist), `plays`, `hours`, `days` listened,
/// `mean_track_minutes` (mean catalogue length of the playlist's tracks) and
/// `plays_per_track`, the write-up's "normalised listening time": time listened ÷ (tracks × mean
/// track length). `duration` is the plays' duration column in ms. Sorted by hours, most first;
/// playlists without plays are included with zeros.
pub fn playlist_stats(
    pp: &PlaylistPlays,
    members: &DataFrame,
    catalogue: &DataFrame,
    duration: &str,
) -> Result<DataFrame> {
    let c_id = str_values(catalogue, "tracks", tracks::TRACK_ID)?;
    let c_len = f64_values(catalogue, "tracks", tracks::DURATION_MS)?;
    let len_of: HashMap<&str, f64> = c_id
        .iter()
        .zip(&c_len)
        .filter_map(|(id, l)| Some((id.as_deref()?, (*l)?)))
        .collect();
    #[derive(Default)]
    struct S {
        tracks: HashSet<String>,
        plays: usize,
        ms: f64,
    }
    let mut stats: BTreeMap<String, S> = playlist_sets(members)?
        .into_iter()
        .map(|(p, tracks)| {
            (
                p,
                S {
                    tracks,
                    ..Default::default()
                },
            )
        })
        .collect();
    let pls = str_values(&pp.df, "playlist plays", playlists::PLAYLIST)?;
    let dur = f64_values(&pp.df, "playlist plays", duration)?;
    for (p, d) in pls.iter().zip(&dur) {
        if let Some(p) = p {
            let s = stats.entry(p.clone()).or_default();
            s.plays += 1;
            s.ms += d.unwrap_or(0.0);
        }
    }
    let mut rows: Vec<(String, S)> = stats.into_iter().collect();
    rows.sort_by(|a, b| b.1.ms.total_cmp(&a.1.ms).then_with(|| a.0.cmp(&b.0)));
    let mean_len = |s: &S| {
        let l: Vec<f64> = s
            .tracks
            .iter()
            .filter_map(|t| len_of.get(t.as_str()).copied())
            .collect();
        (!l.is_empty()).then(|| l.iter().sum::<f64>() / l.len() as f64)
    };
    let n = rows.len();
    Ok(DataFrame::new(
        n,
        vec![
            Column::new(
                playlists::PLAYLIST.into(),
                rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "tracks".into(),
                rows.iter()
                    .map(|r| r.1.tracks.len() as i64)
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "plays".into(),
                rows.iter().map(|r| r.1.plays as i64).collect::<Vec<_>>(),
            ),
            Column::new(
                "hours".into(),
                rows.iter().map(|r| r.1.ms / 3.6e6).collect::<Vec<_>>(),
            ),
            Column::new(
                "days".into(),
                rows.iter().map(|r| r.1.ms / 8.64e7).collect::<Vec<_>>(),
            ),
            Column::new(
                "mean_track_minutes".into(),
                rows.iter()
                    .map(|r| mean_len(&r.1).map(|l| l / 60_000.0))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "plays_per_track".into(),
                rows.iter()
                    .map(|r| mean_len(&r.1).map(|l| r.1.ms / (r.1.tracks.len() as f64 * l)))
                    .collect::<Vec<_>>(),
            ),
        ],
    )?)
}

/// Each playlist's average feature profile over its distinct tracks that have the features:
/// `playlist`, `tracks` (with features), then the mean of each of `features`. `names` picks and
/// orders playlists (empty: all, alphabetically). A named playlist that is absent is an error.
pub fn playlist_profile(
    members: &DataFrame,
    catalogue: &DataFrame,
    names: &[&str],
    features: &[&str],
) -> Result<DataFrame> {
    let c_id = str_values(catalogue, "tracks", tracks::TRACK_ID)?;
    let feats: Vec<Vec<Option<f64>>> = features
        .iter()
        .map(|f| f64_values(catalogue, "tracks", f))
        .collect::<Result<_>>()?;
    let mut row_of: HashMap<&str, usize> = HashMap::new();
    for (i, id) in c_id.iter().enumerate() {
        if let Some(id) = id.as_deref() {
            row_of.entry(id).or_insert(i);
        }
    }
    let sets = playlist_sets(members)?;
    let order: Vec<String> = if names.is_empty() {
        sets.keys().cloned().collect()
    } else {
        for n in names {
            if !sets.contains_key(*n) {
                return Err(Error::InvalidParameter(format!(
                    "playlist `{n}` is not in the membership table (it has {} playlists)",
                    sets.len()
                )));
            }
        }
        names.iter().map(|s| s.to_string()).collect()
    };
    let mut counts = vec![];
    let mut means: Vec<Vec<Option<f64>>> = vec![vec![]; features.len()];
    for name in &order {
        let rows: Vec<usize> = sets[name]
            .iter()
            .filter_map(|id| row_of.get(id.as_str()).copied())
            .filter(|&r| feats.iter().all(|f| f[r].is_some()))
            .collect();
        counts.push(rows.len() as i64);
        for (j, f) in feats.iter().enumerate() {
            let s: f64 = rows.iter().filter_map(|&r| f[r]).sum();
            means[j].push((!rows.is_empty()).then(|| s / rows.len() as f64));
        }
    }
    let mut cols = vec![
        Column::new(playlists::PLAYLIST.into(), order.clone()),
        Column::new("tracks".into(), counts),
    ];
    for (j, f) in features.iter().enumerate() {
        cols.push(Column::new((*f).into(), std::mem::take(&mut means[j])));
    }
    Ok(DataFrame::new(order.len(), cols)?)
}
