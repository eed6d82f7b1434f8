//! Look-ups (`x-kimoby-lookup`): which query parameters find one record on a
//! collection path, for each method, each with the pointer it is written at
//! (the domain layer maps each to a store index, and names that pointer when
//! it cannot).

use axum::http::Method;
use serde_json::Value;

use super::document::{Found, Operation, string, wrong};
use super::{Collection, ManifestError};

/// The query parameters that find one record on a collection path with one
/// method, in the manifest's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupParameters {
    parameters: Vec<LookupParameter>,
}

/// One look-up query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupParameter {
    /// Its name (`reference`): the field of the same name finds the record.
    pub name: String,
    /// The JSON pointer of the name in the manifest.
    pub pointer: String,
}

impl LookupParameters {
    /// No look-up parameters (the manifest gives no look-up for the method).
    pub const NONE: Self = Self { parameters: Vec::new() };

    /// The parameters' names, in the manifest's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parameters.iter().map(|parameter| parameter.name.as_str())
    }

    /// The parameters, in the manifest's order.
    pub fn parameters(&self) -> &[LookupParameter] {
        &self.parameters
    }
}

/// The query form one operation's `x-kimoby-lookup` describes.
#[derive(Debug, Clone)]
pub struct LookupForm {
    /// The collection path the query form is sent to.
    pub collection: Collection,
    /// The JSON pointer of `collection_path` in the manifest.
    pub collection_pointer: String,
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
    let collection = Collection::from_path(collection_path).ok_or_else(|| {
        wrong(
            &at,
            format!(
                "the mock serves look-ups on {}, not on `{collection_path}`",
                super::served_paths()
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
    let mut parameters: Vec<LookupParameter> = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let pointer = format!("{names_at}/{index}");
        let name = name.as_str().ok_or_else(|| wrong(&pointer, "must be a string"))?;
        if parameters.iter().any(|known| known.name == name) {
            return Err(wrong(&pointer, format!("`{name}` is listed twice")));
        }
        parameters.push(LookupParameter {
            name: name.to_owned(),
            pointer,
        });
    }
    Ok(LookupForm {
        collection,
        collection_pointer: at,
        method: operation.method.clone(),
        parameters: LookupParameters { parameters },
    })
}
