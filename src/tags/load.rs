//! Readers of the three tag sources into the tidy tags table (see [`super`]): Last.fm artist top
//! tags (`count,name,search`), Last.fm track tags scraped from the site (`TRACK_NAME, Artists,
//! …, Tags`) and Spotify artist genres of Billboard Hot 100 songs (`Performer, Song,
//! spotify_genre` with a Python-style list). The format is recognised from the header.

use super::{ARTIST, SOURCE, TAG, TITLE, Tags, WEIGHT};
use crate::error::{Error, Result};
use crate::loaders::LoadReport;
use crate::loaders::text::{Encoding, read_text};
use polars::prelude::*;
use std::path::Path;

/// The `source` value of rows from Last.fm artist top tags.
pub const LASTFM_ARTIST: &str = "lastfm-artist";
/// The `source` value of rows from Last.fm track tags.
pub const LASTFM_TRACK: &str = "lastfm-track";
/// The `source` value of rows from Spotify artist genres (Billboard Hot 100).
pub const SPOTIFY_ARTIST_GENRES: &str = "spotify-artist-genres";

/// Rows of the tidy table as they are read.
#[derive(Default)]
struct Rows {
    artist: Vec<String>,
    title: Vec<Option<String>>,
    tag: Vec<String>,
    weight: Vec<Option<f64>>,
}

impl Rows {
    fn push(&mut self, artist: &str, title: Option<&str>, tag: &str, weight: Option<f64>) {
        self.artist.push(artist.to_string());
        self.title.push(title.map(str::to_string));
        self.tag.push(tag.to_string());
        self.weight.push(weight);
    }

    fn into_frame(self, source: &str) -> Result<DataFrame> {
        let n = self.tag.len();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new(ARTIST.into(), self.artist),
                Column::new(TITLE.into(), self.title),
                Column::new(TAG.into(), self.tag),
                Column::new(WEIGHT.into(), self.weight),
                Column::new(SOURCE.into(), vec![source; n]),
            ],
        )?)
    }
}

/// Which of the three layouts a header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    LastfmArtist,
    LastfmTrack,
    Billboard,
}

fn layout(path: &Path, header: &csv::StringRecord) -> Result<(Layout, Vec<usize>)> {
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let all = |names: &[&str]| {
        names
            .iter()
            .map(|n| find(n))
            .collect::<Option<Vec<usize>>>()
    };
    if let Some(ix) = all(&["count", "name", "search"]) {
        return Ok((Layout::LastfmArtist, ix));
    }
    if let Some(ix) = all(&["TRACK_NAME", "Artists", "Tags"]) {
        return Ok((Layout::LastfmTrack, ix));
    }
    if let Some(ix) = all(&["Performer", "Song", "spotify_genre"]) {
        return Ok((Layout::Billboard, ix));
    }
    Err(Error::WrongFormat {
        path: path.to_path_buf(),
        expected:
            "tags (count,name,search / TRACK_NAME,Artists,Tags / Performer,Song,spotify_genre)"
                .into(),
        detail: format!("header is {}", header.iter().collect::<Vec<_>>().join(",")),
    })
}

