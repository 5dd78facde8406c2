//! Exportify playlist CSVs: a folder of them (or one) into the tracks and playlists tables.

use super::catalogues::FEATURE_SPECS;
use super::csv_table::{CsvFile, Kind, Spec, col};
use super::report::{LoadReport, PlaylistExport};
use super::{base_name, files_in, read_text};
use crate::error::{Error, Result};
use crate::schema::{playlists, tracks};
use polars::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// Reason counted for a playlist entry with no Spotify track id (a local file).
pub const SKIP_NO_TRACK_ID: &str = "no track id (local file)";
/// Reason counted for a playlist entry of a track no longer available (Exportify writes it with
/// an empty name and release date `0000`).
pub const SKIP_UNAVAILABLE: &str = "unavailable track (no name)";

const IDENTITY: [Spec; 7] = [
    col(
        &["Track ID", "Track URI"],
        tracks::TRACK_ID,
        Kind::Str,
        true,
    ),
    col(&["Track Name"], tracks::NAME, Kind::Str, true),
    col(&["Artist Name(s)"], tracks::ARTISTS, Kind::Str, true),
    col(&["Album Name"], tracks::ALBUM, Kind::Str, true),
    col(
        &["Duration (ms)", "Track Duration (ms)"],
        tracks::DURATION_MS,
        Kind::Int,
        true,
    ),
    col(&["Popularity"], tracks::POPULARITY, Kind::Int, false),
    // Exportify has no label: playlist membership is in the playlists table.
    col(&[], tracks::LABEL, Kind::Str, false),
];

const EXTRAS: [Spec; 6] = [
    col(
        &["Release Date", "Album Release Date"],
        "release_date",
        Kind::Str,
        false,
    ),
    col(&["Genres"], "genres", Kind::Str, false),
    col(&["Record Label"], "record_label", Kind::Str, false),
    col(&["ISRC"], "isrc", Kind::Str, false),
    col(&["Explicit"], "explicit", Kind::Bool, false),
    col(&["Added By"], "added_by", Kind::Str, false),
];

