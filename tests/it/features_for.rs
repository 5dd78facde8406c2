//! `features_for`: sources tried in order, provenance per play, a coverage table that accounts
//! for every play and every distinct track; on the shared histories, the same matches as
//! `join_features` where the sources are the same catalogue by id then by name.

use crate::common::*;
use crate::real_data::have;
use listening::analysis::{combine_tracks, join_features};
use listening::datasets;
use listening::features::sources::{
    FEATURE_MATCHED_BY, FEATURE_SOURCE, FeatureSource, MISSING, PlaysWithFeatures, features_for,
};
use polars::prelude::*;

fn plays() -> DataFrame {
    // 8 plays of 6 distinct tracks (normalised names).
    df!(
        "played_at" => [1i64, 2, 3, 4, 5, 6, 7, 8],
        "artist" => ["A", "A", "The B", "C", "C", "D", "E", "a"],
        "track" => ["One", "One", "Two (Remastered 2011)", "Three", "Three", "Four", "Five", "one"],
        "track_id" => [Some("id1"), None, None, Some("id3"), Some("zzz"), None, None, None],
        "recording_mbid" => [None, None, Some("00000000-0000-4000-8000-00000000000B"), None, None, Some("00000000-0000-4000-8000-00000000000d"), None, None],
    )
    .unwrap()
}

fn catalogue() -> DataFrame {
    df!(
        "track_id" => ["id1", "id3", "id5"],
        "name" => ["One", "Three", "Five"],
        "artists" => ["A", "C", "E;F"],
        "energy" => [0.1, 0.3, 0.5],
        "tempo" => [100.0, 130.0, 150.0],
        "key" => [1i64, 3, 5],
    )
    .unwrap()
}

fn acousticbrainz() -> DataFrame {
    df!(
        "mbid" => ["00000000-0000-4000-8000-00000000000b", "00000000-0000-4000-8000-00000000000d"],
        "submission_offset" => [0i64, 0],
        "tempo" => [90.5, 70.0],
        "key" => [Some(2i64), None],
        "valence" => [0.25, 0.75],
    )
    .unwrap()
}

fn coverage_rows(r: &PlaysWithFeatures) -> Vec<(String, i64, i64)> {
    let s = strs(&r.coverage, "source");
    let p = ints(&r.coverage, "plays");
    let t = ints(&r.coverage, "distinct_tracks");
    s.into_iter()
        .zip(p)
        .zip(t)
        .map(|((s, p), t)| (s.unwrap(), p.unwrap(), t.unwrap()))
        .collect()
}

#[test]
fn first_source_in_order_gives_all_of_a_plays_features() {
    let sources = [
        FeatureSource::by_track_id("catalogue by id", catalogue()),
        FeatureSource::by_mbid("acousticbrainz", acousticbrainz()),
        FeatureSource::by_names("catalogue by name", catalogue()),
    ];
    let r = features_for(&plays(), &sources).unwrap();
    let df = &r.df;
    assert_eq!(df.height(), 8);
    assert_eq!(
        strs(df, FEATURE_SOURCE),
        vec![
            Some("catalogue by id".into()),
            Some("catalogue by name".into()), // A - One without id: by name
            Some("acousticbrainz".into()),    // MBID in upper case still matches
            Some("catalogue by id".into()),
            Some("catalogue by name".into()), // unknown id zzz, then by name
            Some("acousticbrainz".into()),
            Some("catalogue by name".into()), // "E" is one of the credit "E;F"
            Some("catalogue by name".into()), // "a" - "one" normalises to A - One
        ]
    );
    assert_eq!(
        strs(df, FEATURE_MATCHED_BY)[..3].to_vec(),
        vec![
            Some("track_id".into()),
            Some("names".into()),
            Some("mbid".into())
        ]
    );
    assert_eq!(
        floats(df, "tempo"),
        vec![
            Some(100.0),
            Some(100.0),
            Some(90.5),
            Some(130.0),
            Some(130.0),
            Some(70.0),
            Some(150.0),
            Some(100.0)
        ]
    );
    // Values are never mixed: AcousticBrainz has no energy, so its plays have none.
    assert_eq!(floats(df, "energy")[2], None);
    assert_eq!(floats(df, "energy")[5], None);
    assert_eq!(floats(df, "valence")[0], None);
    assert_eq!(floats(df, "valence")[2], Some(0.25));
    assert_eq!(
        ints(df, "key"),
        vec![
            Some(1),
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            None,
            Some(5),
            Some(1)
        ]
    );
    // Every one of the twelve features is a column, typed as the crate's.
    for f in listening::schema::AUDIO_FEATURES {
        assert!(df.column(f).is_ok(), "{f}");
    }
    assert_eq!(df.column("mode").unwrap().dtype(), &DataType::Int64);
    assert_eq!(df.column("liveness").unwrap().dtype(), &DataType::Float64);
    // Coverage: plays 2 + 2 + 4 + 0 missing; distinct tracks A-One (first by id), B-Two, C-Three,
    // D-Four, E-Five: a track is counted under the first source that matched any of its plays.
    assert_eq!(
        coverage_rows(&r),
        vec![
            ("catalogue by id".into(), 2, 2),
            ("acousticbrainz".into(), 2, 2),
            ("catalogue by name".into(), 4, 1),
            (MISSING.into(), 0, 0),
        ]
    );
    assert_eq!(r.plays_matched(), 8);
}

