//! Sending a [`RequestSpec`]: headers, the retry loop, tracing, and turning
//! every response (JSON, empty, HTML, huge, cut short) into a value or an
//! [`Error`] without panicking.

use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::client::Transport;
use super::error::{Error, RequestContext};
use super::request::RequestSpec;
use super::retry::{self, Failure};

/// Error bodies are read up to this size; the rest is dropped.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// `Error::Decode` keeps this much of the raw body.
const DECODE_BODY_LIMIT: usize = 64 * 1024;
/// Server messages in errors are cut to this many characters.
const MESSAGE_LIMIT: usize = 1000;

/// A 2xx response.
struct Success {
    status: u16,
    body: Bytes,
    /// How many times the request was sent, for the error if the body does
    /// not decode.
    attempts: u32,
}

/// A non-2xx response.
struct Refusal {
    status: u16,
    retry_after: Option<std::time::Duration>,
    body: Result<Bytes, ()>,
}

enum AttemptError {
    /// The request failed or the body could not be read in full.
    Http(reqwest::Error),
    /// A 2xx body over the limit.
    TooLarge { status: u16 },
}

impl Transport {
    /// Sends `spec` and decodes the JSON body of the 2xx response as `T`.
    ///
    /// Retries as [`RetryPolicy`](super::RetryPolicy) says. An empty or
    /// non-JSON 2xx body is [`Error::Decode`] with the raw body kept.
    pub async fn execute_json<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<T, Error> {
        let Success { status, body, attempts } = self.send(&spec).await?;
        #[cfg(feature = "validate")]
        if self.inner.report_drift
            && let Some(schema) = spec.response_schema
        {
            let answer = super::drift::Answer {
                operation_id: spec.operation_id,
                method: spec.method.as_str(),
                status,
                schema,
                body: &body,
            };
            super::drift::report(&answer, self.inner.drift_report.as_ref());
        }
        serde_json::from_slice(&body).map_err(|source| Error::Decode {
            request: context(&spec, attempts),
            status,
            body: lossy_prefix(&body, DECODE_BODY_LIMIT),
            source,
        })
    }

    /// Sends `spec` and ignores the body of the 2xx response (deletes).
    pub async fn execute_empty(&self, spec: RequestSpec) -> Result<(), Error> {
        self.send(&spec).await.map(drop)
    }

    async fn send(&self, spec: &RequestSpec) -> Result<Success, Error> {
        let span = tracing::info_span!(
            "kimoby.request",
            operation_id = spec.operation_id,
            method = spec.method.as_str(),
            path = %spec.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.send_in_span(spec, &span).instrument(span.clone()).await
    }

    async fn send_in_span(&self, spec: &RequestSpec, span: &tracing::Span) -> Result<Success, Error> {
        let op = Some(spec.operation_id);
        let query = spec.validate()?;
        let body = spec.body.encode().map_err(|reason| Error::invalid(op, reason))?;
        let url = self.inner.request_url(&spec.path, &query);

        let mut retries = 0;
        loop {
            let attempts = retries + 1;
            span.record("attempt", attempts);
            // The error is built only when the attempt failed: a successful
            // request copies nothing into a `RequestContext`.
            let (failure, error) = match self.attempt(spec, &url, body.as_ref()).await {
                Ok(Ok((status, body))) => {
                    span.record("status", status);
                    return Ok(Success { status, body, attempts });
                }
                Ok(Err(refusal)) => {
                    span.record("status", refusal.status);
                    let failure = Failure::Status {
                        status: refusal.status,
                        retry_after: refusal.retry_after,
                    };
                    (failure, status_error(context(spec, attempts), refusal))
                }
                Err(AttemptError::TooLarge { status }) => {
                    span.record("status", status);
                    return Err(Error::ResponseTooLarge {
                        request: context(spec, attempts),
                        status,
                        limit: self.inner.max_response_bytes,
                    });
                }
                Err(AttemptError::Http(source)) => {
                    let source = source.without_url();
                    let request = context(spec, attempts);
                    if source.is_timeout() {
                        (Failure::Timeout, Error::Timeout { request, source })
                    } else {
                        (Failure::Transport, Error::Transport { request, source })
                    }
                }
            };
            // Only the kind of failure is traced, never the server's message:
            // it comes from the body and may quote what was sent.
            let failure_kind = match failure {
                Failure::Status { status, .. } => format!("HTTP {status}"),
                Failure::Timeout => "timeout".to_owned(),
                Failure::Transport => "connection failed".to_owned(),
            };
            match retry::decide(&self.inner.retry, spec.repeatable, retries, failure) {
                Some(wait) => {
                    tracing::info!(
                        attempt = retries + 1,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        failure = %failure_kind,
                        "retrying Kimoby request"
                    );
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
                None => {
                    tracing::debug!(failure = %failure_kind, "Kimoby request failed");
                    return Err(error);
                }
            }
        }
    }

    /// One attempt: `Ok(Ok((status, body)))` for a 2xx, `Ok(Err(_))` for
    /// any other status.
    async fn attempt(
        &self,
        spec: &RequestSpec,
        url: &url::Url,
        body: Option<&(String, Bytes)>,
    ) -> Result<Result<(u16, Bytes), Refusal>, AttemptError> {
        let inner = &self.inner;
        let mut builder = inner
            .http
            .request(spec.method.to_reqwest(), url.clone())
            .header(AUTHORIZATION, inner.authorization.clone())
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(timeout) = inner.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some((content_type, bytes)) = body {
            builder = builder.header(CONTENT_TYPE, content_type.as_str()).body(bytes.clone());
        }
        let response = builder.send().await.map_err(AttemptError::Http)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return match read_limited(response, inner.max_response_bytes).await {
                Ok((body, false)) => Ok(Ok((status, body))),
                Ok((_, true)) => Err(AttemptError::TooLarge { status }),
                Err(e) => Err(AttemptError::Http(e)),
            };
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
        let body = read_limited(response, ERROR_BODY_LIMIT)
            .await
            .map(|(body, _)| body)
            .map_err(drop);
        Ok(Err(Refusal {
            status,
            retry_after,
            body,
        }))
    }
}

/// Reads at most `limit` bytes; the flag says the body was longer (then the
/// bytes are its first `limit`, or none when `Content-Length` already said
/// so).
///
/// A body that arrives in one chunk, as a small JSON answer usually does, is
/// returned as reqwest's buffer without a copy. A longer one is gathered into
/// a buffer sized from `Content-Length` (at most `limit`), or from the first
/// two chunks when there is none.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<(Bytes, bool), reqwest::Error> {
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Ok((Bytes::new(), true));
    }
    let Some(mut first) = response.chunk().await? else {
        return Ok((Bytes::new(), false));
    };
    if first.len() > limit {
        first.truncate(limit);
        return Ok((first, true));
    }
    let Some(second) = response.chunk().await? else {
        return Ok((first, false));
    };
    let received = first.len() + second.len();
    // `declared` is at most `limit` here; a server may still send more or
    // less than it declared, so it only sizes the buffer.
    let capacity = declared.map_or(received, |len| usize::try_from(len).unwrap_or(limit).max(received));
    let mut buffer = BytesMut::with_capacity(capacity.min(limit));
    for chunk in [first, second] {
        if let Some(kept) = append_within(&mut buffer, &chunk, limit) {
            return Ok((kept, true));
        }
    }
    while let Some(chunk) = response.chunk().await? {
        if let Some(kept) = append_within(&mut buffer, &chunk, limit) {
            return Ok((kept, true));
        }
    }
    Ok((buffer.freeze(), false))
}

