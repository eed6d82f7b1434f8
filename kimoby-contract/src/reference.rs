//! Internal references of the manifest (`{"$ref": "#/components/..."}`),
//! followed to what they name.

use serde_json::Value;

use crate::location::{ContractError, Location, Result};

/// How many internal references in a row are followed before giving up.
const MAX_REFERENCE_DEPTH: usize = 32;

/// Follows an internal `#/...` reference, once or repeatedly; an error at
/// the `$ref` that names nothing or another document.
pub(crate) fn resolve_internal<'a>(
    document: &'a Value,
    mut value: &'a Value,
    location: &Location,
) -> Result<&'a Value> {
    let mut current = location.clone();
    for _ in 0..MAX_REFERENCE_DEPTH {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(ContractError::new(
                &current.child("$ref"),
                format!("only references inside the manifest (`#/...`) are read here, not `{reference}`"),
            ));
        };
        value = document.pointer(pointer).ok_or_else(|| {
            ContractError::new(
                &current.child("$ref"),
                format!("`{reference}` does not exist in the manifest"),
            )
        })?;
        current = current.at(pointer);
    }
    Err(ContractError::new(
        &current,
        format!("more than {MAX_REFERENCE_DEPTH} references in a row (a cycle?)"),
    ))
}
