//! Trees, forests and TreeSHAP against scikit-learn and shap on a fixed fixture
//! (tests/fixtures/trees: 1,000 train / 500 test TidyTuesday tracks, 6 genres, 11 features, made
//! by peer/sklearn_trees.py, which also printed the constants below), against brute-force
//! Shapley values, against linfa-trees, and on bad input.

use listening::Error;
use listening::evaluation::{ClassWeight, accuracy, cross_val_score, permutation_importance};
use listening::models::tree::{
    Criterion, DecisionTree, Forest, ForestParams, MaxFeatures, Splitter,
};
use listening::models::{Classifier, Fit};
use ndarray::{Array2, s};

/// Rows, labels and column names of a fixture file.
fn load(name: &str) -> (Array2<f64>, Vec<usize>, Vec<String>) {
    let path = crate::common::fixture("trees").join(name);
    let mut r = csv::Reader::from_path(&path).expect("fixture");
    let names: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let k = names.len() - 1;
    let (mut rows, mut y) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec.expect("record");
        rows.extend(rec.iter().take(k).map(|v| v.parse::<f64>().expect("float")));
        y.push(rec[k].parse().expect("label"));
    }
    let x = Array2::from_shape_vec((y.len(), k), rows).expect("shape");
    (x, y, names[..k].to_vec())
}

/// Train rows and labels, test rows and labels.
type Split = (Array2<f64>, Vec<usize>, Array2<f64>, Vec<usize>);
/// A split and the column names.
type Fixture = (
    Array2<f64>,
    Vec<usize>,
    Array2<f64>,
    Vec<usize>,
    Vec<String>,
);

fn fixture() -> Fixture {
    let (xtr, ytr, names) = load("train.csv");
    let (xte, yte, _) = load("test.csv");
    (xtr, ytr, xte, yte, names)
}

// Printed by `python3 peer/sklearn_trees.py fixture` (scikit-learn 1.9.1, shap 0.51.0): mean
// test accuracy over random_state 0-4.
// tree: seeds 0-4 [39.8 38.2 38.  39.6 40.4]
const SK_TREE: f64 = 0.392000;
// forest: seeds 0-4 [46.8 47.  48.4 46.4 47. ]
const SK_FOREST: f64 = 0.471200;
// extra: seeds 0-4 [44.  46.6 46.  44.6 44. ]
const SK_EXTRA: f64 = 0.450400;
// oob: seeds 0-4 [46.1 44.5 44.6 44.6 45.8]
const SK_OOB: f64 = 0.451200;

/// Mean over seeds 0-4 of (test accuracy, OOB score when asked) of `params` seeded.
fn mean_over_seeds(params: impl Fn(u64) -> ForestParams, data: &Fixture) -> (f64, f64) {
    let (xtr, ytr, xte, yte, _) = data;
    let (mut acc, mut oob) = (0.0, 0.0);
    for seed in 0..5 {
        let f = params(seed).fit(xtr, ytr).unwrap();
        acc += f.score(xte, yte).unwrap() / 5.0;
        oob += f.oob_score().unwrap_or(0.0) / 5.0;
    }
    (acc, oob)
}

#[test]
fn tree_forest_and_extra_trees_within_two_points_of_scikit_learn() {
    let data = fixture();
    let (xtr, ytr, xte, yte, _) = &data;
    let mut tree = 0.0;
    for seed in 0..5 {
        let t = DecisionTree::params().seed(seed).fit(xtr, ytr).unwrap();
        tree += t.score(xte, yte).unwrap() / 5.0;
    }
    let (forest, oob) = mean_over_seeds(|s| Forest::random_forest().oob_score(true).seed(s), &data);
    let (extra, _) = mean_over_seeds(|s| Forest::extra_trees().seed(s), &data);
    let table = [
        ("tree", tree, SK_TREE),
        ("forest", forest, SK_FOREST),
        ("extra trees", extra, SK_EXTRA),
        ("forest OOB", oob, SK_OOB),
    ];
    for (name, ours, sk) in table {
        eprintln!(
            "{name}: ours {:.2} %, scikit-learn {:.2} %",
            100.0 * ours,
            100.0 * sk
        );
        assert!(
            (ours - sk).abs() <= 0.02,
            "{name}: ours {ours}, scikit-learn {sk}"
        );
    }
}