/// Reads Exportify CSVs, in either column set Exportify has written:
/// - the **classic** one: `Track URI, Track Name, Artist URI(s), Artist Name(s), Album URI, Album
///   Name, Album Artist URI(s), Album Artist Name(s), Album Release Date, Album Image URL, Disc
///   Number, Track Number, Track Duration (ms), Track Preview URL, Explicit, Popularity, ISRC,
///   Added By, Added At` (older files lack `ISRC`), with or without `Genres`, `Record Label` and
///   the audio-feature columns after them;
/// - the **later** one: `Track ID, Track Name, Album Name, Artist Name(s), Release Date, Duration
///   (ms), Popularity, Added By, Added At, Genres, Record Label, Danceability, …`.
///
/// The playlist name is the file name without `.csv` (any script: CJK names are kept). Header
/// cells are trimmed (Exportify writes tabs after `Record Label,`). Track URIs
/// (`spotify:track:…`) are cut to ids. A file without the audio-feature columns gives null
/// features. `tracks` keeps the first row of each distinct track id, in file order; entries
/// without a track id (local files) are skipped and counted ([`SKIP_NO_TRACK_ID`]), and so are
/// unavailable tracks, which Exportify writes with an empty name ([`SKIP_UNAVAILABLE`]). In a
/// folder, CSV files that are not Exportify exports (no track id / URI and name columns) are left
/// out and named in the report's notes; a single such file is an error naming the missing column.
/// `Added At` is RFC 3339 (`2020-05-01T16:47:44Z`) or any form of [`super::dates`].
pub fn read_playlists(path: impl AsRef<Path>) -> Result<PlaylistExport> {
    let files = files_in(path.as_ref(), "*.csv", |n| base_name(n).ends_with(".csv"))?;
    let mut report = LoadReport::new("exportify playlists");
    let mut seen: HashSet<String> = HashSet::new();
    let mut left_out: Vec<String> = Vec::new();
    let mut track_frames = Vec::new();
    let (mut pl_name, mut pl_id, mut pl_added, mut pl_pos) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for file in &files {
        let name = file
            .file_name()
            .map(|n| {
                base_name(&n.to_string_lossy())
                    .trim_end_matches(".csv")
                    .to_string()
            })
            .unwrap_or_default();
        let text = read_text(file, &mut report)?;
        let Some(csv) = report.unless_empty(file, CsvFile::parse(file, &text))? else {
            continue;
        };
        let is_exportify =
            csv.index_of(IDENTITY[0].from).is_some() && csv.index_of(IDENTITY[1].from).is_some();
        if files.len() > 1 && !is_exportify {
            left_out.push(
                file.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            continue;
        }
        let id_col = csv.require(IDENTITY[0].from)?;
        let name_col = csv.require(IDENTITY[1].from)?;
        let has_features = csv.index_of(FEATURE_SPECS[0].from).is_some();
        for spec in IDENTITY
            .iter()
            .chain(FEATURE_SPECS.iter().filter(|_| has_features))
            .filter(|s| s.required)
        {
            csv.require(spec.from)?;
        }
        report.set_variant(
            match (csv.index_of(&["Track URI"]).is_some(), has_features) {
                (true, true) => "classic column set, with audio features",
                (true, false) => "classic column set, without audio features",
                (false, true) => "later column set, with audio features",
                (false, false) => "later column set, without audio features",
            },
        );
        let added_col = csv.index_of(&["Added At"]);
        let mut new_rows = Vec::new();
        let mut position = 0i64;
        for row in 0..csv.len() {
            let line = csv.line(row);
            if csv.cell(row, name_col).is_none_or(|n| n.trim().is_empty()) {
                report.skip(file, line, SKIP_UNAVAILABLE);
                continue;
            }
            let Some(raw) = csv.cell(row, id_col) else {
                report.skip(file, line, SKIP_NO_TRACK_ID);
                continue;
            };
            let id = raw.rsplit(':').next().unwrap_or(raw).to_string();
            if raw.starts_with("spotify:local:") {
                report.skip(file, line, SKIP_NO_TRACK_ID);
                continue;
            }
            let added = match added_col.and_then(|c| csv.cell(row, c)) {
                None => None,
                Some(s) => Some(
                    chrono::DateTime::parse_from_rfc3339(s.trim())
                        .map(|d| d.timestamp_millis())
                        .ok()
                        .or_else(|| super::dates::parse(&super::dates::DateFormat::Auto, s))
                        .ok_or_else(|| {
                            Error::parse(
                                file,
                                line,
                                format!("column `Added At`: `{s}` is not a time like `2020-05-01T16:47:44Z`"),
                            )
                        })?,
                ),
            };
            pl_name.push(name.clone());
            pl_id.push(id.clone());
            pl_added.push(added);
            pl_pos.push(position);
            position += 1;
            if seen.insert(id) {
                new_rows.push(row);
            }
        }
        report.rows_read += csv.len();
        if new_rows.is_empty() {
            continue;
        }
        let mut columns = csv.columns(&IDENTITY, &new_rows)?;
        // Ids without the `spotify:track:` prefix, whatever the file wrote.
        let ids: Vec<Option<String>> = new_rows
            .iter()
            .map(|&r| {
                csv.cell(r, id_col)
                    .map(|s| s.rsplit(':').next().unwrap_or(s).to_string())
            })
            .collect();
        columns[0] = Column::new(tracks::TRACK_ID.into(), ids);
        if has_features {
            columns.extend(csv.columns(&FEATURE_SPECS, &new_rows)?);
        } else {
            for s in &FEATURE_SPECS {
                columns.push(csv.column(None, s.to, s.kind, &new_rows)?);
            }
        }
        columns.extend(csv.columns(&EXTRAS, &new_rows)?);
        track_frames.push(DataFrame::new(new_rows.len(), columns)?);
    }
    if !left_out.is_empty() {
        report.note(format!(
            "{} CSV file(s) that are not Exportify exports left out: {}",
            left_out.len(),
            left_out.join(", ")
        ));
    }
    if track_frames.is_empty() {
        return Err(Error::Empty {
            path: path.as_ref().to_path_buf(),
        });
    }
    let mut tracks_df = track_frames.remove(0);
    for f in track_frames {
        tracks_df.vstack_mut_owned(f)?;
    }
    let n = pl_name.len();
    let playlists_df = DataFrame::new(
        n,
        vec![
            Column::new(playlists::PLAYLIST.into(), pl_name),
            Column::new(playlists::TRACK_ID.into(), pl_id),
            super::table::opt_datetime_ms_column(playlists::ADDED_AT, pl_added),
            Column::new(playlists::POSITION.into(), pl_pos),
        ],
    )?;
    report.files = files;
    report.rows_loaded = n;
    Ok(PlaylistExport {
        tracks: tracks_df,
        playlists: playlists_df,
        report,
    })
}
