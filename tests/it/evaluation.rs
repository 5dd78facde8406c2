//! Splits, class weights, metrics and grid search.

use listening::evaluation::{
    ClassWeight, ConfusionMatrix, GridSearch, accuracy, balanced_weights, kfold,
    repeated_stratified_kfold, stratified_kfold, train_test_split,
};
use listening::models::{StandardScaler, Svc};
use ndarray::{Array2, array};
use std::collections::HashSet;

fn labels() -> Vec<usize> {
    // 60 / 30 / 10 rows.
    (0..100)
        .map(|i| {
            if i < 60 {
                0
            } else if i < 90 {
                1
            } else {
                2
            }
        })
        .collect()
}

#[test]
fn stratified_split_keeps_class_shares_and_is_seeded() {
    let y = labels();
    let x = Array2::from_shape_fn((100, 2), |(i, j)| (i * 2 + j) as f64);
    let s = train_test_split(&x, &y, 0.25, 70).unwrap();
    assert_eq!(s.y_test.len(), 25);
    assert_eq!(s.y_train.len(), 75);
    let count = |v: &[usize], c| v.iter().filter(|&&l| l == c).count();
    assert_eq!(
        (
            count(&s.y_test, 0),
            count(&s.y_test, 1),
            count(&s.y_test, 2)
        ),
        (15, 8, 2)
    );
    // Rows follow their indices; train and test are disjoint and cover everything.
    for (r, &i) in s.fold.test.iter().enumerate() {
        assert_eq!(s.x_test[[r, 0]], (i * 2) as f64);
        assert_eq!(s.y_test[r], y[i]);
    }
    let all: HashSet<usize> = s.fold.train.iter().chain(&s.fold.test).copied().collect();
    assert_eq!(all.len(), 100);
    let again = train_test_split(&x, &y, 0.25, 70).unwrap();
    assert_eq!(again.fold, s.fold);
    assert_ne!(train_test_split(&x, &y, 0.25, 71).unwrap().fold, s.fold);
    assert!(train_test_split(&x, &y, 1.5, 0).is_err());
    assert!(train_test_split(&x, &y[..10], 0.25, 0).is_err());
}

#[test]
fn stratified_kfold_partitions_with_balanced_classes() {
    let y = labels();
    let folds = stratified_kfold(&y, 5, 3).unwrap();
    assert_eq!(folds.len(), 5);
    let mut tested = vec![0; 100];
    for f in &folds {
        assert_eq!(f.test.len(), 20);
        assert_eq!(f.train.len() + f.test.len(), 100);
        assert_eq!(f.test.iter().filter(|&&i| y[i] == 0).count(), 12);
        assert_eq!(f.test.iter().filter(|&&i| y[i] == 2).count(), 2);
        for &i in &f.test {
            tested[i] += 1;
        }
    }
    assert!(tested.iter().all(|&t| t == 1));
    assert_eq!(stratified_kfold(&y, 5, 3).unwrap(), folds);
    assert_eq!(repeated_stratified_kfold(&y, 5, 3, 3).unwrap().len(), 15);
    assert_eq!(
        kfold(10, 3, 0)
            .unwrap()
            .iter()
            .map(|f| f.test.len())
            .sum::<usize>(),
        10
    );
    assert!(stratified_kfold(&y, 1, 0).is_err());
}

#[test]
fn balanced_weights_are_n_over_k_nc() {
    let w = balanced_weights(&labels(), 3);
    assert!((w[0] - 100.0 / (3.0 * 60.0)).abs() < 1e-12);
    assert!((w[1] - 100.0 / 90.0).abs() < 1e-12);
    assert!((w[2] - 100.0 / 30.0).abs() < 1e-12);
    assert_eq!(
        ClassWeight::Uniform.resolve(&labels(), 3).unwrap(),
        vec![1.0; 3]
    );
    assert!(
        ClassWeight::Manual(vec![1.0])
            .resolve(&labels(), 3)
            .is_err()
    );
    assert!(
        ClassWeight::Manual(vec![1.0, -1.0, 1.0])
            .resolve(&labels(), 3)
            .is_err()
    );
}

