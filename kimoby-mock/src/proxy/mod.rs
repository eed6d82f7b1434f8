//! The validating proxy (`kimoby-mock proxy --upstream URL`): put it
//! between an integration, in any language, and the Kimoby API (or a mock),
//! and it forwards every request unchanged and returns every answer
//! unchanged, byte for byte, while it checks both against the contract.
//! Each departure (an unknown field, an undocumented enum value, a `null`,
//! a wrong type, a missing required field, an undocumented status, an
//! unknown operation) is a `tracing` warning, a line in the
//! `x-kimoby-departures` header of the answer, and a record of the
//! JSON-lines report (`--report FILE`) that `cargo xtask contract learn`
//! turns into schema edits. No value of a body is ever written, and the
//! credentials pass through without being logged.
//!
//! ```no_run
//! use kimoby_mock::proxy::{ProxyConfig, ProxyServer};
//!
//! # async fn demo() -> Result<(), kimoby_mock::proxy::ProxyStartError> {
//! let proxy = ProxyServer::start(ProxyConfig::new("https://api.kimoby.com/v1").report("departures.jsonl")).await?;
//! println!("point the integration at {}", proxy.base_url());
//! proxy.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod check;
mod forward;
mod handle;
mod report;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kimoby_generated::departure::{DepartureRecord, Finder};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;
use url::Url;

pub use self::check::Checker;
use self::forward::Upstream;
pub use self::forward::UpstreamFailure;
pub use self::report::DEPARTURES_HEADER;
use self::report::Reporter;

/// How a proxy runs.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// The API root requests are forwarded to (`https://api.kimoby.com/v1`):
    /// a request for `/customers` goes to `<upstream>/customers`. HTTPS, or
    /// `http` on a loopback host (a local mock).
    pub upstream: String,
    /// Where the JSON-lines report is written, if anywhere.
    pub report: Option<PathBuf>,
    /// How long the upstream has to answer in full (30 s by default).
    pub timeout: Duration,
    /// How long connecting to the upstream may take (10 s by default).
    pub connect_timeout: Duration,
    /// The largest body read, in either direction (32 MiB by default).
    pub max_body_bytes: usize,
    /// The manifest to check against; `None`: the one embedded in `kimoby-generated`.
    pub manifest: Option<Arc<Value>>,
    /// Check each answer's body before returning it, so that the
    /// `x-kimoby-departures` header lists the body's departures too; this
    /// adds the check's time (about 2.5 µs per KB) to every call. Off by
    /// default: a body over [`CHECKED_BEFORE_ANSWERING_BYTES`] is checked
    /// just after the answer leaves (the report and the logs get every
    /// departure either way; the header then names those of the request
    /// and the status).
    pub complete_header: bool,
}

impl ProxyConfig {
    /// A proxy to `upstream` with the default limits and no report file.
    pub fn new(upstream: impl Into<String>) -> Self {
        Self {
            upstream: upstream.into(),
            report: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 32 * 1024 * 1024,
            manifest: None,
            complete_header: false,
        }
    }

    /// Sets [`report`](Self::report).
    #[must_use]
    pub fn report(mut self, path: impl Into<PathBuf>) -> Self {
        self.report = Some(path.into());
        self
    }

    /// Sets [`timeout`](Self::timeout).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`max_body_bytes`](Self::max_body_bytes).
    #[must_use]
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Sets [`complete_header`](Self::complete_header).
    #[must_use]
    pub fn complete_header(mut self, complete: bool) -> Self {
        self.complete_header = complete;
        self
    }

    /// Sets [`manifest`](Self::manifest).
    #[must_use]
    pub fn with_manifest(mut self, manifest: Value) -> Self {
        self.manifest = Some(Arc::new(manifest));
        self
    }
}

