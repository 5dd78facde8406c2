//! The investigations of write-up 000 on small frames; expected values from pandas / numpy
//! (peer/analysis_expectations.py prints them) or worked by hand.

use crate::common::*;
use listening::analysis::{
    self, Agg, EstimateOptions, Every, Polynomial, TopBy, TopOptions, listening::EST_MS_PLAYED,
};
use polars::prelude::*;

fn ms(s: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .expect("test timestamp")
        .and_utc()
        .timestamp_millis()
}

/// A plays table from (time, artist, album, track, ms_played, track_id) rows.
#[allow(clippy::type_complexity)]
fn plays(rows: &[(&str, &str, Option<&str>, &str, Option<i64>, Option<&str>)]) -> DataFrame {
    let n = rows.len();
    let t = Int64Chunked::from_vec("played_at".into(), rows.iter().map(|r| ms(r.0)).collect())
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_series()
        .into_column();
    DataFrame::new(
        n,
        vec![
            t,
            Column::new(
                "artist".into(),
                rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            ),
            Column::new("album".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            Column::new("track".into(), rows.iter().map(|r| r.3).collect::<Vec<_>>()),
            Column::new(
                "ms_played".into(),
                rows.iter().map(|r| r.4).collect::<Vec<_>>(),
            ),
            Column::new(
                "track_id".into(),
                rows.iter().map(|r| r.5).collect::<Vec<_>>(),
            ),
        ],
    )
    .unwrap()
}

fn times_only(ts: &[&str]) -> DataFrame {
    plays(
        &ts.iter()
            .map(|t| (*t, "a", None, "t", None, None))
            .collect::<Vec<_>>(),
    )
}

fn days(df: &DataFrame, col: &str) -> Vec<String> {
    let c = df.column(col).unwrap().cast(&DataType::Int64).unwrap();
    c.i64()
        .unwrap()
        .iter()
        .map(|v| {
            chrono::DateTime::from_timestamp_millis(v.unwrap())
                .unwrap()
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn resample_bins_follow_pandas() {
    // pandas: s.resample(rule).count() on these five timestamps.
    let df = times_only(&[
        "2021-01-03 15:00",
        "2021-01-04 01:00",
        "2021-01-17 10:00",
        "2021-01-18 00:00",
        "2021-02-01 12:00",
    ]);
    let cases: [(Every, &[&str], &[i64]); 5] = [
        (
            Every::Weeks(1),
            &[
                "2021-01-03",
                "2021-01-10",
                "2021-01-17",
                "2021-01-24",
                "2021-01-31",
                "2021-02-07",
            ],
            &[1, 1, 1, 1, 0, 1],
        ),
        (
            Every::Weeks(2),
            &["2021-01-03", "2021-01-17", "2021-01-31", "2021-02-14"],
            &[1, 2, 1, 1],
        ),
        (
            Every::Weeks(3),
            &["2021-01-03", "2021-01-24", "2021-02-14"],
            &[1, 3, 1],
        ),
        (
            Every::Days(7),
            &[
                "2021-01-03",
                "2021-01-10",
                "2021-01-17",
                "2021-01-24",
                "2021-01-31",
            ],
            &[2, 0, 2, 0, 1],
        ),
        (Every::Months(1), &["2021-01-31", "2021-02-28"], &[4, 1]),
    ];
    for (every, labels, counts) in cases {
        let out = analysis::plays_per(&df, every).unwrap();
        assert_eq!(days(&out, "period"), labels, "{every:?}");
        let got: Vec<i64> = ints(&out, "plays")
            .into_iter()
            .map(Option::unwrap)
            .collect();
        assert_eq!(got, counts, "{every:?}");
    }
    // A first day that is not a Sunday, and two-month bins.
    let df = times_only(&["2021-01-05 15:00", "2021-01-20 00:00", "2021-02-20 00:00"]);
    let out = analysis::plays_per(&df, Every::Weeks(2)).unwrap();
    assert_eq!(
        days(&out, "period"),
        ["2021-01-10", "2021-01-24", "2021-02-07", "2021-02-21"]
    );
    assert_eq!(ints(&out, "plays"), [Some(1), Some(1), Some(0), Some(1)]);
    let out = analysis::plays_per(&df, Every::Months(2)).unwrap();
    assert_eq!(days(&out, "period"), ["2021-01-31", "2021-03-31"]);
    assert_eq!(ints(&out, "plays"), [Some(2), Some(1)]);
    assert!(analysis::plays_per(&df, Every::Days(0)).is_err());
}

#[test]
fn resample_mean_skips_nulls_and_leaves_empty_bins_null() {
    let df = plays(&[
        ("2021-01-01 10:00", "a", None, "t", Some(100), None),
        ("2021-01-01 11:00", "a", None, "t", None, None),
        ("2021-01-01 12:00", "a", None, "t", Some(300), None),
        ("2021-01-03 12:00", "a", None, "t", Some(50), None),
    ]);
    let out =
        analysis::resample(&df, "played_at", Every::Days(1), &["ms_played"], Agg::Mean).unwrap();
    assert_eq!(floats(&out, "ms_played"), [Some(200.0), None, Some(50.0)]);
    let out =
        analysis::resample(&df, "played_at", Every::Days(1), &["ms_played"], Agg::Sum).unwrap();
    assert_eq!(
        floats(&out, "ms_played"),
        [Some(400.0), Some(0.0), Some(50.0)]
    );
    let out =
        analysis::resample(&df, "played_at", Every::Days(1), &["ms_played"], Agg::Count).unwrap();
    assert_eq!(ints(&out, "ms_played"), [Some(2), Some(0), Some(1)]);
    let err = analysis::resample(&df, "played_at", Every::Days(1), &["nope"], Agg::Mean)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`nope`"), "{err}");
}

#[test]
fn polynomial_fit_matches_numpy() {
    let x: Vec<f64> = (0..10).map(f64::from).collect();
    let y = [3.1, 2.0, 4.5, 6.2, 5.9, 7.7, 8.1, 7.4, 9.9, 12.0];
    let p = Polynomial::fit(&x, &y, 4).unwrap();
    // numpy.polynomial.Polynomial.fit(x, y, 4).coef
    let coef = [
        7.188281249999999,
        3.2528846153846187,
        -5.370793269230779,
        1.4373251748251659,
        5.699295236014003,
    ];
    for (a, b) in p.coef().iter().zip(coef) {
        assert!(close(*a, b, 1e-9), "{:?} vs {coef:?}", p.coef());
    }
    let values = [
        2.8265734265734386,
        2.8186480186480205,
        4.0199300699300675,
        5.524358974358972,
        6.759440559440558,
        7.486247086247086,
        7.799417249417249,
        8.127156177156175,
        9.231235431235428,
        12.20699300699301,
    ];
    for (xi, v) in x.iter().zip(values) {
        assert!(close(p.eval(*xi), v, 1e-9));
    }
    // A year's worth of x stays well conditioned: an exact quartic is recovered.
    let x: Vec<f64> = (0..365).map(f64::from).collect();
    let y: Vec<f64> = x
        .iter()
        .map(|t| 2.0 + 0.01 * t - 1e-4 * t * t + 2e-10 * t.powi(4))
        .collect();
    let p = Polynomial::fit(&x, &y, 4).unwrap();
    assert!(x.iter().zip(&y).all(|(t, v)| close(p.eval(*t), *v, 1e-8)));
    assert!(Polynomial::fit(&[1.0, 2.0], &[1.0, 2.0], 4).is_err());
    assert!(Polynomial::fit(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], 1).is_err());
}

#[test]
fn hours_per_day_fits_each_year_and_breaks_weeks_across_years() {
    let mut rows = vec![];
    let stamps: Vec<String> = (0..40)
        .map(|i| {
            let d = chrono::NaiveDate::from_ymd_opt(2020, 12, 10).unwrap() + chrono::Days::new(i);
            format!("{} 12:00", d.format("%Y-%m-%d"))
        })
        .collect();
    for (i, s) in stamps.iter().enumerate() {
        rows.push((
            s.as_str(),
            "a",
            None,
            "t",
            Some(3_600_000 * (1 + (i % 3) as i64)),
            None,
        ));
    }
    let df = plays(&rows);
    let opts = analysis::HoursOptions {
        degree: 2,
        ..Default::default()
    };
    let h = analysis::hours_per_day(&df, "ms_played", &opts).unwrap();
    assert_eq!(h.daily.height(), 40);
    assert_eq!(ints(&h.fits, "year"), [Some(2020), Some(2021)]);
    assert_eq!(ints(&h.fits, "days"), [Some(22), Some(18)]);
    // Each year's fit is the least-squares quadratic of that year's hours alone.
    let hours: Vec<f64> = floats(&h.daily, "hours")
        .into_iter()
        .map(Option::unwrap)
        .collect();
    assert_eq!(&hours[..3], &[1.0, 2.0, 3.0]);
    let x: Vec<f64> = (0..18).map(f64::from).collect();
    let p = Polynomial::fit(&x, &hours[22..], 2).unwrap();
    let fit = floats(&h.daily, "fit");
    assert!(close(fit[22 + 5].unwrap(), p.eval(5.0), 1e-12));
    // 40 days = 6 weeks of 7 from 2020-12-10; the week 2020-12-31 … 2021-01-06 holds two years.
    assert_eq!(h.weekly.height(), 6);
    let wf = floats(&h.weekly, "fit");
    assert!(
        wf[3].is_none() && wf[2].is_some() && wf[4].is_some(),
        "{wf:?}"
    );
    let wh = floats(&h.weekly, "hours");
    assert!(close(
        wh[0].unwrap(),
        (1.0 + 2.0 + 3.0 + 1.0 + 2.0 + 3.0 + 1.0) / 7.0,
        1e-12
    ));
}

#[test]
fn describe_matches_pandas() {
    let df = DataFrame::new(
        5,
        vec![Column::new(
            "energy".into(),
            vec![Some(0.5), Some(0.9), Some(0.1), Some(0.7), None],
        )],
    )
    .unwrap();
    let d = analysis::describe(&df, &["energy"]).unwrap();
    assert_eq!(
        strs(&d, "statistic")
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
        ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
    );
    let want = [4.0, 0.55, 0.34156502553198664, 0.1, 0.4, 0.6, 0.75, 0.9];
    for (got, w) in floats(&d, "energy").into_iter().zip(want) {
        assert!(close(got.unwrap(), w, 1e-12), "{got:?} vs {w}");
    }
}

fn sample() -> DataFrame {
    plays(&[
        (
            "2021-01-01 10:00",
            "Freddie Gibbs",
            Some("Piñata"),
            "Thuggin'",
            Some(180_000),
            Some("id1"),
        ),
        (
            "2021-01-01 10:03",
            "freddie gibbs",
            Some("Piñata"),
            "Thuggin'",
            Some(180_000),
            Some("id1"),
        ),
        (
            "2021-01-02 10:00",
            "Freddie Gibbs",
            Some("Bandana"),
            "Crime Pays",
            Some(240_000),
            Some("id2"),
        ),
        (
            "2021-01-02 11:00",
            "JID",
            None,
            "Never",
            Some(120_000),
            Some("id3"),
        ),
        (
            "2021-01-05 11:00",
            "JID",
            Some("The Never Story"),
            "Never",
            None,
            None,
        ),
    ])
}

#[test]
fn summary_counts_span_and_minutes() {
    let s = analysis::summary(&sample(), "ms_played").unwrap();
    assert_eq!(s.plays, 5);
    assert_eq!(s.span_days, 5);
    assert_eq!(s.plays_with_duration, 4);
    assert!(close(s.minutes, 12.0, 1e-12));
    assert!(close(s.minutes_per_day(), 2.4, 1e-12));
    let text = s.to_string();
    assert!(
        text.contains("5 plays from 2021-01-01 to 2021-01-05 (5 days, 3 of them with plays)"),
        "{text}"
    );
    assert!(text.contains("2.40 minutes/day"), "{text}");
    assert_eq!(analysis::listening::thousands(1805), "1,805");
    assert_eq!(analysis::listening::thousands(94847), "94,847");
}

#[test]
fn filters_ignore_case() {
    let df = sample();
    assert_eq!(
        analysis::filter_ci(&df, &[("artist", "FREDDIE gibbs")])
            .unwrap()
            .height(),
        3
    );
    let t = analysis::filter_ci(&df, &[("track", "never"), ("artist", "jid")]).unwrap();
    assert_eq!(t.height(), 2);
    assert!(analysis::filter_ci(&df, &[("nope", "x")]).is_err());
}

#[test]
fn distinct_tracks_and_all_plays_are_not_swapped() {
    let mut df = sample();
    df.with_column(Column::new(
        "energy".into(),
        vec![Some(1.0), Some(1.0), Some(0.0), Some(0.5), None],
    ))
    .unwrap();
    let out = analysis::distinct_vs_all(&df, &["energy"]).unwrap();
    // distinct ids id1, id2, id3: (1 + 0 + 0.5) / 3; all plays with energy: 2.5 / 4.
    assert!(close(
        floats(&out, "distinct tracks")[0].unwrap(),
        0.5,
        1e-12
    ));
    assert!(close(floats(&out, "all plays")[0].unwrap(), 0.625, 1e-12));
}

#[test]
fn top_by_groups_sorts_and_averages_plays_per_track() {
    let df = sample();
    let top = analysis::top_by(&df, &["artist"], &TopOptions::default()).unwrap();
    // Case-sensitive keys, as the data has them: "Freddie Gibbs" (2 plays, 7 min), "JID" (2 plays,
    // 2 min), "freddie gibbs" (1 play, 3 min).
    assert_eq!(
        strs(&top, "label")
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
        ["Freddie Gibbs", "freddie gibbs", "JID"]
    );
    assert!(close(floats(&top, "hours")[0].unwrap(), 7.0 / 60.0, 1e-12));
    assert_eq!(ints(&top, "plays"), [Some(2), Some(1), Some(2)]);
    let by_ppt = analysis::top_by(
        &df,
        &["artist"],
        &TopOptions {
            by: TopBy::PlaysPerTrack,
            n: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(strs(&by_ppt, "label"), [Some("JID".to_string())]);
    assert!(close(
        floats(&by_ppt, "plays_per_track")[0].unwrap(),
        2.0,
        1e-12
    ));
    // Albums: the play without an album is in no group; the label joins the keys.
    let albums = analysis::top_by(&df, &["album", "artist"], &TopOptions::default()).unwrap();
    assert_eq!(ints(&albums, "plays").iter().flatten().sum::<i64>(), 4);
    assert!(strs(&albums, "label").contains(&Some("Bandana - Freddie Gibbs".to_string())));
}

#[test]
fn durations_are_estimated_from_gaps_and_capped() {
    let df = plays(&[
        ("2021-01-01 10:00", "a", None, "x", None, None),
        ("2021-01-01 10:02", "a", None, "y", None, None),
        ("2021-01-01 18:00", "a", None, "z", None, None),
        ("2021-01-01 19:00", "a", None, "w", Some(1000), None),
    ]);
    let out = analysis::estimate_durations(&df, &EstimateOptions::default()).unwrap();
    assert_eq!(
        floats(&out, EST_MS_PLAYED),
        [
            Some(120_000.0),
            Some(210_000.0),
            Some(210_000.0),
            Some(1000.0)
        ]
    );
    let flags: Vec<Option<bool>> = out
        .column("duration_estimated")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(flags, [Some(true), Some(true), Some(true), Some(false)]);
}

fn catalogue() -> DataFrame {
    DataFrame::new(
        3,
        vec![
            Column::new("track_id".into(), ["id1", "id2", "id3"]),
            Column::new("name".into(), ["Thuggin'", "Crime Pays", "Never"]),
            Column::new("artists".into(), ["Freddie Gibbs", "Freddie Gibbs", "JID"]),
            Column::new("duration_ms".into(), [200_000i64, 250_000, 150_000]),
            Column::new("label".into(), ["rap", "rap", "rap"]),
            Column::new("energy".into(), [Some(0.8), Some(0.4), None]),
        ],
    )
    .unwrap()
}

#[test]
fn plays_join_playlists_by_id_then_by_name() {
    let members = DataFrame::new(
        4,
        vec![
            Column::new("playlist".into(), ["gibbs", "gibbs", "all", "all"]),
            Column::new("track_id".into(), ["id1", "id2", "id1", "id3"]),
        ],
    )
    .unwrap();
    let pp = analysis::playlist_plays(&sample(), &members, &catalogue()).unwrap();
    // id1 twice (both playlists), id2 once, id3 once, the id-less JID play by name.
    assert_eq!((pp.plays_by_id, pp.plays_by_name), (4, 1));
    assert_eq!(pp.df.height(), 2 * 2 + 1 + 1 + 1);
    let stats = analysis::playlist_stats(&pp, &members, &catalogue(), "ms_played").unwrap();
    assert_eq!(
        strs(&stats, "playlist")
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
        ["gibbs", "all"]
    );
    // gibbs: 3 plays, 600,000 ms; 2 tracks of mean length 225,000 ms -> 600/450 = 1.333 plays/track.
    assert!(close(
        floats(&stats, "plays_per_track")[0].unwrap(),
        600.0 / 450.0,
        1e-12
    ));
    assert_eq!(ints(&stats, "plays"), [Some(3), Some(4)]);
    let prof =
        analysis::playlist_profile(&members, &catalogue(), &["all", "gibbs"], &["energy"]).unwrap();
    // "all" has id1 (0.8) and id3 (no energy: not counted).
    assert_eq!(ints(&prof, "tracks"), [Some(1), Some(2)]);
    assert!(close(floats(&prof, "energy")[1].unwrap(), 0.6, 1e-12));
    let err = analysis::playlist_profile(&members, &catalogue(), &["nope"], &["energy"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("`nope`"), "{err}");
    let from_labels = analysis::memberships_from_labels(&catalogue()).unwrap();
    assert_eq!(from_labels.height(), 3);
}

#[test]
fn long_runs_without_plays_are_gaps_only_when_asked() {
    let df = plays(&[
        ("2019-12-30 10:00", "a", None, "t", Some(3_600_000), None),
        ("2019-12-31 10:00", "a", None, "t", Some(7_200_000), None),
        ("2020-01-02 10:00", "a", None, "t", Some(0), None),
        ("2021-01-01 10:00", "a", None, "t", Some(3_600_000), None),
        ("2021-01-02 10:00", "a", None, "t", Some(3_600_000), None),
    ]);
    // pandas: every day without plays is 0 h.
    let h = analysis::hours_per_day(
        &df,
        "ms_played",
        &analysis::HoursOptions {
            degree: 1,
            gap_days: None,
        },
    )
    .unwrap();
    let hours = floats(&h.daily, "hours");
    assert_eq!(hours.len(), 2 + 366 + 2);
    assert!(hours.iter().all(Option::is_some));
    assert_eq!(ints(&h.fits, "days"), [Some(2), Some(366), Some(2)]);
    // A run of 28+ empty days is missing data: 2020-01-01 (1 empty day) stays 0 h, 2020-01-02
    // has a play (of 0 ms), 2020-01-03 … 2020-12-31 (364 days) are null.
    let opts = analysis::HoursOptions {
        degree: 1,
        gap_days: Some(28),
    };
    let h = analysis::hours_per_day(&df, "ms_played", &opts).unwrap();
    let hours = floats(&h.daily, "hours");
    assert_eq!(&hours[..4], &[Some(1.0), Some(2.0), Some(0.0), Some(0.0)]);
    assert!(hours[4..368].iter().all(Option::is_none));
    assert_eq!(ints(&h.fits, "year"), [Some(2019), Some(2020), Some(2021)]);
    assert_eq!(ints(&h.fits, "days"), [Some(2), Some(2), Some(2)]);
    assert_eq!(floats(&h.fits, "mean_hours")[1], Some(0.0));
    // The 2019 line through (0, 1) and (1, 2) is exact; no fit on the gap.
    let fit = floats(&h.daily, "fit");
    assert!(close(fit[1].unwrap(), 2.0, 1e-12));
    assert!(fit[100].is_none());
    let zero = analysis::HoursOptions {
        degree: 1,
        gap_days: Some(0),
    };
    assert!(analysis::hours_per_day(&df, "ms_played", &zero).is_err());
}

#[test]
fn unmatched_tracks_agree_with_the_coverage_count() {
    let cat = catalogue();
    let df = plays(&[
        (
            "2021-01-01 10:00",
            "Freddie Gibbs",
            None,
            "Thuggin'",
            Some(1),
            None,
        ),
        (
            "2021-01-01 10:05",
            "Freddie Gibbs",
            None,
            "Thuggin' - Remastered",
            Some(1),
            None,
        ),
        (
            "2021-01-01 10:10",
            "Nobody",
            None,
            "Unknown Song",
            Some(1),
            None,
        ),
        (
            "2021-01-01 10:15",
            "nobody",
            None,
            "Unknown Song (feat. X)",
            Some(1),
            None,
        ),
        ("2021-01-01 10:20", "Other", None, "Else", Some(1), None),
    ]);
    let mut full = cat.clone();
    for f in [
        "danceability",
        "key",
        "loudness",
        "mode",
        "speechiness",
        "acousticness",
        "instrumentalness",
        "liveness",
        "valence",
        "tempo",
        "time_signature",
    ] {
        full.with_column(Column::new(f.into(), [Some(0.5f64), Some(0.5), Some(0.5)]))
            .unwrap();
    }
    full.with_column(Column::new("popularity".into(), [1i64, 2, 3]))
        .unwrap();
    full.with_column(Column::new("album".into(), ["x", "y", "z"]))
        .unwrap();
    let cat = analysis::combine_tracks(&[full]).unwrap();
    let joined = analysis::join_features(&df, &cat).unwrap();
    let missing = analysis::unmatched_tracks(&joined).unwrap();
    let c = &joined.coverage;
    assert_eq!(
        missing.height(),
        c.distinct_tracks - c.distinct_tracks_matched
    );
    // "Unknown Song" and its "feat." spelling are one track, played twice.
    assert_eq!(strs(&missing, "artist")[0].as_deref(), Some("Nobody"));
    assert_eq!(ints(&missing, "plays"), [Some(2), Some(1)]);
}
