//! Parquet output of the canonical tables, for engines past one machine (feature `parquet`).
//!
//! [`write_parquet`] writes a table (the plays table of [`crate::loaders::read_plays`], or any
//! other DataFrame) as a folder of Parquet files, by default partitioned Hive-style by the year
//! of `played_at` — `DIR/year=2019/part-0.parquet` — which Apache Spark, DuckDB and BigQuery read
//! as they are (`spark.read.parquet(DIR)`, `read_parquet('DIR/*/*.parquet', hive_partitioning =
//! true)`, an external table with hive partitioning). [`scan_parquet`] reads such a folder back
//! lazily with polars, so an aggregate over a history larger than memory streams through it
//! (`collect_with_engine(Engine::Streaming)`).
//!
//! What is written, and why:
//! - timestamps as INT64 `TIMESTAMP(MILLIS, isAdjustedToUTC = true)` (microseconds for
//!   nanosecond columns, which Spark cannot read): the crate's tables hold UTC instants in
//!   datetime columns without a time zone, and [`ParquetExportOptions::naive_is_utc`] (on by
//!   default) labels them UTC in the file, so that Spark reads a `timestamp`, BigQuery a
//!   `TIMESTAMP` and DuckDB a `TIMESTAMP WITH TIME ZONE` (not a local date-time). The reader
//!   takes the label off again, so a round trip gives back the same table;
//! - strings as `BYTE_ARRAY` with the `STRING` logical type (UTF8), whatever polars holds them as
//!   in memory; integers as INT64 / INT32, floats as DOUBLE / FLOAT;
//! - snappy compression by default (Spark's own default; zstd on request): both are read by
//!   Spark, DuckDB and BigQuery;
//! - the partition column lives in the folder name only, as Hive, Spark and BigQuery expect; a
//!   missing year goes to `year=__HIVE_DEFAULT_PARTITION__`, which they all read as null.

use crate::error::{Error, Result};
use crate::schema::plays;
use polars::prelude::*;
use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Name of the partition column (in folder names) that [`write_parquet`] writes.
pub const YEAR: &str = "year";

/// Folder of the rows without a year, as Hive and Spark name it.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Compression of the Parquet pages. Only codecs that Spark, DuckDB and BigQuery all read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Codec {
    /// Snappy: Spark's default, read by every engine. Fast, larger files.
    #[default]
    Snappy,
    /// Zstandard at a level 1–22 (`None`: the library's default, 3). Smaller files; Spark ≥ 2.4,
    /// DuckDB and BigQuery read it.
    Zstd(Option<i32>),
    /// No compression.
    Uncompressed,
}

/// Options of [`write_parquet`].
#[derive(Debug, Clone)]
pub struct ParquetExportOptions {
    /// One folder per year of [`Self::time_column`] (`year=2019/`), Hive-style (default `true`).
    /// Off: one `part-0.parquet` in the folder.
    pub partition_by_year: bool,
    /// The datetime (or date) column whose year names the partition (default `played_at`).
    pub time_column: String,
    /// Page compression (default [`Codec::Snappy`]).
    pub compression: Codec,
    /// Rows per row group (`None`: polars' default, 262,144 rows). Readers parallelise and skip
    /// by row group.
    pub row_group_size: Option<usize>,
    /// Datetime columns without a time zone hold UTC instants (as every table of this crate
    /// does) and are written as UTC timestamps (default `true`); off, they are written as local
    /// date-times (`isAdjustedToUTC = false`: Spark ≥ 3.4 reads `timestamp_ntz`, BigQuery
    /// `DATETIME`).
    pub naive_is_utc: bool,
    /// Replace the Parquet files a previous write left in the folder (default `false`: a folder
    /// that already holds `part-*.parquet` files or `year=*` folders is refused). Only those
    /// files, and the `year=*` folders they leave empty, are removed.
    pub overwrite: bool,
}

