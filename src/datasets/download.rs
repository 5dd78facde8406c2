//! Downloads registry files into the cache with `curl` (its progress bar shown, failures named),
//! then verifies their sha256.
//!
//! `curl` rather than an HTTP crate: an HTTP + TLS stack in the dependency set costs every
//! notebook kernel its build time and changes feature sets under polars (a full rebuild), for
//! a step that runs once per dataset.

use super::{Dataset, DatasetFile, find_in};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Downloads the files of `ds` missing from `cache`, then returns all its verified paths.
pub(super) fn fetch_into(ds: &Dataset, cache: &Path) -> Result<Vec<PathBuf>> {
    for f in &ds.files {
        download_file(ds, f, cache)?;
    }
    find_in(ds, cache)?.ok_or_else(|| Error::Dataset {
        name: ds.name.clone(),
        message: format!("downloaded, but files are missing from {}", cache.display()),
    })
}

fn download_file(ds: &Dataset, f: &DatasetFile, cache: &Path) -> Result<()> {
    // Already there (either form)?
    if super::candidates(f)
        .iter()
        .any(|(rel, _)| cache.join(rel).is_file())
    {
        return Ok(());
    }
    let url = f.url.as_deref().ok_or_else(|| Error::Dataset {
        name: ds.name.clone(),
        message: format!(
            "{} is not on disk and has no download URL ({}); set {} to a folder holding it",
            f.path,
            ds.note.as_deref().unwrap_or("no upstream copy"),
            super::DATA_DIR_VAR
        ),
    })?;
    let (rel, expected) = match (&f.url_sha256, f.path.strip_suffix(".gz")) {
        (Some(sum), Some(plain)) => (plain.to_string(), sum.clone()),
        _ => (f.path.clone(), f.sha256.clone()),
    };
    let target = cache.join(rel);
    download_url(url, &expected, &target).map_err(|e| match e {
        Error::Dataset { message, .. } => Error::Dataset {
            name: ds.name.clone(),
            message,
        },
        other => other,
    })?;
    if expected.is_empty() {
        // No pinned checksum: the row count decides, and a wrong file is not kept.
        if let Err(e) = super::check_rows(ds, f, &target) {
            let _ = std::fs::remove_file(&target);
            return Err(e);
        }
    }
    Ok(())
}

/// Downloads `url` to `target` (creating its folder) with `curl`, showing its progress; keeps
/// the file only if its sha256 is `expected` (any file when `expected` is empty: the caller
/// checks it another way).
pub fn download_url(url: &str, expected: &str, target: &Path) -> Result<()> {
    // Downloaded beside nothing the user sees until it is verified; folders are made only then.
    // Unique per call: several downloads (threads) may fetch files of the same name at once.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let partial = std::env::temp_dir().join(format!(
        "listening-{}-{:?}-{nanos}-{}.part",
        std::process::id(),
        std::thread::current().id(),
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    println!("downloading {url}");
    // curl draws its progress bar on the inherited stderr (shown under the notebook cell) and
    // writes the HTTP status to stdout, which we keep for the error message.
    let output = Command::new("curl")
        .args([
            "--fail",
            "--location",
            "--progress-bar",
            "--retry",
            "2",
            "--connect-timeout",
            "20",
        ])
        .args([
            "--user-agent",
            concat!("listening/", env!("CARGO_PKG_VERSION")),
        ])
        .args(["--write-out", "%{http_code}"])
        .arg("--output")
        .arg(&partial)
        .arg(url)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::Http {
            url: url.to_string(),
            message: format!(
                "cannot run curl ({e}); install curl or set {}",
                super::DATA_DIR_VAR
            ),
        })?;
    if !output.status.success() {
        let _ = std::fs::remove_file(&partial);
        let code = String::from_utf8_lossy(&output.stdout).trim().to_string();
        let message = match (code.as_str(), output.status.code()) {
            ("" | "000", Some(6)) => "cannot resolve the host (no network?)".to_string(),
            ("" | "000", Some(7)) => "cannot connect to the host".to_string(),
            ("" | "000", Some(28)) => "timed out".to_string(),
            ("" | "000", c) => format!(
                "curl failed (exit {})",
                c.map_or("?".into(), |c| c.to_string())
            ),
            (http, _) => format!("HTTP {http}"),
        };
        return Err(Error::Http {
            url: url.to_string(),
            message,
        });
    }
    let actual = super::sha256_file(&partial)?;
    if !expected.is_empty() && actual != expected {
        let _ = std::fs::remove_file(&partial);
        return Err(Error::Dataset {
            name: target.display().to_string(),
            message: format!(
                "download of {url} has sha256 {actual}, expected {expected}; nothing was kept"
            ),
        });
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    if std::fs::rename(&partial, target).is_err() {
        // Another file system: copy, then drop the temporary file.
        std::fs::copy(&partial, target).map_err(|e| Error::io(target, e))?;
        let _ = std::fs::remove_file(&partial);
    }
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    let check = if expected.is_empty() {
        "sha256 not pinned"
    } else {
        "sha256 ok"
    };
    println!("  saved {} ({size} bytes, {check})", target.display());
    Ok(())
}
