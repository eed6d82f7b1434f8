//! Every operation of `schemas/openapi.json`, called through the generated
//! client over real HTTP on loopback (wiremock): the exact method, path, query
//! string, headers and body that went out, and the decoded answer. Server
//! answers and request bodies are the documented examples of
//! `tests/fixtures/valid/`. Failures and retries are in `client_errors.rs`.
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

// ---------------------------------------------------------------- helpers

mod common;

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

// ---------------------------------------------------------------- customers

#[tokio::test]
async fn list_customers_with_page_and_per_page() {
    let server = server_with("customers/list_response.json").await;
    let list = client(&server)
        .customers()
        .list()
        .page(2)
        .per_page(10)
        .send()
        .await
        .unwrap();
    expect_sent(&server, "GET /v1/customers?page=2&per_page=10", Sent::Nothing).await;
    assert_eq!(list, typed::<types::CustomerList>("customers/list_response.json"));
    assert_eq!(list.customers[0].reference.as_deref(), Some("CU000001"));
    assert_eq!((list.pagination.page, list.pagination.items), (1, 10));
}

#[tokio::test]
async fn create_customer_puts_the_collection() {
    let server = server_answering(201, Some(&text("customer/create_response.json"))).await;
    let request: CustomerRequest = typed("customer_request/create.json");
    let customer = client(&server).customers().create(request).send().await.unwrap();
    let sent = json_fixture("customer_request/create.json");
    expect_sent(&server, "PUT /v1/customers", Sent::Json(sent)).await;
    assert_eq!(customer, typed::<types::Customer>("customer/create_response.json"));
}

#[tokio::test]
async fn retrieve_customer_by_each_lookup() {
    let cases = [
        (
            CustomerLookup::id("cueeadfbacc5d64682bd20ac077d592e83"),
            "/v1/customers/cueeadfbacc5d64682bd20ac077d592e83",
        ),
        (CustomerLookup::id("CU 1/+2?é"), "/v1/customers/CU%201%2F%2B2%3F%C3%A9"),
        (
            CustomerLookup::reference("CU000001"),
            "/v1/customers?reference=CU000001",
        ),
        (
            CustomerLookup::reference("a b&c=d+e"),
            "/v1/customers?reference=a%20b%26c%3Dd%2Be",
        ),
        (
            CustomerLookup::cell_phone_number("+14182031234"),
            "/v1/customers?cell_phone_number=%2B14182031234",
        ),
    ];
    for (lookup, expected) in cases {
        let server = server_with("customer/retrieve_response.json").await;
        let customer = client(&server).customers().retrieve(lookup).send().await.unwrap();
        expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
        assert_eq!(customer, typed::<types::Customer>("customer/retrieve_response.json"));
    }
}

#[tokio::test]
async fn update_customer_sends_the_documented_body() {
    let server = server_with("customer/update_response.json").await;
    let request: CustomerRequest = typed("customer_request/update_by_id_path.json");
    let lookup = CustomerLookup::id("cueeadfbacc5d64682bd20ac077d592e83");
    let customer = client(&server)
        .customers()
        .update(lookup, request)
        .send()
        .await
        .unwrap();
    let sent = json_fixture("customer_request/update_by_id_path.json");
    assert_eq!(sent["email"], Value::Null);
    assert_eq!(sent["phones"]["home"], Value::Null);
    assert_eq!(sent["custom_attributes"]["vehicle"], Value::Null);
    let path = "/v1/customers/cueeadfbacc5d64682bd20ac077d592e83";
    expect_sent(&server, &format!("PUT {path}"), Sent::Json(sent)).await;
    assert_eq!(customer.email.as_deref(), Some(""));
}

