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