// The depth-3 tree (random_state=0) scikit-learn grows on the training rows: node features (−2
// for a leaf) and thresholds in scikit-learn's node order, which is also ours (depth first, left
// before right). scikit-learn casts X to float32, so its thresholds are float32 midpoints.
const SK_DEPTH3_FEATURES: [i64; 15] = [5, 0, 6, -2, -2, 10, -2, -2, 1, 6, -2, -2, 10, -2, -2];
const SK_DEPTH3_THRESHOLDS: [f64; 15] = [
    0.14750000089406967,
    0.6385000050067902,
    0.15199999511241913,
    -2.0,
    -2.0,
    117.95299911499023,
    -2.0,
    -2.0,
    0.917000025510788,
    0.04375000111758709,
    -2.0,
    -2.0,
    115.5150032043457,
    -2.0,
    -2.0,
];
// shap.TreeExplainer(tree, feature_perturbation="tree_path_dependent"): expected value, and the
// SHAP values of the first 5 test rows (rows × features × classes).
const SK_SHAP_BASE: [f64; 6] = [0.166, 0.167, 0.167, 0.167, 0.166, 0.167];
#[rustfmt::skip]
const SK_SHAP: [[[f64; 6]; 11]; 5] = [
    [
        [0.006750861315859169, 0.02522200518665676, -0.000494231997983252, 0.005991942818879768, 0.01384218959994462, -0.051312766923357025],
        [-0.03304407479048771, 0.007510660512303702, -0.003628636132480962, 0.013967555492600607, 0.016580531612031317, -0.001386036693966928],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [-0.10104967438642337, 0.011716473280820148, -0.10277471697428452, 0.10139728242270839, 0.20270289608866526, -0.11199226043148593],
        [0.006708295489352431, 0.025095642489207485, 0.012196860204317546, 0.007123567532797472, -0.058648491863376916, 0.007524126147701982],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.035715673452780566, -0.02032856525277185, 0.002025049224755507, -0.02521007799671593, 0.004117469157330307, 0.003680451414621387],
    ],
    [
        [-0.02243117715642374, -0.06065376084653779, 0.002319352538818157, -0.015399918717371747, -0.037466587264773706, 0.13363209144628874],
        [-0.005662481865863185, 0.0006735994866644354, -0.0009708458877357438, 0.0021030018971096983, 0.004368834393482872, -0.0005121080236580739],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.02248785135120382, 0.002365456073728684, 0.037033611412367065, -0.020771381565458012, -0.1065914672415578, 0.06547592996971623],
        [0.041340288478639665, -0.04190261854737068, 0.010200039955715917, -0.07402985814144059, 0.020001784306895736, 0.04439036394755992],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.0283910422049957, -0.017273471145564174, 0.001991063738156758, -0.02124493970714901, 0.003896640826873386, 0.004239664082687338],
    ],
    [
        [-0.06508050403753335, -0.031470986459057784, -0.012846250970362832, 0.05254638995083642, -0.0308434346948928, 0.08769478621101023],
        [-0.005679567917431995, 0.0012793776786495241, -0.000780569404355812, 0.0024866614187002553, 0.0032186324674188765, -0.000524534242980845],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.006652256085900928, -0.006344512764470982, 0.024942674750300563, -0.007269921412980824, -0.06620336765923607, 0.04822287100048634],
        [-0.07601966044445847, 0.05735222834935812, -0.025268158423816245, 0.12431126711493422, 0.0014509089047978277, -0.08182658550081551],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.0283910422049957, -0.017273471145564174, 0.001991063738156758, -0.02124493970714901, 0.003896640826873386, 0.004239664082687338],
    ],
    [
        [-0.019347953557508672, -0.019683889234571747, -0.003686231776032084, 0.012347666748766344, -0.01342355763829475, 0.04379396545764089],
        [-0.03304407479048771, 0.007510660512303702, -0.003628636132480962, 0.013967555492600607, 0.016580531612031317, -0.001386036693966928],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [-0.0227825053561386, 0.021728552565046626, -0.0854231427289055, 0.024897872449766153, 0.226731887470127, -0.16515266439989573],
        [-0.02959780023634056, 0.04993806505326521, -0.000713164244066096, 0.06496422686118848, -0.05301040027336705, -0.03158092716068],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.019853415021556617, -0.01027717267982755, 0.0007754992058089365, -0.012907051282051283, 0.0017161334240980248, 0.0008391763104152478],
    ],
    [
        [-0.02243117715642374, -0.06065376084653779, 0.002319352538818157, -0.015399918717371747, -0.037466587264773706, 0.13363209144628874],
        [-0.005662481865863185, 0.0006735994866644354, -0.0009708458877357438, 0.0021030018971096983, 0.004368834393482872, -0.0005121080236580739],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.02248785135120382, 0.002365456073728684, 0.037033611412367065, -0.020771381565458012, -0.1065914672415578, 0.06547592996971623],
        [0.041340288478639665, -0.04190261854737068, 0.010200039955715917, -0.07402985814144059, 0.020001784306895736, 0.04439036394755992],
        [0.0; 6], [0.0; 6], [0.0; 6],
        [0.0283910422049957, -0.017273471145564174, 0.001991063738156758, -0.02124493970714901, 0.003896640826873386, 0.004239664082687338],
    ],
];

