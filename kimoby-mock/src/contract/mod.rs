//! The facts of the API the mock serves, from the contract model
//! ([`kimoby_contract::Contract`], the one reader of the manifest and its
//! `x-kimoby-*` extensions) of the manifest (`openapi.json`, embedded in
//! `kimoby-generated`, or another one given with
//! [`MockConfig::with_manifest`](crate::MockConfig::with_manifest)), checked
//! when the server starts:
//!
//! - the path the API is served under: the path of `servers[0].url` (`/v1`);
//! - the bounds and defaults of `page` and `per_page` of every paginated list
//!   (`x-kimoby-pagination`), from the schemas of those query parameters,
//!   references to `components` followed;
//! - the query parameters that find one record on a collection path, for each
//!   method (`x-kimoby-lookup`), each with its pointer (the
//!   [`domain`](crate::domain::lookups) maps each to the store's index of the
//!   field of the same name);
//! - the media types each operation accepts its request body in
//!   (`requestBody.content`);
//! - the schema file of each JSON body the mock sends: responses by status,
//!   webhook events by name (read by [`crate::state::evolution`]).
//!
//! Anything the mock cannot serve is a [`ManifestError`] naming the JSON
//! pointer of what is wrong.
//!
//! ```
//! use kimoby_mock::contract::{Collection, Contract};
//!
//! let mut manifest: serde_json::Value = serde_json::from_str(kimoby_generated::schemas::manifest())?;
//! manifest["components"]["parameters"]["PerPage"]["schema"]["maximum"] = 100.into();
//! let contract = Contract::from_manifest(&manifest)?;
//! assert_eq!(contract.page_bounds(Collection::Customers).per_page.maximum, Some(100));
//!
//! manifest["servers"] = serde_json::json!([]);
//! let error = Contract::from_manifest(&manifest).unwrap_err();
//! assert_eq!(error.pointer, "/servers");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bodies;
mod lookups;
mod pagination;
mod responses;

use axum::http::Method;
use kimoby_contract::{ContractError, Location, PathTemplate};
use serde_json::Value;

pub use self::bodies::{essence, matches};
pub use self::lookups::{LookupForm, LookupParameter, LookupParameters};
pub use self::pagination::{IntegerBounds, LARGEST_PAGE_VALUE, PageBounds};
pub use self::responses::BodySchema;

/// What in the manifest the mock cannot serve, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("manifest, at {}: {problem}", shown(.pointer))]
pub struct ManifestError {
    /// JSON pointer of the offending value (`/paths/~1customers/get`); empty
    /// for the whole document.
    pub pointer: String,
    /// What is wrong.
    pub problem: String,
}

impl From<ContractError> for ManifestError {
    /// What the contract model cannot read, at the same pointer.
    fn from(error: ContractError) -> Self {
        Self {
            pointer: error.location.pointer,
            problem: error.message,
        }
    }
}

impl ManifestError {
    /// An error at `location` of the manifest.
    fn at(location: &Location, problem: impl Into<String>) -> Self {
        Self {
            pointer: location.pointer.clone(),
            problem: problem.into(),
        }
    }
}

/// An error at `pointer`.
fn wrong(pointer: impl Into<String>, problem: impl Into<String>) -> ManifestError {
    ManifestError {
        pointer: pointer.into(),
        problem: problem.into(),
    }
}

/// A pointer as written in messages: the root is `/` there.
fn shown(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// The collection paths the mock serves lists or look-ups on (routed in
/// [`crate::http`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    /// `/customers`: listed, customers looked up.
    Customers,
    /// `/appointments`: listed, appointments looked up.
    Appointments,
    /// `/events`: listed, events looked up.
    Events,
    /// `/messages`: listed.
    Messages,
    /// `/invoices`: listed.
    Invoices,
}

impl Collection {
    /// Every collection, each with a paginated list.
    pub const ALL: [Self; 5] = [
        Self::Customers,
        Self::Appointments,
        Self::Events,
        Self::Messages,
        Self::Invoices,
    ];

    /// The path, under the base path, as routed.
    pub fn path(self) -> &'static str {
        match self {
            Self::Customers => "/customers",
            Self::Appointments => "/appointments",
            Self::Events => "/events",
            Self::Messages => "/messages",
            Self::Invoices => "/invoices",
        }
    }

    /// The collection at `path`.
    pub fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|collection| collection.path() == path)
    }

    /// The position in [`Collection::ALL`].
    fn index(self) -> usize {
        self as usize
    }
}

