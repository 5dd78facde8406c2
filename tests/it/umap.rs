//! UMAP (src/models/umap.rs) against umap-learn: figures from peer/umap_peer.py (umap-learn
//! 0.5.12, scikit-learn 1.9.1) on the fixture tests/fixtures/umap/blobs.csv.

use crate::common::fixture;
use listening::Error;
use listening::models::{Embedding, Umap, UmapInit, UmapParams, find_ab_params, trustworthiness};
use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// sklearn's trustworthiness (n_neighbors 10) of umap-learn's embeddings of blobs.csv, random
/// states 0–4: 0.96735, 0.96580, 0.96408, 0.96679, 0.96472.
const UMAP_LEARN_TRUSTWORTHINESS_MEAN: f64 = 0.965748689370485;
/// sklearn's trustworthiness of umap_learn_seed0.csv (the embedding as written, 6 decimals).
const SKLEARN_TRUSTWORTHINESS_SEED0: f64 = 0.9673498452012383;

/// `umap.umap_.find_ab_params(spread, min_dist)`: (min_dist, spread, a, b). scipy's `curve_fit`
/// stops at its default tolerances: for (1.0, 1.0) 3·10⁻⁶ short of the least-squares minimum
/// that ours reaches (as `curve_fit` does with tolerances of 1e-15), hence 1e-5.
const AB: [(f64, f64, f64, f64); 5] = [
    (0.1, 1.0, 1.5769434602697652, 0.8950608778515733),
    (0.0, 1.0, 1.93280839734315, 0.7904949732233831),
    (0.5, 1.0, 0.5830300203414425, 1.3341669924314914),
    (0.25, 2.0, 0.41627349667013186, 0.9218551324072873),
    (1.0, 1.0, 0.11497568327441922, 1.929237144081752),
];

fn read_csv(name: &str) -> Array2<f64> {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture");
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|v| v.parse().expect("number")).collect())
        .collect();
    let cols = rows[0].len();
    Array2::from_shape_vec((rows.len(), cols), rows.concat()).expect("rectangular")
}

/// `n_blobs` Gaussian blobs of `per_blob` rows in `dim` dimensions, centres 20 apart on the
/// axes, unit spread; labels in blob order.
fn blobs(n_blobs: usize, per_blob: usize, dim: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut x = Array2::zeros((n_blobs * per_blob, dim));
    let mut labels = Vec::new();
    for b in 0..n_blobs {
        for r in 0..per_blob {
            let row = b * per_blob + r;
            for d in 0..dim {
                let centre = if d == b % dim {
                    20.0 * (1 + b / dim) as f64
                } else {
                    0.0
                };
                let u: f64 = 1.0 - rng.r#gen::<f64>();
                let v: f64 = rng.r#gen();
                let z = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
                x[[row, d]] = centre + z;
            }
            labels.push(b);
        }
    }
    (x, labels)
}

/// Share of the `k` nearest embedded neighbours of each row that share its label, averaged.
fn neighbour_purity(embedded: &Array2<f64>, labels: &[usize], k: usize) -> f64 {
    let n = embedded.nrows();
    let mut same = 0;
    for i in 0..n {
        let mut d: Vec<(f64, usize)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| {
                let e = &embedded.row(i) - &embedded.row(j);
                (e.dot(&e), j)
            })
            .collect();
        d.sort_by(|a, b| a.0.total_cmp(&b.0));
        same += d[..k]
            .iter()
            .filter(|&&(_, j)| labels[j] == labels[i])
            .count();
    }
    same as f64 / (n * k) as f64
}

fn fit(params: UmapParams, x: &Array2<f64>) -> Embedding {
    params.fit_transform(x).expect("umap fits")
}

