//! The HTTP surface: the API under the manifest's base path (`/v1`; every
//! operation of `schemas/openapi.json`, Basic auth, fault injection) and the
//! control endpoints under `/_mock` (no auth, no faults). Every 4xx carries
//! the documented error body ([`errors`]).

mod customers;
pub mod errors;
mod lookups;
mod messages;
mod webhooks;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::app::App;
use crate::contract::{essence, matches};
use crate::error::{ApiError, ApiResult};
use crate::faults::Action;

/// The prefix of the control endpoints.
pub const CONTROL_PREFIX: &str = "/_mock";

/// Marks a response whose connection must be closed without answering.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The whole router of a mock server.
pub fn router(app: App) -> Router {
    let api = Router::new()
        .route(
            "/customers",
            get(customers::get_collection)
                .put(customers::put_collection)
                .delete(customers::delete_collection),
        )
        .route(
            "/customers/{id}",
            get(customers::retrieve)
                .put(customers::update)
                .delete(customers::delete),
        )
        .route(
            "/appointments",
            get(lookups::appointments_get)
                .put(lookups::appointments_put)
                .delete(lookups::appointments_delete),
        )
        .route(
            "/appointments/{id}",
            get(lookups::appointment_retrieve)
                .put(lookups::appointment_update)
                .delete(lookups::appointment_delete),
        )
        .route(
            "/events",
            get(lookups::events_get)
                .put(lookups::events_put)
                .delete(lookups::events_delete),
        )
        .route(
            "/events/{id}",
            get(lookups::event_retrieve)
                .put(lookups::event_update)
                .delete(lookups::event_delete),
        )
        .merge(messages::routes())
        .merge(webhooks::routes())
        .route_layer(middleware::from_fn_with_state(app.clone(), body_media_type))
        .layer(DefaultBodyLimit::max(errors::MAX_BODY_BYTES))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard));
    let control = Router::new().nest(CONTROL_PREFIX, crate::control::routes());
    let routes = match app.contract.base_path() {
        // At the root, unknown paths go to the API's fallback (authenticated).
        "" => api.merge(control),
        base_path => control.nest(base_path, api).fallback(not_found),
    };
    routes
        .with_state(app.clone())
        .layer(middleware::from_fn_with_state(app.clone(), errors::json_client_errors))
        .layer(middleware::from_fn_with_state(app, crate::evolution::evolve_responses))
}

/// Basic auth, then the faults of the run, the queue and the request headers.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    if let Err(error) = crate::auth::check(request.headers(), &app.config.api_key, &app.config.api_secret) {
        return error.into_response();
    }
    let decision = app.faults.decide(request.headers());
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    match decision.action {
        Action::Proceed => next.run(request).await,
        Action::Fail(error) => error.into_response(),
        Action::Drop => {
            let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
            response.extensions_mut().insert(DropConnection);
            response
        }
    }
}

/// A request body's `Content-Type` must be one of the media types the
/// manifest gives the operation (`requestBody.content`): a 415 otherwise. A
/// request without `Content-Type` is let through (its body is read as the
/// operation's media type).
async fn body_media_type(State(app): State<App>, request: Request, next: Next) -> Response {
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map(|matched| {
            let matched = matched.as_str();
            matched.strip_prefix(app.contract.base_path()).unwrap_or(matched)
        })
        .unwrap_or_default();
    let accepted = app.contract.request_media_types(request.method(), template);
    let sent = request
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| essence(value.to_str().unwrap_or_default()));
    if let (Some(accepted), Some(sent)) = (accepted, sent)
        && !accepted.iter().any(|pattern| matches(pattern, &sent))
    {
        let path = request
            .extensions()
            .get::<OriginalUri>()
            .map_or_else(|| request.uri().path(), |original| original.path());
        return ApiError::UnsupportedMediaType(format!(
            "{} {path}: the body must be {}, not `{sent}`",
            request.method(),
            accepted.join(" or ")
        ))
        .into_response();
    }
    next.run(request).await
}

/// Unknown path: a JSON 404 naming the path as sent (with the base path).
async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no such endpoint: {}", uri.path()))
}

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
