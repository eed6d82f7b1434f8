//! The quickstart's calls, through the generated client against a running
//! mock: upsert a customer, book an appointment, send a message, list
//! customers with auto-paging, and receive the signed webhooks of the
//! message's life cycle. Shared by the example (`main.rs`) and the mock's
//! tests (evolution mode: the same calls must succeed).

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
use tokio::sync::mpsc;

/// The credentials the example's mock is started with.
pub const API_KEY: &str = "quickstart-key";
/// The secret of [`API_KEY`].
pub const API_SECRET: &str = "quickstart-secret";

/// The webhook events of a message's life cycle: created (`queued`), then
/// updated to `sending`, `sent` and `delivered`.
const LIFE_CYCLE_EVENTS: usize = 4;

/// Any error of the tour.
pub type TourError = Box<dyn std::error::Error + Send + Sync>;

/// What the tour saw.
#[derive(Debug)]
pub struct Tour {
    /// How many customers the auto-paged list gave.
    pub customers_listed: usize,
    /// Every webhook received (signature verified), raw and parsed.
    pub webhooks: Vec<(Bytes, WebhookEvent)>,
}

/// Runs the quickstart's calls against the API at `base_url` (a mock started
/// with [`API_KEY`] and [`API_SECRET`], loopback http webhooks allowed).
pub async fn run(base_url: &str) -> Result<Tour, TourError> {
    // 2. The generated client, pointed at the mock.
    let client = Client::builder(API_KEY, API_SECRET)
        .base_url(base_url)
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

    // 8. The signed webhooks of the message, until it is delivered. A newer
    //    API (the mock's evolution mode) may name statuses this version does
    //    not know, and send events it does not know: the life cycle still
    //    ends after four events of the message.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut webhooks = Vec::new();
    let mut life_cycle = 0;
    loop {
        let (raw, event) = tokio::time::timeout_at(deadline, received.recv())
            .await
            .map_err(|_| "the message's life cycle did not end within 30 s")?
            .ok_or("the webhook receiver stopped")?;
        let done = match &event {
            WebhookEvent::MessageCreated(delivered) | WebhookEvent::MessageUpdated(delivered)
                if delivered.id == message.id =>
            {
                println!(
                    "webhook (signature verified): message {} is {}",
                    delivered.id, delivered.status
                );
                life_cycle += 1;
                delivered.status.as_str() == "delivered" || life_cycle == LIFE_CYCLE_EVENTS
            }
            other => {
                println!("webhook (signature verified): {}", other.event_name());
                false
            }
        };
        webhooks.push((raw, event));
        if done {
            break;
        }
    }
    Ok(Tour {
        customers_listed: count,
        webhooks,
    })
}

#[derive(Clone)]
struct Receiver {
    verifier: WebhookVerifier,
    events: mpsc::Sender<(Bytes, WebhookEvent)>,
}

/// Verifies the signature, parses the event, answers 200 quickly.
async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers.get(SIGNATURE_HEADER).map(|value| value.as_bytes());
    if receiver.verifier.verify(&body, signature).is_err() {
        return StatusCode::UNAUTHORIZED;
    }
    match parse_event(&body) {
        Ok(event) => {
            let _ = receiver.events.send((body, event)).await;
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}
