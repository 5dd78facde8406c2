//! Joining plays to audio features: by Spotify track id where the play has one, else by
//! normalised (artist, title), with a coverage report.

use super::normalise::{artist_key, artist_keys, title_key};
use crate::error::{Error, Result};
use crate::schema::{self, plays, tracks};
use polars::prelude::*;
use std::collections::HashMap;
use std::fmt;

/// Name of the column saying how a play was matched: `"id"`, `"name"`, or null.
pub const MATCHED_BY: &str = "matched_by";
/// The catalogue track id a play was matched to.
pub const MATCHED_TRACK_ID: &str = "matched_track_id";
/// The matched catalogue track's duration.
pub const TRACK_DURATION_MS: &str = "track_duration_ms";

/// How many plays and distinct tracks found audio features.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub plays: usize,
    pub plays_matched_by_id: usize,
    pub plays_matched_by_name: usize,
    /// Distinct (artist, title) keys among the plays.
    pub distinct_tracks: usize,
    pub distinct_tracks_matched: usize,
    /// The most-played unmatched tracks: artist, track, plays (most first).
    pub top_unmatched: DataFrame,
}

impl Coverage {
    pub fn plays_matched(&self) -> usize {
        self.plays_matched_by_id + self.plays_matched_by_name
    }
    /// Share of plays with features, 0–1.
    pub fn play_share(&self) -> f64 {
        self.plays_matched() as f64 / self.plays.max(1) as f64
    }
    /// Share of distinct tracks with features, 0–1.
    pub fn track_share(&self) -> f64 {
        self.distinct_tracks_matched as f64 / self.distinct_tracks.max(1) as f64
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} plays have audio features ({:.1}%: {} by track id, {} by name); {} of {} distinct tracks ({:.1}%)",
            self.plays_matched(),
            self.plays,
            100.0 * self.play_share(),
            self.plays_matched_by_id,
            self.plays_matched_by_name,
            self.distinct_tracks_matched,
            self.distinct_tracks,
            100.0 * self.track_share()
        )
    }
}

/// Plays with audio features attached, and how many found them.
#[derive(Debug, Clone)]
pub struct Joined {
    /// The plays columns, then [`MATCHED_BY`], [`MATCHED_TRACK_ID`], [`TRACK_DURATION_MS`] and the
    /// twelve audio features (null where unmatched).
    pub df: DataFrame,
    pub coverage: Coverage,
}

