//! DataFrame → HTML table.

use polars::prelude::*;

/// How many rows an HTML table shows.
#[derive(Debug, Clone)]
pub struct DisplayOptions {
    /// Rows shown from the top when the frame is cut.
    pub head: usize,
    /// Rows shown from the bottom when the frame is cut.
    pub tail: usize,
    /// Frames up to this many rows are shown whole.
    pub max_rows: usize,
    /// Longest cell text before it is cut with "…".
    pub max_chars: usize,
}

impl Default for DisplayOptions {
    fn default() -> Self {
        DisplayOptions {
            head: 5,
            tail: 5,
            max_rows: 20,
            max_chars: 60,
        }
    }
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn cell(v: AnyValue<'_>, max_chars: usize) -> String {
    let s = match v {
        AnyValue::Null => return "<i>null</i>".to_string(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(f) => format_float(f),
        AnyValue::Float32(f) => format_float(f as f64),
        other => other.to_string(),
    };
    let cut = if s.chars().count() > max_chars {
        format!("{}…", s.chars().take(max_chars).collect::<String>())
    } else {
        s
    };
    escape(&cut)
}

fn format_float(f: f64) -> String {
    if f == f.trunc() && f.abs() < 1e15 {
        format!("{f:.1}")
    } else if f.abs() >= 1e-3 && f.abs() < 1e6 {
        let s = format!("{f:.6}");
        s.trim_end_matches('0').to_string()
    } else {
        format!("{f:.4e}")
    }
}

/// Renders `df` as an HTML table: the shape, column names with dtypes, and either every row or
/// the head and tail around a "…" row.
pub fn to_html(df: &DataFrame, opts: &DisplayOptions) -> String {
    let (h, w) = df.shape();
    let rows: Vec<Option<usize>> = if h <= opts.max_rows.max(opts.head + opts.tail) {
        (0..h).map(Some).collect()
    } else {
        (0..opts.head)
            .map(Some)
            .chain(std::iter::once(None))
            .chain((h - opts.tail..h).map(Some))
            .collect()
    };
    let mut s = String::new();
    s.push_str("<div class=\"listening-frame\"><small>shape: (");
    s.push_str(&format!("{h}, {w}"));
    s.push_str(")</small><table border=\"1\" class=\"dataframe\"><thead><tr>");
    for c in df.columns() {
        s.push_str(&format!(
            "<th>{}<br><small>{}</small></th>",
            escape(c.name()),
            escape(&c.dtype().to_string())
        ));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        match r {
            None => {
                for _ in 0..w {
                    s.push_str("<td>…</td>");
                }
            }
            Some(r) => {
                for c in df.columns() {
                    let v = c.get(r).unwrap_or(AnyValue::Null);
                    s.push_str("<td>");
                    s.push_str(&cell(v, opts.max_chars));
                    s.push_str("</td>");
                }
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}
