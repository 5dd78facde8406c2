//! Write-up 004's super-genre map and the per-group summaries.

use crate::common::*;
use listening::analysis::{SUPER_GENRES, first_per, group_means, super_genres, with_super_genre};
use polars::prelude::*;

#[test]
fn the_map_assigns_every_genre_to_one_of_the_eight() {
    let map = super_genres().unwrap();
    assert_eq!(map.height(), 114);
    let supers = strs(&map, "super_genre");
    assert!(
        supers
            .iter()
            .all(|s| SUPER_GENRES.contains(&s.as_deref().unwrap()))
    );
    for s in SUPER_GENRES {
        assert!(
            supers.iter().any(|x| x.as_deref() == Some(s)),
            "{s} has no genre"
        );
    }
    let genres = strs(&map, "genre");
    let mut distinct = genres.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 114, "a genre is listed twice");
}

#[test]
fn every_genre_of_the_114_genre_sample_is_mapped() {
    if !crate::real_data::have("spotify-tracks-114k-sample") {
        return;
    }
    let c = listening::datasets::load_tracks("spotify-tracks-114k-sample").unwrap();
    let df = with_super_genre(&c.df, "label").unwrap();
    assert_eq!(df.height(), 10_000);
    assert_eq!(df.column("super_genre").unwrap().null_count(), 0);
    let firsts = first_per(&c.df, "track_id").unwrap();
    assert!(firsts.height() <= 10_000);
    let means = group_means(&df, "super_genre", &["energy", "acousticness"]).unwrap();
    assert_eq!(means.height(), 8);
    let rows: i64 = ints(&means, "rows").iter().flatten().sum();
    assert_eq!(rows, 10_000);
}

#[test]
fn an_unknown_genre_is_named() {
    let df = DataFrame::new(2, vec![Column::new("label".into(), ["rock", "vaporwave"])]).unwrap();
    let e = with_super_genre(&df, "label").unwrap_err();
    assert!(e.to_string().contains("vaporwave"), "{e}");
}

#[test]
fn counts_are_sorted_and_shares_add_up() {
    let df = DataFrame::new(
        5,
        vec![Column::new(
            "g".into(),
            [Some("b"), Some("a"), Some("b"), None, Some("a")],
        )],
    )
    .unwrap();
    let c = listening::analysis::counts(&df, "g").unwrap();
    assert_eq!(
        strs(&c, "g"),
        vec![Some("b".into()), Some("a".into()), Some("null".into())]
    );
    assert_eq!(ints(&c, "rows"), vec![Some(2), Some(2), Some(1)]);
    let total: f64 = floats(&c, "share").iter().flatten().sum();
    assert!((total - 1.0).abs() < 1e-12);
}

#[test]
fn importance_table_sorts_and_checks_lengths() {
    let t = listening::evaluation::importance_table(
        &["a", "b"],
        &ndarray::Array1::from(vec![0.2, 0.8]),
    )
    .unwrap();
    assert_eq!(
        strs(&t, "feature"),
        vec![Some("b".into()), Some("a".into())]
    );
    assert!(
        listening::evaluation::importance_table(&["a"], &ndarray::Array1::from(vec![0.2, 0.8]))
            .is_err()
    );
}
