//! kimoby-contract: the one typed model of the Kimoby API contract, the
//! OpenAPI manifest (`openapi.json`) and its `x-kimoby-*` extensions. It is
//! the only code that reads them: `kimoby-codegen` emits the client from a
//! [`Contract`] and `kimoby-mock` serves the API one describes.
//!
//! [`Contract::from_document`] reads `servers`, tags, every operation of
//! `paths` ([`Operation`]: [`HttpMethod`], [`PathTemplate`], [`Parameter`]s
//! with their types and bounds, request body and responses by status with
//! their schema files, [`Extensions`]: pagination, look-up, parameter
//! groups, repeatability), `components/parameters` and `webhooks`
//! ([`Webhook`]: event names and the schema of their bodies). Anything it
//! cannot read is a [`ContractError`] naming the file and the JSON pointer.
//!
//! The format of the extension values is defined once, as a JSON Schema:
//! [`EXTENSIONS_SCHEMA`] (`extensions.schema.json`), which other tools
//! validate against; the readers of [`extensions`] refuse what it refuses.
//!
//! ```
//! let manifest = serde_json::json!({
//!     "openapi": "3.1.0",
//!     "servers": [{"url": "https://api.example.com/v1"}],
//!     "paths": {"/gizmos": {"post": {
//!         "operationId": "createGizmo", "tags": ["gizmos"],
//!         "responses": {"204": {"description": "created"}},
//!         "x-kimoby-repeatable": false
//!     }}}
//! });
//! let contract = kimoby_contract::Contract::from_document(&manifest)?;
//! assert_eq!(contract.servers[0].url, "https://api.example.com/v1");
//! assert_eq!(contract.operations[0].extensions.repeatable, Some(false));
//! # Ok::<(), kimoby_contract::ContractError>(())
//! ```

pub mod body;
pub mod extensions;
pub mod location;
pub mod manifest;
pub mod operation;
pub mod parameters;
pub mod path;
mod reference;

pub use body::{Body, MediaType, essence};
pub use extensions::{
    Extensions, Lookup, LookupParameter, PageParameter, Pagination, ParameterGroup, operation_extensions,
};
pub use location::{ContractError, Location, Result};
pub use manifest::{Contract, MANIFEST_FILE, Server};
pub use operation::{Operation, Response, Webhook};
pub use parameters::{IntegerType, IntegerWidth, Parameter, ParameterType, Placement};
pub use path::{HttpMethod, PathSegment, PathTemplate};

/// The JSON Schema (draft 2020-12) of the `x-kimoby-*` extension values:
/// an object whose properties are the extension keys an operation may have,
/// so that validating an operation object against it checks them all.
pub const EXTENSIONS_SCHEMA: &str = include_str!("../extensions.schema.json");
