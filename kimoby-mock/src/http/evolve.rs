//! Where evolution meets HTTP: [`evolve_responses`], the outermost layer of
//! the router, evolves the JSON body of every API answer that the manifest
//! gives a schema file (the evolution itself is
//! [`state::evolution`](crate::state::evolution)).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use crate::http::control::CONTROL_PREFIX;
use crate::http::errors::is_json;
use crate::http::respond::json;
use crate::state::App;
use crate::state::evolution::Stream;

/// Evolves the JSON body of an API answer (not of the control endpoints,
/// nor of `HEAD`), when evolution mode is on.
pub(crate) async fn evolve_responses(State(app): State<App>, request: Request, next: Next) -> Response {
    let Some(evolver) = app.evolver.as_deref() else {
        return next.run(request).await;
    };
    if request.method() == Method::HEAD {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let response = next.run(request).await;
    let Some(api_path) = path.strip_prefix(app.contract.base_path()) else {
        return response;
    };
    if path == CONTROL_PREFIX || path.starts_with(&format!("{CONTROL_PREFIX}/")) || !is_json(response.headers()) {
        return response;
    }
    let Some(schema) = app
        .contract
        .response_schema(&method, api_path, query.as_deref(), response.status().as_u16())
    else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let message = format!("evolution mode could not read the response body: {error}");
            return json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &kimoby_generated::types::ApiError::new(kimoby_generated::types::ApiErrorRequired { message }),
            );
        }
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let ordinal = evolver.next_ordinal(Stream::Responses);
    evolver.evolve(&schema.reference, &mut value, Stream::Responses, ordinal);
    match serde_json::to_vec(&value) {
        Ok(evolved) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(evolved))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}
