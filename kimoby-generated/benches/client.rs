//! Client overhead: `GET /customers/{id}` through the generated client
//! (`client.customers().retrieve(..).send()`: the runtime's headers, retry
//! loop, tracing span, timeout, size-limited body read and typed errors)
//! against the same calls made with bare `reqwest` (Basic auth,
//! `error_for_status`, `bytes`) and `serde_json::from_slice`, in the same run.
//!
//! Both decode into the generated `types::Customer`, so the difference is the
//! client runtime alone (decoding is compared in `decode_encode`). The server
//! is a minimal axum app on loopback in the same process that answers every
//! id with the same customer (the one of
//! `tests/fixtures/valid/customer/`), so the server costs as little as
//! possible and the client's share of each call is as large as it can be.
//!
//! - `sequential`: 2,000 calls one after the other (also paired against bare
//!   reqwest with the same 30 s per-request timeout the generated client sets,
//!   to show that timer's share);
//! - `concurrent_16`: 2,000 calls as 16 concurrent streams of 125.
//!
//! Before each criterion group, a paired pass (the two sides alternately,
//! 21 rounds, in ABBA order, medians) prints the ratio, which a change of
//! load between two criterion functions cannot skew.
//!
//! Run: `cargo bench -p kimoby-generated --bench client`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kimoby_generated::client::CustomerLookup;
use kimoby_generated::types::Customer;
use kimoby_generated::{Client, ClientBuilder};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

const CALLS: usize = 2_000;
const STREAMS: usize = 16;
const KEY: &str = "bench-key";
const SECRET: &str = "bench-secret";
const CUSTOMER: &str = r#"{"id":"cueeadfbacc5d64682bd20ac077d592e83","reference":"CU000001","name":"John Doe","cell_phone_number":"+14182031234","email":"","address":"633 Saint-joseph E.","city":"Quebec","state":"QC","zipcode":"G1K 3C1","country":"CA","is_unsubscribed":false,"phones":{"home":"","work":"+1 (877) 247-9367","other":"(418) 394-1928 x19119"},"custom_attributes":{"vehicle_year":"2012","last_visit_date":"2013-02-12T00:00:00+00:00","product_names_array":["Premium","Lite"]},"created_at":"2016-06-28T15:26:58+00:00","updated_at":"2016-06-28T15:27:04+00:00"}"#;