/// Why a proxy could not start.
#[derive(Debug, thiserror::Error)]
pub enum ProxyStartError {
    /// The upstream URL is not one the proxy forwards to.
    #[error("the upstream `{url}` {problem}")]
    Upstream {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The manifest cannot be read.
    #[error(transparent)]
    Manifest(#[from] kimoby_contract::ContractError),
    /// The embedded schemas cannot be compiled.
    #[error(transparent)]
    Schemas(#[from] kimoby_generated::validate::BuildError),
    /// The HTTP client cannot be built.
    #[error("{0}")]
    Client(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The socket error.
        source: std::io::Error,
    },
}

/// An answer body this large or smaller is checked before the answer
/// leaves, even without `complete_header`: reading it costs less than
/// handing it to another thread, and the header then names its departures.
pub const CHECKED_BEFORE_ANSWERING_BYTES: usize = 4096;

/// A larger answer body up to this size is checked after answering as a
/// task of the runtime (some 70 µs of work for a matching body, up to 0.3
/// ms for one that departs); a body larger still, on a blocking thread, so
/// that it never holds up the proxy's other exchanges.
pub const CHECKED_ON_THE_RUNTIME_BYTES: usize = 32 * 1024;

/// How many answer bodies may wait for their check at a time.
const MAX_PENDING_CHECKS: u32 = 32;

/// What every request of a proxy shares.
#[derive(Debug)]
struct Proxy {
    checker: Checker,
    upstream: Upstream,
    reporter: Arc<Reporter>,
    complete_header: bool,
    /// One permit per body check that may run after its answer.
    pending_checks: Arc<Semaphore>,
}

/// A running proxy.
#[derive(Debug)]
pub struct ProxyServer {
    addr: SocketAddr,
    proxy: Arc<Proxy>,
    stop: watch::Sender<bool>,
    stop_writer: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    writer: Option<JoinHandle<()>>,
}

impl ProxyServer {
    /// Starts a proxy on a free port of `127.0.0.1`.
    pub async fn start(config: ProxyConfig) -> Result<Self, ProxyStartError> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a proxy on `addr` (port 0: any free port).
    pub async fn bind(addr: SocketAddr, config: ProxyConfig) -> Result<Self, ProxyStartError> {
        let base = check_upstream(&config.upstream)?;
        let manifest: Value = match &config.manifest {
            Some(manifest) => Value::clone(manifest),
            None => serde_json::from_str(kimoby_generated::schemas::manifest())
                .map_err(|error| ProxyStartError::Client(format!("the embedded manifest is not JSON: {error}")))?,
        };
        let contract = kimoby_contract::Contract::from_document(&manifest)?;
        let checker = Checker::new(contract, Finder::new()?);
        let upstream = Upstream::new(base, config.timeout, config.connect_timeout, config.max_body_bytes)
            .map_err(ProxyStartError::Client)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ProxyStartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ProxyStartError::Bind { addr, source })?;
        let reporter = Arc::new(Reporter::new(config.report));
        let proxy = Arc::new(Proxy {
            checker,
            upstream,
            reporter: Arc::clone(&reporter),
            complete_header: config.complete_header,
            pending_checks: Arc::new(Semaphore::new(MAX_PENDING_CHECKS as usize)),
        });
        let (stop, shutdown) = watch::channel(false);
        let (stop_writer, writer_shutdown) = watch::channel(false);
        let router = axum::Router::new()
            .fallback(handle::handle)
            .with_state(Arc::clone(&proxy));
        let server = tokio::spawn(crate::server::serve(listener, router, shutdown));
        let writer = reporter.spawn_writer(writer_shutdown);
        tracing::info!(%addr, "kimoby-mock proxy listening");
        Ok(Self {
            addr,
            proxy,
            stop,
            stop_writer,
            server: Some(server),
            writer: Some(writer),
        })
    }

    /// The socket address the proxy listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to give the integration instead of the upstream's: `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every departure seen so far, counted (the checks of the last answers
    /// may still run: see [`settled`](Self::settled)).
    pub fn departures(&self) -> Vec<DepartureRecord> {
        self.proxy.reporter.log().records()
    }

    /// Waits until the body checks of every answer already sent are done.
    pub async fn settled(&self) {
        if let Ok(all) = self.proxy.pending_checks.acquire_many(MAX_PENDING_CHECKS).await {
            drop(all);
        }
    }

    /// Stops accepting connections, lets requests in flight and their checks
    /// finish, and writes the report one last time.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.settled().await;
        let _ = self.stop_writer.send(true);
        if let Some(writer) = self.writer.take() {
            let _ = writer.await;
        }
    }
}

impl Drop for ProxyServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        let _ = self.stop_writer.send(true);
    }
}

/// The upstream URL, if the proxy may forward to it: HTTPS, or plain HTTP
/// on a loopback host; no credentials in it.
fn check_upstream(upstream: &str) -> Result<Url, ProxyStartError> {
    let refuse = |problem: &str| ProxyStartError::Upstream {
        url: upstream.to_owned(),
        problem: problem.to_owned(),
    };
    let url = Url::parse(upstream).map_err(|error| refuse(&format!("is not a URL: {error}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        // The error names the URL without what it must not carry.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(ProxyStartError::Upstream {
            url: shown.to_string(),
            problem: "carries credentials; the integration sends them, the proxy passes them through".to_owned(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("has a query or a fragment; give the API root only"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(refuse(
            "is plain HTTP on a host that is not loopback; only https, or http on 127.0.0.1, ::1 or localhost",
        )),
        _ => Err(refuse("must be https (or http on a loopback host)")),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => IpAddr::V4(address).is_loopback(),
        Some(url::Host::Ipv6(address)) => IpAddr::V6(address).is_loopback(),
        None => false,
    }
}
