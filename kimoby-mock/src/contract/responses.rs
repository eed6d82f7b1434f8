//! The schemas of the bodies the mock sends: for each operation, the schema
//! file of the `application/json` body of each documented status (`200`,
//! `404`, `5XX`, `default`; `components/responses` references followed), and
//! for each webhook event of `webhooks`, the schema of the body POSTed.
//! Evolution mode ([`crate::state::evolution`]) reads them to know which schema a
//! body follows. A schema given inline or as a reference inside the manifest
//! is not recorded: such bodies are served as they are.

use serde_json::Value;

use super::ManifestError;
use super::document::{Found, Operation, child, resolve, wrong};

/// The schema file of one body the manifest documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodySchema {
    /// The status key (`200`, `4XX`, `default`) or the webhook event name.
    pub key: String,
    /// The `$ref` of the schema, relative to the manifest (`customer.json`).
    pub reference: String,
    /// The JSON pointer of that `$ref` in the manifest.
    pub pointer: String,
}

/// The response body schemas of `operation`, by status key.
pub(super) fn response_schemas(manifest: &Value, operation: &Operation<'_>) -> Result<Vec<BodySchema>, ManifestError> {
    let Some(responses) = operation.member("responses") else {
        return Ok(Vec::new());
    };
    let map = responses
        .value
        .as_object()
        .ok_or_else(|| wrong(&responses.pointer, "must be an object (the responses by status)"))?;
    let mut schemas = Vec::new();
    for (status, response) in map {
        let response = resolve(manifest, responses.child(status), response)?;
        if let Some(schema) = json_schema(&response, status)? {
            schemas.push(schema);
        }
    }
    Ok(schemas)
}

/// The body schema of every webhook event of `webhooks` (its `post` request body).
pub(super) fn webhook_schemas(manifest: &Value) -> Result<Vec<BodySchema>, ManifestError> {
    let Some(webhooks) = manifest.get("webhooks") else {
        return Ok(Vec::new());
    };
    let map = webhooks
        .as_object()
        .ok_or_else(|| wrong("/webhooks", "must be an object (the webhook events by name)"))?;
    let mut schemas = Vec::new();
    for (event_name, item) in map {
        let item = resolve(manifest, child("/webhooks", event_name), item)?;
        let Some(post) = item.value.get("post") else {
            continue;
        };
        let Some(body) = post.get("requestBody") else {
            continue;
        };
        let body = resolve(manifest, child(&item.child("post"), "requestBody"), body)?;
        if let Some(schema) = json_schema(&body, event_name)? {
            schemas.push(schema);
        }
    }
    Ok(schemas)
}

/// The schema file of the JSON media type of a response or request body.
fn json_schema(holder: &Found<'_>, key: &str) -> Result<Option<BodySchema>, ManifestError> {
    let Some(content) = holder.value.get("content") else {
        return Ok(None);
    };
    let content_at = holder.child("content");
    let content = content
        .as_object()
        .ok_or_else(|| wrong(&content_at, "must be an object (the media types)"))?;
    let Some((media_type, media)) = content.iter().find(|(media_type, _)| is_json(media_type)) else {
        return Ok(None);
    };
    let pointer = child(&child(&child(&content_at, media_type), "schema"), "$ref");
    let reference = media.get("schema").and_then(|schema| schema.get("$ref"));
    Ok(match reference {
        None => None,
        Some(Value::String(reference)) if reference.starts_with('#') => None,
        Some(Value::String(reference)) => Some(BodySchema {
            key: key.to_owned(),
            reference: reference.clone(),
            pointer,
        }),
        Some(_) => return Err(wrong(pointer, "must be a string")),
    })
}

/// `application/json` or a `+json` media type.
fn is_json(media_type: &str) -> bool {
    let media_type = super::essence(media_type);
    media_type == "application/json" || media_type.ends_with("+json")
}

/// The schema among `schemas` (status keys) for `status`: the exact status,
/// else its class (`4XX`), else `default`.
pub(super) fn for_status(schemas: &[BodySchema], status: u16) -> Option<&BodySchema> {
    let exact = status.to_string();
    let class = format!("{}XX", status / 100);
    [exact.as_str(), class.as_str(), "default"]
        .into_iter()
        .find_map(|key| schemas.iter().find(|schema| schema.key.eq_ignore_ascii_case(key)))
}
