//! Multi-label genre tags (issue 11): tag loaders and normalisation, the binarizer, multi-label
//! models, metrics and grid search, checked by hand and against scikit-learn
//! (peer/sklearn_multilabel.py, on the fixture tests/fixtures/multilabel/lastfm_tidy_1500.csv).

use crate::common::*;
use crate::real_data::have;
use listening::Error;
use listening::datasets;
use listening::evaluation::{
    Average, MultiLabelConfusion, MultiLabelMetric, MultiLabelSearch, ParamGrid,
    cross_val_multilabel, f1_score, hamming_loss, multilabel_report, precision_score, recall_score,
    subset_accuracy, train_test_split_multilabel,
};
use listening::models::{
    ClassWeight, DecisionTree, FitMultiLabel, Forest, Knn, LabelWeight, Metric, Mlp, MultiForest,
    MultiKnn, MultiLabelBinarizer, MultiLabelClassifier, MultiLabelDataset, OneVsRest,
    StandardScaler, Svc, Weights, label_class_weights, multilabel_dataset,
};
use listening::tags;
use ndarray::{Array2, array};
use polars::prelude::*;

fn tidy(rows: &[(&str, Option<&str>, &str, Option<f64>)]) -> DataFrame {
    df!(
        "artist" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        "title" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "tag" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        "weight" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
        "source" => vec!["test"; rows.len()],
    )
    .unwrap()
}

#[test]
fn billboard_file_cp1252_crlf_python_lists_and_bad_rows_counted() {
    let t = tags::read_tags(fixture("multilabel/billboard_cp1252.csv")).unwrap();
    let r = &t.report;
    assert_eq!((r.rows_read, r.rows_loaded, r.skipped_total()), (5, 2, 3));
    assert_eq!(r.skipped.get("no genres"), Some(&1));
    assert_eq!(r.skipped.get("malformed genre list"), Some(&1));
    assert_eq!(r.skipped.get("no artist"), Some(&1));
    assert!(
        r.skipped_examples[0].ends_with(":3 (no genres)"),
        "{:?}",
        r.skipped_examples
    );
    assert!(r.notes.iter().any(|n| n.contains("cp1252")));
    let artists = strs(&t.df, "artist");
    assert_eq!(artists[0].as_deref(), Some("Beyoncé"));
    let tags_read: Vec<String> = strs(&t.df, "tag").into_iter().flatten().collect();
    assert_eq!(
        tags_read,
        ["dance pop", "pop", "r&b", "Hip-Hop", "children's music"]
    );
    assert_eq!(strs(&t.df, "title")[3].as_deref(), Some("Song, With Comma"));
}

