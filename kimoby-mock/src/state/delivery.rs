//! Webhook delivery for real: each event is POSTed as JSON to every webhook
//! registered when it happened, signed in `X-Kimoby-Signature`
//! (`kimoby_generated::webhooks::sign`), and retried after any status other
//! than 200, or no answer within the timeout, on the documented schedule (as
//! soon as possible, then 60 s, 10 min, 1 h, 3 h, 6 h, times the time scale).
//! `410 Gone` deletes the webhook. Every attempt is logged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use kimoby_generated::webhooks::{SIGNATURE_HEADER, WebhookKey, sign};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::domain::store::{Store, WebhookTarget};
use crate::state::config::{MockConfig, RETRY_SCHEDULE};

/// One attempt to deliver one event to one webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    /// Same for every attempt of one event to one webhook.
    pub delivery_id: u64,
    /// The webhook.
    pub webhook_id: String,
    /// The URL posted to.
    pub url: String,
    /// `message_created`, ...
    pub event_name: String,
    /// 1 to 6.
    pub attempt: u32,
    /// When the attempt started.
    pub started_at: DateTime<Utc>,
    /// The receiver's status, if it answered in time.
    pub status: Option<u16>,
    /// Why there is no status (timeout, connection refused, ...).
    pub error: Option<String>,
    /// Whether the event is delivered (200).
    pub delivered: bool,
}

/// Sends webhook events and remembers every attempt.
#[derive(Debug, Clone)]
pub struct Deliverer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    store: Store,
    schedule: Vec<Duration>,
    log: Mutex<Vec<DeliveryAttempt>>,
    next_id: AtomicU64,
    shutdown: watch::Receiver<bool>,
}

impl Deliverer {
    /// A deliverer for the webhooks of `store`.
    pub fn new(config: &MockConfig, store: Store, shutdown: watch::Receiver<bool>) -> Result<Self, DeliveryError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.webhook_timeout)
            .user_agent(concat!("kimoby-mock/", env!("CARGO_PKG_VERSION")))
            .tls_backend_preconfigured(tls_config()?)
            .build()?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                store,
                schedule: RETRY_SCHEDULE.iter().map(|delay| config.scaled(*delay)).collect(),
                log: Mutex::new(Vec::new()),
                next_id: AtomicU64::new(1),
                shutdown,
            }),
        })
    }

    /// Starts delivering `body` to each target, in the background.
    pub fn deliver(&self, event_name: &'static str, body: Arc<[u8]>, targets: Vec<WebhookTarget>) {
        for target in targets {
            let inner = Arc::clone(&self.inner);
            let body = Arc::clone(&body);
            let delivery_id = inner.next_id.fetch_add(1, Ordering::Relaxed);
            let mut shutdown = inner.shutdown.clone();
            tokio::spawn(async move {
                tokio::select! {
                    () = inner.run(delivery_id, event_name, body, target.id) => {}
                    _ = shutdown.wait_for(|stopped| *stopped) => {}
                }
            });
        }
    }

    /// Every attempt so far, in the order they finished.
    pub fn attempts(&self) -> Vec<DeliveryAttempt> {
        self.inner.log().clone()
    }

    /// Forgets the attempts.
    pub fn clear(&self) {
        self.inner.log().clear();
    }
}

impl Inner {
    fn log(&self) -> std::sync::MutexGuard<'_, Vec<DeliveryAttempt>> {
        self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn run(&self, delivery_id: u64, event_name: &'static str, body: Arc<[u8]>, webhook_id: String) {
        let attempts = u32::try_from(self.schedule.len()).unwrap_or(u32::MAX).saturating_add(1);
        for attempt in 1..=attempts {
            if let Some(delay) = attempt
                .checked_sub(2)
                .and_then(|index| self.schedule.get(index as usize))
            {
                tokio::time::sleep(*delay).await;
            }
            // The webhook may have been deleted, or its URL changed, meanwhile.
            let Some(target) = self.store.lock().webhook_target(&webhook_id) else {
                return;
            };
            let started_at = Utc::now();
            let signature = sign(&target.url, &body, &WebhookKey::new(target.key.as_bytes()));
            let result = self
                .http
                .post(&target.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(SIGNATURE_HEADER, signature)
                .body(body.to_vec())
                .send()
                .await;
            let (status, error) = match result {
                Ok(response) => (Some(response.status().as_u16()), None),
                Err(error) if error.is_timeout() => (None, Some("no answer within the timeout".to_owned())),
                Err(error) => (None, Some(error.to_string())),
            };
            let delivered = status == Some(200);
            self.log().push(DeliveryAttempt {
                delivery_id,
                webhook_id: webhook_id.clone(),
                url: target.url,
                event_name: event_name.to_owned(),
                attempt,
                started_at,
                status,
                error,
                delivered,
            });
            if delivered {
                return;
            }
            if status == Some(410) {
                // Gone: the receiver asks for the webhook to be deleted.
                let _ = self.store.lock().delete_webhook(&webhook_id);
                return;
            }
        }
    }
}

/// rustls with *ring* and the operating system's verifier, as
/// `kimoby-generated`'s client does; without any root if the platform
/// verifier cannot be built (then only `http://` receivers can be reached).
pub(crate) fn tls_config() -> Result<rustls::ClientConfig, rustls::Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions()?;
    let mut config = match builder.clone().with_platform_verifier() {
        Ok(builder) => builder.with_no_client_auth(),
        Err(_) => builder
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The webhook HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// TLS settings.
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
    /// reqwest refused the settings.
    #[error("HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}
