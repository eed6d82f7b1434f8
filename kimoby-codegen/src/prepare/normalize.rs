//! Shape normalization: rewrites the bundled schemas into forms typify 0.8
//! converts correctly, without changing the files in `schemas/` (they stay the
//! strict contract). `kimoby-codegen/TYPIFY.md` says why each rule exists: the
//! typify behaviour it works around, with a schema before and after the rule.
//!
//! Rules applied to every definition:
//! - keywords that only validate and have no Rust shape (`if`/`then`/`else`,
//!   `propertyNames`, `minProperties`, …) are dropped;
//! - `format: date-time` without `type` gets `type: string`;
//! - `anyOf`/`oneOf` whose branches are all strings (`{format: email}` or
//!   `{const: ""}`) become one plain string;
//! - a `oneOf` or constrained value schema inside `additionalProperties` is
//!   hoisted into a named definition;
//! - a `oneOf` of references to objects that share a constant string property
//!   (the webhook `event_name`) gets its branches inlined, so typify sees the
//!   tag and emits a tagged enum;
//! - any other `anyOf`, and nullable definitions, are errors naming the place.
//!
//! Request definitions lose `default`: the server applies it, and sending it on
//! an update would overwrite a value the caller did not mean to touch.
//!
//! Rules applied to *lenient* definitions (those the server sends): string,
//! number and array constraints and `additionalProperties: false` are dropped,
//! so a value the server adds later still deserializes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::error::{Error, Location, Result};
use crate::prepare::bundle::{Bundle, DEFINITIONS_PREFIX, Definition};
use crate::prepare::walk;

/// Keywords dropped everywhere: they validate, but have no Rust type shape.
const VALIDATION_ONLY: &[&str] = &[
    "if",
    "then",
    "else",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentMediaType",
    "contentEncoding",
    "$comment",
    "examples",
];

/// Keywords dropped from lenient (server-sent) definitions.
const STRICT_ONLY: &[&str] = &[
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// Keys a schema may have and still count as "just a string" alternative.
const STRING_ALTERNATIVE_KEYS: &[&str] = &[
    "type",
    "const",
    "enum",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "title",
    "description",
];

/// Normalizes `bundle` in place. `lenient` names the definitions that are sent
/// by the server; `skip` names definitions replaced by hand-written types.
pub fn normalize(bundle: &mut Bundle, lenient: &BTreeSet<String>, skip: &BTreeSet<String>) -> Result<()> {
    let mut hoisted = BTreeMap::new();
    let originals: BTreeMap<String, Value> = bundle
        .definitions
        .iter()
        .filter(|(name, _)| !skip.contains(*name))
        .map(|(name, definition)| (name.clone(), definition.schema.clone()))
        .collect();
    for (name, definition) in bundle.definitions.iter_mut() {
        if skip.contains(name) {
            // typify substitutes the runtime type; its schema is never converted.
            definition.schema = json!({});
            continue;
        }
        reject_nullable_definition(definition)?;
        let mut context = Context {
            definition_name: name,
            lenient: lenient.contains(name),
            hoisted: &mut hoisted,
            originals: &originals,
        };
        normalize_schema(&mut definition.schema, &definition.location, &mut context)?;
    }
    for (name, definition) in hoisted {
        if let Some(existing) = bundle.definitions.get(&name) {
            return Err(Error::DuplicateTypeName {
                name,
                first: existing.location.clone(),
                second: definition.location,
            });
        }
        bundle.definitions.insert(name, definition);
    }
    Ok(())
}

struct Context<'a> {
    definition_name: &'a str,
    lenient: bool,
    hoisted: &'a mut BTreeMap<String, Definition>,
    /// Every definition as bundled, before normalization (for inlining).
    originals: &'a BTreeMap<String, Value>,
}

fn reject_nullable_definition(definition: &Definition) -> Result<()> {
    let nullable = match definition.schema.get("type") {
        Some(Value::Array(types)) => types.len() > 1 && types.iter().any(|kind| kind == "null"),
        _ => false,
    };
    if nullable {
        return Err(Error::Schema {
            location: definition.location.child("type"),
            message: "a definition cannot itself be nullable (typify would emit two items with one name): \
                      make the use site nullable with `oneOf: [{$ref}, {type: null}]`"
                .to_owned(),
        });
    }
    Ok(())
}

fn normalize_schema(schema: &mut Value, location: &Location, context: &mut Context<'_>) -> Result<()> {
    let Value::Object(object) = schema else {
        return Ok(());
    };
    for keyword in VALIDATION_ONLY {
        object.remove(*keyword);
    }
    // Old-style `definitions` inside a definition were hoisted by the bundler.
    if object.get("format").and_then(Value::as_str) == Some("date-time") && !object.contains_key("type") {
        object.insert("type".to_owned(), json!("string"));
    }
    collapse_string_alternatives(object);
    inline_tagged_variants(object, context.originals);
    if !context.lenient {
        // The server applies defaults; a request that sent them would, on an
        // update, reset a value the caller never meant to touch.
        object.remove("default");
    }
    if context.lenient {
        for keyword in STRICT_ONLY {
            object.remove(*keyword);
        }
        if object.get("additionalProperties") == Some(&Value::Bool(false)) {
            object.remove("additionalProperties");
        }
        if object
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(|format| format != "date-time")
        {
            object.remove("format");
        }
    }
    if object.contains_key("anyOf") {
        return Err(Error::Schema {
            location: location.child("anyOf"),
            message: "typify 0.8 miscompiles `anyOf` (it deserializes nothing at run time); only alternatives \
                      between strings are supported here: use `oneOf` with disjoint branches"
                .to_owned(),
        });
    }
    if object.contains_key("patternProperties") {
        return Err(Error::Schema {
            location: location.child("patternProperties"),
            message: "`patternProperties` has no typify shape: give the definition a hand-written runtime type \
                      (kimoby_codegen::RUNTIME_TYPES)"
                .to_owned(),
        });
    }
    hoist_map_value(object, location, context)?;
    walk::for_each_subschema_mut(schema, |segments, subschema| {
        let child = segments
            .iter()
            .fold(location.clone(), |location, segment| location.child(segment));
        normalize_schema(subschema, &child, context)
    })
}

