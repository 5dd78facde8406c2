//! Scatter plots coloured by a category (a 2-D embedding by cluster or genre), and stacked
//! horizontal bars of a long table (a SHAP summary: mean |SHAP| per feature, stacked by class).

use super::colors::tab10;
use super::common::{
    Swatch, check_range, draw_legend, extent, legend_width, need_rows, numbers, padded, titled,
};
use super::{Figure, plot_err};
use crate::analysis::join::str_values;
use crate::error::{Error, Result};
use plotters::prelude::*;
use polars::prelude::*;
use rand::SeedableRng;
use rand::seq::index::sample;

/// Options of [`scatter`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Point radius in pixels.
    pub radius: u32,
    /// At most this many points are drawn, a seeded random sample of the rows (an SVG of
    /// 100,000 points would weigh megabytes); the legend says how many were drawn.
    pub max_points: usize,
    /// Seed of that sample.
    pub seed: u64,
}

impl Default for ScatterOptions {
    fn default() -> Self {
        ScatterOptions {
            title: String::new(),
            width: 800,
            height: 600,
            radius: 2,
            max_points: 8_000,
            seed: 0,
        }
    }
}

/// Points at (`x`, `y`) per row, coloured by the `hue` column's value (categories in order of
/// first appearance, colours from the colour cycle), with a legend. Rows with a null coordinate
/// are not drawn.
///
/// # Errors
/// A missing or non-numeric column (named), no rows, or `max_points` 0.
pub fn scatter(
    df: &DataFrame,
    x: &str,
    y: &str,
    hue: &str,
    opts: &ScatterOptions,
) -> Result<Figure> {
    need_rows(df, "scatter", x)?;
    if opts.max_points == 0 {
        return Err(Error::parameter("max_points", 0, "at least 1"));
    }
    let xs = numbers(df, "scatter data", x)?;
    let ys = numbers(df, "scatter data", y)?;
    let hues: Vec<String> = str_values(df, "scatter data", hue)?
        .into_iter()
        .map(|v| v.unwrap_or_else(|| "null".into()))
        .collect();
    let mut groups: Vec<String> = Vec::new();
    let group_of: Vec<usize> = hues
        .iter()
        .map(|h| match groups.iter().position(|g| g == h) {
            Some(i) => i,
            None => {
                groups.push(h.clone());
                groups.len() - 1
            }
        })
        .collect();
    let n = xs.len();
    let mut rows: Vec<usize> = if n > opts.max_points {
        let mut rng = rand::rngs::StdRng::seed_from_u64(opts.seed);
        sample(&mut rng, n, opts.max_points).into_vec()
    } else {
        (0..n).collect()
    };
    rows.sort_unstable();
    let (x0, x1) = padded(extent(rows.iter().map(|&r| &xs[r])), 0.03);
    let (y0, y1) = padded(extent(rows.iter().map(|&r| &ys[r])), 0.03);
    let mut legend: Vec<(String, RGBColor, Swatch)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.clone(), tab10(i), Swatch::Box))
        .collect();
    if rows.len() < n {
        legend.push((
            format!("{} of {n} rows drawn", rows.len()),
            RGBColor(255, 255, 255),
            Swatch::Box,
        ));
    }
    let lw = legend_width(&legend.iter().map(|l| &l.0).collect::<Vec<_>>());
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &opts.title)?;
        let (plot, side) = area.split_horizontally(opts.width.saturating_sub(lw).max(50));
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc(x)
            .y_desc(y)
            .draw()
            .map_err(plot_err)?;
        let r = opts.radius.max(1) as i32;
        chart
            .draw_series(rows.iter().filter_map(|&i| {
                let (px, py) = (xs[i]?, ys[i]?);
                Some(Circle::new((px, py), r, tab10(group_of[i]).filled()))
            }))
            .map_err(plot_err)?;
        draw_legend(&side, &legend, 20)
    })
}

/// Options of [`stacked_barh`].
#[derive(Debug, Clone, PartialEq)]
pub struct StackedOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Axis label of the values (default: the value column's name).
    pub value_label: Option<String>,
    /// Fixed value range (default: 0 to the largest total).
    pub range: Option<(f64, f64)>,
}

