//! Listening over time: resampling a time column into calendar bins (the rules of pandas'
//! `resample` that the write-ups use), hours listened per day, and the per-year polynomial fit.

use super::columns::{
    date_of_day, day_column, day_of, day_of_date, f64_values, ms_values, opt_f64_column,
};
use super::polyfit::Polynomial;
use crate::error::{Error, Result};
use crate::schema::plays;
use chrono::Datelike;
use polars::prelude::*;
use std::fmt;

/// A resampling rule: how timestamps are put into calendar bins. Every bin between the first and
/// the last timestamp is in the result, empty ones included (count 0, sum 0, mean null), as in
/// pandas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// pandas `"nD"`: bins of `n` days from midnight of the first day, labelled by their first day.
    Days(u32),
    /// pandas `"nW"` (`W-SUN`): weeks ending on Sunday, closed and labelled on the right (by the
    /// Sunday that ends them); the first bin ends on the first Sunday on or after the first day,
    /// and each bin spans `n` weeks.
    Weeks(u32),
    /// pandas `"nM"` (`"nME"`): calendar months, closed and labelled on the right (by the last day
    /// of a month); the first bin ends with the first month, and each later bin spans `n` months.
    Months(u32),
}

impl fmt::Display for Every {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Every::Days(n) => write!(
                f,
                "{n} day(s) from midnight of the first day, labelled by the first day"
            ),
            Every::Weeks(n) => write!(f, "{n} week(s) ending Sunday, labelled by that Sunday"),
            Every::Months(n) => write!(f, "{n} calendar month(s), labelled by the last day"),
        }
    }
}

/// How the values of a bin are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agg {
    /// Non-null values (pandas `count`).
    Count,
    /// Sum of non-null values; 0 for an empty bin.
    Sum,
    /// Mean of non-null values; null for a bin without any.
    Mean,
}

/// Maps day numbers to bin labels (day numbers) for one rule and one first day.
struct Binner {
    every: Every,
    first_day: i64,
    first_label: i64,
}

impl Binner {
    fn new(every: Every, first_day: i64) -> Result<Binner> {
        let n = match every {
            Every::Days(n) | Every::Weeks(n) | Every::Months(n) => n,
        };
        if n == 0 {
            return Err(Error::InvalidParameter(format!(
                "resample: a bin of 0 units ({every:?}); use 1 or more"
            )));
        }
        let first_label = match every {
            Every::Days(_) => first_day,
            Every::Weeks(_) => {
                let wd = date_of_day(first_day).weekday().num_days_from_sunday() as i64;
                first_day + (7 - wd) % 7
            }
            Every::Months(_) => month_end(month_index(first_day)),
        };
        Ok(Binner {
            every,
            first_day,
            first_label,
        })
    }

    /// The label (a day number) of the bin holding `day`.
    fn label(&self, day: i64) -> i64 {
        match self.every {
            Every::Days(n) => {
                let n = n as i64;
                self.first_day + (day - self.first_day).div_euclid(n) * n
            }
            Every::Weeks(n) => {
                let w = 7 * n as i64;
                let k = (day - self.first_label + w - 1).div_euclid(w);
                self.first_label + k * w
            }
            Every::Months(n) => {
                let n = n as i64;
                let m0 = month_index(self.first_day);
                let k = (month_index(day) - m0 + n - 1).div_euclid(n);
                month_end(m0 + k * n)
            }
        }
    }

    /// Every label from the first day's bin to the last day's, in order.
    fn labels(&self, last_day: i64) -> Vec<i64> {
        let mut out = vec![];
        let last = self.label(last_day);
        let mut l = self.label(self.first_day);
        while l <= last {
            out.push(l);
            l = match self.every {
                Every::Days(n) => l + n as i64,
                Every::Weeks(n) => l + 7 * n as i64,
                Every::Months(n) => month_end(month_index(l) + n as i64),
            };
        }
        out
    }
}

