//! Plots on plotters, returned as owned [`Figure`]s (SVG) that display in evcxr and save to files.
//!
//! One function per chart kind, seaborn-style: the data, then column names, then options.
//! Series take matplotlib's default colour cycle ([`TAB10`]) in the order given. A notebook cell
//! shows one image: compose several charts with [`panels`].

/// The setters every options struct of a chart shares, written once: `titled` and `size`, and
/// with `axes` also `y_range`, `y_label` and `no_legend`. Used inside the struct's `impl`.
macro_rules! option_setters {
    ($t:ident) => {
        #[doc = concat!("The defaults with a title: `", stringify!($t), "::titled(\"…\")`, then any setters below.")]
        pub fn titled(title: impl Into<String>) -> Self {
            $t {
                title: title.into(),
                ..Default::default()
            }
        }

        /// Width and height in pixels.
        pub fn size(mut self, width: u32, height: u32) -> Self {
            self.width = width;
            self.height = height;
            self
        }
    };
    ($t:ident, axes) => {
        option_setters!($t);

        /// A fixed y range, e.g. `(0.0, 1.0)` for audio features.
        pub fn y_range(mut self, low: f64, high: f64) -> Self {
            self.y_range = Some((low, high));
            self
        }

        /// An axis label beside the y axis.
        pub fn y_label(mut self, label: impl Into<String>) -> Self {
            self.y_label = Some(label.into());
            self
        }

        /// No legend (for a single series, whose name the title gives).
        pub fn no_legend(mut self) -> Self {
            self.legend = false;
            self
        }
    };
}

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
