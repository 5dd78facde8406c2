//! The date and time formats the CSV plays loaders accept, and how each is read.
//!
//! | format | examples | read as |
//! |---|---|---|
//! | [`DateFormat::LastfmText`] | `20 Nov 2020 09:35`, `20 Nov 2020, 09:35` | UTC (what lastfm-to-csv and Last.fm's pages write) |
//! | [`DateFormat::MonthFirst`] | `1/22/23 1:02`, `01/22/2023 13:02:05`, `1/22/2023 1:02 PM` | month/day/year, UTC |
//! | [`DateFormat::DayFirst`] | `22/1/23 1:02`, `22.01.2023 13:02` | day/month/year, UTC |
//! | [`DateFormat::Iso`] | `2023-01-22 01:02`, `2023-01-22T01:02:03.5Z`, `2023-01-22 01:02:03+01:00`, `2023-01-22 01:02:03 UTC` | with an offset: converted to UTC; without one: taken as UTC |
//! | [`DateFormat::Unix`] | `1674349320`, `1674349320.0`, `1674349320123` | seconds since 1970 UTC; 13 or more digits: milliseconds |
//! | [`DateFormat::Custom`] | any chrono `strftime` pattern, e.g. `%d-%m-%Y %H:%M` | UTC unless the pattern has an offset (`%z`) |
//!
//! Slashed numeric dates are ambiguous (`1/2/23`). When a file's format is found from its content
//! (not given by the caller), the first dated row fixes the family; for slashed dates the order is
//! decided over the whole file by one rule: **day first if any value has a first number above 12,
//! else month first** (spreadsheets in the US locale, which write `1/22/23 1:02`, put the month
//! first; a file where both a first and a second number exceed 12 somewhere is an error naming both
//! lines). Two-digit years: `00`–`68` are 2000–2068, `69`–`99` are 1969–1999 (the POSIX rule).
//! Dotted dates (`22.01.2023`) are always day first. The load report says which reading was used.
//!
//! A value that does not fit the format the file started with is an error naming its line and
//! the first line's value: a file does not mix formats.

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::path::Path;

/// How a plays table writes its times. See the module docs for the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// Found from the first dated row (the default).
    #[default]
    Auto,
    /// `20 Nov 2020 09:35` (lastfm-to-csv).
    LastfmText,
    /// `1/22/23 1:02`: numeric, month first, slashes.
    MonthFirst,
    /// `22/1/23 1:02` or `22.01.2023 01:02`: numeric, day first.
    DayFirst,
    /// ISO 8601 / RFC 3339 date and time, optionally with an offset.
    Iso,
    /// Unix time in seconds (or milliseconds with 13+ digits).
    Unix,
    /// A chrono `strftime` pattern.
    Custom(String),
}

impl DateFormat {
    /// The family a value looks like, judged from its shape alone.
    pub fn detect(value: &str) -> Option<DateFormat> {
        let v = value.trim();
        let b = v.as_bytes();
        if v.is_empty() {
            return None;
        }
        if v.bytes().all(|c| c.is_ascii_digit() || c == b'.') && b[0].is_ascii_digit() {
            return if v.contains('.') && v.matches('.').count() > 1 {
                Some(DateFormat::DayFirst)
            } else {
                Some(DateFormat::Unix)
            };
        }
        let lead = v.bytes().take_while(u8::is_ascii_digit).count();
        match (lead, b.get(lead)) {
            (4, Some(b'-')) => Some(DateFormat::Iso),
            (1 | 2, Some(b'/')) => Some(DateFormat::MonthFirst), // order decided per file
            (1 | 2, Some(b'.')) => Some(DateFormat::DayFirst),
            (1 | 2, Some(b' ')) if b.get(lead + 1).is_some_and(u8::is_ascii_alphabetic) => {
                Some(DateFormat::LastfmText)
            }
            _ => None,
        }
    }