#[test]
fn find_ab_params_matches_umap_learn() {
    for (min_dist, spread, a, b) in AB {
        let (ours_a, ours_b) = find_ab_params(spread, min_dist);
        assert!(
            (ours_a - a).abs() < 1e-5 * a && (ours_b - b).abs() < 1e-5 * b,
            "min_dist {min_dist}, spread {spread}: ours ({ours_a}, {ours_b}), umap-learn ({a}, {b})"
        );
    }
}

#[test]
fn trustworthiness_matches_sklearn() {
    let x = read_csv("umap/blobs.csv");
    let theirs = read_csv("umap/umap_learn_seed0.csv");
    let t = trustworthiness(&x, &theirs, 10).unwrap();
    assert!(
        (t - SKLEARN_TRUSTWORTHINESS_SEED0).abs() < 1e-12,
        "ours {t}, sklearn {SKLEARN_TRUSTWORTHINESS_SEED0}"
    );
    // The input as its own embedding keeps every neighbourhood.
    assert!((trustworthiness(&x, &x, 10).unwrap() - 1.0).abs() < 1e-15);
}

#[test]
fn trustworthiness_close_to_umap_learn() {
    let x = read_csv("umap/blobs.csv");
    let emb = fit(Umap::params().seed(0), &x);
    assert_eq!(emb.coordinates().dim(), (500, 2));
    assert_eq!(emb.n_epochs(), 500);
    let t = trustworthiness(&x, emb.coordinates(), 10).unwrap();
    println!("trustworthiness: ours {t}, umap-learn {UMAP_LEARN_TRUSTWORTHINESS_MEAN}");
    assert!(
        (t - UMAP_LEARN_TRUSTWORTHINESS_MEAN).abs() < 0.02,
        "ours {t}, umap-learn {UMAP_LEARN_TRUSTWORTHINESS_MEAN}"
    );
}

#[test]
fn same_seed_same_embedding_other_seed_other() {
    let (x, _) = blobs(3, 60, 4, 1);
    let p = Umap::params().n_epochs(Some(100));
    let one = fit(p.clone().seed(7), &x);
    let again = fit(p.clone().seed(7), &x);
    let other = fit(p.seed(8), &x);
    assert_eq!(one.coordinates(), again.coordinates());
    assert_ne!(one.coordinates(), other.coordinates());
    assert!(one.coordinates().iter().all(|v| v.is_finite()));
}

#[test]
fn separated_blobs_stay_apart() {
    let (x, labels) = blobs(3, 100, 5, 3);
    for init in [UmapInit::Spectral, UmapInit::Random] {
        let emb = fit(Umap::params().init(init).seed(11), &x);
        let purity = neighbour_purity(emb.coordinates(), &labels, 10);
        assert!(purity >= 0.95, "{init:?}: purity {purity}");
    }
}

#[test]
fn connected_data_and_other_dimensions() {
    // One connected blob (a spectral layout of one component), in 3 dimensions.
    let (x, _) = blobs(1, 150, 6, 5);
    let emb = fit(Umap::params().n_components(3).n_epochs(Some(50)), &x);
    assert_eq!(emb.coordinates().dim(), (150, 3));
    assert!(emb.coordinates().iter().all(|v| v.is_finite()));
    assert!(emb.n_edges() > 0);
    let frame = emb.to_frame().unwrap();
    assert_eq!(frame.get_column_names(), ["umap1", "umap2", "umap3"]);
    // No epochs: the initial layout, each axis on [0, 10].
    let init = fit(Umap::params().n_epochs(Some(0)), &x);
    for col in init.coordinates().columns() {
        let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(lo.abs() < 1e-9 && (hi - 10.0).abs() < 1e-9, "{lo} {hi}");
    }
}

