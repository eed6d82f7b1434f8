//! The errors the mock answers with: every 4xx (and injected 5xx) carries the
//! documented body `{"message": "..."}` (`kimoby_generated::types::ApiError`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kimoby_generated::types;

/// An API error: a status and the message of its JSON body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 400: a parameter or an attribute is missing or invalid, or breaks a rule.
    #[error("{0}")]
    BadRequest(String),
    /// 401: missing or wrong Basic credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 404: no record matches.
    #[error("{0}")]
    NotFound(String),
    /// 415: the body's content type is not one the operation accepts.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429: rate limit exceeded; retry after this many seconds.
    #[error("API usage limit exceeded, retry in {0} s")]
    TooManyRequests(u64),
    /// An injected server error (500, 502, 503, 504).
    #[error("injected server error {0}")]
    Injected(u16),
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A 400 with this message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(message.into())
    }

    /// A 404 for the `kind` (`customer`) found by `how` (`id cu123`).
    pub fn not_found(kind: &str, how: impl std::fmt::Display) -> Self {
        Self::NotFound(format!("{kind} not found ({how})"))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Injected(status) => StatusCode::from_u16(*status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = types::ApiError::new(types::ApiErrorRequired {
            message: self.to_string(),
        });
        let mut response = (status, Json(body)).into_response();
        match self {
            Self::TooManyRequests(seconds) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            Self::Unauthorized(_) => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"Kimoby API\""),
                );
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_headers() {
        assert_eq!(ApiError::Injected(502).status(), StatusCode::BAD_GATEWAY);
        assert_eq!(ApiError::Injected(42).status(), StatusCode::SERVICE_UNAVAILABLE);
        let response = ApiError::TooManyRequests(1).into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        assert_eq!(
            ApiError::not_found("customer", "id cu1").to_string(),
            "customer not found (id cu1)"
        );
    }
}
