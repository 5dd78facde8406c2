//! The calls the notebooks make in place of plumbing: options set in one chain, the closing
//! comparisons with a write-up, frames labelled by class, picks and samples of rows.

use crate::common::*;
use listening::analysis::{self, TopBy, TopOptions};
use listening::plots::{self, BarOptions, BarsOptions, LineOptions, PieOptions};
use listening::{bridge, digest, evaluation, models};
use ndarray::Array2;
use polars::prelude::*;

/// Plays at minute `i` of 2021-01-01 + `day` days: (day, artist, track, ms_played, track_id).
/// (day, artist, track, ms played, track id) of one play.
type PlayRow<'a> = (i64, &'a str, &'a str, Option<i64>, Option<&'a str>);

fn plays(rows: &[PlayRow]) -> DataFrame {
    let start = chrono::NaiveDate::from_ymd_opt(2021, 1, 1)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    let t = Int64Chunked::from_vec(
        "played_at".into(),
        rows.iter()
            .enumerate()
            .map(|(i, r)| start + r.0 * 86_400_000 + i as i64 * 60_000)
            .collect(),
    )
    .into_datetime(TimeUnit::Milliseconds, None)
    .into_series()
    .into_column();
    let col = |name: &str, v: Vec<Option<&str>>| Column::new(name.into(), v);
    DataFrame::new(
        rows.len(),
        vec![
            t,
            col("artist", rows.iter().map(|r| Some(r.1)).collect()),
            col("album", rows.iter().map(|_| None).collect()),
            col("track", rows.iter().map(|r| Some(r.2)).collect()),
            Column::new(
                "ms_played".into(),
                rows.iter().map(|r| r.3).collect::<Vec<_>>(),
            ),
            col("track_id", rows.iter().map(|r| r.4).collect()),
        ],
    )
    .unwrap()
}

/// A catalogue of two tracks with every audio feature (energy 0.8 and 0.4).
fn catalogue() -> DataFrame {
    let mut df = df!(
        "track_id" => ["id1", "id2"],
        "name" => ["Thuggin'", "Crime Pays"],
        "artists" => ["Freddie Gibbs", "Freddie Gibbs"],
        "album" => ["Piñata", "Bandana"],
        "duration_ms" => [200_000i64, 250_000],
        "popularity" => [50i64, 60],
        "label" => [Some("rap"), None::<&str>],
        "energy" => [0.8, 0.4],
    )
    .unwrap();
    for f in listening::schema::AUDIO_FEATURES {
        if f != "energy" {
            df.with_column(Column::new(f.into(), [0.5f64, 0.5]))
                .unwrap();
        }
    }
    analysis::combine_tracks(&[df]).unwrap()
}

fn history() -> analysis::Joined {
    let df = plays(&[
        (0, "Freddie Gibbs", "Thuggin'", Some(180_000), Some("id1")),
        (0, "Freddie Gibbs", "Thuggin'", Some(10_000), Some("id1")),
        (1, "Freddie Gibbs", "Crime Pays", Some(240_000), None),
        (1, "JID", "Never", Some(120_000), None),
        (2, "JID", "Never", Some(120_000), None),
        (2, "JID", "Never", Some(120_000), None),
    ]);
    analysis::join_features(&df, &catalogue()).unwrap()
}

fn texts(df: &DataFrame, column: &str) -> Vec<String> {
    strs(df, column).into_iter().map(Option::unwrap).collect()
}

#[test]
fn options_are_set_in_one_chain() {
    let l = LineOptions::titled("t")
        .y_range(0.0, 1.0)
        .y_label("h")
        .no_legend()
        .width(1000);
    let expected = LineOptions {
        title: "t".into(),
        y_range: Some((0.0, 1.0)),
        y_label: Some("h".into()),
        legend: false,
        width: 1000,
        ..Default::default()
    };
    assert_eq!(l, expected);
    assert_eq!(LineOptions::titled("t").size(900, 300).height, 300);
    let b = BarOptions::titled("b").value_label("hours").height_for(40);
    assert_eq!(
        (b.title.as_str(), b.height, b.width),
        ("b", 40 * 22 + 80, 800)
    );
    assert_eq!(b.value_label.as_deref(), Some("hours"));
    assert_eq!(
        BarOptions::titled("b").size(500, 320).height(640).height,
        640
    );
    let g = BarsOptions::titled("g").y_range(0.0, 1.0);
    assert_eq!(g.y_range, Some((0.0, 1.0)));
    assert!(g.legend && !BarsOptions::titled("g").no_legend().legend);
    let p = PieOptions::titled("p").size(560, 420);
    assert_eq!((p.width, p.height, p.without_zeros), (560, 420, false));
}