#[tokio::test]
async fn update_customer_clears_email_and_leaves_the_rest_absent() {
    let server = server_with("customer/update_response.json").await;
    let request = CustomerRequest {
        name: "John Doe".to_owned(),
        email: Some(None),
        address: None,
        cell_phone_number: None,
        city: None,
        country: None,
        created_at: None,
        custom_attributes: None,
        is_unsubscribed: None,
        phones: None,
        reference: None,
        state: None,
        updated_at: None,
        zipcode: None,
    };
    assert_eq!(request, CustomerRequest::new("John Doe").clear_email());
    let lookup = CustomerLookup::cell_phone_number("+14182031234");
    let customer = client(&server)
        .customers()
        .update(lookup, request)
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json!({"name": "John Doe", "email": null}));
    let request = expect_sent(&server, "PUT /v1/customers?cell_phone_number=%2B14182031234", sent).await;
    assert_eq!(request.body, br#"{"email":null,"name":"John Doe"}"#);
    assert_eq!(customer, typed::<types::Customer>("customer/update_response.json"));
}

#[tokio::test]
async fn delete_customer_accepts_200_and_204() {
    for (status, body) in [(204, None), (200, Some("{}"))] {
        let server = server_answering(status, body).await;
        let lookup = CustomerLookup::reference("CU000001");
        client(&server).customers().delete(lookup).send().await.unwrap();
        expect_sent(&server, "DELETE /v1/customers?reference=CU000001", Sent::Nothing).await;
    }
}

// ---------------------------------------------------------------- appointments

#[tokio::test]
async fn list_appointments_in_a_date_range() {
    let server = server_with("appointments/list_response.json").await;
    let (start, end) = (date("2016-06-22T16:20:00+00:00"), date("2016-06-29T08:00:30.5-05:00"));
    let list = client(&server)
        .appointments()
        .list()
        .date_range(start, end)
        .page(3)
        .send()
        .await
        .unwrap();
    let expected = "/v1/appointments?date_start=2016-06-22T16%3A20%3A00%2B00%3A00\
                    &date_end=2016-06-29T08%3A00%3A30.500-05%3A00&page=3";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
    assert_eq!(list, typed::<types::AppointmentList>("appointments/list_response.json"));

    // A `DateTime<Utc>` is accepted too, and sent with its `+00:00` offset.
    let server = server_with("appointments/list_response.json").await;
    let utc = date("2016-06-22T16:20:00Z").to_utc();
    client(&server)
        .appointments()
        .list()
        .date_range(utc, utc)
        .send()
        .await
        .unwrap();
    let expected = "/v1/appointments?date_start=2016-06-22T16%3A20%3A00%2B00%3A00\
                    &date_end=2016-06-22T16%3A20%3A00%2B00%3A00";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
}

#[tokio::test]
async fn create_appointment() {
    let server = server_answering(201, Some(&text("appointment/create_response.json"))).await;
    let body = typed("appointment_request/create.json");
    let appointment = client(&server).appointments().create(body).send().await.unwrap();
    let sent = Sent::Json(json_fixture("appointment_request/create.json"));
    expect_sent(&server, "PUT /v1/appointments", sent).await;
    assert_eq!(
        appointment,
        typed::<types::Appointment>("appointment/create_response.json")
    );
    assert_eq!(appointment.status, types::AppointmentStatus::NotConfirmed);
}

#[tokio::test]
async fn retrieve_appointment_by_id_and_reference() {
    for (lookup, expected) in [
        (
            AppointmentLookup::id("apadd4ba3f856c8bf2a72b1cf06c8c546d"),
            "/v1/appointments/apadd4ba3f856c8bf2a72b1cf06c8c546d",
        ),
        (
            AppointmentLookup::reference("AP 234/+"),
            "/v1/appointments?reference=AP%20234%2F%2B",
        ),
    ] {
        let server = server_with("appointment/retrieve_response.json").await;
        let appointment = client(&server).appointments().retrieve(lookup).send().await.unwrap();
        expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
        assert_eq!(
            appointment,
            typed::<types::Appointment>("appointment/retrieve_response.json")
        );
    }
}

