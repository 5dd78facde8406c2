//! lastfm-to-csv's current layout: a header `artist,album,track,uts`, then one row per scrobble,
//! newest first, `uts` in unix seconds (UTC, the start of the play).
//!
//! The tool fetches the history 200 scrobbles a page, and Last.fm heads each page with the track
//! playing at that moment; the tool writes that row too, stamped with the time of the download.
//! Those rows are not plays, and are set apart ([`SET_APART_NOW_PLAYING`]) by this rule:
//! - a row whose `uts` is **later** than the row above it is a page's now-playing row (the file is
//!   newest first, so only a row stamped at download time breaks the order);
//! - the file's first row is a now-playing row when it names the same (artist, album, track) as
//!   the first such break (the same track was playing while the pages were fetched).
//!
//! A file of one page shows no break, so its first row cannot be judged; the report says so.
//! A real repeat — the same track scrobbled twice — never breaks the order and is kept.

use super::csv_table::stream_records;
use super::entries::{EntriesBuilder, Entry, Read};
use super::report::{LoadReport, Loaded};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Reason for a page's now-playing row.
pub const SET_APART_NOW_PLAYING: &str =
    "now playing at download time (heads a page of lastfm-to-csv, not a scrobble)";

/// The header of the layout.
pub const HEADER: [&str; 4] = ["artist", "album", "track", "uts"];

/// Reads lastfm-to-csv `artist,album,track,uts` files (a file, or a folder's `*.csv`).
pub fn read_uts_csv(path: impl AsRef<Path>) -> Result<Loaded> {
    let p = path.as_ref();
    let files = super::files_in(p, "*.csv", |n| super::base_name(n).ends_with(".csv"))?;
    read(p, files)?.into_loaded(p)
}

pub(crate) fn read(root: &Path, files: Vec<PathBuf>) -> Result<Read> {
    let mut report = LoadReport::new("lastfm-to-csv");
    report.set_variant("artist,album,track,uts");
    let mut rows = EntriesBuilder::default();
    for file in &files {
        rows.file(super::apple::file_label(root, file));
        let first_row = rows.len();
        let mut n = 0usize;
        let mut header = true;
        stream_records(file, &mut report, |_, r, line| {
            if header {
                header = false;
                let cells: Vec<String> = r.iter().map(|c| c.trim().to_ascii_lowercase()).collect();
                if cells != HEADER {
                    return Err(Error::WrongFormat {
                        path: file.clone(),
                        expected: "lastfm-to-csv artist,album,track,uts".into(),
                        detail: format!("header is `{}`", cells.join(",")),
                    });
                }
                return Ok(());
            }
            n += 1;
            if r.len() != 4 {
                return Err(Error::parse(
                    file,
                    line,
                    format!(
                        "expected 4 fields (artist,album,track,uts), found {}",
                        r.len()
                    ),
                ));
            }
            let uts = r[3].trim();
            if uts.is_empty() {
                rows.push(Entry::apart(line, super::lastfm::SKIP_NO_DATE));
                return Ok(());
            }
            let ms = uts
                .parse::<i64>()
                .ok()
                .and_then(|s| s.checked_mul(1000))
                .filter(|ms| super::dates::in_range(*ms))
                .ok_or_else(|| {
                    Error::parse(
                        file,
                        line,
                        format!("`uts` `{uts}` is not unix seconds between 1900 and 2200"),
                    )
                })?;
            let mut e = Entry::started(line, ms, &r[0], &r[2]);
            e.album = Some(r[1].to_string()).filter(|a| !a.trim().is_empty());
            rows.push(e);
            Ok(())
        })?;
        let judged = mark_now_playing(&mut rows.rows_mut()[first_row..]);
        if !judged && n > 0 {
            report.note(format!(
                "{}: no page break found (one page?): a now-playing row at the top cannot be told apart",
                file.display()
            ));
        }
        if n == 0 {
            report.empty_file(file);
        }
        report.rows_read += n;
    }
    Ok(Read {
        source: "lastfm",
        rows,
        report,
        files,
    })
}

/// Applies the module's rule to one file's rows; `false` when no break was found.
fn mark_now_playing(rows: &mut [Entry]) -> bool {
    let mut prev: Option<i64> = None;
    let mut first_break: Option<usize> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        if row.set_apart.is_some() {
            continue;
        }
        let t = row.start;
        if let (Some(p), Some(t)) = (prev, t)
            && t > p
        {
            row.set_apart = Some(SET_APART_NOW_PLAYING.to_string());
            first_break.get_or_insert(i);
            // The order resumes from the row below, compared with the last scrobble.
            continue;
        }
        prev = t.or(prev);
    }
    let Some(b) = first_break else {
        return false;
    };
    if let Some(first) = rows.iter().position(|e| e.set_apart.is_none())
        && first < b
        && rows[first].artist == rows[b].artist
        && rows[first].album == rows[b].album
        && rows[first].track == rows[b].track
    {
        rows[first].set_apart = Some(SET_APART_NOW_PLAYING.to_string());
    }
    true
}
