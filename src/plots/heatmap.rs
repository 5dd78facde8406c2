//! Annotated heatmaps of a matrix: confusion matrices, grid-search scores.

use super::colors::{Colormap, luminance};
use super::common::{
    CHAR_W, FONT, LABEL_SIZE, category_label_height, check_range, draw_category_labels, ellipsize,
    numeric_ticks, titled,
};
use super::{Figure, plot_err};
use crate::error::{Error, Result};
use ndarray::Array2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Options of [`heatmap`].
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapOptions {
    pub title: String,
    pub width: u32,
    pub height: u32,
    /// Label under the columns' labels (e.g. "predicted").
    pub x_label: Option<String>,
    /// Label left of the rows' labels (e.g. "actual").
    pub y_label: Option<String>,
    pub colormap: Colormap,
    /// Write each cell's value in it.
    pub annotate: bool,
    /// Decimals of the annotations.
    pub decimals: usize,
    /// Values mapped to the colormap's ends (default: the data's min and max).
    pub range: Option<(f64, f64)>,
    /// Draw a colour bar on the right.
    pub colorbar: bool,
}

impl Default for HeatmapOptions {
    fn default() -> Self {
        HeatmapOptions {
            title: String::new(),
            width: 800,
            height: 450,
            x_label: None,
            y_label: None,
            colormap: Colormap::Viridis,
            annotate: true,
            decimals: 2,
            range: None,
            colorbar: true,
        }
    }
}

/// Grey of NaN cells.
const NAN_GREY: RGBColor = RGBColor(0xbf, 0xbf, 0xbf);

