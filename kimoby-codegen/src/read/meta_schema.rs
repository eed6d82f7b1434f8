//! Checking every schema against the JSON Schema draft 2020-12 meta-schema
//! before anything else reads it, so a misspelt keyword value (`"type": 12`,
//! `"required": "name"`) is reported at its own JSON pointer instead of as a
//! whole definition typify cannot read.
//!
//! Checked: every schema file of the folder, and every Schema Object the
//! endpoint manifest holds (`components/schemas`, parameter, header, request
//! body and response schemas, under `paths`, `webhooks` and `components`).
//! OpenAPI 3.1 Schema Objects are draft 2020-12 schemas (the manifest's
//! `jsonSchemaDialect`). The meta-schema is compiled into the `jsonschema`
//! crate: nothing is fetched.
//!
//! Of several invalid keywords in one file, the first in document order is
//! reported, so the error does not depend on the validator's evaluation order.

use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::read::load::{MANIFEST_FILE, SchemaFolder};

/// The `$schema` URI of draft 2020-12, the only draft the generator reads.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// A value printed in a message longer than this is named "the value" instead.
const LONGEST_QUOTED_VALUE: usize = 60;

/// HTTP methods of an OpenAPI Path Item Object.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Checks every schema file, then the manifest's schemas, against the draft
/// 2020-12 meta-schema; the first invalid keyword is an [`Error::InvalidSchema`].
pub fn validate_folder(folder: &SchemaFolder) -> Result<()> {
    for (file, schema) in &folder.schemas {
        validate_schema(schema, &Location::root(file.as_str()))?;
    }
    for (location, schema) in manifest_schemas(&folder.manifest) {
        validate_schema(schema, &location)?;
    }
    Ok(())
}

/// Checks one schema whose root is at `location`; an error's pointer is
/// `location`'s pointer followed by the offending value's pointer in `schema`.
pub fn validate_schema(schema: &Value, location: &Location) -> Result<()> {
    if let Some(declared) = schema.get("$schema").and_then(Value::as_str)
        && declared.trim_end_matches('#') != DRAFT_2020_12
    {
        return Err(Error::InvalidSchema {
            location: location.child("$schema"),
            message: format!("`{declared}` is not supported: the generator reads draft 2020-12 (`{DRAFT_2020_12}`)"),
        });
    }
    let validator = jsonschema::draft202012::meta::validator();
    let first = validator
        .iter_errors(schema)
        .min_by_key(|error| document_position(schema, error.instance_path().as_str()));
    match first {
        None => Ok(()),
        Some(error) => Err(Error::InvalidSchema {
            location: Location {
                file: location.file.clone(),
                pointer: format!("{}{}", location.pointer, error.instance_path().as_str()),
            },
            message: describe(&error),
        }),
    }
}

/// Where the value at `pointer` comes in a pre-order walk of `document`: the
/// index of each segment among its siblings. Comparing these orders values as
/// they are written (a parent before its children); keys keep their written
/// order because `serde_json` preserves it in this workspace.
fn document_position(document: &Value, pointer: &str) -> Vec<usize> {
    let mut position = Vec::new();
    let mut current = Some(document);
    for escaped in pointer.split('/').skip(1) {
        let segment = escaped.replace("~1", "/").replace("~0", "~");
        let (index, next) = match current {
            Some(Value::Object(object)) => object
                .iter()
                .position(|(key, _)| *key == segment)
                .map_or((usize::MAX, None), |index| (index, object.get(&segment))),
            Some(Value::Array(array)) => segment
                .parse::<usize>()
                .map_or((usize::MAX, None), |index| (index, array.get(index))),
            _ => (usize::MAX, None),
        };
        position.push(index);
        current = next;
    }
    position
}

/// The validator's message, with the reason of each alternative for a failed
/// `anyOf` or `oneOf`, and long values named "the value" instead of printed.
fn describe(error: &jsonschema::ValidationError<'_>) -> String {
    let mut message = short_message(error);
    let alternatives = match error.kind() {
        jsonschema::error::ValidationErrorKind::AnyOf { context }
        | jsonschema::error::ValidationErrorKind::OneOfNotValid { context } => context,
        _ => return message,
    };
    let reasons: Vec<String> = alternatives
        .iter()
        .filter_map(|errors| errors.first())
        .map(short_message)
        .collect();
    if !reasons.is_empty() {
        message.push_str(" (");
        message.push_str(&reasons.join("; "));
        message.push(')');
    }
    message
}

