//! AcousticBrainz readers: the real sample documents (reached through the registry) against the
//! values Python's json module read from them (peer/acousticbrainz_samples.py, committed in
//! tests/fixtures/acousticbrainz/expected.csv); the dumps' feature CSVs streamed from generated
//! `.tar.zst` archives of the real layout; typed errors on bad input.

use crate::common::*;
use crate::real_data::have;
use listening::Error;
use listening::datasets;
use listening::features::acousticbrainz::{
    self as ab, COLUMNS, DumpOptions, MBID, SUBMISSION_OFFSET, read_documents, read_dumps,
};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SAMPLES: &str = "acousticbrainz-samples";
const NASCENCE: &str = "0dad432b-16cc-4bf0-8961-fd31d124b01b";
const SOUL_LOVE: &str = "e8afe383-1478-497e-90b1-7885c7f37f6e";
const LA_GRANGE: &str = "cd3f5efa-bc5e-4064-a765-960494ad4bb4";

/// file -> (mbid, column) -> value, as the peer script wrote them.
fn expected() -> BTreeMap<String, BTreeMap<(String, String), String>> {
    let mut out: BTreeMap<String, BTreeMap<(String, String), String>> = BTreeMap::new();
    let mut r = csv::Reader::from_path(fixture("acousticbrainz/expected.csv")).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        assert_eq!(&rec[2], "0", "the peer lists offset 0 only");
        out.entry(rec[0].to_string())
            .or_default()
            .insert((rec[1].to_string(), rec[3].to_string()), rec[4].to_string());
    }
    out
}

/// The value of `column` in the row of `mbid` (offset 0), as text comparable with the peer's.
fn cell(df: &DataFrame, mbid: &str, column: &str) -> Option<f64> {
    let ids = strs(df, MBID);
    let offs = ints(df, SUBMISSION_OFFSET);
    let row = ids
        .iter()
        .zip(&offs)
        .position(|(i, o)| i.as_deref() == Some(mbid) && *o == Some(0))
        .unwrap_or_else(|| panic!("no row for {mbid}"));
    floats(df, column)[row]
}

#[test]
fn samples_parse_to_the_values_python_reads() {
    if !have(SAMPLES) {
        return;
    }
    let files = datasets::files(SAMPLES).unwrap();
    let want = expected();
    assert_eq!(want.len(), 5, "the peer read every sample file");
    let mut compared = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let wanted = &want[&name];
        let got = read_documents(file).unwrap();
        let mbids: std::collections::BTreeSet<&String> = wanted.keys().map(|(m, _)| m).collect();
        assert_eq!(
            got.df.height(),
            mbids.len(),
            "{name}: one row per recording"
        );
        for mbid in mbids {
            for column in COLUMNS {
                let v = cell(&got.df, mbid, column);
                match wanted.get(&(mbid.clone(), column.to_string())) {
                    // A value the file does not hold is null, never invented.
                    None => assert_eq!(v, None, "{name} {mbid} {column}"),
                    Some(w) => {
                        let w: f64 = w.parse().unwrap();
                        let v = v.unwrap_or_else(|| panic!("{name} {mbid} {column}: null"));
                        assert!(
                            (v - w).abs() <= 1e-12 * w.abs().max(1.0),
                            "{name} {mbid} {column}: {v} vs python {w}"
                        );
                        compared += 1;
                    }
                }
            }
        }
    }
    // Every value the peer listed was compared.
    assert_eq!(compared, want.values().map(BTreeMap::len).sum::<usize>());
    assert_eq!(compared, 75);
}

