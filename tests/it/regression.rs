//! Regression metrics, repeated k-fold, cross-validated regression scores, and the regression
//! models (MLP regressor, LDA projection).

use listening::Error;
use listening::evaluation::GridSearch;
use listening::evaluation::{
    RegressionScoring, cross_val_score_regression, mean_absolute_error, mean_squared_error, r2,
    regression_scores, repeated_kfold, train_test_table,
};
use listening::models::{
    Activation, Array1, Array2, Fit, Lda, MlpRegressor, MlpRegressorParams, Reduced, Reduction,
    Regressor, jitter_rows, leading_columns_for, rounded_classes,
};
use listening::plots::{ScatterOptions, StripOptions, predicted_vs_actual, strip};
use ndarray::{array, s};

/// Predicts `scale · x₀` (a fixed model, for exact scores).
struct Scaled(f64);

impl Regressor for Scaled {
    fn n_features(&self) -> usize {
        1
    }
    fn predict(&self, x: &Array2<f64>) -> listening::Result<Array1<f64>> {
        Ok(x.column(0).mapv(|v| self.0 * v))
    }
}

/// Fits the training mean (scikit-learn's `DummyRegressor`).
#[derive(Clone)]
struct MeanParams;

struct Mean(f64);

impl Regressor for Mean {
    fn n_features(&self) -> usize {
        1
    }
    fn predict(&self, x: &Array2<f64>) -> listening::Result<Array1<f64>> {
        Ok(Array1::from_elem(x.nrows(), self.0))
    }
}

impl Fit<f64> for MeanParams {
    type Model = Mean;
    fn fit(&self, _x: &Array2<f64>, y: &[f64]) -> listening::Result<Mean> {
        Ok(Mean(y.iter().sum::<f64>() / y.len() as f64))
    }
    fn describe(&self) -> String {
        "mean".into()
    }
}

#[test]
fn metrics_match_hand_computed_values() {
    // scikit-learn's docstring example: residuals 0.5, −0.5, 0, −1.
    let (y, p) = ([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]);
    assert!((mean_squared_error(&y, &p) - 0.375).abs() < 1e-15);
    assert!((mean_absolute_error(&y, &p) - 0.5).abs() < 1e-15);
    // mean 2.875, SS_tot = 29.1875, SS_res = 1.5.
    assert!((r2(&y, &p) - (1.0 - 1.5 / 29.1875)).abs() < 1e-15);
    assert!((r2(&y, &p) - 0.948_608_137_044_967_9).abs() < 1e-12);
    assert_eq!(mean_squared_error(&[], &[]), 0.0);
    // Predicting the mean gives R² = 0.
    assert_eq!(r2(&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0]), 0.0);
}

#[test]
fn scores_and_train_test_table_of_a_fixed_model() {
    let x = array![[1.0], [2.0], [3.0], [4.0]];
    let y = [2.0, 4.0, 6.0, 9.0];
    // Predictions 2, 4, 6, 8: one residual of 1.
    let s = regression_scores(&Scaled(2.0), &x, &y).unwrap();
    assert_eq!(s.rows, 4);
    assert!((s.mse - 0.25).abs() < 1e-15);
    assert!((s.mae - 0.25).abs() < 1e-15);
    // mean 5.25, SS_tot = 10.5625 + 1.5625 + 0.5625 + 14.0625 = 26.75.
    assert!((s.r2 - (1.0 - 1.0 / 26.75)).abs() < 1e-15);
    let xt = array![[1.0], [3.0]];
    let t = train_test_table(&Scaled(2.0), &x, &y, &xt, &[2.0, 6.0]).unwrap();
    assert_eq!(t.shape(), (2, 5));
    let r2s: Vec<f64> = t
        .column("r2")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(r2s, vec![1.0 - 1.0 / 26.75, 1.0]);
    assert!(matches!(
        regression_scores(&Scaled(2.0), &x, &[1.0]),
        Err(Error::Shape(_))
    ));
}

