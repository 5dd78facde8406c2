//! Rich display in evcxr: DataFrames as HTML tables (head and tail, with the shape) with a
//! text/plain fallback, figures as SVG scaled to the output column, reports as text.
//!
//! evcxr calls `evcxr_display()` on a cell's last expression when such a method is in scope;
//! `use listening::prelude::*;` brings [`NotebookDisplay`] in. evcxr keeps one output per MIME
//! type per cell, so a cell shows one table or one figure: put several charts in one figure.

mod html;

pub use html::{DisplayOptions, to_html};

use crate::analysis::{Coverage, HoursPerDay, Joined, PlaylistPlays, Summary};
use crate::evaluation::{ConfusionMatrix, GridResult, Scores, SearchResult};
use crate::loaders::{Catalogue, LoadReport, Loaded, PlaylistExport};
use crate::models::{EnsembleScore, PlaylistDataset};
use crate::plots::Figure;
use polars::prelude::DataFrame;
use std::io::Write;

/// Writes one evcxr rich-output block per (MIME type, content) pair, in one write.
pub fn emit(parts: &[(&str, &str)]) {
    let mut out = String::new();
    for (mime, content) in parts {
        out.push_str("EVCXR_BEGIN_CONTENT ");
        out.push_str(mime);
        out.push('\n');
        out.push_str(content);
        if !content.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("EVCXR_END_CONTENT\n");
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = lock.write_all(out.as_bytes());
    let _ = lock.flush();
}

/// Values that show themselves as rich output in an evcxr notebook cell.
pub trait NotebookDisplay {
    /// Called by evcxr on a cell's last expression.
    fn evcxr_display(&self);
}

impl NotebookDisplay for DataFrame {
    fn evcxr_display(&self) {
        let html = to_html(self, &DisplayOptions::default());
        emit(&[("text/html", &html), ("text/plain", &format!("{self}"))]);
    }
}

fn report_html(title: &str, report: &LoadReport) -> String {
    format!(
        "<p><b>{}</b>: {}</p>",
        html::escape(title),
        html::escape(&report.to_string())
    )
}

impl NotebookDisplay for LoadReport {
    fn evcxr_display(&self) {
        emit(&[("text/plain", &self.to_string())]);
    }
}

impl NotebookDisplay for Loaded {
    fn evcxr_display(&self) {
        let mut html = report_html("plays", &self.report);
        html.push_str(&to_html(&self.df, &DisplayOptions::default()));
        emit(&[
            ("text/html", &html),
            ("text/plain", &format!("{}\n{}", self.report, self.df)),
        ]);
    }
}

impl NotebookDisplay for Catalogue {
    fn evcxr_display(&self) {
        let mut html = report_html("tracks", &self.report);
        html.push_str(&to_html(&self.df, &DisplayOptions::default()));
        emit(&[
            ("text/html", &html),
            ("text/plain", &format!("{}\n{}", self.report, self.df)),
        ]);
    }
}

impl NotebookDisplay for PlaylistExport {
    fn evcxr_display(&self) {
        let mut html = report_html("playlists", &self.report);
        html.push_str(&to_html(&self.playlists, &DisplayOptions::default()));
        html.push_str(&to_html(&self.tracks, &DisplayOptions::default()));
        emit(&[
            ("text/html", &html),
            (
                "text/plain",
                &format!("{}\n{}\n{}", self.report, self.playlists, self.tracks),
            ),
        ]);
    }
}

impl NotebookDisplay for Coverage {
    fn evcxr_display(&self) {
        let mut html = format!(
            "<p>{}</p><p>most-played tracks without features:</p>",
            html::escape(&self.to_string())
        );
        html.push_str(&to_html(&self.top_unmatched, &DisplayOptions::default()));
        emit(&[
            ("text/html", &html),
            ("text/plain", &format!("{self}\n{}", self.top_unmatched)),
        ]);
    }
}

impl NotebookDisplay for Joined {
    fn evcxr_display(&self) {
        let mut html = format!("<p>{}</p>", html::escape(&self.coverage.to_string()));
        html.push_str(&to_html(&self.df, &DisplayOptions::default()));
        emit(&[
            ("text/html", &html),
            ("text/plain", &format!("{}\n{}", self.coverage, self.df)),
        ]);
    }
}

/// A figure shows scaled to the output column, never past its natural width: as an HTML
/// fragment holding the [responsive](Figure::responsive_svg) SVG (JupyterLab and VS Code prefer
/// it; JupyterLab shows `image/svg+xml` as an `<img>` that its style sheet does not confine),
/// and as that SVG for front ends that take only images.
impl NotebookDisplay for Figure {
    fn evcxr_display(&self) {
        let svg = self.responsive_svg();
        emit(&[("text/html", &self.to_html()), ("image/svg+xml", &svg)]);
    }
}

impl NotebookDisplay for Summary {
    fn evcxr_display(&self) {
        let text = self.to_string();
        let html = format!("<pre>{}</pre>", html::escape(&text));
        emit(&[("text/html", &html), ("text/plain", &text)]);
    }
}

impl NotebookDisplay for PlaylistPlays {
    fn evcxr_display(&self) {
        let mut html = format!("<p>{}</p>", html::escape(&self.to_string()));
        html.push_str(&to_html(&self.df, &DisplayOptions::default()));
        emit(&[
            ("text/html", &html),
            ("text/plain", &format!("{self}\n{}", self.df)),
        ]);
    }
}

impl NotebookDisplay for HoursPerDay {
    fn evcxr_display(&self) {
        let html = format!(
            "<p>per-year polynomial fits</p>{}",
            to_html(&self.fits, &DisplayOptions::default())
        );
        emit(&[
            ("text/html", &html),
            ("text/plain", &format!("{}", self.fits)),
        ]);
    }
}

/// A confusion matrix shows as its counts (rows: true class, columns: predicted), with the
/// row-normalised form a `plots::heatmap` away.
impl NotebookDisplay for ConfusionMatrix {
    fn evcxr_display(&self) {
        match self.to_frame() {
            Ok(df) => emit(&[
                ("text/html", &to_html(&df, &DisplayOptions::default())),
                ("text/plain", &self.to_string()),
            ]),
            Err(_) => emit(&[("text/plain", &self.to_string())]),
        }
    }
}

/// Shows a one-line summary above a table.
fn emit_head_table(head: &str, table: &DataFrame) {
    let html = format!(
        "<p>{}</p>{}",
        html::escape(head),
        to_html(table, &DisplayOptions::default())
    );
    emit(&[
        ("text/html", &html),
        ("text/plain", &format!("{head}\n{table}")),
    ]);
}

impl<P: Clone> NotebookDisplay for SearchResult<P> {
    fn evcxr_display(&self) {
        let head = format!(
            "best: {} (mean CV score {:.4}); {} fits in {:.1} s",
            self.best_name(),
            self.best_score(),
            self.fits,
            self.seconds
        );
        emit_head_table(&head, &self.table);
    }
}

impl NotebookDisplay for crate::models::Recommendations {
    fn evcxr_display(&self) {
        let head = format!(
            "nearest to {} seed track(s) over {} features; {} catalogue rows searched, {} left out for a missing feature",
            self.seeds.len(),
            self.features.len(),
            self.searched,
            self.skipped
        );
        emit_head_table(&head, &self.table);
    }
}

impl NotebookDisplay for crate::evaluation::NamedPredictions {
    fn evcxr_display(&self) {
        let head = format!(
            "{:.2} % right ({} of {} tracks tried; the others left out)",
            100.0 * self.accuracy(),
            self.right,
            self.tried
        );
        emit_head_table(&head, &self.table);
    }
}

impl NotebookDisplay for Scores {
    fn evcxr_display(&self) {
        let text = format!(
            "accuracy {:.4}, precision {:.4}, recall {:.4}, f1 {:.4} (macro averages) on {} rows",
            self.accuracy, self.precision, self.recall, self.f1, self.rows
        );
        emit(&[
            ("text/html", &format!("<p>{}</p>", html::escape(&text))),
            ("text/plain", &text),
        ]);
    }
}

impl NotebookDisplay for GridResult {
    fn evcxr_display(&self) {
        let html = format!(
            "<p>best σ = {}, C = {}: mean CV score {:.4} ({} fits in {:.1} s)</p>{}",
            self.best_sigma,
            self.best_c,
            self.best_score,
            self.fits,
            self.seconds,
            to_html(&self.table, &DisplayOptions::default())
        );
        emit(&[
            ("text/html", &html),
            ("text/plain", &format!("{}", self.table)),
        ]);
    }
}

impl NotebookDisplay for EnsembleScore {
    fn evcxr_display(&self) {
        emit(&[("text/plain", &self.to_string())]);
    }
}

impl NotebookDisplay for PlaylistDataset {
    fn evcxr_display(&self) {
        let text = self.to_string();
        match self.summary() {
            Ok(df) => emit(&[
                (
                    "text/html",
                    &format!(
                        "<p>{}</p>{}",
                        html::escape(&text),
                        to_html(&df, &DisplayOptions::default())
                    ),
                ),
                ("text/plain", &text),
            ]),
            Err(_) => emit(&[("text/plain", &text)]),
        }
    }
}
