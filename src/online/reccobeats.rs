//! ReccoBeats client: audio features by Spotify track id, free and without a key.
//!
//! `GET https://api.reccobeats.com/v1/audio-features?ids=…` takes up to 40 Spotify track ids
//! and answers `{"content": [{id, href, isrc, acousticness, danceability, energy,
//! instrumentalness, key, liveness, loudness, mode, speechiness, tempo, valence}]}`. `id` is
//! ReccoBeats' own id: each item is matched back to the Spotify id **in its `href`**
//! (`https://open.spotify.com/track/<id>`), never by position, and tracks it lacks are simply
//! left out of the answer ([`AudioFeatures::missing`]). Reported to carry Spotify's old values.
//!
//! Same HTTP layer as the other clients ([`HttpConfig`]: pacing, timeout, backoff on 5xx,
//! resets, truncated bodies, 429 with Retry-After). Each batch's answer is cached
//! (`<cache>/reccobeats/audio-features/<sha256 of the batch's ids>.json`), so a second call asks
//! nothing and an interrupted run resumes with the batches not yet cached.

use super::http::{Answer, Http, Request, Verdict};
use super::lastfm::{strip_origin, url_with};
use super::{HttpConfig, progress_bar, write_atomic};
use crate::error::{Error, Fault, Result};
use crate::schema::{AUDIO_FEATURES, INTEGER_FEATURES};
use polars::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// ReccoBeats' API root.
pub const DEFAULT_URL: &str = "https://api.reccobeats.com/v1/";
/// Ids per request: what the API takes in practice.
pub const MAX_BATCH: usize = 40;
/// Column of [`AudioFeatures::df`] holding ReccoBeats' own id of the track.
pub const RECCOBEATS_ID: &str = "reccobeats_id";
/// Column of [`AudioFeatures::df`] holding the track's ISRC.
pub const ISRC: &str = "isrc";

/// A ReccoBeats client with an on-disk cache of answers per batch.
pub struct ReccoBeats {
    base_url: String,
    cache_dir: PathBuf,
    batch: usize,
    http: Http,
}

impl std::fmt::Debug for ReccoBeats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReccoBeats")
            .field("base_url", &self.base_url)
            .field("cache_dir", &self.cache_dir)
            .field("batch", &self.batch)
            .field("http", &self.http.config)
            .finish()
    }
}

/// Audio features found, and the ids ReccoBeats did not have.
#[derive(Debug, Clone)]
pub struct AudioFeatures {
    /// One row per Spotify id found, in the order asked: `track_id`, [`RECCOBEATS_ID`],
    /// [`ISRC`], then the twelve [`crate::schema::AUDIO_FEATURES`] (`time_signature`, which the
    /// API does not send, null).
    pub df: DataFrame,
    /// Ids asked for that no item of the answers named.
    pub missing: Vec<String>,
    /// Items of the answers set apart: no Spotify id in `href`, an id not asked in that batch,
    /// or a second item for the same id; as `reason: href`.
    pub set_apart: Vec<String>,
}

impl ReccoBeats {
    /// A client with ReccoBeats' URL, the default cache folder, batches of [`MAX_BATCH`] and
    /// [`HttpConfig::default`].
    pub fn new() -> Result<Self> {
        Ok(ReccoBeats {
            base_url: DEFAULT_URL.into(),
            cache_dir: super::default_cache_dir(),
            batch: MAX_BATCH,
            http: Http::new("reccobeats", HttpConfig::default())?,
        })
    }

