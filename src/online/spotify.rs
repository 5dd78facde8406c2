//! Spotify Web API client: tokens, a user's playlists, search, audio features.
//!
//! **Tokens.** Client credentials (client id + secret: enough for public playlists, search and
//! audio features) or authorization code with PKCE (client id only; the user logs in once, for
//! their own and private playlists): [`Spotify::authorize_url`] then [`Spotify::finish_login`].
//! The token is cached in `<cache>/spotify/token.json` (owner-only permissions), reused while
//! valid, refreshed with its refresh token (PKCE) or fetched again (client credentials).
//!
//! **Refusals.** Spotify answers 403 on audio features, audio analysis and recommendations for
//! apps created after November 2024, and limits Development-mode apps further since 2026; such
//! a 403 is [`Error::Refused`] with [`REFUSAL`], which names the offline catalogues; a 403
//! elsewhere is [`Error::Refused`] with [`DEV_MODE_REFUSAL`].
//!
//! **429.** Retried after its Retry-After (up to [`HttpConfig::max_retry_after`]), like 5xx,
//! timeouts, resets and truncated bodies, by the HTTP layer both clients share.
//!
//! **Why not rspotify.** rspotify (0.16) over reqwest is async only (its blocking client is
//! ureq: a second HTTP and TLS stack); the async one would need a tokio runtime of our own, plus
//! futures / async-stream / async-trait and rspotify-model, and it turns on chrono's `serde`
//! feature, which changes the feature set of a crate polars builds on (the whole polars tree
//! rebuilt for the feature build). It does not handle 429 either, and its errors carry the
//! reqwest response rather than the reason. The five endpoints used here are a few JSON calls
//! over the reqwest client the Last.fm side already has, so they are spoken directly.

use super::http::{Answer, Http, Request, Verdict};
use super::lastfm::{strip_origin, url_with};
use super::{HttpConfig, Secret, progress_bar, write_atomic, write_private};
use crate::error::{Error, Fault, Result};
use polars::prelude::*;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Environment variable (or `.env` line) holding the app's client id.
pub const CLIENT_ID_VAR: &str = "SPOTIFY_CLIENT_ID";
/// Environment variable (or `.env` line) holding the app's client secret (client credentials).
pub const CLIENT_SECRET_VAR: &str = "SPOTIFY_CLIENT_SECRET";
/// Spotify's Web API root.
pub const DEFAULT_API_URL: &str = "https://api.spotify.com/v1/";
/// Spotify's accounts service root (authorize, token).
pub const DEFAULT_ACCOUNTS_URL: &str = "https://accounts.spotify.com/";
/// What a 403 on audio features, audio analysis or recommendations means.
pub const REFUSAL: &str = "Spotify closed audio features, audio analysis and recommendations to \
apps created after November 2024, and limits Development-mode apps further since 2026; this app \
may not read them. Use the offline catalogues of the dataset registry instead: \
datasets::load_catalogue(&datasets::FEATURE_CATALOGUES) (tidytuesday-spotify-songs, \
spotify-tracks-114k-sample, exportify-playlists-seankmchenry), joined by track id or by artist \
and title";
/// What a 403 on any other endpoint means.
pub const DEV_MODE_REFUSAL: &str = "Spotify refused this request to this app: since 2026 Spotify \
limits Development-mode apps further (fewer endpoints, and only the users added to the app in the \
Developer Dashboard); add the user there or ask Spotify for extended quota. For audio features use \
the offline catalogues of the dataset registry: datasets::load_catalogue(&datasets::FEATURE_CATALOGUES)";
/// Match quality of a search result: title and an artist equal after [`normalize`].
pub const MATCH_EXACT: &str = "exact";
/// Match quality: the best result agrees on title or on artist, not both (check it).
pub const MATCH_UNSURE: &str = "unsure";
/// Match quality: no result agrees on title or artist (no id given).
pub const MATCH_NONE: &str = "none";

/// A Spotify Web API client with a token cache.
pub struct Spotify {
    client_id: String,
    secret: Option<Secret>,
    api_url: String,
    accounts_url: String,
    cache_dir: PathBuf,
    http: Http,
    token: RefCell<Option<Token>>,
}