/// `anyOf`/`oneOf` of string-only branches becomes a single string schema.
fn collapse_string_alternatives(object: &mut Map<String, Value>) {
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = object.get(keyword) else {
            continue;
        };
        let outer_is_string = match object.get("type") {
            None => true,
            Some(kind) => kind == "string",
        };
        if outer_is_string && !branches.is_empty() && branches.iter().all(is_string_alternative) {
            object.remove(keyword);
            object.insert("type".to_owned(), json!("string"));
        }
    }
}

fn is_string_alternative(branch: &Value) -> bool {
    let Value::Object(object) = branch else {
        return false;
    };
    let stringly = match (object.get("type"), object.get("const"), object.get("enum")) {
        (Some(kind), _, _) => kind == "string",
        (None, Some(constant), _) => constant.is_string(),
        (None, None, Some(Value::Array(values))) => values.iter().all(Value::is_string),
        (None, None, _) => object.contains_key("format") || object.contains_key("pattern"),
    };
    stringly && object.keys().all(|key| STRING_ALTERNATIVE_KEYS.contains(&key.as_str()))
}

/// typify panics on an unnamed `oneOf` or constrained string as a map value:
/// move such a schema into its own definition and refer to it.
fn hoist_map_value(object: &mut Map<String, Value>, location: &Location, context: &mut Context<'_>) -> Result<()> {
    let Some(value_schema) = object.get_mut("additionalProperties") else {
        return Ok(());
    };
    let Value::Object(value_object) = value_schema else {
        return Ok(());
    };
    let needs_name = !value_object.contains_key("$ref")
        && ["oneOf", "anyOf", "pattern", "format", "enum", "minLength", "maxLength"]
            .iter()
            .any(|keyword| value_object.contains_key(*keyword));
    if !needs_name {
        return Ok(());
    }
    let mut name = format!("{}Value", context.definition_name);
    let mut counter = 2;
    while context.hoisted.contains_key(&name) {
        name = format!("{}Value{counter}", context.definition_name);
        counter += 1;
    }
    let hoisted_location = location.child("additionalProperties");
    let mut hoisted_schema = Value::Object(std::mem::take(value_object));
    normalize_schema(&mut hoisted_schema, &hoisted_location, context)?;
    context.hoisted.insert(
        name.clone(),
        Definition {
            location: hoisted_location,
            schema: hoisted_schema,
        },
    );
    *value_schema = json!({ "$ref": format!("{DEFINITIONS_PREFIX}{name}") });
    Ok(())
}

/// typify recognizes a tagged union (`#[serde(tag = "event_name", content =
/// "data")]`) only when the `oneOf` branches are written inline; with `$ref`
/// branches it emits an untagged enum whose tag is a plain `String`, so the
/// first variant whose other fields fit wins whatever the tag says. A `oneOf`
/// whose branches all refer to objects sharing a constant string property gets
/// those objects inlined (the referenced definitions are still generated).
fn inline_tagged_variants(object: &mut Map<String, Value>, originals: &BTreeMap<String, Value>) {
    let Some(Value::Array(branches)) = object.get("oneOf") else {
        return;
    };
    let targets: Option<Vec<&Value>> = branches
        .iter()
        .map(|branch| {
            let name = branch.get("$ref")?.as_str()?.strip_prefix(DEFINITIONS_PREFIX)?;
            originals.get(name)
        })
        .collect();
    let Some(targets) = targets.filter(|targets| targets.len() > 1) else {
        return;
    };
    let mut shared_tags: Option<BTreeSet<&str>> = None;
    for target in &targets {
        let tags = constant_string_properties(target);
        shared_tags = Some(match shared_tags {
            None => tags,
            Some(shared) => shared.intersection(&tags).copied().collect(),
        });
    }
    if shared_tags.is_some_and(|shared| !shared.is_empty()) {
        let inlined = targets.into_iter().cloned().collect();
        object.insert("oneOf".to_owned(), Value::Array(inlined));
    }
}

/// Names of the required properties of an object schema that hold a constant string.
fn constant_string_properties(schema: &Value) -> BTreeSet<&str> {
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return BTreeSet::new();
    };
    properties
        .iter()
        .filter(|(name, property)| {
            required.contains(name.as_str()) && property.get("const").is_some_and(Value::is_string)
        })
        .map(|(name, _)| name.as_str())
        .collect()
}