#[test]
fn repeated_kfold_partitions_every_repeat_and_is_seeded() {
    let folds = repeated_kfold(10, 3, 2, 7).unwrap();
    assert_eq!(folds.len(), 6);
    for rep in folds.chunks(3) {
        let mut tested: Vec<usize> = rep.iter().flat_map(|f| f.test.clone()).collect();
        tested.sort();
        assert_eq!(tested, (0..10).collect::<Vec<_>>());
        for f in rep {
            assert_eq!(f.train.len() + f.test.len(), 10);
        }
    }
    assert_ne!(folds[0].test, folds[3].test, "each repeat reshuffles");
    assert_eq!(folds, repeated_kfold(10, 3, 2, 7).unwrap());
    assert!(matches!(
        repeated_kfold(10, 3, 0, 7),
        Err(Error::Parameter { .. })
    ));
    assert!(matches!(
        repeated_kfold(10, 11, 1, 7),
        Err(Error::Parameter { .. })
    ));
}

#[test]
fn cross_val_score_regression_scores_each_fold() {
    let x = Array2::from_shape_fn((12, 1), |(i, _)| i as f64);
    let y: Vec<f64> = (0..12).map(|i| (i * i) as f64).collect();
    let got = cross_val_score_regression(&MeanParams, &x, &y, 3, 2, 5, RegressionScoring::NegMse)
        .unwrap();
    assert_eq!(got.len(), 6);
    // The same folds by hand: −MSE of the training mean on the test rows.
    for (f, g) in repeated_kfold(12, 3, 2, 5).unwrap().iter().zip(&got) {
        let m = f.train.iter().map(|&i| y[i]).sum::<f64>() / f.train.len() as f64;
        let mse = f.test.iter().map(|&i| (y[i] - m).powi(2)).sum::<f64>() / f.test.len() as f64;
        assert!((g + mse).abs() < 1e-9);
    }
    let r2s =
        cross_val_score_regression(&MeanParams, &x, &y, 3, 2, 5, RegressionScoring::R2).unwrap();
    assert!(
        r2s.iter().all(|&s| s <= 0.0),
        "a mean model has R² ≤ 0 on held-out rows"
    );
    assert!(matches!(
        cross_val_score_regression(&MeanParams, &x, &y[1..], 3, 1, 5, RegressionScoring::R2),
        Err(Error::Shape(_))
    ));
}

/// 200 rows, x uniform in [−1, 1]², y = 2·x₀ − x₁ + noise of sd ≈ 0.05 (seeded).
fn linear_data() -> (Array2<f64>, Vec<f64>) {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(12);
    let x = Array2::from_shape_fn((200, 2), |_| rng.gen_range(-1.0..1.0));
    let y = x
        .rows()
        .into_iter()
        .map(|r| 2.0 * r[0] - r[1] + 0.05 * (rng.gen_range(-1.0..1.0) + rng.gen_range(-1.0..1.0)))
        .collect();
    (x, y)
}

fn small_mlp() -> MlpRegressorParams {
    MlpRegressor::params()
        .hidden(&[16])
        .activation(Activation::Tanh)
        .learning_rate(0.01)
        .max_iter(300)
        .batch_size(32)
        .seed(3)
}

#[test]
fn mlp_regressor_learns_a_linear_target_and_is_seeded() {
    let (x, y) = linear_data();
    let (xt, yt) = (x.slice(s![..150, ..]).to_owned(), &y[..150]);
    let (xv, yv) = (x.slice(s![150.., ..]).to_owned(), &y[150..]);
    let model = small_mlp().fit(&xt, yt).unwrap();
    let score = model.score(&xv, yv).unwrap();
    assert!(score > 0.95, "held-out R² {score}");
    assert_eq!(model.layer_sizes(), vec![2, 16, 1]);
    assert!(model.n_iter() >= 1 && model.n_iter() <= 300);
    let again = small_mlp().fit(&xt, yt).unwrap();
    assert_eq!(model.predict(&xv).unwrap(), again.predict(&xv).unwrap());
    let other = small_mlp().seed(4).fit(&xt, yt).unwrap();
    assert_ne!(model.predict(&xv).unwrap(), other.predict(&xv).unwrap());
}

#[test]
fn mlp_regressor_early_stopping_keeps_a_validation_curve() {
    let (x, y) = linear_data();
    for act in [Activation::Relu, Activation::Sigmoid] {
        let model = small_mlp()
            .activation(act)
            .early_stopping(true)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(model.validation_scores().len(), model.n_iter());
        let best = model
            .validation_scores()
            .iter()
            .fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        assert!(best > 0.9, "{act:?}: best validation R² {best}");
        assert!(model.score(&x, &y).unwrap() > 0.9);
    }
}

