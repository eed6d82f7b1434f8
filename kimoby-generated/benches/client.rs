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
//! - `sequential`: 2,000 calls one after the other;
//! - `concurrent_16`: 2,000 calls as 16 concurrent streams of 125.
//!
//! The generated client sets a 30 s per-request timeout by default, which
//! arms and cancels a timer on every call; bare reqwest sets none unless told.
//! So each shape is paired three ways: the default client against bare
//! reqwest (the target's definition), the default client against bare
//! reqwest with the same 30 s timeout, and a client built with
//! `ClientBuilder::no_timeout()` against bare reqwest without one. The last
//! two compare like with like; the first shows what the default costs. A
//! first pairing of bare reqwest against itself shows the bias and noise of
//! the pairing itself: its ratio should be 1.
//!
//! Before each criterion group, paired passes print the ratios, which a
//! change of load between two criterion functions cannot skew: 21 rounds of
//! 2,000 calls a side, medians. In a sequential round the two sides
//! alternate every 100 calls (ABBA order), so both see the same load; a
//! concurrent round runs each side's 2,000 calls at once, in ABBA order from
//! round to round. Each line also gives the median and quartiles of the
//! per-round ratios: the steadier figure, and the noise the pairing leaves.
//!
//! **The drift report** (feature `validate`): with `--features validate`,
//! one more pairing per shape compares the default client built with
//! `ClientBuilder::report_drift(true)` (`generated_drift`) against the same
//! client without it (`generated`). The body the server answers matches the
//! strict schema of `customer.json` (checked before measuring), so the
//! difference is the cost of checking a body that has not drifted (parse it
//! into a `serde_json::Value` and validate it), the production case, not
//! the cost of warning.
//!
//! Run: `cargo bench -p kimoby-generated --bench client` (add
//! `--features validate` for the drift report).
//!
//! **Instruction counts.** Times on a shared machine move with its load;
//! instruction counts do not. With
//! `KIMOBY_CLIENT_BENCH_CALLS="<side> <n> [<shape>]"` in the environment, the
//! bench binary does no timing: it makes 200 warm-up calls then `n` calls on
//! one side, on a single-threaded runtime, and exits. The sides are
//! `generated`, `generated_no_timeout`, `bare_reqwest`,
//! `bare_reqwest_with_timeout` and, with `--features validate`,
//! `generated_drift`; the shape is `sequential` (the default: one
//! call after the other) or `concurrent_16` (the warm-up and the `n` calls
//! each as 16 concurrent streams, so the 16 connections are open before the
//! counted calls; the streams interleave on the one thread, which keeps the
//! count deterministic). Under valgrind, the difference between a run with
//! `n` calls and one with none, divided by `n`, is the instructions a call
//! costs (client, server and decoding; the server's share is the same on
//! every side):
//!
//! ```sh
//! cargo bench -p kimoby-generated --bench client --no-run   # prints the binary's path
//! for shape in sequential concurrent_16; do
//!   for side in generated generated_no_timeout bare_reqwest bare_reqwest_with_timeout; do
//!     for n in 0 1000; do
//!       KIMOBY_CLIENT_BENCH_CALLS="$side $n $shape" valgrind --tool=cachegrind --cache-sim=no \
//!         --cachegrind-out-file=/dev/null target/release/deps/client-<hash> 2>&1 | grep 'I *refs'
//!     done
//!   done
//! done
//! ```

use std::hint::black_box;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use criterion::{Criterion, Throughput, criterion_group};
use kimoby_generated::Client;
use kimoby_generated::client::CustomerLookup;
use kimoby_generated::types::Customer;
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

const CALLS: usize = 2_000;
const STREAMS: usize = 16;
const KEY: &str = "bench-key";
const SECRET: &str = "bench-secret";
/// The customer of `tests/fixtures/valid/customer/retrieve_response.json`,
/// which matches the strict schema (no drift to report).
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

