//! Tests of the client runtime over real HTTP on loopback: a wiremock server
//! for exact requests, every error kind, retries and pagination, and raw
//! tokio listeners for dropped connections and a TLS handshake. Requests are
//! built by hand with `RequestSpec`, as the generated operations will.
#![cfg(feature = "client")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use futures_util::StreamExt as _;
use kimoby_generated::runtime::{
    Body, ClientBuilder, Credentials, Error, IntegerParameter, InvalidRequestReason, Method, MultipartFile, PageInfo,
    RequestSpec, RetryPolicy, Transport, encode_path_segment, paginate_from,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "test-key";
const SECRET: &str = "s3cr3t-v4lue";

fn basic_token() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"))
}

/// Fast retries, so that the suite stays quick.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// A production-like base URL: the runtime only checks its form.
const BASE_URL: &str = "https://api.example.com/v1";

/// A page-size parameter with bounds, as the generated code declares one.
const PER_PAGE: IntegerParameter = IntegerParameter {
    name: "per_page",
    minimum: Some(1),
    maximum: Some(50),
    default: Some(25),
};

fn transport_builder() -> ClientBuilder<Transport> {
    ClientBuilder::new(BASE_URL, KEY, SECRET)
}

fn builder(base: &str) -> ClientBuilder<Transport> {
    transport_builder()
        .base_url(format!("{base}/v1"))
        .allow_insecure_http_for_testing()
        .timeout(Duration::from_secs(3))
        .retry_policy(fast_retries())
}

