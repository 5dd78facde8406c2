//! ListenBrainz listen exports, every layout seen:
//!
//! - today's export: JSON lines, one listen per line, `{"listened_at": …, "track_metadata":
//!   {"artist_name", "track_name", "release_name", "additional_info": {…}, "mbid_mapping": {…} or
//!   null}, …}`, one file per month — loose, or inside the export's zip as `listens/YYYY/M.jsonl`
//!   (the zip's members starting `listens/` and ending `.jsonl` are read, as Koito does; other
//!   members such as `feedback.jsonl` or `user.json` are left out and named in a note; the member
//!   path need not match the listens' dates);
//! - one JSON array of such listens;
//! - the 2018 export: a JSON array of flat listens, `{"timestamp", "artist_name", "track_name",
//!   "release_name", "additional_info": {…}, "*_msid"}`;
//! - listens saved inside a wrapper object: `{"payload": {"listens": […], …}}` as the API answers,
//!   or a user's own `{"listens": […], …}`.
//!
//! `listened_at` (`timestamp` in 2018) is the start of the play, in unix seconds (an ISO 8601
//! text is accepted too). ListenBrainz records no time played: `ms_played` is missing, and
//! `additional_info.duration_ms` (or `duration`, seconds) is kept as the track's length. Ids: the
//! Spotify id from `additional_info.spotify_id` (`https://open.spotify.com/track/…`), the ISRC
//! from `additional_info.isrc`, the recording MBID from `mbid_mapping.recording_mbid`, else
//! `additional_info.recording_mbid` (either may be null). A listen without a time ("playing now")
//! is set apart and counted ([`SKIP_NO_TIME`]).

use super::dates::{DateFormat, parse};
use super::entries::{EntriesBuilder, Entry, Read};
use super::json::{Shape, each_in_array, each_value, shape};
use super::report::{LoadReport, Loaded};
use super::text::open_decoded;
use super::{base_name, files_in, zipped};
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reason counted for a listen without `listened_at`.
pub const SKIP_NO_TIME: &str = "no listened_at (playing now)";

/// Reads ListenBrainz exports: a file (JSON lines, a JSON array, a wrapper object, or the
/// export's zip), or a folder of `*.jsonl` / `*.json` / `*.zip` files (see the module docs).
pub fn read_listens(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.jsonl, *.json or *.zip", |n| {
        let n = base_name(n);
        n.ends_with(".jsonl") || n.ends_with(".json") || n.ends_with(".zip")
    })?;
    load_listens(path.as_ref(), files)
}

pub(crate) fn load_listens(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    read(root, files)?.into_loaded(root)
}

/// Whether a zip member is a listens file of the export.
pub(crate) fn is_listens_member(name: &str) -> bool {
    name.starts_with("listens/") && name.ends_with(".jsonl")
}

pub(crate) fn read(root: &Path, files: Vec<PathBuf>) -> Result<Read> {
    let mut report = LoadReport::new("listenbrainz");
    let mut rows = EntriesBuilder::default();
    for file in &files {
        let label = super::apple::file_label(root, file);
        if zipped::is_zip(file)? {
            report.set_variant("export zip");
            let names = zipped::members(file)?;
            let (mut listens, others): (Vec<String>, Vec<String>) =
                names.into_iter().partition(|n| is_listens_member(n));
            listens.sort_by_key(|n| member_order(n));
            if !others.is_empty() {
                report.note(format!(
                    "{label}: {} member(s) that are not listens/*.jsonl left out: {}",
                    others.len(),
                    others.join(", ")
                ));
            }
            if listens.is_empty() {
                report.empty_file(file);
            }
            for m in listens {
                let text = zipped::read_member_text(file, &m)?;
                rows.file(format!("{label}/{m}"));
                let member = file.join(&m);
                let mut r: &[u8] = text.as_bytes();
                let n = read_stream(&member, &mut r, &mut report, &mut rows)?;
                report.rows_read += n;
            }
            continue;
        }
        rows.file(label);
        let (mut r, encoding) = open_decoded(file)?;
        super::note_encoding(&mut report, file, encoding);
        let n = read_stream(file, &mut r, &mut report, &mut rows)?;
        if n == 0 {
            report.empty_file(file);
        }
        report.rows_read += n;
    }
    Ok(Read {
        source: "listenbrainz",
        rows,
        report,
        files,
    })
}

