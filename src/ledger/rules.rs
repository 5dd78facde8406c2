//! What counts as a play, as values: each [`PlayRule`] says of a ledger row whether it counts,
//! from the fields the row carries; [`Weight`] counts plays or minutes. [`top`] and
//! [`top_by_rule`] take them.
//!
//! A rule judges what a row says. Rows whose export records no time played (Last.fm scrobbles,
//! ListenBrainz listens, YouTube, Apple's Track Play History) already passed their own service's
//! rule when they were written: every rule keeps them, except where it names a field they lack.
//!
//! | rule | keeps a row when | from |
//! |---|---|---|
//! | [`PlayRule::Every`] | always | — |
//! | [`PlayRule::Spotify30s`] | `ms_played` ≥ 30 s (or unknown) | Spotify's own stream count; Maloja and your_spotify cut there |
//! | [`PlayRule::LastfmScrobble`] | played ≥ 4 min, or ≥ half the track's length for a track over 30 s; with no length known, played ≥ 4 min or (over 30 s and ended `trackdone` / `NATURAL_END_OF_TRACK`); unknown time played: kept | Last.fm's scrobble rule; multi-scrobbler's default (Atomic.ts:128,133) |
//! | [`PlayRule::ListenBrainz`] | not incognito, and not (`ms_played` < 30 s and (`skipped` or `reason_end` present and a skip reason, `null` included)); a Spotify row needs a track id; the end on or after 2002-10-01 | ListenBrainz's Spotify importer (listens_importer/spotify.py L12-15, L40-50, L75-80; api_tools.py:183), as ../shared/reference/peer-import-rules.md R1 gives it |
//! | [`PlayRule::TrackDone`] | `reason_end` is `trackdone` (Apple: `NATURAL_END_OF_TRACK`); rows without `reason_end` kept | Koito's Spotify importer (spotify.go L48-50) |

use crate::error::{Error, Result};
use crate::loaders::entries::columns as c;
use polars::prelude::*;

/// ListenBrainz's `SKIP_REASONS` (listens_importer/spotify.py L12-15), `null` being the export's
/// JSON null.
pub const LISTENBRAINZ_SKIP_REASONS: [&str; 14] = [
    "null",
    "fwdbtn",
    "backbtn",
    "clickrow",
    "clickside",
    "endplay",
    "playbtn",
    "remote",
    "logout",
    "popup",
    "trackerror",
    "unexpected-exit",
    "unexpected-exit-while-paused",
    "unknown",
];

/// 2002-10-01T00:00:00Z in ms: ListenBrainz refuses listens before it.
const LISTENBRAINZ_EPOCH_MS: i64 = 1_033_430_400_000;

/// What counts as a play (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlayRule {
    Every,
    Spotify30s,
    LastfmScrobble,
    ListenBrainz,
    TrackDone,
}

impl PlayRule {
    /// Every rule, in the order of the module docs.
    pub const ALL: [PlayRule; 5] = [
        PlayRule::Every,
        PlayRule::Spotify30s,
        PlayRule::LastfmScrobble,
        PlayRule::ListenBrainz,
        PlayRule::TrackDone,
    ];

    /// A short name, for tables.
    pub fn name(self) -> &'static str {
        match self {
            PlayRule::Every => "every row",
            PlayRule::Spotify30s => "spotify 30 s",
            PlayRule::LastfmScrobble => "last.fm scrobble",
            PlayRule::ListenBrainz => "listenbrainz import",
            PlayRule::TrackDone => "trackdone only",
        }
    }

    /// Whether a row with these fields counts.
    #[allow(clippy::too_many_arguments)]
    pub fn keeps(
        self,
        source: &str,
        end_ms: Option<i64>,
        ms_played: Option<i64>,
        duration_ms: Option<i64>,
        reason_end: Option<&str>,
        skipped: Option<bool>,
        incognito: Option<bool>,
        spotify_id: Option<&str>,
    ) -> bool {
        let done = matches!(reason_end, Some("trackdone" | "NATURAL_END_OF_TRACK"));
        match self {
            PlayRule::Every => true,
            PlayRule::Spotify30s => ms_played.is_none_or(|ms| ms >= 30_000),
            PlayRule::LastfmScrobble => match ms_played {
                None => true,
                Some(ms) if ms >= 240_000 => true,
                Some(ms) => match duration_ms {
                    Some(d) => d > 30_000 && ms * 2 >= d,
                    None => ms > 30_000 && done,
                },
            },
            PlayRule::ListenBrainz => {
                if incognito == Some(true) {
                    return false;
                }
                if source == "spotify" && spotify_id.is_none() {
                    return false;
                }
                if end_ms.is_some_and(|e| e < LISTENBRAINZ_EPOCH_MS) {
                    return false;
                }
                let short = ms_played.is_some_and(|ms| ms < 30_000);
                let skip_reason =
                    reason_end.is_some_and(|r| LISTENBRAINZ_SKIP_REASONS.contains(&r));
                !(short && (skipped == Some(true) || skip_reason))
            }
            PlayRule::TrackDone => reason_end.is_none_or(|_| done),
        }
    }

    /// The mask of the rows of a ledger plays table (or an entries table) this rule keeps.
    pub fn mask(self, plays: &DataFrame) -> Result<BooleanChunked> {
        let col = |n: &str| {
            plays.column(n).map_err(|_| Error::Column {
                table: "ledger plays".into(),
                column: n.into(),
                found: plays
                    .get_column_names()
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        };
        let source = col(c::SOURCE)?.str()?.clone();
        let end = col(c::END)?.as_materialized_series().to_physical_repr();
        let end = end.i64()?.clone();
        let ms = col(c::MS_PLAYED)?.i64()?.clone();
        let dur = col(c::DURATION_MS)?.i64()?.clone();
        let reason = col(c::REASON_END)?.str()?.clone();
        let skipped = col(c::SKIPPED)?.bool()?.clone();
        let incognito = col(c::INCOGNITO)?.bool()?.clone();
        let sid = col(c::SPOTIFY_ID)?.str()?.clone();
        Ok((0..plays.height())
            .map(|i| {
                self.keeps(
                    source.get(i).unwrap_or(""),
                    end.get(i),
                    ms.get(i),
                    dur.get(i),
                    reason.get(i),
                    skipped.get(i),
                    incognito.get(i),
                    sid.get(i),
                )
            })
            .collect::<BooleanChunked>()
            .with_name("keeps".into()))
    }

    /// The rows this rule keeps.
    pub fn apply(self, plays: &DataFrame) -> Result<DataFrame> {
        Ok(plays.filter(&self.mask(plays)?)?)
    }
}

/// Count plays, or minutes listened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Each play counts 1.
    Plays,
    /// Each play counts its minutes: `ms_played`, else the track's length where known; a play with
    /// neither counts 0 (and [`top`] says how many there were in its `unknown_minutes` column).
    Minutes,
}

