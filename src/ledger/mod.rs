//! One ledger of everything a person played: any number of exports, of any services, merged into
//! one plays table, and every row that is not a counted play in a `set_apart` table with its
//! reason. `rows read = plays + set apart`, always ([`Ledger::rows_read`], tested).
//!
//! ```no_run
//! use listening::ledger::Ledger;
//! let mut ledger = Ledger::new();
//! ledger.add("my_spotify_data/")?;
//! ledger.add("lastfm_scrobbles.csv")?;
//! let plays = ledger.plays()?;          // one row per play
//! let apart = ledger.set_apart()?;      // one row per row not counted, with its reason
//! # Ok::<(), listening::Error>(())
//! ```
//!
//! **Rows.** Each export is read row by row ([`crate::loaders::entries`]) where the format has a
//! row-level reader (Spotify extended and account data, ListenBrainz, lastfm-to-csv's `uts`
//! layout, Apple Music, YouTube); `source_file` and `source_row` then name the row. The other
//! formats (Last.fm's date-text CSV, ghan CSV, API pages, headed tables) are read through
//! [`crate::loaders::read_plays`]: their `source_row` is 0 and their skipped rows are set apart
//! as counted rows (reason from the load report, no times).
//!
//! **Merge rules, in order** (each set-apart row names its rule and the play it duplicates):
//! 1. *Loader*: rows the export itself marks as not plays (podcast, audiobook, video, incognito
//!    is **not** one — that is a play rule's business —, no metadata, now playing, Apple's second
//!    record of a play). Reason: the loader's.
//! 2. *Exact repeat* ([`RULE_EXACT`]): the same row in another file — same source, same times,
//!    same artist and track (case-insensitive), same time played: its play id is equal. Within one
//!    file identical rows are kept (an export may really hold two); across files each id is kept
//!    as many times as the file holding it most often has it. Re-reading an export already in the
//!    ledger therefore adds zero plays.
//! 3. *Same play, two exports* ([`RULE_IDS`], [`RULE_NAMES`]): a play of one export format and a
//!    play of another whose **start windows** overlap, then which share an id (Spotify id, ISRC,
//!    recording MBID), or failing that whose normalised names agree ([`same_names`]). The start
//!    window of a play is where its real start can lie, from what the export wrote
//!    ([`start_window`]): a written start ± 5 s; Spotify's end − ms_played from 2 minutes before
//!    (pauses are not in ms_played) to 5 s after, a minute wider for account data's minute
//!    stamps; Apple's end − track length to the end; an end alone, the 20 minutes before it. Two
//!    windows agree when they overlap after widening each by [`SLACK_MS`] (clocks of different
//!    services). Matching is one-to-one and nearest first: a play absorbs at most one play of
//!    each other format, so the same track played twice in a row — two plays in each export —
//!    stays two plays. Formats are taken in the order they were added; the earlier one's row is
//!    kept.
//!
//! Play rules (what counts as a play, minutes instead of plays) are values applied on top: see
//! [`rules`].

pub mod rules;

use crate::error::{Error, Result};
use crate::loaders::entries::{Entry, TimeFrom};
use crate::loaders::{self, LoadReport, PlaysFormat};
use polars::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Rule of a row set apart by its loader.
pub const RULE_LOADER: &str = "loader";
/// Rule of an exact repeat across files.
pub const RULE_EXACT: &str = "exact repeat";
/// Rule of a cross-export match confirmed by an id.
pub const RULE_IDS: &str = "time window + id";
/// Rule of a cross-export match confirmed by names.
pub const RULE_NAMES: &str = "time window + names";
/// Widening of each start window when two exports are compared (clock differences).
pub const SLACK_MS: i64 = 30_000;
/// Longest start window (an end written alone).
const END_ONLY_WINDOW_MS: i64 = 20 * 60_000;
/// Tolerance of a written or exactly derived start.
const EXACT_MS: i64 = 5_000;
/// How far before Spotify's derived start the real start may lie (pauses).
const PAUSE_MS: i64 = 120_000;

