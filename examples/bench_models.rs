//! Our side of `scripts/bench-models`: the tasks of `peer/bench_models.py` on the same data and
//! split, timed the same way (median of `RUNS` runs after one warm-up). Prints
//! `task seconds figure` lines: the forest's test accuracy, the k-means sweep's WCSS at k = 8,
//! then the whole WCSS curve.
//! Usage: `RAYON_NUM_THREADS=2 RUNS=5 cargo run --release --example bench_models -- OUTDIR`

use listening::bridge;
use listening::datasets;
use listening::evaluation::take_rows;
use listening::models::{Classifier, Forest, StandardScaler, wcss_curve};
use std::time::Instant;

const FEATURES: [&str; 11] = [
    "danceability",
    "energy",
    "key",
    "loudness",
    "mode",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
];

fn median_time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut last = f(); // warm-up
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        last = f();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], last)
}

fn main() -> listening::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bench".into());
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let tidy = datasets::load_tracks("tidytuesday-spotify-songs")?;
    let x = bridge::to_array2(&tidy.df, &FEATURES)?;
    let labels = bridge::to_labels(&tidy.df, "label")?;
    let mut classes = labels.clone();
    classes.sort();
    classes.dedup();
    let y: Vec<usize> = labels
        .iter()
        .map(|l| classes.binary_search(l).unwrap_or(0))
        .collect();
    let split =
        std::fs::read_to_string(format!("{out}/tidytuesday_test_rows.txt")).map_err(|e| {
            listening::Error::Environment(format!("run peer/bench_models.py first: {e}"))
        })?;
    let mut is_test = vec![false; y.len()];
    for r in split.lines().filter_map(|l| l.trim().parse::<usize>().ok()) {
        if r < is_test.len() {
            is_test[r] = true;
        }
    }
    let train: Vec<usize> = (0..y.len()).filter(|&r| !is_test[r]).collect();
    let test: Vec<usize> = (0..y.len()).filter(|&r| is_test[r]).collect();
    let (xt, xv) = (take_rows(&x, &train), take_rows(&x, &test));
    let yt: Vec<usize> = train.iter().map(|&r| y[r]).collect();
    let yv: Vec<usize> = test.iter().map(|&r| y[r]).collect();
    let params = Forest::random_forest().n_estimators(100).seed(0);
    let (secs, forest) = median_time(runs, || params.fit(&xt, &yt));
    let accuracy = forest?.score(&xv, &yv)?;
    println!("forest {secs:.4} {accuracy:.4}");

    let sample = datasets::load_tracks("spotify-tracks-114k-sample")?;
    let (_, xs) = StandardScaler::fit_transform(&bridge::to_array2(&sample.df, &FEATURES)?)?;
    let (secs, curve) = median_time(runs, || wcss_curve(&xs, 1..=15, 10, 0));
    let wcss: Vec<f64> = curve?
        .column("wcss")?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect();
    println!("kmeans_sweep {secs:.4} {:.2}", wcss[7]);
    let all: Vec<String> = wcss.iter().map(|w| format!("{w:.4}")).collect();
    println!("wcss {}", all.join(" "));
    Ok(())
}
