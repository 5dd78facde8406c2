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
    // One podcast episode and one audiobook chapter, kept apart.
    assert_eq!(r.rows_set_apart, 2);
    assert_eq!(l.audiobooks.as_ref().map(|a| a.height()), Some(1));
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
    assert!(matches!(e, Error::WrongFormat { .. }), "{e}");
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
    // A catalogue or a playlist export is no plays export, and the error says what it is.
    let e = loaders::read_plays(fixture("tidytuesday.csv")).unwrap_err();
    assert!(e.to_string().contains("a track catalogue"), "{e}");
    let e = loaders::read_plays(fixture("exportify/genre_pop.csv")).unwrap_err();
    assert!(e.to_string().contains("exportify::read_playlists"), "{e}");
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
        l.report.skipped_examples[0].ends_with(
            "Streaming_History_Audio_2022.json: record 5 (no track, episode or audiobook metadata)"
        ),
        "{:?}",
        l.report.skipped_examples
    );
}

// ---------------------------------------------------------------------------------------------
// Exports as they are in the wild (tests/fixtures/wild: made by the project with the real
// layouts' exact headers and field shapes).

fn wild(name: &str) -> std::path::PathBuf {
    fixture("wild").join(name)
}

#[test]
fn exportify_classic_column_set_loads_with_cjk_names_and_counts_unavailable_tracks() {
    let p = exportify::read_playlists(wild("exportify_classic")).unwrap();
    let r = &p.report;
    // 4 rows in the CJK-named file, 2 in the older file without ISRC; notes.csv is no export.
    assert_eq!(r.rows_read, 6, "{r}");
    assert_eq!(r.skipped.get(exportify::SKIP_UNAVAILABLE), Some(&1), "{r}");
    assert_eq!(r.skipped.get(exportify::SKIP_NO_TRACK_ID), Some(&1), "{r}");
    assert_eq!(p.playlists.height(), 4);
    assert_eq!(p.tracks.height(), 3, "Plastic Love is in both playlists");
    assert!(r.notes.iter().any(|n| n.contains("notes.csv")), "{r}");
    assert!(
        r.variant
            .contains("classic column set, without audio features"),
        "{r}"
    );
    assert!(
        r.variant
            .contains("classic column set, with audio features"),
        "{r}"
    );
    let names = strs(&p.playlists, schema::playlists::PLAYLIST);
    assert!(
        names.contains(&Some("日本のシティポップ".to_string())),
        "{names:?}"
    );
    // Ids cut from URIs; durations from `Track Duration (ms)`; release dates kept as text.
    assert_eq!(
        strs(&p.tracks, schema::tracks::TRACK_ID)[0].as_deref(),
        Some("0pqnGHJpmpxLKifKRmU6WP")
    );
    assert!(
        ints(&p.tracks, schema::tracks::DURATION_MS)
            .iter()
            .all(Option::is_some)
    );
    // The first file read (sorted by name) is old_without_isrc.csv, which has features.
    assert_eq!(floats(&p.tracks, schema::DANCEABILITY)[0], Some(0.62));
    let cjk_row = strs(&p.tracks, schema::tracks::NAME)
        .iter()
        .position(|n| n.as_deref() == Some("真夜中のドア〜stay with me"))
        .unwrap();
    assert_eq!(floats(&p.tracks, schema::DANCEABILITY)[cjk_row], None);
    assert_eq!(
        strs(&p.tracks, "isrc")[cjk_row].as_deref(),
        Some("JPPC00012345")
    );
    assert_eq!(strs(&p.tracks, "added_by")[cjk_row], None);
}

#[test]
fn a_lone_file_that_is_not_exportify_names_the_missing_column() {
    let e = exportify::read_playlists(wild("exportify_classic/notes.csv")).unwrap_err();
    assert!(
        matches!(&e, Error::MissingColumn { column, .. } if column == "Track ID"),
        "{e}"
    );
}

