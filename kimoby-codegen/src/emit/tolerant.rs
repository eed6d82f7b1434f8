//! The tolerant profile of the schemas: `schemas/tolerant/<file>.json`, one
//! file per schema file, written by the generator from the strict files, for
//! whoever receives what the server sends (responses, webhook deliveries) and
//! must not refuse it the day the API adds something.
//!
//! The rule is written once, here, and it is what the generated Rust types
//! accept. In every definition the server sends (the lenient set, the same
//! one that makes the Rust types lenient), and in everything inline in it:
//!
//! - unknown properties are allowed (`additionalProperties: false` and
//!   `unevaluatedProperties: false` are dropped), as serde ignores them;
//! - an enum of strings accepts any string, as an open enum keeps an unknown
//!   value in `Other` (the known values stay, as `examples`);
//! - an optional property accepts `null`, as an `Option` reads it as `None`;
//! - a union tagged by a `const` property (`event_name`) also accepts an
//!   object with any other tag, as `WebhookEvent::Unknown` does.
//!
//! Everything else stays: required properties, types, formats and bounds.
//! A definition whose Rust type is hand-written
//! ([`RUNTIME_TYPES`](crate::RUNTIME_TYPES)) takes the schema
//! [`RUNTIME_TYPE_TOLERANCE`](crate::RUNTIME_TYPE_TOLERANCE) gives for it,
//! which says what that code reads.
//! Definitions only the client sends (request bodies) are copied unchanged.
//! Each file gets its own `$id` (`.../schemas/tolerant/<file>.json`), so its
//! relative references resolve to the other tolerant files.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::prepare::bundle::Bundle;
use crate::prepare::walk;

/// The folder of the tolerant profile, inside the schema folder.
pub const TOLERANT_DIRECTORY: &str = "tolerant";

/// Keywords that only describe a schema: they stay on the outside when a
/// schema is wrapped to accept `null`.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "$comment",
    "examples",
    "default",
    "deprecated",
    "readOnly",
];

/// The tolerant copy of every schema file and of the manifest, by file name.
pub fn profile(
    schemas: &BTreeMap<String, Value>,
    manifest: &Value,
    bundle: &Bundle,
    lenient: &BTreeSet<String>,
) -> BTreeMap<String, Value> {
    let lenient_locations: BTreeMap<(String, String), &str> = bundle
        .definitions
        .iter()
        .filter(|(name, _)| lenient.contains(*name))
        .map(|(name, definition)| {
            let key = (definition.location.file.clone(), definition.location.pointer.clone());
            (key, name.as_str())
        })
        .collect();
    let mut files = BTreeMap::new();
    for (name, schema) in schemas {
        let mut copy = schema.clone();
        if let Some(id) = copy.get("$id").and_then(Value::as_str) {
            let id = tolerant_id(id, name);
            copy["$id"] = Value::String(id);
        }
        // The root first: a tagged union reads its branches' tags in `$defs`.
        if let Some(definition) = lenient_locations.get(&(name.clone(), String::new())) {
            tolerate_definition(definition, &mut copy);
        }
        if let Some(Value::Object(definitions)) = copy.get_mut("$defs") {
            for (key, schema) in definitions.iter_mut() {
                let pointer = format!("/$defs/{}", key.replace('~', "~0").replace('/', "~1"));
                if let Some(definition) = lenient_locations.get(&(name.clone(), pointer)) {
                    tolerate_definition(definition, schema);
                }
            }
        }
        files.insert(name.clone(), copy);
    }
    files.insert(crate::read::load::MANIFEST_FILE.to_owned(), manifest.clone());
    files
}

/// `https://host/schemas/customer.json` → `https://host/schemas/tolerant/customer.json`.
fn tolerant_id(id: &str, file: &str) -> String {
    match id.strip_suffix(file) {
        Some(base) => format!("{base}{TOLERANT_DIRECTORY}/{file}"),
        None => format!("{}/{TOLERANT_DIRECTORY}/{file}", id.trim_end_matches('/')),
    }
}

