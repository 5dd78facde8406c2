//! Spotify streaming histories: the account-data export (`StreamingHistory*.json`) and the
//! extended one (`Streaming_History_Audio_*.json`, formerly `endsong_*.json`).
//!
//! Account data comes in two layouts, told apart by each record's keys, not by file names:
//! until 2023 `StreamingHistoryN.json` held music and podcasts in one array
//! (`{endTime, artistName, trackName, msPlayed}` / `{endTime, podcastName, episodeName,
//! msPlayed}`); since 2023 the export splits them into `StreamingHistory_music_N.json`,
//! `StreamingHistory_podcast_N.json` and `StreamingHistory_audiobook_N.json`
//! (`{endTime, audiobookName, chapterName, authorName, msPlayed}`). Music goes to the plays
//! table, podcast episodes to `episodes`, audiobook chapters to `audiobooks`.
//!
//! Spotify stamps each entry with the time it *ended*; the plays table holds start times, so
//! `played_at = end − ms_played` (to the minute for account data, which has minute stamps).
//! An entry with a negative `ms_played`, or one over 24 hours, is skipped and counted: it cannot
//! be a play, and its start time would be meaningless.
//!
//! Files are read as streams, one record at a time.

use super::json::{Shape, each_in_array, shape};
use super::report::{LoadReport, Loaded};
use super::table::{AudiobooksBuilder, EpisodesBuilder, PlaysBuilder, side_tables};
use super::text::open_decoded;
use super::{base_name, files_in};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDateTime};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Reason counted for an extended-history entry with neither track, episode nor audiobook
/// metadata (Spotify writes such entries for plays of removed content).
pub const SKIP_NO_METADATA: &str = "no track, episode or audiobook metadata";
/// Reason counted for an entry whose `ms_played` is negative.
pub const SKIP_NEGATIVE_MS: &str = "negative ms_played";
/// Reason counted for an entry whose `ms_played` exceeds 24 hours.
pub const SKIP_HUGE_MS: &str = "ms_played over 24 hours";

const DAY_MS: i64 = 86_400_000;

/// Reads one history file record by record. An empty file or an empty array is noted as empty;
/// a first record without `key` means the file is the other export kind, which `hint` names.
fn each_record(
    file: &Path,
    expected: &str,
    key: &str,
    hint: &str,
    report: &mut LoadReport,
    mut f: impl FnMut(&mut LoadReport, usize, &Map<String, Value>) -> Result<()>,
) -> Result<()> {
    let (mut r, encoding) = open_decoded(file)?;
    super::note_encoding(report, file, encoding);
    match shape(file, &mut r)? {
        Shape::Empty => {
            report.empty_file(file);
            return Ok(());
        }
        Shape::Values => {
            return Err(Error::WrongFormat {
                path: file.to_path_buf(),
                expected: expected.into(),
                detail: "the file is not a JSON array of plays".into(),
            });
        }
        Shape::Array => {}
    }
    let n = each_in_array(file, &mut r, |index, v| {
        let o = v
            .as_object()
            .ok_or_else(|| Error::record(file, index, "not a JSON object"))?;
        if index == 1 && !o.contains_key(key) {
            return Err(Error::WrongFormat {
                path: file.to_path_buf(),
                expected: expected.into(),
                detail: format!("the first record has no `{key}`; {hint}"),
            });
        }
        f(report, index, o)
    })?;
    if n == 0 {
        report.empty_file(file);
    }
    report.rows_read += n;
    Ok(())
}

fn str_field(o: &Map<String, Value>, key: &str) -> Option<String> {
    o.get(key).and_then(Value::as_str).map(str::to_string)
}

fn required_str(o: &Map<String, Value>, key: &str, file: &Path, index: usize) -> Result<String> {
    str_field(o, key)
        .ok_or_else(|| Error::record(file, index, format!("missing or non-text `{key}`")))
}

fn required_i64(o: &Map<String, Value>, key: &str, file: &Path, index: usize) -> Result<i64> {
    o.get(key)
        .and_then(|v| {
            v.as_i64().or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                    .map(|f| f as i64)
            })
        })
        .ok_or_else(|| Error::record(file, index, format!("missing or non-integer `{key}`")))
}

/// Reason counted for an entry stamped before 1900 or after 2200.
pub const SKIP_OUT_OF_RANGE: &str = "time outside 1900–2200";

/// The start of a play that ended at `end_ms` after `played` ms, or the reason it is skipped.
fn start_of(end_ms: i64, played: i64) -> std::result::Result<i64, &'static str> {
    if !super::dates::in_range(end_ms) {
        Err(SKIP_OUT_OF_RANGE)
    } else if played < 0 {
        Err(SKIP_NEGATIVE_MS)
    } else if played > DAY_MS {
        Err(SKIP_HUGE_MS)
    } else {
        end_ms.checked_sub(played).ok_or(SKIP_HUGE_MS)
    }
}

/// The id of a `spotify:track:…` URI (or the text as it is).
fn uri_id(uri: String) -> String {
    match uri.rsplit_once(':') {
        Some((_, id)) => id.to_string(),
        None => uri,
    }
}

