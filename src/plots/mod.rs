//! Plots on plotters, returned as owned [`Figure`]s (SVG) that display in evcxr and save to files.
//!
//! One function per chart kind, seaborn-style: the data, then column names, then options.
//! Series take matplotlib's default colour cycle ([`TAB10`]) in the order given. A notebook cell
//! shows one image: compose several charts with [`panels`].

mod bars;
mod boxes;
mod colors;
mod common;
mod figure;
mod grouped;
mod heatmap;
mod lines;
mod panels;
mod pie;
mod scatter;
mod strip;

pub use bars::{BarOptions, barh};
pub use boxes::{BoxOptions, boxplot, confusion_grid};
pub use colors::{Colormap, TAB10, hex, tab10};
pub use figure::Figure;
pub use grouped::{BarsOptions, grouped_bars};
pub use heatmap::{HeatmapOptions, heatmap};
pub use lines::{LineOptions, line_fit, lines, profile};
pub use panels::panels;
pub use pie::{PieOptions, pie};
pub use scatter::{ScatterOptions, StackedOptions, scatter, stacked_barh};
pub use strip::{StripOptions, predicted_vs_actual, strip};

use crate::error::Error;

pub(crate) fn plot_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}
