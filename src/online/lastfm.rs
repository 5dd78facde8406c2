//! Last.fm client: `user.getRecentTracks` into the plays table, `track.getTopTags` and
//! `artist.getTopTags` into the tags table ([`crate::tags`]).
//!
//! **Cache.** Scrobbles are fetched in *windows* of time, `[from, to]` in unix seconds, both
//! bounds included (as Last.fm's `from` / `to` are). A window is a folder
//! `<cache>/lastfm/recenttracks/<user>/<from>-<to>/` holding one file per page of 200
//! (`page-00001.json`, written atomically: temporary file, then rename) and, once every page is
//! there, `complete.json`. Because `to` is fixed when a window is created, its pages never
//! shift, so a run that stops midway is resumed by fetching only the pages missing. A later
//! call fetches only the parts of its range no window covers (for "up to now", from the end of
//! the newest window), so no page is fetched twice and no scrobble is loaded twice. The pages
//! are read by the same parser as saved API pages ([`crate::loaders::lastfm`]), which skips
//! and counts the now-playing entry.
//!
//! *Limit:* a scrobble submitted late (an offline player syncing days later) with a timestamp
//! inside a window already fetched is not seen; delete that window's folder to fetch it again.

use super::http::{Answer, Http, Request, Verdict};
use super::{HttpConfig, Secret, progress_bar, write_atomic};
use crate::error::{Error, Fault, Result};
use crate::loaders::Loaded;
use polars::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Environment variable (or `.env` line) holding the Last.fm API key.
pub const API_KEY_VAR: &str = "LASTFM_API_KEY";
/// Environment variable (or `.env` line) naming the Last.fm user to fetch.
pub const USER_VAR: &str = "LASTFM_USER";
/// Last.fm's API root.
pub const DEFAULT_BASE_URL: &str = "https://ws.audioscrobbler.com/2.0/";
/// Scrobbles per page: the API's maximum.
pub const PAGE_SIZE: usize = 200;
/// Reason counted for cached scrobbles outside the range asked for.
pub const SKIP_OUTSIDE_RANGE: &str = "outside the requested time range (cached by an earlier call)";
/// Last.fm error codes retried: 29 rate limit exceeded, 11 service offline, 16 temporarily
/// unavailable, 8 operation failed (backend).
pub const RETRIED_CODES: [i64; 4] = [29, 11, 16, 8];

/// A Last.fm API client with an on-disk page cache.
pub struct LastFm {
    key: Secret,
    base_url: String,
    cache_dir: PathBuf,
    http: Http,
}

impl std::fmt::Debug for LastFm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastFm")
            .field("key", &self.key)
            .field("base_url", &self.base_url)
            .field("cache_dir", &self.cache_dir)
            .field("http", &self.http.config)
            .finish()
    }
}

impl LastFm {
    /// A client with `key`, Last.fm's URL, the default cache folder and [`HttpConfig`].
    pub fn new(key: Secret) -> Result<Self> {
        Ok(LastFm {
            key,
            base_url: DEFAULT_BASE_URL.to_string(),
            cache_dir: super::default_cache_dir(),
            http: Http::new("last.fm", HttpConfig::default())?,
        })
    }

    /// A client with the key of [`API_KEY_VAR`] (environment or `.env`); `None` when it is not
    /// set, so a notebook can skip its online part with a message.
    pub fn from_env() -> Result<Option<Self>> {
        Secret::from_env(API_KEY_VAR).map(Self::new).transpose()
    }

