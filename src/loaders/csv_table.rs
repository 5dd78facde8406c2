//! Header CSV files into typed columns, by a declarative column spec. Errors name the file, line
//! and column.

use crate::error::{Error, Result};
use polars::prelude::*;
use rayon::prelude::*;
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

/// A parsed header CSV: trimmed header cells and the records with their line numbers. The cells
/// sit in one string, row by row, with their end offsets in one vector (no allocation per
/// record), so that building a column reads memory in order.
pub(crate) struct CsvFile<'a> {
    pub path: &'a Path,
    pub header: Vec<String>,
    /// Every cell's text, row-major.
    cells: String,
    /// End offset in `cells` of each cell, row-major (`header.len()` per row).
    ends: Vec<usize>,
    /// The file line each record starts on.
    lines: Vec<u64>,
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
        let mut file = CsvFile {
            path,
            header,
            cells: String::new(),
            ends: Vec::new(),
            lines: Vec::new(),
        };
        let mut cells: Vec<u8> = Vec::with_capacity(text.len());
        let mut record = csv::ByteRecord::new();
        loop {
            let more = reader.read_byte_record(&mut record).map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                Error::parse(path, line, format!("malformed CSV: {e}"))
            })?;
            if !more {
                break;
            }
            let line = record
                .position()
                .map(|p| p.line())
                .unwrap_or(file.lines.len() as u64 + 2);
            if record.len() != file.header.len() {
                return Err(Error::parse(
                    path,
                    line,
                    format!(
                        "expected {} fields as in the header, found {}",
                        file.header.len(),
                        record.len()
                    ),
                ));
            }
            for field in &record {
                cells.extend_from_slice(field);
                file.ends.push(cells.len());
            }
            file.lines.push(line);
        }
        // Fields split from valid UTF-8 at ASCII delimiters and quotes are valid UTF-8: one check
        // of the whole, instead of one per record.
        file.cells = String::from_utf8(cells)
            .map_err(|e| Error::parse(path, 0, format!("not UTF-8 after parsing: {e}")))?;
        Ok(file)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
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

    /// The file line record `row` starts on.
    pub fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }

    /// The text of `row` at `col` as in the file (empty beyond the header's columns).
    fn raw(&self, row: usize, col: usize) -> &str {
        let n = self.header.len();
        if col >= n {
            return "";
        }
        let at = row * n + col;
        let start = if at == 0 { 0 } else { self.ends[at - 1] };
        &self.cells[start..self.ends[at]]
    }

    /// The cell of `row` at `col`, `None` when empty or `NA`.
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        let v = self.raw(row, col);
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
                self.raw(row, col)
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

    /// Builds the columns of `specs` for `rows`, in parallel; required columns missing from the
    /// header are an error (the first in `specs` order).
    pub fn columns<'s>(
        &self,
        specs: impl IntoIterator<Item = &'s Spec>,
        rows: &[usize],
    ) -> Result<Vec<Column>> {
        let specs: Vec<&Spec> = specs.into_iter().collect();
        let built: Vec<Result<Column>> = specs
            .par_iter()
            .map(|s| {
                let idx = if s.required {
                    Some(self.require(s.from)?)
                } else {
                    self.index_of(s.from)
                };
                self.column(idx, s.to, s.kind, rows)
            })
            .collect();
        built.into_iter().collect()
    }
}

/// The field delimiter of a CSV file, judged from its first line: the most frequent of `,`, `;`
/// and tab outside quotes (`,` on a tie or where none occurs).
pub(crate) fn sniff_delimiter(first_line: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            '\n' => break,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// Reads a CSV file as a stream of records, without a header row (the caller looks at the first
/// record), handing each record with the line it starts on to `f`. Gzip, encodings and a byte
/// order mark are handled (see [`super::text`]); the delimiter is sniffed from the first line.
/// Records may have any number of fields.
pub(crate) fn stream_records(
    file: &Path,
    report: &mut super::LoadReport,
    mut f: impl FnMut(&mut super::LoadReport, &csv::StringRecord, u64) -> Result<()>,
) -> Result<()> {
    use std::io::BufRead;
    let (mut r, encoding) = super::text::open_decoded(file)?;
    super::note_encoding(report, file, encoding);
    let head = r.fill_buf().map_err(|e| super::text::read_error(file, e))?;
    let delimiter = sniff_delimiter(&String::from_utf8_lossy(&head[..head.len().min(8192)]));
    if delimiter != b',' {
        report.note(format!(
            "fields separated by {}",
            if delimiter == b';' { "`;`" } else { "tabs" }
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(r);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                f(report, &record, line)?;
            }
            Err(e) => return Err(csv_error(file, e)),
        }
    }
}

/// The crate error for a CSV error in `file`: its line, or the I/O cause.
pub(crate) fn csv_error(file: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = format!("malformed CSV: {e}");
    match e.into_kind() {
        csv::ErrorKind::Io(io) => super::text::read_error(file, io),
        _ => Error::parse(file, line, message),
    }
}

/// Spreadsheet error values that replace a cell's text when a CSV is re-saved by Excel or a
/// similar program (a name starting with `=`, `+` or `-` read as a formula).
pub(crate) fn is_spreadsheet_error(cell: &str) -> bool {
    matches!(
        cell.trim(),
        "#NAME?" | "#VALUE!" | "#REF!" | "#N/A" | "#DIV/0!" | "#NUM!" | "#NULL!" | "#ERROR!"
    )
}

/// Reason flagged for a row with a spreadsheet error cell.
pub const FLAG_SPREADSHEET_ERROR: &str = "a name is a spreadsheet error value such as `#NAME?` (the original text is lost; kept as it is)";
