//! The per-object investigations of write-up 000: summary prints, case-insensitive filters,
//! distinct-tracks-vs-all-plays feature means, top-N tables, play durations estimated from
//! scrobble gaps, and the share of plays that carry ids and features.

use super::columns::{day_of, f64_values, ms_values};
use super::join::{Joined, MATCHED_BY, MATCHED_TRACK_ID, TRACK_DURATION_MS, need, str_values};
use super::normalise::{artist_key, title_key};
use crate::error::{Error, Result};
use crate::schema::{self, plays};
use polars::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Column that [`estimate_durations`] adds: `ms_played` where known, else the estimate.
pub const EST_MS_PLAYED: &str = "est_ms_played";
/// Column that [`estimate_durations`] adds: true where [`EST_MS_PLAYED`] is an estimate.
pub const DURATION_ESTIMATED: &str = "duration_estimated";

/// The summary prints of the write-up's notebooks ("1,805 scrobbles", "4 days spent listening",
/// "4.90 minutes/day"), over the real span of the data.
#[derive(Debug, Clone)]
pub struct Summary {
    pub plays: usize,
    pub first: Option<chrono::NaiveDateTime>,
    pub last: Option<chrono::NaiveDateTime>,
    /// Calendar days from the first play's day to the last's, both included.
    pub span_days: i64,
    /// Calendar days with at least one play.
    pub active_days: usize,
    /// Plays with a duration (the others count as 0 minutes).
    pub plays_with_duration: usize,
    pub minutes: f64,
    /// Plays with audio features (non-null `energy`), when the frame has features.
    pub plays_with_features: Option<usize>,
    /// Name of the duration column summed (says whether minutes are measured or estimated).
    pub duration_column: String,
}

impl Summary {
    /// Minutes listened expressed in whole days (the write-up's "days spent listening").
    pub fn days_listening(&self) -> f64 {
        self.minutes / 1440.0
    }
    /// Minutes listened per calendar day of the span.
    pub fn minutes_per_day(&self) -> f64 {
        self.minutes / self.span_days.max(1) as f64
    }
}

/// Thousands separators for counts in prints.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = |t: Option<chrono::NaiveDateTime>| {
            t.map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "-".into())
        };
        writeln!(
            f,
            "{} plays from {} to {} ({} days, {} of them with plays)",
            thousands(self.plays),
            d(self.first),
            d(self.last),
            thousands(self.span_days as usize),
            thousands(self.active_days)
        )?;
        write!(
            f,
            "{:.0} minutes = {:.2} days spent listening, {:.2} minutes/day (`{}`, known for {} plays)",
            self.minutes,
            self.days_listening(),
            self.minutes_per_day(),
            self.duration_column,
            thousands(self.plays_with_duration)
        )?;
        if let Some(n) = self.plays_with_features {
            write!(
                f,
                "\n{} plays ({:.1}%) carry audio features",
                thousands(n),
                100.0 * n as f64 / self.plays.max(1) as f64
            )?;
        }
        Ok(())
    }
}

/// Plays, span, minutes listened (sum of the `duration` column, in ms) and minutes per day.
pub fn summary(df: &DataFrame, duration: &str) -> Result<Summary> {
    let times: Vec<i64> = ms_values(df, "plays", plays::PLAYED_AT)?
        .into_iter()
        .flatten()
        .collect();
    let (first, last) = (times.iter().min().copied(), times.iter().max().copied());
    let dt = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.naive_utc())
    };
    let span_days = match (first, last) {
        (Some(a), Some(b)) => day_of(b) - day_of(a) + 1,
        _ => 0,
    };
    let active_days = times
        .iter()
        .map(|&t| day_of(t))
        .collect::<HashSet<i64>>()
        .len();
    let dur = f64_values(df, "plays", duration)?;
    let plays_with_duration = dur.iter().flatten().count();
    let minutes = dur.iter().flatten().sum::<f64>() / 60_000.0;
    let has_features = df
        .columns()
        .iter()
        .any(|c| c.name().as_str() == schema::ENERGY);
    let plays_with_features = if has_features {
        Some(
            f64_values(df, "plays", schema::ENERGY)?
                .iter()
                .flatten()
                .count(),
        )
    } else {
        None
    };
    Ok(Summary {
        plays: df.height(),
        first: dt(first),
        last: dt(last),
        span_days,
        active_days,
        plays_with_duration,
        minutes,
        plays_with_features,
        duration_column: duration.to_string(),
    })
}