#[test]
fn a_pie_without_zeros_is_the_pie_of_the_other_rows() {
    let with_zero = df!("case" => ["a", "none", "b"], "plays" => [3i64, 0, 1]).unwrap();
    let without = df!("case" => ["a", "b"], "plays" => [3i64, 1]).unwrap();
    let opts = PieOptions::titled("p");
    let dropped = plots::pie(&with_zero, "case", "plays", &opts.clone().without_zeros()).unwrap();
    let filtered = plots::pie(&without, "case", "plays", &opts).unwrap();
    assert_eq!(dropped.as_svg(), filtered.as_svg());
    let kept = plots::pie(&with_zero, "case", "plays", &opts).unwrap();
    assert!(kept.as_svg().contains("none (0.0%)"));
    assert!(!dropped.as_svg().contains("none ("));
}

#[test]
fn top_by_leaves_out_short_plays_and_picks_the_most_played_with_features() {
    let j = history();
    let all = analysis::top_by(&j.df, &["artist"], &TopOptions::top(5).by(TopBy::Plays)).unwrap();
    assert_eq!(ints(&all, "plays"), [Some(3), Some(3)]);
    let long = TopOptions::top(5).by(TopBy::Plays).longer_than_ms(30_000.0);
    let counted = analysis::top_by(&j.df, &["artist"], &long).unwrap();
    assert_eq!(texts(&counted, "artist"), ["JID", "Freddie Gibbs"]);
    assert_eq!(ints(&counted, "plays"), [Some(3), Some(2)]);
    // JID has the most plays, but none with features.
    let pick = analysis::most_played_with_features(&j.df, &["track", "artist"]).unwrap();
    assert_eq!(pick, ["Thuggin'", "Freddie Gibbs"]);
    let featureless = j.df.drop("energy").unwrap();
    assert!(analysis::most_played_with_features(&featureless, &["artist"]).is_err());
    let no_match = analysis::filter_ci(&j.df, &[("artist", "jid")]).unwrap();
    let err = analysis::most_played_with_features(&no_match, &["artist"]).unwrap_err();
    assert!(
        err.to_string().contains("none with audio features"),
        "{err}"
    );
}

#[test]
fn genre_playlists_and_most_popular_tracks() {
    let members = df!(
        "playlist" => ["genre_rock", "mix", "genre_jazz", "genre_rock", "genre_unsorted"],
        "track_id" => ["a", "b", "c", "d", "e"],
    )
    .unwrap();
    assert_eq!(
        analysis::genre_playlists(&members).unwrap(),
        ["genre_jazz", "genre_rock"]
    );
    assert!(analysis::genre_playlists(&df!("x" => [1]).unwrap()).is_err());
    let tracks = df!(
        "track_id" => ["t3", "t1", "t2", "t4"],
        "name" => ["c", "a", "b", "d"],
        "artists" => ["C", "A", "B", "D"],
        "popularity" => [70i64, 90, 70, 99],
        "label" => ["rock", "rock", "rock", "pop"],
    )
    .unwrap();
    let hits = analysis::most_popular(&tracks, "label", "rock", 2).unwrap();
    assert_eq!(
        hits.get_column_names()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        ["track_id", "name", "artists", "popularity"]
    );
    assert_eq!(texts(&hits, "track_id"), ["t1", "t2"]);
    assert!(analysis::most_popular(&tracks, "genre", "rock", 2).is_err());
}

