//! `/customers`: create, update, retrieve, delete, list; found by id in the
//! path or by exactly one of the look-up parameters of the manifest
//! (`x-kimoby-lookup`) in the query.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use kimoby_generated::types::CustomerRequest;

use crate::contract::Collection;
use crate::domain::error::ApiResult;
use crate::domain::pagination::QueryParams;
use crate::domain::store::Lookup;
use crate::http::respond::{PathId, json, no_content};
use crate::state::App;

const COLLECTION: Collection = Collection::Customers;

const SCHEMA: &str = "customer_request.json";

/// `GET /customers`: the list, or a look-up.
pub async fn get_collection(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    match app.lookups.find(COLLECTION, &Method::GET, &query)? {
        Some(found) => retrieve_by(&app, &found),
        None => {
            let page = query.page(app.contract.page_bounds(COLLECTION))?;
            Ok(json(StatusCode::OK, &app.store.lock().list_customers(page)))
        }
    }
}

/// `PUT /customers`: create, or update with a look-up.
pub async fn put_collection(State(app): State<App>, RawQuery(query): RawQuery, body: Bytes) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    match app.lookups.find(COLLECTION, &Method::PUT, &query)? {
        Some(found) => update_by(&app, &found, &body),
        None => {
            let (request, value) = app.schemas.typed::<CustomerRequest>(SCHEMA, &body)?;
            let customer = app
                .store
                .lock()
                .create_customer(request, value.get("custom_attributes"))?;
            Ok(json(StatusCode::CREATED, &customer))
        }
    }
}

/// `DELETE /customers?...`: a look-up is required.
pub async fn delete_collection(State(app): State<App>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let query = QueryParams::parse(query.as_deref());
    let found = app.lookups.require(COLLECTION, &Method::DELETE, &query)?;
    app.store.lock().delete_customer(&found)?;
    Ok(no_content())
}

/// `GET /customers/{id}`.
pub async fn retrieve(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    retrieve_by(&app, &Lookup::Id(id))
}

/// `PUT /customers/{id}`.
pub async fn update(State(app): State<App>, PathId(id): PathId, body: Bytes) -> ApiResult<Response> {
    update_by(&app, &Lookup::Id(id), &body)
}

/// `DELETE /customers/{id}`.
pub async fn delete(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    app.store.lock().delete_customer(&Lookup::Id(id))?;
    Ok(no_content())
}

fn retrieve_by(app: &App, found: &Lookup) -> ApiResult<Response> {
    let store = app.store.lock();
    let customer = store.find_customer(found)?;
    Ok(json(StatusCode::OK, customer))
}

fn update_by(app: &App, found: &Lookup, body: &[u8]) -> ApiResult<Response> {
    // A missing customer is a 404 even when the body is bad.
    app.store.lock().find_customer(found)?;
    let (request, value) = app.schemas.typed::<CustomerRequest>(SCHEMA, body)?;
    let (customer, notices) = app
        .store
        .lock()
        .update_customer(found, request, value.get("custom_attributes"))?;
    app.dispatch(notices);
    Ok(json(StatusCode::OK, &customer))
}