/// Panics unless [`CUSTOMER`] matches the strict schema of the retrieve,
/// so that the drift side measures checking a body, not warning of drift.
#[cfg(feature = "validate")]
fn assert_no_drift() {
    let drift = kimoby_generated::runtime::drift_of("customer.json", CUSTOMER.as_bytes());
    assert!(
        drift.is_empty(),
        "the bench's customer departs from customer.json: {drift:?}"
    );
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

/// One call by hand, with the per-request `timeout` when given.
async fn bare_retrieve(http: &reqwest::Client, base: &str, id: &str, timeout: Option<Duration>) -> Customer {
    let mut request = http
        .get(format!("{base}/customers/{id}"))
        .basic_auth(KEY, Some(SECRET))
        .header(header::ACCEPT, "application/json");
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let bytes = request
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
async fn concurrent_bare(http: &reqwest::Client, base: &str, ids: &Arc<Vec<String>>, timeout: Option<Duration>) {
    let mut tasks = JoinSet::new();
    for stream in 0..STREAMS {
        let (http, base, ids) = (http.clone(), base.to_owned(), Arc::clone(ids));
        tasks.spawn(async move {
            for id in ids.iter().skip(stream).step_by(STREAMS) {
                black_box(bare_retrieve(&http, &base, id, timeout).await);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("stream finished");
    }
}

/// 2,000 calls one after the other through the generated client.
async fn sequential_generated(client: &Client, ids: &[String]) {
    for id in ids {
        black_box(generated_retrieve(client, id).await);
    }
}

/// 2,000 calls one after the other with bare reqwest.
async fn sequential_bare(http: &reqwest::Client, base: &str, ids: &[String], timeout: Option<Duration>) {
    for id in ids {
        black_box(bare_retrieve(http, base, id, timeout).await);
    }
}

/// Rounds of the paired measurement.
const PAIRED_ROUNDS: usize = 21;

/// Runs both sides alternately and prints the medians of their per-round
/// times and the ratio of the medians: criterion measures one function after
/// the other, so a change of load on this shared machine between them shows
/// in its ratio; alternating cancels that out.
///
/// Each round runs the 2,000 calls on each side in `blocks` blocks, the two
/// sides alternating block by block in ABBA order (the first block of the
/// round in AB order, the next in BA, ...), so that both sides of a round see
/// the same load even when it changes within the round, and neither gains
/// from running first. Each side's closure runs the calls of `ids[range]`.
/// Besides the ratio of the two medians (the figure the other benches
/// print), it prints the median and quartiles of the per-round ratios: each
/// of those compares two sides that ran under the same load, so their median
/// is the steadier figure and their spread the noise the pairing leaves.
fn paired<A, B, FA, FB>(runtime: &Runtime, label: &str, blocks: usize, mut generated: FA, mut baseline: FB)
where
    FA: FnMut(Range<usize>) -> A,
    FB: FnMut(Range<usize>) -> B,
    A: Future<Output = ()>,
    B: Future<Output = ()>,
{
    let block_len = CALLS / blocks;
    let (mut a, mut b) = (Vec::with_capacity(PAIRED_ROUNDS), Vec::with_capacity(PAIRED_ROUNDS));
    runtime.block_on(generated(0..CALLS));
    runtime.block_on(baseline(0..CALLS));
    for round in 0..PAIRED_ROUNDS {
        let (mut round_a, mut round_b) = (Duration::ZERO, Duration::ZERO);
        for block in 0..blocks {
            let range = block * block_len..(block + 1) * block_len;
            let step = round * blocks + block;
            for side in [step % 2, 1 - step % 2] {
                let started = Instant::now();
                if side == 0 {
                    runtime.block_on(generated(range.clone()));
                    round_a += started.elapsed();
                } else {
                    runtime.block_on(baseline(range.clone()));
                    round_b += started.elapsed();
                }
            }
        }
        a.push(round_a);
        b.push(round_b);
    }
    let mut ratios: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    a.sort();
    b.sort();
    let (a, b) = (a[PAIRED_ROUNDS / 2], b[PAIRED_ROUNDS / 2]);
    println!(
        "paired {label}: {:.2} ms vs {:.2} ms, ratio {:.3} (medians of {PAIRED_ROUNDS} rounds of {blocks} alternating \
         blocks); per-round ratios: median {:.3}, quartiles {:.3} to {:.3}",
        a.as_secs_f64() * 1e3,
        b.as_secs_f64() * 1e3,
        a.as_secs_f64() / b.as_secs_f64(),
        ratios[PAIRED_ROUNDS / 2],
        ratios[PAIRED_ROUNDS / 4],
        ratios[PAIRED_ROUNDS * 3 / 4],
    );
}

/// Blocks per round in the sequential pairings: 100 calls each.
const SEQUENTIAL_BLOCKS: usize = 20;

/// The generated client's default per-request timeout, given to bare
/// reqwest in the like-for-like pairing.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

fn client_benches(c: &mut Criterion) {
    let runtime = Runtime::new().expect("tokio runtime");
    let base = runtime.block_on(serve());
    let builder = || {
        Client::builder(KEY, SECRET)
            .base_url(&base)
            .allow_insecure_http_for_testing()
    };
    let client = builder().build().expect("generated client");
    let untimed = builder()
        .no_timeout()
        .build()
        .expect("generated client without timeout");
    #[cfg(feature = "validate")]
    let drifting = {
        assert_no_drift();
        builder()
            .report_drift(true)
            .build()
            .expect("generated client with the drift report")
    };
    let http = bare_reqwest();
    let ids = ids();
    // Same answer every way before measuring.
    runtime.block_on(async {
        let expected = bare_retrieve(&http, &base, &ids[0], None).await;
        assert_eq!(generated_retrieve(&client, &ids[0]).await, expected);
        assert_eq!(generated_retrieve(&untimed, &ids[0]).await, expected);
        #[cfg(feature = "validate")]
        assert_eq!(generated_retrieve(&drifting, &ids[0]).await, expected);
        assert_eq!(
            bare_retrieve(&http, &base, &ids[0], Some(DEFAULT_TIMEOUT)).await,
            expected
        );
    });

    paired(
        &runtime,
        "client/sequential_2000 bare_reqwest vs bare_reqwest (calibration: the pairing's own bias and noise)",
        SEQUENTIAL_BLOCKS,
        |range| sequential_bare(&http, &base, &ids[range], None),
        |range| sequential_bare(&http, &base, &ids[range], None),
    );
    paired(
        &runtime,
        "client/sequential_2000 generated vs bare_reqwest",
        SEQUENTIAL_BLOCKS,
        |range| sequential_generated(&client, &ids[range]),
        |range| sequential_bare(&http, &base, &ids[range], None),
    );
    paired(
        &runtime,
        "client/sequential_2000 generated vs bare_reqwest_with_timeout (both 30 s)",
        SEQUENTIAL_BLOCKS,
        |range| sequential_generated(&client, &ids[range]),
        |range| sequential_bare(&http, &base, &ids[range], Some(DEFAULT_TIMEOUT)),
    );
    paired(
        &runtime,
        "client/sequential_2000 generated_no_timeout vs bare_reqwest (neither has one)",
        SEQUENTIAL_BLOCKS,
        |range| sequential_generated(&untimed, &ids[range]),
        |range| sequential_bare(&http, &base, &ids[range], None),
    );
    #[cfg(feature = "validate")]
    paired(
        &runtime,
        "client/sequential_2000 generated_drift vs generated (the drift report's cost, no drift)",
        SEQUENTIAL_BLOCKS,
        |range| sequential_generated(&drifting, &ids[range]),
        |range| sequential_generated(&client, &ids[range]),
    );

    let mut group = c.benchmark_group("client/sequential_2000");
    group.throughput(Throughput::Elements(CALLS as u64));
    group.bench_function("generated", |b| {
        b.to_async(&runtime).iter(|| sequential_generated(&client, &ids));
    });
    group.bench_function("generated_no_timeout", |b| {
        b.to_async(&runtime).iter(|| sequential_generated(&untimed, &ids));
    });
    #[cfg(feature = "validate")]
    group.bench_function("generated_drift", |b| {
        b.to_async(&runtime).iter(|| sequential_generated(&drifting, &ids));
    });
    group.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime).iter(|| sequential_bare(&http, &base, &ids, None));
    });
    group.finish();

    paired(
        &runtime,
        "client/concurrent_16x125 bare_reqwest vs bare_reqwest (calibration)",
        1,
        |_| concurrent_bare(&http, &base, &ids, None),
        |_| concurrent_bare(&http, &base, &ids, None),
    );
    paired(
        &runtime,
        "client/concurrent_16x125 generated vs bare_reqwest",
        1,
        |_| concurrent_generated(&client, &ids),
        |_| concurrent_bare(&http, &base, &ids, None),
    );
    paired(
        &runtime,
        "client/concurrent_16x125 generated vs bare_reqwest_with_timeout (both 30 s)",
        1,
        |_| concurrent_generated(&client, &ids),
        |_| concurrent_bare(&http, &base, &ids, Some(DEFAULT_TIMEOUT)),
    );
    paired(
        &runtime,
        "client/concurrent_16x125 generated_no_timeout vs bare_reqwest (neither has one)",
        1,
        |_| concurrent_generated(&untimed, &ids),
        |_| concurrent_bare(&http, &base, &ids, None),
    );
    #[cfg(feature = "validate")]
    paired(
        &runtime,
        "client/concurrent_16x125 generated_drift vs generated (the drift report's cost, no drift)",
        1,
        |_| concurrent_generated(&drifting, &ids),
        |_| concurrent_generated(&client, &ids),
    );

    let mut group = c.benchmark_group("client/concurrent_16x125");
    group.throughput(Throughput::Elements(CALLS as u64));
    group.bench_function("generated", |b| {
        b.to_async(&runtime).iter(|| concurrent_generated(&client, &ids));
    });
    group.bench_function("bare_reqwest", |b| {
        b.to_async(&runtime).iter(|| concurrent_bare(&http, &base, &ids, None));
    });
    group.finish();
}

/// The variable that selects [`calls_only`] instead of the benchmarks.
const CALLS_ONLY_VARIABLE: &str = "KIMOBY_CLIENT_BENCH_CALLS";

/// Warm-up calls made before the counted ones in [`calls_only`].
const CALLS_ONLY_WARM_UP: usize = 200;

/// How the calls of [`calls_only`] are made.
#[derive(Clone, Copy)]
enum Shape {
    /// One call after the other.
    Sequential,
    /// As [`STREAMS`] concurrent streams.
    Concurrent,
}

impl Shape {
    fn parse(word: &str) -> Self {
        match word {
            "sequential" => Self::Sequential,
            "concurrent_16" => Self::Concurrent,
            other => panic!("{CALLS_ONLY_VARIABLE}: unknown shape `{other}` (sequential or concurrent_16)"),
        }
    }
}

/// Makes [`CALLS_ONLY_WARM_UP`] then `calls` calls on one `side`, in the
/// given `shape`, on a single-threaded runtime, without timing anything: the
/// workload for counting instructions (see the module documentation).
fn calls_only(side: &str, calls: usize, shape: Shape) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let base = serve().await;
        let builder = Client::builder(KEY, SECRET)
            .base_url(&base)
            .allow_insecure_http_for_testing();
        let client = match side {
            "generated_no_timeout" => builder.no_timeout(),
            #[cfg(feature = "validate")]
            "generated_drift" => {
                assert_no_drift();
                builder.report_drift(true)
            }
            #[cfg(not(feature = "validate"))]
            "generated_drift" => panic!("{CALLS_ONLY_VARIABLE}: `generated_drift` needs `--features validate`"),
            _ => builder,
        }
        .build()
        .expect("generated client");
        let http = bare_reqwest();
        let ids = |range: Range<usize>| -> Arc<Vec<String>> {
            Arc::new(range.map(|index| format!("cu{index:032x}")).collect())
        };
        let warm_up = ids(0..CALLS_ONLY_WARM_UP);
        let counted = ids(CALLS_ONLY_WARM_UP..CALLS_ONLY_WARM_UP + calls);
        let timeout = match side {
            "generated" | "generated_no_timeout" | "generated_drift" | "bare_reqwest" => None,
            "bare_reqwest_with_timeout" => Some(DEFAULT_TIMEOUT),
            other => panic!("{CALLS_ONLY_VARIABLE}: unknown side `{other}`"),
        };
        for ids in [warm_up, counted] {
            match (side.starts_with("generated"), shape) {
                (true, Shape::Sequential) => sequential_generated(&client, &ids).await,
                (true, Shape::Concurrent) => concurrent_generated(&client, &ids).await,
                (false, Shape::Sequential) => sequential_bare(&http, &base, &ids, timeout).await,
                (false, Shape::Concurrent) => concurrent_bare(&http, &base, &ids, timeout).await,
            }
        }
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = client_benches
}

/// `criterion_main!`, unless [`CALLS_ONLY_VARIABLE`] asks for [`calls_only`].
fn main() {
    if let Ok(request) = std::env::var(CALLS_ONLY_VARIABLE) {
        let words: Vec<&str> = request.split_whitespace().collect();
        let (side, calls, shape) = match words[..] {
            [side, calls] => (side, calls, "sequential"),
            [side, calls, shape] => (side, calls, shape),
            _ => panic!("{CALLS_ONLY_VARIABLE} must be \"<side> <calls> [<shape>]\", not {request:?}"),
        };
        let calls = calls
            .parse()
            .unwrap_or_else(|_| panic!("{CALLS_ONLY_VARIABLE}: `{calls}` is not a number of calls"));
        calls_only(side, calls, Shape::parse(shape));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
