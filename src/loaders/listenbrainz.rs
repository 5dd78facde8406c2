//! ListenBrainz listen exports: JSON lines (one listen per line, as the export's
//! `listens/YYYY/M.jsonl` files hold them) or one JSON array of listens (the older single-file
//! export). Each listen is `{"listened_at": …, "track_metadata": {"artist_name", "track_name",
//! "release_name", "additional_info": {…}}, …}`.
//!
//! `listened_at` is the start of the play, in unix seconds (an ISO 8601 text is accepted too).
//! ListenBrainz records no time played, so `ms_played` is null (`additional_info.duration_ms` is
//! the track's length, not the time listened). A Spotify id is taken from
//! `additional_info.spotify_id` (`https://open.spotify.com/track/…`) where present. A listen
//! without `listened_at` (a "playing now" record) is skipped and counted.

use super::dates::{DateFormat, parse};
use super::json::{Shape, each_in_array, each_value, shape};
use super::report::{LoadReport, Loaded};
use super::table::{PlaysBuilder, SideTables};
use super::text::open_decoded;
use super::{base_name, files_in};
use crate::error::{Error, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Reason counted for a listen without `listened_at`.
pub const SKIP_NO_TIME: &str = "no listened_at (playing now)";

/// Reads ListenBrainz exports: a file, or a folder of `*.jsonl` / `*.json` files (see the
/// module docs).
pub fn read_listens(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.jsonl or *.json", |n| {
        let n = base_name(n);
        n.ends_with(".jsonl") || n.ends_with(".json")
    })?;
    load_listens(path.as_ref(), files)
}

pub(crate) fn load_listens(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    let mut report = LoadReport::new("listenbrainz");
    let mut out = PlaysBuilder::default();
    for file in &files {
        let (mut r, encoding) = open_decoded(file)?;
        super::note_encoding(&mut report, file, encoding);
        let mut each = |index: usize, v: Value| listen(&v, file, index, &mut report, &mut out);
        let n = match shape(file, &mut r)? {
            Shape::Empty => 0,
            Shape::Array => each_in_array(file, &mut r, &mut each)?,
            Shape::Values => each_value(file, &mut r, &mut each)?,
        };
        if n == 0 {
            report.empty_file(file);
        }
        report.rows_read += n;
    }
    out.into_loaded("listenbrainz", root, report, files, SideTables::default())
}

fn listen(
    v: &Value,
    file: &Path,
    index: usize,
    report: &mut LoadReport,
    out: &mut PlaysBuilder,
) -> Result<()> {
    let o = v
        .as_object()
        .ok_or_else(|| Error::record(file, index, "not a JSON object"))?;
    let meta = o
        .get("track_metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::record(file, index, "no `track_metadata` object"))?;
    let when = match o.get("listened_at") {
        None | Some(Value::Null) => {
            report.skip_record(file, index, SKIP_NO_TIME);
            return Ok(());
        }
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .and_then(|s| s.checked_mul(1000)),
        Some(Value::String(s)) => parse(&DateFormat::Auto, s),
        Some(_) => None,
    }
    .filter(|ms| super::dates::in_range(*ms))
    .ok_or_else(|| {
        Error::record(
            file,
            index,
            format!(
                "`listened_at` {} is not a time between 1900 and 2200",
                o["listened_at"]
            ),
        )
    })?;
    let text = |k: &str| meta.get(k).and_then(Value::as_str);
    let artist = text("artist_name")
        .ok_or_else(|| Error::record(file, index, "no `track_metadata.artist_name`"))?;
    let track = text("track_name")
        .ok_or_else(|| Error::record(file, index, "no `track_metadata.track_name`"))?;
    let album = text("release_name").filter(|a| !a.is_empty());
    let spotify = meta
        .get("additional_info")
        .and_then(|a| a.get("spotify_id"))
        .and_then(Value::as_str)
        .and_then(|u| u.split('?').next())
        .and_then(|u| u.trim_end_matches('/').rsplit(['/', ':']).next())
        .filter(|id| !id.is_empty());
    out.push(when, artist, album, track, None, spotify);
    Ok(())
}
