//! AcousticBrainz: Essentia's audio features for 7.56 M MusicBrainz recordings (CC0; the project
//! stopped collecting in 2022, its final dumps stay downloadable), keyed by the recording MBID.
//!
//! Four shapes are read, into one table ([`MBID`], [`SUBMISSION_OFFSET`], [`ARTIST`], [`TITLE`],
//! then the features [`COLUMNS`]):
//! - a per-recording **low-level** document (`lowlevel`, `rhythm`, `tonal`, `metadata`), as the
//!   API's `/<mbid>/low-level` answers it;
//! - a per-recording **high-level** document (`highlevel` classifiers, `metadata`);
//! - the two **merged** in one document, as the beets plugin keeps them;
//! - the **bulk API's answer** (`/low-level?recording_ids=…`, `{mbid: {offset: document}}`).
//!
//! These are read with [`read_documents`] (a file or a folder of `.json`); the dumps' **feature
//! CSVs**
//! (`acousticbrainz-lowlevel-features-20220623-{rhythm,tonal,lowlevel}.tar.zst`, each a tar
//! holding one CSV whose header begins `mbid,submission_offset,`), streamed with
//! [`read_dumps`]: the zstd stream is decoded by `ruzstd` (pure Rust) and the tar entries read as
//! they come, so the 7.56 M rows are never held; only the rows of the MBIDs asked for
//! ([`DumpOptions::mbids`]) are kept.
//!
//! **Submissions.** A recording can have several submissions (`submission_offset` 0, 1, …: several
//! people's files of it). Only offset 0 is kept unless [`DumpOptions::all_offsets`]; the others
//! are counted in the report as skipped. A single document is taken as offset 0 (the API's
//! default `n=0`).
//!
//! **Meanings.** A value is put under one of the crate's column names only where the meaning
//! holds ([`MAPPING`]): `tempo` ← `rhythm.bpm`; `key`, `mode` ← `tonal.key_key`, `key_scale`;
//! `danceability` ← the high-level probability of `danceable` (the low-level `danceability`
//! runs 0 to about 3 and is kept as [`RHYTHM_DANCEABILITY`]); `instrumentalness` ← high-level
//! `voice_instrumental` (probability of `instrumental`); `acousticness` ← `mood_acoustic`
//! (probability of `acoustic`); `valence` ← `mood_happy` (probability of `happy`), **a stand-in**,
//! not Spotify's valence. Everything else keeps AcousticBrainz's own name. `energy`, `loudness`
//! (dB), `speechiness`, `liveness` and `time_signature` have no AcousticBrainz counterpart and
//! are absent.
//!
//! **Errors.** Malformed JSON is [`Error::Parse`] with the file, line and column; a value of the
//! wrong type is [`Error::WrongFormat`] naming the file and the JSON path (`rhythm.bpm`); a bad
//! CSV cell is [`Error::Parse`] naming the archive, its entry, the line and the column.

use crate::error::{Error, Result};
use crate::loaders::LoadReport;
use crate::schema;
use polars::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The recording's MusicBrainz id (lowercase, hyphenated).
pub const MBID: &str = "mbid";
/// Which submission of the recording the row is (0: the first).
pub const SUBMISSION_OFFSET: &str = "submission_offset";
/// The low-level Essentia danceability (0 to about 3): not the crate's 0–1 `danceability`.
pub const RHYTHM_DANCEABILITY: &str = "rhythm_danceability";
/// The artist named in a document's `metadata.tags` (null for the dumps, which carry none).
pub const ARTIST: &str = "artist";
/// The title named in a document's `metadata.tags` (null for the dumps).
pub const TITLE: &str = "title";