/// What a top list ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Artist,
    /// The main artist of each credit ([`super::main_artist`]), so "A feat. B" counts for A.
    MainArtist,
    /// (artist, track).
    Track,
    /// (artist, album); plays without an album left out.
    Album,
}

/// The top `n` under `rule` and `weight`: columns `rank`, `name`, `value` (plays or minutes),
/// `unknown_minutes` (plays of it with no minutes known; 0 for [`Weight::Plays`]). Ties ranked by
/// name.
pub fn top(
    plays: &DataFrame,
    by: By,
    rule: PlayRule,
    weight: Weight,
    n: usize,
) -> Result<DataFrame> {
    let kept = rule.apply(plays)?;
    let artist = kept.column(c::ARTIST)?.str()?;
    let track = kept.column(c::TRACK)?.str()?;
    let album = kept.column(c::ALBUM)?.str()?;
    let ms = kept.column(c::MS_PLAYED)?.i64()?;
    let dur = kept.column(c::DURATION_MS)?.i64()?;
    let mut acc: std::collections::HashMap<String, (f64, u64)> = Default::default();
    for i in 0..kept.height() {
        let a = artist.get(i).unwrap_or("");
        let key = match by {
            By::Artist => a.to_string(),
            By::MainArtist => super::main_artist(a),
            By::Track => format!("{a} — {}", track.get(i).unwrap_or("")),
            By::Album => match album.get(i) {
                Some(al) => format!("{a} — {al}"),
                None => continue,
            },
        };
        let slot = acc.entry(key).or_default();
        match weight {
            Weight::Plays => slot.0 += 1.0,
            Weight::Minutes => match ms.get(i).or(dur.get(i)) {
                Some(m) => slot.0 += m as f64 / 60_000.0,
                None => slot.1 += 1,
            },
        }
    }
    let mut v: Vec<(String, (f64, u64))> = acc.into_iter().collect();
    v.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    Ok(DataFrame::new(
        v.len(),
        vec![
            Column::new("rank".into(), (1..=v.len() as u32).collect::<Vec<_>>()),
            Column::new(
                "name".into(),
                v.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
            ),
            Column::new("value".into(), v.iter().map(|x| x.1.0).collect::<Vec<_>>()),
            Column::new(
                "unknown_minutes".into(),
                v.iter().map(|x| x.1.1).collect::<Vec<_>>(),
            ),
        ],
    )?)
}

/// The top `n` under each rule side by side: one row per rank, one column per rule (the name at
/// that rank), to see how a top list changes from rule to rule.
pub fn top_by_rule(plays: &DataFrame, by: By, rules: &[PlayRule], n: usize) -> Result<DataFrame> {
    let mut cols = vec![Column::new(
        "rank".into(),
        (1..=n as u32).collect::<Vec<_>>(),
    )];
    for r in rules {
        let t = top(plays, by, *r, Weight::Plays, n)?;
        let names = t.column("name")?.str()?;
        let mut v: Vec<Option<String>> = names.iter().map(|s| s.map(str::to_string)).collect();
        v.resize(n, None);
        cols.push(Column::new(r.name().into(), v));
    }
    Ok(DataFrame::new(n, cols)?)
}
