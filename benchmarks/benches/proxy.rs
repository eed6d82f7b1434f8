//! The validating proxy's cost: calls through `kimoby-mock proxy` against
//! the same calls straight to the mock, in paired rounds (the two sides
//! alternate, each round starting with the other side, and the ratio is
//! taken round by round), for a small body (one customer) and a large one
//! (a page of 50 customers); then the cost of checking a body, per KB.
//!
//! The mock, the proxy and the client share this process and its runtime,
//! as they would on one machine; the proxy checks every request and answer
//! (validation on, the only mode it has).
//!
//! Run: `cargo bench -p kimoby-benchmarks --bench proxy`
//! (`KIMOBY_PROXY_BENCH_ROUNDS=N` for more or fewer rounds; 30 by default).

use std::time::{Duration, Instant};

use kimoby_generated::departure::Finder;
use kimoby_mock::proxy::{ProxyConfig, ProxyServer};
use kimoby_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

const KEY: &str = "bench-key";
const SECRET: &str = "bench-secret";
/// Calls per side per round.
const CALLS: usize = 40;

async fn call(http: &reqwest::Client, url: &str) -> usize {
    let answer = http
        .get(url)
        .basic_auth(KEY, Some(SECRET))
        .send()
        .await
        .expect("answer");
    assert!(answer.status().is_success(), "{url}: {}", answer.status());
    answer.bytes().await.expect("body").len()
}

async fn batch(http: &reqwest::Client, url: &str) -> Duration {
    let started = Instant::now();
    for _ in 0..CALLS {
        call(http, url).await;
    }
    started.elapsed()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("KIMOBY_PROXY_BENCH_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(30);
    let mock = MockServer::start(MockConfig::new(KEY, SECRET)).await.expect("mock");
    // The default proxy checks an answer's body over 4 KiB just after
    // answering, a smaller one before; the other checks every body before
    // answering, so that its header can name the body's departures too.
    let proxy = ProxyServer::start(ProxyConfig::new(mock.base_url()))
        .await
        .expect("proxy");
    let checking_first = ProxyServer::start(ProxyConfig::new(mock.base_url()).complete_header(true))
        .await
        .expect("proxy");
    // reqwest is built without a default TLS provider in this workspace.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let mut first_id = String::new();
    for index in 0..50 {
        let customer = json!({"name": format!("Customer {index}"), "email": format!("customer{index}@example.com"),
            "city": "Quebec", "reference": format!("CU{index:06}"), "phones": {"home": "(418) 394-1928"},
            "custom_attributes": {"visits": "12", "first_visit_date": "2024-01-15T10:00:00-05:00"}});
        let answer = http
            .put(format!("{}/customers", mock.base_url()))
            .basic_auth(KEY, Some(SECRET))
            .header("content-type", "application/json")
            .body(customer.to_string())
            .send()
            .await
            .expect("create");
        let body: Value = serde_json::from_slice(&answer.bytes().await.expect("body")).expect("JSON");
        if first_id.is_empty() {
            first_id = body["id"].as_str().expect("id").to_owned();
        }
    }
    let cases = [
        ("retrieve one customer", format!("/customers/{first_id}")),
        ("a page of 50 customers", "/customers?per_page=50".to_owned()),
    ];
    println!("proxy bench: {rounds} paired rounds of {CALLS} sequential calls a side");
    for (name, path) in &cases {
        // The calibration pairs the mock with itself: how far from 1 the
        // ratio strays when both sides do the same thing is the noise.
        for (mode, through) in [
            ("calibration (the mock against itself)", mock.base_url()),
            ("default (a body over 4 KiB checked after answering)", proxy.base_url()),
            ("--complete-header", checking_first.base_url()),
        ] {
            let direct_url = format!("{}{path}", mock.base_url());
            let proxied_url = format!("{through}{path}");
            let bytes = call(&http, &direct_url).await;
            // Warm both sides up.
            batch(&http, &direct_url).await;
            batch(&http, &proxied_url).await;
            let (mut ratios, mut direct_times, mut proxied_times) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..rounds {
                let (direct, proxied) = if round % 2 == 0 {
                    let direct = batch(&http, &direct_url).await;
                    (direct, batch(&http, &proxied_url).await)
                } else {
                    let proxied = batch(&http, &proxied_url).await;
                    (batch(&http, &direct_url).await, proxied)
                };
                ratios.push(proxied.as_secs_f64() / direct.as_secs_f64());
                direct_times.push(direct.as_secs_f64() * 1e6 / CALLS as f64);
                proxied_times.push(proxied.as_secs_f64() * 1e6 / CALLS as f64);
            }
            let mut sorted = ratios.clone();
            sorted.sort_by(f64::total_cmp);
            println!(
                "{name} ({bytes} bytes), {mode}: direct {:.0} µs, proxied {:.0} µs a call (medians); paired ratio {:.3} (middle half {:.3} to {:.3})",
                median(&mut direct_times),
                median(&mut proxied_times),
                median(&mut ratios),
                sorted[sorted.len() / 4],
                sorted[sorted.len() * 3 / 4],
            );
        }
    }
    proxy.settled().await;
    checking_first.settled().await;
    assert!(
        proxy.departures().is_empty() && checking_first.departures().is_empty(),
        "the benchmark's traffic is documented"
    );

    // The check of one answer body, per KB: what the proxy adds to a call
    // besides forwarding.
    let finder = Finder::new().expect("schemas");
    let page = call(&http, &format!("{}/customers?per_page=50", mock.base_url())).await;
    let body = http
        .get(format!("{}/customers?per_page=50", mock.base_url()))
        .basic_auth(KEY, Some(SECRET))
        .send()
        .await
        .expect("page")
        .bytes()
        .await
        .expect("body");
    let iterations = 200;
    let kilobytes = page as f64 / 1024.0;
    let started = Instant::now();
    for _ in 0..iterations {
        assert!(finder.accepts_json("customers.json", &body));
    }
    let per_body = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    println!(
        "checking a {page}-byte page as the proxy does (read from its bytes): {per_body:.0} µs, {:.1} µs per KB",
        per_body / kilobytes
    );
    let started = Instant::now();
    for _ in 0..iterations {
        let value: Value = serde_json::from_slice(&body).expect("JSON");
        assert!(finder.departures("customers.json", &value).is_empty());
    }
    let per_body = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    println!(
        "checking it through a parsed Value (the way for a body that departs): {per_body:.0} µs, {:.1} µs per KB",
        per_body / kilobytes
    );
    let started = Instant::now();
    for _ in 0..iterations {
        let value: Value = serde_json::from_slice(&body).expect("JSON");
        std::hint::black_box(&value);
    }
    println!(
        "  of which parsing: {:.0} µs",
        started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations)
    );
    let value: Value = serde_json::from_slice(&body).expect("JSON");
    let started = Instant::now();
    for _ in 0..iterations {
        assert!(finder.is_strictly_valid("customers.json", &value));
    }
    println!(
        "  strict is_valid alone: {:.0} µs",
        started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations)
    );
    proxy.shutdown().await;
    checking_first.shutdown().await;
    mock.shutdown().await;
}
