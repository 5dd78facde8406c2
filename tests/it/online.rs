//! The online clients (feature `online`) against local HTTP servers on 127.0.0.1 that answer
//! like Last.fm and Spotify, with faults injected: pages, a now-playing entry, 429 with
//! Retry-After, 500s, Last.fm's HTTP-200 error bodies, a 403 on audio features, a truncated
//! body, a response slower than the timeout, a connection reset.
//! Run with `cargo test --features online --test it online::`.

use listening::error::{Error, Fault};
use listening::online::lastfm::LastFm;
use listening::online::spotify::{self, Spotify};
use listening::online::{HttpConfig, Secret};
use listening::polars::prelude::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEY: &str = "k3y-0f-the-test-5ecret";
const CLIENT_SECRET: &str = "cl1ent-5ecret-never-shown";
const TOKEN: &str = "acce55-token-never-shown";
const REFRESH: &str = "refre5h-token-never-shown";

/// A request as the test server saw it.
#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    headers: HashMap<String, String>,
    body: String,
}

/// What the server does with a request.
enum Reply {
    Json(u16, Value, Vec<(&'static str, String)>),
    /// Announces a longer body than it sends, then closes.
    Truncated,
    /// Answers only after this delay.
    Slow(Duration, Value),
    /// Resets the connection (RST) without answering.
    Reset,
}

fn ok(v: Value) -> Reply {
    Reply::Json(200, v, vec![])
}

type Handler = dyn Fn(&Req) -> Reply + Send + Sync;

/// A local HTTP/1.1 server; every request is recorded in `log`.
struct Server {
    base: String,
    log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    fn start(handler: Arc<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let log2 = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, log) = (handler.clone(), log2.clone());
                std::thread::spawn(move || serve_one(stream, &*handler, &log));
            }
        });
        Server { base, log }
    }

    fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