/// Starts the server; returns the API base URL.
async fn serve() -> String {
    async fn customer(Path(_id): Path<String>) -> impl IntoResponse {
        ([(header::CONTENT_TYPE, "application/json")], CUSTOMER)
    }
    let app = Router::new().route("/v1/customers/{id}", get(customer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}/v1")
}

/// The baseline: a plain reqwest client (with a TLS backend, as reqwest is
/// built without a default crypto provider here; unused over `http`).
fn bare_reqwest() -> reqwest::Client {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()
        .expect("reqwest client")
}

async fn bare_retrieve(http: &reqwest::Client, base: &str, id: &str) -> Customer {
    let bytes = http
        .get(format!("{base}/customers/{id}"))
        .basic_auth(KEY, Some(SECRET))
        .header(header::ACCEPT, "application/json")
        .send()
        .await
        .expect("sent")
        .error_for_status()
        .expect("2xx")
        .bytes()
        .await
        .expect("body");
    serde_json::from_slice(&bytes).expect("a customer")
}

/// The baseline plus a 30 s per-request timeout, as the generated client sets
/// by default: shows how much of the difference that timer is.
async fn bare_retrieve_with_timeout(http: &reqwest::Client, base: &str, id: &str) -> Customer {
    let bytes = http
        .get(format!("{base}/customers/{id}"))
        .basic_auth(KEY, Some(SECRET))
        .header(header::ACCEPT, "application/json")
        .timeout(std::time::Duration::from_secs(30))
        .send()
        .await
        .expect("sent")
        .error_for_status()
        .expect("2xx")
        .bytes()
        .await
        .expect("body");
    serde_json::from_slice(&bytes).expect("a customer")
}

async fn generated_retrieve(client: &Client, id: &str) -> Customer {
    client
        .customers()
        .retrieve(CustomerLookup::id(id))
        .send()
        .await
        .expect("a customer")
}

fn ids() -> Arc<Vec<String>> {
    Arc::new((0..CALLS).map(|index| format!("cu{index:032x}")).collect())
}

/// 16 concurrent streams of calls through the generated client.
async fn concurrent_generated(client: &Client, ids: &Arc<Vec<String>>) {
    let mut tasks = JoinSet::new();
    for stream in 0..STREAMS {
        let (client, ids) = (client.clone(), Arc::clone(ids));
        tasks.spawn(async move {
            for id in ids.iter().skip(stream).step_by(STREAMS) {
                black_box(generated_retrieve(&client, id).await);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("stream finished");
    }
}

/// 16 concurrent streams of calls with bare reqwest.
async fn concurrent_bare(http: &reqwest::Client, base: &str, ids: &Arc<Vec<String>>) {
    let mut tasks = JoinSet::new();
    for stream in 0..STREAMS {
        let (http, base, ids) = (http.clone(), base.to_owned(), Arc::clone(ids));
        tasks.spawn(async move {
            for id in ids.iter().skip(stream).step_by(STREAMS) {
                black_box(bare_retrieve(&http, &base, id).await);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("stream finished");
    }
}

/// Rounds of the paired measurement.
const PAIRED_ROUNDS: usize = 21;

/// Runs both sides alternately, one batch each per round, and prints the
/// medians and their ratio: criterion measures one function after the other,
/// so a change of load on this shared machine between them shows in its
/// ratio; alternating cancels that out.
fn paired<A, B, FA, FB>(runtime: &Runtime, label: &str, mut generated: FA, mut baseline: FB)
where
    FA: FnMut() -> A,
    FB: FnMut() -> B,
    A: Future<Output = ()>,
    B: Future<Output = ()>,
{
    let (mut a, mut b) = (Vec::with_capacity(PAIRED_ROUNDS), Vec::with_capacity(PAIRED_ROUNDS));
    runtime.block_on(generated());
    runtime.block_on(baseline());
    // The order alternates too (ABBA...), so that running first or second in
    // a round favours neither side.
    for round in 0..PAIRED_ROUNDS {
        for side in [round % 2, 1 - round % 2] {
            let started = Instant::now();
            if side == 0 {
                runtime.block_on(generated());
                a.push(started.elapsed());
            } else {
                runtime.block_on(baseline());
                b.push(started.elapsed());
            }
        }
    }
    a.sort();
    b.sort();
    let (a, b) = (a[PAIRED_ROUNDS / 2], b[PAIRED_ROUNDS / 2]);
    println!(
        "paired {label}: {:.2} ms vs {:.2} ms, ratio {:.3} (medians of {PAIRED_ROUNDS} alternating rounds)",
        a.as_secs_f64() * 1e3,
        b.as_secs_f64() * 1e3,
        a.as_secs_f64() / b.as_secs_f64()
    );
}

fn client_benches(c: &mut Criterion) {
    let runtime = Runtime::new().expect("tokio runtime");
    let base = runtime.block_on(serve());
    let client = ClientBuilder::new(KEY, SECRET)
        .base_url(&base)
        .allow_insecure_http_for_testing()
        .build()
        .expect("generated client");
    let http = bare_reqwest();
    let ids = ids();
    // Same answer both ways before measuring.
    runtime.block_on(async {
        assert_eq!(
            generated_retrieve(&client, &ids[0]).await,
            bare_retrieve(&http, &base, &ids[0]).await
        );
    });

    paired(
        &runtime,
        "client/sequential_2000 generated vs bare_reqwest",
        || async {
            for id in ids.iter() {
                black_box(generated_retrieve(&client, id).await);
            }
        },
        || async {
            for id in ids.iter() {
                black_box(bare_retrieve(&http, &base, id).await);
            }
        },
    );

    paired(
        &runtime,
        "client/sequential_2000 generated vs bare_reqwest_with_timeout",
        || async {
            for id in ids.iter() {
                black_box(generated_retrieve(&client, id).await);
            }
        },
        || async {
            for id in ids.iter() {
                black_box(bare_retrieve_with_timeout(&http, &base, id).await);
            }
        },
    );

    let mut group = c.benchmark_group("client/sequential_2000");
    group.throughput(Throughput::Elements(CALLS as u64));
    group.bench_function("generated", |b| {
        b.to_async(&runtime).iter(|| async {
            for id in ids.iter() {
                black_box(generated_retrieve(&client, id).await);
            }
        });
    });
    group.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            for id in ids.iter() {
                black_box(bare_retrieve(&http, &base, id).await);
            }
        });
    });
    group.finish();

    paired(
        &runtime,
        "client/concurrent_16x125 generated vs bare_reqwest",
        || concurrent_generated(&client, &ids),
        || concurrent_bare(&http, &base, &ids),
    );

    let mut group = c.benchmark_group("client/concurrent_16x125");
    group.throughput(Throughput::Elements(CALLS as u64));
    group.bench_function("generated", |b| {
        b.to_async(&runtime).iter(|| concurrent_generated(&client, &ids));
    });
    group.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime).iter(|| concurrent_bare(&http, &base, &ids));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = client_benches
}
criterion_main!(benches);
