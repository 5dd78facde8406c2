//! Parquet output (feature `parquet`): partition folders, the round trip, what the footer says.
//! `cargo test --release --features parquet --test it parquet::`

use listening::Error;
use listening::parquet::{Codec, ParquetExportOptions, YEAR, scan_parquet, write_parquet};
use listening::schema::plays;
use polars::prelude::*;
use std::path::{Path, PathBuf};

fn temp_dir(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "listening-parquet-{tag}-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Milliseconds since 1970 of a UTC date-time.
fn ms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, milli: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_milli_opt(h, mi, s, milli)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

/// A plays table in the canonical schema over four years (1969 before the epoch, 2019 to 2021,
/// with rows on both sides of a new year at the millisecond), with nulls, non-ASCII names and
/// names holding commas and quotes, sorted by time as the loaders return it.
fn plays_table() -> DataFrame {
    let at = vec![
        ms(1969, 12, 31, 23, 59, 59, 999),
        ms(2019, 3, 1, 12, 0, 0, 0),
        ms(2019, 3, 1, 12, 3, 30, 250),
        ms(2019, 12, 31, 23, 59, 59, 999),
        ms(2020, 1, 1, 0, 0, 0, 0),
        ms(2020, 6, 15, 8, 30, 0, 1),
        ms(2021, 2, 28, 23, 0, 0, 0),
    ];
    let n = at.len();
    let played_at = Int64Chunked::from_vec(plays::PLAYED_AT.into(), at)
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_series()
        .into_column();
    DataFrame::new(
        n,
        vec![
            played_at,
            Column::new(
                plays::ARTIST.into(),
                [
                    "The Beatles",
                    "Sigur Rós",
                    "Sigur Rós",
                    "Crosby, Stills & Nash",
                    "坂本龍一",
                    "\"Weird Al\" Yankovic",
                    "Björk",
                ],
            ),
            Column::new(
                plays::ALBUM.into(),
                [
                    Some("Abbey Road"),
                    None,
                    Some("()"),
                    Some("CSN"),
                    None,
                    Some("Poodle Hat"),
                    Some("Homogenic"),
                ],
            ),
            Column::new(
                plays::TRACK.into(),
                [
                    "Something",
                    "Hoppípolla",
                    "Untitled #1",
                    "Helplessly Hoping",
                    "Merry Christmas Mr. Lawrence",
                    "Hardware Store",
                    "Jóga",
                ],
            ),
            Column::new(
                plays::MS_PLAYED.into(),
                [
                    Some(182_000i64),
                    None,
                    Some(0),
                    Some(161_000),
                    None,
                    Some(1),
                    Some(305_000),
                ],
            ),
            Column::new(
                plays::TRACK_ID.into(),
                [
                    None,
                    Some("6eTcxkl9G7C2mwejLJ7Amm"),
                    None,
                    None,
                    None,
                    None,
                    Some("0fUJQkBVWj5iKrEsjF3Kb8"),
                ],
            ),
            Column::new_scalar(
                plays::SOURCE.into(),
                Scalar::from(PlSmallStr::from("lastfm")),
                n,
            ),
        ],
    )
    .unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if e.path().is_dir() {
            for f in std::fs::read_dir(e.path()).unwrap() {
                out.push(format!(
                    "{name}/{}",
                    f.unwrap().file_name().to_string_lossy()
                ));
            }
        } else {
            out.push(name);
        }
    }
    out.sort();
    out
}