/// Reads Spotify "Account data" streaming history: `StreamingHistory*.json` files (a folder or
/// one file), both layouts (see the module docs).
pub fn read_account_history(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "StreamingHistory*.json", |n| {
        let n = base_name(n);
        n.starts_with("StreamingHistory") && n.ends_with(".json")
    })?;
    load_account_history(path.as_ref(), files)
}

pub(crate) fn load_account_history(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    let mut report = LoadReport::new("spotify account data");
    let mut out = PlaysBuilder::default();
    let mut eps = EpisodesBuilder::default();
    let mut books = AudiobooksBuilder::default();
    for file in &files {
        each_record(
            file,
            "Spotify account-data StreamingHistory",
            "endTime",
            "an extended streaming history? use spotify::read_extended_history",
            &mut report,
            |report, index, o| {
                let end = required_str(o, "endTime", file, index)?;
                let end =
                    NaiveDateTime::parse_from_str(end.trim(), "%Y-%m-%d %H:%M").map_err(|_| {
                        Error::record(
                            file,
                            index,
                            format!("`endTime` `{end}` is not like `2020-08-11 12:47`"),
                        )
                    })?;
                let played = required_i64(o, "msPlayed", file, index)?;
                let start = match start_of(end.and_utc().timestamp_millis(), played) {
                    Ok(s) => s,
                    Err(reason) => {
                        report.skip_record(file, index, reason);
                        return Ok(());
                    }
                };
                if o.contains_key("podcastName") {
                    report.set_variant("podcast episodes");
                    eps.push(
                        start,
                        required_str(o, "podcastName", file, index)?,
                        required_str(o, "episodeName", file, index)?,
                        played,
                        None,
                    );
                } else if o.contains_key("audiobookName") {
                    report.set_variant("audiobook chapters");
                    books.push(
                        start,
                        required_str(o, "audiobookName", file, index)?,
                        str_field(o, "chapterName"),
                        str_field(o, "authorName"),
                        played,
                        None,
                    );
                } else {
                    report.set_variant("music");
                    out.push(
                        start,
                        &required_str(o, "artistName", file, index)?,
                        None,
                        &required_str(o, "trackName", file, index)?,
                        Some(played),
                        None,
                    );
                }
                Ok(())
            },
        )?;
    }
    report.rows_set_apart = eps.len() + books.len();
    let side = side_tables(eps, books, false)?;
    out.into_loaded("spotify", root, report, files, side)
}

/// Reads Spotify's extended streaming history (`Streaming_History_Audio_*.json`,
/// `Streaming_History_Video_*.json` or the older `endsong_*.json`). Music plays carry exact track
/// ids; podcast episodes go to `episodes`, audiobook chapters to `audiobooks`; entries without any
/// metadata are skipped and counted ([`SKIP_NO_METADATA`]).
pub fn read_extended_history(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "Streaming_History_Audio_*.json", |n| {
        let n = base_name(n);
        (n.starts_with("Streaming_History_") || n.starts_with("endsong")) && n.ends_with(".json")
    })?;
    load_extended_history(path.as_ref(), files)
}

pub(crate) fn load_extended_history(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    let mut report = LoadReport::new("spotify extended history");
    let mut out = PlaysBuilder::default();
    let mut eps = EpisodesBuilder::default();
    let mut books = AudiobooksBuilder::default();
    for file in &files {
        each_record(
            file,
            "Spotify extended streaming history",
            "ts",
            "an account-data StreamingHistory? use spotify::read_account_history",
            &mut report,
            |report, index, o| {
                let ts = required_str(o, "ts", file, index)?;
                let end = DateTime::parse_from_rfc3339(&ts).map_err(|_| {
                    Error::record(file, index, format!("`ts` `{ts}` is not an RFC 3339 time"))
                })?;
                let played = required_i64(o, "ms_played", file, index)?;
                let start = match start_of(end.timestamp_millis(), played) {
                    Ok(s) => s,
                    Err(reason) => {
                        report.skip_record(file, index, reason);
                        return Ok(());
                    }
                };
                if let Some(track) = str_field(o, "master_metadata_track_name") {
                    let track_id = str_field(o, "spotify_track_uri").map(uri_id);
                    out.push(
                        start,
                        &str_field(o, "master_metadata_album_artist_name").unwrap_or_default(),
                        str_field(o, "master_metadata_album_album_name").as_deref(),
                        &track,
                        Some(played),
                        track_id.as_deref(),
                    );
                } else if let Some(episode) = str_field(o, "episode_name") {
                    eps.push(
                        start,
                        str_field(o, "episode_show_name").unwrap_or_default(),
                        episode,
                        played,
                        str_field(o, "spotify_episode_uri").map(uri_id),
                    );
                } else if let Some(book) = str_field(o, "audiobook_title") {
                    books.push(
                        start,
                        book,
                        str_field(o, "audiobook_chapter_title"),
                        None,
                        played,
                        str_field(o, "audiobook_chapter_uri").map(uri_id),
                    );
                } else {
                    report.skip_record(file, index, SKIP_NO_METADATA);
                }
                Ok(())
            },
        )?;
    }
    report.rows_set_apart = eps.len() + books.len();
    let side = side_tables(eps, books, true)?;
    out.into_loaded("spotify", root, report, files, side)
}
