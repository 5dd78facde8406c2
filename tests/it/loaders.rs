//! Loaders on small fixtures the project made (tests/fixtures): good files, and each kind of bad
//! input with the error it must give.


use crate::common::*;
use listening::Error;
use listening::loaders::{self, PlaysFormat, exportify, lastfm, spotify};
use listening::schema::{self, plays};
use std::io::Write;

#[test]
fn lastfm_csv_loads_and_counts_the_row_without_date() {
    let l = lastfm::read_scrobbles_csv(fixture("lastfm.csv")).unwrap();
    assert_eq!(l.report.rows_read, 4);
    assert_eq!(l.report.rows_loaded, 3);
    assert_eq!(l.report.skipped.get(lastfm::SKIP_NO_DATE), Some(&1));
    assert!(
        l.report.skipped_examples[0].ends_with("lastfm.csv:1 (no date (now playing))"),
        "{:?}",
        l.report.skipped_examples
    );
    let names: Vec<&str> = l.df.get_column_names().iter().map(|s| s.as_str()).collect();
    assert_eq!(names, plays::COLUMNS);
    // Sorted oldest first; the quoted comma survives; an empty album is null.
    assert_eq!(
        strs(&l.df, plays::TRACK)[0].as_deref(),
        Some("Something - Remastered 2009")
    );
    assert_eq!(
        strs(&l.df, plays::ARTIST)[1].as_deref(),
        Some("Crosby, Stills & Nash")
    );
    assert_eq!(strs(&l.df, plays::ALBUM)[1], None);
    // 20 Nov 2020 09:35 UTC = 1605864900 s.
    assert_eq!(ints(&l.df, plays::PLAYED_AT)[2], Some(1_605_864_900_000));
    assert_eq!(strs(&l.df, plays::SOURCE)[0].as_deref(), Some("lastfm"));
    assert!(ints(&l.df, plays::MS_PLAYED).iter().all(Option::is_none));
}

#[test]
fn lastfm_csv_bad_date_names_file_line_and_value() {
    let e = lastfm::read_scrobbles_csv(fixture("lastfm_bad_date.csv")).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::Parse { line: 2, .. }), "{msg}");
    assert!(
        msg.contains("lastfm_bad_date.csv:2") && msg.contains("2020-11-20 09:28"),
        "{msg}"
    );
}

#[test]
fn lastfm_csv_wrong_field_count_is_an_error() {
    let e = lastfm::read_scrobbles_csv(fixture("lastfm_wrong_fields.csv")).unwrap_err();
    assert!(matches!(e, Error::Parse { line: 2, .. }), "{e}");
    assert!(e.to_string().contains("expected 4 fields"), "{e}");
}

#[test]
fn empty_file_is_an_error() {
    let e = lastfm::read_scrobbles_csv(fixture("empty.csv")).unwrap_err();
    assert!(matches!(e, Error::Empty { .. }), "{e}");
    let e = loaders::catalogues::read_tidytuesday_songs(fixture("empty.csv")).unwrap_err();
    assert!(
        matches!(e, Error::Empty { .. }) || matches!(e, Error::Parse { .. }),
        "{e}"
    );
}

