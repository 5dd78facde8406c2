//! The dataset registry, rich display, figures, the ndarray bridge and the kernel check.

use listening::datasets;
use listening::display::{DisplayOptions, to_html};
use listening::plots::{BarOptions, Figure, barh};
use listening::{bridge, kernel};
use polars::prelude::*;

#[test]
fn registry_parses_and_every_entry_is_complete() {
    let all = datasets::registry();
    assert_eq!(all.len(), 13);
    for d in &all {
        assert!(!d.files.is_empty(), "{}", d.name);
        for f in &d.files {
            // A pinned checksum, or (no checksum could be pinned) a row count and a note saying so.
            assert!(
                f.sha256.len() == 64
                    || (f.sha256.is_empty() && f.rows.is_some() && d.note.is_some()),
                "{}",
                f.path
            );
        }
    }
    assert_eq!(datasets::list().unwrap().height(), 13);
    let e = datasets::get("no-such-dataset").unwrap_err();
    assert!(
        e.to_string().contains("known: tidytuesday-spotify-songs"),
        "{e}"
    );
}

/// Runs the ignored test `child` of this binary in a child process whose data folder and cache
/// are `dir` (offline when `offline`); returns its stdout and stderr and whether it passed.
fn run_child(child: &str, dir: &std::path::Path, offline: bool) -> (String, bool) {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        &format!("registry_display::{child}"),
        "--nocapture",
        "--include-ignored",
    ])
    .env("LISTENING_DATA_DIR", dir)
    .env("XDG_CACHE_HOME", dir);
    if offline {
        cmd.env("LISTENING_OFFLINE", "1");
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.success())
}

