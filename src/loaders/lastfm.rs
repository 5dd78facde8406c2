//! Last.fm exports: "lastfm-to-csv", lastfm.ghan.nl CSV, and saved `user.getRecentTracks` pages.

use super::report::{LoadReport, Loaded};
use super::table::{PlaysBuilder, ms};
use super::{base_name, files_in, read_text};
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use serde_json::Value;
use std::path::Path;

/// Reason counted when a scrobble row has no date (lastfm-to-csv writes the track playing now, and
/// some tools write unfinished scrobbles, with an empty date).
pub const SKIP_NO_DATE: &str = "no date (now playing)";

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn none_if_empty(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

/// Reads "lastfm-to-csv" exports: no header, columns `artist,album,track,date` with dates like
/// `20 Nov 2020 09:35` (UTC). Rows with an empty date are skipped and counted
/// ([`SKIP_NO_DATE`]); any other malformed row is an error naming file and line.
pub fn read_scrobbles_csv(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.csv", |n| base_name(n).ends_with(".csv"))?;
    let mut report = LoadReport::new("lastfm-to-csv");
    let mut out = PlaysBuilder::default();
    for file in &files {
        let text = read_text(file)?;
        let mut rows_in_file = 0usize;
        for (i, record) in csv_reader(&text).records().enumerate() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                Error::parse(file, line, format!("malformed CSV: {e}"))
            })?;
            let line = record.position().map(|p| p.line()).unwrap_or(i as u64 + 1);
            if i == 0 && record.len() == 4 && record[3].eq_ignore_ascii_case("date") {
                continue; // a header some tools add
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
                continue;
            }
            let when = NaiveDateTime::parse_from_str(date, "%d %b %Y %H:%M").map_err(|_| {
                Error::parse(
                    file,
                    line,
                    format!("column 4 (date): `{date}` is not a date like `20 Nov 2020 09:35`"),
                )
            })?;
            out.push(
                ms(when),
                record[0].to_string(),
                none_if_empty(&record[1]),
                record[2].to_string(),
                None,
                None,
            );
        }
        if rows_in_file == 0 {
            report.empty_file(file);
        }
        report.rows_read += rows_in_file;
    }
    out.into_loaded("lastfm", path.as_ref(), report, files, None)
}

/// Reads lastfm.ghan.nl CSV exports (header
/// `uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid`; `uts` is the UTC unix
/// time in seconds).
pub fn read_ghan_csv(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.csv", |n| base_name(n).ends_with(".csv"))?;
    let mut report = LoadReport::new("lastfm.ghan.nl csv");
    let mut out = PlaysBuilder::default();
    for file in &files {
        let text = read_text(file)?;
        if text.trim().is_empty() {
            report.empty_file(file);
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| Error::parse(file, 1, format!("malformed CSV header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let find = |name: &str| -> Result<usize> {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| Error::MissingColumn {
                    path: file.clone(),
                    column: name.to_string(),
                    found: header.join(","),
                })
        };
        let (uts, artist, album, track) = (
            find("uts")?,
            find("artist")?,
            find("album")?,
            find("track")?,
        );
        let mut rows_in_file = 0usize;
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                Error::parse(file, line, format!("malformed CSV: {e}"))
            })?;
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            rows_in_file += 1;
            if record.len() != header.len() {
                return Err(Error::parse(
                    file,
                    line,
                    format!("expected {} fields, found {}", header.len(), record.len()),
                ));
            }
            let secs: i64 = record[uts].trim().parse().map_err(|_| {
                Error::parse(
                    file,
                    line,
                    format!("column `uts`: `{}` is not a unix time", &record[uts]),
                )
            })?;
            out.push(
                secs * 1000,
                record[artist].to_string(),
                none_if_empty(&record[album]),
                record[track].to_string(),
                None,
                None,
            );
        }
        if rows_in_file == 0 {
            report.empty_file(file);
        }
        report.rows_read += rows_in_file;
    }
    out.into_loaded("lastfm", path.as_ref(), report, files, None)
}

/// Reason counted for the now-playing entry Last.fm prepends to a recent-tracks page.
pub const SKIP_NOW_PLAYING: &str = "now playing (no timestamp yet)";

/// Reads saved Last.fm API `user.getRecentTracks` responses (one JSON page per file, plain or
/// `extended=1`). The now-playing entry is skipped and counted ([`SKIP_NOW_PLAYING`]); an API error
/// page (`{"error": 17, ...}`) is an error naming the file.
pub fn read_recent_tracks_json(path: impl AsRef<Path>) -> Result<Loaded> {
    let files = files_in(path.as_ref(), "*.json", |n| base_name(n).ends_with(".json"))?;
    let mut report = LoadReport::new("last.fm recenttracks json");
    let mut out = PlaysBuilder::default();
    for file in &files {
        let text = read_text(file)?;
        if text.trim().is_empty() {
            report.empty_file(file);
            continue;
        }
        let page: Value = serde_json::from_str(&text)
            .map_err(|e| Error::parse(file, e.line() as u64, format!("invalid JSON: {e}")))?;
        let rows = parse_recent_tracks_page(&page, file, &mut report, &mut out)?;
        report.rows_read += rows;
    }
    out.into_loaded("lastfm", path.as_ref(), report, files, None)
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
    let text_of = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o
                .get("#text")
                .or_else(|| o.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        }
    };
    for (i, t) in tracks.iter().enumerate() {
        let index = i + 1;
        let now_playing = t
            .get("@attr")
            .and_then(|a| a.get("nowplaying"))
            .and_then(Value::as_str)
            == Some("true");
        if now_playing {
            report.skip_record(file, index, SKIP_NOW_PLAYING);
            continue;
        }
        let uts = t
            .get("date")
            .and_then(|d| d.get("uts"))
            .and_then(|u| match u {
                Value::String(s) => s.parse::<i64>().ok(),
                Value::Number(n) => n.as_i64(),
                _ => None,
            })
            .ok_or_else(|| Error::record(file, index, "no `date.uts` timestamp"))?;
        let artist =
            text_of(t.get("artist")).ok_or_else(|| Error::record(file, index, "no `artist`"))?;
        let track = t
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::record(file, index, "no track `name`"))?
            .to_string();
        let album = text_of(t.get("album")).filter(|a| !a.is_empty());
        out.push(uts * 1000, artist, album, track, None, None);
    }
    Ok(tracks.len())
}
