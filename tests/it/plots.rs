//! The chart helpers of `plots`: structure of the SVG they draw (legend order and colours,
//! labels, percentages, annotations, layout) and their errors.
//!
//! Set `LISTENING_SVG_OUT=/some/dir` to also write each chart there, to look at.

use listening::plots::{
    BarsOptions, Colormap, Figure, HeatmapOptions, LineOptions, PieOptions, grouped_bars, heatmap,
    line_fit, lines, panels, pie, profile,
};
use ndarray::array;
use polars::prelude::*;

fn save(fig: &Figure, name: &str) {
    if let Ok(dir) = std::env::var("LISTENING_SVG_OUT") {
        fig.save(format!("{dir}/{name}.svg")).unwrap();
    }
}

/// Byte offset of the `<text` tag of the text element whose content is exactly `text`
/// (plotters writes the content on a line of its own).
fn text_at(svg: &str, text: &str) -> Option<usize> {
    let content = svg.find(&format!(">\n{text}\n</text>"))?;
    svg[..content].rfind("<text")
}

/// The last fill colour set before `pos` (uppercase `#RRGGBB`, as plotters writes it).
fn fill_before(svg: &str, pos: usize) -> String {
    let head = &svg[..pos];
    let i = head.rfind("fill=\"#").expect("a fill before");
    head[i + 6..i + 13].to_string()
}

/// How many lines (polylines: runs of a series, and legend swatches) are drawn in `color`.
fn lines_in(svg: &str, color: &str) -> usize {
    svg.split("<polyline")
        .skip(1)
        .filter(|p| {
            p.split('>')
                .next()
                .unwrap()
                .contains(&format!("stroke=\"{color}\""))
        })
        .count()
}

/// The last stroke colour set before `pos`.
fn stroke_before(svg: &str, pos: usize) -> String {
    let head = &svg[..pos];
    let i = head.rfind("stroke=\"#").expect("a stroke before");
    head[i + 8..i + 15].to_string()
}

fn training() -> DataFrame {
    DataFrame::new(
        5,
        vec![
            Column::new("epoch".into(), vec![1i64, 2, 3, 4, 5]),
            Column::new("accuracy".into(), vec![0.5, 0.6, 0.7, 0.75, 0.8]),
            Column::new(
                "val_accuracy".into(),
                vec![Some(0.45), Some(0.55), None, Some(0.6), Some(0.62)],
            ),
            Column::new("name".into(), vec!["a", "b", "c", "d", "e"]),
        ],
    )
    .unwrap()
}

#[test]
fn colormap_endpoints_are_matplotlibs() {
    assert_eq!(Colormap::Viridis.hex(0.0), "#440154");
    assert_eq!(Colormap::Viridis.hex(1.0), "#fde725");
    assert_eq!(Colormap::Inferno.hex(0.0), "#000004");
    assert_eq!(Colormap::Coolwarm.hex(1.0), "#b40426");
    assert_eq!(Colormap::Coolwarm.hex(0.5), "#dddddd");
    // Clamped outside 0–1, and halfway between two anchors is their mean.
    assert_eq!(Colormap::Viridis.hex(-3.0), "#440154");
    assert_eq!(Colormap::Viridis.hex(1.0 / 16.0), "#461768");
}

#[test]
fn lines_draw_one_line_per_column_with_legend_in_order() {
    let opts = LineOptions {
        title: "training".into(),
        x_label: Some("epoch".into()),
        y_range: Some((0.0, 1.0)),
        points: true,
        ..Default::default()
    };
    let fig = lines(&training(), "epoch", &["accuracy", "val_accuracy"], &opts).unwrap();
    save(&fig, "lines_training");
    let svg = fig.as_svg();
    let a = text_at(svg, "accuracy").expect("legend accuracy");
    let v = text_at(svg, "val_accuracy").expect("legend val_accuracy");
    assert!(a < v, "legend order");
    assert_eq!(stroke_before(svg, a), "#1F77B4");
    assert_eq!(stroke_before(svg, v), "#FF7F0E");
    assert!(text_at(svg, "training").is_some());
    // Numeric x: epochs as tick labels.
    assert!(text_at(svg, "3").is_some(), "{svg}");
    assert!(text_at(svg, "2.5").is_none() && text_at(svg, "3.0").is_none());
    // val_accuracy breaks at its null: two runs (accuracy one), each + a legend swatch.
    assert_eq!(lines_in(svg, "#1F77B4"), 1 + 1);
    assert_eq!(lines_in(svg, "#FF7F0E"), 2 + 1);
}

