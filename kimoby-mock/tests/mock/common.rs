//! Helpers: a mock server with a raw HTTP client, and a webhook receiver.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kimoby_generated::validate::Validator;
use kimoby_mock::{MockConfig, MockServer};
use reqwest::Method;
use serde_json::{Value, json};

pub const KEY: &str = "test-key";
pub const SECRET: &str = "test-secret";
/// Upper bound for anything a test waits for.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The configuration of most tests: loopback webhooks allowed, simulated time
/// 10,000 times faster (an hour is 0.36 s), 1 s webhook timeout.
pub fn test_config() -> MockConfig {
    MockConfig::new(KEY, SECRET)
        .allow_http_webhooks(true)
        .time_scale(0.0001)
        .webhook_timeout(Duration::from_secs(1))
        .message_step(Duration::from_millis(100))
}

/// [`test_config`] where sent messages stay `queued` (steps of about 3 years
/// of simulated time), so that only `message_created` is delivered.
pub fn quiet_config() -> MockConfig {
    test_config().message_step(Duration::from_secs(1_000_000_000))
}

/// A plain HTTP client (rustls with ring, installed once for the process).
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(PATIENCE)
        .build()
        .expect("HTTP client")
}

/// A copy of the embedded manifest (`schemas/openapi.json`), to change and
/// serve with [`MockConfig::with_manifest`].
pub fn embedded_manifest() -> Value {
    serde_json::from_str(kimoby_generated::schemas::manifest()).expect("the embedded manifest is JSON")
}

/// The response schemas, compiled once.
pub fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::new().expect("embedded schemas compile"))
}

/// Fails the test if `value` does not match the schema file `schema`.
pub fn assert_schema(schema: &str, value: &Value) {
    if let Err(error) = validator().validate(schema, value) {
        panic!("{schema}: {error}\n{value:#}");
    }
}

/// A running mock and a client for it.
pub struct Mock {
    pub server: MockServer,
    pub http: reqwest::Client,
    pub base: String,
    pub control_base: String,
}

impl Mock {
    pub async fn start() -> Self {
        Self::with(test_config()).await
    }

    pub async fn with(config: MockConfig) -> Self {
        let server = MockServer::start(config).await.expect("mock starts");
        Self {
            base: server.base_url(),
            control_base: server.control_url(),
            server,
            http: http_client(),
        }
    }

    /// An authenticated API call; the body decoded as JSON (`null` if empty).
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .basic_auth(KEY, Some(SECRET));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&body).expect("JSON"));
        }
        decode(request.send().await.expect("mock answers")).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// A request to any path of the server (`/v1/customers`, `/nowhere`),
    /// with the credentials: status, `Content-Type` and body as JSON.
    pub async fn raw(&self, request: reqwest::RequestBuilder) -> (u16, String, Value) {
        let response = request
            .basic_auth(KEY, Some(SECRET))
            .send()
            .await
            .expect("mock answers");
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let (status, body) = decode(response).await;
        (status, content_type, body)
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.addr())
    }

    /// A control endpoint call (`/_mock...`).
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.control_base));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&body).expect("JSON"));
        }
        decode(request.send().await.expect("mock answers")).await
    }

    /// Creates a customer and returns it.
    pub async fn customer(&self, reference: &str, phone: &str) -> Value {
        let (status, customer) = self
            .put(
                "/customers",
                json!({"name": format!("Customer {reference}"), "reference": reference, "cell_phone_number": phone}),
            )
            .await;
        assert_eq!(status, 201, "{customer}");
        customer
    }

    /// Registers a webhook to `url` and returns `(id, authentication_key)`.
    pub async fn webhook(&self, url: &str) -> (String, String) {
        let (status, webhook) = self.post("/webhooks", json!({"url": url})).await;
        assert_eq!(status, 201, "{webhook}");
        (
            webhook["id"].as_str().expect("id").to_owned(),
            webhook["authentication_key"].as_str().expect("key").to_owned(),
        )
    }
}

pub async fn decode(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body");
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
    };
    (status, value)
}

