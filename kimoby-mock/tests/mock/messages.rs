//! Messages: the status life cycle with its signed webhooks, who can be
//! texted, attachments, filters.

use kimoby_generated::types::WebhookEvent;
use kimoby_generated::webhooks::{WebhookKey, WebhookVerifier, parse_event};
use serde_json::json;

use crate::common::{Mock, Receiver, assert_schema, eventually};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_message_moves_to_delivered_with_signed_webhooks() {
    let mock = Mock::start().await;
    let receiver = Receiver::start().await;
    let (_, key) = mock.webhook(&receiver.url).await;
    mock.customer("CU1", "+14182031234").await;

    let (status, message) = mock
        .post(
            "/messages",
            json!({"customer": {"reference": "CU1"}, "body": "Test message"}),
        )
        .await;
    assert_eq!(status, 201, "{message}");
    assert_schema("message.json", &message);
    assert_eq!(
        (
            message["status"].as_str(),
            message["direction"].as_str(),
            message["element_type"].as_str()
        ),
        (Some("queued"), Some("outgoing"), Some("sent_message"))
    );
    let id = message["id"].as_i64().expect("an integer id");

    let delivered = eventually("delivered", || async {
        let (_, found) = mock.get(&format!("/messages/{id}")).await;
        (found["status"] == "delivered").then_some(found)
    })
    .await;
    assert_schema("message.json", &delivered);

    let verifier = WebhookVerifier::new(&receiver.url, WebhookKey::new(key));
    let received = receiver.wait_for(4).await;
    let mut statuses = Vec::new();
    for request in &received {
        verifier
            .verify(&request.body, request.signature.as_deref().map(str::as_bytes))
            .expect("signed with the webhook's key");
        assert_schema("webhook_event.json", &request.json());
        match parse_event(&request.body).expect("a webhook event") {
            WebhookEvent::MessageCreated(message) => statuses.push(format!("created:{}", message.status)),
            WebhookEvent::MessageUpdated(message) => statuses.push(format!("updated:{}", message.status)),
            other => panic!("unexpected {other:?}"),
        }
    }
    statuses.sort();
    assert_eq!(
        statuses,
        ["created:queued", "updated:delivered", "updated:sending", "updated:sent"]
    );
    mock.server.shutdown().await;
}

#[tokio::test]
async fn only_existing_subscribed_customers_with_a_number_can_be_texted() {
    let mock = Mock::start().await;
    let (status, body) = mock
        .post("/messages", json!({"customer": {"id": "cu0"}, "body": "Hi"}))
        .await;
    assert_eq!(status, 400, "{body}");
    let (_, nameless) = mock.put("/customers", json!({"name": "No Phone"})).await;
    let (status, _) = mock
        .post("/messages", json!({"customer": {"id": nameless["id"]}, "body": "Hi"}))
        .await;
    assert_eq!(status, 400);
    let customer = mock.customer("CU1", "+14182031234").await;
    let path = format!("/customers/{}", customer["id"].as_str().unwrap());
    mock.put(&path, json!({"name": "x", "is_unsubscribed": true})).await;
    let (status, body) = mock
        .post("/messages", json!({"customer": {"reference": "CU1"}, "body": "Hi"}))
        .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("unsubscribed"), "{body}");
    let (status, body) = mock
        .post(
            "/messages",
            json!({"customer": {"reference": "CU1"}, "body": "x".repeat(1601)}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("body"), "{body}");
    assert_eq!(mock.server.counts().messages, 0);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn documents_conversations_and_filters() {
    let mock = Mock::start().await;
    let first = mock.customer("CU1", "+14182031234").await;
    mock.customer("CU2", "+14182031235").await;
    let (status, body) = mock
        .post(
            "/messages",
            json!({"customer": {"reference": "CU1"}, "body": "Hi", "documents": [42]}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, message) = mock
        .post(
            "/messages",
            json!({"customer": {"reference": "CU1"}, "body": "Hi", "open_conversation": true}),
        )
        .await;
    assert_eq!(status, 201);
    assert!(message["conversation_id"].is_i64(), "{message}");
    let (_, other) = mock
        .post("/messages", json!({"customer": {"reference": "CU2"}, "body": "Hi"}))
        .await;
    assert!(other["conversation_id"].is_null());
    assert!(other["id"].as_i64() > message["id"].as_i64());

    let id = first["id"].as_str().unwrap();
    let (status, page) = mock.get(&format!("/messages?customer_id={id}")).await;
    assert_eq!(status, 200);
    assert_schema("messages.json", &page);
    assert_eq!(page["pagination"]["items"], 1);
    let (_, none) = mock.get("/messages?created_at_start=2999-01-01T00:00:00Z").await;
    assert_eq!(none["pagination"]["items"], 0);
    assert_eq!(mock.get("/messages?created_at_end=tomorrow").await.0, 400);
    assert_eq!(mock.get("/messages/abc").await.0, 404);
    assert_eq!(mock.get("/messages/999999").await.0, 404);
    mock.server.shutdown().await;
}
