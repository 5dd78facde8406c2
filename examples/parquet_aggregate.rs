//! Issue 14, past one machine: the plays table as Parquet partitioned by year, and the same
//! aggregate that `peer/spark_aggregate.py` runs in Spark and DuckDB, here with polars' lazy
//! engine over the written files.
//!
//! Usage (feature `parquet`):
//!   parquet_aggregate write PLAYS_PATH OUT_DIR [--zstd]
//!       read_plays, then write_parquet into OUT_DIR (earlier output there is replaced)
//!   parquet_aggregate aggregate DIR [--out OUT_DIR] [--engine streaming|in-memory] [--top N]
//!       [--plan two-scans|one-scan|by-year]
//!       plays per month per artist (month: played_at truncated to the month, UTC) and the top N
//!       (default 40) artists by plays; written as OUT_DIR/monthly.csv and OUT_DIR/top_artists.csv,
//!       or both to stdout. Timings and the process' peak memory go to stderr.
//!
//! CSV layout (the same in the peers): `month,artist,plays` sorted by month then artist;
//! `rank,artist,plays` sorted by plays (descending) then artist; artist names compared by their
//! UTF-8 bytes, a null artist written as an empty field and sorted last.
//!
//! `cargo build --release --features parquet --example parquet_aggregate`

#[cfg(not(feature = "parquet"))]
fn main() {
    eprintln!(
        "parquet_aggregate needs the `parquet` feature: cargo run --release --features parquet --example parquet_aggregate"
    );
    std::process::exit(2);
}

#[cfg(feature = "parquet")]
fn main() {
    imp::main()
}

