//! Which failed requests are sent again, and after how long.
//!
//! The rules are documented on [`RetryPolicy`]; [`decide`] applies them to
//! one failed attempt.

use std::time::{Duration, SystemTime};

/// When and how failed requests are retried. On by default.
///
/// # Rules
///
/// A request is sent at most `1 + max_retries` times. After a failed attempt
/// it is sent again only if:
///
/// | failure | `GET`, `PUT`, `DELETE` | `POST`, `PATCH` |
/// | --- | --- | --- |
/// | HTTP 429 (rate limited) | retried | retried |
/// | HTTP 500, 502, 503, 504 | retried | **never** |
/// | timeout | retried | **never** |
/// | connection failure (refused, reset, closed mid-response, TLS) | retried | **never** |
/// | any other status, undecodable body, invalid request | never | never |
///
/// `POST` creates things: it sends an SMS, uploads a document, creates a
/// webhook. Once the server may have received it, sending it again could do
/// it twice, so a `POST` is never repeated after a 5xx, a timeout or a broken
/// connection, even one that failed before any byte was sent (the runtime
/// does not try to tell those apart).
///
/// Kimoby also creates with `PUT` (customers, appointments, events,
/// invoices). Those operations are marked `x-kimoby-repeatable: false` in the
/// manifest, and the generated client sends them
/// [not repeatable](super::RequestSpec::not_repeatable): they follow the
/// `POST` column, so an invoice is never created twice. Updates and deletes
/// by `PUT`/`DELETE` are safe to repeat and follow the first column. A 429 is different: the server
/// explicitly refused the request without acting on it, so it is safe to
/// send again, for every method.
///
/// # Waiting
///
/// - A response with `Retry-After` (429, or a 5xx that carries one) is
///   retried after the delay it gives, in seconds or as an HTTP date. A
///   delay longer than [`with_max_retry_after`](Self::with_max_retry_after) is not
///   waited for: the error is returned at once (as
///   [`Error::RateLimited`](super::Error::RateLimited) with its
///   `retry_after`, for a 429) so that the caller can schedule the call.
/// - Otherwise the n-th retry waits `initial_backoff × 2^(n-1)`, capped at
///   `max_backoff`; with jitter on (the default) a random duration between
///   half of it and all of it, so that many clients do not retry in step.
///
/// ```
/// use std::time::Duration;
/// use kimoby_generated::runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_initial_backoff(Duration::from_millis(200))
///     .with_max_backoff(Duration::from_secs(5));
/// assert_eq!(policy.backoff(3), Duration::from_millis(800));
/// assert_eq!(RetryPolicy::none().max_retries(), 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, backoff from 500 ms up to 10 s with jitter, `Retry-After`
    /// honoured up to 60 s.
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            jitter: true,
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every request is sent once.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times a request may be sent again after the first attempt.
    #[must_use]
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The wait before the first retry, doubled for each further one.
    #[must_use]
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// The longest wait between two attempts without `Retry-After`.
    #[must_use]
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Turns jitter (randomised waits) on or off.
    #[must_use]
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The longest `Retry-After` that is waited for; a longer one ends the
    /// retries.
    #[must_use]
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// See [`with_max_retries`](Self::with_max_retries).
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// See [`with_initial_backoff`](Self::with_initial_backoff).
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// See [`with_max_backoff`](Self::with_max_backoff).
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// See [`with_jitter`](Self::with_jitter).
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// See [`with_max_retry_after`](Self::with_max_retry_after).
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait before retry number `retry` (1 for the first), without
    /// jitter: `initial_backoff × 2^(retry-1)`, capped at `max_backoff`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }

    fn jittered_backoff(&self, retry: u32) -> Duration {
        let full = self.backoff(retry);
        if !self.jitter || full.is_zero() {
            return full;
        }
        let nanos = u64::try_from(full.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::random_range(nanos / 2..=nanos))
    }
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Failure {
    /// A response with this status and, maybe, a parsed `Retry-After`.
    Status { status: u16, retry_after: Option<Duration> },
    /// No response in time.
    Timeout,
    /// The connection failed or broke.
    Transport,
}