impl std::fmt::Debug for Spotify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spotify")
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .field("api_url", &self.api_url)
            .field("accounts_url", &self.accounts_url)
            .field("cache_dir", &self.cache_dir)
            .field("token", &self.token.borrow().as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// An access token and what it is for.
#[derive(Clone)]
struct Token {
    access: Secret,
    refresh: Option<Secret>,
    /// Unix seconds after which it is not used.
    expires_at: i64,
    /// `"client"` (client credentials) or `"user"` (PKCE).
    kind: String,
}

impl Token {
    fn to_json(&self) -> String {
        serde_json::json!({
            "access_token": self.access.expose(),
            "refresh_token": self.refresh.as_ref().map(|r| r.expose()),
            "expires_at": self.expires_at,
            "kind": self.kind,
        })
        .to_string()
    }

    fn from_json(v: &Value) -> Option<Token> {
        Some(Token {
            access: Secret::new(v.get("access_token")?.as_str()?),
            refresh: v
                .get("refresh_token")
                .and_then(Value::as_str)
                .map(Secret::new),
            expires_at: v.get("expires_at")?.as_i64()?,
            kind: v.get("kind")?.as_str()?.to_string(),
        })
    }
}

impl Spotify {
    /// A client for the app `client_id`, with its secret for client credentials (`None` for
    /// PKCE only), Spotify's URLs, the default cache folder and [`HttpConfig`].
    pub fn new(client_id: impl Into<String>, secret: Option<Secret>) -> Result<Self> {
        Ok(Spotify {
            client_id: client_id.into(),
            secret,
            api_url: DEFAULT_API_URL.into(),
            accounts_url: DEFAULT_ACCOUNTS_URL.into(),
            cache_dir: super::default_cache_dir(),
            http: Http::new("spotify", HttpConfig::default())?,
            token: RefCell::new(None),
        })
    }

    /// A client from [`CLIENT_ID_VAR`] and [`CLIENT_SECRET_VAR`] (environment or `.env`);
    /// `None` when no client id is set.
    pub fn from_env() -> Result<Option<Self>> {
        match super::setting(CLIENT_ID_VAR) {
            Some(id) => Self::new(id, Secret::from_env(CLIENT_SECRET_VAR)).map(Some),
            None => Ok(None),
        }
    }

    /// Sends API requests to `api` and token requests to `accounts` (test servers).
    pub fn with_urls(mut self, api: impl Into<String>, accounts: impl Into<String>) -> Self {
        self.api_url = api.into();
        self.accounts_url = accounts.into();
        self
    }

    /// Caches tokens, playlists and searches under `dir`.
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = dir.into();
        self
    }

    /// Uses `config` for pacing, timeout and retries.
    pub fn with_http(mut self, config: HttpConfig) -> Result<Self> {
        self.http = Http::new("spotify", config)?;
        Ok(self)
    }

    fn dir(&self) -> PathBuf {
        self.cache_dir.join("spotify")
    }

    /// The file holding the cached token.
    pub fn token_file(&self) -> PathBuf {
        self.dir().join("token.json")
    }

    fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        let token = self.token.borrow();
        let mut secrets: Vec<&str> = self.secret.iter().map(|s| s.expose()).collect();
        if let Some(t) = token.as_ref() {
            secrets.push(t.access.expose());
            secrets.extend(t.refresh.as_ref().map(|r| r.expose()));
        }
        for s in secrets.into_iter().filter(|s| !s.is_empty()) {
            out = out.replace(s, "<redacted>");
        }
        out
    }
}

/// Tokens: cached, refreshed, client credentials, PKCE.
impl Spotify {
    /// A valid access token: the one in memory or on disk, refreshed, or new.
    fn access_token(&self) -> Result<Secret> {
        let now = chrono::Utc::now().timestamp();
        if self.token.borrow().is_none() {
            let cached = std::fs::read_to_string(self.token_file())
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .and_then(|v| Token::from_json(&v));
            *self.token.borrow_mut() = cached;
        }
        let current = self.token.borrow().clone();
        let token = match current {
            Some(t) if t.expires_at > now + 60 => return Ok(t.access),
            Some(Token {
                refresh: Some(r), ..
            }) => self.token_request(
                vec![
                    ("grant_type", "refresh_token".into()),
                    ("refresh_token", r.expose().to_string()),
                    ("client_id", self.client_id.clone()),
                ],
                Some(r),
            )?,
            _ => self.client_credentials()?,
        };
        write_private(&self.token_file(), token.to_json().as_bytes())?;
        let access = token.access.clone();
        *self.token.borrow_mut() = Some(token);
        Ok(access)
    }

