//! Every operation of `schemas/openapi.json`, called through the generated
//! client over real HTTP on loopback (wiremock): the exact method, path, query
//! string, headers and body that went out, and the decoded answer. Server
//! answers and request bodies are the documented examples of
//! `tests/fixtures/valid/`. Failures and retries are in `client_errors.rs`.
//!
//! The operations are grouped by resource in the modules below; this file
//! holds the helpers they share.
#![cfg(feature = "client")]

use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, FixedOffset};
use futures_util::TryStreamExt as _;
use kimoby_generated::Client;
use kimoby_generated::client::{AppointmentLookup, CustomerLookup, EventLookup};
use kimoby_generated::runtime::{MultipartFile, RetryPolicy};
use kimoby_generated::types::{self, CustomerRequest};
use serde_json::{Value, json};
use wiremock::matchers::{any, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "../common/mod.rs"]
mod common;

mod appointments_and_events;
mod customers;
mod documents_and_webhooks;
mod messages_and_invoices;
mod pagination;

use common::{KEY, SECRET, client_with, text, typed};

fn json_fixture(name: &str) -> Value {
    serde_json::from_str(&text(name)).unwrap()
}

fn date(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

/// A server that answers every request with `status` and `body` (JSON).
async fn server_answering(status: u16, body: Option<&str>) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response.set_body_raw(body.to_owned(), "application/json");
    }
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

/// A server answering with the fixture `name` (200).
async fn server_with(name: &str) -> MockServer {
    server_answering(200, Some(&text(name))).await
}

/// Quick retries (`client_errors.rs` tests them).
fn client(server: &MockServer) -> Client {
    client_with(
        server,
        RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(2))
            .with_jitter(false),
    )
}

/// Checks that the server received exactly one request, and that request
/// with [`assert_sent`]; returns it.
async fn expect_sent(server: &MockServer, request_line: &str, body: Sent<'_>) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    let request = requests.remove(0);
    assert_sent(&request, request_line, body);
    request
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// What the request body must be.
enum Sent<'a> {
    Nothing,
    /// The same JSON document, up to the spelling of numbers (`12` and
    /// `12.0`) and RFC 3339 dates (`Z` and `+00:00`), with no member added
    /// or missing.
    Json(Value),
    /// One `file` part with this file name, media type and content, byte
    /// for byte.
    Multipart(&'a str, &'a str, &'a [u8]),
}

/// Checks the request line (`GET /v1/customers?page=2`: the path and query
/// exactly as they went out, still percent-encoded), the headers every
/// request carries, and the body.
fn assert_sent(request: &Request, request_line: &str, body: Sent<'_>) {
    let url = &request.url;
    let sent = match url.query() {
        Some(query) => format!("{} {}?{query}", request.method, url.path()),
        None => format!("{} {}", request.method, url.path()),
    };
    assert_eq!(sent, request_line);
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Basic {token}").as_str())
    );
    assert_eq!(header(request, "accept"), Some("application/json"));
    match body {
        Sent::Nothing => {
            assert_eq!(header(request, "content-type"), None);
            assert!(request.body.is_empty(), "unexpected body");
        }
        Sent::Json(expected) => {
            assert_eq!(header(request, "content-type"), Some("application/json"));
            let got: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            assert_same_json(&got, &expected, "$");
        }
        Sent::Multipart(file_name, content_type, content) => {
            let header = header(request, "content-type").unwrap();
            let boundary = header.strip_prefix("multipart/form-data; boundary=").expect(header);
            let mut expected = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .into_bytes();
            expected.extend_from_slice(content);
            expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            assert_eq!(request.body, expected);
        }
    }
}

fn assert_same_json(got: &Value, expected: &Value, at: &str) {
    match (got, expected) {
        (Value::Object(g), Value::Object(e)) => {
            let keys = |m: &serde_json::Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
            let (mut gk, mut ek) = (keys(g), keys(e));
            gk.sort();
            ek.sort();
            assert_eq!(gk, ek, "members of {at}");
            for (k, v) in e {
                assert_same_json(&g[k], v, &format!("{at}.{k}"));
            }
        }
        (Value::Array(g), Value::Array(e)) => {
            assert_eq!(g.len(), e.len(), "length of {at}");
            for (i, (g, e)) in g.iter().zip(e).enumerate() {
                assert_same_json(g, e, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(g), Value::Number(e)) => assert_eq!(g.as_f64(), e.as_f64(), "{at}"),
        (Value::String(g), Value::String(e)) => {
            match (DateTime::parse_from_rfc3339(g), DateTime::parse_from_rfc3339(e)) {
                (Ok(g), Ok(e)) => assert_eq!(g.to_rfc3339(), e.to_rfc3339(), "{at}"),
                _ => assert_eq!(g, e, "{at}"),
            }
        }
        _ => assert_eq!(got, expected, "{at}"),
    }
}

#[test]
fn same_json_forgives_only_the_spelling_of_numbers_and_dates() {
    let got = json!({"n": 12.0, "at": "2016-01-20T14:00:00+00:00"});
    assert_same_json(&got, &json!({"n": 12, "at": "2016-01-20T14:00:00Z"}), "$");
    for (got, expected) in [
        (json!({"a": 1}), json!({"a": 1, "b": null})),
        (json!({"a": [1]}), json!({"a": [1, 2]})),
        (json!({"a": "x"}), json!({"a": "y"})),
        (json!({"a": null}), json!({"a": ""})),
        // The same instant with another offset is another date on the wire.
        (
            json!({"at": "2016-01-20T14:00:00+01:00"}),
            json!({"at": "2016-01-20T13:00:00Z"}),
        ),
    ] {
        let differs = std::panic::catch_unwind(|| assert_same_json(&got, &expected, "$")).is_err();
        assert!(differs, "{got} vs {expected}");
    }
}
