//! The `kimoby-mock` binary: runs the mock server until Ctrl-C or SIGTERM.
//!
//! ```text
//! cargo run -p kimoby-mock -- --listen 127.0.0.1:4010 --api-key KEY --api-secret SECRET
//! ```
//!
//! It prints `kimoby-mock listening on http://127.0.0.1:4010/v1` on standard
//! output once it accepts requests (with `--listen 127.0.0.1:0`, read the port
//! from that line). `--manifest FILE` serves another OpenAPI manifest than the
//! embedded one (its server path, page bounds and look-up parameters).
//! `--evolve RATE --evolve-seed N` turns on evolution mode (see
//! `kimoby_mock::evolution`).
//!
//! `kimoby-mock proxy --upstream URL [--report FILE]` runs the validating
//! proxy instead (see `kimoby_mock::proxy`); it prints
//! `kimoby-mock proxy listening on http://127.0.0.1:PORT`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use kimoby_mock::proxy::{ProxyConfig, ProxyServer};
use kimoby_mock::{Evolution, FaultConfig, MockConfig, MockServer, StartError};

/// A stateful mock of the Kimoby REST API; `kimoby-mock proxy` runs a
/// validating proxy in front of the real API (or a mock) instead.
#[derive(Debug, Parser)]
#[command(
    name = "kimoby-mock",
    version,
    about,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    mock: Args,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Forward every request to an upstream and check the traffic against the contract.
    Proxy(ProxyArgs),
}

/// The flags of `kimoby-mock proxy`.
#[derive(Debug, clap::Args)]
struct ProxyArgs {
    /// The API root to forward to: https://api.kimoby.com/v1, or http on a loopback host.
    #[arg(long)]
    upstream: String,
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:4011")]
    listen: SocketAddr,
    /// Write the departures seen, one JSON record a line, to this file (rewritten as they change).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Seconds the upstream has to answer in full before the client gets a 504.
    #[arg(long, default_value_t = 30.0)]
    timeout_secs: f64,
    /// The largest body read, in either direction, in bytes.
    #[arg(long, default_value_t = 32 * 1024 * 1024)]
    max_body_bytes: usize,
    /// An OpenAPI manifest (JSON) to check against instead of the embedded schemas/openapi.json.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Check each answer's body before returning it, so that the x-kimoby-departures header lists its
    /// departures too (adds the check's time to every call; the report gets them either way). Without
    /// it, a body over 4 KiB is checked just after the answer leaves.
    #[arg(long)]
    complete_header: bool,
}

/// The flags of the mock.
#[derive(Debug, clap::Args)]
struct Args {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:4010")]
    listen: SocketAddr,
    /// The API key clients authenticate with (Basic user name).
    #[arg(long)]
    api_key: String,
    /// The API secret clients authenticate with (Basic password).
    #[arg(long)]
    api_secret: String,
    /// Accept http:// webhook URLs on loopback hosts (tests); otherwise HTTPS only.
    #[arg(long)]
    allow_http_webhooks: bool,
    /// Multiplies simulated delays (webhook retry schedule, message status steps); 0.001 makes an hour 3.6 s.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Milliseconds a webhook receiver has to answer before the attempt fails.
    #[arg(long, default_value_t = 60_000)]
    webhook_timeout_ms: u64,
    /// Simulated milliseconds between message statuses (queued, sending, sent, delivered).
    #[arg(long, default_value_t = 1_000)]
    message_step_ms: u64,
    /// The currency of new invoices.
    #[arg(long, default_value = "CAD")]
    currency: String,
    /// Allow at most N API requests per second; more get 429 with Retry-After.
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Probability (0 to 1) of an injected server error on an API request.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Status of injected server errors: 500, 502, 503 or 504.
    #[arg(long)]
    error_status: Option<u16>,
    /// Milliseconds of latency added to every API request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Probability (0 to 1) that an API request's connection is dropped without an answer.
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// An OpenAPI manifest (JSON) to serve instead of the embedded schemas/openapi.json: its
    /// server path, page bounds and look-up parameters.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Evolution mode: at this rate (0 to 1, per opportunity), responses and webhook deliveries carry
    /// extra fields, undocumented enum values, nulls for unset optional fields and unknown events.
    #[arg(long, value_name = "RATE")]
    evolve: Option<f64>,
    /// The seed of evolution mode's draws: the same calls give the same bodies.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "evolve")]
    evolve_seed: u64,
}