#[test]
fn samples_folder_merges_documents_by_recording_and_keeps_offset_0() {
    if !have(SAMPLES) {
        return;
    }
    let dir = datasets::path(SAMPLES).unwrap();
    let got = read_documents(&dir).unwrap();
    let r = &got.report;
    // 4 single documents + 3 submissions in the bulk answer.
    assert_eq!(r.rows_read, 7);
    assert_eq!(r.skipped.get(ab::SKIP_LATER_SUBMISSION), Some(&1));
    assert_eq!(got.df.height(), 3);
    assert_eq!(
        strs(&got.df, MBID),
        vec![
            Some(NASCENCE.to_string()),
            Some(LA_GRANGE.to_string()),
            Some(SOUL_LOVE.to_string())
        ]
    );
    // Names from the documents' tags, for a look-up by name.
    assert_eq!(
        strs(&got.df, ab::TITLE),
        vec![
            Some("Nascence".to_string()),
            Some("La Grange".to_string()),
            Some("Soul Love".to_string())
        ]
    );
    assert_eq!(strs(&got.df, ab::ARTIST)[2].as_deref(), Some("David Bowie"));
    // Nascence: tempo from the low-level file, danceability from the high-level file.
    assert!((cell(&got.df, NASCENCE, "tempo").unwrap() - 139.925872803).abs() < 1e-9);
    assert!((cell(&got.df, NASCENCE, "danceability").unwrap() - 0.035318903625).abs() < 1e-12);
    assert_eq!(cell(&got.df, NASCENCE, "key"), Some(2.0)); // D
    assert_eq!(cell(&got.df, NASCENCE, "mode"), Some(1.0)); // major
    // The high-level file is another submission's: its analysed length differs, flagged.
    assert!(
        r.flagged.keys().any(|k| k.contains("differing")),
        "{:?}",
        r.flagged
    );
    // La Grange (merged document): high-level valence stand-in and low-level tempo together.
    assert!((cell(&got.df, LA_GRANGE, "valence").unwrap() - 0.0894767045975).abs() < 1e-12);
    assert_eq!(cell(&got.df, LA_GRANGE, "key"), Some(9.0)); // A
    assert!(
        r.variant.contains("bulk answer") && r.variant.contains("merged"),
        "{}",
        r.variant
    );
}

// ---------------------------------------------------------------------------------------------
// Dumps

const RHYTHM_HEADER: &str = "mbid,submission_offset,bpm,bpm_histogram_first_peak_bpm_mean,bpm_histogram_first_peak_bpm_median,bpm_histogram_second_peak_bpm_mean,bpm_histogram_second_peak_bpm_median,danceability,onset_rate";
const TONAL_HEADER: &str =
    "mbid,submission_offset,key_key,key_scale,tuning_frequency,tuning_equal_tempered_deviation";
const LOWLEVEL_HEADER: &str =
    "mbid,submission_offset,average_loudness,dynamic_complexity,mfcc_zero_mean";
