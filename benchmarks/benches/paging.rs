//! Auto-paging: `client.customers().list().stream()` over 10,000 and then
//! 100,000 customers held by the mock, through the generated client.
//!
//! For each size, one pass checks and prints:
//! - requests: the stream must make exactly `ceil(n / 50)` requests. The mock
//!   exposes no request counter, so the pass goes through a counting proxy in
//!   this process (a small axum app that forwards every request to the mock
//!   and counts `GET /v1/customers`);
//! - memory: the peak of live heap bytes in this process during the pass,
//!   above what was live when it started (a counting global allocator,
//!   `peak_alloc`; the proxy's per-request buffers are included). The mock
//!   runs as a child process (this executable started again, serving
//!   `kimoby_mock::MockServer`), so its own memory,
//!   which holds the `n` customers, is not counted. The same customers
//!   collected into a `Vec` give the baseline (what streaming saves).
//!
//! Then criterion times the whole stream (straight to the mock), 10 samples
//! per size. The mock clones only the 50 customers of each page, so a page
//! costs about the same at any size and a stream grows linearly with `n`.
//! A size whose counted pass took over a minute (a much slower mock or a
//! heavily loaded machine) is reported from that single pass instead of
//! being sampled, which would take over ten minutes.
//!
//! The customers are created through the client first, concurrently, timed
//! only by the printed line, without `reference` or `cell_phone_number`, as
//! in the first measurements so that the figures compare (the mock indexes
//! those values, so giving them costs no scan either).
//!
//! Run: `cargo bench -p kimoby-benchmarks --bench paging`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Method, Request, Response, StatusCode};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group};
use futures_util::StreamExt as _;
use kimoby_benchmarks::MockProcess;
use kimoby_generated::Client;
use kimoby_generated::custom_attributes::CustomAttributesUpdate;
use kimoby_generated::types::{Customer, CustomerRequest, PhonesUpdate, PhonesUpdateHome, PhonesUpdateWork};
use peak_alloc::PeakAlloc;
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

const KEY: &str = "bench-key";
const SECRET: &str = "bench-secret";
const PER_PAGE: u64 = 50;
/// A size whose counted pass took longer is not sampled by criterion.
const MAX_TIMED_PASS: Duration = Duration::from_secs(60);
/// Criterion samples per size.
const SAMPLES: usize = 10;
/// The least time criterion spends sampling one size.
const MIN_MEASUREMENT_TIME: Duration = Duration::from_secs(20);
/// Concurrent requests while creating the customers.
const SEEDERS: usize = 8;

fn client(base_url: &str) -> Client {
    Client::builder(KEY, SECRET)
        .base_url(base_url)
        .allow_insecure_http_for_testing()
        .build()
        .expect("client")
}

fn request(index: u64) -> CustomerRequest {
    CustomerRequest::new(format!("Customer {index}"))
        .email(format!("customer{index}@example.com"))
        .city("Quebec")
        .phones(
            PhonesUpdate::new()
                .home("(418) 394-1928".parse::<PhonesUpdateHome>().expect("phone"))
                .work("+1 (877) 247-9367".parse::<PhonesUpdateWork>().expect("phone")),
        )
        .custom_attributes(
            CustomAttributesUpdate::new()
                .set("vehicle_year", "2012")
                .set("num_of_visits", f64::from(u32::try_from(index % 40).unwrap_or(0)))
                .set("product_names_array", vec!["Premium", "Lite"]),
        )
}

