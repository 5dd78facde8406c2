//! The dataset registry: public data the notebooks run on, by name.
//!
//! The registry (`data/datasets.json`, compiled into the crate) names each dataset's files with
//! their sha256 and upstream URL. [`path`] finds a dataset's files, looking in order:
//! 1. the folder named by the environment variable `LISTENING_DATA_DIR` (tests and CI point it
//!    at `../shared/data`);
//! 2. the user cache folder (`$XDG_CACHE_HOME/listening` or `~/.cache/listening`);
//! 3. a download into that cache (with `curl`), verified against the checksum.
//!
//! Every file found is checked against its sha256; a missing or corrupt file is an error that says
//! where it looked and what to set.

mod download;
pub use download::download_url;

use crate::error::{Error, Result};
use crate::loaders::{self, Catalogue, Loaded, PlaylistExport};
use polars::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The environment variable naming the local data folder.
pub const DATA_DIR_VAR: &str = "LISTENING_DATA_DIR";

const REGISTRY_JSON: &str = include_str!("../../data/datasets.json");

/// One file of a dataset.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct DatasetFile {
    /// Path below the data folder, e.g. `lastfm_scrobbles/pingw33n_lastfm_scrobbles.csv`.
    pub path: String,
    /// Checksum of the local copy; empty where none could be pinned (then [`Self::rows`] is
    /// checked instead).
    pub sha256: String,
    /// Data rows (header excluded) a copy must hold, for a file without a pinned checksum.
    #[serde(default)]
    pub rows: Option<usize>,
    /// Upstream URL, pinned to a commit where possible.
    pub url: Option<String>,
    /// Checksum of what `url` serves, where it differs from the local copy (a plain CSV upstream
    /// whose local copy is gzipped). A download is then stored without the `.gz`.
    pub url_sha256: Option<String>,
}

/// A registry entry.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Dataset {
    pub name: String,
    /// Which loader reads it: `tidytuesday`, `spotify-tracks-114k`, `lastfm-to-csv`,
    /// `spotify-account`, `spotify-extended`, `exportify`, `csv`.
    pub format: String,
    /// The canonical table it loads into: `plays`, `tracks`, `playlists` or `csv`.
    pub table: String,
    pub description: String,
    pub licence: String,
    pub files: Vec<DatasetFile>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
struct Registry {
    datasets: Vec<Dataset>,
}

/// Every dataset of the registry.
pub fn registry() -> Vec<Dataset> {
    // The registry is compiled in and checked by a unit test, so this cannot fail at run time.
    serde_json::from_str::<Registry>(REGISTRY_JSON)
        .map(|r| r.datasets)
        .unwrap_or_default()
}

/// The registry entry called `name`.
pub fn get(name: &str) -> Result<Dataset> {
    let all = registry();
    all.iter()
        .find(|d| d.name == name)
        .cloned()
        .ok_or_else(|| Error::Dataset {
            name: name.to_string(),
            message: format!(
                "no such dataset; known: {}",
                all.iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

/// The registry as a table: name, table, format, files, description, licence.
pub fn list() -> Result<DataFrame> {
    let all = registry();
    let s = |f: fn(&Dataset) -> String| all.iter().map(f).collect::<Vec<_>>();
    Ok(DataFrame::new(
        all.len(),
        vec![
            Column::new("name".into(), s(|d| d.name.clone())),
            Column::new("table".into(), s(|d| d.table.clone())),
            Column::new("format".into(), s(|d| d.format.clone())),
            Column::new(
                "files".into(),
                all.iter().map(|d| d.files.len() as i64).collect::<Vec<_>>(),
            ),
            Column::new("description".into(), s(|d| d.description.clone())),
            Column::new("licence".into(), s(|d| d.licence.clone())),
        ],
    )?)
}

/// The folders searched, in order: `LISTENING_DATA_DIR` (if set), then the user cache.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os(DATA_DIR_VAR).filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    if let Some(c) = cache_dir() {
        dirs.push(c);
    }
    dirs
}

/// The user cache folder downloads go to.
pub fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("listening"))
}

/// sha256 of a file, as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let digest = Sha256::digest(&bytes);
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where a registry file may sit below a data folder, with the checksum it must have there.
fn candidates(f: &DatasetFile) -> Vec<(String, &str)> {
    let mut out = vec![(f.path.clone(), f.sha256.as_str())];
    if let (Some(sum), Some(plain)) = (&f.url_sha256, f.path.strip_suffix(".gz")) {
        out.push((plain.to_string(), sum.as_str()));
    }
    out
}