/// Where a feature's value is found in a document.
#[derive(Clone, Copy)]
enum Source {
    /// A number at this dotted path.
    Number(&'static str),
    /// The first element of the number array at this dotted path.
    First(&'static str),
    /// A key name (`C`, `C#`, `Eb`, …) at this path, as its pitch class 0–11.
    Key(&'static str),
    /// A scale name (`major`, `minor`) at this path, as 1 / 0.
    Scale(&'static str),
    /// The probability of class `.1` of high-level classifier `.0` (`highlevel.<0>.all.<1>`).
    High(&'static str, &'static str),
}

/// One column of the AcousticBrainz table.
struct Spec {
    name: &'static str,
    integer: bool,
    source: Source,
    /// Its column in the dumps' feature CSVs, where they have it.
    csv: Option<&'static str>,
    /// What it means, for [`mapping`].
    meaning: &'static str,
}

const fn spec(
    name: &'static str,
    source: Source,
    csv: Option<&'static str>,
    meaning: &'static str,
) -> Spec {
    Spec {
        name,
        integer: false,
        source,
        csv,
        meaning,
    }
}

const SPECS: [Spec; 25] = [
    spec(
        schema::TEMPO,
        Source::Number("rhythm.bpm"),
        Some("bpm"),
        "beats per minute (Essentia's rhythm extractor): Spotify's tempo means the same",
    ),
    Spec {
        integer: true,
        ..spec(
            schema::KEY,
            Source::Key("tonal.key_key"),
            Some("key_key"),
            "pitch class 0-11 (C = 0) of the estimated key: as Spotify's key",
        )
    },
    Spec {
        integer: true,
        ..spec(
            schema::MODE,
            Source::Scale("tonal.key_scale"),
            Some("key_scale"),
            "1 major, 0 minor: as Spotify's mode",
        )
    },
    spec(
        schema::DANCEABILITY,
        Source::High("danceability", "danceable"),
        None,
        "high-level classifier's probability of `danceable`, 0-1 (not the same model as Spotify's)",
    ),
    spec(
        schema::INSTRUMENTALNESS,
        Source::High("voice_instrumental", "instrumental"),
        None,
        "high-level voice_instrumental: probability of `instrumental`, 0-1",
    ),
    spec(
        schema::ACOUSTICNESS,
        Source::High("mood_acoustic", "acoustic"),
        None,
        "high-level mood_acoustic: probability of `acoustic`, 0-1",
    ),
    spec(
        schema::VALENCE,
        Source::High("mood_happy", "happy"),
        None,
        "STAND-IN: high-level mood_happy, probability of `happy`, 0-1; not Spotify's valence",
    ),
    spec(
        RHYTHM_DANCEABILITY,
        Source::Number("rhythm.danceability"),
        Some("danceability"),
        "low-level Essentia danceability, 0 to about 3 (own name: not the 0-1 danceability)",
    ),
    spec(
        "bpm_histogram_first_peak_bpm_mean",
        Source::Number("rhythm.bpm_histogram_first_peak_bpm.mean"),
        Some("bpm_histogram_first_peak_bpm_mean"),
        "own name",
    ),
    spec(
        "bpm_histogram_first_peak_bpm_median",
        Source::Number("rhythm.bpm_histogram_first_peak_bpm.median"),
        Some("bpm_histogram_first_peak_bpm_median"),
        "own name",
    ),
    spec(
        "bpm_histogram_second_peak_bpm_mean",
        Source::Number("rhythm.bpm_histogram_second_peak_bpm.mean"),
        Some("bpm_histogram_second_peak_bpm_mean"),
        "own name",
    ),
    spec(
        "bpm_histogram_second_peak_bpm_median",
        Source::Number("rhythm.bpm_histogram_second_peak_bpm.median"),
        Some("bpm_histogram_second_peak_bpm_median"),
        "own name",
    ),
    spec(
        "onset_rate",
        Source::Number("rhythm.onset_rate"),
        Some("onset_rate"),
        "onsets per second (own name)",
    ),
    spec(
        "key_strength",
        Source::Number("tonal.key_strength"),
        None,
        "confidence of the key estimate, 0-1 (own name; not in the dumps' CSVs)",
    ),
    spec(
        "tuning_frequency",
        Source::Number("tonal.tuning_frequency"),
        Some("tuning_frequency"),
        "Hz (own name)",
    ),
    spec(
        "tuning_equal_tempered_deviation",
        Source::Number("tonal.tuning_equal_tempered_deviation"),
        Some("tuning_equal_tempered_deviation"),
        "own name",
    ),
    spec(
        "average_loudness",
        Source::Number("lowlevel.average_loudness"),
        Some("average_loudness"),
        "0-1 dynamic-range measure (own name: not Spotify's loudness in dB)",
    ),
    spec(
        "dynamic_complexity",
        Source::Number("lowlevel.dynamic_complexity"),
        Some("dynamic_complexity"),
        "dB (own name)",
    ),
    spec(
        "mfcc_zero_mean",
        Source::First("lowlevel.mfcc.mean"),
        Some("mfcc_zero_mean"),
        "mean of the 0th MFCC coefficient (own name)",
    ),
    spec(
        "mood_sad",
        Source::High("mood_sad", "sad"),
        None,
        "probability of `sad` (own name)",
    ),
    spec(
        "mood_relaxed",
        Source::High("mood_relaxed", "relaxed"),
        None,
        "probability of `relaxed` (own name)",
    ),
    spec(
        "mood_party",
        Source::High("mood_party", "party"),
        None,
        "probability of `party` (own name)",
    ),
    spec(
        "mood_aggressive",
        Source::High("mood_aggressive", "aggressive"),
        None,
        "probability of `aggressive` (own name)",
    ),
    spec(
        "mood_electronic",
        Source::High("mood_electronic", "electronic"),
        None,
        "probability of `electronic` (own name)",
    ),
    spec(
        "length",
        Source::Number("metadata.audio_properties.length"),
        None,
        "seconds of audio analysed (own name)",
    ),
];

/// The columns of the AcousticBrainz table after [`MBID`] and [`SUBMISSION_OFFSET`], in order.
/// `key` and `mode` are integers, the rest floats.
pub const COLUMNS: [&str; 25] = {
    let mut out = [""; 25];
    let mut i = 0;
    while i < 25 {
        out[i] = SPECS[i].name;
        i += 1;
    }
    out
};

/// The mapping as a table: `column`, `acousticbrainz` (where the value comes from), `in_dumps`
/// (whether the dumps' CSVs carry it), `meaning`.
pub fn mapping() -> Result<DataFrame> {
    let from = |s: &Spec| match s.source {
        Source::Number(p) | Source::Key(p) | Source::Scale(p) => p.to_string(),
        Source::First(p) => format!("{p}[0]"),
        Source::High(c, k) => format!("highlevel.{c}.all.{k}"),
    };
    Ok(DataFrame::new(
        SPECS.len(),
        vec![
            Column::new(
                "column".into(),
                SPECS.iter().map(|s| s.name).collect::<Vec<_>>(),
            ),
            Column::new(
                "acousticbrainz".into(),
                SPECS.iter().map(from).collect::<Vec<_>>(),
            ),
            Column::new(
                "in_dumps".into(),
                SPECS.iter().map(|s| s.csv.is_some()).collect::<Vec<_>>(),
            ),
            Column::new(
                "meaning".into(),
                SPECS.iter().map(|s| s.meaning).collect::<Vec<_>>(),
            ),
        ],
    )?)
}

/// An AcousticBrainz table and what was read to make it.
#[derive(Debug, Clone)]
pub struct AcousticBrainz {
    /// One row per (recording, submission): [`MBID`], [`SUBMISSION_OFFSET`], [`ARTIST`],
    /// [`TITLE`], then [`COLUMNS`] (null where the source has no value).
    pub df: DataFrame,
    /// Rows or documents read, kept and skipped (with reasons).
    pub report: LoadReport,
}

/// An MBID as a number (for compact keys), from its hyphenated hex form; `None` if not one.
pub fn parse_mbid(s: &str) -> Option<u128> {
    let b = s.trim().as_bytes();
    if b.len() != 36 {
        return None;
    }
    let mut v: u128 = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let d = (c as char).to_digit(16)?;
        v = (v << 4) | u128::from(d);
    }
    Some(v)
}

/// The hyphenated lowercase form of an MBID number.
pub fn format_mbid(v: u128) -> String {
    let h = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Pitch class of a key name: `C` = 0 … `B` = 11, sharps and flats.
fn pitch_class(name: &str) -> Option<i64> {
    let pc = match name.trim() {
        "C" | "B#" => 0,
        "C#" | "Db" => 1,
        "D" => 2,
        "D#" | "Eb" => 3,
        "E" | "Fb" => 4,
        "F" | "E#" => 5,
        "F#" | "Gb" => 6,
        "G" => 7,
        "G#" | "Ab" => 8,
        "A" => 9,
        "A#" | "Bb" => 10,
        "B" | "Cb" => 11,
        _ => return None,
    };
    Some(pc)
}

fn scale(name: &str) -> Option<i64> {
    match name.trim() {
        "major" => Some(1),
        "minor" => Some(0),
        _ => None,
    }
}

/// Rows being collected, column-major, NaN standing for null; keyed by (MBID, offset).
struct Rows {
    ids: Vec<u128>,
    offsets: Vec<i64>,
    names: Vec<[Option<String>; 2]>,
    cols: Vec<Vec<f64>>,
    index: HashMap<(u128, i64), usize>,
    conflicts: usize,
    non_finite: usize,
}

impl Rows {
    fn new() -> Self {
        Rows {
            ids: Vec::new(),
            offsets: Vec::new(),
            names: Vec::new(),
            cols: vec![Vec::new(); SPECS.len()],
            index: HashMap::new(),
            conflicts: 0,
            non_finite: 0,
        }
    }

    /// The row of (id, offset), appended (all null) if new.
    fn row(&mut self, id: u128, offset: i64) -> usize {
        if let Some(&r) = self.index.get(&(id, offset)) {
            return r;
        }
        let r = self.ids.len();
        self.ids.push(id);
        self.offsets.push(offset);
        self.names.push([None, None]);
        for c in &mut self.cols {
            c.push(f64::NAN);
        }
        self.index.insert((id, offset), r);
        r
    }

    /// Sets column `c` of row `r` where it is still null (the first source read wins).
    fn set(&mut self, r: usize, c: usize, v: f64) {
        if !v.is_finite() {
            self.non_finite += 1;
            return;
        }
        let cell = &mut self.cols[c][r];
        if cell.is_nan() {
            *cell = v;
        } else if *cell != v {
            self.conflicts += 1;
        }
    }

    fn finish(self, mut report: LoadReport) -> Result<AcousticBrainz> {
        let n = self.ids.len();
        // Rows in MBID then offset order, so that the table does not depend on file order.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| (self.ids[i], self.offsets[i]));
        let mut columns = vec![
            Column::new(
                MBID.into(),
                order
                    .iter()
                    .map(|&i| format_mbid(self.ids[i]))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                SUBMISSION_OFFSET.into(),
                order.iter().map(|&i| self.offsets[i]).collect::<Vec<_>>(),
            ),
        ];
        for (k, name) in [ARTIST, TITLE].into_iter().enumerate() {
            columns.push(Column::new(
                name.into(),
                order
                    .iter()
                    .map(|&i| self.names[i][k].clone())
                    .collect::<Vec<_>>(),
            ));
        }
        for (s, values) in SPECS.iter().zip(&self.cols) {
            let get = |i: &usize| Some(values[*i]).filter(|v| !v.is_nan());
            columns.push(if s.integer {
                Column::new(
                    s.name.into(),
                    order
                        .iter()
                        .map(|i| get(i).map(|v| v as i64))
                        .collect::<Vec<_>>(),
                )
            } else {
                Column::new(s.name.into(), order.iter().map(get).collect::<Vec<_>>())
            });
        }
        report.rows_loaded = n;
        report.flag(
            "a value differing between two sources of the same submission (the first read kept)",
            self.conflicts,
        );
        report.flag("a NaN or infinite value, read as null", self.non_finite);
        Ok(AcousticBrainz {
            df: DataFrame::new(n, columns)?,
            report,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// JSON documents

/// Reads AcousticBrainz JSON: one file or every `.json` file of a folder, each a low-level,
/// high-level or merged document, or a bulk API answer (recognised by its shape). Documents of
/// the same recording (a low-level and a high-level file) merge into one row. Only
/// `submission_offset` 0 of a bulk answer is kept; the other submissions are counted as
/// skipped.
pub fn read_documents(path: impl AsRef<Path>) -> Result<AcousticBrainz> {
    read_documents_with(path, false)
}

/// As [`read_documents`], keeping every submission of a bulk answer when `all_offsets`.
pub fn read_documents_with(path: impl AsRef<Path>, all_offsets: bool) -> Result<AcousticBrainz> {
    let path = path.as_ref();
    let files = crate::loaders::files_in(path, "*.json", |n| n.ends_with(".json"))?;
    let mut report = LoadReport::new("acousticbrainz json");
    let mut rows = Rows::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| {
            Error::parse(
                file,
                e.line() as u64,
                format!("column {}: malformed JSON: {e}", e.column()),
            )
        })?;
        read_value(file, &v, all_offsets, &mut rows, &mut report)?;
    }
    report.files = files;
    report.check_not_empty(path)?;
    rows.finish(report)
}

fn wrong(file: &Path, detail: impl Into<String>) -> Error {
    Error::WrongFormat {
        path: file.to_path_buf(),
        expected: "AcousticBrainz document or bulk answer".into(),
        detail: detail.into(),
    }
}

fn is_document(o: &serde_json::Map<String, Value>) -> bool {
    ["lowlevel", "rhythm", "tonal", "highlevel"]
        .iter()
        .any(|k| o.contains_key(*k))
}

fn read_value(
    file: &Path,
    v: &Value,
    all_offsets: bool,
    rows: &mut Rows,
    report: &mut LoadReport,
) -> Result<()> {
    let Value::Object(o) = v else {
        return Err(wrong(file, "the top level is not a JSON object"));
    };
    if is_document(o) {
        report.set_variant(document_kind(o));
        report.rows_read += 1;
        let id = document_mbid(file, v)?;
        return read_document(file, v, "", id, 0, rows);
    }
    // A bulk answer: {mbid: {offset: document}}, perhaps with `mbid_mapping`.
    report.set_variant("bulk answer");
    for (key, per) in o {
        if key == "mbid_mapping" {
            continue;
        }
        let id = parse_mbid(key).ok_or_else(|| {
            wrong(
                file,
                format!("top-level key `{key}` is neither a document section nor an MBID"),
            )
        })?;
        let Value::Object(subs) = per else {
            return Err(wrong(
                file,
                format!("`{key}` is not an object of submissions"),
            ));
        };
        for (off, doc) in subs {
            report.rows_read += 1;
            let offset: i64 = off.parse().map_err(|_| {
                wrong(
                    file,
                    format!("`{key}.{off}`: submission offset is not a number"),
                )
            })?;
            if offset != 0 && !all_offsets {
                report.skip_at_json(file, &format!("{key}.{off}"), SKIP_LATER_SUBMISSION);
                continue;
            }
            if !doc.as_object().is_some_and(is_document) {
                return Err(wrong(
                    file,
                    format!("`{key}.{off}` is not an AcousticBrainz document"),
                ));
            }
            read_document(file, doc, &format!("{key}.{off}."), id, offset, rows)?;
        }
    }
    Ok(())
}

/// Reason counted for a submission other than offset 0.
pub const SKIP_LATER_SUBMISSION: &str = "submission_offset > 0 (only the first submission kept)";
/// Reason counted for a dump row whose recording was not asked for.
pub const SKIP_NOT_WANTED: &str = "recording not among the MBIDs asked for";
/// Reason counted for a dump row whose `mbid` is not an MBID.
pub const SKIP_BAD_MBID: &str = "mbid is not a MusicBrainz id";

impl LoadReport {
    fn skip_at_json(&mut self, file: &Path, at: &str, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_default() += 1;
        if self.skipped_examples.len() < 5 {
            self.skipped_examples
                .push(format!("{}: {at} ({reason})", file.display()));
        }
    }
}

fn document_kind(o: &serde_json::Map<String, Value>) -> &'static str {
    let low = ["lowlevel", "rhythm", "tonal"]
        .iter()
        .any(|k| o.contains_key(*k));
    match (low, o.contains_key("highlevel")) {
        (true, true) => "merged low- and high-level document",
        (true, false) => "low-level document",
        _ => "high-level document",
    }
}

/// The MBID of a single document: `metadata.tags.musicbrainz_recordingid` (a list or a string),
/// else the file name's leading MBID.
fn document_mbid(file: &Path, v: &Value) -> Result<u128> {
    let tag = v.pointer("/metadata/tags/musicbrainz_recordingid");
    let from_tag = match tag {
        Some(Value::Array(a)) => a.first().and_then(Value::as_str),
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    if let Some(s) = from_tag {
        return parse_mbid(s).ok_or_else(|| {
            wrong(
                file,
                format!("metadata.tags.musicbrainz_recordingid `{s}` is not an MBID"),
            )
        });
    }
    let stem = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.get(..36).and_then(parse_mbid).ok_or_else(|| {
        wrong(
            file,
            "no metadata.tags.musicbrainz_recordingid and the file name does not begin with an MBID",
        )
    })
}

/// The value at a dotted path.
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn read_document(
    file: &Path,
    doc: &Value,
    prefix: &str,
    id: u128,
    offset: i64,
    rows: &mut Rows,
) -> Result<()> {
    let r = rows.row(id, offset);
    for (k, tag) in ["artist", "title"].into_iter().enumerate() {
        let v = match doc.pointer(&format!("/metadata/tags/{tag}")) {
            Some(Value::Array(a)) => a.first().and_then(Value::as_str),
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        if let Some(v) = v
            && rows.names[r][k].is_none()
        {
            rows.names[r][k] = Some(v.to_string());
        }
    }
    for (c, s) in SPECS.iter().enumerate() {
        let (path, value) = match s.source {
            Source::Number(p) | Source::Key(p) | Source::Scale(p) => (p.to_string(), at(doc, p)),
            Source::First(p) => (format!("{p}[0]"), at(doc, p).and_then(|a| a.get(0))),
            Source::High(cl, k) => {
                let p = format!("highlevel.{cl}.all.{k}");
                let v = doc
                    .get("highlevel")
                    .and_then(|h| h.get(cl))
                    .and_then(|h| h.get("all"))
                    .and_then(|a| a.get(k));
                (p, v)
            }
        };
        let Some(value) = value.filter(|v| !v.is_null()) else {
            continue;
        };
        let bad = |what: &str| {
            wrong(
                file,
                format!("{prefix}{path} is {}, not {what}", short(value)),
            )
        };
        let x = match s.source {
            Source::Key(_) => value
                .as_str()
                .and_then(pitch_class)
                .ok_or_else(|| bad("a key name (C, C#, Db, …, B)"))?
                as f64,
            Source::Scale(_) => value
                .as_str()
                .and_then(scale)
                .ok_or_else(|| bad("`major` or `minor`"))? as f64,
            _ => value.as_f64().ok_or_else(|| bad("a number"))?,
        };
        rows.set(r, c, x);
    }
    Ok(())
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// The dumps' feature CSVs

/// How [`read_dumps`] reads the feature CSVs.
#[derive(Debug, Clone, Default)]
pub struct DumpOptions {
    mbids: Option<HashSet<u128>>,
    all_offsets: bool,
    progress_every: Option<usize>,
}

impl DumpOptions {
    /// Keeps only the rows of these recordings (default: every row, which for the full dumps
    /// needs about 250 bytes a row: pass the MBIDs of your plays). Strings that are not MBIDs
    /// are ignored.
    pub fn mbids<S: AsRef<str>>(mut self, mbids: impl IntoIterator<Item = S>) -> Self {
        self.mbids = Some(
            mbids
                .into_iter()
                .filter_map(|s| parse_mbid(s.as_ref()))
                .collect(),
        );
        self
    }

    /// Keeps every submission, not only `submission_offset` 0 (default `false`).
    pub fn all_offsets(mut self, yes: bool) -> Self {
        self.all_offsets = yes;
        self
    }

    /// Prints a progress line on stdout every `rows` rows of a CSV (default: none).
    pub fn progress_every(mut self, rows: usize) -> Self {
        self.progress_every = Some(rows.max(1));
        self
    }
}

/// Streams the dumps' feature CSVs into one AcousticBrainz table: each path a `.tar.zst` as
/// published (every `.csv` entry of the tar is read; other entries are noted and passed over),
/// or a plain `.csv`. Rhythm, tonal and lowlevel files merge by (MBID, offset). The CSV's type
/// is told by its header, which must begin `mbid,submission_offset`; columns the crate does
/// not know are noted and passed over. Memory holds the rows kept only, never a whole file.
pub fn read_dumps<P: AsRef<Path>>(paths: &[P], options: &DumpOptions) -> Result<AcousticBrainz> {
    let mut report = LoadReport::new("acousticbrainz dump csv");
    let mut rows = Rows::new();
    for p in paths {
        let p = p.as_ref();
        report.files.push(p.to_path_buf());
        let file = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
        let reader = std::io::BufReader::with_capacity(1 << 20, file);
        let name = p.to_string_lossy();
        if name.ends_with(".csv") {
            read_csv(p, reader, options, &mut rows, &mut report)?;
        } else if name.ends_with(".tar.zst") || name.ends_with(".tzst") {
            let zst = ruzstd::decoding::StreamingDecoder::new(reader).map_err(|e| {
                Error::WrongFormat {
                    path: p.to_path_buf(),
                    expected: "zstd stream".into(),
                    detail: e.to_string(),
                }
            })?;
            read_tar(p, zst, options, &mut rows, &mut report)?;
        } else {
            return Err(Error::WrongFormat {
                path: p.to_path_buf(),
                expected: "AcousticBrainz feature dump (.tar.zst or .csv)".into(),
                detail: "the name ends neither in .tar.zst nor in .csv".into(),
            });
        }
    }
    if report.rows_read == 0 {
        return Err(Error::Empty {
            path: paths
                .first()
                .map(|p| p.as_ref().to_path_buf())
                .unwrap_or_default(),
        });
    }
    rows.finish(report)
}

fn read_tar(
    archive: &Path,
    r: impl Read,
    options: &DumpOptions,
    rows: &mut Rows,
    report: &mut LoadReport,
) -> Result<()> {
    let corrupt = |e: std::io::Error| Error::WrongFormat {
        path: archive.to_path_buf(),
        expected: "tar archive compressed with zstd".into(),
        detail: e.to_string(),
    };
    let mut tar = tar::Archive::new(r);
    let mut csvs = 0;
    for entry in tar.entries().map_err(corrupt)? {
        let entry = entry.map_err(corrupt)?;
        let name = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !entry.header().entry_type().is_file() {
            continue;
        }
        if !name.ends_with(".csv") {
            report.note(format!(
                "{}: entry {name} is not a CSV, passed over",
                archive.display()
            ));
            continue;
        }
        csvs += 1;
        let shown = PathBuf::from(format!("{}!{name}", archive.display()));
        read_csv(&shown, entry, options, rows, report)?;
    }
    if csvs == 0 {
        return Err(Error::WrongFormat {
            path: archive.to_path_buf(),
            expected: "AcousticBrainz feature dump".into(),
            detail: "the archive holds no .csv entry".into(),
        });
    }
    Ok(())
}

fn read_csv(
    file: &Path,
    r: impl Read,
    options: &DumpOptions,
    rows: &mut Rows,
    report: &mut LoadReport,
) -> Result<()> {
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        match e.kind() {
            csv::ErrorKind::Io(_) => Error::WrongFormat {
                path: file.to_path_buf(),
                expected: "complete zstd / tar / CSV stream".into(),
                detail: format!("line {line}: {e}"),
            },
            _ => Error::parse(file, line, e.to_string()),
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(r);
    let header = reader.byte_headers().map_err(csv_error)?.clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    if names.len() < 2 || names[0] != MBID || names[1] != SUBMISSION_OFFSET {
        return Err(Error::MissingColumn {
            path: file.to_path_buf(),
            column: if names.first().map(String::as_str) != Some(MBID) {
                MBID.into()
            } else {
                SUBMISSION_OFFSET.into()
            },
            found: names.join(","),
        });
    }
    // Column of the CSV -> (spec index, its header name).
    let mut targets: Vec<(usize, usize)> = Vec::new();
    for (j, n) in names.iter().enumerate().skip(2) {
        match SPECS.iter().position(|s| s.csv == Some(n.as_str())) {
            Some(c) => targets.push((j, c)),
            None => report.note(format!(
                "{}: column `{n}` is not one the crate reads, passed over",
                file.display()
            )),
        }
    }
    let mut record = csv::ByteRecord::new();
    let mut n = 0usize;
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        n += 1;
        report.rows_read += 1;
        let line = record.position().map_or(n as u64 + 1, |p| p.line());
        if let Some(every) = options.progress_every
            && n.is_multiple_of(every)
        {
            println!("{}: {n} rows read", file.display());
        }
        let text = |j: usize| std::str::from_utf8(&record[j]).unwrap_or("").trim();
        let Some(id) = parse_mbid(text(0)) else {
            report.skip(file, line, SKIP_BAD_MBID);
            continue;
        };
        if options.mbids.as_ref().is_some_and(|m| !m.contains(&id)) {
            *report
                .skipped
                .entry(SKIP_NOT_WANTED.to_string())
                .or_default() += 1;
            continue;
        }
        let offset: i64 = text(1).parse().map_err(|_| {
            Error::parse(
                file,
                line,
                format!(
                    "column `{SUBMISSION_OFFSET}`: `{}` is not an integer",
                    text(1)
                ),
            )
        })?;
        if offset != 0 && !options.all_offsets {
            *report
                .skipped
                .entry(SKIP_LATER_SUBMISSION.to_string())
                .or_default() += 1;
            continue;
        }
        let r = rows.row(id, offset);
        for &(j, c) in &targets {
            let cell = text(j);
            if cell.is_empty() {
                continue;
            }
            let bad = |what: &str| {
                Error::parse(
                    file,
                    line,
                    format!("column `{}`: `{cell}` is not {what}", names[j]),
                )
            };
            let x = match SPECS[c].source {
                Source::Key(_) => pitch_class(cell).ok_or_else(|| bad("a key name"))? as f64,
                Source::Scale(_) => scale(cell).ok_or_else(|| bad("`major` or `minor`"))? as f64,
                _ => cell.parse::<f64>().map_err(|_| bad("a number"))?,
            };
            rows.set(r, c, x);
        }
    }
    if n == 0 {
        report.empty_file(file);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbids_round_trip_and_reject_non_ids() {
        let s = "0dad432b-16cc-4bf0-8961-fd31d124b01b";
        assert_eq!(format_mbid(parse_mbid(s).unwrap()), s);
        assert_eq!(
            format_mbid(parse_mbid(&s.to_uppercase()).unwrap()),
            s,
            "upper case reads, lower case written"
        );
        assert!(parse_mbid("0dad432b16cc-4bf0-8961-fd31d124b01b-").is_none());
        assert!(parse_mbid("0dad432b-16cc-4bf0-8961-fd31d124b01").is_none());
        assert!(parse_mbid("zdad432b-16cc-4bf0-8961-fd31d124b01b").is_none());
    }

    #[test]
    fn keys_and_scales() {
        assert_eq!(pitch_class("C"), Some(0));
        assert_eq!(pitch_class("Eb"), pitch_class("D#"));
        assert_eq!(pitch_class("B"), Some(11));
        assert_eq!(pitch_class("H"), None);
        assert_eq!(scale("minor"), Some(0));
        assert_eq!(scale("dorian"), None);
    }

    #[test]
    fn columns_and_mapping_agree() {
        let m = mapping().unwrap();
        assert_eq!(m.height(), COLUMNS.len());
        let mapped = [
            schema::TEMPO,
            schema::KEY,
            schema::MODE,
            schema::DANCEABILITY,
            schema::INSTRUMENTALNESS,
            schema::ACOUSTICNESS,
            schema::VALENCE,
        ];
        // Every crate column used is one of the mapped seven; the others are not crate columns.
        for c in COLUMNS {
            assert_eq!(
                schema::AUDIO_FEATURES.contains(&c),
                mapped.contains(&c),
                "{c}"
            );
        }
    }
}
