//! The webhook events, from the manifest's `webhooks`: `WebhookEvent`, one
//! variant per event with its payload type, the event-name constants and
//! `KNOWN_EVENT_NAMES`, and one `impl_webhook_event!` line calling the
//! hand-written envelope parsing of `kimoby-generated/src/webhooks/`. They
//! go into the types file, beside their payload types (when the manifest
//! has `webhooks`).
//!
//! Each event of `webhooks` POSTs a body whose schema is a union over the
//! events (`oneOf`, `anyOf`): the branch whose `event_name` is the `const`
//! of the event's name gives the payload type, the `$ref` of its `data`.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use kimoby_contract::{Contract, Webhook};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::prepare::bundle::{Bundle, DEFINITIONS_PREFIX};

/// The name of the generated enum. A schema type of that name must be
/// replaced ([`crate::Options::replacements`]): the enum stands for it.
pub const ENUM_NAME: &str = "WebhookEvent";

/// The docs of `WebhookEvent`.
const ENUM_DOCS: &str = "A webhook event, as the API sends it in the body of a webhook request.

Events this version does not know become [`WebhookEvent::Unknown`] with their
name and raw data, so a receiver keeps answering `200` when the API adds an
event. New variants may be added in minor versions: match with a `_` arm.

Serializing gives back a body of the same shape (`{\"event_name\": ...,
\"data\": ...}`), e.g. to post signed test requests to your own receiver.";

/// One event, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEventVariant {
    /// The event name (`message_created`).
    pub event_name: String,
    /// The enum variant (`MessageCreated`).
    pub variant: String,
    /// The constant holding the event name (`MESSAGE_CREATED`).
    pub constant: String,
    /// The payload type (`Message`).
    pub payload_type: String,
    /// The variant's doc line.
    pub description: Option<String>,
}

/// The events of `contract`, with their payload types from `bundle`, in the
/// manifest's order.
pub fn resolve(
    contract: &Contract,
    bundle: &Bundle,
    replacements: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<WebhookEventVariant>> {
    if let Some(webhook) = contract.webhooks.first()
        && let Some(definition) = bundle.definitions.get(ENUM_NAME)
        && !replacements.contains_key(ENUM_NAME)
    {
        return Err(Error::Manifest {
            location: webhook.location.parent(),
            message: format!(
                "`{ENUM_NAME}` is generated from `webhooks`, and the schema at {} has that name: \
                 rename its `title` or replace it (`Options::replacements`)",
                definition.location
            ),
        });
    }
    let mut variants: Vec<WebhookEventVariant> = Vec::new();
    let mut names = BTreeSet::new();
    for webhook in &contract.webhooks {
        let variant = webhook.event_name.to_upper_camel_case();
        if variant == "Unknown" || !names.insert(variant.clone()) {
            return Err(Error::Manifest {
                location: webhook.location.clone(),
                message: format!(
                    "the event `{}` would be a second `{variant}` variant of `WebhookEvent`",
                    webhook.event_name
                ),
            });
        }
        let (payload_type, description) = payload(webhook, bundle)?;
        variants.push(WebhookEventVariant {
            event_name: webhook.event_name.clone(),
            constant: webhook.event_name.to_shouty_snake_case(),
            variant,
            payload_type,
            description: description.or_else(|| webhook.summary.clone()),
        });
    }
    Ok(variants)
}

/// The payload type of `webhook` and the description of its branch.
fn payload(webhook: &Webhook, bundle: &Bundle) -> Result<(String, Option<String>)> {
    let not_typed = |why: String| Error::Manifest {
        location: webhook.location.child("post").child("requestBody"),
        message: format!("the body of the event `{}` {why}", webhook.event_name),
    };
    let body = webhook
        .body
        .as_ref()
        .ok_or_else(|| not_typed("is not described".to_owned()))?;
    let root = body
        .preferred()
        .schema_file()
        .and_then(|file| bundle.file_roots.get(file))
        .ok_or_else(|| not_typed("must be a `$ref` to a schema file".to_owned()))?;
    let schema = &bundle.definitions[root].schema;
    let branches = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|keyword| schema.get(*keyword).and_then(Value::as_array))
        .flatten()
        .map(|branch| follow(branch, bundle));
    for branch in branches {
        let event_name = branch.pointer("/properties/event_name/const").and_then(Value::as_str);
        if event_name != Some(webhook.event_name.as_str()) {
            continue;
        }
        let payload_type = branch
            .pointer("/properties/data/$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
            .ok_or_else(|| not_typed(format!("in `{root}` has a `data` that is not a `$ref` to a schema")))?;
        let description = branch.get("description").and_then(Value::as_str).map(str::to_owned);
        return Ok((payload_type.to_owned(), description));
    }
    Err(not_typed(format!(
        "in `{root}` has no `oneOf` or `anyOf` branch whose `event_name` is the `const` `{}`",
        webhook.event_name
    )))
}

/// `schema`, or the definition its `$ref` names.
fn follow<'a>(schema: &'a Value, bundle: &'a Bundle) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
        .and_then(|name| bundle.definitions.get(name))
        .map_or(schema, |definition| &definition.schema)
}

/// The generated file's items.
pub fn emit(events: &[WebhookEventVariant]) -> TokenStream {
    let variants = events.iter().map(|event| {
        let variant = format_ident!("{}", event.variant);
        let payload = format_ident!("{}", event.payload_type);
        let doc = match &event.description {
            Some(description) => format!("`{}`: {description}", event.event_name),
            None => format!("`{}`.", event.event_name),
        };
        quote! {
            #[doc = #doc]
            #variant(#payload),
        }
    });
    let constants = events.iter().map(|event| {
        let constant = format_ident!("{}", event.constant);
        let name = &event.event_name;
        // A leading space: the doc tidier does not visit associated constants.
        let doc = format!(" `event_name` of [`WebhookEvent::{}`].", event.variant);
        quote! {
            #[doc = #doc]
            pub const #constant: &'static str = #name;
        }
    });
    let known = events.iter().map(|event| format_ident!("{}", event.constant));
    let count = proc_macro2::Literal::usize_unsuffixed(events.len());
    let listed = events.iter().map(|event| {
        let variant = format_ident!("{}", event.variant);
        let payload = format_ident!("{}", event.payload_type);
        let constant = format_ident!("{}", event.constant);
        quote!(#variant(#payload) = #constant)
    });
    quote! {
        #[doc = #ENUM_DOCS]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            #(#variants)*
            /// An event this version of the crate does not know, left undecoded.
            Unknown {
                /// The `event_name` of the body.
                event_name: ::std::string::String,
                /// The `data` of the body, as sent.
                data: ::serde_json::Value,
            },
        }

        impl WebhookEvent {
            #(#constants)*

            #[doc = " The event names this version decodes into typed variants."]
            pub const KNOWN_EVENT_NAMES: [&'static str; #count] = [#(Self::#known),*];
        }

        crate::webhooks::impl_webhook_event!(WebhookEvent { #(#listed),* });
    }
}