/// Column names of the plays and set-apart tables (beyond those of
/// [`crate::loaders::entries::columns`]).
pub mod columns {
    /// A stable id of the play: the same row of the same export gets the same id in every
    /// ledger (16 hex digits of a hash of source, times, names and time played).
    pub const PLAY_ID: &str = "play_id";
    /// The export format the row was read from.
    pub const FORMAT: &str = "format";
    /// Plays: rows of other exports merged into this one (rule 3).
    pub const MERGED: &str = "merged";
    /// Set apart: why.
    pub const REASON: &str = "reason";
    /// Set apart: the rule that set it apart.
    pub const RULE: &str = "rule";
    /// Set apart: the play it duplicates (rules 2 and 3).
    pub const DUPLICATE_OF: &str = "duplicate_of";
}

#[derive(Debug, Clone)]
struct Row {
    file: u32,
    format: PlaysFormat,
    source: &'static str,
    e: Entry,
    id: u64,
}

/// One export added to the ledger.
#[derive(Debug, Clone)]
pub struct Added {
    /// What was given to [`Ledger::add`].
    pub path: PathBuf,
    /// The load report of each format found in it.
    pub reports: Vec<LoadReport>,
    /// Rows read from it.
    pub rows: usize,
}

/// The ledger: exports added one by one, merged on demand.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    rows: Vec<Row>,
    /// Label of each file instance (a file added twice is two instances).
    files: Vec<String>,
    added: Vec<Added>,
    merged: Option<Merged>,
}

#[derive(Debug, Clone)]
struct Merged {
    /// Per row: `None` a play; `Some((reason, rule, duplicate of row))`.
    apart: Vec<Option<(String, &'static str, Option<usize>)>>,
    /// Per kept row: merged rows.
    merged: Vec<Vec<usize>>,
}

fn fnv(h: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *h ^= *b as u64;
        *h = h.wrapping_mul(0x100000001b3);
    }
    *h ^= 0xff;
    *h = h.wrapping_mul(0x100000001b3);
}

/// The stable play id of an entry of `source`.
fn play_id(source: &str, e: &Entry) -> u64 {
    let mut h = 0xcbf29ce484222325u64;
    fnv(&mut h, source.as_bytes());
    // The times the export wrote, not those derived (a derivation may differ between layouts of
    // one service, e.g. ListenBrainz's 2018 export has no track lengths).
    let (start, end) = match e.time_from {
        TimeFrom::EndMinusPlayed | TimeFrom::EndMinusDuration | TimeFrom::EndOnly => (None, e.end),
        TimeFrom::Both => (e.start, e.end),
        _ => (e.start, None),
    };
    fnv(&mut h, &start.unwrap_or(i64::MIN).to_le_bytes());
    fnv(&mut h, &end.unwrap_or(i64::MIN).to_le_bytes());
    fnv(&mut h, e.artist.to_lowercase().as_bytes());
    fnv(&mut h, e.track.to_lowercase().as_bytes());
    fnv(&mut h, &e.ms_played.unwrap_or(-1).to_le_bytes());
    h
}

fn hex(id: u64) -> String {
    format!("{id:016x}")
}

/// Where the real start of a play can lie, from what its export wrote (see the module docs);
/// `None` for a row without a time.
pub fn start_window(e: &Entry, minute_stamps: bool) -> Option<(i64, i64)> {
    let minute = if minute_stamps { 60_000 } else { 0 };
    match e.time_from {
        TimeFrom::StartPlusPlayed
        | TimeFrom::StartPlusDuration
        | TimeFrom::StartOnly
        | TimeFrom::Both => e.start.map(|s| (s - EXACT_MS, s + EXACT_MS)),
        TimeFrom::EndMinusPlayed => e
            .start
            .map(|s| (s - PAUSE_MS - minute, s + EXACT_MS + minute)),
        TimeFrom::EndMinusDuration => match (e.start, e.end) {
            (Some(s), Some(end)) => Some((s - EXACT_MS, end)),
            _ => None,
        },
        TimeFrom::EndOnly => e.end.map(|end| (end - END_ONLY_WINDOW_MS, end)),
        TimeFrom::None => None,
    }
}

