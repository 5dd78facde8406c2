//! The one bridge between polars (DataFrame) and ndarray 0.16 (what linfa uses). Every conversion
//! between the two lives here.

use crate::analysis::join::{need, str_values};
use crate::error::{Error, Result};
use ndarray::{Array1, Array2};
use polars::prelude::*;

fn floats(df: &DataFrame, name: &str) -> Result<Vec<f64>> {
    let c = need(df, "frame", name)?.cast(&DataType::Float64)?;
    c.f64()?
        .iter()
        .enumerate()
        .map(|(row, v)| {
            v.ok_or_else(|| {
                Error::InvalidParameter(format!(
                    "column `{name}` is null at row {row}; drop or fill nulls first"
                ))
            })
        })
        .collect()
}

/// The named numeric columns as a rows × columns `f64` matrix. A null is an error naming the
/// column and row.
pub fn to_array2(df: &DataFrame, columns: &[&str]) -> Result<Array2<f64>> {
    let (n, k) = (df.height(), columns.len());
    let mut out = Array2::<f64>::zeros((n, k));
    for (j, name) in columns.iter().enumerate() {
        for (i, v) in floats(df, name)?.into_iter().enumerate() {
            out[[i, j]] = v;
        }
    }
    Ok(out)
}

/// One numeric column as a vector (nulls are an error).
pub fn to_array1(df: &DataFrame, column: &str) -> Result<Array1<f64>> {
    Ok(Array1::from(floats(df, column)?))
}

/// A column as text labels (any dtype, cast to text; nulls are an error).
pub fn to_labels(df: &DataFrame, column: &str) -> Result<Vec<String>> {
    str_values(df, "frame", column)?
        .into_iter()
        .enumerate()
        .map(|(row, v)| {
            v.ok_or_else(|| {
                Error::InvalidParameter(format!("column `{column}` is null at row {row}"))
            })
        })
        .collect()
}

/// A matrix as a DataFrame with the given column names.
pub fn from_array2(a: &Array2<f64>, names: &[&str]) -> Result<DataFrame> {
    if names.len() != a.ncols() {
        return Err(Error::InvalidParameter(format!(
            "{} column names for a matrix of {} columns",
            names.len(),
            a.ncols()
        )));
    }
    let cols = names
        .iter()
        .enumerate()
        .map(|(j, name)| Column::new((*name).into(), a.column(j).to_vec()))
        .collect();
    Ok(DataFrame::new(a.nrows(), cols)?)
}

/// The named numeric columns as a rows × columns `f64` matrix with NaN for nulls, and per row
/// whether it is complete (no null in these columns). For builders that skip and count
/// incomplete rows rather than fail.
pub fn to_array2_nullable(df: &DataFrame, columns: &[&str]) -> Result<(Array2<f64>, Vec<bool>)> {
    let n = df.height();
    let mut out = Array2::<f64>::from_elem((n, columns.len()), f64::NAN);
    let mut complete = vec![true; n];
    for (j, name) in columns.iter().enumerate() {
        let c = need(df, "frame", name)?.cast(&DataType::Float64)?;
        for (i, v) in c.f64()?.iter().enumerate() {
            match v {
                Some(v) if v.is_finite() => out[[i, j]] = v,
                _ => complete[i] = false,
            }
        }
    }
    Ok((out, complete))
}

/// A text column `name` holding, for each row, the class `classes[code]` of its code in `codes`
/// (a k-means cluster, a dataset's label index): the column to colour or group a frame by.
///
/// # Errors
/// [`Error::Parameter`] for a code with no class.
pub fn class_column(name: &str, codes: &[usize], classes: &[String]) -> Result<Column> {
    let names = codes
        .iter()
        .enumerate()
        .map(|(row, &c)| {
            classes.get(c).cloned().ok_or_else(|| Error::Parameter {
                name: "codes".into(),
                value: format!("{c} at row {row}"),
                expected: format!("a class index below {}", classes.len()),
            })
        })
        .collect::<Result<Vec<String>>>()?;
    Ok(Column::new(name.into(), names))
}

/// A matrix as a DataFrame with the given column names ([`from_array2`]) and a last column
/// `column` naming each row's class ([`class_column`]): standardised features with their
/// super-genre or k-means cluster, ready for [`crate::analysis::group_means`].
///
/// # Errors
/// As [`from_array2`] and [`class_column`], and [`Error::Shape`] when `codes` has not one code
/// per row.
pub fn labelled(
    a: &Array2<f64>,
    names: &[&str],
    column: &str,
    codes: &[usize],
    classes: &[String],
) -> Result<DataFrame> {
    with_classes(from_array2(a, names)?, column, codes, classes)
}

/// `df` with [`class_column`] appended, one code per row.
pub(crate) fn with_classes(
    df: DataFrame,
    column: &str,
    codes: &[usize],
    classes: &[String],
) -> Result<DataFrame> {
    if codes.len() != df.height() {
        return Err(Error::Shape(format!(
            "{} class codes for {} rows: `{column}` needs one per row",
            codes.len(),
            df.height()
        )));
    }
    Ok(df.hstack(&[class_column(column, codes, classes)?])?)
}