/// Months since January 1970 of a day number.
fn month_index(day: i64) -> i64 {
    let d = date_of_day(day);
    (d.year() as i64 - 1970) * 12 + d.month0() as i64
}

/// The last day (day number) of a month index.
fn month_end(m: i64) -> i64 {
    let (y, mo) = ((m + 1).div_euclid(12) + 1970, (m + 1).rem_euclid(12) + 1);
    let first_of_next =
        chrono::NaiveDate::from_ymd_opt(y as i32, mo as u32, 1).unwrap_or(chrono::NaiveDate::MAX);
    day_of_date(first_of_next) - 1
}

/// Resamples `df` on its temporal column `on` into the bins of `every`, combining each of
/// `columns` with `agg`. The result has a `period` column (UTC midnight of each bin's label) and
/// one column per entry of `columns`; rows with a null time are left out.
///
/// `resample(&plays, "played_at", Every::Months(1), &["track"], Agg::Count)` is pandas'
/// `plays.resample("1M").count()["track"]`.
pub fn resample(
    df: &DataFrame,
    on: &str,
    every: Every,
    columns: &[&str],
    agg: Agg,
) -> Result<DataFrame> {
    let times = ms_values(df, "frame", on)?;
    let (Some(first), Some(last)) = (
        times.iter().flatten().min().map(|&t| day_of(t)),
        times.iter().flatten().max().map(|&t| day_of(t)),
    ) else {
        return Err(Error::InvalidParameter(format!(
            "resample: column `{on}` has no timestamps"
        )));
    };
    let binner = Binner::new(every, first)?;
    let labels = binner.labels(last);
    // A day's bin (u32::MAX for none), looked up once per day of the span (a history has
    // thousands of days and millions of plays) unless the span is absurdly long.
    let bin_of = |day: i64| {
        labels
            .binary_search(&binner.label(day))
            .map_or(u32::MAX, |b| b as u32)
    };
    let by_day: Option<Vec<u32>> =
        (last - first < 1 << 22).then(|| (first..=last).map(bin_of).collect());
    let row_bins: Vec<u32> = times
        .iter()
        .map(|t| match (t, &by_day) {
            (None, _) => u32::MAX,
            (Some(t), Some(table)) => table[(day_of(*t) - first) as usize],
            (Some(t), None) => bin_of(day_of(*t)),
        })
        .collect();
    drop(times);
    let mut cols = vec![day_column("period", &labels)];
    for name in columns {
        let nb = labels.len();
        let (mut sum, mut count) = (vec![0.0f64; nb], vec![0usize; nb]);
        match agg {
            Agg::Count => {
                let c = super::join::need(df, "frame", name)?;
                let valid = c.is_not_null();
                for (&b, v) in row_bins.iter().zip(valid.iter()) {
                    if b != u32::MAX && v == Some(true) {
                        count[b as usize] += 1;
                    }
                }
            }
            Agg::Sum | Agg::Mean => {
                let v = f64_values(df, "frame", name)?;
                for (x, &b) in v.iter().zip(&row_bins) {
                    if let Some(x) = x
                        && b != u32::MAX
                    {
                        sum[b as usize] += x;
                        count[b as usize] += 1;
                    }
                }
            }
        }
        let col = match agg {
            Agg::Count => Column::new(
                (*name).into(),
                count.iter().map(|&c| c as i64).collect::<Vec<_>>(),
            ),
            Agg::Sum => Column::new((*name).into(), sum),
            Agg::Mean => opt_f64_column(
                name,
                sum.iter()
                    .zip(&count)
                    .map(|(s, &c)| (c > 0).then(|| s / c as f64))
                    .collect(),
            ),
        };
        cols.push(col);
    }
    Ok(DataFrame::new(labels.len(), cols)?)
}

