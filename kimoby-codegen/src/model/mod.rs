//! The typed model of the API that the client emitter reads: the contract
//! ([`kimoby_contract::Contract`], which reads the manifest and its
//! extensions) resolved against the bundled schemas (body, item and record
//! types) and given Rust names, with errors that name the manifest's JSON
//! pointer.
//!
//! Like progenitor's `OperationMethod`, every fact the generated client
//! needs is here, already decided: the resources (from the operations'
//! tags), each operation's [`HttpMethod`], [`PathTemplate`] and typed
//! parameters, its body and response, its pagination (page parameters with
//! their bounds and defaults, where the items and page counts are), its
//! look-up, parameter groups and repeatability, the servers and the doc
//! examples. The emitters in [`crate::emit::client`] never read raw JSON.

mod lookup;
mod operation;
mod pagination;
mod parameters;

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use kimoby_contract::Contract;

use crate::error::{Error, Location, Result};
use crate::prepare::bundle::Bundle;

pub use lookup::{Lookup, LookupVariant};
pub use operation::{HttpMethod, OperationMethod, PathSegment, PathTemplate, RequestBody, Response, Target};
pub use pagination::{PageParameter, Pagination};
pub use parameters::{IntegerType, ParameterGroup, ParameterType, PathParameter, QueryParameter, RustInteger};

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// The first server's URL: the client's default base URL.
    pub default_base_url: String,
    /// One per tag, in tag order.
    pub resources: Vec<Resource>,
    /// Every look-up type, by type name.
    pub lookups: BTreeMap<String, Lookup>,
}

/// The operations of one tag: `client.<accessor>()` returns its struct.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The tag.
    pub tag: String,
    /// The tag's description in `tags`, if any.
    pub description: Option<String>,
    /// The resource struct (`Customers`).
    pub struct_name: String,
    /// The accessor on the client and the module name (`customers`).
    pub accessor: String,
    /// Its operations, in manifest order.
    pub operations: Vec<OperationMethod>,
}

impl Api {
    /// Resolves and validates the manifest against the bundled schemas.
    pub fn new(manifest: &Contract, bundle: &Bundle) -> Result<Self> {
        let default_base_url = default_base_url(manifest)?;
        let mut by_tag: BTreeMap<&str, Vec<&kimoby_contract::Operation>> = BTreeMap::new();
        for operation in &manifest.operations {
            by_tag.entry(operation.tag.as_str()).or_default().push(operation);
        }
        let mut resources = Vec::new();
        let mut lookups: BTreeMap<String, Lookup> = BTreeMap::new();
        for (tag, operations) in by_tag {
            let mut methods = Vec::new();
            let mut method_names: BTreeMap<String, String> = BTreeMap::new();
            for operation in &operations {
                let (method, lookup) = OperationMethod::new(operation, &operations, bundle)?;
                if let Some(previous) = method_names.insert(method.method_name.clone(), operation.id.clone()) {
                    return Err(Error::Manifest {
                        location: operation.location.child("operationId"),
                        message: format!(
                            "`{}` and `{previous}` would both be `{}()` on `{tag}`: rename one operationId's verb",
                            operation.id, method.method_name
                        ),
                    });
                }
                if let Some(lookup) = lookup {
                    merge_lookup(&mut lookups, lookup)?;
                }
                methods.push(method);
            }
            resources.push(Resource {
                tag: tag.to_owned(),
                description: manifest.tag_descriptions.get(tag).cloned(),
                struct_name: tag.to_upper_camel_case(),
                accessor: tag.to_snake_case(),
                operations: methods,
            });
        }
        Ok(Self {
            title: manifest.title.clone(),
            default_base_url,
            resources,
            lookups,
        })
    }
}

/// The first server's URL, which must be absolute `https` (the client
/// refuses anything else without an opt-in for tests).
fn default_base_url(manifest: &Contract) -> Result<String> {
    let Some(server) = manifest.servers.first() else {
        return Err(Error::Manifest {
            location: Location::root(crate::read::load::MANIFEST_FILE).child("servers"),
            message: "the manifest needs `servers` with at least one `https` URL: the client's default base URL"
                .to_owned(),
        });
    };
    let url = server.url.trim_end_matches('/');
    let host = url.strip_prefix("https://").unwrap_or_default();
    if host.is_empty() || host.starts_with('/') || url.contains(['?', '#', '{', ' ']) {
        return Err(Error::Manifest {
            location: server.location.child("url"),
            message: format!(
                "`{}` is not an absolute `https` URL without query, fragment or variables",
                server.url
            ),
        });
    }
    Ok(url.to_owned())
}

/// Several operations (retrieve, update, delete) share a look-up type; they
/// must describe it the same way.
fn merge_lookup(lookups: &mut BTreeMap<String, Lookup>, lookup: Lookup) -> Result<()> {
    match lookups.get(&lookup.type_name) {
        None => {
            lookups.insert(lookup.type_name.clone(), lookup);
            Ok(())
        }
        Some(existing) if existing.same_keys(&lookup) => Ok(()),
        Some(existing) => Err(Error::Manifest {
            location: lookup.location.clone(),
            message: format!(
                "`{}` is also described by `{}` with another collection path or other query parameters: \
                 operations on the same record must look it up the same way",
                lookup.type_name, existing.first_operation
            ),
        }),
    }
}
