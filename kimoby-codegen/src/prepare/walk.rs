//! Schema-aware traversal: visits the subschemas of a JSON Schema object by
//! keyword (so a property *named* `enum` or `$ref` is never mistaken for the
//! keyword), with the JSON pointer segments that lead to each.

use serde_json::Value;

/// Keywords whose value is one schema.
const SINGLE_SCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
];

/// Keywords whose value is an array of schemas.
const SCHEMA_ARRAY_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value maps names to schemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// Calls `visit` with the pointer segments and a mutable reference for every
/// direct subschema of `schema`.
pub fn for_each_subschema_mut<E>(
    schema: &mut Value,
    mut visit: impl FnMut(&[&str], &mut Value) -> Result<(), E>,
) -> Result<(), E> {
    let Value::Object(object) = schema else {
        return Ok(());
    };
    for (keyword, value) in object.iter_mut() {
        let keyword = keyword.as_str();
        let is_single = SINGLE_SCHEMA_KEYWORDS.contains(&keyword);
        match value {
            // `items` may still be an array of schemas in old drafts.
            Value::Array(items) if is_single || SCHEMA_ARRAY_KEYWORDS.contains(&keyword) => {
                for (index, item) in items.iter_mut().enumerate() {
                    visit(&[keyword, &index.to_string()], item)?;
                }
            }
            Value::Object(entries) if SCHEMA_MAP_KEYWORDS.contains(&keyword) => {
                for (name, item) in entries.iter_mut() {
                    visit(&[keyword, name], item)?;
                }
            }
            _ if is_single => visit(&[keyword], value)?,
            _ => {}
        }
    }
    Ok(())
}

/// Like [`for_each_subschema_mut`], read-only.
pub fn for_each_subschema(schema: &Value, mut visit: impl FnMut(&[&str], &Value)) {
    let Value::Object(object) = schema else {
        return;
    };
    for (keyword, value) in object {
        let keyword = keyword.as_str();
        let is_single = SINGLE_SCHEMA_KEYWORDS.contains(&keyword);
        match value {
            Value::Array(items) if is_single || SCHEMA_ARRAY_KEYWORDS.contains(&keyword) => {
                for (index, item) in items.iter().enumerate() {
                    visit(&[keyword, &index.to_string()], item);
                }
            }
            Value::Object(entries) if SCHEMA_MAP_KEYWORDS.contains(&keyword) => {
                for (name, item) in entries {
                    visit(&[keyword, name], item);
                }
            }
            _ if is_single => visit(&[keyword], value),
            _ => {}
        }
    }
}
