//! The single-file manifests, `schemas/bundled/openapi.json` (strict) and
//! `schemas/bundled/openapi.tolerant.json` (tolerant), for code generators
//! in other languages: many cannot follow a reference to another file, or
//! try to fetch a schema's `$id`, or make two models of one file reached by
//! two paths.
//!
//! Each is the manifest of its profile with:
//!
//! - every schema file (and `$defs` entry) inlined once under
//!   `components/schemas`, named as its Rust type (the `title`, in
//!   UpperCamelCase), with `$schema`, `$id` and `$defs` removed and every
//!   reference rewritten to `#/components/schemas/<Name>`: no reference to
//!   another file, nothing a tool could fetch;
//! - every look-up of `x-kimoby-lookup` written as operations of their own,
//!   derived here so that the fact stays in one place: for each query
//!   parameter other than the path parameter, a copy of the operation on the
//!   path key `<collection path>?<name>={<name>}` (for example
//!   `GET /customers?reference={reference}`, `retrieveCustomerByReference`),
//!   whose value is a path parameter. OpenAPI holds one operation per path
//!   and method, and `GET /customers` is already the list: a path key with
//!   the query in its template is the one form in which every generator
//!   substitutes and percent-encodes the value (a `+` as `%2B`) and types
//!   the answer as the record, not as the list;
//! - no `requestBody` in `components/links` (openapi-generator's validator
//!   accepts only a runtime expression string there; generators ignore
//!   links, and the bodies stay in `schemas/openapi.json`).

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use kimoby_contract::{Contract, Lookup};
use serde_json::{Map, Value, json};

use crate::error::{Error, Location, Result};
use crate::prepare::bundle::{self, Bundle, DEFINITIONS_PREFIX};
use crate::read::load::MANIFEST_FILE;

/// The folder of the single-file manifests, inside the schema folder.
pub const BUNDLED_DIRECTORY: &str = "bundled";
/// The strict single-file manifest, inside [`BUNDLED_DIRECTORY`].
pub const STRICT_FILE: &str = "openapi.json";
/// The tolerant single-file manifest, inside [`BUNDLED_DIRECTORY`].
pub const TOLERANT_FILE: &str = "openapi.tolerant.json";

/// Where bundled references point.
pub const COMPONENTS_PREFIX: &str = "#/components/schemas/";

/// Keys whose values are data, not part of the document's structure: a
/// `$ref` in them is not a reference.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "const", "enum"];

/// The single-file manifest of one profile: `schemas` (file name to schema)
/// and `manifest` (that profile's `openapi.json`); `contract` is the
/// contract model of the manifest (the look-ups are read from it, the same
/// in both profiles).
pub fn bundle_manifest(schemas: &BTreeMap<String, Value>, manifest: &Value, contract: &Contract) -> Result<Value> {
    let bundle = Bundle::new(schemas)?;
    let mut document = manifest.clone();
    let root = Location::root(MANIFEST_FILE);
    rewrite_file_references(&mut document, &root, &bundle)?;
    let Some(object) = document.as_object_mut() else {
        return Err(Error::Manifest {
            location: root,
            message: "the manifest must be a JSON object".to_owned(),
        });
    };
    object.remove("$id");
    let derived = derived_lookup_operations(object, contract)?;
    if let Some(Value::Object(paths)) = object.get_mut("paths") {
        for (path, methods) in derived {
            let item = paths.entry(path).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(item) = item {
                item.extend(methods);
            }
        }
    }
    // openapi-generator's validator refuses a link's `requestBody` unless it
    // is a runtime expression string; generators ignore links, and the
    // bodies stay in `schemas/openapi.json` for the tools that follow links.
    if let Some(Value::Object(links)) = object
        .get_mut("components")
        .and_then(|components| components.get_mut("links"))
    {
        for link in links.values_mut() {
            if let Value::Object(link) = link {
                link.remove("requestBody");
            }
        }
    }
    let components = object.entry("components").or_insert_with(|| json!({}));
    let Value::Object(components) = components else {
        return Err(Error::Manifest {
            location: root.child("components"),
            message: "`components` must be an object".to_owned(),
        });
    };
    // Schemas the manifest itself holds stay, beside the files'.
    let schemas_component = components.entry("schemas").or_insert_with(|| json!({}));
    let Value::Object(schemas_component) = schemas_component else {
        return Err(Error::Manifest {
            location: root.child("components").child("schemas"),
            message: "`components/schemas` must be an object".to_owned(),
        });
    };
    for (name, definition) in &bundle.definitions {
        if schemas_component.contains_key(name) {
            return Err(Error::Manifest {
                location: root.child("components").child("schemas").child(name),
                message: format!(
                    "the schema file {} is bundled under this name: rename one of them",
                    definition.location
                ),
            });
        }
        let mut schema = definition.schema.clone();
        point_at_components(&mut schema);
        schemas_component.insert(name.clone(), schema);
    }
    Ok(document)
}