fn client(server: &MockServer) -> Transport {
    builder(&server.uri()).build().unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn get_sends_exact_method_path_query_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param("cell_phone_number", "+14182031234"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"customers": []})))
        .expect(1)
        .mount(&server)
        .await;
    let spec = RequestSpec::new("list_customers", Method::Get, "/customers")
        .query("cell_phone_number", "+14182031234")
        .query("page", "2")
        .query_integer(&PER_PAGE, 50)
        .unwrap();
    let body: Value = client(&server).execute_json(spec).await.unwrap();
    assert_eq!(body, json!({"customers": []}));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.path(), "/v1/customers");
    assert_eq!(
        r.url.query(),
        Some("cell_phone_number=%2B14182031234&page=2&per_page=50")
    );
    assert_eq!(
        header(r, "authorization"),
        Some(format!("Basic {}", basic_token()).as_str())
    );
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(
        header(r, "user-agent"),
        Some(concat!("kimoby-generated/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(header(r, "content-type"), None);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn put_sends_json_body_to_an_encoded_path() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/customers/CU%2B1%2F2%20x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "CU+1/2 x"})))
        .mount(&server)
        .await;
    let spec = RequestSpec::new(
        "update_customer",
        Method::Put,
        format!("/customers/{}", encode_path_segment("CU+1/2 x")),
    )
    .body(Body::json(&json!({"name": "Jane", "cell_phone_number": "+14182031234"})).unwrap());
    let _: Value = builder(&server.uri())
        .user_agent("my-app/1.0")
        .build()
        .unwrap()
        .execute_json(spec)
        .await
        .unwrap();
    let r = &received(&server).await[0];
    assert_eq!(header(r, "content-type"), Some("application/json"));
    assert_eq!(header(r, "user-agent"), Some("my-app/1.0"));
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(
        r.body_json::<Value>().unwrap(),
        json!({"name": "Jane", "cell_phone_number": "+14182031234"})
    );
}

#[tokio::test]
async fn upload_sends_one_multipart_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/documents"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1234})))
        .mount(&server)
        .await;
    let content = b"\x89PNG\r\n\x1a\n fake image".to_vec();
    let spec = RequestSpec::new("create_document", Method::Post, "/documents").body(Body::Multipart(
        MultipartFile::new("test.png", "image/png", content.clone()),
    ));
    let doc: Value = client(&server).execute_json(spec).await.unwrap();
    assert_eq!(doc["id"], 1234);

    let r = &received(&server).await[0];
    let content_type = header(r, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect(content_type);
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"test.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&content);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(r.body, expected);
    assert_eq!(
        header(r, "authorization"),
        Some(format!("Basic {}", basic_token()).as_str())
    );
}

/// `(items, info)` of one `/customers` page, as generated code would return.
async fn fetch_page(client: &Transport, page: i128) -> Result<(Vec<Value>, PageInfo), Error> {
    let spec = RequestSpec::new("list_customers", Method::Get, "/customers")
        .query("page", page.to_string())
        .query_integer(&PER_PAGE, 50)?;
    let mut body: Value = client.execute_json(spec).await?;
    let p = &body["pagination"];
    let n = |k: &str| p[k].as_i64().unwrap();
    let info = PageInfo::new(n("page"), n("pages"));
    let items = body["customers"].take();
    Ok((serde_json::from_value(items).unwrap(), info))
}

fn page_body(page: u64, pages: u64, count: usize) -> Value {
    let customers: Vec<Value> = (0..count).map(|i| json!({"id": format!("p{page}-{i}")})).collect();
    json!({
        "customers": customers,
        "pagination": {"page": page, "pages": pages, "items": 110, "per_page": 50}
    })
}

async fn collect_customers(client: &Transport) -> Vec<Result<Value, Error>> {
    paginate_from("list_customers", 1, |page| {
        let client = client.clone();
        async move { fetch_page(&client, page).await }
    })
    .collect()
    .await
}

#[tokio::test]
async fn pagination_follows_three_pages_of_fifty() {
    let server = MockServer::start().await;
    for (page, count) in [(1, 50), (2, 50), (3, 10)] {
        Mock::given(method("GET"))
            .and(path("/v1/customers"))
            .and(query_param("page", page.to_string()))
            .and(query_param("per_page", "50"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_body(page, 3, count)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let items = collect_customers(&client(&server)).await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 110);
    assert_eq!(ids[0], "p1-0");
    assert_eq!(ids[50], "p2-0");
    assert_eq!(ids[109], "p3-9");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn pagination_stops_on_a_server_that_always_answers_page_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(1, 5, 50)))
        .mount(&server)
        .await;
    let items = collect_customers(&client(&server)).await;
    assert_eq!(items.len(), 51);
    assert!(items[..50].iter().all(Result::is_ok));
    let err = items[50].as_ref().unwrap_err();
    assert!(matches!(err, Error::Pagination { page: 2, .. }), "{err}");
    assert!(err.to_string().contains("list_customers"), "{err}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn pagination_stops_when_pages_grow_or_a_middle_page_is_empty() {
    for (second, expected_ok) in [(page_body(2, 1_000_000, 50), 50), (page_body(2, 3, 0), 50)] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(query_param("page", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_body(1, 3, 50)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(second))
            .mount(&server)
            .await;
        let items = collect_customers(&client(&server)).await;
        assert_eq!(items.len(), expected_ok + 1);
        assert!(matches!(items.last(), Some(Err(Error::Pagination { page: 2, .. }))));
        assert_eq!(received(&server).await.len(), 2);
    }
}

#[tokio::test]
async fn out_of_bounds_integers_and_bad_paths_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for value in [0, 51, -1] {
        let err = RequestSpec::new("list_customers", Method::Get, "/customers")
            .query_integer(&PER_PAGE, value)
            .unwrap_err();
        match err {
            Error::InvalidRequest {
                operation_id: Some("list_customers"),
                reason: got,
            } => assert_eq!(
                got,
                InvalidRequestReason::OutOfRange {
                    parameter: "per_page",
                    value,
                    minimum: Some(1),
                    maximum: Some(50),
                }
            ),
            other => panic!("{other:?}"),
        }
    }
    let spec = RequestSpec::new("delete_customer", Method::Delete, "/customers/");
    assert!(matches!(
        client.execute_empty(spec).await,
        Err(Error::InvalidRequest {
            reason: InvalidRequestReason::Path(_),
            ..
        })
    ));
    assert!(received(&server).await.is_empty());
}

/// Mounts one response for `GET /v1/thing` and returns what `execute_json`
/// made of it, without retries.
async fn error_for(response: ResponseTemplate) -> (Error, usize) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/thing"))
        .respond_with(response)
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let spec = RequestSpec::new("get_thing", Method::Get, "/thing").query("q", "+1");
    let err = client.execute_json::<Value>(spec).await.unwrap_err();
    let display = err.to_string();
    assert!(display.contains("get_thing (GET /thing)"), "{display}");
    assert!(
        !display.contains(SECRET) && !display.contains(&basic_token()),
        "{display}"
    );
    (err, received(&server).await.len())
}

#[tokio::test]
async fn each_error_kind_from_a_real_response() {
    let msg = |status: u16, m: &str| ResponseTemplate::new(status).set_body_json(json!({"message": m}));

    let (err, _) = error_for(msg(400, "cell_phone_number is invalid")).await;
    assert!(matches!(&err, Error::Api { status: 400, message, .. } if message == "cell_phone_number is invalid"));
    assert!(
        err.to_string().contains("HTTP 400: cell_phone_number is invalid"),
        "{err}"
    );

    let (err, _) = error_for(msg(401, "Unauthorized")).await;
    assert!(matches!(&err, Error::Unauthorized { message, .. } if message == "Unauthorized"));

    let (err, _) = error_for(msg(404, "Customer not found")).await;
    assert!(matches!(&err, Error::NotFound { message, .. } if message == "Customer not found"));
    assert_eq!(err.status(), Some(404));

    // Retry-After beyond the policy's cap: returned at once, with the delay.
    let (err, n) = error_for(msg(429, "API usage limit exceeded").insert_header("Retry-After", "120")).await;
    assert!(matches!(&err, Error::RateLimited { retry_after: Some(d), .. } if *d == Duration::from_secs(120)));
    assert_eq!(n, 1);

    let (err, _) = error_for(msg(500, "boom")).await;
    assert!(matches!(&err, Error::Server { status: 500, message, .. } if message == "boom"));

    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>";
    let (err, _) = error_for(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    assert!(matches!(&err, Error::Server { status: 502, message, .. } if message.contains("502 Bad Gateway")));
    assert!(!err.to_string().contains('\n'), "{err}");

    let huge = "x".repeat(1024 * 1024);
    let (err, _) = error_for(ResponseTemplate::new(503).set_body_raw(huge, "text/plain")).await;
    assert!(matches!(&err, Error::Server { status: 503, message, .. } if message.len() < 1100));

    let (err, _) = error_for(ResponseTemplate::new(200).set_body_raw("{\"id\": oops", "application/json")).await;
    assert!(matches!(&err, Error::Decode { status: 200, body, .. } if body == "{\"id\": oops"));

    let (err, _) = error_for(ResponseTemplate::new(200)).await;
    assert!(matches!(&err, Error::Decode { status: 200, body, .. } if body.is_empty()));

    let (err, _) = error_for(ResponseTemplate::new(302).insert_header("Location", "https://elsewhere.example/")).await;
    assert!(matches!(&err, Error::UnexpectedStatus { status: 302, .. }));
}

#[tokio::test]
async fn empty_body_is_fine_for_execute_empty_and_large_bodies_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[".repeat(4096), "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).max_response_bytes(1024).build().unwrap();
    let del = RequestSpec::new("delete_document", Method::Delete, "/documents/1234");
    client.execute_empty(del).await.unwrap();
    let get = RequestSpec::new("get_document", Method::Get, "/documents/1234");
    let err = client.execute_json::<Value>(get).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                status: 200,
                limit: 1024,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn rate_limited_post_waits_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"message": "API usage limit exceeded"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    let spec = RequestSpec::new("send_message", Method::Post, "/messages")
        .body(Body::Json(json!({"customer_id": "CU1", "body": "hi"})));
    let started = Instant::now();
    let sent: Value = client(&server).execute_json(spec).await.unwrap();
    assert_eq!(sent["id"], 1);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn get_503_then_success_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let body: Value = client(&server).execute_json(spec).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn get_retries_are_bounded_and_counted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message": "down"})))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .retry_policy(fast_retries().with_max_retries(2))
        .build()
        .unwrap();
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let err = client.execute_empty(spec).await.unwrap_err();
    assert_eq!(err.request().unwrap().attempts(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn post_that_gets_503_or_times_out_is_sent_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/documents"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_millis(500)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let spec = RequestSpec::new("send_message", Method::Post, "/messages")
        .body(Body::Json(json!({"customer_id": "CU1", "body": "once"})));
    let err = client.execute_empty(spec).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 503, .. }), "{err}");
    let spec = RequestSpec::new("create_document", Method::Post, "/documents")
        .body(Body::Multipart(MultipartFile::new("a.txt", "text/plain", "x")));
    let err = client.execute_empty(spec).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn get_timeout_is_reported_and_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let spec = RequestSpec::new("list_webhooks", Method::Get, "/webhooks");
    let client = builder(&server.uri()).timeout(Duration::from_millis(100));
    let once = client.retry_policy(RetryPolicy::none()).build().unwrap();
    assert!(matches!(
        once.execute_empty(spec.clone()).await,
        Err(Error::Timeout { .. })
    ));
    let retried = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let hooks: Vec<Value> = retried.execute_json(spec).await.unwrap();
    assert!(hooks.is_empty());
}

