//! The one HTTP layer both clients use: pacing, timeout, retries with backoff, Retry-After, and
//! faults classified into [`Fault`]s that never carry a URL's secret parameters.

use super::Secret;
use crate::error::{Error, Fault, Result};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// How the online clients behave on the network.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Sent with every request so the services can tell who is calling.
    pub user_agent: String,
    /// Longest wait for one whole response (headers and body).
    pub timeout: Duration,
    /// Shortest time between the starts of two requests (Last.fm asks for at most 5 a second).
    pub min_interval: Duration,
    /// Attempts per request before [`Error::Retries`].
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one, up to `max_backoff`.
    pub backoff: Duration,
    /// Longest wait between retries chosen by the client.
    pub max_backoff: Duration,
    /// Longest Retry-After the client honours by waiting; a longer one is an error.
    pub max_retry_after: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            user_agent: format!(
                "listening/{} (+https://github.com/; music listening study in notebooks)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(30),
            min_interval: Duration::from_millis(250),
            max_attempts: 5,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// An answer with its status, Retry-After (seconds form) and whole body.
pub(crate) struct Answer {
    pub status: u16,
    pub retry_after: Option<u64>,
    pub body: String,
}

/// What the service's reading of an [`Answer`] decides.
pub(crate) enum Verdict<T> {
    /// The value wanted.
    Done(T),
    /// A temporary fault: try again after the backoff (or `wait`).
    Retry(Fault),
    /// A lasting error: give up now.
    Fail(Error),
}

/// A request: its full URL (which may hold a key), the form it shows in errors, and its body.
pub(crate) struct Request<'a> {
    pub url: String,
    pub shown: String,
    pub form: Option<Vec<(&'a str, String)>>,
    pub bearer: Option<&'a Secret>,
    pub basic: Option<(&'a str, &'a Secret)>,
}

impl<'a> Request<'a> {
    /// A GET of `url`, shown in errors as `shown`.
    pub fn get(url: String, shown: String) -> Self {
        Request {
            url,
            shown,
            form: None,
            bearer: None,
            basic: None,
        }
    }
}

/// A paced, retrying blocking HTTP client for one service.
pub(crate) struct Http {
    client: reqwest::blocking::Client,
    pub config: HttpConfig,
    service: &'static str,
    last_start: Cell<Option<Instant>>,
}

impl Http {
    pub fn new(service: &'static str, config: HttpConfig) -> Result<Self> {
        let client = reqwest::blocking::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|e| {
                Error::Environment(format!("cannot start the HTTP client: {}", e.without_url()))
            })?;
        Ok(Http {
            client,
            config,
            service,
            last_start: Cell::new(None),
        })
    }

    /// Sends `req` until `read` decides, retrying temporary faults with backoff.
    pub fn send<T>(&self, req: &Request, read: impl Fn(Answer) -> Verdict<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let verdict = match self.attempt(req) {
                Ok(answer) => self.judge(answer, &read),
                Err(fault) => Verdict::Retry(fault),
            };
            let fault = match verdict {
                Verdict::Done(v) => return Ok(v),
                Verdict::Fail(e) => return Err(e),
                Verdict::Retry(f) => f,
            };
            let wait = self.wait_for(&fault, attempt);
            if attempt >= self.config.max_attempts || wait.is_none() {
                return Err(Error::Retries {
                    service: self.service.to_string(),
                    url: req.shown.clone(),
                    attempts: attempt,
                    last: fault,
                });
            }
            std::thread::sleep(wait.unwrap_or_default());
        }
    }

    /// 429 and 5xx are retried here; everything else goes to the service's reader.
    fn judge<T>(&self, a: Answer, read: &impl Fn(Answer) -> Verdict<T>) -> Verdict<T> {
        match a.status {
            429 => {
                let limit = self.config.max_retry_after.as_secs();
                match a.retry_after {
                    Some(s) if s > limit => Verdict::Retry(Fault::RetryAfterTooLong { seconds: s }),
                    Some(s) => Verdict::Retry(Fault::RetryAfter { seconds: s }),
                    None => Verdict::Retry(Fault::Status { status: 429 }),
                }
            }
            500..=599 => Verdict::Retry(Fault::Status { status: a.status }),
            _ => read(a),
        }
    }

    /// How long to wait before the next attempt; `None` when waiting is pointless.
    fn wait_for(&self, fault: &Fault, attempt: u32) -> Option<Duration> {
        match fault {
            Fault::RetryAfterTooLong { .. } => None,
            Fault::RetryAfter { seconds } => Some(Duration::from_secs(*seconds)),
            _ => {
                let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
                Some(
                    self.config
                        .backoff
                        .saturating_mul(factor)
                        .min(self.config.max_backoff),
                )
            }
        }
    }

    /// One paced attempt: the answer, or the network fault.
    fn attempt(&self, req: &Request) -> std::result::Result<Answer, Fault> {
        if let Some(last) = self.last_start.get() {
            let next = last + self.config.min_interval;
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            }
        }
        self.last_start.set(Some(Instant::now()));
        let mut builder = match &req.form {
            Some(form) => self.client.post(&req.url).form(form),
            None => self.client.get(&req.url),
        };
        if let Some(token) = req.bearer {
            builder = builder.bearer_auth(token.expose());
        }
        if let Some((id, secret)) = req.basic {
            builder = builder.basic_auth(id, Some(secret.expose()));
        }
        let response = builder.send().map_err(|e| fault_of(&e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = response.text().map_err(|e| match fault_of(&e) {
            Fault::Timeout => Fault::Timeout,
            _ => Fault::Truncated {
                detail: describe(&e),
            },
        })?;
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }
}

/// The fault behind a reqwest error.
fn fault_of(e: &reqwest::Error) -> Fault {
    if e.is_timeout() {
        Fault::Timeout
    } else if e.is_connect() {
        Fault::Connect
    } else if e.is_body() || e.is_decode() {
        Fault::Truncated {
            detail: describe(e),
        }
    } else {
        Fault::Reset
    }
}

/// A reqwest error and its causes, without the URL (which may hold a key).
fn describe(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        "body error".to_string()
    } else {
        parts.join(": ")
    }
}
