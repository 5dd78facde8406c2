//! Spotify streaming histories: the account-data export (`StreamingHistory*.json`) and the
//! extended one (`Streaming_History_Audio_*.json`, formerly `endsong_*.json`).
//!
//! Spotify stamps each entry with the time it *ended*; the plays table holds start times, so
//! `played_at = end − ms_played` (to the minute for account data, which has minute stamps).

use super::report::{LoadReport, Loaded};
use super::table::{PlaysBuilder, datetime_ms_column, ms};
use super::{base_name, files_in, read_text};
use crate::error::{Error, Result};
use crate::schema::episodes;
use chrono::{DateTime, NaiveDateTime};
use polars::prelude::*;
use serde_json::{Map, Value};
use std::path::Path;

/// Reason counted for an extended-history entry that is an audiobook chapter.
pub const SKIP_AUDIOBOOK: &str = "audiobook chapter";
/// Reason counted for an extended-history entry with neither track nor episode metadata.
pub const SKIP_NO_METADATA: &str = "no track or episode metadata";

#[derive(Default)]
struct EpisodesBuilder {
    played_at: Vec<i64>,
    show: Vec<String>,
    episode: Vec<String>,
    ms_played: Vec<i64>,
    episode_id: Vec<Option<String>>,
}

impl EpisodesBuilder {
    fn finish(self) -> Result<DataFrame> {
        let n = self.played_at.len();
        Ok(DataFrame::new(
            n,
            vec![
                datetime_ms_column(episodes::PLAYED_AT, self.played_at),
                Column::new(episodes::SHOW.into(), self.show),
                Column::new(episodes::EPISODE.into(), self.episode),
                Column::new(episodes::MS_PLAYED.into(), self.ms_played),
                Column::new(episodes::EPISODE_ID.into(), self.episode_id),
            ],
        )?)
    }
}

/// Reads one history file: a non-empty JSON array whose first record has `key` (else it is the
/// other export kind, which `hint` names).
fn history_records(file: &Path, expected: &str, key: &str, hint: &str) -> Result<Vec<Value>> {
    let records = read_records(file, expected)?;
    let first = records.first().ok_or_else(|| Error::Empty {
        path: file.to_path_buf(),
    })?;
    if let Some(o) = first.as_object()
        && !o.contains_key(key)
    {
        return Err(Error::WrongFormat {
            path: file.to_path_buf(),
            expected: expected.into(),
            detail: format!("the first record has no `{key}`; {hint}"),
        });
    }
    Ok(records)
}

fn as_record<'a>(r: &'a Value, file: &Path, index: usize) -> Result<&'a Map<String, Value>> {
    r.as_object()
        .ok_or_else(|| Error::record(file, index, "not a JSON object"))
}

/// Reads a JSON file that must be an array of objects.
fn read_records(file: &Path, expected: &str) -> Result<Vec<Value>> {
    let text = read_text(file)?;
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: file.to_path_buf(),
        });
    }
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Error::parse(file, e.line() as u64, format!("invalid JSON: {e}")))?;
    match value {
        Value::Array(a) => Ok(a),
        _ => Err(Error::WrongFormat {
            path: file.to_path_buf(),
            expected: expected.into(),
            detail: "the file is not a JSON array of plays".into(),
        }),
    }
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
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::record(file, index, format!("missing or non-integer `{key}`")))
}

