//! The customer operations: list with paging, create, retrieve by each
//! lookup, update (the documented body, and a cleared email), delete.

use super::*;

#[tokio::test]
async fn list_customers_with_page_and_per_page() {
    let server = server_with("customers/list_response.json").await;
    let list = client(&server)
        .customers()
        .list()
        .page(2)
        .per_page(10)
        .send()
        .await
        .unwrap();
    expect_sent(&server, "GET /v1/customers?page=2&per_page=10", Sent::Nothing).await;
    assert_eq!(list, typed::<types::CustomerList>("customers/list_response.json"));
    assert_eq!(list.customers[0].reference.as_deref(), Some("CU000001"));
    assert_eq!((list.pagination.page, list.pagination.items), (1, 10));
}

#[tokio::test]
async fn create_customer_puts_the_collection() {
    let server = server_answering(201, Some(&text("customer/create_response.json"))).await;
    let request: CustomerRequest = typed("customer_request/create.json");
    let customer = client(&server).customers().create(request).send().await.unwrap();
    let sent = json_fixture("customer_request/create.json");
    expect_sent(&server, "PUT /v1/customers", Sent::Json(sent)).await;
    assert_eq!(customer, typed::<types::Customer>("customer/create_response.json"));
}

#[tokio::test]
async fn retrieve_customer_by_each_lookup() {
    let cases = [
        (
            CustomerLookup::id("cueeadfbacc5d64682bd20ac077d592e83"),
            "/v1/customers/cueeadfbacc5d64682bd20ac077d592e83",
        ),
        (CustomerLookup::id("CU 1/+2?é"), "/v1/customers/CU%201%2F%2B2%3F%C3%A9"),
        (
            CustomerLookup::reference("CU000001"),
            "/v1/customers?reference=CU000001",
        ),
        (
            CustomerLookup::reference("a b&c=d+e"),
            "/v1/customers?reference=a%20b%26c%3Dd%2Be",
        ),
        (
            CustomerLookup::cell_phone_number("+14182031234"),
            "/v1/customers?cell_phone_number=%2B14182031234",
        ),
    ];
    for (lookup, expected) in cases {
        let server = server_with("customer/retrieve_response.json").await;
        let customer = client(&server).customers().retrieve(lookup).send().await.unwrap();
        expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
        assert_eq!(customer, typed::<types::Customer>("customer/retrieve_response.json"));
    }
}

#[tokio::test]
async fn update_customer_sends_the_documented_body() {
    let server = server_with("customer/update_response.json").await;
    let request: CustomerRequest = typed("customer_request/update_by_id_path.json");
    let lookup = CustomerLookup::id("cueeadfbacc5d64682bd20ac077d592e83");
    let customer = client(&server)
        .customers()
        .update(lookup, request)
        .send()
        .await
        .unwrap();
    let sent = json_fixture("customer_request/update_by_id_path.json");
    assert_eq!(sent["email"], Value::Null);
    assert_eq!(sent["phones"]["home"], Value::Null);
    assert_eq!(sent["custom_attributes"]["vehicle"], Value::Null);
    let path = "/v1/customers/cueeadfbacc5d64682bd20ac077d592e83";
    expect_sent(&server, &format!("PUT {path}"), Sent::Json(sent)).await;
    assert_eq!(customer.email.as_deref(), Some(""));
}

#[tokio::test]
async fn update_customer_clears_email_and_leaves_the_rest_absent() {
    let server = server_with("customer/update_response.json").await;
    let request = CustomerRequest::new("John Doe").clear_email();
    // `Some(None)`: sent as `null`; every other optional field is absent (checked on the wire below).
    assert_eq!(request.email, Some(None));
    let lookup = CustomerLookup::cell_phone_number("+14182031234");
    let customer = client(&server)
        .customers()
        .update(lookup, request)
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json!({"name": "John Doe", "email": null}));
    let request = expect_sent(&server, "PUT /v1/customers?cell_phone_number=%2B14182031234", sent).await;
    assert_eq!(request.body, br#"{"email":null,"name":"John Doe"}"#);
    assert_eq!(customer, typed::<types::Customer>("customer/update_response.json"));
}

#[tokio::test]
async fn delete_customer_accepts_200_and_204() {
    for (status, body) in [(204, None), (200, Some("{}"))] {
        let server = server_answering(status, body).await;
        let lookup = CustomerLookup::reference("CU000001");
        client(&server).customers().delete(lookup).send().await.unwrap();
        expect_sent(&server, "DELETE /v1/customers?reference=CU000001", Sent::Nothing).await;
    }
}