/// The tolerant form of the definition `name`: what its hand-written type
/// accepts (annotations and `$defs` kept), or the generic rule.
fn tolerate_definition(name: &str, schema: &mut Value) {
    let hand_written = crate::RUNTIME_TYPE_TOLERANCE
        .iter()
        .find(|(replaced, _)| *replaced == name)
        .and_then(|(_, accepted)| serde_json::from_str::<Value>(accepted).ok());
    let (Some(Value::Object(accepted)), Value::Object(object)) = (hand_written, &mut *schema) else {
        tolerate(schema);
        return;
    };
    object.retain(|key, _| ANNOTATIONS.contains(&key.as_str()) || key.starts_with('$'));
    object.extend(accepted);
}

/// Applies the tolerance rule to `schema` and every subschema inline in it
/// (not to `$defs`, which are definitions of their own).
fn tolerate(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    for keyword in ["additionalProperties", "unevaluatedProperties"] {
        if object.get(keyword) == Some(&Value::Bool(false)) {
            object.remove(keyword);
        }
    }
    open_enum(object);
    open_tagged_union(object);
    // Not into `$defs` (definitions of their own), nor into what only
    // selects or refuses (`not`, `if`, `propertyNames`): widening those
    // would make the schema accept less, or something else.
    let _ = walk::for_each_subschema_mut(schema, |path, subschema| {
        if !matches!(
            path.first(),
            Some(&("$defs" | "definitions" | "not" | "if" | "propertyNames"))
        ) {
            tolerate(subschema);
        }
        Ok::<(), ()>(())
    });
    // Last, so that what is wrapped is already tolerant.
    let Value::Object(object) = schema else {
        return;
    };
    let required: BTreeSet<String> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) {
                accept_null(property);
            }
        }
    }
}

/// An `enum` of strings becomes `type: string`, its values kept as `examples`.
fn open_enum(object: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = object.get("enum") else {
        return;
    };
    if values.is_empty() || !values.iter().all(Value::is_string) {
        return;
    }
    let values = values.clone();
    object.remove("enum");
    object.insert("type".to_owned(), Value::String("string".to_owned()));
    object.entry("examples").or_insert(Value::Array(values));
}

/// A `oneOf` of local definitions that each require a string `const`
/// property of the same name (the tag) also accepts any object whose tag is
/// another string.
fn open_tagged_union(object: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = object.get("oneOf") else {
        return;
    };
    let definitions = object.get("$defs");
    let mut tag: Option<String> = None;
    let mut known = Vec::new();
    let mut common_required: Option<BTreeSet<String>> = None;
    for branch in branches {
        let target = match branch.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix("#/$defs/")
                .and_then(|name| definitions?.get(name)),
            None => Some(branch),
        };
        let Some(target) = target else {
            return;
        };
        let required: BTreeSet<String> = target
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let Some((name, value)) = target
            .get("properties")
            .and_then(Value::as_object)
            .and_then(|properties| {
                properties.iter().find_map(|(name, property)| {
                    let value = property.get("const")?.as_str()?;
                    required.contains(name).then(|| (name.clone(), value.to_owned()))
                })
            })
        else {
            return;
        };
        if tag.get_or_insert_with(|| name.clone()) != &name {
            return;
        }
        known.push(Value::String(value));
        common_required = Some(match common_required {
            None => required,
            Some(previous) => previous.intersection(&required).cloned().collect(),
        });
    }
    let (Some(tag), Some(required)) = (tag, common_required) else {
        return;
    };
    let other = json!({
        "description": format!("An object with a `{tag}` this version of the schemas does not know."),
        "type": "object",
        "properties": {tag.clone(): {"type": "string", "not": {"enum": known}}},
        "required": required.into_iter().collect::<Vec<_>>(),
    });
    if let Some(Value::Array(branches)) = object.get_mut("oneOf") {
        branches.push(other);
    }
}

