//! Last.fm exports: "lastfm-to-csv", lastfm.ghan.nl CSV, and saved `user.getRecentTracks` pages.

use super::csv_table::{FLAG_SPREADSHEET_ERROR, is_spreadsheet_error, stream_records};
use super::dates::{DateFormat, DateReader};
use super::json::{Shape, each_in_array, each_value, shape};
use super::mapped::PlaysColumns;
use super::report::{LoadReport, Loaded};
use super::table::{PlaysBuilder, SideTables};
use super::text::open_decoded;
use super::{base_name, files_in};
use crate::error::{Error, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Reason counted when a scrobble row has no date (lastfm-to-csv writes the track playing now, and
/// some tools write unfinished scrobbles, with an empty date).
pub const SKIP_NO_DATE: &str = "no date (now playing)";

fn none_if_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    if t.is_empty() || t == "NA" {
        None
    } else {
        Some(s)
    }
}

/// Reads "lastfm-to-csv" exports: no header, columns `artist,album,track,date`, written with
/// dates like `20 Nov 2020 09:35` (UTC). The same files re-saved by a spreadsheet load too: CRLF
/// line ends, no final newline, `;` or tab separators, dates rewritten as `1/22/23 1:02` (read as
/// [`super::dates`] says: month first unless the file proves otherwise, and the report says which),
/// cells such as `#NAME?` (kept, and flagged in the report). A header row `artist,album,track,date`
/// is recognised and not counted. Rows with an empty date are skipped and counted
/// ([`SKIP_NO_DATE`]); any other malformed row is an error naming file and line, and so is a date
/// that does not fit the format of the file's first date.
pub fn read_scrobbles_csv(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.csv", |n| base_name(n).ends_with(".csv"))?;
    load_scrobbles_csv(path.as_ref(), files)
}

pub(crate) fn load_scrobbles_csv(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    let mut report = LoadReport::new("lastfm-to-csv");
    let mut out = PlaysBuilder::default();
    for file in &files {
        let mut dates = DateReader::new(DateFormat::Auto);
        let mut rows_in_file = 0usize;
        let mut errors = 0usize;
        stream_records(file, &mut report, |report, record, line| {
            if rows_in_file == 0
                && record.len() == 4
                && record[3].trim().eq_ignore_ascii_case("date")
            {
                return Ok(()); // a header some tools add
            }
            rows_in_file += 1;
            if record.len() != 4 {
                return Err(Error::parse(
                    file,
                    line,
                    format!(
                        "expected 4 fields (artist,album,track,date), found {}",
                        record.len()
                    ),
                ));
            }
            let date = record[3].trim();
            if date.is_empty() {
                report.skip(file, line, SKIP_NO_DATE);
                return Ok(());
            }
            let when = dates.read(file, line, out.len(), date, 0)?;
            if (0..3).any(|c| is_spreadsheet_error(&record[c])) {
                errors += 1;
            }
            out.push(
                when.unwrap_or(0),
                &record[0],
                none_if_empty(&record[1]),
                &record[2],
                None,
                None,
            );
            Ok(())
        })?;
        report.flag(FLAG_SPREADSHEET_ERROR, errors);
        let spreadsheet = !matches!(dates.format(), None | Some(DateFormat::LastfmText));
        if let Some(note) = dates.finish(file, &mut out.played_at)? {
            report.note(note);
        }
        if spreadsheet || errors > 0 {
            report.set_variant("re-saved by a spreadsheet");
        }
        if rows_in_file == 0 {
            report.empty_file(file);
        }
        report.rows_read += rows_in_file;
    }
    out.into_loaded("lastfm", root, report, files, SideTables::default())
}

/// Reads lastfm.ghan.nl CSV exports (header
/// `uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid`; `uts` is the UTC unix
/// time in seconds).
pub fn read_ghan_csv(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.csv", |n| base_name(n).ends_with(".csv"))?;
    load_ghan_csv(path.as_ref(), files)
}

pub(crate) fn load_ghan_csv(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    let columns = PlaysColumns::new("uts", "artist", "track")
        .album("album")
        .date_format(DateFormat::Unix);
    super::mapped::load_table(root, files, &columns, "lastfm.ghan.nl csv", "lastfm")
}

/// Reason counted for the now-playing entry Last.fm prepends to a recent-tracks page.
pub const SKIP_NOW_PLAYING: &str = "now playing (no timestamp yet)";

/// Reads saved Last.fm API `user.getRecentTracks` responses, as people save them: one JSON page
/// per file (plain or `extended=1`), several pages concatenated in one file, a JSON array of pages,
/// or a bare JSON array of track objects (the `recenttracks.track` list without its wrapper).
/// The now-playing entry is skipped and counted ([`SKIP_NOW_PLAYING`]); an API error page
/// (`{"error": 17, ...}`) is an error naming the file.
pub fn read_recent_tracks_json(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.json", |n| base_name(n).ends_with(".json"))?;
    load_recent_tracks_json(path.as_ref(), files)
}

pub(crate) fn load_recent_tracks_json(root: &Path, files: Vec<PathBuf>) -> Result<Loaded> {
    let mut report = LoadReport::new("last.fm recenttracks json");
    let mut out = PlaysBuilder::default();
    for file in &files {
        let (mut r, encoding) = open_decoded(file)?;
        super::note_encoding(&mut report, file, encoding);
        let rows_before = report.rows_read;
        match shape(file, &mut r)? {
            Shape::Empty => report.empty_file(file),
            Shape::Values => {
                let pages = each_value(file, &mut r, |_, page| {
                    let n = parse_recent_tracks_page(&page, file, &mut report, &mut out)?;
                    report.rows_read += n;
                    Ok(())
                })?;
                report.set_variant(if pages > 1 {
                    "pages concatenated"
                } else {
                    "one page per file"
                });
            }
            Shape::Array => {
                let mut kind = None;
                each_in_array(file, &mut r, |index, v| {
                    if v.get("recenttracks").is_some() || v.get("error").is_some() {
                        kind.get_or_insert("an array of pages");
                        let n = parse_recent_tracks_page(&v, file, &mut report, &mut out)?;
                        report.rows_read += n;
                    } else {
                        kind.get_or_insert("a bare array of tracks");
                        report.rows_read += 1;
                        parse_track(&v, file, index, &mut report, &mut out)?;
                    }
                    Ok(())
                })?;
                report.set_variant(kind.unwrap_or("a bare array of tracks"));
            }
        }
        if report.rows_read == rows_before && !report.empty_files.contains(file) {
            report.empty_file(file);
        }
    }
    out.into_loaded("lastfm", root, report, files, SideTables::default())
}

/// Parses one `user.getRecentTracks` page into `out`; returns the number of entries it held.
pub(crate) fn parse_recent_tracks_page(
    page: &Value,
    file: &Path,
    report: &mut LoadReport,
    out: &mut PlaysBuilder,
) -> Result<usize> {
    if let Some(code) = page.get("error") {
        let message = page.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(Error::WrongFormat {
            path: file.to_path_buf(),
            expected: "recent-tracks page".into(),
            detail: format!("Last.fm API error {code}: {message}"),
        });
    }
    let tracks = page
        .get("recenttracks")
        .and_then(|r| r.get("track"))
        .ok_or_else(|| Error::WrongFormat {
            path: file.to_path_buf(),
            expected: "Last.fm recent-tracks page".into(),
            detail: "no `recenttracks.track` field".into(),
        })?;
    // Last.fm returns a lone object instead of an array when a page holds one track.
    let tracks: Vec<&Value> = match tracks {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for (i, t) in tracks.iter().enumerate() {
        parse_track(t, file, i + 1, report, out)?;
    }
    Ok(tracks.len())
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("#text")
            .or_else(|| o.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// Parses one track object of a recent-tracks list (record `index` of `file`) into `out`.
fn parse_track(
    t: &Value,
    file: &Path,
    index: usize,
    report: &mut LoadReport,
    out: &mut PlaysBuilder,
) -> Result<()> {
    if !t.is_object() {
        return Err(Error::record(file, index, "not a JSON object"));
    }
    let now_playing = t
        .get("@attr")
        .and_then(|a| a.get("nowplaying"))
        .and_then(Value::as_str)
        == Some("true");
    if now_playing {
        report.skip_record(file, index, SKIP_NOW_PLAYING);
        return Ok(());
    }
    let uts = t
        .get("date")
        .and_then(|d| d.get("uts"))
        .and_then(|u| match u {
            Value::String(s) => s.trim().parse::<i64>().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        })
        .ok_or_else(|| Error::record(file, index, "no `date.uts` timestamp"))?;
    let ms = uts
        .checked_mul(1000)
        .filter(|ms| super::dates::in_range(*ms))
        .ok_or_else(|| {
            Error::record(
                file,
                index,
                format!("`date.uts` {uts} is not a time between 1900 and 2200"),
            )
        })?;
    let artist =
        text_of(t.get("artist")).ok_or_else(|| Error::record(file, index, "no `artist`"))?;
    let track = t
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::record(file, index, "no track `name`"))?;
    let album = text_of(t.get("album")).filter(|a| !a.is_empty());
    out.push(ms, &artist, album.as_deref(), track, None, None);
    Ok(())
}
