//! The models part of the scaling benchmark (issue 14; `scripts/bench-scaling` runs it once per
//! model and size, each in its own process): a random forest (`Forest::random_forest()`, seed 0)
//! and a k-means fit (k = 8, the crate's default n_init of 10, seed 0) on N rows made from the
//! TidyTuesday catalogue's eleven audio features (as `examples/bench.rs` uses them) by
//! seeded resampling (`models::jitter_rows`: rows drawn without replacement up to the catalogue's
//! size, with replacement beyond), each copy with Gaussian noise of 1 % of its feature's standard
//! deviation, so no two rows are equal. k-means runs on the standard-scaled rows (scaled before the timed fit).
//!
//! Prints `model=forest rows=N trees=T secs=S secs_per_tree=… train_accuracy=… peak_mb=M` or
//! `model=kmeans rows=N k=8 n_init=10 secs=S n_iter=… inertia=… peak_mb=M`: `secs` is the fit's
//! wall time, `peak_mb` the process's peak resident memory during the fit (VmHWM, reset after the
//! data are made; see examples/scale.rs), the data included. `data_mb` is the resident size
//! before the fit.
//!
//! Usage: `RAYON_NUM_THREADS=2 cargo run --release --example scale_models --
//! forest|kmeans N [--trees T]`

use listening::bridge;
use listening::datasets;
use listening::models::{Classifier, Forest, KMeans, StandardScaler, jitter_rows};
use std::time::Instant;

/// The eleven audio features the catalogues share (all but `time_signature`).
const FEATURES: &[&str] = listening::schema::AUDIO_FEATURES.split_at(11).0;

fn status_mb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn fmt_mb(v: Option<f64>) -> String {
    v.map_or("NA".into(), |v| format!("{v:.1}"))
}

fn run() -> listening::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || -> ! {
        eprintln!("usage: scale_models forest|kmeans N [--trees T]");
        std::process::exit(2);
    };
    let model = args.first().cloned().unwrap_or_else(|| usage());
    let n: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| usage());
    let trees: usize = match args.iter().position(|a| a == "--trees") {
        Some(i) => args
            .get(i + 1)
            .and_then(|a| a.parse().ok())
            .filter(|&t| t > 0)
            .unwrap_or_else(|| usage()),
        None => 100,
    };

    let tidy = datasets::load_tracks("tidytuesday-spotify-songs")?;
    let x0 = bridge::to_array2(&tidy.df, FEATURES)?;
    let labels = bridge::to_labels(&tidy.df, "label")?;
    let mut classes = labels.clone();
    classes.sort();
    classes.dedup();
    let y0: Vec<usize> = labels
        .iter()
        .map(|l| classes.binary_search(l).unwrap_or(0))
        .collect();
    let m = x0.nrows();
    // jitter_rows returns the originals followed by the jittered copies: keep the copies.
    let (xa, ya) = jitter_rows(&x0, &y0, n as f64 / m as f64, 0.01, 0)?;
    let end = (m + n).min(xa.nrows());
    let mut x = xa.slice(ndarray::s![m..end, ..]).to_owned();
    let y: Vec<usize> = ya[m..end].to_vec();
    drop((xa, ya, x0, y0, tidy));
    if model == "kmeans" {
        x = StandardScaler::fit_transform(&x)?.1;
    }
    let rows = x.nrows();
    let data_mb = status_mb("VmRSS:");
    let resets = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let cumulative = if resets { "" } else { " peak=cumulative" };

    match model.as_str() {
        "forest" => {
            let params = Forest::random_forest().n_estimators(trees).seed(0);
            let t = Instant::now();
            let forest = params.fit(&x, &y)?;
            let secs = t.elapsed().as_secs_f64();
            let peak = status_mb("VmHWM:");
            // On a sample of the training rows (at most 10,000): a check that the fit is real.
            let k = rows.min(10_000);
            let acc = forest.score(&x.slice(ndarray::s![..k, ..]).to_owned(), &y[..k])?;
            println!(
                "model=forest rows={rows} trees={trees} secs={secs:.3} secs_per_tree={:.4} train_accuracy={acc:.4} data_mb={} peak_mb={}{cumulative}",
                secs / trees as f64,
                fmt_mb(data_mb),
                fmt_mb(peak)
            );
        }
        "kmeans" => {
            let params = KMeans::params(8).seed(0);
            let t = Instant::now();
            let km = params.fit(&x)?;
            let secs = t.elapsed().as_secs_f64();
            let peak = status_mb("VmHWM:");
            println!(
                "model=kmeans rows={rows} k=8 n_init={} secs={secs:.3} n_iter={} inertia={:.2} data_mb={} peak_mb={}{cumulative}",
                km.run_inertias().len(),
                km.n_iter(),
                km.inertia(),
                fmt_mb(data_mb),
                fmt_mb(peak)
            );
        }
        _ => usage(),
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("scale_models: {e}");
        std::process::exit(1);
    }
}
