//! Errors of the typed model (`kimoby_codegen::model`): each malformed
//! `x-kimoby-*` extension, and each manifest shape the client cannot be
//! generated from, stops the generator with an [`Error::Manifest`] at the
//! JSON pointer a maintainer has to fix, with a message saying what is
//! wrong.
//!
//! Every test starts from one valid manifest (checked by
//! `the_base_manifest_generates`), changes one thing and asserts the exact
//! location and a key part of the message. Inputs are built in memory with
//! `SchemaFolder::from_texts`, as in `errors.rs`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use kimoby_codegen::{Error, Location, Options, SchemaFolder, generate_from};

mod integer_bounds;
mod lookup;
mod operations;
mod pagination;
mod parameter_groups;
mod servers;

const GIZMO: &str =
    r#"{"title": "Gizmo", "type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}"#;
const GIZMO_REQUEST: &str = r#"{"title": "GizmoRequest", "type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}"#;
const GIZMOS: &str = r#"{"title": "GizmoList", "type": "object",
  "properties": {"gizmos": {"type": "array", "items": {"$ref": "gizmo.json"}}, "pagination": {"$ref": "page_counts.json"}},
  "required": ["gizmos", "pagination"]}"#;
const PAGE_COUNTS: &str = r#"{"title": "PageCounts", "type": "object",
  "properties": {"page": {"type": "integer"}, "pages": {"type": "integer"}, "label": {"type": "string"}},
  "required": ["page", "pages", "label"]}"#;

/// Where the list, the look-up `GET`, its `DELETE`, the create and the
/// plain `POST` are in the manifest.
const LIST: &str = "/paths/~1gizmos/get";
const CREATE: &str = "/paths/~1gizmos/put";
const RETRIEVE: &str = "/paths/~1gizmos~1{id}/get";
const DELETE: &str = "/paths/~1gizmos~1{id}/delete";
const REFRESH: &str = "/paths/~1gizmos~1{id}~1refresh/post";

fn json_response(file: &str) -> Value {
    json!({"description": "ok", "content": {"application/json": {"schema": {"$ref": file}}}})
}

/// A valid manifest using every extension: a paginated list with a date
/// group, a `PUT` create that is not repeatable, a look-up `GET` and
/// `DELETE`, and a `POST` with a plain path parameter.
fn base() -> Value {
    let lookup = json!({"path_parameter": "id", "collection_path": "/gizmos", "query_parameters": ["id", "serial"]});
    let id = json!({"$ref": "#/components/parameters/GizmoId"});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {
            "/gizmos": {
                "get": {
                    "operationId": "listGizmos", "tags": ["gizmos"],
                    "parameters": [
                        {"$ref": "#/components/parameters/Page"},
                        {"$ref": "#/components/parameters/PerPage"},
                        {"name": "color", "in": "query", "schema": {"type": "string"}},
                        {"name": "date_start", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                        {"name": "date_end", "in": "query", "schema": {"type": "string", "format": "date-time"}}
                    ],
                    "responses": {"200": json_response("gizmos.json")},
                    "x-kimoby-pagination": {
                        "items": "gizmos", "page_parameter": "page", "per_page_parameter": "per_page",
                        "pagination_property": "pagination", "page_field": "page", "pages_field": "pages"
                    },
                    "x-kimoby-parameter-groups": [["date_start", "date_end"]]
                },
                "put": {
                    "operationId": "createGizmo", "tags": ["gizmos"],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "gizmo_request.json"}}}},
                    "responses": {"200": json_response("gizmo.json"), "201": json_response("gizmo.json")},
                    "x-kimoby-repeatable": false
                }
            },
            "/gizmos/{id}": {
                "get": {
                    "operationId": "retrieveGizmo", "tags": ["gizmos"], "parameters": [id],
                    "responses": {"200": json_response("gizmo.json")}, "x-kimoby-lookup": lookup
                },
                "delete": {
                    "operationId": "deleteGizmo", "tags": ["gizmos"], "parameters": [id],
                    "responses": {"204": {"description": "no body"}}, "x-kimoby-lookup": lookup
                }
            },
            "/gizmos/{id}/refresh": {
                "post": {
                    "operationId": "refreshGizmo", "tags": ["gizmos"], "parameters": [id],
                    "responses": {"200": json_response("gizmo.json")}, "x-kimoby-repeatable": true
                }
            }
        },
        "components": {"parameters": {
            "Page": {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
            "PerPage": {"name": "per_page", "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 25}},
            "GizmoId": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
            "LookupId": {"name": "id", "in": "query", "schema": {"type": "string"}},
            "LookupSerial": {"name": "serial", "in": "query", "schema": {"type": "string"}},
            "SerialNumber": {"name": "serial_number", "in": "query", "schema": {"type": "string"}},
            "SerialNumberCamel": {"name": "serialNumber", "in": "query", "schema": {"type": "string"}}
        }}
    })
}

/// Generates from the base schema files, `manifest` and `gizmos` (the list
/// schema) and `page_counts` (its pagination schema).
fn generate_files(manifest: &Value, gizmos: &str, page_counts: &str) -> Result<(), Error> {
    let texts: BTreeMap<String, String> = [
        ("openapi.json", manifest.to_string()),
        ("gizmo.json", GIZMO.to_owned()),
        ("gizmo_request.json", GIZMO_REQUEST.to_owned()),
        ("gizmos.json", gizmos.to_owned()),
        ("page_counts.json", page_counts.to_owned()),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), text))
    .collect();
    generate_from(&SchemaFolder::from_texts(texts)?, &Options::default()).map(|_| ())
}

/// The manifest at `pointer` of `manifest`, which must exist.
fn at<'a>(manifest: &'a mut Value, pointer: &str) -> &'a mut Value {
    manifest
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the base manifest has no `{pointer}`"))
}

/// Removes the key that ends `pointer`.
fn remove(manifest: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer with a parent");
    let key = key.replace("~1", "/").replace("~0", "~");
    at(manifest, parent)
        .as_object_mut()
        .expect("an object")
        .remove(&key)
        .unwrap_or_else(|| panic!("the base manifest has no `{pointer}`"));
}

/// The generation fails with an `Error::Manifest` at `openapi.json#pointer`
/// whose message contains `fragment`.
fn assert_error(result: Result<(), Error>, pointer: &str, fragment: &str) {
    let expected = Location {
        file: "openapi.json".to_owned(),
        pointer: pointer.to_owned(),
    };
    match result {
        Err(Error::Manifest { location, message }) => {
            assert_eq!(location, expected, "{message}");
            assert!(message.contains(fragment), "`{message}` does not contain `{fragment}`");
        }
        Err(other) => panic!("expected a manifest error at {expected}, got {other:?}"),
        Ok(()) => panic!("generation succeeded, expected a manifest error at {expected}"),
    }
}

/// The base manifest with `change` applied fails at `pointer` with `fragment`.
fn assert_manifest_error(change: impl FnOnce(&mut Value), pointer: &str, fragment: &str) {
    let mut manifest = base();
    change(&mut manifest);
    assert_error(generate_files(&manifest, GIZMOS, PAGE_COUNTS), pointer, fragment);
}

#[test]
fn the_base_manifest_generates() {
    generate_files(&base(), GIZMOS, PAGE_COUNTS).expect("the base manifest is valid");
}
