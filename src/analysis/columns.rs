//! Reading columns of a DataFrame as plain vectors (by linear scan of the names, see `kernel`),
//! and building the output columns of the analyses.

use super::join::need;
use crate::error::Result;
use polars::prelude::*;

/// A numeric (or boolean) column as `f64` values, null, NaN and infinite values as `None`.
/// Errors naming the column when it is missing or not numeric (a text column would otherwise
/// read as all nulls). The one numeric column reader of the analyses and the plots.
pub(crate) fn f64_values(df: &DataFrame, table: &str, name: &str) -> Result<Vec<Option<f64>>> {
    let c = need(df, table, name)?;
    let dt = c.dtype();
    if !(dt.is_primitive_numeric() || matches!(dt, DataType::Boolean | DataType::Null)) {
        return Err(crate::Error::InvalidParameter(format!(
            "column `{name}` of {table} is {dt}, not numeric"
        )));
    }
    let c = c.cast(&DataType::Float64)?;
    Ok(c.f64()?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// A temporal column (Datetime of any unit, or Date) as milliseconds since the epoch.
pub(crate) fn ms_values(df: &DataFrame, table: &str, name: &str) -> Result<Vec<Option<i64>>> {
    let c = need(df, table, name)?;
    let c = match c.dtype() {
        DataType::Datetime(TimeUnit::Milliseconds, _) => c.clone(),
        // Same zone, so the physical values (UTC milliseconds) are all that changes.
        DataType::Datetime(_, tz) => {
            c.cast(&DataType::Datetime(TimeUnit::Milliseconds, tz.clone()))?
        }
        DataType::Date => c.cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?,
        other => {
            return Err(crate::Error::InvalidParameter(format!(
                "column `{name}` of {table} is {other}, not a date or datetime"
            )));
        }
    };
    let i = c.cast(&DataType::Int64)?;
    Ok(i.i64()?.iter().collect())
}

pub(crate) const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a UTC millisecond timestamp.
pub(crate) fn day_of(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_DAY)
}

/// The calendar date of a day number.
pub(crate) fn date_of_day(day: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_num_days_from_ce_opt((day + 719_163) as i32)
        .unwrap_or(chrono::NaiveDate::MIN)
}

/// The day number of a calendar date.
pub(crate) fn day_of_date(d: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    d.num_days_from_ce() as i64 - 719_163
}

/// A datetime column (UTC, ms) at midnight of the given day numbers.
pub(crate) fn day_column(name: &str, days: &[i64]) -> Column {
    crate::loaders::table_datetime_ms_column(name, days.iter().map(|d| d * MS_PER_DAY).collect())
}

pub(crate) fn opt_f64_column(name: &str, v: Vec<Option<f64>>) -> Column {
    Column::new(name.into(), v)
}