impl Default for ParquetExportOptions {
    fn default() -> Self {
        ParquetExportOptions {
            partition_by_year: true,
            time_column: plays::PLAYED_AT.to_string(),
            compression: Codec::default(),
            row_group_size: None,
            naive_is_utc: true,
            overwrite: false,
        }
    }
}

impl ParquetExportOptions {
    /// Partitioned by year (`true`) or one file (`false`).
    pub fn with_partition_by_year(mut self, on: bool) -> Self {
        self.partition_by_year = on;
        self
    }

    /// The column whose year names the partition.
    pub fn with_time_column(mut self, name: impl Into<String>) -> Self {
        self.time_column = name.into();
        self
    }

    /// Page compression.
    pub fn with_compression(mut self, codec: Codec) -> Self {
        self.compression = codec;
        self
    }

    /// Rows per row group.
    pub fn with_row_group_size(mut self, rows: Option<usize>) -> Self {
        self.row_group_size = rows;
        self
    }

    /// Whether naive datetime columns are written as UTC timestamps.
    pub fn with_naive_is_utc(mut self, on: bool) -> Self {
        self.naive_is_utc = on;
        self
    }

    /// Whether Parquet files of an earlier write in the folder are replaced.
    pub fn with_overwrite(mut self, on: bool) -> Self {
        self.overwrite = on;
        self
    }
}

/// One file written by [`write_parquet`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParquetFile {
    /// The partition's year (`None` for the unpartitioned file and for rows without a year).
    pub year: Option<i32>,
    pub path: PathBuf,
    pub rows: usize,
    /// Size of the file on disk.
    pub bytes: u64,
}

/// What [`write_parquet`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ParquetReport {
    /// The folder written.
    pub dir: PathBuf,
    /// The files, by year (the null partition last).
    pub files: Vec<ParquetFile>,
    /// Rows written, all files together (the table's height).
    pub rows: usize,
    /// Bytes on disk, all files together.
    pub bytes: u64,
    /// Files of an earlier write removed first ([`ParquetExportOptions::overwrite`]).
    pub removed: usize,
}

impl ParquetReport {
    /// Rows per partition, by year (`None`: rows without a year, or the unpartitioned file).
    pub fn rows_per_partition(&self) -> Vec<(Option<i32>, usize)> {
        self.files.iter().map(|f| (f.year, f.rows)).collect()
    }

    /// One row per file: `year`, `path`, `rows`, `bytes` (for display in a notebook).
    pub fn to_df(&self) -> Result<DataFrame> {
        let n = self.files.len();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new(
                    YEAR.into(),
                    self.files.iter().map(|f| f.year).collect::<Vec<_>>(),
                ),
                Column::new(
                    "path".into(),
                    self.files
                        .iter()
                        .map(|f| f.path.display().to_string())
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "rows".into(),
                    self.files.iter().map(|f| f.rows as u64).collect::<Vec<_>>(),
                ),
                Column::new(
                    "bytes".into(),
                    self.files.iter().map(|f| f.bytes).collect::<Vec<_>>(),
                ),
            ],
        )?)
    }
}

impl std::fmt::Display for ParquetReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: {} rows in {} files, {} bytes",
            self.dir.display(),
            self.rows,
            self.files.len(),
            self.bytes
        )?;
        for file in &self.files {
            let name = match file.year {
                Some(y) => format!("{YEAR}={y}"),
                None if self.files.len() == 1 && file.path.parent() == Some(&self.dir) => {
                    "(unpartitioned)".to_string()
                }
                None => format!("{YEAR}={NULL_PARTITION}"),
            };
            writeln!(f, "  {name}: {} rows, {} bytes", file.rows, file.bytes)?;
        }
        Ok(())
    }
}