#[test]
fn mlp_regressor_rejects_bad_input_with_typed_errors() {
    let (mut x, y) = linear_data();
    let p = small_mlp().max_iter(2);
    assert!(matches!(p.fit(&x, &y[1..]), Err(Error::Shape(_))));
    assert!(matches!(
        p.fit(&Array2::zeros((0, 2)), &[]),
        Err(Error::Labels(_))
    ));
    assert!(matches!(
        p.clone().hidden(&[0]).fit(&x, &y),
        Err(Error::Parameter { ref name, .. }) if name == "hidden"
    ));
    let mut bad_y = y.clone();
    bad_y[7] = f64::INFINITY;
    assert!(matches!(
        p.fit(&x, &bad_y),
        Err(Error::NonFinite { row: 7, .. })
    ));
    let model = p.fit(&x, &y).unwrap();
    assert!(matches!(
        model.predict(&Array2::zeros((3, 5))),
        Err(Error::Shape(_))
    ));
    x[[4, 1]] = f64::NAN;
    assert!(matches!(
        p.fit(&x, &y),
        Err(Error::NonFinite { row: 4, .. })
    ));
    assert!(matches!(
        model.predict(&x),
        Err(Error::NonFinite { row: 4, .. })
    ));
}

/// 15 rows, 3 features, 3 classes of 5 (peer/sklearn_lda.py holds the same table).
fn lda_table() -> (Array2<f64>, Vec<usize>) {
    let x = array![
        [1.0, 2.0, 0.5],
        [1.5, 1.8, 0.7],
        [0.8, 2.4, 0.2],
        [1.2, 2.1, 0.9],
        [0.9, 1.6, 0.4],
        [3.0, 0.5, 1.5],
        [3.4, 0.9, 1.1],
        [2.8, 0.2, 1.9],
        [3.1, 0.7, 1.4],
        [3.6, 0.4, 1.6],
        [2.0, 3.5, 3.0],
        [2.3, 3.1, 2.6],
        [1.7, 3.8, 3.3],
        [2.2, 3.4, 2.9],
        [1.9, 3.0, 3.6],
    ];
    let y = (0..15).map(|i| i / 5).collect();
    (x, y)
}

#[test]
fn lda_matches_scikit_learn() {
    // python3 peer/sklearn_lda.py (scikit-learn 1.9.1): transform and explained_variance_ratio_.
    let expected = array![
        [-5.247445946678374, 5.257335461426752],
        [-4.5893295184338765, 3.043988433339508],
        [-5.146805296355271, 6.845010043847644],
        [-3.350770594823236, 4.218151259760558],
        [-7.046555692576348, 5.182697930676959],
        [-4.316524373641195, -4.78451191408801],
        [-3.7166762286326267, -5.1096306788378705],
        [-4.3075774763343055, -5.003785903817037],
        [-3.831493152430389, -4.731353956765171],
        [-3.5084459091445552, -7.07913863336272],
        [9.196473049108558, 0.7873016292146852],
        [6.978904785769415, -0.27390312212301415],
        [10.757002050104118, 1.8377665938389074],
        [8.81315964412177, 0.09773143951201398],
        [9.316084659946357, -0.287658582623201],
    ];
    let (x, y) = lda_table();
    let lda = Lda::params().fit(&x, &y).unwrap();
    let z = lda.transform(&x).unwrap();
    assert_eq!(z.dim(), (15, 2));
    for c in 0..2 {
        // Up to the sign of each component.
        let sign = (z[[0, c]] * expected[[0, c]]).signum();
        for r in 0..15 {
            assert!(
                (sign * z[[r, c]] - expected[[r, c]]).abs() < 1e-6,
                "row {r} component {c}: {} against {}",
                z[[r, c]],
                expected[[r, c]]
            );
        }
    }
    let ratio = lda.explained_variance_ratio();
    assert!((ratio[0] - 0.6986809062399852).abs() < 1e-9);
    assert!((ratio[1] - 0.3013190937600148).abs() < 1e-9);
    assert_eq!(
        Lda::params()
            .n_components(1)
            .fit(&x, &y)
            .unwrap()
            .n_components(),
        1
    );
}

