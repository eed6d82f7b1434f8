//! Pagination through the generated builders (`stream()` over three pages,
//! an explicit `per_page`, the filters on every page, awaiting a builder), and
//! the default base URL and page bounds taken from the manifest.

use super::*;

/// Page `page` of 3 of a 101-customer list: 50, 50 and 1 customers.
fn customers_page(page: u64) -> Value {
    let template = json_fixture("customer/list_item.json");
    let first = (page - 1) * 50;
    let count = if page < 3 { 50 } else { 1 };
    let customers: Vec<Value> = (first..first + count)
        .map(|n| {
            let mut customer = template.clone();
            customer["id"] = json!(format!("cu{n:03}"));
            customer
        })
        .collect();
    json!({"customers": customers, "pagination": {"page": page, "pages": 3, "items": 101, "per_page": 50}})
}

#[tokio::test]
async fn stream_follows_three_pages_of_fifty() {
    let server = MockServer::start().await;
    for page in 1..=3 {
        Mock::given(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(customers_page(page)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let stream = client(&server).customers().list().stream();
    let customers: Vec<types::Customer> = stream.try_collect().await.unwrap();
    let ids: Vec<String> = customers.into_iter().map(|c| c.id).collect();
    let expected: Vec<String> = (0..101).map(|n| format!("cu{n:03}")).collect();
    assert_eq!(ids, expected);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for (request, page) in requests.iter().zip(1..) {
        let expected = format!("GET /v1/customers?page={page}&per_page=50");
        assert_sent(request, &expected, Sent::Nothing);
    }
}

#[tokio::test]
async fn stream_honours_an_explicit_per_page() {
    let server = MockServer::start().await;
    let mut page = json_fixture("customers/list_response.json");
    page["pagination"] = json!({"page": 1, "pages": 1, "items": 1, "per_page": 10});
    Mock::given(query_param("per_page", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .expect(1)
        .mount(&server)
        .await;
    let customers: Vec<types::Customer> = client(&server)
        .customers()
        .list()
        .per_page(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(customers.len(), 1);
}

#[tokio::test]
async fn awaiting_a_builder_sends_it() {
    let server = server_with("customer/retrieve_response.json").await;
    let customer = client(&server)
        .customers()
        .retrieve(CustomerLookup::reference("CU000001"))
        .await
        .unwrap();
    expect_sent(&server, "GET /v1/customers?reference=CU000001", Sent::Nothing).await;
    assert_eq!(customer, typed::<types::Customer>("customer/retrieve_response.json"));
}

#[tokio::test]
async fn stream_keeps_the_filters_on_every_page() {
    let server = MockServer::start().await;
    let mut page = json_fixture("messages/list_response.json");
    for number in 2..=3 {
        page["pagination"] = json!({"page": number, "pages": 3, "items": 3, "per_page": 50});
        Mock::given(query_param("page", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(&page))
            .mount(&server)
            .await;
    }
    let messages: Vec<types::Message> = client(&server)
        .messages()
        .list()
        .customer_id("CU 1")
        .created_at_start(date("2019-02-21T00:00:00Z"))
        .page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(messages.len(), 2);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap().to_owned())
        .collect();
    let filters = "created_at_start=2019-02-21T00%3A00%3A00%2B00%3A00&customer_id=CU%201";
    assert_eq!(
        queries,
        [
            format!("{filters}&page=2&per_page=50"),
            format!("{filters}&page=3&per_page=50")
        ]
    );
}

/// The default base URL and the page bounds are the manifest's, not the runtime's.
#[tokio::test]
async fn the_default_base_url_and_the_page_bounds_come_from_the_manifest() {
    let manifest: Value = serde_json::from_str(kimoby_generated::schemas::manifest()).unwrap();
    let server = manifest["servers"][0]["url"].as_str().unwrap();
    assert_eq!(kimoby_generated::client::DEFAULT_BASE_URL, server);
    let default = Client::builder(KEY, SECRET).build().unwrap();
    assert_eq!(default.transport().base_url(), server);

    let per_page = &manifest["components"]["parameters"]["PerPage"]["schema"];
    let maximum = per_page["maximum"].as_u64().unwrap();
    let remote = server_with("customers/list_response.json").await;
    let largest = u8::try_from(maximum).unwrap();
    client(&remote)
        .customers()
        .list()
        .per_page(largest)
        .send()
        .await
        .unwrap();
    let sent = remote.received_requests().await.unwrap();
    assert_eq!(sent[0].url.query(), Some(format!("per_page={maximum}").as_str()));
    let refused = client(&remote).customers().list().per_page(largest + 1).send().await;
    assert!(
        matches!(refused, Err(kimoby_generated::Error::InvalidRequest { .. })),
        "{refused:?}"
    );
    assert_eq!(remote.received_requests().await.unwrap().len(), 1);
}