#[test]
fn spotify_account_data_since_2023_keeps_podcasts_and_audiobooks_apart() {
    // The unzipped folder as it is, with Userdata.json, a playlist file and a PDF beside the
    // histories, one level down.
    let l = loaders::read_plays(wild("account_2023")).unwrap();
    let r = &l.report;
    assert_eq!(r.format, "spotify account data");
    assert_eq!(r.rows_read, 6, "{r}");
    assert_eq!(r.rows_loaded, 2, "{r}");
    assert_eq!(r.rows_set_apart, 3, "{r}");
    assert_eq!(r.skipped.get(spotify::SKIP_NEGATIVE_MS), Some(&1), "{r}");
    assert_eq!(
        r.rows_loaded + r.rows_set_apart + r.skipped_total(),
        r.rows_read
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("3 file(s) that are not plays exports left out")),
        "{r}"
    );
    for kind in ["music", "podcast episodes", "audiobook chapters"] {
        assert!(r.variant.contains(kind), "{r}");
    }
    let books = l.audiobooks.as_ref().unwrap();
    assert_eq!(books.height(), 2);
    assert_eq!(
        strs(books, schema::audiobooks::AUTHOR)[0].as_deref(),
        Some("Patti Smith")
    );
    assert_eq!(l.episodes.as_ref().unwrap().height(), 1);
    assert_eq!(strs(&l.df, plays::ARTIST)[1].as_deref(), Some("Björk"));
    // 2023-06-01 08:09 UTC minus 305 s.
    assert_eq!(
        ints(&l.df, plays::PLAYED_AT)[1],
        Some(1_685_606_940_000 - 305_000)
    );
}

#[test]
fn lastfm_api_pages_saved_as_bare_arrays_or_concatenated() {
    let l = loaders::read_plays(wild("recenttracks_bare.json")).unwrap();
    assert_eq!(l.report.variant, "a bare array of tracks");
    assert_eq!((l.report.rows_read, l.report.rows_loaded), (3, 2));
    assert_eq!(l.report.skipped.get(lastfm::SKIP_NOW_PLAYING), Some(&1));
    assert_eq!(ints(&l.df, plays::PLAYED_AT)[1], Some(1_605_864_900_000));
    assert_eq!(
        strs(&l.df, plays::ALBUM)[0].as_deref(),
        Some("Album of Tides")
    );

    let l = loaders::read_plays(wild("recenttracks_concatenated.json")).unwrap();
    assert_eq!(l.report.variant, "pages concatenated");
    assert_eq!((l.report.rows_read, l.report.rows_loaded), (4, 4));
    assert_eq!(
        strs(&l.df, plays::TRACK),
        ["C", "D", "A", "B"].map(|s| Some(s.to_string()))
    );
}

#[test]
fn lastfm_csv_resaved_by_a_spreadsheet() {
    let l = loaders::read_plays(wild("lastfm_spreadsheet.csv")).unwrap();
    let r = &l.report;
    assert_eq!(r.format, "lastfm-to-csv");
    assert_eq!(r.variant, "re-saved by a spreadsheet");
    assert_eq!((r.rows_read, r.rows_loaded), (4, 3), "{r}");
    assert_eq!(r.skipped.get(lastfm::SKIP_NO_DATE), Some(&1));
    assert_eq!(r.flagged.values().sum::<usize>(), 1, "{r}");
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("month first: line 1 has `1/22/23 1:02`")),
        "{r}"
    );
    // 12/31/22 23:59, 1/22/23 0:58, 1/22/23 1:02, UTC.
    assert_eq!(
        ints(&l.df, plays::PLAYED_AT),
        vec![
            Some(1_672_531_140_000),
            Some(1_674_349_080_000),
            Some(1_674_349_320_000)
        ]
    );
    assert_eq!(strs(&l.df, plays::ARTIST)[1].as_deref(), Some("#NAME?"));
}

