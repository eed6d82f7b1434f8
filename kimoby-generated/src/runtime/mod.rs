//! The hand-written HTTP runtime that the generated client code calls.
//!
//! Like `progenitor-client` for progenitor, this module holds everything the
//! generated operation builders (in `generated/client/`) need and nothing
//! operation-specific:
//!
//! - [`Client`] / [`ClientBuilder`]: credentials (HTTP Basic on every
//!   request), base URL (HTTPS only), timeouts, user agent, retry policy.
//! - [`RequestSpec`]: one request as the generated code describes it
//!   (operation id, [`Method`], already-encoded path, raw query pairs,
//!   [`Body`]), executed by [`Client::execute_json`] or
//!   [`Client::execute_empty`].
//! - [`encode_path_segment`]: percent-encoding for values put in a path
//!   (query values are encoded by the runtime; a `+` goes out as `%2B`).
//! - [`PageRequest`], [`PaginationInfo`] and [`paginate`]: validated
//!   `page`/`per_page` and a [`Stream`](futures_core::Stream) over every item
//!   of a paginated list.
//! - [`RetryPolicy`]: which failures are retried, and how long to wait. In
//!   short: `429` for every method, `5xx`/timeouts/connection failures only
//!   for `GET`, `PUT` and `DELETE`; a `POST` (an SMS, an upload) is never sent
//!   twice once the server may have received it. The full rules are on
//!   [`RetryPolicy`].
//! - [`Error`]: one error type that tells every failure apart and names the
//!   operation, method and path it came from, never the credentials.
//!
//! ```no_run
//! use kimoby_generated::runtime::{Client, Method, RequestSpec};
//!
//! # async fn demo() -> Result<(), kimoby_generated::runtime::Error> {
//! let client = Client::builder("api-key", "api-secret").build()?;
//! let spec = RequestSpec::new("list_customers", Method::Get, "/customers")
//!     .query("cell_phone_number", "+14182031234");
//! let page: serde_json::Value = client.execute_json(spec).await?;
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
mod error;
mod execute;
mod pagination;
mod request;
mod retry;
mod tls;

pub use body::{Body, MultipartFile};
pub use client::{Client, ClientBuilder, Credentials, DEFAULT_BASE_URL};
pub use error::{Error, InvalidRequestReason, RequestContext};
pub use pagination::{
    DEFAULT_PER_PAGE, MAX_PER_PAGE, PageRequest, PaginationInfo, list_stream, paginate, paginate_from,
};
pub use request::{Method, RequestSpec, encode_path_segment, encode_query_component};
pub use retry::RetryPolicy;