/// Writes `df` as Parquet into the folder `dir` (made if absent), partitioned by the year of
/// [`ParquetExportOptions::time_column`] as `dir/year=YYYY/part-0.parquet` unless
/// [`ParquetExportOptions::partition_by_year`] is off. Each file is written under a hidden name
/// and renamed when complete, so a reader never sees half a file. Memory: one year's rows are
/// copied at a time (the table is not copied whole).
///
/// Errors: [`Error::Column`] when the time column is missing or not a date or datetime,
/// [`Error::Parameter`] when `dir` already holds Parquet output and `overwrite` is off,
/// [`Error::Io`] (naming the file) when a file cannot be made, written or renamed.
pub fn write_parquet(
    df: &DataFrame,
    dir: impl AsRef<Path>,
    opts: &ParquetExportOptions,
) -> Result<ParquetReport> {
    let dir = dir.as_ref();
    if opts.row_group_size == Some(0) {
        return Err(Error::parameter(
            "row_group_size",
            0,
            "at least 1 row (or None)",
        ));
    }
    if let Codec::Zstd(Some(level)) = opts.compression
        && !(1..=22).contains(&level)
    {
        return Err(Error::parameter("compression", level, "a zstd level 1–22"));
    }
    // Checked before anything is written or removed.
    let years = if opts.partition_by_year {
        Some(year_column(df, &opts.time_column)?)
    } else {
        None
    };
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let removed = clear_previous(dir, opts.overwrite)?;
    let table = for_parquet(df, opts.naive_is_utc)?;

    let mut files = Vec::new();
    match years {
        None => {
            let path = dir.join("part-0.parquet");
            let bytes = write_file(&table, &path, opts)?;
            files.push(ParquetFile {
                year: None,
                path,
                rows: table.height(),
                bytes,
            });
        }
        Some(years) => {
            let mut distinct: Vec<i32> = years.iter().flatten().collect();
            distinct.sort_unstable();
            distinct.dedup();
            for y in distinct {
                let mask = years.equal(y);
                let part = table.filter(&mask)?;
                let path = dir.join(format!("{YEAR}={y}")).join("part-0.parquet");
                let bytes = write_file(&part, &path, opts)?;
                files.push(ParquetFile {
                    year: Some(y),
                    path,
                    rows: part.height(),
                    bytes,
                });
            }
            let nulls = years.null_count();
            if nulls > 0 {
                let part = table.filter(&years.is_null())?;
                let path = dir
                    .join(format!("{YEAR}={NULL_PARTITION}"))
                    .join("part-0.parquet");
                let bytes = write_file(&part, &path, opts)?;
                files.push(ParquetFile {
                    year: None,
                    path,
                    rows: nulls,
                    bytes,
                });
            }
        }
    }
    Ok(ParquetReport {
        dir: dir.to_path_buf(),
        rows: files.iter().map(|f| f.rows).sum(),
        bytes: files.iter().map(|f| f.bytes).sum(),
        files,
        removed,
    })
}

