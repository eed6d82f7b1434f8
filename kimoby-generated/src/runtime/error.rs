//! The one error type of the client runtime.
//!
//! Every variant that comes from a request carries a [`RequestContext`]:
//! the operation id, the HTTP method, the path relative to the base URL
//! (never the query string, which can hold phone numbers, and never the
//! credentials, which only travel in the `Authorization` header) and how many
//! attempts were made. Server messages are kept as the server wrote them, cut
//! to a sane length.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::method::Method;

/// Where a failed request was going: operation, method, path and attempts.
///
/// The path is the one the generated code asked for, relative to the base
/// URL, without the query string. It holds no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    operation_id: &'static str,
    method: Method,
    path: String,
    attempts: u32,
}

impl RequestContext {
    /// The context of a request that failed after `attempts` attempts. Built
    /// only when an error needs it: a successful request copies no path.
    pub(crate) fn new(operation_id: &'static str, method: Method, path: &str, attempts: u32) -> Self {
        Self {
            operation_id,
            method,
            path: path.to_owned(),
            attempts,
        }
    }

    /// The operation id from the manifest, e.g. `list_customers`.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path relative to the base URL, percent-encoded, without query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// How many times the request was sent (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.operation_id, self.method, self.path)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

/// Why a request was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidRequestReason {
    /// An integer parameter outside the bounds its schema gives (a page
    /// number below the first page, a page size above the largest).
    OutOfRange {
        /// The parameter's name on the wire.
        parameter: &'static str,
        /// The value that was given.
        value: i128,
        /// The smallest accepted value, if any.
        minimum: Option<i128>,
        /// The largest accepted value, if any.
        maximum: Option<i128>,
    },
    /// The base URL is not `https`, and plain HTTP was not allowed for tests.
    InsecureBaseUrl {
        /// The scheme that was given.
        scheme: String,
    },
    /// Plain HTTP was allowed for tests, but the host is not a loopback one.
    InsecureHostNotLoopback {
        /// The host that was given.
        host: String,
    },
    /// The base URL cannot be used (unparsable, credentials, query...).
    BaseUrl(String),
    /// The request path is not a valid, encoded, absolute path.
    Path(String),
    /// The request body could not be encoded.
    Body(String),
    /// A client setting is invalid (user agent, HTTP client construction).
    Config(String),
    /// A value refused by a validated request type (`PhoneNumber`,
    /// `MessageRequestBody`, …), when building it with `?` in a function that
    /// returns [`Error`].
    Value(String),
}

impl fmt::Display for InvalidRequestReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfRange {
                parameter,
                value,
                minimum,
                maximum,
            } => match (minimum, maximum) {
                (Some(minimum), Some(maximum)) => {
                    write!(f, "{parameter} must be between {minimum} and {maximum}, got {value}")
                }
                (Some(minimum), None) => write!(f, "{parameter} must be {minimum} or more, got {value}"),
                (None, Some(maximum)) => write!(f, "{parameter} must be {maximum} or less, got {value}"),
                (None, None) => write!(f, "{parameter} is out of range, got {value}"),
            },
            Self::InsecureBaseUrl { scheme } => write!(
                f,
                "base URL scheme is `{scheme}`, not `https`: the \
                 credentials would travel in clear text (tests against a local server can opt in \
                 with ClientBuilder::allow_insecure_http_for_testing)"
            ),
            Self::InsecureHostNotLoopback { host } => write!(
                f,
                "plain HTTP is allowed for testing only with a loopback host \
                 (localhost, 127.0.0.0/8, [::1]), not `{host}`"
            ),
            Self::BaseUrl(why) => write!(f, "invalid base URL: {why}"),
            Self::Path(why) => write!(f, "invalid path: {why}"),
            Self::Body(why) => write!(f, "invalid body: {why}"),
            Self::Config(why) => write!(f, "invalid client configuration: {why}"),
            Self::Value(why) => write!(f, "invalid value: {why}"),
        }
    }
}

