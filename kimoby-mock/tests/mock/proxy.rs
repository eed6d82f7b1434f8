//! The validating proxy in front of the mock: documented traffic passes
//! byte for byte with no departure; in front of an evolving mock (a newer
//! Kimoby) every evolution is reported, and nothing else; no value of a
//! body ever reaches the report.

use std::collections::BTreeSet;

use kimoby_generated::departure::{DepartureKind, DepartureLog, DepartureRecord, Direction};
use kimoby_mock::evolution::EXTRA_PREFIX;
use kimoby_mock::proxy::{CHECKED_BEFORE_ANSWERING_BYTES, DEPARTURES_HEADER, ProxyConfig, ProxyServer};
use kimoby_mock::{Evolution, MockConfig, MockServer};
use serde_json::{Value, json};

use crate::common::{RecordingProxy, http_client};
use crate::tour;

fn mock_config() -> MockConfig {
    MockConfig::new(tour::API_KEY, tour::API_SECRET)
        .allow_http_webhooks(true)
        .time_scale(0.001)
}

/// The tour registers a plain-http webhook receiver on loopback (allowed by
/// the mock for tests; the schemas require https): the request body and
/// the webhook answers carry that URL, which is a real departure of the
/// test's making, not of the server's.
fn is_test_webhook_url(record: &DepartureRecord) -> bool {
    let departure = &record.departure;
    departure.kind == DepartureKind::ConstraintViolated
        && departure.pointer.ends_with("/url")
        && departure
            .operation_id
            .as_deref()
            .is_some_and(|id| id.contains("Webhook"))
}

