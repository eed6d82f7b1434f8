//! Tests of `kimoby_generated::webhooks` against an independent
//! implementation (signature vectors computed with openssl) and the webhook
//! examples of the Kimoby API reference, plus a bounded property test.
//!
//! The tests are grouped by subject in the modules below; this file holds
//! the examples, the signature vectors and the helpers they share.

use kimoby_generated::types::{MessageDirection, MessageStatus};
use kimoby_generated::webhooks::{
    MalformedSignature, ParseError, SIGNATURE_HEADER, SignatureError, WebhookEvent, WebhookKey, WebhookVerifier,
    parse_event, sign, verify,
};
use proptest::prelude::*;
use serde_json::{Value, json};

mod envelope;
mod events;
mod property;
mod signatures;

/// The example `authentication_key` of the reference ("Webhook Model").
const KEY: &str = "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw";
/// The example webhook URL of the reference.
const URL: &str = "https://your.app.com/webhook/path";

/// "Event message_created" request body example of the reference, verbatim.
const MESSAGE_CREATED_EXAMPLE: &str = r#"{
    "data": {
        "id": 345634563,
        "customer_id": "CUc571a62c0639ef8c30807962698c3",
        "conversation_id": null,
        "user_sub_user_id": null,
        "body": "Test message",
        "element_type": "sent_message",
        "direction": "outgoing",
        "status": "queued",
        "error": null,
        "documents": [],
        "created_at": "2019-02-21T14:38:14-05:00",
        "updated_at": "2019-02-21T14:38:14-05:00"
    },
    "event_name": "message_created"
}"#;

/// "Event message_updated" request body example of the reference, verbatim.
const MESSAGE_UPDATED_EXAMPLE: &str = r#"{
    "data": {
        "id": 345634563,
        "customer_id": "CUc571a62c0639ef8c30807962698c3",
        "conversation_id": null,
        "user_sub_user_id": null,
        "body": "Test message",
        "element_type": "sent_message",
        "direction": "outgoing",
        "status": "sent",
        "error": null,
        "documents": [],
        "created_at": "2019-02-21T14:38:14-05:00",
        "updated_at": "2019-02-21T14:39:03-05:00"
    },
    "event_name": "message_updated"
}"#;

/// The reference's "Customer Model" example, the body of both customer events
/// ("The body sent will be the customer model"), with the redacted email read
/// as an ordinary address (the reference shows every email address as the
/// placeholder `[email protected]`, which is not an address).
const CUSTOMER_EXAMPLE: &str = r#"{
  "id": "cueeadfbacc5d64682bd20ac077d592e83",
  "reference": "CU000001",
  "name": "John Doe",
  "cell_phone_number": "+14182031234",
  "email": "john.doe@example.com",
  "address": "633 Saint-joseph E.",
  "city": "Quebec",
  "state": "QC",
  "zipcode": "G1K 3C1",
  "country": "CA",
  "is_unsubscribed": false,
  "phones": {
    "home": "5149873473",
    "work": "+1 (877) 247-9367",
    "other": "(418) 394-1928 x19119"
  },
  "custom_attributes": {
    "vehicle": "Audi",
    "vehicle_year": "2012",
    "last_visit_date": "2013-02-12T00:00:00+00:00",
    "product_names_array": [
      "Premium",
      "Lite"
    ]
  },
  "created_at": "2016-06-28T15:26:58+00:00",
  "updated_at": "2016-06-28T15:26:58+00:00"
}"#;