/// Finds every file of `ds` in `dir`: `Ok(Some(paths))` when all are there and intact,
/// `Ok(None)` when some are absent, an error when one is corrupt.
fn find_in(ds: &Dataset, dir: &Path) -> Result<Option<Vec<PathBuf>>> {
    let mut found = Vec::new();
    for f in &ds.files {
        let Some((p, sum)) = candidates(f)
            .into_iter()
            .map(|(rel, sum)| (dir.join(rel), sum))
            .find(|(p, _)| p.is_file())
        else {
            return Ok(None);
        };
        if sum.is_empty() {
            check_rows(ds, f, &p)?;
            found.push(p);
            continue;
        }
        let actual = sha256_file(&p)?;
        if actual != sum {
            return Err(Error::Dataset {
                name: ds.name.clone(),
                message: format!(
                    "{} is corrupt or a different version: sha256 {actual}, expected {sum}; delete it or fix {DATA_DIR_VAR}",
                    p.display()
                ),
            });
        }
        found.push(p);
    }
    Ok(Some(found))
}

/// For a file without a pinned checksum: its CSV data rows must be the registry's `rows`.
pub(crate) fn check_rows(ds: &Dataset, f: &DatasetFile, p: &Path) -> Result<()> {
    let Some(want) = f.rows else {
        return Ok(());
    };
    let file = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
    let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
    let mut n = 0usize;
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| Error::parse(p, e.position().map_or(0, |q| q.line()), e.to_string()))?
    {
        n += 1;
    }
    if n != want {
        return Err(Error::Dataset {
            name: ds.name.clone(),
            message: format!(
                "{} holds {n} data rows, expected {want}: not the registry's file; delete it or fix {DATA_DIR_VAR}",
                p.display()
            ),
        });
    }
    Ok(())
}