/// A raw server: the first `drops` connections are closed after the request
/// was read; later ones get `200 {"ok":true}`. Returns its address and the
/// count of accepted connections.
async fn dropping_server(drops: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 8192];
            let mut read = 0;
            while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf[read..]).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => read += k,
                }
            }
            if n >= drops {
                let body = r#"{"ok":true}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            }
            drop(socket);
        }
    });
    (format!("http://{addr}"), accepted)
}

/// How a [`piecewise_server`] sends the body of its one answer.
#[derive(Clone, Copy)]
enum Framing {
    /// `Content-Length`, the body written in pieces.
    ContentLength,
    /// `Transfer-Encoding: chunked`, one HTTP chunk per piece: no declared size.
    Chunked,
}

/// A raw server answering every request with `status` and `body`, written
/// in `pieces` parts flushed 5 ms apart, so that the client receives the
/// body in several reads.
async fn piecewise_server(status: u16, body: Vec<u8>, pieces: usize, framing: Framing) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let mut read = 0;
            while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf[read..]).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => read += k,
                }
            }
            let length = match framing {
                Framing::ContentLength => format!("content-length: {}", body.len()),
                Framing::Chunked => "transfer-encoding: chunked".to_owned(),
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{length}\r\nconnection: close\r\n\r\n"
            );
            let _ = socket.write_all(head.as_bytes()).await;
            for piece in body.chunks(body.len().div_ceil(pieces).max(1)) {
                let framed = match framing {
                    Framing::ContentLength => piece.to_vec(),
                    Framing::Chunked => [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat(),
                };
                let _ = socket.write_all(&framed).await;
                let _ = socket.flush().await;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            if let Framing::Chunked = framing {
                let _ = socket.write_all(b"0\r\n\r\n").await;
            }
            drop(socket);
        }
    });
    format!("http://{addr}")
}