#[test]
fn confusion_matrix_counts_report_and_normalised_rows() {
    let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let t = [0, 0, 0, 1, 1, 2];
    let p = [0, 0, 1, 1, 2, 2];
    let cm = ConfusionMatrix::from_predictions(&t, &p, &names).unwrap();
    assert_eq!(cm.counts, array![[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    let n = cm.normalized_rows();
    assert!((n[[0, 0]] - 2.0 / 3.0).abs() < 1e-12);
    assert!((n[[1, 2]] - 0.5).abs() < 1e-12);
    assert!((cm.accuracy() - 4.0 / 6.0).abs() < 1e-12);
    assert!((accuracy(&t, &p) - 4.0 / 6.0).abs() < 1e-12);
    // scikit-learn: precision [1, .5, .5], recall [2/3, .5, 1].
    assert_eq!(cm.precision(), vec![1.0, 0.5, 0.5]);
    let r = cm.recall();
    assert!((r[0] - 2.0 / 3.0).abs() < 1e-12 && r[2] == 1.0);
    let f1 = cm.f1();
    assert!((f1[0] - 0.8).abs() < 1e-12);
    let report = cm.report().unwrap();
    assert_eq!(report.height(), 6);
    assert_eq!(report.width(), 5);
    assert_eq!(cm.to_frame().unwrap().width(), 4);
    assert!(ConfusionMatrix::from_predictions(&[0, 3], &[0, 0], &names).is_err());
    assert!(ConfusionMatrix::from_predictions(&[0], &[0, 0], &names).is_err());
}

#[test]
fn standard_scaler_fits_train_and_transforms_both() {
    let x = array![[1.0, 10.0], [3.0, 10.0]];
    let (s, t) = StandardScaler::fit_transform(&x).unwrap();
    assert_eq!(s.mean, array![2.0, 10.0]);
    assert_eq!(t, array![[-1.0, 0.0], [1.0, 0.0]]);
    assert_eq!(
        s.transform(&array![[5.0, 11.0]]).unwrap(),
        array![[3.0, 1.0]]
    );
    assert!(s.transform(&array![[1.0]]).is_err());
}

#[test]
fn grid_search_scores_on_training_folds_and_picks_first_best() {
    // Two blobs: every reasonable (σ, C) separates them, a tiny σ with tiny C does too.
    let x = Array2::from_shape_fn((40, 2), |(i, j)| {
        let c = if i < 20 { 0.0 } else { 3.0 };
        c + ((i * 7 + j * 3) % 10) as f64 / 10.0
    });
    let y: Vec<usize> = (0..40).map(|i| usize::from(i >= 20)).collect();
    let base = Svc::params().class_weight(ClassWeight::Balanced);
    let g = GridSearch::new()
        .folds(4)
        .seed(1)
        .svc_sigma_c(&base, &[0.5, 1.0], &[0.1, 1.0, 10.0], &x, &y)
        .unwrap();
    assert_eq!(g.table.height(), 6);
    assert_eq!(g.scores.dim(), (2, 3));
    assert_eq!(g.fits, 24);
    assert_eq!(g.best_score, 1.0);
    assert_eq!((g.best_sigma, g.best_c), (0.5, 0.1));
    assert_eq!(g.sigma_labels(), vec!["σ=0.5", "σ=1"]);
    let again = GridSearch::new()
        .folds(4)
        .seed(1)
        .svc_sigma_c(&base, &[0.5, 1.0], &[0.1, 1.0, 10.0], &x, &y)
        .unwrap();
    assert_eq!(again.scores, g.scores);
    assert!(
        GridSearch::new()
            .svc_sigma_c(&base, &[], &[1.0], &x, &y)
            .is_err()
    );
    assert!(
        GridSearch::new()
            .svc_sigma_c(&base, &[-1.0], &[1.0], &x, &y)
            .is_err()
    );
}