#[test]
fn missing_dataset_says_where_it_looked_and_what_to_set() {
    // Only meaningful where the data is not in the cache or LISTENING_DATA_DIR: use a dataset
    // path that cannot exist by asking for files of a registry entry under an empty folder.
    let dir = std::env::temp_dir().join(format!("listening-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (text, ok) = run_child("child_missing_dataset", &dir, true);
    assert!(ok, "{text}");
    assert!(
        text.contains("CHILD-SAW: dataset `lastfm-scrobbles-pingw33n`"),
        "{text}"
    );
    assert!(
        text.contains(&dir.display().to_string()) && text.contains("LISTENING_DATA_DIR"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "run by missing_dataset_says_where_it_looked_and_what_to_set in a child process"]
fn child_missing_dataset() {
    let e = datasets::path("lastfm-scrobbles-pingw33n").unwrap_err();
    println!("CHILD-SAW: {e}");
}

#[test]
fn corrupt_file_is_reported_with_both_checksums() {
    let dir = std::env::temp_dir().join(format!("listening-corrupt-{}", std::process::id()));
    let f = dir.join("lastfm_scrobbles/pingw33n_lastfm_scrobbles.csv");
    std::fs::create_dir_all(f.parent().unwrap()).unwrap();
    std::fs::write(&f, "not the file\n").unwrap();
    let (text, _) = run_child("child_missing_dataset", &dir, false);
    assert!(text.contains("is corrupt or a different version"), "{text}");
    assert!(text.contains("expected e7bf05f0"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn frame(n: usize) -> DataFrame {
    DataFrame::new(
        n,
        vec![
            Column::new(
                "artist".into(),
                (0..n).map(|i| format!("a<{i}>")).collect::<Vec<_>>(),
            ),
            Column::new("plays".into(), (0..n as i64).collect::<Vec<_>>()),
            Column::new(
                "energy".into(),
                (0..n)
                    .map(|i| if i == 1 { None } else { Some(i as f64 / 4.0) })
                    .collect::<Vec<_>>(),
            ),
        ],
    )
    .unwrap()
}

#[test]
fn html_table_shows_shape_head_tail_and_escapes() {
    let html = to_html(&frame(30), &DisplayOptions::default());
    assert!(html.contains("shape: (30, 3)"));
    assert!(html.contains("<td>a&lt;0&gt;</td>") && html.contains("<td>a&lt;29&gt;</td>"));
    assert!(!html.contains("a&lt;15&gt;"));
    assert_eq!(html.matches("<tr>").count(), 1 + 5 + 1 + 5);
    assert!(html.contains("<i>null</i>") && html.contains("<td>0.5</td>"));
    // Options that do not fit the frame do not panic: head + tail > max_rows shows it whole.
    let odd = DisplayOptions {
        head: 3,
        tail: 9,
        max_rows: 2,
        ..Default::default()
    };
    assert_eq!(to_html(&frame(10), &odd).matches("<tr>").count(), 11);
    let small = to_html(&frame(3), &DisplayOptions::default());
    assert_eq!(small.matches("<tr>").count(), 4);
}

#[test]
fn barh_draws_one_bar_per_row_largest_first_on_top() {
    let df = frame(4);
    let fig = barh(
        &df,
        "artist",
        "plays",
        &BarOptions {
            title: "t".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let svg = fig.as_svg();
    assert!(svg.starts_with("<svg"));
    assert!(
        svg.contains("a&lt;0&gt;") || svg.contains("a<0>") || svg.contains("a&#60;0&#62;"),
        "labels drawn"
    );
    assert_eq!(svg.matches("fill=\"#1F77B4\"").count(), 4, "{svg}");
    let path = std::env::temp_dir().join(format!("listening-{}.svg", std::process::id()));
    fig.save(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), svg);
    std::fs::remove_file(path).unwrap();
    assert!(barh(&frame(0), "artist", "plays", &BarOptions::default()).is_err());
    let _ = Figure::from_svg("<svg/>".into(), 1, 1);
}

#[test]
fn bridge_round_trips_and_rejects_nulls() {
    let df = frame(3);
    let a = bridge::to_array2(&df, &["plays"]).unwrap();
    assert_eq!(a.shape(), &[3, 1]);
    assert_eq!(a[[2, 0]], 2.0);
    let back = bridge::from_array2(&a, &["plays"]).unwrap();
    assert_eq!(back.height(), 3);
    let e = bridge::to_array2(&df, &["energy"]).unwrap_err();
    assert!(e.to_string().contains("`energy` is null at row 1"), "{e}");
    assert_eq!(
        bridge::to_labels(&df, "plays").unwrap(),
        vec!["0", "1", "2"]
    );
}

#[test]
fn builds_in_this_repository_use_the_fixed_foldhash_seed() {
    // .cargo/config.toml patches foldhash for every build below the repository, the notebook
    // kernel's included; without it a DataFrame loses its column lookup from cell to cell.
    let session = kernel::check().unwrap();
    assert!(kernel::seed_is_fixed());
    assert!(session.to_string().contains("kernel ok"), "{session}");
}

#[test]
fn barh_with_one_row_draws_one_bar() {
    let df = frame(2).slice(1, 1); // one row, plays = 1
    let fig = barh(&df, "artist", "plays", &BarOptions::default()).unwrap();
    assert_eq!(fig.as_svg().matches("fill=\"#1F77B4\"").count(), 1);
    if let Ok(dir) = std::env::var("LISTENING_SVG_OUT") {
        barh(&frame(4), "artist", "plays", &BarOptions::default())
            .unwrap()
            .save(format!("{dir}/barh4.svg"))
            .unwrap();
        fig.save(format!("{dir}/barh1.svg")).unwrap();
    }
}

#[test]
fn a_file_without_pinned_checksum_is_checked_by_its_rows() {
    // Only meaningful in a child process with its own LISTENING_DATA_DIR; run there.
    let dir = std::env::temp_dir().join(format!("listening-rows-{}", std::process::id()));
    let f = dir.join("spotify_tracks_114k/dataset.csv");
    std::fs::create_dir_all(f.parent().unwrap()).unwrap();
    std::fs::write(&f, "track_id,track_genre\na,rock\nb,pop\n").unwrap();
    let (text, _) = run_child("child_local_full_114k", &dir, true);
    assert!(
        text.contains("holds 2 data rows, expected 114000"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // Absent: None, and no download is tried.
    let empty = std::env::temp_dir().join(format!("listening-rows-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let (text, _) = run_child("child_local_full_114k", &empty, false);
    assert!(text.contains("CHILD-LOCAL: Ok(None)"), "{text}");
    std::fs::remove_dir_all(&empty).unwrap();
}

#[test]
#[ignore = "run by a_file_without_pinned_checksum_is_checked_by_its_rows in a child process"]
fn child_local_full_114k() {
    match datasets::local_files("spotify-tracks-114k") {
        Ok(v) => println!("CHILD-LOCAL: Ok({v:?})"),
        Err(e) => println!("CHILD-LOCAL: {e}"),
    }
}