#[test]
fn closing_comparisons_put_the_notebook_beside_the_write_up() {
    let j = history();
    let summary = analysis::summary(&j.df, "ms_played").unwrap();
    let hours = analysis::HoursPerDay {
        daily: DataFrame::empty(),
        weekly: df!("hours" => [1.04, 8.56, 3.0]).unwrap(),
        fits: df!("year" => [2021i32], "mean_hours" => [3.214]).unwrap(),
    };
    let w = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
    let t = digest::history_beside(&summary, &j, &hours, &w).unwrap();
    assert_eq!(t.shape(), (9, 3));
    let ours = texts(&t, "this notebook");
    assert_eq!(ours[0], "6");
    assert_eq!(ours[2], format!("{:.1} %", 100.0 * j.coverage.play_share()));
    assert_eq!(ours[3], format!("{:.3}", digest::mean(&j.df, "energy")));
    assert_eq!(&ours[7..], ["1.0 – 8.6", "2021: 3.21"]);
    assert!(digest::history_beside(&summary, &j, &hours, &w[..8]).is_err());

    let members = df!("playlist" => ["gibbs", "gibbs"], "track_id" => ["id1", "id2"]).unwrap();
    let tied = analysis::playlist_plays(&j.df, &members, &catalogue()).unwrap();
    let stats = analysis::playlist_stats(&tied, &members, &catalogue(), "ms_played").unwrap();
    let w = ["gibbs", "", "", "", "", "", ""];
    let t = digest::playlist_beside("gibbs", &summary, &stats, &tied, &w).unwrap();
    let ours = texts(&t, "this notebook");
    assert_eq!(
        ours[6],
        format!("{} / {}", tied.plays_by_id, tied.plays_by_name)
    );
    assert!(ours[4].starts_with("gibbs "), "{}", ours[4]);
    assert!(digest::playlist_beside("gibbs", &summary, &stats, &tied, &w[..2]).is_err());

    let missing = analysis::unmatched_tracks(&j).unwrap();
    let lastfm = plays(&[(0, "Freddie Gibbs", "Thuggin'", None, None)]);
    let no_ids = analysis::join_features(&lastfm, &catalogue()).unwrap();
    let none_missing = analysis::unmatched_tracks(&no_ids).unwrap().head(Some(0));
    let t = digest::coverage_beside(
        ("write-up", &["a", "b", "c", "d", "e"]),
        &[("ids", &j, &missing), ("no ids", &no_ids, &none_missing)],
    )
    .unwrap();
    assert_eq!(
        t.get_column_names()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        ["figure", "write-up", "ids", "no ids"]
    );
    let ids = texts(&t, "ids");
    assert_eq!(ids[1], format!("{:.2} %", 100.0 * 2.0 / 6.0));
    assert_eq!(ids[3], missing.height().to_string());
    assert_eq!(ids[4], "JID – Never (3)");
    assert_eq!(texts(&t, "no ids")[1], "0 % (the export has none)");
    assert_eq!(texts(&t, "no ids")[4], "none");
    assert!(digest::coverage_beside(("w", &["a"]), &[("ids", &j, &missing)]).is_err());
}

#[test]
fn frames_labelled_by_class_and_first_rows() {
    let x = Array2::from_shape_vec((3, 2), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    let classes = vec!["low".to_string(), "high".to_string()];
    let df = bridge::labelled(&x, &["a", "b"], "class", &[0, 1, 1], &classes).unwrap();
    assert_eq!(
        df.get_column_names()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        ["a", "b", "class"]
    );
    assert_eq!(texts(&df, "class"), ["low", "high", "high"]);
    assert!(bridge::labelled(&x, &["a", "b"], "class", &[0, 1], &classes).is_err());
    let err = bridge::class_column("class", &[0, 2], &classes).unwrap_err();
    assert!(err.to_string().contains("2 at row 1"), "{err}");
    assert_eq!(evaluation::first_rows(&x, 2).row(1).to_vec(), [3.0, 4.0]);
    assert_eq!(evaluation::first_rows(&x, 10).nrows(), 3);
}

#[test]
fn an_embedding_labelled_by_class() {
    let x = Array2::from_shape_fn((30, 3), |(i, j)| {
        ((i * 7 + j * 3) % 11) as f64 + if i < 15 { 0.0 } else { 20.0 }
    });
    let e = models::Umap::params()
        .n_neighbors(5)
        .seed(0)
        .fit_transform(&x)
        .unwrap();
    let codes: Vec<usize> = (0..30).map(|i| i / 15).collect();
    let classes = vec!["first".to_string(), "second".to_string()];
    let df = e.labelled("blob", &codes, &classes).unwrap();
    assert_eq!(
        df.get_column_names()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        ["umap1", "umap2", "blob"]
    );
    assert_eq!(texts(&df, "blob")[29], "second");
    assert!(e.labelled("blob", &codes[..29], &classes).is_err());
}

#[test]
fn the_write_up_classes_and_features_are_crate_constants() {
    assert_eq!(&models::MLP_FEATURES[..7], &listening::schema::DESCRIPTORS);
    assert_eq!(&models::MLP_FEATURES[7..], ["mode", "loudness", "tempo"]);
    assert_eq!(models::SIX_GENRES.len(), 6);
    assert!(models::SIX_GENRES.iter().all(|g| g.starts_with("genre_")));
}