/// Rows whose text columns equal the given values, ignoring case (and surrounding spaces):
/// `filter_ci(&plays, &[("artist", "freddie gibbs")])`, or artist and track together.
pub fn filter_ci(df: &DataFrame, conditions: &[(&str, &str)]) -> Result<DataFrame> {
    let mut keep = vec![true; df.height()];
    for (column, value) in conditions {
        let want = value.trim().to_lowercase();
        for (k, v) in keep.iter_mut().zip(str_values(df, "frame", column)?) {
            *k &= v.is_some_and(|v| v.trim().to_lowercase() == want);
        }
    }
    let mask = BooleanChunked::from_slice("keep".into(), &keep);
    Ok(df.filter(&mask)?)
}

/// The id that tells distinct tracks apart: the matched catalogue id of a joined frame, else the
/// play's own Spotify id.
fn track_ids(df: &DataFrame) -> Result<Vec<Option<String>>> {
    let has = |n: &str| df.columns().iter().any(|c| c.name().as_str() == n);
    if has(MATCHED_TRACK_ID) {
        str_values(df, "plays", MATCHED_TRACK_ID)
    } else {
        str_values(df, "plays", plays::TRACK_ID)
    }
}

/// Mean of each feature over the distinct tracks (first play of each track id) and over all
/// plays, with nulls skipped: columns `feature`, `distinct tracks`, `all plays` (the write-up's
/// grouped bars, with the legend the right way round).
pub fn distinct_vs_all(df: &DataFrame, features: &[&str]) -> Result<DataFrame> {
    let ids = track_ids(df)?;
    let mut seen = HashSet::new();
    let first_of_track: Vec<bool> = ids
        .iter()
        .map(|id| id.as_ref().is_some_and(|id| seen.insert(id.clone())))
        .collect();
    let mean = |v: &mut dyn Iterator<Item = f64>| {
        let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
        (n > 0).then(|| s / n as f64)
    };
    let (mut distinct, mut all) = (vec![], vec![]);
    for name in features {
        let v = f64_values(df, "plays", name)?;
        distinct.push(mean(
            &mut v
                .iter()
                .zip(&first_of_track)
                .filter_map(|(x, &f)| if f { *x } else { None }),
        ));
        all.push(mean(&mut v.iter().flatten().copied()));
    }
    Ok(DataFrame::new(
        features.len(),
        vec![
            Column::new(
                "feature".into(),
                features.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            ),
            Column::new("distinct tracks".into(), distinct),
            Column::new("all plays".into(), all),
        ],
    )?)
}

/// What [`top_by`] sorts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TopBy {
    /// Time listened (hours).
    #[default]
    Hours,
    /// Number of plays.
    Plays,
    /// Plays per distinct track (the write-up's "average plays per song").
    PlaysPerTrack,
}

/// Options of [`top_by`].
#[derive(Debug, Clone)]
pub struct TopOptions {
    /// Rows to keep (default 25).
    pub n: usize,
    pub by: TopBy,
    /// Duration column in ms (default `ms_played`).
    pub duration: String,
    /// Groups with fewer plays are left out (default 1).
    pub min_plays: usize,
    /// Plays of this many ms or fewer (or of no known duration) are left out before grouping,
    /// e.g. `Some(30_000.0)` for Spotify's "counted as a stream" (default: none left out).
    pub longer_than_ms: Option<f64>,
}

impl Default for TopOptions {
    fn default() -> Self {
        TopOptions {
            n: 25,
            by: TopBy::Hours,
            duration: plays::MS_PLAYED.to_string(),
            min_plays: 1,
            longer_than_ms: None,
        }
    }
}

impl TopOptions {
    /// The top `n` by hours: `TopOptions::top(15)`, then any setters below.
    pub fn top(n: usize) -> Self {
        TopOptions {
            n,
            ..Default::default()
        }
    }

    /// What to rank by.
    pub fn by(mut self, by: TopBy) -> Self {
        self.by = by;
        self
    }

    /// Leave out plays of `ms` milliseconds or fewer before grouping.
    pub fn longer_than_ms(mut self, ms: f64) -> Self {
        self.longer_than_ms = Some(ms);
        self
    }
}