#[test]
fn lines_take_datetime_and_date_x_with_date_labels() {
    // 2023-01-01 .. 2023-12-31 every ~30 days, in milliseconds.
    let ms: Vec<i64> = (0..13)
        .map(|i| 1_672_531_200_000 + i * 30 * 86_400_000)
        .collect();
    let ys: Vec<f64> = (0..13).map(|i| (i as f64).sin()).collect();
    for (unit, scale) in [
        (TimeUnit::Milliseconds, 1),
        (TimeUnit::Microseconds, 1_000),
        (TimeUnit::Nanoseconds, 1_000_000),
    ] {
        let t = Column::new("t".into(), ms.iter().map(|m| m * scale).collect::<Vec<_>>())
            .cast(&DataType::Datetime(unit, None))
            .unwrap();
        let df = DataFrame::new(13, vec![t, Column::new("plays".into(), ys.clone())]).unwrap();
        let fig = lines(&df, "t", &["plays"], &LineOptions::default()).unwrap();
        let svg = fig.as_svg();
        assert!(
            text_at(svg, "2023-05").is_some() && text_at(svg, "2023-11").is_some(),
            "{unit:?}: {svg}"
        );
        assert!(!svg.contains("1672531200000"));
        save(&fig, "lines_datetime");
    }
    // Days since the epoch as a Date, over two weeks: day labels.
    let d = Column::new("day".into(), (19_448..19_462).collect::<Vec<i32>>())
        .cast(&DataType::Date)
        .unwrap();
    let df = DataFrame::new(
        14,
        vec![
            d,
            Column::new("h".into(), (0..14).map(f64::from).collect::<Vec<_>>()),
        ],
    )
    .unwrap();
    let svg = lines(&df, "day", &["h"], &LineOptions::default())
        .unwrap()
        .into_svg();
    assert!(svg.contains(">\n2023-04-"), "{svg}");
}

#[test]
fn nulls_leave_gaps_and_never_panic() {
    let df = DataFrame::new(
        4,
        vec![
            Column::new("x".into(), vec![Some(1.0), None, Some(3.0), Some(4.0)]),
            Column::new("y".into(), vec![None, Some(2.0), Some(f64::NAN), Some(1.0)]),
            Column::new("none".into(), vec![None::<f64>; 4]),
        ],
    )
    .unwrap();
    let fig = lines(&df, "x", &["y", "none"], &LineOptions::default()).unwrap();
    assert!(text_at(fig.as_svg(), "none").is_some());
    // Only x nulls: nothing to place.
    let e = lines(&df, "none", &["y"], &LineOptions::default()).unwrap_err();
    assert!(e.to_string().contains("`none`"), "{e}");
}

