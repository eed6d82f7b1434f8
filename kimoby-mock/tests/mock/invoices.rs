//! Invoices: `total_price` above 50, payment and refunds through the control
//! endpoints, filters.

use reqwest::Method;
use serde_json::json;

use crate::common::{Mock, assert_schema};

#[tokio::test]
async fn total_price_above_50_and_an_existing_customer() {
    let mock = Mock::start().await;
    let customer = mock.customer("CU1", "+14182031234").await;
    let id = customer["id"].clone();
    let (status, body) = mock
        .put("/invoices", json!({"total_price": 50, "customer": {"id": id}}))
        .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("total_price"), "{body}");
    let (status, body) = mock
        .put(
            "/invoices",
            json!({"total_price": 5000, "customer": {"id": "CU000001"}}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, invoice) = mock
        .put(
            "/invoices",
            json!({"reference": "12345", "total_price": 51, "customer": {"id": id}}),
        )
        .await;
    assert_eq!(status, 201, "{invoice}");
    assert_schema("invoice.json", &invoice);
    assert!(invoice["id"].as_str().unwrap().starts_with("IN"));
    assert_eq!(
        (invoice["state"].as_str(), invoice["currency"].as_str()),
        (Some("unpaid"), Some("CAD"))
    );
    assert!(invoice.get("card").is_none() && invoice.get("invoice_paid_at").is_none());
    let (status, _) = mock
        .put(
            "/invoices",
            json!({"reference": "12345", "total_price": 51, "customer": {"id": id}}),
        )
        .await;
    assert_eq!(status, 400, "references are unique");
    mock.server.shutdown().await;
}

#[tokio::test]
async fn paid_then_refunded_in_parts() {
    let mock = Mock::start().await;
    let customer = mock.customer("CU1", "+14182031234").await;
    let (_, invoice) = mock
        .put(
            "/invoices",
            json!({"total_price": 10000, "customer": {"id": customer["id"]}}),
        )
        .await;
    let id = invoice["id"].as_str().unwrap();
    let (status, _) = mock
        .control(Method::POST, &format!("/invoices/{id}/refund"), None)
        .await;
    assert_eq!(status, 400, "an unpaid invoice can't be refunded");

    let card = json!({"card": {"last_4_digits": "1111", "brand": "Visa", "exp_month": "05", "exp_year": "2024"}});
    let (status, paid) = mock
        .control(Method::POST, &format!("/invoices/{id}/pay"), Some(card))
        .await;
    assert_eq!(status, 200, "{paid}");
    assert_schema("invoice.json", &paid);
    assert_eq!(paid["state"], "paid");
    assert_eq!(paid["card"]["last_4_digits"], "1111");
    assert!(paid["invoice_paid_at"].is_string());
    assert_eq!(
        mock.control(Method::POST, &format!("/invoices/{id}/pay"), None).await.0,
        400,
        "paid once"
    );

    let (status, partial) = mock
        .control(
            Method::POST,
            &format!("/invoices/{id}/refund"),
            Some(json!({"amount": 2500, "refunded_by": "Ann"})),
        )
        .await;
    assert_eq!(status, 200, "{partial}");
    assert_eq!(
        (partial["state"].as_str(), partial["amount_refunded"].as_i64()),
        (Some("paid"), Some(2500))
    );
    assert!(partial["refunded_on"].is_string());
    let too_much = json!({"amount": 7501});
    assert_eq!(
        mock.control(Method::POST, &format!("/invoices/{id}/refund"), Some(too_much))
            .await
            .0,
        400
    );
    let (_, full) = mock
        .control(Method::POST, &format!("/invoices/{id}/refund"), None)
        .await;
    assert_eq!(
        (full["state"].as_str(), full["amount_refunded"].as_i64()),
        (Some("refunded"), Some(10000))
    );
    assert_eq!(full["refunds"].as_array().unwrap().len(), 2);
    assert_eq!(
        full["refunded_on"], partial["refunded_on"],
        "the date of the first refund"
    );
    assert_schema("invoice.json", &full);

    // The public URL counts the customer's visits.
    let url = full["public_url"].as_str().unwrap();
    assert_eq!(mock.http.get(url).send().await.unwrap().status(), 200);
    let (_, fetched) = mock.get(&format!("/invoices/{id}")).await;
    assert_eq!(fetched["clicks_count"], 1);
    assert_eq!(mock.get("/invoices/INnope").await.0, 404);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn lists_filter_by_payment_date() {
    let mock = Mock::start().await;
    let customer = mock.customer("CU1", "+14182031234").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (_, invoice) = mock
            .put(
                "/invoices",
                json!({"total_price": 1000, "customer": {"id": customer["id"]}}),
            )
            .await;
        ids.push(invoice["id"].as_str().unwrap().to_owned());
    }
    mock.control(Method::POST, &format!("/invoices/{}/pay", ids[1]), None)
        .await;
    let (status, all) = mock.get("/invoices").await;
    assert_eq!((status, &all["pagination"]["items"]), (200, &json!(3)));
    assert_schema("invoices.json", &all);
    let (_, paid) = mock.get("/invoices?paid_at_start=2000-01-01T00:00:00Z").await;
    assert_eq!(paid["pagination"]["items"], 1);
    assert_eq!(paid["invoices"][0]["id"].as_str(), Some(ids[1].as_str()));
    let (_, created) = mock.get("/invoices?created_at_end=2000-01-01T00:00:00Z").await;
    assert_eq!(created["pagination"]["items"], 0);
    mock.server.shutdown().await;
}
