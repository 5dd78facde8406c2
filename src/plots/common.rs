//! What the chart modules share: reading columns as numbers, x axes (numeric, temporal or
//! categorical) with their ticks, line segments broken at gaps, titles and legends.

use super::plot_err;
use crate::analysis::join::need;
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Timelike};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use polars::prelude::*;
use std::ops::Range;

pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

pub(crate) const FONT: &str = "sans-serif";
/// Size of tick, category and legend labels, in plotters' units (plotters writes
/// `font-size` as this / 1.24, so 15 gives 12 px text).
pub(crate) const LABEL_SIZE: f64 = 15.0;
/// Rough width of one character of [`LABEL_SIZE`] sans-serif text, for layout.
pub(crate) const CHAR_W: f64 = 7.0;

/// Errors unless the frame has rows; `what` names the chart, `column` the column concerned.
pub(crate) fn need_rows(df: &DataFrame, what: &str, column: &str) -> Result<()> {
    if df.height() == 0 {
        return Err(Error::InvalidParameter(format!(
            "{what}: no rows to draw for `{column}`"
        )));
    }
    Ok(())
}

pub(crate) use crate::analysis::columns::f64_values as numbers;

/// How an x column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XKind {
    Numeric,
    /// Whole numbers (epochs, years): no fractional ticks.
    Integer,
    /// Milliseconds since the Unix epoch (UTC).
    Time,
}

/// An x column: numbers as they are, dates and datetimes (any unit, any zone) as milliseconds
/// since the epoch, in UTC.
pub(crate) fn x_values(
    df: &DataFrame,
    table: &str,
    name: &str,
) -> Result<(Vec<Option<f64>>, XKind)> {
    let c = need(df, table, name)?;
    match c.dtype() {
        DataType::Datetime(_, _) | DataType::Date => {
            let ms = crate::analysis::columns::ms_values(df, table, name)?;
            Ok((
                ms.into_iter().map(|v| v.map(|v| v as f64)).collect(),
                XKind::Time,
            ))
        }
        dt if dt.is_integer() => Ok((numbers(df, table, name)?, XKind::Integer)),
        dt if dt.is_primitive_numeric() => Ok((numbers(df, table, name)?, XKind::Numeric)),
        dt => Err(Error::InvalidParameter(format!(
            "column `{name}` of {table} is {dt}: x must be numeric, a date or a datetime"
        ))),
    }
}

