//! How the generated operations fail: every error kind from a real response
//! on loopback (wiremock), what is retried and what is never sent twice, what
//! is refused before anything is sent, and unreadable upload files. The happy
//! paths are in `client_operations/`.
#![cfg(feature = "client")]

use std::io::ErrorKind;
use std::time::Duration;

use futures_util::StreamExt as _;
use kimoby_generated::client::CustomerLookup;
use kimoby_generated::runtime::{InvalidRequestReason, Method, MultipartFile, RetryPolicy};
use kimoby_generated::types::{self, CustomerReference, MessageRequest, MessageRequestBody};
use kimoby_generated::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------- helpers

mod common;

use common::{SECRET, client_with, text, typed};

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

/// A server giving `first` to the first `times` requests, then `then` (if any).
async fn server(first: ResponseTemplate, times: u64, then: Option<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    if let Some(then) = then {
        Mock::given(any()).respond_with(then).mount(&server).await;
    }
    server
}

/// Always the same answer.
async fn server_always(response: ResponseTemplate) -> MockServer {
    server(response, u64::MAX, None).await
}

/// Up to 2 retries, 1 ms apart, and `Retry-After` honoured up to 1 s.
fn client(server: &MockServer) -> Client {
    client_with(
        server,
        RetryPolicy::default()
            .with_max_retries(2)
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(1))
            .with_max_retry_after(Duration::from_secs(1)),
    )
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// Checks the operation, method and path (no query) the error names, and
/// how many attempts it took; and that neither the secret nor a query value
/// leaks into its messages.
fn assert_context(error: &Error, operation_id: &str, method: Method, path: &str, attempts: u32) {
    let request = error
        .request()
        .unwrap_or_else(|| panic!("no request context: {error:?}"));
    assert_eq!(
        (
            request.operation_id(),
            request.method(),
            request.path(),
            request.attempts()
        ),
        (operation_id, method, path, attempts)
    );
    assert_eq!(error.operation_id(), Some(operation_id));
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(SECRET) && !shown.contains("14182031234"), "{shown}");
    }
}

fn message_request() -> MessageRequest {
    let body: MessageRequestBody = "Hello world!".parse().unwrap();
    MessageRequest::new(body, CustomerReference::new().reference("CU000001"))
}

// ---------------------------------------------------------------- 4xx