fn serve_one(mut stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>) {
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    log.lock().unwrap().push(req.clone());
    let (status, body, headers, cut) = match handler(&req) {
        Reply::Json(s, v, h) => (s, v.to_string(), h, false),
        Reply::Slow(d, v) => {
            std::thread::sleep(d);
            (200, v.to_string(), vec![], false)
        }
        Reply::Truncated => (
            200,
            r#"{"recenttracks": {"track": [{"name": "cut"#.to_string(),
            vec![],
            true,
        ),
        Reply::Reset => {
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
            return; // dropping with linger 0 sends RST
        }
    };
    let length = if cut { body.len() + 500 } else { body.len() };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

fn read_request(stream: &mut TcpStream) -> Option<Req> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = text.lines();
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let n: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; n];
    stream.read_exact(&mut body).ok()?;
    let url = reqwest_like_parse(&target);
    Some(Req {
        method,
        path: url.0,
        query: url.1,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Path and decoded query of a request target.
fn reqwest_like_parse(target: &str) -> (String, BTreeMap<String, String>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    (path.to_string(), form_pairs(query))
}

fn form_pairs(s: &str) -> BTreeMap<String, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Attempts per request in the tests.
const ATTEMPTS: u32 = 5;

/// Quick retries for tests: no pacing, 10 ms backoff, a 400 ms timeout.
fn quick() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_millis(400),
        min_interval: Duration::ZERO,
        max_attempts: ATTEMPTS,
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
        ..HttpConfig::default()
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("listening-online-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// No secret of the tests in `text`.
fn assert_no_secret(text: &str) {
    for s in [KEY, CLIENT_SECRET, TOKEN, REFRESH] {
        assert!(!text.contains(s), "a secret leaked: {text}");
    }
}

fn assert_error_clean(e: &Error) {
    assert_no_secret(&e.to_string());
    assert_no_secret(&format!("{e:?}"));
}

// ---------------------------------------------------------------------------------------------
// Last.fm

/// A Last.fm user's scrobbles: (uts, artist, track, album), and faults to inject by page.
struct LastfmState {
    scrobbles: Vec<(i64, String, String, String)>,
    faults: Mutex<HashMap<String, VecDeque<Reply>>>,
}

fn scrobbles(n: usize, start: i64) -> Vec<(i64, String, String, String)> {
    (0..n)
        .map(|i| {
            let t = start + 97 * i as i64;
            (
                t,
                format!("Artist {}", i % 17),
                format!("Track {i}"),
                format!("Album {}", i % 5),
            )
        })
        .collect()
}

fn lastfm_server(state: Arc<LastfmState>) -> Server {
    Server::start(Arc::new(move |r: &Req| lastfm_reply(&state, r)))
}

fn lastfm_error(code: i64, message: &str) -> Reply {
    ok(json!({"error": code, "message": message}))
}

fn lastfm_reply(state: &LastfmState, r: &Req) -> Reply {
    let q = |k: &str| r.query.get(k).cloned().unwrap_or_default();
    if r.path != "/2.0/" || q("format") != "json" {
        return Reply::Json(404, json!({"error": "not found"}), vec![]);
    }
    if q("api_key") != KEY {
        return lastfm_error(
            10,
            "Invalid API key - You must be granted a valid key by last.fm",
        );
    }
    let fault_key = format!("{}:{}", q("method"), q("page"));
    if let Some(reply) = state
        .faults
        .lock()
        .unwrap()
        .get_mut(&fault_key)
        .and_then(|f| f.pop_front())
    {
        return reply;
    }
    match q("user").as_str() {
        "private" => return lastfm_error(17, "Login: User required to be logged in"),
        "nobody" => return lastfm_error(6, "User not found"),
        _ => {}
    }
    match q("method").as_str() {
        "user.getrecenttracks" => recent_page(state, r),
        "track.gettoptags" | "artist.gettoptags" => top_tags(r),
        _ => lastfm_error(3, "Invalid Method"),
    }
}

fn recent_page(state: &LastfmState, r: &Req) -> Reply {
    let num = |k: &str, d: i64| {
        r.query
            .get(k)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(d)
    };
    let (from, to, page, limit) = (
        num("from", 0),
        num("to", i64::MAX),
        num("page", 1),
        num("limit", 50),
    );
    let mut hits: Vec<_> = state
        .scrobbles
        .iter()
        .filter(|s| s.0 >= from && s.0 <= to)
        .collect();
    hits.sort_by_key(|s| -s.0);
    let total = hits.len() as i64;
    let pages = (total + limit - 1) / limit;
    let mut tracks: Vec<Value> = hits
        .iter()
        .skip(((page - 1) * limit) as usize)
        .take(limit as usize)
        .map(|(t, a, n, al)| {
            json!({"artist": {"mbid": "", "#text": a}, "name": n, "album": {"mbid": "", "#text": al},
                   "date": {"uts": t.to_string(), "#text": "01 Jan 2020, 00:00"}})
        })
        .collect();
    if page == 1 {
        tracks.insert(
            0,
            json!({"artist": {"#text": "Now Artist"}, "name": "Playing Now",
            "album": {"#text": ""}, "@attr": {"nowplaying": "true"}}),
        );
    }
    ok(
        json!({"recenttracks": {"track": tracks, "@attr": {"user": r.query["user"], "page": page.to_string(),
        "perPage": limit.to_string(), "totalPages": pages.to_string(), "total": total.to_string()}}}),
    )
}

fn top_tags(r: &Req) -> Reply {
    let artist = r.query.get("artist").cloned().unwrap_or_default();
    if artist == "Unknown Band" {
        return lastfm_error(6, "The track you supplied could not be found");
    }
    ok(
        json!({"toptags": {"tag": [{"name": "rock", "count": 100}, {"name": format!("{artist} fans"), "count": 7}],
        "@attr": {"artist": artist}}}),
    )
}

fn lastfm_client(server: &Server, cache: &std::path::Path) -> LastFm {
    LastFm::new(Secret::new(KEY))
        .unwrap()
        .with_base_url(format!("{}/2.0/", server.base))
        .with_cache_dir(cache)
        .with_http(quick())
        .unwrap()
}

fn state_with(
    scrobbles: Vec<(i64, String, String, String)>,
    faults: Vec<(&str, Vec<Reply>)>,
) -> Arc<LastfmState> {
    let faults = faults
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().collect()))
        .collect();
    Arc::new(LastfmState {
        scrobbles,
        faults: Mutex::new(faults),
    })
}

/// The (played_at seconds, artist, track) rows of a plays table, sorted.
fn rows_of(df: &DataFrame) -> Vec<(i64, String, String)> {
    let at = df
        .column("played_at")
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap();
    let at = at.i64().unwrap();
    let artist = df.column("artist").unwrap().str().unwrap();
    let track = df.column("track").unwrap().str().unwrap();
    let mut out: Vec<_> = (0..df.height())
        .map(|i| {
            (
                at.get(i).unwrap() / 1000,
                artist.get(i).unwrap().to_string(),
                track.get(i).unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn expected(s: &[(i64, String, String, String)], from: i64, to: i64) -> Vec<(i64, String, String)> {
    let mut out: Vec<_> = s
        .iter()
        .filter(|x| x.0 >= from && x.0 <= to)
        .map(|x| (x.0, x.1.clone(), x.2.clone()))
        .collect();
    out.sort();
    out
}

fn recent_requests(server: &Server) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .filter(|r| r.query.get("method").map(String::as_str) == Some("user.getrecenttracks"))
        .map(|r| (r.query["from"].clone(), r.query["page"].clone()))
        .collect()
}

/// The files of a cached window folder, sorted, after checking none holds a secret.
fn window_files(window: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(window)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for f in &files {
        assert_no_secret(&std::fs::read_to_string(window.join(f)).unwrap());
    }
    files
}

#[test]
fn lastfm_every_page_through_every_fault_then_cached() {
    let start = 1_600_000_000;
    let data = scrobbles(450, start);
    let to = start + 97 * 449;
    let faults = vec![
        (
            "user.getrecenttracks:1",
            vec![
                Reply::Json(500, json!({}), vec![]),
                Reply::Json(429, json!({}), vec![("Retry-After", "1".into())]),
            ],
        ),
        (
            "user.getrecenttracks:2",
            vec![
                lastfm_error(29, "Rate Limit Exceeded"),
                lastfm_error(11, "Service Offline"),
                lastfm_error(16, "Temporarily unavailable"),
                Reply::Truncated,
            ],
        ),
        (
            "user.getrecenttracks:3",
            vec![
                Reply::Slow(Duration::from_millis(1500), json!({})),
                Reply::Reset,
            ],
        ),
    ];
    let state = state_with(data.clone(), faults);
    let server = lastfm_server(state);
    let cache = temp_dir("lastfm-faults");
    let client = lastfm_client(&server, &cache);
    let began = Instant::now();
    let loaded = client
        .recent_tracks("alice", Some(start), Some(to))
        .unwrap();
    assert!(
        began.elapsed() >= Duration::from_secs(1),
        "Retry-After 1 s was not waited"
    );
    assert_eq!(rows_of(&loaded.df), expected(&data, start, to));
    assert_eq!(
        loaded
            .report
            .skipped
            .get(listening::loaders::lastfm::SKIP_NOW_PLAYING),
        Some(&1)
    );
    assert!(
        loaded.report.flagged.is_empty(),
        "{:?}",
        loaded.report.flagged
    );
    // 3 pages + 2 faults on page 1, 4 on page 2, 2 on page 3.
    let pages: Vec<String> = recent_requests(&server).into_iter().map(|r| r.1).collect();
    assert_eq!(pages.iter().filter(|p| *p == "1").count(), 3);
    assert_eq!(pages.iter().filter(|p| *p == "2").count(), 5);
    assert_eq!(pages.iter().filter(|p| *p == "3").count(), 3);
    let user_agent = &server.requests()[0].headers["user-agent"];
    assert!(user_agent.starts_with("listening/"), "{user_agent}");
    // On disk: one file per page and the completion marker, no secret in them.
    let window = cache
        .join("lastfm/recenttracks/alice")
        .join(format!("{start}-{to}"));
    let files = window_files(&window);
    assert_eq!(
        files,
        [
            "complete.json",
            "page-00001.json",
            "page-00002.json",
            "page-00003.json"
        ]
    );
    // A second run is served by the cache.
    let n = server.requests().len();
    let again = client
        .recent_tracks("alice", Some(start), Some(to))
        .unwrap();
    assert_eq!(server.requests().len(), n);
    assert_eq!(rows_of(&again.df), rows_of(&loaded.df));
}

#[test]
fn lastfm_second_run_fetches_only_what_is_new() {
    let start = 1_500_000_000;
    let data = scrobbles(300, start);
    let first_to = start + 97 * 199; // the first 200 scrobbles
    let server = lastfm_server(state_with(data.clone(), vec![]));
    let cache = temp_dir("lastfm-new");
    let client = lastfm_client(&server, &cache);
    let first = client.recent_tracks("bob", None, Some(first_to)).unwrap();
    assert_eq!(rows_of(&first.df), expected(&data, 0, first_to));
    let before = recent_requests(&server).len();
    let last = start + 97 * 299;
    let second = client.recent_tracks("bob", None, Some(last)).unwrap();
    let new: Vec<_> = recent_requests(&server).into_iter().skip(before).collect();
    assert_eq!(
        new,
        vec![((first_to + 1).to_string(), "1".to_string())],
        "only the new window's one page"
    );
    assert_eq!(rows_of(&second.df), expected(&data, 0, last));
    assert!(
        second.report.flagged.is_empty(),
        "duplicates: {:?}",
        second.report.flagged
    );
    // A narrower range is answered from the cache, the rest counted as outside it.
    let mid = client
        .recent_tracks("bob", Some(start + 97 * 100), Some(start + 97 * 250))
        .unwrap();
    assert_eq!(
        rows_of(&mid.df),
        expected(&data, start + 97 * 100, start + 97 * 250)
    );
    assert_eq!(recent_requests(&server).len(), before + 1);
    assert_eq!(
        mid.report.skipped[listening::online::lastfm::SKIP_OUTSIDE_RANGE],
        300 - 151
    );
}

#[test]
fn lastfm_interrupted_run_resumes_without_loss_or_duplicates() {
    let start = 1_400_000_000;
    let data = scrobbles(650, start);
    let to = start + 97 * 649;
    // Page 3 fails more times than the client tries: the run stops there.
    let fails = (0..ATTEMPTS)
        .map(|_| Reply::Json(503, json!({}), vec![]))
        .collect();
    let server = lastfm_server(state_with(
        data.clone(),
        vec![("user.getrecenttracks:3", fails)],
    ));
    let cache = temp_dir("lastfm-resume");
    let client = lastfm_client(&server, &cache);
    let e = client
        .recent_tracks("carol", Some(start), Some(to))
        .unwrap_err();
    match &e {
        Error::Retries {
            url,
            attempts,
            last,
            ..
        } => {
            assert_eq!(*attempts, ATTEMPTS);
            assert_eq!(*last, Fault::Status { status: 503 });
            assert!(
                url.contains("page=3") && url.contains("user=carol"),
                "{url}"
            );
        }
        other => panic!("expected Retries, got {other:?}"),
    }
    assert_error_clean(&e);
    let window = cache
        .join("lastfm/recenttracks/carol")
        .join(format!("{start}-{to}"));
    assert!(window.join("page-00002.json").is_file() && !window.join("page-00003.json").exists());
    assert!(!window.join("complete.json").exists());
    let before = recent_requests(&server).len();
    let loaded = client
        .recent_tracks("carol", Some(start), Some(to))
        .unwrap();
    let pages: Vec<String> = recent_requests(&server)
        .into_iter()
        .skip(before)
        .map(|r| r.1)
        .collect();
    assert_eq!(pages, ["3", "4"], "pages 1 and 2 come from the cache");
    assert_eq!(rows_of(&loaded.df), expected(&data, start, to));
    assert!(loaded.report.flagged.is_empty());
}

#[test]
fn lastfm_lasting_errors_are_reported_once_and_clearly() {
    let server = lastfm_server(state_with(scrobbles(3, 1_000_000_000), vec![]));
    let cache = temp_dir("lastfm-errors");
    let client = lastfm_client(&server, &cache);
    for (user, code, words) in [("private", 17, "private"), ("nobody", 6, "no such user")] {
        let n = server.requests().len();
        let e = client
            .recent_tracks(user, None, Some(1_100_000_000))
            .unwrap_err();
        assert_eq!(server.requests().len(), n + 1, "error {code} retried");
        match &e {
            Error::Api {
                code: c,
                message,
                url,
                ..
            } => {
                assert_eq!(*c, code);
                assert!(message.contains(words), "{message}");
                assert!(url.contains(&format!("user={user}")));
            }
            other => panic!("expected Api, got {other:?}"),
        }
        assert_error_clean(&e);
    }
    let bad = LastFm::new(Secret::new("wrong-key"))
        .unwrap()
        .with_base_url(format!("{}/2.0/", server.base))
        .with_cache_dir(&cache)
        .with_http(quick())
        .unwrap();
    let e = bad
        .recent_tracks("alice", None, Some(1_100_000_000))
        .unwrap_err();
    assert!(
        matches!(&e, Error::Api { code: 10, message, .. } if message.contains("LASTFM_API_KEY")),
        "{e}"
    );
    assert!(!e.to_string().contains("wrong-key") && !format!("{bad:?}").contains("wrong-key"));
    let client_debug = format!("{client:?}");
    assert!(client_debug.contains("redacted"));
    assert_no_secret(&client_debug);
}

#[test]
fn lastfm_gives_up_on_timeouts_and_long_retry_after() {
    let slow = (0..ATTEMPTS)
        .map(|_| Reply::Slow(Duration::from_millis(1200), json!({})))
        .collect();
    let long = vec![Reply::Json(
        429,
        json!({}),
        vec![("Retry-After", "3600".into())],
    )];
    let server = lastfm_server(state_with(
        scrobbles(3, 1_000_000_000),
        vec![("user.getrecenttracks:1", slow)],
    ));
    let client = lastfm_client(&server, &temp_dir("lastfm-timeouts"));
    let e = client
        .recent_tracks("dave", None, Some(1_100_000_000))
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Retries {
                attempts: ATTEMPTS,
                last: Fault::Timeout,
                ..
            }
        ),
        "{e:?}"
    );
    assert_error_clean(&e);
    let server = lastfm_server(state_with(
        scrobbles(3, 1_000_000_000),
        vec![("user.getrecenttracks:1", long)],
    ));
    let client = lastfm_client(&server, &temp_dir("lastfm-long-429"));
    let e = client
        .recent_tracks("dave", None, Some(1_100_000_000))
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Retries {
                attempts: 1,
                last: Fault::RetryAfterTooLong { seconds: 3600 },
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn lastfm_names_the_fault_it_gave_up_on() {
    let cases: Vec<(fn() -> Reply, Fault)> = vec![
        (|| Reply::Reset, Fault::Reset),
        (
            || Reply::Json(500, json!({}), vec![]),
            Fault::Status { status: 500 },
        ),
        (
            || lastfm_error(16, "There was a temporary error processing your request"),
            Fault::Api {
                code: 16,
                message: "There was a temporary error processing your request".into(),
            },
        ),
    ];
    for (reply, fault) in cases {
        let replies = (0..ATTEMPTS).map(|_| reply()).collect();
        let server = lastfm_server(state_with(
            scrobbles(3, 1_000_000_000),
            vec![("user.getrecenttracks:1", replies)],
        ));
        let client = lastfm_client(&server, &temp_dir("lastfm-fault-kinds"));
        let e = client
            .recent_tracks("erin", None, Some(1_100_000_000))
            .unwrap_err();
        assert!(
            matches!(&e, Error::Retries { attempts: ATTEMPTS, last, .. } if *last == fault),
            "{e:?}"
        );
        assert_eq!(server.requests().len(), ATTEMPTS as usize);
    }
    let cut = (0..ATTEMPTS).map(|_| Reply::Truncated).collect();
    let server = lastfm_server(state_with(
        scrobbles(3, 1_000_000_000),
        vec![("user.getrecenttracks:1", cut)],
    ));
    let e = lastfm_client(&server, &temp_dir("lastfm-cut"))
        .recent_tracks("erin", None, Some(1_100_000_000))
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Retries {
                last: Fault::Truncated { .. },
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn lastfm_top_tags_into_the_tags_table_cached() {
    let server = lastfm_server(state_with(vec![], vec![]));
    let client = lastfm_client(&server, &temp_dir("lastfm-tags"));
    let pairs = vec![
        ("Blur".to_string(), "Song 2".to_string()),
        ("Unknown Band".to_string(), "Nothing".to_string()),
    ];
    let (tags, unknown) = client.track_top_tags(&pairs).unwrap();
    assert_eq!(unknown, ["Unknown Band — Nothing"]);
    assert_eq!(tags.height(), 2);
    let tag: Vec<_> = tags
        .column("tag")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(tag, ["rock", "Blur fans"]);
    assert_eq!(
        tags.column("weight").unwrap().f64().unwrap().get(0),
        Some(100.0)
    );
    let n = server.requests().len();
    let (again, unknown_again) = client.track_top_tags(&pairs).unwrap();
    assert_eq!(server.requests().len(), n, "tags fetched twice");
    assert!(again.equals_missing(&tags) && unknown_again == unknown);
    let (artists, _) = client.artist_top_tags(&["Blur".to_string()]).unwrap();
    assert_eq!(artists.column("title").unwrap().null_count(), 2);
}

// ---------------------------------------------------------------------------------------------
// Spotify

const CLIENT_ID: &str = "test-client-id";

/// The Spotify test server's state: what it allows and what it saw.
#[derive(Default)]
struct SpotifyState {
    refuse_features: bool,
    /// The PKCE code challenge the authorize URL carried.
    challenge: Mutex<String>,
    /// Seconds a new token lives.
    expires_in: i64,
    faults: Mutex<HashMap<String, VecDeque<Reply>>>,
}

fn spotify_server(state: Arc<SpotifyState>) -> Server {
    Server::start(Arc::new(move |r: &Req| spotify_reply(&state, r)))
}

fn spotify_reply(state: &SpotifyState, r: &Req) -> Reply {
    if r.path == "/api/token" {
        return token_reply(state, r);
    }
    let bearer = r.headers.get("authorization").cloned().unwrap_or_default();
    if !bearer.starts_with(&format!("Bearer {TOKEN}")) {
        return Reply::Json(
            401,
            json!({"error": {"status": 401, "message": "Invalid access token"}}),
            vec![],
        );
    }
    let key = format!(
        "{}?{}",
        r.path,
        r.query.get("offset").cloned().unwrap_or_default()
    );
    if let Some(reply) = state
        .faults
        .lock()
        .unwrap()
        .get_mut(&key)
        .and_then(|f| f.pop_front())
    {
        return reply;
    }
    let offset: usize = r
        .query
        .get("offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let limit: usize = r
        .query
        .get("limit")
        .and_then(|o| o.parse().ok())
        .unwrap_or(20);
    match r.path.as_str() {
        "/v1/users/u1/playlists" | "/v1/me/playlists" => ok(json!({"total": 2, "items": [
            {"id": "pl1", "name": "Mix", "snapshot_id": "s1"}, {"id": "pl2", "name": "Chill", "snapshot_id": "s1"}]})),
        "/v1/playlists/pl1/tracks" => ok(playlist_page(150, offset, limit)),
        "/v1/users/stranger/playlists" => Reply::Json(
            403,
            json!({"error": {"status": 403, "message": "User not registered in the Developer Dashboard"}}),
            vec![],
        ),
        "/v1/playlists/pl2/tracks" => ok(playlist_page(2, offset, limit)),
        "/v1/search" => ok(search_reply(&r.query["q"])),
        "/v1/audio-features" if state.refuse_features => Reply::Json(
            403,
            json!({"error": {"status": 403, "message": "Forbidden"}}),
            vec![],
        ),
        "/v1/audio-features" => {
            let features: Vec<Value> = r.query["ids"].split(',').map(|id| if id == "gone" { Value::Null } else {
                json!({"id": id, "danceability": 0.5, "energy": 0.25, "key": 7, "loudness": -6.5, "mode": 1,
                    "speechiness": 0.03, "acousticness": 0.1, "instrumentalness": 0.0, "liveness": 0.2,
                    "valence": 0.75, "tempo": 120.0, "time_signature": 4})
            }).collect();
            ok(json!({"audio_features": features}))
        }
        _ => Reply::Json(
            404,
            json!({"error": {"status": 404, "message": "Not found"}}),
            vec![],
        ),
    }
}

fn playlist_page(total: usize, offset: usize, limit: usize) -> Value {
    let items: Vec<Value> = (offset..total.min(offset + limit)).map(|i| {
        let id = if i == 1 { Value::Null } else { json!(format!("track{i:03}")) }; // a local file
        json!({"added_at": "2021-03-04T05:06:07Z", "is_local": i == 1, "track": {"id": id, "name": format!("T{i}")}})
    }).collect();
    json!({"total": total, "offset": offset, "limit": limit, "items": items})
}

fn search_reply(q: &str) -> Value {
    let item = |id: &str, name: &str, artist: &str| json!({"id": id, "name": name, "artists": [{"name": artist}]});
    let items = if q.contains("Song 2") {
        vec![
            item("wrong", "Song 2", "A Cover Band"),
            item("blur2", "Song 2 - 2012 Remaster", "Blur"),
        ]
    } else if q.contains("Creep") {
        vec![item("cover", "Creep", "Postmodern Jukebox")]
    } else {
        vec![]
    };
    json!({"tracks": {"items": items, "total": items.len()}})
}

fn token_reply(state: &SpotifyState, r: &Req) -> Reply {
    let form = form_pairs(&r.body);
    let token = |refresh: bool| {
        let mut v =
            json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": state.expires_in});
        if refresh {
            v["refresh_token"] = json!(REFRESH);
        }
        ok(v)
    };
    let bad = |what: &str| {
        Reply::Json(
            400,
            json!({"error": "invalid_grant", "error_description": what}),
            vec![],
        )
    };
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {
            let want = format!(
                "Basic {}",
                base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes())
            );
            if r.headers.get("authorization") == Some(&want) {
                token(false)
            } else {
                bad("bad client")
            }
        }
        Some("authorization_code") => {
            use sha2::Digest;
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            let challenge = base64(&sha2::Sha256::digest(verifier.as_bytes()))
                .replace('+', "-")
                .replace('/', "_")
                .replace('=', "");
            let ok_code = form.get("code").map(String::as_str) == Some("the-code");
            if ok_code && *state.challenge.lock().unwrap() == challenge {
                token(true)
            } else {
                bad("bad verifier")
            }
        }
        Some("refresh_token") if form.get("refresh_token").map(String::as_str) == Some(REFRESH) => {
            token(false)
        }
        _ => bad("unsupported grant"),
    }
}

/// Standard base64, with padding.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                A[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

fn spotify_client(server: &Server, cache: &std::path::Path, secret: bool) -> Spotify {
    Spotify::new(CLIENT_ID, secret.then(|| Secret::new(CLIENT_SECRET)))
        .unwrap()
        .with_urls(format!("{}/v1/", server.base), format!("{}/", server.base))
        .with_cache_dir(cache)
        .with_http(quick())
        .unwrap()
}

fn count(server: &Server, path: &str) -> usize {
    server.requests().iter().filter(|r| r.path == path).count()
}

#[test]
fn spotify_playlists_paged_through_429_and_500_token_cached() {
    let state = Arc::new(SpotifyState {
        expires_in: 3600,
        ..Default::default()
    });
    state.faults.lock().unwrap().insert(
        "/v1/playlists/pl1/tracks?100".into(),
        VecDeque::from([
            Reply::Json(429, json!({}), vec![("Retry-After", "1".into())]),
            Reply::Json(500, json!({}), vec![]),
        ]),
    );
    let server = spotify_server(state);
    let cache = temp_dir("spotify-playlists");
    let client = spotify_client(&server, &cache, true);
    let began = Instant::now();
    let table = client.playlists(Some("u1")).unwrap();
    assert!(
        began.elapsed() >= Duration::from_secs(1),
        "Retry-After not waited"
    );
    let names: Vec<&str> = table
        .get_column_names()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(names, ["playlist", "track_id", "added_at", "position"]);
    assert_eq!(table.height(), 152);
    assert_eq!(
        table.column("track_id").unwrap().null_count(),
        2,
        "each playlist's local file kept, without id"
    );
    let pos = table.column("position").unwrap().i64().unwrap();
    assert_eq!(
        (pos.get(0), pos.get(149), pos.get(150)),
        (Some(0), Some(149), Some(0))
    );
    assert_eq!(
        count(&server, "/v1/playlists/pl1/tracks"),
        4,
        "2 pages + 429 + 500"
    );
    assert_eq!(count(&server, "/api/token"), 1);
    let file = client.token_file();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A new client on the same cache: the token and the unchanged playlists' pages are reused.
    let again = spotify_client(&server, &cache, true)
        .playlists(Some("u1"))
        .unwrap();
    assert!(again.equals_missing(&table));
    assert_eq!(count(&server, "/api/token"), 1, "cached token not reused");
    assert_eq!(
        count(&server, "/v1/playlists/pl1/tracks"),
        4,
        "unchanged playlist fetched again"
    );
    assert_no_secret(&format!("{client:?}"));
    for r in server.requests() {
        assert!(
            !r.query
                .values()
                .any(|v| v.contains(CLIENT_SECRET) || v.contains(TOKEN)),
            "secret in a URL"
        );
    }
}

#[test]
fn spotify_audio_features_refused_with_the_reason_or_read() {
    let refusing = spotify_server(Arc::new(SpotifyState {
        refuse_features: true,
        expires_in: 3600,
        ..Default::default()
    }));
    let client = spotify_client(&refusing, &temp_dir("spotify-403"), true);
    let e = client
        .audio_features(&["a".into(), "b".into()])
        .unwrap_err();
    match &e {
        Error::Refused { reason, url, .. } => {
            assert!(reason.starts_with(spotify::REFUSAL), "{reason}");
            assert!(reason.contains("November 2024") && reason.contains("load_catalogue"));
            assert!(
                url.starts_with("/v1/audio-features?ids=a,b")
                    || url.starts_with("/v1/audio-features?ids=a%2Cb"),
                "{url}"
            );
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    assert_eq!(
        count(&refusing, "/v1/audio-features"),
        1,
        "a refusal is not retried"
    );
    assert_error_clean(&e);
    let e = client.playlists(Some("stranger")).unwrap_err();
    assert!(
        matches!(&e, Error::Refused { reason, .. } if reason.starts_with(spotify::DEV_MODE_REFUSAL)
            && reason.contains("User not registered")),
        "{e}"
    );
    assert_eq!(count(&refusing, "/v1/users/stranger/playlists"), 1);
    let allowing = spotify_server(Arc::new(SpotifyState {
        expires_in: 3600,
        ..Default::default()
    }));
    let client = spotify_client(&allowing, &temp_dir("spotify-features"), true);
    let ids: Vec<String> = (0..150)
        .map(|i| {
            if i == 7 {
                "gone".into()
            } else {
                format!("t{i}")
            }
        })
        .collect();
    let f = client.audio_features(&ids).unwrap();
    assert_eq!(f.height(), 150);
    assert_eq!(
        count(&allowing, "/v1/audio-features"),
        2,
        "100 ids per request"
    );
    assert_eq!(
        f.column("valence").unwrap().f64().unwrap().get(0),
        Some(0.75)
    );
    assert_eq!(f.column("key").unwrap().i64().unwrap().get(1), Some(7));
    assert_eq!(
        f.column("tempo").unwrap().null_count(),
        1,
        "the id without features kept, nulls"
    );
}

#[test]
fn spotify_search_matches_by_rule_and_caches() {
    let server = spotify_server(Arc::new(SpotifyState {
        expires_in: 3600,
        ..Default::default()
    }));
    let cache = temp_dir("spotify-search");
    let client = spotify_client(&server, &cache, true);
    let pairs = vec![
        ("Blur".to_string(), "Song 2".to_string()),
        ("Radiohead".to_string(), "Creep".to_string()),
        ("Nobody".to_string(), "Nothing".to_string()),
    ];
    let found = client.search_tracks(&pairs).unwrap();
    let id: Vec<Option<&str>> = found
        .column("track_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    let quality: Vec<&str> = found
        .column("match")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(id, [Some("blur2"), Some("cover"), None]);
    assert_eq!(
        quality,
        [
            spotify::MATCH_EXACT,
            spotify::MATCH_UNSURE,
            spotify::MATCH_NONE
        ]
    );
    let q = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/search")
        .unwrap()
        .query;
    assert_eq!(q["q"], "track:\"Song 2\" artist:\"Blur\"");
    let n = count(&server, "/v1/search");
    let again = spotify_client(&server, &cache, true)
        .search_tracks(&pairs)
        .unwrap();
    assert_eq!(count(&server, "/v1/search"), n, "searched twice");
    assert!(again.equals_missing(&found));
    assert_eq!(spotify::normalize("Song 2 - 2012 Remaster"), "song 2");
    assert_eq!(spotify::normalize("Hey Ya! (Radio Mix) [Live]"), "hey ya");
}

#[test]
fn spotify_pkce_login_then_refresh() {
    let state = Arc::new(SpotifyState {
        expires_in: 0,
        ..Default::default()
    });
    let server = spotify_server(state.clone());
    let cache = temp_dir("spotify-pkce");
    let client = spotify_client(&server, &cache, false);
    let e = client.playlists(None).unwrap_err();
    assert!(
        matches!(&e, Error::MissingCredential { name, .. } if name == spotify::CLIENT_SECRET_VAR),
        "{e:?}"
    );
    let url = client
        .authorize_url("http://127.0.0.1:8888/callback", &["playlist-read-private"])
        .unwrap();
    let (path, q) = reqwest_like_parse(url.strip_prefix(&server.base).unwrap());
    assert_eq!(path, "/authorize");
    assert_eq!(
        (q["client_id"].as_str(), q["code_challenge_method"].as_str()),
        (CLIENT_ID, "S256")
    );
    *state.challenge.lock().unwrap() = q["code_challenge"].clone();
    let wrong_state = "http://127.0.0.1:8888/callback?code=the-code&state=forged";
    assert!(
        client.finish_login(wrong_state).is_err(),
        "a forged state was accepted"
    );
    let redirect = format!(
        "http://127.0.0.1:8888/callback?code=the-code&state={}",
        q["state"]
    );
    client.finish_login(&redirect).unwrap();
    // The token expired at once (expires_in 0): the next call refreshes it.
    let table = client.playlists(None).unwrap();
    assert_eq!(table.height(), 152);
    let grants: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/api/token")
        .map(|r| form_pairs(&r.body)["grant_type"].clone())
        .collect();
    assert_eq!(grants[..2], ["authorization_code", "refresh_token"]);
    assert!(
        server
            .requests()
            .iter()
            .filter(|r| r.path == "/api/token")
            .all(|r| r.method == "POST")
    );
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(client.token_file()).unwrap()).unwrap();
    assert_eq!(saved["kind"], "user");
    assert_eq!(
        saved["refresh_token"], REFRESH,
        "the refresh token kept when the answer has none"
    );
    assert_no_secret(&format!("{client:?}"));
}

// ---------------------------------------------------------------------------------------------
// ReccoBeats

use listening::online::reccobeats::{self, ReccoBeats};

/// A Spotify-like id number `i` (22 letters and digits).
fn sp_id(i: usize) -> String {
    format!("Sp{i:020}")
}

/// What the test server holds for a Spotify id: features derived from its number, so a value
/// tells which id it belongs to.
fn recco_item(i: usize) -> Value {
    json!({
        "id": format!("rb-uuid-{i}"),
        "href": format!("https://open.spotify.com/track/{}", sp_id(i)),
        "isrc": format!("ISRC{i:08}"),
        "acousticness": i as f64 / 1000.0,
        "danceability": 0.5,
        "energy": 1.0 - i as f64 / 1000.0,
        "instrumentalness": 0.0,
        "key": (i % 12) as i64,
        "liveness": 0.1,
        "loudness": -(i as f64) / 10.0,
        "mode": (i % 2) as i64,
        "speechiness": 0.05,
        "tempo": 60.0 + i as f64,
        "valence": 0.25,
    })
}

/// Faults by request number (1-based), then a healthy answer that omits the ids in `absent`,
/// lists the items in reverse (so position never tells), and adds an item for an id not asked.
struct ReccoState {
    faults: Mutex<HashMap<usize, Reply>>,
    calls: Mutex<usize>,
    absent: Vec<usize>,
    /// Answer 500 to every request from this number on (an outage).
    down_from: Option<usize>,
}

fn recco_server(state: Arc<ReccoState>) -> Server {
    Server::start(Arc::new(move |r: &Req| {
        let n = {
            let mut c = state.calls.lock().unwrap();
            *c += 1;
            *c
        };
        if let Some(f) = state.faults.lock().unwrap().remove(&n) {
            return f;
        }
        if state.down_from.is_some_and(|d| n >= d) {
            return Reply::Json(500, json!({"error": "down"}), vec![]);
        }
        if r.path != "/v1/audio-features" {
            return Reply::Json(404, json!({"error": "no such path"}), vec![]);
        }
        let ids: Vec<usize> = r.query["ids"]
            .split(',')
            .map(|id| id.trim_start_matches("Sp").parse().unwrap())
            .collect();
        let mut content: Vec<Value> = ids
            .iter()
            .filter(|i| !state.absent.contains(i))
            .map(|&i| recco_item(i))
            .collect();
        content.reverse();
        content.push(recco_item(999_999));
        ok(json!({ "content": content }))
    }))
}

fn recco_state(faults: Vec<(usize, Reply)>, absent: Vec<usize>) -> Arc<ReccoState> {
    Arc::new(ReccoState {
        faults: Mutex::new(faults.into_iter().collect()),
        calls: Mutex::new(0),
        absent,
        down_from: None,
    })
}

fn recco_client(server: &Server, cache: &std::path::Path) -> ReccoBeats {
    ReccoBeats::new()
        .unwrap()
        .with_base_url(format!("{}/v1/", server.base))
        .with_cache_dir(cache)
        .with_http(quick())
        .unwrap()
}

/// Every row's values are those of the id in its `track_id`.
fn assert_rows_match_ids(df: &DataFrame) {
    let ids = df.column("track_id").unwrap().str().unwrap().clone();
    let tempo = df.column("tempo").unwrap().f64().unwrap().clone();
    let key = df.column("key").unwrap().i64().unwrap().clone();
    let rb = df
        .column(reccobeats::RECCOBEATS_ID)
        .unwrap()
        .str()
        .unwrap()
        .clone();
    for i in 0..df.height() {
        let n: usize = ids.get(i).unwrap()[2..].parse().unwrap();
        assert_eq!(tempo.get(i), Some(60.0 + n as f64), "row {i}");
        assert_eq!(key.get(i), Some((n % 12) as i64), "row {i}");
        assert_eq!(rb.get(i), Some(format!("rb-uuid-{n}").as_str()), "row {i}");
    }
}

#[test]
fn reccobeats_batches_of_40_through_every_fault_matched_by_href_then_cached() {
    let faults = vec![
        (
            1,
            Reply::Json(429, json!({}), vec![("Retry-After", "1".into())]),
        ),
        (2, Reply::Json(503, json!({}), vec![])),
        (4, Reply::Truncated),
        (
            5,
            Reply::Slow(Duration::from_millis(1500), json!({"content": []})),
        ),
        (7, Reply::Reset),
        (8, Reply::Json(200, json!({"no": "content"}), vec![])),
    ];
    let absent = vec![3, 41, 94];
    let server = recco_server(recco_state(faults, absent.clone()));
    let cache = temp_dir("recco-faults");
    let client = recco_client(&server, &cache);
    // 95 distinct ids, one repeated and one given as a URI: 3 batches (40, 40, 15).
    let mut ids: Vec<String> = (0..95).map(sp_id).collect();
    ids.push(sp_id(10));
    ids[20] = format!("spotify:track:{}", sp_id(20));
    let began = Instant::now();
    let got = client.audio_features(&ids).unwrap();
    assert!(
        began.elapsed() >= Duration::from_secs(1),
        "Retry-After not waited"
    );
    assert_eq!(got.df.height(), 92);
    assert_eq!(
        got.missing,
        absent.iter().map(|&i| sp_id(i)).collect::<Vec<_>>()
    );
    assert_rows_match_ids(&got.df);
    // Rows in the order asked, though the answers list them in reverse.
    let first: Vec<String> = got
        .df
        .column("track_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .take(3)
        .map(|s| s.unwrap().to_string())
        .collect();
    assert_eq!(first, vec![sp_id(0), sp_id(1), sp_id(2)]);
    // The item for an id not asked is set apart in each of the 3 batches, never used.
    assert_eq!(got.set_apart.len(), 3);
    assert!(
        got.set_apart[0].contains("not asked"),
        "{:?}",
        got.set_apart
    );
    let reqs = server.requests();
    // 3 batches + 6 faulty answers retried.
    assert_eq!(reqs.len(), 9);
    let sizes: Vec<usize> = reqs
        .iter()
        .map(|r| r.query["ids"].split(',').count())
        .collect();
    assert!(sizes.iter().all(|&s| s == 40 || s == 15), "{sizes:?}");
    // A second call is served by the cache.
    let again = client.audio_features(&ids).unwrap();
    assert_eq!(server.requests().len(), 9);
    assert_eq!(again.df, got.df);
    // time_signature is not sent: null; ISRC kept.
    assert_eq!(got.df.column("time_signature").unwrap().null_count(), 92);
    assert_eq!(got.df.column(reccobeats::ISRC).unwrap().null_count(), 0);
}

#[test]
fn reccobeats_interrupted_run_resumes_with_the_batches_not_cached() {
    let cache = temp_dir("recco-resume");
    let ids: Vec<String> = (0..100).map(sp_id).collect();
    // The service goes down after the first batch: the run fails naming the request.
    let state = Arc::new(ReccoState {
        faults: Mutex::new(HashMap::new()),
        calls: Mutex::new(0),
        absent: vec![],
        down_from: Some(2),
    });
    let down = recco_server(state);
    let e = recco_client(&down, &cache)
        .audio_features(&ids)
        .unwrap_err();
    match &e {
        Error::Retries {
            service,
            url,
            attempts,
            last,
        } => {
            assert_eq!(service, "reccobeats");
            assert!(url.starts_with("/v1/audio-features?ids="), "{url}");
            assert_eq!(*attempts, ATTEMPTS);
            assert_eq!(*last, Fault::Status { status: 500 });
        }
        e => panic!("{e}"),
    }
    assert_eq!(down.requests().len(), 1 + ATTEMPTS as usize);
    // Back up: only batches 2 and 3 are asked.
    let up = recco_server(recco_state(vec![], vec![]));
    let got = recco_client(&up, &cache).audio_features(&ids).unwrap();
    assert_eq!(up.requests().len(), 2);
    assert_eq!(got.df.height(), 100);
    assert!(got.missing.is_empty());
    assert_rows_match_ids(&got.df);
}

#[test]
fn reccobeats_long_retry_after_bad_ids_and_4xx_fail_at_once() {
    let cache = temp_dir("recco-fail");
    let server = recco_server(recco_state(
        vec![(
            1,
            Reply::Json(429, json!({}), vec![("Retry-After", "3600".into())]),
        )],
        vec![],
    ));
    let client = recco_client(&server, &cache);
    let e = client.audio_features(&[sp_id(1)]).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Retries {
                last: Fault::RetryAfterTooLong { seconds: 3600 },
                attempts: 1,
                ..
            }
        ),
        "{e}"
    );
    // An id that is no Spotify id: a parameter error, no request.
    let n = server.requests().len();
    let e = client
        .audio_features(&[sp_id(1), "not an id".to_string()])
        .unwrap_err();
    assert!(
        matches!(&e, Error::Parameter { name, .. } if name == "ids"),
        "{e}"
    );
    assert_eq!(server.requests().len(), n);
    // A 404 (wrong base URL) is not retried.
    let wrong = ReccoBeats::new()
        .unwrap()
        .with_base_url(format!("{}/v2/", server.base))
        .with_cache_dir(&cache)
        .with_http(quick())
        .unwrap();
    let e = wrong.audio_features(&[sp_id(2)]).unwrap_err();
    assert!(matches!(&e, Error::HttpStatus { status: 404, .. }), "{e}");
    assert_eq!(server.requests().len(), n + 1);
    assert!(ReccoBeats::new().unwrap().batch_size(41).is_err());
    assert!(ReccoBeats::new().unwrap().batch_size(0).is_err());
}