    /// An example of the form, for messages.
    fn example(&self) -> &str {
        match self {
            DateFormat::Auto => "a date",
            DateFormat::LastfmText => "20 Nov 2020 09:35",
            DateFormat::MonthFirst => "1/22/23 1:02",
            DateFormat::DayFirst => "22/1/23 1:02",
            DateFormat::Iso => "2023-01-22 01:02:03",
            DateFormat::Unix => "1674349320",
            DateFormat::Custom(p) => p,
        }
    }
}

/// The earliest time a play may have: 1900-01-01 UTC, in ms since 1970.
pub const EARLIEST_MS: i64 = -2_208_988_800_000;
/// The latest time a play may have: 2200-01-01 UTC, in ms since 1970.
pub const LATEST_MS: i64 = 7_258_118_400_000;

/// Whether `ms` is a plausible time of a play (1900 to 2200); times outside are errors, not data.
pub fn in_range(ms: i64) -> bool {
    (EARLIEST_MS..=LATEST_MS).contains(&ms)
}

/// Parses one value in a fixed, unambiguous format: milliseconds since 1970 UTC, `None` where the
/// value does not parse or lies outside 1900–2200 ([`in_range`]).
pub fn parse(format: &DateFormat, value: &str) -> Option<i64> {
    parse_any(format, value).filter(|ms| in_range(*ms))
}

fn parse_any(format: &DateFormat, value: &str) -> Option<i64> {
    let v = value.trim();
    match format {
        // Alone, a slashed date is read month first (see the module docs).
        DateFormat::Auto => parse(&DateFormat::detect(v)?, v),
        DateFormat::LastfmText => ["%d %b %Y %H:%M", "%d %b %Y, %H:%M", "%d %b %Y %H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
            .map(utc_ms),
        DateFormat::MonthFirst | DateFormat::DayFirst => {
            let p = Numeric::parse(v)?;
            let month_first = *format == DateFormat::MonthFirst && !p.dotted;
            p.to_ms(month_first).filter(|ms| in_range(*ms))
        }
        DateFormat::Iso => parse_iso(v),
        DateFormat::Unix => parse_unix(v),
        DateFormat::Custom(pattern) => DateTime::parse_from_str(v, pattern)
            .map(|d| d.timestamp_millis())
            .ok()
            .or_else(|| NaiveDateTime::parse_from_str(v, pattern).ok().map(utc_ms))
            .or_else(|| {
                NaiveDate::parse_from_str(v, pattern)
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(utc_ms)
            }),
    }
}

fn utc_ms(dt: NaiveDateTime) -> i64 {
    dt.and_utc().timestamp_millis()
}

fn parse_iso(v: &str) -> Option<i64> {
    let v = v
        .strip_suffix(" UTC")
        .or_else(|| v.strip_suffix(" GMT"))
        .unwrap_or(v);
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Some(d.timestamp_millis());
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(v, f) {
            return Some(d.timestamp_millis());
        }
    }
    let naive = v.strip_suffix('Z').unwrap_or(v);
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(utc_ms(d));
        }
    }
    NaiveDate::parse_from_str(naive, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(utc_ms)
}

fn parse_unix(v: &str) -> Option<i64> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if int.is_empty()
        || !int.bytes().all(|c| c.is_ascii_digit())
        || !frac.bytes().all(|c| c.is_ascii_digit())
        || int.len() > 16
    {
        return None;
    }
    let n: i64 = int.parse().ok()?;
    if int.len() >= 13 {
        return Some(n); // milliseconds
    }
    let frac_ms = if frac.is_empty() {
        0
    } else {
        let f = format!("0.{frac}").parse::<f64>().ok()?;
        (f * 1000.0).round() as i64
    };
    n.checked_mul(1000)?.checked_add(frac_ms)
}

/// A numeric date `a/b/y h:m[:s][ AM|PM]` (or dotted `d.m.y`), order not yet known.
#[derive(Clone, Copy, Debug)]
struct Numeric {
    a: u8,
    b: u8,
    year: i32,
    secs: u32,
    dotted: bool,
}

