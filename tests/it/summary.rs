//! The notebook-level helpers of `evaluation::summary`: several models in one call, the grid of
//! confusion matrices, a standardised split.

use listening::evaluation::{self, GRID_WIDTH, Models, TrainTest, confusion_grid};
use listening::models::{Classifier, Knn};
use ndarray::Array2;

/// Two classes apart on the first feature; the second feature is on a much larger scale.
fn split() -> TrainTest {
    let n = 40;
    let x = Array2::from_shape_fn((n, 2), |(i, j)| {
        let class = (i % 2) as f64;
        if j == 0 {
            class * 3.0 + (i as f64 * 0.37).sin()
        } else {
            1000.0 + (i as f64 * 7.0) % 13.0
        }
    });
    let y: Vec<usize> = (0..n).map(|i| i % 2).collect();
    evaluation::train_test_split(&x, &y, 0.25, 7).unwrap()
}

#[test]
fn models_fit_in_one_call_and_tabulate_their_accuracy() {
    let s = split();
    let knns: Models<Knn> = Models::fit(
        &[("1-nn", Knn::params().k(1)), ("5-nn", Knn::params().k(5))],
        &s,
    )
    .unwrap();
    assert_eq!(knns.names(), ["1-nn", "5-nn"]);
    let table = knns.table(&s).unwrap();
    assert_eq!(table.shape(), (2, 4));
    let names: Vec<&str> = table
        .get_column_names()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(names, ["model", "settings", "accuracy_pct", "fit_seconds"]);
    // The percentages are the models' own scores on the test rows, to 2 decimals.
    let pct: Vec<f64> = table
        .column("accuracy_pct")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    for (p, name) in pct.iter().zip(["1-nn", "5-nn"]) {
        let score = knns.get(name).unwrap().score(&s.x_test, &s.y_test).unwrap();
        assert_eq!(*p, (score * 10_000.0).round() / 100.0);
    }
    assert_eq!(pct, knns.accuracy_pct(&s).unwrap());
    let settings = table
        .column("settings")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .to_string();
    assert!(!settings.is_empty());
    // A model-specific column beside the table, and the confusion matrices of each.
    let k = knns.column("rows", |m| m.n_features() as u64);
    assert_eq!(k.len(), 2);
    let labels = vec!["even".to_string(), "odd".to_string()];
    let cms = knns.confusion_matrices(&s, &labels).unwrap();
    assert_eq!(cms.len(), 2);
    assert_eq!(cms[0].total(), s.y_test.len());
    // Unknown names and no settings are errors that say what there is.
    let err = knns.get("svm").unwrap_err().to_string();
    assert!(err.contains("1-nn, 5-nn"), "{err}");
    let none: &[(&str, listening::models::KnnParams)] = &[];
    assert!(Models::fit(none, &s).is_err());
}

#[test]
fn confusion_matrices_share_one_grid_of_bounded_width() {
    let s = split();
    let knns: Models<Knn> = Models::fit(
        &[
            ("a", Knn::params().k(1)),
            ("b", Knn::params().k(3)),
            ("c", Knn::params().k(5)),
        ],
        &s,
    )
    .unwrap();
    let labels = vec!["even".to_string(), "odd".to_string()];
    let cms = knns.confusion_matrices(&s, &labels).unwrap();
    let fig = confusion_grid(&[("A", &cms[0]), ("B", &cms[1]), ("C", &cms[2])], 2).unwrap();
    let (w, h) = fig.size();
    assert!((GRID_WIDTH - 2..=GRID_WIDTH).contains(&w), "{w}");
    // Three panels in two columns: two rows, one nested document each, titles kept.
    assert_eq!(fig.as_svg().matches("<svg").count(), 4);
    assert!(h > w / 2, "two rows: {w} x {h}");
    for t in ["A", "B", "C", "predicted", "true"] {
        assert!(fig.as_svg().contains(&format!(">\n{t}\n</text>")), "{t}");
    }
    assert!(confusion_grid(&[], 2).is_err());
    assert!(confusion_grid(&[("A", &cms[0])], 0).is_err());
}

#[test]
fn a_split_standardises_on_its_training_rows() {
    let s = split();
    let z = s.standardized().unwrap();
    assert_eq!(
        (z.y_train.clone(), z.y_test.clone(), z.fold.clone()),
        (s.y_train.clone(), s.y_test.clone(), s.fold.clone())
    );
    for j in 0..2 {
        let col = z.x_train.column(j);
        let mean = col.mean().unwrap();
        let sd = (col.mapv(|v| (v - mean).powi(2)).mean().unwrap()).sqrt();
        assert!(
            mean.abs() < 1e-9 && (sd - 1.0).abs() < 1e-9,
            "column {j}: mean {mean}, sd {sd}"
        );
    }
    // The test rows use the training statistics, not their own.
    let m = s.x_train.column(1).mean().unwrap();
    let sd = (s
        .x_train
        .column(1)
        .mapv(|v| (v - m).powi(2))
        .mean()
        .unwrap())
    .sqrt();
    assert!((z.x_test[[0, 1]] - (s.x_test[[0, 1]] - m) / sd).abs() < 1e-9);
}

