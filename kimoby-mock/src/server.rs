//! [`MockServer`]: binds, serves connections with hyper (so that a fault can
//! close one without answering), and shuts down cleanly.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

use crate::contract::ManifestError;
use crate::domain::lookups::LookupIndexes;
use crate::domain::store::{Counts, Store};
use crate::http::{CONTROL_PREFIX, DropConnection, check_base_path, router};
use crate::state::config::{ConfigError, MockConfig};
use crate::state::delivery::{Deliverer, DeliveryAttempt, DeliveryError};
use crate::state::evolution::{EvolutionError, Evolver};
use crate::state::faults::{Faults, OneShotFault};
use crate::state::validation::Schemas;
use crate::state::{App, AppInner};

/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Why a mock server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A configuration value is out of range.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The socket error.
        source: std::io::Error,
    },
    /// The manifest has something the mock cannot serve.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The embedded schemas did not compile.
    #[error(transparent)]
    Schemas(#[from] kimoby_generated::validate::BuildError),
    /// The webhook HTTP client could not be built.
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    /// Evolution mode cannot walk the embedded schemas.
    #[error(transparent)]
    Evolution(#[from] EvolutionError),
}

/// A running mock server.
///
/// ```no_run
/// # async fn demo() -> Result<(), kimoby_mock::StartError> {
/// use kimoby_mock::{MockConfig, MockServer};
///
/// let server = MockServer::start(MockConfig::new("key", "secret")).await?;
/// println!("API at {}", server.base_url()); // http://127.0.0.1:PORT/v1
/// server.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    app: App,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server on a free port of `127.0.0.1`.
    pub async fn start(config: MockConfig) -> Result<Self, StartError> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a server on `addr` (port 0: any free port).
    pub async fn bind(addr: SocketAddr, config: MockConfig) -> Result<Self, StartError> {
        config.check()?;
        let contract = config.contract()?;
        let lookups = LookupIndexes::new(&contract)?;
        check_base_path(&contract)?;
        let evolver = match config.evolution {
            Some(evolution) if evolution.rate > 0.0 => {
                let evolver = Evolver::new(evolution)?;
                evolver.check_contract(&contract)?;
                Some(Arc::new(evolver))
            }
            _ => None,
        };
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let (stop, shutdown) = watch::channel(false);
        let store = Store::new(format!("http://{addr}"), config.currency.clone());
        let deliverer = Deliverer::new(&config, store.clone(), shutdown.clone())?;
        let app = App::new(AppInner {
            faults: Faults::new(config.faults.clone()),
            config,
            contract,
            lookups,
            store,
            schemas: Schemas::new()?,
            deliverer,
            evolver,
            shutdown: shutdown.clone(),
        });
        let task = tokio::spawn(serve(listener, router(app.clone()), shutdown));
        tracing::info!(%addr, "kimoby-mock listening");
        Ok(Self {
            addr,
            app,
            stop,
            task: Some(task),
        })
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, to give a client: `http://127.0.0.1:PORT/v1` (the
    /// path of the manifest's first server URL).
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, self.app.contract.base_path())
    }

    /// The control endpoints' base URL: `http://127.0.0.1:PORT/_mock`.
    pub fn control_url(&self) -> String {
        format!("http://{}{CONTROL_PREFIX}", self.addr)
    }

    /// Every webhook delivery attempt so far.
    pub fn deliveries(&self) -> Vec<DeliveryAttempt> {
        self.app.deliverer.attempts()
    }

    /// How many records of each kind exist.
    pub fn counts(&self) -> Counts {
        self.app.store.lock().counts()
    }

    /// Replaces the run-wide faults.
    pub fn set_faults(&self, faults: crate::state::config::FaultConfig) -> Result<(), ConfigError> {
        self.app.faults.set_config(faults)
    }

    /// Queues faults for the next API requests.
    pub fn push_faults(&self, faults: Vec<OneShotFault>) -> Result<(), ConfigError> {
        self.app.faults.push(faults)
    }

    /// Stops accepting connections, lets requests in flight finish (up to 5 s)
    /// and stops webhook deliveries and message status steps.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Why a connection was closed on purpose.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
struct Dropped;

pub(crate) async fn serve(listener: TcpListener, router: axum::Router, mut shutdown: watch::Receiver<bool>) {
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.wait_for(|stopped| *stopped) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait, don't spin.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Answers go out as soon as they are written, not held for the
        // client's acknowledgement of the previous segment (Nagle).
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let router = router.clone();
            async move {
                let response = match router.oneshot(request.map(axum::body::Body::new)).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                if response.extensions().get::<DropConnection>().is_some() {
                    return Err(Dropped);
                }
                Ok::<_, Dropped>(response)
            }
        });
        let connection = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}
