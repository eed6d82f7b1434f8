//! Fault injection for client tests: a rate limit (429 with `Retry-After`),
//! server errors, latency and dropped connections, configured for the whole
//! run ([`FaultConfig`]), queued for the next requests ([`OneShotFault`]), or
//! asked for by one request with headers:
//!
//! - `X-Mock-Fault: 500|502|503|504|429|drop`
//! - `X-Mock-Latency-Ms: <milliseconds>`

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

use crate::domain::error::ApiError;
use crate::state::config::{ConfigError, FaultConfig};

/// The header that asks for a fault on one request.
pub const FAULT_HEADER: &str = "x-mock-fault";
/// The header that asks for latency on one request.
pub const LATENCY_HEADER: &str = "x-mock-latency-ms";
/// The longest latency a request can ask for.
const MAX_LATENCY: Duration = Duration::from_secs(120);

/// A fault for the next API request (queued with `POST /_mock/faults/next`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OneShotFault {
    /// Answer this server error status (500, 502, 503 or 504).
    Status {
        /// The status.
        status: u16,
    },
    /// Answer 429 with `Retry-After: 1`.
    RateLimit,
    /// Close the connection without answering.
    Drop,
    /// Wait this long, then answer normally.
    Latency {
        /// Milliseconds.
        ms: u64,
    },
}

impl OneShotFault {
    /// Checks the status of a `Status` fault.
    pub fn check(&self) -> Result<(), ConfigError> {
        match self {
            Self::Status { status } if !matches!(status, 500 | 502 | 503 | 504) => {
                Err(ConfigError::ErrorStatus(*status))
            }
            _ => Ok(()),
        }
    }
}

/// What to do with one API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Wait this long first.
    pub latency: Duration,
    /// Then do this.
    pub action: Action,
}

/// The outcome of the fault checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Handle the request normally.
    Proceed,
    /// Answer this error instead.
    Fail(ApiError),
    /// Close the connection without an answer.
    Drop,
}

/// The fault settings and rate-limit window of a running server.
#[derive(Debug)]
pub struct Faults(Mutex<FaultState>);

#[derive(Debug)]
struct FaultState {
    config: FaultConfig,
    queue: VecDeque<OneShotFault>,
    window_start: Instant,
    window_count: u32,
}

impl Faults {
    /// Faults with this run-wide configuration.
    pub fn new(config: FaultConfig) -> Self {
        Self(Mutex::new(FaultState {
            config,
            queue: VecDeque::new(),
            window_start: Instant::now(),
            window_count: 0,
        }))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, FaultState> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The run-wide configuration.
    pub fn config(&self) -> FaultConfig {
        self.state().config.clone()
    }

    /// Replaces the run-wide configuration.
    pub fn set_config(&self, config: FaultConfig) -> Result<(), ConfigError> {
        config.check()?;
        self.state().config = config;
        Ok(())
    }

    /// Queues faults for the next API requests, one each.
    pub fn push(&self, faults: Vec<OneShotFault>) -> Result<(), ConfigError> {
        faults.iter().try_for_each(OneShotFault::check)?;
        self.state().queue.extend(faults);
        Ok(())
    }

    /// Clears the configuration and the queue.
    pub fn clear(&self) {
        let mut state = self.state();
        state.config = FaultConfig::default();
        state.queue.clear();
    }

    /// Decides the fate of one API request.
    pub fn decide(&self, headers: &HeaderMap) -> Decision {
        let mut state = self.state();
        let mut latency = Duration::from_millis(state.config.latency_ms);
        if let Some(ms) = header(headers, LATENCY_HEADER).and_then(|value| value.trim().parse::<u64>().ok()) {
            latency = latency.saturating_add(Duration::from_millis(ms));
        }
        // The rate limit counts every request, whatever else happens to it.
        let limited = state.rate_limited();
        let action = if let Some(fault) = state.queue.pop_front() {
            match fault {
                OneShotFault::Status { status } => Action::Fail(ApiError::Injected(status)),
                OneShotFault::RateLimit => Action::Fail(ApiError::TooManyRequests(1)),
                OneShotFault::Drop => Action::Drop,
                OneShotFault::Latency { ms } => {
                    latency = latency.saturating_add(Duration::from_millis(ms));
                    Action::Proceed
                }
            }
        } else {
            match header(headers, FAULT_HEADER).map(str::trim) {
                Some("drop") => Action::Drop,
                Some("429") => Action::Fail(ApiError::TooManyRequests(1)),
                Some(status @ ("500" | "502" | "503" | "504")) => {
                    Action::Fail(ApiError::Injected(status.parse().unwrap_or(503)))
                }
                _ => Action::Proceed,
            }
        };
        let action = match (action, limited) {
            (Action::Proceed, Some(retry_after)) => Action::Fail(ApiError::TooManyRequests(retry_after)),
            (Action::Proceed, None) if state.config.drop_rate > 0.0 && rand::random_bool(state.config.drop_rate) => {
                Action::Drop
            }
            (Action::Proceed, None) if state.config.error_rate > 0.0 && rand::random_bool(state.config.error_rate) => {
                Action::Fail(ApiError::Injected(state.config.error_status.unwrap_or(503)))
            }
            (action, _) => action,
        };
        Decision {
            latency: latency.min(MAX_LATENCY),
            action,
        }
    }
}

impl FaultState {
    /// Counts the request in the current one-second window; `Some(seconds to
    /// wait)` when it is over the limit.
    fn rate_limited(&mut self) -> Option<u64> {
        let limit = self.config.rate_limit_per_second?;
        let elapsed = self.window_start.elapsed();
        if elapsed >= Duration::from_secs(1) {
            self.window_start = Instant::now();
            self.window_count = 0;
        }
        self.window_count = self.window_count.saturating_add(1);
        (self.window_count > limit).then_some(1)
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn queue_then_headers_then_config() {
        let faults = Faults::new(FaultConfig {
            rate_limit_per_second: Some(2),
            ..FaultConfig::default()
        });
        faults.push(vec![OneShotFault::Drop]).unwrap();
        assert!(faults.push(vec![OneShotFault::Status { status: 404 }]).is_err());
        let none = HeaderMap::new();
        assert_eq!(faults.decide(&none).action, Action::Drop);
        assert_eq!(faults.decide(&none).action, Action::Proceed);
        assert_eq!(faults.decide(&none).action, Action::Fail(ApiError::TooManyRequests(1)));
        faults.clear();
        let mut headers = HeaderMap::new();
        headers.insert(FAULT_HEADER, HeaderValue::from_static("502"));
        headers.insert(LATENCY_HEADER, HeaderValue::from_static("15"));
        let decision = faults.decide(&headers);
        assert_eq!(decision.action, Action::Fail(ApiError::Injected(502)));
        assert_eq!(decision.latency, Duration::from_millis(15));
        faults
            .set_config(FaultConfig {
                error_rate: 1.0,
                error_status: Some(500),
                ..FaultConfig::default()
            })
            .unwrap();
        assert_eq!(faults.decide(&none).action, Action::Fail(ApiError::Injected(500)));
    }
}