#[cfg(feature = "parquet")]
mod imp {
    use listening::parquet::{Codec, ParquetExportOptions, scan_parquet, write_parquet};
    use listening::polars::prelude::*;
    use listening::schema::plays;
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match args.first().map(String::as_str) {
            Some("write") if args.len() >= 3 => write(&args[1], &args[2], &args[3..]),
            Some("aggregate") if args.len() >= 2 => aggregate(&args[1], &args[2..]),
            _ => {
                eprintln!(
                    "usage: parquet_aggregate write PLAYS_PATH OUT_DIR [--zstd]\n       \
                     parquet_aggregate aggregate DIR [--out OUT_DIR] [--engine streaming|in-memory] [--top N]"
                );
                std::process::exit(2);
            }
        };
        if let Err(e) = result {
            eprintln!("parquet_aggregate: {e}");
            std::process::exit(1);
        }
    }

    type Res<T> = Result<T, Box<dyn std::error::Error>>;

    fn write(plays_path: &str, out: &str, flags: &[String]) -> Res<()> {
        let started = Instant::now();
        let loaded = listening::loaders::read_plays(plays_path)?;
        let read_s = started.elapsed().as_secs_f64();
        let mut opts = ParquetExportOptions::default().with_overwrite(true);
        if flags.iter().any(|f| f == "--zstd") {
            opts = opts.with_compression(Codec::Zstd(None));
        }
        let started = Instant::now();
        let report = write_parquet(&loaded.df, out, &opts)?;
        let write_s = started.elapsed().as_secs_f64();
        print!("{report}");
        eprintln!(
            "write: rows={} in_memory_bytes={} parquet_bytes={} files={} read_plays_s={read_s:.3} \
             write_parquet_s={write_s:.3} peak_rss_kb={}",
            loaded.df.height(),
            loaded.df.estimated_size(),
            report.bytes,
            report.files.len(),
            peak_rss_kb()
        );
        Ok(())
    }

    /// How the two queries are run.
    #[derive(Clone, Copy, PartialEq)]
    enum Plan {
        /// Each query on its own scan of the folder (the default).
        TwoScans,
        /// Both in one plan (`collect_all`): the files are read once, for both.
        OneScan,
        /// One year's partition at a time (the scan reads only that folder), each year's monthly
        /// rows and per-artist counts collected, then the counts summed over the years: memory
        /// follows the largest year, not the whole history.
        ByYear,
    }

    fn monthly_query(lf: LazyFrame) -> LazyFrame {
        lf.group_by([
            col(plays::PLAYED_AT)
                .dt()
                .truncate(lit("1mo"))
                .alias("month"),
            col(plays::ARTIST),
        ])
        .agg([len().cast(DataType::Int64).alias("plays")])
    }

    fn artist_counts(lf: LazyFrame) -> LazyFrame {
        lf.group_by([col(plays::ARTIST)])
            .agg([len().cast(DataType::Int64).alias("plays")])
    }

    /// Sorted by month then artist, the month as `YYYY-MM`.
    fn finish_monthly(lf: LazyFrame) -> LazyFrame {
        lf.sort(
            ["month", plays::ARTIST],
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        )
        .select([
            col("month").dt().strftime("%Y-%m"),
            col(plays::ARTIST),
            col("plays"),
        ])
    }

    /// The `n` artists with the most plays, ties by name.
    fn finish_top(counts: LazyFrame, n: IdxSize) -> LazyFrame {
        counts
            .sort(
                ["plays", plays::ARTIST],
                SortMultipleOptions::default()
                    .with_order_descending_multi([true, false])
                    .with_nulls_last(true)
                    .with_maintain_order(true),
            )
            .limit(n)
            .with_row_index("rank", Some(1))
    }

    fn aggregate(dir: &str, flags: &[String]) -> Res<()> {
        let mut out: Option<PathBuf> = None;
        let mut engine = Engine::Streaming;
        let mut top_n: IdxSize = 40;
        let mut plan = Plan::TwoScans;
        let mut it = flags.iter();
        while let Some(flag) = it.next() {
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--out" => out = Some(PathBuf::from(value)),
                "--engine" => {
                    engine = match value.as_str() {
                        "streaming" => Engine::Streaming,
                        "in-memory" => Engine::InMemory,
                        other => return Err(format!("unknown engine {other}").into()),
                    }
                }
                "--plan" => {
                    plan = match value.as_str() {
                        "two-scans" => Plan::TwoScans,
                        "one-scan" => Plan::OneScan,
                        "by-year" => Plan::ByYear,
                        other => return Err(format!("unknown plan {other}").into()),
                    }
                }
                "--top" => top_n = value.parse()?,
                other => return Err(format!("unknown option {other}").into()),
            }
        }

        let started = Instant::now();
        let lf = scan_parquet(dir)?;
        let (monthly, top) = match plan {
            Plan::TwoScans => (
                finish_monthly(monthly_query(lf.clone()))
                    .collect_with_engine(engine)?
                    .unwrap_single(),
                finish_top(artist_counts(lf), top_n)
                    .collect_with_engine(engine)?
                    .unwrap_single(),
            ),
            Plan::OneScan => {
                let monthly = finish_monthly(monthly_query(lf.clone()));
                let top = finish_top(artist_counts(lf), top_n);
                let opt_state = monthly.get_current_optimizations();
                let mut results = LazyFrame::collect_all_with_engine(
                    vec![monthly.logical_plan, top.logical_plan],
                    engine,
                    opt_state,
                )?;
                let top = results.pop().ok_or("no result")?;
                (results.pop().ok_or("no result")?, top)
            }
            Plan::ByYear => {
                let mut years: Vec<i32> = std::fs::read_dir(dir)?
                    .flatten()
                    .filter_map(|e| e.file_name().to_str()?.strip_prefix("year=")?.parse().ok())
                    .collect();
                years.sort_unstable();
                if years.is_empty() {
                    return Err(format!("{dir}: no year=YYYY folders for --plan by-year").into());
                }
                let mut monthly_parts = Vec::new();
                let mut count_parts = Vec::new();
                for y in years {
                    let one = lf.clone().filter(col("year").eq(lit(y)));
                    monthly_parts.push(
                        monthly_query(one.clone())
                            .collect_with_engine(engine)?
                            .unwrap_single()
                            .lazy(),
                    );
                    count_parts.push(
                        artist_counts(one)
                            .collect_with_engine(engine)?
                            .unwrap_single()
                            .lazy(),
                    );
                }
                let monthly =
                    finish_monthly(concat(monthly_parts, UnionArgs::default())?).collect()?;
                let counts = concat(count_parts, UnionArgs::default())?
                    .group_by([col(plays::ARTIST)])
                    .agg([col("plays").sum()]);
                (monthly, finish_top(counts, top_n).collect()?)
            }
        };
        let aggregate_s = started.elapsed().as_secs_f64();
        let total: i64 = monthly.column("plays")?.i64()?.sum().unwrap_or(0);

        let started = Instant::now();
        match &out {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                write_csv(&monthly, &dir.join("monthly.csv"))?;
                write_csv(&top, &dir.join("top_artists.csv"))?;
            }
            None => {
                let stdout = std::io::stdout();
                let mut w = stdout.lock();
                csv_to(&monthly, &mut w)?;
                writeln!(w)?;
                csv_to(&top, &mut w)?;
            }
        }
        let csv_s = started.elapsed().as_secs_f64();
        eprintln!(
            "polars engine={} plan={} plays={total} monthly_rows={} top_rows={} \
             scan+aggregate_s={aggregate_s:.3} write_csv_s={csv_s:.3} parquet_bytes={} peak_rss_kb={}",
            match engine {
                Engine::Streaming => "streaming",
                _ => "in-memory",
            },
            match plan {
                Plan::TwoScans => "two-scans",
                Plan::OneScan => "one-scan",
                Plan::ByYear => "by-year",
            },
            monthly.height(),
            top.height(),
            dir_bytes(Path::new(dir)),
            peak_rss_kb()
        );
        Ok(())
    }

    fn write_csv(df: &DataFrame, path: &Path) -> Res<()> {
        let file = std::fs::File::create(path)?;
        let mut w = std::io::BufWriter::new(file);
        csv_to(df, &mut w)?;
        w.flush()?;
        Ok(())
    }

    /// RFC 4180 as Python's `csv` module writes it (QUOTE_MINIMAL, `\n` line ends): a field is quoted
    /// when it holds a comma, a quote or a line break; null is an empty field.
    fn csv_to(df: &DataFrame, w: &mut impl Write) -> Res<()> {
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        writeln!(w, "{}", names.join(","))?;
        let columns: Vec<Series> = df
            .columns()
            .iter()
            .map(|c| c.as_materialized_series().clone())
            .collect();
        for i in 0..df.height() {
            for (j, s) in columns.iter().enumerate() {
                if j > 0 {
                    w.write_all(b",")?;
                }
                match s.get(i)? {
                    AnyValue::Null => {}
                    AnyValue::String(v) => quote(v, w)?,
                    AnyValue::StringOwned(v) => quote(v.as_str(), w)?,
                    other => write!(w, "{other}")?,
                }
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    fn quote(v: &str, w: &mut impl Write) -> std::io::Result<()> {
        if v.contains([',', '"', '\n', '\r']) {
            write!(w, "\"{}\"", v.replace('"', "\"\""))
        } else {
            w.write_all(v.as_bytes())
        }
    }

    /// Peak resident memory of this process (VmHWM), in kB.
    fn peak_rss_kb() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    }

    /// Bytes of the `.parquet` files under `dir`.
    fn dir_bytes(dir: &Path) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() {
                    dir_bytes(&p)
                } else if p.extension().is_some_and(|x| x == "parquet") {
                    e.metadata().map(|m| m.len()).unwrap_or(0)
                } else {
                    0
                }
            })
            .sum()
    }
}