/// Rewrites every reference to a schema file (`customer.json`,
/// `customer.json#/$defs/Name`) in the manifest to its component.
fn rewrite_file_references(value: &mut Value, location: &Location, bundle: &Bundle) -> Result<()> {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref")
                && !reference.starts_with('#')
            {
                let name = component_name(reference, bundle, &location.child("$ref"))?;
                object.insert("$ref".to_owned(), Value::String(format!("{COMPONENTS_PREFIX}{name}")));
            }
            for (key, nested) in object.iter_mut() {
                if !DATA_KEYS.contains(&key.as_str()) {
                    rewrite_file_references(nested, &location.child(key), bundle)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .try_for_each(|(index, item)| rewrite_file_references(item, &location.child(&index.to_string()), bundle)),
        _ => Ok(()),
    }
}

/// The component a reference from the manifest to a schema file names.
fn component_name(reference: &str, bundle: &Bundle, location: &Location) -> Result<String> {
    let unresolved = |reason: &str| Error::UnresolvedReference {
        location: location.clone(),
        reference: reference.to_owned(),
        reason: reason.to_owned(),
    };
    let (document, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let file = document.strip_prefix("./").unwrap_or(document);
    let Some(root_name) = bundle.file_roots.get(file) else {
        return Err(unresolved("there is no such file in the schema folder"));
    };
    let name = if fragment.is_empty() || fragment == "/" {
        root_name.clone()
    } else {
        let key = fragment
            .strip_prefix("/$defs/")
            .or_else(|| fragment.strip_prefix("/definitions/"))
            .ok_or_else(|| unresolved("only a file's root or `#/$defs/<Name>` can be referenced"))?;
        bundle::type_name(&key.replace("~1", "/").replace("~0", "~"))
    };
    if bundle.definitions.contains_key(&name) {
        Ok(name)
    } else {
        Err(unresolved("the file has no such definition"))
    }
}

/// Rewrites the bundle's `#/definitions/<Name>` references to components.
fn point_at_components(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref")
                && let Some(name) = reference.strip_prefix(DEFINITIONS_PREFIX)
            {
                *reference = format!("{COMPONENTS_PREFIX}{name}");
            }
            for (key, nested) in object.iter_mut() {
                if !DATA_KEYS.contains(&key.as_str()) {
                    point_at_components(nested);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(point_at_components),
        _ => {}
    }
}

/// The operations of every look-up's query forms (the contract's
/// `x-kimoby-lookup`), by path key and method, in manifest order.
fn derived_lookup_operations(
    manifest: &Map<String, Value>,
    contract: &Contract,
) -> Result<Vec<(String, Map<String, Value>)>> {
    let mut derived: Vec<(String, Map<String, Value>)> = Vec::new();
    for operation in &contract.operations {
        let Some(lookup) = &operation.extensions.lookup else {
            continue;
        };
        let method = operation.method.key();
        let raw = manifest
            .get("paths")
            .and_then(|paths| paths.get(&operation.path.template))
            .and_then(|item| item.get(method))
            .ok_or_else(|| Error::Manifest {
                location: operation.location.clone(),
                message: "the operation is not in this profile's manifest".to_owned(),
            })?;
        for name in lookup.names() {
            if name == lookup.path_parameter {
                continue;
            }
            // The contract found the parameter, in the operation or in
            // `components/parameters`; its object is copied as written.
            let parameter = operation
                .parameters
                .iter()
                .chain(&contract.component_parameters)
                .find(|parameter| parameter.is_query(name))
                .and_then(|parameter| json_pointer(manifest, &parameter.source.pointer))
                .ok_or_else(|| Error::Manifest {
                    location: lookup.location.child("query_parameters"),
                    message: format!("no query parameter `{name}` describes this look-up"),
                })?;
            let key = format!("{}?{name}={{{name}}}", lookup.collection_path);
            let copy = query_form(
                manifest,
                raw,
                &operation.id,
                lookup,
                name,
                parameter,
                &operation.location,
            )?;
            match derived.iter_mut().find(|(existing, _)| *existing == key) {
                Some((_, methods)) => {
                    methods.insert(method.to_owned(), copy);
                }
                None => derived.push((key, Map::from_iter([(method.to_owned(), copy)]))),
            }
        }
    }
    Ok(derived)
}

/// The value at the JSON pointer `pointer` of the document `manifest`.
fn json_pointer<'a>(manifest: &'a Map<String, Value>, pointer: &str) -> Option<&'a Value> {
    let rest = pointer.strip_prefix('/')?;
    let (first, tail) = rest
        .split_once('/')
        .map_or((rest, None), |(first, tail)| (first, Some(tail)));
    let top = manifest.get(&first.replace("~1", "/").replace("~0", "~"))?;
    match tail {
        None => Some(top),
        Some(tail) => top.pointer(&format!("/{tail}")),
    }
}

/// `parameter` itself, or the entry of `components/parameters` its `$ref` names.
fn resolve_parameter<'a>(manifest: &'a Map<String, Value>, parameter: &'a Value) -> Option<&'a Value> {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|key| manifest.get("components")?.get("parameters")?.get(key)),
        None => Some(parameter),
    }
}

