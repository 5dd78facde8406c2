//! Online sources (cargo feature `online`): Last.fm and Spotify clients that fetch a user's own
//! data into the canonical tables of [`crate::schema`].
//!
//! - [`lastfm::LastFm`]: recent tracks (scrobbles) into the plays table, track and artist top
//!   tags into the tags table; every page cached on disk so a second run fetches only what is
//!   new and an interrupted run resumes.
//! - [`spotify::Spotify`]: tokens (client credentials, or authorization code with PKCE) cached
//!   on disk, a user's playlists into the playlists table, search for the track id of an
//!   (artist, title) pair, audio features where Spotify still allows them.
//! - [`reccobeats::ReccoBeats`]: audio features by Spotify track id (free, no key), batches of 40
//!   matched back by the Spotify id in each item's `href`, each batch's answer cached.
//!
//! All speak HTTP through one stack (reqwest's blocking client over rustls), with the same
//! [`HttpConfig`]: an identifiable User-Agent, a minimum interval between requests, a timeout,
//! and retries with exponential backoff on timeouts, resets, truncated bodies, 429 (honouring
//! Retry-After) and 5xx. Errors are typed ([`crate::Error::Retries`], [`crate::Error::Api`],
//! [`crate::Error::HttpStatus`], [`crate::Error::Refused`]) and name the URL path and public
//! parameters, never a key, secret or token.
//!
//! | fault (as the tests inject it, `tests/it/online.rs`) | what the client does |
//! |---|---|
//! | several pages (450, 650 scrobbles; 150-track playlist) | fetches every page, 200 (Last.fm) / 100 (Spotify) a request |
//! | the now-playing entry on page 1 | skipped, counted in the report (`SKIP_NOW_PLAYING`) |
//! | HTTP 429 with `Retry-After: 1` | waits that long, retries |
//! | HTTP 429 with `Retry-After: 3600` | gives up at once: [`crate::Error::Retries`], `RetryAfterTooLong` |
//! | HTTP 500 / 503 | retries with backoff; after `max_attempts` [`crate::Error::Retries`] naming the page |
//! | HTTP 200 `{"error": 29}`, 11, 16 | retries with backoff (8 too) |
//! | HTTP 200 `{"error": 17}`, 6, 10 | one request, [`crate::Error::Api`] saying private / no such user / bad key |
//! | HTTP 403 on audio features | one request, [`crate::Error::Refused`] with [`spotify::REFUSAL`] |
//! | HTTP 403 elsewhere on Spotify | one request, [`crate::Error::Refused`] with [`spotify::DEV_MODE_REFUSAL`] |
//! | a body cut short of its Content-Length | retries (`Truncated`) |
//! | an answer slower than the timeout | retries (`Timeout`) |
//! | a connection reset (RST) | retries (`Reset`) |
//! | a run stopped by errors midway | pages fetched stay cached; the next run fetches only the missing ones |
//! | HTTP 401 from Spotify | fetches a new token (or refreshes it), retries once |
//!
//! Secrets come from environment variables or a `.env` file ([`Secret::from_env`]) and are
//! never printed: [`Secret`]'s `Debug` is redacted and it has no `Display`. Progress goes to
//! stdout (the notebook runner treats stderr as an error).

mod http;
pub mod lastfm;
pub mod reccobeats;
pub mod spotify;

pub use http::HttpConfig;

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A key, client secret or token: readable by the clients, never shown. `Debug` prints
/// `Secret(<redacted>)`; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the request that needs it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The secret named `name` from the environment, else from the first `.env` file found in
    /// the current folder or one of its parents; `None` where neither sets it (or sets it empty).
    pub fn from_env(name: &str) -> Option<Secret> {
        setting(name).map(Secret)
    }
}

/// A setting (secret or not) from the environment, else from the nearest `.env` file.
pub fn setting(name: &str) -> Option<String> {
    if let Ok(v) = std::env::var(name)
        && !v.trim().is_empty()
    {
        return Some(v.trim().to_string());
    }
    let dir = std::env::current_dir().ok()?;
    let file = dir
        .ancestors()
        .map(|d| d.join(".env"))
        .find(|f| f.is_file())?;
    let text = std::fs::read_to_string(file).ok()?;
    dotenv_value(&text, name)
}

/// The value of `name` in `.env` text: `NAME=value` lines, `export ` allowed, quotes removed,
/// `#` comments skipped.
pub(crate) fn dotenv_value(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (k, v) = line.split_once('=')?;
        if line.starts_with('#') || k.trim() != name {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(v);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// The default cache folder for online data: `online/` in the dataset cache
/// (`$XDG_CACHE_HOME/listening` or `~/.cache/listening`), else `.listening-cache/online`.
pub fn default_cache_dir() -> PathBuf {
    crate::datasets::cache_dir()
        .unwrap_or_else(|| PathBuf::from(".listening-cache"))
        .join("online")
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename, so
/// a reader (or a resumed run) sees the whole file or none of it.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Writes a file holding a token, readable by its owner only where the platform allows.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// A fixed-width text progress bar, e.g. `[#####.....]  50/100`.
pub(crate) fn progress_bar(done: usize, total: usize) -> String {
    let width = 20;
    let filled = (done * width)
        .checked_div(total)
        .unwrap_or(width)
        .min(width);
    format!(
        "[{}{}] {done:>w$}/{total}",
        "#".repeat(filled),
        ".".repeat(width - filled),
        w = total.to_string().len()
    )
}
