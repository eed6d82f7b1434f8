//! The fixture reports of `cargo xtask contract learn` (the workspace's
//! `tests/contract_learn/`), made from real traffic and kept true to it:
//!
//! - `evolved/`: the generated client makes a customer's and a message's
//!   calls against the mock in evolution mode (rate 1, seed [`SEED`]),
//!   through a recording proxy that keeps the bodies (`bodies.jsonl`, the
//!   schema and the body a line: mock data, no personal data) and the
//!   validating proxy (`kimoby-mock proxy`), whose report `report.jsonl` is;
//! - `missing_required/`: a documented customer answered without its
//!   required `name`, as the client's finder reports it.
//!
//! The test fails if the committed reports are not what this traffic gives
//! (counts and departures; the times are those of the run that wrote them),
//! or if the committed bodies do not give the committed evolved report.
//! `KIMOBY_WRITE_FIXTURES=1 cargo test -p kimoby-mock --test mock contract_learn`
//! rewrites them.

use std::path::{Path, PathBuf};

use kimoby_generated::Client;
use kimoby_generated::client::CustomerLookup;
use kimoby_generated::departure::{Departure, DepartureKind, DepartureLog, DepartureRecord, Direction, Finder};
use kimoby_generated::runtime::RetryPolicy;
use kimoby_generated::types::{CustomerReference, CustomerRequest, MessageRequest};
use kimoby_mock::Evolution;
use kimoby_mock::contract::Contract;
use kimoby_mock::proxy::{ProxyConfig, ProxyServer};
use serde_json::{Value, json};

use crate::common::{KEY, Mock, RecordingProxy, SECRET, quiet_config};

/// The evolution seed of the evolved fixture.
const SEED: u64 = 17;

fn fixture_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .join("tests/contract_learn")
}

fn rewriting() -> bool {
    std::env::var_os("KIMOBY_WRITE_FIXTURES").is_some_and(|value| value == "1")
}

/// A record without its times, for comparing runs.
fn timeless(records: &[DepartureRecord]) -> Vec<(Departure, u64)> {
    records
        .iter()
        .map(|record| (record.departure.clone(), record.count))
        .collect()
}

/// Writes `records` to `path` when rewriting, else checks the committed file.
fn write_or_compare(path: &Path, records: &[DepartureRecord]) {
    if rewriting() {
        let log = DepartureLog::new();
        log.merge(records.iter().cloned());
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("fixture folder");
        log.write_if_changed(path).expect("write the report");
        return;
    }
    let committed = DepartureLog::read(path).expect("the committed report (KIMOBY_WRITE_FIXTURES=1 writes it)");
    assert_eq!(
        timeless(&committed),
        timeless(records),
        "{} is not what the traffic gives: rerun with KIMOBY_WRITE_FIXTURES=1",
        path.display()
    );
}

/// The customer's and message's calls through the client; the report and the bodies served.
async fn evolved_traffic(directory: &Path) -> (Vec<DepartureRecord>, Vec<(String, Value)>) {
    let mock = Mock::with(quiet_config().evolution(Evolution::new(1.0).seed(SEED))).await;
    let validating =
        ProxyServer::start(ProxyConfig::new(mock.base.clone()).report(directory.join("proxy-report.jsonl")))
            .await
            .expect("the validating proxy starts");
    let proxy = RecordingProxy::start(validating.base_url()).await;
    let client = Client::builder(KEY, SECRET)
        .base_url(proxy.origin.clone())
        .allow_insecure_http_for_testing()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let request = CustomerRequest::new("Fixture Customer")
        .reference("CU000017")
        .cell_phone_number(
            "+14185550017"
                .parse::<kimoby_generated::types::PhoneNumber>()
                .expect("a phone number"),
        );
    let customer = client.customers().create(request).send().await.expect("create");
    client
        .customers()
        .retrieve(CustomerLookup::id(customer.id.clone()))
        .send()
        .await
        .expect("retrieve");
    client.customers().list().send().await.expect("list");
    let message = client
        .messages()
        .send(MessageRequest::new(
            "Fixture message"
                .parse::<kimoby_generated::types::MessageRequestBody>()
                .expect("a message body"),
            CustomerReference::new().id(customer.id.clone()),
        ))
        .send()
        .await
        .expect("send");
    client
        .messages()
        .retrieve(message.id)
        .send()
        .await
        .expect("retrieve message");
    client.messages().list().send().await.expect("list messages");
    validating.settled().await;
    let records = validating.departures();
    let contract = Contract::embedded().expect("manifest");
    let bodies = proxy
        .exchanges()
        .iter()
        .filter(|exchange| !exchange.body.is_empty())
        .map(|exchange| {
            let path = exchange.path.as_str();
            let schema = contract
                .response_schema(&exchange.method, path, exchange.query.as_deref(), exchange.status)
                .expect("a documented answer");
            let body: Value = serde_json::from_slice(&exchange.body).expect("JSON");
            (schema.reference.clone(), body)
        })
        .collect();
    validating.shutdown().await;
    mock.server.shutdown().await;
    (records, bodies)
}

