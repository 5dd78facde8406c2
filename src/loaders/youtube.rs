//! Google Takeout's YouTube history (`watch-history.json`): a JSON array of
//! `{header, title, titleUrl, subtitles: [{name, url}], time, products, activityControls}`.
//!
//! Only rows with `header == "YouTube Music"` are music; every other row (ordinary YouTube videos)
//! is set apart as a video ([`SET_APART_VIDEO`]). For a music row: the track is `title` without
//! its leading "Watched " (Takeout in English; other languages keep their own word), the artist is
//! the channel, `subtitles[0].name`, with the " - Topic" suffix of YouTube's auto-generated artist
//! channels removed; `time` (ISO 8601, UTC) is when the play started. Takeout writes no play
//! duration, so the end is unknown. A music row without a channel (a removed video, whose title
//! is its URL) is set apart ([`SET_APART_NO_CHANNEL`]).

use super::entries::{EntriesBuilder, Entry, Read};
use super::json::{Shape, each_in_array, shape};
use super::report::{LoadReport, Loaded};
use super::text::open_decoded;
use crate::error::{Error, Result};
use chrono::DateTime;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Reason for a row that is not a YouTube Music play.
pub const SET_APART_VIDEO: &str = "video (not YouTube Music)";
/// Reason for a YouTube Music row without a channel (removed or private video).
pub const SET_APART_NO_CHANNEL: &str = "YouTube Music row without a channel (removed video)";
/// The suffix of YouTube's auto-generated artist channels.
pub const TOPIC_SUFFIX: &str = " - Topic";

/// Reads `watch-history.json` (a file, or a folder's `watch-history*.json`).
pub fn read_watch_history(path: impl AsRef<Path>) -> Result<Loaded> {
    let p = path.as_ref();
    let files = super::files_in(p, "watch-history*.json", |n| {
        super::base_name(n).starts_with("watch-history") && super::base_name(n).ends_with(".json")
    })?;
    load(p, files)?.into_loaded(p)
}

/// The channel name as an artist: " - Topic" removed.
pub fn artist_of_channel(channel: &str) -> &str {
    channel.strip_suffix(TOPIC_SUFFIX).unwrap_or(channel)
}

pub(crate) fn load(root: &Path, files: Vec<PathBuf>) -> Result<Read> {
    let mut report = LoadReport::new("youtube watch history");
    let mut rows = EntriesBuilder::default();
    for file in &files {
        rows.file(super::apple::file_label(root, file));
        let (mut r, encoding) = open_decoded(file)?;
        super::note_encoding(&mut report, file, encoding);
        let n = match shape(file, &mut r)? {
            Shape::Empty => 0,
            Shape::Values => {
                return Err(Error::WrongFormat {
                    path: file.clone(),
                    expected: "Google Takeout watch-history.json".into(),
                    detail: "not a JSON array".into(),
                });
            }
            Shape::Array => each_in_array(file, &mut r, |index, v| {
                rows.push(row(&v, file, index)?);
                Ok(())
            })?,
        };
        if n == 0 {
            report.empty_file(file);
        }
        report.rows_read += n;
    }
    Ok(Read {
        source: "youtube",
        rows,
        report,
        files,
    })
}

fn row(v: &Value, file: &Path, index: usize) -> Result<Entry> {
    let o = v
        .as_object()
        .ok_or_else(|| Error::record(file, index, "not a JSON object"))?;
    let row = index as u64;
    if o.get("header").and_then(Value::as_str) != Some("YouTube Music") {
        return Ok(Entry::apart(row, SET_APART_VIDEO));
    }
    let time = o
        .get("time")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::record(file, index, "no `time`"))?;
    let start = DateTime::parse_from_rfc3339(time)
        .map(|d| d.timestamp_millis())
        .ok()
        .filter(|ms| super::dates::in_range(*ms))
        .ok_or_else(|| {
            Error::record(
                file,
                index,
                format!("`time` `{time}` is not an ISO 8601 time"),
            )
        })?;
    let title = o
        .get("title")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::record(file, index, "no `title`"))?;
    let track = title.strip_prefix("Watched ").unwrap_or(title);
    let channel = o
        .get("subtitles")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("name"))
        .and_then(Value::as_str);
    let Some(channel) = channel else {
        let mut e = Entry::apart(row, SET_APART_NO_CHANNEL);
        e.start = Some(start);
        e.track = track.to_string();
        return Ok(e);
    };
    Ok(Entry::started(
        row,
        start,
        artist_of_channel(channel),
        track,
    ))
}