/// Plays per bin: a `period` column and a `plays` column (every bin, empty ones as 0).
pub fn plays_per(df: &DataFrame, every: Every) -> Result<DataFrame> {
    let out = resample(df, plays::PLAYED_AT, every, &[plays::PLAYED_AT], Agg::Count)?;
    let cols: Vec<Column> = out
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 1 {
                c.clone().with_name("plays".into())
            } else {
                c.clone()
            }
        })
        .collect();
    Ok(DataFrame::new(out.height(), cols)?)
}

/// Mean of each feature per bin over the plays that have it (pandas `resample(rule).mean()`):
/// the "listening palette" over time.
pub fn mean_per(df: &DataFrame, every: Every, features: &[&str]) -> Result<DataFrame> {
    resample(df, plays::PLAYED_AT, every, features, Agg::Mean)
}

/// Hours listened on every calendar day from the first play's day to the last's: the sum of
/// `duration` (milliseconds; `ms_played` for Spotify histories) over the plays of the day, a null
/// duration counting as 0 and a day without plays as 0 hours (as pandas' `resample("1D").sum()`).
/// Columns `day` and `hours`.
pub fn daily_hours(df: &DataFrame, duration: &str) -> Result<DataFrame> {
    let out = resample(df, plays::PLAYED_AT, Every::Days(1), &[duration], Agg::Sum)?;
    let ms = f64_values(&out, "resampled", duration)?;
    let hours: Vec<f64> = ms.iter().map(|v| v.unwrap_or(0.0) / 3.6e6).collect();
    let day = super::join::need(&out, "resampled", "period")?
        .clone()
        .with_name("day".into());
    Ok(DataFrame::new(
        out.height(),
        vec![day, Column::new("hours".into(), hours)],
    )?)
}

/// Hours per day with a polynomial fitted to each calendar year, as write-up 000's
/// "hours listening per day" chart.
#[derive(Debug, Clone)]
pub struct HoursPerDay {
    /// `day`, `hours`, `year`, `fit`: every day, and the year's polynomial evaluated on it.
    pub daily: DataFrame,
    /// `week`, `hours`, `fit`, `year`: 7-day means from the first day (pandas `resample("7D")`);
    /// `fit` is null in a week that straddles two years, so each year's curve stands alone.
    pub weekly: DataFrame,
    /// One row per year: `year`, `days` (with data), `mean_hours` (over those days), and the
    /// fit's coefficients in the scaled domain (`c0`…).
    pub fits: DataFrame,
}

/// Options of [`hours_per_day`].
#[derive(Debug, Clone, PartialEq)]
pub struct HoursOptions {
    /// Degree of each year's polynomial (default 4, as the write-up).
    pub degree: usize,
    /// A run of at least this many consecutive days without a single play is taken as missing
    /// data (null hours: a gap in the charts, left out of the fits) rather than as days of
    /// silence; exports often lack whole files. `None` (the default) counts every day without
    /// plays as 0 h, as pandas' `resample("1D").sum()` does.
    pub gap_days: Option<usize>,
}

impl Default for HoursOptions {
    fn default() -> Self {
        HoursOptions {
            degree: 4,
            gap_days: None,
        }
    }
}

