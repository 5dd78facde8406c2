//! The ratings loader: columns found by name, ids cut from URIs and links, rows without a rating
//! or a track counted, ranks scored by deciles, and ratings joined to audio features.

use crate::common::{fixture, floats, strs};
use crate::real_data::have;
use listening::Error;
use listening::datasets;
use listening::loaders::ratings::{
    RATING, RatingsColumns, SKIP_NO_RATING, SKIP_NO_TRACK, rank_scores, rate_tracks, read_ratings,
    read_ratings_with, spotify_id,
};
use listening::schema::{AUDIO_FEATURES, tracks};
use polars::prelude::*;

#[test]
fn csv_columns_by_name_and_skips_counted_with_lines() {
    let r = read_ratings(fixture("ratings/by_name.csv")).unwrap();
    assert_eq!(r.report.rows_read, 5);
    assert_eq!(r.report.rows_loaded, 3);
    assert_eq!(r.report.skipped[SKIP_NO_RATING], 1);
    assert_eq!(r.report.skipped[SKIP_NO_TRACK], 1);
    // Data rows start at line 2: "seven" is on line 3, the row without a title on line 4.
    assert!(r.report.skipped_examples[0].ends_with(":3 (no rating (empty or not a number))"));
    assert!(r.report.skipped_examples[1].contains(":4 ("));
    assert_eq!(
        strs(&r.df, "track_id"),
        vec![
            Some("AAAAAAAAAAAAAAAAAAAAAA".into()),
            Some("BBBBBBBBBBBBBBBBBBBBBB".into()),
            None
        ]
    );
    assert_eq!(
        floats(&r.df, RATING),
        vec![Some(8.0), Some(10.0), Some(3.0)]
    );
}

#[test]
fn ids_from_uris_and_links() {
    assert_eq!(
        spotify_id("spotify:track:4uLU6hMCjMI75M1A2tKUQC"),
        "4uLU6hMCjMI75M1A2tKUQC"
    );
    assert_eq!(
        spotify_id("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=abc"),
        "4uLU6hMCjMI75M1A2tKUQC"
    );
    assert_eq!(
        spotify_id(" 4uLU6hMCjMI75M1A2tKUQC "),
        "4uLU6hMCjMI75M1A2tKUQC"
    );
}

#[test]
fn missing_columns_are_named() {
    let e = read_ratings(fixture("ratings/no_rating.csv")).unwrap_err();
    assert!(
        matches!(&e, Error::MissingColumn { column, found, .. }
            if column.contains("rating") && found.contains("comment")),
        "{e}"
    );
    // A rating but neither an id nor an artist: the track cannot be found.
    let e = read_ratings(fixture("ratings/no_artist.csv")).unwrap_err();
    assert!(
        e.to_string().contains("track id, or artist and title"),
        "{e}"
    );
    // A named column the file lacks.
    let cols = RatingsColumns::new("stars").artist("who").track("title");
    let e = read_ratings_with(fixture("ratings/no_artist.csv"), &cols).unwrap_err();
    assert!(e.to_string().contains("`who`"), "{e}");
}

#[test]
fn ranks_scored_in_equal_bins_best_first() {
    let df = df!("rank" => (1..=20).collect::<Vec<i64>>()).unwrap();
    let s = floats(&rank_scores(&df, "rank", 10).unwrap(), RATING);
    let s: Vec<f64> = s.into_iter().map(Option::unwrap).collect();
    assert_eq!(&s[..4], &[10.0, 10.0, 9.0, 9.0]);
    assert_eq!(&s[18..], &[1.0, 1.0]);
    for score in 1..=10 {
        assert_eq!(s.iter().filter(|&&v| v == f64::from(score)).count(), 2);
    }
    assert!(rank_scores(&df, "rank", 0).is_err());
}

/// A two-row catalogue: one track found by id, one by name.
fn catalogue() -> DataFrame {
    let mut cols = vec![
        Column::new(
            tracks::TRACK_ID.into(),
            ["AAAAAAAAAAAAAAAAAAAAAA", "CCCCCCCCCCCCCCCCCCCCCC"],
        ),
        Column::new(tracks::NAME.into(), ["Prelude in C", "Unknown Song"]),
        Column::new(tracks::ARTISTS.into(), ["Bach", "Nobody"]),
        Column::new(tracks::ALBUM.into(), ["x", "y"]),
        Column::new(tracks::DURATION_MS.into(), [1000i64, 2000]),
        Column::new(tracks::POPULARITY.into(), [1i64, 2]),
        Column::new(tracks::LABEL.into(), ["a", "b"]),
    ];
    for (i, f) in AUDIO_FEATURES.iter().enumerate() {
        cols.push(Column::new((*f).into(), [i as f64, 10.0 + i as f64]));
    }
    DataFrame::new(2, cols).unwrap()
}

#[test]
fn ratings_join_by_id_then_name_and_unmatched_are_counted() {
    let r = read_ratings(fixture("ratings/by_name.csv")).unwrap();
    let rated = rate_tracks(&r.df, &catalogue()).unwrap();
    assert_eq!(
        (rated.ratings, rated.from_file, rated.by_id, rated.by_name),
        (3, 0, 1, 1)
    );
    assert_eq!(rated.unmatched_count(), 1);
    assert_eq!(strs(&rated.unmatched, "track"), vec![Some("Aria".into())]);
    assert_eq!(rated.df.height(), 2);
    assert_eq!(floats(&rated.df, "energy"), vec![Some(1.0), Some(11.0)]);
    assert_eq!(floats(&rated.df, RATING), vec![Some(8.0), Some(3.0)]);
    assert!(rated.to_string().contains("1 without features"), "{rated}");
}

#[test]
fn listen_rank_2323_tracks_in_deciles_with_their_own_features() {
    if !have("preference-listen-rank") {
        return;
    }
    let r = datasets::load_ratings("preference-listen-rank").unwrap();
    assert_eq!(r.report.rows_loaded, 2323);
    assert_eq!(r.report.skipped_total(), 0);
    let s: Vec<f64> = floats(&r.df, RATING)
        .into_iter()
        .map(Option::unwrap)
        .collect();
    for score in 1..=10 {
        let n = s.iter().filter(|&&v| v == f64::from(score)).count();
        assert!((232..=233).contains(&n), "score {score}: {n} tracks");
    }
    // The file carries 11 audio features (no time signature): no catalogue needed.
    let rated = rate_tracks(&r.df, &catalogue()).unwrap();
    assert_eq!((rated.from_file, rated.unmatched_count()), (2323, 0));
}

#[test]
fn liked_disliked_9946_tracks() {
    if !have("preference-liked-disliked-roger-roig") {
        return;
    }
    let r = datasets::load_ratings("preference-liked-disliked-roger-roig").unwrap();
    assert_eq!(r.report.rows_loaded, 9946);
    let liked = floats(&r.df, RATING)
        .iter()
        .filter(|v| **v == Some(1.0))
        .count();
    assert_eq!((liked, 9946 - liked), (6791, 3155));
}
