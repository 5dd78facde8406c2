use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// A drawn chart: an owned SVG document at its natural size in pixels.
///
/// In a notebook it shows scaled to the output column: [`Figure::responsive_svg`] gives the root
/// a `viewBox`, a width of 100 % and a maximum width of its natural size, so a wide figure
/// shrinks to fit instead of being cut off, and a narrow one is never blown up.
/// [`Figure::save`] writes the document at its natural size.
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

    /// Wraps an SVG document made elsewhere, of natural size `width` × `height` pixels.
    pub fn from_svg(svg: String, width: u32, height: u32) -> Figure {
        Figure { svg, width, height }
    }

    /// The SVG document at its natural size (fixed `width` and `height` attributes).
    pub fn as_svg(&self) -> &str {
        &self.svg
    }

    /// The SVG document at its natural size, by value.
    pub fn into_svg(self) -> String {
        self.svg
    }

    /// Natural size in pixels: (width, height).
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The document with its root scaled to its container: `width="100%"`, no fixed height (the
    /// `viewBox` keeps the aspect ratio), and `max-width` at the natural width, so it shrinks in
    /// a narrow column and never grows past its natural size. The prolog (`<?xml …?>`,
    /// doctype, comments) is dropped so the result can also be placed inside an HTML page.
    pub fn responsive_svg(&self) -> String {
        let doc = strip_prolog(&self.svg);
        let Some((attrs, rest)) = root_tag(doc) else {
            // Not an <svg> document: shown as it is.
            return doc.to_string();
        };
        let (w, h) = (self.width, self.height);
        let mut tag = format!(
            "<svg width=\"100%\" style=\"max-width:{w}px;height:auto;display:block\" \
             preserveAspectRatio=\"xMidYMid meet\""
        );
        if !attrs.iter().any(|(name, _)| name == "viewBox") {
            tag.push_str(&format!(" viewBox=\"0 0 {w} {h}\""));
        }
        for (name, value) in &attrs {
            if !matches!(
                name.as_str(),
                "width" | "height" | "style" | "preserveAspectRatio"
            ) {
                tag.push_str(&format!(" {name}=\"{value}\""));
            }
        }
        tag.push_str(rest);
        tag
    }

    /// The figure as an HTML fragment for a notebook: the [responsive](Figure::responsive_svg)
    /// SVG inline.
    pub fn to_html(&self) -> String {
        format!(
            "<div class=\"listening-figure\">{}</div>",
            self.responsive_svg()
        )
    }

    /// Writes the SVG at its natural size to `path` (`.svg`, or no extension).
    ///
    /// # Errors
    /// Another extension, such as `.png`: the crate draws vector figures only and carries no
    /// rasteriser (open the SVG in a browser, or convert it with a tool such as
    /// `rsvg-convert`); or the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        if let Some(ext) = path.extension().and_then(|e| e.to_str())
            && !ext.eq_ignore_ascii_case("svg")
        {
            return Err(Error::Parameter {
                name: "path".into(),
                value: path.display().to_string(),
                expected: format!(
                    "a .svg file: figures are SVG and `.{ext}` is not written \
                     (convert the SVG with a tool such as rsvg-convert)"
                ),
            });
        }
        std::fs::write(path, &self.svg).map_err(|e| Error::io(path, e))
    }
}

/// The attributes of the root `<svg …>` start tag of `doc` (which starts with it) and the rest
/// of the document from the tag's closing `>` on; `None` if `doc` does not start with `<svg`.
fn root_tag(doc: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut s = doc.strip_prefix("<svg")?;
    if !s.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
        return None;
    }
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start();
        if s.starts_with('>') || s.starts_with("/>") {
            return Some((attrs, s));
        }
        let eq = s.find('=')?;
        let name = s[..eq].trim().to_string();
        let after = s[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let end = after[1..].find(quote)? + 1;
        attrs.push((name, after[1..end].to_string()));
        s = &after[end + 1..];
    }
}

/// The document without its `<?xml ...?>` declaration, `<!DOCTYPE ...>` or leading comments,
/// which may not appear inside another document.
pub(crate) fn strip_prolog(svg: &str) -> &str {
    let mut s = svg.trim_start();
    loop {
        let end = if s.starts_with("<?") {
            s.find("?>").map(|e| e + 2)
        } else if s.starts_with("<!--") {
            s.find("-->").map(|e| e + 3)
        } else if s.starts_with("<!") {
            s.find('>').map(|e| e + 1)
        } else {
            None
        };
        match end {
            Some(e) => s = s[e..].trim_start(),
            None => return s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{root_tag, strip_prolog};

    #[test]
    fn prolog_doctype_and_comments_are_stripped() {
        let s = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<!-- made by x -->\n<svg/>";
        assert_eq!(strip_prolog(s), "<svg/>");
        assert_eq!(strip_prolog("<svg></svg>"), "<svg></svg>");
    }

    #[test]
    fn root_tag_reads_quoted_attributes() {
        let (attrs, rest) = root_tag("<svg a=\"1\" b='x y'\n c = \"2\">\n<g/></svg>").unwrap();
        let names: Vec<&str> = attrs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(attrs[1].1, "x y");
        assert_eq!(rest, ">\n<g/></svg>");
        assert!(root_tag("<svgx a=\"1\">").is_none());
        assert!(root_tag("<g/>").is_none());
    }
}