/// Hours listened per day (see [`daily_hours`]) and, for each calendar year, a least-squares
/// polynomial of `opts.degree` over x = 0, 1, … (the day within the year's data), fitted as
/// numpy's `Polynomial.fit` does (x mapped to [-1, 1]), over the year's days that have data. A
/// year with fewer such days than `degree + 1` gets no fit (null). See [`HoursOptions::gap_days`]
/// for days without plays.
pub fn hours_per_day(df: &DataFrame, duration: &str, opts: &HoursOptions) -> Result<HoursPerDay> {
    let degree = opts.degree;
    let daily = daily_hours(df, duration)?;
    let days: Vec<i64> = ms_values(&daily, "daily", "day")?
        .into_iter()
        .map(|v| v.map(day_of).unwrap_or(0))
        .collect();
    let mut hours: Vec<Option<f64>> = f64_values(&daily, "daily", "hours")?
        .into_iter()
        .map(|v| Some(v.unwrap_or(0.0)))
        .collect();
    if let Some(gap) = opts.gap_days {
        if gap == 0 {
            return Err(Error::InvalidParameter(
                "hours_per_day: gap_days must be at least 1".into(),
            ));
        }
        let counts = resample(
            df,
            plays::PLAYED_AT,
            Every::Days(1),
            &[plays::PLAYED_AT],
            Agg::Count,
        )?;
        let counts = f64_values(&counts, "daily", plays::PLAYED_AT)?;
        let mut i = 0;
        while i < counts.len() {
            if counts[i].unwrap_or(0.0) > 0.0 {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < counts.len() && counts[j].unwrap_or(0.0) == 0.0 {
                j += 1;
            }
            if j - i >= gap {
                hours[i..j].iter_mut().for_each(|h| *h = None);
            }
            i = j;
        }
    }
    let years: Vec<i32> = days.iter().map(|&d| date_of_day(d).year()).collect();
    let mut fit: Vec<Option<f64>> = vec![None; days.len()];
    let (mut fy, mut fdays, mut fmean, mut coefs) = (vec![], vec![], vec![], vec![]);
    let mut start = 0;
    while start < days.len() {
        let mut end = start;
        while end < days.len() && years[end] == years[start] {
            end += 1;
        }
        let (x, y): (Vec<f64>, Vec<f64>) = (start..end)
            .filter_map(|i| hours[i].map(|h| ((i - start) as f64, h)))
            .unzip();
        fy.push(years[start]);
        fdays.push(y.len() as i64);
        fmean.push((!y.is_empty()).then(|| y.iter().sum::<f64>() / y.len() as f64));
        match Polynomial::fit(&x, &y, degree) {
            Ok(p) => {
                for i in start..end {
                    if hours[i].is_some() {
                        fit[i] = Some(p.eval((i - start) as f64));
                    }
                }
                coefs.push(Some(p.coef().to_vec()));
            }
            Err(_) => coefs.push(None),
        }
        start = end;
    }
    let daily = DataFrame::new(
        days.len(),
        vec![
            day_column("day", &days),
            opt_f64_column("hours", hours.clone()),
            Column::new("year".into(), years.clone()),
            opt_f64_column("fit", fit.clone()),
        ],
    )?;

    // Weekly means from the first day; a week holding two years gets no fit.
    let first = days.first().copied().unwrap_or(0);
    let nweeks = days.len().div_ceil(7);
    let (mut wk, mut wh, mut wf, mut wy) = (vec![], vec![], vec![], vec![]);
    let mean = |v: &[Option<f64>]| -> Option<f64> {
        let v: Vec<f64> = v.iter().flatten().copied().collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    for w in 0..nweeks {
        let range = w * 7..((w + 1) * 7).min(days.len());
        wk.push(first + 7 * w as i64);
        wh.push(mean(&hours[range.clone()]));
        let y0 = years[range.start];
        wy.push(y0);
        let same_year = years[range.clone()].iter().all(|&y| y == y0);
        wf.push(if same_year { mean(&fit[range]) } else { None });
    }
    let weekly = DataFrame::new(
        wk.len(),
        vec![
            day_column("week", &wk),
            opt_f64_column("hours", wh),
            opt_f64_column("fit", wf),
            Column::new("year".into(), wy),
        ],
    )?;

    let mut fit_cols = vec![
        Column::new("year".into(), fy),
        Column::new("days".into(), fdays),
        opt_f64_column("mean_hours", fmean),
    ];
    for k in 0..=degree {
        fit_cols.push(opt_f64_column(
            &format!("c{k}"),
            coefs
                .iter()
                .map(|c| c.as_ref().and_then(|c| c.get(k).copied()))
                .collect(),
        ));
    }
    let n = coefs.len();
    let fits = DataFrame::new(n, fit_cols)?;
    Ok(HoursPerDay {
        daily,
        weekly,
        fits,
    })
}
