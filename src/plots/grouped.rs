//! Grouped vertical bars: one group per row, one bar per series column.

use super::colors::tab10;
use super::common::{
    self, Swatch, XAxis, category_label_height, check_range, draw_category_labels, draw_legend,
    extent, legend_width, need_rows, numbers, titled,
};
use super::{Figure, plot_err};
use crate::analysis::join::str_values;
use crate::error::{Error, Result};
use plotters::prelude::*;
use polars::prelude::*;

/// Options of [`grouped_bars`].
#[derive(Debug, Clone, PartialEq)]
pub struct BarsOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Axis label beside the y axis (default: none).
    pub y_label: Option<String>,
    /// Fixed y range (default: from 0, or the lowest negative value, to the highest value).
    pub y_range: Option<(f64, f64)>,
    /// Draw a legend of the series beside the plot.
    pub legend: bool,
}

impl Default for BarsOptions {
    fn default() -> Self {
        BarsOptions {
            title: String::new(),
            width: 800,
            height: 450,
            y_label: None,
            y_range: None,
            legend: true,
        }
    }
}

impl BarsOptions {
    option_setters!(BarsOptions, axes);
}

/// Vertical bars grouped by row: each row of `df` is a group labelled by its `category` value,
/// holding one bar per `series` column, coloured by the colour cycle in the order given. The
/// legend lists the series in that same order and colours. A null value draws no bar.
///
/// # Errors
/// A missing or non-numeric column (named in the message), no rows or no `series`.
pub fn grouped_bars(
    df: &DataFrame,
    category: &str,
    series: &[&str],
    opts: &BarsOptions,
) -> Result<Figure> {
    if series.is_empty() {
        return Err(Error::InvalidParameter(
            "grouped_bars: no series columns given".into(),
        ));
    }
    check_range("y_range", opts.y_range)?;
    let cats: Vec<String> = str_values(df, "bar data", category)?
        .into_iter()
        .map(|v| v.unwrap_or_else(|| "null".into()))
        .collect();
    let cols = series
        .iter()
        .map(|s| numbers(df, "bar data", s))
        .collect::<Result<Vec<_>>>()?;
    need_rows(df, "grouped_bars", category)?;
    let (ylo, yhi) = opts.y_range.unwrap_or_else(|| {
        let (lo, hi) = extent(cols.iter().flatten()).unwrap_or((0.0, 1.0));
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        let span = if hi > lo { hi - lo } else { 1.0 };
        (
            if lo < 0.0 { lo - span * 0.05 } else { lo },
            hi + span * 0.05,
        )
    });
    let n = cats.len();
    let k = series.len();
    let legend: Vec<_> = series
        .iter()
        .enumerate()
        .map(|(j, s)| (s.to_string(), tab10(j), Swatch::Box))
        .collect();
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &opts.title)?;
        let (w, _) = area.dim_in_pixel();
        let lw = if opts.legend {
            legend_width(series).min(w / 3)
        } else {
            0
        };
        let (plot_area, legend_area) = area.split_horizontally(w - lw);
        let y_area = 55 + if opts.y_label.is_some() { 25 } else { 0 };
        let plot_w = (w - lw).saturating_sub(y_area + 30).max(50);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(10)
            .margin_right(20)
            .x_label_area_size(category_label_height(&cats, plot_w as f64) + 6)
            .y_label_area_size(y_area)
            .build_cartesian_2d(XAxis::categories(&cats), ylo..yhi)
            .map_err(plot_err)?;
        let blank = |_: &f64| String::new();
        {
            let mut mesh = chart.configure_mesh();
            mesh.max_light_lines(0)
                .disable_x_mesh()
                .bold_line_style(BLACK.mix(0.1))
                .x_labels(n)
                .x_label_formatter(&blank)
                .y_labels(8)
                .label_style((common::FONT, common::LABEL_SIZE));
            if let Some(l) = &opts.y_label {
                mesh.y_desc(l.as_str());
            }
            mesh.draw().map_err(plot_err)?;
        }
        // Bars start at 0, or at the bottom of the range when 0 is outside it.
        let base = 0.0f64.clamp(ylo, yhi);
        let slot = 0.8 / k as f64;
        for (j, col) in cols.iter().enumerate() {
            let color = tab10(j);
            chart
                .draw_series(col.iter().enumerate().filter_map(|(i, v)| {
                    let v = (*v)?;
                    let x0 = i as f64 - 0.4 + slot * j as f64;
                    Some(Rectangle::new(
                        [
                            (x0 + slot * 0.05, base),
                            (x0 + slot * 0.95, v.clamp(ylo, yhi)),
                        ],
                        color.filled(),
                    ))
                }))
                .map_err(plot_err)?;
        }
        let xs: Vec<i32> = (0..n)
            .map(|i| chart.backend_coord(&(i as f64, ylo)).0)
            .collect();
        let y_px = chart.backend_coord(&(0.0, ylo)).1 + 8;
        draw_category_labels(root, &xs, y_px, &cats)?;
        if lw > 0 {
            draw_legend(&legend_area, &legend, 10)?;
        }
        Ok(())
    })
}
