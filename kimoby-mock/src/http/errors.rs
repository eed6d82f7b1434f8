//! Every 4xx the mock answers carries the documented error body
//! (`error.json`: `{"message": "..."}`, `application/json`), whatever its
//! cause: the handlers answer with [`ApiError`](crate::domain::error::ApiError)
//! already, and [`json_client_errors`] rewrites the rest (an undocumented
//! method on a known path, a body over the size limit, an extractor's
//! rejection) with a message saying what happened. A 405 on an API path gets
//! the `Allow` header of the methods the manifest documents for it.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kimoby_generated::types;

use crate::state::App;

/// At most this much of a plain-text error body is read into the message.
const MAX_TEXT_BYTES: usize = 4 * 1024;

/// The largest request body the API routes read (2 MiB), except
/// `POST /documents`, which takes a file up to
/// [`MAX_DOCUMENT_BYTES`](crate::domain::store::MAX_DOCUMENT_BYTES).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Turns a 4xx answer without a JSON body into one with the documented body;
/// the status and the other headers (`Allow`, `WWW-Authenticate`) stay.
pub async fn json_client_errors(State(app): State<App>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if !response.status().is_client_error() || is_json(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if parts.status == StatusCode::METHOD_NOT_ALLOWED && !parts.headers.contains_key(header::ALLOW) {
        let allowed = path
            .strip_prefix(app.contract.base_path())
            .map(|api_path| app.contract.allowed_methods(api_path))
            .unwrap_or_default();
        let allowed: Vec<&str> = allowed.iter().map(Method::as_str).collect();
        if let Ok(value) = HeaderValue::from_str(&allowed.join(", "))
            && !allowed.is_empty()
        {
            parts.headers.insert(header::ALLOW, value);
        }
    }
    let text = axum::body::to_bytes(body, MAX_TEXT_BYTES)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .unwrap_or_default();
    let message = describe(parts.status, &method, &path, &parts.headers, &text);
    let body = axum::Json(types::ApiError::new(types::ApiErrorRequired { message })).into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, body.into_body())
}

/// Whether the headers announce a JSON body.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| {
            let media_type = media_type.trim().to_ascii_lowercase();
            media_type == "application/json" || media_type.ends_with("+json")
        })
}

/// What happened, from the status, the request and the plain-text body.
fn describe(status: StatusCode, method: &Method, path: &str, headers: &HeaderMap, text: &str) -> String {
    let what = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = headers
                .get(header::ALLOW)
                .and_then(|value| value.to_str().ok())
                .filter(|allowed| !allowed.is_empty());
            match allowed {
                Some(allowed) => format!("method {method} is not allowed on {path} (allowed: {allowed})"),
                None => format!("method {method} is not allowed on {path}"),
            }
        }
        // The body extractor's own text (`Failed to buffer the request
        // body: length limit exceeded`) says nothing a user can act on.
        StatusCode::PAYLOAD_TOO_LARGE => {
            return format!(
                "the request body of {method} {path} is too large: at most {MAX_BODY_BYTES} bytes are accepted"
            );
        }
        StatusCode::NOT_FOUND => format!("no such endpoint: {path}"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            format!("{method} {path}: the request's content type is not accepted here")
        }
        _ => format!(
            "{method} {path}: {}",
            status.canonical_reason().unwrap_or("client error").to_lowercase()
        ),
    };
    if text.is_empty() {
        what
    } else {
        format!("{what}: {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_happened() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ALLOW, HeaderValue::from_static("GET,PUT"));
        assert_eq!(
            describe(
                StatusCode::METHOD_NOT_ALLOWED,
                &Method::PATCH,
                "/v1/customers",
                &headers,
                ""
            ),
            "method PATCH is not allowed on /v1/customers (allowed: GET,PUT)"
        );
        assert_eq!(
            describe(
                StatusCode::PAYLOAD_TOO_LARGE,
                &Method::PUT,
                "/v1/customers",
                &HeaderMap::new(),
                "Failed to buffer the request body: length limit exceeded"
            ),
            "the request body of PUT /v1/customers is too large: at most 2097152 bytes are accepted"
        );
        assert_eq!(
            describe(StatusCode::IM_A_TEAPOT, &Method::GET, "/x", &HeaderMap::new(), ""),
            "GET /x: i'm a teapot"
        );
        let mut json = HeaderMap::new();
        json.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json; charset=utf-8"),
        );
        assert!(is_json(&json));
        json.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&json));
        assert!(!is_json(&HeaderMap::new()));
    }
}