#[test]
fn ambiguous_slashed_dates_follow_the_documented_rule() {
    // A first number above 12 makes the whole file day first, the earlier rows included.
    let l = loaders::read_plays(wild("lastfm_dayfirst.csv")).unwrap();
    assert!(
        l.report
            .notes
            .iter()
            .any(|n| n.contains("day first: line 1 has `22/1/23 1:02`")),
        "{}",
        l.report
    );
    // 3 Jan 2023 09:15 and 22 Jan 2023 01:02.
    assert_eq!(
        ints(&l.df, plays::PLAYED_AT),
        vec![Some(1_672_737_300_000), Some(1_674_349_320_000)]
    );
    // Day first somewhere and month first elsewhere: an error naming both lines.
    let e = loaders::read_plays(wild("lastfm_both_orders.csv")).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("line 1 has `22/1/23 1:02`") && msg.contains("line 2 has `1/22/23 1:02`"),
        "{msg}"
    );
    // Two formats in one file: the first line that does not fit is named.
    let e = loaders::read_plays(wild("lastfm_mixed_formats.csv")).unwrap_err();
    assert!(matches!(e, Error::Parse { line: 2, .. }), "{e}");
    assert!(
        e.to_string().contains("line 1 has `20 Nov 2020 09:35`"),
        "{e}"
    );
    // The caller can fix the order.
    let cols = loaders::PlaysColumns::new("date", "artist", "track")
        .date_format(loaders::DateFormat::DayFirst);
    let dir = temp_dir("dayfirst");
    std::fs::write(dir.join("t.csv"), "artist,track,date\nA,B,1/2/23 10:00\n").unwrap();
    let l = loaders::read_table(dir.join("t.csv"), &cols).unwrap();
    assert_eq!(ints(&l.df, plays::PLAYED_AT)[0], Some(1_675_245_600_000)); // 1 Feb 2023
}

#[test]
fn cp1252_files_are_decoded_and_noted() {
    let l = loaders::read_plays(wild("lastfm_cp1252.csv")).unwrap();
    assert_eq!(
        strs(&l.df, plays::ARTIST),
        ["Beyoncé", "Sigur Rós", "Mötley Crüe"].map(|s| Some(s.to_string()))
    );
    assert_eq!(
        strs(&l.df, plays::TRACK)[2].as_deref(),
        Some("Kickstart My Heart – Live")
    );
    assert!(
        l.report.notes.iter().any(|n| n.contains("read as cp1252")),
        "{}",
        l.report
    );
}

#[test]
fn tables_written_by_r_and_pandas_load_by_their_header() {
    let l = loaders::read_plays(wild("r_write_csv.csv")).unwrap();
    let r = &l.report;
    assert_eq!(
        loaders::sniff_plays_format(&wild("r_write_csv.csv")).unwrap(),
        PlaysFormat::HeadedTable
    );
    assert_eq!((r.rows_read, r.rows_loaded), (3, 2), "{r}");
    assert_eq!(r.skipped.get(loaders::mapped::SKIP_NO_DATE), Some(&1));
    assert!(r.notes.iter().any(|n| n.contains("row index")), "{r}");
    assert_eq!(strs(&l.df, plays::ALBUM)[1], None); // NA
    assert_eq!(ints(&l.df, plays::PLAYED_AT)[0], Some(1_674_349_323_000));

    let l = loaders::read_plays(wild("pandas_to_csv.csv")).unwrap();
    // 02:07 at +01:00 is 01:07 UTC.
    assert_eq!(
        ints(&l.df, plays::PLAYED_AT),
        vec![Some(1_674_349_323_000), Some(1_674_349_620_000)]
    );
    assert_eq!(strs(&l.df, plays::TRACK)[1].as_deref(), Some("Let Down"));
}

#[test]
fn listenbrainz_json_lines_and_arrays() {
    let l = loaders::read_plays(wild("listens.jsonl")).unwrap();
    assert_eq!(l.report.format, "listenbrainz");
    assert_eq!(l.df.height(), 2);
    assert_eq!(ints(&l.df, plays::PLAYED_AT)[0], Some(1_700_000_000_000));
    assert_eq!(
        strs(&l.df, plays::TRACK_ID),
        vec![Some("7IWfEYrpwW2wMbJ8qRbnvv".to_string()), None]
    );
    assert!(ints(&l.df, plays::MS_PLAYED).iter().all(Option::is_none));
    let l = loaders::read_plays(wild("listens_array.json")).unwrap();
    assert_eq!(
        strs(&l.df, plays::ALBUM)[0].as_deref(),
        Some("I Could Live in Hope")
    );
}

