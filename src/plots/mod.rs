//! Plots on plotters, returned as owned [`Figure`]s (SVG) that display in evcxr and save to files.
//!
//! One function per chart kind, seaborn-style: the data, then column names, then options.

mod bars;
mod figure;

pub use bars::{BarOptions, barh};
pub use figure::Figure;

use crate::error::Error;

pub(crate) fn plot_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}
