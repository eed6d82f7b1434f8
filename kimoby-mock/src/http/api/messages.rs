//! `/messages`, `/invoices` and `/documents`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use kimoby_generated::types::{InvoiceRequest, MessageRequest};

use crate::contract::Collection;
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::QueryParams;
use crate::domain::store::{InvoiceFilter, MAX_DOCUMENT_BYTES, MessageFilter};
use crate::http::respond::{PathId, json, no_content};
use crate::state::App;

/// The routes of this module.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/messages", post(send_message).get(list_messages))
        .route("/messages/{id}", get(retrieve_message))
        .route("/invoices", get(list_invoices).put(create_invoice))
        .route("/invoices/{id}", get(retrieve_invoice))
        .route(
            "/documents",
            post(upload_document).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .route("/documents/{id}", get(retrieve_document).delete(delete_document))
}

/// `POST /messages`.
async fn send_message(State(app): State<App>, body: Bytes) -> ApiResult<Response> {
    let (request, _) = app.schemas.typed::<MessageRequest>("message_request.json", &body)?;
    let (message, notices) = app.store.lock().send_message(request)?;
    app.dispatch(notices);
    Ok(json(StatusCode::CREATED, &message))
}

/// `GET /messages`.
async fn list_messages(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    let filter = MessageFilter {
        created_at_start: query.date("created_at_start")?,
        created_at_end: query.date("created_at_end")?,
        customer_id: query.get("customer_id").map(str::to_owned),
    };
    let page = query.page(app.contract.page_bounds(Collection::Messages))?;
    Ok(json(StatusCode::OK, &app.store.lock().list_messages(&filter, page)))
}

/// `GET /messages/{id}`.
async fn retrieve_message(State(app): State<App>, id: PathId) -> ApiResult<Response> {
    let id = id.integer("message")?;
    Ok(json(StatusCode::OK, &app.store.lock().find_message(id)?))
}

/// `PUT /invoices`.
async fn create_invoice(State(app): State<App>, body: Bytes) -> ApiResult<Response> {
    let (request, _) = app.schemas.typed::<InvoiceRequest>("invoice_request.json", &body)?;
    let invoice = app.store.lock().create_invoice(request)?;
    Ok(json(StatusCode::CREATED, &invoice))
}

/// `GET /invoices`.
async fn list_invoices(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    let filter = InvoiceFilter {
        created_at_start: query.date("created_at_start")?,
        created_at_end: query.date("created_at_end")?,
        paid_at_start: query.date("paid_at_start")?,
        paid_at_end: query.date("paid_at_end")?,
    };
    let page = query.page(app.contract.page_bounds(Collection::Invoices))?;
    Ok(json(StatusCode::OK, &app.store.lock().list_invoices(&filter, page)))
}

/// `GET /invoices/{id}`.
async fn retrieve_invoice(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    Ok(json(StatusCode::OK, &app.store.lock().find_invoice(&id)?))
}

/// `POST /documents`: the `file` part of a multipart/form-data body.
async fn upload_document(
    State(app): State<App>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let mut multipart = multipart
        .map_err(|_| ApiError::bad_request("the request body must be multipart/form-data with a part named `file`"))?;
    let bad = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::bad_request(format!("file: must be at most {MAX_DOCUMENT_BYTES} bytes"))
        } else {
            ApiError::bad_request(
                "file: the multipart/form-data body could not be read (a part is cut short or malformed)",
            )
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let media_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
        let bytes = field.bytes().await.map_err(bad)?;
        let document = app.store.lock().create_document(name, media_type, bytes.to_vec())?;
        return Ok(json(StatusCode::CREATED, &document));
    }
    Err(ApiError::bad_request(
        "file: is required (a multipart/form-data part named `file`)",
    ))
}

/// `GET /documents/{id}`.
async fn retrieve_document(State(app): State<App>, id: PathId) -> ApiResult<Response> {
    let id = id.integer("document")?;
    Ok(json(StatusCode::OK, &app.store.lock().find_document(id)?.document))
}

/// `DELETE /documents/{id}`.
async fn delete_document(State(app): State<App>, id: PathId) -> ApiResult<Response> {
    let id = id.integer("document")?;
    app.store.lock().delete_document(id)?;
    Ok(no_content())
}
