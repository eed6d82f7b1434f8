//! `/webhooks`: HTTPS URLs only (loopback `http://` too when the server
//! allows it, for tests); the `authentication_key` is returned at creation only.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{post, put};
use serde_json::Value;

use crate::domain::error::{ApiError, ApiResult};
use crate::http::respond::{PathId, json, no_content};
use crate::state::App;
use crate::state::validation::parse_json;

const SCHEMA: &str = "webhook_request.json";

/// The routes of this module.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/webhooks", post(create).get(list))
        .route("/webhooks/{id}", put(update).delete(delete))
}

async fn create(State(app): State<App>, body: Bytes) -> ApiResult<Response> {
    let url = checked_url(&app, &body)?;
    let webhook = app.store.lock().create_webhook(url);
    Ok(json(StatusCode::CREATED, &webhook))
}

async fn list(State(app): State<App>) -> ApiResult<Response> {
    Ok(json(StatusCode::OK, &app.store.lock().list_webhooks()))
}

async fn update(State(app): State<App>, PathId(id): PathId, body: Bytes) -> ApiResult<Response> {
    if app.store.lock().webhook_target(&id).is_none() {
        return Err(ApiError::not_found("webhook", format!("id {id}")));
    }
    let url = checked_url(&app, &body)?;
    let webhook = app.store.lock().update_webhook(&id, url)?;
    Ok(json(StatusCode::OK, &webhook))
}

async fn delete(State(app): State<App>, PathId(id): PathId) -> ApiResult<Response> {
    app.store.lock().delete_webhook(&id)?;
    Ok(no_content())
}

/// The `url` of a webhook request, checked against the schema (HTTPS), or,
/// when allowed, an `http://` URL on a loopback host.
fn checked_url(app: &App, body: &[u8]) -> ApiResult<String> {
    let value = parse_json(body)?;
    let loopback_http =
        app.config.allow_http_webhooks && value.get("url").and_then(Value::as_str).is_some_and(is_loopback_http);
    if loopback_http {
        // Checked as the same URL in https, so every other rule still applies.
        let mut as_https = value.clone();
        if let Some(Value::String(url)) = as_https.get_mut("url") {
            *url = url.replacen("http://", "https://", 1);
        }
        app.schemas.check_value(SCHEMA, &as_https)?;
    } else {
        app.schemas.check_value(SCHEMA, &value)?;
    }
    let url = value
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("url: is required"))?;
    let parsed = url::Url::parse(url).map_err(|error| ApiError::bad_request(format!("url: {error}")))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::bad_request("url: has no host"));
    }
    Ok(url.to_owned())
}

/// `http://localhost`, `http://127.x.x.x` or `http://[::1]`, any port and path.
fn is_loopback_http(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    parsed.scheme() == "http"
        && match parsed.host() {
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_http;

    #[test]
    fn loopback_http_only() {
        assert!(is_loopback_http("http://127.0.0.1:8080/hook"));
        assert!(is_loopback_http("http://localhost/hook"));
        assert!(is_loopback_http("http://[::1]:9/"));
        assert!(!is_loopback_http("http://example.com/hook"));
        assert!(!is_loopback_http("https://127.0.0.1/hook"));
        assert!(!is_loopback_http("not a url"));
    }
}