/// Scans a folder written by [`write_parquet`] (or the same layout written by another engine:
/// `year=YYYY/*.parquet`, or `.parquet` files at the top) lazily: nothing is read until the query is collected, and then only the
/// columns and row groups it needs. A `year=…` partition becomes an `Int32` column `year` at the
/// end; UTC timestamp columns come back as the crate's datetime columns without a time zone
/// (UTC instants), so `scan_parquet(dir)?.drop(["year"]).collect()` gives back the table written.
/// For a history larger than memory, aggregate and collect with the streaming engine:
/// `lf.group_by(..).agg(..).collect_with_engine(Engine::Streaming)`.
///
/// Errors: [`Error::Io`] when the folder cannot be read, [`Error::NoFiles`] when it holds no
/// `.parquet` file.
pub fn scan_parquet(dir: impl AsRef<Path>) -> Result<LazyFrame> {
    let dir = dir.as_ref();
    let (files, partitioned) = list_parquet(dir)?;
    if files == 0 {
        return Err(Error::NoFiles {
            path: dir.to_path_buf(),
            pattern: "*.parquet".into(),
        });
    }
    let dir_str = dir.to_str().ok_or_else(|| {
        Error::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "path is not UTF-8"),
        )
    })?;
    let pattern = if partitioned {
        format!("{}/*/*.parquet", dir_str.trim_end_matches('/'))
    } else {
        format!("{}/*.parquet", dir_str.trim_end_matches('/'))
    };
    let hive_options = if partitioned {
        let mut hive = HiveOptions::new_enabled();
        hive.try_parse_dates = false;
        hive.schema = Some(Arc::new(Schema::from_iter([Field::new(
            YEAR.into(),
            DataType::Int32,
        )])));
        hive
    } else {
        HiveOptions::new_disabled()
    };
    let args = ScanArgsParquet {
        hive_options,
        ..Default::default()
    };
    let lf = LazyFrame::scan_parquet(PlRefPath::new(pattern.as_str()), args)?;
    // UTC timestamps back to the crate's naive UTC datetimes (same physical values).
    let schema = lf.clone().collect_schema()?;
    let casts: Vec<Expr> = schema
        .iter()
        .filter_map(|(name, dtype)| match dtype {
            DataType::Datetime(tu, Some(tz)) if *tz == TimeZone::UTC => {
                Some(col(name.clone()).cast(DataType::Datetime(*tu, None)))
            }
            _ => None,
        })
        .collect();
    Ok(if casts.is_empty() {
        lf
    } else {
        lf.with_columns(casts)
    })
}

/// Counts the `.parquet` files of `dir` (and of its `key=value` folders); `true` when they are
/// in such folders.
fn list_parquet(dir: &Path) -> Result<(usize, bool)> {
    let mut files = 0;
    let mut partitioned = false;
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() && name.starts_with(&format!("{YEAR}=")) {
            for inner in fs::read_dir(&path).map_err(|e| Error::io(&path, e))? {
                let inner = inner.map_err(|e| Error::io(&path, e))?;
                if is_parquet_name(&inner.file_name().to_string_lossy()) {
                    files += 1;
                    partitioned = true;
                }
            }
        } else if is_parquet_name(&name) {
            files += 1;
        }
    }
    Ok((files, partitioned))
}

fn is_parquet_name(name: &str) -> bool {
    name.ends_with(".parquet") && !name.starts_with('.') && !name.starts_with('_')
}