fn customer_body(event_name: &str) -> String {
    format!(r#"{{"data": {CUSTOMER_EXAMPLE}, "event_name": "{event_name}"}}"#)
}

fn key() -> WebhookKey {
    WebhookKey::new(KEY)
}

/// A signature computed outside this crate.
struct Vector {
    url: &'static str,
    body: &'static str,
    key: &'static str,
    signature: &'static str,
}

/// Each signature was computed with
/// `printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64`
/// (OpenSSL 3.0, UTF-8 shell), with the values given in the comment.
const VECTORS: &[Vector] = &[
    // URL='https://your.app.com/webhook/path'
    // BODY='{"data":{"id":1},"event_name":"message_created"}'
    // KEY='1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw'
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: URL,
        body: r#"{"data":{"id":1},"event_name":"message_created"}"#,
        key: KEY,
        signature: "uMgBqH8u1ruXB7Y3veSuMi1oios=",
    },
    // Non-ASCII body (UTF-8 bytes 43 61 66 c3 a9 20 e2 98 95 for "Café ☕").
    // URL='https://your.app.com/webhook/path'
    // BODY='{"data":{"body":"Café ☕"},"event_name":"message_created"}'
    // KEY='1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw'
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: URL,
        body: r#"{"data":{"body":"Café ☕"},"event_name":"message_created"}"#,
        key: KEY,
        signature: "jt28veYJ8OnMyF7DJy7XNSkYLyE=",
    },
    // URL with a query string.
    // URL='https://your.app.com/webhook/path?tenant=42&mode=live'
    // BODY='{"data":{},"event_name":"customer_unsubscribed"}'
    // KEY='1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw'
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: "https://your.app.com/webhook/path?tenant=42&mode=live",
        body: r#"{"data":{},"event_name":"customer_unsubscribed"}"#,
        key: KEY,
        signature: "kQkMA+S7S+TkuXwe6sFFPPEIHm8=",
    },
    // Empty body: the MAC is over the URL alone.
    // URL='https://your.app.com/webhook/path' BODY='' KEY='1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw'
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: URL,
        body: "",
        key: KEY,
        signature: "sTp6qI6CqdLBl8qcjA1oC0yrEuE=",
    },
    // A key longer than SHA-1's 64-byte block (HMAC hashes it first).
    // URL='https://your.app.com/webhook/path'
    // BODY='{"data":{},"event_name":"x"}'
    // KEY='a-key-that-is-longer-than-the-sixty-four-byte-sha1-block-size-so-hmac-hashes-it-first'
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: URL,
        body: r#"{"data":{},"event_name":"x"}"#,
        key: "a-key-that-is-longer-than-the-sixty-four-byte-sha1-block-size-so-hmac-hashes-it-first",
        signature: "Q3airf+tU7fRN6aDlskvfbs8mLc=",
    },
    // Non-ASCII URL, body and key.
    // URL='https://exämple.com/hook?q=☕' BODY='Café ☕' KEY='clé☕'
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: "https://exämple.com/hook?q=☕",
        body: "Café ☕",
        key: "clé☕",
        signature: "tgtpVqIp8E44tmSNL0ZDNdjEAi4=",
    },
    // The message_created example of the reference, verbatim (no final newline).
    // URL='https://your.app.com/webhook/path' KEY='1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw'
    // BODY= the text of MESSAGE_CREATED_EXAMPLE above (https://api-doc.kimoby.com/)
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: URL,
        body: MESSAGE_CREATED_EXAMPLE,
        key: KEY,
        signature: "47WM3hksM79183T44c1a5x5dTQ0=",
    },
    // The message_updated example of the reference, verbatim, to a URL with a query.
    // URL='https://your.app.com/webhook/path?account=42&env=prod'
    // KEY='1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw'
    // BODY= the text of MESSAGE_UPDATED_EXAMPLE above (https://api-doc.kimoby.com/)
    // printf '%s' "$URL$BODY" | openssl dgst -sha1 -hmac "$KEY" -binary | base64
    Vector {
        url: "https://your.app.com/webhook/path?account=42&env=prod",
        body: MESSAGE_UPDATED_EXAMPLE,
        key: KEY,
        signature: "rB40FTl3PvyT1eObdp1QI88HvCk=",
    },
];

/// The JSON of an event's payload, re-serialized: compares decoded fields
/// without depending on how the generated types spell them in Rust.
fn data_of(event: &WebhookEvent) -> Value {
    let body = serde_json::to_value(event).expect("events serialize");
    assert_eq!(body["event_name"], event.event_name());
    body["data"].clone()
}

fn invalid_data_path(body: &[u8]) -> (String, String) {
    match parse_event(body) {
        Err(error @ ParseError::InvalidData { .. }) => {
            let message = error.to_string();
            let ParseError::InvalidData { path, .. } = error else {
                unreachable!()
            };
            (path, message)
        }
        other => panic!("expected InvalidData, got {other:?}"),
    }
}

/// What `parse_event` gives, compared with decoding the same body through a
/// `serde_json::Value` (`WebhookEvent::from_value`, the way `parse_event`
/// worked before it read `data` as raw text): the same event, or the same
/// kind of error with the same path.
fn assert_same_as_through_value(body: &[u8]) {
    let direct = parse_event(body);
    let through_value = serde_json::from_slice::<Value>(body)
        .map_err(ParseError::NotJson)
        .and_then(WebhookEvent::from_value);
    match (&direct, &through_value) {
        (Ok(direct), Ok(through_value)) => assert_eq!(direct, through_value),
        (
            Err(ParseError::InvalidData { event_name, path, .. }),
            Err(ParseError::InvalidData {
                event_name: expected_name,
                path: expected_path,
                ..
            }),
        ) => assert_eq!((event_name, path), (expected_name, expected_path)),
        (Err(direct), Err(through_value)) => {
            assert_eq!(
                std::mem::discriminant(direct),
                std::mem::discriminant(through_value),
                "{direct} / {through_value}"
            );
        }
        _ => panic!("{}: {direct:?} / {through_value:?}", String::from_utf8_lossy(body)),
    }
}
