//! How a mock server runs: credentials, the manifest it serves, simulated
//! time, webhook delivery and the fault injection that applies to every
//! request of the run.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::contract::{Contract, ManifestError};

/// The documented webhook retry schedule: the delay before each attempt after
/// the first (60 s, 10 min, 1 h, 3 h, 6 h), before [`MockConfig::time_scale`].
pub const RETRY_SCHEDULE: [Duration; 5] = [
    Duration::from_secs(60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(3 * 60 * 60),
    Duration::from_secs(6 * 60 * 60),
];

/// Everything a mock server needs to start.
///
/// ```
/// use std::time::Duration;
/// use kimoby_mock::MockConfig;
///
/// let config = MockConfig::new("key", "secret")
///     .allow_http_webhooks(true)
///     .time_scale(0.001)
///     .webhook_timeout(Duration::from_secs(2));
/// assert_eq!(config.api_key, "key");
/// ```
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// The API key: the user name of the Basic credentials.
    pub api_key: String,
    /// The API secret: the password of the Basic credentials.
    pub api_secret: String,
    /// Accept `http://` webhook URLs on loopback hosts (for tests); off by default,
    /// as the API only accepts `https://`.
    pub allow_http_webhooks: bool,
    /// Multiplies every simulated delay: the webhook retry schedule and the
    /// message status steps. `1.0` is real time; `0.001` turns an hour into 3.6 s.
    pub time_scale: f64,
    /// How long a webhook receiver has to answer before the attempt counts as
    /// failed (about 60 s for the real API). Not scaled.
    pub webhook_timeout: Duration,
    /// Simulated time between two status steps of a sent message
    /// (`queued`, `sending`, `sent`, `delivered`), before `time_scale`.
    pub message_step: Duration,
    /// The currency of new invoices (`CAD`).
    pub currency: String,
    /// Faults injected into API requests for the whole run (changeable at run
    /// time through the control endpoints).
    pub faults: FaultConfig,
    /// The manifest (OpenAPI document) whose facts the server follows: base
    /// path, page bounds, look-up parameters (see [`crate::contract`]).
    /// `None`: the one embedded in `kimoby-generated`.
    pub manifest: Option<Arc<Value>>,
    /// Evolution mode: responses and webhook deliveries carry extra fields,
    /// undocumented enum values and `null`s (see [`crate::state::evolution`]).
    /// `None` (or a rate of 0): the documented bodies.
    pub evolution: Option<Evolution>,
}

impl MockConfig {
    /// A configuration with these credentials and the defaults: HTTPS-only
    /// webhooks, real time, 60 s webhook timeout, 1 s message steps, `CAD`, no faults.
    pub fn new(api_key: impl Into<String>, api_secret: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            api_secret: api_secret.into(),
            allow_http_webhooks: false,
            time_scale: 1.0,
            webhook_timeout: Duration::from_secs(60),
            message_step: Duration::from_secs(1),
            currency: "CAD".to_owned(),
            faults: FaultConfig::default(),
            manifest: None,
            evolution: None,
        }
    }

    /// Serves `manifest` (an OpenAPI document like `schemas/openapi.json`)
    /// instead of the embedded one; it is checked when the server starts
    /// ([`StartError::Manifest`](crate::StartError::Manifest)).
    ///
    /// ```
    /// use kimoby_mock::MockConfig;
    ///
    /// let mut manifest: serde_json::Value = serde_json::from_str(kimoby_generated::schemas::manifest())?;
    /// manifest["servers"][0]["url"] = "https://api.example.com/v2".into();
    /// let config = MockConfig::new("key", "secret").with_manifest(manifest);
    /// assert_eq!(config.contract()?.base_path(), "/v2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_manifest(mut self, manifest: Value) -> Self {
        self.manifest = Some(Arc::new(manifest));
        self
    }

    /// The facts of the manifest to serve, checked.
    pub fn contract(&self) -> Result<Contract, ManifestError> {
        match &self.manifest {
            Some(manifest) => Contract::from_manifest(manifest),
            None => Contract::embedded(),
        }
    }

    /// Sets [`allow_http_webhooks`](Self::allow_http_webhooks).
    #[must_use]
    pub fn allow_http_webhooks(mut self, allow: bool) -> Self {
        self.allow_http_webhooks = allow;
        self
    }

    /// Sets [`time_scale`](Self::time_scale).
    #[must_use]
    pub fn time_scale(mut self, scale: f64) -> Self {
        self.time_scale = scale;
        self
    }

    /// Sets [`webhook_timeout`](Self::webhook_timeout).
    #[must_use]
    pub fn webhook_timeout(mut self, timeout: Duration) -> Self {
        self.webhook_timeout = timeout;
        self
    }

    /// Sets [`message_step`](Self::message_step).
    #[must_use]
    pub fn message_step(mut self, step: Duration) -> Self {
        self.message_step = step;
        self
    }

    /// Sets [`faults`](Self::faults).
    #[must_use]
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Sets [`evolution`](Self::evolution): serve what a newer API could send.
    ///
    /// ```
    /// use kimoby_mock::{Evolution, MockConfig};
    ///
    /// let config = MockConfig::new("key", "secret").evolution(Evolution::new(0.2).seed(7));
    /// assert!(config.check().is_ok());
    /// assert!(MockConfig::new("key", "secret").evolution(Evolution::new(2.0)).check().is_err());
    /// ```
    #[must_use]
    pub fn evolution(mut self, evolution: Evolution) -> Self {
        self.evolution = Some(evolution);
        self
    }

    /// Checks the values that would make no sense (a negative time scale, a
    /// probability outside 0..=1).
    pub fn check(&self) -> Result<(), ConfigError> {
        if !self.time_scale.is_finite() || self.time_scale < 0.0 {
            return Err(ConfigError::TimeScale(self.time_scale));
        }
        if let Some(evolution) = &self.evolution {
            evolution.check()?;
        }
        self.faults.check()
    }

    /// A simulated duration in real time, after [`time_scale`](Self::time_scale).
    pub fn scaled(&self, duration: Duration) -> Duration {
        scale(duration, self.time_scale)
    }
}

