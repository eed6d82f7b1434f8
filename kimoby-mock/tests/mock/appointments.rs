//! Appointments: existing customer, one appointment per customer and
//! `start_at`, `end_at` default and order, look-ups, the date range group.

use serde_json::json;

use crate::common::{Mock, assert_schema};

#[tokio::test]
async fn the_customer_must_exist_and_end_at_follows_start_at() {
    let mock = Mock::start().await;
    let (status, body) = mock
        .put(
            "/appointments",
            json!({"start_at": "2030-01-20T14:00:00Z", "customer": {"reference": "nobody"}}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("customer"), "{body}");

    mock.customer("CU1", "+14182031234").await;
    let (status, appointment) = mock
        .put(
            "/appointments",
            json!({"reference": "AP1", "start_at": "2030-01-20T09:00:00-05:00",
                   "customer": {"cell_phone_number": "+14182031234"}}),
        )
        .await;
    assert_eq!(status, 201, "{appointment}");
    assert_schema("appointment.json", &appointment);
    assert!(appointment["id"].as_str().unwrap().starts_with("ap"));
    assert_eq!(appointment["start_at"], "2030-01-20T14:00:00Z", "returned in UTC");
    assert_eq!(
        appointment["end_at"], "2030-01-20T15:00:00Z",
        "an hour later by default"
    );
    assert_eq!(appointment["status"], "not_confirmed");
    assert_eq!(appointment["customer"]["reference"], "CU1", "the customer is embedded");

    let (status, body) = mock
        .put(
            "/appointments",
            json!({"start_at": "2030-02-01T10:00:00Z", "end_at": "2030-02-01T10:00:00Z", "customer": {"reference": "CU1"}}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("end_at"), "{body}");
    mock.server.shutdown().await;
}

#[tokio::test]
async fn a_customer_cannot_have_two_appointments_at_the_same_start() {
    let mock = Mock::start().await;
    mock.customer("A", "+15145550001").await;
    mock.customer("B", "+15145550002").await;
    let first = json!({"start_at": "2030-03-01T10:00:00Z", "customer": {"reference": "A"}});
    assert_eq!(mock.put("/appointments", first).await.0, 201);
    // Same instant written with another offset.
    let same = json!({"start_at": "2030-03-01T05:00:00-05:00", "customer": {"reference": "A"}});
    let (status, body) = mock.put("/appointments", same).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().starts_with("start_at"), "{body}");
    let other = json!({"start_at": "2030-03-01T10:00:00Z", "customer": {"reference": "B"}});
    assert_eq!(mock.put("/appointments", other).await.0, 201, "another customer may");
    assert_eq!(mock.server.counts().appointments, 2);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn lookups_update_delete_and_cascade() {
    let mock = Mock::start().await;
    let customer = mock.customer("A", "+15145550001").await;
    let (_, created) = mock
        .put(
            "/appointments",
            json!({"reference": "AP000234", "start_at": "2030-01-20T14:00:00Z", "customer": {"reference": "A"}}),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    for path in [
        format!("/appointments/{id}"),
        format!("/appointments?id={id}"),
        "/appointments?reference=AP000234".to_owned(),
    ] {
        let (status, found) = mock.get(&path).await;
        assert_eq!((status, &found["id"]), (200, &created["id"]), "{path}");
    }
    let (status, updated) = mock
        .put(
            "/appointments?reference=AP000234",
            json!({"start_at": "2030-01-20T10:00:00Z", "end_at": "2030-01-20T11:00:00Z",
                   "status": "confirmed", "customer": {"reference": "A"}}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        (updated["status"].as_str(), updated["reference"].as_str()),
        (Some("confirmed"), Some("AP000234"))
    );
    assert_schema("appointment.json", &updated);
    // A second appointment cannot take the reference.
    let (status, _) = mock
        .put(
            "/appointments",
            json!({"reference": "AP000234", "start_at": "2030-05-01T10:00:00Z", "customer": {"reference": "A"}}),
        )
        .await;
    assert_eq!(status, 400);
    // Deleting the customer deletes its appointments.
    let (status, _) = mock
        .delete(&format!("/customers/{}", customer["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, 204);
    assert_eq!(mock.get(&format!("/appointments/{id}")).await.0, 404);
    assert_eq!(mock.delete("/appointments?reference=AP000234").await.0, 404);
    // ... and gives their references up.
    mock.customer("B", "+15145550002").await;
    let (status, body) = mock
        .put(
            "/appointments",
            json!({"reference": "AP000234", "start_at": "2030-01-20T10:00:00Z", "customer": {"reference": "B"}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    mock.server.shutdown().await;
}

#[tokio::test]
async fn date_start_and_date_end_go_together_and_filter() {
    let mock = Mock::start().await;
    mock.customer("A", "+15145550001").await;
    for day in ["01", "10", "20"] {
        let body = json!({"start_at": format!("2030-01-{day}T10:00:00Z"), "customer": {"reference": "A"}});
        assert_eq!(mock.put("/appointments", body).await.0, 201);
    }
    let (status, page) = mock
        .get("/appointments?date_start=2030-01-05T00:00:00Z&date_end=2030-01-15T00:00:00Z")
        .await;
    assert_eq!(status, 200);
    assert_schema("appointments.json", &page);
    assert_eq!(page["pagination"]["items"], 1);
    assert_eq!(page["appointments"][0]["start_at"], "2030-01-10T10:00:00Z");
    assert_eq!(mock.get("/appointments?date_start=2030-01-05T00:00:00Z").await.0, 400);
    assert_eq!(mock.get("/appointments?date_end=2030-01-05T00:00:00Z").await.0, 400);
    assert_eq!(
        mock.get("/appointments?date_start=yesterday&date_end=today").await.0,
        400
    );
    assert_eq!(mock.get("/appointments").await.1["pagination"]["items"], 3);
    mock.server.shutdown().await;
}