impl Numeric {
    fn parse(v: &str) -> Option<Numeric> {
        let (date, time) = match v.split_once([' ', 'T']) {
            Some((d, t)) => (d.trim_end_matches(','), t.trim()),
            None => (v, ""),
        };
        let dotted = date.contains('.');
        let sep = if dotted { '.' } else { '/' };
        let mut parts = date.split(sep);
        let a: u8 = small(parts.next()?, 2)?;
        let b: u8 = small(parts.next()?, 2)?;
        let y = parts.next()?;
        if parts.next().is_some() || !(y.len() == 2 || y.len() == 4) {
            return None;
        }
        let two_digit = y.len() == 2;
        let y: i32 = small::<u16>(y, 4)? as i32;
        let year = match y {
            0..=68 if two_digit => 2000 + y,
            69..=99 if two_digit => 1900 + y,
            _ => y,
        };
        let secs = if time.is_empty() {
            0
        } else {
            let upper = time.to_ascii_uppercase();
            let (clock, pm) = if let Some(c) = upper.strip_suffix("PM") {
                (c.trim().to_string(), Some(true))
            } else if let Some(c) = upper.strip_suffix("AM") {
                (c.trim().to_string(), Some(false))
            } else {
                (upper, None)
            };
            let mut t = clock.split(':');
            let mut h: u32 = small::<u8>(t.next()?, 2)? as u32;
            let m: u32 = small::<u8>(t.next()?, 2)? as u32;
            let s: u32 = match t.next() {
                Some(s) => small::<u8>(s.split('.').next()?, 2)? as u32,
                None => 0,
            };
            if t.next().is_some() || m > 59 || s > 60 {
                return None;
            }
            match pm {
                Some(pm) => {
                    if !(1..=12).contains(&h) {
                        return None;
                    }
                    h = h % 12 + if pm { 12 } else { 0 };
                }
                None if h > 23 => return None,
                None => {}
            }
            h * 3600 + m * 60 + s
        };
        if a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
            return None;
        }
        Some(Numeric {
            a,
            b,
            year,
            secs,
            dotted,
        })
    }

    fn to_ms(self, month_first: bool) -> Option<i64> {
        let (m, d) = if month_first {
            (self.a, self.b)
        } else {
            (self.b, self.a)
        };
        let date = NaiveDate::from_ymd_opt(self.year, m as u32, d as u32)?;
        Some(utc_ms(date.and_hms_opt(0, 0, 0)?) + self.secs as i64 * 1000)
    }
}

fn small<T: std::str::FromStr>(s: &str, max_len: usize) -> Option<T> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Reads one file's date column row by row: fixes the format at the first value (or takes the
/// caller's), errors on a value that does not fit it, and defers slashed dates until the whole
/// file has been seen (see the module docs).
pub(crate) struct DateReader {
    given: DateFormat,
    /// The format in force, with the line and value that fixed it.
    found: Option<(DateFormat, u64, String)>,
    deferred: Vec<Deferred>,
    /// First lines proving day first (a > 12) and month first (b > 12).
    day_first_at: Option<(u64, String)>,
    month_first_at: Option<(u64, String)>,
}

struct Deferred {
    row: usize,
    line: u64,
    value: Numeric,
    minus_ms: i64,
}

impl DateReader {
    pub fn new(given: DateFormat) -> Self {
        DateReader {
            given,
            found: None,
            deferred: Vec::new(),
            day_first_at: None,
            month_first_at: None,
        }
    }

    /// The format the file's first dated row fixed, once there was one.
    pub fn format(&self) -> Option<&DateFormat> {
        self.found.as_ref().map(|(f, _, _)| f)
    }

