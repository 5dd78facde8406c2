#![allow(dead_code)]
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A column's text values (linear scan by name, nulls as None).
pub fn strs(df: &polars::prelude::DataFrame, name: &str) -> Vec<Option<String>> {
    let c = df.column(name).expect("column");
    c.str()
        .expect("text column")
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

pub fn ints(df: &polars::prelude::DataFrame, name: &str) -> Vec<Option<i64>> {
    let c = df
        .column(name)
        .expect("column")
        .cast(&polars::prelude::DataType::Int64)
        .expect("cast");
    c.i64().expect("int column").iter().collect()
}

pub fn floats(df: &polars::prelude::DataFrame, name: &str) -> Vec<Option<f64>> {
    let c = df
        .column(name)
        .expect("column")
        .cast(&polars::prelude::DataType::Float64)
        .expect("cast");
    c.f64().expect("float column").iter().collect()
}