#[test]
fn missing_or_non_numeric_columns_are_named() {
    let df = training();
    let o = LineOptions::default();
    let e = lines(&df, "epoch", &["accuracy", "loss"], &o).unwrap_err();
    assert!(e.to_string().contains("`loss`"), "{e}");
    let e = lines(&df, "epoch", &["name"], &o).unwrap_err();
    assert!(
        e.to_string().contains("`name`") && e.to_string().contains("numeric"),
        "{e}"
    );
    let e = lines(&df, "name", &["accuracy"], &o).unwrap_err();
    assert!(e.to_string().contains("`name`"), "{e}");
    let e = profile(&df, "name", &["accuracy", "nope"], &o).unwrap_err();
    assert!(e.to_string().contains("`nope`"), "{e}");
    let e = grouped_bars(&df, "name", &["nope"], &BarsOptions::default()).unwrap_err();
    assert!(e.to_string().contains("`nope`"), "{e}");
    let e = pie(&df, "name", "nope", &PieOptions::default()).unwrap_err();
    assert!(e.to_string().contains("`nope`"), "{e}");
    let e = line_fit(&df, "epoch", "accuracy", "accuracy", Some("year"), &o).unwrap_err();
    assert!(e.to_string().contains("`year`"), "{e}");
    let empty = df.slice(0, 0);
    let e = lines(&empty, "epoch", &["accuracy"], &o).unwrap_err();
    assert!(e.to_string().contains("no rows"), "{e}");
    assert!(lines(&df, "epoch", &[], &o).is_err());
    let bad = LineOptions {
        y_range: Some((1.0, 0.0)),
        ..Default::default()
    };
    assert!(lines(&df, "epoch", &["accuracy"], &bad).is_err());
}

#[test]
fn line_fit_breaks_the_fit_at_nulls_and_group_changes() {
    let n = 8;
    let df = DataFrame::new(
        n,
        vec![
            Column::new("day".into(), (0..n as i64).collect::<Vec<_>>()),
            Column::new("hours".into(), vec![1.0, 2.0, 1.5, 3.0, 2.0, 2.5, 1.0, 2.0]),
            Column::new(
                "fit".into(),
                vec![
                    Some(1.2),
                    Some(1.6),
                    Some(2.0),
                    Some(2.2),
                    Some(2.1),
                    None,
                    Some(1.6),
                    Some(1.5),
                ],
            ),
            Column::new(
                "year".into(),
                vec![2022i32, 2022, 2022, 2023, 2023, 2023, 2023, 2023],
            ),
        ],
    )
    .unwrap();
    let fig = line_fit(
        &df,
        "day",
        "hours",
        "fit",
        Some("year"),
        &LineOptions::default(),
    )
    .unwrap();
    save(&fig, "line_fit");
    let svg = fig.as_svg();
    let f22 = text_at(svg, "fit 2022").expect("legend 2022");
    let f23 = text_at(svg, "fit 2023").expect("legend 2023");
    assert_eq!(
        stroke_before(svg, text_at(svg, "hours").unwrap()),
        "#1F77B4"
    );
    assert_eq!(stroke_before(svg, f22), "#FF7F0E");
    assert_eq!(stroke_before(svg, f23), "#2CA02C");
    // Fit lines are twice as thick: 2022 in one run, 2023 in two (null at row 5), + 2 swatches.
    assert_eq!(
        svg.matches("stroke-width=\"4\"").count(),
        1 + 2 + 2,
        "{svg}"
    );
    // Without a group, one fit line broken only at the null.
    let svg = line_fit(&df, "day", "hours", "fit", None, &LineOptions::default())
        .unwrap()
        .into_svg();
    assert_eq!(svg.matches("stroke-width=\"4\"").count(), 2 + 1);
}

#[test]
fn grouped_bars_legend_matches_bar_order_and_colours() {
    let df = DataFrame::new(
        3,
        vec![
            Column::new(
                "feature".into(),
                vec!["energy", "valence", "instrumentalness"],
            ),
            Column::new("distinct tracks".into(), vec![Some(0.6), Some(0.4), None]),
            Column::new("all plays".into(), vec![0.7, 0.5, 0.1]),
        ],
    )
    .unwrap();
    let opts = BarsOptions {
        title: "features".into(),
        y_range: Some((0.0, 1.0)),
        ..Default::default()
    };
    let fig = grouped_bars(&df, "feature", &["distinct tracks", "all plays"], &opts).unwrap();
    save(&fig, "grouped_bars");
    let svg = fig.as_svg();
    let d = text_at(svg, "distinct tracks").expect("legend distinct tracks");
    let a = text_at(svg, "all plays").expect("legend all plays");
    assert!(d < a, "legend order");
    assert_eq!(fill_before(svg, d), "#1F77B4");
    assert_eq!(fill_before(svg, a), "#FF7F0E");
    // Bars: 2 blue (the null draws none) and 3 orange, + one legend swatch each.
    assert_eq!(svg.matches("fill=\"#1F77B4\"").count(), 2 + 1);
    assert_eq!(svg.matches("fill=\"#FF7F0E\"").count(), 3 + 1);
    // The first series' bars sit left of the second's in each group.
    let x_of = |color: &str| -> Vec<f64> {
        svg.split("<rect")
            .filter(|r| r.contains(&format!("fill=\"{color}\"")))
            .map(|r| {
                let i = r.find("x=\"").unwrap() + 3;
                r[i..].split('"').next().unwrap().parse::<f64>().unwrap()
            })
            .collect()
    };
    let (blue, orange) = (x_of("#1F77B4"), x_of("#FF7F0E"));
    assert!(blue[0] < orange[0] && blue[1] < orange[1] && orange[1] < orange[2]);
    for f in ["energy", "valence", "instrumentalness"] {
        assert!(text_at(svg, f).is_some(), "{f}");
    }
}

