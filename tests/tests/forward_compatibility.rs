//! Forward compatibility of the generated types: what a newer Kimoby server
//! may send (an unknown field, an unknown enum value, a number where the
//! schema's bounds say otherwise) must not break deserialization of a
//! response type, and an unknown enum value must serialize back unchanged.
//! Request types stay strict: they reject what the API would reject.

use kimoby_generated::types::{
    AppointmentRequest, AppointmentStatus, Invoice, InvoiceState, Message, MessageDirection, MessageStatus,
    WebhookRequest,
};
use serde_json::{Value, json};

fn message(status: &str, direction: &str) -> Value {
    json!({
        "id": 345634563,
        "customer_id": "CUc571a62c0639ef8c30807962698c3",
        "conversation_id": null,
        "user_sub_user_id": null,
        "body": "Test message",
        "element_type": "sent_message",
        "direction": direction,
        "status": status,
        "error": null,
        "documents": [],
        "created_at": "2019-02-21T14:38:14-05:00",
        "updated_at": "2019-02-21T14:38:14-05:00"
    })
}

#[test]
fn an_unknown_field_in_a_response_is_ignored() {
    let mut wire = message("queued", "outgoing");
    wire["channel"] = json!("whatsapp");
    wire["metadata"] = json!({"nested": [1, 2, 3]});
    let parsed: Message = serde_json::from_value(wire).expect("unknown fields are ignored");
    assert_eq!(parsed.status, MessageStatus::Queued);
}

#[test]
fn an_unknown_enum_value_lands_in_other_and_serializes_back_unchanged() {
    let wire = message("scheduled", "incomming");
    let parsed: Message = serde_json::from_value(wire.clone()).expect("unknown values are kept");
    assert_eq!(parsed.status, MessageStatus::Other("scheduled".to_owned()));
    // The reference's misspelling is not a known value, but it is not lost either.
    assert_eq!(parsed.direction, MessageDirection::Other("incomming".to_owned()));
    let back = serde_json::to_value(&parsed).expect("serializes");
    assert_eq!(back["status"], "scheduled");
    assert_eq!(back["direction"], "incomming");
}

#[test]
fn known_enum_values_convert_both_ways_as_strings() {
    for status in [
        "queued",
        "sending",
        "sent",
        "receiving",
        "received",
        "delivered",
        "undelivered",
        "failed",
    ] {
        let parsed = MessageStatus::from(status);
        assert!(!matches!(parsed, MessageStatus::Other(_)), "{status} is a known status");
        assert_eq!(parsed.as_str(), status);
        assert_eq!(parsed.to_string(), status);
        assert_eq!(status.parse::<MessageStatus>(), Ok(parsed));
    }
    assert_eq!(InvoiceState::from("partially_refunded").as_str(), "partially_refunded");
    assert_eq!(
        AppointmentStatus::from(String::from("confirmed")),
        AppointmentStatus::Confirmed
    );
}

#[test]
fn response_bounds_are_not_enforced_on_what_the_server_sends() {
    // The schema says total_price > 50 and clicks_count >= 0; a server that
    // sends otherwise still produces a readable invoice.
    let wire = json!({
        "id": "INd256791afb2b3ac76902dce86cbe40d8",
        "reference": "572765003029",
        "customer": {"id": "CUe400dcefc3f63afe221954f239b67a7e"},
        "total_price": 10,
        "state": "disputed",
        "currency": "CAD",
        "created_by": null,
        "conversation_id": null,
        "amount_refunded": 0,
        "refunded_on": null,
        "clicks_count": 1,
        "refunds": [],
        "public_url": "not a url",
        "created_at": "2020-04-15T00:00:00-04:00",
        "updated_at": "2020-04-15T15:04:23-04:00"
    });
    let invoice: Invoice = serde_json::from_value(wire).expect("lenient");
    assert_eq!(invoice.total_price, 10);
    assert_eq!(invoice.state, InvoiceState::Other("disputed".to_owned()));
}

#[test]
fn dates_keep_the_offset_they_were_sent_with() {
    let parsed: Message = serde_json::from_value(message("queued", "outgoing")).expect("parses");
    assert_eq!(parsed.created_at.offset().local_minus_utc(), -5 * 3600);
    let back = serde_json::to_value(&parsed).expect("serializes");
    assert_eq!(back["created_at"], "2019-02-21T14:38:14-05:00");
}

#[test]
fn request_enums_stay_strict() {
    let wire = json!({
        "start_at": "2016-01-20T14:00:00Z",
        "customer": {"reference": "CU000001"},
        "status": "maybe"
    });
    let error = serde_json::from_value::<AppointmentRequest>(wire).expect_err("unknown request enum value");
    assert!(error.to_string().contains("maybe"), "{error}");
}

#[test]
fn request_types_refuse_unknown_fields_and_constraint_violations() {
    let unknown = serde_json::from_value::<WebhookRequest>(json!({"url": "https://a.example/x", "extra": 1}));
    assert!(unknown.is_err(), "requests are strict about fields");
    let insecure = serde_json::from_value::<WebhookRequest>(json!({"url": "http://a.example/x"}));
    assert!(insecure.is_err(), "a webhook URL must be https");
}
