//! Box plots (matplotlib's `boxplot`: quartiles by linear interpolation, whiskers to the furthest
//! value within 1.5 IQR of the box, values beyond drawn as points) and a grid of 2×2 confusion
//! matrices, one per label of a multi-label model.

use super::colors::tab10;
use super::{Figure, HeatmapOptions, heatmap, panels, plot_err};
use crate::analysis::join::{need, str_values};
use crate::error::{Error, Result};
use ndarray::Array2;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use polars::prelude::*;

/// Options of [`boxplot`].
#[derive(Debug, Clone)]
pub struct BoxOptions {
    pub title: String,
    /// Size of the figure, or of each panel when boxes are grouped `by` a column.
    pub width: u32,
    pub height: u32,
    /// Axis label of the values (default: none, or the value column's name for panels).
    pub value_label: Option<String>,
    /// Panels per row when grouped `by` a column with several value columns.
    pub columns: usize,
}

impl Default for BoxOptions {
    fn default() -> Self {
        BoxOptions {
            title: String::new(),
            width: 640,
            height: 400,
            value_label: None,
            columns: 2,
        }
    }
}

/// The five numbers and outliers of one box.
#[derive(Debug, Clone, PartialEq)]
struct BoxStats {
    q1: f64,
    median: f64,
    q3: f64,
    low: f64,
    high: f64,
    outliers: Vec<f64>,
}

/// numpy's default (linear) quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + frac * (next - sorted[i]),
        None => sorted[i],
    }
}

/// Box statistics of the finite values, `None` when there are none.
fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let (q1, median, q3) = (quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75));
    let (lo_fence, hi_fence) = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1));
    let inside = || {
        v.iter()
            .copied()
            .filter(|x| *x >= lo_fence && *x <= hi_fence)
    };
    Some(BoxStats {
        q1,
        median,
        q3,
        low: inside().fold(f64::INFINITY, f64::min).min(q1),
        high: inside().fold(f64::NEG_INFINITY, f64::max).max(q3),
        outliers: v
            .iter()
            .copied()
            .filter(|x| *x < lo_fence || *x > hi_fence)
            .collect(),
    })
}

/// Box plots of numeric columns: without `by`, one box per column of `values` in one figure;
/// with `by`, one panel per column of `values` holding one box per group of `by` (groups in
/// sorted order), laid out `opts.columns` panels to a row. Nulls and non-finite values are left
/// out of the boxes.
///
/// # Errors
/// [`Error::Column`] for a missing column; [`Error::Parameter`] for no value columns, a frame
/// without rows, or a box without any finite value.
pub fn boxplot(
    df: &DataFrame,
    values: &[&str],
    by: Option<&str>,
    opts: &BoxOptions,
) -> Result<Figure> {
    if values.is_empty() || df.height() == 0 {
        return Err(Error::parameter(
            "values",
            format!("{} columns, {} rows", values.len(), df.height()),
            "at least one value column and one row",
        ));
    }
    let Some(by) = by else {
        let boxes = values
            .iter()
            .map(|v| Ok((v.to_string(), numbers(df, v)?)))
            .collect::<Result<Vec<_>>>()?;
        return draw_boxes(
            &boxes,
            &opts.title,
            opts.value_label.as_deref(),
            opts.width,
            opts.height,
        );
    };
    let groups = str_values(df, "box data", by)?;
    let mut names: Vec<String> = groups.iter().flatten().cloned().collect();
    names.sort();
    names.dedup();
    let mut figures = Vec::with_capacity(values.len());
    for v in values {
        let nums = numbers(df, v)?;
        let boxes: Vec<(String, Vec<f64>)> = names
            .iter()
            .map(|g| {
                let vals = nums
                    .iter()
                    .zip(&groups)
                    .filter(|(_, k)| k.as_deref() == Some(g.as_str()))
                    .map(|(x, _)| *x)
                    .collect();
                (g.clone(), vals)
            })
            .collect();
        let label = opts.value_label.clone().unwrap_or_else(|| v.to_string());
        figures.push(draw_boxes(
            &boxes,
            v,
            Some(&label),
            opts.width,
            opts.height,
        )?);
    }
    let grid = panels(&figures, opts.columns.max(1))?;
    if opts.title.is_empty() {
        return Ok(grid);
    }
    titled(grid, &opts.title)
}

fn numbers(df: &DataFrame, column: &str) -> Result<Vec<f64>> {
    Ok(need(df, "box data", column)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect())
}

