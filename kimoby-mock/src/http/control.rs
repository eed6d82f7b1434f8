//! The control endpoints, under `/_mock` (no authentication, no faults): what
//! the real API does on its own or through people, simulated on demand.
//!
//! | Method and path | Body | Does |
//! | --- | --- | --- |
//! | `GET /_mock/health` | | `{"status": "ok"}` |
//! | `GET /_mock/state` | | record counts |
//! | `POST /_mock/reset` | | forgets every record and delivery |
//! | `POST /_mock/inbound` | `{"from": "+1418...", "body": "STOP"}` or `{"customer_id": ...}` | a customer texts in |
//! | `POST /_mock/messages/{id}/status` | `{"status": "failed", "error": "..."}` | forces a message status |
//! | `POST /_mock/invoices/{id}/pay` | `{"card": {...}}` (optional) | the customer pays |
//! | `POST /_mock/invoices/{id}/refund` | `{"amount": 500, "refunded_by": "..."}` (optional) | a refund |
//! | `POST /_mock/invoices/{id}/open`, `GET /_mock/pay/{id}` | | the customer opens the invoice |
//! | `GET /_mock/files/{id}` | | a document's content |
//! | `GET`, `PUT`, `DELETE /_mock/faults` | a fault configuration | run-wide faults |
//! | `POST /_mock/faults/next` | `[{"kind": "status", "status": 503}, {"kind": "drop"}]` | faults for the next requests |
//! | `GET /_mock/webhook-deliveries` | | every delivery attempt |

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kimoby_generated::types::MessageStatus;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::domain::error::{ApiError, ApiResult};
use crate::domain::store::{CardInput, InboundMessage, RefundInput};
use crate::http::respond::{PathId, json};
use crate::state::App;
use crate::state::config::FaultConfig;
use crate::state::faults::OneShotFault;
use crate::state::validation::parse_json;

/// The prefix of the control endpoints.
pub const CONTROL_PREFIX: &str = "/_mock";

/// The routes under `/_mock`.
pub fn routes() -> Router<App> {
    Router::new()
        .route(
            "/health",
            get(|| async { json(StatusCode::OK, &json!({"status": "ok"})) }),
        )
        .route("/state", get(state))
        .route("/reset", post(reset))
        .route("/inbound", post(inbound))
        .route("/messages/{id}/status", post(message_status))
        .route("/invoices/{id}/pay", post(pay))
        .route("/invoices/{id}/refund", post(refund))
        .route("/invoices/{id}/open", post(open))
        .route("/pay/{id}", get(open))
        .route("/files/{id}", get(file))
        .route("/faults", get(faults).put(set_faults).delete(clear_faults))
        .route("/faults/next", post(next_faults))
        .route("/webhook-deliveries", get(deliveries))
}

/// Reads a control body: empty means the type's default.
fn body<T: DeserializeOwned + Default>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_value(parse_json(bytes)?).map_err(|error| ApiError::bad_request(error.to_string()))
}

async fn state(State(app): State<App>) -> Response {
    json(StatusCode::OK, &app.store.lock().counts())
}

async fn reset(State(app): State<App>) -> Response {
    app.store.reset();
    app.deliverer.clear();
    app.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn inbound(State(app): State<App>, bytes: Bytes) -> ApiResult<Response> {
    let inbound: InboundMessage =
        serde_json::from_value(parse_json(&bytes)?).map_err(|error| ApiError::bad_request(error.to_string()))?;
    let (message, notices) = app.store.lock().receive_message(inbound)?;
    app.dispatch(notices);
    Ok(json(StatusCode::CREATED, &message))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusInput {
    status: String,
    #[serde(default)]
    error: Option<String>,
}

async fn message_status(State(app): State<App>, id: PathId, bytes: Bytes) -> ApiResult<Response> {
    let id = id.integer("message")?;
    let input: StatusInput = body(&bytes)?;
    let status = MessageStatus::from(input.status.as_str());
    if matches!(status, MessageStatus::Other(_)) {
        return Err(ApiError::bad_request(format!(
            "status: `{}` is not a message status",
            input.status
        )));
    }
    let notices = app.store.lock().set_message_status(id, status, input.error);
    app.dispatch(notices.unwrap_or_default());
    Ok(json(StatusCode::OK, &app.store.lock().find_message(id)?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PayInput {
    card: CardInput,
}

async fn pay(State(app): State<App>, PathId(id): PathId, bytes: Bytes) -> ApiResult<Response> {
    let input: PayInput = body(&bytes)?;
    Ok(json(StatusCode::OK, &app.store.lock().pay_invoice(&id, input.card)?))
}

async fn refund(State(app): State<App>, PathId(id): PathId, bytes: Bytes) -> ApiResult<Response> {
    let input: RefundInput = body(&bytes)?;
    Ok(json(StatusCode::OK, &app.store.lock().refund_invoice(&id, input)?))
}

async fn open(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    Ok(json(StatusCode::OK, &app.store.lock().open_invoice(&id)?))
}

async fn file(State(app): State<App>, id: PathId) -> ApiResult<Response> {
    let record = app.store.lock().find_document(id.integer("document")?)?;
    let media_type = HeaderValue::from_str(&record.document.type_)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, media_type)], record.bytes.to_vec()).into_response())
}

async fn faults(State(app): State<App>) -> Response {
    json(StatusCode::OK, &app.faults.config())
}

async fn set_faults(State(app): State<App>, bytes: Bytes) -> ApiResult<Response> {
    let config: FaultConfig = body(&bytes)?;
    app.faults
        .set_config(config)
        .map_err(|error| ApiError::bad_request(error.to_string()))?;
    Ok(json(StatusCode::OK, &app.faults.config()))
}

async fn clear_faults(State(app): State<App>) -> Response {
    app.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn next_faults(State(app): State<App>, bytes: Bytes) -> ApiResult<Response> {
    let faults: Vec<OneShotFault> = body(&bytes)?;
    app.faults
        .push(faults)
        .map_err(|error| ApiError::bad_request(error.to_string()))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn deliveries(State(app): State<App>) -> Response {
    json(StatusCode::OK, &app.deliverer.attempts())
}
