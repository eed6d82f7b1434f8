//! Helpers shared by the client tests (`client_operations/`,
//! `client_errors.rs`, and the key and secret of `runtime/`): the documented
//! examples of `tests/fixtures/valid/`, and a generated client pointed at a
//! loopback wiremock server with quick retries. Each test crate uses a part
//! of them.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use kimoby_generated::Client;
use kimoby_generated::runtime::RetryPolicy;
use serde::de::DeserializeOwned;
use wiremock::MockServer;

/// The API key every test client sends.
pub const KEY: &str = "test-key";
/// The API secret every test client sends; it must never show in an error.
pub const SECRET: &str = "s3cr3t-v4lue";

/// The text of `tests/fixtures/valid/<name>`.
pub fn text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/valid")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixture decoded as a generated type.
pub fn typed<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&text(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A client of `server` (its `/v1`), over plain HTTP on loopback, with a 5 s
/// timeout and `retries`.
pub fn client_with(server: &MockServer, retries: RetryPolicy) -> Client {
    Client::builder(KEY, SECRET)
        .base_url(format!("{}/v1", server.uri()))
        .allow_insecure_http_for_testing()
        .timeout(Duration::from_secs(5))
        .retry_policy(retries)
        .build()
        .unwrap()
}
