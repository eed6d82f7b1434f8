//! The control endpoints: a customer texting in (subscription keywords),
//! forced message statuses, reset.

use reqwest::Method;
use serde_json::json;

use crate::common::{Mock, Receiver, assert_schema};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keywords_change_the_subscription_and_fire_webhooks() {
    let mock = Mock::start().await;
    let receiver = Receiver::start().await;
    mock.webhook(&receiver.url).await;
    let customer = mock.customer("CU1", "+14182031234").await;
    let path = format!("/customers/{}", customer["id"].as_str().unwrap());
    let text = |body: &str| json!({"from": "+14182031234", "body": body});

    // Each keyword, any case or accent; a repeated keyword changes nothing.
    let script = [
        ("stop", true, Some("customer_unsubscribed")),
        ("STOP", true, None),
        ("Reprise", false, Some("customer_resubscribed")),
        ("Arrêt", true, Some("customer_unsubscribed")),
        (" start! ", false, Some("customer_resubscribed")),
        ("ARRET", true, Some("customer_unsubscribed")),
        ("START", false, Some("customer_resubscribed")),
        ("stop please", false, None),
    ];
    let mut expected_events = 0;
    for (body, unsubscribed, event) in script {
        let (status, message) = mock.control(Method::POST, "/inbound", Some(text(body))).await;
        assert_eq!(status, 201, "{message}");
        assert_schema("message.json", &message);
        assert_eq!(
            (message["direction"].as_str(), message["status"].as_str()),
            (Some("incoming"), Some("received"))
        );
        assert_eq!(
            mock.get(&path).await.1["is_unsubscribed"],
            unsubscribed,
            "after {body:?}"
        );
        expected_events += 1 + usize::from(event.is_some());
        let received = receiver.wait_for(expected_events).await;
        if let Some(event) = event {
            let names: Vec<String> = received.iter().map(|request| request.event_name()).collect();
            assert!(names.iter().any(|name| name == event), "{names:?}");
            let last = received
                .iter()
                .rev()
                .find(|request| request.event_name() == event)
                .expect("subscription event");
            assert_schema("webhook_event.json", &last.json());
            assert_eq!(last.json()["data"]["is_unsubscribed"], unsubscribed);
        }
    }
    assert_eq!(receiver.received().len(), expected_events, "no extra webhook");
    assert_eq!(mock.control(Method::POST, "/inbound", Some(text("x"))).await.0, 201);
    let unknown = json!({"from": "+19999999999", "body": "STOP"});
    assert_eq!(mock.control(Method::POST, "/inbound", Some(unknown)).await.0, 404);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn forced_statuses_stop_the_life_cycle_and_reset_forgets() {
    let mock = Mock::with(crate::common::quiet_config()).await;
    mock.customer("CU1", "+14182031234").await;
    let (_, message) = mock
        .post("/messages", json!({"customer": {"reference": "CU1"}, "body": "Hi"}))
        .await;
    let id = message["id"].as_i64().unwrap();
    let (status, failed) = mock
        .control(
            Method::POST,
            &format!("/messages/{id}/status"),
            Some(json!({"status": "failed", "error": "Carrier rejected"})),
        )
        .await;
    assert_eq!(status, 200, "{failed}");
    assert_eq!(
        (failed["status"].as_str(), failed["error"].as_str()),
        (Some("failed"), Some("Carrier rejected"))
    );
    assert_schema("message.json", &failed);
    let bad = json!({"status": "lost"});
    assert_eq!(
        mock.control(Method::POST, &format!("/messages/{id}/status"), Some(bad))
            .await
            .0,
        400
    );

    let (_, counts) = mock.control(Method::GET, "/state", None).await;
    assert_eq!(
        (counts["customers"].as_u64(), counts["messages"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(mock.control(Method::POST, "/reset", None).await.0, 204);
    assert_eq!(mock.server.counts(), kimoby_mock::Counts::default());
    mock.server.shutdown().await;
}