    /// Sends requests to `url` instead of Last.fm's (a test server, a proxy).
    pub fn with_base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Caches pages under `dir` instead of [`super::default_cache_dir`].
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = dir.into();
        self
    }

    /// Uses `config` for pacing, timeout and retries.
    pub fn with_http(mut self, config: HttpConfig) -> Result<Self> {
        self.http = Http::new("last.fm", config)?;
        Ok(self)
    }

    /// The folder holding `user`'s cached recent-track windows.
    pub fn user_cache(&self, user: &str) -> PathBuf {
        self.cache_dir
            .join("lastfm")
            .join("recenttracks")
            .join(safe_name(user))
    }

    /// `user`'s scrobbles from `from` to `to` (unix seconds, both included; `None`: from the
    /// first, up to now) into the plays table, fetching only what the cache lacks. Progress
    /// goes to stdout. The report counts the now-playing entry skipped and cached scrobbles
    /// outside the range; a range without any scrobble is [`Error::Empty`].
    pub fn recent_tracks(&self, user: &str, from: Option<i64>, to: Option<i64>) -> Result<Loaded> {
        let from = from.unwrap_or(0).max(0);
        let to = to.unwrap_or_else(|| chrono::Utc::now().timestamp());
        if to < from {
            return Err(Error::parameter(
                "to",
                to,
                format!("at or after from ({from})"),
            ));
        }
        let dir = self.user_cache(user);
        let mut windows = list_windows(&dir)?;
        for w in windows
            .iter()
            .filter(|w| !w.complete && w.overlaps(from, to))
        {
            self.fetch_window(user, w)?;
        }
        for (f, t) in gaps(&windows, from, to) {
            let w = Window::new(&dir, f, t);
            self.fetch_window(user, &w)?;
            windows.push(Window {
                complete: true,
                ..w
            });
        }
        windows.sort_by_key(|w| w.from);
        let mut files = Vec::new();
        for w in windows.iter().filter(|w| w.overlaps(from, to)) {
            files.extend(w.pages()?);
        }
        let mut loaded = crate::loaders::lastfm::load_recent_tracks_json(&dir, files)?;
        keep_range(&mut loaded, from, to)?;
        Ok(loaded)
    }

    /// Fetches the pages of window `w` missing from its folder, then marks it complete.
    fn fetch_window(&self, user: &str, w: &Window) -> Result<()> {
        let first = self.page(user, w, 1)?;
        let attr = first.get("recenttracks").and_then(|r| r.get("@attr"));
        let pages = number(attr.and_then(|a| a.get("totalPages")))
            .unwrap_or(1)
            .max(1) as usize;
        let total = number(attr.and_then(|a| a.get("total"))).unwrap_or(0);
        let label = format!("last.fm {user} {}", w.name());
        println!("{label}: {total} scrobbles, {pages} pages of {PAGE_SIZE}");
        for p in 2..=pages {
            self.page(user, w, p)?;
            if p % 10 == 0 || p == pages {
                println!("{label}: {}", progress_bar(p, pages));
            }
        }
        let marker = serde_json::json!({"pages": pages, "total": total});
        write_atomic(&w.dir.join("complete.json"), marker.to_string().as_bytes())
    }

    /// Page `p` of window `w`: from the cache, else fetched and cached.
    fn page(&self, user: &str, w: &Window, p: usize) -> Result<Value> {
        let file = w.dir.join(page_file(p));
        if file.is_file() {
            let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                return Ok(v);
            }
        }
        let params = [
            ("method", "user.getrecenttracks".to_string()),
            ("user", user.to_string()),
            ("limit", PAGE_SIZE.to_string()),
            ("page", p.to_string()),
            ("from", w.from.to_string()),
            ("to", w.to.to_string()),
        ];
        let v = self.call(&params, |v| {
            v.get("recenttracks")
                .and_then(|r| r.get("track"))
                .map(|_| ())
                .ok_or("no `recenttracks.track` field")
        })?;
        write_atomic(&file, v.to_string().as_bytes())?;
        Ok(v)
    }

    /// One API call with `params` (the key and `format=json` added), retried as
    /// [`super::http`] and [`RETRIED_CODES`] say; `check` tells a whole answer from a cut one.
    fn call(
        &self,
        params: &[(&str, String)],
        check: impl Fn(&Value) -> std::result::Result<(), &'static str>,
    ) -> Result<Value> {
        let mut public: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        public.push(("format", "json"));
        let shown = url_with(&self.base_url, &public)?;
        public.push(("api_key", self.key.expose()));
        let url = url_with(&self.base_url, &public)?;
        let shown_path = strip_origin(&shown);
        let req = Request::get(url, shown_path.clone());
        self.http.send(&req, |a| self.read(a, &shown_path, &check))
    }

    /// Reads an answer: JSON with no error is done; error codes retried or failed.
    fn read(
        &self,
        a: Answer,
        shown: &str,
        check: &impl Fn(&Value) -> std::result::Result<(), &'static str>,
    ) -> Verdict<Value> {
        let body = a.body.replace(self.key.expose(), "<redacted>");
        let v = match serde_json::from_str::<Value>(&body) {
            Ok(v) => v,
            Err(_) if a.status >= 400 => {
                return Verdict::Fail(status_error(shown, a.status, &body));
            }
            Err(e) => {
                return Verdict::Retry(Fault::Truncated {
                    detail: e.to_string(),
                });
            }
        };
        if let Some(code) = v.get("error").and_then(Value::as_i64) {
            let message = v
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if RETRIED_CODES.contains(&code) {
                return Verdict::Retry(Fault::Api { code, message });
            }
            return Verdict::Fail(Error::Api {
                service: "last.fm".into(),
                url: shown.to_string(),
                code,
                message: explain(code, &message),
            });
        }
        if a.status >= 400 {
            return Verdict::Fail(status_error(shown, a.status, &body));
        }
        match check(&v) {
            Ok(()) => Verdict::Done(v),
            Err(detail) => Verdict::Retry(Fault::Truncated {
                detail: detail.into(),
            }),
        }
    }
}

