//! Events: the reference's examples and the schema fixtures parse as their
//! typed event, unknown events are kept, and broken bodies are clear errors
//! naming the field.

use super::*;

#[test]
fn message_created_example_parses() {
    let event = parse_event(MESSAGE_CREATED_EXAMPLE.as_bytes()).expect("documented example");
    assert!(matches!(event, WebhookEvent::MessageCreated(_)), "{event:?}");
    assert_eq!(event.event_name(), "message_created");
    let data = data_of(&event);
    assert_eq!(data["id"], 345634563);
    assert_eq!(data["customer_id"], "CUc571a62c0639ef8c30807962698c3");
    assert_eq!(data["body"], "Test message");
    assert_eq!(data["direction"], "outgoing");
    assert_eq!(data["status"], "queued");
    // The typed payload: generated enums, dates with their offset.
    let WebhookEvent::MessageCreated(message) = &event else {
        unreachable!()
    };
    assert_eq!(message.status, MessageStatus::Queued);
    assert_eq!(message.direction, MessageDirection::Outgoing);
    assert_eq!(message.conversation_id, None);
    assert_eq!(message.created_at.to_rfc3339(), "2019-02-21T14:38:14-05:00");
    assert_eq!(data["created_at"], "2019-02-21T14:38:14-05:00");
    // Events compare by value.
    assert_eq!(parse_event(MESSAGE_CREATED_EXAMPLE.as_bytes()).unwrap(), event);
}

#[test]
fn message_updated_example_parses() {
    let event = parse_event(MESSAGE_UPDATED_EXAMPLE.as_bytes()).expect("documented example");
    assert!(matches!(event, WebhookEvent::MessageUpdated(_)), "{event:?}");
    assert_eq!(event.event_name(), "message_updated");
    let data = data_of(&event);
    assert_eq!(data["id"], 345634563);
    assert_eq!(data["status"], "sent");
}

#[test]
fn customer_events_parse() {
    for name in ["customer_unsubscribed", "customer_resubscribed"] {
        let event = parse_event(customer_body(name).as_bytes()).expect("documented model");
        match &event {
            WebhookEvent::CustomerUnsubscribed(_) => assert_eq!(name, "customer_unsubscribed"),
            WebhookEvent::CustomerResubscribed(_) => assert_eq!(name, "customer_resubscribed"),
            other => panic!("{name} parsed as {other:?}"),
        }
        assert_eq!(event.event_name(), name);
        let data = data_of(&event);
        assert_eq!(data["id"], "cueeadfbacc5d64682bd20ac077d592e83");
        assert_eq!(data["name"], "John Doe");
        assert_eq!(data["email"], "john.doe@example.com");
        assert_eq!(data["is_unsubscribed"], false);
    }
}

#[test]
fn examples_verify_then_parse() {
    for v in &VECTORS[6..] {
        let verifier = WebhookVerifier::new(v.url, key());
        let header = format!("{}\n", v.signature);
        verifier
            .verify(v.body.as_bytes(), Some(header.as_bytes()))
            .expect("signed by openssl");
        let event = parse_event(v.body.as_bytes()).expect("documented example");
        assert!(event.event_name().starts_with("message_"));
    }
}

