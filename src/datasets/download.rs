//! Downloads registry files into the cache, with progress on stdout and sha256 verification.

use super::{Dataset, DatasetFile, find_in};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Downloads the files of `ds` missing from `cache`, then returns all its verified paths.
pub(super) fn fetch_into(ds: &Dataset, cache: &Path) -> Result<Vec<PathBuf>> {
    let client = client()?;
    for f in &ds.files {
        download_file(&client, ds, f, cache)?;
    }
    find_in(ds, cache)?.ok_or_else(|| Error::Dataset {
        name: ds.name.clone(),
        message: format!("downloaded, but files are missing from {}", cache.display()),
    })
}

fn client() -> Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        .user_agent(concat!("listening/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Http { url: String::new(), message: e.to_string() })
}

fn download_file(client: &reqwest::blocking::Client, ds: &Dataset, f: &DatasetFile, cache: &Path) -> Result<()> {
    // Already there (either form)?
    if super::candidates(f).iter().any(|(rel, _)| cache.join(rel).is_file()) {
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
    fetch_url(client, url, &expected, &cache.join(&rel)).map_err(|e| match e {
        Error::Dataset { message, .. } => Error::Dataset { name: ds.name.clone(), message },
        other => other,
    })
}

/// Downloads `url` to `target` (creating its folder), showing progress on stdout; keeps the file
/// only if its sha256 is `expected`.
pub fn download_url(url: &str, expected: &str, target: &Path) -> Result<()> {
    fetch_url(&client()?, url, expected, target)
}

fn fetch_url(client: &reqwest::blocking::Client, url: &str, expected: &str, target: &Path) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let target = target.to_path_buf();
    let http = |message: String| Error::Http { url: url.to_string(), message };
    let mut response = client.get(url).send().map_err(|e| http(e.to_string()))?;
    if !response.status().is_success() {
        return Err(http(format!("HTTP {}", response.status())));
    }
    let total = response.content_length();
    let partial = target.with_extension("part");
    let mut out = std::fs::File::create(&partial).map_err(|e| Error::io(&partial, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let (mut done, mut shown) = (0u64, 0u64);
    println!("downloading {url}");
    loop {
        let n = response.read(&mut buf).map_err(|e| http(e.to_string()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::io(&partial, e))?;
        done += n as u64;
        let step = match total {
            Some(t) if t > 0 => done * 10 / t,
            _ => done / (1 << 20),
        };
        if step > shown {
            shown = step;
            match total {
                Some(t) => println!("  {:>3}%  {} of {} bytes", done * 100 / t.max(1), done, t),
                None => println!("  {done} bytes"),
            }
        }
    }
    drop(out);
    let actual: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if actual != expected {
        let _ = std::fs::remove_file(&partial);
        return Err(Error::Dataset {
            name: target.display().to_string(),
            message: format!("download of {url} has sha256 {actual}, expected {expected}; nothing was kept"),
        });
    }
    std::fs::rename(&partial, &target).map_err(|e| Error::io(&target, e))?;
    println!("  saved {} ({done} bytes, sha256 ok)", target.display());
    Ok(())
}