fn read_back(dir: &Path) -> DataFrame {
    scan_parquet(dir)
        .unwrap()
        .sort(
            [plays::PLAYED_AT, plays::ARTIST],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
        .unwrap()
}

#[test]
fn partitions_by_year_and_reads_back_the_same_rows() {
    let df = plays_table();
    let dir = temp_dir("roundtrip");
    let report = write_parquet(&df, &dir, &ParquetExportOptions::default()).unwrap();

    assert_eq!(
        listing(&dir),
        [
            "year=1969/part-0.parquet",
            "year=2019/part-0.parquet",
            "year=2020/part-0.parquet",
            "year=2021/part-0.parquet",
        ]
    );
    assert_eq!(
        report.rows_per_partition(),
        [
            (Some(1969), 1),
            (Some(2019), 3),
            (Some(2020), 2),
            (Some(2021), 1)
        ]
    );
    assert_eq!(report.rows, df.height());
    for f in &report.files {
        assert_eq!(std::fs::metadata(&f.path).unwrap().len(), f.bytes);
    }
    assert_eq!(
        report.bytes,
        report.files.iter().map(|f| f.bytes).sum::<u64>()
    );

    let back = read_back(&dir);
    // The partition column comes back at the end, as Int32, and agrees with the time.
    assert_eq!(back.width(), df.width() + 1);
    let year = back.column(YEAR).unwrap();
    assert_eq!(year.dtype(), &DataType::Int32);
    let years: Vec<Option<i32>> = year.i32().unwrap().iter().collect();
    assert_eq!(years, [1969, 2019, 2019, 2019, 2020, 2020, 2021].map(Some));
    // Same columns, same types (played_at: datetime[ms] without a zone, UTC instants), same
    // values to the millisecond, nulls included.
    let back = back.drop(YEAR).unwrap();
    assert_eq!(back.schema(), df.schema());
    assert!(back.equals_missing(&df), "{back}\n{df}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn footer_holds_utc_millisecond_timestamps_and_plain_strings() {
    let dir = temp_dir("footer");
    let report = write_parquet(&plays_table(), &dir, &ParquetExportOptions::default()).unwrap();
    let file = std::fs::File::open(&report.files[1].path).unwrap();
    let mut reader = ParquetReader::new(file);
    let meta = reader.get_metadata().unwrap().clone();
    let columns = meta.schema().columns();
    let find = |name: &str| {
        let c = columns
            .iter()
            .find(|c| c.path_in_schema[0].as_str() == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        format!("{:?}", c.descriptor.primitive_type)
    };
    // What Spark, DuckDB and BigQuery read as a UTC timestamp.
    let at = find(plays::PLAYED_AT);
    assert!(at.contains("physical_type: Int64"), "{at}");
    assert!(
        at.contains("Timestamp { unit: Milliseconds, is_adjusted_to_utc: true }"),
        "{at}"
    );
    // Strings: BYTE_ARRAY with the STRING (UTF8) annotation.
    for name in [
        plays::ARTIST,
        plays::ALBUM,
        plays::TRACK,
        plays::TRACK_ID,
        plays::SOURCE,
    ] {
        let s = find(name);
        assert!(s.contains("physical_type: ByteArray"), "{name}: {s}");
        assert!(s.contains("logical_type: Some(String)"), "{name}: {s}");
    }
    // The partition column is in the folder name only.
    assert!(columns.iter().all(|c| c.path_in_schema[0].as_str() != YEAR));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_file_without_partitions_and_zstd() {
    let df = plays_table();
    let dir = temp_dir("flat");
    let opts = ParquetExportOptions::default()
        .with_partition_by_year(false)
        .with_compression(Codec::Zstd(Some(9)))
        .with_row_group_size(Some(2));
    let report = write_parquet(&df, &dir, &opts).unwrap();
    assert_eq!(listing(&dir), ["part-0.parquet"]);
    assert_eq!(report.rows_per_partition(), [(None, 7)]);
    let back = read_back(&dir);
    assert_eq!(back.schema(), df.schema());
    assert!(back.equals_missing(&df));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refuses_earlier_output_unless_overwrite() {
    let df = plays_table();
    let dir = temp_dir("overwrite");
    write_parquet(&df, &dir, &ParquetExportOptions::default()).unwrap();
    let again = write_parquet(&df, &dir, &ParquetExportOptions::default());
    assert!(
        matches!(&again, Err(Error::Parameter { name, .. }) if name == "dir"),
        "{again:?}"
    );
    // Overwrite with the 2021 rows only: the other years' folders go.
    let last = df.slice(6, 1);
    let report = write_parquet(
        &last,
        &dir,
        &ParquetExportOptions::default().with_overwrite(true),
    )
    .unwrap();
    assert_eq!(report.removed, 4);
    assert_eq!(listing(&dir), ["year=2021/part-0.parquet"]);
    assert!(read_back(&dir).drop(YEAR).unwrap().equals_missing(&last));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn streaming_aggregate_over_the_folder() {
    let dir = temp_dir("streaming");
    write_parquet(&plays_table(), &dir, &ParquetExportOptions::default()).unwrap();
    let per_year = scan_parquet(&dir)
        .unwrap()
        .group_by([col(YEAR)])
        .agg([len().alias("plays")])
        .sort([YEAR], SortMultipleOptions::default())
        .collect_with_engine(Engine::Streaming)
        .unwrap()
        .unwrap_single();
    let plays: Vec<Option<i64>> = per_year
        .column("plays")
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(plays, [1, 3, 2, 1].map(Some));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_name_the_column_and_the_folder() {
    let df = plays_table();
    let dir = temp_dir("errors");
    let no_time = df.drop(plays::PLAYED_AT).unwrap();
    let e = write_parquet(&no_time, &dir, &ParquetExportOptions::default()).unwrap_err();
    assert!(
        matches!(&e, Error::Column { column, .. } if column == plays::PLAYED_AT),
        "{e}"
    );
    let e = write_parquet(
        &df,
        &dir,
        &ParquetExportOptions::default().with_time_column(plays::ARTIST),
    )
    .unwrap_err();
    assert!(matches!(&e, Error::Column { .. }), "{e}");
    // Nothing was written.
    assert!(!dir.exists() || listing(&dir).is_empty());
    let Err(e) = scan_parquet(dir.join("absent")) else {
        panic!("scanned an absent folder")
    };
    assert!(matches!(&e, Error::Io { .. }), "{e}");
    std::fs::create_dir_all(&dir).unwrap();
    let Err(e) = scan_parquet(&dir) else {
        panic!("scanned an empty folder")
    };
    assert!(matches!(&e, Error::NoFiles { .. }), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