/// `duration * factor`, saturating instead of panicking on huge values.
pub(crate) fn scale(duration: Duration, factor: f64) -> Duration {
    Duration::try_from_secs_f64(duration.as_secs_f64() * factor).unwrap_or(Duration::MAX)
}

/// Faults applied to API requests (not to the control endpoints).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaultConfig {
    /// At most this many API requests per second; the next ones get
    /// `429` with `Retry-After`. `None`: no limit.
    pub rate_limit_per_second: Option<u32>,
    /// Probability (0 to 1) that a request gets an injected server error.
    pub error_rate: f64,
    /// The status of injected server errors (500, 502, 503 or 504; 503 when unset).
    pub error_status: Option<u16>,
    /// Milliseconds added before every answer.
    pub latency_ms: u64,
    /// Probability (0 to 1) that the connection is closed without an answer.
    pub drop_rate: f64,
}

impl FaultConfig {
    /// Checks probabilities and the error status.
    pub fn check(&self) -> Result<(), ConfigError> {
        for (name, value) in [("error_rate", self.error_rate), ("drop_rate", self.drop_rate)] {
            if !(0.0..=1.0).contains(&value) {
                return Err(ConfigError::Probability { name, value });
            }
        }
        if let Some(status) = self.error_status
            && !matches!(status, 500 | 502 | 503 | 504)
        {
            return Err(ConfigError::ErrorStatus(status));
        }
        if self.rate_limit_per_second == Some(0) {
            return Err(ConfigError::RateLimit);
        }
        Ok(())
    }
}

/// The evolution settings: how often to change, and the seed of the draws.
///
/// ```
/// use kimoby_mock::{Evolution, MockConfig};
///
/// let config = MockConfig::new("key", "secret").evolution(Evolution::new(0.5).seed(42));
/// assert_eq!(config.evolution, Some(Evolution { rate: 0.5, seed: 42 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evolution {
    /// The probability (0 to 1) that each opportunity is taken.
    pub rate: f64,
    /// The seed of the draws (0 unless set).
    pub seed: u64,
}

impl Evolution {
    /// Changes at `rate` (0 to 1), seed 0.
    pub fn new(rate: f64) -> Self {
        Self { rate, seed: 0 }
    }

    /// Sets [`seed`](Self::seed).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks that the rate is a probability.
    pub fn check(&self) -> Result<(), ConfigError> {
        if (0.0..=1.0).contains(&self.rate) {
            Ok(())
        } else {
            Err(ConfigError::Probability {
                name: "the evolution rate",
                value: self.rate,
            })
        }
    }
}

/// A configuration value out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// The time scale is negative or not finite.
    #[error("the time scale must be a finite number >= 0, not {0}")]
    TimeScale(f64),
    /// A probability outside 0..=1.
    #[error("{name} must be between 0 and 1, not {value}")]
    Probability {
        /// Which setting.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// An injected error status that is not 500, 502, 503 or 504.
    #[error("the injected error status must be 500, 502, 503 or 504, not {0}")]
    ErrorStatus(u16),
    /// A rate limit of zero requests per second.
    #[error("the rate limit must be at least 1 request per second")]
    RateLimit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_saturates_and_checks() {
        assert_eq!(scale(Duration::from_secs(60), 0.001), Duration::from_millis(60));
        assert_eq!(scale(Duration::MAX, 2.0), Duration::MAX);
        assert!(MockConfig::new("k", "s").time_scale(-1.0).check().is_err());
        assert!(MockConfig::new("k", "s").time_scale(f64::NAN).check().is_err());
        let faults = FaultConfig {
            error_rate: 1.5,
            ..FaultConfig::default()
        };
        assert!(faults.check().is_err());
        let faults = FaultConfig {
            error_status: Some(404),
            ..FaultConfig::default()
        };
        assert!(faults.check().is_err());
        assert!(MockConfig::new("k", "s").check().is_ok());
    }
}
