//! The envelope as `parse_event` reads it (with `data` kept as raw text),
//! checked against decoding through a `serde_json::Value`: either key order,
//! object semantics, error positions, round trips and the known event names.

use super::*;

#[test]
fn either_key_order_gives_the_same_event() {
    // The reference's example (`data` first), and the same text with the keys swapped.
    let data_first = MESSAGE_CREATED_EXAMPLE;
    let data_text = &data_first[data_first.find(r#""data": "#).unwrap() + 8..data_first.rfind(r#","#).unwrap()];
    let name_first = format!(r#"{{"event_name": "message_created", "data": {data_text}}}"#);
    let from_data_first = parse_event(data_first.as_bytes()).unwrap();
    let from_name_first = parse_event(name_first.as_bytes()).unwrap_or_else(|e| panic!("{name_first}: {e}"));
    assert!(matches!(from_name_first, WebhookEvent::MessageCreated(_)));
    assert_eq!(from_name_first, from_data_first);

    for (name, data) in [
        ("customer_unsubscribed", CUSTOMER_EXAMPLE),
        ("appointment_created", r#"{"id":"ap1","start_at":null}"#),
    ] {
        let name_first = format!(r#"{{"event_name":"{name}","data":{data}}}"#);
        let data_first = format!(r#"{{"data":{data},"event_name":"{name}"}}"#);
        let event = parse_event(name_first.as_bytes()).unwrap();
        assert_eq!(event.event_name(), name);
        assert_eq!(parse_event(data_first.as_bytes()).unwrap(), event);
        // Other keys before, between and after the two.
        let surrounded = format!(r#"{{"a":[1,{{"b":2}}],"data":{data},"id":"x","event_name":"{name}","z":null}}"#);
        assert_eq!(parse_event(surrounded.as_bytes()).unwrap(), event);
    }

    // A bad field is named in either order.
    for body in [
        r#"{"event_name":"message_updated","data":{"status":42}}"#,
        r#"{"data":{"status":42},"event_name":"message_updated"}"#,
    ] {
        assert_eq!(invalid_data_path(body.as_bytes()).0, "data.status", "{body}");
    }
}

#[test]
fn envelope_reads_like_a_json_object() {
    let bodies: [&str; 17] = [
        // A repeated key: the last value counts, as in a `serde_json::Map`.
        r#"{"event_name":"message_created","data":{},"event_name":"later"}"#,
        r#"{"event_name":"x","data":1,"data":{"k":2}}"#,
        r#"{"event_name":7,"event_name":"x","data":1}"#,
        r#"{"event_name":"x","event_name":7,"data":1}"#,
        r#"{"event_name":"customer_resubscribed","data":{"id":1},"data":null}"#,
        // Escaped keys and names are compared unescaped.
        r#"{"data":{"k":1},"event_name":"x"}"#,
        r#"{"data":null,"event_name":"message_created"}"#,
        // `event_name` of every other type.
        r#"{"event_name":null,"data":{}}"#,
        r#"{"event_name":["message_created"],"data":{}}"#,
        r#"{"event_name":{"name":"message_created"},"data":{}}"#,
        // Valid JSON that is not an object, and broken JSON of every shape.
        r#"[{"event_name":"x","data":{}}]"#,
        r#""text""#,
        "null",
        "[1,",
        r#"{"event_name":"x","data":{}} trailing"#,
        r#"{"event_name":"x","data":{"k":}}"#,
        r#"{"data":{"k":[1,2,{"deep":[]}]},"event_name":"x"}"#,
    ];
    for body in bodies {
        assert_same_as_through_value(body.as_bytes());
    }
    assert!(matches!(parse_event(br#""text""#), Err(ParseError::NotAnObject)));
    assert!(matches!(parse_event(b"[1,"), Err(ParseError::NotJson(_))));
    assert!(matches!(
        parse_event(br#"{"event_name":"x","data":{}} trailing"#),
        Err(ParseError::NotJson(_))
    ));
}

#[test]
fn data_error_position_is_counted_in_the_body() {
    let broken = MESSAGE_CREATED_EXAMPLE.replace(r#""status": "queued""#, r#""status": 42"#);
    let Err(ParseError::InvalidData { error, .. }) = parse_event(broken.as_bytes()) else {
        panic!("expected InvalidData");
    };
    let line_of_status = broken
        .lines()
        .position(|line| line.contains(r#""status": 42"#))
        .unwrap()
        + 1;
    assert_eq!(error.line(), line_of_status, "{error}");
    let text_of_line = broken.lines().nth(line_of_status - 1).unwrap();
    assert_eq!(error.column(), text_of_line.find("42").unwrap() + 2, "{error}");

    // On the first line too, where `data` does not start at column 1.
    let body = r#"{"event_name":"message_updated","data":{"status":42}}"#;
    let Err(ParseError::InvalidData { error, .. }) = parse_event(body.as_bytes()) else {
        panic!("expected InvalidData");
    };
    assert_eq!(
        (error.line(), error.column()),
        (1, body.find("42").unwrap() + 2),
        "{error}"
    );
}

#[test]
fn serialized_event_parses_back_to_the_same_event() {
    let bodies = [
        MESSAGE_CREATED_EXAMPLE.to_owned(),
        MESSAGE_UPDATED_EXAMPLE.to_owned(),
        customer_body("customer_unsubscribed"),
        customer_body("customer_resubscribed"),
        r#"{"event_name":"x","data":{"k":[1,2]}}"#.to_owned(),
    ];
    for body in bodies {
        let event = parse_event(body.as_bytes()).unwrap();
        let again = serde_json::to_vec(&event).unwrap();
        let reparsed = parse_event(&again).unwrap();
        assert_eq!(reparsed.event_name(), event.event_name());
        assert_eq!(data_of(&reparsed), data_of(&event));
        // What a test of a receiver does: serialize, sign, post.
        assert_eq!(
            verify(URL, &again, Some(sign(URL, &again, &key()).as_bytes()), &key()),
            Ok(())
        );
    }
}

#[test]
fn known_event_names_are_the_documented_ones() {
    assert_eq!(
        WebhookEvent::KNOWN_EVENT_NAMES,
        [
            "message_created",
            "message_updated",
            "customer_unsubscribed",
            "customer_resubscribed"
        ]
    );
}
