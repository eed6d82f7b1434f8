//! A webhook event added to the manifest reaches `WebhookEvent` through the
//! generator alone: a copy of `schemas/` with `invoice_paid` added to the
//! manifest's `webhooks` and to the body schema's branches generates a
//! `WebhookEvent::InvoicePaid(types::Invoice)` variant, its constant, its
//! place in `KNOWN_EVENT_NAMES` and in the `impl_webhook_event!` line; no
//! hand-written code names it.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use kimoby_codegen::{Options, SchemaFolder, WEBHOOK_EVENTS_FILE, generate_from};

/// The workspace's `schemas/` folder, as texts by file name.
fn schema_texts() -> BTreeMap<String, String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    std::fs::read_dir(&folder)
        .expect("reading schemas/")
        .map(|entry| entry.expect("listing schemas/").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .map(|path| {
            let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).expect("reading a schema"))
        })
        .collect()
}

fn edit(texts: &mut BTreeMap<String, String>, file: &str, change: impl FnOnce(&mut Value)) {
    let mut value: Value = serde_json::from_str(&texts[file]).expect("a JSON file");
    change(&mut value);
    texts.insert(file.to_owned(), value.to_string());
}

#[test]
fn an_event_added_to_the_manifest_becomes_a_variant_of_webhook_event() {
    let mut texts = schema_texts();
    edit(&mut texts, "openapi.json", |manifest| {
        let mut event = manifest["webhooks"]["message_created"].clone();
        event["post"]["operationId"] = json!("onInvoicePaid");
        manifest["webhooks"]["invoice_paid"] = event;
    });
    edit(&mut texts, "webhook_event.json", |schema| {
        let branches = schema["oneOf"].as_array_mut().expect("webhook_event.json is a oneOf");
        branches.push(json!({
            "title": "InvoicePaidEvent",
            "description": "An invoice was paid.",
            "type": "object",
            "properties": {
                "event_name": {"type": "string", "const": "invoice_paid"},
                "data": {"$ref": "invoice.json"}
            },
            "required": ["event_name", "data"],
            "additionalProperties": false
        }));
    });
    let generated = generate_from(
        &SchemaFolder::from_texts(texts).expect("the edited folder reads"),
        &Options::default(),
    )
    .expect("the edited folder generates");
    let events = &generated.files[WEBHOOK_EVENTS_FILE];
    for expected in [
        "/// `invoice_paid`: An invoice was paid.\n    InvoicePaid(types::Invoice),",
        "pub const INVOICE_PAID: &'static str = \"invoice_paid\";",
        "pub const KNOWN_EVENT_NAMES: [&'static str; 5]",
        "Self::INVOICE_PAID,",
        "InvoicePaid(types::Invoice) = INVOICE_PAID",
    ] {
        assert!(
            events.contains(expected),
            "`{expected}` is not in the generated events:\n{events}"
        );
    }
    // The four events of the manifest are still there, in its order.
    let variants: Vec<&str> = events
        .lines()
        .filter_map(|line| {
            line.trim()
                .strip_suffix("(types::Message),")
                .or_else(|| line.trim().strip_suffix("(types::Customer),"))
        })
        .collect();
    assert_eq!(
        variants,
        [
            "MessageCreated",
            "MessageUpdated",
            "CustomerUnsubscribed",
            "CustomerResubscribed"
        ]
    );
}

#[test]
fn an_event_without_a_branch_in_its_body_schema_is_a_manifest_error() {
    let mut texts = schema_texts();
    edit(&mut texts, "openapi.json", |manifest| {
        let mut event = manifest["webhooks"]["message_created"].clone();
        event["post"]["operationId"] = json!("onInvoicePaid");
        manifest["webhooks"]["invoice_paid"] = event;
    });
    let error = generate_from(
        &SchemaFolder::from_texts(texts).expect("the edited folder reads"),
        &Options::default(),
    )
    .expect_err("`invoice_paid` has no branch in webhook_event.json");
    match error {
        kimoby_codegen::Error::Manifest { location, message } => {
            assert_eq!(
                location.to_string(),
                "openapi.json#/webhooks/invoice_paid/post/requestBody"
            );
            assert!(
                message.contains("no `oneOf` or `anyOf` branch whose `event_name` is the `const` `invoice_paid`"),
                "{message}"
            );
        }
        other => panic!("expected a manifest error, got {other:?}"),
    }
}
