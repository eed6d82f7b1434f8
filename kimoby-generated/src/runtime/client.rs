//! [`Transport`], its [`ClientBuilder`], the API [`Credentials`], and
//! [`ApiClient`], the trait a generated client implements to be built by a
//! [`ClientBuilder`].
//!
//! A `Transport` is an `Arc` around the HTTP client and settings: clone it
//! freely (every operation builder of the generated code holds one). Its
//! `Debug` output, like that of [`ClientBuilder`] and [`Credentials`], shows
//! the API key but never the secret.
//!
//! Nothing here knows which API it talks to: the generated client passes the
//! default base URL (the manifest's first server) to [`ClientBuilder::new`].

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::HeaderValue;
use url::{Host, Url};

use super::error::{Error, InvalidRequestReason};
use super::retry::RetryPolicy;
use super::tls;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// A client type a [`ClientBuilder`] can build: the generated API client
/// (`kimoby_generated::Client`), which wraps a [`Transport`], or the
/// [`Transport`] itself for requests described by hand.
pub trait ApiClient: Sized {
    /// Wraps a ready transport.
    fn from_transport(transport: Transport) -> Self;
}

impl ApiClient for Transport {
    fn from_transport(transport: Transport) -> Self {
        transport
    }
}

/// An API key and secret, sent as HTTP Basic authentication.
///
/// `Debug` shows the key, never the secret:
///
/// ```
/// use kimoby_generated::runtime::Credentials;
/// let c = Credentials::new("key", "s3cret");
/// assert!(!format!("{c:?}").contains("s3cret"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    api_key: String,
    api_secret: String,
}

impl Credentials {
    /// The key and secret from the Kimoby account.
    pub fn new(api_key: impl Into<String>, api_secret: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            api_secret: api_secret.into(),
        }
    }

    /// The API key (the Basic auth user name).
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The `Authorization` header value, marked sensitive so that reqwest
    /// and `http` never print it.
    fn header(&self) -> Result<HeaderValue, InvalidRequestReason> {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", self.api_key, self.api_secret));
        let mut value = HeaderValue::try_from(format!("Basic {token}"))
            .map_err(|_| InvalidRequestReason::Config("unusable credentials".to_owned()))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &self.api_key)
            .field("api_secret", &"<redacted>")
            .finish()
    }
}