/// Last.fm's message with what it means for the user.
fn explain(code: i64, message: &str) -> String {
    let meaning = match code {
        17 => {
            "the user's listening is private (Last.fm settings → Privacy → hide recent listening); not retried"
        }
        6 => "no such user (or artist / track), check the name; not retried",
        10 => "invalid API key: check LASTFM_API_KEY; not retried",
        26 => "this API key is suspended; not retried",
        _ => "not retried",
    };
    format!("{message} ({meaning})")
}

fn status_error(shown: &str, status: u16, body: &str) -> Error {
    Error::HttpStatus {
        service: "last.fm".into(),
        url: shown.to_string(),
        status,
        message: body.chars().take(200).collect(),
    }
}

/// `base` with `params` as its query string.
pub(crate) fn url_with(base: &str, params: &[(&str, &str)]) -> Result<String> {
    reqwest::Url::parse_with_params(base, params)
        .map(String::from)
        .map_err(|e| Error::parameter("base_url", base, format!("a URL ({e})")))
}

/// A URL without its scheme and host: the path and query errors name.
pub(crate) fn strip_origin(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        Err(_) => url.to_string(),
    }
}

/// A number Last.fm writes as a string or a number.
fn number(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// A name safe as one path component (Last.fm user names are letters, digits, `_` and `-`).
fn safe_name(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn page_file(p: usize) -> String {
    format!("page-{p:05}.json")
}

/// A cached window of time, `[from, to]` in unix seconds.
#[derive(Debug, Clone)]
struct Window {
    from: i64,
    to: i64,
    dir: PathBuf,
    complete: bool,
}

impl Window {
    fn new(user_dir: &Path, from: i64, to: i64) -> Self {
        Window {
            from,
            to,
            dir: user_dir.join(format!("{from}-{to}")),
            complete: false,
        }
    }

    fn name(&self) -> String {
        format!("{}-{}", self.from, self.to)
    }

    fn overlaps(&self, from: i64, to: i64) -> bool {
        self.from <= to && from <= self.to
    }

    /// The window's page files, in page order.
    fn pages(&self) -> Result<Vec<PathBuf>> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("page-") && n.ends_with(".json"))
            })
            .collect();
        files.sort();
        Ok(files)
    }
}

/// The windows cached in `user_dir` (none if it does not exist yet).
fn list_windows(user_dir: &Path) -> Result<Vec<Window>> {
    let Ok(entries) = std::fs::read_dir(user_dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|err| Error::io(user_dir, err))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((f, t)) = name.split_once('-') else {
            continue;
        };
        let (Ok(from), Ok(to)) = (f.parse::<i64>(), t.parse::<i64>()) else {
            continue;
        };
        let complete = e.path().join("complete.json").is_file();
        out.push(Window {
            complete,
            ..Window::new(user_dir, from, to)
        });
    }
    out.sort_by_key(|w| w.from);
    Ok(out)
}

/// The parts of `[from, to]` no window covers.
fn gaps(windows: &[Window], from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut spans: Vec<(i64, i64)> = windows.iter().map(|w| (w.from, w.to)).collect();
    spans.sort();
    let mut out = Vec::new();
    let mut next = from;
    for (f, t) in spans {
        if t < next {
            continue;
        }
        if f > to {
            break;
        }
        if f > next {
            out.push((next, f - 1));
        }
        next = next.max(t.saturating_add(1));
    }
    if next <= to {
        out.push((next, to));
    }
    out
}

/// Keeps the plays within `[from, to]`, counting the others in the report.
fn keep_range(loaded: &mut Loaded, from: i64, to: i64) -> Result<()> {
    let before = loaded.df.height();
    let at = col(crate::schema::plays::PLAYED_AT)
        .dt()
        .timestamp(TimeUnit::Milliseconds);
    loaded.df = loaded
        .df
        .clone()
        .lazy()
        .filter(
            at.clone()
                .gt_eq(lit(from * 1000))
                .and(at.lt_eq(lit(to * 1000 + 999))),
        )
        .collect()?;
    let outside = before - loaded.df.height();
    if outside > 0 {
        *loaded
            .report
            .skipped
            .entry(SKIP_OUTSIDE_RANGE.to_string())
            .or_default() += outside;
        loaded.report.rows_loaded -= outside;
    }
    Ok(())
}

