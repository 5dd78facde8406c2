//! Features for every play from several sources tried in order, with provenance:
//! [`features_for`].
//!
//! A source is a table of features and the key it is matched by ([`FeatureSource`]):
//! - a catalogue (the crate's tracks table, or any table with `track_id`) by the play's Spotify
//!   track id ([`FeatureSource::by_track_id`]); ReccoBeats' answer (feature `online`) is such a
//!   table;
//! - an AcousticBrainz table ([`super::acousticbrainz`]) by the play's MusicBrainz recording id
//!   ([`FeatureSource::by_mbid`]);
//! - a catalogue by normalised artist and title, as [`crate::analysis::join_features`] matches
//!   ([`FeatureSource::by_names`]);
//! - any table by equal values of a plays column and a table column
//!   ([`FeatureSource::by_column`]): the features of one's own audio files, for instance.
//!
//! Each play takes **all** its features from the first source, in the order given, that has
//! its key; `feature_source` names it (null: none had it). A source without one of the crate's
//! twelve feature columns leaves it null for the plays it matched (AcousticBrainz has no
//! `energy`): values of one play are never mixed from two sources.

use crate::analysis::normalise::{artist_key, artist_keys, title_key};
use crate::error::Result;
use crate::schema::{self, plays, tracks};
use polars::prelude::*;
use std::collections::HashMap;

/// Column of the result naming the source a play's features came from (null: none).
pub const FEATURE_SOURCE: &str = "feature_source";
/// Column of the result saying by which key the source matched: `track_id`, `mbid`, `names`,
/// or the plays column of a [`FeatureSource::by_column`] source.
pub const FEATURE_MATCHED_BY: &str = "feature_matched_by";
/// The coverage table's name for plays no source had.
pub const MISSING: &str = "(missing)";
/// The plays column holding the MusicBrainz recording id, by default.
pub const RECORDING_MBID: &str = "recording_mbid";

/// How a source is matched to plays.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    /// plays `track_id` = table `track_id`.
    TrackId,
    /// plays `<column>` = table `mbid` (case-insensitive).
    Mbid(String),
    /// Normalised (artist, title) of the play = normalised (an artist of `artists`, `name`).
    Names,
    /// plays `<.0>` = table `<.1>`.
    Column(String, String),
}

/// A table of features and how it is matched to plays (see the module doc).
#[derive(Debug, Clone)]
pub struct FeatureSource {
    name: String,
    table: DataFrame,
    key: Key,
}

impl FeatureSource {
    /// `table` (with a `track_id` column) matched by the play's Spotify track id.
    pub fn by_track_id(name: impl Into<String>, table: DataFrame) -> Self {
        FeatureSource {
            name: name.into(),
            table,
            key: Key::TrackId,
        }
    }

    /// `table` (with an `mbid` column, as [`super::acousticbrainz`] reads it) matched by the
    /// play's recording MBID in column [`RECORDING_MBID`] (see [`Self::plays_column`]).
    pub fn by_mbid(name: impl Into<String>, table: DataFrame) -> Self {
        FeatureSource {
            name: name.into(),
            table,
            key: Key::Mbid(RECORDING_MBID.into()),
        }
    }

    /// `table` (with `name` and `artists` columns, a tracks table) matched by normalised artist
    /// and title, as [`crate::analysis::join_features`] does.
    pub fn by_names(name: impl Into<String>, table: DataFrame) -> Self {
        FeatureSource {
            name: name.into(),
            table,
            key: Key::Names,
        }
    }

    /// `table` matched where the plays' column `plays_column` equals its column `table_column`.
    pub fn by_column(
        name: impl Into<String>,
        table: DataFrame,
        plays_column: impl Into<String>,
        table_column: impl Into<String>,
    ) -> Self {
        FeatureSource {
            name: name.into(),
            table,
            key: Key::Column(plays_column.into(), table_column.into()),
        }
    }

    /// For a [`Self::by_mbid`] source: the plays column holding the MBID (default
    /// [`RECORDING_MBID`]; Last.fm exports call it `track_mbid`). No effect on other sources.
    pub fn plays_column(mut self, column: impl Into<String>) -> Self {
        if let Key::Mbid(c) = &mut self.key {
            *c = column.into();
        }
        self
    }

    /// The source's name, as `feature_source` shows it.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn matched_by(&self) -> String {
        match &self.key {
            Key::TrackId => "track_id".into(),
            Key::Mbid(_) => "mbid".into(),
            Key::Names => "names".into(),
            Key::Column(p, _) => p.clone(),
        }
    }
}

/// Plays with features and where each came from.
#[derive(Debug, Clone)]
pub struct PlaysWithFeatures {
    /// The plays columns, then [`FEATURE_SOURCE`], [`FEATURE_MATCHED_BY`] and the twelve
    /// [`schema::AUDIO_FEATURES`] (null where the play's source has none).
    pub df: DataFrame,
    /// One row per source in the order given, then [`MISSING`]: `source`, `matched_by`,
    /// `plays`, `play_share` (0–1), `distinct_tracks`. Plays sum to the plays given; distinct
    /// tracks (normalised artist and title) sum to the distinct tracks among them, a track whose
    /// plays found features from several sources being counted under the first in order.
    pub coverage: DataFrame,
}

