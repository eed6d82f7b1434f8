//! Meta-schema errors: a schema file or a schema of the endpoint manifest
//! that breaks the JSON Schema draft 2020-12 meta-schema stops the generator
//! with [`kimoby_codegen::Error::InvalidSchema`] at the JSON pointer of the
//! offending keyword's value, with the reason. Inputs are built in memory with
//! `SchemaFolder::from_texts`, as in `errors.rs`.

use std::collections::BTreeMap;

use kimoby_codegen::{Error, Location, Options, SchemaFolder, generate_from};

/// A manifest with no operations.
const EMPTY_MANIFEST: &str = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;

/// Generates from `files` (plus the empty manifest unless one is given) and
/// returns the error it must fail with.
fn error_of(files: &[(&str, &str)]) -> Error {
    let mut texts: BTreeMap<String, String> = files
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect();
    texts
        .entry("openapi.json".to_owned())
        .or_insert_with(|| EMPTY_MANIFEST.to_owned());
    let folder = SchemaFolder::from_texts(texts).expect("every test input is valid JSON");
    match generate_from(&folder, &Options::default()) {
        Ok(_) => panic!("generation succeeded, expected an error"),
        Err(error) => error,
    }
}

/// A schema file titled `title` whose only property `x` has the schema `property`.
fn with_property(title: &str, property: &str) -> String {
    format!(r#"{{"title": "{title}", "type": "object", "properties": {{"x": {property}}}}}"#)
}

/// Generating from `files` fails with an `Error::InvalidSchema` at
/// `file#pointer` whose message is `reason` after the common prefix.
fn assert_invalid_schema(files: &[(&str, &str)], file: &str, pointer: &str, reason: &str) {
    let error = error_of(files);
    let expected = Location {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
    };
    assert!(
        matches!(&error, Error::InvalidSchema { location: found, .. } if *found == expected),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!("{file}#{pointer}: not a valid JSON Schema (draft 2020-12): {reason}")
    );
}

#[test]
fn type_that_is_a_number_is_reported_at_the_property_type() {
    let customer = r#"{"title": "Customer", "type": "object", "properties": {"name": {"type": 12}}}"#;
    assert_invalid_schema(
        &[("customer.json", customer)],
        "customer.json",
        "/properties/name/type",
        "12 is not valid under any of the schemas listed in the 'anyOf' keyword \
         (12 is not one of \"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\"; \
         12 is not of type \"array\")",
    );
}

#[test]
fn minimum_that_is_a_string_is_reported_at_the_minimum() {
    let thing = with_property("Thing", r#"{"type": "integer", "minimum": "three"}"#);
    let reason = r#""three" is not of type "number""#;
    assert_invalid_schema(&[("thing.json", &thing)], "thing.json", "/properties/x/minimum", reason);
}

#[test]
fn required_that_is_not_an_array_is_reported_at_required() {
    let thing = r#"{"title": "Thing", "type": "object", "required": "name", "properties": {"name": {}}}"#;
    let reason = r#""name" is not of type "array""#;
    assert_invalid_schema(&[("thing.json", thing)], "thing.json", "/required", reason);
}

#[test]
fn enum_that_is_not_an_array_is_reported_at_the_enum() {
    let thing = with_property("Thing", r#"{"enum": 5}"#);
    let reason = r#"5 is not of type "array""#;
    assert_invalid_schema(&[("thing.json", &thing)], "thing.json", "/properties/x/enum", reason);
}

#[test]
fn defs_entry_that_is_not_a_schema_is_reported_at_the_entry() {
    let thing = r#"{"title": "Thing", "type": "object", "$defs": {"Phone": {"type": "string"}, "Fax": 5}}"#;
    let reason = r#"5 is not of types "boolean", "object""#;
    assert_invalid_schema(&[("thing.json", thing)], "thing.json", "/$defs/Fax", reason);
}

#[test]
fn invalid_keyword_deep_in_defs_and_items_is_reported_at_its_full_pointer() {
    let order = r#"{"title": "Order", "type": "object", "$defs": {"Lines": {"type": "array",
        "items": {"type": "object", "properties": {"sku": {"type": "string", "maxLength": -1}}}}}}"#;
    let reason = "-1 is less than the minimum of 0";
    let pointer = "/$defs/Lines/items/properties/sku/maxLength";
    assert_invalid_schema(&[("order.json", order)], "order.json", pointer, reason);
}

#[test]
fn of_several_invalid_keywords_the_first_written_is_reported() {
    let thing = r#"{"title": "Thing", "type": "object",
        "properties": {"b": {"minLength": "one"}, "a": {"enum": 5}}, "required": "b"}"#;
    let reason = r#""one" is not of type "integer""#;
    assert_invalid_schema(
        &[("thing.json", thing)],
        "thing.json",
        "/properties/b/minLength",
        reason,
    );
}

#[test]
fn schema_declaring_another_draft_is_reported_at_its_dollar_schema() {
    let thing = r#"{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Thing", "type": "object"}"#;
    let reason = "`http://json-schema.org/draft-07/schema#` is not supported: \
                  the generator reads draft 2020-12 (`https://json-schema.org/draft/2020-12/schema`)";
    assert_invalid_schema(&[("thing.json", thing)], "thing.json", "/$schema", reason);
}

#[test]
fn invalid_parameter_schema_of_the_manifest_is_reported_in_the_manifest() {
    let text = EMPTY_MANIFEST.replace(
        r#""paths": {}"#,
        r#""paths": {}, "components": {"parameters": {"Page": {"name": "page", "in": "query",
            "schema": {"type": "integer", "minimum": "one"}}}}"#,
    );
    let files = [
        ("thing.json", r#"{"title": "Thing", "type": "object"}"#),
        ("openapi.json", &text),
    ];
    let pointer = "/components/parameters/Page/schema/minimum";
    assert_invalid_schema(&files, "openapi.json", pointer, r#""one" is not of type "number""#);
}

#[test]
fn invalid_inline_body_schema_of_the_manifest_is_reported_in_the_manifest() {
    let text = EMPTY_MANIFEST.replace(
        r#""paths": {}"#,
        r#""paths": {"/things": {"get": {"operationId": "listThings", "tags": ["things"], "responses": {"200":
            {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "required": [1]}}}}}}}}"#,
    );
    let files = [
        ("thing.json", r#"{"title": "Thing", "type": "object"}"#),
        ("openapi.json", &text),
    ];
    let pointer = "/paths/~1things/get/responses/200/content/application~1json/schema/required/0";
    assert_invalid_schema(&files, "openapi.json", pointer, r#"1 is not of type "string""#);
}

#[test]
fn long_offending_value_is_named_instead_of_printed() {
    let thing = r#"{"title": "Thing", "type": "object",
        "required": {"first_name": true, "last_name": true, "email": true, "phone_number": true}}"#;
    let reason = r#"the value is not of type "array""#;
    assert_invalid_schema(&[("thing.json", thing)], "thing.json", "/required", reason);
}
