//! The hand-written HTTP runtime that the generated client code calls.
//!
//! Like `progenitor-client` for progenitor, this module holds everything the
//! generated operation builders (in `generated/client/`) need and nothing
//! operation-specific:
//!
//! - [`Transport`] / [`ClientBuilder`]: credentials (HTTP Basic on every
//!   request), base URL (HTTPS only), timeouts, user agent, retry policy.
//!   The generated [`Client`](crate::Client) wraps a `Transport`
//!   ([`ApiClient`]) and gives the builder its default base URL, the
//!   manifest's first server.
//! - [`RequestSpec`]: one request as the generated code describes it
//!   (operation id, [`Method`], already-encoded path, raw query pairs,
//!   [`Body`]), executed by [`Transport::execute_json`] or
//!   [`Transport::execute_empty`].
//! - [`Operation`], [`ListOperation`], [`Lookup`] and [`impl_operation!`]:
//!   what a generated builder declares, and the `send()`, `.await` and
//!   `stream()` it gets for it.
//! - [`encode_path_segment`]: percent-encoding for values put in a path
//!   (query values are encoded by the runtime; a `+` goes out as `%2B`).
//! - [`Pagination`], [`IntegerParameter`] and [`paginate_from`]: page
//!   parameters and their bounds as the manifest declares them, and a
//!   [`Stream`] over every item of a paginated list.
//! - [`RetryPolicy`]: which failures are retried, and how long to wait. In
//!   short: `429` for every method, `5xx`/timeouts/connection failures only
//!   for `GET`, `PUT` and `DELETE`; a `POST` (an SMS, an upload) is never sent
//!   twice once the server may have received it. The full rules are on
//!   [`RetryPolicy`].
//! - [`Error`]: one error type that tells every failure apart and names the
//!   operation, method and path it came from, never the credentials.
//!
//! ```no_run
//! use kimoby_generated::runtime::{Method, RequestSpec};
//!
//! # async fn demo() -> Result<(), kimoby_generated::runtime::Error> {
//! let client = kimoby_generated::Client::builder("api-key", "api-secret").build()?;
//! let spec = RequestSpec::new("list_customers", Method::Get, "/customers")
//!     .query("cell_phone_number", "+14182031234");
//! let page: serde_json::Value = client.transport().execute_json(spec).await?;
//! println!("{page}");
//! # Ok(())
//! # }
//! ```
//!
//! Every request is traced in a `tracing` span named `kimoby.request` with the
//! fields `operation_id`, `method`, `path` (no query string), `attempt` and
//! `status`. Credentials, query values and bodies are never recorded.

mod body;
mod client;
#[cfg(feature = "validate")]
mod drift;
mod error;
mod execute;
mod method;
mod operation;
mod pagination;
mod parameter;
mod request;
mod retry;
mod tls;

pub use body::{Body, MultipartFile};
pub use client::{ApiClient, ClientBuilder, Credentials, Transport};
#[cfg(feature = "validate")]
pub use drift::{Drift, DriftKind, drift_of};
pub use error::{Error, InvalidRequestReason, RequestContext};
pub use futures_core::Stream;
pub use method::Method;
pub use operation::{ListOperation, Operation, impl_operation, list_stream, send_empty, send_json, send_page};
pub use pagination::{Page, PageInfo, PageSelection, Pagination, paginate_from};
pub use parameter::IntegerParameter;
pub use request::{Lookup, LookupKey, RequestSpec, encode_path_segment, encode_query_component};
pub use retry::RetryPolicy;