#[test]
fn pie_labels_carry_shares_of_the_total() {
    let df = DataFrame::new(
        3,
        vec![
            Column::new("source".into(), vec!["spotify", "lastfm", "other"]),
            Column::new("plays".into(), vec![Some(3i64), Some(1), None]),
        ],
    )
    .unwrap();
    let fig = pie(&df, "source", "plays", &PieOptions::default()).unwrap();
    save(&fig, "pie");
    let svg = fig.as_svg();
    let s = text_at(svg, "spotify (75.0%)").expect("spotify share");
    let l = text_at(svg, "lastfm (25.0%)").expect("lastfm share");
    assert!(s < l);
    assert_eq!(fill_before(svg, s), "#1F77B4");
    assert!(!svg.contains("other ("), "null value draws no slice");
    let total: f64 = svg
        .split("%)\n<")
        .filter_map(|p| p.rsplit('(').next()?.parse::<f64>().ok())
        .sum();
    assert!((total - 100.0).abs() < 1e-9, "{total}");

    let zero = DataFrame::new(
        2,
        vec![
            Column::new("l".into(), vec!["a", "b"]),
            Column::new("v".into(), vec![0.0, 0.0]),
        ],
    )
    .unwrap();
    let e = pie(&zero, "l", "v", &PieOptions::default()).unwrap_err();
    assert!(e.to_string().contains("positive total"), "{e}");
    let neg = DataFrame::new(
        2,
        vec![
            Column::new("l".into(), vec!["a", "b"]),
            Column::new("v".into(), vec![2.0, -1.0]),
        ],
    )
    .unwrap();
    let e = pie(&neg, "l", "v", &PieOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("negative") && e.to_string().contains("`b`"),
        "{e}"
    );
}