#[tokio::test]
async fn update_appointment() {
    let server = server_with("appointment/update_response.json").await;
    let body = typed("appointment_request/update_by_id_path.json");
    let lookup = AppointmentLookup::id("apadd4ba3f856c8bf2a72b1cf06c8c546d");
    let appointment = client(&server)
        .appointments()
        .update(lookup, body)
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("appointment_request/update_by_id_path.json"));
    expect_sent(&server, "PUT /v1/appointments/apadd4ba3f856c8bf2a72b1cf06c8c546d", sent).await;
    assert_eq!(
        appointment,
        typed::<types::Appointment>("appointment/update_response.json")
    );
}

#[tokio::test]
async fn delete_appointment() {
    let server = server_answering(204, None).await;
    client(&server)
        .appointments()
        .delete(AppointmentLookup::reference("AP000234"))
        .send()
        .await
        .unwrap();
    expect_sent(&server, "DELETE /v1/appointments?reference=AP000234", Sent::Nothing).await;
}

// ---------------------------------------------------------------- events

#[tokio::test]
async fn list_events() {
    let server = server_with("events/list_response.json").await;
    let list = client(&server).events().list().per_page(50).send().await.unwrap();
    expect_sent(&server, "GET /v1/events?per_page=50", Sent::Nothing).await;
    assert_eq!(list, typed::<types::EventList>("events/list_response.json"));
}

