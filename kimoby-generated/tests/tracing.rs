//! The tracing output, captured by a minimal subscriber: the request is
//! recorded, never the secret, the query or the body.
//!
//! A test binary of its own, with one test and a global subscriber: in a
//! binary shared with other tests, their threads register the same
//! callsites with no subscriber, and tracing may cache "never" for them
//! while this one runs.
#![cfg(feature = "client")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use kimoby_generated::runtime::{Body, ClientBuilder, Method, RequestSpec, RetryPolicy, Transport};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "common/mod.rs"]
mod common;

use common::{KEY, SECRET};

fn basic_token() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"))
}

fn client(server: &MockServer) -> Transport {
    ClientBuilder::new("https://api.example.com/v1", KEY, SECRET)
        .base_url(format!("{}/v1", server.uri()))
        .allow_insecure_http_for_testing()
        .timeout(Duration::from_secs(3))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
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
    tracing::subscriber::set_global_default(capture.clone()).expect("the only subscriber of this binary");
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