/// Splits an artist credit on the joiners services use (";", ", ", " & ", " x ", " feat. ",
/// " ft. ", " with ", " featuring ") and returns the first (main) artist, lower-cased.
pub fn main_artist(artist: &str) -> String {
    let lower = artist.to_lowercase();
    let mut cut = lower.len();
    for j in [
        ";",
        ", ",
        " & ",
        " x ",
        " feat. ",
        " feat ",
        " ft. ",
        " with ",
        " featuring ",
    ] {
        if let Some(i) = lower.find(j)
            && i > 0
        {
            cut = cut.min(i);
        }
    }
    normalise(&lower[..cut])
}

/// Lower-cased, bracketed parts (`(feat. …)`, `[Remastered]`) and a trailing " - …" (" -
/// Remastered 2011", " - Live") removed, punctuation dropped, spaces collapsed.
pub fn normalise_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0i32;
    for c in title.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let cut = match out.find(" - ") {
        Some(i) if i > 0 => &out[..i],
        _ => &out[..],
    };
    normalise(cut)
}

fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether two plays' names agree: equal normalised titles ([`normalise_title`]) and equal main
/// artists ([`main_artist`]), an empty artist (unknown) agreeing with any.
pub fn same_names(a: &Entry, b: &Entry) -> bool {
    if normalise_title(&a.track) != normalise_title(&b.track)
        || normalise_title(&a.track).is_empty()
    {
        return false;
    }
    let (x, y) = (main_artist(&a.artist), main_artist(&b.artist));
    x.is_empty() || y.is_empty() || x == y
}