/// `listens/2020/3.jsonl` sorts by (year, month) as numbers.
fn member_order(name: &str) -> (i64, i64, String) {
    let mut parts = name.trim_end_matches(".jsonl").split('/').skip(1);
    let y = parts
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(i64::MAX);
    let m = parts
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(i64::MAX);
    (y, m, name.to_string())
}

/// Reads one stream (a file or a zip member); returns the listens it held.
fn read_stream(
    file: &Path,
    r: &mut dyn BufRead,
    report: &mut LoadReport,
    rows: &mut EntriesBuilder,
) -> Result<usize> {
    Ok(match shape(file, r)? {
        Shape::Empty => 0,
        Shape::Array => {
            let mut flat = false;
            let n = each_in_array(file, r, |index, v| {
                flat |= v.get("timestamp").is_some() && v.get("track_metadata").is_none();
                rows.push(listen(&v, file, index)?);
                Ok(())
            })?;
            report.set_variant(if flat {
                "2018 JSON array"
            } else {
                "JSON array"
            });
            n
        }
        Shape::Values => {
            let mut n = 0;
            each_value(file, r, |index, v| {
                let inner = v
                    .get("payload")
                    .and_then(|p| p.get("listens"))
                    .map(|l| (l, "API payload wrapper"))
                    .or_else(|| v.get("listens").map(|l| (l, "{\"listens\": …} wrapper")));
                match inner {
                    Some((Value::Array(listens), variant)) => {
                        report.set_variant(variant);
                        for l in listens {
                            n += 1;
                            rows.push(listen(l, file, n)?);
                        }
                    }
                    Some(_) => {
                        return Err(Error::record(file, index, "`listens` is not an array"));
                    }
                    None => {
                        report.set_variant("JSON lines");
                        n += 1;
                        rows.push(listen(&v, file, n)?);
                    }
                }
                Ok(())
            })?;
            n
        }
    })
}

fn text<'a>(o: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// One listen (record `index` of `file`) as an entry.
fn listen(v: &Value, file: &Path, index: usize) -> Result<Entry> {
    let o = v
        .as_object()
        .ok_or_else(|| Error::record(file, index, "not a JSON object"))?;
    // Today's layout nests the names in `track_metadata`; 2018's has them at the top level.
    let meta = match o.get("track_metadata") {
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(Error::record(
                file,
                index,
                "`track_metadata` is not an object",
            ));
        }
        None if o.contains_key("artist_name") => o,
        None => return Err(Error::record(file, index, "no `track_metadata` object")),
    };
    let (key, when) = match (o.get("listened_at"), o.get("timestamp")) {
        (Some(w), _) => ("listened_at", w),
        (None, Some(w)) => ("timestamp", w),
        (None, None) => ("listened_at", &Value::Null),
    };
    let when = match when {
        Value::Null => {
            return Ok(Entry::apart(index as u64, SKIP_NO_TIME));
        }
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .and_then(|s| s.checked_mul(1000)),
        Value::String(s) => parse(&DateFormat::Auto, s),
        _ => None,
    }
    .filter(|ms| super::dates::in_range(*ms))
    .ok_or_else(|| {
        Error::record(
            file,
            index,
            format!("`{key}` {when} is not a time between 1900 and 2200"),
        )
    })?;
    let artist = meta
        .get("artist_name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::record(file, index, "no `artist_name`"))?;
    let track = meta
        .get("track_name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::record(file, index, "no `track_name`"))?;
    let mut e = Entry::started(index as u64, when, artist, track);
    e.album = text(meta, "release_name").map(str::to_string);
    let info = meta.get("additional_info").and_then(Value::as_object);
    if let Some(info) = info {
        e.spotify_id = text(info, "spotify_id")
            .and_then(|u| u.split('?').next())
            .and_then(|u| u.trim_end_matches('/').rsplit(['/', ':']).next())
            .filter(|id| !id.is_empty())
            .map(str::to_string);
        e.isrc = text(info, "isrc").map(str::to_string);
        e.recording_mbid = text(info, "recording_mbid").map(str::to_string);
        e.duration_ms = info.get("duration_ms").and_then(Value::as_i64).or_else(|| {
            info.get("duration")
                .and_then(Value::as_i64)
                .and_then(|s| s.checked_mul(1000))
        });
    }
    if let Some(m) = meta.get("mbid_mapping").and_then(Value::as_object)
        && let Some(id) = text(m, "recording_mbid")
    {
        e.recording_mbid = Some(id.to_string());
    }
    Ok(e.derive_end())
}