#[test]
fn lda_rejects_bad_input_with_typed_errors() {
    let (x, y) = lda_table();
    assert!(matches!(
        Lda::params().fit(&x, &y[1..]),
        Err(Error::Shape(_))
    ));
    assert!(matches!(
        Lda::params().n_components(3).fit(&x, &y),
        Err(Error::Parameter { .. })
    ));
    assert!(matches!(
        Lda::params().fit(&x, &[0; 15]),
        Err(Error::Labels(_))
    ));
    let lda = Lda::params().fit(&x, &y).unwrap();
    assert!(matches!(
        lda.transform(&Array2::zeros((2, 2))),
        Err(Error::Shape(_))
    ));
    let mut bad = x.clone();
    bad[[3, 2]] = f64::NAN;
    assert!(matches!(
        Lda::params().fit(&bad, &y),
        Err(Error::NonFinite { row: 3, .. })
    ));
}

#[test]
fn rounded_targets_become_classes_in_order() {
    assert_eq!(
        rounded_classes(&[7.2, 1.0, 10.0, 6.8, 1.4]),
        vec![1, 0, 2, 1, 0]
    );
}

#[test]
fn pipeline_fits_scaler_and_reduction_on_the_training_rows_only() {
    let (x, y) = linear_data();
    // Ten rating-like classes: the targets rounded.
    let yr: Vec<f64> = y.iter().map(|v| v.round()).collect();
    for reduction in [Reduction::None, Reduction::Pca(2), Reduction::Lda(1)] {
        let params = Reduced::params(small_mlp()).reduction(reduction);
        let m = params.fit(&x, &yr).unwrap();
        assert_eq!(Regressor::n_features(&m), x.ncols());
        assert_eq!(
            m.transform(&x).unwrap().ncols(),
            match reduction {
                Reduction::None => x.ncols(),
                Reduction::Pca(n) | Reduction::Lda(n) => n,
            }
        );
        // The target is a linear function of the features: the pipeline learns it.
        let score = m.score(&x, &yr).unwrap();
        assert!(score > 0.8, "{reduction}: R² {score}");
        assert!(
            params.describe().starts_with("scaled, "),
            "{}",
            params.describe()
        );
    }
    // More LDA axes than classes − 1 is a parameter error, from the LDA.
    let two: Vec<f64> = (0..x.nrows()).map(|i| (i % 2) as f64).collect();
    let e = Reduced::params(small_mlp())
        .reduction(Reduction::Lda(2))
        .fit(&x, &two)
        .unwrap_err();
    assert!(matches!(e, Error::Parameter { .. }), "{e}");
    // Wrong width at predict time.
    let m = Reduced::params(small_mlp()).fit(&x, &yr).unwrap();
    assert!(matches!(
        m.predict(&Array2::zeros((1, 1))),
        Err(Error::Shape(_))
    ));
}

#[test]
fn grid_search_for_regressors_ranks_by_cv_score() {
    let (x, y) = linear_data();
    let candidates = vec![
        ("mean".to_string(), Reduced::params(MeanParams).scale(false)),
        ("mean scaled".to_string(), Reduced::params(MeanParams)),
    ];
    let s = GridSearch::new()
        .folds(4)
        .seed(3)
        .search_regression(&candidates, &x, &y, 2, RegressionScoring::NegMse)
        .unwrap();
    assert_eq!(s.fits, 2 * 4 * 2);
    assert_eq!(s.table.height(), 2);
    // The mean ignores the features: both score the same, negative MSE, and the first wins ties.
    assert!((s.scores[0] - s.scores[1]).abs() < 1e-12);
    assert!(s.scores[0] < 0.0);
    assert_eq!(s.best_name(), "mean");
    // The same folds as cross_val_score_regression with this seed.
    let cv = cross_val_score_regression(&MeanParams, &x, &y, 4, 2, 3, RegressionScoring::NegMse)
        .unwrap();
    let mean = cv.iter().sum::<f64>() / cv.len() as f64;
    assert!((mean - s.scores[0]).abs() < 1e-12);
    // An MLP learns the linear target: a high cross-validated R².
    let both: Vec<(String, MlpRegressorParams)> = vec![("mlp".into(), small_mlp())];
    let r = GridSearch::new()
        .folds(3)
        .search_regression(&both, &x, &y, 1, RegressionScoring::R2)
        .unwrap();
    assert!(r.best_score() > 0.8, "{}", r.best_score());
    let none: Vec<(String, MlpRegressorParams)> = vec![];
    assert!(
        GridSearch::new()
            .search_regression(&none, &x, &y, 1, RegressionScoring::R2)
            .is_err()
    );
}

