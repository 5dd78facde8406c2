//! Several figures composed into one, since a notebook cell shows a single image.

use super::Figure;
use super::figure::strip_prolog;
use crate::error::{Error, Result};

/// Lays `figures` out row-major in a grid of `columns` columns: each column as wide as its
/// widest figure, each row as tall as its tallest, so the result is the sum of the column
/// widths by the sum of the row heights. Each figure keeps its own SVG document, nested at its
/// offset.
///
/// # Errors
/// No figures, or `columns` of 0.
pub fn panels(figures: &[Figure], columns: usize) -> Result<Figure> {
    if figures.is_empty() {
        return Err(Error::InvalidParameter("panels: no figures given".into()));
    }
    if columns == 0 {
        return Err(Error::InvalidParameter(
            "panels: columns must be at least 1".into(),
        ));
    }
    let columns = columns.min(figures.len());
    let rows = figures.len().div_ceil(columns);
    let mut col_w = vec![0u32; columns];
    let mut row_h = vec![0u32; rows];
    for (k, f) in figures.iter().enumerate() {
        let (w, h) = f.size();
        col_w[k % columns] = col_w[k % columns].max(w);
        row_h[k / columns] = row_h[k / columns].max(h);
    }
    let offset = |sizes: &[u32], i: usize| -> u32 { sizes[..i].iter().sum() };
    let (width, height): (u32, u32) = (col_w.iter().sum(), row_h.iter().sum());
    let mut svg = format!(
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n\
         <rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#FFFFFF\"/>\n"
    );
    for (k, f) in figures.iter().enumerate() {
        let (x, y) = (offset(&col_w, k % columns), offset(&row_h, k / columns));
        svg.push_str(&format!("<g transform=\"translate({x},{y})\">\n"));
        svg.push_str(strip_prolog(f.as_svg()).trim());
        svg.push_str("\n</g>\n");
    }
    svg.push_str("</svg>\n");
    Ok(Figure::from_svg(svg, width, height))
}