#[test]
fn depth3_tree_has_scikit_learns_splits_and_shaps_values() {
    let (xtr, ytr, xte, _, names) = fixture();
    let tree = DecisionTree::params()
        .max_depth(Some(3))
        .fit(&xtr, &ytr)
        .unwrap();
    assert_eq!(tree.nodes().len(), SK_DEPTH3_FEATURES.len());
    for (i, n) in tree.nodes().iter().enumerate() {
        if SK_DEPTH3_FEATURES[i] < 0 {
            assert!(n.children.is_none(), "node {i} should be a leaf");
            continue;
        }
        assert_eq!(n.feature as i64, SK_DEPTH3_FEATURES[i], "node {i}");
        let sk = SK_DEPTH3_THRESHOLDS[i];
        assert!(
            (n.threshold - sk).abs() <= 1e-6 * sk.abs(),
            "node {i}: {}",
            n.threshold
        );
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let shap = tree
        .shap_values(&xte.slice(s![..5, ..]).to_owned(), &names)
        .unwrap();
    let mut worst: f64 = 0.0;
    for (c, b) in SK_SHAP_BASE.iter().enumerate() {
        worst = worst.max((shap.base_values[c] - b).abs());
    }
    for ((r, f, c), v) in shap.values.indexed_iter() {
        worst = worst.max((v - SK_SHAP[r][f][c]).abs());
    }
    eprintln!("depth-3 tree: largest |ours − shap| = {worst:.2e}");
    assert!(worst < 1e-6, "SHAP differs from shap's by {worst}");
}

/// Σ SHAP + base = predict_proba, for every row and class.
fn assert_additive(model: &dyn Classifier, shap: &listening::models::ShapValues, x: &Array2<f64>) {
    let p = model.predict_proba(x).unwrap();
    let sum = shap.values.sum_axis(ndarray::Axis(1)) + &shap.base_values;
    let err = (&sum - &p).mapv(f64::abs).fold(0.0f64, |a, &b| a.max(b));
    assert!(
        err < 1e-9,
        "Σ SHAP + base differs from predict_proba by {err}"
    );
}

#[test]
fn shap_adds_up_to_predict_proba_for_trees_and_forests() {
    let (xtr, ytr, xte, _, names) = fixture();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let rows = xte.slice(s![..20, ..]).to_owned();
    let tree = DecisionTree::params().seed(3).fit(&xtr, &ytr).unwrap();
    assert_additive(&tree, &tree.shap_values(&rows, &names).unwrap(), &rows);
    let rf = Forest::random_forest()
        .n_estimators(10)
        .class_weight(ClassWeight::Balanced)
        .seed(3)
        .fit(&xtr, &ytr)
        .unwrap();
    let shap = rf.shap_values(&rows, &names).unwrap();
    assert_additive(&rf, &shap, &rows);
    let et = Forest::extra_trees()
        .n_estimators(10)
        .max_depth(Some(6))
        .seed(3);
    let et = et.fit(&xtr, &ytr).unwrap();
    assert_additive(&et, &et.shap_values(&rows, &names).unwrap(), &rows);
    let summary = shap.summary().unwrap();
    assert_eq!(summary.height(), names.len() * 6);
    let columns: Vec<&str> = summary
        .get_column_names()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(columns, ["feature", "class", "mean_abs_shap"]);
    assert_eq!(shap.class(2).dim(), (20, names.len()));
}

/// The tree-path-dependent expectation of the tree's output given the features in `known`
/// (a bit set): follow `x` at nodes testing a known feature, else average both children by
/// cover.
fn conditional(tree: &DecisionTree, x: &[f64], known: u32, node: usize) -> Vec<f64> {
    let n = &tree.nodes()[node];
    let Some((l, r)) = n.children else {
        return tree.node_value(node).to_vec();
    };
    if known & (1 << n.feature) != 0 {
        return conditional(
            tree,
            x,
            known,
            if x[n.feature] <= n.threshold { l } else { r },
        );
    }
    let (vl, vr) = (
        conditional(tree, x, known, l),
        conditional(tree, x, known, r),
    );
    let (wl, wr) = (tree.nodes()[l].weighted_n, tree.nodes()[r].weighted_n);
    vl.iter()
        .zip(&vr)
        .map(|(a, b)| (wl * a + wr * b) / n.weighted_n)
        .collect()
}

/// Shapley values by enumerating every coalition (features × classes).
fn brute_force(tree: &DecisionTree, x: &[f64]) -> Array2<f64> {
    let (m, k) = (tree.n_features(), tree.n_classes());
    let fact = |n: usize| (1..=n).product::<usize>() as f64;
    let mut phi = Array2::<f64>::zeros((m, k));
    for i in 0..m {
        for set in 0u32..(1 << m) {
            if set & (1 << i) != 0 {
                continue;
            }
            let size = set.count_ones() as usize;
            let w = fact(size) * fact(m - size - 1) / fact(m);
            let with = conditional(tree, x, set | (1 << i), 0);
            let without = conditional(tree, x, set, 0);
            for c in 0..k {
                phi[[i, c]] += w * (with[c] - without[c]);
            }
        }
    }
    phi
}

#[test]
fn shap_equals_brute_force_shapley_values_on_small_trees() {
    let (xtr, ytr, xte, _, names) = fixture();
    // Six features, so 64 coalitions; deep enough that features repeat along paths (UNWIND).
    let (xtr6, xte6) = (
        xtr.slice(s![.., ..6]).to_owned(),
        xte.slice(s![..8, ..6]).to_owned(),
    );
    let names: Vec<&str> = names[..6].iter().map(String::as_str).collect();
    let weights: Vec<f64> = (0..ytr.len()).map(|i| 1.0 + (i % 3) as f64).collect();
    let trees = [
        DecisionTree::params()
            .max_depth(Some(6))
            .fit(&xtr6, &ytr)
            .unwrap(),
        DecisionTree::params()
            .max_depth(Some(8))
            .splitter(Splitter::Random)
            .criterion(Criterion::Entropy)
            .class_weight(ClassWeight::Balanced)
            .seed(5)
            .fit_weighted(&xtr6, &ytr, &weights)
            .unwrap(),
    ];
    let mut worst: f64 = 0.0;
    for tree in &trees {
        let shap = tree.shap_values(&xte6, &names).unwrap();
        for (r, row) in xte6.rows().into_iter().enumerate() {
            let bf = brute_force(tree, row.as_slice().unwrap());
            let ours = shap.values.slice(s![r, .., ..]);
            worst = worst.max(
                (&ours - &bf)
                    .mapv(f64::abs)
                    .fold(0.0, |a: f64, &b| a.max(b)),
            );
        }
        let base = conditional(tree, &[0.0; 6], 0, 0);
        for (c, b) in base.iter().enumerate() {
            worst = worst.max((shap.base_values[c] - b).abs());
        }
    }
    eprintln!("TreeSHAP vs brute force: largest difference {worst:.2e}");
    assert!(worst < 1e-6, "TreeSHAP differs from brute force by {worst}");
}

#[test]
fn same_seed_same_model_other_seed_other_model() {
    let (xtr, ytr, xte, _, _) = fixture();
    let tree = DecisionTree::params()
        .max_features(MaxFeatures::Sqrt)
        .seed(9);
    let (a, b) = (tree.fit(&xtr, &ytr).unwrap(), tree.fit(&xtr, &ytr).unwrap());
    assert_eq!(a, b);
    for params in [
        Forest::random_forest().n_estimators(20).oob_score(true),
        Forest::extra_trees().n_estimators(20),
    ] {
        let a = params.clone().seed(4).fit(&xtr, &ytr).unwrap();
        let b = params.clone().seed(4).fit(&xtr, &ytr).unwrap();
        let c = params.clone().seed(5).fit(&xtr, &ytr).unwrap();
        assert_eq!(
            a.predict_proba(&xte).unwrap(),
            b.predict_proba(&xte).unwrap()
        );
        assert_eq!(a.feature_importances(), b.feature_importances());
        assert_eq!(a.oob_score(), b.oob_score());
        assert_eq!(a, b);
        assert_ne!(
            a.predict_proba(&xte).unwrap(),
            c.predict_proba(&xte).unwrap()
        );
    }
}

#[test]
fn weights_act_as_repeated_rows_and_importances_sum_to_one() {
    let (xtr, ytr, xte, _, _) = fixture();
    let (x, y) = (xtr.slice(s![..300, ..]).to_owned(), &ytr[..300]);
    let w: Vec<f64> = (0..y.len()).map(|i| (1 + i % 3) as f64).collect();
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for (i, &c) in y.iter().enumerate() {
        for _ in 0..(1 + i % 3) {
            rows.extend(x.row(i).iter().copied());
            labels.push(c);
        }
    }
    let repeated = Array2::from_shape_vec((labels.len(), x.ncols()), rows).unwrap();
    let params = DecisionTree::params().max_depth(Some(5));
    let weighted = params.fit_weighted(&x, y, &w).unwrap();
    let plain = params.fit(&repeated, &labels).unwrap();
    assert_eq!(
        weighted.predict_proba(&xte).unwrap(),
        plain.predict_proba(&xte).unwrap()
    );
    assert_eq!(weighted.feature_importances(), plain.feature_importances());
    let imp = Forest::random_forest()
        .n_estimators(10)
        .fit(&x, y)
        .unwrap()
        .feature_importances();
    assert!((imp.sum() - 1.0).abs() < 1e-12 && imp.iter().all(|&v| v >= 0.0));
    assert!(plain.depth() <= 5 && plain.n_leaves() <= 32);
}

#[test]
fn trees_work_with_cross_validation_search_and_permutation_importance() {
    let (xtr, ytr, xte, yte, names) = fixture();
    let cv = cross_val_score(&DecisionTree::params().max_depth(Some(4)), &xtr, &ytr, 3, 0).unwrap();
    assert_eq!(cv.len(), 3);
    let candidates = vec![
        (
            "shallow".to_string(),
            Forest::random_forest().n_estimators(10).max_depth(Some(2)),
        ),
        ("deep".to_string(), Forest::random_forest().n_estimators(10)),
    ];
    let grid = listening::evaluation::GridSearch::new().folds(3);
    let found = grid.search(&candidates, &xtr, &ytr).unwrap();
    assert_eq!(found.table.height(), 2);
    assert!(candidates[0].1.describe().contains("depth ≤ 2"));
    let model = found.best_params().seed(1).fit(&xtr, &ytr).unwrap();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let pi = permutation_importance(&model, &xte, &yte, &names, 2, 0).unwrap();
    assert_eq!(pi.height(), names.len());
}

#[test]
fn bad_input_gives_typed_errors() {
    let (xtr, ytr, _, _, _) = fixture();
    let (x, y) = (xtr.slice(s![..40, ..]).to_owned(), ytr[..40].to_vec());
    let tree = DecisionTree::params();
    let rf = Forest::random_forest().n_estimators(3);
    let mut nan = x.clone();
    nan[[7, 2]] = f64::NAN;
    assert!(matches!(
        tree.fit(&nan, &y),
        Err(Error::NonFinite { row: 7, .. })
    ));
    assert!(matches!(
        rf.fit(&nan, &y),
        Err(Error::NonFinite { row: 7, .. })
    ));
    assert!(matches!(tree.fit(&x, &y[..39]), Err(Error::Shape(_))));
    assert!(matches!(rf.fit(&x, &y[..39]), Err(Error::Shape(_))));
    let empty = Array2::<f64>::zeros((0, 11));
    assert!(matches!(tree.fit(&empty, &[]), Err(Error::Labels(_))));
    assert!(matches!(rf.fit(&empty, &[]), Err(Error::Labels(_))));
    let param = |r: listening::Result<_>, name: &str| match r {
        Err(Error::Parameter { name: n, .. }) => assert_eq!(n, name),
        Err(e) => panic!("{name}: {e}"),
        Ok(_) => panic!("{name}: accepted"),
    };
    param(
        rf.clone().n_estimators(0).fit(&x, &y).map(|_| ()),
        "n_estimators",
    );
    let zero = MaxFeatures::Fraction(0.0);
    param(
        tree.clone().max_features(zero).fit(&x, &y).map(|_| ()),
        "max_features",
    );
    param(
        rf.clone().max_features(zero).fit(&x, &y).map(|_| ()),
        "max_features",
    );
    let twelve = MaxFeatures::Count(12);
    param(
        tree.clone().max_features(twelve).fit(&x, &y).map(|_| ()),
        "max_features",
    );
    param(
        tree.clone().min_samples_leaf(0).fit(&x, &y).map(|_| ()),
        "min_samples_leaf",
    );
    param(
        rf.clone().min_samples_leaf(0).fit(&x, &y).map(|_| ()),
        "min_samples_leaf",
    );
    param(
        tree.clone().min_samples_split(1).fit(&x, &y).map(|_| ()),
        "min_samples_split",
    );
    param(
        tree.clone().max_depth(Some(0)).fit(&x, &y).map(|_| ()),
        "max_depth",
    );
    let et = Forest::extra_trees().oob_score(true);
    param(et.fit(&x, &y).map(|_| ()), "oob_score");
    param(
        rf.clone().max_samples(Some(1.5)).fit(&x, &y).map(|_| ()),
        "max_samples",
    );
    let w = vec![1.0; 40];
    assert!(matches!(
        tree.fit_weighted(&x, &y, &w[..3]),
        Err(Error::Shape(_))
    ));
    let mut neg = w.clone();
    neg[0] = -1.0;
    param(tree.fit_weighted(&x, &y, &neg).map(|_| ()), "sample_weight");
    param(
        tree.fit_weighted(&x, &y, &[0.0; 40]).map(|_| ()),
        "sample_weight",
    );
    let model = tree.fit(&x, &y).unwrap();
    let narrow = x.slice(s![.., ..5]).to_owned();
    assert!(matches!(model.predict(&narrow), Err(Error::Shape(_))));
    assert!(matches!(
        model.predict_proba(&nan),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        model.shap_values(&x, &["a"]),
        Err(Error::Shape(_))
    ));
    let forest = rf.fit(&x, &y).unwrap();
    assert!(matches!(forest.predict(&narrow), Err(Error::Shape(_))));
}

#[test]
fn a_class_without_rows_has_probability_zero() {
    // Labels 0 and 2 only: three classes, class 1 never predicted (documented behaviour).
    let x = Array2::from_shape_fn((12, 2), |(i, j)| (i * (j + 1)) as f64);
    let y: Vec<usize> = (0..12).map(|i| if i < 6 { 0 } else { 2 }).collect();
    let tree = DecisionTree::params().fit(&x, &y).unwrap();
    let forest = Forest::random_forest().n_estimators(5).fit(&x, &y).unwrap();
    for p in [
        tree.predict_proba(&x).unwrap(),
        forest.predict_proba(&x).unwrap(),
    ] {
        assert_eq!(p.ncols(), 3);
        assert!(p.column(1).iter().all(|&v| v == 0.0));
    }
    assert_eq!(accuracy(&y, &tree.predict(&x).unwrap()), 1.0);
}

// tree max_depth=8 (beside linfa-trees): seeds 0-4 [40.2 39.4 39.6 39.6 40.2]
const SK_DEPTH8: f64 = 0.398;

/// linfa-trees' DecisionTree and ours, same settings (depth 8, Gini, all features, leaves of at
/// least one row, no minimum impurity decrease). linfa-trees has no per-split `max_features`, no
/// probabilities and no sample weights, so the forests and TreeSHAP cannot be built on it.
#[test]
fn linfa_trees_decision_tree_beside_ours() {
    use linfa::prelude::*;
    let (xtr, ytr, xte, yte, _) = fixture();
    let depth = 8;
    let train = linfa::Dataset::new(xtr.clone(), ndarray::Array1::from(ytr.clone()));
    let theirs = linfa_trees::DecisionTree::params()
        .split_quality(linfa_trees::SplitQuality::Gini)
        .max_depth(Some(depth))
        .min_impurity_decrease(1e-12)
        .fit(&train)
        .unwrap();
    let their_pred = theirs.predict(&xte).to_vec();
    let params = DecisionTree::params().max_depth(Some(depth));
    let our_pred = params.fit(&xtr, &ytr).unwrap().predict(&xte).unwrap();
    let mut ours_mean = 0.0;
    for seed in 0..5 {
        let t = params.clone().seed(seed).fit(&xtr, &ytr).unwrap();
        ours_mean += t.score(&xte, &yte).unwrap() / 5.0;
    }
    let (a_theirs, a_ours) = (accuracy(&yte, &their_pred), accuracy(&yte, &our_pred));
    let agree = accuracy(&their_pred, &our_pred);
    eprintln!(
        "depth {depth}, Gini, all features: linfa-trees {:.2} %, ours {:.2} % (seeds 0-4: {:.2} %, \
         scikit-learn {:.2} %); predictions agree on {:.1} % of test rows",
        100.0 * a_theirs,
        100.0 * a_ours,
        100.0 * ours_mean,
        100.0 * SK_DEPTH8,
        100.0 * agree
    );
    assert!(a_theirs > 0.3 && a_ours > 0.3);
    assert!((ours_mean - SK_DEPTH8).abs() <= 0.02);
}

/// TidyTuesday's 32,833 rows, 11 features, labels by sorted `playlist_genre`; row i is a test row
/// when i % 4 == 3 (peer/sklearn_trees.py `full` uses the same rule).
fn tidytuesday_split() -> Option<Split> {
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
    if !crate::real_data::have("tidytuesday-spotify-songs") {
        return None;
    }
    let path = &listening::datasets::files("tidytuesday-spotify-songs").unwrap()[0];
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap());
    let mut r = csv::Reader::from_reader(gz);
    let head = r.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (cols, genre) = (FEATURES.map(col), col("playlist_genre"));
    let genres = ["edm", "latin", "pop", "r&b", "rap", "rock"];
    let (mut tr, mut te) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let side = if i % 4 == 3 { &mut te } else { &mut tr };
        side.0
            .extend(cols.iter().map(|&c| rec[c].parse::<f64>().unwrap()));
        side.1
            .push(genres.iter().position(|g| *g == &rec[genre]).unwrap());
    }
    let shape = |v: Vec<f64>| Array2::from_shape_vec((v.len() / 11, 11), v).unwrap();
    Some((shape(tr.0), tr.1, shape(te.0), te.1))
}

