//! Pagination: 25 by default, at most 50, `page`/`pages`/`items`/`per_page`,
//! anything out of range is a 400.

use serde_json::json;

use crate::common::{Mock, assert_schema};

#[tokio::test]
async fn pages_as_documented() {
    let mock = Mock::start().await;
    for index in 0..60 {
        let (status, _) = mock
            .put("/customers", json!({"name": format!("Customer {index:02}")}))
            .await;
        assert_eq!(status, 201);
    }
    let (status, first) = mock.get("/customers").await;
    assert_eq!(status, 200);
    assert_schema("customers.json", &first);
    assert_eq!(
        first["pagination"],
        json!({"page": 1, "pages": 3, "items": 60, "per_page": 25})
    );
    assert_eq!(first["customers"].as_array().unwrap().len(), 25);
    assert_eq!(first["customers"][0]["name"], "Customer 00", "oldest first");

    let (_, last) = mock.get("/customers?page=2&per_page=50").await;
    assert_eq!(
        last["pagination"],
        json!({"page": 2, "pages": 2, "items": 60, "per_page": 50})
    );
    assert_eq!(last["customers"].as_array().unwrap().len(), 10);
    assert_eq!(last["customers"][0]["name"], "Customer 50");

    let (status, beyond) = mock.get("/customers?page=9").await;
    assert_eq!(status, 200);
    assert_eq!(beyond["customers"], json!([]));
    assert_eq!(beyond["pagination"]["page"], 9);

    for bad in [
        "page=0",
        "page=-1",
        "page=one",
        "per_page=0",
        "per_page=51",
        "per_page=2.5",
    ] {
        let (status, body) = mock.get(&format!("/customers?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_schema("error.json", &body);
    }
    for list in ["/appointments", "/events", "/messages", "/invoices"] {
        let (status, page) = mock.get(&format!("{list}?per_page=51")).await;
        assert_eq!(status, 400, "{list}: {page}");
        let (status, page) = mock.get(list).await;
        assert_eq!(status, 200);
        assert_eq!(
            page["pagination"],
            json!({"page": 1, "pages": 0, "items": 0, "per_page": 25}),
            "{list}"
        );
    }
    mock.server.shutdown().await;
}

#[tokio::test]
async fn a_page_in_the_middle_of_a_long_list_has_exact_ids_and_pagination() {
    let mock = Mock::start().await;
    let mut ids = Vec::new();
    for index in 0..300 {
        let (status, created) = mock
            .put("/customers", json!({"name": format!("Customer {index:03}")}))
            .await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    // Deleted customers before and inside the page are not counted.
    let deleted = [5, 120, 170];
    for index in deleted {
        assert_eq!(mock.delete(&format!("/customers/{}", ids[index])).await.0, 204);
    }
    let remaining: Vec<&String> = ids
        .iter()
        .enumerate()
        .filter(|(index, _)| !deleted.contains(index))
        .map(|(_, id)| id)
        .collect();
    let (status, page) = mock.get("/customers?page=4&per_page=50").await;
    assert_eq!(status, 200, "{page}");
    assert_schema("customers.json", &page);
    let page_ids: Vec<&str> = page["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|customer| customer["id"].as_str().unwrap())
        .collect();
    assert_eq!(page_ids, remaining[150..200]);
    assert_eq!(page["customers"][0]["name"], "Customer 152");
    assert_eq!(
        page["pagination"],
        json!({"page": 4, "pages": 6, "items": 297, "per_page": 50})
    );
    mock.server.shutdown().await;
}

#[tokio::test]
async fn a_page_in_the_middle_of_a_filtered_list_has_exact_ids_and_pagination() {
    let mock = Mock::start().await;
    mock.customer("A", "+15145550001").await;
    let mut ids = Vec::new();
    for hour in 0..120 {
        let start_at = format!("2030-01-{:02}T{:02}:00:00Z", 1 + hour / 24, hour % 24);
        let (status, created) = mock
            .put(
                "/appointments",
                json!({"start_at": start_at, "customer": {"reference": "A"}}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    // Appointments 10 to 109 start within the range (both ends included).
    let range = "date_start=2030-01-01T10:00:00Z&date_end=2030-01-05T13:00:00Z";
    let (status, page) = mock.get(&format!("/appointments?{range}&page=2&per_page=30")).await;
    assert_eq!(status, 200, "{page}");
    assert_schema("appointments.json", &page);
    let page_ids: Vec<&str> = page["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|appointment| appointment["id"].as_str().unwrap())
        .collect();
    assert_eq!(page_ids, ids[40..70]);
    assert_eq!(
        page["pagination"],
        json!({"page": 2, "pages": 4, "items": 100, "per_page": 30})
    );
    let (_, last) = mock.get(&format!("/appointments?{range}&page=4&per_page=30")).await;
    assert_eq!(last["appointments"].as_array().unwrap().len(), 10);
    assert_eq!(last["appointments"][9]["id"].as_str(), Some(ids[109].as_str()));
    mock.server.shutdown().await;
}
