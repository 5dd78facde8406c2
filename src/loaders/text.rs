//! Opening an export as text: gzip (recognised by its magic bytes, not its name), a UTF-8 byte
//! order mark, and the character encoding.
//!
//! Encodings: a file whose bytes are valid UTF-8 is read as UTF-8; any other file is read as
//! Windows-1252 (cp1252, the superset of Latin-1 that Excel and R on Windows write), which maps
//! every byte to a character, so such a file always decodes. The report says which files were
//! not UTF-8. UTF-16 text (a `FF FE` / `FE FF` byte order mark, as Excel's "Unicode text" writes)
//! is an error that says so.
//!
//! Plays loaders stream: the encoding is found in one pass over the bytes (no copy kept), then the
//! file is parsed from a second, decoding stream, so a file is never held in memory whole.

use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A text file's character encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Windows-1252 (a superset of ISO-8859-1 / Latin-1).
    Cp1252,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The raw bytes of `path`, gunzipped when the file starts with the gzip magic bytes.
pub(crate) fn open_bytes(path: &Path) -> Result<Box<dyn Read>> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut magic = [0u8; 2];
    let got = read_up_to(&mut file, &mut magic).map_err(|e| Error::io(path, e))?;
    let head = std::io::Cursor::new(magic[..got].to_vec());
    let stream = head.chain(file);
    Ok(if got == 2 && magic == GZIP_MAGIC {
        Box::new(GzipErrors(flate2::read::MultiGzDecoder::new(stream)))
    } else {
        Box::new(stream)
    })
}

/// Marks errors that come out of gzip decoding, so that they are reported as a damaged gzip file
/// rather than as an unreadable one.
struct GzipErrors<R>(R);

impl<R: Read> Read for GzipErrors<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|e| std::io::Error::other(GzipError(e.to_string())))
    }
}

#[derive(Debug)]
struct GzipError(String);
impl std::fmt::Display for GzipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for GzipError {}

/// The crate error for an I/O error met while reading `path`: [`Error::Gzip`] when it came from
/// gzip decoding (a truncated or corrupt `.gz`), else [`Error::Io`].
pub(crate) fn read_error(path: &Path, e: std::io::Error) -> Error {
    if let Some(g) = e.get_ref().and_then(|i| i.downcast_ref::<GzipError>()) {
        return Error::Gzip {
            path: path.to_path_buf(),
            detail: g.0.clone(),
        };
    }
    Error::io(path, e)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Reads `path` once to find its encoding (see the module docs). A truncated gzip file is an
/// error here, before any row is parsed.
pub(crate) fn detect_encoding(path: &Path) -> Result<Encoding> {
    let mut r = open_bytes(path)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0usize; // bytes of an incomplete UTF-8 sequence kept from the last chunk
    let mut first = true;
    loop {
        let n = read_up_to(&mut r, &mut buf[carry..]).map_err(|e| read_error(path, e))?;
        let len = carry + n;
        if first {
            first = false;
            if buf[..len].starts_with(&[0xff, 0xfe]) || buf[..len].starts_with(&[0xfe, 0xff]) {
                return Err(utf16_error(path));
            }
        }
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && n > 0 => {
                // A sequence cut at the chunk's end: keep it for the next chunk.
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                carry = len - valid;
            }
            Err(_) => return Ok(Encoding::Cp1252),
        }
        if n == 0 {
            return Ok(Encoding::Utf8);
        }
    }
}

/// `path` as a stream of UTF-8 text: gunzipped, decoded from `encoding`, a leading byte order
/// mark removed.
pub(crate) fn open_text(path: &Path, encoding: Encoding) -> Result<Box<dyn BufRead>> {
    let raw = open_bytes(path)?;
    let mut reader: Box<dyn BufRead> = match encoding {
        Encoding::Utf8 => Box::new(BufReader::with_capacity(1 << 16, raw)),
        Encoding::Cp1252 => Box::new(BufReader::with_capacity(1 << 16, Cp1252Decoder::new(raw))),
    };
    let head = reader.fill_buf().map_err(|e| read_error(path, e))?;
    if head.starts_with(b"\xef\xbb\xbf") {
        reader.consume(3);
    }
    Ok(reader)
}

/// Finds the encoding, then opens the decoding stream: what every streaming loader calls.
pub(crate) fn open_decoded(path: &Path) -> Result<(Box<dyn BufRead>, Encoding)> {
    let encoding = detect_encoding(path)?;
    Ok((open_text(path, encoding)?, encoding))
}

/// Reads a whole file as text (gunzipped, decoded, without byte order mark). For the small files
/// that are parsed whole (catalogues, playlists); plays exports stream through [`open_decoded`].
/// The bytes are read (and gunzipped) once, then checked as UTF-8 and decoded as cp1252 if not.
pub(crate) fn read_text(path: &Path) -> Result<(String, Encoding)> {
    let mut bytes = Vec::new();
    open_bytes(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, e))?;
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(utf16_error(path));
    }
    let (mut text, encoding) = match String::from_utf8(bytes) {
        Ok(text) => (text, Encoding::Utf8),
        Err(e) => {
            let mut text = String::new();
            Cp1252Decoder::new(std::io::Cursor::new(e.into_bytes()))
                .read_to_string(&mut text)
                .map_err(|e| read_error(path, e))?;
            (text, Encoding::Cp1252)
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok((text, encoding))
}

/// The error for a UTF-16 file.
fn utf16_error(path: &Path) -> Error {
    Error::WrongFormat {
        path: path.to_path_buf(),
        expected: "UTF-8, cp1252 or Latin-1 text".into(),
        detail: "it is UTF-16 text (a byte order mark FF FE or FE FF); save it as UTF-8 (in \
                 Excel: CSV UTF-8)"
            .into(),
    }
}

/// The first `n` bytes of a file's text (gunzipped), lossily decoded, without byte order mark:
/// enough to tell its format without reading it all.
pub(crate) fn read_head(path: &Path, n: u64) -> Result<String> {
    let mut head = Vec::new();
    open_bytes(path)?
        .take(n)
        .read_to_end(&mut head)
        .map_err(|e| read_error(path, e))?;
    Ok(String::from_utf8_lossy(&head)
        .trim_start_matches('\u{feff}')
        .to_string())
}

/// Windows-1252 bytes 0x80–0x9F; the five bytes cp1252 leaves undefined map to the C1 controls of
/// the same value, as Latin-1 and the WHATWG decoder do.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The character of one cp1252 byte.
pub fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9f => CP1252_HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Decodes a cp1252 byte stream into UTF-8 bytes.
struct Cp1252Decoder<R> {
    inner: R,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
}

impl<R: Read> Cp1252Decoder<R> {
    fn new(inner: R) -> Self {
        Cp1252Decoder {
            inner,
            raw: vec![0; 1 << 15],
            out: Vec::with_capacity(1 << 16),
            pos: 0,
        }
    }
}

impl<R: Read> Read for Cp1252Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.out.len() {
            let n = self.inner.read(&mut self.raw)?;
            if n == 0 {
                return Ok(0);
            }
            self.out.clear();
            self.pos = 0;
            let mut tmp = [0u8; 4];
            for &b in &self.raw[..n] {
                if b < 0x80 {
                    self.out.push(b);
                } else {
                    self.out
                        .extend_from_slice(cp1252_char(b).encode_utf8(&mut tmp).as_bytes());
                }
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