/// CPU seconds used by this process so far, all threads (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends with ')'): utime and stime are the 12th and
    // 13th, in clock ticks (100 per second on Linux).
    let after: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let field = |i: usize| {
        after
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (field(11) + field(12)) / 100.0
}

/// Runs `fit`, then prints the model's test accuracy, wall and CPU seconds.
fn timed(name: &str, x: &Array2<f64>, y: &[usize], fit: impl FnOnce() -> Box<dyn Classifier>) {
    let (start, cpu) = (std::time::Instant::now(), cpu_seconds());
    let model = fit();
    let (wall, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let acc = model.score(x, y).unwrap();
    eprintln!(
        "{name}: accuracy {:.2} %, fit {wall:.2} s wall, {cpu:.2} s CPU",
        100.0 * acc
    );
}

/// Fit times on TidyTuesday-sized data; run once in release:
/// `cargo test --release --test it trees:: -- --ignored --nocapture`.
#[test]
#[ignore = "times fits on 24,625 rows; run in release"]
fn tidytuesday_fit_times() {
    use linfa::prelude::*;
    let Some((xtr, ytr, xte, yte)) = tidytuesday_split() else {
        return;
    };
    eprintln!("{} train / {} test rows", ytr.len(), yte.len());
    let (x, y) = (&xte, &yte[..]);
    timed("tree", x, y, || {
        Box::new(DecisionTree::params().fit(&xtr, &ytr).unwrap())
    });
    let d10 = DecisionTree::params().max_depth(Some(10));
    timed("tree depth 10", x, y, || {
        Box::new(d10.fit(&xtr, &ytr).unwrap())
    });
    let train = linfa::Dataset::new(xtr.clone(), ndarray::Array1::from(ytr.clone()));
    let (start, cpu) = (std::time::Instant::now(), cpu_seconds());
    let theirs = linfa_trees::DecisionTree::params()
        .max_depth(Some(10))
        .min_impurity_decrease(1e-12)
        .fit(&train)
        .unwrap();
    let (wall, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let acc = accuracy(&yte, theirs.predict(&xte).as_slice().unwrap());
    eprintln!(
        "linfa-trees depth 10: accuracy {:.2} %, fit {wall:.2} s wall, {cpu:.2} s CPU",
        100.0 * acc
    );
    let rf = Forest::random_forest();
    timed("random forest ×100", x, y, || {
        Box::new(rf.fit(&xtr, &ytr).unwrap())
    });
    let oob = rf.clone().oob_score(true).fit(&xtr, &ytr).unwrap();
    eprintln!(
        "random forest OOB {:.2} %",
        100.0 * oob.oob_score().unwrap()
    );
    let et = Forest::extra_trees();
    timed("extra trees ×100", x, y, || {
        Box::new(et.fit(&xtr, &ytr).unwrap())
    });
    let rows = xte.slice(s![..10, ..]).to_owned();
    let names = ["f"; 11];
    let start = std::time::Instant::now();
    oob.shap_values(&rows, &names).unwrap();
    let wall = start.elapsed().as_secs_f64();
    eprintln!("TreeSHAP of 10 rows through the forest (100 full-depth trees): {wall:.2} s");
}

#[test]
fn shap_summary_names_the_classes() {
    let (x_train, y_train, x_test, _, features) = fixture();
    let tree = DecisionTree::params()
        .max_depth(Some(3))
        .fit(&x_train, &y_train)
        .unwrap();
    let rows = x_test.slice(s![..5, ..]).to_owned();
    let names: Vec<&str> = features.iter().map(String::as_str).collect();
    let shap = tree.shap_values(&rows, &names).unwrap();
    let k = tree.n_classes();
    let classes: Vec<String> = (0..k).map(|c| format!("genre {c}")).collect();
    let named = shap.summary_named(&classes).unwrap();
    assert_eq!(named.height(), names.len() * k);
    let first = named
        .column("class")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .to_string();
    assert_eq!(first, "genre 0");
    assert!(shap.summary_named(&classes[..1]).is_err());
}
