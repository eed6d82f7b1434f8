//! The extension format is defined once: `extensions.schema.json`
//! ([`kimoby_contract::EXTENSIONS_SCHEMA`]), which the Python manifest
//! check validates against, and the Rust reader of the contract give the
//! same verdict on every shape of every `x-kimoby-*` extension: the valid
//! ones, and each malformed shape the generator's error tests
//! (`kimoby-codegen/tests/extension_errors/`) cover. A value the schema
//! refuses is an error of the reader at the extension's pointer.
//!
//! What a schema cannot see (a name that is not a parameter of the
//! operation, a page parameter without a minimum, a name in two groups) is
//! checked by the reader alone, and is not part of this comparison: every
//! case below names parameters the operation has.

use serde_json::{Value, json};

use kimoby_contract::{Contract, EXTENSIONS_SCHEMA};

/// An operation with every parameter the cases name, paginated and looked up.
fn operation() -> Value {
    json!({
        "operationId": "retrieveGizmo",
        "tags": ["gizmos"],
        "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
            {"name": "date_start", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            {"name": "date_end", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            {"name": "serial", "in": "query", "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "gizmo.json"}}}}}
    })
}

fn pagination() -> Value {
    json!({
        "items": "gizmos", "page_parameter": "page", "per_page_parameter": "per_page",
        "pagination_property": "pagination", "page_field": "page", "pages_field": "pages"
    })
}

fn lookup() -> Value {
    json!({"path_parameter": "id", "collection_path": "/gizmos", "query_parameters": ["id", "serial"]})
}

/// `value` with the member `key` set to `member` (removed when `None`).
fn with(mut value: Value, key: &str, member: Option<Value>) -> Value {
    let object = value.as_object_mut().expect("an object");
    match member {
        Some(member) => object.insert(key.to_owned(), member),
        None => object.remove(key),
    };
    value
}

/// Every case: the extension key, its value, and whether it is well formed.
fn cases() -> Vec<(&'static str, Value, bool)> {
    let mut cases = vec![
        ("x-kimoby-pagination", pagination(), true),
        ("x-kimoby-pagination", json!(["page"]), false),
        (
            "x-kimoby-pagination",
            with(pagination(), "items", Some(json!(""))),
            false,
        ),
        (
            "x-kimoby-pagination",
            with(pagination(), "page_field", Some(json!(3))),
            false,
        ),
        (
            "x-kimoby-pagination",
            with(pagination(), "per_page", Some(json!("per_page"))),
            false,
        ),
        ("x-kimoby-lookup", lookup(), true),
        ("x-kimoby-lookup", json!("id"), false),
        ("x-kimoby-lookup", with(lookup(), "path_parameter", None), false),
        (
            "x-kimoby-lookup",
            with(lookup(), "path_parameter", Some(json!(1))),
            false,
        ),
        ("x-kimoby-lookup", with(lookup(), "collection_path", None), false),
        (
            "x-kimoby-lookup",
            with(lookup(), "collection_path", Some(json!("/gizmos/{kind}"))),
            false,
        ),
        (
            "x-kimoby-lookup",
            with(lookup(), "collection_path", Some(json!("gizmos"))),
            false,
        ),
        ("x-kimoby-lookup", with(lookup(), "query_parameters", None), false),
        (
            "x-kimoby-lookup",
            with(lookup(), "query_parameters", Some(json!([]))),
            false,
        ),
        (
            "x-kimoby-lookup",
            with(lookup(), "query_parameters", Some(json!("serial"))),
            false,
        ),
        (
            "x-kimoby-lookup",
            with(lookup(), "query_parameters", Some(json!([5, "serial"]))),
            false,
        ),
        (
            "x-kimoby-lookup",
            with(lookup(), "collection", Some(json!("/gizmos"))),
            false,
        ),
        ("x-kimoby-parameter-groups", json!([["date_start", "date_end"]]), true),
        ("x-kimoby-parameter-groups", json!([]), true),
        (
            "x-kimoby-parameter-groups",
            json!({"dates": ["date_start", "date_end"]}),
            false,
        ),
        ("x-kimoby-parameter-groups", json!(["date_start", "date_end"]), false),
        ("x-kimoby-parameter-groups", json!([["date_start"]]), false),
        ("x-kimoby-parameter-groups", json!([["date_start", 3]]), false),
        (
            "x-kimoby-parameter-groups",
            json!([["date_start", "date_start"]]),
            false,
        ),
        ("x-kimoby-repeatable", json!(false), true),
        ("x-kimoby-repeatable", json!(true), true),
        ("x-kimoby-repeatable", json!("no"), false),
        ("x-kimoby-repeatable", json!(null), false),
        ("x-kimoby-foo", json!(true), false),
        ("x-kimoby-repeatable-everywhere", json!(false), false),
        // Other vendors' extensions are not ours to check.
        ("x-other-tool", json!({"anything": 1}), true),
    ];
    for key in [
        "items",
        "page_parameter",
        "per_page_parameter",
        "pagination_property",
        "page_field",
        "pages_field",
    ] {
        cases.push(("x-kimoby-pagination", with(pagination(), key, None), false));
    }
    cases
}

fn manifest_with(operation: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/gizmos/{id}": {"get": operation}, "/gizmos": {}},
        "components": {"parameters": {"LookupId": {"name": "id", "in": "query", "schema": {"type": "string"}}}}
    })
}

#[test]
fn the_schema_and_the_reader_agree_on_every_extension_shape() {
    let schema: Value = serde_json::from_str(EXTENSIONS_SCHEMA).expect("the extension schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the extension schema is a valid JSON Schema");
    for (key, value, well_formed) in cases() {
        let operation = with(operation(), key, Some(value.clone()));
        let schema_accepts = validator.is_valid(&operation);
        let read = Contract::from_document(&manifest_with(operation));
        assert_eq!(schema_accepts, well_formed, "the schema's verdict on {key}: {value}");
        assert_eq!(
            read.is_ok(),
            well_formed,
            "the reader's verdict on {key}: {value}: {:?}",
            read.as_ref().err()
        );
        if let Err(error) = read {
            let extension = format!("/paths/~1gizmos~1{{id}}/get/{key}");
            assert!(
                error.location.pointer.starts_with(&extension),
                "{key}: {value} is refused at {}, not under {extension}",
                error.location
            );
        }
    }
}

#[test]
fn the_reader_gives_the_typed_values_of_a_well_formed_operation() {
    let mut operation = operation();
    for (key, value) in [
        ("x-kimoby-pagination", pagination()),
        ("x-kimoby-lookup", lookup()),
        ("x-kimoby-parameter-groups", json!([["date_start", "date_end"]])),
        ("x-kimoby-repeatable", json!(false)),
    ] {
        operation = with(operation, key, Some(value));
    }
    let contract = Contract::from_document(&manifest_with(operation)).expect("a well-formed operation");
    let extensions = &contract.operations[0].extensions;
    let pagination = extensions.pagination.as_ref().expect("paginated");
    assert_eq!(pagination.items, "gizmos");
    assert_eq!(pagination.per_page.integer.maximum, Some(50));
    assert_eq!(pagination.per_page.integer.rust.name(), "u8");
    let lookup = extensions.lookup.as_ref().expect("looked up");
    assert_eq!(lookup.names().collect::<Vec<_>>(), ["id", "serial"]);
    assert_eq!(lookup.collection_path, "/gizmos");
    assert_eq!(extensions.parameter_groups[0].members[1].0, "date_end");
    assert_eq!(extensions.repeatable, Some(false));
}
