//! Evolution mode: at rate 1 the answers carry extra fields at every level,
//! undocumented enum values and `null`s for unset optional fields, the same
//! seed gives the same bodies, rate 0 gives the documented ones; everything
//! served is accepted by the tolerant profile (most of it refused by the
//! strict one); and the quickstart's calls, through the generated client,
//! still succeed, webhooks included.

use kimoby_generated::webhooks::WebhookEvent;
use kimoby_mock::contract::Contract;
use kimoby_mock::evolution::{EXTRA_PREFIX, UNKNOWN_EVENT_NAME};
use kimoby_mock::{Evolution, MockConfig, MockServer};
use serde_json::{Value, json};

use crate::common::{Mock, RecordingProxy, assert_schema, quiet_config, tolerant_validator, validator};
use crate::tour;

fn evolving(rate: f64, seed: u64) -> MockConfig {
    quiet_config().evolution(Evolution::new(rate).seed(seed))
}

/// The `zz_evolved_` members of an object.
fn extras(value: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|object| {
            object
                .keys()
                .filter(|name| name.starts_with(EXTRA_PREFIX))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// `value` with the values that differ between two servers (ids, dates) masked.
fn masked(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(name, member)| {
                    let member = match name.as_str() {
                        "id" | "customer_id" | "created_at" | "updated_at" => json!("masked"),
                        _ => masked(member),
                    };
                    (name.clone(), member)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(masked).collect()),
        other => other.clone(),
    }
}

/// A customer, a message to them, then the list of customers, the customer
/// and the message as served: `[list, customer, message]`.
async fn served(mock: &Mock) -> [Value; 3] {
    let customer = mock.customer("CU1", "+14185550001").await;
    let id = customer["id"].as_str().expect("id").to_owned();
    let (status, message) = mock
        .post("/messages", json!({"customer": {"id": id}, "body": "hello"}))
        .await;
    assert_eq!(status, 201, "{message}");
    let (_, list) = mock.get("/customers").await;
    let (_, customer) = mock.get(&format!("/customers/{id}")).await;
    let (_, message) = mock.get(&format!("/messages/{}", message["id"])).await;
    [list, customer, message]
}

#[tokio::test]
async fn rate_one_adds_fields_enum_values_and_nulls_reproducibly() {
    let mock = Mock::with(evolving(1.0, 5)).await;
    let [list, customer, message] = served(&mock).await;

    assert_eq!(extras(&list).len(), 1, "{list:#}");
    assert_eq!(extras(&list["pagination"]).len(), 1, "{list:#}");
    let listed = &list["customers"][0];
    assert_eq!(extras(listed).len(), 1, "{list:#}");
    for level in [&customer, &customer["custom_attributes"]] {
        assert_eq!(extras(level).len(), 1, "{customer:#}");
    }
    // Unset optional fields come as null (the customer has no email, city, ...).
    for optional in ["email", "address", "city", "state", "zipcode", "country", "phones"] {
        assert_eq!(customer[optional], Value::Null, "{optional}: {customer:#}");
        assert!(customer.as_object().expect("object").contains_key(optional));
    }
    assert_eq!(customer["name"], "Customer CU1");
    assert_eq!(customer["cell_phone_number"], "+14185550001");
    // Enums get undocumented values.
    for enumerated in ["status", "direction", "element_type"] {
        let value = message[enumerated].as_str().expect("string");
        assert!(value.starts_with(EXTRA_PREFIX), "{enumerated}: {message:#}");
    }
    assert_eq!(extras(&message).len(), 1, "{message:#}");

    // The same seed and calls give the same bodies (ids and dates aside); at
    // rate 1 only the kinds and numbers of extra values are drawn, so the
    // seeds are compared at rate 0.5.
    let again = Mock::with(evolving(1.0, 5)).await;
    let replayed = served(&again).await;
    for (first, second) in [list, customer, message].iter().zip(&replayed) {
        assert_eq!(masked(first), masked(second));
    }
    let mut halves = Vec::new();
    for seed in [5, 5, 6] {
        let mock = Mock::with(evolving(0.5, seed)).await;
        halves.push(served(&mock).await.map(|body| masked(&body)));
    }
    assert_eq!(halves[0], halves[1]);
    assert_ne!(halves[0], halves[2]);

    let documented = Mock::with(evolving(0.0, 5)).await;
    let [list, customer, message] = served(&documented).await;
    assert_schema("customers.json", &list);
    assert_schema("customer.json", &customer);
    assert_schema("message.json", &message);
    assert!(!customer.to_string().contains(EXTRA_PREFIX) && !list.to_string().contains(EXTRA_PREFIX));
    assert!(!customer.as_object().expect("object").contains_key("email"));
}

#[tokio::test]
async fn errors_evolve_too_and_keep_their_message() {
    let mock = Mock::with(evolving(1.0, 1)).await;
    let (status, error) = mock.get("/customers/nobody").await;
    assert_eq!(status, 404);
    assert!(error["message"].is_string(), "{error}");
    assert_eq!(extras(&error).len(), 1, "{error}");
    assert!(tolerant_validator().is_valid("error.json", &error));
    // The control endpoints are not the API: they stay as they are.
    let (status, state) = mock.control(reqwest::Method::GET, "/state", None).await;
    assert_eq!(status, 200);
    assert!(!state.to_string().contains(EXTRA_PREFIX), "{state}");
}

#[tokio::test]
async fn everything_the_quickstart_is_served_is_tolerated_and_mostly_not_strict() {
    let server = MockServer::start(
        MockConfig::new(tour::API_KEY, tour::API_SECRET)
            .allow_http_webhooks(true)
            .time_scale(0.001)
            .evolution(Evolution::new(1.0).seed(11)),
    )
    .await
    .expect("mock starts");
    let proxy = RecordingProxy::start(format!("http://{}", server.addr())).await;
    let tour = tour::run(&format!("{}/v1", proxy.origin))
        .await
        .expect("the tour succeeds");
    let contract = Contract::embedded().expect("embedded manifest");
    let exchanges = proxy.exchanges();
    let (mut bodies, mut strictly_refused) = (0, 0);
    for exchange in &exchanges {
        if exchange.body.is_empty() {
            continue;
        }
        let path = exchange.path.strip_prefix("/v1").expect("under /v1");
        let schema = contract
            .response_schema(&exchange.method, path, exchange.query.as_deref(), exchange.status)
            .unwrap_or_else(|| panic!("no schema for {} {}", exchange.method, exchange.path));
        let mut body: Value = serde_json::from_slice(&exchange.body).expect("JSON");
        // The receiver's loopback http URL (allowed for tests) as the https
        // one the schemas require of a webhook.
        if let Some(url) = body.get_mut("url")
            && let Some(rest) = url.as_str().and_then(|url| url.strip_prefix("http://"))
        {
            *url = Value::String(format!("https://{rest}"));
        }
        if let Err(error) = tolerant_validator().validate(&schema.reference, &body) {
            panic!(
                "{} {} {}: {error}\n{body:#}",
                exchange.method, exchange.path, exchange.status
            );
        }
        bodies += 1;
        if !validator().is_valid(&schema.reference, &body) {
            strictly_refused += 1;
        }
    }
    assert!(bodies >= 10, "{bodies} bodies");
    assert!(
        strictly_refused * 10 >= bodies * 9,
        "{strictly_refused} of {bodies} refused by the strict profile"
    );
    assert!(!tour.webhooks.is_empty());
    for (raw, _) in &tour.webhooks {
        let body: Value = serde_json::from_slice(raw).expect("JSON");
        assert!(tolerant_validator().is_valid("webhook_event.json", &body), "{body:#}");
        assert!(!validator().is_valid("webhook_event.json", &body), "{body:#}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn the_quickstart_survives_an_evolving_api() {
    let server = MockServer::start(
        MockConfig::new(tour::API_KEY, tour::API_SECRET)
            .allow_http_webhooks(true)
            .time_scale(0.001)
            .evolution(Evolution::new(1.0).seed(3)),
    )
    .await
    .expect("mock starts");
    let tour = tour::run(&server.base_url()).await.expect("the tour succeeds");
    assert_eq!(tour.customers_listed, 60);
    let mut message_events = 0;
    let mut unknown_events = 0;
    for (_, event) in &tour.webhooks {
        match event {
            WebhookEvent::MessageCreated(message) | WebhookEvent::MessageUpdated(message) => {
                message_events += 1;
                assert!(message.status.as_str().starts_with(EXTRA_PREFIX), "{message:?}");
            }
            WebhookEvent::Unknown { event_name, data } => {
                unknown_events += 1;
                assert_eq!(event_name, UNKNOWN_EVENT_NAME);
                assert!(data.is_object());
            }
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert_eq!(message_events, 4);
    assert!(unknown_events >= 1, "{:?}", tour.webhooks);
    let unknown_deliveries = server
        .deliveries()
        .iter()
        .filter(|attempt| attempt.event_name == UNKNOWN_EVENT_NAME && attempt.delivered)
        .count();
    assert!(unknown_deliveries >= 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_body_schema_evolution_cannot_walk_stops_the_start_at_its_pointer() {
    let mut manifest = crate::common::embedded_manifest();
    manifest["paths"]["/customers"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
        json!({"$ref": "nowhere.json"});
    let documented = MockServer::start(quiet_config().with_manifest(manifest.clone())).await;
    assert!(documented.is_ok(), "without evolution the schema is not walked");
    let error = MockServer::start(evolving(0.5, 1).with_manifest(manifest))
        .await
        .expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains("/paths/~1customers/get/responses/200/content/application~1json/schema/$ref")
            && message.contains("nowhere.json"),
        "{message}"
    );
}
