//! Name normalisation and the plays → features join, on fixtures.

use crate::common::*;
use listening::analysis::join::{MATCHED_BY, MATCHED_TRACK_ID};
use listening::analysis::normalise::{artist_key, title_key};
use listening::analysis::{combine_tracks, join_features};
use listening::loaders::{catalogues, lastfm, spotify};

#[test]
fn title_keys_fold_versions_and_featuring_but_keep_remixes() {
    assert_eq!(title_key("Something - Remastered 2009"), "something");
    assert_eq!(title_key("Something - 2019 Mix"), "something 2019 mix");
    assert_eq!(title_key("Let Me (feat. Someone)"), "let me");
    assert_eq!(title_key("Let Me feat. Someone"), "let me");
    assert_eq!(title_key("Hey Jude [Remastered 2015]"), "hey jude");
    assert_eq!(title_key("Song - Live at Wembley"), "song");
    assert_eq!(
        title_key("I Don't Care (with Justin Bieber) - Loud Luxury Remix"),
        "i dont care loud luxury remix"
    );
    assert_eq!(title_key("Rock & Roll"), "rock and roll");
    // Whole words only: "Oliver" is no "live", "defeated" no "feat".
    assert_eq!(
        title_key("Sunrise (Oliver Heldens Remix)"),
        "sunrise oliver heldens remix"
    );
    assert_eq!(title_key("Undefeated - Alive"), "undefeated alive");
    assert_eq!(title_key("Yesterday - Remastered"), "yesterday");
    assert_eq!(artist_key("The Beatles"), "beatles");
    assert_eq!(artist_key("Disfear;Biome"), "disfear");
    assert_eq!(artist_key("Biome feat. X"), "biome");
}

#[test]
fn join_matches_by_id_then_by_name_and_reports_coverage() {
    let tidy = catalogues::read_tidytuesday_songs(fixture("tidytuesday.csv")).unwrap();
    let hf = catalogues::read_spotify_tracks_114k(fixture("tracks_114k.csv")).unwrap();
    let cat = combine_tracks(&[tidy.df, hf.df]).unwrap();
    assert_eq!(cat.height(), 4);

    // Extended history: Fight Song's id is not in the catalogue, and its name is not either;
    // the Beatles play has id 000… which the TidyTuesday row has.
    let ext = spotify::read_extended_history(fixture("extended")).unwrap();
    let j = join_features(&ext.df, &cat).unwrap();
    assert_eq!(j.coverage.plays, 2);
    assert_eq!(j.coverage.plays_matched_by_id, 1);
    assert_eq!(j.coverage.plays_matched_by_name, 0);
    assert_eq!(j.coverage.distinct_tracks, 2);
    assert_eq!(j.coverage.distinct_tracks_matched, 1);
    assert_eq!(
        strs(&j.coverage.top_unmatched, "track")[0].as_deref(),
        Some("Fight Song")
    );

    // Last.fm has no ids: "Let Me" by Biome matches the 114k row credited "Disfear;Biome" with
    // title "Let Me (feat. Someone)"; "Something - Remastered 2009" does not match "Something - 2019 Mix".
    let scrobbles = lastfm::read_scrobbles_csv(fixture("lastfm.csv")).unwrap();
    let j = join_features(&scrobbles.df, &cat).unwrap();
    assert_eq!(j.coverage.plays_matched_by_name, 1);
    assert_eq!(j.coverage.plays_matched_by_id, 0);
    let by: Vec<Option<String>> = strs(&j.df, MATCHED_BY);
    let i = by
        .iter()
        .position(|b| b.as_deref() == Some("name"))
        .unwrap();
    assert_eq!(strs(&j.df, "track")[i].as_deref(), Some("Let Me"));
    assert_eq!(
        strs(&j.df, MATCHED_TRACK_ID)[i].as_deref(),
        Some("2lD57M0GugEFIP6kKEA5GT")
    );
    assert_eq!(floats(&j.df, "energy")[i], Some(0.99));
    // Unmatched plays have null features, and no play was lost.
    assert_eq!(j.df.height(), scrobbles.df.height());
    assert_eq!(
        floats(&j.df, "energy")
            .iter()
            .filter(|v| v.is_none())
            .count(),
        2
    );
    assert!(
        j.coverage
            .to_string()
            .starts_with("1 of 3 plays have audio features (33.3%"),
        "{}",
        j.coverage
    );
}

#[test]
fn join_names_a_missing_column() {
    let tidy = catalogues::read_tidytuesday_songs(fixture("tidytuesday.csv")).unwrap();
    let e = join_features(&tidy.df, &tidy.df).unwrap_err();
    assert!(
        e.to_string().contains("missing column `artist` in plays"),
        "{e}"
    );
}