#[test]
fn jittered_copies_keep_targets_and_each_features_scale() {
    let x = Array2::from_shape_fn((200, 2), |(i, j)| {
        if j == 0 {
            i as f64
        } else {
            1000.0 * (i % 7) as f64
        }
    });
    let y: Vec<f64> = (0..200).map(|i| i as f64).collect();
    let (xa, ya) = jitter_rows(&x, &y, 0.25, 0.1, 9).unwrap();
    assert_eq!((xa.nrows(), ya.len()), (250, 250));
    assert_eq!(xa.slice(s![..200, ..]), x);
    // Each copy sits near the row it copies (its target is that row's index in column 0), by
    // noise of about a tenth of each column's spread.
    let sd = x.std_axis(ndarray::Axis(0), 0.0);
    for i in 200..250 {
        let src = ya[i] as usize;
        for j in 0..2 {
            let d = (xa[[i, j]] - x[[src, j]]).abs();
            assert!(d < 0.6 * sd[j], "row {i} col {j}: {d}");
        }
    }
    let moved = (200..250)
        .filter(|&i| xa[[i, 1]] != x[[ya[i] as usize, 1]])
        .count();
    assert_eq!(moved, 50);
    // Seeded; copies drawn without replacement below a fraction of 1.
    assert_eq!(jitter_rows(&x, &y, 0.25, 0.1, 9).unwrap().0, xa);
    let mut src: Vec<usize> = ya[200..].iter().map(|v| *v as usize).collect();
    src.dedup();
    src.sort_unstable();
    src.dedup();
    assert_eq!(src.len(), 50);
    assert!(jitter_rows(&x, &y, -0.1, 0.1, 0).is_err());
    assert!(jitter_rows(&x, &y[..3], 0.1, 0.1, 0).is_err());
}

#[test]
fn leading_columns_count_as_the_write_up_did() {
    // Variances 100, 1, 1 (population): the first column holds 100/102 > 0.97 of the total.
    let x = array![[0.0, 0.0, 0.0], [20.0, 2.0, 2.0]];
    assert_eq!(leading_columns_for(&x, 0.97).unwrap(), 1);
    assert_eq!(leading_columns_for(&x, 0.99).unwrap(), 2);
    assert!(leading_columns_for(&x, 1.0).is_err());
}

#[test]
fn strip_and_predicted_plots_draw_their_data() {
    let df =
        polars::df!("mode" => [0i64, 1, 1, 0, 1], "valence" => [0.1, 0.9, 0.7, 0.3, 0.8]).unwrap();
    let f = strip(&df, "mode", "valence", &StripOptions::default()).unwrap();
    // Five points, two mean bars, two sd lines; the categories label the axis.
    assert_eq!(f.as_svg().matches("<circle").count(), 5);
    let texts: Vec<&str> = f
        .as_svg()
        .split("</text>")
        .filter_map(|t| t.rsplit('>').next())
        .map(str::trim)
        .collect();
    assert!(texts.contains(&"0") && texts.contains(&"1"), "{texts:?}");
    // Numeric categories sort: "1" first in the data, "0" still drawn first (left).
    let flipped = polars::df!("mode" => [1i64, 0, 1], "valence" => [0.5, 0.2, 0.7]).unwrap();
    let svg = strip(&flipped, "mode", "valence", &StripOptions::default())
        .unwrap()
        .into_svg();
    let labels: Vec<&str> = svg
        .split("</text>")
        .filter_map(|t| t.rsplit('>').next())
        .map(str::trim)
        .filter(|t| *t == "0" || *t == "1")
        .collect();
    assert_eq!(labels, ["0", "1"]);
    let bad = StripOptions {
        jitter: 0.9,
        ..Default::default()
    };
    assert!(strip(&df, "mode", "valence", &bad).is_err());
    assert!(strip(&df, "mode", "nope", &StripOptions::default()).is_err());
    let f = predicted_vs_actual(
        &[1.0, 2.0, 3.0],
        &[1.0, 2.0, 4.0],
        &ScatterOptions::default(),
    )
    .unwrap();
    assert_eq!(f.as_svg().matches("<circle").count(), 3);
    // R² = 1 − 1 / 2 = 0.5, MSE = 1/3.
    assert!(f.as_svg().contains("R² 0.500, MSE 0.333"), "title");
    assert!(predicted_vs_actual(&[1.0], &[], &ScatterOptions::default()).is_err());
}

