//! Where evolution meets the server: [`evolve_responses`], the outermost
//! layer of the router, evolves the JSON body of every API answer that the
//! manifest gives a schema file; [`evolve_webhook`] evolves a webhook event
//! before it is delivered and may add an event of an unknown name.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Value, json};

use super::{Evolver, Stream, UNKNOWN_EVENT_NAME};
use crate::app::App;
use crate::contract::Contract;
use crate::routes::errors::is_json;
use crate::routes::{CONTROL_PREFIX, json};

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

/// The bodies to deliver for the webhook event `event_name` with `body`:
/// the event evolved, then maybe an event of the unknown name
/// [`UNKNOWN_EVENT_NAME`] with the same `data`. A body the manifest gives
/// no schema, or that is not JSON, is delivered as it is.
pub(crate) fn evolve_webhook(
    evolver: &Evolver,
    contract: &Contract,
    event_name: &'static str,
    body: Arc<[u8]>,
) -> Vec<(&'static str, Arc<[u8]>)> {
    let Some(schema) = contract.webhook_schema(event_name) else {
        return vec![(event_name, body)];
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
        return vec![(event_name, body)];
    };
    let ordinal = evolver.next_ordinal(Stream::Webhooks);
    evolver.evolve(&schema.reference, &mut value, Stream::Webhooks, ordinal);
    let Ok(evolved) = serde_json::to_vec(&value) else {
        return vec![(event_name, body)];
    };
    let mut bodies = vec![(event_name, Arc::from(evolved))];
    if evolver.adds_unknown_event(Stream::Webhooks, ordinal) && contract.webhook_schema(UNKNOWN_EVENT_NAME).is_none() {
        let unknown =
            json!({"event_name": UNKNOWN_EVENT_NAME, "data": value.get("data").cloned().unwrap_or(Value::Null)});
        if let Ok(unknown) = serde_json::to_vec(&unknown) {
            bodies.push((UNKNOWN_EVENT_NAME, Arc::from(unknown)));
        }
    }
    bodies
}
