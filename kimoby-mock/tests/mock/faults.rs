//! Fault injection: rate limit, server errors, latency, dropped connections;
//! per run, queued for the next requests, or per request.

use std::time::{Duration, Instant};

use kimoby_mock::{FaultConfig, OneShotFault};
use reqwest::Method;
use serde_json::json;

use crate::common::{KEY, Mock, SECRET, assert_schema, test_config};

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let mock = Mock::with(test_config().faults(FaultConfig {
        rate_limit_per_second: Some(5),
        ..FaultConfig::default()
    }))
    .await;
    let mut limited = 0;
    for _ in 0..12 {
        let response = mock
            .http
            .get(format!("{}/customers", mock.base))
            .basic_auth(KEY, Some(SECRET))
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            limited += 1;
            let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!(retry_after >= 1);
            let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            assert_schema("error.json", &body);
        }
    }
    // 12 requests within at most a few windows of 5: some are refused.
    assert!(limited >= 1, "no 429 in 12 requests at 5/s");
    // The control endpoints are never limited.
    for _ in 0..10 {
        assert_eq!(mock.control(Method::GET, "/health", None).await.0, 200);
    }
    mock.server.shutdown().await;
}

#[tokio::test]
async fn per_request_headers_and_queued_faults() {
    let mock = Mock::start().await;
    let url = format!("{}/customers", mock.base);
    for status in [500u16, 502, 503, 504, 429] {
        let response = mock
            .http
            .get(&url)
            .basic_auth(KEY, Some(SECRET))
            .header("x-mock-fault", status.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status);
    }
    let started = Instant::now();
    let response = mock
        .http
        .get(&url)
        .basic_auth(KEY, Some(SECRET))
        .header("x-mock-latency-ms", "200")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(200));

    let dropped = mock
        .http
        .get(&url)
        .basic_auth(KEY, Some(SECRET))
        .header("x-mock-fault", "drop")
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection is closed without an answer: {dropped:?}"
    );

    // Queued: one fault per request, in order, then normal answers.
    mock.server
        .push_faults(vec![
            OneShotFault::Status { status: 502 },
            OneShotFault::Drop,
            OneShotFault::RateLimit,
        ])
        .unwrap();
    assert_eq!(mock.get("/customers").await.0, 502);
    assert!(mock.http.get(&url).basic_auth(KEY, Some(SECRET)).send().await.is_err());
    assert_eq!(mock.get("/customers").await.0, 429);
    assert_eq!(mock.get("/customers").await.0, 200);

    // Through the control endpoint too; a write that failed changed nothing.
    let queued = json!([{"kind": "status", "status": 503}]);
    assert_eq!(mock.control(Method::POST, "/faults/next", Some(queued)).await.0, 204);
    assert_eq!(mock.put("/customers", json!({"name": "x"})).await.0, 503);
    assert_eq!(mock.server.counts().customers, 0);
    let bad = json!([{"kind": "status", "status": 404}]);
    assert_eq!(mock.control(Method::POST, "/faults/next", Some(bad)).await.0, 400);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn run_wide_faults_can_be_changed_while_running() {
    let mock = Mock::start().await;
    let config = json!({"error_rate": 1.0, "error_status": 504});
    let (status, body) = mock.control(Method::PUT, "/faults", Some(config)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(mock.get("/customers").await.0, 504);
    assert_eq!(mock.control(Method::GET, "/faults", None).await.1["error_status"], 504);
    assert_eq!(
        mock.control(Method::PUT, "/faults", Some(json!({"drop_rate": 2.0})))
            .await
            .0,
        400
    );
    assert_eq!(mock.control(Method::DELETE, "/faults", None).await.0, 204);
    assert_eq!(mock.get("/customers").await.0, 200);

    mock.server
        .set_faults(FaultConfig {
            drop_rate: 1.0,
            ..FaultConfig::default()
        })
        .unwrap();
    assert!(
        mock.http
            .get(format!("{}/customers", mock.base))
            .basic_auth(KEY, Some(SECRET))
            .send()
            .await
            .is_err()
    );
    mock.server
        .set_faults(FaultConfig {
            latency_ms: 100,
            ..FaultConfig::default()
        })
        .unwrap();
    let started = Instant::now();
    assert_eq!(mock.get("/customers").await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(100));
    mock.server.shutdown().await;
}