#[test]
fn unknown_event_is_kept_with_its_data() {
    let body = br#"{"event_name":"appointment_created","data":{"id":"ap123","start_at":null}}"#;
    let event = parse_event(body).expect("unknown events are not errors");
    assert_eq!(event.event_name(), "appointment_created");
    match &event {
        WebhookEvent::Unknown { event_name, data } => {
            assert_eq!(event_name, "appointment_created");
            assert_eq!(data, &json!({"id": "ap123", "start_at": null}));
        }
        other => panic!("{other:?}"),
    }
    // Known names are matched exactly; data of any shape is kept.
    for (name, data) in [("Message_Created", json!(1)), ("", json!(null)), ("x", json!([]))] {
        let body = serde_json::to_vec(&json!({"event_name": name, "data": data})).unwrap();
        match parse_event(&body).unwrap() {
            WebhookEvent::Unknown { event_name, data: kept } => {
                assert_eq!(event_name, name);
                assert_eq!(kept, data);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn known_event_with_broken_data_names_the_field() {
    let broken = MESSAGE_CREATED_EXAMPLE.replace(r#""status": "queued""#, r#""status": 42"#);
    let (path, message) = invalid_data_path(broken.as_bytes());
    assert_eq!(path, "data.status");
    assert!(
        message.contains("message_created") && message.contains("data.status"),
        "{message}"
    );

    let broken = MESSAGE_UPDATED_EXAMPLE.replace(r#""documents": []"#, r#""documents": "none""#);
    assert_eq!(invalid_data_path(broken.as_bytes()).0, "data.documents");

    let broken =
        customer_body("customer_unsubscribed").replace(r#""is_unsubscribed": false"#, r#""is_unsubscribed": "yes""#);
    assert_eq!(invalid_data_path(broken.as_bytes()).0, "data.is_unsubscribed");

    // `data` itself of the wrong type.
    for data in ["null", "[]", "\"text\""] {
        let body = format!(r#"{{"event_name":"customer_resubscribed","data":{data}}}"#);
        assert_eq!(invalid_data_path(body.as_bytes()).0, "data", "{data}");
    }
}

#[test]
fn body_that_is_not_a_webhook_is_a_clear_error() {
    let cases: [(&[u8], &str); 8] = [
        (b"", "not JSON"),
        (b"event_name=message_created", "not JSON"),
        (b"{\"event_name\":\"message_created\"", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "not a JSON object"),
        (br#"{"data":{}}"#, "no `event_name` field"),
        (br#"{"event_name":"message_created"}"#, "no `data` field"),
        (br#"{"event_name":7,"data":{}}"#, "`event_name` is not a string"),
    ];
    for (body, expected) in cases {
        let error = parse_event(body).unwrap_err();
        assert!(error.to_string().contains(expected), "{body:?}: {error}");
    }
    assert!(matches!(parse_event(b"[]"), Err(ParseError::NotAnObject)));
    assert!(matches!(parse_event(b"nope"), Err(ParseError::NotJson(_))));
    assert!(matches!(
        parse_event(br#"{"data":1}"#),
        Err(ParseError::MissingField("event_name"))
    ));
    assert!(matches!(
        parse_event(br#"{"event_name":"x"}"#),
        Err(ParseError::MissingField("data"))
    ));
}

#[test]
fn extra_envelope_fields_are_ignored() {
    let body = br#"{"id":"ev1","data":{"a":1},"event_name":"later_event","sent_at":"now"}"#;
    assert_eq!(parse_event(body).unwrap().event_name(), "later_event");
}

/// `tests/fixtures/<kind>/webhook_event/<name>`, the schema fixtures of the workspace.
fn fixture(kind: &str, name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(kind)
        .join("webhook_event")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn valid_schema_fixtures_parse_as_their_typed_event() {
    for (name, event_name) in [
        ("message_created.json", "message_created"),
        ("message_updated.json", "message_updated"),
        ("message_updated_failed.json", "message_updated"),
        ("customer_unsubscribed.json", "customer_unsubscribed"),
        ("customer_resubscribed.json", "customer_resubscribed"),
    ] {
        let event = parse_event(&fixture("valid", name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!matches!(event, WebhookEvent::Unknown { .. }), "{name}: {event:?}");
        assert_eq!(event.event_name(), event_name, "{name}");
    }
}

/// The schema's invalid webhook bodies. Three are deliberately accepted, as a
/// receiver must keep answering 200 as Kimoby evolves: an unknown event name
/// (kept as `Unknown`), an extra envelope property (ignored) and an unknown
/// enum value (the generated response enums are open).
#[test]
fn invalid_schema_fixtures_are_rejected_or_deliberately_tolerated() {
    let parse = |name: &str| parse_event(&fixture("invalid", name));
    let invalid_data_at = |name: &str| match parse(name) {
        Err(ParseError::InvalidData { path, .. }) => path,
        other => panic!("{name}: expected InvalidData, got {other:?}"),
    };
    assert_eq!(invalid_data_at("data_null.json"), "data");
    assert_eq!(invalid_data_at("customer_event_with_message_data.json"), "data.id");
    assert_eq!(invalid_data_at("message_event_with_customer_data.json"), "data.id");
    assert!(matches!(
        parse("missing_data.json"),
        Err(ParseError::MissingField("data"))
    ));
    for name in ["missing_event_name.json", "customer_event_as_bare_customer.json"] {
        assert!(
            matches!(parse(name), Err(ParseError::MissingField("event_name"))),
            "{name}"
        );
    }
    match parse("event_name_unknown.json") {
        Ok(WebhookEvent::Unknown { event_name, .. }) => assert_eq!(event_name, "message_deleted"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse("unknown_property.json"),
        Ok(WebhookEvent::MessageCreated(_))
    ));
    // Server-sent enums are open: a value the schema does not list (here the
    // model table's misspelling `incomming`) is kept, not an error.
    match parse("message_data_direction_incomming.json") {
        Ok(WebhookEvent::MessageCreated(message)) => {
            assert_eq!(message.direction, MessageDirection::Other("incomming".to_owned()));
        }
        other => panic!("{other:?}"),
    }
}
