//! Compiles every snapshot of `tests/snapshots/` (generated from the fixture
//! cases of `tests/fixtures/` by `tests/snapshots.rs`, which also writes the
//! module index `tests/snapshots/mod.rs`: no list here to keep) and checks
//! that the generated code behaves as the generator promises: server-sent
//! types ignore unknown fields and keep unknown enum values in `Other`;
//! request types are strict (closed enums, validated strings, no unknown
//! fields, no defaults sent); optional nullable request fields tell absent
//! from `null`; dates keep their offset; the webhook union is selected by its
//! `event_name`; every case's client is built for the manifest's server; and
//! the embedded schema files are the fixture files.
//!
//! The generated code calls the hand-written parts of `kimoby-generated`
//! through `crate::` paths, as it does inside that crate; the `use` below
//! puts them at this crate's root.

use serde_json::{Value, json};

#[allow(unused_imports)]
use kimoby_generated::{clearable, custom_attributes, open_enum, runtime, webhooks};

#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::pedantic)]
#[path = "snapshots/mod.rs"]
mod snapshots;

fn from_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("generated types serialize")
}

mod cross_file_references {
    use super::*;
    use crate::snapshots::cross_file_refs::types::{Customer, Order, PostalAddress};

    #[test]
    fn order_decodes_types_from_other_files_local_defs_and_absolute_ids() {
        let order: Order = from_value(json!({
            "id": "o1",
            "customer": {"name": "Ada", "home": {"street": "1 Main St", "city": "Montréal"}},
            "shipping_address": {"street": "2 Side St", "city": "Laval"},
            "lines": [{"sku": "A-1", "quantity": 2}],
            "label": "gift",
        }))
        .unwrap();
        let customer: &Customer = &order.customer;
        assert_eq!(customer.home.as_ref().map(|home| home.city.as_str()), Some("Montréal"));
        let shipping: &PostalAddress = order.shipping_address.as_ref().unwrap();
        assert_eq!(shipping.street, "2 Side St");
        assert_eq!(order.lines[0].quantity, 2);
        assert_eq!(order.label.as_deref().map(String::as_str), Some("gift"));
    }

    #[test]
    fn response_minimum_is_not_enforced() {
        // `quantity` has `minimum: 1`; a server-sent type does not check it.
        let order: Order =
            from_value(json!({"id": "o1", "customer": {"name": "Ada"}, "lines": [{"sku": "A", "quantity": 0}]}))
                .unwrap();
        assert_eq!(order.lines[0].quantity, 0);
    }
}

mod open_enums {
    use super::*;
    use crate::snapshots::open_response_enum::types::{Ticket, TicketRequest, TicketRequestStatus, TicketStatus};

    #[test]
    fn response_type_ignores_an_unknown_field() {
        let ticket: Ticket = from_value(json!({"id": "t1", "status": "open", "added_later": [1, 2]})).unwrap();
        assert_eq!(ticket.status, TicketStatus::Open);
    }

    #[test]
    fn known_response_enum_value_maps_to_its_variant_and_back() {
        let ticket: Ticket = from_value(json!({"id": "t1", "status": "in_progress"})).unwrap();
        assert_eq!(ticket.status, TicketStatus::InProgress);
        assert_eq!(to_value(&ticket)["status"], "in_progress");
        assert_eq!(ticket.status.to_string(), "in_progress");
    }

    #[test]
    fn unknown_response_enum_value_lands_in_other_and_serializes_back_unchanged() {
        let ticket: Ticket = from_value(json!({"id": "t1", "status": "escalated"})).unwrap();
        assert_eq!(ticket.status, TicketStatus::Other("escalated".to_owned()));
        assert_eq!(ticket.status.as_str(), "escalated");
        assert_eq!(to_value(&ticket), json!({"id": "t1", "status": "escalated"}));
        assert_eq!(
            "escalated".parse::<TicketStatus>(),
            Ok(TicketStatus::Other("escalated".to_owned()))
        );
    }

    #[test]
    fn request_enum_rejects_an_unknown_value() {
        let error = from_value::<TicketRequest>(json!({"subject": "s", "status": "escalated"})).unwrap_err();
        assert!(error.to_string().contains("unknown variant"), "{error}");
        assert!("escalated".parse::<TicketRequestStatus>().is_err());
        assert_eq!(
            "closed".parse::<TicketRequestStatus>().ok(),
            Some(TicketRequestStatus::Closed)
        );
    }

    #[test]
    fn request_type_rejects_an_unknown_field() {
        let error = from_value::<TicketRequest>(json!({"subject": "s", "added_later": true})).unwrap_err();
        assert!(error.to_string().contains("unknown field"), "{error}");
    }
}

mod validated_strings {
    use super::*;
    use crate::snapshots::string_constraints::types::{
        Account, AccountRequest, AccountRequestNickname, AccountRequestPhone,
    };

