//! Public track catalogues with Spotify audio features, into the tracks table.

use super::csv_table::{CsvFile, Kind, Spec, col};
use super::report::LoadReport;
use super::{base_name, files_in, read_text};
use crate::error::Result;
use crate::schema::{self, tracks};
use polars::prelude::*;
use std::path::Path;

/// The audio-feature columns as the catalogues and Exportify name them. `time_signature` is
/// optional (TidyTuesday lacks it: the column is then null).
pub(crate) const FEATURE_SPECS: [Spec; 12] = [
    col(
        &["danceability", "Danceability"],
        schema::DANCEABILITY,
        Kind::Float,
        true,
    ),
    col(&["energy", "Energy"], schema::ENERGY, Kind::Float, true),
    col(&["key", "Key"], schema::KEY, Kind::Int, true),
    col(
        &["loudness", "Loudness"],
        schema::LOUDNESS,
        Kind::Float,
        true,
    ),
    col(&["mode", "Mode"], schema::MODE, Kind::Int, true),
    col(
        &["speechiness", "Speechiness"],
        schema::SPEECHINESS,
        Kind::Float,
        true,
    ),
    col(
        &["acousticness", "Acousticness"],
        schema::ACOUSTICNESS,
        Kind::Float,
        true,
    ),
    col(
        &["instrumentalness", "Instrumentalness"],
        schema::INSTRUMENTALNESS,
        Kind::Float,
        true,
    ),
    col(
        &["liveness", "Liveness"],
        schema::LIVENESS,
        Kind::Float,
        true,
    ),
    col(&["valence", "Valence"], schema::VALENCE, Kind::Float, true),
    col(&["tempo", "Tempo"], schema::TEMPO, Kind::Float, true),
    col(
        &["time_signature", "Time Signature"],
        schema::TIME_SIGNATURE,
        Kind::Int,
        false,
    ),
];

/// A loaded catalogue: the tracks table and its report.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// One row per catalogue row (see [`crate::schema::tracks`]).
    pub df: DataFrame,
    pub report: LoadReport,
}

fn read_catalogue(
    path: &Path,
    format: &str,
    identity: &[Spec],
    extras: &[Spec],
) -> Result<Catalogue> {
    let files = files_in(path, "*.csv", |n| base_name(n).ends_with(".csv"))?;
    let mut report = LoadReport::new(format);
    let mut frames = Vec::new();
    for file in &files {
        let text = read_text(file, &mut report)?;
        let Some(csv) = report.unless_empty(file, CsvFile::parse(file, &text))? else {
            continue;
        };
        if csv.is_empty() {
            report.empty_file(file);
            continue;
        }
        // Check the header once for a clear "wrong file" error before parsing values.
        for spec in identity
            .iter()
            .chain(FEATURE_SPECS.iter())
            .filter(|s| s.required)
        {
            csv.require(spec.from)?;
        }
        let rows: Vec<usize> = (0..csv.len()).collect();
        let specs = identity.iter().chain(&FEATURE_SPECS).chain(extras);
        let columns = csv.columns(specs, &rows)?;
        report.rows_read += rows.len();
        frames.push(DataFrame::new(rows.len(), columns)?);
    }
    report.check_not_empty(path)?;
    let mut df = frames.remove(0);
    for f in frames {
        df.vstack_mut_owned(f)?;
    }
    report.files = files;
    report.rows_loaded = df.height();
    Ok(Catalogue { df, report })
}

/// Reads the Kaggle / Hugging Face "Spotify Tracks Dataset" (maharshipandya, 114 genres), or a
/// sample of it with the same columns. `label` is `track_genre`; `artists` keeps the file's
/// `;`-separated list; extras: `explicit`, and `source_row` (the leading unnamed index column,
/// when the file has one).
pub fn read_spotify_tracks_114k(path: impl AsRef<Path>) -> Result<Catalogue> {
    const IDENTITY: [Spec; 7] = [
        col(&["track_id"], tracks::TRACK_ID, Kind::Str, true),
        col(&["track_name"], tracks::NAME, Kind::Str, true),
        col(&["artists"], tracks::ARTISTS, Kind::Str, true),
        col(&["album_name"], tracks::ALBUM, Kind::Str, true),
        col(&["duration_ms"], tracks::DURATION_MS, Kind::Int, true),
        col(&["popularity"], tracks::POPULARITY, Kind::Int, true),
        col(&["track_genre"], tracks::LABEL, Kind::Str, true),
    ];
    const EXTRAS: [Spec; 2] = [
        col(&["explicit"], "explicit", Kind::Bool, false),
        col(&["", "Unnamed: 0"], "source_row", Kind::Int, false),
    ];
    read_catalogue(
        path.as_ref(),
        "spotify tracks dataset (114 genres)",
        &IDENTITY,
        &EXTRAS,
    )
}

/// Reads TidyTuesday 2020-01-21 `spotify_songs.csv` (plain or gzip). `label` is
/// `playlist_genre`; extras: `album_id`, `album_release_date`, `playlist_name`, `playlist_id`,
/// `playlist_subgenre`. The file has no `time_signature` (null).
pub fn read_tidytuesday_songs(path: impl AsRef<Path>) -> Result<Catalogue> {
    const IDENTITY: [Spec; 7] = [
        col(&["track_id"], tracks::TRACK_ID, Kind::Str, true),
        col(&["track_name"], tracks::NAME, Kind::Str, true),
        col(&["track_artist"], tracks::ARTISTS, Kind::Str, true),
        col(&["track_album_name"], tracks::ALBUM, Kind::Str, true),
        col(&["duration_ms"], tracks::DURATION_MS, Kind::Int, true),
        col(&["track_popularity"], tracks::POPULARITY, Kind::Int, true),
        col(&["playlist_genre"], tracks::LABEL, Kind::Str, true),
    ];
    const EXTRAS: [Spec; 5] = [
        col(&["track_album_id"], "album_id", Kind::Str, false),
        col(
            &["track_album_release_date"],
            "album_release_date",
            Kind::Str,
            false,
        ),
        col(&["playlist_name"], "playlist_name", Kind::Str, false),
        col(&["playlist_id"], "playlist_id", Kind::Str, false),
        col(
            &["playlist_subgenre"],
            "playlist_subgenre",
            Kind::Str,
            false,
        ),
    ];
    read_catalogue(
        path.as_ref(),
        "tidytuesday spotify_songs",
        &IDENTITY,
        &EXTRAS,
    )
}
