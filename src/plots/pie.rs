//! Pie charts, with each slice's share in the legend.

use super::colors::tab10;
use super::common::{Swatch, draw_legend, legend_width, need_rows, numbers, titled};
use super::{Figure, plot_err};
use crate::analysis::join::str_values;
use crate::error::{Error, Result};
use plotters::prelude::*;
use polars::prelude::*;
use std::f64::consts::TAU;

/// Options of [`pie`].
#[derive(Debug, Clone, PartialEq)]
pub struct PieOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Decimals of the percentages shown.
    pub decimals: usize,
    /// Leave out the rows whose value is 0 (default: draw them, as a 0 % legend entry).
    pub without_zeros: bool,
}

impl Default for PieOptions {
    fn default() -> Self {
        PieOptions {
            title: String::new(),
            width: 800,
            height: 450,
            decimals: 1,
            without_zeros: false,
        }
    }
}

impl PieOptions {
    option_setters!(PieOptions);

    /// Leave out the rows whose value is 0: no slice, no legend entry, and the colours of the
    /// others as if those rows were not in the table.
    pub fn without_zeros(mut self) -> Self {
        self.without_zeros = true;
        self
    }
}

/// A pie of `value` per `label`: slices in row order, starting at 12 o'clock and going
/// clockwise, coloured by the colour cycle; the legend beside names each slice
/// "label (NN.N%)". A null value draws no slice and does not count in the total.
///
/// # Errors
/// A missing or non-numeric column (named in the message), no rows, a negative value, or a
/// total that is not positive.
pub fn pie(df: &DataFrame, label: &str, value: &str, opts: &PieOptions) -> Result<Figure> {
    let labels = str_values(df, "pie data", label)?;
    let values = numbers(df, "pie data", value)?;
    need_rows(df, "pie", value)?;
    if let Some((i, v)) = values
        .iter()
        .enumerate()
        .find_map(|(i, v)| v.filter(|v| *v < 0.0).map(|v| (i, v)))
    {
        return Err(Error::InvalidParameter(format!(
            "pie: `{value}` is negative ({v}) for `{}` (row {i}); a pie needs shares of a whole",
            labels[i].as_deref().unwrap_or("null")
        )));
    }
    let total: f64 = values.iter().flatten().sum();
    if total <= 0.0 {
        return Err(Error::InvalidParameter(format!(
            "pie: the values of `{value}` sum to {total}; a pie needs a positive total"
        )));
    }
    let d = opts.decimals;
    // (label text, colour, share) of the slices drawn, in row order.
    let slices: Vec<(String, RGBColor, f64)> = labels
        .iter()
        .zip(&values)
        .filter(|(_, v)| !(opts.without_zeros && **v == Some(0.0)))
        .enumerate()
        .filter_map(|(i, (l, v))| {
            let share = (*v)? / total;
            let name = l.as_deref().unwrap_or("null");
            Some((format!("{name} ({:.d$}%)", 100.0 * share), tab10(i), share))
        })
        .collect();
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &opts.title)?;
        let (w, h) = area.dim_in_pixel();
        let labels: Vec<&str> = slices.iter().map(|s| s.0.as_str()).collect();
        let lw = legend_width(&labels).min(w / 2);
        let (pie_area, legend_area) = area.split_horizontally(w - lw);
        let (pw, _) = pie_area.dim_in_pixel();
        let r = ((pw.min(h) as f64) / 2.0 - 15.0).max(5.0);
        let (cx, cy) = (pw as f64 / 2.0, h as f64 / 2.0);
        // Angle 0 at 12 o'clock, growing clockwise (screen y points down).
        let at = |a: f64| {
            (
                (cx + r * a.sin()).round() as i32,
                (cy - r * a.cos()).round() as i32,
            )
        };
        let mut start = 0.0;
        for (_, color, share) in &slices {
            let sweep = share * TAU;
            let steps = ((sweep / TAU * 360.0).ceil() as usize).max(2);
            let mut pts = vec![(cx.round() as i32, cy.round() as i32)];
            pts.extend((0..=steps).map(|s| at(start + sweep * s as f64 / steps as f64)));
            pie_area
                .draw(&Polygon::new(pts.clone(), color.filled()))
                .map_err(plot_err)?;
            if slices.len() > 1 {
                pts.push(pts[0]);
                pie_area
                    .draw(&PathElement::new(pts, WHITE.stroke_width(1)))
                    .map_err(plot_err)?;
            }
            start += sweep;
        }
        let entries: Vec<_> = slices
            .iter()
            .map(|(l, c, _)| (l.clone(), *c, Swatch::Box))
            .collect();
        let top = ((h as i32 - 22 * entries.len() as i32) / 2).max(10);
        draw_legend(&legend_area, &entries, top)
    })
}