/// The API facts of one manifest, checked.
#[derive(Debug, Clone)]
pub struct Contract {
    base_path: String,
    /// The bounds of each collection's list, in the order of [`Collection::ALL`].
    pages: Vec<PageBounds>,
    /// Each look-up form, with the key of `paths` of the operation it answers as.
    lookups: Vec<(LookupForm, String)>,
    /// Every operation, in the manifest's order.
    operations: Vec<OperationFacts>,
    /// The body schema of each webhook event.
    webhooks: Vec<BodySchema>,
}

/// What the mock keeps of one operation.
#[derive(Debug, Clone)]
struct OperationFacts {
    method: Method,
    /// The key of `paths` (`/customers/{id}`).
    path: PathTemplate,
    /// The media types of its request body, if it takes one.
    media_types: Option<Vec<String>>,
    /// The JSON body schema of each documented status.
    responses: Vec<BodySchema>,
}

impl Contract {
    /// The contract of the manifest embedded in `kimoby-generated`.
    pub fn embedded() -> Result<Self, ManifestError> {
        let manifest: Value = serde_json::from_str(kimoby_generated::schemas::manifest())
            .map_err(|error| wrong("", format!("the embedded manifest is not JSON: {error}")))?;
        Self::from_manifest(&manifest)
    }