/// Whether two plays share an id: `Some(true)` an id of the same kind is equal, `Some(false)` they
/// carry ids of a kind and all differ, `None` no kind in common.
fn same_ids(a: &Entry, b: &Entry) -> Option<bool> {
    let mut common = false;
    for (x, y) in [
        (&a.spotify_id, &b.spotify_id),
        (&a.isrc, &b.isrc),
        (&a.recording_mbid, &b.recording_mbid),
    ] {
        if let (Some(x), Some(y)) = (x, y) {
            if x.eq_ignore_ascii_case(y) {
                return Some(true);
            }
            common = true;
        }
    }
    common.then_some(false)
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an export: a file or a folder (every plays file in it, recognised by content as
    /// [`crate::loaders::read_plays`] does; unlike it, overlapping files of one folder are all
    /// read, and the merge keeps each play once).
    pub fn add(&mut self, path: impl AsRef<Path>) -> Result<&Added> {
        let path = path.as_ref();
        let (by_format, others) = loaders::plays_files(path)?;
        if by_format.is_empty() {
            return Err(Error::WrongFormat {
                path: path.to_path_buf(),
                expected: "listening-history export".into(),
                detail: format!("no plays file found ({} other file(s))", others.len()),
            });
        }
        let root = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(path)
        };
        let mut added = Added {
            path: path.to_path_buf(),
            reports: Vec::new(),
            rows: 0,
        };
        let prefix = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (format, files) in by_format {
            let base = self.files.len() as u32;
            match loaders::read_rows(format, root, files.clone())? {
                Some(read) => {
                    let source = read.source;
                    let report = read.report;
                    let (labels, file_of, rows) = read.rows.take();
                    for l in labels {
                        self.files.push(if path.is_dir() {
                            format!("{prefix}/{l}")
                        } else {
                            l
                        });
                    }
                    added.rows += rows.len();
                    for (e, f) in rows.into_iter().zip(file_of) {
                        self.rows.push(Row {
                            file: base + f,
                            format,
                            source,
                            id: play_id(source, &e),
                            e,
                        });
                    }
                    added.reports.push(report);
                }
                None => {
                    let loaded = loaders::load_files(format, root, files.clone())?;
                    self.add_loaded(format, &files, loaded, &mut added)?;
                }
            }
        }
        self.added.push(added);
        self.merged = None;
        Ok(self.added.last().expect("just pushed"))
    }

    /// Rows of a format read only into the plays table: each play a row (row 0), each skipped
    /// row a set-apart row with the report's reason.
    fn add_loaded(
        &mut self,
        format: PlaysFormat,
        files: &[PathBuf],
        loaded: loaders::Loaded,
        added: &mut Added,
    ) -> Result<()> {
        use crate::schema::plays as p;
        let file = self.files.len() as u32;
        self.files.push(
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(" + "),
        );
        let df = &loaded.df;
        let at = df
            .column(p::PLAYED_AT)?
            .as_materialized_series()
            .to_physical_repr();
        let at = at.i64()?;
        let artist = df.column(p::ARTIST)?.str()?;
        let album = df.column(p::ALBUM)?.str()?;
        let track = df.column(p::TRACK)?.str()?;
        let ms = df.column(p::MS_PLAYED)?.i64()?;
        let tid = df.column(p::TRACK_ID)?.str()?;
        let source = match format {
            PlaysFormat::HeadedTable => "table",
            _ => "lastfm",
        };
        for i in 0..df.height() {
            let Some(start) = at.get(i) else { continue };
            let mut e = Entry::started(
                0,
                start,
                artist.get(i).unwrap_or(""),
                track.get(i).unwrap_or(""),
            );
            e.album = album.get(i).map(str::to_string);
            e.ms_played = ms.get(i);
            e.spotify_id = tid.get(i).map(str::to_string);
            let e = e.derive_end();
            self.rows.push(Row {
                file,
                format,
                source,
                id: play_id(source, &e),
                e,
            });
            added.rows += 1;
        }
        for (reason, n) in &loaded.report.skipped {
            for _ in 0..*n {
                self.rows.push(Row {
                    file,
                    format,
                    source,
                    id: 0,
                    e: Entry::apart(0, reason),
                });
                added.rows += 1;
            }
        }
        for _ in 0..loaded.report.rows_set_apart {
            self.rows.push(Row {
                file,
                format,
                source,
                id: 0,
                e: Entry::apart(0, "podcast episode or audiobook chapter"),
            });
            added.rows += 1;
        }
        added.reports.push(loaded.report);
        Ok(())
    }

    /// The exports added, in order.
    pub fn added(&self) -> &[Added] {
        &self.added
    }

    /// Rows read from every export (= plays + set apart).
    pub fn rows_read(&self) -> usize {
        self.rows.len()
    }

    fn merge(&mut self) -> &Merged {
        if self.merged.is_none() {
            self.merged = Some(merge(&self.rows));
        }
        self.merged.as_ref().expect("just set")
    }

    /// The plays: one row per play, oldest first (see the module docs for the columns).
    pub fn plays(&mut self) -> Result<DataFrame> {
        let merged = self.merge().clone();
        let keep: Vec<usize> = (0..self.rows.len())
            .filter(|&i| merged.apart[i].is_none())
            .collect();
        let mut df = self.table(&keep, None, Some(&merged))?;
        df = df.sort(
            [
                loaders::entries::columns::START,
                loaders::entries::columns::END,
            ],
            SortMultipleOptions::default()
                .with_maintain_order(true)
                .with_nulls_last(true),
        )?;
        Ok(df)
    }

    /// Every row that is not a play, with its reason, rule and the play it duplicates.
    pub fn set_apart(&mut self) -> Result<DataFrame> {
        let merged = self.merge().clone();
        let rows: Vec<usize> = (0..self.rows.len())
            .filter(|&i| merged.apart[i].is_some())
            .collect();
        self.table(&rows, Some(&merged), None)
    }

    /// Set-apart rows counted by rule and reason.
    pub fn set_apart_counts(&mut self) -> Result<DataFrame> {
        let merged = self.merge().clone();
        let mut counts: HashMap<(&'static str, String), u64> = HashMap::new();
        for a in merged.apart.iter().flatten() {
            let reason = if a.2.is_some() {
                // Duplicates name their play; count them under the rule alone.
                String::new()
            } else {
                a.0.clone()
            };
            *counts.entry((a.1, reason)).or_default() += 1;
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(DataFrame::new(
            v.len(),
            vec![
                Column::new(
                    columns::RULE.into(),
                    v.iter().map(|x| x.0.0).collect::<Vec<_>>(),
                ),
                Column::new(
                    columns::REASON.into(),
                    v.iter().map(|x| x.0.1.clone()).collect::<Vec<_>>(),
                ),
                Column::new("rows".into(), v.iter().map(|x| x.1).collect::<Vec<_>>()),
            ],
        )?)
    }

    fn table(
        &self,
        idx: &[usize],
        apart: Option<&Merged>,
        kept: Option<&Merged>,
    ) -> Result<DataFrame> {
        use loaders::entries::columns as c;
        let rows: Vec<&Row> = idx.iter().map(|&i| &self.rows[i]).collect();
        let n = rows.len();
        let text = |name: &str, f: &dyn Fn(&Row) -> Option<String>| -> Column {
            Column::new(name.into(), rows.iter().map(|r| f(r)).collect::<Vec<_>>())
        };
        let time = |name: &str, f: &dyn Fn(&Row) -> Option<i64>| -> Column {
            Int64Chunked::from_iter_options(name.into(), rows.iter().map(|r| f(r)))
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_series()
                .into_column()
        };
        let mut cols = vec![
            text(columns::PLAY_ID, &|r| (r.id != 0).then(|| hex(r.id))),
            text(c::SOURCE, &|r| Some(r.source.to_string())),
            text(columns::FORMAT, &|r| Some(format!("{:?}", r.format))),
            text(c::SOURCE_FILE, &|r| {
                self.files.get(r.file as usize).cloned()
            }),
            Column::new(
                c::SOURCE_ROW.into(),
                rows.iter().map(|r| r.e.row).collect::<Vec<u64>>(),
            ),
            time(c::START, &|r| r.e.start),
            time(c::END, &|r| r.e.end),
            text(c::TIME_FROM, &|r| Some(r.e.time_from.as_str().to_string())),
            text(c::ARTIST, &|r| Some(r.e.artist.clone())),
            text(c::ALBUM, &|r| r.e.album.clone()),
            text(c::TRACK, &|r| Some(r.e.track.clone())),
            Column::new(
                c::MS_PLAYED.into(),
                rows.iter().map(|r| r.e.ms_played).collect::<Vec<_>>(),
            ),
            Column::new(
                c::DURATION_MS.into(),
                rows.iter().map(|r| r.e.duration_ms).collect::<Vec<_>>(),
            ),
            text(c::SPOTIFY_ID, &|r| r.e.spotify_id.clone()),
            text(c::ISRC, &|r| r.e.isrc.clone()),
            text(c::RECORDING_MBID, &|r| r.e.recording_mbid.clone()),
            text(c::REASON_END, &|r| r.e.reason_end.clone()),
            Column::new(
                c::SKIPPED.into(),
                rows.iter().map(|r| r.e.skipped).collect::<Vec<_>>(),
            ),
            Column::new(
                c::INCOGNITO.into(),
                rows.iter().map(|r| r.e.incognito).collect::<Vec<_>>(),
            ),
        ];
        if let Some(m) = kept {
            cols.push(Column::new(
                columns::MERGED.into(),
                idx.iter()
                    .map(|&i| {
                        m.merged[i]
                            .iter()
                            .map(|&j| {
                                let r = &self.rows[j];
                                format!("{} {}:{}", r.source, self.files[r.file as usize], r.e.row)
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .collect::<Vec<_>>(),
            ));
        }
        if let Some(m) = apart {
            let a = |i: usize| m.apart[i].as_ref().expect("set-apart row");
            cols.push(Column::new(
                columns::REASON.into(),
                idx.iter().map(|&i| a(i).0.clone()).collect::<Vec<_>>(),
            ));
            cols.push(Column::new(
                columns::RULE.into(),
                idx.iter().map(|&i| a(i).1).collect::<Vec<_>>(),
            ));
            cols.push(Column::new(
                columns::DUPLICATE_OF.into(),
                idx.iter()
                    .map(|&i| a(i).2.map(|j| hex(self.rows[j].id)))
                    .collect::<Vec<_>>(),
            ));
        }
        Ok(DataFrame::new(n, cols)?)
    }
}

/// The merge (see the module docs), over rows in the order added.
fn merge(rows: &[Row]) -> Merged {
    let n = rows.len();
    let mut apart: Vec<Option<(String, &'static str, Option<usize>)>> = vec![None; n];
    let mut merged: Vec<Vec<usize>> = vec![Vec::new(); n];
    // 1. Loader reasons.
    for (i, r) in rows.iter().enumerate() {
        if let Some(reason) = &r.e.set_apart {
            apart[i] = Some((reason.clone(), RULE_LOADER, None));
        }
    }
    // 2. Exact repeats across files: per id, the kept count is the most any one file holds.
    let mut kept: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut in_file: HashMap<(u32, u64), usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if apart[i].is_some() {
            continue;
        }
        let k = in_file.entry((r.file, r.id)).or_default();
        *k += 1;
        let held = kept.entry(r.id).or_default();
        if *k <= held.len() {
            let first = held[*k - 1];
            if rows[first].file != r.file {
                apart[i] = Some((
                    "exact repeat (the same row in another file)".to_string(),
                    RULE_EXACT,
                    Some(first),
                ));
                continue;
            }
        }
        held.push(i);
    }
    // 3. The same play in two export formats, format by format in the order added.
    let mut order: Vec<PlaysFormat> = Vec::new();
    for r in rows {
        if !order.contains(&r.format) {
            order.push(r.format);
        }
    }
    let window = |r: &Row| start_window(&r.e, r.format == PlaysFormat::SpotifyAccount);
    // Kept plays with windows, sorted by window start; `absorbed[(kept, format)]`.
    let mut base: Vec<(i64, i64, usize)> = Vec::new();
    let mut absorbed: std::collections::HashSet<(usize, PlaysFormat)> = Default::default();
    let max_span = END_ONLY_WINDOW_MS + PAUSE_MS + 2 * 60_000 + 2 * SLACK_MS;
    for (k, &format) in order.iter().enumerate() {
        let mut these: Vec<(i64, i64, usize)> = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| r.format == format && apart[*i].is_none())
            .filter_map(|(i, r)| window(r).map(|(lo, hi)| (lo, hi, i)))
            .collect();
        these.sort();
        if k > 0 {
            for &(lo, hi, i) in &these {
                let (qlo, qhi) = (lo - 2 * SLACK_MS, hi + 2 * SLACK_MS);
                let from = base.partition_point(|b| b.0 < qlo - max_span);
                let mid = (lo + hi) / 2;
                let mut best: Option<(bool, i64, usize)> = None;
                for &(blo, bhi, j) in &base[from..] {
                    if blo > qhi {
                        break;
                    }
                    if bhi < qlo || rows[j].format == format || absorbed.contains(&(j, format)) {
                        continue;
                    }
                    let by_id = match same_ids(&rows[j].e, &rows[i].e) {
                        Some(true) => true,
                        _ if same_names(&rows[j].e, &rows[i].e) => false,
                        _ => continue,
                    };
                    let dist = ((blo + bhi) / 2 - mid).abs();
                    let better = match best {
                        None => true,
                        Some((bid, bd, _)) => (by_id && !bid) || (by_id == bid && dist < bd),
                    };
                    if better {
                        best = Some((by_id, dist, j));
                    }
                }
                if let Some((by_id, _, j)) = best {
                    absorbed.insert((j, format));
                    merged[j].push(i);
                    apart[i] = Some((
                        format!(
                            "same play as {} ({} {:?})",
                            hex(rows[j].id),
                            rows[j].source,
                            rows[j].format
                        ),
                        if by_id { RULE_IDS } else { RULE_NAMES },
                        Some(j),
                    ));
                }
            }
        }
        base.extend(these.into_iter().filter(|t| apart[t.2].is_none()));
        base.sort();
    }
    // An exact repeat of a row that rule 3 then merged names the play that row went to.
    for i in 0..n {
        let mut hops = 0;
        while let Some((_, _, Some(j))) = &apart[i]
            && let Some((_, _, Some(k))) = &apart[*j]
            && hops < 4
        {
            let k = *k;
            if let Some(a) = apart[i].as_mut() {
                a.2 = Some(k);
            }
            hops += 1;
        }
    }
    Merged { apart, merged }
}