/// Everything that can go wrong when calling the Kimoby API.
///
/// Each variant's `Display` names the operation, method and path (see
/// [`RequestContext`]), the HTTP status and the server's message when there
/// is one. Credentials never appear in an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the request with a 4xx other than 401, 404 and
    /// 429; `message` is the `message` of its JSON error body.
    #[error("{request}: rejected with HTTP {status}: {message}")]
    Api {
        /// The request that failed.
        request: RequestContext,
        /// HTTP status code (400, 403, 422...).
        status: u16,
        /// The server's message, or a description of the body it sent.
        message: String,
    },
    /// HTTP 401: the API key or secret is wrong.
    #[error("{request}: unauthorized (HTTP 401), check the API key and secret: {message}")]
    Unauthorized {
        /// The request that failed.
        request: RequestContext,
        /// The server's message.
        message: String,
    },
    /// HTTP 404: no such resource.
    #[error("{request}: not found (HTTP 404): {message}")]
    NotFound {
        /// The request that failed.
        request: RequestContext,
        /// The server's message.
        message: String,
    },
    /// HTTP 429, once retries (if any) were used up or the server asked to
    /// wait longer than [`RetryPolicy::with_max_retry_after`](super::RetryPolicy::max_retry_after).
    #[error("{request}: rate limited (HTTP 429){}: {message}", RetryAfter(*retry_after))]
    RateLimited {
        /// The request that failed.
        request: RequestContext,
        /// The server's `Retry-After`, when it sent a valid one.
        retry_after: Option<Duration>,
        /// The server's message.
        message: String,
    },
    /// HTTP 5xx: something went wrong on Kimoby's side.
    #[error("{request}: server error (HTTP {status}): {message}")]
    Server {
        /// The request that failed.
        request: RequestContext,
        /// HTTP status code (500, 502, 503, 504...).
        status: u16,
        /// The server's message, or a description of the (maybe HTML) body.
        message: String,
    },
    /// A status the API does not document (1xx, 3xx: redirects are not
    /// followed, as they would carry the credentials elsewhere).
    #[error("{request}: unexpected HTTP {status}: {message}")]
    UnexpectedStatus {
        /// The request that failed.
        request: RequestContext,
        /// HTTP status code.
        status: u16,
        /// A description of the response.
        message: String,
    },
    /// The connection failed: DNS, refused, reset, closed mid-response, TLS.
    #[error("{request}: connection failed: {}", Innermost(source))]
    Transport {
        /// The request that failed.
        request: RequestContext,
        /// The underlying error (its URL removed).
        source: reqwest::Error,
    },
    /// No complete response within the configured timeout.
    #[error("{request}: timed out waiting for the response")]
    Timeout {
        /// The request that failed.
        request: RequestContext,
        /// The underlying error (its URL removed).
        source: reqwest::Error,
    },
    /// A 2xx response whose body is not the expected JSON.
    #[error("{request}: cannot decode the HTTP {status} response body: {source}")]
    Decode {
        /// The request that failed.
        request: RequestContext,
        /// HTTP status code.
        status: u16,
        /// The raw body, lossily decoded as UTF-8 and cut to 64 KiB.
        body: String,
        /// What serde_json found wrong.
        source: serde_json::Error,
    },
    /// The response body was larger than the client accepts.
    #[error("{request}: HTTP {status} response body is larger than {limit} bytes")]
    ResponseTooLarge {
        /// The request that failed.
        request: RequestContext,
        /// HTTP status code.
        status: u16,
        /// The limit, see [`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes).
        limit: usize,
    },
    /// Refused before sending anything: bad `page`/`per_page`, insecure base
    /// URL, malformed path or body, invalid configuration.
    #[error("{}invalid request: {reason}", Prefix(*operation_id))]
    InvalidRequest {
        /// The operation, when the request was for one.
        operation_id: Option<&'static str>,
        /// What is wrong.
        reason: InvalidRequestReason,
    },
    /// A file to upload could not be read (see
    /// [`MultipartFile::from_path`](super::MultipartFile::from_path));
    /// nothing was sent. `source.kind()` tells a missing file
    /// ([`NotFound`](std::io::ErrorKind::NotFound)) from a refused one
    /// ([`PermissionDenied`](std::io::ErrorKind::PermissionDenied)).
    #[error("cannot read the file to upload `{}`: {source}", path.display())]
    ReadFile {
        /// The path that was given.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A paginated list reported page counts that cannot be followed safely
    /// (page number mismatch, page count jumping, empty page before the
    /// last). The stream ends after this error.
    #[error("{operation_id}: inconsistent pagination at page {page}: {reason}")]
    Pagination {
        /// The list operation.
        operation_id: &'static str,
        /// The page that was requested.
        page: i128,
        /// What was inconsistent.
        reason: String,
    },
}

impl Error {
    pub(crate) fn invalid(operation_id: Option<&'static str>, reason: InvalidRequestReason) -> Self {
        Self::InvalidRequest { operation_id, reason }
    }

    /// The request the error belongs to, when it was sent.
    pub fn request(&self) -> Option<&RequestContext> {
        match self {
            Self::Api { request, .. }
            | Self::Unauthorized { request, .. }
            | Self::NotFound { request, .. }
            | Self::RateLimited { request, .. }
            | Self::Server { request, .. }
            | Self::UnexpectedStatus { request, .. }
            | Self::Transport { request, .. }
            | Self::Timeout { request, .. }
            | Self::Decode { request, .. }
            | Self::ResponseTooLarge { request, .. } => Some(request),
            Self::InvalidRequest { .. } | Self::ReadFile { .. } | Self::Pagination { .. } => None,
        }
    }

    /// The operation id, when known.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Self::InvalidRequest { operation_id, .. } => *operation_id,
            Self::Pagination { operation_id, .. } => Some(operation_id),
            other => other.request().map(RequestContext::operation_id),
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. }
            | Self::Server { status, .. }
            | Self::UnexpectedStatus { status, .. }
            | Self::Decode { status, .. }
            | Self::ResponseTooLarge { status, .. } => Some(*status),
            Self::Unauthorized { .. } => Some(401),
            Self::NotFound { .. } => Some(404),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }
}

/// ` (retry after 3s)` or nothing.
struct RetryAfter(Option<Duration>);

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(d) => write!(f, ", retry after {:.3}s", d.as_secs_f64()),
            None => Ok(()),
        }
    }
}

/// `op: ` or nothing.
struct Prefix(Option<&'static str>);

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(op) => write!(f, "{op}: "),
            None => Ok(()),
        }
    }
}

/// The error and its innermost cause ("error sending request: connection
/// refused"): reqwest's own message alone says little.
struct Innermost<'a>(&'a reqwest::Error);

impl fmt::Display for Innermost<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(self.0);
        let mut innermost = None;
        while let Some(err) = cause {
            innermost = Some(err);
            cause = err.source();
        }
        if let Some(err) = innermost {
            write!(f, ": {err}")?;
        }
        Ok(())
    }
}

impl From<crate::types::error::ConversionError> for Error {
    /// A refused request value (`"+1".parse::<PhoneNumber>()?`) as an
    /// [`Error::InvalidRequest`]: nothing was sent.
    fn from(error: crate::types::error::ConversionError) -> Self {
        Error::invalid(None, InvalidRequestReason::Value(error.to_string()))
    }
}