/// A heatmap of `values`, row 0 at the top, columns left to right, labelled by `row_labels`
/// and `col_labels`. Cells are annotated with their value (`decimals` digits; NaN cells are grey
/// and read "nan"), in white on dark cells and black on light ones.
///
/// # Errors
/// An empty matrix, label counts that differ from the matrix's shape, or an invalid `range`.
pub fn heatmap(
    values: &Array2<f64>,
    row_labels: &[String],
    col_labels: &[String],
    opts: &HeatmapOptions,
) -> Result<Figure> {
    let (nr, nc) = values.dim();
    if nr == 0 || nc == 0 {
        return Err(Error::InvalidParameter(format!(
            "heatmap: the matrix is empty ({nr}×{nc})"
        )));
    }
    if row_labels.len() != nr || col_labels.len() != nc {
        return Err(Error::InvalidParameter(format!(
            "heatmap: {} row labels and {} column labels for a matrix of {nr} rows and {nc} columns",
            row_labels.len(),
            col_labels.len()
        )));
    }
    check_range("heatmap range", opts.range)?;
    let (lo, hi) = opts.range.unwrap_or_else(|| {
        values
            .iter()
            .filter(|v| v.is_finite())
            .fold(None, |acc: Option<(f64, f64)>, &v| match acc {
                None => Some((v, v)),
                Some((a, b)) => Some((a.min(v), b.max(v))),
            })
            .unwrap_or((0.0, 1.0))
    });
    let norm = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
    let d = opts.decimals;
    Figure::draw(opts.width, opts.height, |root| {
        let area = titled(root, &opts.title)?;
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w as f64, h as f64);
        let row_chars = row_labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .min(30);
        let ylab = if opts.y_label.is_some() { 24.0 } else { 0.0 };
        let left = 10.0 + ylab + row_chars as f64 * CHAR_W + 8.0;
        let right = if opts.colorbar { 100.0 } else { 15.0 };
        let top = 10.0;
        let grid_w = (w - left - right).max(10.0);
        let col_h = category_label_height(col_labels, grid_w) as f64;
        let xlab = if opts.x_label.is_some() { 24.0 } else { 0.0 };
        let bottom = 6.0 + col_h + xlab + 6.0;
        let grid_h = (h - top - bottom).max(10.0);
        let cw = grid_w / nc as f64;
        let ch = grid_h / nr as f64;
        let px = |x: f64| x.round() as i32;

        for ((i, j), &v) in values.indexed_iter() {
            let color = if v.is_nan() {
                NAN_GREY
            } else {
                opts.colormap.color(norm(v))
            };
            let (x0, y0) = (left + cw * j as f64, top + ch * i as f64);
            // Edges from the indices, so neighbours share them exactly (no hairline gaps).
            let (x1, y1) = (left + cw * (j + 1) as f64, top + ch * (i + 1) as f64);
            area.draw(&Rectangle::new(
                [(px(x0), px(y0)), (px(x1), px(y1))],
                color.filled(),
            ))
            .map_err(plot_err)?;
            if opts.annotate {
                let text = if v.is_nan() {
                    "nan".to_string()
                } else {
                    format!("{v:.d$}")
                };
                let size = (ch * 0.45)
                    .min(cw / (text.chars().count() as f64 * 0.62 + 0.5))
                    .min(20.0);
                if size >= 6.0 {
                    let ink = if luminance(color) < 0.35 {
                        WHITE
                    } else {
                        BLACK
                    };
                    let style = TextStyle::from((FONT, size).into_font())
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    area.draw(&Text::new(
                        text,
                        (px(x0 + cw / 2.0), px(y0 + ch / 2.0)),
                        style,
                    ))
                    .map_err(plot_err)?;
                }
            }
        }

        // Row labels, right-aligned left of the grid.
        let row_size = (ch * 0.8).clamp(6.0, LABEL_SIZE);
        let row_style =
            TextStyle::from((FONT, row_size).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
        for (i, l) in row_labels.iter().enumerate() {
            area.draw(&Text::new(
                ellipsize(l, 30),
                (px(left - 6.0), px(top + ch * (i as f64 + 0.5))),
                row_style.clone(),
            ))
            .map_err(plot_err)?;
        }
        let xs: Vec<i32> = (0..nc).map(|j| px(left + cw * (j as f64 + 0.5))).collect();
        draw_category_labels(&area, &xs, px(top + grid_h + 6.0), col_labels)?;
        if let Some(l) = &opts.x_label {
            let style =
                TextStyle::from((FONT, 16).into_font()).pos(Pos::new(HPos::Center, VPos::Top));
            area.draw(&Text::new(
                l.clone(),
                (
                    px(left + grid_w / 2.0),
                    px(top + grid_h + 6.0 + col_h + 4.0),
                ),
                style,
            ))
            .map_err(plot_err)?;
        }
        if let Some(l) = &opts.y_label {
            let style = TextStyle::from((FONT, 16).into_font())
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top));
            area.draw(&Text::new(l.clone(), (10, px(top + grid_h / 2.0)), style))
                .map_err(plot_err)?;
        }

        if opts.colorbar {
            let bx = left + grid_w + 20.0;
            let bw = 16.0;
            let strips = 64;
            for s in 0..strips {
                let t0 = s as f64 / strips as f64;
                let t1 = (s + 1) as f64 / strips as f64;
                let y_lo = top + grid_h * (1.0 - t0);
                let y_hi = top + grid_h * (1.0 - t1);
                area.draw(&Rectangle::new(
                    [(px(bx), px(y_hi)), (px(bx + bw), px(y_lo))],
                    opts.colormap.color((t0 + t1) / 2.0).filled(),
                ))
                .map_err(plot_err)?;
            }
            area.draw(&Rectangle::new(
                [(px(bx), px(top)), (px(bx + bw), px(top + grid_h))],
                BLACK.mix(0.4).stroke_width(1),
            ))
            .map_err(plot_err)?;
            if hi > lo {
                let style = TextStyle::from((FONT, LABEL_SIZE).into_font())
                    .pos(Pos::new(HPos::Left, VPos::Center));
                for (v, label) in numeric_ticks(lo, hi, 5, 0.0) {
                    let y = px(top + grid_h * (1.0 - norm(v)));
                    area.draw(&PathElement::new(
                        vec![(px(bx + bw), y), (px(bx + bw + 4.0), y)],
                        BLACK.stroke_width(1),
                    ))
                    .map_err(plot_err)?;
                    area.draw(&Text::new(label, (px(bx + bw + 7.0), y), style.clone()))
                        .map_err(plot_err)?;
                }
            }
        }
        Ok(())
    })
}