#[tokio::test]
async fn the_evolved_fixture_is_the_report_of_real_traffic() {
    let scratch = std::env::temp_dir().join(format!("kimoby-learn-fixture-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let (records, bodies) = evolved_traffic(&scratch).await;
    std::fs::remove_dir_all(&scratch).expect("clean up");
    let kinds: std::collections::BTreeSet<DepartureKind> = records.iter().map(|record| record.departure.kind).collect();
    assert_eq!(
        kinds,
        [
            DepartureKind::UnknownField,
            DepartureKind::UndocumentedEnumValue,
            DepartureKind::NullNotAllowed
        ]
        .into(),
        "evolution mode's three kinds of change"
    );
    let directory = fixture_directory().join("evolved");
    write_or_compare(&directory.join("report.jsonl"), &records);
    let bodies_path = directory.join("bodies.jsonl");
    if rewriting() {
        let lines: Vec<String> = bodies
            .iter()
            .map(|(schema, body)| json!({"schema": schema, "body": body}).to_string())
            .collect();
        std::fs::write(&bodies_path, lines.join("\n") + "\n").expect("write the bodies");
    }
    // The committed bodies give the committed report's departures.
    let committed = std::fs::read_to_string(&bodies_path).expect("the committed bodies");
    let finder = Finder::new().expect("finder");
    let mut from_bodies = std::collections::BTreeSet::new();
    for line in committed.lines() {
        let line: Value = serde_json::from_str(line).expect("a body line");
        let schema = line["schema"].as_str().expect("schema");
        for found in finder.departures(schema, &line["body"]) {
            from_bodies.insert((schema.to_owned(), found.pointer, found.kind));
        }
    }
    let from_report: std::collections::BTreeSet<_> = DepartureLog::read(&directory.join("report.jsonl"))
        .expect("the committed report")
        .into_iter()
        .map(|record| {
            let departure = record.departure;
            (departure.schema.expect("a schema"), departure.pointer, departure.kind)
        })
        .collect();
    assert_eq!(from_bodies, from_report);
}

#[tokio::test]
async fn the_missing_required_fixture_is_a_documented_customer_without_its_name() {
    let mock = Mock::with(quiet_config()).await;
    let created = mock.customer("CU000018", "+14185550018").await;
    let id = created["id"].as_str().expect("id");
    let (status, mut customer) = mock.get(&format!("/customers/{id}")).await;
    assert_eq!(status, 200);
    customer.as_object_mut().expect("object").remove("name");
    let finder = Finder::new().expect("finder");
    let log = DepartureLog::new();
    for found in finder.departures("customer.json", &customer) {
        log.record_at(
            Departure {
                operation_id: Some("retrieveCustomer".to_owned()),
                method: "GET".to_owned(),
                path: Some("/customers/{id}".to_owned()),
                direction: Direction::Response,
                status: Some(200),
                schema: Some("customer.json".to_owned()),
                pointer: found.pointer,
                kind: found.kind,
                observed_type: found.observed_type,
                observed_format: found.observed_format,
                enum_value: found.enum_value,
                detail: found.detail,
                tolerated: Some(finder.is_tolerated("customer.json", &customer)),
            },
            "2026-12-05T00:00:00Z",
        );
    }
    let records = log.records();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(
        (records[0].departure.pointer.as_str(), records[0].departure.kind),
        ("/name", DepartureKind::MissingRequiredField)
    );
    write_or_compare(&fixture_directory().join("missing_required/report.jsonl"), &records);
    mock.server.shutdown().await;
}
