//! The whole product, offline: starts the mock in-process, then, through the
//! generated client, upserts a customer, books an appointment, sends a message,
//! lists customers with auto-paging, and receives the signed webhooks of the
//! message's life cycle (the calls are in `tour.rs`).
//!
//! ```text
//! cargo run -p kimoby-mock --example quickstart
//! cargo run -p kimoby-mock --example quickstart -- --evolve 1.0 --evolve-seed 7
//! ```
//!
//! With `--evolve RATE` (and `--evolve-seed N`), the mock runs in evolution
//! mode: its answers and webhooks carry what a newer API could send, and the
//! same calls still succeed.

mod tour;

use kimoby_mock::{Evolution, MockConfig, MockServer};

#[tokio::main]
async fn main() -> Result<(), tour::TourError> {
    let mut config = MockConfig::new(tour::API_KEY, tour::API_SECRET)
        .allow_http_webhooks(true)
        .time_scale(0.001);
    if let Some(evolution) = evolution_from_args()? {
        println!("evolution mode: rate {}, seed {}", evolution.rate, evolution.seed);
        config = config.evolution(evolution);
    }
    // 1. The mock: loopback http webhooks allowed, simulated time 1,000 times faster.
    let server = MockServer::start(config).await?;
    println!("mock Kimoby API at {}", server.base_url());
    let tour = tour::run(&server.base_url()).await?;
    println!(
        "{} customers listed, {} signed webhooks received",
        tour.customers_listed,
        tour.webhooks.len()
    );
    server.shutdown().await;
    println!("done");
    Ok(())
}

/// `--evolve RATE` and `--evolve-seed N` from the command line.
fn evolution_from_args() -> Result<Option<Evolution>, tour::TourError> {
    let mut rate = None;
    let mut seed = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--evolve" => {
                rate = Some(
                    value
                        .parse::<f64>()
                        .map_err(|error| format!("--evolve {value}: {error}"))?,
                )
            }
            "--evolve-seed" => {
                seed = value
                    .parse()
                    .map_err(|error| format!("--evolve-seed {value}: {error}"))?
            }
            _ => return Err(format!("unknown argument {arg} (expected --evolve RATE, --evolve-seed N)").into()),
        }
    }
    Ok(rate.map(|rate| Evolution::new(rate).seed(seed)))
}
