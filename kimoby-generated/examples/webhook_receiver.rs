//! A Kimoby webhook receiver with axum: verifies the signature, parses the
//! event, answers at once and hands the event to a worker task.
//!
//! ```text
//! KIMOBY_WEBHOOK_URL=https://your.app.com/webhook/path \
//! KIMOBY_WEBHOOK_KEY=<authentication_key from "Create a Webhook"> \
//! cargo run -p kimoby-generated --example webhook_receiver
//! ```
//!
//! `KIMOBY_WEBHOOK_URL` is the URL registered with Kimoby, exactly (the
//! signature covers it); the server listens on `KIMOBY_WEBHOOK_ADDR`
//! (default `127.0.0.1:3000`) at that URL's path, behind your TLS proxy.
//!
//! Responses: `401` bad or missing signature, `400` body that does not parse,
//! `200` otherwise, unknown events included; `503` when the worker is
//! backed up, so that Kimoby retries later.

use std::process::ExitCode;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use kimoby_generated::webhooks::{SIGNATURE_HEADER, WebhookEvent, WebhookKey, WebhookVerifier, parse_event};
use tokio::sync::mpsc;

struct Receiver {
    verifier: WebhookVerifier,
    events: mpsc::Sender<WebhookEvent>,
}

async fn receive(State(receiver): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    // 1. The signature, on the raw bytes, before anything else.
    let signature = headers.get(SIGNATURE_HEADER).map(|value| value.as_bytes());
    if let Err(error) = receiver.verifier.verify(&body, signature) {
        eprintln!("rejected webhook: {error}");
        return StatusCode::UNAUTHORIZED;
    }
    // 2. The event. Unknown event names parse (as `WebhookEvent::Unknown`).
    let event = match parse_event(&body) {
        Ok(event) => event,
        Err(error) => {
            eprintln!("unparseable webhook: {error}");
            return StatusCode::BAD_REQUEST;
        }
    };
    // 3. Answer now; the work happens in the worker. Kimoby retries on any
    //    status but 200 or after about 60 seconds.
    match receiver.events.try_send(event) {
        Ok(()) => StatusCode::OK,
        Err(mpsc::error::TrySendError::Full(_)) => StatusCode::SERVICE_UNAVAILABLE,
        Err(mpsc::error::TrySendError::Closed(_)) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Where the application's real work goes.
async fn work(mut events: mpsc::Receiver<WebhookEvent>) {
    while let Some(event) = events.recv().await {
        match event {
            WebhookEvent::MessageCreated(message) => println!("message created: {message:?}"),
            WebhookEvent::MessageUpdated(message) => println!("message updated: {message:?}"),
            WebhookEvent::CustomerUnsubscribed(customer) => {
                println!("customer unsubscribed: {customer:?}");
            }
            WebhookEvent::CustomerResubscribed(customer) => {
                println!("customer resubscribed: {customer:?}");
            }
            other => println!("ignored event {}", other.event_name()),
        }
    }
}

/// The path part of the registered URL, which the route must match.
fn path_of(url: &str) -> Option<&str> {
    let after_scheme = url.split_once("://")?.1;
    let path = &after_scheme[after_scheme.find('/')?..];
    path.split(['?', '#']).next()
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(url) = std::env::var("KIMOBY_WEBHOOK_URL") else {
        eprintln!("set KIMOBY_WEBHOOK_URL to the webhook URL registered with Kimoby");
        return ExitCode::FAILURE;
    };
    // The key itself is never printed, not even in this error.
    let key = match std::env::var_os("KIMOBY_WEBHOOK_KEY") {
        Some(key) if !key.is_empty() => WebhookKey::new(key.into_encoded_bytes()),
        _ => {
            eprintln!("set KIMOBY_WEBHOOK_KEY to the webhook's authentication_key");
            return ExitCode::FAILURE;
        }
    };
    let Some(path) = path_of(&url).map(str::to_owned) else {
        eprintln!("KIMOBY_WEBHOOK_URL has no path: {url}");
        return ExitCode::FAILURE;
    };
    let addr = std::env::var("KIMOBY_WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());

    let (events, queue) = mpsc::channel(1024);
    tokio::spawn(work(queue));
    let receiver = Arc::new(Receiver {
        verifier: WebhookVerifier::new(url, key),
        events,
    });
    // Braces are route syntax in axum: escape literal ones.
    let route = path.replace('{', "{{").replace('}', "}}");
    let app = Router::new().route(&route, post(receive)).with_state(receiver);

    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("receiving Kimoby webhooks on http://{addr}{path}");
    if let Err(error) = axum::serve(listener, app).await {
        eprintln!("server error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
