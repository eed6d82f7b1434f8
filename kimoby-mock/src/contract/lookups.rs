//! Look-ups (`x-kimoby-lookup`): which query parameters find one record on a
//! collection path, for each method, and which of the store's indexes each
//! one reads ([`LookupKey`]: a parameter finds records by the field of the
//! same name).

use axum::http::Method;
use serde_json::Value;

use super::document::{Found, Operation, string, wrong};
use super::{Collection, ManifestError};
use crate::error::{ApiError, ApiResult};
use crate::pagination::QueryParams;
use crate::store::{Lookup, LookupKey, LookupRecord};

/// The query parameters that find one record on a collection path with one
/// method, and the index each reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupParameters {
    parameters: Vec<(String, LookupKey)>,
}

impl LookupParameters {
    /// No look-up parameters (the manifest gives no look-up for the method).
    pub const NONE: Self = Self { parameters: Vec::new() };

    /// The parameters' names, in the manifest's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parameters.iter().map(|(name, _)| name.as_str())
    }

    /// The look-up the query asks for: `None` without any of the parameters,
    /// a 400 with more than one.
    pub fn find(&self, query: &QueryParams) -> ApiResult<Option<Lookup>> {
        let present: Vec<(&str, LookupKey, &str)> = self
            .parameters
            .iter()
            .filter_map(|(name, key)| query.get(name).map(|value| (name.as_str(), *key, value)))
            .collect();
        match present.as_slice() {
            [] => Ok(None),
            [(_, key, value)] => Ok(Some(key.lookup((*value).to_owned()))),
            _ => Err(ApiError::bad_request(format!(
                "send exactly one look-up parameter, not {}",
                present.iter().map(|(name, ..)| *name).collect::<Vec<_>>().join(" and ")
            ))),
        }
    }

    /// The look-up the query asks for, or a 400 saying how to find a `record`.
    pub fn require(&self, query: &QueryParams, record: LookupRecord) -> ApiResult<Lookup> {
        self.find(query)?.ok_or_else(|| {
            let names = self.names().collect::<Vec<_>>().join(", ");
            let record = record.name();
            ApiError::bad_request(if names.is_empty() {
                format!("give the {record}'s id in the path")
            } else {
                format!("give the {record}'s id in the path, or one of {names}")
            })
        })
    }
}

/// The query form one operation's `x-kimoby-lookup` describes.
#[derive(Debug, Clone)]
pub(super) struct LookupForm {
    /// The collection path the query form is sent to.
    pub collection: Collection,
    /// Its method (the operation's).
    pub method: Method,
    /// Its parameters.
    pub parameters: LookupParameters,
}

/// The methods the mock serves look-ups with on a collection path.
const LOOKUP_METHODS: [Method; 3] = [Method::GET, Method::PUT, Method::DELETE];

/// Reads the `x-kimoby-lookup` of `operation`.
pub(super) fn lookup_form(
    manifest: &Value,
    operation: &Operation<'_>,
    extension: &Found<'_>,
) -> Result<LookupForm, ManifestError> {
    if !extension.value.is_object() {
        return Err(wrong(&extension.pointer, "must be an object"));
    }
    let path_parameter = string(extension, "path_parameter")?;
    if !operation.path.contains(&format!("{{{path_parameter}}}")) {
        return Err(wrong(
            extension.child("path_parameter"),
            format!("`{path_parameter}` is not a parameter of the path {}", operation.path),
        ));
    }
    let collection_path = string(extension, "collection_path")?;
    let at = extension.child("collection_path");
    if manifest
        .pointer("/paths")
        .and_then(|paths| paths.get(collection_path))
        .is_none()
    {
        return Err(wrong(&at, format!("`{collection_path}` is not a key of `paths`")));
    }
    let (collection, record) = Collection::from_path(collection_path)
        .and_then(|collection| collection.lookup_record().map(|record| (collection, record)))
        .ok_or_else(|| {
            let served: Vec<&str> = Collection::ALL
                .iter()
                .filter(|collection| collection.lookup_record().is_some())
                .map(|collection| collection.path())
                .collect();
            wrong(
                &at,
                format!(
                    "the mock serves look-ups on {}, not on `{collection_path}`",
                    served.join(", ")
                ),
            )
        })?;
    if !LOOKUP_METHODS.contains(&operation.method) {
        return Err(wrong(
            &extension.pointer,
            format!(
                "the mock serves look-ups with GET, PUT and DELETE, not {}",
                operation.method
            ),
        ));
    }
    let names_at = extension.child("query_parameters");
    let names = extension
        .value
        .get("query_parameters")
        .and_then(Value::as_array)
        .filter(|names| !names.is_empty())
        .ok_or_else(|| wrong(&names_at, "must be a non-empty array of parameter names"))?;
    let mut parameters = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let at = format!("{names_at}/{index}");
        let name = name.as_str().ok_or_else(|| wrong(&at, "must be a string"))?;
        if parameters.iter().any(|(known, _): &(String, LookupKey)| known == name) {
            return Err(wrong(&at, format!("`{name}` is listed twice")));
        }
        let key = record
            .keys()
            .iter()
            .copied()
            .find(|key| key.field() == name)
            .ok_or_else(|| cannot_index(&at, record, name))?;
        parameters.push((name.to_owned(), key));
    }
    Ok(LookupForm {
        collection,
        method: operation.method.clone(),
        parameters: LookupParameters { parameters },
    })
}

/// The start-up error for a look-up parameter the store keeps no index for.
fn cannot_index(at: &str, record: LookupRecord, name: &str) -> ManifestError {
    let indexes: Vec<&str> = record.keys().iter().map(|key| key.field()).collect();
    wrong(
        at,
        format!(
            "the mock's store cannot find a {} by `{name}`: it indexes them by {} only",
            record.name(),
            indexes.join(", ")
        ),
    )
}