#[tokio::test]
async fn bad_request_keeps_the_server_message() {
    let server = server_always(json(400, &text("error/error_format.json"))).await;
    let body = typed("customer_request/create.json");
    let error = client(&server).customers().create(body).send().await.unwrap_err();
    match &error {
        Error::Api {
            status: 400, message, ..
        } => assert_eq!(message, "error message here"),
        other => panic!("{other:?}"),
    }
    assert_eq!(error.status(), Some(400));
    assert_context(&error, "createCustomer", Method::Put, "/customers", 1);
    assert!(error.to_string().contains("error message here"), "{error}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn unauthorized() {
    let server = server_always(json(401, r#"{"message": "Unauthorized"}"#)).await;
    let error = client(&server).webhooks().list().send().await.unwrap_err();
    assert!(
        matches!(&error, Error::Unauthorized { message, .. } if message == "Unauthorized"),
        "{error:?}"
    );
    assert_context(&error, "listWebhooks", Method::Get, "/webhooks", 1);
    assert!(error.to_string().contains("check the API key and secret"), "{error}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn not_found_on_a_lookup_and_on_a_delete() {
    let server = server_always(json(404, &text("error/not_found.json"))).await;
    let lookup = CustomerLookup::cell_phone_number("+14182031234");
    let error = client(&server)
        .customers()
        .retrieve(lookup.clone())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::NotFound { message, .. } if message == "Customer not found"),
        "{error:?}"
    );
    assert_context(&error, "retrieveCustomer", Method::Get, "/customers", 1);

    let error = client(&server).customers().delete(lookup).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
    assert_context(&error, "deleteCustomer", Method::Delete, "/customers", 1);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn rate_limited_with_a_retry_after_too_long_to_wait() {
    let response = json(429, r#"{"message": "Rate Limit Exceeded"}"#).insert_header("Retry-After", "120");
    let server = server_always(response).await;
    let error = client(&server).customers().list().send().await.unwrap_err();
    match &error {
        Error::RateLimited {
            retry_after, message, ..
        } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(120)));
            assert_eq!(message, "Rate Limit Exceeded");
        }
        other => panic!("{other:?}"),
    }
    assert_context(&error, "listCustomers", Method::Get, "/customers", 1);
    assert!(error.to_string().contains("retry after 120"), "{error}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn rate_limited_post_is_sent_again_after_retry_after() {
    let refused = json(429, r#"{"message": "Rate Limit Exceeded"}"#).insert_header("Retry-After", "0");
    let server = server(refused, 1, Some(json(201, &text("message/retrieve_response.json")))).await;
    let message = client(&server).messages().send(message_request()).send().await.unwrap();
    assert_eq!(message.id, 345_634_563);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
}

// ---------------------------------------------------------------- 5xx and retries

#[tokio::test]
async fn server_errors_on_a_get_are_retried_then_surface() {
    let page = "<html>\n<body><h1>502 Bad Gateway</h1></body>\n</html>";
    let server = server_always(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    let error = client(&server)
        .messages()
        .retrieve(345_634_563)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Server {
            status: 502, message, ..
        } => {
            assert_eq!(
                message,
                "non-JSON body: <html> <body><h1>502 Bad Gateway</h1></body> </html>"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_context(&error, "retrieveMessage", Method::Get, "/messages/345634563", 3);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn send_message_failing_with_503_is_sent_exactly_once() {
    let server = server_always(json(503, r#"{"message": "Service Unavailable"}"#)).await;
    let error = client(&server)
        .messages()
        .send(message_request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Server { status: 503, message, .. } if message == "Service Unavailable"));
    assert_context(&error, "sendMessage", Method::Post, "/messages", 1);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn creates_sent_with_put_are_not_repeated_either() {
    // Kimoby creates invoices, customers, appointments and events with PUT;
    // the manifest marks them `x-kimoby-repeatable: false`, so a 503 or a
    // timeout does not bill a customer twice.
    let server = server_always(json(503, r#"{"message": "Service Unavailable"}"#)).await;
    let invoice: types::InvoiceRequest = typed("invoice_request/create.json");
    let error = client(&server).invoices().create(invoice).send().await.unwrap_err();
    assert!(matches!(&error, Error::Server { status: 503, .. }), "{error:?}");
    assert_context(&error, "createInvoice", Method::Put, "/invoices", 1);
    assert_eq!(requests(&server).await.len(), 1);

    // An update by PUT is safe to repeat and still retried.
    let server = server_always(json(503, r#"{"message": "Service Unavailable"}"#)).await;
    let update = types::CustomerRequest::new("John Doe");
    let lookup = CustomerLookup::reference("CU000001");
    let error = client(&server)
        .customers()
        .update(lookup, update)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Server { status: 503, .. }), "{error:?}");
    assert!(requests(&server).await.len() > 1, "updates are retried");
}

#[tokio::test]
async fn get_answered_503_then_200_succeeds() {
    let unavailable = json(503, r#"{"message": "Service Unavailable"}"#);
    let server = server(
        unavailable,
        1,
        Some(json(200, &text("customer/retrieve_response.json"))),
    )
    .await;
    let lookup = CustomerLookup::reference("CU000001");
    let customer = client(&server).customers().retrieve(lookup).send().await.unwrap();
    assert_eq!(customer, typed::<types::Customer>("customer/retrieve_response.json"));
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| r.url.query() == Some("reference=CU000001")));
}

// ---------------------------------------------------------------- bodies that do not decode

#[tokio::test]
async fn undecodable_success_bodies() {
    let server = server_always(ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html")).await;
    let error = client(&server).documents().retrieve(1234).send().await.unwrap_err();
    match &error {
        Error::Decode { status: 200, body, .. } => assert_eq!(body, "<html>maintenance</html>"),
        other => panic!("{other:?}"),
    }
    assert_context(&error, "retrieveDocument", Method::Get, "/documents/1234", 1);

    // JSON of the wrong shape: the error says what is missing, the raw body is kept.
    let server = server_always(json(200, r#"{"id": 1234, "name": "test.png"}"#)).await;
    let error = client(&server).documents().retrieve(1234).send().await.unwrap_err();
    match &error {
        Error::Decode { body, source, .. } => {
            assert_eq!(body, r#"{"id": 1234, "name": "test.png"}"#);
            assert!(source.to_string().contains("missing field"), "{source}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1);
}

// ---------------------------------------------------------------- refused before sending

fn assert_refused(error: &Error, operation_id: &str, expected: &InvalidRequestReason) {
    match error {
        Error::InvalidRequest {
            operation_id: Some(op),
            reason,
        } => assert_eq!((*op, reason), (operation_id, expected)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn invalid_pages_and_ids_are_refused_before_sending() {
    let server = server_always(json(200, &text("customers/list_response.json"))).await;
    let client = client(&server);
    let customers = client.customers();

    let error = customers.list().page(0).send().await.unwrap_err();
    let out_of_range = |parameter, value, minimum, maximum| InvalidRequestReason::OutOfRange {
        parameter,
        value,
        minimum,
        maximum,
    };
    assert_refused(&error, "listCustomers", &out_of_range("page", 0, Some(1), None));
    let error = customers.list().per_page(51).send().await.unwrap_err();
    assert_refused(
        &error,
        "listCustomers",
        &out_of_range("per_page", 51, Some(1), Some(50)),
    );
    let error = client.invoices().list().per_page(0).send().await.unwrap_err();
    assert_refused(&error, "listInvoices", &out_of_range("per_page", 0, Some(1), Some(50)));

    let streamed: Vec<_> = customers.list().page(0).stream().collect().await;
    assert_eq!(streamed.len(), 1);
    assert_refused(
        streamed[0].as_ref().unwrap_err(),
        "listCustomers",
        &out_of_range("page", 0, Some(1), None),
    );

    for id in ["", "..", "."] {
        let error = customers.retrieve(CustomerLookup::id(id)).send().await.unwrap_err();
        assert!(
            matches!(
                &error,
                Error::InvalidRequest {
                    reason: InvalidRequestReason::Path(_),
                    ..
                }
            ),
            "{id:?}: {error:?}"
        );
    }
    let error = client.webhooks().delete("").send().await.unwrap_err();
    assert!(matches!(
        error,
        Error::InvalidRequest {
            operation_id: Some("deleteWebhook"),
            ..
        }
    ));

    assert!(requests(&server).await.is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn unreadable_upload_files_name_the_path() {
    let missing = std::env::temp_dir().join(format!("kimoby-missing-{}/test.png", std::process::id()));
    let error = MultipartFile::from_path(&missing, "image/png").await.unwrap_err();
    match &error {
        Error::ReadFile { path, source } => {
            assert_eq!(path, &missing);
            assert_eq!(source.kind(), ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
    let shown = error.to_string();
    assert!(shown.contains(&missing.display().to_string()), "{shown}");
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!((error.request().is_none(), error.status()), (true, None));

    // A directory, and a path without a file name.
    let error = MultipartFile::from_path(std::env::temp_dir(), "image/png")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::ReadFile { path, .. } if path == &std::env::temp_dir()),
        "{error:?}"
    );
    let error = MultipartFile::from_path("/", "image/png").await.unwrap_err();
    assert!(
        matches!(&error, Error::ReadFile { source, .. } if source.kind() == ErrorKind::InvalidInput),
        "{error:?}"
    );
}

#[test]
fn a_refused_request_value_converts_into_an_error_that_names_its_type() {
    fn build() -> Result<types::PhoneNumber, Error> {
        Ok("418-203-1234".parse::<types::PhoneNumber>()?)
    }
    let error = build().unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidRequest {
                operation_id: None,
                reason: InvalidRequestReason::Value(_)
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("PhoneNumber: doesn't match pattern"),
        "{error}"
    );
}
