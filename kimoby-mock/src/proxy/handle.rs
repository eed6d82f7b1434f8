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

use super::Proxy;
use super::check::{Matched, Request as Checked};
use super::forward::{Outgoing, UpstreamFailure};
use super::report::{DEPARTURES_HEADER, summary_header};

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
            if let Some(matched) = matched {
                let answer_type = content_type(&answer.headers);
                departures.extend(proxy.checker.check_response(
                    matched.operation,
                    answer.status.as_u16(),
                    answer_type.as_deref(),
                    &answer.body,
                ));
            }
            proxy.reporter.record(&departures);
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