    fn client_credentials(&self) -> Result<Token> {
        if self.secret.is_none() {
            return Err(Error::MissingCredential {
                name: CLIENT_SECRET_VAR.into(),
                hint: "client credentials need the app's secret; or log in with \
                       Spotify::authorize_url and finish_login (PKCE)"
                    .into(),
            });
        }
        self.token_request(vec![("grant_type", "client_credentials".into())], None)
    }

    /// POSTs `form` to the token endpoint; `old_refresh` is kept when the answer has none.
    fn token_request(
        &self,
        form: Vec<(&str, String)>,
        old_refresh: Option<Secret>,
    ) -> Result<Token> {
        let url = format!("{}api/token", self.accounts_url);
        let basic = self.secret.as_ref().map(|s| (self.client_id.as_str(), s));
        let user = form
            .iter()
            .any(|(k, v)| *k == "grant_type" && v != "client_credentials");
        let req = Request {
            form: Some(form),
            basic: if user { None } else { basic },
            ..Request::get(url, "/api/token".into())
        };
        let v = self.http.send(&req, |a| {
            self.read(a, "/api/token", |v| {
                v.get("access_token")
                    .and_then(Value::as_str)
                    .map(|_| ())
                    .ok_or("no access_token")
            })
        })?;
        let expires_in = v.get("expires_in").and_then(Value::as_i64).unwrap_or(3600);
        Ok(Token {
            access: Secret::new(v["access_token"].as_str().unwrap_or_default()),
            refresh: v
                .get("refresh_token")
                .and_then(Value::as_str)
                .map(Secret::new)
                .or(old_refresh),
            expires_at: chrono::Utc::now().timestamp() + expires_in,
            kind: if user { "user" } else { "client" }.into(),
        })
    }

    /// The URL where the user logs in and allows `scopes` (PKCE). The verifier is kept in the
    /// cache until [`Spotify::finish_login`].
    pub fn authorize_url(&self, redirect_uri: &str, scopes: &[&str]) -> Result<String> {
        let verifier = random_text(64);
        let state = random_text(16);
        let challenge = base64url(&<sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes()));
        let pending =
            serde_json::json!({"verifier": verifier, "state": state, "redirect_uri": redirect_uri});
        write_private(
            &self.dir().join("pkce-pending.json"),
            pending.to_string().as_bytes(),
        )?;
        let scope = scopes.join(" ");
        url_with(
            &format!("{}authorize", self.accounts_url),
            &[
                ("client_id", &self.client_id),
                ("response_type", "code"),
                ("redirect_uri", redirect_uri),
                ("code_challenge_method", "S256"),
                ("code_challenge", &challenge),
                ("state", &state),
                ("scope", &scope),
            ],
        )
    }

    /// Finishes a PKCE login from the URL Spotify redirected the browser to (or its `code`):
    /// checks the state, exchanges the code for a user token, caches it.
    pub fn finish_login(&self, redirected: &str) -> Result<()> {
        let pending_file = self.dir().join("pkce-pending.json");
        let pending: Value = std::fs::read_to_string(&pending_file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .ok_or_else(|| Error::MissingCredential {
                name: "PKCE verifier".into(),
                hint: "call Spotify::authorize_url first, then open its URL".into(),
            })?;
        let field = |k: &str| {
            pending
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let (code, state) = match reqwest::Url::parse(redirected) {
            Ok(u) => {
                let q: BTreeMap<String, String> = u.query_pairs().into_owned().collect();
                (
                    q.get("code").cloned().unwrap_or_default(),
                    q.get("state").cloned(),
                )
            }
            Err(_) => (redirected.trim().to_string(), None),
        };
        if state.as_ref().is_some_and(|s| *s != field("state")) || code.is_empty() {
            return Err(Error::parameter(
                "redirected",
                "(the URL given)",
                "the URL Spotify redirected to after authorize_url, with its code and state",
            ));
        }
        let token = self.token_request(
            vec![
                ("grant_type", "authorization_code".into()),
                ("code", code),
                ("redirect_uri", field("redirect_uri")),
                ("client_id", self.client_id.clone()),
                ("code_verifier", field("verifier")),
            ],
            None,
        )?;
        write_private(&self.token_file(), token.to_json().as_bytes())?;
        *self.token.borrow_mut() = Some(token);
        let _ = std::fs::remove_file(pending_file);
        Ok(())
    }
}

/// Requests and answers.
impl Spotify {
    /// GET `path` (relative to the API root) with the token; once more with a fresh token on 401.
    fn get(
        &self,
        path: &str,
        check: fn(&Value) -> std::result::Result<(), &'static str>,
    ) -> Result<Value> {
        match self.get_once(path, check) {
            Err(Error::HttpStatus { status: 401, .. }) => {
                if let Some(t) = self.token.borrow_mut().as_mut() {
                    t.expires_at = 0;
                }
                self.get_once(path, check)
            }
            other => other,
        }
    }

    fn get_once(
        &self,
        path: &str,
        check: fn(&Value) -> std::result::Result<(), &'static str>,
    ) -> Result<Value> {
        let token = self.access_token()?;
        let url = format!("{}{path}", self.api_url);
        let shown = strip_origin(&url);
        let req = Request {
            bearer: Some(&token),
            ..Request::get(url, shown.clone())
        };
        self.http.send(&req, |a| self.read(a, &shown, check))
    }

    fn read(
        &self,
        a: Answer,
        shown: &str,
        check: impl Fn(&Value) -> std::result::Result<(), &'static str>,
    ) -> Verdict<Value> {
        let body = self.redact(&a.body);
        if a.status >= 400 {
            let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let message = v
                .pointer("/error/message")
                .and_then(Value::as_str)
                .or_else(|| v.get("error_description").and_then(Value::as_str))
                .or_else(|| v.get("error").and_then(Value::as_str))
                .map(str::to_string)
                .unwrap_or_else(|| body.chars().take(200).collect());
            let closed = ["audio-features", "audio-analysis", "recommendations"];
            if a.status == 403 {
                let why = if closed.iter().any(|c| shown.contains(c)) {
                    REFUSAL
                } else {
                    DEV_MODE_REFUSAL
                };
                return Verdict::Fail(Error::Refused {
                    service: "spotify".into(),
                    url: shown.to_string(),
                    reason: format!("{why} (Spotify said: {message})"),
                });
            }
            return Verdict::Fail(Error::HttpStatus {
                service: "spotify".into(),
                url: shown.to_string(),
                status: a.status,
                message,
            });
        }
        match serde_json::from_str::<Value>(&body) {
            Ok(v) => match check(&v) {
                Ok(()) => Verdict::Done(v),
                Err(d) => Verdict::Retry(Fault::Truncated { detail: d.into() }),
            },
            Err(e) => Verdict::Retry(Fault::Truncated {
                detail: e.to_string(),
            }),
        }
    }
}

fn has_items(v: &Value) -> std::result::Result<(), &'static str> {
    v.get("items")
        .and_then(Value::as_array)
        .map(|_| ())
        .ok_or("no `items` array")
}