/// Reads Spotify "Account data" streaming history: `StreamingHistory*.json` files (a folder or
/// one file), each an array of `{endTime, artistName, trackName, msPlayed}`. Podcast entries of
/// the newer split export (`{endTime, podcastName, episodeName, msPlayed}`) go to `episodes`.
pub fn read_account_history(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "StreamingHistory*.json", |n| {
        let n = base_name(n);
        n.starts_with("StreamingHistory") && n.ends_with(".json")
    })?;
    let mut report = LoadReport::new("spotify account data");
    let mut out = PlaysBuilder::default();
    let mut eps = EpisodesBuilder::default();
    for file in &files {
        let Some(records) = report.unless_empty(
            file,
            history_records(
                file,
                "Spotify account-data StreamingHistory",
                "endTime",
                "an extended streaming history? use spotify::read_extended_history",
            ),
        )?
        else {
            continue;
        };
        for (i, r) in records.iter().enumerate() {
            let index = i + 1;
            let o = as_record(r, file, index)?;
            let end = required_str(o, "endTime", file, index)?;
            let end = NaiveDateTime::parse_from_str(&end, "%Y-%m-%d %H:%M").map_err(|_| {
                Error::record(
                    file,
                    index,
                    format!("`endTime` `{end}` is not like `2020-08-11 12:47`"),
                )
            })?;
            let played = required_i64(o, "msPlayed", file, index)?;
            let start = ms(end) - played;
            if o.contains_key("podcastName") {
                eps.played_at.push(start);
                eps.show.push(required_str(o, "podcastName", file, index)?);
                eps.episode
                    .push(required_str(o, "episodeName", file, index)?);
                eps.ms_played.push(played);
                eps.episode_id.push(None);
                continue;
            }
            out.push(
                start,
                required_str(o, "artistName", file, index)?,
                None,
                required_str(o, "trackName", file, index)?,
                Some(played),
                None,
            );
        }
        report.rows_read += records.len();
    }
    report.rows_set_apart = eps.played_at.len();
    let episodes = if eps.played_at.is_empty() {
        None
    } else {
        Some(eps.finish()?)
    };
    out.into_loaded("spotify", path.as_ref(), report, files, episodes)
}

/// Reads Spotify's extended streaming history (`Streaming_History_Audio_*.json` or the older
/// `endsong_*.json`). Music plays carry exact track ids; podcast episodes go to `episodes`;
/// audiobook chapters and entries without metadata are skipped and counted.
pub fn read_extended_history(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "Streaming_History_Audio_*.json", |n| {
        let n = base_name(n);
        (n.starts_with("Streaming_History_Audio") || n.starts_with("endsong"))
            && n.ends_with(".json")
    })?;
    let mut report = LoadReport::new("spotify extended history");
    let mut out = PlaysBuilder::default();
    let mut eps = EpisodesBuilder::default();
    for file in &files {
        let Some(records) = report.unless_empty(
            file,
            history_records(
                file,
                "Spotify extended streaming history",
                "ts",
                "an account-data StreamingHistory? use spotify::read_account_history",
            ),
        )?
        else {
            continue;
        };
        for (i, r) in records.iter().enumerate() {
            let index = i + 1;
            let o = as_record(r, file, index)?;
            let ts = required_str(o, "ts", file, index)?;
            let end = DateTime::parse_from_rfc3339(&ts).map_err(|_| {
                Error::record(file, index, format!("`ts` `{ts}` is not an RFC 3339 time"))
            })?;
            let played = required_i64(o, "ms_played", file, index)?;
            let start = end.timestamp_millis() - played;
            if let Some(track) = str_field(o, "master_metadata_track_name") {
                let track_id = str_field(o, "spotify_track_uri")
                    .map(|u| u.rsplit(':').next().unwrap_or(&u).to_string());
                out.push(
                    start,
                    str_field(o, "master_metadata_album_artist_name").unwrap_or_default(),
                    str_field(o, "master_metadata_album_album_name"),
                    track,
                    Some(played),
                    track_id,
                );
            } else if let Some(episode) = str_field(o, "episode_name") {
                eps.played_at.push(start);
                eps.show
                    .push(str_field(o, "episode_show_name").unwrap_or_default());
                eps.episode.push(episode);
                eps.ms_played.push(played);
                eps.episode_id.push(
                    str_field(o, "spotify_episode_uri")
                        .map(|u| u.rsplit(':').next().unwrap_or(&u).to_string()),
                );
            } else if str_field(o, "audiobook_title").is_some()
                || str_field(o, "audiobook_chapter_uri").is_some()
            {
                report.skip_record(file, index, SKIP_AUDIOBOOK);
            } else {
                report.skip_record(file, index, SKIP_NO_METADATA);
            }
        }
        report.rows_read += records.len();
    }
    report.rows_set_apart = eps.played_at.len();
    out.into_loaded("spotify", path.as_ref(), report, files, Some(eps.finish()?))
}
