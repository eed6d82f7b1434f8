//! Forwarding to the upstream: the request as it came (hop-by-hop headers
//! apart), the answer read whole within a deadline and a size limit. A
//! redirect is never followed, so the credentials never leave for another
//! host; every way the upstream can fail is an [`UpstreamFailure`], which
//! the client receives as a `502` or `504` with a JSON `{"message"}`.
//!
//! The upstream is called with hyper's own client (HTTPS through rustls, or
//! plain HTTP to a loopback upstream): it has no redirect logic to switch
//! off, and it costs a few microseconds less per call than reqwest, which
//! matters for a proxy measured against direct calls to a local mock
//! (`BENCHMARKS.md`, section 8).

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use url::Url;

/// HTTPS, or plain HTTP (accepted only for a loopback upstream, see `ProxyConfig`).
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Headers that belong to one connection, never forwarded (RFC 9110, 7.6.1).
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The upstream's answer, read whole.
#[derive(Debug)]
pub struct Answer {
    /// Its status.
    pub status: StatusCode,
    /// Its headers (hop-by-hop ones removed).
    pub headers: HeaderMap,
    /// Its body, exactly as sent.
    pub body: Bytes,
}

/// Why the upstream gave no usable answer. Messages name what happened,
/// never a header or body value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamFailure {
    /// No answer within the deadline (connecting, or a body trickling in).
    #[error("the upstream did not answer within {} s", .0.as_secs_f64())]
    Timeout(Duration),
    /// The answer's body is larger than the limit.
    #[error("the upstream's answer is larger than {0} bytes, the proxy's limit")]
    TooLarge(usize),
    /// A redirect, which the proxy does not follow.
    #[error("the upstream answered {status} with a redirect{}; the proxy does not follow redirects, so the credentials are not sent elsewhere", .target_host.as_ref().map(|host| format!(" to the host {host}")).unwrap_or_default())]
    Redirect {
        /// The status (301, 302, 303, 307, 308).
        status: u16,
        /// The host the redirect points to, if it names one.
        target_host: Option<String>,
    },
    /// The connection failed or closed before the answer was complete.
    #[error("the upstream {0}")]
    Connection(String),
}

impl UpstreamFailure {
    /// The status the client receives: `504` for a timeout, `502` otherwise.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            _ => StatusCode::BAD_GATEWAY,
        }
    }
}

/// Sends requests to one upstream.
#[derive(Debug, Clone)]
pub struct Upstream {
    http: Client<Connector, Full<Bytes>>,
    base: Url,
    timeout: Duration,
    max_body_bytes: usize,
}

/// A request to forward.
#[derive(Debug)]
pub struct Outgoing<'a> {
    /// Its method.
    pub method: &'a Method,
    /// Its path, appended to the upstream URL's path.
    pub path: &'a str,
    /// Its raw query, if any.
    pub query: Option<&'a str>,
    /// Its headers, as received.
    pub headers: &'a HeaderMap,
    /// Its body, as received.
    pub body: Bytes,
}

impl Upstream {
    /// A client for `base` (already checked), with these limits.
    pub fn new(base: Url, timeout: Duration, connect_timeout: Duration, max_body_bytes: usize) -> Result<Self, String> {
        let mut tls = crate::state::delivery::tls_config().map_err(|error| format!("TLS settings: {error}"))?;
        // The connector sets the protocols it speaks (HTTP/1.1) itself.
        tls.alpn_protocols.clear();
        let mut connector = HttpConnector::new();
        connector.enforce_http(false);
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(connect_timeout));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(connector);
        // A redirect is an answer like any other: this client never follows one.
        let http = Client::builder(TokioExecutor::new()).build(connector);
        Ok(Self {
            http,
            base,
            timeout,
            max_body_bytes,
        })
    }

    /// The largest body the proxy reads, in either direction.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// Forwards `outgoing` and reads the answer, within the deadline.
    pub async fn forward(&self, outgoing: Outgoing<'_>) -> Result<Answer, UpstreamFailure> {
        match tokio::time::timeout(self.timeout, self.exchange(outgoing)).await {
            Ok(result) => result,
            Err(_) => Err(UpstreamFailure::Timeout(self.timeout)),
        }
    }

    async fn exchange(&self, outgoing: Outgoing<'_>) -> Result<Answer, UpstreamFailure> {
        let mut url = self.base.clone();
        let path = format!("{}{}", self.base.path().trim_end_matches('/'), outgoing.path);
        url.set_path(&path);
        url.set_query(outgoing.query);
        let mut headers = outgoing.headers.clone();
        strip_hop_by_hop(&mut headers);
        headers.remove(header::HOST);
        headers.remove(header::CONTENT_LENGTH);
        let mut request = hyper::Request::new(Full::new(outgoing.body));
        *request.method_mut() = outgoing.method.clone();
        *request.uri_mut() = url
            .as_str()
            .parse()
            .map_err(|_| UpstreamFailure::Connection("has a URL that is not an HTTP target".to_owned()))?;
        *request.headers_mut() = headers;
        let response = self.http.request(request).await.map_err(|error| {
            UpstreamFailure::Connection(
                if error.is_connect() {
                    "could not be reached"
                } else {
                    "closed the connection without a complete answer"
                }
                .to_owned(),
            )
        })?;
        let (parts, mut incoming) = response.into_parts();
        let status = parts.status;
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let target_host = parts
                .headers
                .get(header::LOCATION)
                .and_then(|location| location.to_str().ok())
                .and_then(|location| self.base.join(location).ok())
                .and_then(|target| target.host_str().map(str::to_owned));
            return Err(UpstreamFailure::Redirect {
                status: status.as_u16(),
                target_host,
            });
        }
        let announced = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|length| length.to_str().ok())
            .and_then(|length| length.parse::<usize>().ok());
        if announced.is_some_and(|length| length > self.max_body_bytes) {
            return Err(UpstreamFailure::TooLarge(self.max_body_bytes));
        }
        // A body that comes in one chunk is kept as it came; one in several
        // is joined once, in a buffer of the announced length.
        let mut first: Option<Bytes> = None;
        let mut joined: Vec<u8> = Vec::new();
        let mut length = 0;
        while let Some(frame) = incoming.frame().await {
            let frame = frame.map_err(|_| {
                UpstreamFailure::Connection("closed the connection before the end of its answer".to_owned())
            })?;
            let Ok(chunk) = frame.into_data() else {
                continue;
            };
            length += chunk.len();
            if length > self.max_body_bytes {
                return Err(UpstreamFailure::TooLarge(self.max_body_bytes));
            }
            match first.take() {
                None if joined.is_empty() => first = Some(chunk),
                None => joined.extend_from_slice(&chunk),
                Some(previous) => {
                    joined.reserve(announced.unwrap_or(0).max(length));
                    joined.extend_from_slice(&previous);
                    joined.extend_from_slice(&chunk);
                }
            }
        }
        let mut headers = parts.headers;
        strip_hop_by_hop(&mut headers);
        Ok(Answer {
            status,
            headers,
            body: first.unwrap_or_else(|| Bytes::from(joined)),
        })
    }
}

/// Removes the hop-by-hop headers, and those `Connection` names.
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in HOP_BY_HOP {
        headers.remove(name);
    }
}
