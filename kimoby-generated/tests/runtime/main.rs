//! Tests of the client runtime over real HTTP on loopback: a wiremock server
//! for exact requests, every error kind, retries and pagination, and raw
//! tokio listeners for dropped connections and a TLS handshake. Requests are
//! built by hand with `RequestSpec`, as the generated operations will.
//!
//! The tests are grouped by subject in the modules below; this file holds
//! the helpers they share.
#![cfg(feature = "client")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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

#[path = "../common/mod.rs"]
mod common;

use common::{KEY, SECRET};

mod client_setup;
mod connections;
mod pagination;
mod requests;
mod responses;
mod retries;

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
