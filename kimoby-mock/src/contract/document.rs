//! Reading the manifest: JSON pointers for error messages, local `$ref`s,
//! and the operations of `paths` with their parameters.

use axum::http::Method;
use serde_json::{Map, Value};

use super::ManifestError;

/// How many `$ref`s in a row are followed before giving up (a cycle).
const MAX_REFERENCE_DEPTH: usize = 32;

/// The methods an OpenAPI path item can hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A value of the manifest and the JSON pointer it was found at.
#[derive(Debug, Clone)]
pub(super) struct Found<'a> {
    /// Where the value is (after following references).
    pub pointer: String,
    /// The value.
    pub value: &'a Value,
}

impl Found<'_> {
    /// The pointer of the member `key` of this value.
    pub fn child(&self, key: &str) -> String {
        child(&self.pointer, key)
    }
}

/// `base` followed by the member `key`, escaped as RFC 6901 says.
pub(super) fn child(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// An error at `pointer`.
pub(super) fn wrong(pointer: impl Into<String>, problem: impl Into<String>) -> ManifestError {
    ManifestError {
        pointer: pointer.into(),
        problem: problem.into(),
    }
}

/// `value` (found at `pointer`), or what its `$ref`s lead to inside the manifest.
pub(super) fn resolve<'a>(manifest: &'a Value, pointer: String, value: &'a Value) -> Result<Found<'a>, ManifestError> {
    let mut found = Found { pointer, value };
    for _ in 0..MAX_REFERENCE_DEPTH {
        let Some(reference) = found.value.get("$ref") else {
            return Ok(found);
        };
        let at = found.child("$ref");
        let target = reference
            .as_str()
            .and_then(|reference| reference.strip_prefix('#'))
            .ok_or_else(|| {
                wrong(
                    &at,
                    format!("only references inside the manifest (`#/...`) are read here, not {reference}"),
                )
            })?;
        let value = manifest
            .pointer(target)
            .ok_or_else(|| wrong(&at, format!("`#{target}` names nothing in the manifest")))?;
        found = Found {
            pointer: target.to_owned(),
            value,
        };
    }
    Err(wrong(
        found.pointer,
        format!("more than {MAX_REFERENCE_DEPTH} references in a row (a cycle?)"),
    ))
}

/// One operation of `paths`.
#[derive(Debug, Clone)]
pub(super) struct Operation<'a> {
    /// The key of `paths` (`/customers/{id}`).
    pub path: &'a str,
    /// The method.
    pub method: Method,
    /// The operation object and its pointer (`/paths/~1customers/get`).
    pub found: Found<'a>,
    /// The path item holding the operation, and its pointer.
    path_item: Found<'a>,
}

/// Every operation of the manifest, in the manifest's order.
pub(super) fn operations(manifest: &Value) -> Result<Vec<Operation<'_>>, ManifestError> {
    let paths = object(manifest.get("paths"), "/paths", "the endpoints")?;
    let mut operations = Vec::new();
    for (path, item) in paths {
        let item_pointer = child("/paths", path);
        let item = resolve(manifest, item_pointer, item)?;
        object(Some(item.value), &item.pointer, "a path item")?;
        for method in METHODS {
            let Some(operation) = item.value.get(method) else {
                continue;
            };
            let pointer = item.child(method);
            object(Some(operation), &pointer, "an operation")?;
            operations.push(Operation {
                path,
                method: Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                    .map_err(|error| wrong(&pointer, error.to_string()))?,
                found: Found {
                    pointer,
                    value: operation,
                },
                path_item: item.clone(),
            });
        }
    }
    Ok(operations)
}

impl<'a> Operation<'a> {
    /// The member `name` of the operation (`x-kimoby-lookup`, `requestBody`), if it has it.
    pub fn member(&self, name: &str) -> Option<Found<'a>> {
        self.found.value.get(name).map(|value| Found {
            pointer: self.found.child(name),
            value,
        })
    }

    /// The query parameter `name`, from the operation's `parameters` or else
    /// its path item's, references followed.
    pub fn query_parameter(&self, manifest: &'a Value, name: &str) -> Result<Option<Found<'a>>, ManifestError> {
        for holder in [&self.found, &self.path_item] {
            let Some(parameters) = holder.value.get("parameters") else {
                continue;
            };
            let pointer = holder.child("parameters");
            let parameters = parameters
                .as_array()
                .ok_or_else(|| wrong(&pointer, "must be an array of parameters"))?;
            for (index, parameter) in parameters.iter().enumerate() {
                let parameter = resolve(manifest, child(&pointer, &index.to_string()), parameter)?;
                object(Some(parameter.value), &parameter.pointer, "a parameter")?;
                if parameter.value.get("name").and_then(Value::as_str) == Some(name)
                    && parameter.value.get("in").and_then(Value::as_str) == Some("query")
                {
                    return Ok(Some(parameter));
                }
            }
        }
        Ok(None)
    }
}

/// `value` as an object; an error naming `what` was expected at `pointer` otherwise.
pub(super) fn object<'a>(
    value: Option<&'a Value>,
    pointer: &str,
    what: &str,
) -> Result<&'a Map<String, Value>, ManifestError> {
    value
        .and_then(Value::as_object)
        .ok_or_else(|| wrong(pointer, format!("must be an object ({what})")))
}

/// The string member `key` of `holder`; an error if it is missing or not a string.
pub(super) fn string<'a>(holder: &Found<'a>, key: &str) -> Result<&'a str, ManifestError> {
    holder
        .value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| wrong(holder.child(key), "must be a string"))
}
