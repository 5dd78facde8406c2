//! A strip plot (seaborn's `stripplot`): every value of a column as a point, one column of
//! points per category, jittered sideways, with each category's mean and ± one standard
//! deviation — cross-validation scores per setting, valence per mode; and a regressor's
//! predictions against the true targets, with the line of perfect predictions.

use super::colors::tab10;
use super::common::{FONT, LABEL_SIZE, extent, need_rows, numbers, padded, titled};
use super::{Figure, ScatterOptions, plot_err};
use crate::analysis::join::str_values;
use crate::error::{Error, Result};
use crate::evaluation::regression::{mean_squared_error, r2};
use plotters::prelude::*;
use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Options of [`strip`].
#[derive(Debug, Clone, PartialEq)]
pub struct StripOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Point radius in pixels.
    pub radius: u32,
    /// Half the width of a category's band of points, in category widths (0 to 0.5).
    pub jitter: f64,
    /// Seed of the sideways jitter.
    pub seed: u64,
}

impl Default for StripOptions {
    fn default() -> Self {
        StripOptions {
            title: String::new(),
            width: 700,
            height: 420,
            radius: 3,
            jitter: 0.25,
            seed: 0,
        }
    }
}

/// The values of `value` per category of `category` (categories in order of first appearance,
/// or in increasing order when all are numbers; a null category is "null"; null values are not
/// drawn), each category's points in its own
/// colour, with its mean as a black bar and ± one standard deviation (population) as a line.
///
/// # Errors
/// A missing or non-numeric column (named), no rows, or `jitter` outside 0..=0.5.
pub fn strip(df: &DataFrame, category: &str, value: &str, opts: &StripOptions) -> Result<Figure> {
    need_rows(df, "strip plot", value)?;
    if !(0.0..=0.5).contains(&opts.jitter) {
        return Err(Error::parameter("jitter", opts.jitter, "0 to 0.5"));
    }
    let ys = numbers(df, "strip data", value)?;
    let cats: Vec<String> = str_values(df, "strip data", category)?
        .into_iter()
        .map(|v| v.unwrap_or_else(|| "null".into()))
        .collect();
    let mut names: Vec<String> = Vec::new();
    for c in &cats {
        if !names.contains(c) {
            names.push(c.clone());
        }
    }
    // Numeric categories (mode 0 / 1, ratings) in increasing order, as seaborn orders them.
    if names.iter().all(|n| n.parse::<f64>().is_ok()) {
        names.sort_by(|a, b| {
            a.parse::<f64>()
                .unwrap_or(0.0)
                .total_cmp(&b.parse::<f64>().unwrap_or(0.0))
        });
    }
    let of: Vec<usize> = cats
        .iter()
        .map(|c| names.iter().position(|n| n == c).unwrap_or(0))
        .collect();
    let stats: Vec<(f64, f64)> = (0..names.len())
        .map(|k| {
            let v: Vec<f64> = (0..ys.len())
                .filter(|&i| of[i] == k)
                .filter_map(|i| ys[i])
                .collect();
            let m = v.iter().sum::<f64>() / v.len().max(1) as f64;
            let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len().max(1) as f64;
            (m, var.sqrt())
        })
        .collect();
    let (y0, y1) = padded(extent(ys.iter()), 0.05);
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let k = names.len() as f64;
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &opts.title)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.5..k - 0.5, y0..y1)
            .map_err(plot_err)?;
        let label = |v: &f64| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(names.len() * 2 + 1)
            .x_label_formatter(&label)
            .x_desc(category)
            .y_desc(value)
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .draw()
            .map_err(plot_err)?;
        let r = opts.radius.max(1) as i32;
        let points: Vec<(f64, f64, usize)> = (0..ys.len())
            .filter_map(|i| {
                let dx = if opts.jitter > 0.0 {
                    rng.gen_range(-opts.jitter..=opts.jitter)
                } else {
                    0.0
                };
                ys[i].map(|y| (of[i] as f64 + dx, y, of[i]))
            })
            .collect();
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&(x, y, c)| Circle::new((x, y), r, tab10(c).mix(0.6).filled())),
            )
            .map_err(plot_err)?;
        for (c, &(m, sd)) in stats.iter().enumerate() {
            let x = c as f64;
            chart
                .draw_series(LineSeries::new(
                    [(x - 0.35, m), (x + 0.35, m)],
                    BLACK.stroke_width(3),
                ))
                .map_err(plot_err)?;
            chart
                .draw_series(LineSeries::new(
                    [(x, m - sd), (x, m + sd)],
                    BLACK.stroke_width(1),
                ))
                .map_err(plot_err)?;
        }
        Ok(())
    })
}

/// A regressor's predictions (`y_pred`, y axis) against the true targets (`y_true`, x axis),
/// with the diagonal of perfect predictions and R² and MSE in the title (after
/// `opts.title`). At most `opts.max_points` points are drawn (a seeded sample).
///
/// # Errors
/// [`Error::Shape`] for slices of different lengths; [`Error::Labels`] for none.
pub fn predicted_vs_actual(
    y_true: &[f64],
    y_pred: &[f64],
    opts: &ScatterOptions,
) -> Result<Figure> {
    crate::models::api::check_rows(y_pred.len(), y_true.len())?;
    if y_true.is_empty() {
        return Err(Error::Labels("no predictions to draw".into()));
    }
    let title = format!(
        "{}{}R² {:.3}, MSE {:.3}",
        opts.title,
        if opts.title.is_empty() { "" } else { ": " },
        r2(y_true, y_pred),
        mean_squared_error(y_true, y_pred)
    );
    let all: Vec<Option<f64>> = y_true.iter().chain(y_pred).map(|v| Some(*v)).collect();
    let (lo, hi) = padded(extent(all.iter()), 0.05);
    let mut rows: Vec<usize> = (0..y_true.len()).collect();
    if rows.len() > opts.max_points.max(1) {
        let mut rng = StdRng::seed_from_u64(opts.seed);
        rows = rand::seq::index::sample(&mut rng, y_true.len(), opts.max_points.max(1)).into_vec();
        rows.sort_unstable();
    }
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &title)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(lo..hi, lo..hi)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("actual")
            .y_desc("predicted")
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .draw()
            .map_err(plot_err)?;
        chart
            .draw_series(DashedLineSeries::new(
                [(lo, lo), (hi, hi)],
                6,
                4,
                RGBColor(120, 120, 120).stroke_width(1),
            ))
            .map_err(plot_err)?;
        let r = opts.radius.max(1) as i32;
        chart
            .draw_series(
                rows.iter()
                    .map(|&i| Circle::new((y_true[i], y_pred[i]), r, tab10(0).mix(0.5).filled())),
            )
            .map_err(plot_err)?;
        Ok(())
    })
}