fn column<'a>(df: &'a DataFrame, table: &str, name: &str) -> Result<&'a Column> {
    crate::analysis::join::need(df, table, name)
}

/// A column's values as strings (null stays null).
fn strings(c: &Column) -> Result<StringChunked> {
    Ok(c.cast(&DataType::String)?.str()?.clone())
}

/// The table's row for each key value (the first row of a key wins).
fn index_of(values: &StringChunked, fold: bool) -> HashMap<String, IdxSize> {
    let mut out = HashMap::new();
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
            let k = if fold {
                v.to_lowercase()
            } else {
                v.to_string()
            };
            out.entry(k).or_insert(i as IdxSize);
        }
    }
    out
}

/// What one source looks a play up by.
enum Lookup {
    /// Values of a plays column, found in an index.
    Exact {
        plays: StringChunked,
        index: HashMap<String, IdxSize>,
        fold: bool,
    },
    /// Normalised names, found through the distinct-track table.
    Names(HashMap<(String, String), IdxSize>),
}

/// Features for every play, from `sources` tried in the order given (see the module doc).
///
/// `plays` is a plays table ([`schema::plays`]); a [`FeatureSource::by_mbid`] source needs the
/// MBID column it names in it, and each source the key columns of its table: a missing column
/// is [`Error::Column`] naming it. Every play is in the result, in its order; the coverage table
/// accounts for each ([`PlaysWithFeatures::coverage`]).
pub fn features_for(plays_df: &DataFrame, sources: &[FeatureSource]) -> Result<PlaysWithFeatures> {
    let n = plays_df.height();
    let p_artists = strings(column(plays_df, "plays", plays::ARTIST)?)?;
    let p_tracks = strings(column(plays_df, "plays", plays::TRACK)?)?;

    // Each play's distinct track (normalised artist, title); each distinct as-written pair is
    // normalised once.
    let mut as_written: HashMap<(&str, &str), usize> = HashMap::new();
    let mut distinct: HashMap<(String, String), usize> = HashMap::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut track_of: Vec<usize> = Vec::with_capacity(n);
    for (a, t) in p_artists.iter().zip(p_tracks.iter()) {
        let (a, t) = (a.unwrap_or(""), t.unwrap_or(""));
        let e = match as_written.get(&(a, t)) {
            Some(&e) => e,
            None => {
                let key = (artist_key(a), title_key(t));
                let e = *distinct.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    keys.len() - 1
                });
                as_written.insert((a, t), e);
                e
            }
        };
        track_of.push(e);
    }

    let mut lookups = Vec::with_capacity(sources.len());
    for s in sources {
        let table = format!("feature source `{}`", s.name);
        lookups.push(match &s.key {
            Key::TrackId => Lookup::Exact {
                plays: strings(column(plays_df, "plays", plays::TRACK_ID)?)?,
                index: index_of(
                    &strings(column(&s.table, &table, tracks::TRACK_ID)?)?,
                    false,
                ),
                fold: false,
            },
            Key::Mbid(pc) => Lookup::Exact {
                plays: strings(column(plays_df, "plays", pc)?)?,
                index: index_of(
                    &strings(column(&s.table, &table, super::acousticbrainz::MBID)?)?,
                    true,
                ),
                fold: true,
            },
            Key::Column(pc, tc) => Lookup::Exact {
                plays: strings(column(plays_df, "plays", pc)?)?,
                index: index_of(&strings(column(&s.table, &table, tc)?)?, false),
                fold: false,
            },
            Key::Names => {
                let names = strings(column(&s.table, &table, tracks::NAME)?)?;
                let artists = strings(column(&s.table, &table, tracks::ARTISTS)?)?;
                let mut by_name: HashMap<(String, String), IdxSize> = HashMap::new();
                for (i, (nm, ar)) in names.iter().zip(artists.iter()).enumerate() {
                    if let (Some(nm), Some(ar)) = (nm, ar) {
                        let t = title_key(nm);
                        for a in artist_keys(ar) {
                            by_name.entry((a, t.clone())).or_insert(i as IdxSize);
                        }
                    }
                }
                Lookup::Names(by_name)
            }
        });
    }
    // The names sources' hit for each distinct track, looked up once.
    let name_hits: Vec<Option<Vec<Option<IdxSize>>>> = lookups
        .iter()
        .map(|l| match l {
            Lookup::Names(idx) => Some(keys.iter().map(|k| idx.get(k).copied()).collect()),
            Lookup::Exact { .. } => None,
        })
        .collect();

    // Each play: (source, row) of the first source that has it.
    let mut hit: Vec<Option<(usize, IdxSize)>> = Vec::with_capacity(n);
    let mut plays_per = vec![0usize; sources.len()];
    let mut track_source: Vec<Option<usize>> = vec![None; keys.len()];
    let mut exact_iters: Vec<Option<_>> = lookups
        .iter()
        .map(|l| match l {
            Lookup::Exact { plays, .. } => Some(plays.iter()),
            Lookup::Names(_) => None,
        })
        .collect();
    for (i, &track) in track_of.iter().enumerate() {
        let mut found = None;
        for (s, l) in lookups.iter().enumerate() {
            // Advance every exact iterator once per play, whether or not it is consulted.
            let value = exact_iters[s].as_mut().and_then(|it| it.next()).flatten();
            if found.is_some() {
                continue;
            }
            let row = match l {
                Lookup::Exact { index, fold, .. } => value
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .and_then(|v| {
                        if *fold {
                            index.get(&v.to_lowercase())
                        } else {
                            index.get(v)
                        }
                    })
                    .copied(),
                Lookup::Names(_) => name_hits[s].as_ref().and_then(|h| h[track]),
            };
            if let Some(r) = row {
                found = Some((s, r));
            }
        }
        if let Some((s, _)) = found {
            plays_per[s] += 1;
            let t = &mut track_source[track];
            *t = Some(t.map_or(s, |old| old.min(s)));
        }
        debug_assert_eq!(hit.len(), i);
        hit.push(found);
    }

    // The features: each of the twelve from the source that matched the play.
    let mut out: Vec<Column> = plays_df.columns().to_vec();
    out.push(Column::new(
        FEATURE_SOURCE.into(),
        hit.iter()
            .map(|h| h.map(|(s, _)| sources[s].name.as_str()))
            .collect::<Vec<_>>(),
    ));
    let matched: Vec<String> = sources.iter().map(FeatureSource::matched_by).collect();
    out.push(Column::new(
        FEATURE_MATCHED_BY.into(),
        hit.iter()
            .map(|h| h.map(|(s, _)| matched[s].as_str()))
            .collect::<Vec<_>>(),
    ));
    for f in schema::AUDIO_FEATURES {
        let integer = schema::INTEGER_FEATURES.contains(&f);
        let target = if integer {
            DataType::Int64
        } else {
            DataType::Float64
        };
        // Each source's column cast to the crate's type, where it has it.
        let per_source: Vec<Option<Series>> = sources
            .iter()
            .map(|s| {
                s.table
                    .columns()
                    .iter()
                    .find(|c| c.name().as_str() == f)
                    .map(|c| c.cast(&target).map(|c| c.as_materialized_series().clone()))
                    .transpose()
            })
            .collect::<std::result::Result<_, _>>()?;
        let col = if integer {
            let cas: Vec<Option<&Int64Chunked>> = per_source
                .iter()
                .map(|s| s.as_ref().map(|s| s.i64()).transpose())
                .collect::<std::result::Result<_, _>>()?;
            Column::new(
                f.into(),
                hit.iter()
                    .map(|h| h.and_then(|(s, r)| cas[s].and_then(|c| c.get(r as usize))))
                    .collect::<Vec<_>>(),
            )
        } else {
            let cas: Vec<Option<&Float64Chunked>> = per_source
                .iter()
                .map(|s| s.as_ref().map(|s| s.f64()).transpose())
                .collect::<std::result::Result<_, _>>()?;
            Column::new(
                f.into(),
                hit.iter()
                    .map(|h| h.and_then(|(s, r)| cas[s].and_then(|c| c.get(r as usize))))
                    .collect::<Vec<_>>(),
            )
        };
        out.push(col);
    }
    let df = DataFrame::new(n, out)?;

    // Coverage.
    let missing_plays = n - plays_per.iter().sum::<usize>();
    let mut tracks_per = vec![0usize; sources.len()];
    let mut missing_tracks = 0;
    for t in &track_source {
        match t {
            Some(s) => tracks_per[*s] += 1,
            None => missing_tracks += 1,
        }
    }
    let mut names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    names.push(MISSING.into());
    let mut by: Vec<Option<String>> = matched.into_iter().map(Some).collect();
    by.push(None);
    let mut p: Vec<i64> = plays_per.iter().map(|&v| v as i64).collect();
    p.push(missing_plays as i64);
    let share: Vec<f64> = p.iter().map(|&v| v as f64 / n.max(1) as f64).collect();
    let mut t: Vec<i64> = tracks_per.iter().map(|&v| v as i64).collect();
    t.push(missing_tracks as i64);
    let rows = names.len();
    let coverage = DataFrame::new(
        rows,
        vec![
            Column::new("source".into(), names),
            Column::new("matched_by".into(), by),
            Column::new("plays".into(), p),
            Column::new("play_share".into(), share),
            Column::new("distinct_tracks".into(), t),
        ],
    )?;
    Ok(PlaysWithFeatures { df, coverage })
}

impl PlaysWithFeatures {
    /// Plays that found features from any source.
    pub fn plays_matched(&self) -> usize {
        self.df.height() - column(&self.df, "plays", FEATURE_SOURCE).map_or(0, |c| c.null_count())
    }
}
