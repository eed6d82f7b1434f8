//! Pagination with `paginate_from`: three full pages, and the stops on a
//! server that repeats page one, on growing pages and on an empty middle page.

use super::*;

fn page_body(page: u64, pages: u64, count: usize) -> Value {
    let customers: Vec<Value> = (0..count).map(|i| json!({"id": format!("p{page}-{i}")})).collect();
    json!({
        "customers": customers,
        "pagination": {"page": page, "pages": pages, "items": 110, "per_page": 50}
    })
}

async fn collect_customers(client: &Transport) -> Vec<Result<Value, Error>> {
    paginate_from("list_customers", 1, |page| {
        let client = client.clone();
        async move { fetch_page(&client, page).await }
    })
    .collect()
    .await
}

#[tokio::test]
async fn pagination_follows_three_pages_of_fifty() {
    let server = MockServer::start().await;
    for (page, count) in [(1, 50), (2, 50), (3, 10)] {
        Mock::given(method("GET"))
            .and(path("/v1/customers"))
            .and(query_param("page", page.to_string()))
            .and(query_param("per_page", "50"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_body(page, 3, count)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let items = collect_customers(&client(&server)).await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 110);
    assert_eq!(ids[0], "p1-0");
    assert_eq!(ids[50], "p2-0");
    assert_eq!(ids[109], "p3-9");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn pagination_stops_on_a_server_that_always_answers_page_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(1, 5, 50)))
        .mount(&server)
        .await;
    let items = collect_customers(&client(&server)).await;
    assert_eq!(items.len(), 51);
    assert!(items[..50].iter().all(Result::is_ok));
    let err = items[50].as_ref().unwrap_err();
    assert!(matches!(err, Error::Pagination { page: 2, .. }), "{err}");
    assert!(err.to_string().contains("list_customers"), "{err}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn pagination_stops_when_pages_grow_or_a_middle_page_is_empty() {
    for (second, expected_ok) in [(page_body(2, 1_000_000, 50), 50), (page_body(2, 3, 0), 50)] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(query_param("page", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_body(1, 3, 50)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(second))
            .mount(&server)
            .await;
        let items = collect_customers(&client(&server)).await;
        assert_eq!(items.len(), expected_ok + 1);
        assert!(matches!(items.last(), Some(Err(Error::Pagination { page: 2, .. }))));
        assert_eq!(received(&server).await.len(), 2);
    }
}