/// The year of `column` (UTC for the crate's naive datetimes) as Int32.
fn year_column(df: &DataFrame, column: &str) -> Result<Int32Chunked> {
    let c = crate::analysis::join::need(df, "the table to write", column)?;
    let wrong = || Error::Column {
        table: "the table to write (a date or datetime column to partition by year)".into(),
        column: format!("{column}: {}", c.dtype()),
        found: df
            .columns()
            .iter()
            .filter(|c| matches!(c.dtype(), DataType::Datetime(..) | DataType::Date))
            .map(|c| c.name().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    };
    match c.dtype() {
        // Naive or UTC: the year of the UTC instant (the label is taken off first, so no
        // time-zone database is needed).
        DataType::Datetime(tu, tz) if tz.as_ref().is_none_or(|z| *z == TimeZone::UTC) => {
            let phys = c.as_materialized_series().to_physical_repr();
            let naive = phys.i64()?.clone().into_datetime(*tu, None);
            Ok(naive.year().with_name(YEAR.into()))
        }
        DataType::Date => Ok(c
            .as_materialized_series()
            .date()?
            .year()
            .with_name(YEAR.into())),
        _ => Err(wrong()),
    }
}

/// The table as written: naive datetimes labelled UTC (same physical values), nanoseconds cut to
/// microseconds (Spark reads no nanosecond timestamps). Other columns are shared, not copied.
fn for_parquet(df: &DataFrame, naive_is_utc: bool) -> Result<DataFrame> {
    let mut columns = Vec::with_capacity(df.width());
    for c in df.columns() {
        let out = match c.dtype() {
            DataType::Datetime(tu, tz) => {
                let unit = match tu {
                    TimeUnit::Nanoseconds => TimeUnit::Microseconds,
                    other => *other,
                };
                let zone = match tz {
                    None if naive_is_utc => Some(TimeZone::UTC),
                    other => other.clone(),
                };
                if unit == *tu && zone == *tz {
                    c.clone()
                } else {
                    let s = c.as_materialized_series();
                    let s = if unit != *tu {
                        s.cast(&DataType::Datetime(unit, tz.clone()))?
                    } else {
                        s.clone()
                    };
                    let phys = s.to_physical_repr();
                    phys.i64()?
                        .clone()
                        .into_datetime(unit, zone)
                        .into_series()
                        .into_column()
                }
            }
            _ => c.clone(),
        };
        columns.push(out);
    }
    Ok(DataFrame::new(df.height(), columns)?)
}

/// Writes one file under a hidden temporary name, then renames it into place.
fn write_file(df: &DataFrame, path: &Path, opts: &ParquetExportOptions) -> Result<u64> {
    let folder = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = folder.join(format!(".{name}.tmp"));
    let file = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let compression = match opts.compression {
        Codec::Snappy => ParquetCompression::Snappy,
        Codec::Uncompressed => ParquetCompression::Uncompressed,
        Codec::Zstd(level) => ParquetCompression::Zstd(
            level
                .map(polars::polars_utils::compression::ZstdLevel::try_new)
                .transpose()
                .map_err(|e| io_error(&tmp, e.into()))?,
        ),
    };
    let mut df = df.clone();
    let written = ParquetWriter::new(BufWriter::new(file))
        .with_compression(compression)
        .with_row_group_size(opts.row_group_size)
        .finish(&mut df);
    let bytes = match written {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(io_error(&tmp, e));
        }
    };
    fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// A polars error while writing `path`: an I/O failure becomes [`Error::Io`] naming the file,
/// anything else stays [`Error::Polars`].
fn io_error(path: &Path, e: PolarsError) -> Error {
    match e {
        PolarsError::IO { error, msg } => Error::io(
            path,
            std::io::Error::new(
                error.kind(),
                match msg {
                    Some(m) => format!("{error} ({m})"),
                    None => error.to_string(),
                },
            ),
        ),
        other => Error::Polars(other),
    }
}

/// Refuses a folder that already holds Parquet output (unless `overwrite`), or removes that
/// output: `part-*.parquet` files at the top and in `year=*` folders, and the folders they leave
/// empty. Returns how many files were removed.
fn clear_previous(dir: &Path, overwrite: bool) -> Result<usize> {
    let mut old: Vec<PathBuf> = Vec::new();
    let mut folders: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() && name.starts_with(&format!("{YEAR}=")) {
            for inner in fs::read_dir(&path).map_err(|e| Error::io(&path, e))? {
                let inner = inner.map_err(|e| Error::io(&path, e))?;
                let inner_name = inner.file_name().to_string_lossy().to_string();
                if is_part(&inner_name) {
                    old.push(inner.path());
                }
            }
            folders.push(path);
        } else if is_part(&name) {
            old.push(path);
        }
    }
    if old.is_empty() && folders.is_empty() {
        return Ok(0);
    }
    if !overwrite {
        return Err(Error::parameter(
            "dir",
            dir.display(),
            format!(
                "a folder without earlier Parquet output (it holds {} part files in {} \
                 year folders); set ParquetExportOptions::overwrite to replace them",
                old.len(),
                folders.len()
            ),
        ));
    }
    for path in &old {
        fs::remove_file(path).map_err(|e| Error::io(path, e))?;
    }
    for folder in folders {
        // Left in place when something else is in it.
        let _ = fs::remove_dir(&folder);
    }
    Ok(old.len())
}

/// `part-N.parquet` (ours) or a leftover hidden temporary of ours.
fn is_part(name: &str) -> bool {
    (name.starts_with("part-") && name.ends_with(".parquet"))
        || (name.starts_with(".part-") && name.ends_with(".parquet.tmp"))
}