/// A JSON document of about `len` bytes: `{"items":["xxxxxxxx", ...]}`.
fn json_of_about(len: usize) -> Value {
    json!({ "items": vec!["x".repeat(8); len / 11] })
}

#[tokio::test]
async fn bodies_in_several_pieces_are_read_whole_with_or_without_a_declared_length() {
    let expected = json_of_about(200_000);
    let body = serde_json::to_vec(&expected).unwrap();
    for framing in [Framing::ContentLength, Framing::Chunked] {
        for pieces in [1, 2, 7] {
            let base = piecewise_server(200, body.clone(), pieces, framing).await;
            let client = builder(&base).build().unwrap();
            let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
            let read: Value = client.execute_json(spec).await.unwrap();
            assert_eq!(read, expected, "{pieces} pieces");
        }
    }
}

#[tokio::test]
async fn the_size_limit_holds_whether_the_length_is_declared_or_not() {
    let body = serde_json::to_vec(&json_of_about(50_000)).unwrap();
    for framing in [Framing::ContentLength, Framing::Chunked] {
        for (pieces, limit) in [(1, 49_000), (3, 49_000), (3, 20_000), (3, body.len() - 1)] {
            let base = piecewise_server(200, body.clone(), pieces, framing).await;
            let client = builder(&base).max_response_bytes(limit).build().unwrap();
            let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
            let err = client.execute_json::<Value>(spec).await.unwrap_err();
            assert!(
                matches!(err, Error::ResponseTooLarge { status: 200, limit: l, .. } if l == limit),
                "{pieces} pieces, limit {limit}: {err}"
            );
        }
        // Exactly at the limit is fine.
        let base = piecewise_server(200, body.clone(), 3, framing).await;
        let client = builder(&base).max_response_bytes(body.len()).build().unwrap();
        let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
        client.execute_json::<Value>(spec).await.unwrap();
    }
}

#[tokio::test]
async fn a_long_error_body_in_pieces_is_cut_and_still_described() {
    // 200 KB of HTML in pieces, without a declared length: the message
    // describes its first 64 KiB, cut to the usual length.
    let html = format!("<html>{}</html>", "<p>Bad Gateway</p>\n".repeat(10_000)).into_bytes();
    let base = piecewise_server(502, html, 5, Framing::Chunked).await;
    let client = builder(&base).retry_policy(RetryPolicy::none()).build().unwrap();
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let err = client.execute_empty(spec).await.unwrap_err();
    let Error::Server {
        status: 502, message, ..
    } = &err
    else {
        panic!("{err}");
    };
    assert!(
        message.starts_with("non-JSON body: <html><p>Bad Gateway</p>"),
        "{message}"
    );
    assert!(message.chars().count() <= 1100, "{}", message.len());
}

#[tokio::test]
async fn no_timeout_waits_for_a_slow_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let short = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none());
    assert!(matches!(
        short.build().unwrap().execute_empty(spec.clone()).await,
        Err(Error::Timeout { .. })
    ));
    let none = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .no_timeout()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(format!("{none:?}").contains("timeout: None"), "{none:?}");
    let body: Value = none.execute_json(spec).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
}