/// Plays grouped by `keys` (e.g. `["artist"]`, `["album", "artist"]`, `["track", "artist"]`):
/// columns `label` (the keys joined by " - "), the keys, `plays`, `hours`, `mean_minutes` (per
/// play with a duration), `tracks` (distinct artist + track) and `plays_per_track`; the top
/// `opts.n` by `opts.by`, largest first (ties by label). Rows with a null key (a play without an
/// album, say) belong to no group.
pub fn top_by(df: &DataFrame, keys: &[&str], opts: &TopOptions) -> Result<DataFrame> {
    if keys.is_empty() {
        return Err(Error::InvalidParameter("top_by: no key columns".into()));
    }
    // The columns must be there and of the right kind: a clear error naming the one that is not.
    for k in keys.iter().chain(&[plays::ARTIST, plays::TRACK]) {
        str_values(&df.head(Some(0)), "plays", k)?;
    }
    f64_values(&df.head(Some(0)), "plays", &opts.duration)?;
    let text = |c: &str| col(c).cast(DataType::String);
    let lower = |c: &str| text(c).fill_null(lit("")).str().to_lowercase();
    let mut label = text(keys[0]);
    for k in &keys[1..] {
        label = label + lit(" - ") + text(k);
    }
    let not_null = keys
        .iter()
        .map(|k| col(*k).is_not_null())
        .reduce(|a, b| a.and(b))
        .unwrap_or(lit(true));
    let score = match opts.by {
        TopBy::Hours => col("hours"),
        TopBy::Plays => col("plays").cast(DataType::Float64),
        TopBy::PlaysPerTrack => col("plays_per_track"),
    };
    let mut sort_by = vec![score.alias("__score")];
    sort_by.extend(keys.iter().map(|k| text(k)));
    let mut descending = vec![true];
    descending.extend(keys.iter().map(|_| false));
    let mut out = vec![col("label")];
    out.extend(keys.iter().map(|k| text(k)));
    out.extend([
        col("plays").cast(DataType::Int64),
        col("hours"),
        col("mean_minutes"),
        col("tracks").cast(DataType::Int64),
        col("plays_per_track"),
    ]);
    let keys_expr: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    let ms = col(opts.duration.as_str()).cast(DataType::Float64);
    let not_null = match opts.longer_than_ms {
        Some(least) => not_null.and(ms.clone().gt(lit(least))),
        None => not_null,
    };
    // A track is its (artist, title) pair, case folded; \u{1f} cannot occur in either.
    let track_key = lower(plays::ARTIST) + lit("\u{1f}") + lower(plays::TRACK);
    Ok(df
        .clone()
        .lazy()
        .filter(not_null)
        .group_by(keys_expr)
        .agg([
            label.first().alias("label"),
            len().alias("plays"),
            ms.clone().sum().alias("__ms"),
            ms.count().alias("__with_duration"),
            track_key.n_unique().alias("tracks"),
        ])
        .filter(col("plays").gt_eq(lit(opts.min_plays as u32)))
        .with_columns([
            (col("__ms") / lit(3.6e6)).alias("hours"),
            when(col("__with_duration").gt(lit(0)))
                .then(col("__ms") / col("__with_duration").cast(DataType::Float64) / lit(60_000.0))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("mean_minutes"),
            (col("plays").cast(DataType::Float64)
                / when(col("tracks").gt(lit(0)))
                    .then(col("tracks").cast(DataType::Float64))
                    .otherwise(lit(1.0)))
            .alias("plays_per_track"),
        ])
        .sort_by_exprs(
            sort_by,
            SortMultipleOptions::default().with_order_descending_multi(descending),
        )
        .limit(opts.n as IdxSize)
        .select(out)
        .collect()?)
}

/// The values of `keys` (e.g. `["track", "artist"]`) of the group with the most plays among the
/// plays that have audio features (a non-null `energy`), ties broken as [`top_by`] breaks them:
/// the artist, album or track notebooks 02–04 look at when no one is named.
///
/// # Errors
/// [`Error::Column`] for a missing column, [`Error::Parameter`] when no play has features.
pub fn most_played_with_features(df: &DataFrame, keys: &[&str]) -> Result<Vec<String>> {
    let with_features = drop_nulls_in(df, crate::schema::ENERGY)?;
    let top = top_by(&with_features, keys, &TopOptions::top(1).by(TopBy::Plays))?;
    if top.height() == 0 {
        return Err(Error::Parameter {
            name: "df".into(),
            value: format!("{} plays, none with audio features", df.height()),
            expected: "plays joined to audio features (join_features)".into(),
        });
    }
    keys.iter()
        .map(|k| Ok(str_values(&top, "top", k)?[0].clone().unwrap_or_default()))
        .collect()
}

/// Options of [`estimate_durations`].
#[derive(Debug, Clone)]
pub struct EstimateOptions {
    /// Duration assumed for a play followed by a long pause or by nothing, when the track's own
    /// length is unknown (default 210 s, about a median track).
    pub default_ms: f64,
}

impl Default for EstimateOptions {
    fn default() -> Self {
        EstimateOptions {
            default_ms: 210_000.0,
        }
    }
}