#[test]
fn gzip_is_read_transparently() {
    let dir = std::env::temp_dir().join(format!("listening-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gz = dir.join("lastfm.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(&std::fs::read(fixture("lastfm.csv")).unwrap())
        .unwrap();
    enc.finish().unwrap();
    let l = lastfm::read_scrobbles_csv(&gz).unwrap();
    assert_eq!(l.report.rows_loaded, 3);
    // A folder of them, too.
    let l = lastfm::read_scrobbles_csv(&dir).unwrap();
    assert_eq!(l.report.files.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ghan_csv_loads_and_missing_column_is_named() {
    let l = lastfm::read_ghan_csv(fixture("ghan.csv")).unwrap();
    assert_eq!(l.df.height(), 2);
    assert_eq!(ints(&l.df, plays::PLAYED_AT)[1], Some(1_605_864_900_000));
    let e = lastfm::read_ghan_csv(fixture("ghan_missing_column.csv")).unwrap_err();
    assert!(
        matches!(&e, Error::MissingColumn { column, .. } if column == "track"),
        "{e}"
    );
}

#[test]
fn recent_tracks_pages_skip_now_playing_and_read_both_artist_forms() {
    let l = lastfm::read_recent_tracks_json(fixture("recenttracks")).unwrap();
    assert_eq!(l.report.rows_read, 3);
    assert_eq!(l.report.rows_loaded, 2);
    assert_eq!(l.report.skipped.get(lastfm::SKIP_NOW_PLAYING), Some(&1));
    assert_eq!(
        strs(&l.df, plays::ARTIST),
        vec![Some("Biome".into()), Some("Biome".into())]
    );
    assert_eq!(strs(&l.df, plays::ALBUM)[0], None); // empty album text
    let e = lastfm::read_recent_tracks_json(fixture("recenttracks_error.json")).unwrap_err();
    assert!(e.to_string().contains("Last.fm API error 17"), "{e}");
}

#[test]
fn account_history_sets_podcasts_apart_and_starts_plays_at_end_minus_duration() {
    let l = spotify::read_account_history(fixture("account")).unwrap();
    assert_eq!(l.report.files.len(), 2);
    assert_eq!(l.report.rows_read, 3);
    assert_eq!(l.report.rows_loaded, 2);
    assert_eq!(l.report.rows_set_apart, 1);
    // 2020-08-11 12:47 UTC = 1597150020 s, minus 31101 ms.
    assert_eq!(
        ints(&l.df, plays::PLAYED_AT)[0],
        Some(1_597_150_020_000 - 31_101)
    );
    assert_eq!(ints(&l.df, plays::MS_PLAYED)[1], Some(73_537));
    assert_eq!(l.episodes.as_ref().map(|e| e.height()), Some(1));
}

#[test]
fn account_history_missing_key_names_record() {
    let e = spotify::read_account_history(fixture("account_missing_key.json")).unwrap_err();
    assert!(matches!(e, Error::Record { index: 2, .. }), "{e}");
    assert!(e.to_string().contains("trackName"), "{e}");
}

#[test]
fn extended_history_keeps_ids_and_counts_every_entry() {
    let l = spotify::read_extended_history(fixture("extended")).unwrap();
    let r = &l.report;
    assert_eq!(r.rows_read, 5);
    assert_eq!(r.rows_loaded, 2);
    assert_eq!(r.rows_set_apart, 1);
    assert_eq!(r.skipped.get(spotify::SKIP_AUDIOBOOK), Some(&1));
    assert_eq!(r.skipped.get(spotify::SKIP_NO_METADATA), Some(&1));
    assert_eq!(
        r.rows_loaded + r.rows_set_apart + r.skipped_total(),
        r.rows_read
    );
    assert_eq!(
        strs(&l.df, plays::TRACK_ID)[0].as_deref(),
        Some("37f4ITSlgPX81ad2EvmVQr")
    );
    let e = l.episodes.unwrap();
    assert_eq!(
        strs(&e, schema::episodes::EPISODE_ID)[0].as_deref(),
        Some("abc")
    );
}

#[test]
fn wrong_export_kind_is_named() {
    let e = spotify::read_account_history(fixture("extended/Streaming_History_Audio_2022.json"))
        .unwrap_err();
    assert!(matches!(e, Error::WrongFormat { .. }), "{e}");
    assert!(e.to_string().contains("read_extended_history"), "{e}");
    let e = spotify::read_extended_history(fixture("account/StreamingHistory0.json")).unwrap_err();
    assert!(e.to_string().contains("read_account_history"), "{e}");
    let e = spotify::read_extended_history(fixture("extended_bad_ts.json")).unwrap_err();
    assert!(matches!(e, Error::Record { index: 1, .. }), "{e}");
    let e = spotify::read_account_history(fixture("lastfm.csv")).unwrap_err();
    assert!(matches!(e, Error::Parse { .. }), "{e}");
}

#[test]
fn read_plays_sniffs_every_format() {
    let cases = [
        ("lastfm.csv", PlaysFormat::LastfmCsv, 3),
        ("ghan.csv", PlaysFormat::GhanCsv, 2),
        ("recenttracks", PlaysFormat::LastfmApiJson, 2),
        ("account", PlaysFormat::SpotifyAccount, 2),
        ("extended", PlaysFormat::SpotifyExtended, 2),
    ];
    for (name, format, rows) in cases {
        assert_eq!(
            loaders::sniff_plays_format(&fixture(name)).unwrap(),
            format,
            "{name}"
        );
        assert_eq!(
            loaders::read_plays(fixture(name)).unwrap().df.height(),
            rows,
            "{name}"
        );
    }
    // A catalogue is no plays export: sniffed as headerless Last.fm CSV, it fails on field count.
    let e = loaders::read_plays(fixture("tidytuesday.csv")).unwrap_err();
    assert!(e.to_string().contains("expected 4 fields"), "{e}");
}

#[test]
fn exportify_trims_header_skips_local_files_and_dedupes_tracks() {
    let p = exportify::read_playlists(fixture("exportify")).unwrap();
    assert_eq!(p.report.rows_read, 4);
    assert_eq!(p.report.skipped.get(exportify::SKIP_NO_TRACK_ID), Some(&1));
    assert_eq!(p.playlists.height(), 3);
    assert_eq!(p.tracks.height(), 2); // Fight Song is in both playlists
    assert_eq!(
        strs(&p.playlists, schema::playlists::PLAYLIST)[0].as_deref(),
        Some("genre_pop")
    );
    assert_eq!(
        ints(&p.playlists, schema::playlists::POSITION),
        vec![Some(0), Some(1), Some(0)]
    );
    // The tab-padded "Danceability" header was found.
    assert_eq!(floats(&p.tracks, schema::DANCEABILITY)[1], Some(0.706));
    assert_eq!(ints(&p.tracks, schema::TIME_SIGNATURE)[0], Some(4));
}

#[test]
fn exportify_bad_value_names_line_and_column() {
    let e = exportify::read_playlists(fixture("exportify_bad_value.csv")).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::Parse { line: 2, .. }), "{msg}");
    assert!(
        msg.contains("column `Danceability`") && msg.contains("`loud`"),
        "{msg}"
    );
}

#[test]
fn catalogues_load_with_canonical_columns_and_extras() {
    let t = loaders::catalogues::read_tidytuesday_songs(fixture("tidytuesday.csv")).unwrap();
    let names: Vec<String> =
        t.df.get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
    let mut want: Vec<&str> = schema::tracks::COLUMNS.to_vec();
    want.extend(schema::AUDIO_FEATURES);
    assert_eq!(&names[..want.len()], &want[..]);
    assert!(names.contains(&"playlist_subgenre".to_string()));
    assert_eq!(
        strs(&t.df, schema::tracks::LABEL)[1].as_deref(),
        Some("rock")
    );
    assert!(
        ints(&t.df, schema::TIME_SIGNATURE)
            .iter()
            .all(Option::is_none)
    );

    let h = loaders::catalogues::read_spotify_tracks_114k(fixture("tracks_114k.csv")).unwrap();
    assert_eq!(h.df.height(), 2);
    assert_eq!(ints(&h.df, "source_row")[0], Some(64337));
    assert_eq!(
        strs(&h.df, schema::tracks::ARTISTS)[1].as_deref(),
        Some("Disfear;Biome")
    );
    let e = loaders::catalogues::read_spotify_tracks_114k(fixture("tracks_114k_missing_genre.csv"))
        .unwrap_err();
    assert!(
        matches!(&e, Error::MissingColumn { column, .. } if column == "track_genre"),
        "{e}"
    );
}

#[test]
fn folder_without_matching_files_is_an_error() {
    let e = spotify::read_account_history(fixture("exportify")).unwrap_err();
    assert!(matches!(e, Error::NoFiles { .. }), "{e}");
    let e = lastfm::read_scrobbles_csv(fixture("no-such-file.csv")).unwrap_err();
    assert!(
        matches!(e, Error::Io { .. }) && e.to_string().contains("no-such-file.csv"),
        "{e}"
    );
}

#[test]
fn an_empty_file_in_a_folder_is_reported_not_fatal() {
    let dir = std::env::temp_dir().join(format!("listening-emptyfile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        fixture("account/StreamingHistory0.json"),
        dir.join("StreamingHistory0.json"),
    )
    .unwrap();
    std::fs::write(dir.join("StreamingHistory_podcast_0.json"), "[]").unwrap();
    // Other files of a Spotify data folder sort first and must not decide the format.
    std::fs::write(dir.join("Follow.json"), "{\"followerCount\": 3}").unwrap();
    let l = loaders::read_plays(&dir).unwrap();
    assert_eq!(l.report.rows_loaded, 2);
    assert_eq!(l.report.empty_files.len(), 1);
    assert!(
        l.report.to_string().contains("1 empty file(s)"),
        "{}",
        l.report
    );
    // Only empty files: an error naming the folder.
    std::fs::write(dir.join("StreamingHistory0.json"), "[]").unwrap();
    let e = spotify::read_account_history(&dir).unwrap_err();
    assert!(matches!(e, Error::Empty { .. }), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_skips_name_the_record_not_a_line() {
    let l = spotify::read_extended_history(fixture("extended")).unwrap();
    assert!(
        l.report.skipped_examples[0]
            .ends_with("Streaming_History_Audio_2022.json: record 4 (audiobook chapter)"),
        "{:?}",
        l.report.skipped_examples
    );
}
