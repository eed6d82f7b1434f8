//! Every operation of the manifest once, each answer checked against its
//! response schema, and the reference's own example requests accepted.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use kimoby_generated::validate::Validator;
use kimoby_mock::Evolution;

use crate::common::{Mock, test_config, tolerant_validator, validator};

/// The operations of `schemas/openapi.json` (method and path), to be sure the
/// tour covers them all.
fn manifest_operations() -> BTreeSet<(String, String)> {
    let manifest: Value = serde_json::from_str(kimoby_generated::schemas::manifest()).unwrap();
    let mut operations = BTreeSet::new();
    for (path, item) in manifest["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.insert((method.to_uppercase(), path.clone()));
        }
    }
    operations
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_with_its_schema() {
    tour(Mock::start().await, validator()).await;
}

/// In evolution mode (every opportunity taken), every answer of the tour is
/// still within the tolerant profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_evolved_answer_is_within_the_tolerant_profile() {
    let config = test_config().evolution(Evolution::new(1.0).seed(2));
    tour(Mock::with(config).await, tolerant_validator()).await;
}

/// Every operation once on `mock`, each answer checked with `validator`.
async fn tour(mock: Mock, validator: &Validator) {
    let mut covered = BTreeSet::new();
    let mut check = |method: &str, template: &str, status: u16, expected: u16, schema: Option<&str>, body: &Value| {
        assert_eq!(status, expected, "{method} {template}: {body}");
        if let Some(schema) = schema
            && let Err(error) = validator.validate(schema, body)
        {
            panic!("{method} {template}, {schema}: {error}\n{body:#}");
        }
        covered.insert((method.to_owned(), template.to_owned()));
    };

    // The reference's create example, as sent (created_at and updated_at included).
    let example = json!({"reference":"CU000001","name":"John Doe","cell_phone_number":"+14182031234",
        "email":"john.doe@example.com","address":"633 Saint-Joseph E.","city":"Quebec","state":"QC",
        "zipcode":"G1K 3C1","country":"CA","is_unsubscribed":false,
        "phones":{"home":"5149873473","work":"+1 (877) 247-9367","other":"(418) 394-1928 x19119"},
        "custom_attributes":{"vehicle":"Audi","vehicle_year":"2012","last_visit_date":"2013-02-12T00:00:00+00:00",
        "product_names_array":["Premium","Lite"]},"created_at":"2015-12-24T00:00:00Z","updated_at":"2015-12-24T00:00:00Z"});
    let (status, customer) = mock.put("/customers", example).await;
    check("PUT", "/customers", status, 201, Some("customer.json"), &customer);
    let customer_id = customer["id"].as_str().unwrap().to_owned();
    let (s, b) = mock.get("/customers").await;
    check("GET", "/customers", s, 200, Some("customers.json"), &b);
    let (s, b) = mock.get(&format!("/customers/{customer_id}")).await;
    check("GET", "/customers/{id}", s, 200, Some("customer.json"), &b);
    let (s, b) = mock
        .put(
            &format!("/customers/{customer_id}"),
            json!({"name": "John Doe", "email": null}),
        )
        .await;
    check("PUT", "/customers/{id}", s, 200, Some("customer.json"), &b);

    let appointment = json!({"reference":"AP000234","start_at":"2016-01-20T14:00:00Z","end_at":"2016-01-20T18:00:00Z",
        "customer":{"reference":"CU000001"},"custom_attributes":{"comment":"Work needs to be done for tomorrow.",
        "num_of_visits":12,"last_appt_date":"2015-10-12T14:00:00Z","service_required_array":["Oil Change","Wash"]},
        "created_at":"2016-01-07T10:00:00Z","updated_at":"2016-01-07T10:00:00Z"});
    let (s, b) = mock.put("/appointments", appointment.clone()).await;
    check("PUT", "/appointments", s, 201, Some("appointment.json"), &b);
    assert_eq!(b["custom_attributes"]["num_of_visits"], 12.0);
    let appointment_id = b["id"].as_str().unwrap().to_owned();
    let (s, b) = mock.get("/appointments").await;
    check("GET", "/appointments", s, 200, Some("appointments.json"), &b);
    let (s, b) = mock.get(&format!("/appointments/{appointment_id}")).await;
    check("GET", "/appointments/{id}", s, 200, Some("appointment.json"), &b);
    let (s, b) = mock.put(&format!("/appointments/{appointment_id}"), appointment).await;
    check("PUT", "/appointments/{id}", s, 200, Some("appointment.json"), &b);

    let event = json!({"reference":"EV000088","name":"completed-repair","happened_at":"2016-01-20T14:00:00Z",
        "customer":{"reference":"CU000001"},"custom_attributes":{"comment":"Will need another appointment for tire change.",
        "repair_total":210.11,"customer_since_date":"2013-09-10T10:00:00Z","completed_work_array":["Oil Change","Wash","02P03"]},
        "created_at":"2016-01-07T10:00:00Z","updated_at":"2016-01-07T10:00:00Z"});
    let (s, b) = mock.put("/events", event.clone()).await;
    check("PUT", "/events", s, 201, Some("event.json"), &b);
    let event_id = b["id"].as_str().unwrap().to_owned();
    let (s, b) = mock.get("/events").await;
    check("GET", "/events", s, 200, Some("events.json"), &b);
    let (s, b) = mock.get(&format!("/events/{event_id}")).await;
    check("GET", "/events/{id}", s, 200, Some("event.json"), &b);
    let (s, b) = mock.put(&format!("/events/{event_id}"), event).await;
    check("PUT", "/events/{id}", s, 200, Some("event.json"), &b);

    let (s, b) = mock
        .post("/webhooks", json!({"url": "https://localhost:9/webhook/path"}))
        .await;
    check(
        "POST",
        "/webhooks",
        s,
        201,
        Some("webhook_with_authentication_key.json"),
        &b,
    );
    let webhook_id = b["id"].as_str().unwrap().to_owned();
    let (s, b) = mock.get("/webhooks").await;
    check("GET", "/webhooks", s, 200, Some("webhooks.json"), &b);
    let (s, b) = mock
        .put(
            &format!("/webhooks/{webhook_id}"),
            json!({"url": "https://localhost:9/v2"}),
        )
        .await;
    check("PUT", "/webhooks/{id}", s, 200, Some("webhook.json"), &b);

    let message = json!({"customer": {"reference": "CU000001"}, "body": "Hello world!", "user_reference": "AM91",
        "open_conversation": true, "documents": []});
    let (s, b) = mock.post("/messages", message).await;
    check("POST", "/messages", s, 201, Some("message.json"), &b);
    let message_id = b["id"].as_i64().unwrap();
    let (s, b) = mock.get("/messages").await;
    check("GET", "/messages", s, 200, Some("messages.json"), &b);
    let (s, b) = mock.get(&format!("/messages/{message_id}")).await;
    check("GET", "/messages/{id}", s, 200, Some("message.json"), &b);

    let (s, b) = mock
        .put(
            "/invoices",
            json!({"reference": "12345", "total_price": 10000, "customer": {"id": customer_id}}),
        )
        .await;
    check("PUT", "/invoices", s, 201, Some("invoice.json"), &b);
    let invoice_id = b["id"].as_str().unwrap().to_owned();
    let (s, b) = mock.get("/invoices").await;
    check("GET", "/invoices", s, 200, Some("invoices.json"), &b);
    mock.control(Method::POST, &format!("/invoices/{invoice_id}/pay"), None)
        .await;
    let (s, b) = mock.get(&format!("/invoices/{invoice_id}")).await;
    check("GET", "/invoices/{id}", s, 200, Some("invoice.json"), &b);

    let response = mock
        .http
        .post(format!("{}/documents", mock.base))
        .basic_auth("test-key", Some("test-secret"))
        .header("content-type", "multipart/form-data; boundary=b")
        .body("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n")
        .send()
        .await
        .unwrap();
    let (s, b) = crate::common::decode(response).await;
    check("POST", "/documents", s, 201, Some("document.json"), &b);
    let document_id = b["id"].as_i64().unwrap();
    let (s, b) = mock.get(&format!("/documents/{document_id}")).await;
    check("GET", "/documents/{id}", s, 200, Some("document.json"), &b);

    for (template, path) in [
        ("/documents/{id}", format!("/documents/{document_id}")),
        ("/webhooks/{id}", format!("/webhooks/{webhook_id}")),
        ("/events/{id}", format!("/events/{event_id}")),
        ("/appointments/{id}", format!("/appointments/{appointment_id}")),
        ("/customers/{id}", format!("/customers/{customer_id}")),
    ] {
        let (s, b) = mock.delete(&path).await;
        check("DELETE", template, s, 204, None, &b);
    }

    let missing: Vec<_> = manifest_operations().difference(&covered).cloned().collect();
    assert!(missing.is_empty(), "operations not covered: {missing:?}");
    mock.server.shutdown().await;
}