/// Settings for a client of type `C` (the generated
/// [`Client`](crate::Client), or a bare [`Transport`]).
///
/// ```no_run
/// use std::time::Duration;
/// use kimoby_generated::runtime::RetryPolicy;
///
/// let client = kimoby_generated::Client::builder("api-key", "api-secret")
///     .timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::default().with_max_retries(5))
///     .build()?;
/// # Ok::<(), kimoby_generated::runtime::Error>(())
/// ```
pub struct ClientBuilder<C> {
    credentials: Credentials,
    base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    allow_insecure_http: bool,
    max_response_bytes: usize,
    report_drift: bool,
    /// Where the drift report is written, if anywhere (feature `validate`).
    #[cfg_attr(not(feature = "validate"), allow(dead_code))]
    drift_report_path: Option<std::path::PathBuf>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client)
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("report_drift", &self.report_drift)
            .field("drift_report_path", &self.drift_report_path)
            .finish()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// A builder for `base_url` (the generated `Client::builder` passes the
    /// manifest's server), with a 30 s request timeout, a 10 s connect
    /// timeout, the default [`RetryPolicy`] and the user agent
    /// `kimoby-generated/<version>`.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>, api_secret: impl Into<String>) -> Self {
        Self {
            credentials: Credentials::new(api_key, api_secret),
            base_url: base_url.into(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("kimoby-generated/", env!("CARGO_PKG_VERSION")).to_owned(),
            http_client: None,
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            report_drift: false,
            drift_report_path: None,
            client: PhantomData,
        }
    }

    /// The API root, instead of the one given to [`new`](Self::new);
    /// request paths are appended to it. Must be `https` (see
    /// [`allow_insecure_http_for_testing`](Self::allow_insecure_http_for_testing))
    /// and hold no credentials, query or fragment.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The longest a whole request (connect, send, read the body) may take;
    /// each attempt gets the full time. 30 s by default. Applies to a client
    /// given with [`http_client`](Self::http_client) too. See
    /// [`no_timeout`](Self::no_timeout) to set none.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets no per-request timeout: a request waits for as long as the server
    /// takes to answer. The connect timeout still applies, and so does the
    /// timeout of a client given with [`http_client`](Self::http_client), if
    /// it has one.
    ///
    /// Each request then saves arming and cancelling a timer: one or two
    /// percent of a call to a server on the same machine
    /// (`benches/client.rs`), a negligible share of a call over a network.
    /// A server that accepts the connection and never answers then holds the
    /// call until the caller gives up, e.g. with `tokio::time::timeout`
    /// around it.
    ///
    /// ```no_run
    /// let client = kimoby_generated::Client::builder("api-key", "api-secret").no_timeout().build()?;
    /// # Ok::<(), kimoby_generated::runtime::Error>(())
    /// ```
    #[must_use]
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// The longest connecting may take. Ignored with
    /// [`http_client`](Self::http_client): configure that client instead.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header sent with every request.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses this reqwest client (proxies, custom roots, shared pool) instead
    /// of building one. Authentication, headers, the request timeout and
    /// retries still come from this builder. Such a client should not follow
    /// redirects (reqwest drops `Authorization` on a redirect to another
    /// host, but the runtime does not expect redirects at all).
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// How failed requests are retried; [`RetryPolicy::none`] turns it off.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body read for a successful request (32 MiB by
    /// default); a larger one is [`Error::ResponseTooLarge`]. Error bodies
    /// are always cut to 64 KiB.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks every success body against the strict schema of its
    /// operation as well, and emits a `tracing` warning (target
    /// `kimoby::drift`) for each departure: an unknown field, an unknown enum
    /// value, a `null`, ... naming the operation and the JSON pointer. The
    /// call still succeeds when the body decodes, so the warnings tell you
    /// that the API moved ahead of these schemas before anything breaks.
    /// Costs a parse and a validation of each body (see BENCHMARKS.md).
    #[cfg(feature = "validate")]
    #[cfg_attr(docsrs, doc(cfg(feature = "validate")))]
    #[must_use]
    pub fn report_drift(mut self, report: bool) -> Self {
        self.report_drift = report;
        self
    }

    /// Reports drift ([`report_drift`](Self::report_drift)) and also counts
    /// each departure in a JSON-lines report at `path`, rewritten after each
    /// new sighting: one record per distinct departure (operation, pointer,
    /// kind, observed JSON type and format; never a value) with its count
    /// and first and last time seen. It is the format `kimoby-mock proxy`
    /// writes, and `cargo xtask contract learn` turns it into schema edits.
    #[cfg(feature = "validate")]
    #[cfg_attr(docsrs, doc(cfg(feature = "validate")))]
    #[must_use]
    pub fn report_drift_to(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.report_drift = true;
        self.drift_report_path = Some(path.into());
        self
    }

    /// Allows an `http://` base URL, for tests against a local mock server.
    ///
    /// Without it, [`build`](Self::build) refuses any base URL that is not
    /// `https`, since the credentials would travel in clear text. Even with
    /// it, the host must be a loopback one (`localhost`, `127.0.0.0/8`,
    /// `[::1]`), so that a stray test setting can never send the credentials
    /// over a network in clear text.
    #[must_use]
    pub fn allow_insecure_http_for_testing(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::InvalidRequest`] on a base URL that is not
    /// `https` (unless allowed for tests), or that holds credentials, a
    /// query or a fragment; on a user agent that is not a valid header
    /// value; or when the HTTP client cannot be built.
    pub fn build(self) -> Result<C, Error> {
        let invalid = |reason| Error::invalid(None, reason);
        let base = check_base_url(&self.base_url, self.allow_insecure_http).map_err(invalid)?;
        let user_agent = HeaderValue::try_from(self.user_agent.as_str()).map_err(|_| {
            invalid(InvalidRequestReason::Config(
                "user agent is not a valid header value".to_owned(),
            ))
        })?;
        let authorization = self.credentials.header().map_err(invalid)?;
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let tls = tls::client_config().map_err(|e| invalid(InvalidRequestReason::Config(e)))?;
                reqwest::Client::builder()
                    .tls_backend_preconfigured(tls)
                    .redirect(reqwest::redirect::Policy::none())
                    .connect_timeout(self.connect_timeout)
                    .https_only(!self.allow_insecure_http)
                    .build()
                    .map_err(|e| invalid(InvalidRequestReason::Config(e.to_string())))?
            }
        };
        Ok(C::from_transport(Transport {
            inner: Arc::new(Inner {
                http,
                base_url: base.as_str().trim_end_matches('/').to_owned(),
                base,
                credentials: self.credentials,
                authorization,
                user_agent,
                timeout: self.timeout,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                report_drift: self.report_drift,
                #[cfg(feature = "validate")]
                drift_report: self.drift_report_path.map(super::drift::DriftReport::new),
            }),
        }))
    }
}

/// Accepts `https` anywhere, `http` only when allowed and on loopback;
/// returns the parsed URL.
fn check_base_url(raw: &str, allow_insecure: bool) -> Result<Url, InvalidRequestReason> {
    use InvalidRequestReason::{BaseUrl, InsecureBaseUrl, InsecureHostNotLoopback};
    let url = Url::parse(raw.trim()).map_err(|e| BaseUrl(e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BaseUrl(
            "must not hold credentials (they are sent in the Authorization header)".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BaseUrl("must not have a query or fragment".to_owned()));
    }
    let host = url.host().ok_or_else(|| BaseUrl("has no host".to_owned()))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure => {
            let loopback = match &host {
                Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
                Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
                Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
            };
            if !loopback {
                return Err(InsecureHostNotLoopback { host: host.to_string() });
            }
        }
        "http" => {
            return Err(InsecureBaseUrl {
                scheme: "http".to_owned(),
            });
        }
        other => return Err(BaseUrl(format!("scheme must be https, not `{other}`"))),
    }
    Ok(url)
}

/// The connection pool, credentials and settings every request goes
/// through: cheap to clone, safe to share between tasks. The generated
/// [`Client`](crate::Client) wraps one; a bare one sends requests described
/// by hand ([`Transport::execute_json`]).
///
/// ```no_run
/// use kimoby_generated::runtime::{ClientBuilder, Method, RequestSpec, Transport};
///
/// # async fn demo() -> Result<(), kimoby_generated::runtime::Error> {
/// let transport: Transport = ClientBuilder::new("https://api.example.com/v1", "api-key", "api-secret").build()?;
/// let spec = RequestSpec::new("listThings", Method::Get, "/things");
/// let things: serde_json::Value = transport.execute_json(spec).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Transport {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    /// The base URL as given (checked), without trailing `/`.
    base_url: String,
    /// The same, parsed once: every request URL is a copy of it with the
    /// request's path and query set (see [`Inner::request_url`]).
    base: Url,
    credentials: Credentials,
    pub(super) authorization: HeaderValue,
    pub(super) user_agent: HeaderValue,
    pub(super) timeout: Option<Duration>,
    pub(super) retry: RetryPolicy,
    pub(super) max_response_bytes: usize,
    /// Whether success bodies are checked against their schema (feature
    /// `validate`); always `false` without it.
    #[cfg_attr(not(feature = "validate"), allow(dead_code))]
    pub(super) report_drift: bool,
    /// The report departures are counted in, if any.
    #[cfg(feature = "validate")]
    pub(super) drift_report: Option<super::drift::DriftReport>,
}