#[test]
fn many_components_and_duplicates() {
    // Seven far-apart blobs of 20 rows (more components than 2 × n_components), a few
    // duplicated rows and a component too small for a spectral layout.
    let (mut x, _) = blobs(7, 20, 3, 9);
    for r in 0..5 {
        let row = x.row(r).to_owned();
        x.row_mut(20 + r).assign(&row);
    }
    let n = x.nrows();
    let mut y = Array2::zeros((n + 3, 3));
    y.slice_mut(ndarray::s![..n, ..]).assign(&x);
    for r in 0..3 {
        y.row_mut(n + r).fill(500.0 + r as f64 * 0.01);
    }
    let emb = fit(Umap::params().n_neighbors(4).n_epochs(Some(30)), &y);
    assert!(emb.coordinates().iter().all(|v| v.is_finite()));
}

#[test]
fn bad_input_is_a_typed_error() {
    let (x, _) = blobs(2, 10, 3, 2);
    let param = |r: listening::Result<Embedding>, name: &str| match r {
        Err(Error::Parameter { name: n, .. }) => assert_eq!(n, name),
        other => panic!("expected a `{name}` parameter error, got {other:?}"),
    };
    param(
        Umap::params().n_neighbors(20).fit_transform(&x),
        "n_neighbors",
    );
    param(
        Umap::params().n_neighbors(1).fit_transform(&x),
        "n_neighbors",
    );
    param(
        Umap::params().n_components(0).fit_transform(&x),
        "n_components",
    );
    param(Umap::params().min_dist(2.0).fit_transform(&x), "min_dist");
    param(Umap::params().min_dist(-0.1).fit_transform(&x), "min_dist");
    param(Umap::params().spread(0.0).fit_transform(&x), "spread");
    param(Umap::params().spread(f64::NAN).fit_transform(&x), "spread");
    param(
        Umap::params().learning_rate(0.0).fit_transform(&x),
        "learning_rate",
    );
    param(
        Umap::params().repulsion_strength(-1.0).fit_transform(&x),
        "repulsion_strength",
    );
    assert!(
        Umap::params()
            .n_neighbors(19)
            .n_epochs(Some(5))
            .fit_transform(&x)
            .is_ok()
    );

    let mut nan = x.clone();
    nan[[3, 1]] = f64::NAN;
    match Umap::params().n_neighbors(5).fit_transform(&nan) {
        Err(Error::NonFinite { row: 3, column, .. }) => assert_eq!(column, "1"),
        other => panic!("expected NonFinite, got {other:?}"),
    }
    let empty = Array2::<f64>::zeros((20, 0));
    assert!(matches!(
        Umap::params().n_neighbors(5).fit_transform(&empty),
        Err(Error::Shape(_))
    ));

    let e = Array2::<f64>::zeros((20, 2));
    assert!(matches!(
        trustworthiness(&x, &e, 10),
        Err(Error::Parameter { .. })
    ));
    assert!(matches!(
        trustworthiness(&x, &e, 0),
        Err(Error::Parameter { .. })
    ));
    assert!(matches!(
        trustworthiness(&x, &Array2::zeros((19, 2)), 3),
        Err(Error::Shape(_))
    ));
    assert!(matches!(
        trustworthiness(&nan, &e, 3),
        Err(Error::NonFinite { .. })
    ));
}

/// Release timing on 10,000 × 11 rows (10 blobs), run by hand:
/// `cargo test --release --test it umap:: -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_10k_rows() {
    let (x, labels) = blobs(10, 1000, 11, 42);
    let start = std::time::Instant::now();
    let emb = fit(Umap::params().seed(0), &x);
    let seconds = start.elapsed().as_secs_f64();
    let purity = neighbour_purity(emb.coordinates(), &labels, 10);
    println!(
        "umap 10,000 x 11: {seconds:.2} s ({} epochs, {} edges), neighbour purity {purity:.4}",
        emb.n_epochs(),
        emb.n_edges()
    );
    let (x20, _) = blobs(10, 2000, 11, 43);
    let start = std::time::Instant::now();
    let emb = fit(Umap::params().n_epochs(Some(0)), &x20);
    println!(
        "kNN + graph + spectral init, 20,000 x 11: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    assert_eq!(emb.coordinates().nrows(), 20_000);
}