impl Default for StackedOptions {
    fn default() -> Self {
        StackedOptions {
            title: String::new(),
            width: 800,
            height: 500,
            value_label: None,
            range: None,
        }
    }
}

/// Horizontal bars of a long table: one bar per `label` value, made of one segment per `group`
/// value (stacked in order of first appearance, coloured by the colour cycle) of length `value`;
/// bars sorted by their total, largest on top — shap's multi-class `summary_plot` of mean |SHAP|.
///
/// # Errors
/// A missing or non-numeric column (named), no rows, or a negative value.
pub fn stacked_barh(
    df: &DataFrame,
    label: &str,
    group: &str,
    value: &str,
    opts: &StackedOptions,
) -> Result<Figure> {
    need_rows(df, "stacked_barh", value)?;
    check_range("range", opts.range)?;
    let labels = str_values(df, "bar data", label)?;
    let groups = str_values(df, "bar data", group)?;
    let values = numbers(df, "bar data", value)?;
    let mut bar_names: Vec<String> = Vec::new();
    let mut seg_names: Vec<String> = Vec::new();
    let index = |names: &mut Vec<String>, v: &Option<String>| {
        let v = v.clone().unwrap_or_else(|| "null".into());
        names.iter().position(|n| *n == v).unwrap_or_else(|| {
            names.push(v);
            names.len() - 1
        })
    };
    let mut cells: Vec<(usize, usize, f64)> = Vec::with_capacity(values.len());
    for i in 0..values.len() {
        let v = values[i].unwrap_or(0.0);
        if v < 0.0 {
            return Err(Error::parameter(value, v, "values of at least 0 to stack"));
        }
        cells.push((
            index(&mut bar_names, &labels[i]),
            index(&mut seg_names, &groups[i]),
            v,
        ));
    }
    let mut totals = vec![0.0; bar_names.len()];
    for &(b, _, v) in &cells {
        totals[b] += v;
    }
    let mut order: Vec<usize> = (0..bar_names.len()).collect();
    order.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]));
    let rank: Vec<usize> = {
        let mut r = vec![0; order.len()];
        for (pos, &b) in order.iter().enumerate() {
            r[b] = pos;
        }
        r
    };
    let nb = bar_names.len();
    let hi = opts
        .range
        .map(|r| r.1)
        .unwrap_or_else(|| totals.iter().cloned().fold(0.0, f64::max) * 1.05)
        .max(f64::MIN_POSITIVE);
    let lo = opts.range.map(|r| r.0).unwrap_or(0.0);
    let legend: Vec<(String, RGBColor, Swatch)> = seg_names
        .iter()
        .enumerate()
        .map(|(i, g)| (g.clone(), tab10(i), Swatch::Box))
        .collect();
    let lw = legend_width(&seg_names);
    let longest = bar_names
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(30) as u32;
    let x_desc = opts
        .value_label
        .clone()
        .unwrap_or_else(|| value.to_string());
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &opts.title)?;
        let (plot, side) = area.split_horizontally(opts.width.saturating_sub(lw).max(50));
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(20 + longest * 7)
            .build_cartesian_2d(lo..hi, -0.5..(nb as f64 - 0.5))
            .map_err(plot_err)?;
        let y_of = |b: usize| (nb - 1 - rank[b]) as f64;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(x_desc.as_str())
            .draw()
            .map_err(plot_err)?;
        // Labels drawn by hand at each bar's centre, as `barh` does.
        let style = TextStyle::from(("sans-serif", 12).into_font()).pos(
            plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Right,
                plotters::style::text_anchor::VPos::Center,
            ),
        );
        for &b in &order {
            let name = &bar_names[b];
            let (px, py) = chart.backend_coord(&(lo, y_of(b)));
            root.draw(&Text::new(
                super::common::ellipsize(name, 30),
                (px - 6, py),
                style.clone(),
            ))
            .map_err(plot_err)?;
        }
        let mut start = vec![0.0; nb];
        let mut rects = Vec::with_capacity(cells.len());
        for &(b, s, v) in &cells {
            let y = y_of(b);
            rects.push(Rectangle::new(
                [(start[b], y - 0.4), (start[b] + v, y + 0.4)],
                tab10(s).filled(),
            ));
            start[b] += v;
        }
        chart.draw_series(rects).map_err(plot_err)?;
        draw_legend(&side, &legend, 20)
    })
}