impl Inner {
    /// The URL of a request: the base URL's path followed by `path` (already
    /// percent-encoded and checked by [`RequestSpec`](super::RequestSpec)),
    /// and `query` (already encoded, without `?`) when not empty.
    ///
    /// The same URL as parsing `"{base_url}{path}?{query}"` from text, which
    /// is what the client did before, without parsing the scheme and host
    /// again for every request. `url` leaves `%XX` escapes as they are, so a
    /// `%2B` is sent as `%2B`.
    pub(super) fn request_url(&self, path: &str, query: &str) -> Url {
        let base_path = self.base.path().trim_end_matches('/');
        let mut full_path = String::with_capacity(base_path.len() + path.len());
        full_path.push_str(base_path);
        full_path.push_str(path);
        let mut url = self.base.clone();
        url.set_path(&full_path);
        url.set_query((!query.is_empty()).then_some(query));
        url
    }
}

impl Transport {
    /// The base URL, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The API key in use.
    pub fn api_key(&self) -> &str {
        self.inner.credentials.api_key()
    }

    /// The retry policy in use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Transport")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials)
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("max_response_bytes", &inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("https://api.example.com/v1/", false).unwrap().as_str(),
            "https://api.example.com/v1/"
        );
        assert!(matches!(
            check_base_url("http://api.example.com/v1", false),
            Err(InvalidRequestReason::InsecureBaseUrl { .. })
        ));
        assert!(matches!(
            check_base_url("http://api.example.com/v1", true),
            Err(InvalidRequestReason::InsecureHostNotLoopback { .. })
        ));
        for ok in ["http://127.0.0.1:8080", "http://localhost/v1", "http://[::1]:1"] {
            assert!(check_base_url(ok, true).is_ok(), "{ok}");
        }
        for bad in [
            "https://key:secret@api.example.com",
            "https://api.example.com/v1?x=1",
            "ftp://api.example.com",
            "not a url",
        ] {
            let err = check_base_url(bad, true).unwrap_err();
            assert!(!err.to_string().contains("secret"), "{err}");
        }
    }

    /// A client for `base`, built without sending anything.
    fn client_for(base: &str) -> Transport {
        ClientBuilder::<Transport>::new(base, "key", "secret")
            .allow_insecure_http_for_testing()
            .build()
            .unwrap()
    }

    #[test]
    fn request_urls_are_the_ones_parsed_from_text() {
        let bases = [
            "https://api.example.com/v1",
            "https://api.example.com/v1/",
            "https://api.example.com/v1//",
            "https://api.example.com",
            "https://api.example.com/",
            "https://API.Kimoby.com:443/a%20b/v1",
            "https://api.example.com/a b/é/v1",
            "http://127.0.0.1:8080/v1",
            "http://[::1]:1",
        ];
        let paths = [
            "/customers",
            "/customers/CU%2F1%2B2%20%C3%A9",
            "/customers/a;b,c:d@e!$&'()*+=",
            "/x/\"quoted\"/<angle>/`tick`/{brace}/|pipe|/^",
            "/customers/%2e%2e%2Fx",
        ];
        let queries = ["", "cell_phone_number=%2B14182031234", "q=a%20b%26c%3Dd&page=2"];
        for base in bases {
            let client = client_for(base);
            for path in paths {
                for query in queries {
                    let mut expected = url::Url::parse(&format!("{}{path}", client.base_url())).unwrap();
                    expected.set_query((!query.is_empty()).then_some(query));
                    let url = client.inner.request_url(path, query);
                    assert_eq!(url.as_str(), expected.as_str(), "{base} {path} {query}");
                }
            }
        }
        let url = client_for("https://api.example.com/v1/")
            .inner
            .request_url("/customers", "cell_phone_number=%2B1");
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/customers?cell_phone_number=%2B1"
        );
    }

    #[test]
    fn timeout_is_30_seconds_unless_set_or_removed() {
        let timeout_of = |builder: ClientBuilder<Transport>| builder.build().unwrap().inner.timeout;
        let builder = || ClientBuilder::<Transport>::new("https://api.example.com", "key", "secret");
        assert_eq!(timeout_of(builder()), Some(Duration::from_secs(30)));
        assert_eq!(
            timeout_of(builder().timeout(Duration::from_secs(5))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(timeout_of(builder().no_timeout()), None);
        assert_eq!(
            timeout_of(builder().no_timeout().timeout(Duration::from_secs(7))),
            Some(Duration::from_secs(7))
        );
    }
}
