//! Events: name normalisation, uniqueness, `happened_at` in the past, look-ups.

use serde_json::json;

use crate::common::{Mock, assert_schema};

#[tokio::test]
async fn names_are_normalized_and_events_unique() {
    let mock = Mock::start().await;
    mock.customer("CU1", "+14182031234").await;
    mock.customer("CU2", "+14182031235").await;
    let event = |name: &str, at: &str, reference: Option<&str>, customer: &str| {
        let mut body = json!({"name": name, "happened_at": at, "customer": {"reference": customer}});
        if let Some(reference) = reference {
            body["reference"] = json!(reference);
        }
        body
    };
    let (status, created) = mock
        .put(
            "/events",
            event("Completed Repair", "2016-01-20T14:00:00Z", Some("EV1"), "CU1"),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_schema("event.json", &created);
    assert!(created["id"].as_str().unwrap().starts_with("ev"));
    assert_eq!(created["name"], "completed-repair");
    let (_, dotted) = mock
        .put("/events", event("Paid $5.00 Now", "2016-01-20T14:00:00Z", None, "CU1"))
        .await;
    assert_eq!(dotted["name"], "paid--5-00-now");

    // Same customer, name (case insensitive) and happened_at.
    let (status, body) = mock
        .put(
            "/events",
            event("COMPLETED-REPAIR", "2016-01-20T09:00:00-05:00", None, "CU1"),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().starts_with("happened_at"), "{body}");
    // Same customer, name and reference.
    let (status, body) = mock
        .put(
            "/events",
            event("completed repair", "2016-02-01T00:00:00Z", Some("EV1"), "CU1"),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().starts_with("reference"), "{body}");
    // Another customer, or another name, may.
    assert_eq!(
        mock.put(
            "/events",
            event("completed-repair", "2016-01-20T14:00:00Z", Some("EV1"), "CU2")
        )
        .await
        .0,
        201
    );
    assert_eq!(
        mock.put(
            "/events",
            event("oil-change", "2016-01-20T14:00:00Z", Some("EV1"), "CU1")
        )
        .await
        .0,
        201
    );
    assert_eq!(mock.server.counts().events, 4);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn happened_at_is_in_the_past() {
    let mock = Mock::start().await;
    mock.customer("CU1", "+14182031234").await;
    let body = json!({"name": "repair", "happened_at": "2999-01-01T00:00:00Z", "customer": {"reference": "CU1"}});
    let (status, error) = mock.put("/events", body).await;
    assert_eq!(status, 400);
    assert!(error["message"].as_str().unwrap().starts_with("happened_at"), "{error}");
    mock.server.shutdown().await;
}

#[tokio::test]
async fn lookups_and_updates() {
    let mock = Mock::start().await;
    mock.customer("CU1", "+14182031234").await;
    let (_, created) = mock
        .put(
            "/events",
            json!({"reference": "EV000088", "name": "completed-repair", "happened_at": "2016-01-20T14:00:00Z",
                   "customer": {"reference": "CU1"}, "custom_attributes": {"repair_total": 210.11}}),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(mock.get(&format!("/events?id={id}")).await.1["id"], created["id"]);
    let (status, updated) = mock
        .put(
            "/events?reference=EV000088",
            json!({"reference": "EV000088", "name": "repair", "happened_at": "2016-01-20T14:00:00Z",
                   "customer": {"reference": "CU1"}, "custom_attributes": {"repair_total": 250.75}}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "repair");
    assert_eq!(updated["custom_attributes"]["repair_total"], 250.75);
    assert_schema("event.json", &updated);
    let (status, list) = mock.get("/events").await;
    assert_eq!((status, &list["pagination"]["items"]), (200, &json!(1)));
    assert_schema("events.json", &list);
    assert_eq!(mock.delete("/events?reference=EV000088").await.0, 204);
    assert_eq!(mock.get(&format!("/events/{id}")).await.0, 404);
    mock.server.shutdown().await;
}
