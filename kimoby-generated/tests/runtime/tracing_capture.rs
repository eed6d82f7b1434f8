//! The tracing output, captured by a minimal subscriber: the request is
//! recorded, never the secret, the query or the body.

use super::*;

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
    // Other tests of this binary hit the same callsites on their own threads,
    // with no subscriber: one that registered a callsite while this
    // subscriber was being installed may have cached "never" for it.
    tracing::callsite::rebuild_interest_cache();
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