/// How long to wait before sending again, or `None` to give up.
/// `retries_done` is how many retries were already made.
pub(crate) fn decide(policy: &RetryPolicy, repeatable: bool, retries_done: u32, failure: Failure) -> Option<Duration> {
    if retries_done >= policy.max_retries {
        return None;
    }
    let retry = retries_done + 1;
    match failure {
        Failure::Status {
            status: 429,
            retry_after,
        } => wait_for(policy, retry, retry_after),
        Failure::Status {
            status: 500 | 502 | 503 | 504,
            retry_after,
        } if repeatable => wait_for(policy, retry, retry_after),
        Failure::Timeout | Failure::Transport if repeatable => Some(policy.jittered_backoff(retry)),
        _ => None,
    }
}

fn wait_for(policy: &RetryPolicy, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
    match retry_after {
        Some(wait) if wait > policy.max_retry_after => None,
        Some(wait) => Some(wait),
        None => Some(policy.jittered_backoff(retry)),
    }
}

/// Parses `Retry-After`: delay-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, relative to `now`; a past date is 0).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::super::method::Method;
    use super::*;

    fn quick() -> RetryPolicy {
        RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(250))
            .with_jitter(false)
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = quick();
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(3), Duration::from_millis(250));
        assert_eq!(p.backoff(u32::MAX), Duration::from_millis(250));
    }

    #[test]
    fn jitter_stays_between_half_and_full() {
        let p = quick().with_jitter(true);
        for _ in 0..100 {
            let d = p.jittered_backoff(2);
            assert!(d >= Duration::from_millis(100) && d <= Duration::from_millis(200));
        }
    }

    #[test]
    fn post_only_retried_on_429() {
        let p = quick();
        let s = |status| Failure::Status {
            status,
            retry_after: None,
        };
        assert!(decide(&p, Method::Post.is_idempotent(), 0, s(503)).is_none());
        assert!(decide(&p, Method::Post.is_idempotent(), 0, Failure::Timeout).is_none());
        assert!(decide(&p, Method::Post.is_idempotent(), 0, Failure::Transport).is_none());
        assert!(decide(&p, Method::Patch.is_idempotent(), 0, s(500)).is_none());
        assert!(decide(&p, Method::Post.is_idempotent(), 0, s(429)).is_some());
        for m in [Method::Get, Method::Put, Method::Delete] {
            for f in [
                s(500),
                s(502),
                s(503),
                s(504),
                s(429),
                Failure::Timeout,
                Failure::Transport,
            ] {
                assert!(decide(&p, m.is_idempotent(), 0, f).is_some(), "{m} {f:?}");
            }
            for f in [s(400), s(401), s(404), s(501), s(200)] {
                assert!(decide(&p, m.is_idempotent(), 0, f).is_none(), "{m} {f:?}");
            }
        }
        assert!(decide(&p, Method::Get.is_idempotent(), 3, s(503)).is_none());
        // A PUT that creates (not repeatable) follows the POST rules.
        assert!(decide(&p, false, 0, s(503)).is_none());
        assert!(decide(&p, false, 0, Failure::Timeout).is_none());
        assert!(decide(&p, false, 0, s(429)).is_some());
        assert!(decide(&RetryPolicy::none(), Method::Get.is_idempotent(), 0, s(503)).is_none());
    }

    #[test]
    fn retry_after_honoured_and_capped() {
        let p = quick().with_max_retry_after(Duration::from_secs(5));
        let f = |secs| Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            decide(&p, Method::Post.is_idempotent(), 0, f(2)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(decide(&p, Method::Get.is_idempotent(), 0, f(6)), None);
    }

    #[test]
    fn parses_retry_after() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}