impl Args {
    /// The configuration the flags ask for; an error message if the manifest
    /// file cannot be read.
    fn config(self) -> Result<MockConfig, String> {
        let mut config = MockConfig::new(self.api_key, self.api_secret)
            .allow_http_webhooks(self.allow_http_webhooks)
            .time_scale(self.time_scale)
            .webhook_timeout(Duration::from_millis(self.webhook_timeout_ms))
            .message_step(Duration::from_millis(self.message_step_ms))
            .faults(FaultConfig {
                rate_limit_per_second: self.rate_limit,
                error_rate: self.error_rate,
                error_status: self.error_status,
                latency_ms: self.latency_ms,
                drop_rate: self.drop_rate,
            });
        config.currency = self.currency;
        if let Some(rate) = self.evolve {
            config = config.evolution(Evolution::new(rate).seed(self.evolve_seed));
        }
        if let Some(path) = self.manifest {
            config = config.with_manifest(read_manifest(&path)?);
        }
        Ok(config)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("kimoby_mock=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Some(Command::Proxy(proxy)) = cli.command {
        return run_proxy(proxy).await;
    }
    let args = cli.mock;
    let listen = args.listen;
    let manifest_path = args.manifest.clone();
    let config = match args.config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("kimoby-mock: {message}");
            return ExitCode::FAILURE;
        }
    };
    let server = match MockServer::bind(listen, config).await {
        Ok(server) => server,
        Err(error) => {
            match (&error, manifest_path) {
                (StartError::Manifest(_), Some(path)) => eprintln!("kimoby-mock: {}: {error}", path.display()),
                _ => eprintln!("kimoby-mock: {error}"),
            }
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "kimoby-mock listening on {}", server.base_url());
    let _ = writeln!(stdout, "control endpoints at {}", server.control_url());
    let _ = stdout.flush();
    wait_for_signal().await;
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// Runs the validating proxy until Ctrl-C or SIGTERM.
async fn run_proxy(args: ProxyArgs) -> ExitCode {
    let mut config = ProxyConfig::new(args.upstream)
        .max_body_bytes(args.max_body_bytes)
        .complete_header(args.complete_header);
    match Duration::try_from_secs_f64(args.timeout_secs) {
        Ok(timeout) if !timeout.is_zero() => config = config.timeout(timeout),
        _ => {
            eprintln!("kimoby-mock proxy: --timeout-secs must be a positive number of seconds");
            return ExitCode::FAILURE;
        }
    }
    if let Some(report) = args.report {
        config = config.report(report);
    }
    if let Some(path) = &args.manifest {
        match read_manifest(path) {
            Ok(manifest) => config = config.with_manifest(manifest),
            Err(message) => {
                eprintln!("kimoby-mock proxy: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    let proxy = match ProxyServer::bind(args.listen, config).await {
        Ok(proxy) => proxy,
        Err(error) => {
            eprintln!("kimoby-mock proxy: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "kimoby-mock proxy listening on {}", proxy.base_url());
    let _ = stdout.flush();
    wait_for_signal().await;
    proxy.shutdown().await;
    ExitCode::SUCCESS
}

/// The manifest at `path`, parsed; an error message naming the file otherwise.
fn read_manifest(path: &std::path::Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the manifest {}: {error}", path.display()))?;
    serde_json::from_str(&text).map_err(|error| format!("the manifest {} is not JSON: {error}", path.display()))
}

/// Ctrl-C, or SIGTERM on Unix.
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