#[test]
fn digest_figures_of_one_subject_sit_beside_the_write_up() {
    use listening::{analysis, digest, schema};
    use polars::prelude::*;
    let mut described = vec!["track_duration_ms"];
    described.extend(schema::AUDIO_FEATURES);
    assert_eq!(digest::DESCRIBED.to_vec(), described);
    let df = df!(
        "energy" => [Some(0.2), None, Some(0.6)],
        "danceability" => [0.5, 0.5, 0.5],
        "name" => ["a", "b", "c"],
    )
    .unwrap();
    assert!((digest::mean(&df, "energy") - 0.4).abs() < 1e-12);
    assert!(digest::mean(&df, "missing").is_nan());
    assert_eq!(digest::min_max(&df, "energy").unwrap(), (0.2, 0.6));
    assert!(digest::min_max(&df, "missing").is_err());
    let empty = df!("x" => [None::<f64>, None]).unwrap();
    assert!(
        digest::min_max(&empty, "x")
            .unwrap_err()
            .to_string()
            .contains("at least one number")
    );

    let summary = analysis::Summary {
        plays: 1805,
        first: None,
        last: None,
        span_days: 2,
        active_days: 2,
        plays_with_duration: 1805,
        minutes: 1440.0 * 4.0,
        plays_with_features: None,
        duration_column: "ms_played".into(),
    };
    let w = [
        "freddie gibbs",
        "1,805",
        "4",
        "4.90",
        "0.573",
        "0.676",
        "0.290",
        "0.512",
    ];
    let t = digest::subject_beside("artist", "freddie gibbs", &summary, &df, &w).unwrap();
    assert_eq!(t.shape(), (8, 3));
    let ours: Vec<&str> = t
        .column("this notebook")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(&ours[..2], ["freddie gibbs", "1,805"]);
    assert_eq!(ours[2], format!("{:.2}", summary.days_listening()));
    assert_eq!(ours[4], "0.500"); // mean danceability
    assert_eq!(ours[5], "0.400"); // mean energy, nulls left out
    assert_eq!(ours[6], "NaN"); // no speechiness column
    let years = df!("year" => [2022i32, 2023], "mean_hours" => [Some(3.214), None]).unwrap();
    assert_eq!(
        digest::pairs(&years, "year", "mean_hours", ": ", 2).unwrap(),
        "2022: 3.21, 2023: no data"
    );
    assert_eq!(
        digest::pairs(&df, "name", "energy", " ", 1).unwrap(),
        "a 0.2, b no data, c 0.6"
    );
    assert!(digest::pairs(&df, "name", "name", " ", 1).is_err());
    assert!(digest::pairs(&df, "nope", "energy", " ", 1).is_err());
    let err = digest::subject_beside("artist", "x", &summary, &df, &w[..3])
        .unwrap_err()
        .to_string();
    assert!(err.contains("8 values"), "{err}");
}

#[test]
fn named_tracks_are_predicted_or_left_out_with_a_reason() {
    use listening::evaluation::predict_named;
    use polars::prelude::*;
    // Class 0 below 0.5 on the one feature, class 1 above.
    let x = Array2::from_shape_vec((4, 1), vec![0.1, 0.2, 0.8, 0.9]).unwrap();
    let model = listening::models::Fit::fit(&Knn::params().k(1), &x, &[0, 0, 1, 1]).unwrap();
    let catalogue = df!(
        "name" => ["Low", "High", "Seen"],
        "artists" => ["A", "B", "C"],
        "track_id" => ["t1", "t2", "t3"],
        "energy" => [0.15, 0.85, 0.5],
    )
    .unwrap();
    let classes = vec!["calm".to_string(), "loud".to_string()];
    let asked = [
        ("Low", "A", "calm"),
        ("High", "B", "calm"),
        ("Seen", "C", "loud"),
        ("Absent", "D", "loud"),
    ];
    let p = predict_named(
        &model,
        &catalogue,
        &["energy"],
        &classes,
        &["t3".to_string()],
        &asked,
    )
    .unwrap();
    assert_eq!((p.right, p.tried), (1, 2));
    assert_eq!(p.accuracy(), 0.5);
    let predicted: Vec<Option<&str>> = p
        .table
        .column("predicted")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(predicted, [Some("calm"), Some("loud"), None, None]);
    let correct: Vec<Option<bool>> = p
        .table
        .column("correct")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(correct, [Some(true), Some(false), None, None]);
    let notes: Vec<&str> = p
        .table
        .column("note")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(
        notes,
        ["", "", "in the training data", "not in the catalogue"]
    );
    assert!(predict_named(&model, &catalogue, &["missing"], &classes, &[], &asked).is_err());
}
