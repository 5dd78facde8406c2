//! Reading members of a zip archive (ListenBrainz's export, Apple's zipped library file), with the
//! `zip` crate built with deflate only (see Cargo.toml).

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// The four bytes every zip archive starts with.
pub(crate) const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// Whether `path` starts with the zip magic bytes.
pub(crate) fn is_zip(path: &Path) -> Result<bool> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match f.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(got == 4 && magic == ZIP_MAGIC)
}

fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::io(path, io),
        other => Error::WrongFormat {
            path: path.to_path_buf(),
            expected: "zip archive".into(),
            detail: other.to_string(),
        },
    }
}

fn open(path: &Path) -> Result<zip::ZipArchive<std::io::BufReader<std::fs::File>>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|e| zip_error(path, e))
}

/// The names of the archive's file members (folders left out), in the archive's order.
pub(crate) fn members(path: &Path) -> Result<Vec<String>> {
    let z = open(path)?;
    let mut out = Vec::new();
    for n in z.file_names() {
        let n = n.map_err(|e| zip_error(path, e))?;
        if !n.ends_with('/') {
            out.push(n.into_owned());
        }
    }
    Ok(out)
}

/// The bytes of member `name`.
pub(crate) fn read_member(path: &Path, name: &str) -> Result<Vec<u8>> {
    let mut z = open(path)?;
    let mut m = z.by_name(name).map_err(|e| zip_error(path, e))?;
    let mut out = Vec::with_capacity(m.size().min(1 << 30) as usize);
    m.read_to_end(&mut out).map_err(|e| Error::WrongFormat {
        path: path.to_path_buf(),
        expected: "zip archive".into(),
        detail: format!("member {name}: {e}"),
    })?;
    Ok(out)
}

/// UTF-8 text of a member (a byte order mark removed); invalid UTF-8 is an error naming it.
pub(crate) fn read_member_text(path: &Path, name: &str) -> Result<String> {
    let bytes = read_member(path, name)?;
    let text = String::from_utf8(bytes).map_err(|e| Error::WrongFormat {
        path: path.to_path_buf(),
        expected: "UTF-8 text".into(),
        detail: format!("member {name}: {e}"),
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    })
}