/// Splits points into runs: a run ends at a missing x or y, and a new one starts where
/// `starts[i]` is true.
pub(crate) fn segments(
    xs: &[Option<f64>],
    ys: &[Option<f64>],
    starts: Option<&[bool]>,
) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
        if starts.is_some_and(|s| s.get(i).copied().unwrap_or(false)) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        match (x, y) {
            (Some(x), Some(y)) => cur.push((*x, *y)),
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// min..max of the finite values, `None` when there are none.
pub(crate) fn extent<'a>(values: impl IntoIterator<Item = &'a Option<f64>>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold(None, |acc, &v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A value range padded by `pad` of its span on each side (a unit span around a single value).
pub(crate) fn padded(range: Option<(f64, f64)>, pad: f64) -> (f64, f64) {
    match range {
        None => (0.0, 1.0),
        Some((lo, hi)) if hi > lo => {
            let p = (hi - lo) * pad;
            (lo - p, hi + p)
        }
        Some((v, _)) => {
            let p = if v == 0.0 { 0.5 } else { v.abs() * 0.1 };
            (v - p, v + p)
        }
    }
}

/// Checks a user's range option.
pub(crate) fn check_range(what: &str, r: Option<(f64, f64)>) -> Result<()> {
    if let Some((lo, hi)) = r
        && !(lo.is_finite() && hi.is_finite() && lo < hi)
    {
        return Err(Error::InvalidParameter(format!(
            "{what}: range must be two finite numbers, low < high (got {lo}..{hi})"
        )));
    }
    Ok(())
}

/// An x axis with ticks we choose: numeric, dates or named categories.
#[derive(Debug, Clone)]
pub(crate) struct XAxis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
}

impl XAxis {
    /// An axis over `lo..hi` with about `target` ticks.
    pub(crate) fn new(kind: XKind, lo: f64, hi: f64, plot_width: u32) -> XAxis {
        let ticks = match kind {
            XKind::Numeric => numeric_ticks(lo, hi, (plot_width / 60).clamp(2, 12) as usize, 0.0),
            XKind::Integer => numeric_ticks(lo, hi, (plot_width / 60).clamp(2, 12) as usize, 1.0),
            XKind::Time => time_ticks(lo, hi, plot_width),
        };
        XAxis { lo, hi, ticks }
    }

    /// Categories at 0, 1, ..., n-1.
    pub(crate) fn categories(labels: &[String]) -> XAxis {
        let n = labels.len();
        XAxis {
            lo: -0.5,
            hi: n as f64 - 0.5,
            ticks: labels
                .iter()
                .enumerate()
                .map(|(i, l)| (i as f64, l.clone()))
                .collect(),
        }
    }
}

impl Ranged for XAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        if self.hi <= self.lo {
            return (limit.0 + limit.1) / 2;
        }
        let t = (v - self.lo) / (self.hi - self.lo);
        limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Only the labelled (bold) grid lines: no light lines in between.
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        let max = hint.max_num_points();
        if max == 0 || self.ticks.is_empty() {
            return Vec::new();
        }
        let stride = self.ticks.len().div_ceil(max);
        self.ticks.iter().step_by(stride).map(|t| t.0).collect()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for XAxis {
    fn format_ext(&self, value: &f64) -> String {
        self.ticks
            .iter()
            .min_by(|a, b| (a.0 - value).abs().total_cmp(&(b.0 - value).abs()))
            .map(|t| t.1.clone())
            .unwrap_or_else(|| format!("{value}"))
    }
}

fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Round ticks inside `lo..hi`, at least `min_step` apart, labelled with as many decimals as
/// the step needs.
pub(crate) fn numeric_ticks(lo: f64, hi: f64, target: usize, min_step: f64) -> Vec<(f64, String)> {
    let step = nice_step(hi - lo, target).max(min_step);
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let mut out = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi + step * 1e-9 && out.len() < 100 {
        let v = k * step;
        let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
        out.push((v, format!("{v:.decimals$}")));
        k += 1.0;
    }
    out
}

#[derive(Clone, Copy)]
enum TimeStep {
    Hours(i64),
    Days(i64),
    Months(u32),
    Years(i32),
}

const HOUR_MS: f64 = 3_600_000.0;
const DAY_MS: f64 = 86_400_000.0;

fn approx_ms(s: TimeStep) -> f64 {
    match s {
        TimeStep::Hours(n) => n as f64 * HOUR_MS,
        TimeStep::Days(n) => n as f64 * DAY_MS,
        TimeStep::Months(n) => n as f64 * 30.44 * DAY_MS,
        TimeStep::Years(n) => n as f64 * 365.25 * DAY_MS,
    }
}

fn label_chars(s: TimeStep) -> u32 {
    match s {
        TimeStep::Hours(_) => 11, // 04-01 13:00
        TimeStep::Days(_) => 10,  // 2023-04-01
        TimeStep::Months(_) => 7, // 2023-04
        TimeStep::Years(_) => 4,  // 2023
    }
}

fn naive(ms: f64) -> Option<chrono::NaiveDateTime> {
    DateTime::from_timestamp_millis(ms.floor() as i64).map(|d| d.naive_utc())
}

fn ms_of(d: chrono::NaiveDateTime) -> f64 {
    d.and_utc().timestamp_millis() as f64
}

/// Calendar-aligned ticks (hours, days, months or years) inside `lo..hi` (ms since the epoch),
/// as many as fit the width with their labels.
pub(crate) fn time_ticks(lo: f64, hi: f64, plot_width: u32) -> Vec<(f64, String)> {
    use TimeStep::*;
    let candidates = [
        Hours(1),
        Hours(3),
        Hours(6),
        Hours(12),
        Days(1),
        Days(2),
        Days(7),
        Days(14),
        Months(1),
        Months(2),
        Months(3),
        Months(6),
        Years(1),
        Years(2),
        Years(5),
        Years(10),
        Years(20),
        Years(50),
        Years(100),
    ];
    let span = (hi - lo).max(1.0);
    let step = candidates
        .iter()
        .copied()
        .find(|&s| {
            let fit = (plot_width as f64 / (label_chars(s) as f64 * CHAR_W + 30.0)).max(2.0);
            span / approx_ms(s) <= fit
        })
        .unwrap_or(Years(1000));
    let (Some(start), Some(_)) = (naive(lo), naive(hi)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |d: chrono::NaiveDateTime, fmt: &str| {
        let v = ms_of(d);
        if v >= lo && v <= hi {
            out.push((v, d.format(fmt).to_string()));
        }
    };
    match step {
        Hours(n) => {
            let first = start.date().and_hms_opt(start.hour(), 0, 0);
            let mut d = match first {
                Some(d) => d,
                None => return Vec::new(),
            };
            while ms_of(d) <= hi && d.hour() % n as u32 != 0 {
                d += chrono::Duration::hours(1);
            }
            for _ in 0..200 {
                if ms_of(d) > hi {
                    break;
                }
                push(d, "%m-%d %H:%M");
                d += chrono::Duration::hours(n);
            }
        }
        Days(n) => {
            // Multiples of n days since the epoch, so 7-day ticks fall on the same weekday.
            let day0 = (lo / DAY_MS).floor() as i64;
            let mut day = day0 - day0.rem_euclid(n);
            for _ in 0..400 {
                let Some(d) = naive(day as f64 * DAY_MS) else {
                    break;
                };
                if ms_of(d) > hi {
                    break;
                }
                push(d, "%Y-%m-%d");
                day += n;
            }
        }
        Months(n) => {
            let mut y = start.year();
            let mut m0 = start.month0();
            m0 -= m0 % n;
            for _ in 0..400 {
                let Some(d) =
                    NaiveDate::from_ymd_opt(y, m0 + 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
                else {
                    break;
                };
                if ms_of(d) > hi {
                    break;
                }
                push(d, "%Y-%m");
                m0 += n;
                if m0 >= 12 {
                    y += (m0 / 12) as i32;
                    m0 %= 12;
                }
            }
        }
        Years(n) => {
            let mut y = start.year() - start.year().rem_euclid(n);
            for _ in 0..400 {
                let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
                else {
                    break;
                };
                if ms_of(d) > hi {
                    break;
                }
                push(d, "%Y");
                y += n;
            }
        }
    }
    out
}

/// Draws the title (if any) at the top of `root` and returns the area below it.
pub(crate) fn titled<'a>(root: &Area<'a>, title: &str) -> Result<Area<'a>> {
    if title.is_empty() {
        Ok(root.clone())
    } else {
        root.titled(title, (FONT, 22)).map_err(plot_err)
    }
}

/// Text cut to `max` characters, with an ellipsis when cut.
pub(crate) fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    Line(u32),
    Box,
}