pub(crate) fn need<'a>(df: &'a DataFrame, table: &str, name: &str) -> Result<&'a Column> {
    // A linear scan by name, not the cached schema: see `kernel` for why.
    df.columns()
        .iter()
        .find(|c| c.name().as_str() == name)
        .ok_or_else(|| Error::Column {
            table: table.to_string(),
            column: name.to_string(),
            found: df
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

pub(crate) fn str_values(df: &DataFrame, table: &str, name: &str) -> Result<Vec<Option<String>>> {
    let c = need(df, table, name)?;
    let s = c.cast(&DataType::String)?;
    Ok(s.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

/// Stacks several tracks tables (catalogues) into one, keeping the canonical columns only.
pub fn combine_tracks(frames: &[DataFrame]) -> Result<DataFrame> {
    let cols: Vec<&str> = tracks::COLUMNS
        .iter()
        .chain(schema::AUDIO_FEATURES.iter())
        .copied()
        .collect();
    let mut out: Option<DataFrame> = None;
    for f in frames {
        let mut picked = Vec::with_capacity(cols.len());
        for name in &cols {
            let c = need(f, "tracks", name)?;
            let target = match *name {
                tracks::DURATION_MS
                | tracks::POPULARITY
                | schema::KEY
                | schema::MODE
                | schema::TIME_SIGNATURE => DataType::Int64,
                n if schema::AUDIO_FEATURES.contains(&n) => DataType::Float64,
                _ => DataType::String,
            };
            picked.push(c.cast(&target)?);
        }
        let df = DataFrame::new(f.height(), picked)?;
        match out.as_mut() {
            None => out = Some(df),
            Some(o) => {
                o.vstack_mut_owned(df)?;
            }
        }
    }
    out.ok_or_else(|| Error::InvalidParameter("combine_tracks needs at least one table".into()))
}

/// Attaches audio features from `catalogue` (a tracks table) to `plays` (a plays table).
///
/// A play with a Spotify track id found in the catalogue matches by id; any other play matches
/// by normalised artist and title (see [`super::normalise`]), against every artist of a
/// catalogue credit. The first catalogue row of a track wins.
pub fn join_features(plays_df: &DataFrame, catalogue: &DataFrame) -> Result<Joined> {
    let cat_ids = str_values(catalogue, "tracks", tracks::TRACK_ID)?;
    let cat_names = str_values(catalogue, "tracks", tracks::NAME)?;
    let cat_artists = str_values(catalogue, "tracks", tracks::ARTISTS)?;
    let mut by_id: HashMap<&str, IdxSize> = HashMap::new();
    let mut by_name: HashMap<(String, String), IdxSize> = HashMap::new();
    for i in 0..catalogue.height() {
        let row = i as IdxSize;
        if let Some(id) = cat_ids[i].as_deref() {
            by_id.entry(id).or_insert(row);
        }
        if let (Some(name), Some(artists)) = (cat_names[i].as_deref(), cat_artists[i].as_deref()) {
            let t = title_key(name);
            for a in artist_keys(artists) {
                by_name.entry((a, t.clone())).or_insert(row);
            }
        }
    }

    // The plays' names are read in place (no copy per play), and each distinct (artist, track)
    // as written is normalised once: a history of millions of plays holds tens of thousands.
    let p_ids = need(plays_df, "plays", plays::TRACK_ID)?.cast(&DataType::String)?;
    let p_artists = need(plays_df, "plays", plays::ARTIST)?.cast(&DataType::String)?;
    let p_tracks = need(plays_df, "plays", plays::TRACK)?.cast(&DataType::String)?;
    let n = plays_df.height();
    let mut take: Vec<Option<IdxSize>> = Vec::with_capacity(n);
    let mut how: Vec<Option<&str>> = Vec::with_capacity(n);
    let (mut n_id, mut n_name) = (0usize, 0usize);
    // As written -> its entry; normalised key -> its entry. Entries: (artist, track as first
    // seen, plays, matched), with the catalogue row the normalised key finds.
    let mut as_written: HashMap<(&str, &str), usize> = HashMap::new();
    let mut normalised: HashMap<(String, String), usize> = HashMap::new();
    let mut distinct: Vec<(String, String, usize, bool)> = Vec::new();
    let mut name_hit: Vec<Option<IdxSize>> = Vec::new();
    let plays_iter = p_ids
        .str()?
        .iter()
        .zip(p_artists.str()?.iter())
        .zip(p_tracks.str()?.iter());
    for ((id, artist), track) in plays_iter {
        let (artist, track) = (artist.unwrap_or(""), track.unwrap_or(""));
        let e = match as_written.get(&(artist, track)) {
            Some(&e) => e,
            None => {
                let key = (artist_key(artist), title_key(track));
                let hit = by_name.get(&key).copied();
                let e = *normalised.entry(key).or_insert_with(|| {
                    distinct.push((artist.to_string(), track.to_string(), 0, false));
                    name_hit.push(hit);
                    distinct.len() - 1
                });
                as_written.insert((artist, track), e);
                e
            }
        };
        let hit = if let Some(&r) = id.and_then(|id| by_id.get(id)) {
            n_id += 1;
            how.push(Some("id"));
            Some(r)
        } else if let Some(r) = name_hit[e] {
            n_name += 1;
            how.push(Some("name"));
            Some(r)
        } else {
            how.push(None);
            None
        };
        take.push(hit);
        distinct[e].2 += 1;
        distinct[e].3 |= hit.is_some();
    }

    let idx = IdxCa::from_iter_options("idx".into(), take.into_iter());
    let mut feature_cols: Vec<&str> = vec![tracks::TRACK_ID, tracks::DURATION_MS];
    feature_cols.extend(schema::AUDIO_FEATURES);
    let mut picked = Vec::new();
    for name in &feature_cols {
        picked.push(need(catalogue, "tracks", name)?.clone());
    }
    let mut feats = DataFrame::new(catalogue.height(), picked)?.take(&idx)?;
    // Rename the catalogue's id and duration so they do not collide with the plays columns.
    let renamed: Vec<Column> = feats
        .columns()
        .iter()
        .map(|c| match c.name().as_str() {
            tracks::TRACK_ID => c.clone().with_name(MATCHED_TRACK_ID.into()),
            tracks::DURATION_MS => c.clone().with_name(TRACK_DURATION_MS.into()),
            _ => c.clone(),
        })
        .collect();
    feats = DataFrame::new(n, renamed)?;
    let mut cols: Vec<Column> = plays_df.columns().to_vec();
    cols.push(Column::new(MATCHED_BY.into(), how));
    cols.extend(feats.columns().iter().cloned());
    let df = DataFrame::new(n, cols)?;

    let mut top_unmatched = unmatched_frame(distinct.iter())?;
    top_unmatched = top_unmatched.head(Some(20));
    let coverage = Coverage {
        plays: n,
        plays_matched_by_id: n_id,
        plays_matched_by_name: n_name,
        distinct_tracks: distinct.len(),
        distinct_tracks_matched: distinct.iter().filter(|v| v.3).count(),
        top_unmatched,
    };
    Ok(Joined { df, coverage })
}

/// The tracks (artist, track as first seen, plays, any play matched) none of whose plays matched,
/// most played first (ties by artist, then track): columns `artist`, `track`, `plays`.
pub(crate) fn unmatched_frame<'a>(
    keys: impl Iterator<Item = &'a (String, String, usize, bool)>,
) -> Result<DataFrame> {
    let mut rows: Vec<&(String, String, usize, bool)> = keys.filter(|v| !v.3).collect();
    rows.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| a.0.cmp(&b.0))
            .then_with(|| a.1.cmp(&b.1))
    });
    Ok(DataFrame::new(
        rows.len(),
        vec![
            Column::new(
                "artist".into(),
                rows.iter().map(|v| v.0.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "track".into(),
                rows.iter().map(|v| v.1.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "plays".into(),
                rows.iter().map(|v| v.2 as i64).collect::<Vec<_>>(),
            ),
        ],
    )?)
}
