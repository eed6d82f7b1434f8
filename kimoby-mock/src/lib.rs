//! A stateful, in-memory mock of the Kimoby REST API, for tests and offline
//! work: every operation of `schemas/openapi.json` with the documented rules,
//! realistic errors, a message life cycle, webhooks delivered for real and
//! signed, and fault injection.
//!
//! ```no_run
//! use kimoby_mock::{MockConfig, MockServer};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start(MockConfig::new("key", "secret").allow_http_webhooks(true)).await?;
//! let customers = reqwest::Client::new()
//!     .get(format!("{}/customers", server.base_url()))
//!     .basic_auth("key", Some("secret"))
//!     .send()
//!     .await?;
//! assert_eq!(customers.status(), 200);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! - [`MockServer`]: start in-process on a free loopback port, get its
//!   [`base_url`](MockServer::base_url), shut down.
//! - [`MockConfig`]: credentials, time scale, webhook timeout, faults,
//!   evolution mode ([`MockConfig::evolution`]: bodies a newer API could send), and
//!   the manifest served ([`MockConfig::with_manifest`]; the embedded
//!   `schemas/openapi.json` by default), whose facts the [`contract`] reads.
//! - The modules form layers, each reading only those below it: [`contract`],
//!   [`domain`], [`state`], [`http`], and the server.
//! - The API is served under the path of the manifest's first server URL
//!   (`/v1`), the control endpoints
//!   (simulated inbound texts, payments, fault settings, delivery log) under
//!   [`CONTROL_PREFIX`] (`/_mock`): see the [`control`] module.

// The layers, lowest first: each module imports only the layers before it.
// 1. The facts of the manifest served.
pub mod contract;

// 2. Records, documented rules, API errors, pages.
pub mod domain;

// 3. The running application: configuration, faults, delivery, evolution.
pub mod state;

// 4. The HTTP surface: API routes, control endpoints.
pub mod http;

// 5. The server: binding, connections, shutdown.
mod server;

// 6. The validating proxy: forwards to an upstream, checks the traffic.
pub mod proxy;

pub use domain::{error, pagination, rules, store};
pub use http::{CONTROL_PREFIX, control};
pub use server::{MockServer, StartError};
pub use state::{config, delivery, evolution, expected, faults, validation};

pub use config::{Evolution, FaultConfig, MockConfig, RETRY_SCHEDULE};
pub use contract::ManifestError;
pub use delivery::DeliveryAttempt;
pub use faults::OneShotFault;
pub use store::Counts;
