//! The crate's one error type.

use std::path::PathBuf;

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `listening`. Messages are lowercase and name the file, line
/// or column concerned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A gzip file is truncated or corrupt.
    #[error("{path}: truncated or corrupt gzip data ({detail})")]
    Gzip { path: PathBuf, detail: String },
    /// A row or value of an input file could not be parsed.
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        /// 1-based line number in the file (for JSON arrays, the 1-based element index is in the message).
        line: u64,
        message: String,
    },
    /// A record of a JSON array could not be read.
    #[error("{path}: record {index}: {message}")]
    Record {
        path: PathBuf,
        /// 1-based position of the record in the file's array.
        index: usize,
        message: String,
    },
    /// A column the format needs is not in the file's header.
    #[error("{path}: missing column `{column}` (header has: {found})")]
    MissingColumn {
        path: PathBuf,
        column: String,
        found: String,
    },
    /// The file is not of the kind the loader reads.
    #[error("{path}: not a {expected} file: {detail}")]
    WrongFormat {
        path: PathBuf,
        expected: String,
        detail: String,
    },
    /// The file (or every file of a folder) holds no rows.
    #[error("{path}: empty file, no rows to load")]
    Empty { path: PathBuf },
    /// A folder holds no file the loader reads.
    #[error("{path}: no {pattern} files in this folder")]
    NoFiles { path: PathBuf, pattern: String },
    /// A DataFrame lacks a column an analysis needs.
    #[error("missing column `{column}` in {table} (columns: {found})")]
    Column {
        table: String,
        column: String,
        found: String,
    },
    /// A dataset of the registry is unknown, absent or corrupt.
    #[error("dataset `{name}`: {message}")]
    Dataset { name: String, message: String },
    /// An HTTP request failed.
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    /// An argument is out of its allowed range (older code; new code uses [`Error::Parameter`]).
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
    /// A named parameter has a value outside its range.
    #[error("parameter `{name}` = {value}: {expected}")]
    Parameter {
        name: String,
        value: String,
        expected: String,
    },
    /// Features, labels or targets that do not fit together (row counts, feature counts).
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// A feature value that is NaN or infinite, named by row and column.
    #[error("feature `{column}` of row {row} is {value}: models need finite numbers")]
    NonFinite {
        row: usize,
        column: String,
        value: f64,
    },
    /// A class label the model did not see in training, or labels with no rows at all.
    #[error("labels: {0}")]
    Labels(String),
    /// A chart could not be drawn.
    #[error("plot: {0}")]
    Plot(String),
    /// The notebook environment is not set up as the crate needs (see `kernel::check`).
    #[error("{0}")]
    Environment(String),
    /// polars refused an operation.
    #[error("polars: {0}")]
    Polars(#[from] polars::error::PolarsError),
    /// An online request (feature `online`) kept failing until its retries ran out. `url` is the
    /// request's path and public parameters, never a key or token.
    #[error("{service} {url}: gave up after {attempts} attempts, last: {last}")]
    Retries {
        service: String,
        url: String,
        attempts: u32,
        last: Fault,
    },
    /// An online service answered an HTTP error that retrying will not change (4xx but 429).
    #[error("{service} {url}: HTTP {status}: {message}")]
    HttpStatus {
        service: String,
        url: String,
        status: u16,
        message: String,
    },
    /// An online service's API answered one of its error codes (Last.fm's HTTP-200 error
    /// bodies) that retrying will not change: private profile, no such user, bad key.
    #[error("{service} {url}: API error {code}: {message}")]
    Api {
        service: String,
        url: String,
        code: i64,
        message: String,
    },
    /// Spotify refuses this endpoint to this app (HTTP 403): audio features, audio analysis and
    /// recommendations are closed to apps created after November 2024.
    #[error("{service} {url}: refused (HTTP 403): {reason}")]
    Refused {
        service: String,
        url: String,
        reason: String,
    },
    /// A key, secret or token the online clients need is not set.
    #[error("{name} is not set: {hint}")]
    MissingCredential { name: String, hint: String },
}

/// What went wrong with one attempt of an online request (see [`Error::Retries`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No answer within the timeout.
    Timeout,
    /// The connection could not be made.
    Connect,
    /// The connection was reset or closed before a whole response came.
    Reset,
    /// The body ended before its announced length, or is not the JSON the API sends.
    Truncated { detail: String },
    /// HTTP 429 or 5xx.
    Status { status: u16 },
    /// HTTP 429 with a Retry-After (seconds), waited before the next attempt.
    RetryAfter { seconds: u64 },
    /// HTTP 429 with a Retry-After longer than the client waits.
    RetryAfterTooLong { seconds: u64 },
    /// A temporary API error code (Last.fm 29 rate limit, 11 / 16 temporarily unavailable).
    Api { code: i64, message: String },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Timeout => write!(f, "no response within the timeout"),
            Fault::Connect => write!(f, "cannot connect"),
            Fault::Reset => write!(f, "connection reset or closed mid-response"),
            Fault::Truncated { detail } => write!(f, "truncated or malformed body ({detail})"),
            Fault::Status { status } => write!(f, "HTTP {status}"),
            Fault::RetryAfter { seconds } => write!(f, "HTTP 429, Retry-After {seconds} s"),
            Fault::RetryAfterTooLong { seconds } => {
                write!(
                    f,
                    "rate limited, Retry-After {seconds} s is longer than the client waits"
                )
            }
            Fault::Api { code, message } => write!(f, "API error {code}: {message}"),
        }
    }
}

impl Error {
    /// [`Error::Parameter`] for parameter `name` of value `value`, which should be `expected`.
    pub(crate) fn parameter(
        name: &str,
        value: impl std::fmt::Display,
        expected: impl Into<String>,
    ) -> Self {
        Error::Parameter {
            name: name.to_string(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn record(
        path: impl Into<PathBuf>,
        index: usize,
        message: impl Into<String>,
    ) -> Self {
        Error::Record {
            path: path.into(),
            index,
            message: message.into(),
        }
    }

    pub(crate) fn parse(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Self {
        Error::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}
