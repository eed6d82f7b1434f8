//! One proxied exchange: read the request (within the size limit), check
//! it, forward it, check the answer, count the departures, and return the
//! answer as it came, with the summary header. A failure of the upstream
//! is a `502` or `504` with a JSON `{"message"}`, and a departure too.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kimoby_generated::departure::{Departure, DepartureKind, Direction};

use super::check::{Matched, Request as Checked};
use super::forward::{Outgoing, UpstreamFailure};
use super::report::{DEPARTURES_HEADER, summary_header};
use super::{CHECKED_BEFORE_ANSWERING_BYTES, CHECKED_ON_THE_RUNTIME_BYTES, Proxy};

/// The fallback handler of the proxy's router: every request goes through it.
pub(super) async fn handle(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let limit = proxy.upstream.max_body_bytes();
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return message(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {limit} bytes, the proxy's limit"),
        );
    };
    let checked = Checked {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
    };
    let request_type = content_type(&parts.headers);
    let matched = proxy.checker.operation(&checked);
    let mut departures = match matched {
        Some(matched) => proxy
            .checker
            .check_request(matched, &checked, request_type.as_deref(), &body),
        None => vec![proxy.checker.unknown_operation(&checked)],
    };
    let outgoing = Outgoing {
        method: &parts.method,
        path: checked.path,
        query: checked.query,
        headers: &parts.headers,
        body,
    };
    match proxy.upstream.forward(outgoing).await {
        Ok(answer) => {
            let answer_type = content_type(&answer.headers);
            let status = answer.status.as_u16();
            let mut body_check = None;
            if let Some(matched) = matched {
                match proxy.checker.check_status(matched.operation, status, &answer.body) {
                    Some(undocumented) => departures.push(undocumented),
                    None if proxy.complete_header || answer.body.len() <= CHECKED_BEFORE_ANSWERING_BYTES => departures
                        .extend(proxy.checker.check_response_body(
                            matched.operation,
                            status,
                            answer_type.as_deref(),
                            &answer.body,
                        )),
                    None => body_check = Some(matched.operation.id.clone()),
                }
            }
            proxy.reporter.record(&departures);
            if let Some(operation_id) = body_check {
                // The body is checked after answering: the client does not
                // wait for it. At most MAX_PENDING_CHECKS wait at a time;
                // past that, this answer waits for a place, so memory stays
                // bounded.
                let permit = Arc::clone(&proxy.pending_checks).acquire_owned().await;
                let (checking, body) = (Arc::clone(&proxy), answer.body.clone());
                let on_the_runtime = body.len() <= CHECKED_ON_THE_RUNTIME_BYTES;
                let check = move || {
                    let _permit = permit;
                    if let Some(operation) = checking.checker.operation_by_id(&operation_id) {
                        let found =
                            checking
                                .checker
                                .check_response_body(operation, status, answer_type.as_deref(), &body);
                        checking.reporter.record(&found);
                    }
                };
                if on_the_runtime {
                    tokio::spawn(async move { check() });
                } else {
                    tokio::task::spawn_blocking(check);
                }
            }
            let mut response = Response::new(Body::from(answer.body));
            *response.status_mut() = answer.status;
            *response.headers_mut() = answer.headers;
            if let Some(summary) = summary_header(&departures) {
                response.headers_mut().insert(DEPARTURES_HEADER, summary);
            }
            response
        }
        Err(failure) => {
            departures.push(failure_departure(&proxy, matched, &checked, &failure));
            proxy.reporter.record(&departures);
            let mut response = message(failure.status(), failure.to_string());
            if let Some(summary) = summary_header(&departures) {
                response.headers_mut().insert(DEPARTURES_HEADER, summary);
            }
            response
        }
    }
}

/// The departure an upstream failure records: what failed, in words that
/// carry no value.
fn failure_departure(
    proxy: &Proxy,
    matched: Option<Matched<'_>>,
    request: &Checked<'_>,
    failure: &UpstreamFailure,
) -> Departure {
    let mut departure = match matched {
        Some(matched) => proxy.checker.departure_of(
            matched.operation,
            Direction::Response,
            None,
            DepartureKind::UpstreamFailure,
        ),
        None => {
            let mut unknown = proxy.checker.unknown_operation(request);
            unknown.direction = Direction::Response;
            unknown.kind = DepartureKind::UpstreamFailure;
            unknown
        }
    };
    departure.detail = Some(
        match failure {
            UpstreamFailure::Timeout(_) => "timeout",
            UpstreamFailure::TooLarge(_) => "body too large",
            UpstreamFailure::Redirect { .. } => "redirect not followed",
            UpstreamFailure::Connection(_) => "connection failed",
        }
        .to_owned(),
    );
    if let UpstreamFailure::Redirect { status, .. } = failure {
        departure.status = Some(*status);
    }
    departure
}

fn content_type(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// A JSON `{"message": ...}` answer of the proxy itself.
fn message(status: StatusCode, message: String) -> Response {
    let mut response = (status, axum::Json(serde_json::json!({ "message": message }))).into_response();
    response
        .headers_mut()
        .insert("x-kimoby-proxy", HeaderValue::from_static("answered-by-proxy"));
    response
}
