//! Spotify histories read row by row for the ledger: every field the play rules need
//! (`reason_end` — missing and null told apart —, `skipped`, `incognito_mode`) and every row that
//! is not music set apart with its reason. [`super::spotify`] keeps reading the same files into the
//! plays table for [`super::read_plays`]; the two agree on which rows are music plays (tested).
//!
//! Times: Spotify stamps the **end** (`ts`, `endTime`); start = end − `ms_played`
//! ([`TimeFrom::EndMinusPlayed`]).

use super::entries::{EntriesBuilder, Entry, Read, TimeFrom};
use super::json::{Shape, each_in_array, shape};
use super::report::LoadReport;
use super::text::open_decoded;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDateTime};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Reason for a podcast episode.
pub const SET_APART_PODCAST: &str = "podcast episode";
/// Reason for an audiobook chapter.
pub const SET_APART_AUDIOBOOK: &str = "audiobook chapter";
/// Reason for a row of a `Streaming_History_Video_*` file.
pub const SET_APART_VIDEO: &str = "video (Streaming_History_Video file)";

fn s(o: &Map<String, Value>, k: &str) -> Option<String> {
    o.get(k).and_then(Value::as_str).map(str::to_string)
}

fn each(
    file: &Path,
    report: &mut LoadReport,
    mut f: impl FnMut(usize, &Map<String, Value>) -> Result<()>,
) -> Result<usize> {
    let (mut r, encoding) = open_decoded(file)?;
    super::note_encoding(report, file, encoding);
    match shape(file, &mut r)? {
        Shape::Empty => Ok(0),
        Shape::Values => Err(Error::WrongFormat {
            path: file.to_path_buf(),
            expected: "Spotify streaming history".into(),
            detail: "the file is not a JSON array of plays".into(),
        }),
        Shape::Array => each_in_array(file, &mut r, |index, v| {
            let o = v
                .as_object()
                .ok_or_else(|| Error::record(file, index, "not a JSON object"))?;
            f(index, o)
        }),
    }
}

fn ms(o: &Map<String, Value>, k: &str, file: &Path, index: usize) -> Result<i64> {
    o.get(k)
        .and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        })
        .ok_or_else(|| Error::record(file, index, format!("missing or non-integer `{k}`")))
}

/// Start from end and time played, or the reason the row is set apart.
fn timed(mut e: Entry, end: i64, played: i64) -> Entry {
    e.end = Some(end);
    e.ms_played = Some(played);
    e.time_from = TimeFrom::EndMinusPlayed;
    e.start = None;
    if !super::dates::in_range(end) {
        e.set_apart = Some(super::spotify::SKIP_OUT_OF_RANGE.into());
    } else if played < 0 {
        e.set_apart = Some(super::spotify::SKIP_NEGATIVE_MS.into());
    } else if played > 86_400_000 {
        e.set_apart = Some(super::spotify::SKIP_HUGE_MS.into());
    } else {
        e.start = Some(end - played);
    }
    e
}

/// Reads extended-history files (`Streaming_History_Audio_*`, `Streaming_History_Video_*`,
/// `endsong_*`) row by row.
pub(crate) fn read_extended(root: &Path, files: Vec<PathBuf>) -> Result<Read> {
    let mut report = LoadReport::new("spotify extended history");
    let mut rows = EntriesBuilder::default();
    for file in &files {
        rows.file(super::apple::file_label(root, file));
        let video = file
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("Streaming_History_Video"));
        let n = each(file, &mut report, |index, o| {
            let row = index as u64;
            let ts =
                s(o, "ts").ok_or_else(|| Error::record(file, index, "missing or non-text `ts`"))?;
            let end = DateTime::parse_from_rfc3339(&ts)
                .map_err(|_| {
                    Error::record(file, index, format!("`ts` `{ts}` is not an RFC 3339 time"))
                })?
                .timestamp_millis();
            let played = ms(o, "ms_played", file, index)?;
            let track = s(o, "master_metadata_track_name");
            let mut e = Entry::started(
                row,
                0,
                &s(o, "master_metadata_album_artist_name").unwrap_or_default(),
                track.as_deref().unwrap_or(""),
            );
            e.album = s(o, "master_metadata_album_album_name");
            e.spotify_id = s(o, "spotify_track_uri").map(|u| match u.rsplit_once(':') {
                Some((_, id)) => id.to_string(),
                None => u,
            });
            e.reason_end = match o.get("reason_end") {
                None => None,
                Some(Value::Null) => Some("null".into()),
                Some(v) => Some(
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string()),
                ),
            };
            e.skipped = o.get("skipped").and_then(Value::as_bool);
            e.incognito = o.get("incognito_mode").and_then(Value::as_bool);
            let mut e = timed(e, end, played);
            if e.set_apart.is_none() {
                let reason = if video {
                    Some(SET_APART_VIDEO)
                } else if track.is_some() {
                    None
                } else if s(o, "episode_name").is_some() {
                    Some(SET_APART_PODCAST)
                } else if s(o, "audiobook_title").is_some() {
                    Some(SET_APART_AUDIOBOOK)
                } else {
                    Some(super::spotify::SKIP_NO_METADATA)
                };
                e.set_apart = reason.map(str::to_string);
            }
            rows.push(e);
            Ok(())
        })?;
        if n == 0 {
            report.empty_file(file);
        }
        report.rows_read += n;
    }
    Ok(Read {
        source: "spotify",
        rows,
        report,
        files,
    })
}

/// Reads account-data files (`StreamingHistory*.json`, both layouts) row by row.
pub(crate) fn read_account(root: &Path, files: Vec<PathBuf>) -> Result<Read> {
    let mut report = LoadReport::new("spotify account data");
    let mut rows = EntriesBuilder::default();
    for file in &files {
        rows.file(super::apple::file_label(root, file));
        let n = each(file, &mut report, |index, o| {
            let end = s(o, "endTime")
                .ok_or_else(|| Error::record(file, index, "missing or non-text `endTime`"))?;
            let end = NaiveDateTime::parse_from_str(end.trim(), "%Y-%m-%d %H:%M")
                .map_err(|_| {
                    Error::record(
                        file,
                        index,
                        format!("`endTime` `{end}` is not like `2020-08-11 12:47`"),
                    )
                })?
                .and_utc()
                .timestamp_millis();
            let played = ms(o, "msPlayed", file, index)?;
            let mut e = Entry::started(
                index as u64,
                0,
                &s(o, "artistName").unwrap_or_default(),
                &s(o, "trackName").unwrap_or_default(),
            );
            let reason = if o.contains_key("podcastName") {
                Some(SET_APART_PODCAST)
            } else if o.contains_key("audiobookName") {
                Some(SET_APART_AUDIOBOOK)
            } else if !o.contains_key("trackName") {
                Some(super::spotify::SKIP_NO_METADATA)
            } else {
                None
            };
            e = timed(e, end, played);
            if e.set_apart.is_none() {
                e.set_apart = reason.map(str::to_string);
            }
            rows.push(e);
            Ok(())
        })?;
        if n == 0 {
            report.empty_file(file);
        }
        report.rows_read += n;
    }
    Ok(Read {
        source: "spotify",
        rows,
        report,
        files,
    })
}