/// One webhook request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub signature: Option<String>,
    pub body: Bytes,
    pub at: std::time::Instant,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("webhook body is JSON")
    }

    pub fn event_name(&self) -> String {
        self.json()["event_name"].as_str().unwrap_or_default().to_owned()
    }
}

#[derive(Clone, Default)]
struct ReceiverState {
    received: Arc<Mutex<Vec<Received>>>,
    /// Statuses to answer, in order; 200 once empty. 0 means: answer late.
    script: Arc<Mutex<VecDeque<u16>>>,
    notify: Arc<tokio::sync::Notify>,
}

/// A webhook receiver on a free loopback port.
pub struct Receiver {
    pub url: String,
    state: ReceiverState,
}

impl Receiver {
    /// Answers 200 to everything.
    pub async fn start() -> Self {
        Self::scripted(Vec::new()).await
    }

    /// Answers these statuses in order (0: no answer for 3 s), then 200.
    pub async fn scripted(script: Vec<u16>) -> Self {
        let state = ReceiverState {
            script: Arc::new(Mutex::new(script.into())),
            ..ReceiverState::default()
        };
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, state }
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().expect("lock").clone()
    }

    /// Waits until `count` requests arrived (fails after [`PATIENCE`]).
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let notified = self.state.notify.notified();
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "expected {count} webhook requests, got {}: {received:?}",
                    received.len()
                );
            }
        }
    }
}

async fn receive(State(state): State<ReceiverState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers
        .get("x-kimoby-signature")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let status = state.script.lock().expect("lock").pop_front().unwrap_or(200);
    state.received.lock().expect("lock").push(Received {
        signature,
        body,
        at: std::time::Instant::now(),
    });
    state.notify.notify_waiters();
    if status == 0 {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    StatusCode::from_u16(if status == 0 { 200 } else { status }).expect("status")
}

/// Polls `check` until it returns `Some` (fails after [`PATIENCE`]).
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The tolerant profile's schemas, compiled once.
pub fn tolerant_validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::tolerant().expect("embedded tolerant schemas compile"))
}

/// One request a [`RecordingProxy`] forwarded, and the answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: reqwest::Method,
    /// The path as sent (`/v1/customers`).
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub body: Bytes,
}

/// A loopback HTTP proxy in front of a mock that records every answer, to
/// check what a client (the generated one) was served.
pub struct RecordingProxy {
    /// `http://127.0.0.1:PORT`: the origin to give a client instead of the mock's.
    pub origin: String,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

#[derive(Clone)]
struct ProxyState {
    http: reqwest::Client,
    target: String,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl RecordingProxy {
    /// A proxy to `target` (`http://127.0.0.1:PORT`, no path).
    pub async fn start(target: String) -> Self {
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let state = ProxyState {
            http: http_client(),
            target,
            exchanges: Arc::clone(&exchanges),
        };
        let app = axum::Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let origin = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { origin, exchanges }
    }

    /// Every exchange so far, in the order they were answered.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges.lock().expect("lock").clone()
    }
}

async fn forward(State(state): State<ProxyState>, request: axum::extract::Request) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.expect("request body");
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).expect("method");
    let path_and_query = parts.uri.path_and_query().map_or("/", |value| value.as_str());
    let mut outgoing = state
        .http
        .request(method.clone(), format!("{}{path_and_query}", state.target))
        .body(body.to_vec());
    for name in ["authorization", "content-type", "accept"] {
        if let Some(value) = parts.headers.get(name) {
            outgoing = outgoing.header(name, value.as_bytes());
        }
    }
    let answer = outgoing.send().await.expect("the mock answers");
    let status = answer.status().as_u16();
    let mut response = axum::response::Response::builder().status(status);
    for name in ["content-type", "retry-after", "www-authenticate", "allow"] {
        if let Some(value) = answer.headers().get(name) {
            response = response.header(name, value.as_bytes());
        }
    }
    let bytes = answer.bytes().await.expect("response body");
    state.exchanges.lock().expect("lock").push(Exchange {
        method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        status,
        body: bytes.clone(),
    });
    response.body(axum::body::Body::from(bytes)).expect("response")
}
