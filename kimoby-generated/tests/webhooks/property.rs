//! Bounded property tests: verify-then-parse never panics, webhook-shaped
//! bodies parse or name the path, a mutated field is named, and any single
//! byte change breaks a signature.

use super::*;

/// Arbitrary JSON, with keys drawn partly from the message and customer fields
/// so that some objects come close to valid payloads.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        let key = prop_oneof![
            Just("id".to_owned()),
            Just("status".to_owned()),
            Just("name".to_owned()),
            Just("created_at".to_owned()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6).prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// One of the known event names or an arbitrary one.
fn arb_event_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WebhookEvent::KNOWN_EVENT_NAMES.to_vec()).prop_map(str::to_owned),
        "[a-z_]{0,24}",
    ]
}

/// Changes one byte of `bytes` (which must not be empty) by a non-zero amount.
fn change_one_byte(bytes: &mut [u8], at: prop::sample::Index, delta: u8) {
    let i = at.index(bytes.len());
    bytes[i] = bytes[i].wrapping_add(delta);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Verify-then-parse, as a receiver runs it, on arbitrary input: never panics.
    #[test]
    fn verify_then_parse_never_panics(
        url in ".{0,40}",
        body in prop::collection::vec(any::<u8>(), 0..300),
        header in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
        key in prop::collection::vec(any::<u8>(), 0..80),
    ) {
        let key = WebhookKey::new(key);
        // Random headers almost never verify: parse whatever the outcome.
        let _ = verify(&url, &body, header.as_deref(), &key);
        assert_same_as_through_value(&body);
    }

    /// JSON-shaped bodies: parsed, unknown, or an error naming a path in `data`.
    #[test]
    fn webhook_shaped_bodies_parse_or_name_the_path(name in arb_event_name(), data in arb_json()) {
        let body = serde_json::to_vec(&json!({"event_name": name, "data": data})).unwrap();
        assert_same_as_through_value(&body);
        match parse_event(&body) {
            Ok(event) => prop_assert_eq!(event.event_name(), name.as_str()),
            Err(ParseError::InvalidData { event_name, path, .. }) => {
                prop_assert_eq!(event_name, name.as_str());
                prop_assert!(path.starts_with("data"), "{}", path);
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }

    /// A documented message with one field replaced: valid, or an error at that field.
    #[test]
    fn mutated_message_field_is_named(field_at in any::<prop::sample::Index>(), value in arb_json()) {
        let mut body: Value = serde_json::from_str(MESSAGE_CREATED_EXAMPLE).unwrap();
        let fields: Vec<String> = body["data"].as_object().unwrap().keys().cloned().collect();
        let field = fields[field_at.index(fields.len())].clone();
        body["data"][&field] = value;
        assert_same_as_through_value(&serde_json::to_vec(&body).unwrap());
        match parse_event(&serde_json::to_vec(&body).unwrap()) {
            Ok(event) => prop_assert_eq!(event.event_name(), "message_created"),
            Err(ParseError::InvalidData { path, .. }) => {
                let expected = format!("data.{field}");
                prop_assert!(path.starts_with(&expected), "{} for {}", path, field);
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }

    /// sign → verify always succeeds; changing any single byte of the URL,
    /// body, key or header makes it fail.
    #[test]
    fn sign_verifies_and_any_single_byte_change_fails(
        url in "[ -~]{1,60}",
        body in prop::collection::vec(any::<u8>(), 1..300),
        key in prop::collection::vec(any::<u8>(), 1..100),
        at in any::<prop::sample::Index>(),
        delta in 1u8..=255,
        ascii_delta in 1u8..95,
    ) {
        let webhook_key = WebhookKey::new(key.clone());
        let signature = sign(&url, &body, &webhook_key);
        prop_assert_eq!(verify(&url, &body, Some(signature.as_bytes()), &webhook_key), Ok(()));
        let newline = format!("{signature}\n");
        prop_assert_eq!(verify(&url, &body, Some(newline.as_bytes()), &webhook_key), Ok(()));

        let mut changed_body = body.clone();
        change_one_byte(&mut changed_body, at, delta);
        prop_assert_eq!(
            verify(&url, &changed_body, Some(signature.as_bytes()), &webhook_key),
            Err(SignatureError::Mismatch)
        );

        // Printable ASCII stays printable ASCII (and valid UTF-8).
        let mut changed_url = url.clone().into_bytes();
        let i = at.index(changed_url.len());
        changed_url[i] = (changed_url[i] - b' ' + ascii_delta) % 95 + b' ';
        let changed_url = String::from_utf8(changed_url).unwrap();
        prop_assert_eq!(
            verify(&changed_url, &body, Some(signature.as_bytes()), &webhook_key),
            Err(SignatureError::Mismatch)
        );

        let mut changed_key = key.clone();
        change_one_byte(&mut changed_key, at, delta);
        prop_assert_eq!(
            verify(&url, &body, Some(signature.as_bytes()), &WebhookKey::new(changed_key)),
            Err(SignatureError::Mismatch)
        );

        let mut changed_header = signature.clone().into_bytes();
        change_one_byte(&mut changed_header, at, delta);
        prop_assert!(verify(&url, &body, Some(&changed_header), &webhook_key).is_err());
    }
}