#[test]
fn coverage_sums_to_every_play_and_track_with_some_missing() {
    // Reversed order, and no AcousticBrainz: the MBID plays without names in the catalogue miss.
    let sources = [
        FeatureSource::by_names("by name", catalogue()),
        FeatureSource::by_track_id("by id", catalogue()),
    ];
    let r = features_for(&plays(), &sources).unwrap();
    let rows = coverage_rows(&r);
    assert_eq!(
        rows,
        vec![
            ("by name".into(), 6, 3),
            ("by id".into(), 0, 0),
            (MISSING.into(), 2, 2)
        ]
    );
    assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 8);
    let shares: f64 = floats(&r.coverage, "play_share").iter().flatten().sum();
    assert!((shares - 1.0).abs() < 1e-12);
    assert_eq!(strs(&r.df, FEATURE_SOURCE)[2], None);
    assert_eq!(floats(&r.df, "tempo")[2], None);
    // No sources at all: every play missing.
    let none = features_for(&plays(), &[]).unwrap();
    assert_eq!(coverage_rows(&none), vec![(MISSING.into(), 8, 5)]);
}

#[test]
fn missing_key_columns_are_named() {
    let e = features_for(
        &plays().drop("recording_mbid").unwrap(),
        &[FeatureSource::by_mbid("ab", acousticbrainz())],
    )
    .unwrap_err();
    assert!(e.to_string().contains("recording_mbid"), "{e}");
    let e = features_for(
        &plays(),
        &[FeatureSource::by_track_id("ab", acousticbrainz())],
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("track_id") && e.to_string().contains("feature source `ab`"),
        "{e}"
    );
    // Another plays column for the MBID, and a generic column source.
    let mut p = plays();
    p.rename("recording_mbid", "track_mbid".into()).unwrap();
    let r = features_for(
        &p,
        &[FeatureSource::by_mbid("ab", acousticbrainz()).plays_column("track_mbid")],
    )
    .unwrap();
    assert_eq!(coverage_rows(&r)[0], ("ab".into(), 2, 2));
    let files = df!("path" => ["Five"], "tempo" => [151.0]).unwrap();
    let r = features_for(
        &p,
        &[FeatureSource::by_column(
            "own files",
            files,
            "track",
            "path",
        )],
    )
    .unwrap();
    assert_eq!(coverage_rows(&r)[0], ("own files".into(), 1, 1));
    assert_eq!(floats(&r.df, "tempo")[6], Some(151.0));
}

#[test]
fn extended_history_matches_as_join_features_does() {
    if !have("spotify-extended-history-efrrowini") {
        return;
    }
    let plays = datasets::load_plays("spotify-extended-history-efrrowini")
        .unwrap()
        .df;
    let cat = combine_tracks(&[
        datasets::load("tidytuesday-spotify-songs").unwrap(),
        datasets::load("spotify-tracks-114k-sample").unwrap(),
        datasets::load("exportify-playlists-seankmchenry").unwrap(),
    ])
    .unwrap();
    let joined = join_features(&plays, &cat).unwrap();
    let r = features_for(
        &plays,
        &[
            FeatureSource::by_track_id("catalogues by id", cat.clone()),
            FeatureSource::by_names("catalogues by name", cat),
        ],
    )
    .unwrap();
    let rows = coverage_rows(&r);
    let c = &joined.coverage;
    assert_eq!(rows[0].1 as usize, c.plays_matched_by_id);
    assert_eq!(rows[1].1 as usize, c.plays_matched_by_name);
    assert_eq!(
        rows.iter().map(|r| r.1).sum::<i64>() as usize,
        plays.height()
    );
    assert_eq!(
        rows.iter().map(|r| r.2).sum::<i64>() as usize,
        c.distinct_tracks
    );
    assert_eq!((rows[0].2 + rows[1].2) as usize, c.distinct_tracks_matched);
    // The same features, play by play.
    for f in ["energy", "tempo", "valence"] {
        assert_eq!(floats(&r.df, f), floats(&joined.df, f), "{f}");
    }
    println!("efrrowini: {rows:?}");
}

#[test]
fn acousticbrainz_samples_give_features_to_plays_carrying_their_mbids() {
    if !have("acousticbrainz-samples") {
        return;
    }
    use listening::features::acousticbrainz as ab;
    let samples = ab::read_documents(datasets::path("acousticbrainz-samples").unwrap()).unwrap();
    // Three plays as a Last.fm export names them (track_mbid), one without an MBID.
    let plays = df!(
        "artist" => ["David Bowie", "ZZ Top", "Someone"],
        "track" => ["Soul Love", "La Grange", "Else"],
        "track_id" => [None::<&str>, None, None],
        "track_mbid" => [Some("e8afe383-1478-497e-90b1-7885c7f37f6e"), Some("CD3F5EFA-BC5E-4064-A765-960494AD4BB4"), None],
    )
    .unwrap();
    let r = features_for(
        &plays,
        &[FeatureSource::by_mbid("acousticbrainz", samples.df.clone()).plays_column("track_mbid")],
    )
    .unwrap();
    assert_eq!(
        coverage_rows(&r),
        vec![("acousticbrainz".into(), 2, 2), (MISSING.into(), 1, 1)]
    );
    let tempo = floats(&r.df, "tempo");
    assert!(
        (tempo[1].unwrap() - 162.532119751).abs() < 1e-9,
        "{tempo:?}"
    );
    assert_eq!(tempo[2], None);
    // Soul Love has a low-level document only: tempo and key, no high-level stand-ins.
    assert!(tempo[0].is_some());
    assert_eq!(floats(&r.df, "valence")[0], None);
    assert!((floats(&r.df, "valence")[1].unwrap() - 0.0894767045975).abs() < 1e-12);
}
