//! Streaming JSON: the records of a top-level array, or a sequence of top-level values (JSON
//! lines, concatenated pages), handed over one at a time so that a file is never held whole.

use super::text::read_error;
use crate::error::{Error, Result};
use serde::de::{Deserializer as _, Error as _, SeqAccess, Visitor};
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

/// What a JSON file holds at its top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One array (`[...]`).
    Array,
    /// One or more values one after another: an object, JSON lines, pages saved back to back.
    Values,
    /// Nothing but whitespace.
    Empty,
}

/// Looks at the first non-blank byte without consuming it (blanks are consumed).
pub(crate) fn shape(path: &Path, r: &mut dyn BufRead) -> Result<Shape> {
    loop {
        let buf = r.fill_buf().map_err(|e| read_error(path, e))?;
        if buf.is_empty() {
            return Ok(Shape::Empty);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let first = buf[i];
                r.consume(i);
                return Ok(if first == b'[' {
                    Shape::Array
                } else {
                    Shape::Values
                });
            }
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    }
}

/// Maps a serde_json error at `path` to the crate's error (I/O errors keep their cause).
pub(crate) fn json_error(path: &Path, e: serde_json::Error) -> Error {
    if e.is_io() {
        return read_error(path, std::io::Error::from(e));
    }
    Error::parse(path, e.line() as u64, format!("invalid JSON: {e}"))
}

struct EachElement<'a, F> {
    f: &'a mut F,
    stopped: &'a mut Option<Error>,
}

impl<'de, F: FnMut(usize, Value) -> Result<()>> Visitor<'de> for EachElement<'_, F> {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while let Some(v) = seq.next_element::<Value>()? {
            n += 1;
            if let Err(e) = (self.f)(n, v) {
                *self.stopped = Some(e);
                return Err(A::Error::custom("stopped by the loader"));
            }
        }
        Ok(n)
    }
}

/// Calls `f(index, record)` (1-based) for each element of the top-level array read from `r`;
/// returns how many there were. Anything after the array but whitespace is an error.
pub(crate) fn each_in_array(
    path: &Path,
    r: &mut dyn BufRead,
    mut f: impl FnMut(usize, Value) -> Result<()>,
) -> Result<usize> {
    let mut stopped = None;
    let mut de = serde_json::Deserializer::from_reader(r);
    let got = de.deserialize_seq(EachElement {
        f: &mut f,
        stopped: &mut stopped,
    });
    if let Some(e) = stopped {
        return Err(e);
    }
    let n = got.map_err(|e| json_error(path, e))?;
    de.end().map_err(|e| json_error(path, e))?;
    Ok(n)
}

/// Calls `f(index, value)` (1-based) for each top-level value read from `r` (JSON lines, or
/// documents saved one after another); returns how many there were.
pub(crate) fn each_value(
    path: &Path,
    r: &mut dyn BufRead,
    mut f: impl FnMut(usize, Value) -> Result<()>,
) -> Result<usize> {
    let mut n = 0;
    for v in serde_json::Deserializer::from_reader(r).into_iter::<Value>() {
        let v = v.map_err(|e| json_error(path, e))?;
        n += 1;
        f(n, v)?;
    }
    Ok(n)
}