/// Longest legend label kept whole.
const LEGEND_CHARS: usize = 44;

/// Width in pixels of a legend of these labels drawn by [`draw_legend`].
pub(crate) fn legend_width<S: AsRef<str>>(labels: &[S]) -> u32 {
    let chars = labels
        .iter()
        .map(|l| l.as_ref().chars().count())
        .max()
        .unwrap_or(0)
        .min(LEGEND_CHARS);
    (chars as f64 * CHAR_W) as u32 + 50
}

/// A legend in its own area (beside the plot, so it never hides data): one row per entry, in
/// the given order, a swatch in the entry's colour then its label.
pub(crate) fn draw_legend(
    area: &Area<'_>,
    entries: &[(String, RGBColor, Swatch)],
    top: i32,
) -> Result<()> {
    let (_, h) = area.dim_in_pixel();
    let row = if entries.len() as i32 * 22 + top > h as i32 {
        ((h as i32 - top) / entries.len().max(1) as i32).max(10)
    } else {
        22
    };
    let font = (row - 6).clamp(8, LABEL_SIZE as i32);
    let style = TextStyle::from((FONT, font).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, color, swatch)) in entries.iter().enumerate() {
        let y = top + row * i as i32 + row / 2;
        match swatch {
            Swatch::Line(w) => area
                .draw(&PathElement::new(
                    vec![(8, y), (30, y)],
                    color.stroke_width((*w).max(2)),
                ))
                .map_err(plot_err)?,
            Swatch::Box => area
                .draw(&Rectangle::new([(12, y - 6), (26, y + 6)], color.filled()))
                .map_err(plot_err)?,
        }
        area.draw(&Text::new(
            ellipsize(label, LEGEND_CHARS),
            (36, y),
            style.clone(),
        ))
        .map_err(plot_err)?;
    }
    Ok(())
}

/// Category labels drawn under the x axis at pixel positions `xs` (centres), at pixel `y`:
/// on two staggered rows when they would overlap, cut when even that is too narrow.
pub(crate) fn draw_category_labels(
    root: &Area<'_>,
    xs: &[i32],
    y: i32,
    labels: &[String],
) -> Result<()> {
    let spacing = if xs.len() > 1 {
        ((xs[xs.len() - 1] - xs[0]) as f64 / (xs.len() - 1) as f64).abs()
    } else {
        f64::INFINITY
    };
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * CHAR_W;
    let stagger = widest + 6.0 > spacing;
    let room = if stagger { 2.0 * spacing } else { spacing };
    let max_chars = ((room - 6.0) / CHAR_W).floor().max(3.0) as usize;
    let style =
        TextStyle::from((FONT, LABEL_SIZE).into_font()).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, (x, label)) in xs.iter().zip(labels).enumerate() {
        let dy = if stagger && i % 2 == 1 { 18 } else { 0 };
        root.draw(&Text::new(
            ellipsize(label, max_chars),
            (*x, y + dy),
            style.clone(),
        ))
        .map_err(plot_err)?;
    }
    Ok(())
}

/// Height the labels of [`draw_category_labels`] need.
pub(crate) fn category_label_height(labels: &[String], plot_width: f64) -> u32 {
    let n = labels.len().max(1) as f64;
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * CHAR_W;
    if widest + 6.0 > plot_width / n {
        46
    } else {
        26
    }
}
