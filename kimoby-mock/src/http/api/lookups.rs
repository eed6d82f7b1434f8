//! `/appointments` and `/events`. A request on their collection path carrying
//! one of the look-up parameters the manifest gives its method
//! (`x-kimoby-lookup`) is the retrieve, update or delete of one record.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use kimoby_generated::types::{AppointmentRequest, EventRequest};

use crate::contract::Collection;
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::QueryParams;
use crate::domain::store::Lookup;
use crate::http::respond::{PathId, json, no_content};
use crate::state::App;

/// `GET /appointments`: the list (optionally `date_start` with `date_end`), or a look-up.
pub async fn appointments_get(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    if let Some(found) = app.lookups.find(Collection::Appointments, &Method::GET, &query)? {
        return Ok(json(StatusCode::OK, &app.store.lock().find_appointment(&found)?));
    }
    let range = match (query.date("date_start")?, query.date("date_end")?) {
        (Some(start), Some(end)) => Some((start, end)),
        (None, None) => None,
        _ => {
            return Err(ApiError::bad_request(
                "date_start and date_end: both are required if used, they can't be used separately",
            ));
        }
    };
    let page = query.page(app.contract.page_bounds(Collection::Appointments))?;
    Ok(json(StatusCode::OK, &app.store.lock().list_appointments(range, page)))
}

/// `PUT /appointments`: create, or update with a look-up.
pub async fn appointments_put(State(app): State<App>, RawQuery(query): RawQuery, body: Bytes) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    match app.lookups.find(Collection::Appointments, &Method::PUT, &query)? {
        Some(found) => appointment_update_by(&app, &found, &body),
        None => {
            let (request, value) = app
                .schemas
                .typed::<AppointmentRequest>("appointment_request.json", &body)?;
            let appointment = app
                .store
                .lock()
                .create_appointment(request, value.get("custom_attributes"))?;
            Ok(json(StatusCode::CREATED, &appointment))
        }
    }
}

/// `DELETE /appointments?...`.
pub async fn appointments_delete(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let found = app.lookups.require(
        Collection::Appointments,
        &Method::DELETE,
        &QueryParams::parse(query.as_deref()),
    )?;
    app.store.lock().delete_appointment(&found)?;
    Ok(no_content())
}

/// `GET /appointments/{id}`.
pub async fn appointment_retrieve(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    Ok(json(
        StatusCode::OK,
        &app.store.lock().find_appointment(&Lookup::Id(id))?,
    ))
}

/// `PUT /appointments/{id}`.
pub async fn appointment_update(State(app): State<App>, PathId(id): PathId, body: Bytes) -> ApiResult<Response> {
    appointment_update_by(&app, &Lookup::Id(id), &body)
}

/// `DELETE /appointments/{id}`.
pub async fn appointment_delete(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    app.store.lock().delete_appointment(&Lookup::Id(id))?;
    Ok(no_content())
}

fn appointment_update_by(app: &App, found: &Lookup, body: &[u8]) -> ApiResult<Response> {
    app.store.lock().find_appointment(found)?;
    let (request, value) = app
        .schemas
        .typed::<AppointmentRequest>("appointment_request.json", body)?;
    let appointment = app
        .store
        .lock()
        .update_appointment(found, request, value.get("custom_attributes"))?;
    Ok(json(StatusCode::OK, &appointment))
}

/// `GET /events`: the list, or a look-up.
pub async fn events_get(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    if let Some(found) = app.lookups.find(Collection::Events, &Method::GET, &query)? {
        return Ok(json(StatusCode::OK, &app.store.lock().find_event(&found)?));
    }
    let page = query.page(app.contract.page_bounds(Collection::Events))?;
    Ok(json(StatusCode::OK, &app.store.lock().list_events(page)))
}

/// `PUT /events`: create, or update with a look-up.
pub async fn events_put(State(app): State<App>, RawQuery(query): RawQuery, body: Bytes) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    match app.lookups.find(Collection::Events, &Method::PUT, &query)? {
        Some(found) => event_update_by(&app, &found, &body),
        None => {
            let (request, value) = app.schemas.typed::<EventRequest>("event_request.json", &body)?;
            let event = app.store.lock().create_event(request, value.get("custom_attributes"))?;
            Ok(json(StatusCode::CREATED, &event))
        }
    }
}

/// `DELETE /events?...`.
pub async fn events_delete(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let found = app.lookups.require(
        Collection::Events,
        &Method::DELETE,
        &QueryParams::parse(query.as_deref()),
    )?;
    app.store.lock().delete_event(&found)?;
    Ok(no_content())
}

/// `GET /events/{id}`.
pub async fn event_retrieve(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    Ok(json(StatusCode::OK, &app.store.lock().find_event(&Lookup::Id(id))?))
}

/// `PUT /events/{id}`.
pub async fn event_update(State(app): State<App>, PathId(id): PathId, body: Bytes) -> ApiResult<Response> {
    event_update_by(&app, &Lookup::Id(id), &body)
}

/// `DELETE /events/{id}`.
pub async fn event_delete(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    app.store.lock().delete_event(&Lookup::Id(id))?;
    Ok(no_content())
}

fn event_update_by(app: &App, found: &Lookup, body: &[u8]) -> ApiResult<Response> {
    app.store.lock().find_event(found)?;
    let (request, value) = app.schemas.typed::<EventRequest>("event_request.json", body)?;
    let event = app
        .store
        .lock()
        .update_event(found, request, value.get("custom_attributes"))?;
    Ok(json(StatusCode::OK, &event))
}