    /// Sends requests to `url` (a test server) instead of [`DEFAULT_URL`].
    pub fn with_base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Caches answers under `dir` instead of [`super::default_cache_dir`].
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = dir.into();
        self
    }

    /// Uses `config` for pacing, timeout and retries.
    pub fn with_http(mut self, config: HttpConfig) -> Result<Self> {
        self.http = Http::new("reccobeats", config)?;
        Ok(self)
    }

    /// Ids per request, 1 to [`MAX_BATCH`] (default 40). Changing it changes the batches, so
    /// answers cached with another size are not reused.
    pub fn batch_size(mut self, n: usize) -> Result<Self> {
        if !(1..=MAX_BATCH).contains(&n) {
            return Err(Error::parameter("batch_size", n, "1 to 40"));
        }
        self.batch = n;
        Ok(self)
    }

    /// The audio features of the Spotify tracks `ids` (22-character ids, or `spotify:track:`
    /// URIs, or `open.spotify.com/track/` links; repeats asked once). An id of another form is
    /// [`Error::Parameter`] before any request. Progress goes to stdout.
    pub fn audio_features<S: AsRef<str>>(&self, ids: &[S]) -> Result<AudioFeatures> {
        let mut asked: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for raw in ids {
            let id = spotify_id(raw.as_ref()).ok_or_else(|| {
                Error::parameter(
                    "ids",
                    raw.as_ref(),
                    "Spotify track ids (22 letters and digits), spotify:track: URIs or track links",
                )
            })?;
            if seen.insert(id.clone()) {
                asked.push(id);
            }
        }
        let mut found: HashMap<String, Value> = HashMap::new();
        let mut set_apart = Vec::new();
        let batches: Vec<&[String]> = asked.chunks(self.batch).collect();
        for (b, chunk) in batches.iter().enumerate() {
            let items = self.batch_answer(chunk)?;
            let wanted: HashSet<&str> = chunk.iter().map(String::as_str).collect();
            for item in items {
                let href = item.get("href").and_then(Value::as_str).unwrap_or("");
                match href_id(href) {
                    None => set_apart.push(format!("no Spotify track id in href: {href}")),
                    Some(id) if !wanted.contains(id.as_str()) => {
                        set_apart.push(format!("an id not asked in this batch: {href}"))
                    }
                    Some(id) if found.contains_key(&id) => {
                        set_apart.push(format!("a second item for the same id: {href}"))
                    }
                    Some(id) => {
                        found.insert(id, item);
                    }
                }
            }
            println!(
                "reccobeats audio features: {}",
                progress_bar(b + 1, batches.len())
            );
        }
        let rows: Vec<(&String, &Value)> = asked
            .iter()
            .filter_map(|id| found.get(id).map(|v| (id, v)))
            .collect();
        let missing: Vec<String> = asked
            .iter()
            .filter(|id| !found.contains_key(*id))
            .cloned()
            .collect();
        println!(
            "reccobeats audio features: {} of {} tracks found, {} missing{}",
            rows.len(),
            asked.len(),
            missing.len(),
            if set_apart.is_empty() {
                String::new()
            } else {
                format!(", {} answer items set apart", set_apart.len())
            }
        );
        let text = |k: &str| {
            rows.iter()
                .map(|(_, v)| v.get(k).and_then(Value::as_str).map(str::to_string))
                .collect::<Vec<_>>()
        };
        let mut columns = vec![
            Column::new(
                "track_id".into(),
                rows.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(RECCOBEATS_ID.into(), text("id")),
            Column::new(ISRC.into(), text("isrc")),
        ];
        for f in AUDIO_FEATURES {
            let values = rows.iter().map(|(_, v)| v.get(f));
            columns.push(if INTEGER_FEATURES.contains(&f) {
                Column::new(
                    f.into(),
                    values
                        .map(|v| v.and_then(Value::as_f64).map(|x| x.round() as i64))
                        .collect::<Vec<_>>(),
                )
            } else {
                Column::new(
                    f.into(),
                    values
                        .map(|v| v.and_then(Value::as_f64))
                        .collect::<Vec<_>>(),
                )
            });
        }
        Ok(AudioFeatures {
            df: DataFrame::new(rows.len(), columns)?,
            missing,
            set_apart,
        })
    }

    /// The `content` items of one batch: from the cache, else fetched and cached.
    fn batch_answer(&self, chunk: &[String]) -> Result<Vec<Value>> {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(chunk.join(",").as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        let file = self
            .cache_dir
            .join("reccobeats")
            .join("audio-features")
            .join(format!("{hex}.json"));
        if let Ok(text) = std::fs::read_to_string(&file)
            && let Ok(Value::Array(items)) = serde_json::from_str::<Value>(&text)
        {
            return Ok(items);
        }
        let url = url_with(
            &format!("{}audio-features", self.base_url),
            &[("ids", &chunk.join(","))],
        )?;
        let shown = strip_origin(&url);
        let req = Request::get(url, shown.clone());
        let items = self.http.send(&req, |a| read(a, &shown))?;
        write_atomic(&file, Value::Array(items.clone()).to_string().as_bytes())?;
        Ok(items)
    }
}

/// An answer: its `content` items, a retry for a cut or malformed body, a failure for a 4xx.
fn read(a: Answer, shown: &str) -> Verdict<Vec<Value>> {
    if a.status >= 400 {
        return Verdict::Fail(Error::HttpStatus {
            service: "reccobeats".into(),
            url: shown.to_string(),
            status: a.status,
            message: a.body.chars().take(200).collect(),
        });
    }
    match serde_json::from_str::<Value>(&a.body) {
        Ok(v) => match v.get("content").and_then(Value::as_array) {
            Some(items) => Verdict::Done(items.clone()),
            None => Verdict::Retry(Fault::Truncated {
                detail: "no `content` array".into(),
            }),
        },
        Err(e) => Verdict::Retry(Fault::Truncated {
            detail: e.to_string(),
        }),
    }
}

/// A Spotify track id: 22 ASCII letters and digits.
fn is_spotify_id(s: &str) -> bool {
    s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The Spotify track id of an id, `spotify:track:` URI or track link.
fn spotify_id(s: &str) -> Option<String> {
    let s = s.trim();
    let id = s
        .strip_prefix("spotify:track:")
        .or_else(|| href_tail(s))
        .unwrap_or(s);
    is_spotify_id(id).then(|| id.to_string())
}

fn href_tail(s: &str) -> Option<&str> {
    let i = s.find("/track/")?;
    let tail = &s[i + "/track/".len()..];
    Some(tail.split(['?', '/', '#']).next().unwrap_or(tail))
}

/// The Spotify id in an item's `href` (`https://open.spotify.com/track/<id>`).
fn href_id(href: &str) -> Option<String> {
    href_tail(href)
        .filter(|id| is_spotify_id(id))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_hrefs_uris_and_links() {
        let id = "0eGsygTp906u18L0Oimnem";
        assert_eq!(
            href_id(&format!("https://open.spotify.com/track/{id}")).as_deref(),
            Some(id)
        );
        assert_eq!(
            spotify_id(&format!("spotify:track:{id}")).as_deref(),
            Some(id)
        );
        assert_eq!(
            spotify_id(&format!("https://open.spotify.com/track/{id}?si=x")).as_deref(),
            Some(id)
        );
        assert_eq!(spotify_id(id).as_deref(), Some(id));
        assert_eq!(href_id("https://open.spotify.com/album/x"), None);
        assert_eq!(spotify_id("not-an-id"), None);
        assert_eq!(href_id("https://open.spotify.com/track/short"), None);
    }
}