/// Top tags of tracks or artists, fetched once each and cached.
impl LastFm {
    /// Last.fm's top tags of each (artist, title) pair (`track.getTopTags`, autocorrected) as
    /// the tags table ([`crate::tags`]: artist, title, tag, weight, source `"last.fm track"`).
    /// Answers are cached one file per pair; a pair Last.fm does not know (error 6) adds no row
    /// and is listed in the second value.
    pub fn track_top_tags(&self, pairs: &[(String, String)]) -> Result<(DataFrame, Vec<String>)> {
        let mut rows = TagRows::default();
        let mut unknown = Vec::new();
        for (i, (artist, title)) in pairs.iter().enumerate() {
            let params = [
                ("method", "track.gettoptags".to_string()),
                ("artist", artist.clone()),
                ("track", title.clone()),
                ("autocorrect", "1".to_string()),
            ];
            match self.cached_call("track", &params)? {
                Some(v) => rows.push(artist, Some(title), &v),
                None => unknown.push(format!("{artist} — {title}")),
            }
            if (i + 1) % 50 == 0 || i + 1 == pairs.len() {
                println!("last.fm track tags: {}", progress_bar(i + 1, pairs.len()));
            }
        }
        Ok((rows.finish("last.fm track")?, unknown))
    }

    /// Last.fm's top tags of each artist (`artist.getTopTags`) as the tags table (title null,
    /// source `"last.fm artist"`); unknown artists are listed in the second value.
    pub fn artist_top_tags(&self, artists: &[String]) -> Result<(DataFrame, Vec<String>)> {
        let mut rows = TagRows::default();
        let mut unknown = Vec::new();
        for (i, artist) in artists.iter().enumerate() {
            let params = [
                ("method", "artist.gettoptags".to_string()),
                ("artist", artist.clone()),
                ("autocorrect", "1".to_string()),
            ];
            match self.cached_call("artist", &params)? {
                Some(v) => rows.push(artist, None, &v),
                None => unknown.push(artist.clone()),
            }
            if (i + 1) % 50 == 0 || i + 1 == artists.len() {
                println!(
                    "last.fm artist tags: {}",
                    progress_bar(i + 1, artists.len())
                );
            }
        }
        Ok((rows.finish("last.fm artist")?, unknown))
    }

    /// A tags call answered from `<cache>/lastfm/toptags/<kind>/<sha256 of params>.json`, else
    /// fetched and cached; `None` for error 6 (not found), cached too.
    fn cached_call(&self, kind: &str, params: &[(&str, String)]) -> Result<Option<Value>> {
        use sha2::Digest;
        let key: String = params.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        let hash = sha2::Sha256::digest(key.to_lowercase().as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        let file = self
            .cache_dir
            .join("lastfm")
            .join("toptags")
            .join(kind)
            .join(format!("{hex}.json"));
        if let Ok(text) = std::fs::read_to_string(&file)
            && let Ok(v) = serde_json::from_str::<Value>(&text)
        {
            return Ok(v.get("toptags").is_some().then_some(v));
        }
        let v = match self.call(params, |v| {
            v.get("toptags").map(|_| ()).ok_or("no `toptags` field")
        }) {
            Ok(v) => v,
            Err(Error::Api { code: 6, .. }) => serde_json::json!({"error": 6}),
            Err(e) => return Err(e),
        };
        write_atomic(&file, v.to_string().as_bytes())?;
        Ok(v.get("toptags").is_some().then_some(v))
    }
}

/// Rows of the tags table being built.
#[derive(Default)]
struct TagRows {
    artist: Vec<String>,
    title: Vec<Option<String>>,
    tag: Vec<String>,
    weight: Vec<Option<f64>>,
    /// Tag entries without a name, skipped (reported by `finish`).
    nameless: usize,
}

impl TagRows {
    fn push(&mut self, artist: &str, title: Option<&str>, v: &Value) {
        let tags = v.get("toptags").and_then(|t| t.get("tag"));
        let tags: Vec<&Value> = match tags {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        };
        for t in tags {
            let Some(name) = t.get("name").and_then(Value::as_str) else {
                self.nameless += 1;
                continue;
            };
            self.artist.push(artist.to_string());
            self.title.push(title.map(str::to_string));
            self.tag.push(name.to_string());
            self.weight.push(number(t.get("count")).map(|c| c as f64));
        }
    }

    fn finish(self, source: &str) -> Result<DataFrame> {
        use crate::tags::{ARTIST, SOURCE, TAG, TITLE, WEIGHT};
        if self.nameless > 0 {
            println!(
                "{source} tags: {} entries without a name skipped",
                self.nameless
            );
        }
        let n = self.artist.len();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new(ARTIST.into(), self.artist),
                Column::new(TITLE.into(), self.title),
                Column::new(TAG.into(), self.tag),
                Column::new(WEIGHT.into(), self.weight),
                Column::new(SOURCE.into(), vec![source; n]),
            ],
        )?)
    }
}
