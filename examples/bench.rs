//! Our side of `scripts/bench-vs-peer`: one task of `peer/bench_peer.py` per process, on the same
//! data and splits, timed the same way (median of `RUNS` runs after one warm-up run), so that the
//! process's peak memory (VmHWM) belongs to that task alone.
//!
//! Prints one line: `task=NAME secs=S figure=F kind=KIND peak_mb=M`, where `figure` is the task's
//! result to compare with the peer's (an accuracy in % for classifiers, rows for loaders, …) and
//! `kind` says what it is.
//!
//! Usage: `RAYON_NUM_THREADS=2 RUNS=5 [SMOKE=1] bench TASK [SPLITS_DIR]`; `bench list` prints the
//! tasks. The split files (`tidytuesday_test_rows.txt`, `playlists_test_rows.txt`) are written by
//! `peer/bench_peer.py prepare`. `SMOKE=1` runs one run of each on small sizes (CI's smoke test).

use listening::analysis::{self, Every, TopBy, TopOptions};
use listening::datasets;
use listening::evaluation::{GridSearch, take_labels, take_rows};
use listening::loaders::{self, Loaded};
use listening::models::{
    ClassWeight, Classifier, DecisionTree, Fit, Forest, Kernel, KnnParams, MLP_FEATURES, Mlp, Pca,
    PlaylistDataset, SIX_GENRES, StandardScaler, Svc, SvcParams, Umap, playlist_dataset,
    trustworthiness, wcss_curve,
};
use listening::{Error, Result, bridge, schema};
use ndarray::{Array2, Axis};
use std::time::Instant;

/// The eleven audio features the catalogues share (all but `time_signature`).
const FEATURES: &[&str] = listening::schema::AUDIO_FEATURES.split_at(11).0;

/// Every task, in the order of the table.
const TASKS: [&str; 25] = [
    "load_lastfm_csv",
    "load_spotify_extended",
    "load_spotify_account",
    "load_tidytuesday_gz",
    "load_tracks_10k",
    "load_exportify",
    "join_lastfm_catalogues",
    "monthly_and_top40",
    "svc_rbf",
    "svc_linear",
    "svc_poly",
    "svc_sigmoid",
    "svc_grid_7x8_cv5",
    "mlp_64",
    "decision_tree",
    "random_forest",
    "extra_trees",
    "knn_5",
    "kmeans_sweep",
    "pca",
    "tree_shap",
    "umap",
    "forest_10k",
    "forest_100k",
    "kmeans_100k",
];

struct Settings {
    runs: usize,
    smoke: bool,
    splits: String,
}

/// What a task returns: its figure and what the figure is.
struct Outcome {
    figure: f64,
    kind: &'static str,
}

fn outcome(figure: f64, kind: &'static str) -> Outcome {
    Outcome { figure, kind }
}

/// Median seconds of `runs` runs of `f` after one warm-up run (none in smoke mode), and the last
/// run's value.
fn median_time<T>(s: &Settings, mut f: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
    let mut last = f()?;
    if s.smoke {
        let t = Instant::now();
        last = f()?;
        return Ok((t.elapsed().as_secs_f64(), last));
    }
    let mut times = Vec::with_capacity(s.runs);
    for _ in 0..s.runs {
        let t = Instant::now();
        last = f()?;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], last))
}

fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn test_rows(s: &Settings, file: &str, n: usize) -> Result<(Vec<usize>, Vec<usize>)> {
    let path = format!("{}/{file}", s.splits);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::Environment(format!(
            "{path}: {e} (run `peer/bench_peer.py prepare` first)"
        ))
    })?;
    let mut is_test = vec![false; n];
    for (line, t) in text.lines().enumerate() {
        let r: usize = t.trim().parse().map_err(|_| {
            Error::Environment(format!("{path}:{}: not a row number: {t:?}", line + 1))
        })?;
        if r >= n {
            return Err(Error::Environment(format!(
                "{path}:{}: row {r} beyond the {n} rows (a different dataset?)",
                line + 1
            )));
        }
        is_test[r] = true;
    }
    let train = (0..n).filter(|&r| !is_test[r]).collect();
    let test = (0..n).filter(|&r| is_test[r]).collect();
    Ok((train, test))
}

/// A classification split: training and test rows with integer labels.
struct Split {
    xt: Array2<f64>,
    yt: Vec<usize>,
    xv: Array2<f64>,
    yv: Vec<usize>,
}

fn split(x: &Array2<f64>, y: &[usize], train: &[usize], test: &[usize]) -> Split {
    Split {
        xt: take_rows(x, train),
        yt: take_labels(y, train),
        xv: take_rows(x, test),
        yv: take_labels(y, test),
    }
}