const DUMP: &str = "acousticbrainz-lowlevel-features-20220623";

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("listening-ab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A `.tar.zst` as the dumps are: a folder holding the CSV (and, here, a README beside it).
fn tar_zst(path: &Path, kind: &str, csv: &str) {
    let mut b = tar::Builder::new(Vec::new());
    for (name, body) in [
        (format!("{DUMP}/README.txt"), "CC0".to_string()),
        (format!("{DUMP}/{DUMP}-{kind}.csv"), csv.to_string()),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, body.as_bytes()).unwrap();
    }
    let raw = b.into_inner().unwrap();
    let z = ruzstd::encoding::compress_to_vec(
        raw.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    std::fs::write(path, z).unwrap();
}

const A: &str = "00000000-0000-4000-8000-00000000000a";
const B: &str = "00000000-0000-4000-8000-00000000000b";
const C: &str = "00000000-0000-4000-8000-00000000000c";

fn three_dumps(dir: &Path) -> Vec<PathBuf> {
    let rhythm = format!(
        "{RHYTHM_HEADER}\n\
         {A},0,120.5,120,121,60,61,1.25,3.5\n\
         {A},1,99,99,99,50,50,0.5,2\n\
         {B},0,88.25,88,88,176,176,2.75,1.5\n\
         not-an-mbid,0,1,1,1,1,1,1,1\n\
         {C},0,,,,,,,\n"
    );
    let tonal = format!(
        "{TONAL_HEADER}\n{A},0,F#,minor,440.5,0.01\n{B},0,Eb,major,438,0.2\n{A},1,C,major,441,0\n"
    );
    let lowlevel = format!("{LOWLEVEL_HEADER}\n{B},0,0.93,2.5,-650.25\n");
    let mut out = Vec::new();
    for (kind, text) in [("rhythm", rhythm), ("tonal", tonal), ("lowlevel", lowlevel)] {
        let p = dir.join(format!("{DUMP}-{kind}.tar.zst"));
        tar_zst(&p, kind, &text);
        out.push(p);
    }
    out
}

#[test]
fn dumps_stream_from_tar_zst_merge_by_mbid_and_keep_offset_0() {
    let dir = temp("dumps");
    let paths = three_dumps(&dir);
    let got = read_dumps(&paths, &DumpOptions::default()).unwrap();
    let r = &got.report;
    assert_eq!(r.rows_read, 5 + 3 + 1);
    assert_eq!(r.skipped.get(ab::SKIP_LATER_SUBMISSION), Some(&2));
    assert_eq!(r.skipped.get(ab::SKIP_BAD_MBID), Some(&1));
    assert!(
        r.notes.iter().any(|n| n.contains("README.txt")),
        "{:?}",
        r.notes
    );
    let df = &got.df;
    assert_eq!(
        strs(df, MBID),
        vec![Some(A.into()), Some(B.into()), Some(C.into())]
    );
    assert_eq!(ints(df, SUBMISSION_OFFSET), vec![Some(0), Some(0), Some(0)]);
    assert_eq!(floats(df, "tempo"), vec![Some(120.5), Some(88.25), None]);
    assert_eq!(
        floats(df, ab::RHYTHM_DANCEABILITY),
        vec![Some(1.25), Some(2.75), None]
    );
    // The low-level 0-3 danceability is never put under the crate's 0-1 name.
    assert_eq!(floats(df, "danceability"), vec![None, None, None]);
    assert_eq!(ints(df, "key"), vec![Some(6), Some(3), None]); // F#, Eb
    assert_eq!(ints(df, "mode"), vec![Some(0), Some(1), None]);
    assert_eq!(
        floats(df, "mfcc_zero_mean"),
        vec![None, Some(-650.25), None]
    );
    assert_eq!(
        floats(df, "bpm_histogram_second_peak_bpm_median"),
        vec![Some(61.0), Some(176.0), None]
    );
}

#[test]
fn dumps_keep_only_the_mbids_asked_for_or_every_offset() {
    let dir = temp("wanted");
    let paths = three_dumps(&dir);
    let got = read_dumps(&paths, &DumpOptions::default().mbids([B, "junk"])).unwrap();
    assert_eq!(strs(&got.df, MBID), vec![Some(B.into())]);
    assert_eq!(floats(&got.df, "average_loudness"), vec![Some(0.93)]);
    // A's 4 rows and C's 1 are not wanted; the bad MBID row is skipped for that reason first.
    assert_eq!(got.report.skipped.get(ab::SKIP_NOT_WANTED), Some(&5));
    let all = read_dumps(&paths, &DumpOptions::default().all_offsets(true)).unwrap();
    assert_eq!(
        ints(&all.df, SUBMISSION_OFFSET),
        vec![Some(0), Some(1), Some(0), Some(0)]
    );
    assert_eq!(
        floats(&all.df, "tempo"),
        vec![Some(120.5), Some(99.0), Some(88.25), None]
    );
    assert_eq!(ints(&all.df, "key"), vec![Some(6), Some(0), Some(3), None]);
}

#[test]
fn dump_of_many_rows_streams_and_keeps_only_what_was_asked() {
    // 200,000 rows generated in the real rhythm layout (seeded), 20 MBIDs asked for.
    use rand::{Rng, SeedableRng};
    let dir = temp("many");
    let mut rng = rand::rngs::StdRng::seed_from_u64(23);
    let mut text = String::from(RHYTHM_HEADER);
    text.push('\n');
    let mut wanted = Vec::new();
    let mut wanted_bpm = BTreeMap::new();
    for i in 0..200_000u32 {
        let id = format!("{:08x}-0000-4000-8000-{:012x}", i, rng.r#gen::<u32>());
        let bpm: f64 = (rng.gen_range(60.0..200.0f64) * 1000.0).round() / 1000.0;
        text.push_str(&format!("{id},0,{bpm},1,1,1,1,1.5,2.5\n"));
        if i % 10_000 == 7 {
            wanted.push(id.clone());
            wanted_bpm.insert(id, bpm);
        }
    }
    let p = dir.join(format!("{DUMP}-rhythm.tar.zst"));
    tar_zst(&p, "rhythm", &text);
    let got = read_dumps(&[&p], &DumpOptions::default().mbids(&wanted)).unwrap();
    assert_eq!(got.report.rows_read, 200_000);
    assert_eq!(got.df.height(), 20);
    assert_eq!(got.report.skipped.get(ab::SKIP_NOT_WANTED), Some(&199_980));
    let ids = strs(&got.df, MBID);
    let bpm = floats(&got.df, "tempo");
    for (id, b) in ids.iter().zip(bpm) {
        assert_eq!(Some(wanted_bpm[id.as_ref().unwrap()]), b);
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[test]
fn malformed_json_names_file_line_and_column() {
    let dir = temp("badjson");
    let f = dir.join("bad.json");
    std::fs::write(&f, "{\n  \"rhythm\": {\"bpm\": 120,\n  }\n}\n").unwrap();
    match read_documents(&f).unwrap_err() {
        Error::Parse {
            path,
            line,
            message,
        } => {
            assert_eq!(path, f);
            assert_eq!(line, 3);
            assert!(message.contains("column 3"), "{message}");
        }
        e => panic!("{e}"),
    }
}

#[test]
fn value_of_the_wrong_type_names_its_json_path() {
    let dir = temp("badvalue");
    let f = dir.join(format!("{A}.json"));
    std::fs::write(
        &f,
        r#"{"rhythm": {"bpm": "fast"}, "tonal": {"key_key": "C"}}"#,
    )
    .unwrap();
    let e = read_documents(&f).unwrap_err();
    assert!(matches!(e, Error::WrongFormat { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("rhythm.bpm") && text.contains("\"fast\""),
        "{text}"
    );
    std::fs::write(&f, r#"{"tonal": {"key_key": "H"}}"#).unwrap();
    let text = read_documents(&f).unwrap_err().to_string();
    assert!(text.contains("tonal.key_key"), "{text}");
    // No MBID in the tags nor in the file name.
    let g = dir.join("nameless.json");
    std::fs::write(&g, r#"{"rhythm": {"bpm": 120}}"#).unwrap();
    let text = read_documents(&g).unwrap_err().to_string();
    assert!(text.contains("musicbrainz_recordingid"), "{text}");
    // The MBID comes from the file name where the tags lack it.
    std::fs::write(dir.join(format!("{B}.json")), r#"{"rhythm": {"bpm": 120}}"#).unwrap();
    let got = read_documents(dir.join(format!("{B}.json"))).unwrap();
    assert_eq!(strs(&got.df, MBID), vec![Some(B.into())]);
    // A bulk answer with a key that is no MBID.
    let h = dir.join("bulk.json");
    std::fs::write(&h, r#"{"not-an-mbid": {"0": {"rhythm": {"bpm": 1}}}}"#).unwrap();
    let text = read_documents(&h).unwrap_err().to_string();
    assert!(text.contains("not-an-mbid"), "{text}");
}

#[test]
fn bad_dump_cells_name_archive_entry_line_and_column() {
    let dir = temp("badcsv");
    let p = dir.join(format!("{DUMP}-rhythm.tar.zst"));
    tar_zst(
        &p,
        "rhythm",
        &format!("{RHYTHM_HEADER}\n{A},0,120,1,1,1,1,1,1\n{B},0,12O.5,1,1,1,1,1,1\n"),
    );
    match read_dumps(&[&p], &DumpOptions::default()).unwrap_err() {
        Error::Parse {
            path,
            line,
            message,
        } => {
            let shown = path.display().to_string();
            assert!(
                shown.contains(&format!("!{DUMP}/{DUMP}-rhythm.csv")),
                "{shown}"
            );
            assert_eq!(line, 3);
            assert!(
                message.contains("column `bpm`") && message.contains("12O.5"),
                "{message}"
            );
        }
        e => panic!("{e}"),
    }
    // A row with a missing field.
    tar_zst(&p, "rhythm", &format!("{RHYTHM_HEADER}\n{A},0,120,1\n"));
    let e = read_dumps(&[&p], &DumpOptions::default()).unwrap_err();
    assert!(matches!(e, Error::Parse { line: 2, .. }), "{e}");
    // A header that is not the dumps'.
    tar_zst(&p, "rhythm", "id,bpm\nx,1\n");
    let e = read_dumps(&[&p], &DumpOptions::default()).unwrap_err();
    assert!(
        matches!(&e, Error::MissingColumn { column, .. } if column == "mbid"),
        "{e}"
    );
    // A bad key name in the tonal CSV.
    tar_zst(
        &p,
        "tonal",
        &format!("{TONAL_HEADER}\n{A},0,H,major,440,0\n"),
    );
    let text = read_dumps(&[&p], &DumpOptions::default())
        .unwrap_err()
        .to_string();
    assert!(text.contains("column `key_key`"), "{text}");
}

#[test]
fn truncated_or_foreign_archives_are_errors_not_panics() {
    let dir = temp("truncated");
    let p = dir.join(format!("{DUMP}-rhythm.tar.zst"));
    let mut text = String::from(RHYTHM_HEADER);
    text.push('\n');
    for i in 0..5000 {
        text.push_str(&format!(
            "{:08x}-0000-4000-8000-000000000000,0,{i},1,1,1,1,1,1\n",
            i
        ));
    }
    tar_zst(&p, "rhythm", &text);
    let whole = std::fs::read(&p).unwrap();
    for cut in [whole.len() / 2, whole.len() - 3, 10] {
        let q = dir.join(format!("cut-{cut}.tar.zst"));
        std::fs::write(&q, &whole[..cut]).unwrap();
        let e = read_dumps(&[&q], &DumpOptions::default()).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains(&format!("cut-{cut}.tar.zst")), "{shown}");
    }
    // Not zstd at all.
    let q = dir.join("plain.tar.zst");
    std::fs::write(&q, b"this is not a zstd frame").unwrap();
    let e = read_dumps(&[&q], &DumpOptions::default()).unwrap_err();
    assert!(matches!(e, Error::WrongFormat { .. }), "{e}");
    // zstd, but not a tar holding a CSV.
    let z = ruzstd::encoding::compress_to_vec(
        &b"hello"[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    std::fs::write(&q, z).unwrap();
    let e = read_dumps(&[&q], &DumpOptions::default()).unwrap_err();
    assert!(matches!(e, Error::WrongFormat { .. }), "{e}");
    // A plain CSV with the header only: empty.
    let c = dir.join("empty.csv");
    std::fs::write(&c, format!("{RHYTHM_HEADER}\n")).unwrap();
    let e = read_dumps(&[&c], &DumpOptions::default()).unwrap_err();
    assert!(matches!(e, Error::Empty { .. }), "{e}");
}
