//! The TLS configuration handed to reqwest.
//!
//! reqwest is built with `rustls-no-provider` (see the workspace
//! `Cargo.toml`): it links no crypto provider of its own, and would panic at
//! `build()` if none were installed process-wide. Rather than installing one
//! behind the application's back (which makes a later
//! `CryptoProvider::install_default()` of the application fail), the runtime
//! builds a complete `rustls::ClientConfig` and passes it to reqwest:
//!
//! - crypto: the process-wide default provider if the application installed
//!   one, else *ring*;
//! - versions: rustls' safe defaults (TLS 1.2 and 1.3);
//! - certificates: the operating system's verifier
//!   (`rustls-platform-verifier`), as reqwest itself would use;
//! - ALPN: `http/1.1` only (reqwest is built without HTTP/2).

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::BuilderVerifierExt;

/// A rustls client configuration with *ring* and the platform verifier.
pub(crate) fn client_config() -> Result<rustls::ClientConfig, String> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS versions: {e}"))?
        .with_platform_verifier()
        .map_err(|e| format!("TLS certificate verifier: {e}"))?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