#[test]
fn python_lists_and_percent_escapes() {
    assert_eq!(tags::parse_py_list("[]"), Some(vec![]));
    assert_eq!(
        tags::parse_py_list(r#"['a', "b's", 'c\'d']"#),
        Some(vec!["a".into(), "b's".into(), "c'd".into()])
    );
    assert_eq!(tags::parse_py_list("['a' 'b']"), None);
    assert_eq!(tags::parse_py_list("'a'"), None);
    assert_eq!(
        tags::percent_decode("Guns%20N%27%20Roses+x%2"),
        "Guns N' Roses x%2"
    );
    assert_eq!(tags::percent_decode("Beyonc%C3%A9"), "Beyoncé");
}

#[test]
fn unknown_header_is_a_typed_error() {
    let e = tags::read_tags(fixture("classify/train.csv")).unwrap_err();
    assert!(matches!(e, Error::WrongFormat { .. }), "{e}");
}

#[test]
fn cleaning_merges_spellings_and_drops_junk_numbers_and_own_names() {
    let df = tidy(&[
        ("The Roots", None, "Hip-Hop", Some(50.0)),
        ("The Roots", None, "hip hop", Some(80.0)),
        ("The Roots", None, "hiphop", Some(10.0)),
        ("The Roots", None, "seen live", Some(30.0)),
        ("The Roots", None, "90s", Some(20.0)),
        ("The Roots", None, "the roots", Some(5.0)),
        ("The Roots", None, "Roots", Some(5.0)),
        ("Adele", None, "Soul!", Some(100.0)),
    ]);
    let c = tags::clean_tags(&df).unwrap();
    let got: Vec<(String, f64)> = strs(&c.df, "tag")
        .into_iter()
        .flatten()
        .zip(floats(&c.df, "weight").into_iter().flatten())
        .collect();
    assert_eq!(
        got,
        [("hip hop".to_string(), 80.0), ("soul".to_string(), 100.0)]
    );
    assert_eq!((c.rows_before, c.rows_merged, c.distinct_after), (8, 2, 2));
    let reasons: Vec<String> = strs(&c.dropped, "reason").into_iter().flatten().collect();
    assert_eq!(reasons.len(), 3);
    assert!(reasons.contains(&"the artist's own name".to_string()));
    assert!(reasons.contains(&"number, year or decade".to_string()));
    assert!(reasons.iter().any(|r| r.starts_with("junk (personal")));
    assert_eq!(ints(&c.dropped, "rows").iter().flatten().sum::<i64>(), 4);
}

#[test]
fn top_tags_with_exclusions_and_a_misc_bucket() {
    let df = tidy(&[
        ("a", None, "rock", None),
        ("b", None, "rock", None),
        ("c", None, "rock", None),
        ("a", None, "pop", None),
        ("b", None, "pop", None),
        ("a", None, "jazz", None),
        ("c", None, "folk", None),
        ("c", None, "ska", None),
    ]);
    let counts = tags::tag_counts(&df).unwrap();
    assert_eq!(strs(&counts, "tag")[0].as_deref(), Some("rock"));
    assert_eq!(floats(&counts, "share")[0], Some(1.0));
    let top = tags::top_tags(&counts, 2, &["Rock"]).unwrap();
    assert_eq!(top, ["pop", "folk"]);
    let mut cut = tags::bucket_tags(&df, &top, "misc").unwrap();
    cut.rename("artist", "track_id".into()).unwrap();
    let (_, sets) = tags::tag_sets(&cut, "track_id").unwrap();
    assert_eq!(
        sets,
        [
            vec!["misc", "pop"],
            vec!["misc", "pop"],
            vec!["folk", "misc"]
        ]
    );
    assert!(matches!(
        tags::top_tags(&counts, 0, &[]),
        Err(Error::Parameter { .. })
    ));
    assert!(matches!(
        tags::bucket_tags(&df, &top, "pop"),
        Err(Error::Parameter { .. })
    ));
}

#[test]
fn tags_join_tracks_by_artist_or_artist_and_title() {
    let tracks = df!(
        "track_id" => ["t1", "t2", "t3", "t1"],
        "name" => ["Halo", "Halo - Remastered 2011", "Other", "Halo"],
        "artists" => ["Beyoncé", "Beyonce", "The Roots;Someone", "Beyoncé"],
    )
    .unwrap();
    let mut tags_df = tidy(&[
        ("Roots", None, "hip hop", Some(1.0)),
        ("Beyoncé featuring X", Some("Halo"), "pop", None),
        ("Nobody", Some("Halo"), "pop", None),
    ]);
    tags_df
        .with_column(Column::new(
            "source".into(),
            ["artist-src", "title-src", "title-src"],
        ))
        .unwrap();
    let j = tags::tag_tracks(&tracks, &tags_df).unwrap();
    let (ids, sets) = tags::tag_sets(&j.df, "track_id").unwrap();
    assert_eq!(ids, ["t1", "t3"]);
    assert_eq!(sets, [vec!["pop"], vec!["hip hop"]]);
    let cov = &j.coverage;
    assert_eq!(
        strs(cov, "source"),
        [
            Some("artist-src".into()),
            Some("title-src".into()),
            Some("all".into())
        ]
    );
    assert_eq!(ints(cov, "items"), [Some(1), Some(2), Some(3)]);
    assert_eq!(ints(cov, "items_matched"), [Some(1), Some(1), Some(2)]);
    assert_eq!(ints(cov, "tracks_tagged"), [Some(1), Some(1), Some(2)]);
}

#[test]
fn binarizer_round_trip_class_order_and_errors() {
    let sets = vec![vec!["pop", "soul"], vec!["rap"], vec![]];
    let (mlb, y) = MultiLabelBinarizer::fit_transform(&sets);
    assert_eq!(mlb.classes(), ["pop", "rap", "soul"]);
    assert_eq!(y, array![[1u8, 0, 1], [0, 1, 0], [0, 0, 0]]);
    assert_eq!(
        mlb.inverse_transform(&y).unwrap(),
        [vec!["pop", "soul"], vec!["rap"], vec![]]
    );
    assert!(matches!(
        mlb.transform(&[vec!["jazz"]]),
        Err(Error::Labels(_))
    ));
    assert!(matches!(
        mlb.inverse_transform(&array![[2u8, 0, 0]]),
        Err(Error::Labels(_))
    ));
    assert!(matches!(
        mlb.inverse_transform(&array![[1u8, 0]]),
        Err(Error::Shape(_))
    ));
    let fixed = MultiLabelBinarizer::with_classes(&["soul", "pop"]).unwrap();
    assert_eq!(fixed.transform(&[vec!["pop"]]).unwrap(), array![[0u8, 1]]);
    assert!(MultiLabelBinarizer::with_classes(&["a", "a"]).is_err());
}

#[test]
fn metrics_by_hand() {
    // Labels a, b, c. Row 0 exact; row 1 misses b; row 2 adds c; row 3 predicts nothing.
    let t = array![[1u8, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1]];
    let p = array![[1u8, 0, 0], [1, 0, 0], [0, 1, 1], [0, 0, 0]];
    assert_eq!(subset_accuracy(&t, &p).unwrap(), 0.25);
    assert_eq!(hamming_loss(&t, &p).unwrap(), 3.0 / 12.0);
    // tp/fp/fn: a 2/0/0, b 1/0/1, c 0/1/1 -> micro p 3/4, r 3/5, f1 6/9.
    assert_eq!(precision_score(&t, &p, Average::Micro).unwrap(), 0.75);
    assert_eq!(recall_score(&t, &p, Average::Micro).unwrap(), 0.6);
    assert!((f1_score(&t, &p, Average::Micro).unwrap() - 6.0 / 9.0).abs() < 1e-15);
    // per label f1: 1, 2/3, 0 -> macro 5/9; supports 2, 2, 1 -> weighted (2 + 4/3) / 5.
    assert!((f1_score(&t, &p, Average::Macro).unwrap() - 5.0 / 9.0).abs() < 1e-15);
    assert!((f1_score(&t, &p, Average::Weighted).unwrap() - (2.0 + 4.0 / 3.0) / 5.0).abs() < 1e-15);
    // per row precision 1, 1, 1/2, 0 (nothing predicted) -> 5/8; recall 1, 1/2, 1, 0 -> 5/8.
    assert_eq!(precision_score(&t, &p, Average::Samples).unwrap(), 0.625);
    assert_eq!(recall_score(&t, &p, Average::Samples).unwrap(), 0.625);
    let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let cm = MultiLabelConfusion::from_predictions(&t, &p, &names).unwrap();
    assert_eq!(
        cm.counts,
        [[[2, 0], [0, 2]], [[2, 0], [1, 1]], [[2, 1], [1, 0]]]
    );
    let report = multilabel_report(&t, &p, &names).unwrap();
    assert_eq!(report.height(), 3 + 4);
    assert_eq!(strs(&report, "label")[6].as_deref(), Some("samples avg"));
    let fig = cm.plot("per-label", 3).unwrap();
    assert_eq!(
        fig.as_svg().matches("<svg").count(),
        1 + 1 + 1 + 3,
        "outer, title, grid, 3 panels"
    );
    assert!(matches!(
        subset_accuracy(&t, &p.slice(ndarray::s![..2, ..]).to_owned()),
        Err(Error::Shape(_))
    ));
    assert!(matches!(
        MultiLabelMetric::F1(Average::Micro).score(&t, &t.mapv(|v| v * 2)),
        Err(Error::Labels(_))
    ));
}

#[test]
fn per_label_balanced_weights_as_compute_class_weight() {
    let y = array![[1u8, 0], [0, 0], [0, 0], [0, 1]];
    // Column 0: one 1 of 4 -> w1 = 4 / (2 * 1) = 2, w0 = 4 / (2 * 3).
    assert_eq!(
        label_class_weights(&y),
        [[4.0 / 6.0, 2.0], [4.0 / 6.0, 2.0]]
    );
    assert_eq!(label_class_weights(&array![[1u8], [1]]), [[1.0, 1.0]]);
}

/// Two separable blobs; label 0 is the blob, label 1 its opposite, label 2 always 1.
fn blobs() -> (Array2<f64>, Array2<u8>) {
    let n = 40;
    let mut x = Array2::zeros((n, 2));
    let mut y = Array2::zeros((n, 3));
    for i in 0..n {
        let side = (i % 2) as f64;
        x[[i, 0]] = side * 4.0 + (i as f64 * 0.37).sin();
        x[[i, 1]] = side * 4.0 + (i as f64 * 0.73).cos();
        y[[i, 0]] = (i % 2) as u8;
        y[[i, 1]] = 1 - (i % 2) as u8;
        y[[i, 2]] = 1;
    }
    (x, y)
}

fn perfect<P: FitMultiLabel>(p: P) {
    let (x, y) = blobs();
    let m = p.fit(&x, &y).unwrap();
    assert_eq!(m.n_labels(), 3);
    assert_eq!(m.predict(&x).unwrap(), y, "{}", p.describe());
    assert_eq!(m.score(&x, &y).unwrap(), 1.0);
}

#[test]
fn one_vs_rest_takes_every_classifier_and_constant_labels() {
    perfect(OneVsRest::params(Knn::params().k(3)));
    perfect(OneVsRest::params(
        DecisionTree::params().class_weight(ClassWeight::Balanced),
    ));
    perfect(OneVsRest::params(
        Forest::random_forest().n_estimators(10).seed(1),
    ));
    perfect(OneVsRest::params(
        Forest::extra_trees().n_estimators(10).seed(1),
    ));
    perfect(OneVsRest::params(Mlp::params().seed(1)));
    perfect(OneVsRest::params(Svc::params()));
    let (x, y) = blobs();
    let m = OneVsRest::params(Knn::params()).fit(&x, &y).unwrap();
    assert!(matches!(
        m.members()[2],
        listening::models::multilabel::Member::Constant(1)
    ));
}

#[test]
fn native_forest_tree_and_knn_fit_separable_labels() {
    perfect(MultiForest::random_forest().n_estimators(20).seed(3));
    perfect(MultiForest::extra_trees().n_estimators(20).seed(3));
    perfect(MultiForest::decision_tree().class_weight(LabelWeight::Balanced));
    perfect(
        MultiKnn::params()
            .k(3)
            .weights(Weights::Distance)
            .metric(Metric::Manhattan),
    );
    // Same seed, same forest; another seed, another forest.
    let (x, y) = blobs();
    let p = MultiForest::random_forest().n_estimators(5).seed(9);
    assert_eq!(p.fit(&x, &y).unwrap(), p.fit(&x, &y).unwrap());
    assert_ne!(
        p.fit(&x, &y).unwrap(),
        p.clone().seed(10).fit(&x, &y).unwrap()
    );
    // Extreme but finite features: no overflow in the random thresholds.
    let mut wide = x.clone();
    wide.column_mut(0)
        .mapv_inplace(|v| if v > 2.0 { 1e308 } else { -1e308 });
    let m = MultiForest::extra_trees()
        .n_estimators(5)
        .fit(&wide, &y)
        .unwrap();
    assert_eq!(m.predict(&wide).unwrap(), y);
    let d = MultiForest::decision_tree()
        .max_depth(Some(1))
        .fit(&x, &y)
        .unwrap();
    assert_eq!(d.n_leaves(), 2);
}

#[test]
fn bad_parameters_and_data_are_typed_errors() {
    let (x, y) = blobs();
    let param = |e: Error, name: &str| matches!(e, Error::Parameter { name: n, .. } if n == name);
    assert!(param(MultiKnn::params().k(0).fit(&x, &y).unwrap_err(), "k"));
    assert!(param(
        MultiKnn::params().k(41).fit(&x, &y).unwrap_err(),
        "k"
    ));
    assert!(param(
        MultiForest::random_forest()
            .n_estimators(0)
            .fit(&x, &y)
            .unwrap_err(),
        "n_estimators"
    ));
    assert!(param(
        MultiForest::random_forest()
            .min_samples_split(1)
            .fit(&x, &y)
            .unwrap_err(),
        "min_samples_split"
    ));
    let mut bad = x.clone();
    bad[[3, 1]] = f64::NAN;
    assert!(matches!(
        MultiForest::random_forest().fit(&bad, &y),
        Err(Error::NonFinite { row: 3, .. })
    ));
    let mut y2 = y.clone();
    y2[[5, 0]] = 7;
    assert!(matches!(
        OneVsRest::params(Knn::params()).fit(&x, &y2),
        Err(Error::Labels(_))
    ));
    assert!(matches!(
        MultiKnn::params().fit(&x, &y.slice(ndarray::s![..10, ..]).to_owned()),
        Err(Error::Shape(_))
    ));
    let m = MultiKnn::params().fit(&x, &y).unwrap();
    assert!(matches!(
        m.predict(&Array2::zeros((2, 3))),
        Err(Error::Shape(_))
    ));
    assert!(matches!(
        train_test_split_multilabel(&x, &y, 1.0, 0),
        Err(Error::Parameter { .. })
    ));
}

#[test]
fn grid_search_ranks_by_the_named_metric() {
    let (x, y) = blobs();
    // k = 39 of the 32 training rows per fold is out of range; k = 1 is perfect, k = 31 votes by
    // the majority of both blobs and misses half the rows.
    let grid = ParamGrid::new(MultiKnn::params())
        .axis("k", &[31, 1], |p, &k| p.k(k))
        .axis("weights", &[Weights::Uniform], |p, w| p.weights(*w));
    assert_eq!(grid.candidates()[1].0, "k=1, weights=uniform");
    let acc = MultiLabelSearch::new(MultiLabelMetric::SubsetAccuracy)
        .folds(5)
        .seed(2);
    let r = acc.search(grid.candidates(), &x, &y).unwrap();
    assert_eq!(r.best, 1);
    assert_eq!(r.best_score(), 1.0);
    assert_eq!(r.fits, 10);
    assert_eq!(ints(&r.table, "rank"), [Some(2), Some(1)]);
    let loss = MultiLabelSearch::new(MultiLabelMetric::HammingLoss)
        .folds(5)
        .seed(2);
    let r = loss.search(grid.candidates(), &x, &y).unwrap();
    assert_eq!((r.best, r.best_score()), (1, 0.0));
    let cv = cross_val_multilabel(
        &MultiKnn::params().k(1),
        &x,
        &y,
        4,
        0,
        MultiLabelMetric::F1(Average::Samples),
    )
    .unwrap();
    assert_eq!(cv, [1.0; 4]);
    assert!(matches!(
        acc.search::<listening::models::MultiKnnParams>(&[], &x, &y),
        Err(Error::Parameter { .. })
    ));
}

// ---- scikit-learn agreement on a fixed table of real data ----

/// Training rows and labels, test rows and labels, label names.
type Table = (
    Array2<f64>,
    Array2<u8>,
    Array2<f64>,
    Array2<u8>,
    Vec<String>,
);

/// The fixture: `split` (train / test), the 11 standardised features, the 10 label columns.
fn fixture_table() -> Table {
    read_table(&std::fs::read_to_string(fixture("multilabel/lastfm_tidy_1500.csv")).unwrap())
}

/// A table as [`write_table`] writes it.
fn read_table(text: &str) -> Table {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let nf = FEATURES.len();
    let labels: Vec<String> = header[1 + nf..].iter().map(|s| s.to_string()).collect();
    let (mut xtr, mut ytr, mut xte, mut yte) = (vec![], vec![], vec![], vec![]);
    for l in lines {
        let cells: Vec<&str> = l.split(',').collect();
        let xs = cells[1..1 + nf].iter().map(|c| c.parse::<f64>().unwrap());
        let ys = cells[1 + nf..].iter().map(|c| c.parse::<u8>().unwrap());
        if cells[0] == "train" {
            xtr.extend(xs);
            ytr.extend(ys);
        } else {
            xte.extend(xs);
            yte.extend(ys);
        }
    }
    let l = labels.len();
    let m = |v: Vec<f64>| Array2::from_shape_vec((v.len() / nf, nf), v).unwrap();
    let n = |v: Vec<u8>| Array2::from_shape_vec((v.len() / l, l), v).unwrap();
    (m(xtr), n(ytr), m(xte), n(yte), labels)
}

/// The audio features of the fixture and the notebook, in this order.
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

// Printed by `python3 peer/sklearn_multilabel.py fixture` (scikit-learn 1.9.1, numpy 2.4.6):
// RandomForestClassifier() mean over random_state 0-4, KNeighborsClassifier() (k = 5, brute).
const SK_FOREST_SUBSET_ACCURACY: f64 = 0.2908;
const SK_FOREST_F1_MICRO: f64 = 0.658984313899575;
const SK_KNN_SUBSET_ACCURACY: f64 = 0.226;
const SK_KNN_F1_MICRO: f64 = 0.6324472960586618;
/// scikit-learn's metrics of its KNN's test predictions (knn_sklearn_pred.csv).
const SK_METRICS: [(&str, f64); 14] = [
    ("accuracy", 0.226),
    ("hamming_loss", 0.1604),
    ("precision_micro", 0.7395498392282959),
    ("recall_micro", 0.5524419535628503),
    ("f1_micro", 0.6324472960586618),
    ("precision_macro", 0.4808430004472798),
    ("recall_macro", 0.3035773490345027),
    ("f1_macro", 0.3581989520911934),
    ("precision_weighted", 0.6610076399112829),
    ("recall_weighted", 0.5524419535628503),
    ("f1_weighted", 0.5832581205892121),
    ("precision_samples", 0.7762),
    ("recall_samples", 0.6101666666666666),
    ("f1_samples", 0.639647619047619),
];

/// scikit-learn's KNN predictions on the fixture's test rows.
fn sklearn_knn_pred(labels: usize) -> Array2<u8> {
    let text = std::fs::read_to_string(fixture("multilabel/knn_sklearn_pred.csv")).unwrap();
    let v: Vec<u8> = text
        .lines()
        .skip(1)
        .flat_map(|l| {
            l.split(',')
                .map(|c| c.parse::<u8>().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    Array2::from_shape_vec((v.len() / labels, labels), v).unwrap()
}

#[test]
fn metrics_equal_scikit_learn_on_its_knn_predictions() {
    let (xtr, ytr, xte, yte, labels) = fixture_table();
    let sk = sklearn_knn_pred(labels.len());
    // Brute-force neighbours, uniform votes: the same predictions row for row.
    let ours = MultiKnn::params()
        .fit(&xtr, &ytr)
        .unwrap()
        .predict(&xte)
        .unwrap();
    assert_eq!(ours, sk);
    let averages = [
        ("micro", Average::Micro),
        ("macro", Average::Macro),
        ("weighted", Average::Weighted),
        ("samples", Average::Samples),
    ];
    for (name, want) in SK_METRICS {
        let metric = match name {
            "accuracy" => MultiLabelMetric::SubsetAccuracy,
            "hamming_loss" => MultiLabelMetric::HammingLoss,
            _ => {
                let (kind, avg) = name.split_once('_').unwrap();
                let a = averages.iter().find(|(n, _)| *n == avg).unwrap().1;
                match kind {
                    "precision" => MultiLabelMetric::Precision(a),
                    "recall" => MultiLabelMetric::Recall(a),
                    _ => MultiLabelMetric::F1(a),
                }
            }
        };
        assert_eq!(metric.name(), name);
        let got = metric.score(&yte, &sk).unwrap();
        assert!(
            (got - want).abs() < 1e-12,
            "{name}: ours {got}, scikit-learn {want}"
        );
    }
}

#[test]
fn forest_and_knn_agree_with_scikit_learn_within_2_points() {
    let (xtr, ytr, xte, yte, _) = fixture_table();
    let (mut acc, mut f1) = (0.0, 0.0);
    for seed in 0..5 {
        let m = MultiForest::random_forest()
            .seed(seed)
            .fit(&xtr, &ytr)
            .unwrap();
        let p = m.predict(&xte).unwrap();
        acc += subset_accuracy(&yte, &p).unwrap() / 5.0;
        f1 += f1_score(&yte, &p, Average::Micro).unwrap() / 5.0;
    }
    println!(
        "forest: subset accuracy {acc:.4} (scikit-learn {SK_FOREST_SUBSET_ACCURACY:.4}), micro-F1 {f1:.4} ({SK_FOREST_F1_MICRO:.4})"
    );
    assert!((acc - SK_FOREST_SUBSET_ACCURACY).abs() <= 0.02);
    assert!((f1 - SK_FOREST_F1_MICRO).abs() <= 0.02);
    let knn = MultiKnn::params().fit(&xtr, &ytr).unwrap();
    let p = knn.predict(&xte).unwrap();
    let (acc, f1) = (
        subset_accuracy(&yte, &p).unwrap(),
        f1_score(&yte, &p, Average::Micro).unwrap(),
    );
    println!(
        "knn: subset accuracy {acc:.4} (scikit-learn {SK_KNN_SUBSET_ACCURACY:.4}), micro-F1 {f1:.4} ({SK_KNN_F1_MICRO:.4})"
    );
    assert!((acc - SK_KNN_SUBSET_ACCURACY).abs() <= 0.02);
    assert!((f1 - SK_KNN_F1_MICRO).abs() <= 0.02);
}

/// The Last.fm artist-tag dataset of the notebook: TidyTuesday tracks × Last.fm artist top tags,
/// cleaned, the 9 most frequent without `rock`, the rest `misc`.
fn lastfm_tidy_dataset() -> MultiLabelDataset {
    let raw = datasets::load_tags("lastfm-artist-tags-mattsandy").unwrap();
    let clean = tags::clean_tags(&raw.df).unwrap();
    let counts = tags::tag_counts(&clean.df).unwrap();
    let top = tags::top_tags(&counts, 9, &["rock"]).unwrap();
    let cut = tags::bucket_tags(&clean.df, &top, "misc").unwrap();
    let cat = datasets::load_tracks("tidytuesday-spotify-songs").unwrap();
    let tagged = tags::tag_tracks(&cat.df, &cut).unwrap();
    multilabel_dataset(&cat.df, &tagged.df, &FEATURES).unwrap()
}

fn write_table(path: &std::path::Path, d: &MultiLabelDataset, rows: &[usize], n_train: usize) {
    let (mut x, y) = (
        d.x.select(ndarray::Axis(0), rows),
        d.y.select(ndarray::Axis(0), rows),
    );
    let scaler = StandardScaler::fit(&x.slice(ndarray::s![..n_train, ..]).to_owned()).unwrap();
    x = scaler.transform(&x).unwrap();
    let mut out = format!(
        "split,{},{}\n",
        FEATURES.join(","),
        d.binarizer.classes().join(",")
    );
    for i in 0..rows.len() {
        out.push_str(if i < n_train { "train" } else { "test" });
        for v in x.row(i) {
            out.push_str(&format!(",{v:?}"));
        }
        for v in y.row(i) {
            out.push_str(&format!(",{v}"));
        }
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// Writes the fixture (1,500 tracks of the notebook's dataset, seeded: 1,000 train, 500 test,
/// standardised on the training rows) and target/multilabel_full.csv (every track, 70/30, for
/// the grid timings of peer/README.md). Run once by hand:
/// `LISTENING_DATA_DIR=../shared/data cargo test --test it -- --ignored multilabel::write_fixture`.
#[test]
#[ignore]
fn write_fixture() {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    let d = lastfm_tidy_dataset();
    let mut rows: Vec<usize> = (0..d.y.nrows()).collect();
    rows.shuffle(&mut rand::rngs::StdRng::seed_from_u64(11));
    write_table(
        &fixture("multilabel/lastfm_tidy_1500.csv"),
        &d,
        &rows[..1500],
        1000,
    );
    let n_train = rows.len() - (rows.len() * 3).div_ceil(10);
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/multilabel_full.csv");
    write_table(&full, &d, &rows, n_train);
    println!("{d}");
}

#[test]
fn real_tag_sources_load_clean_and_join() {
    let names = [
        "lastfm-artist-tags-mattsandy",
        "lastfm-track-tags-chaeyeonkim",
        "billboard-hot100-artist-genres",
    ];
    if !names.iter().all(|n| have(n)) || !have("tidytuesday-spotify-songs") {
        return;
    }
    let loaded: Vec<tags::Tags> = names
        .iter()
        .map(|n| datasets::load_tags(n).unwrap())
        .collect();
    // Rows and skips checked with pandas: 109 track rows without tags; 1,600 Billboard rows with
    // no genre field and 2,557 with `[]`.
    let read: Vec<(usize, usize)> = loaded
        .iter()
        .map(|t| (t.report.rows_read, t.report.rows_loaded))
        .collect();
    assert_eq!(read, [(44_707, 44_707), (960, 851), (29_503, 25_346)]);
    assert_eq!(loaded[0].df.height(), 44_707);
    let d = lastfm_tidy_dataset();
    println!("{d}");
    assert_eq!(d.binarizer.classes().len(), 10);
    assert!(d.binarizer.classes().contains(&"misc".to_string()));
    assert!(!d.binarizer.classes().contains(&"rock".to_string()));
    assert!(d.x.nrows() > 5_000, "{d}");
}

/// The grids of `python3 peer/sklearn_multilabel.py full`, timed on target/multilabel_full.csv
/// (written by [`write_fixture`]): best of 3 runs of each whole grid search, and the best
/// candidate's test scores. Figures in peer/README.md. Run with
/// `cargo test --release --test it -- --ignored --nocapture multilabel::peer_grid_times`.
#[test]
#[ignore]
fn peer_grid_times() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/multilabel_full.csv");
    let (xtr, ytr, xte, yte, labels) = read_table(&std::fs::read_to_string(path).unwrap());
    println!(
        "{} train / {} test rows, {} labels",
        ytr.nrows(),
        yte.nrows(),
        labels.len()
    );
    let search = MultiLabelSearch::new(MultiLabelMetric::SubsetAccuracy)
        .folds(3)
        .seed(0);
    let knn = ParamGrid::new(MultiKnn::params())
        .axis("k", &[5, 15, 30], |p, &k| p.k(k))
        .axis("weights", &[Weights::Uniform, Weights::Distance], |p, w| {
            p.weights(*w)
        })
        .axis("metric", &[Metric::Euclidean, Metric::Manhattan], |p, m| {
            p.metric(*m)
        });
    time_grid("knn", &search, knn.candidates(), (&xtr, &ytr, &xte, &yte));
    let forest = ParamGrid::new(MultiForest::random_forest().n_estimators(100).seed(0))
        .axis("max_depth", &[None, Some(10), Some(20)], |p, d| {
            p.max_depth(*d)
        })
        .axis("min_samples_leaf", &[1, 2], |p, &l| p.min_samples_leaf(l));
    time_grid(
        "random forest",
        &search,
        forest.candidates(),
        (&xtr, &ytr, &xte, &yte),
    );
}

fn time_grid<P: FitMultiLabel>(
    name: &str,
    search: &MultiLabelSearch,
    candidates: &[(String, P)],
    (xtr, ytr, xte, yte): (&Array2<f64>, &Array2<u8>, &Array2<f64>, &Array2<u8>),
) {
    let mut best = f64::INFINITY;
    let mut result = None;
    for _ in 0..3 {
        let r = search.search(candidates, xtr, ytr).unwrap();
        best = best.min(r.seconds);
        result = Some(r);
    }
    let r = result.unwrap();
    let p = r.best_params().fit(xtr, ytr).unwrap().predict(xte).unwrap();
    println!(
        "{name}: grid {best:.2} s ({} candidates x 3 folds), best {} CV {:.4}; test subset accuracy {:.4}, micro-F1 {:.4}",
        candidates.len(),
        r.best_name(),
        r.best_score(),
        subset_accuracy(yte, &p).unwrap(),
        f1_score(yte, &p, Average::Micro).unwrap()
    );
}
