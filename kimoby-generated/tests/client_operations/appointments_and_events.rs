//! The appointment and event operations: list, create, retrieve by id and
//! by reference, update, delete.

use super::*;

#[tokio::test]
async fn list_appointments_in_a_date_range() {
    let server = server_with("appointments/list_response.json").await;
    let (start, end) = (date("2016-06-22T16:20:00+00:00"), date("2016-06-29T08:00:30.5-05:00"));
    let list = client(&server)
        .appointments()
        .list()
        .date_range(start, end)
        .page(3)
        .send()
        .await
        .unwrap();
    let expected = "/v1/appointments?date_start=2016-06-22T16%3A20%3A00%2B00%3A00\
                    &date_end=2016-06-29T08%3A00%3A30.500-05%3A00&page=3";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
    assert_eq!(list, typed::<types::AppointmentList>("appointments/list_response.json"));

    // A `DateTime<Utc>` is accepted too, and sent with its `+00:00` offset.
    let server = server_with("appointments/list_response.json").await;
    let utc = date("2016-06-22T16:20:00Z").to_utc();
    client(&server)
        .appointments()
        .list()
        .date_range(utc, utc)
        .send()
        .await
        .unwrap();
    let expected = "/v1/appointments?date_start=2016-06-22T16%3A20%3A00%2B00%3A00\
                    &date_end=2016-06-22T16%3A20%3A00%2B00%3A00";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
}

#[tokio::test]
async fn create_appointment() {
    let server = server_answering(201, Some(&text("appointment/create_response.json"))).await;
    let body = typed("appointment_request/create.json");
    let appointment = client(&server).appointments().create(body).send().await.unwrap();
    let sent = Sent::Json(json_fixture("appointment_request/create.json"));
    expect_sent(&server, "PUT /v1/appointments", sent).await;
    assert_eq!(
        appointment,
        typed::<types::Appointment>("appointment/create_response.json")
    );
    assert_eq!(appointment.status, types::AppointmentStatus::NotConfirmed);
}

#[tokio::test]
async fn retrieve_appointment_by_id_and_reference() {
    for (lookup, expected) in [
        (
            AppointmentLookup::id("apadd4ba3f856c8bf2a72b1cf06c8c546d"),
            "/v1/appointments/apadd4ba3f856c8bf2a72b1cf06c8c546d",
        ),
        (
            AppointmentLookup::reference("AP 234/+"),
            "/v1/appointments?reference=AP%20234%2F%2B",
        ),
    ] {
        let server = server_with("appointment/retrieve_response.json").await;
        let appointment = client(&server).appointments().retrieve(lookup).send().await.unwrap();
        expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
        assert_eq!(
            appointment,
            typed::<types::Appointment>("appointment/retrieve_response.json")
        );
    }
}

#[tokio::test]
async fn update_appointment() {
    let server = server_with("appointment/update_response.json").await;
    let body = typed("appointment_request/update_by_id_path.json");
    let lookup = AppointmentLookup::id("apadd4ba3f856c8bf2a72b1cf06c8c546d");
    let appointment = client(&server)
        .appointments()
        .update(lookup, body)
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("appointment_request/update_by_id_path.json"));
    expect_sent(&server, "PUT /v1/appointments/apadd4ba3f856c8bf2a72b1cf06c8c546d", sent).await;
    assert_eq!(
        appointment,
        typed::<types::Appointment>("appointment/update_response.json")
    );
}

#[tokio::test]
async fn delete_appointment() {
    let server = server_answering(204, None).await;
    client(&server)
        .appointments()
        .delete(AppointmentLookup::reference("AP000234"))
        .send()
        .await
        .unwrap();
    expect_sent(&server, "DELETE /v1/appointments?reference=AP000234", Sent::Nothing).await;
}

#[tokio::test]
async fn list_events() {
    let server = server_with("events/list_response.json").await;
    let list = client(&server).events().list().per_page(50).send().await.unwrap();
    expect_sent(&server, "GET /v1/events?per_page=50", Sent::Nothing).await;
    assert_eq!(list, typed::<types::EventList>("events/list_response.json"));
}

#[tokio::test]
async fn create_event() {
    let server = server_answering(201, Some(&text("event/create_response.json"))).await;
    let event = client(&server)
        .events()
        .create(typed("event_request/create.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("event_request/create.json"));
    expect_sent(&server, "PUT /v1/events", sent).await;
    assert_eq!(event, typed::<types::Event>("event/create_response.json"));
}

#[tokio::test]
async fn retrieve_event_by_id_and_reference() {
    for (lookup, expected) in [
        (
            EventLookup::id("ev5c298c73d9bc81e94a16535bd8e770d8"),
            "/v1/events/ev5c298c73d9bc81e94a16535bd8e770d8",
        ),
        (EventLookup::reference("EV000088"), "/v1/events?reference=EV000088"),
    ] {
        let server = server_with("event/retrieve_response.json").await;
        let event = client(&server).events().retrieve(lookup).send().await.unwrap();
        expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
        assert_eq!(event, typed::<types::Event>("event/retrieve_response.json"));
    }
}

#[tokio::test]
async fn update_event_by_reference() {
    let server = server_with("event/update_response.json").await;
    let body = typed("event_request/update_by_reference_1.json");
    let event = client(&server)
        .events()
        .update(EventLookup::reference("EV000088"), body)
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("event_request/update_by_reference_1.json"));
    expect_sent(&server, "PUT /v1/events?reference=EV000088", sent).await;
    assert_eq!(event, typed::<types::Event>("event/update_response.json"));
}

#[tokio::test]
async fn delete_event() {
    let server = server_answering(204, None).await;
    client(&server)
        .events()
        .delete(EventLookup::id("ev5c298c73d9bc81e94a16535bd8e770d8"))
        .send()
        .await
        .unwrap();
    let path = "/v1/events/ev5c298c73d9bc81e94a16535bd8e770d8";
    expect_sent(&server, &format!("DELETE {path}"), Sent::Nothing).await;
}
