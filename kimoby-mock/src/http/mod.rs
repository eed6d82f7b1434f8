//! Layer 4, the HTTP surface: the API under the manifest's base path (`/v1`;
//! every operation of `schemas/openapi.json`, Basic auth, fault injection;
//! `api`) and the control endpoints under [`CONTROL_PREFIX`] (no auth, no
//! faults; [`control`]). Every 4xx carries the documented error body
//! ([`errors`]); in evolution mode, the outermost layer evolves every answer
//! (`evolve`). It reads the layers below (contract, domain, state), and
//! only the server reads it.

mod api;
pub mod auth;
pub mod control;
pub mod errors;
mod evolve;
pub mod respond;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, OriginalUri, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use self::control::CONTROL_PREFIX;
pub use self::respond::DropConnection;
use crate::contract::{Contract, ManifestError, essence, matches};
use crate::domain::error::ApiError;
use crate::state::App;
use crate::state::faults::Action;

/// Checks that the API's base path (`servers[0].url`) leaves the control
/// endpoints' prefix free: an error at `/servers/0/url` otherwise.
pub fn check_base_path(contract: &Contract) -> Result<(), ManifestError> {
    let path = contract.base_path();
    if path == CONTROL_PREFIX || path.starts_with(&format!("{CONTROL_PREFIX}/")) {
        return Err(ManifestError {
            pointer: "/servers/0/url".to_owned(),
            problem: format!("the path `{path}` overlaps the mock's control endpoints ({CONTROL_PREFIX})"),
        });
    }
    Ok(())
}

/// The whole router of a mock server.
pub fn router(app: App) -> Router {
    let api = Router::new()
        .route(
            "/customers",
            get(api::customers::get_collection)
                .put(api::customers::put_collection)
                .delete(api::customers::delete_collection),
        )
        .route(
            "/customers/{id}",
            get(api::customers::retrieve)
                .put(api::customers::update)
                .delete(api::customers::delete),
        )
        .route(
            "/appointments",
            get(api::lookups::appointments_get)
                .put(api::lookups::appointments_put)
                .delete(api::lookups::appointments_delete),
        )
        .route(
            "/appointments/{id}",
            get(api::lookups::appointment_retrieve)
                .put(api::lookups::appointment_update)
                .delete(api::lookups::appointment_delete),
        )
        .route(
            "/events",
            get(api::lookups::events_get)
                .put(api::lookups::events_put)
                .delete(api::lookups::events_delete),
        )
        .route(
            "/events/{id}",
            get(api::lookups::event_retrieve)
                .put(api::lookups::event_update)
                .delete(api::lookups::event_delete),
        )
        .merge(api::messages::routes())
        .merge(api::webhooks::routes())
        .route_layer(middleware::from_fn_with_state(app.clone(), body_media_type))
        .layer(DefaultBodyLimit::max(errors::MAX_BODY_BYTES))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard));
    let control = Router::new().nest(CONTROL_PREFIX, control::routes());
    let routes = match app.contract.base_path() {
        // At the root, unknown paths go to the API's fallback (authenticated).
        "" => api.merge(control),
        base_path => control.nest(base_path, api).fallback(not_found),
    };
    routes
        .with_state(app.clone())
        .layer(middleware::from_fn_with_state(app.clone(), errors::json_client_errors))
        .layer(middleware::from_fn_with_state(app, evolve::evolve_responses))
}

/// Basic auth, then the faults of the run, the queue and the request headers.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    if let Err(error) = auth::check(request.headers(), &app.config.api_key, &app.config.api_secret) {
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