    #[test]
    fn response_string_constraints_are_not_enforced() {
        let account: Account =
            from_value(json!({"phone": "555-0100", "nickname": "far longer than ten", "website": "not a uri"}))
                .unwrap();
        assert_eq!(account.phone, "555-0100");
    }

    #[test]
    fn request_value_violating_the_pattern_is_refused() {
        let error = AccountRequestPhone::try_from("555-0100").unwrap_err();
        assert!(error.to_string().contains("doesn't match pattern"), "{error}");
        let error = from_value::<AccountRequest>(json!({"phone": "555-0100"})).unwrap_err();
        assert!(error.to_string().contains("doesn't match pattern"), "{error}");
    }

    #[test]
    fn request_value_over_max_length_is_refused() {
        assert!(AccountRequestPhone::try_from("+1234567890123456").is_err());
        assert!(AccountRequestNickname::try_from("eleven char").is_err());
        assert!(AccountRequestNickname::try_from("").is_err());
    }

    #[test]
    fn every_conversion_applies_the_same_checks_and_names_the_type() {
        // `FromStr`, `TryFrom<&str>`, `TryFrom<String>` (which keeps the
        // `String`) and `Deserialize` share one `validate`.
        for candidate in ["+15145550100", "555-0100", "+1234567890123456", ""] {
            let parsed = candidate
                .parse::<AccountRequestPhone>()
                .map_err(|error| error.to_string());
            let borrowed = AccountRequestPhone::try_from(candidate).map_err(|error| error.to_string());
            let owned = AccountRequestPhone::try_from(candidate.to_owned()).map_err(|error| error.to_string());
            let deserialized = from_value::<AccountRequestPhone>(json!(candidate)).map_err(|error| error.to_string());
            assert_eq!(parsed, borrowed, "{candidate}");
            assert_eq!(parsed, owned, "{candidate}");
            assert_eq!(parsed, deserialized, "{candidate}");
            if let Err(message) = parsed {
                assert!(message.starts_with("AccountRequestPhone: "), "{message}");
            }
        }
        assert_eq!(
            AccountRequestPhone::try_from("+15145550100".to_owned())
                .unwrap()
                .as_str(),
            "+15145550100"
        );
    }

    #[test]
    fn valid_request_values_are_accepted_and_serialize_as_plain_strings() {
        let request = AccountRequest {
            phone: "+15145550100".parse().unwrap(),
            nickname: Some("ada".parse().unwrap()),
        };
        assert_eq!(to_value(&request), json!({"phone": "+15145550100", "nickname": "ada"}));
        assert_eq!(from_value::<AccountRequest>(to_value(&request)).unwrap(), request);
    }
}

mod string_alternatives {
    use super::*;
    use crate::snapshots::string_any_of::types::{Contact, ContactRequest};

    #[test]
    fn any_of_string_alternatives_accept_each_alternative() {
        for email in ["ada@example.com", ""] {
            let contact: Contact = from_value(json!({"email": email})).unwrap();
            assert_eq!(contact.email, email);
        }
        let contact: Contact = from_value(json!({"email": "", "kind": "org:acme"})).unwrap();
        assert_eq!(contact.kind.as_deref(), Some("org:acme"));
    }

    #[test]
    fn any_of_string_request_field_is_a_plain_string() {
        let request = ContactRequest {
            email: Some(String::new()),
        };
        assert_eq!(to_value(&request), json!({"email": ""}));
    }
}

mod nullable_references {
    use super::*;
    use crate::snapshots::nullable_refs::types::Invoice;

    #[test]
    fn required_nullable_reference_accepts_null_and_a_value() {
        let unpaid: Invoice = from_value(json!({"id": "i1", "card": null})).unwrap();
        assert_eq!(unpaid.card, None);
        let paid: Invoice =
            from_value(json!({"id": "i1", "card": {"last4": "4242"}, "refund": {"amount": 5}})).unwrap();
        assert_eq!(paid.card.map(|card| card.last4), Some("4242".to_owned()));
        assert_eq!(paid.refund.map(|refund| refund.amount), Some(5));
    }

    #[test]
    fn required_nullable_reference_must_be_present() {
        let error = from_value::<Invoice>(json!({"id": "i1"})).unwrap_err();
        assert!(error.to_string().contains("missing field `card`"), "{error}");
    }

    #[test]
    fn optional_nullable_reference_accepts_null_and_absence() {
        for invoice in [
            json!({"id": "i1", "card": null, "refund": null}),
            json!({"id": "i1", "card": null}),
        ] {
            assert_eq!(from_value::<Invoice>(invoice).unwrap().refund, None);
        }
    }
}

mod map_values {
    use super::*;
    use crate::snapshots::map_value_hoisting::types::{Settings, SettingsRequest, SettingsRequestValue, SettingsValue};