/// Appends `chunk` to `buffer` if it fits within `limit` bytes in all and
/// returns `None`; otherwise appends what fits and returns the full buffer.
fn append_within(buffer: &mut BytesMut, chunk: &[u8], limit: usize) -> Option<Bytes> {
    let room = limit - buffer.len();
    if chunk.len() > room {
        buffer.extend_from_slice(&chunk[..room]);
        return Some(std::mem::take(buffer).freeze());
    }
    buffer.extend_from_slice(chunk);
    None
}

/// The [`RequestContext`] of `spec` after `attempts` attempts, for an error.
fn context(spec: &RequestSpec, attempts: u32) -> RequestContext {
    RequestContext::new(spec.operation_id, spec.method, &spec.path, attempts)
}

/// The error for a non-2xx response.
fn status_error(request: RequestContext, refusal: Refusal) -> Error {
    let status = refusal.status;
    let message = match &refusal.body {
        Ok(body) => server_message(body),
        Err(()) => "the response body could not be read".to_owned(),
    };
    match status {
        401 => Error::Unauthorized { request, message },
        404 => Error::NotFound { request, message },
        429 => Error::RateLimited {
            request,
            retry_after: refusal.retry_after,
            message,
        },
        400..=499 => Error::Api {
            request,
            status,
            message,
        },
        500..=599 => Error::Server {
            request,
            status,
            message,
        },
        _ => Error::UnexpectedStatus {
            request,
            status,
            message,
        },
    }
}

/// The `message` of a `{"message": "..."}` body; otherwise a short,
/// printable description of whatever the body is (JSON of another shape,
/// an HTML error page, nothing).
fn server_message(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "(empty body)".to_owned();
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => match map.get("message") {
            Some(serde_json::Value::String(message)) => truncate(message.trim()),
            Some(other) => truncate(&other.to_string()),
            None => truncate(&serde_json::Value::Object(map).to_string()),
        },
        Ok(other) => truncate(&other.to_string()),
        Err(_) => {
            let text = String::from_utf8_lossy(&body[..body.len().min(4 * MESSAGE_LIMIT)]);
            let words: Vec<&str> = text.split_whitespace().collect();
            format!("non-JSON body: {}", truncate(&words.join(" ")))
        }
    }
}

/// At most [`MESSAGE_LIMIT`] characters, control characters replaced.
fn truncate(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MESSAGE_LIMIT)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(MESSAGE_LIMIT).is_some() {
        out.push('…');
    }
    out
}

/// The first `limit` bytes, as UTF-8 with invalid sequences replaced.
fn lossy_prefix(body: &[u8], limit: usize) -> String {
    String::from_utf8_lossy(&body[..body.len().min(limit)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(server_message(br#"{"message":"bad phone"}"#), "bad phone");
        assert_eq!(server_message(b""), "(empty body)");
        assert_eq!(server_message(br#"{"error":1}"#), r#"{"error":1}"#);
        assert_eq!(
            server_message(b"<html>\n<h1>502  Bad Gateway</h1></html>"),
            "non-JSON body: <html> <h1>502 Bad Gateway</h1></html>"
        );
        assert_eq!(server_message(b"\xff\xfe"), "non-JSON body: \u{fffd}\u{fffd}");
        let long = format!(r#"{{"message":"{}"}}"#, "é".repeat(5000));
        assert_eq!(server_message(long.as_bytes()).chars().count(), MESSAGE_LIMIT + 1);
    }
}