fn temporary_report(name: &str) -> std::path::PathBuf {
    let directory = std::env::temp_dir().join(format!("kimoby-proxy-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temporary directory");
    directory.join("departures.jsonl")
}

#[tokio::test]
async fn documented_traffic_passes_byte_for_byte_with_no_departure() {
    let mock = MockServer::start(mock_config()).await.expect("mock starts");
    let report = temporary_report("documented");
    let proxy = ProxyServer::start(ProxyConfig::new(mock.base_url()).report(&report))
        .await
        .expect("proxy starts");
    let tour = tour::run(&proxy.base_url())
        .await
        .expect("the tour succeeds through the proxy");
    assert!(tour.customers_listed >= 60 && !tour.webhooks.is_empty());

    let http = http_client();
    for (path, query) in [
        ("/customers", "page=2&per_page=10"),
        ("/customers", "reference=CU000001"),
        ("/customers/nobody", ""),
    ] {
        let url = |base: &str| format!("{base}{path}?{query}");
        let direct = http
            .get(url(&mock.base_url()))
            .basic_auth(tour::API_KEY, Some(tour::API_SECRET))
            .send()
            .await
            .expect("direct");
        let proxied = http
            .get(url(&proxy.base_url()))
            .basic_auth(tour::API_KEY, Some(tour::API_SECRET))
            .send()
            .await
            .expect("proxied");
        assert_eq!(direct.status(), proxied.status(), "{path}?{query}");
        assert_eq!(
            direct.headers().get("content-type"),
            proxied.headers().get("content-type")
        );
        assert!(proxied.headers().get(DEPARTURES_HEADER).is_none(), "{path}?{query}");
        assert_eq!(
            direct.bytes().await.expect("body"),
            proxied.bytes().await.expect("body"),
            "{path}?{query}"
        );
    }

    proxy.settled().await;
    let departures: Vec<DepartureRecord> = proxy
        .departures()
        .into_iter()
        .filter(|record| !is_test_webhook_url(record))
        .collect();
    assert!(departures.is_empty(), "false departures: {departures:#?}");
    proxy.shutdown().await;
    let written = DepartureLog::read(&report).expect("the report is written at shutdown");
    assert!(written.iter().all(is_test_webhook_url), "{written:#?}");
    mock.shutdown().await;
}

/// The places an evolving mock changed in `body`, as (pointer, kind):
/// `zz_evolved_` properties outside maps, and `zz_evolved_` enum values.
fn evolutions(body: &Value, pointer: &str, in_map: bool, found: &mut BTreeSet<(String, DepartureKind)>) {
    match body {
        Value::Object(members) => {
            for (name, member) in members {
                let at = format!("{pointer}/{name}");
                if name.starts_with(EXTRA_PREFIX) && !in_map {
                    found.insert((at, DepartureKind::UnknownField));
                    continue;
                }
                evolutions(member, &at, name == "custom_attributes", found);
            }
        }
        Value::Array(items) => {
            for item in items {
                evolutions(item, &format!("{pointer}/*"), false, found);
            }
        }
        Value::String(text) if text.starts_with(EXTRA_PREFIX) && !in_map => {
            found.insert((pointer.to_owned(), DepartureKind::UndocumentedEnumValue));
        }
        _ => {}
    }
}

/// Every pointer (array indices as `*`) that holds `null` in `body`.
fn nulls(body: &Value, pointer: &str, found: &mut BTreeSet<String>) {
    match body {
        Value::Null => {
            found.insert(pointer.to_owned());
        }
        Value::Object(members) => members
            .iter()
            .for_each(|(name, member)| nulls(member, &format!("{pointer}/{name}"), found)),
        Value::Array(items) => items
            .iter()
            .for_each(|item| nulls(item, &format!("{pointer}/*"), found)),
        _ => {}
    }
}

#[tokio::test]
async fn in_front_of_an_evolving_mock_every_evolution_is_reported_and_nothing_else() {
    let mock = MockServer::start(mock_config().evolution(Evolution::new(1.0).seed(11)))
        .await
        .expect("mock starts");
    let proxy = ProxyServer::start(ProxyConfig::new(mock.base_url()))
        .await
        .expect("proxy starts");
    // The recording proxy keeps what the client was served, to find the evolutions in it.
    let recording = RecordingProxy::start(proxy.base_url()).await;
    tour::run(&recording.origin)
        .await
        .expect("the tour survives an evolving API");

    let (mut expected, mut null_places) = (BTreeSet::new(), BTreeSet::new());
    for exchange in recording.exchanges() {
        if let Ok(body) = serde_json::from_slice::<Value>(&exchange.body) {
            evolutions(&body, "", false, &mut expected);
            nulls(&body, "", &mut null_places);
        }
    }
    assert!(
        expected.len() >= 20,
        "an evolving mock changes many places: {expected:?}"
    );
    proxy.settled().await;
    let records: Vec<DepartureRecord> = proxy
        .departures()
        .into_iter()
        .filter(|record| !is_test_webhook_url(record))
        .collect();
    let reported: BTreeSet<(String, DepartureKind)> = records
        .iter()
        .filter(|record| record.departure.kind != DepartureKind::NullNotAllowed)
        .map(|record| (record.departure.pointer.clone(), record.departure.kind))
        .collect();
    assert_eq!(reported, expected, "reported (left) and evolved (right) places differ");
    for record in &records {
        let departure = &record.departure;
        assert_eq!(departure.direction, Direction::Response, "{record:?}");
        // (A webhook answer carries the test's plain-http URL, which no profile accepts.)
        if !departure
            .operation_id
            .as_deref()
            .is_some_and(|id| id.contains("Webhook"))
        {
            assert_eq!(
                departure.tolerated,
                Some(true),
                "the tolerant profile accepts what evolution serves: {record:?}"
            );
        }
        if departure.kind == DepartureKind::NullNotAllowed {
            assert!(
                null_places.contains(&departure.pointer),
                "a null nobody served: {record:?}"
            );
        }
        if departure.kind == DepartureKind::UndocumentedEnumValue {
            assert!(
                departure
                    .enum_value
                    .as_deref()
                    .is_some_and(|value| value.starts_with(EXTRA_PREFIX)),
                "{record:?}"
            );
        }
    }
    assert!(
        records
            .iter()
            .any(|record| record.departure.kind == DepartureKind::NullNotAllowed),
        "evolution serves nulls"
    );
    proxy.shutdown().await;
    mock.shutdown().await;
}

#[tokio::test]
async fn no_value_of_a_body_reaches_the_report_or_the_header() {
    let mock = MockServer::start(mock_config().evolution(Evolution::new(1.0).seed(5)))
        .await
        .expect("mock starts");
    let report = temporary_report("privacy");
    let proxy = ProxyServer::start(ProxyConfig::new(mock.base_url()).report(&report))
        .await
        .expect("proxy starts");
    let http = http_client();
    let send = |method: reqwest::Method, path: &str, body: Value| {
        http.request(method, format!("{}{path}", proxy.base_url()))
            .basic_auth(tour::API_KEY, Some(tour::API_SECRET))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let markers = [
        "Marker7f3aName",
        "+14185550199",
        "marker7f3a@example.com",
        "Marker7f3aCity",
        "Marker7f3aText",
    ];
    let customer = json!({"name": markers[0], "cell_phone_number": markers[1], "email": markers[2], "city": markers[3],
        "custom_attributes": {"note": "Marker7f3aAttribute"}});
    let mut with_unknown_field = customer.clone();
    with_unknown_field["nickname"] = json!("Marker7f3aUnknownField");
    let mut headers = Vec::new();
    let refused = send(reqwest::Method::PUT, "/customers", with_unknown_field)
        .await
        .expect("create");
    assert_eq!(refused.status(), 400);
    headers.extend(refused.headers().get(DEPARTURES_HEADER).cloned());
    let created = send(reqwest::Method::PUT, "/customers", customer)
        .await
        .expect("create");
    assert!(created.status().is_success(), "{}", created.status());
    headers.extend(created.headers().get(DEPARTURES_HEADER).cloned());
    let customer: Value = serde_json::from_slice(&created.bytes().await.expect("customer")).expect("JSON");
    for message in [
        json!({"customer": {"id": customer["id"]}, "body": markers[4], "priority": "Marker7f3aPriority"}),
        json!({"customer": {"id": customer["id"]}, "body": markers[4]}),
    ] {
        let sent = send(reqwest::Method::POST, "/messages", message).await.expect("send");
        headers.extend(sent.headers().get(DEPARTURES_HEADER).cloned());
    }
    for path in ["/customers", "/messages"] {
        let listed = send(reqwest::Method::GET, path, Value::Null).await.expect("list");
        headers.extend(listed.headers().get(DEPARTURES_HEADER).cloned());
    }
    proxy.shutdown().await;
    let text = std::fs::read_to_string(&report).expect("report");
    assert!(
        text.contains("nickname") && text.contains("unknown_field"),
        "the unknown request field is reported: {text}"
    );
    let headers: Vec<String> = headers
        .iter()
        .map(|value| value.to_str().expect("ASCII").to_owned())
        .collect();
    assert!(!headers.is_empty());
    for marker in markers.iter().chain(&[
        "Marker7f3aUnknownField",
        "Marker7f3aAttribute",
        "Marker7f3aPriority",
        "14185550199",
    ]) {
        assert!(!text.contains(marker), "{marker} in the report: {text}");
        assert!(
            headers.iter().all(|header| !header.contains(marker)),
            "{marker} in a header: {headers:?}"
        );
    }
    mock.shutdown().await;
}

#[tokio::test]
async fn the_proxy_refuses_an_upstream_it_would_send_credentials_to_in_clear() {
    for (upstream, shown) in [
        ("http://api.kimoby.example/v1", "http://api.kimoby.example/v1"),
        (
            "https://user:s3cret@api.kimoby.example/v1",
            "https://api.kimoby.example/v1",
        ),
        ("ftp://127.0.0.1/v1", "ftp://127.0.0.1/v1"),
        ("not a url", "not a url"),
    ] {
        let error = ProxyServer::start(ProxyConfig::new(upstream))
            .await
            .expect_err(upstream);
        let message = error.to_string();
        assert!(message.starts_with(&format!("the upstream `{shown}`")), "{message}");
        assert!(!message.contains("s3cret"), "the password is not repeated: {message}");
    }
    let proxy = ProxyServer::start(ProxyConfig::new("http://localhost:9/v1"))
        .await
        .expect("loopback http is allowed");
    proxy.shutdown().await;
}

/// The `x-kimoby-departures` header of a proxied `GET path`, after the
/// body's check is done; the places the proxy reported; the body's length.
async fn proxied_header(proxy: &ProxyServer, path: &str) -> (Option<String>, BTreeSet<String>, usize) {
    let answer = http_client()
        .get(format!("{}{path}", proxy.base_url()))
        .basic_auth(tour::API_KEY, Some(tour::API_SECRET))
        .send()
        .await
        .expect("answer");
    let header = answer
        .headers()
        .get(DEPARTURES_HEADER)
        .map(|value| value.to_str().expect("ASCII").to_owned());
    let length = answer.bytes().await.expect("body").len();
    proxy.settled().await;
    let reported = proxy
        .departures()
        .into_iter()
        .map(|record| record.departure.pointer)
        .collect();
    (header, reported, length)
}

#[tokio::test]
async fn a_small_body_or_complete_header_puts_the_body_departures_in_the_header() {
    let mock = MockServer::start(mock_config().evolution(Evolution::new(1.0).seed(3)))
        .await
        .expect("mock starts");
    let http = http_client();
    // Enough customers for a page well over the size checked before answering.
    for index in 0..30 {
        let answer = http
            .put(format!("{}/customers", mock.base_url()))
            .basic_auth(tour::API_KEY, Some(tour::API_SECRET))
            .header("content-type", "application/json")
            .body(
                json!({"name": format!("Customer {index}"), "reference": format!("CU{index:06}"), "city": "Quebec"})
                    .to_string(),
            )
            .send()
            .await
            .expect("created");
        assert!(answer.status().is_success(), "{}", answer.status());
    }
    for complete in [false, true] {
        let proxy = ProxyServer::start(ProxyConfig::new(mock.base_url()).complete_header(complete))
            .await
            .expect("proxy starts");
        // A 404's small body: checked before answering either way.
        let (header, reported, length) = proxied_header(&proxy, "/customers/nobody").await;
        assert!((1..=CHECKED_BEFORE_ANSWERING_BYTES).contains(&length), "{length} bytes");
        assert!(
            reported.iter().any(|pointer| pointer.starts_with("/zz_evolved_")),
            "{reported:?}"
        );
        let header = header.unwrap_or_else(|| panic!("complete_header {complete}: no header on a small body"));
        assert!(
            header.contains("response /zz_evolved_") && header.contains("unknown_field"),
            "{header}"
        );
        proxy.shutdown().await;

        // A page over 4 KiB: checked after answering unless `complete_header`.
        let proxy = ProxyServer::start(ProxyConfig::new(mock.base_url()).complete_header(complete))
            .await
            .expect("proxy starts");
        let (header, reported, length) = proxied_header(&proxy, "/customers?per_page=50").await;
        assert!(length > CHECKED_BEFORE_ANSWERING_BYTES, "{length} bytes");
        assert!(
            reported.iter().any(|pointer| pointer.contains("/zz_evolved_")),
            "{reported:?}"
        );
        match (complete, header) {
            (true, Some(header)) => assert!(header.contains("/zz_evolved_"), "{header}"),
            (false, None) => {}
            (complete, header) => panic!("complete_header {complete}, a page: header {header:?}"),
        }
        proxy.shutdown().await;
    }
    mock.shutdown().await;
}