#[tokio::test]
async fn dropped_connection_is_retried_for_get_but_not_for_post() {
    let (base, accepted) = dropping_server(1).await;
    let client = builder(&base).build().unwrap();
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let body: Value = client.execute_json(spec).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(accepted.load(Ordering::SeqCst), 2);

    let (base, accepted) = dropping_server(1).await;
    let client = builder(&base).build().unwrap();
    let spec = RequestSpec::new("send_message", Method::Post, "/messages")
        .body(Body::Json(json!({"customer_id": "CU1", "body": "once"})));
    let err = client.execute_empty(spec).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    assert!(err.to_string().contains("send_message (POST /messages)"), "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn https_uses_the_ring_tls_config_and_reports_a_failed_handshake() {
    // Not a TLS server: it answers the ClientHello with plain HTTP, so the
    // handshake fails. That proves the rustls config (ring, platform
    // verifier) was accepted by reqwest and is used, without a panic.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let client = transport_builder()
        .base_url(&base)
        .connect_timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
    let err = client.execute_empty(spec).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    // rustls itself reports it: the request went through the TLS stack.
    assert!(err.to_string().contains("corrupt message"), "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[test]
fn plain_http_is_refused_without_the_opt_in_and_off_loopback() {
    let err = transport_builder()
        .base_url("http://api.kimoby.com/v1")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidRequest {
                reason: InvalidRequestReason::InsecureBaseUrl { .. },
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("https"), "{err}");
    let err = transport_builder()
        .base_url("http://127.0.0.1:1/v1")
        .build()
        .unwrap_err();
    assert!(matches!(
        &err,
        Error::InvalidRequest {
            reason: InvalidRequestReason::InsecureBaseUrl { .. },
            ..
        }
    ));
    let err = transport_builder()
        .base_url("http://10.0.0.1/v1")
        .allow_insecure_http_for_testing()
        .build()
        .unwrap_err();
    assert!(matches!(
        &err,
        Error::InvalidRequest {
            reason: InvalidRequestReason::InsecureHostNotLoopback { .. },
            ..
        }
    ));
    let client = transport_builder().build().unwrap();
    assert_eq!(client.base_url(), BASE_URL);
}

#[test]
fn debug_output_never_shows_the_secret() {
    let builder = transport_builder();
    let client = transport_builder().build().unwrap();
    let credentials = Credentials::new(KEY, SECRET);
    for text in [
        format!("{builder:?}"),
        format!("{builder:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{credentials:?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(&basic_token()), "{text}");
        assert!(text.contains(KEY), "{text}");
    }
}

/// A minimal subscriber that writes every span and event field to a string.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Writer<'a>(&'a mut String);

impl tracing::field::Visit for Writer<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut out = self.0.lock().unwrap();
        out.push_str(&format!("\nspan {} ", span.metadata().name()));
        span.record(&mut Writer(&mut out));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Writer(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.0.lock().unwrap();
        out.push_str("\nevent ");
        event.record(&mut Writer(&mut out));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn tracing_records_the_request_but_no_secret_query_or_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"message": "busy with Server Message"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let spec = RequestSpec::new("update_customer", Method::Put, "/customers/CU1")
        .query("cell_phone_number", "+14182031234")
        .body(Body::Json(json!({"name": "Secret Body Name"})));
    let _: Value = client(&server).execute_json(spec).await.unwrap();
    let log = capture.0.lock().unwrap().clone();
    for expected in [
        "kimoby.request",
        "operation_id=\"update_customer\"",
        "method=\"PUT\"",
        "path=/customers/CU1",
        "attempt=2",
        "status=200",
        "status=503",
    ] {
        assert!(log.contains(expected), "{expected} missing in {log}");
    }
    for secret in [
        SECRET,
        &basic_token(),
        "14182031234",
        "Secret Body Name",
        "Server Message",
    ] {
        assert!(!log.contains(secret), "{secret} leaked in {log}");
    }
}

/// The generated builders hand these to `tokio::spawn`: they must be `Send`.
#[test]
fn futures_and_streams_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = transport_builder().build().unwrap();
    let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
    assert_send(&client.execute_json::<Value>(spec.clone()));
    assert_send(&client.execute_empty(spec));
    let stream = paginate_from("list_customers", 1, |page| {
        let client = client.clone();
        async move { fetch_page(&client, page).await }
    });
    assert_send(&stream);
    fn assert_sync<T: Send + Sync + Clone>(_: &T) {}
    assert_sync(&client);
}