/// Reads one tags file into the tidy tags table (`artist`, `title`, `tag` as written, `weight`,
/// `source`): one row per (item, tag). The layout is recognised from the header; the file may be
/// UTF-8 or cp1252, gzipped or not, with LF or CRLF line ends.
///
/// Rows without a usable artist, title (track sources) or any tag, and rows the CSV reader cannot
/// read, are skipped and counted in the report by reason, with the first few `file:line`.
///
/// # Errors
/// [`Error::Io`] / [`Error::Gzip`] for an unreadable file, [`Error::WrongFormat`] for a header of
/// none of the three layouts, [`Error::Empty`] for a file without one loaded row.
pub fn read_tags(path: impl AsRef<Path>) -> Result<Tags> {
    let path = path.as_ref();
    let (text, encoding) = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::parse(path, 1, e.to_string()))?
        .clone();
    let (layout, ix) = layout(path, &header)?;
    let (format, source) = match layout {
        Layout::LastfmArtist => ("lastfm-artist-tags", LASTFM_ARTIST),
        Layout::LastfmTrack => ("lastfm-track-tags", LASTFM_TRACK),
        Layout::Billboard => ("billboard-genres", SPOTIFY_ARTIST_GENRES),
    };
    let mut report = LoadReport::new(format);
    report.files.push(path.to_path_buf());
    if encoding == Encoding::Cp1252 {
        report.note(format!("{} is not UTF-8: read as cp1252", path.display()));
    }
    let mut rows = Rows::default();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                report.rows_read += 1;
                let at = e.position().map_or(line, |p| p.line());
                report.skip(path, at, "unreadable CSV row");
                continue;
            }
        }
        report.rows_read += 1;
        let line = record.position().map_or(line, |p| record_line(&text, p));
        let cell = |i: usize| record.get(ix[i]).map(str::trim).unwrap_or("");
        let outcome = match layout {
            Layout::LastfmArtist => artist_row(&mut rows, cell(0), cell(1), cell(2)),
            Layout::LastfmTrack => track_row(&mut rows, cell(0), cell(1), cell(2)),
            Layout::Billboard => billboard_row(&mut rows, cell(0), cell(1), cell(2)),
        };
        match outcome {
            Ok(()) => report.rows_loaded += 1,
            Err(reason) => report.skip(path, line, reason),
        }
    }
    report.check_not_empty(path)?;
    let df = rows.into_frame(source)?;
    Ok(Tags { df, report })
}

/// The 1-based line where a record starts. The CSV reader can place a record's start on the
/// line end of the previous line (after its `\r`, before its `\n`), one line too early in CRLF
/// files: line ends at the start position are stepped over.
fn record_line(text: &str, pos: &csv::Position) -> u64 {
    let bytes = text.as_bytes();
    let mut line = pos.line();
    let mut at = pos.byte() as usize;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        at += 1;
    }
    line
}

/// One `count,name,search` row: weight, tag, URL-encoded artist.
fn artist_row(rows: &mut Rows, count: &str, tag: &str, search: &str) -> Result<(), &'static str> {
    let weight: f64 = count.parse().map_err(|_| "count is not a number")?;
    if !weight.is_finite() {
        return Err("count is not a number");
    }
    let artist = percent_decode(search);
    let artist = artist.trim();
    if artist.is_empty() {
        return Err("no artist");
    }
    if tag.is_empty() {
        return Err("no tag");
    }
    rows.push(artist, None, tag, Some(weight));
    Ok(())
}

/// One scraped track row: title, artist, comma-separated tags.
fn track_row(rows: &mut Rows, title: &str, artist: &str, tags: &str) -> Result<(), &'static str> {
    if artist.is_empty() {
        return Err("no artist");
    }
    if title.is_empty() {
        return Err("no title");
    }
    let mut any = false;
    for t in tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        rows.push(artist, Some(title), t, None);
        any = true;
    }
    if any { Ok(()) } else { Err("no tags") }
}

/// One Billboard row: performer, song, Python-style list of genres.
fn billboard_row(
    rows: &mut Rows,
    artist: &str,
    title: &str,
    list: &str,
) -> Result<(), &'static str> {
    if artist.is_empty() {
        return Err("no artist");
    }
    if title.is_empty() {
        return Err("no title");
    }
    if list.is_empty() {
        return Err("no genres");
    }
    let genres = parse_py_list(list).ok_or("malformed genre list")?;
    if genres.is_empty() {
        return Err("no genres");
    }
    for g in genres.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        rows.push(artist, Some(title), g, None);
    }
    Ok(())
}

/// The strings of a Python list literal of strings (`['a', "b's"]`), or `None` when `s` is not
/// one. Backslash escapes of the quote and the backslash are understood.
pub fn parse_py_list(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(quote) = chars.next() else {
            return Some(out);
        };
        if quote != '\'' && quote != '"' {
            return None;
        }
        let mut item = String::new();
        loop {
            match chars.next()? {
                '\\' => item.push(chars.next()?),
                c if c == quote => break,
                c => item.push(c),
            }
        }
        out.push(item);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(out),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

/// `%XX` escapes decoded as UTF-8 bytes and `+` as a space; invalid escapes are kept as they
/// are, and invalid UTF-8 replaced by U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
