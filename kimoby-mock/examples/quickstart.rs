//! The whole product, offline: starts the mock in-process, then, through the
//! generated client, upserts a customer, books an appointment, sends a message,
//! lists customers with auto-paging, and receives the signed webhooks of the
//! message's life cycle.
//!
//! ```text
//! cargo run -p kimoby-mock --example quickstart
//! ```

use std::pin::pin;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use futures_util::StreamExt as _;
use kimoby_generated::Client;
use kimoby_generated::client::CustomerLookup;
use kimoby_generated::runtime::{Body, Method, RequestSpec};
use kimoby_generated::types::{
    AppointmentRequest, CustomerReference, CustomerRequest, MessageRequest, WebhookWithAuthenticationKey,
};
use kimoby_generated::webhooks::{SIGNATURE_HEADER, WebhookEvent, WebhookKey, WebhookVerifier, parse_event};
use kimoby_mock::{MockConfig, MockServer};
use tokio::sync::mpsc;

const API_KEY: &str = "quickstart-key";
const API_SECRET: &str = "quickstart-secret";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The mock: loopback http webhooks allowed, simulated time 1,000 times faster.
    let server = MockServer::start(
        MockConfig::new(API_KEY, API_SECRET)
            .allow_http_webhooks(true)
            .time_scale(0.001),
    )
    .await?;
    println!("mock Kimoby API at {}", server.base_url());

    // 2. The generated client, pointed at the mock.
    let client = Client::builder(API_KEY, API_SECRET)
        .base_url(server.base_url())
        .allow_insecure_http_for_testing()
        .build()?;

    // 3. A webhook receiver on a free port, registered with the mock. Its URL
    //    is plain http (no certificate offline), which the typed
    //    `WebhookRequest` refuses, so it is registered with a raw request.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let webhook_url = format!("http://{}/kimoby", listener.local_addr()?);
    let webhook: WebhookWithAuthenticationKey = client
        .transport()
        .execute_json(
            RequestSpec::new("createWebhook", Method::Post, "/webhooks")
                .not_repeatable()
                .body(Body::Json(serde_json::json!({ "url": webhook_url }))),
        )
        .await?;
    println!("webhook {} registered for {webhook_url}", webhook.id);
    let (events, mut received) = mpsc::channel(16);
    let receiver = Receiver {
        verifier: WebhookVerifier::new(&webhook_url, WebhookKey::new(webhook.authentication_key)),
        events,
    };
    let app = axum::Router::new()
        .route("/kimoby", axum::routing::post(receive))
        .with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });

    // 4. Upsert a customer: update by reference, create when there is none yet.
    let request = CustomerRequest::new("John Doe")
        .reference("CU000001")
        .cell_phone_number("+14182031234".parse::<kimoby_generated::types::PhoneNumber>()?)
        .city("Quebec");
    let customer = match client
        .customers()
        .update(CustomerLookup::reference("CU000001"), request.clone())
        .send()
        .await
    {
        Ok(customer) => customer,
        Err(error) if error.status() == Some(404) => client.customers().create(request).send().await?,
        Err(error) => return Err(error.into()),
    };
    println!("customer {} ({})", customer.id, customer.name);

    // 5. Book an appointment (it ends an hour later by default).
    let start_at =
        chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0).fixed_offset() + chrono::TimeDelta::days(1);
    let appointment = client
        .appointments()
        .create(AppointmentRequest::new(
            CustomerReference::new().reference("CU000001"),
            start_at,
        ))
        .send()
        .await?;
    println!(
        "appointment {} from {} to {}",
        appointment.id, appointment.start_at, appointment.end_at
    );

    // 6. Send a message: it is queued, then sent and delivered.
    let message = client
        .messages()
        .send(MessageRequest::new(
            "See you tomorrow!".parse::<kimoby_generated::types::MessageRequestBody>()?,
            CustomerReference::new().id(customer.id.clone()),
        ))
        .send()
        .await?;
    println!("message {} {}", message.id, message.status);

    // 7. List every customer with auto-paging (60 customers: two pages of 50).
    for index in 2..=60 {
        client
            .customers()
            .create(CustomerRequest::new(format!("Customer {index}")).reference(format!("CU{index:06}")))
            .send()
            .await?;
    }
    let mut customers = pin!(client.customers().list().stream());
    let mut count = 0;
    while let Some(customer) = customers.next().await {
        customer?;
        count += 1;
    }
    println!("listed {count} customers, page after page");

    // 8. The signed webhooks of the message, until it is delivered.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let event = tokio::time::timeout_at(deadline, received.recv())
            .await
            .map_err(|_| "no `delivered` webhook within 30 s")?
            .ok_or("the webhook receiver stopped")?;
        match event {
            WebhookEvent::MessageCreated(message) | WebhookEvent::MessageUpdated(message) => {
                println!(
                    "webhook (signature verified): message {} is {}",
                    message.id, message.status
                );
                if message.status.as_str() == "delivered" {
                    break;
                }
            }
            other => println!("webhook (signature verified): {}", other.event_name()),
        }
    }

    server.shutdown().await;
    println!("done");
    Ok(())
}

#[derive(Clone)]
struct Receiver {
    verifier: WebhookVerifier,
    events: mpsc::Sender<WebhookEvent>,
}

/// Verifies the signature, parses the event, answers 200 quickly.
async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers.get(SIGNATURE_HEADER).map(|value| value.as_bytes());
    if receiver.verifier.verify(&body, signature).is_err() {
        return StatusCode::UNAUTHORIZED;
    }
    match parse_event(&body) {
        Ok(event) => {
            let _ = receiver.events.send(event).await;
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}