/// Creates customers `from..to` through the client.
async fn seed(client: &Client, from: u64, to: u64) {
    let mut tasks = JoinSet::new();
    for seeder in 0..SEEDERS as u64 {
        let client = client.clone();
        tasks.spawn(async move {
            let mut index = from + seeder;
            while index < to {
                client.customers().create(request(index)).send().await.expect("created");
                index += SEEDERS as u64;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("seeder finished");
    }
}

/// Streams every customer, keeping none; returns how many there were.
async fn stream_all(client: &Client) -> u64 {
    let mut stream = std::pin::pin!(client.customers().list().stream());
    let mut count = 0;
    while let Some(customer) = stream.next().await {
        std::hint::black_box(customer.expect("a customer"));
        count += 1;
    }
    count
}

/// The baseline for memory: every customer collected.
async fn collect_all(client: &Client) -> Vec<Customer> {
    let stream = client.customers().list().stream();
    stream.map(|customer| customer.expect("a customer")).collect().await
}

/// A proxy to the mock that counts `GET /v1/customers`; returns its base URL.
async fn counting_proxy(target: String, count: Arc<AtomicU64>) -> String {
    #[derive(Clone)]
    struct Proxy {
        http: reqwest::Client,
        origin: String,
        count: Arc<AtomicU64>,
    }
    async fn forward(State(proxy): State<Proxy>, request: Request<Body>) -> Response<Body> {
        let uri = request.uri().clone();
        if request.method() == Method::GET && uri.path() == "/v1/customers" {
            proxy.count.fetch_add(1, Ordering::SeqCst);
        }
        let path = uri.path_and_query().map_or("/", |path| path.as_str());
        let mut outgoing = proxy
            .http
            .request(request.method().clone(), format!("{}{path}", proxy.origin));
        for (name, value) in request.headers() {
            if name != axum::http::header::HOST {
                outgoing = outgoing.header(name, value);
            }
        }
        let body: Bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .expect("request body");
        let answer = outgoing.body(body).send().await.expect("the mock answers");
        let mut response = Response::builder().status(answer.status());
        for (name, value) in answer.headers() {
            response = response.header(name, value);
        }
        let body = answer.bytes().await.expect("response body");
        response.body(Body::from(body)).unwrap_or_else(|_| {
            let mut failed = Response::new(Body::empty());
            *failed.status_mut() = StatusCode::BAD_GATEWAY;
            failed
        })
    }
    let origin = target.trim_end_matches("/v1").to_owned();
    let state = Proxy {
        http: reqwest::Client::builder()
            .tls_backend_preconfigured(tls())
            .build()
            .expect("proxy client"),
        origin,
        count,
    };
    let app = axum::Router::new().fallback(forward).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("proxy serves") });
    format!("http://{addr}/v1")
}

/// reqwest is built without a default crypto provider here; unused over `http`.
fn tls() -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

/// Heap bytes allocated while `future` runs, above what was live before it.
fn peak_while<T>(runtime: &Runtime, future: impl Future<Output = T>) -> (T, usize) {
    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let output = runtime.block_on(future);
    (output, ALLOCATOR.peak_usage().saturating_sub(before))
}

/// Streams `n` customers through the counting proxy: checks and prints the
/// request count and the peak heap; returns how long the pass took.
fn counted_pass(runtime: &Runtime, proxied: &Client, count: &AtomicU64, n: u64) -> Duration {
    count.store(0, Ordering::SeqCst);
    let started = Instant::now();
    let (streamed, peak) = peak_while(runtime, stream_all(proxied));
    let elapsed = started.elapsed();
    let requests = count.load(Ordering::SeqCst);
    let expected = n.div_ceil(PER_PAGE);
    println!(
        "paging n={n}: {streamed} customers in {requests} requests (ceil(n/50) = {expected}), \
         peak heap {:.3} MiB above the start, {elapsed:.2?}",
        mib(peak)
    );
    assert_eq!(streamed, n, "every customer is streamed once");
    assert_eq!(requests, expected, "exactly ceil(n/50) requests");
    elapsed
}

/// The memory baseline: the same customers collected into a `Vec` (through
/// the proxy too, like for like).
fn collect_pass(runtime: &Runtime, proxied: &Client, n: u64) {
    let (collected, peak) = peak_while(runtime, collect_all(proxied));
    assert_eq!(collected.len() as u64, n);
    drop(collected);
    println!("paging n={n}: peak heap collecting into a Vec {:.3} MiB", mib(peak));
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn paging_benches(c: &mut Criterion) {
    let runtime = Runtime::new().expect("tokio runtime");
    let mock = MockProcess::start(KEY, SECRET);
    let direct = client(mock.base_url());
    let count = Arc::new(AtomicU64::new(0));
    let proxied = client(&runtime.block_on(counting_proxy(mock.base_url().to_owned(), Arc::clone(&count))));

    let mut group = c.benchmark_group("paging/stream_customers");
    // Flat: every sample runs the same number of whole passes, as criterion advises for iterations this long.
    group.sample_size(SAMPLES).sampling_mode(SamplingMode::Flat);
    let mut seeded = 0;
    for n in [10_000_u64, 100_000] {
        let started = Instant::now();
        runtime.block_on(seed(&direct, seeded, n));
        println!("paging: created customers {seeded}..{n} in {:.1?}", started.elapsed());
        seeded = n;
        let elapsed = counted_pass(&runtime, &proxied, &count, n);
        collect_pass(&runtime, &proxied, n);
        if elapsed > MAX_TIMED_PASS {
            println!("paging n={n}: one pass took {elapsed:.1?}; not timed with criterion (see the module docs)");
            continue;
        }
        // Room for every sample and the warm-up, so criterion need not stretch the time and warn.
        let samples = u32::try_from(SAMPLES).unwrap_or(u32::MAX);
        group.measurement_time(MIN_MEASUREMENT_TIME.max(elapsed * (samples + 2)));
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.to_async(&runtime).iter(|| async {
                assert_eq!(stream_all(&direct).await, n);
            });
        });
    }
    group.finish();
}

criterion_group!(benches, paging_benches);

fn main() {
    // The mock's own process (see `kimoby_benchmarks`) serves and never returns.
    kimoby_benchmarks::serve_if_mock_process();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
