//! One run of the scaling benchmark (issue 14; `scripts/bench-scaling` runs it per format and
//! size): loads a plays history with `read_plays`, joins it to the feature catalogues, counts plays
//! per calendar month and ranks the top 40 artists by plays, timing each step. Prints one line per
//! step, `step=NAME key=value ...`, with `secs` (wall time of the step), `cpu_secs` (CPU time of
//! all the process's threads during the step, from /proc/self/stat, 10 ms resolution: steadier
//! than wall time on a shared machine) and `peak_mb` (the process's peak resident memory during
//! the step: `VmHWM` of /proc/self/status, reset before each step after the load by writing 5 to
//! /proc/self/clear_refs; where the reset is refused the figure is the peak since the process
//! started, and the line says `peak=cumulative`). The load runs first, so its `peak_mb` is the
//! load's own peak from a fresh process. The last line is `step=end peak_mb=...`, the process's
//! peak over all steps.
//!
//! The catalogues (`datasets::FEATURE_CATALOGUES`) are loaded once after the load, outside the
//! timed steps (their line is `step=catalogue`, for information); their load reports go to stdout
//! on lines that do not start with `step=`.
//!
//! Usage: `cargo run --release --example scale -- PATH [--load-only]
//! [--fingerprint]` (PATH: a file or an export folder; `--fingerprint` prints a hash of the loaded
//! table, to compare a loader before and after a change).

use listening::analysis::{Every, TopBy, TopOptions, join_features, plays_per, top_by};
use listening::datasets;
use listening::loaders::read_plays;
use listening::schema::plays;
use std::time::Instant;

/// `VmHWM` of this process in MB, or None where /proc is not there.
fn vm_hwm_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU seconds (user + system, all threads) this process has used: /proc/self/stat's utime and
/// stime, in USER_HZ ticks (100 a second on Linux); None where /proc is not there.
fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// A step's clock: wall time and CPU time since `start`, as `secs=… cpu_secs=…`.
struct Clock {
    wall: Instant,
    cpu: Option<f64>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            cpu: cpu_secs(),
            wall: Instant::now(),
        }
    }
    fn secs(&self) -> f64 {
        self.wall.elapsed().as_secs_f64()
    }
    fn text(&self, wall: f64) -> String {
        match (self.cpu, cpu_secs()) {
            (Some(a), Some(b)) => format!("secs={wall:.4} cpu_secs={:.2}", b - a),
            _ => format!("secs={wall:.4} cpu_secs=NA"),
        }
    }
}

/// Resets `VmHWM` to the current resident size; false where the kernel refuses.
fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

struct Peaks {
    resets: bool,
    max_mb: f64,
}

impl Peaks {
    /// The peak since the last reset (folded into the overall peak), as a `key=value` text.
    fn read(&mut self) -> String {
        match vm_hwm_mb() {
            Some(mb) => {
                self.max_mb = self.max_mb.max(mb);
                if self.resets {
                    format!("peak_mb={mb:.1}")
                } else {
                    format!("peak_mb={mb:.1} peak=cumulative")
                }
            }
            None => "peak_mb=NA".into(),
        }
    }
    fn reset(&mut self) {
        self.resets = self.resets && reset_hwm();
    }
}

/// `fingerprint=HEX sorted=FLAG`: a hash of the loaded table's names, types and every value in
/// order (std's SipHash with fixed keys), and the sorted flag of `played_at`; to check that a
/// change to a loader leaves its tables as they were (run before and after).
fn fingerprint(df: &polars::prelude::DataFrame) -> listening::Result<String> {
    use polars::prelude::DataType;
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    df.height().hash(&mut h);
    for c in df.columns() {
        c.name().as_str().hash(&mut h);
        format!("{:?}", c.dtype()).hash(&mut h);
        let text = c.cast(&DataType::String)?;
        for v in text.str()?.iter() {
            v.hash(&mut h);
        }
    }
    let sorted = df.column(plays::PLAYED_AT)?.is_sorted_flag();
    Ok(format!("fingerprint={:016x} sorted={sorted:?}", h.finish()))
}

fn run() -> listening::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let load_only = args.iter().any(|a| a == "--load-only");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: scale PATH [--load-only] [--fingerprint]");
        std::process::exit(2);
    };
    let mut peaks = Peaks {
        resets: true,
        max_mb: 0.0,
    };

    let t = Clock::start();
    let loaded = read_plays(path)?;
    let secs = t.text(t.secs());
    let r = &loaded.report;
    println!(
        "step=load format={} rows={} rows_read={} set_apart={} skipped={} flagged={} {secs} {}",
        r.format,
        loaded.df.height(),
        r.rows_read,
        r.rows_set_apart,
        r.skipped_total(),
        r.flagged.values().sum::<usize>(),
        peaks.read(),
    );
    if args.iter().any(|a| a == "--fingerprint") {
        println!("{}", fingerprint(&loaded.df)?);
    }
    if load_only {
        println!("step=end {}", peaks.read());
        return Ok(());
    }

    peaks.reset();
    let t = Clock::start();
    let catalogue = datasets::load_catalogue(&datasets::FEATURE_CATALOGUES)?;
    println!(
        "step=catalogue rows={} {} {} (not part of the timed steps)",
        catalogue.height(),
        t.text(t.secs()),
        peaks.read()
    );

    peaks.reset();
    let t = Clock::start();
    let joined = join_features(&loaded.df, &catalogue)?;
    let secs = t.text(t.secs());
    println!(
        "step=join rows={} matched={} by_id={} by_name={} distinct_tracks={} {secs} {}",
        joined.df.height(),
        joined.coverage.plays_matched(),
        joined.coverage.plays_matched_by_id,
        joined.coverage.plays_matched_by_name,
        joined.coverage.distinct_tracks,
        peaks.read()
    );

    peaks.reset();
    let t = Clock::start();
    let months = plays_per(&loaded.df, Every::Months(1))?;
    let secs = t.text(t.secs());
    let counted: i64 = months
        .column("plays")?
        .cast(&polars::prelude::DataType::Int64)?
        .i64()?
        .iter()
        .flatten()
        .sum();
    println!(
        "step=month bins={} plays={counted} {secs} {}",
        months.height(),
        peaks.read()
    );

    peaks.reset();
    let t = Clock::start();
    let opts = TopOptions {
        n: 40,
        by: TopBy::Plays,
        ..TopOptions::default()
    };
    let top = top_by(&loaded.df, &[plays::ARTIST], &opts)?;
    let secs = t.text(t.secs());
    let first: i64 = top.column("plays")?.i64()?.get(0).unwrap_or(0);
    println!(
        "step=top40 rows={} first_plays={first} {secs} {}",
        top.height(),
        peaks.read()
    );
    drop(joined);
    println!("step=end peak_mb={:.1}", peaks.max_mb);
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("scale: {e}");
        std::process::exit(1);
    }
}