#[tokio::test]
async fn create_event() {
    let server = server_answering(201, Some(&text("event/create_response.json"))).await;
    let event = client(&server)
        .events()
        .create(typed("event_request/create.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("event_request/create.json"));
    expect_sent(&server, "PUT /v1/events", sent).await;
    assert_eq!(event, typed::<types::Event>("event/create_response.json"));
}

#[tokio::test]
async fn retrieve_event_by_id_and_reference() {
    for (lookup, expected) in [
        (
            EventLookup::id("ev5c298c73d9bc81e94a16535bd8e770d8"),
            "/v1/events/ev5c298c73d9bc81e94a16535bd8e770d8",
        ),
        (EventLookup::reference("EV000088"), "/v1/events?reference=EV000088"),
    ] {
        let server = server_with("event/retrieve_response.json").await;
        let event = client(&server).events().retrieve(lookup).send().await.unwrap();
        expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
        assert_eq!(event, typed::<types::Event>("event/retrieve_response.json"));
    }
}

#[tokio::test]
async fn update_event_by_reference() {
    let server = server_with("event/update_response.json").await;
    let body = typed("event_request/update_by_reference_1.json");
    let event = client(&server)
        .events()
        .update(EventLookup::reference("EV000088"), body)
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("event_request/update_by_reference_1.json"));
    expect_sent(&server, "PUT /v1/events?reference=EV000088", sent).await;
    assert_eq!(event, typed::<types::Event>("event/update_response.json"));
}

#[tokio::test]
async fn delete_event() {
    let server = server_answering(204, None).await;
    client(&server)
        .events()
        .delete(EventLookup::id("ev5c298c73d9bc81e94a16535bd8e770d8"))
        .send()
        .await
        .unwrap();
    let path = "/v1/events/ev5c298c73d9bc81e94a16535bd8e770d8";
    expect_sent(&server, &format!("DELETE {path}"), Sent::Nothing).await;
}

// ---------------------------------------------------------------- messages

#[tokio::test]
async fn list_messages_with_every_filter() {
    let server = server_with("messages/list_response.json").await;
    let list = client(&server)
        .messages()
        .list()
        .created_at_start(date("2019-02-21T00:00:00-05:00"))
        .created_at_end(date("2019-02-22T23:59:59+01:00"))
        .customer_id("CUc571a62c0639ef8c30807962698c3")
        .page(1)
        .per_page(25)
        .send()
        .await
        .unwrap();
    let expected = "/v1/messages?created_at_start=2019-02-21T00%3A00%3A00-05%3A00\
                    &created_at_end=2019-02-22T23%3A59%3A59%2B01%3A00\
                    &customer_id=CUc571a62c0639ef8c30807962698c3&page=1&per_page=25";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
    assert_eq!(list, typed::<types::MessageList>("messages/list_response.json"));
    assert_eq!(list.messages[0].created_at.offset().local_minus_utc(), -5 * 3600);
}

#[tokio::test]
async fn send_message_posts_once() {
    let server = server_answering(201, Some(&text("message/retrieve_response.json"))).await;
    let body = typed("message_request/send.json");
    let message = client(&server).messages().send(body).send().await.unwrap();
    let sent = Sent::Json(json_fixture("message_request/send.json"));
    expect_sent(&server, "POST /v1/messages", sent).await;
    assert_eq!(message.id, 345_634_563);
    assert_eq!(message.status, types::MessageStatus::Queued);
}

#[tokio::test]
async fn retrieve_message_by_integer_id() {
    let server = server_with("message/retrieve_response.json").await;
    let message = client(&server).messages().retrieve(345_634_563).send().await.unwrap();
    expect_sent(&server, "GET /v1/messages/345634563", Sent::Nothing).await;
    assert_eq!(message, typed::<types::Message>("message/retrieve_response.json"));
}

// ---------------------------------------------------------------- invoices

#[tokio::test]
async fn list_invoices_with_date_filters() {
    let server = server_with("invoices/list_response.json").await;
    let list = client(&server)
        .invoices()
        .list()
        .created_at_start(date("2020-04-01T00:00:00-04:00"))
        .created_at_end(date("2020-04-30T23:59:59-04:00"))
        .paid_at_start(date("2020-04-15T00:00:00Z"))
        .paid_at_end(date("2020-04-16T00:00:00+05:30"))
        .send()
        .await
        .unwrap();
    let expected = "/v1/invoices?created_at_start=2020-04-01T00%3A00%3A00-04%3A00\
                    &created_at_end=2020-04-30T23%3A59%3A59-04%3A00\
                    &paid_at_start=2020-04-15T00%3A00%3A00%2B00%3A00\
                    &paid_at_end=2020-04-16T00%3A00%3A00%2B05%3A30";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
    assert_eq!(list, typed::<types::InvoiceList>("invoices/list_response.json"));
}

#[tokio::test]
async fn create_invoice() {
    let server = server_answering(201, Some(&text("invoice/create_response.json"))).await;
    let invoice = client(&server)
        .invoices()
        .create(typed("invoice_request/create.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("invoice_request/create.json"));
    expect_sent(&server, "PUT /v1/invoices", sent).await;
    assert_eq!(invoice, typed::<types::Invoice>("invoice/create_response.json"));
    assert_eq!(invoice.state, types::InvoiceState::Paid);
}

#[tokio::test]
async fn retrieve_invoice_with_an_encoded_id() {
    let server = server_with("invoice/retrieve_response.json").await;
    let invoice = client(&server).invoices().retrieve("IN d2/5+").send().await.unwrap();
    expect_sent(&server, "GET /v1/invoices/IN%20d2%2F5%2B", Sent::Nothing).await;
    assert_eq!(invoice, typed::<types::Invoice>("invoice/retrieve_response.json"));
}

// ---------------------------------------------------------------- documents

#[tokio::test]
async fn upload_document_from_bytes() {
    let server = server_answering(201, Some(&text("document/create_response.json"))).await;
    let content = b"\x89PNG\r\n\x1a\n\0\0 not really a png".to_vec();
    let file = MultipartFile::new("test.png", "image/png", content.clone());
    let document = client(&server).documents().upload(file).send().await.unwrap();
    let sent = Sent::Multipart("test.png", "image/png", &content);
    expect_sent(&server, "POST /v1/documents", sent).await;
    assert_eq!(document, typed::<types::Document>("document/create_response.json"));
    assert_eq!((document.id, document.type_.as_str()), (1234, "image/png"));
}

#[tokio::test]
async fn upload_document_from_a_path() {
    let dir = std::env::temp_dir().join(format!("kimoby-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scan 1.pdf");
    let content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    std::fs::write(&path, &content).unwrap();

    let file = MultipartFile::from_path(&path, "application/pdf").await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        (file.field_name.as_str(), file.file_name.as_str()),
        ("file", "scan 1.pdf")
    );
    assert_eq!(file.content_type, "application/pdf");

    let server = server_answering(201, Some(&text("document/create_response.json"))).await;
    client(&server).documents().upload(file).send().await.unwrap();
    let sent = Sent::Multipart("scan 1.pdf", "application/pdf", &content);
    expect_sent(&server, "POST /v1/documents", sent).await;
}

#[tokio::test]
async fn retrieve_and_delete_document_by_integer_id() {
    let server = server_with("document/retrieve_response.json").await;
    let document = client(&server).documents().retrieve(1234).send().await.unwrap();
    expect_sent(&server, "GET /v1/documents/1234", Sent::Nothing).await;
    assert_eq!(document, typed::<types::Document>("document/retrieve_response.json"));

    let server = server_answering(204, None).await;
    client(&server).documents().delete(1234).send().await.unwrap();
    expect_sent(&server, "DELETE /v1/documents/1234", Sent::Nothing).await;
}

// ---------------------------------------------------------------- webhooks

#[tokio::test]
async fn list_webhooks_is_a_bare_array() {
    let server = server_with("webhooks/list_response.json").await;
    let list = client(&server).webhooks().list().send().await.unwrap();
    expect_sent(&server, "GET /v1/webhooks", Sent::Nothing).await;
    assert_eq!(list, typed::<types::WebhookList>("webhooks/list_response.json"));
    assert_eq!(list[0].id, "WH487d9d59d5511879e2eda871b5cac50c");
}

#[tokio::test]
async fn create_webhook_returns_the_authentication_key() {
    let server = server_answering(201, Some(&text("webhook_with_authentication_key/create_response.json"))).await;
    let webhook = client(&server)
        .webhooks()
        .create(typed("webhook_request/create.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("webhook_request/create.json"));
    let request = expect_sent(&server, "POST /v1/webhooks", sent).await;
    assert_eq!(request.body, br#"{"url":"https://your.app.com/webhook/path"}"#);
    assert_eq!(webhook.authentication_key, "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw");
}

#[tokio::test]
async fn update_and_delete_webhook() {
    let server = server_with("webhook/update_response.json").await;
    let id = "WH487d9d59d5511879e2eda871b5cac50c";
    let webhook = client(&server)
        .webhooks()
        .update(id, typed("webhook_request/update.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("webhook_request/update.json"));
    expect_sent(&server, &format!("PUT /v1/webhooks/{id}"), sent).await;
    assert_eq!(webhook, typed::<types::Webhook>("webhook/update_response.json"));

    let server = server_answering(204, None).await;
    client(&server).webhooks().delete("WH 1/2").send().await.unwrap();
    expect_sent(&server, "DELETE /v1/webhooks/WH%201%2F2", Sent::Nothing).await;
}

// ---------------------------------------------------------------- pagination

/// Page `page` of 3 of a 101-customer list: 50, 50 and 1 customers.
fn customers_page(page: u64) -> Value {
    let template = json_fixture("customer/list_item.json");
    let first = (page - 1) * 50;
    let count = if page < 3 { 50 } else { 1 };
    let customers: Vec<Value> = (first..first + count)
        .map(|n| {
            let mut customer = template.clone();
            customer["id"] = json!(format!("cu{n:03}"));
            customer
        })
        .collect();
    json!({"customers": customers, "pagination": {"page": page, "pages": 3, "items": 101, "per_page": 50}})
}

#[tokio::test]
async fn stream_follows_three_pages_of_fifty() {
    let server = MockServer::start().await;
    for page in 1..=3 {
        Mock::given(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(customers_page(page)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let stream = client(&server).customers().list().stream();
    let customers: Vec<types::Customer> = stream.try_collect().await.unwrap();
    let ids: Vec<String> = customers.into_iter().map(|c| c.id).collect();
    let expected: Vec<String> = (0..101).map(|n| format!("cu{n:03}")).collect();
    assert_eq!(ids, expected);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for (request, page) in requests.iter().zip(1..) {
        let expected = format!("GET /v1/customers?page={page}&per_page=50");
        assert_sent(request, &expected, Sent::Nothing);
    }
}

#[tokio::test]
async fn stream_honours_an_explicit_per_page() {
    let server = MockServer::start().await;
    let mut page = json_fixture("customers/list_response.json");
    page["pagination"] = json!({"page": 1, "pages": 1, "items": 1, "per_page": 10});
    Mock::given(query_param("per_page", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .expect(1)
        .mount(&server)
        .await;
    let customers: Vec<types::Customer> = client(&server)
        .customers()
        .list()
        .per_page(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(customers.len(), 1);
}

#[tokio::test]
async fn awaiting_a_builder_sends_it() {
    let server = server_with("customer/retrieve_response.json").await;
    let customer = client(&server)
        .customers()
        .retrieve(CustomerLookup::reference("CU000001"))
        .await
        .unwrap();
    expect_sent(&server, "GET /v1/customers?reference=CU000001", Sent::Nothing).await;
    assert_eq!(customer, typed::<types::Customer>("customer/retrieve_response.json"));
}

#[tokio::test]
async fn stream_keeps_the_filters_on_every_page() {
    let server = MockServer::start().await;
    let mut page = json_fixture("messages/list_response.json");
    for number in 2..=3 {
        page["pagination"] = json!({"page": number, "pages": 3, "items": 3, "per_page": 50});
        Mock::given(query_param("page", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(&page))
            .mount(&server)
            .await;
    }
    let messages: Vec<types::Message> = client(&server)
        .messages()
        .list()
        .customer_id("CU 1")
        .created_at_start(date("2019-02-21T00:00:00Z"))
        .page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(messages.len(), 2);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap().to_owned())
        .collect();
    let filters = "created_at_start=2019-02-21T00%3A00%3A00%2B00%3A00&customer_id=CU%201";
    assert_eq!(
        queries,
        [
            format!("{filters}&page=2&per_page=50"),
            format!("{filters}&page=3&per_page=50")
        ]
    );
}

// ---------------------------------------------------------------- the manifest's facts

/// The default base URL and the page bounds are the manifest's, not the runtime's.
#[tokio::test]
async fn the_default_base_url_and_the_page_bounds_come_from_the_manifest() {
    let manifest: Value = serde_json::from_str(kimoby_generated::schemas::manifest()).unwrap();
    let server = manifest["servers"][0]["url"].as_str().unwrap();
    assert_eq!(kimoby_generated::client::DEFAULT_BASE_URL, server);
    let default = Client::builder(KEY, SECRET).build().unwrap();
    assert_eq!(default.transport().base_url(), server);

    let per_page = &manifest["components"]["parameters"]["PerPage"]["schema"];
    let maximum = per_page["maximum"].as_u64().unwrap();
    let remote = server_with("customers/list_response.json").await;
    let largest = u8::try_from(maximum).unwrap();
    client(&remote)
        .customers()
        .list()
        .per_page(largest)
        .send()
        .await
        .unwrap();
    let sent = remote.received_requests().await.unwrap();
    assert_eq!(sent[0].url.query(), Some(format!("per_page={maximum}").as_str()));
    let refused = client(&remote).customers().list().per_page(largest + 1).send().await;
    assert!(
        matches!(refused, Err(kimoby_generated::Error::InvalidRequest { .. })),
        "{refused:?}"
    );
    assert_eq!(remote.received_requests().await.unwrap().len(), 1);
}