    #[test]
    fn hoisted_one_of_map_value_decodes_each_branch() {
        let settings: Settings = from_value(json!({"values": {"a": "x", "b": 2, "c": true}})).unwrap();
        assert_eq!(settings.values["a"], SettingsValue::String("x".to_owned()));
        assert_eq!(settings.values["b"], SettingsValue::Integer(2));
        assert_eq!(settings.values["c"], SettingsValue::Boolean(true));
        assert_eq!(to_value(&settings), json!({"values": {"a": "x", "b": 2, "c": true}}));
    }

    #[test]
    fn hoisted_constrained_request_map_value_is_validated() {
        assert!(from_value::<SettingsRequest>(json!({"labels": {"a": "short"}})).is_ok());
        let error = from_value::<SettingsRequest>(json!({"labels": {"a": "more than twenty characters"}})).unwrap_err();
        assert!(error.to_string().contains("longer than 20"), "{error}");
        assert!(SettingsRequestValue::try_from("x".repeat(21)).is_err());
    }
}

mod validation_only_keywords {
    use super::*;
    use crate::snapshots::dropped_keywords::types::{Payment, PaymentState};

    #[test]
    fn if_then_else_and_property_names_are_not_enforced() {
        // `then` requires `paid_at` once paid, `propertyNames` wants lower-case keys.
        let payment: Payment = from_value(json!({"state": "paid", "metadata": {"Upper-Case": "kept"}})).unwrap();
        assert_eq!(payment.state, PaymentState::Paid);
        assert_eq!(payment.paid_at, None);
        assert_eq!(payment.metadata["Upper-Case"], "kept");
    }
}

mod defaults {
    use super::*;
    use crate::snapshots::request_defaults::types::{Reminder, ReminderChannel, ReminderRequest};

    #[test]
    fn response_defaults_fill_absent_fields() {
        let reminder: Reminder = from_value(json!({})).unwrap();
        assert_eq!(reminder.channel, ReminderChannel::Sms);
        assert_eq!(reminder.delay_minutes, 60);
    }

    #[test]
    fn request_defaults_are_not_sent() {
        assert_eq!(to_value(&ReminderRequest::default()), json!({}));
        let request: ReminderRequest = from_value(json!({})).unwrap();
        assert_eq!(request.channel, None);
        assert_eq!(request.delay_minutes, None);
    }
}

mod clearable_request_fields {
    use super::*;
    use crate::snapshots::clearable_fields::types::{Profile, ProfileAvatar, ProfileRequest};

    fn request() -> ProfileRequest {
        ProfileRequest {
            age: None,
            avatar: None,
            bio: None,
            name: "Ada".to_owned(),
            nickname: None,
        }
    }

    #[test]
    fn absent_optional_nullable_request_field_is_skipped() {
        assert_eq!(to_value(&request()), json!({"name": "Ada", "bio": null}));
    }

    #[test]
    fn some_none_serializes_as_null() {
        let cleared = ProfileRequest {
            nickname: Some(None),
            avatar: Some(None),
            ..request()
        };
        assert_eq!(
            to_value(&cleared),
            json!({"name": "Ada", "bio": null, "nickname": null, "avatar": null})
        );
    }

    #[test]
    fn some_some_serializes_the_value() {
        let set = ProfileRequest {
            nickname: Some(Some("Countess".to_owned())),
            avatar: Some(Some(ProfileAvatar {
                url: "https://example.com/a.png".to_owned(),
            })),
            ..request()
        };
        assert_eq!(
            to_value(&set),
            json!({"name": "Ada", "bio": null, "nickname": "Countess", "avatar": {"url": "https://example.com/a.png"}})
        );
    }

    #[test]
    fn absent_null_and_value_decode_to_three_different_states() {
        let absent: ProfileRequest = from_value(json!({"name": "Ada", "bio": null})).unwrap();
        let null: ProfileRequest = from_value(json!({"name": "Ada", "bio": null, "nickname": null})).unwrap();
        let value: ProfileRequest = from_value(json!({"name": "Ada", "bio": null, "nickname": "C"})).unwrap();
        assert_eq!(absent.nickname, None);
        assert_eq!(null.nickname, Some(None));
        assert_eq!(value.nickname, Some(Some("C".to_owned())));
    }

    #[test]
    fn required_nullable_request_field_stays_a_single_option_that_must_be_present() {
        let error = from_value::<ProfileRequest>(json!({"name": "Ada"})).unwrap_err();
        assert!(error.to_string().contains("missing field `bio`"), "{error}");
    }

    #[test]
    fn response_optional_nullable_field_is_a_single_option() {
        let profile: Profile = from_value(json!({"name": "Ada", "nickname": null})).unwrap();
        assert_eq!(profile.nickname, None);
    }
}

