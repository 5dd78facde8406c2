//! The one model interface: CV, grid search, permutation importance, confusion matrices and
//! score tables take any classifier; bad input gives typed errors, never a panic.

use listening::Error;
use listening::evaluation::split::stratified_split;
use listening::evaluation::{
    ConfusionMatrix, GridSearch, cross_val_score, permutation_importance, score_table,
    stratified_kfold, train_test_split,
};
use listening::models::{Classifier, Fit, Kernel, Mlp, Svc, check_fit};
use ndarray::Array2;
use rand::{Rng, SeedableRng};

/// Two classes told apart by column 0 (with some overlap); column 1 is noise.
fn two_blobs(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut x = Array2::zeros((n, 2));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let c = i % 2;
        x[[i, 0]] = c as f64 * 2.0 + rng.gen_range(-1.2..1.2);
        x[[i, 1]] = rng.gen_range(-1.0..1.0);
        y.push(c);
    }
    (x, y)
}

#[test]
fn cv_and_grid_search_take_any_classifier() {
    let (x, y) = two_blobs(120, 1);
    let mlp = Mlp::params().hidden(&[8]).epochs(30).seed(3);
    let scores = cross_val_score(&mlp, &x, &y, 4, 7).unwrap();
    assert_eq!(scores.len(), 4);
    assert!(scores.iter().all(|s| (0.5..=1.0).contains(s)), "{scores:?}");

    let candidates: Vec<(String, _)> = [0.01, 1.0, 100.0]
        .iter()
        .map(|&c| (format!("C={c}"), Svc::params().kernel(Kernel::Linear).c(c)))
        .collect();
    let result = GridSearch::new()
        .folds(3)
        .seed(5)
        .search(&candidates, &x, &y)
        .unwrap();
    assert_eq!(result.table.height(), 3);
    assert_eq!(result.fits, 9);
    // Each candidate's mean equals cross_val_score's on the same folds.
    for (i, (_, p)) in candidates.iter().enumerate() {
        let s = cross_val_score(p, &x, &y, 3, 5).unwrap();
        let m = s.iter().sum::<f64>() / 3.0;
        assert!((m - result.scores[i]).abs() < 1e-12);
    }
    let best = result
        .scores
        .iter()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(result.best_score(), best);
    assert!(result.best_params().describe().contains("linear"));
    let e = GridSearch::new()
        .search::<listening::models::SvcParams>(&[], &x, &y)
        .unwrap_err();
    assert!(matches!(e, Error::Parameter { .. }), "{e}");
}

#[test]
fn permutation_importance_finds_the_informative_column() {
    let (x, y) = two_blobs(200, 2);
    let model = Svc::params().kernel(Kernel::Linear).fit(&x, &y).unwrap();
    let imp = permutation_importance(&model, &x, &y, &["signal", "noise"], 5, 0).unwrap();
    let names: Vec<String> = imp
        .column("feature")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["signal", "noise"]);
    let means: Vec<f64> = imp
        .column("importance_mean")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert!(means[0] > 0.2 && means[1].abs() < 0.05, "{means:?}");
    let e = permutation_importance(&model, &x, &y, &["one"], 5, 0).unwrap_err();
    assert!(matches!(e, Error::Shape(_)), "{e}");
}

#[test]
fn score_table_and_confusion_matrix_from_any_model() {
    let (x, y) = two_blobs(100, 3);
    let svc = Svc::params().kernel(Kernel::Linear).fit(&x, &y).unwrap();
    let mlp = Mlp::params()
        .hidden(&[4])
        .epochs(20)
        .seed(1)
        .fit(&x, &y)
        .unwrap();
    let table = score_table(&[("svc", &svc), ("mlp", &mlp)], &x, &y).unwrap();
    let acc: Vec<f64> = table
        .column("accuracy")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(acc[0], svc.score(&x, &y).unwrap());
    assert_eq!(acc[1], Classifier::score(&mlp, &x, &y).unwrap());
    let labels = vec!["a".to_string(), "b".to_string()];
    let cm = ConfusionMatrix::from_model(&svc, &x, &y, &labels).unwrap();
    assert_eq!(cm.total(), 100);
    assert!((cm.accuracy() - acc[0]).abs() < 1e-12);
    let fig = cm.plot("linear SVC").unwrap();
    let svg = fig.as_svg();
    assert!(
        svg.contains("linear SVC") && svg.contains("predicted"),
        "{svg:.200}"
    );
}

#[test]
fn bad_input_is_a_typed_error_not_a_panic() {
    // Empty sets.
    assert!(matches!(
        stratified_split(&[], 0.25, 0),
        Err(Error::Labels(_))
    ));
    assert!(stratified_kfold(&[], 3, 0).is_err());
    let empty = Array2::<f64>::zeros((0, 2));
    assert!(train_test_split(&empty, &[], 0.25, 0).is_err());
    // NaN named by row and column.
    let mut x = Array2::<f64>::zeros((3, 2));
    x[[2, 1]] = f64::NAN;
    let e = check_fit(&x, &[0, 1, 0]).unwrap_err();
    assert!(matches!(e, Error::NonFinite { row: 2, .. }), "{e}");
    // Mismatched rows.
    let e = check_fit(&x, &[0, 1]).unwrap_err();
    assert!(matches!(e, Error::Shape(_)), "{e}");
    // A label the MLP never saw.
    let (x, y) = two_blobs(20, 4);
    let m = Mlp::params().hidden(&[2]).epochs(2).fit(&x, &y).unwrap();
    let e = m.evaluate(&x, &[5; 20]).unwrap_err();
    assert!(matches!(e, Error::Labels(_)), "{e}");
}

#[test]
fn scores_are_macro_averages_and_figures_sit_beside() {
    use listening::evaluation::{figures_beside, scores};
    // A constant model: always class 0, on labels 0, 0, 1, 1.
    let (x, y) = two_blobs(4, 5);
    let y0 = vec![0, 0, 0, 0];
    let m = Svc::params().kernel(Kernel::Linear).fit(&x, &y).unwrap();
    let s = scores(&m, &x, &y).unwrap();
    assert_eq!(s.rows, 4);
    assert!((s.accuracy - m.score(&x, &y).unwrap()).abs() < 1e-12);
    // On all-zero labels, the classes present are 0 and whatever the model predicts.
    let s0 = scores(&m, &x, &y0).unwrap();
    assert!(s0.recall <= 1.0 && s0.precision <= 1.0);
    let t = figures_beside(&[("accuracy", 0.31, 0.5)]).unwrap();
    let d = t
        .column("difference")
        .unwrap()
        .f64()
        .unwrap()
        .get(0)
        .unwrap();
    assert!((d - 0.19).abs() < 1e-12);
}