/// Playlists.
impl Spotify {
    /// The playlists of `user` (`None`: the logged-in user's own, which needs a PKCE login)
    /// and their tracks, paged, into the playlists table ([`crate::schema::playlists`]: playlist
    /// name, track_id, added_at, position). Items without a Spotify id (local files, removed
    /// tracks) are kept with a null track_id. Pages are cached per playlist version (its
    /// `snapshot_id`), so an unchanged playlist is not fetched again.
    pub fn playlists(&self, user: Option<&str>) -> Result<DataFrame> {
        let base = match user {
            Some(u) => format!("users/{}/playlists", encode(u)),
            None => "me/playlists".into(),
        };
        let lists = self.all_pages(&base, 50, None)?;
        let mut rows = PlaylistRows::default();
        for (i, pl) in lists.iter().enumerate() {
            let (Some(id), Some(name)) = (
                pl.get("id").and_then(Value::as_str),
                pl.get("name").and_then(Value::as_str),
            ) else {
                println!(
                    "spotify playlists: entry {} has no id or name, skipped",
                    i + 1
                );
                continue;
            };
            let snapshot = pl
                .get("snapshot_id")
                .and_then(Value::as_str)
                .unwrap_or("none");
            let cache =
                self.dir()
                    .join("playlists")
                    .join(format!("{}-{}", safe(id), safe(snapshot)));
            let items = self.all_pages(
                &format!("playlists/{}/tracks", encode(id)),
                100,
                Some(cache),
            )?;
            rows.push(name, &items);
            println!(
                "spotify playlists: {} {name}",
                progress_bar(i + 1, lists.len())
            );
        }
        rows.finish()
    }