/// Makes `schema` accept `null` too, unless it already does.
fn accept_null(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    if accepts_null(object) {
        return;
    }
    // `type: [t, "null"]` is enough when nothing else constrains the value;
    // with a `const`, an `enum` or subschemas, `null` must be a branch of its own.
    let restricted = ["const", "enum", "$ref", "anyOf", "oneOf", "allOf", "not"]
        .iter()
        .any(|keyword| object.contains_key(*keyword));
    match object.get("type") {
        Some(Value::String(kind)) if !restricted => {
            let kind = kind.clone();
            object.insert("type".to_owned(), json!([kind, "null"]));
        }
        _ => {
            let mut inner = Map::new();
            let keys: Vec<String> = object
                .keys()
                .filter(|key| !ANNOTATIONS.contains(&key.as_str()))
                .cloned()
                .collect();
            for key in keys {
                if let Some(value) = object.remove(&key) {
                    inner.insert(key, value);
                }
            }
            object.insert("anyOf".to_owned(), json!([Value::Object(inner), {"type": "null"}]));
        }
    }
}

/// Whether a schema visibly accepts `null`: a `null` type, or a `null`
/// branch of `anyOf`/`oneOf`.
fn accepts_null(object: &Map<String, Value>) -> bool {
    let null_type = |value: &Value| match value {
        Value::String(kind) => kind == "null",
        Value::Array(kinds) => kinds.iter().any(|kind| kind == "null"),
        _ => false,
    };
    if object.get("type").is_some_and(null_type) || object.get("const") == Some(&Value::Null) {
        return true;
    }
    ["anyOf", "oneOf"].iter().any(|keyword| {
        object.get(*keyword).and_then(Value::as_array).is_some_and(|branches| {
            branches
                .iter()
                .any(|branch| branch.as_object().is_some_and(accepts_null))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tolerated(mut schema: Value) -> Value {
        tolerate(&mut schema);
        schema
    }

    #[test]
    fn unknown_properties_enums_and_nulls() {
        let schema = tolerated(json!({
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "status": {"type": "string", "enum": ["a", "b"]},
                "owner": {"$ref": "owner.json"},
                "tags": {"type": "array", "items": {"type": "object", "additionalProperties": false}}
            },
            "required": ["id"],
            "additionalProperties": false
        }));
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "status": {"type": ["string", "null"], "examples": ["a", "b"]},
                    "owner": {"anyOf": [{"$ref": "owner.json"}, {"type": "null"}]},
                    "tags": {"type": ["array", "null"], "items": {"type": "object"}}
                },
                "required": ["id"]
            })
        );
    }

    #[test]
    fn already_nullable_properties_stay_as_they_are() {
        let nullable = json!({"anyOf": [{"$ref": "x.json"}, {"type": "null"}]});
        let schema = tolerated(json!({"type": "object", "properties": {"x": nullable.clone()}}));
        assert_eq!(schema["properties"]["x"], nullable);
    }

    #[test]
    fn tagged_unions_accept_other_tags() {
        let schema = tolerated(json!({
            "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
            "$defs": {
                "A": {"type": "object", "properties": {"kind": {"const": "a"}, "data": {}}, "required": ["kind", "data"]},
                "B": {"type": "object", "properties": {"kind": {"const": "b"}, "data": {}}, "required": ["kind", "data"]}
            }
        }));
        assert_eq!(
            schema["oneOf"][2]["properties"]["kind"],
            json!({"type": "string", "not": {"enum": ["a", "b"]}})
        );
        assert_eq!(schema["oneOf"][2]["required"], json!(["data", "kind"]));
    }

    #[test]
    fn ids_move_to_the_tolerant_folder() {
        assert_eq!(
            tolerant_id("https://example.invalid/schemas/customer.json", "customer.json"),
            "https://example.invalid/schemas/tolerant/customer.json"
        );
    }
}
