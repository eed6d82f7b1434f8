//! What handlers answer with: a JSON body, an empty one, the connection
//! dropped, and the `{id}` path segment they read.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::error::{ApiError, ApiResult};

/// Marks a response whose connection must be closed without answering.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// A JSON answer with this status.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, axum::Json(body)).into_response()
}

/// The answer of a delete: nothing.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The `{id}` path segment, decoded; a JSON 400 when it is not valid UTF-8.
#[derive(Debug, Clone)]
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| Self(id))
            .map_err(|rejection| ApiError::bad_request(format!("id: {}", rejection.body_text())))
    }
}

impl PathId {
    /// The id as an integer (messages, documents); a 404 otherwise, as no
    /// record can have it.
    pub fn integer(&self, kind: &str) -> ApiResult<i64> {
        self.0
            .trim()
            .parse()
            .map_err(|_| ApiError::not_found(kind, format!("id {}", self.0)))
    }
}