/// The fixed table of peer/sklearn_regression.py: scaled train and test rows, targets.
fn peer_table() -> (
    Array2<f64>,
    Vec<f64>,
    Array2<f64>,
    Vec<f64>,
    serde_json::Value,
) {
    let dir = crate::common::fixture("regression");
    let df = listening::loaders::read_csv(dir.join("peer.csv")).unwrap();
    let cols = ["f0", "f1", "f2", "f3", "f4", "f5"];
    let x = listening::bridge::to_array2(&df, &cols).unwrap();
    let y = listening::bridge::to_array1(&df, "y").unwrap().to_vec();
    let split = crate::common::strs(&df, "split");
    let rows = |s: &str| -> Vec<usize> {
        (0..split.len())
            .filter(|&i| split[i].as_deref() == Some(s))
            .collect()
    };
    let (tr, te) = (rows("train"), rows("test"));
    let take = |idx: &[usize]| x.select(ndarray::Axis(0), idx);
    let scaler = listening::models::StandardScaler::fit(&take(&tr)).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("peer_expected.json")).unwrap())
            .unwrap();
    (
        scaler.transform(&take(&tr)).unwrap(),
        tr.iter().map(|&i| y[i]).collect(),
        scaler.transform(&take(&te)).unwrap(),
        te.iter().map(|&i| y[i]).collect(),
        expected,
    )
}

fn floats_of(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

/// Each column of `ours` equals the same column of `theirs` or its negation, within `tol`.
fn equal_up_to_sign(ours: &Array2<f64>, theirs: &serde_json::Value, tol: f64) {
    let rows: Vec<Vec<f64>> = theirs.as_array().unwrap().iter().map(floats_of).collect();
    for c in 0..rows[0].len() {
        let sign = if ours[[0, c]] * rows[0][c] < 0.0 {
            -1.0
        } else {
            1.0
        };
        for (r, row) in rows.iter().enumerate() {
            let d = (sign * ours[[r, c]] - row[c]).abs();
            assert!(
                d < tol,
                "row {r} col {c}: ours {} theirs {}",
                ours[[r, c]],
                row[c]
            );
        }
    }
}

#[test]
fn mlp_regressor_pca_and_lda_agree_with_scikit_learn() {
    let (xtr, ytr, xte, yte, expected) = peer_table();
    // MLPRegressor(16 tanh, Adam 0.01, batch 32, 300 epochs, alpha 1e-4), test R², seeds 0–4.
    let ours: Vec<f64> = (0..5)
        .map(|seed| {
            MlpRegressor::params()
                .hidden(&[16])
                .activation(Activation::Tanh)
                .learning_rate(0.01)
                .batch_size(32)
                .max_iter(300)
                .l2(1e-4)
                .seed(seed)
                .fit(&xtr, &ytr)
                .unwrap()
                .score(&xte, &yte)
                .unwrap()
        })
        .collect();
    let mean = ours.iter().sum::<f64>() / 5.0;
    let theirs = expected["mlp_test_r2_mean"].as_f64().unwrap();
    println!("test R², mean of seeds 0–4: ours {mean:.4}, scikit-learn {theirs:.4}");
    assert!(
        (mean - theirs).abs() < 0.03,
        "test R²: ours {mean:.4} {ours:?}, scikit-learn {theirs:.4}"
    );
    // PCA(3): ratios and coordinates (up to sign) of the first test rows.
    let pca = listening::models::Pca::params(3).fit(&xtr).unwrap();
    let ratio = pca.explained_variance_ratio();
    for (a, b) in ratio
        .iter()
        .zip(floats_of(&expected["pca_explained_variance_ratio"]))
    {
        assert!((a - b).abs() < 1e-9, "pca ratio {a} vs {b}");
    }
    let z = pca.transform(&xte.slice(s![..5, ..]).to_owned()).unwrap();
    equal_up_to_sign(&z, &expected["pca_first_test_rows"], 1e-6);
    // LDA on the targets rounded to classes, as the pipeline does.
    let lda = Lda::params().fit(&xtr, &rounded_classes(&ytr)).unwrap();
    for (a, b) in lda
        .explained_variance_ratio()
        .iter()
        .zip(floats_of(&expected["lda_explained_variance_ratio"]))
    {
        assert!((a - b).abs() < 1e-9, "lda ratio {a} vs {b}");
    }
    let z = lda.transform(&xte.slice(s![..5, ..]).to_owned()).unwrap();
    equal_up_to_sign(&z, &expected["lda_first_test_rows"], 1e-6);
}

#[test]
fn regression_split_and_learning_curve() {
    use listening::evaluation::{learning_curve, regression_split};
    let (x, y) = linear_data();
    let s = regression_split(&x, &y, 0.25, 5).unwrap();
    assert_eq!((s.y_train.len(), s.y_test.len()), (150, 50));
    let mut all: Vec<usize> = s.fold.train.iter().chain(&s.fold.test).copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..200).collect::<Vec<_>>());
    assert_eq!(s.y_test[0], y[s.fold.test[0]]);
    assert!(regression_split(&x, &y, 1.0, 5).is_err());
    assert!(regression_split(&x, &y[..10], 0.25, 5).is_err());
    // The mean predictor: train R² is 0 by construction, test R² at most about 0.
    let t = learning_curve(&MeanParams, &x, &y, &[40, 200], 0.25, 3, 1).unwrap();
    assert_eq!(t.height(), 2);
    let train = crate::common::floats(&t, "train_r2");
    assert!(train.iter().all(|v| v.unwrap().abs() < 1e-12), "{train:?}");
    let test = crate::common::floats(&t, "test_r2");
    let gap = crate::common::floats(&t, "r2_gap");
    assert!((gap[1].unwrap() - (train[1].unwrap() - test[1].unwrap())).abs() < 1e-12);
    assert!(learning_curve(&MeanParams, &x, &y, &[201], 0.25, 3, 1).is_err());
    assert!(learning_curve(&MeanParams, &x, &y, &[40], 0.25, 0, 1).is_err());
}

