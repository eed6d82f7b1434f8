//! The compiled snapshot client of the `second_api` fixture, an API that
//! shares nothing with Kimoby (a `users` resource, `per_page` 1 to 100 with
//! 30 by default, its page counts under `meta.page_count`, a server at
//! `https://api.second.example/v2`), driven against a local axum server.
//!
//! This is the proof that the manifest alone moves the client: the runtime
//! knows no `users`, no 100 and no `/v2`; they come from the fixture's
//! `openapi.json` through the generated code. Its webhook event,
//! `user_renamed`, reaches the generated `WebhookEvent` the same way, parsed
//! by the hand-written envelope code of `kimoby_generated::webhooks`.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use serde_json::json;

#[allow(unused_imports)]
use kimoby_generated::{clearable, custom_attributes, open_enum, runtime, webhooks};

#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::pedantic)]
#[path = "snapshots/second_api/mod.rs"]
mod second_api;

use second_api::client::{self, Client};
use second_api::types::User;
use second_api::webhook_events::WebhookEvent;

/// How many users the local server holds: three pages of 100.
const USER_COUNT: usize = 250;

/// Every request path and query the server saw, raw.
type Seen = Arc<Mutex<Vec<String>>>;

/// The value of query parameter `name` in `query`.
fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Answers `GET /v2/users` (pages of the `USER_COUNT` users, with the
/// fixture's defaults) and `GET /v2/users/a%2Fb%20c`; anything else is 404.
async fn answer(State(seen): State<Seen>, uri: Uri) -> Response {
    let query = uri.query().unwrap_or_default();
    seen.lock().unwrap().push(uri.to_string());
    match uri.path() {
        "/v2/users" => {
            let number = |name: &str, default: usize| {
                query_value(query, name).map_or(Some(default), |value| value.parse::<usize>().ok())
            };
            let (Some(page), Some(per_page)) = (number("page", 1), number("per_page", 30)) else {
                return StatusCode::BAD_REQUEST.into_response();
            };
            let users: Vec<_> = (0..USER_COUNT)
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|index| json!({"id": format!("u{index}"), "login": format!("user{index}")}))
                .collect();
            let page_count = USER_COUNT.div_ceil(per_page);
            axum::Json(json!({"users": users, "meta": {"page": page, "page_count": page_count}})).into_response()
        }
        "/v2/users/a%2Fb%20c" => axum::Json(json!({"id": "a/b c", "login": "slashed"})).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A client of a local server on 127.0.0.1, and what the server saw.
async fn local_client() -> (Client, Seen) {
    let seen = Seen::default();
    let router = axum::Router::new().fallback(answer).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = Client::builder("key", "secret")
        .base_url(format!("http://{address}/v2"))
        .allow_insecure_http_for_testing()
        .build()
        .unwrap();
    (client, seen)
}

fn seen_requests(seen: &Seen) -> Vec<String> {
    seen.lock().unwrap().clone()
}

#[test]
fn default_base_url_is_the_second_apis_server() {
    assert_eq!(client::DEFAULT_BASE_URL, "https://api.second.example/v2");
    let client = Client::builder("key", "secret").build().unwrap();
    assert_eq!(client.transport().base_url(), "https://api.second.example/v2");
}

#[tokio::test]
async fn list_sends_the_largest_page_size_and_decodes_the_page() {
    let (client, seen) = local_client().await;
    let list = client.users().list().per_page(100).send().await.unwrap();
    assert_eq!(list.users.len(), 100);
    assert_eq!(list.users[0].login, "user0");
    assert_eq!((list.meta.page, list.meta.page_count), (1, 3));
    assert_eq!(seen_requests(&seen), ["/v2/users?per_page=100"]);
}

#[tokio::test]
async fn page_size_over_the_manifests_maximum_is_refused_before_sending() {
    let (client, seen) = local_client().await;
    let error = client.users().list().per_page(101).send().await.unwrap_err();
    match &error {
        runtime::Error::InvalidRequest {
            operation_id,
            reason:
                runtime::InvalidRequestReason::OutOfRange {
                    parameter,
                    value,
                    minimum,
                    maximum,
                },
        } => {
            assert_eq!(*operation_id, Some("listUsers"));
            assert_eq!(
                (*parameter, *value, *minimum, *maximum),
                ("per_page", 101, Some(1), Some(100))
            );
        }
        other => panic!("expected an out-of-range per_page, got {other:?}"),
    }
    assert!(seen_requests(&seen).is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn stream_walks_every_page_with_the_largest_page_size() {
    let (client, seen) = local_client().await;
    let users: Vec<User> = client.users().list().stream().try_collect().await.unwrap();
    let expected: Vec<String> = (0..USER_COUNT).map(|index| format!("u{index}")).collect();
    let ids: Vec<String> = users.into_iter().map(|user| user.id).collect();
    assert_eq!(ids, expected);
    assert_eq!(
        seen_requests(&seen),
        [
            "/v2/users?page=1&per_page=100",
            "/v2/users?page=2&per_page=100",
            "/v2/users?page=3&per_page=100",
        ]
    );
}

#[tokio::test]
async fn retrieve_percent_encodes_the_id_in_the_path() {
    let (client, seen) = local_client().await;
    let user = client.users().retrieve("a/b c").send().await.unwrap();
    assert_eq!((user.id.as_str(), user.login.as_str()), ("a/b c", "slashed"));
    assert_eq!(seen_requests(&seen), ["/v2/users/a%2Fb%20c"]);
}

#[test]
fn the_manifests_webhook_event_is_a_typed_variant_of_the_generated_enum() {
    assert_eq!(WebhookEvent::KNOWN_EVENT_NAMES, ["user_renamed"]);
    let body = br#"{"data": {"id": "u7", "login": "ada"}, "event_name": "user_renamed"}"#;
    let event: WebhookEvent = webhooks::parse_event_as(body).expect("a user_renamed body");
    let WebhookEvent::UserRenamed(user) = &event else {
        panic!("expected `UserRenamed`, got {event:?}");
    };
    assert_eq!((user.id.as_str(), user.login.as_str()), ("u7", "ada"));
    assert_eq!(event.event_name(), WebhookEvent::USER_RENAMED);
    assert_eq!(
        serde_json::to_value(&event).expect("serializes"),
        json!({"event_name": "user_renamed", "data": {"id": "u7", "login": "ada"}})
    );

    let unknown: WebhookEvent =
        webhooks::parse_event_as(br#"{"event_name": "user_deleted", "data": {"id": "u7"}}"#).expect("any event name");
    assert_eq!(
        unknown,
        WebhookEvent::Unknown {
            event_name: "user_deleted".to_owned(),
            data: json!({"id": "u7"})
        }
    );

    let error = webhooks::parse_event_as::<WebhookEvent>(br#"{"event_name": "user_renamed", "data": {"id": "u7"}}"#)
        .expect_err("a user without its login");
    assert!(
        matches!(&error, webhooks::ParseError::InvalidData { event_name: "user_renamed", path, .. } if path == "data"),
        "{error:?}"
    );
    assert!(error.to_string().contains("missing field `login`"), "{error}");
}
