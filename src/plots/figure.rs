use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// A drawn chart: an owned SVG document. Shown as `image/svg+xml` in a notebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    svg: String,
    width: u32,
    height: u32,
}

impl Figure {
    /// Draws a figure of `width` × `height` pixels with plotters: `draw` gets the SVG drawing area.
    pub fn draw<F>(width: u32, height: u32, draw: F) -> Result<Figure>
    where
        F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
    {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            root.fill(&WHITE).map_err(super::plot_err)?;
            draw(&root)?;
            root.present().map_err(super::plot_err)?;
        }
        Ok(Figure { svg, width, height })
    }

    /// Wraps an SVG document made elsewhere.
    pub fn from_svg(svg: String, width: u32, height: u32) -> Figure {
        Figure { svg, width, height }
    }

    pub fn as_svg(&self) -> &str {
        &self.svg
    }

    pub fn into_svg(self) -> String {
        self.svg
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Writes the SVG to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, &self.svg).map_err(|e| Error::io(path, e))
    }
}