mod dates {
    use super::*;
    use crate::snapshots::date_time_offset::types::{Slot, SlotRequest};

    #[test]
    fn date_time_offset_survives_a_round_trip() {
        let wire = json!({"start_at": "2024-03-10T09:30:00-05:00", "end_at": "2024-03-10T10:00:00+01:00", "cancelled_at": null});
        let slot: Slot = from_value(wire.clone()).unwrap();
        assert_eq!(slot.start_at.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(to_value(&slot), wire);
    }

    #[test]
    fn untyped_date_time_and_nullable_date_time_are_dates() {
        let slot: Slot = from_value(json!({
            "start_at": "2024-03-10T09:30:00Z",
            "end_at": "2024-03-10T10:00:00-05:00",
            "cancelled_at": "2024-03-09T08:00:00-04:00",
        }))
        .unwrap();
        assert_eq!(slot.end_at.to_rfc3339(), "2024-03-10T10:00:00-05:00");
        assert_eq!(slot.cancelled_at.unwrap().offset().local_minus_utc(), -4 * 3600);
        assert!(
            from_value::<Slot>(
                json!({"start_at": "yesterday", "end_at": "2024-03-10T10:00:00Z", "cancelled_at": null})
            )
            .is_err()
        );
    }

    #[test]
    fn request_date_keeps_the_offset_it_was_given() {
        let start_at = chrono::DateTime::parse_from_rfc3339("2024-03-10T09:30:00-05:00").unwrap();
        assert_eq!(
            to_value(&SlotRequest { start_at }),
            json!({"start_at": "2024-03-10T09:30:00-05:00"})
        );
    }
}

mod webhook_union {
    use super::*;
    use crate::snapshots::webhook_events::types::{Note, NoteEvent};

    fn note() -> Note {
        Note {
            id: "n1".to_owned(),
            text: "hello".to_owned(),
        }
    }

    #[test]
    fn event_variant_is_selected_by_event_name() {
        let created: NoteEvent =
            from_value(json!({"event_name": "note_created", "data": {"id": "n1", "text": "hello"}})).unwrap();
        let deleted: NoteEvent =
            from_value(json!({"event_name": "note_deleted", "data": {"id": "n1", "text": "hello"}})).unwrap();
        assert_eq!(created, NoteEvent::NoteCreated(note()));
        assert_eq!(deleted, NoteEvent::NoteDeleted(note()));
    }

    #[test]
    fn event_serializes_back_with_its_event_name_and_data() {
        assert_eq!(
            to_value(&NoteEvent::NoteDeleted(note())),
            json!({"event_name": "note_deleted", "data": {"id": "n1", "text": "hello"}})
        );
    }

    #[test]
    fn event_ignores_unknown_fields_in_its_data() {
        let event: NoteEvent =
            from_value(json!({"event_name": "note_created", "data": {"id": "n1", "text": "hello", "pinned": true}}))
                .unwrap();
        assert_eq!(event, NoteEvent::NoteCreated(note()));
    }

    #[test]
    fn unknown_event_name_is_an_error_not_another_event() {
        let error = from_value::<NoteEvent>(json!({"event_name": "note_archived", "data": {"id": "n1", "text": "x"}}))
            .unwrap_err();
        assert!(error.to_string().contains("unknown variant"), "{error}");
    }
}

mod embedded_files {
    use super::*;
    use std::path::Path;

    #[test]
    fn embedded_files_are_the_fixture_files_with_their_root_type_names() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (case, files, _) in snapshots::CASES {
            let mut on_disk: Vec<String> = std::fs::read_dir(fixtures.join(case))
                .unwrap()
                .map(|entry| entry.unwrap().file_name().into_string().unwrap())
                .collect();
            on_disk.sort();
            let embedded: Vec<&str> = files.iter().map(|(name, _, _)| *name).collect();
            assert_eq!(embedded, on_disk, "{case}");
            for (name, root_type, text) in *files {
                let original: Value =
                    serde_json::from_str(&std::fs::read_to_string(fixtures.join(case).join(name)).unwrap()).unwrap();
                assert_eq!(serde_json::from_str::<Value>(text).unwrap(), original, "{case}/{name}");
                let expected_type = original.get("title").and_then(Value::as_str).unwrap_or("");
                let expected_type = if *name == "openapi.json" { "" } else { expected_type };
                assert_eq!(*root_type, expected_type, "{case}/{name}");
            }
        }
    }
}

mod clients {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_client_defaults_to_its_manifests_first_server() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (case, _, default_base_url) in snapshots::CASES {
            let manifest: Value =
                serde_json::from_str(&std::fs::read_to_string(fixtures.join(case).join("openapi.json")).unwrap())
                    .unwrap();
            let server = manifest["servers"][0]["url"].as_str().unwrap();
            assert_eq!(*default_base_url, server.trim_end_matches('/'), "{case}");
        }
    }
}
