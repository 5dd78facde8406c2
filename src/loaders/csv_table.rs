//! Header CSV files into typed columns, by a declarative column spec. Errors name the file, line
//! and column.

use crate::error::{Error, Result};
use polars::prelude::*;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    Str,
    Int,
    Float,
    /// `True`/`False`/`true`/`false`/`1`/`0`.
    Bool,
}

/// One output column: the header names it may have in the file (first found wins), its canonical
/// name and type, and whether a file without it is an error (else the column is all null).
pub(crate) struct Spec {
    pub from: &'static [&'static str],
    pub to: &'static str,
    pub kind: Kind,
    pub required: bool,
}

pub(crate) const fn col(
    from: &'static [&'static str],
    to: &'static str,
    kind: Kind,
    required: bool,
) -> Spec {
    Spec {
        from,
        to,
        kind,
        required,
    }
}

/// A parsed header CSV: trimmed header cells and the records with their line numbers.
pub(crate) struct CsvFile<'a> {
    pub path: &'a Path,
    pub header: Vec<String>,
    pub records: Vec<csv::StringRecord>,
}

impl<'a> CsvFile<'a> {
    pub fn parse(path: &'a Path, text: &str) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| Error::parse(path, 1, format!("malformed CSV header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        if header.iter().all(String::is_empty) {
            return Err(Error::Empty {
                path: path.to_path_buf(),
            });
        }
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                Error::parse(path, line, format!("malformed CSV: {e}"))
            })?;
            if record.len() != header.len() {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                return Err(Error::parse(
                    path,
                    line,
                    format!(
                        "expected {} fields as in the header, found {}",
                        header.len(),
                        record.len()
                    ),
                ));
            }
            records.push(record);
        }
        Ok(CsvFile {
            path,
            header,
            records,
        })
    }

    pub fn index_of(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| h == n))
    }

    pub fn require(&self, names: &[&str]) -> Result<usize> {
        self.index_of(names).ok_or_else(|| Error::MissingColumn {
            path: self.path.to_path_buf(),
            column: names[0].to_string(),
            found: self.header.join(","),
        })
    }

    fn line(&self, row: usize) -> u64 {
        self.records[row]
            .position()
            .map(|p| p.line())
            .unwrap_or(row as u64 + 2)
    }

    /// The cell of `row` at `col`, `None` when empty or `NA`.
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        let v = self.records[row].get(col)?;
        if v.is_empty() || v == "NA" {
            None
        } else {
            Some(v)
        }
    }

    fn bad(&self, row: usize, col: usize, what: &str) -> Error {
        Error::parse(
            self.path,
            self.line(row),
            format!(
                "column `{}`: `{}` is not {what}",
                self.header[col],
                self.records[row].get(col).unwrap_or("")
            ),
        )
    }

    /// Builds a typed column from `col` (all rows, or the rows in `rows`), or all nulls if `None`.
    pub fn column(
        &self,
        col: Option<usize>,
        name: &str,
        kind: Kind,
        rows: &[usize],
    ) -> Result<Column> {
        let name = PlSmallStr::from(name);
        let Some(c) = col else {
            let dtype = match kind {
                Kind::Str => DataType::String,
                Kind::Int => DataType::Int64,
                Kind::Float => DataType::Float64,
                Kind::Bool => DataType::Boolean,
            };
            return Ok(Column::full_null(name, rows.len(), &dtype));
        };
        Ok(match kind {
            Kind::Str => Column::new(
                name,
                rows.iter().map(|&r| self.cell(r, c)).collect::<Vec<_>>(),
            ),
            Kind::Int => {
                let v = rows
                    .iter()
                    .map(|&r| match self.cell(r, c) {
                        None => Ok(None),
                        // Some tools write integers as floats ("4.0").
                        Some(s) => s
                            .parse::<i64>()
                            .ok()
                            .or_else(|| {
                                s.parse::<f64>()
                                    .ok()
                                    .filter(|f| f.fract() == 0.0)
                                    .map(|f| f as i64)
                            })
                            .map(Some)
                            .ok_or_else(|| self.bad(r, c, "an integer")),
                    })
                    .collect::<Result<Vec<_>>>()?;
                Column::new(name, v)
            }
            Kind::Float => {
                let v = rows
                    .iter()
                    .map(|&r| match self.cell(r, c) {
                        None => Ok(None),
                        Some(s) => s
                            .parse::<f64>()
                            .map(Some)
                            .map_err(|_| self.bad(r, c, "a number")),
                    })
                    .collect::<Result<Vec<_>>>()?;
                Column::new(name, v)
            }
            Kind::Bool => {
                let v = rows
                    .iter()
                    .map(|&r| match self.cell(r, c) {
                        None => Ok(None),
                        Some("True" | "true" | "TRUE" | "1") => Ok(Some(true)),
                        Some("False" | "false" | "FALSE" | "0") => Ok(Some(false)),
                        Some(_) => Err(self.bad(r, c, "true or false")),
                    })
                    .collect::<Result<Vec<_>>>()?;
                Column::new(name, v)
            }
        })
    }

    /// Builds the columns of `specs` for `rows`; required columns missing from the header are an
    /// error.
    pub fn columns(&self, specs: &[Spec], rows: &[usize]) -> Result<Vec<Column>> {
        specs
            .iter()
            .map(|s| {
                let idx = if s.required {
                    Some(self.require(s.from)?)
                } else {
                    self.index_of(s.from)
                };
                self.column(idx, s.to, s.kind, rows)
            })
            .collect()
    }
}
