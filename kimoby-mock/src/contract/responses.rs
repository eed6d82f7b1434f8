//! The schemas of the bodies the mock sends: for each operation, the schema
//! file of the JSON body of each documented status (`200`, `404`, `5XX`,
//! `default`; `components/responses` references followed by the contract
//! model), and for each webhook event of `webhooks`, the schema of the body
//! POSTed. Evolution mode ([`crate::state::evolution`]) reads them to know
//! which schema a body follows. A schema given inline or as a reference
//! inside the manifest is not recorded: such bodies are served as they are.

use kimoby_contract::{Body, Operation, Webhook};

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
pub(super) fn response_schemas(operation: &Operation) -> Vec<BodySchema> {
    operation
        .responses
        .iter()
        .filter_map(|response| json_schema(response.body.as_ref()?, &response.status))
        .collect()
}

/// The body schema of every webhook event of `webhooks` (its `post` request body).
pub(super) fn webhook_schemas(webhooks: &[Webhook]) -> Vec<BodySchema> {
    webhooks
        .iter()
        .filter_map(|webhook| json_schema(webhook.body.as_ref()?, &webhook.event_name))
        .collect()
}

/// The schema file of the first JSON media type of `body`.
fn json_schema(body: &Body, key: &str) -> Option<BodySchema> {
    let media = body.json()?;
    Some(BodySchema {
        key: key.to_owned(),
        reference: media.schema_reference()?.to_owned(),
        pointer: media.schema_location.child("$ref").pointer,
    })
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