/// Adds [`EST_MS_PLAYED`] and [`DURATION_ESTIMATED`] to a plays table: `ms_played` where the
/// export has it; otherwise an estimate from the gap to the next play (Last.fm scrobbles are
/// timestamped when a track starts), capped at the track's length where a join found it
/// (`track_duration_ms`), else at `default_ms`. A gap longer than that cap means a pause: the
/// play is then taken to have lasted the cap. The result keeps the input's row order.
pub fn estimate_durations(df: &DataFrame, opts: &EstimateOptions) -> Result<DataFrame> {
    let times = ms_values(df, "plays", plays::PLAYED_AT)?;
    let known = f64_values(df, "plays", plays::MS_PLAYED)?;
    let has_len = df
        .columns()
        .iter()
        .any(|c| c.name().as_str() == TRACK_DURATION_MS);
    let lengths = if has_len {
        f64_values(df, "plays", TRACK_DURATION_MS)?
    } else {
        vec![None; df.height()]
    };
    let mut order: Vec<usize> = (0..df.height()).filter(|&i| times[i].is_some()).collect();
    order.sort_by_key(|&i| (times[i], i));
    let mut next_gap: Vec<Option<f64>> = vec![None; df.height()];
    for w in order.windows(2) {
        if let (Some(a), Some(b)) = (times[w[0]], times[w[1]]) {
            next_gap[w[0]] = Some((b - a) as f64);
        }
    }
    let mut est = Vec::with_capacity(df.height());
    let mut estimated = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        if let Some(k) = known[i] {
            est.push(Some(k));
            estimated.push(false);
        } else if times[i].is_some() {
            let cap = lengths[i].unwrap_or(opts.default_ms);
            est.push(Some(next_gap[i].map_or(cap, |g| g.min(cap))));
            estimated.push(true);
        } else {
            est.push(None);
            estimated.push(false);
        }
    }
    let mut out = df.clone();
    out.with_column(Column::new(EST_MS_PLAYED.into(), est))?;
    out.with_column(Column::new(DURATION_ESTIMATED.into(), estimated))?;
    Ok(out)
}

/// How many plays carry a Spotify track id and audio features: one row per case (`case`,
/// `plays`, `share` in %), for the stats pie (labels the right way round, unlike the original).
pub fn feature_coverage(joined: &Joined) -> Result<DataFrame> {
    let df = &joined.df;
    let ids = str_values(df, "plays", plays::TRACK_ID)?;
    let how = str_values(df, "plays", MATCHED_BY)?;
    let mut counts = [0usize; 4];
    for (id, how) in ids.iter().zip(&how) {
        let k = match (id.is_some(), how.is_some()) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        counts[k] += 1;
    }
    let cases = [
        "track id, with features",
        "track id, no features",
        "no track id, features by name",
        "no track id, no features",
    ];
    let n = df.height().max(1) as f64;
    Ok(DataFrame::new(
        4,
        vec![
            Column::new(
                "case".into(),
                cases.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "plays".into(),
                counts.iter().map(|&c| c as i64).collect::<Vec<_>>(),
            ),
            Column::new(
                "share".into(),
                counts
                    .iter()
                    .map(|&c| 100.0 * c as f64 / n)
                    .collect::<Vec<_>>(),
            ),
        ],
    )?)
}

/// The distinct tracks (normalised artist and title, as the coverage report counts them) none of
/// whose plays found audio features, most played first: columns `artist`, `track` (as first seen)
/// and `plays`. Its height is the coverage's distinct tracks minus those matched; the coverage
/// report keeps only the top 20.
pub fn unmatched_tracks(joined: &Joined) -> Result<DataFrame> {
    let df = &joined.df;
    let how = str_values(df, "plays", MATCHED_BY)?;
    let artists = str_values(df, "plays", plays::ARTIST)?;
    let tracks = str_values(df, "plays", plays::TRACK)?;
    // key -> (artist, track as first seen, plays, any play matched)
    let mut keys: HashMap<(String, String), (String, String, usize, bool)> = HashMap::new();
    for i in 0..df.height() {
        let (a, t) = (
            artists[i].clone().unwrap_or_default(),
            tracks[i].clone().unwrap_or_default(),
        );
        let e = keys
            .entry((artist_key(&a), title_key(&t)))
            .or_insert_with(|| (a, t, 0, false));
        e.2 += 1;
        e.3 |= how[i].is_some();
    }
    super::join::unmatched_frame(keys.values())
}

/// Keeps the rows where a column is not null (e.g. plays with audio features: `"energy"`).
pub fn drop_nulls_in(df: &DataFrame, column: &str) -> Result<DataFrame> {
    let mask = need(df, "frame", column)?.is_not_null();
    Ok(df.filter(&mask)?)
}