#[test]
fn heatmap_annotates_values_and_nan_with_row_zero_on_top() {
    let m = array![[0.25, 0.75], [f64::NAN, 1.0]];
    let rows = vec!["pop".to_string(), "rock".to_string()];
    let cols = vec!["predicted pop".to_string(), "predicted rock".to_string()];
    let opts = HeatmapOptions {
        title: "confusion".into(),
        x_label: Some("predicted".into()),
        y_label: Some("actual".into()),
        ..Default::default()
    };
    let fig = heatmap(&m, &rows, &cols, &opts).unwrap();
    save(&fig, "heatmap");
    let svg = fig.as_svg();
    for t in [
        "0.25",
        "0.75",
        "1.00",
        "nan",
        "pop",
        "rock",
        "predicted rock",
        "actual",
    ] {
        assert!(text_at(svg, t).is_some(), "{t}: {svg}");
    }
    // Low end of viridis is dark: white text; the high end is light: black text.
    let low = text_at(svg, "0.25").unwrap();
    let high = text_at(svg, "1.00").unwrap();
    let tag = |pos: usize| svg[pos..].split('>').next().unwrap();
    assert!(tag(low).contains("fill=\"#FFFFFF\""), "{}", tag(low));
    assert!(tag(high).contains("fill=\"#000000\""), "{}", tag(high));
    // Cells are drawn row by row from the top: 0.25 (row 0) is above 1.00 (row 1).
    let y_of = |pos: usize| -> i32 {
        let tag = svg[pos..].split('>').next().unwrap();
        let i = tag.find(" y=\"").unwrap() + 4;
        tag[i..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(y_of(low) < y_of(high));
    assert!(svg.contains("fill=\"#440154\"") && svg.contains("fill=\"#FDE725\""));
    assert!(svg.contains("fill=\"#BFBFBF\""), "nan cell grey");

    let e = heatmap(&m, &rows[..1], &cols, &opts).unwrap_err();
    assert!(e.to_string().contains("1 row labels"), "{e}");
    assert!(heatmap(&m, &rows, &cols[..1], &opts).is_err());
    let empty = ndarray::Array2::<f64>::zeros((0, 0));
    assert!(heatmap(&empty, &[], &[], &opts).is_err());
    let decimals = HeatmapOptions {
        decimals: 0,
        annotate: true,
        colormap: Colormap::Coolwarm,
        colorbar: false,
        range: Some((0.0, 2.0)),
        ..Default::default()
    };
    let svg = heatmap(&m, &rows, &cols, &decimals).unwrap().into_svg();
    assert!(text_at(&svg, "1").is_some() && text_at(&svg, "0.25").is_none());
}

#[test]
fn profile_draws_one_line_per_row_over_named_columns() {
    let df = DataFrame::new(
        2,
        vec![
            Column::new("playlist".into(), vec!["Running", "Sleep"]),
            Column::new("danceability".into(), vec![0.7, 0.3]),
            Column::new("energy".into(), vec![Some(0.9), None]),
            Column::new("valence".into(), vec![0.6, 0.2]),
            Column::new("acousticness".into(), vec![0.1, 0.9]),
        ],
    )
    .unwrap();
    let cols = ["danceability", "energy", "valence", "acousticness"];
    let opts = LineOptions {
        y_range: Some((0.0, 1.0)),
        title: "average playlist descriptor".into(),
        ..Default::default()
    };
    let fig = profile(&df, "playlist", &cols, &opts).unwrap();
    save(&fig, "profile");
    let svg = fig.as_svg();
    for c in cols {
        assert!(text_at(svg, c).is_some(), "{c}");
    }
    let r = text_at(svg, "Running").unwrap();
    let s = text_at(svg, "Sleep").unwrap();
    assert!(r < s);
    assert_eq!(stroke_before(svg, r), "#1F77B4");
    assert_eq!(stroke_before(svg, s), "#FF7F0E");
    // Running's line is whole, Sleep's breaks at its null energy; each + a legend swatch.
    assert_eq!(lines_in(svg, "#1F77B4"), 1 + 1);
    assert_eq!(lines_in(svg, "#FF7F0E"), 2 + 1);
}

#[test]
fn panels_compose_figures_in_a_grid() {
    let a = Figure::draw(400, 300, |_| Ok(())).unwrap();
    let b = Figure::from_svg(
        "<?xml version=\"1.0\"?>\n<svg width=\"400\" height=\"300\" xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"3\"/></svg>"
            .into(),
        400,
        300,
    );
    let p = panels(&[a.clone(), b.clone()], 2).unwrap();
    assert_eq!(p.size(), (800, 300));
    let svg = p.as_svg();
    assert!(svg.starts_with("<svg width=\"800\" height=\"300\""));
    assert_eq!(svg.matches("<svg").count(), 3);
    assert!(!svg.contains("<?xml"));
    assert!(svg.contains(a.as_svg().trim()));
    assert!(svg.contains("<circle r=\"3\"/>"));
    assert!(svg.contains("translate(400,0)"));
    // Three in two columns: two rows; the third goes under the first.
    let p = panels(&[a.clone(), b.clone(), a.clone()], 2).unwrap();
    assert_eq!(p.size(), (800, 600));
    assert!(p.as_svg().contains("translate(0,300)"));
    // One column of different sizes: as wide as the widest.
    let small = Figure::draw(200, 100, |_| Ok(())).unwrap();
    assert_eq!(panels(&[a.clone(), small], 1).unwrap().size(), (400, 400));
    assert!(panels(&[], 2).is_err());
    assert!(panels(&[a], 0).is_err());
}

#[test]
fn real_charts_compose_into_one_figure() {
    let o = LineOptions {
        width: 500,
        height: 300,
        ..Default::default()
    };
    let l = lines(&training(), "epoch", &["accuracy", "val_accuracy"], &o).unwrap();
    let h = heatmap(
        &array![[3.0, 1.0], [0.0, 4.0]],
        &["a".to_string(), "b".to_string()],
        &["a".to_string(), "b".to_string()],
        &HeatmapOptions {
            width: 400,
            height: 300,
            decimals: 0,
            ..Default::default()
        },
    )
    .unwrap();
    let p = panels(&[l, h], 2).unwrap();
    assert_eq!(p.size(), (900, 300));
    save(&p, "panels");
}

use listening::schema::DESCRIPTORS as FEATURES;

#[test]
fn seven_features_over_three_years_lay_out() {
    // Feature means every three weeks from 2021-01-04, as a microsecond datetime.
    let n = 52;
    let t = Column::new(
        "week".into(),
        (0..n as i64)
            .map(|i| (1_609_718_400_000 + i * 21 * 86_400_000) * 1000)
            .collect::<Vec<_>>(),
    )
    .cast(&DataType::Datetime(TimeUnit::Microseconds, None))
    .unwrap();
    let mut cols = vec![t];
    for (k, f) in FEATURES.iter().enumerate() {
        cols.push(Column::new(
            (*f).into(),
            (0..n)
                .map(|i| 0.1 * k as f64 + 0.05 * ((i + k) as f64 / 4.0).sin() + 0.1)
                .collect::<Vec<_>>(),
        ));
    }
    let df = DataFrame::new(n, cols).unwrap();
    let opts = LineOptions {
        title: "listening palette".into(),
        y_range: Some((0.0, 1.0)),
        y_label: Some("mean".into()),
        ..Default::default()
    };
    let fig = lines(&df, "week", &FEATURES, &opts).unwrap();
    save(&fig, "palette");
    let svg = fig.as_svg();
    let mut last = 0;
    for (k, f) in FEATURES.iter().enumerate() {
        let at = text_at(svg, f).unwrap_or_else(|| panic!("{f}"));
        assert!(at > last, "legend order at {f}");
        last = at;
        assert_eq!(
            stroke_before(svg, at),
            listening::plots::hex(listening::plots::tab10(k)).to_uppercase()
        );
    }
    // About three years: yearly or half-yearly labels, not one per point.
    let years = ["2021", "2022", "2023"];
    assert!(
        years.iter().all(|y| svg.contains(&format!(">\n{y}"))),
        "{svg}"
    );

    // The same features as groups and as a profile: all seven names drawn.
    let means = DataFrame::new(
        7,
        vec![
            Column::new("feature".into(), FEATURES.to_vec()),
            Column::new(
                "distinct tracks".into(),
                vec![0.6, 0.7, 0.1, 0.3, 0.2, 0.2, 0.5],
            ),
            Column::new(
                "all plays".into(),
                vec![0.65, 0.72, 0.08, 0.25, 0.3, 0.18, 0.45],
            ),
        ],
    )
    .unwrap();
    let bars = grouped_bars(
        &means,
        "feature",
        &["distinct tracks", "all plays"],
        &BarsOptions::default(),
    )
    .unwrap();
    let playlists = DataFrame::new(
        3,
        std::iter::once(Column::new(
            "playlist".into(),
            vec!["Running", "Sleep", "Focus"],
        ))
        .chain(FEATURES.iter().enumerate().map(|(k, f)| {
            Column::new((*f).into(), vec![0.1 * k as f64, 0.9 - 0.1 * k as f64, 0.5])
        }))
        .collect(),
    )
    .unwrap();
    let prof = profile(&playlists, "playlist", &FEATURES, &LineOptions::default()).unwrap();
    for svg in [bars.as_svg(), prof.as_svg()] {
        for f in FEATURES {
            assert!(text_at(svg, f).is_some(), "{f}");
        }
    }
    save(&bars, "grouped_seven");
    save(&prof, "profile_seven");
    let all = panels(&[fig, bars, prof], 2).unwrap();
    assert_eq!(all.size(), (1600, 900));
    save(&all, "panels_seven");
}

#[test]
fn large_heatmap_scales_its_text_down() {
    let (r, c) = (12, 15);
    let m = ndarray::Array2::from_shape_fn((r, c), |(i, j)| (i * c + j) as f64 / (r * c) as f64);
    let rows: Vec<String> = (0..r)
        .map(|i| format!("C={}", 10f64.powi(i as i32 - 6)))
        .collect();
    let cols: Vec<String> = (0..c).map(|j| format!("gamma {j}")).collect();
    let opts = HeatmapOptions {
        colormap: Colormap::Inferno,
        x_label: Some("gamma".into()),
        y_label: Some("C".into()),
        ..Default::default()
    };
    let fig = heatmap(&m, &rows, &cols, &opts).unwrap();
    save(&fig, "heatmap_large");
    let svg = fig.as_svg();
    // Every cell annotated, every label drawn.
    let annotations = svg
        .split(">\n0.")
        .skip(1)
        .filter(|s| s.len() > 2 && s.as_bytes()[2] == b'\n')
        .count();
    assert_eq!(annotations, r * c);
    assert!(text_at(svg, "gamma 14").is_some() && text_at(svg, "C=100000").is_some());
}

#[test]
fn tiny_figures_draw_or_fail_without_panicking() {
    for (w, h) in [(1, 1), (60, 40), (120, 80)] {
        let o = LineOptions {
            width: w,
            height: h,
            title: "a title longer than the figure".into(),
            ..Default::default()
        };
        let _ = lines(&training(), "epoch", &["accuracy", "val_accuracy"], &o);
        let _ = profile(&training(), "name", &["accuracy", "val_accuracy"], &o);
        let b = BarsOptions {
            width: w,
            height: h,
            ..Default::default()
        };
        let _ = grouped_bars(&training(), "name", &["accuracy"], &b);
        let p = PieOptions {
            width: w,
            height: h,
            ..Default::default()
        };
        let _ = pie(&training(), "name", "accuracy", &p);
        let hm = HeatmapOptions {
            width: w,
            height: h,
            ..Default::default()
        };
        let _ = heatmap(&array![[1.0]], &["a".into()], &["b".into()], &hm);
    }
}

#[test]
fn scatter_colours_by_category_and_samples_large_sets() {
    use listening::plots::{ScatterOptions, scatter};
    let n = 300;
    let df = DataFrame::new(
        n,
        vec![
            Column::new("x".into(), (0..n).map(|i| i as f64).collect::<Vec<_>>()),
            Column::new(
                "y".into(),
                (0..n).map(|i| (i % 7) as f64).collect::<Vec<_>>(),
            ),
            Column::new(
                "cluster".into(),
                (0..n).map(|i| format!("c{}", i % 3)).collect::<Vec<_>>(),
            ),
        ],
    )
    .unwrap();
    let fig = scatter(&df, "x", "y", "cluster", &ScatterOptions::default()).unwrap();
    let svg = fig.as_svg();
    for c in ["c0", "c1", "c2"] {
        assert!(svg.contains(c), "legend lacks {c}");
    }
    assert_eq!(svg.matches("<circle").count(), n);
    let opts = ScatterOptions {
        max_points: 100,
        ..Default::default()
    };
    let svg = scatter(&df, "x", "y", "cluster", &opts).unwrap().into_svg();
    assert_eq!(svg.matches("<circle").count(), 100);
    assert!(svg.contains("100 of 300 rows drawn"));
    let again = scatter(&df, "x", "y", "cluster", &opts).unwrap().into_svg();
    assert_eq!(svg, again, "the sample is seeded");
    assert!(scatter(&df, "x", "nope", "cluster", &opts).is_err());
}

#[test]
fn stacked_bars_sort_by_total_and_refuse_negative_values() {
    use listening::plots::{StackedOptions, stacked_barh};
    let df = DataFrame::new(
        4,
        vec![
            Column::new("feature".into(), ["energy", "energy", "tempo", "tempo"]),
            Column::new("class".into(), ["rock", "pop", "rock", "pop"]),
            Column::new("shap".into(), [0.1, 0.2, 0.5, 0.4]),
        ],
    )
    .unwrap();
    let svg = stacked_barh(&df, "feature", "class", "shap", &StackedOptions::default())
        .unwrap()
        .into_svg();
    // tempo (0.9) is on top of energy (0.3): it is drawn first, higher up.
    let (t, e) = (svg.find("tempo").unwrap(), svg.find("energy").unwrap());
    assert!(t < e);
    assert!(svg.contains("rock") && svg.contains("pop"));
    let bad = DataFrame::new(
        1,
        vec![
            Column::new("feature".into(), ["a"]),
            Column::new("class".into(), ["x"]),
            Column::new("shap".into(), [-1.0]),
        ],
    )
    .unwrap();
    assert!(stacked_barh(&bad, "feature", "class", "shap", &StackedOptions::default()).is_err());
}

/// The attributes of the first `<svg …>` start tag of `svg`, as written.
fn root_attrs(svg: &str) -> String {
    let start = svg.find("<svg").expect("an <svg> tag");
    let end = start + svg[start..].find('>').expect("a closed tag");
    svg[start + 4..end].to_string()
}

#[test]
fn figures_show_scaled_to_the_column_and_save_at_natural_size() {
    // Two panels side by side: 1,600 px, wider than a notebook column.
    let one = Figure::draw(800, 450, |_| Ok(())).unwrap();
    let wide = panels(&[one.clone(), one], 2).unwrap();
    let shown = wide.responsive_svg();
    let root = root_attrs(&shown);
    assert!(root.contains("width=\"100%\""), "{root}");
    assert!(root.contains("max-width:1600px"), "{root}");
    assert!(root.contains("height:auto"), "{root}");
    assert!(root.contains("viewBox=\"0 0 1600 450\""), "{root}");
    assert!(!root.contains("height=\""), "no fixed height: {root}");
    assert!(!root.contains("width=\"1600\""), "no fixed width: {root}");
    assert_eq!(root.matches("xmlns=").count(), 1, "{root}");
    // Only the root scales: the nested panels keep their own size in the root's coordinates.
    assert_eq!(
        shown.matches("<svg width=\"800\" height=\"450\"").count(),
        2
    );
    assert!(wide.to_html().contains(&shown));
    // A foreign document without viewBox or with a prolog gets one, and loses the prolog.
    let foreign = Figure::from_svg(
        "<?xml version=\"1.0\"?>\n<svg width='300' height='200' style='x'><g/></svg>".into(),
        300,
        200,
    );
    let shown = foreign.responsive_svg();
    assert!(shown.starts_with("<svg width=\"100%\""), "{shown}");
    let root = root_attrs(&shown);
    assert!(root.contains("viewBox=\"0 0 300 200\"") && root.contains("max-width:300px"));
    assert!(shown.ends_with("><g/></svg>"), "{shown}");

    // Saved: the natural size, as drawn.
    let dir = std::env::temp_dir().join(format!("listening-fig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    wide.save(dir.join("wide.svg")).unwrap();
    let saved = std::fs::read_to_string(dir.join("wide.svg")).unwrap();
    assert_eq!(saved, wide.as_svg());
    assert!(root_attrs(&saved).contains("width=\"1600\" height=\"450\""));
    // PNG is refused with a reason, and nothing is written.
    let err = wide.save(dir.join("wide.png")).unwrap_err().to_string();
    assert!(err.contains("wide.png") && err.contains(".svg"), "{err}");
    assert!(!dir.join("wide.png").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