/// TidyTuesday's 32,833 rows, 11 features, six genres (classes in sorted order, as the peer).
fn tidytuesday(s: &Settings) -> Result<Split> {
    let tidy = datasets::load_tracks("tidytuesday-spotify-songs")?;
    let x = bridge::to_array2(&tidy.df, FEATURES)?;
    let labels = bridge::to_labels(&tidy.df, schema::tracks::LABEL)?;
    let mut classes = labels.clone();
    classes.sort();
    classes.dedup();
    let y: Vec<usize> = labels
        .iter()
        .map(|l| classes.binary_search(l).unwrap_or(0))
        .collect();
    let (train, test) = test_rows(s, "tidytuesday_test_rows.txt", y.len())?;
    Ok(split(&x, &y, &train, &test))
}

/// The six genre playlists (2,163 rows) with `features`, split as the peer split them.
fn playlists(s: &Settings, features: &[&str]) -> Result<Split> {
    let export = datasets::load_playlists("exportify-playlists-seankmchenry")?;
    let d: PlaylistDataset = playlist_dataset(&export, &SIX_GENRES, features)?;
    let (train, test) = test_rows(s, "playlists_test_rows.txt", d.y.len())?;
    Ok(split(&d.x, &d.y, &train, &test))
}

/// The 10,000-row Spotify Tracks sample, 11 standardised features (the first `n` rows).
fn tracks_10k(n: usize) -> Result<Array2<f64>> {
    let sample = datasets::load_tracks("spotify-tracks-114k-sample")?;
    let x = bridge::to_array2(&sample.df, FEATURES)?;
    let n = n.min(x.nrows());
    let x = x.slice(ndarray::s![..n, ..]).to_owned();
    Ok(StandardScaler::fit_transform(&x)?.1)
}

/// `n` rows drawn with replacement from TidyTuesday (seeded), as the peer draws them.
fn tidytuesday_rows(s: &Settings, n: usize) -> Result<Split> {
    use rand::{Rng, SeedableRng, rngs::StdRng};
    let base = tidytuesday(s)?;
    let (x, y) = (&base.xt, &base.yt);
    let mut rng = StdRng::seed_from_u64(0);
    let rows: Vec<usize> = (0..n).map(|_| rng.gen_range(0..y.len())).collect();
    Ok(Split {
        xt: take_rows(x, &rows),
        yt: take_labels(y, &rows),
        xv: base.xv,
        yv: base.yv,
    })
}

fn loaded_rows(l: Loaded) -> Outcome {
    outcome(l.df.height() as f64, "rows")
}

fn svc(s: &Settings, p: SvcParams) -> Result<(f64, Outcome)> {
    let d = playlists(s, &schema::DESCRIPTORS)?;
    let (secs, m) = median_time(s, || p.fit(&d.xt, &d.yt))?;
    Ok((
        secs,
        outcome(100.0 * m.score(&d.xv, &d.yv)?, "accuracy_pct"),
    ))
}

fn classifier<F: Fit<usize>>(s: &Settings, d: &Split, p: &F) -> Result<(f64, Outcome)>
where
    F::Model: Classifier,
{
    let (secs, m) = median_time(s, || p.fit(&d.xt, &d.yt))?;
    Ok((
        secs,
        outcome(100.0 * m.score(&d.xv, &d.yv)?, "accuracy_pct"),
    ))
}

fn path(name: &str) -> Result<std::path::PathBuf> {
    datasets::path(name)
}

