//! Line charts: several columns against one x ([`lines`]), a series with a fitted curve broken
//! per group ([`line_fit`]), and one line per row across columns ([`profile`]).

use super::colors::{TAB10, tab10};
use super::common::{
    self, Swatch, XAxis, XKind, category_label_height, check_range, draw_category_labels,
    draw_legend, extent, legend_width, need_rows, numbers, padded, segments, titled, x_values,
};
use super::{Figure, plot_err};
use crate::analysis::join::str_values;
use crate::error::{Error, Result};
use plotters::prelude::*;
use polars::prelude::*;

/// Options of [`lines`], [`line_fit`] and [`profile`].
#[derive(Debug, Clone, PartialEq)]
pub struct LineOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Axis label under the x axis (default: none).
    pub x_label: Option<String>,
    /// Axis label beside the y axis (default: none).
    pub y_label: Option<String>,
    /// Fixed y range, e.g. `Some((0.0, 1.0))` for audio features (default: the data's, padded).
    pub y_range: Option<(f64, f64)>,
    /// Line width in pixels (fitted lines of [`line_fit`] are drawn twice as thick).
    pub line_width: u32,
    /// Draw a legend beside the plot.
    pub legend: bool,
    /// Mark each point with a dot ([`profile`] always does).
    pub points: bool,
}

impl Default for LineOptions {
    fn default() -> Self {
        LineOptions {
            title: String::new(),
            width: 800,
            height: 450,
            x_label: None,
            y_label: None,
            y_range: None,
            line_width: 2,
            legend: true,
            points: false,
        }
    }
}

impl LineOptions {
    option_setters!(LineOptions, axes);

    /// Only the width in pixels (the height stays).
    pub fn width(mut self, width: u32) -> Self {
        self.width = width;
        self
    }
}

/// One drawn series: its runs of points, colour and width.
struct Trace {
    runs: Vec<Vec<(f64, f64)>>,
    color: RGBColor,
    width: u32,
    points: bool,
}

enum XSpec {
    Continuous(XKind, f64, f64),
    Categories(Vec<String>),
}

/// A y tick label: whole numbers without a fraction from 1000 up, otherwise at most four
/// significant decimals with trailing zeros dropped.
fn y_tick(v: f64) -> String {
    if v.abs() >= 1000.0 {
        return format!("{v:.0}");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Draws traces on an x axis and a y range, with the legend beside the plot.
fn draw_xy(
    opts: &LineOptions,
    x: XSpec,
    y: (f64, f64),
    traces: &[Trace],
    legend: &[(String, RGBColor, Swatch)],
) -> Result<Figure> {
    check_range("y_range", opts.y_range)?;
    let (ylo, yhi) = opts.y_range.unwrap_or(y);
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &opts.title)?;
        let (w, _) = area.dim_in_pixel();
        let lw = if opts.legend && !legend.is_empty() {
            let labels: Vec<&str> = legend.iter().map(|e| e.0.as_str()).collect();
            legend_width(&labels).min(w / 3)
        } else {
            0
        };
        let (plot_area, legend_area) = area.split_horizontally(w - lw);
        // Wide enough for the longest tick label (large values such as a WCSS of 120000).
        let widest = [ylo, yhi, (ylo + yhi) / 2.0]
            .iter()
            .map(|v| y_tick(*v).chars().count())
            .max()
            .unwrap_or(4) as u32;
        let y_area = (widest * 8 + 15).max(55) + if opts.y_label.is_some() { 25 } else { 0 };
        let plot_w = (w - lw).saturating_sub(y_area + 30).max(50);
        let (axis, categories) = match &x {
            XSpec::Continuous(kind, lo, hi) => (XAxis::new(*kind, *lo, *hi, plot_w), None),
            XSpec::Categories(labels) => (XAxis::categories(labels), Some(labels)),
        };
        let x_area = match categories {
            Some(labels) => category_label_height(labels, plot_w as f64) + 6,
            None => 30,
        } + if opts.x_label.is_some() { 22 } else { 0 };
        let n_ticks = axis.ticks.len().max(1);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(10)
            .margin_right(20)
            .x_label_area_size(x_area)
            .y_label_area_size(y_area)
            .build_cartesian_2d(axis, ylo..yhi)
            .map_err(plot_err)?;
        let blank = |_: &f64| String::new();
        {
            let mut mesh = chart.configure_mesh();
            mesh.max_light_lines(0)
                .bold_line_style(BLACK.mix(0.1))
                .x_labels(n_ticks)
                .y_labels(8)
                .y_label_formatter(&|v: &f64| y_tick(*v))
                .label_style((common::FONT, common::LABEL_SIZE));
            if categories.is_some() {
                mesh.x_label_formatter(&blank);
            }
            if let Some(l) = &opts.x_label {
                mesh.x_desc(l.as_str());
            }
            if let Some(l) = &opts.y_label {
                mesh.y_desc(l.as_str());
            }
            mesh.draw().map_err(plot_err)?;
        }
        for t in traces {
            let style = t.color.stroke_width(t.width.max(1));
            for run in &t.runs {
                chart
                    .draw_series(LineSeries::new(run.iter().copied(), style))
                    .map_err(plot_err)?;
                // A lone point draws no line: mark it so it is not lost.
                if t.points || run.len() == 1 {
                    let r = t.width + 2;
                    chart
                        .draw_series(run.iter().map(|&p| Circle::new(p, r, t.color.filled())))
                        .map_err(plot_err)?;
                }
            }
        }
        if let Some(labels) = categories {
            let xs: Vec<i32> = (0..labels.len())
                .map(|i| chart.backend_coord(&(i as f64, ylo)).0)
                .collect();
            let y_px = chart.backend_coord(&(0.0, ylo)).1 + 8;
            draw_category_labels(root, &xs, y_px, labels)?;
        }
        if lw > 0 {
            draw_legend(&legend_area, legend, 10)?;
        }
        Ok(())
    })
}