    /// Every item of the paged list at `path` (`limit` per page), pages cached in `cache`.
    fn all_pages(&self, path: &str, limit: usize, cache: Option<PathBuf>) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut offset = 0;
        loop {
            let file = cache
                .as_ref()
                .map(|d| d.join(format!("offset-{offset:06}.json")));
            let cached = file
                .as_ref()
                .and_then(|f| std::fs::read_to_string(f).ok())
                .and_then(|t| serde_json::from_str::<Value>(&t).ok());
            let page = match cached {
                Some(v) => v,
                None => {
                    let v =
                        self.get(&format!("{path}?limit={limit}&offset={offset}"), has_items)?;
                    if let Some(f) = &file {
                        write_atomic(f, v.to_string().as_bytes())?;
                    }
                    v
                }
            };
            let got = page["items"].as_array().cloned().unwrap_or_default();
            let total = page.get("total").and_then(Value::as_u64).unwrap_or(0) as usize;
            offset += got.len();
            let done = got.is_empty() || offset >= total;
            items.extend(got);
            if done {
                return Ok(items);
            }
        }
    }
}

#[derive(Default)]
struct PlaylistRows {
    playlist: Vec<String>,
    track_id: Vec<Option<String>>,
    added_at: Vec<Option<i64>>,
    position: Vec<i64>,
}

impl PlaylistRows {
    fn push(&mut self, name: &str, items: &[Value]) {
        for (pos, item) in items.iter().enumerate() {
            let track = item.get("track").or_else(|| item.get("item"));
            self.playlist.push(name.to_string());
            self.track_id.push(
                track
                    .and_then(|t| t.get("id"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            );
            self.added_at.push(
                item.get("added_at")
                    .and_then(Value::as_str)
                    .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.timestamp_millis()),
            );
            self.position.push(pos as i64);
        }
    }

    fn finish(self) -> Result<DataFrame> {
        use crate::schema::playlists::*;
        let n = self.playlist.len();
        let added = Column::new(ADDED_AT.into(), self.added_at)
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?;
        Ok(DataFrame::new(
            n,
            vec![
                Column::new(PLAYLIST.into(), self.playlist),
                Column::new(TRACK_ID.into(), self.track_id),
                added,
                Column::new(POSITION.into(), self.position),
            ],
        )?)
    }
}

/// Search.
impl Spotify {
    /// The Spotify track id of each (artist, title) pair, by search (`track:"title"
    /// artist:"artist"`, 10 results). **Matching rule:** titles and artist names are compared
    /// after [`normalize`]; the first result whose title and one of whose artists equal the
    /// pair's is an [`MATCH_EXACT`] match; failing that, the first result agreeing on title or
    /// on an artist is [`MATCH_UNSURE`] (its id given, to be checked); otherwise
    /// [`MATCH_NONE`] (no id). Table: artist, track, track_id, match, spotify_name,
    /// spotify_artists. Answers are cached (`<cache>/spotify/search.json`); the counts of each
    /// match quality are printed.
    pub fn search_tracks(&self, pairs: &[(String, String)]) -> Result<DataFrame> {
        let file = self.dir().join("search.json");
        let mut cache: BTreeMap<String, Value> = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let mut out = SearchRows::default();
        let mut fresh = 0;
        for (i, (artist, title)) in pairs.iter().enumerate() {
            let q = format!(
                "track:\"{}\" artist:\"{}\"",
                title.replace('"', ""),
                artist.replace('"', "")
            );
            if !cache.contains_key(&q) {
                let found = self.get(
                    &format!("search?type=track&limit=10&q={}", encode(&q)),
                    |v| {
                        v.pointer("/tracks/items")
                            .and_then(Value::as_array)
                            .map(|_| ())
                            .ok_or("no `tracks.items`")
                    },
                );
                let found = match found {
                    Ok(v) => v,
                    Err(e) => {
                        write_atomic(
                            &file,
                            serde_json::to_string(&cache).unwrap_or_default().as_bytes(),
                        )?;
                        return Err(e);
                    }
                };
                cache.insert(q.clone(), found["tracks"]["items"].clone());
                fresh += 1;
                if fresh % 25 == 0 {
                    write_atomic(
                        &file,
                        serde_json::to_string(&cache).unwrap_or_default().as_bytes(),
                    )?;
                }
            }
            out.push(artist, title, &cache[&q]);
            if (i + 1) % 50 == 0 || i + 1 == pairs.len() {
                println!("spotify search: {}", progress_bar(i + 1, pairs.len()));
            }
        }
        write_atomic(
            &file,
            serde_json::to_string(&cache).unwrap_or_default().as_bytes(),
        )?;
        println!(
            "spotify search: {} exact, {} unsure (check them), {} not found",
            out.count(MATCH_EXACT),
            out.count(MATCH_UNSURE),
            out.count(MATCH_NONE)
        );
        out.finish()
    }
}

/// Lowercase, without bracketed parts (`(feat. X)`, `[Live]`), without what follows ` - `
/// (`- Remastered 2011`) or ` feat.` / ` ft.`, keeping letters and digits only, one space
/// between words.
pub fn normalize(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut cut = lower.as_str();
    for sep in [" - ", " feat. ", " feat ", " ft. ", " featuring "] {
        if let Some(i) = cut.find(sep) {
            cut = &cut[..i];
        }
    }
    let mut depth = 0usize;
    let mut out = String::new();
    for c in cut.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => out.push(c),
            _ if depth == 0 => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct SearchRows {
    artist: Vec<String>,
    track: Vec<String>,
    id: Vec<Option<String>>,
    quality: Vec<&'static str>,
    name: Vec<Option<String>>,
    artists: Vec<Option<String>>,
}

impl SearchRows {
    fn push(&mut self, artist: &str, title: &str, items: &Value) {
        let items = items.as_array().cloned().unwrap_or_default();
        let (want_t, want_a) = (normalize(title), normalize(artist));
        let judge = |t: &Value| {
            let title_ok = t
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| normalize(n) == want_t);
            let artist_ok = t.get("artists").and_then(Value::as_array).is_some_and(|a| {
                a.iter().any(|x| {
                    x.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| normalize(n) == want_a)
                })
            });
            (title_ok, artist_ok)
        };
        let exact = items.iter().find(|t| judge(t) == (true, true));
        let unsure = items.iter().find(|t| {
            let (a, b) = judge(t);
            a || b
        });
        let (quality, pick) = match (exact, unsure) {
            (Some(t), _) => (MATCH_EXACT, Some(t)),
            (None, Some(t)) => (MATCH_UNSURE, Some(t)),
            _ => (MATCH_NONE, None),
        };
        self.artist.push(artist.to_string());
        self.track.push(title.to_string());
        self.quality.push(quality);
        self.id.push(
            pick.and_then(|t| t.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string),
        );
        self.name.push(
            pick.and_then(|t| t.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string),
        );
        self.artists.push(
            pick.and_then(|t| t.get("artists"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.get("name").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
        );
    }

    fn count(&self, quality: &str) -> usize {
        self.quality.iter().filter(|q| **q == quality).count()
    }

    fn finish(self) -> Result<DataFrame> {
        let n = self.artist.len();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new("artist".into(), self.artist),
                Column::new("track".into(), self.track),
                Column::new("track_id".into(), self.id),
                Column::new("match".into(), self.quality),
                Column::new("spotify_name".into(), self.name),
                Column::new("spotify_artists".into(), self.artists),
            ],
        )?)
    }
}