/// One error's message; an `enum` lists every allowed value (the validator
/// shortens long lists to "or 5 other candidates").
fn short_message(error: &jsonschema::ValidationError<'_>) -> String {
    let quoted = error.instance().to_string();
    let value = if quoted.len() > LONGEST_QUOTED_VALUE {
        "the value"
    } else {
        quoted.as_str()
    };
    if let jsonschema::error::ValidationErrorKind::Enum { options } = error.kind()
        && let Some(options) = options.as_array()
    {
        let allowed: Vec<String> = options.iter().map(Value::to_string).collect();
        return format!("{value} is not one of {}", allowed.join(", "));
    }
    error.masked_with(value).to_string()
}

/// Every Schema Object of an OpenAPI 3.1 document, with its location.
/// Anything shaped unexpectedly is skipped: the manifest reader reports it.
fn manifest_schemas(document: &Value) -> Vec<(Location, &Value)> {
    let mut found = Vec::new();
    let root = Location::root(MANIFEST_FILE);
    for (name, path_item) in entries(document, "paths") {
        path_item_schemas(path_item, &root.child("paths").child(name), &mut found);
    }
    for (name, path_item) in entries(document, "webhooks") {
        path_item_schemas(path_item, &root.child("webhooks").child(name), &mut found);
    }
    let Some(components) = document.get("components") else {
        return found;
    };
    let components_location = root.child("components");
    for (name, schema) in entries(components, "schemas") {
        found.push((components_location.child("schemas").child(name), schema));
    }
    for (name, parameter) in entries(components, "parameters") {
        parameter_schemas(
            parameter,
            &components_location.child("parameters").child(name),
            &mut found,
        );
    }
    for (name, header) in entries(components, "headers") {
        parameter_schemas(header, &components_location.child("headers").child(name), &mut found);
    }
    for (name, body) in entries(components, "requestBodies") {
        content_schemas(
            body,
            &components_location.child("requestBodies").child(name),
            &mut found,
        );
    }
    for (name, response) in entries(components, "responses") {
        response_schemas(
            response,
            &components_location.child("responses").child(name),
            &mut found,
        );
    }
    for (name, path_item) in entries(components, "pathItems") {
        path_item_schemas(
            path_item,
            &components_location.child("pathItems").child(name),
            &mut found,
        );
    }
    found
}

/// The members of the object at `holder[key]`, or none.
fn entries<'a>(holder: &'a Value, key: &str) -> impl Iterator<Item = (&'a str, &'a Value)> {
    holder
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, value)| (name.as_str(), value))
}

fn path_item_schemas<'a>(path_item: &'a Value, location: &Location, found: &mut Vec<(Location, &'a Value)>) {
    parameter_list_schemas(path_item, location, found);
    for method in METHODS {
        let Some(operation) = path_item.get(*method) else {
            continue;
        };
        let operation_location = location.child(method);
        parameter_list_schemas(operation, &operation_location, found);
        if let Some(body) = operation.get("requestBody") {
            content_schemas(body, &operation_location.child("requestBody"), found);
        }
        for (status, response) in entries(operation, "responses") {
            response_schemas(response, &operation_location.child("responses").child(status), found);
        }
        for (name, callback) in entries(operation, "callbacks") {
            for (expression, callback_item) in callback.as_object().into_iter().flatten() {
                let callback_location = operation_location.child("callbacks").child(name).child(expression);
                path_item_schemas(callback_item, &callback_location, found);
            }
        }
    }
}

fn parameter_list_schemas<'a>(holder: &'a Value, location: &Location, found: &mut Vec<(Location, &'a Value)>) {
    let parameters = holder.get("parameters").and_then(Value::as_array).into_iter().flatten();
    for (index, parameter) in parameters.enumerate() {
        parameter_schemas(
            parameter,
            &location.child("parameters").child(&index.to_string()),
            found,
        );
    }
}

/// A Parameter or Header Object: a `schema`, or a `content` map.
fn parameter_schemas<'a>(parameter: &'a Value, location: &Location, found: &mut Vec<(Location, &'a Value)>) {
    if let Some(schema) = parameter.get("schema") {
        found.push((location.child("schema"), schema));
    }
    content_schemas(parameter, location, found);
}

fn response_schemas<'a>(response: &'a Value, location: &Location, found: &mut Vec<(Location, &'a Value)>) {
    for (name, header) in entries(response, "headers") {
        parameter_schemas(header, &location.child("headers").child(name), found);
    }
    content_schemas(response, location, found);
}

/// The `schema` of every media type in `holder`'s `content` map.
fn content_schemas<'a>(holder: &'a Value, location: &Location, found: &mut Vec<(Location, &'a Value)>) {
    for (media_type, media) in entries(holder, "content") {
        if let Some(schema) = media.get("schema") {
            found.push((location.child("content").child(media_type).child("schema"), schema));
        }
    }
}