fn x_spec(what: &str, name: &str, xs: &[Option<f64>], kind: XKind) -> Result<XSpec> {
    let (lo, hi) = extent(xs).ok_or_else(|| {
        Error::InvalidParameter(format!("{what}: x column `{name}` holds only nulls"))
    })?;
    let (lo, hi) = if hi > lo {
        let pad = (hi - lo) * 0.02;
        (lo - pad, hi + pad)
    } else if kind == XKind::Time {
        (lo - 86_400_000.0, hi + 86_400_000.0)
    } else {
        padded(Some((lo, hi)), 0.0)
    };
    Ok(XSpec::Continuous(kind, lo, hi))
}

fn y_extent(cols: &[&Vec<Option<f64>>]) -> (f64, f64) {
    padded(extent(cols.iter().flat_map(|c| c.iter())), 0.05)
}

/// One line per column of `ys` against `x`, with a legend of the column names.
///
/// `x` may be numeric, a date or a datetime (any unit; labels show UTC dates). Lines are drawn
/// in row order and break at nulls.
///
/// # Errors
/// A missing or non-numeric column (named in the message), no rows, no `ys`, or an x column of
/// nulls only.
pub fn lines(df: &DataFrame, x: &str, ys: &[&str], opts: &LineOptions) -> Result<Figure> {
    const WHAT: &str = "lines";
    if ys.is_empty() {
        return Err(Error::InvalidParameter("lines: no y columns given".into()));
    }
    let (xs, kind) = x_values(df, "line data", x)?;
    let cols = ys
        .iter()
        .map(|y| numbers(df, "line data", y))
        .collect::<Result<Vec<_>>>()?;
    need_rows(df, WHAT, ys[0])?;
    let xspec = x_spec(WHAT, x, &xs, kind)?;
    let y = y_extent(&cols.iter().collect::<Vec<_>>());
    let traces: Vec<Trace> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| Trace {
            runs: segments(&xs, c, None),
            color: tab10(i),
            width: opts.line_width,
            points: opts.points,
        })
        .collect();
    let legend: Vec<_> = ys
        .iter()
        .enumerate()
        .map(|(i, y)| (y.to_string(), tab10(i), Swatch::Line(opts.line_width)))
        .collect();
    draw_xy(opts, xspec, y, &traces, &legend)
}