/// The local paths of a dataset's files where they are on disk (checked as [`files`] checks
/// them), `None` where they are not: never downloads. For a notebook that runs on a large file
/// when it is there and on a sample otherwise.
pub fn local_files(name: &str) -> Result<Option<Vec<PathBuf>>> {
    let ds = get(name)?;
    for dir in &search_dirs() {
        if let Some(found) = find_in(&ds, dir)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The local paths of a dataset's files, found (or downloaded) and verified.
pub fn files(name: &str) -> Result<Vec<PathBuf>> {
    let ds = get(name)?;
    let dirs = search_dirs();
    for dir in &dirs {
        if let Some(found) = find_in(&ds, dir)? {
            return Ok(found);
        }
    }
    fetch(&ds, &dirs)
}

/// Downloads what is missing into the cache, or says where it looked and what to set.
fn fetch(ds: &Dataset, dirs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let looked = if dirs.is_empty() {
        "nowhere".to_string()
    } else {
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let not_found = |why: String| Error::Dataset {
        name: ds.name.clone(),
        message: format!(
            "not found (looked in {looked} for {}); set {DATA_DIR_VAR} to a folder holding it (e.g. ../shared/data){why}",
            ds.files[0].path
        ),
    };
    if std::env::var("LISTENING_OFFLINE").is_ok_and(|v| v == "1") {
        return Err(not_found(String::new()));
    }
    if ds.files.iter().any(|f| f.url.is_none()) {
        let why = ds.note.as_deref().unwrap_or("no upstream copy to download");
        return Err(not_found(format!("; it cannot be downloaded ({why})")));
    }
    let cache = cache_dir().ok_or_else(|| not_found(", or set HOME for a cache folder".into()))?;
    download::fetch_into(ds, &cache).map_err(|e| match e {
        Error::Http { url, message } => {
            not_found(format!("; the download failed: {url}: {message}"))
        }
        other => other,
    })
}

/// The local path of a dataset: its file, or the folder holding its files.
pub fn path(name: &str) -> Result<PathBuf> {
    let found = files(name)?;
    if found.len() == 1 {
        return Ok(found[0].clone());
    }
    Ok(found[0].parent().map(Path::to_path_buf).unwrap_or_default())
}

fn wrong_table(name: &str, table: &str, wanted: &str) -> Error {
    Error::Dataset {
        name: name.to_string(),
        message: format!("holds a {table} table, not {wanted}; use datasets::load"),
    }
}

/// Loads a listening-history dataset into the plays table (with its report).
pub fn load_plays(name: &str) -> Result<Loaded> {
    let ds = get(name)?;
    if ds.table != "plays" {
        return Err(wrong_table(name, &ds.table, "plays"));
    }
    let p = path(name)?;
    match ds.format.as_str() {
        "lastfm-to-csv" => loaders::lastfm::read_scrobbles_csv(p),
        "spotify-account" => loaders::spotify::read_account_history(p),
        "spotify-extended" => loaders::spotify::read_extended_history(p),
        _ => loaders::read_plays(p),
    }
}

/// Loads a catalogue dataset into the tracks table (with its report).
pub fn load_tracks(name: &str) -> Result<Catalogue> {
    let ds = get(name)?;
    let p = path(name)?;
    match ds.format.as_str() {
        "tidytuesday" => loaders::catalogues::read_tidytuesday_songs(p),
        "spotify-tracks-114k" => loaders::catalogues::read_spotify_tracks_114k(p),
        _ => Err(wrong_table(name, &ds.table, "tracks")),
    }
}

/// Loads a playlist-export dataset into the tracks and playlists tables (with its report).
pub fn load_playlists(name: &str) -> Result<PlaylistExport> {
    let ds = get(name)?;
    if ds.format != "exportify" {
        return Err(wrong_table(name, &ds.table, "playlists"));
    }
    loaders::exportify::read_playlists(path(name)?)
}

/// Loads a ratings dataset (a listener's ratings, liked flags or play ranks of tracks) into the
/// ratings table of [`loaders::ratings`], with its report.
pub fn load_ratings(name: &str) -> Result<loaders::ratings::Ratings> {
    let ds = get(name)?;
    if ds.table != "ratings" {
        return Err(wrong_table(name, &ds.table, "ratings"));
    }
    loaders::ratings::read_ratings(path(name)?)
}

/// Loads a tags dataset (Last.fm artist or track tags, Billboard artist genres) into the tidy
/// tags table of [`crate::tags`] (with its report); the file's layout is recognised from its
/// header.
pub fn load_tags(name: &str) -> Result<crate::tags::Tags> {
    let ds = get(name)?;
    if !matches!(ds.table.as_str(), "tags" | "csv") {
        return Err(wrong_table(name, &ds.table, "tags"));
    }
    crate::tags::read_tags(path(name)?)
}

/// Loads a dataset's main table: plays, tracks, the playlists' tracks, or the raw CSV. The load
/// report (rows read, loaded, skipped) is printed (stdout); use [`load_plays`], [`load_tracks`] or
/// [`load_playlists`] to keep it.
pub fn load(name: &str) -> Result<DataFrame> {
    let ds = get(name)?;
    let (df, report) = match ds.table.as_str() {
        "plays" => {
            let l = load_plays(name)?;
            (l.df, l.report)
        }
        "tracks" => {
            let c = load_tracks(name)?;
            (c.df, c.report)
        }
        "playlists" => {
            let p = load_playlists(name)?;
            (p.tracks, p.report)
        }
        "ratings" => {
            let r = load_ratings(name)?;
            (r.df, r.report)
        }
        _ => {
            let p = path(name)?;
            let df = loaders::read_csv(&p)?;
            let report = crate::loaders::LoadReport {
                format: "csv".into(),
                files: vec![p],
                rows_read: df.height(),
                rows_loaded: df.height(),
                ..Default::default()
            };
            (df, report)
        }
    };
    println!("{name}: {report}");
    Ok(df)
}

/// The registry's datasets that carry Spotify audio features, for [`load_catalogue`].
pub const FEATURE_CATALOGUES: [&str; 3] = [
    "tidytuesday-spotify-songs",
    "spotify-tracks-114k-sample",
    "exportify-playlists-seankmchenry",
];

/// Loads several track catalogues (or playlist exports, for their tracks) and stacks them into
/// one tracks table with [`crate::analysis::combine_tracks`]; each load report is printed
/// (stdout). `load_catalogue(&datasets::FEATURE_CATALOGUES)` is every catalogue of the registry.
pub fn load_catalogue(names: &[&str]) -> Result<DataFrame> {
    let frames = names.iter().map(|n| load(n)).collect::<Result<Vec<_>>>()?;
    crate::analysis::combine_tracks(&frames)
}
