//! Retries: `Retry-After` on a rate-limited POST, bounded and counted GET
//! retries, a POST sent exactly once, and timeouts.

use super::*;

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