    /// Reads the value of output row `row` at `line`, less `minus_ms` (a play's duration where
    /// times mark its end): `Some(ms)`, or `None` when the value is kept until [`Self::finish`]
    /// decides the order of a slashed date.
    pub fn read(
        &mut self,
        file: &Path,
        line: u64,
        row: usize,
        value: &str,
        minus_ms: i64,
    ) -> Result<Option<i64>> {
        let v = value.trim();
        let format = match &self.found {
            Some((f, _, _)) => f.clone(),
            None => {
                let f = match &self.given {
                    DateFormat::Auto => DateFormat::detect(v).ok_or_else(|| {
                        Error::parse(
                            file,
                            line,
                            format!(
                                "`{v}` is not a date in any accepted format (see \
                                 listening::loaders::dates)"
                            ),
                        )
                    })?,
                    g => g.clone(),
                };
                self.found = Some((f.clone(), line, v.to_string()));
                f
            }
        };
        let defer = self.given == DateFormat::Auto && format == DateFormat::MonthFirst;
        if defer && let Some(n) = Numeric::parse(v).filter(|n| !n.dotted) {
            if n.a > 12 && self.day_first_at.is_none() {
                self.day_first_at = Some((line, v.to_string()));
            }
            if n.b > 12 && self.month_first_at.is_none() {
                self.month_first_at = Some((line, v.to_string()));
            }
            self.deferred.push(Deferred {
                row,
                line,
                value: n,
                minus_ms,
            });
            return Ok(None);
        }
        match parse(&format, v) {
            Some(ms) => Ok(Some(ms.saturating_sub(minus_ms))),
            None => Err(self.misfit(file, line, v, &format)),
        }
    }

    fn misfit(&self, file: &Path, line: u64, v: &str, format: &DateFormat) -> Error {
        let why = match &self.found {
            Some((_, first_line, first)) if *first_line != line => format!(
                "`{v}` does not fit the file's date format (line {first_line} has `{first}`, \
                 read as {})",
                describe(format)
            ),
            _ => format!("`{v}` is not a date like `{}`", format.example()),
        };
        Error::parse(file, line, why)
    }

    /// Resolves the deferred rows into `played_at` (indexed by output row); returns how the file's
    /// dates were read, for the report.
    pub fn finish(self, file: &Path, played_at: &mut [i64]) -> Result<Option<String>> {
        let Some((format, _, first)) = &self.found else {
            return Ok(None);
        };
        if self.deferred.is_empty() {
            return Ok(Some(format!(
                "dates like `{first}` read as {}",
                describe(format)
            )));
        }
        let (month_first, why) = match (&self.day_first_at, &self.month_first_at) {
            (Some((l1, v1)), Some((l2, v2))) => {
                return Err(Error::parse(
                    file,
                    (*l1).max(*l2),
                    format!(
                        "the file mixes day-first and month-first dates: line {l1} has `{v1}` \
                         (day first), line {l2} has `{v2}` (month first)"
                    ),
                ));
            }
            (Some((l, v)), None) => (false, format!("day first: line {l} has `{v}`")),
            (None, Some((l, v))) => (true, format!("month first: line {l} has `{v}`")),
            (None, None) => (
                true,
                "month first: no value in the file tells the order; month/day/year is the rule \
                 for slashed dates (give DateFormat::DayFirst to read them day first)"
                    .to_string(),
            ),
        };
        for d in &self.deferred {
            let ms = d
                .value
                .to_ms(month_first)
                .filter(|ms| in_range(*ms))
                .ok_or_else(|| {
                    Error::parse(
                        file,
                        d.line,
                        format!(
                            "not a valid date read {} (the file's order)",
                            if month_first {
                                "month/day/year"
                            } else {
                                "day/month/year"
                            }
                        ),
                    )
                })?;
            if let Some(slot) = played_at.get_mut(d.row) {
                *slot = ms - d.minus_ms;
            }
        }
        Ok(Some(format!("dates like `{first}` read {why}")))
    }
}

fn describe(f: &DateFormat) -> &'static str {
    match f {
        DateFormat::Auto => "found from the data",
        DateFormat::LastfmText => "day month-name year, UTC",
        DateFormat::MonthFirst => "month/day/year, UTC",
        DateFormat::DayFirst => "day/month/year, UTC",
        DateFormat::Iso => "ISO 8601 (UTC where no offset is given)",
        DateFormat::Unix => "unix time (seconds; milliseconds with 13+ digits)",
        DateFormat::Custom(_) => "the given pattern, UTC unless it has an offset",
    }
}