    /// Reads and checks the facts of `manifest` (an OpenAPI document).
    pub fn from_manifest(manifest: &Value) -> Result<Self, ManifestError> {
        let contract = kimoby_contract::Contract::from_document(manifest)?;
        let base_path = base_path(&contract)?;
        let mut pages: Vec<Option<PageBounds>> = vec![None; Collection::ALL.len()];
        let mut lookups: Vec<(LookupForm, String)> = Vec::new();
        let mut facts = Vec::new();
        for operation in &contract.operations {
            let method = Method::from_bytes(operation.method.as_str().as_bytes())
                .map_err(|error| ManifestError::at(&operation.location, error.to_string()))?;
            let path = &operation.path.template;
            facts.push(OperationFacts {
                method: method.clone(),
                path: operation.path.clone(),
                media_types: bodies::request_media_types(operation),
                responses: responses::response_schemas(operation),
            });
            if let Some(extension) = &operation.extensions.pagination {
                let collection = Collection::from_path(path)
                    .filter(|_| method == Method::GET)
                    .ok_or_else(|| {
                        ManifestError::at(
                            &extension.location,
                            format!("the mock lists {} with GET, not {method} {path}", served_paths()),
                        )
                    })?;
                pages[collection.index()] = Some(pagination::page_bounds(extension)?);
            }
            if let Some(extension) = &operation.extensions.lookup {
                let form = lookups::lookup_form(extension, &method)?;
                if lookups
                    .iter()
                    .any(|(known, _)| known.collection == form.collection && known.method == form.method)
                {
                    return Err(ManifestError::at(
                        &extension.location,
                        format!(
                            "another operation already has the look-up {} {}",
                            form.method,
                            form.collection.path()
                        ),
                    ));
                }
                lookups.push((form, path.clone()));
            }
        }
        let pages = Collection::ALL
            .into_iter()
            .zip(pages)
            .map(|(collection, bounds)| {
                bounds.ok_or_else(|| {
                    wrong(
                        "/paths",
                        format!(
                            "the mock lists {} page by page, but the manifest has no GET {} with `x-kimoby-pagination`",
                            collection.path(),
                            collection.path()
                        ),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            base_path,
            pages,
            lookups,
            operations: facts,
            webhooks: responses::webhook_schemas(&contract.webhooks),
        })
    }

    /// The path the API is served under: `/v1`, or empty for the root.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The bounds of `page` and `per_page` of the list of `collection`.
    pub fn page_bounds(&self, collection: Collection) -> &PageBounds {
        &self.pages[collection.index()]
    }

    /// The parameters that find one record on `collection` with `method`
    /// (none if the manifest describes no such look-up).
    pub fn lookup(&self, collection: Collection, method: &Method) -> &LookupParameters {
        self.lookups
            .iter()
            .find(|(form, _)| form.collection == collection && form.method == *method)
            .map_or(&NO_LOOKUP, |(form, _)| &form.parameters)
    }

    /// Every look-up form, in the manifest's order.
    pub fn lookup_forms(&self) -> impl Iterator<Item = &LookupForm> {
        self.lookups.iter().map(|(form, _)| form)
    }

    /// The media types the operation `method` `path` (a key of `paths`:
    /// `/customers/{id}`) accepts its body in; `None` if it takes no body.
    pub fn request_media_types(&self, method: &Method, path: &str) -> Option<&[String]> {
        self.operations
            .iter()
            .find(|operation| operation.method == *method && operation.path.template == path)
            .and_then(|operation| operation.media_types.as_deref())
    }

    /// The methods the manifest documents for the concrete path `path`
    /// (under the base path: `/customers/cu123`), look-up forms included, in
    /// the manifest's order; `HEAD` is answered wherever `GET` is.
    pub fn allowed_methods(&self, path: &str) -> Vec<Method> {
        let documented = self
            .operations
            .iter()
            .filter(|operation| operation.path.matches(path))
            .map(|operation| &operation.method);
        let looked_up = self
            .lookups
            .iter()
            .filter(|(form, _)| form.collection.path() == path)
            .map(|(form, _)| &form.method);
        let mut methods: Vec<Method> = Vec::new();
        for method in documented.chain(looked_up) {
            if !methods.contains(method) {
                methods.push(method.clone());
            }
            if *method == Method::GET && !methods.contains(&Method::HEAD) {
                methods.push(Method::HEAD);
            }
        }
        methods
    }

    /// The schema of the JSON body of the answer with `status` to `method`
    /// on the concrete path `path` (under the base path) with the query
    /// `query`: a look-up form (`GET /customers?reference=...`) answers as
    /// its operation (`GET /customers/{id}`). `None` if the manifest gives
    /// that answer no schema file.
    pub fn response_schema(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        status: u16,
    ) -> Option<&BodySchema> {
        let query_names: Vec<String> = query
            .map(|raw| {
                url::form_urlencoded::parse(raw.as_bytes())
                    .map(|(name, _)| name.into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let looked_up = Collection::from_path(path).and_then(|collection| {
            self.lookups
                .iter()
                .find(|(form, _)| {
                    form.collection == collection
                        && form.method == *method
                        && form
                            .parameters
                            .names()
                            .any(|name| query_names.iter().any(|sent| sent == name))
                })
                .map(|(_, operation_path)| operation_path.as_str())
        });
        let operation = match looked_up {
            Some(operation_path) => self
                .operations
                .iter()
                .find(|operation| operation.method == *method && operation.path.template == operation_path),
            None => self
                .operations
                .iter()
                .find(|operation| operation.method == *method && operation.path.template == path)
                .or_else(|| {
                    self.operations
                        .iter()
                        .find(|operation| operation.method == *method && operation.path.matches(path))
                }),
        }?;
        responses::for_status(&operation.responses, status)
    }

    /// The schema of the body of the webhook event `event_name`, if the
    /// manifest's `webhooks` give one.
    pub fn webhook_schema(&self, event_name: &str) -> Option<&BodySchema> {
        self.webhooks.iter().find(|schema| schema.key == event_name)
    }

    /// Every body schema the manifest gives: responses, then webhook events.
    pub fn body_schemas(&self) -> impl Iterator<Item = &BodySchema> {
        self.operations
            .iter()
            .flat_map(|operation| &operation.responses)
            .chain(&self.webhooks)
    }
}

/// The parameters of a look-up the manifest does not describe.
static NO_LOOKUP: LookupParameters = LookupParameters::NONE;

/// `/customers, /appointments, ...`.
fn served_paths() -> String {
    Collection::ALL.map(Collection::path).join(", ")
}

/// The path of the first server URL, server variables replaced by their
/// defaults, without a trailing `/`.
fn base_path(contract: &kimoby_contract::Contract) -> Result<String, ManifestError> {
    let server = contract.servers.first().ok_or_else(|| {
        wrong(
            "/servers",
            "must be a non-empty array: the API is served under the path of the first server URL",
        )
    })?;
    let url = server.resolved_url()?;
    let at = server.location.child("url");
    // A relative URL is relative to the server the manifest is served from:
    // only its path matters here.
    let origin = url::Url::parse("http://localhost/").map_err(|error| ManifestError::at(&at, error.to_string()))?;
    let parsed = origin
        .join(&url)
        .map_err(|error| ManifestError::at(&at, format!("`{url}` is not a URL: {error}")))?;
    Ok(parsed.path().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests;
