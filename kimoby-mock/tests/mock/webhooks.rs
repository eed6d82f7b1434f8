//! Webhooks: management rules, signed delivery, the time-scaled retry
//! schedule, timeouts and `410 Gone`.

use std::time::Duration;

use kimoby_generated::webhooks::{WebhookKey, WebhookVerifier};
use kimoby_mock::{DeliveryAttempt, MockConfig, RETRY_SCHEDULE};
use serde_json::json;

use crate::common::{KEY, Mock, Receiver, SECRET, assert_schema, eventually, quiet_config};

#[tokio::test]
async fn the_key_is_returned_only_at_creation_and_urls_are_https() {
    let mock = Mock::with(MockConfig::new(KEY, SECRET)).await;
    let (status, created) = mock
        .post("/webhooks", json!({"url": "https://localhost:9/webhook/path"}))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_schema("webhook_with_authentication_key.json", &created);
    assert!(created["id"].as_str().unwrap().starts_with("WH"));
    assert_eq!(created["authentication_key"].as_str().unwrap().len(), 40);
    let id = created["id"].as_str().unwrap();

    let (status, list) = mock.get("/webhooks").await;
    assert_eq!(status, 200);
    assert_schema("webhooks.json", &list);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0].get("authentication_key").is_none());

    let (status, updated) = mock
        .put(
            &format!("/webhooks/{id}"),
            json!({"url": "https://localhost:9/webhook/path/updated"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_schema("webhook.json", &updated);
    assert!(updated.get("authentication_key").is_none());

    for url in [
        "http://your.app.com/hook",
        "http://127.0.0.1:9/hook",
        "ftp://x/y",
        "not a url",
    ] {
        let (status, body) = mock.post("/webhooks", json!({"url": url})).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert!(body["message"].as_str().unwrap().starts_with("url"), "{body}");
    }
    assert_eq!(
        mock.put("/webhooks/WHnope", json!({"url": "https://x.y/z"})).await.0,
        404
    );
    assert_eq!(mock.delete(&format!("/webhooks/{id}")).await.0, 204);
    assert_eq!(mock.delete(&format!("/webhooks/{id}")).await.0, 404);
    mock.server.shutdown().await;

    // Loopback http only with the flag, and never another host.
    let mock = Mock::start().await;
    assert_eq!(
        mock.post("/webhooks", json!({"url": "http://127.0.0.1:9/hook"}))
            .await
            .0,
        201
    );
    assert_eq!(
        mock.post("/webhooks", json!({"url": "http://localhost:9/hook"}))
            .await
            .0,
        201
    );
    assert_eq!(
        mock.post("/webhooks", json!({"url": "http://your.app.com/hook"}))
            .await
            .0,
        400
    );
    mock.server.shutdown().await;
}

async fn send_one_message(mock: &Mock) {
    mock.customer("CU1", "+14182031234").await;
    let (status, _) = mock
        .post("/messages", json!({"customer": {"reference": "CU1"}, "body": "Hi"}))
        .await;
    assert_eq!(status, 201);
}

/// A mock whose messages stay queued, so only `message_created` is sent.
async fn quiet_mock() -> Mock {
    Mock::with(quiet_config()).await
}

fn attempts_of(mock: &Mock) -> Vec<DeliveryAttempt> {
    mock.server.deliveries()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_on_the_documented_schedule_then_given_up() {
    let mock = quiet_mock().await;
    let receiver = Receiver::scripted(vec![500, 503, 404, 302, 500, 500, 500]).await;
    let (_, key) = mock.webhook(&receiver.url).await;
    send_one_message(&mock).await;

    let received = receiver.wait_for(6).await;
    let attempts = eventually("six logged attempts", || async {
        let attempts = attempts_of(&mock);
        (attempts.len() == 6).then_some(attempts)
    })
    .await;
    // Each retry waits at least the scaled delay of the schedule after the
    // previous attempt (60 s, 10 min, 1 h, 3 h, 6 h at 1/10,000).
    for (index, delay) in RETRY_SCHEDULE.iter().enumerate() {
        let gap = received[index + 1].at.duration_since(received[index].at);
        let scaled = delay.mul_f64(0.0001);
        assert!(gap >= scaled, "retry {} after {gap:?}, scheduled {scaled:?}", index + 1);
    }
    assert_eq!(
        attempts.iter().map(|a| a.attempt).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert!(
        attempts
            .iter()
            .all(|a| !a.delivered && a.delivery_id == attempts[0].delivery_id)
    );
    assert_eq!(attempts[3].status, Some(302), "redirects are not followed");
    // Every attempt is the same signed body.
    let verifier = WebhookVerifier::new(&receiver.url, WebhookKey::new(key));
    for request in &received {
        assert_eq!(request.body, received[0].body);
        verifier
            .verify(&request.body, request.signature.as_deref().map(str::as_bytes))
            .expect("signed");
    }
    // Six attempts in all: the seventh scripted failure is never used.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 6);
    mock.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_answer_or_another_2xx_is_a_failure() {
    let mock = quiet_mock().await;
    // 0: answers after 3 s, past the 1 s timeout; 204 is not 200.
    let receiver = Receiver::scripted(vec![0, 204]).await;
    mock.webhook(&receiver.url).await;
    send_one_message(&mock).await;
    receiver.wait_for(3).await;
    let attempts = eventually("a delivered attempt", || async {
        let attempts = attempts_of(&mock);
        attempts.iter().any(|a| a.delivered).then_some(attempts)
    })
    .await;
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    assert_eq!(attempts[0].status, None);
    assert!(
        attempts[0].error.as_deref().unwrap_or_default().contains("timeout"),
        "{attempts:?}"
    );
    assert_eq!((attempts[1].status, attempts[1].delivered), (Some(204), false));
    assert_eq!(
        (attempts[2].status, attempts[2].delivered, attempts[2].attempt),
        (Some(200), true, 3)
    );
    mock.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gone_deletes_the_webhook() {
    let mock = quiet_mock().await;
    let receiver = Receiver::scripted(vec![410]).await;
    let kept = Receiver::start().await;
    mock.webhook(&receiver.url).await;
    mock.webhook(&kept.url).await;
    send_one_message(&mock).await;
    receiver.wait_for(1).await;
    kept.wait_for(1).await;
    let list = eventually("the webhook deleted", || async {
        let (_, list) = mock.get("/webhooks").await;
        (list.as_array().map(Vec::len) == Some(1)).then_some(list)
    })
    .await;
    assert_eq!(list[0]["url"].as_str(), Some(kept.url.as_str()));
    // The next event only goes to the remaining webhook.
    let (status, _) = mock
        .post("/messages", json!({"customer": {"reference": "CU1"}, "body": "Again"}))
        .await;
    assert_eq!(status, 201);
    kept.wait_for(2).await;
    assert_eq!(receiver.received().len(), 1);
    mock.server.shutdown().await;
}