/// Audio features.
impl Spotify {
    /// Spotify's audio features of `ids` (100 per request): track_id then the twelve
    /// [`crate::schema::AUDIO_FEATURES`]; ids Spotify has none for get a row of nulls. For apps
    /// Spotify no longer allows (created after November 2024), the first request's 403 is
    /// [`Error::Refused`] with [`REFUSAL`].
    pub fn audio_features(&self, ids: &[String]) -> Result<DataFrame> {
        use crate::schema::{AUDIO_FEATURES, INTEGER_FEATURES};
        let mut rows: Vec<Option<Value>> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(100) {
            let v = self.get(&format!("audio-features?ids={}", chunk.join(",")), |v| {
                v.get("audio_features")
                    .and_then(Value::as_array)
                    .map(|_| ())
                    .ok_or("no `audio_features`")
            })?;
            let got = v["audio_features"].as_array().cloned().unwrap_or_default();
            for (i, _) in chunk.iter().enumerate() {
                rows.push(got.get(i).filter(|f| f.is_object()).cloned());
            }
        }
        let mut columns = vec![Column::new("track_id".into(), ids.to_vec())];
        for f in AUDIO_FEATURES {
            let values = rows.iter().map(|r| r.as_ref().and_then(|r| r.get(f)));
            columns.push(if INTEGER_FEATURES.contains(&f) {
                Column::new(
                    f.into(),
                    values
                        .map(|v| v.and_then(Value::as_i64))
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
        Ok(DataFrame::new(ids.len(), columns)?)
    }
}

/// Percent-encodes a query or path value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn random_text(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// Base64url without padding (the PKCE code challenge).
pub(crate) fn base64url(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}