#[test]
fn seeded_samples_of_a_table_keep_its_order() {
    let df = polars::df!("i" => (0..50i64).collect::<Vec<_>>()).unwrap();
    let a = listening::analysis::sample(&df, 10, 4).unwrap();
    let b = listening::analysis::sample(&df, 10, 4).unwrap();
    assert!(a.equals(&b));
    let v: Vec<i64> = crate::common::ints(&a, "i")
        .into_iter()
        .map(Option::unwrap)
        .collect();
    assert_eq!(v.len(), 10);
    assert!(v.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        listening::analysis::sample(&df, 99, 4).unwrap().height(),
        50
    );
}

#[test]
fn train_test_gaps_best_among_and_fold_table() {
    use listening::evaluation::{cv_scores_table, train_test_scores};
    let x = array![[1.0], [2.0], [3.0], [4.0]];
    let y = [2.0, 4.0, 6.0, 9.0];
    // Train: predictions 2, 4, 6, 8 (MSE 0.25); test: [1] → 2 exact, [3] → 6 vs 7 (MSE 0.5).
    let s = train_test_scores(&Scaled(2.0), &x, &y, &array![[1.0], [3.0]], &[2.0, 7.0]).unwrap();
    assert!((s.mse_gap_pct() - 50.0).abs() < 1e-12);
    assert!((s.r2_gap_points() - 100.0 * (s.train.r2 - s.test.r2)).abs() < 1e-12);
    assert_eq!(s.table().unwrap().shape(), (2, 5));
    assert!(s.to_string().contains("test 50.0 % higher"), "{s}");

    let (x, y) = linear_data();
    let candidates = vec![
        ("a mean".to_string(), MeanParams),
        ("b mean".to_string(), MeanParams),
    ];
    let t = cv_scores_table(&candidates, &x, &y, 4, 2, 0, RegressionScoring::R2).unwrap();
    assert_eq!(t.shape(), (16, 3));
    let r = GridSearch::new()
        .folds(4)
        .search_regression(&candidates, &x, &y, 1, RegressionScoring::R2)
        .unwrap();
    assert_eq!(r.best_among("b"), Some(1));
    assert_eq!(r.best_among("a"), Some(0));
    assert_eq!(r.best_among("z"), None);
}
