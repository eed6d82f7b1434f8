//! Evolution of documented payloads: what changes at rate 1, that nothing
//! changes at rate 0, that a seed reproduces a body, and that the tolerant
//! profile accepts the result while the strict one refuses it.

use kimoby_generated::validate::Validator;
use serde_json::{Value, json};

use super::{EXTRA_PREFIX, Evolution, Evolver, Stream};

fn customer() -> Value {
    json!({
        "id": "cu1", "name": "John Doe", "reference": "CU1",
        "phones": {"home": "418"},
        "custom_attributes": {"vehicle_year": "2012", "visit_date": "2026-01-01T00:00:00Z"},
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
    })
}

fn message() -> Value {
    json!({
        "id": 1, "customer_id": "cu1", "conversation_id": null, "user_sub_user_id": null,
        "body": "hi", "element_type": "sent_message", "direction": "outgoing", "status": "queued",
        "error": null, "documents": [], "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
    })
}

fn extras(object: &Value) -> Vec<&String> {
    object
        .as_object()
        .map(|map| map.keys().filter(|name| name.starts_with(EXTRA_PREFIX)).collect())
        .unwrap_or_default()
}

#[test]
fn rate_one_changes_every_level_within_the_tolerant_profile() {
    let evolver = Evolver::new(Evolution::new(1.0).seed(3)).unwrap();
    let strict = Validator::strict().unwrap();
    let tolerant = Validator::tolerant().unwrap();
    let mut evolved = customer();
    let done = evolver.evolve("customer.json", &mut evolved, Stream::Responses, 0);
    assert_eq!(extras(&evolved).len(), 1, "{evolved:#}");
    assert_eq!(extras(&evolved["phones"]).len(), 1, "{evolved:#}");
    let attributes = &evolved["custom_attributes"];
    assert_eq!(attributes["vehicle_year"], "2012");
    assert_eq!(attributes["visit_date"], "2026-01-01T00:00:00Z");
    let added = extras(attributes);
    assert_eq!(added.len(), 1, "{evolved:#}");
    assert!(attributes[added[0].as_str()].is_string() || attributes[added[0].as_str()].is_number());
    for optional in ["cell_phone_number", "email", "city", "country", "is_unsubscribed"] {
        assert_eq!(evolved[optional], Value::Null, "{optional}: {evolved:#}");
    }
    assert_eq!(evolved["phones"]["work"], Value::Null);
    assert!(done.nulls >= 5 && done.extra_properties == 3, "{done:?}");
    assert!(tolerant.validate("customer.json", &evolved).is_ok(), "{evolved:#}");
    assert!(strict.validate("customer.json", &evolved).is_err());

    let mut evolved = message();
    evolver.evolve("message.json", &mut evolved, Stream::Responses, 1);
    for enumerated in ["status", "direction", "element_type"] {
        let value = evolved[enumerated].as_str().unwrap();
        assert!(value.starts_with(EXTRA_PREFIX), "{enumerated}: {value}");
    }
    assert!(tolerant.validate("message.json", &evolved).is_ok(), "{evolved:#}");

    let mut event = json!({"event_name": "message_updated", "data": message()});
    evolver.evolve("webhook_event.json", &mut event, Stream::Webhooks, 0);
    assert_eq!(event["event_name"], "message_updated");
    assert!(event["data"]["status"].as_str().unwrap().starts_with(EXTRA_PREFIX));
    assert_eq!(extras(&event).len(), 1);
    assert!(tolerant.validate("webhook_event.json", &event).is_ok(), "{event:#}");

    let mut event = json!({"event_name": "customer_unsubscribed", "data": customer()});
    evolver.evolve("webhook_event.json", &mut event, Stream::Webhooks, 1);
    assert_eq!(event["data"]["email"], Value::Null, "{event:#}");
    assert_eq!(extras(&event["data"]["custom_attributes"]).len(), 1, "{event:#}");
    assert!(tolerant.validate("webhook_event.json", &event).is_ok(), "{event:#}");
    assert!(strict.validate("webhook_event.json", &event).is_err());
}

#[test]
fn a_seed_reproduces_and_rate_zero_keeps_the_documented_body() {
    let run = |seed: u64, ordinal: u64| {
        let mut value = json!({"customers": [customer(), customer()], "pagination": {"page": 1, "pages": 1, "items": 2, "per_page": 25}});
        Evolver::new(Evolution::new(0.5).seed(seed)).unwrap().evolve(
            "customers.json",
            &mut value,
            Stream::Responses,
            ordinal,
        );
        value
    };
    assert_eq!(run(9, 4), run(9, 4));
    assert!((0..8).any(|seed| run(seed, 0) != run(9, 4)));
    let mut value = customer();
    let done = Evolver::new(Evolution::new(0.0))
        .unwrap()
        .evolve("customer.json", &mut value, Stream::Responses, 0);
    assert_eq!(done.total(), 0);
    assert_eq!(value, customer());
}

#[test]
fn rates_outside_zero_to_one_are_refused() {
    assert!(Evolution::new(1.5).check().is_err());
    assert!(Evolution::new(-0.1).check().is_err());
    assert!(Evolution::new(f64::NAN).check().is_err());
    assert!(Evolution::new(0.3).check().is_ok());
}