/// A copy of `operation` that finds the record by the query parameter
/// `name`, written as a path parameter of the path key.
fn query_form(
    manifest: &Map<String, Value>,
    operation: &Value,
    operation_id: &str,
    lookup: &Lookup,
    name: &str,
    parameter: &Value,
    location: &Location,
) -> Result<Value> {
    let mut copy = operation.clone();
    let Some(object) = copy.as_object_mut() else {
        return Err(Error::Manifest {
            location: location.clone(),
            message: "an operation must be a JSON object".to_owned(),
        });
    };
    object.remove("x-kimoby-lookup");
    object.insert(
        "operationId".to_owned(),
        Value::String(format!("{operation_id}By{}", name.to_upper_camel_case())),
    );
    if let Some(Value::String(summary)) = object.get_mut("summary") {
        summary.push_str(&format!(" (by `{name}`)"));
    }
    let note = format!(
        "The record is found by its `{name}`, sent as the query parameter `{name}` on `{}` \
         (percent-encoded: a `+` is sent as `%2B`). Written from the `x-kimoby-lookup` of `{operation_id}`: \
         the same call as `{operation_id}`, which finds the record by its `{}` in the path.",
        lookup.collection_path, lookup.path_parameter
    );
    let description = match object.get("description").and_then(Value::as_str) {
        Some(existing) => format!("{existing}\n\n{note}"),
        None => note,
    };
    object.insert("description".to_owned(), Value::String(description));
    let mut path_parameter = Map::new();
    path_parameter.insert("name".to_owned(), json!(name));
    path_parameter.insert("in".to_owned(), json!("path"));
    path_parameter.insert("required".to_owned(), json!(true));
    for key in ["description", "schema", "example"] {
        if let Some(value) = parameter.get(key) {
            path_parameter.insert(key.to_owned(), value.clone());
        }
    }
    let parameters = object.entry("parameters").or_insert_with(|| json!([]));
    if let Value::Array(parameters) = parameters {
        parameters.retain(|existing| !is_lookup_parameter(manifest, existing, lookup));
        parameters.insert(0, Value::Object(path_parameter));
    }
    Ok(copy)
}

/// Whether `parameter` (inline, or a reference to `components/parameters`)
/// finds the record: the path form's path parameter, or a look-up query
/// parameter (one per request: the derived operation sends its own).
fn is_lookup_parameter(manifest: &Map<String, Value>, parameter: &Value, lookup: &Lookup) -> bool {
    resolve_parameter(manifest, parameter).is_some_and(|parameter| {
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default();
        match parameter.get("in").and_then(Value::as_str) {
            Some("path") => name == lookup.path_parameter,
            Some("query") => lookup.names().any(|query| query == name),
            _ => false,
        }
    })
}