#[test]
fn a_folder_of_several_formats_is_stacked() {
    let dir = temp_dir("mixed-formats");
    std::fs::copy(fixture("lastfm.csv"), dir.join("scrobbles.csv")).unwrap();
    std::fs::copy(wild("listens.jsonl"), dir.join("listens.jsonl")).unwrap();
    std::fs::write(dir.join("cover.jpg"), [0xff, 0xd8, 0xff, 0xe0]).unwrap();
    let l = loaders::read_plays(&dir).unwrap();
    assert_eq!(l.df.height(), 5);
    assert_eq!(l.report.format, "lastfm-to-csv + listenbrainz");
    assert!(
        l.report.notes.iter().any(|n| n.contains("cover.jpg")),
        "{}",
        l.report
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed input: each case and its documented outcome.

fn temp_dir(tag: &str) -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("listening-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// What loading a case must give.
#[derive(Debug)]
enum Outcome {
    /// Loads: rows loaded, rows skipped, rows flagged.
    Rows(usize, usize, usize),
    /// Fails with an error whose text holds this.
    Fails(&'static str),
}

#[test]
fn malformed_input_table() {
    use Outcome::*;
    let scrobble = "Radiohead,OK Computer,Airbag,20 Nov 2020 09:35\n";
    let account = |ms: i64| {
        format!(
            r#"[{{"endTime":"2020-08-11 12:47","artistName":"A","trackName":"B","msPlayed":{ms}}}]"#
        )
    };
    let mut big_json = String::from("[");
    for i in 0..3 {
        big_json.push_str(&format!(
            r#"{{"endTime":"2020-08-11 12:4{i}","artistName":"A","trackName":"B","msPlayed":1000}},"#
        ));
    }
    big_json.push_str(
        r#"{"endTime":"2020-08-11 12:40","artistName":"A","trackName":"B","msPlayed":1000}]"#,
    );
    let full_gz = gzip(scrobble.repeat(2000).as_bytes());
    let cases: Vec<(&str, &str, Vec<u8>, Outcome)> = vec![
        ("empty file", "x.csv", b"".to_vec(), Fails("empty file, no rows")),
        ("only blanks", "x.csv", b"\n \n".to_vec(), Fails("empty file, no rows")),
        ("header only", "x.csv", b"date,artist,track\n".to_vec(), Fails("empty file, no rows")),
        ("BOM", "x.csv", [b"\xef\xbb\xbf".as_slice(), scrobble.as_bytes()].concat(), Rows(1, 0, 0)),
        ("CRLF", "x.csv", scrobble.replace('\n', "\r\n").repeat(2).into_bytes(), Rows(2, 0, 1)),
        (
            "quoted newline in a name",
            "x.csv",
            format!("\"Line\nBreak\",Album,Track,20 Nov 2020 09:35\n{scrobble}").into_bytes(),
            Rows(2, 0, 0),
        ),
        ("missing column", "x.csv", b"A,B,20 Nov 2020 09:35\n".to_vec(), Fails("not a listening-history export")),
        (
            "a row with a column missing",
            "x.csv",
            format!("{scrobble}A,B,20 Nov 2020 09:36\n").into_bytes(),
            Fails("x.csv:2: expected 4 fields"),
        ),
        (
            "renamed columns (known names)",
            "x.csv",
            b"Song,Performer,Played At\nAirbag,Radiohead,2023-01-22T01:02:03Z\n".to_vec(),
            Rows(1, 0, 0),
        ),
        (
            "extra columns",
            "x.csv",
            b"date,artist,track,album,mood,rating\n2023-01-22 01:02,A,B,C,sad,5\n".to_vec(),
            Rows(1, 0, 0),
        ),
        (
            "unknown header",
            "x.csv",
            b"when it was,who,what\n2023,A,B\n".to_vec(),
            Fails("not a listening-history export"),
        ),
        (
            "a bad date in a headed table",
            "x.csv",
            b"date,artist,track\n2023-01-22 01:02,A,B\nyesterday,A,C\n".to_vec(),
            Fails("x.csv:3: column `date`: `yesterday` does not fit"),
        ),
        ("non-UTF-8 bytes", "x.csv", b"Bj\xf6rk,Post,Isobel,20 Nov 2020 09:35\n".to_vec(), Rows(1, 0, 0)),
        ("UTF-16", "x.csv", b"\xff\xfed\x00a\x00".to_vec(), Fails("UTF-16")),
        ("negative ms_played", "StreamingHistory0.json", account(-1).into_bytes(), Rows(0, 1, 0)),
        ("huge ms_played", "StreamingHistory0.json", account(i64::MAX).into_bytes(), Rows(0, 1, 0)),
        ("ms_played of a day", "StreamingHistory0.json", account(86_400_000).into_bytes(), Rows(1, 0, 0)),
        ("duplicated rows", "StreamingHistory0.json", big_json.into_bytes(), Rows(4, 0, 1)),
        (
            "a Spotify time in year 9999",
            "StreamingHistory0.json",
            br#"[{"endTime":"9999-08-11 12:47","artistName":"A","trackName":"B","msPlayed":1}]"#.to_vec(),
            Rows(0, 1, 0),
        ),
        (
            "a scrobble in 1970 (broken scrobblers write it)",
            "x.csv",
            b"A,B,C,01 Jan 1970 00:00\n".to_vec(),
            Rows(1, 0, 0),
        ),
        (
            "a scrobble in year 9999",
            "x.csv",
            b"A,B,C,01 Jan 9999 00:00\n".to_vec(),
            Fails("x.csv:1: `01 Jan 9999 00:00` is not a date"),
        ),
        (
            "unix milliseconds past chrono's range",
            "x.csv",
            b"date,artist,track\n9999999999999999,A,B\n".to_vec(),
            Fails("x.csv:2: column `date`"),
        ),
        (
            "an object where an array is expected",
            "StreamingHistory0.json",
            br#"{"endTime":"2020-08-11 12:47","artistName":"A","trackName":"B","msPlayed":1}"#.to_vec(),
            Fails("not a JSON array of plays"),
        ),
        (
            "an array of numbers",
            "StreamingHistory0.json",
            br#"[1, 2, 3] "#.to_vec(),
            Fails("not a listening-history export"),
        ),
        (
            "a record that is not an object",
            "StreamingHistory0.json",
            br#"[{"endTime":"2020-08-11 12:47","artistName":"A","trackName":"B","msPlayed":1}, 7]"#.to_vec(),
            Fails("record 2: not a JSON object"),
        ),
        (
            "truncated JSON",
            "StreamingHistory0.json",
            br#"[{"endTime":"2020-08-11 12:47","artistName":"A","trackName":"B","msPlayed":1}, {"endT"#.to_vec(),
            Fails("invalid JSON"),
        ),
        ("gzip", "x.csv.gz", full_gz.clone(), Rows(2000, 0, 1999)),
        ("truncated gzip", "x.csv.gz", full_gz[..full_gz.len() / 2].to_vec(), Fails("truncated or corrupt gzip")),
        ("gzip magic, then garbage", "x.csv.gz", vec![0x1f, 0x8b, 0, 1, 2, 3], Fails("gzip")),
        (
            "Last.fm API error page",
            "page.json",
            br#"{"error": 6, "message": "User not found"}"#.to_vec(),
            Fails("Last.fm API error 6: User not found"),
        ),
        (
            "recent tracks with an API error inside",
            "page.json",
            br#"{"recenttracks": {"track": []}} {"error": 29, "message": "Rate limit exceeded"}"#.to_vec(),
            Fails("Last.fm API error 29"),
        ),
        (
            "ListenBrainz listen without a time",
            "l.jsonl",
            br#"{"listened_at": null, "track_metadata": {"artist_name": "A", "track_name": "B"}}
{"listened_at": 1700000000, "track_metadata": {"artist_name": "A", "track_name": "B"}}"#
                .to_vec(),
            Rows(1, 1, 0),
        ),
        (
            "a huge unix time",
            "l.jsonl",
            br#"{"listened_at": 9223372036854775807, "track_metadata": {"artist_name": "A", "track_name": "B"}}"#
                .to_vec(),
            Fails("is not a time"),
        ),
    ];
    let mut failures = Vec::new();
    for (what, name, bytes, want) in cases {
        let dir = temp_dir("malformed");
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let got = loaders::read_plays(&path);
        let ok = match (&got, &want) {
            (Ok(l), Outcome::Rows(rows, skipped, flagged)) => {
                l.df.height() == *rows
                    && l.report.skipped_total() == *skipped
                    && l.report.flagged.values().sum::<usize>() == *flagged
            }
            (Err(e), Outcome::Fails(text)) => e.to_string().contains(text),
            _ => false,
        };
        if !ok {
            let got = match got {
                Ok(l) => format!("loaded {} rows: {}", l.df.height(), l.report),
                Err(e) => format!("error: {e}"),
            };
            failures.push(format!("{what}: want {want:?}, got {got}"));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_folder_with_only_unrelated_files_says_so() {
    let dir = temp_dir("unrelated");
    std::fs::write(dir.join("Userdata.json"), r#"{"username": "x"}"#).unwrap();
    std::fs::write(dir.join("photo.png"), [0x89, b'P', b'N', b'G']).unwrap();
    let e = loaders::read_plays(&dir).unwrap_err();
    assert!(
        e.to_string()
            .contains("none of its 2 files is a listening-history export"),
        "{e}"
    );
    let e = loaders::read_plays(dir.join("no-such-folder")).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
}

#[test]
fn an_account_folder_beside_an_extended_history_loads_the_extended_one() {
    let dir = temp_dir("both-spotify");
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::copy(
        fixture("account/StreamingHistory0.json"),
        dir.join("a/StreamingHistory0.json"),
    )
    .unwrap();
    std::fs::copy(
        fixture("extended/Streaming_History_Audio_2022.json"),
        dir.join("b/Streaming_History_Audio_2022.json"),
    )
    .unwrap();
    let l = loaders::read_plays(&dir).unwrap();
    assert_eq!(l.report.format, "spotify extended history");
    assert!(
        l.report
            .notes
            .iter()
            .any(|n| n.contains("account-data file(s) left out")),
        "{}",
        l.report
    );
}

#[test]
fn exportify_malformed_input_table() {
    use Outcome::*;
    let header = "Track ID,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Added By,Added At";
    let row = "37f4ITSlgPX81ad2EvmVQr,Fight Song,Wildfire,Rachel Platten,2015,204000,70,,2020-05-01T16:47:44Z";
    let cases: Vec<(&str, Vec<u8>, Outcome)> = vec![
        (
            "plain",
            format!("{header}\n{row}\n").into_bytes(),
            Rows(1, 0, 0),
        ),
        (
            "BOM, CRLF, no final newline",
            format!("\u{feff}{header}\r\n{row}").into_bytes(),
            Rows(1, 0, 0),
        ),
        (
            "quoted newline in a name",
            format!("{header}\n2,\"Fight\nSong\",W,R,2015,1,70,,2020-05-01T16:47:44Z\n")
                .into_bytes(),
            Rows(1, 0, 0),
        ),
        (
            "cp1252",
            [
                header.as_bytes(),
                b"\n2,Caf\xe9,W,R,2015,1,70,,2020-05-01T16:47:44Z\n",
            ]
            .concat(),
            Rows(1, 0, 0),
        ),
        (
            "extra columns",
            format!("{header},Mood\n{row},happy\n").into_bytes(),
            Rows(1, 0, 0),
        ),
        (
            "header only",
            format!("{header}\n").into_bytes(),
            Fails("empty file"),
        ),
        ("empty", Vec::new(), Fails("empty file")),
        (
            "missing name column",
            b"Track ID,Album Name\n2,W\n".to_vec(),
            Fails("missing column `Track Name`"),
        ),
        (
            "a row with a field missing",
            format!("{header}\n2,Fight Song,W,R,2015,1,70,\n").into_bytes(),
            Fails("x.csv:2: expected 9 fields"),
        ),
        (
            "bad Added At",
            format!("{header}\n2,Fight Song,W,R,2015,1,70,,yesterday\n").into_bytes(),
            Fails("x.csv:2: column `Added At`: `yesterday`"),
        ),
        (
            "bad duration",
            format!("{header}\n2,Fight Song,W,R,2015,long,70,,2020-05-01T16:47:44Z\n").into_bytes(),
            Fails("column `Duration (ms)`: `long` is not an integer"),
        ),
    ];
    let mut failures = Vec::new();
    for (what, bytes, want) in cases {
        let dir = temp_dir("exportify-malformed");
        let path = dir.join("x.csv");
        std::fs::write(&path, &bytes).unwrap();
        let got = exportify::read_playlists(&path);
        let ok = match (&got, &want) {
            (Ok(p), Rows(rows, skipped, _)) => {
                p.playlists.height() == *rows && p.report.skipped_total() == *skipped
            }
            (Err(e), Fails(text)) => e.to_string().contains(text),
            _ => false,
        };
        if !ok {
            let got = match got {
                Ok(p) => format!("loaded {} entries: {}", p.playlists.height(), p.report),
                Err(e) => format!("error: {e}"),
            };
            failures.push(format!("{what}: want {want:?}, got {got}"));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
