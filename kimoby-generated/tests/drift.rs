//! The drift report: a client built with `report_drift(true)` warns, through
//! `tracing`, of every way a success body departs from its strict schema
//! (naming the operation, the JSON pointer and the kind of departure), and
//! the call still succeeds; without it, nothing is checked or logged.
#![cfg(all(feature = "client", feature = "validate"))]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{KEY, SECRET, text};
use kimoby_generated::Client;
use kimoby_generated::departure::{DepartureKind, DepartureLog};
use kimoby_generated::runtime::{DriftKind, RetryPolicy, drift_of};
use kimoby_generated::types::MessageStatus;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The documented message example, with a field and a status this version of
/// the schemas does not know.
fn evolved_message() -> Value {
    let mut message: Value = serde_json::from_str(&text("message/retrieve_response.json")).unwrap();
    message["channel"] = Value::String("whatsapp".to_owned());
    message["status"] = Value::String("scheduled".to_owned());
    message
}

async fn server_answering(body: &Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, report: bool) -> Client {
    Client::builder(KEY, SECRET)
        .base_url(format!("{}/v1", server.uri()))
        .allow_insecure_http_for_testing()
        .timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::none())
        .report_drift(report)
        .build()
        .unwrap()
}

/// Every warning of the target `kimoby::drift`, as `field=value` lines.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Warnings {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.is_span() || metadata.target() == "kimoby::drift"
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        assert_eq!(*event.metadata().level(), tracing::Level::WARN);
        let mut line = String::new();
        event.record(&mut Fields(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn an_unknown_field_and_an_unknown_status_are_warned_of_and_the_call_succeeds() {
    let server = server_answering(&evolved_message()).await;
    let warnings = Warnings::default();
    let _guard = tracing::subscriber::set_default(warnings.clone());
    let message = client(&server, true)
        .messages()
        .retrieve(345634563)
        .send()
        .await
        .unwrap();
    assert_eq!(message.status, MessageStatus::Other("scheduled".to_owned()));
    let lines = warnings.0.lock().unwrap().clone();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let line_of = |pointer: &str| {
        lines
            .iter()
            .find(|line| line.contains(&format!("pointer={pointer} ")))
            .unwrap_or_else(|| panic!("no warning at {pointer}: {lines:#?}"))
            .clone()
    };
    let unknown_field = line_of("/channel");
    assert!(unknown_field.contains("kind=\"unknown field\""), "{unknown_field}");
    assert!(
        unknown_field.contains("operation_id=\"retrieveMessage\""),
        "{unknown_field}"
    );
    assert!(unknown_field.contains("schema=\"message.json\""), "{unknown_field}");
    let unknown_value = line_of("/status");
    assert!(unknown_value.contains("kind=\"unknown value\""), "{unknown_value}");
    // A pointer names a place, never what was there.
    for line in &lines {
        assert!(!line.contains("scheduled") && !line.contains("whatsapp"), "{line}");
    }
}

#[tokio::test]
async fn without_report_drift_nothing_is_checked() {
    let server = server_answering(&evolved_message()).await;
    let warnings = Warnings::default();
    let _guard = tracing::subscriber::set_default(warnings.clone());
    client(&server, false)
        .messages()
        .retrieve(345634563)
        .send()
        .await
        .unwrap();
    assert!(warnings.0.lock().unwrap().is_empty());
}

#[test]
fn a_documented_body_has_no_drift_and_a_null_is_named_as_such() {
    let documented = text("message/retrieve_response.json");
    assert!(drift_of("message.json", documented.as_bytes()).is_empty());
    let mut nulled: Value = serde_json::from_str(&documented).unwrap();
    nulled["body"] = Value::Null;
    let drifts = drift_of("message.json", nulled.to_string().as_bytes());
    assert_eq!(drifts.len(), 1, "{drifts:?}");
    assert_eq!((drifts[0].pointer.as_str(), drifts[0].kind), ("/body", DriftKind::Null));
}

#[tokio::test]
async fn report_drift_to_counts_each_departure_in_a_report_without_values() {
    let server = server_answering(&evolved_message()).await;
    let directory = std::env::temp_dir().join(format!("kimoby-drift-report-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("drift.jsonl");
    let client = Client::builder(KEY, SECRET)
        .base_url(format!("{}/v1", server.uri()))
        .allow_insecure_http_for_testing()
        .retry_policy(RetryPolicy::none())
        .report_drift_to(&path)
        .build()
        .unwrap();
    for _ in 0..3 {
        client.messages().retrieve(345634563).send().await.unwrap();
    }
    let records = DepartureLog::read(&path).unwrap();
    let seen: Vec<(&str, DepartureKind, u64)> = records
        .iter()
        .map(|record| (record.departure.pointer.as_str(), record.departure.kind, record.count))
        .collect();
    assert_eq!(
        seen,
        [
            ("/channel", DepartureKind::UnknownField, 3),
            ("/status", DepartureKind::UndocumentedEnumValue, 3),
        ]
    );
    let channel = &records[0].departure;
    assert_eq!(channel.operation_id.as_deref(), Some("retrieveMessage"));
    assert_eq!((channel.method.as_str(), channel.status), ("GET", Some(200)));
    assert_eq!(channel.observed_type.as_deref(), Some("string"));
    assert_eq!(channel.tolerated, Some(true));
    // The new status value is the one value a report keeps; the new field's value is not kept.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"enum_value\":\"scheduled\"") && !text.contains("whatsapp"),
        "{text}"
    );
    std::fs::remove_dir_all(&directory).unwrap();
}