/// `y` as a thin line and `fit` (e.g. a per-year polynomial fit of `y`) as thicker lines on top.
///
/// The fitted line breaks wherever `fit` is null and, given a `group` column (any type, e.g. a
/// year), wherever its value changes from one row to the next; each group gets the next colour
/// of the cycle and a legend entry "`fit` `group value`". `y` is drawn in the first colour.
///
/// # Errors
/// As [`lines`], and a missing `group` column.
pub fn line_fit(
    df: &DataFrame,
    x: &str,
    y: &str,
    fit: &str,
    group: Option<&str>,
    opts: &LineOptions,
) -> Result<Figure> {
    const WHAT: &str = "line_fit";
    let (xs, kind) = x_values(df, "line data", x)?;
    let yv = numbers(df, "line data", y)?;
    let fv = numbers(df, "line data", fit)?;
    let groups = match group {
        Some(g) => Some(str_values(df, "line data", g)?),
        None => None,
    };
    need_rows(df, WHAT, y)?;
    let xspec = x_spec(WHAT, x, &xs, kind)?;
    let yr = y_extent(&[&yv, &fv]);

    let mut traces = vec![Trace {
        runs: segments(&xs, &yv, None),
        color: TAB10[0],
        width: opts.line_width.max(1),
        points: opts.points,
    }];
    let mut legend = vec![(y.to_string(), TAB10[0], Swatch::Line(opts.line_width))];
    let fit_width = opts.line_width.max(1) * 2;
    // Colours 1.. of the cycle for the fitted groups (0 is y's).
    let fit_color = |g: usize| TAB10[1 + g % (TAB10.len() - 1)];
    match groups {
        None => {
            traces.push(Trace {
                runs: segments(&xs, &fv, None),
                color: fit_color(0),
                width: fit_width,
                points: false,
            });
            legend.push((fit.to_string(), fit_color(0), Swatch::Line(fit_width)));
        }
        Some(gv) => {
            // Rows of each run of equal group values, in order.
            let mut runs: Vec<(Option<String>, Vec<usize>)> = Vec::new();
            for (i, g) in gv.iter().enumerate() {
                match runs.last_mut() {
                    Some((last, rows)) if last == g => rows.push(i),
                    _ => runs.push((g.clone(), vec![i])),
                }
            }
            for (k, (g, rows)) in runs.iter().enumerate() {
                let gx: Vec<Option<f64>> = rows.iter().map(|&i| xs[i]).collect();
                let gf: Vec<Option<f64>> = rows.iter().map(|&i| fv[i]).collect();
                let pts = segments(&gx, &gf, None);
                if pts.is_empty() {
                    continue;
                }
                let color = fit_color(k);
                traces.push(Trace {
                    runs: pts,
                    color,
                    width: fit_width,
                    points: false,
                });
                let name = format!("{fit} {}", g.as_deref().unwrap_or("null"));
                legend.push((name, color, Swatch::Line(fit_width)));
            }
        }
    }
    draw_xy(opts, xspec, yr, &traces, &legend)
}

/// One line per row of `df` (named by its `label` column) across the `values` columns, which
/// form a categorical x axis labelled with their names: e.g. each playlist's mean audio
/// features. Points are always marked; a null value leaves a gap.
///
/// # Errors
/// A missing or non-numeric column (named in the message), no rows or no `values`.
pub fn profile(df: &DataFrame, label: &str, values: &[&str], opts: &LineOptions) -> Result<Figure> {
    if values.is_empty() {
        return Err(Error::InvalidParameter(
            "profile: no value columns given".into(),
        ));
    }
    let labels = str_values(df, "profile data", label)?;
    let cols = values
        .iter()
        .map(|v| numbers(df, "profile data", v))
        .collect::<Result<Vec<_>>>()?;
    need_rows(df, "profile", label)?;
    let xs: Vec<Option<f64>> = (0..values.len()).map(|i| Some(i as f64)).collect();
    let yr = y_extent(&cols.iter().collect::<Vec<_>>());
    let mut traces = Vec::new();
    let mut legend = Vec::new();
    for (r, name) in labels.iter().enumerate() {
        let ys: Vec<Option<f64>> = cols.iter().map(|c| c[r]).collect();
        traces.push(Trace {
            runs: segments(&xs, &ys, None),
            color: tab10(r),
            width: opts.line_width,
            points: true,
        });
        legend.push((
            name.clone().unwrap_or_else(|| "null".into()),
            tab10(r),
            Swatch::Line(opts.line_width),
        ));
    }
    let cats = values.iter().map(|v| v.to_string()).collect();
    draw_xy(opts, XSpec::Categories(cats), yr, &traces, &legend)
}
