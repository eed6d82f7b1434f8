//! The message and invoice operations: list with every filter, send once,
//! retrieve; list invoices by date, create, retrieve with an encoded id.

use super::*;

#[tokio::test]
async fn list_messages_with_every_filter() {
    let server = server_with("messages/list_response.json").await;
    let list = client(&server)
        .messages()
        .list()
        .created_at_start(date("2019-02-21T00:00:00-05:00"))
        .created_at_end(date("2019-02-22T23:59:59+01:00"))
        .customer_id("CUc571a62c0639ef8c30807962698c3")
        .page(1)
        .per_page(25)
        .send()
        .await
        .unwrap();
    let expected = "/v1/messages?created_at_start=2019-02-21T00%3A00%3A00-05%3A00\
                    &created_at_end=2019-02-22T23%3A59%3A59%2B01%3A00\
                    &customer_id=CUc571a62c0639ef8c30807962698c3&page=1&per_page=25";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
    assert_eq!(list, typed::<types::MessageList>("messages/list_response.json"));
    assert_eq!(list.messages[0].created_at.offset().local_minus_utc(), -5 * 3600);
}

#[tokio::test]
async fn send_message_posts_once() {
    let server = server_answering(201, Some(&text("message/retrieve_response.json"))).await;
    let body = typed("message_request/send.json");
    let message = client(&server).messages().send(body).send().await.unwrap();
    let sent = Sent::Json(json_fixture("message_request/send.json"));
    expect_sent(&server, "POST /v1/messages", sent).await;
    assert_eq!(message.id, 345_634_563);
    assert_eq!(message.status, types::MessageStatus::Queued);
}

#[tokio::test]
async fn retrieve_message_by_integer_id() {
    let server = server_with("message/retrieve_response.json").await;
    let message = client(&server).messages().retrieve(345_634_563).send().await.unwrap();
    expect_sent(&server, "GET /v1/messages/345634563", Sent::Nothing).await;
    assert_eq!(message, typed::<types::Message>("message/retrieve_response.json"));
}

#[tokio::test]
async fn list_invoices_with_date_filters() {
    let server = server_with("invoices/list_response.json").await;
    let list = client(&server)
        .invoices()
        .list()
        .created_at_start(date("2020-04-01T00:00:00-04:00"))
        .created_at_end(date("2020-04-30T23:59:59-04:00"))
        .paid_at_start(date("2020-04-15T00:00:00Z"))
        .paid_at_end(date("2020-04-16T00:00:00+05:30"))
        .send()
        .await
        .unwrap();
    let expected = "/v1/invoices?created_at_start=2020-04-01T00%3A00%3A00-04%3A00\
                    &created_at_end=2020-04-30T23%3A59%3A59-04%3A00\
                    &paid_at_start=2020-04-15T00%3A00%3A00%2B00%3A00\
                    &paid_at_end=2020-04-16T00%3A00%3A00%2B05%3A30";
    expect_sent(&server, &format!("GET {expected}"), Sent::Nothing).await;
    assert_eq!(list, typed::<types::InvoiceList>("invoices/list_response.json"));
}

#[tokio::test]
async fn create_invoice() {
    let server = server_answering(201, Some(&text("invoice/create_response.json"))).await;
    let invoice = client(&server)
        .invoices()
        .create(typed("invoice_request/create.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("invoice_request/create.json"));
    expect_sent(&server, "PUT /v1/invoices", sent).await;
    assert_eq!(invoice, typed::<types::Invoice>("invoice/create_response.json"));
    assert_eq!(invoice.state, types::InvoiceState::Paid);
}

#[tokio::test]
async fn retrieve_invoice_with_an_encoded_id() {
    let server = server_with("invoice/retrieve_response.json").await;
    let invoice = client(&server).invoices().retrieve("IN d2/5+").send().await.unwrap();
    expect_sent(&server, "GET /v1/invoices/IN%20d2%2F5%2B", Sent::Nothing).await;
    assert_eq!(invoice, typed::<types::Invoice>("invoice/retrieve_response.json"));
}