fn run(task: &str, s: &Settings) -> Result<(f64, Outcome)> {
    let small = |full: usize, smoke: usize| if s.smoke { smoke } else { full };
    Ok(match task {
        "load_lastfm_csv" => {
            let p = path("lastfm-scrobbles-pingw33n")?;
            let (secs, l) = median_time(s, || loaders::lastfm::read_scrobbles_csv(&p))?;
            (secs, loaded_rows(l))
        }
        "load_spotify_extended" => {
            let p = path("spotify-extended-history-efrrowini")?;
            let (secs, l) = median_time(s, || loaders::spotify::read_extended_history(&p))?;
            (secs, loaded_rows(l))
        }
        "load_spotify_account" => {
            let p = path("spotify-account-history-vnegi10")?;
            let (secs, l) = median_time(s, || loaders::spotify::read_account_history(&p))?;
            (secs, loaded_rows(l))
        }
        "load_tidytuesday_gz" => {
            let (secs, c) = median_time(s, || datasets::load_tracks("tidytuesday-spotify-songs"))?;
            (secs, outcome(c.df.height() as f64, "rows"))
        }
        "load_tracks_10k" => {
            let (secs, c) = median_time(s, || datasets::load_tracks("spotify-tracks-114k-sample"))?;
            (secs, outcome(c.df.height() as f64, "rows"))
        }
        "load_exportify" => {
            let p = path("exportify-playlists-seankmchenry")?;
            let (secs, e) = median_time(s, || loaders::exportify::read_playlists(&p))?;
            (secs, outcome(e.playlists.height() as f64, "rows"))
        }
        "join_lastfm_catalogues" => {
            let plays = datasets::load_plays("lastfm-scrobbles-pingw33n")?.df;
            let catalogue = quiet_catalogue()?;
            let (secs, j) = median_time(s, || analysis::join_features(&plays, &catalogue))?;
            let share = 100.0 * j.coverage.plays_matched() as f64 / j.coverage.plays as f64;
            (secs, outcome(share, "plays_matched_pct"))
        }
        "monthly_and_top40" => {
            let plays = datasets::load_plays("lastfm-scrobbles-pingw33n")?.df;
            let opts = TopOptions {
                n: 40,
                by: TopBy::Plays,
                ..TopOptions::default()
            };
            let (secs, (months, top)) = median_time(s, || {
                let months = analysis::plays_per(&plays, Every::Months(1))?;
                let top = analysis::top_by(&plays, &[schema::plays::ARTIST], &opts)?;
                Ok((months, top))
            })?;
            let top_plays: f64 = top
                .column("plays")?
                .cast(&polars::prelude::DataType::Float64)?
                .f64()?
                .iter()
                .flatten()
                .sum();
            let _ = months.height();
            (secs, outcome(top_plays, "top40_plays"))
        }
        "svc_rbf" => svc(s, Svc::params())?,
        "svc_linear" => svc(
            s,
            Svc::params()
                .kernel(Kernel::Linear)
                .class_weight(ClassWeight::Balanced),
        )?,
        "svc_poly" => svc(
            s,
            Svc::params()
                .kernel(Kernel::poly())
                .class_weight(ClassWeight::Balanced),
        )?,
        "svc_sigmoid" => svc(
            s,
            Svc::params()
                .kernel(Kernel::sigmoid())
                .class_weight(ClassWeight::Balanced),
        )?,
        "svc_grid_7x8_cv5" => {
            let d = playlists(s, &schema::DESCRIPTORS)?;
            let (sigmas, cs): (&[f64], &[f64]) = if s.smoke {
                (&[0.5, 1.0], &[1.0, 10.0])
            } else {
                (
                    &[0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0],
                    &[0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0],
                )
            };
            let base = Svc::params().class_weight(ClassWeight::Balanced);
            let (secs, g) = median_time(s, || {
                GridSearch::new()
                    .folds(5)
                    .seed(0)
                    .svc_sigma_c(&base, sigmas, cs, &d.xt, &d.yt)
            })?;
            let best = g.best_params(&base).fit(&d.xt, &d.yt)?;
            (
                secs,
                outcome(100.0 * best.score(&d.xv, &d.yv)?, "accuracy_pct"),
            )
        }
        "mlp_64" => {
            let d = playlists(s, &MLP_FEATURES)?;
            let scaler = StandardScaler::fit(&d.xt)?;
            let (xt, xv) = (scaler.transform(&d.xt)?, scaler.transform(&d.xv)?);
            let seeds = small(5, 1) as u64;
            let epochs = small(50, 5);
            // Time per fit; accuracy the mean over seeds (single seeds differ by a few points).
            let (secs, accs) = median_time(s, || {
                let mut accs = Vec::new();
                for seed in 0..seeds {
                    let m = Mlp::params()
                        .hidden(&[64])
                        .learning_rate(0.01)
                        .epochs(epochs)
                        .batch_size(32)
                        .seed(seed)
                        .fit(&xt, &d.yt)?;
                    accs.push(m.evaluate(&xv, &d.yv)?.1);
                }
                Ok(accs)
            })?;
            let mean = accs.iter().sum::<f64>() / accs.len() as f64;
            (secs / seeds as f64, outcome(100.0 * mean, "accuracy_pct"))
        }
        "decision_tree" => classifier(s, &tidytuesday(s)?, &DecisionTree::params().seed(0))?,
        "random_forest" => classifier(
            s,
            &tidytuesday(s)?,
            &Forest::random_forest().n_estimators(small(100, 10)).seed(0),
        )?,
        "extra_trees" => classifier(
            s,
            &tidytuesday(s)?,
            &Forest::extra_trees().n_estimators(small(100, 10)).seed(0),
        )?,
        "knn_5" => {
            let d = tidytuesday(s)?;
            let scaler = StandardScaler::fit(&d.xt)?;
            let (xt, xv) = (scaler.transform(&d.xt)?, scaler.transform(&d.xv)?);
            let n = small(xv.nrows(), 500);
            let xv = xv.slice(ndarray::s![..n, ..]).to_owned();
            let params = KnnParams::default().k(5);
            // Fit and predict: a KNN's work is in the prediction.
            let (secs, predicted) = median_time(s, || params.fit(&xt, &d.yt)?.predict(&xv))?;
            let right = predicted.iter().zip(&d.yv).filter(|(p, y)| p == y).count();
            (
                secs,
                outcome(100.0 * right as f64 / n as f64, "accuracy_pct"),
            )
        }
        "kmeans_sweep" => {
            let x = tracks_10k(10_000)?;
            let top = small(15, 3);
            let (secs, curve) = median_time(s, || wcss_curve(&x, 1..=top, 10, 0))?;
            let wcss = curve
                .column("wcss")?
                .f64()?
                .get(top.min(8) - 1)
                .unwrap_or(f64::NAN);
            (secs, outcome(wcss, "wcss_k8"))
        }
        "pca" => {
            let x = tracks_10k(10_000)?;
            let (secs, pca) = median_time(s, || Pca::params(FEATURES.len()).fit(&x))?;
            let first = pca.explained_variance_ratio()[0];
            (secs, outcome(100.0 * first, "first_component_variance_pct"))
        }
        "tree_shap" => {
            let d = tidytuesday(s)?;
            let forest = Forest::random_forest()
                .n_estimators(small(50, 5))
                .max_depth(Some(8))
                .seed(0)
                .fit(&d.xt, &d.yt)?;
            let n = small(1000, 50);
            let x = d.xv.slice(ndarray::s![..n, ..]).to_owned();
            let (secs, shap) = median_time(s, || forest.shap_values(&x, FEATURES))?;
            // Additivity: the SHAP values plus the base value give each row's probability.
            let proba = forest.predict_proba(&x)?;
            let sums = shap.values.sum_axis(Axis(1)) + &shap.base_values;
            let err = (&sums - &proba).iter().fold(0.0f64, |m, v| m.max(v.abs()));
            (secs, outcome(err, "max_additivity_error"))
        }
        "umap" => {
            let x = tracks_10k(small(10_000, 1_000))?;
            let params = Umap::params().seed(0);
            let (secs, e) = median_time(s, || params.fit_transform(&x))?;
            let t = trustworthiness(&x, e.coordinates(), 10)?;
            (secs, outcome(100.0 * t, "trustworthiness_pct"))
        }
        "forest_10k" | "forest_100k" => {
            let n = if task == "forest_10k" {
                10_000
            } else {
                100_000
            };
            let d = tidytuesday_rows(s, small(n, 2_000))?;
            classifier(
                s,
                &d,
                &Forest::random_forest().n_estimators(small(100, 10)).seed(0),
            )?
        }
        "kmeans_100k" => {
            let d = tidytuesday_rows(s, small(100_000, 2_000))?;
            let x = StandardScaler::fit_transform(&d.xt)?.1;
            let p = listening::models::KMeans::params(8).n_init(10).seed(0);
            let (secs, m) = median_time(s, || p.fit(&x))?;
            (secs, outcome(m.inertia(), "wcss_k8"))
        }
        other => {
            return Err(Error::Parameter {
                name: "task".into(),
                value: other.into(),
                expected: "one of the tasks `bench list` prints".into(),
            });
        }
    })
}

/// The three feature catalogues stacked, without the load reports `load_catalogue` prints.
fn quiet_catalogue() -> Result<polars::prelude::DataFrame> {
    let frames = datasets::FEATURE_CATALOGUES
        .iter()
        .map(|n| datasets::load(n))
        .collect::<Result<Vec<_>>>()?;
    analysis::combine_tracks(&frames)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_else(|| "list".into());
    if task == "list" {
        println!("{}", TASKS.join("\n"));
        return;
    }
    let settings = Settings {
        runs: std::env::var("RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5usize)
            .max(1),
        smoke: std::env::var("SMOKE").is_ok_and(|v| v == "1"),
        splits: args.next().unwrap_or_else(|| "target/bench".into()),
    };
    match run(&task, &settings) {
        Ok((secs, o)) => println!(
            "task={task} secs={secs:.6} figure={:.9e} kind={} peak_mb={:.1}",
            o.figure,
            o.kind,
            peak_mb()
        ),
        Err(e) => {
            eprintln!("bench {task}: {e}");
            std::process::exit(1);
        }
    }
}