/// A figure with a title line above it.
fn titled(fig: Figure, title: &str) -> Result<Figure> {
    let (w, h) = fig.size();
    let head = Figure::draw(w, 36, |root| {
        root.draw(&Text::new(
            title.to_string(),
            (w as i32 / 2, 18),
            TextStyle::from(("sans-serif", 20).into_font())
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(plot_err)
    })?;
    let _ = h;
    panels(&[head, fig], 1)
}

/// The chart area of [`draw_boxes`].
type BoxChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Box `i` at x = i: whiskers with caps, the box, the median, the outliers.
fn draw_box(chart: &mut BoxChart, i: usize, s: &BoxStats) -> Result<()> {
    let (x, c) = (i as f64, tab10(i));
    let line = c.stroke_width(2);
    let whiskers: Vec<PathElement<(f64, f64)>> = vec![
        PathElement::new(vec![(x, s.low), (x, s.q1)], line),
        PathElement::new(vec![(x, s.q3), (x, s.high)], line),
        PathElement::new(vec![(x - 0.15, s.low), (x + 0.15, s.low)], line),
        PathElement::new(vec![(x - 0.15, s.high), (x + 0.15, s.high)], line),
    ];
    chart.draw_series(whiskers).map_err(plot_err)?;
    chart
        .draw_series([
            Rectangle::new([(x - 0.3, s.q1), (x + 0.3, s.q3)], c.mix(0.35).filled()),
            Rectangle::new([(x - 0.3, s.q1), (x + 0.3, s.q3)], c.stroke_width(2)),
        ])
        .map_err(plot_err)?;
    chart
        .draw_series([PathElement::new(
            vec![(x - 0.3, s.median), (x + 0.3, s.median)],
            BLACK.stroke_width(2),
        )])
        .map_err(plot_err)?;
    chart
        .draw_series(
            s.outliers
                .iter()
                .map(|&v| Circle::new((x, v), 2, c.mix(0.6))),
        )
        .map_err(plot_err)?;
    Ok(())
}

/// One figure of named boxes side by side.
fn draw_boxes(
    boxes: &[(String, Vec<f64>)],
    title: &str,
    value_label: Option<&str>,
    width: u32,
    height: u32,
) -> Result<Figure> {
    let stats = boxes
        .iter()
        .map(|(name, v)| {
            box_stats(v).ok_or_else(|| {
                Error::parameter(name, "no finite value", "at least one finite value per box")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let lo = stats
        .iter()
        .map(|s| s.outliers.iter().fold(s.low, |a, &b| a.min(b)))
        .fold(f64::INFINITY, f64::min);
    let hi = stats
        .iter()
        .map(|s| s.outliers.iter().fold(s.high, |a, &b| a.max(b)))
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    let n = boxes.len();
    let longest = boxes
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0) as u32;
    let rotate = longest * 7 > width / n.max(1) as u32;
    Figure::draw(width, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(if rotate { 14 + longest.min(24) * 6 } else { 30 })
            .y_label_area_size(55)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), (lo - pad)..(hi + pad))
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(value_label.unwrap_or(""))
            .draw()
            .map_err(plot_err)?;
        for (i, s) in stats.iter().enumerate() {
            draw_box(&mut chart, i, s)?;
        }
        let style = TextStyle::from(("sans-serif", 12).into_font());
        for (i, (name, _)) in boxes.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64, lo - pad));
            let text: String = name.chars().take(24).collect();
            let st = if rotate {
                style
                    .clone()
                    .transform(FontTransform::Rotate270)
                    .pos(Pos::new(HPos::Right, VPos::Center))
            } else {
                style.clone().pos(Pos::new(HPos::Center, VPos::Top))
            };
            root.draw(&Text::new(text, (px, py + 6), st))
                .map_err(plot_err)?;
        }
        Ok(())
    })
}

/// One annotated 2×2 heatmap per label (`counts[j]` = `[[tn, fp], [fn, tp]]`, as
/// scikit-learn's `multilabel_confusion_matrix`), each row normalised to shares of the true
/// class, `columns` panels per row, under the title `title`.
///
/// # Errors
/// [`Error::Shape`] when `labels` does not name every matrix; [`Error::Parameter`] for none.
pub fn confusion_grid(
    counts: &[[[usize; 2]; 2]],
    labels: &[String],
    title: &str,
    columns: usize,
) -> Result<Figure> {
    if counts.len() != labels.len() {
        return Err(Error::Shape(format!(
            "{} matrices for {} labels",
            counts.len(),
            labels.len()
        )));
    }
    if counts.is_empty() {
        return Err(Error::parameter(
            "counts",
            "[]",
            "at least one label's matrix",
        ));
    }
    let ticks = vec!["0".to_string(), "1".to_string()];
    let figures = counts
        .iter()
        .zip(labels)
        .map(|(c, name)| {
            let mut m = Array2::<f64>::zeros((2, 2));
            for (t, row) in c.iter().enumerate() {
                let s = (row[0] + row[1]) as f64;
                for p in 0..2 {
                    m[[t, p]] = if s > 0.0 { row[p] as f64 / s } else { 0.0 };
                }
            }
            let n = c[1][0] + c[1][1];
            heatmap(
                &m,
                &ticks,
                &ticks,
                &HeatmapOptions {
                    title: format!("{name} ({n} true)"),
                    width: 250,
                    height: 230,
                    x_label: Some("predicted".into()),
                    y_label: Some("true".into()),
                    annotate: true,
                    decimals: 2,
                    range: Some((0.0, 1.0)),
                    colorbar: false,
                    ..Default::default()
                },
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let grid = panels(&figures, columns.max(1))?;
    if title.is_empty() {
        Ok(grid)
    } else {
        titled(grid, title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_stats_as_matplotlib() {
        // numpy: percentile([1, 2, 3, 4, 100], [25, 50, 75]) = 2, 3, 4; fences -1 and 7.
        let s = box_stats(&[1.0, 2.0, 3.0, 4.0, 100.0, f64::NAN]).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (2.0, 3.0, 4.0));
        assert_eq!((s.low, s.high), (1.0, 4.0));
        assert_eq!(s.outliers, vec![100.0]);
        assert!(box_stats(&[f64::NAN]).is_none());
    }
}
