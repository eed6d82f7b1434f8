//! Customers: look-ups, uniqueness, clearing, the subscription rule, custom
//! attributes and validation messages.

use serde_json::json;

use crate::common::{Mock, assert_schema};

#[tokio::test]
async fn found_by_path_id_and_every_lookup_parameter() {
    let mock = Mock::start().await;
    let created = mock.customer("CU000001", "+14182031234").await;
    assert_schema("customer.json", &created);
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("cu") && id.len() == 34, "{id}");
    assert_eq!(created["is_unsubscribed"], false);
    assert_eq!(created["created_at"], created["updated_at"]);

    for path in [
        format!("/customers/{id}"),
        format!("/customers?id={id}"),
        "/customers?reference=CU000001".to_owned(),
        "/customers?cell_phone_number=%2B14182031234".to_owned(),
    ] {
        let (status, found) = mock.get(&path).await;
        assert_eq!(status, 200, "{path}: {found}");
        assert_eq!(found["id"], created["id"], "{path}");
    }
    // A raw `+` decodes as a space: no such number.
    assert_eq!(mock.get("/customers?cell_phone_number=+14182031234").await.0, 404);
    // Exactly one look-up parameter.
    let (status, body) = mock.get(&format!("/customers?id={id}&reference=CU000001")).await;
    assert_eq!(status, 400, "{body}");

    let (status, updated) = mock
        .put(
            "/customers?reference=CU000001",
            json!({"name": "John Doe", "city": "Quebec"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        (updated["name"].as_str(), updated["city"].as_str()),
        (Some("John Doe"), Some("Quebec"))
    );
    assert_eq!(
        updated["cell_phone_number"], "+14182031234",
        "absent attributes are kept"
    );
    assert_schema("customer.json", &updated);

    let (status, _) = mock.delete("/customers?cell_phone_number=%2B14182031234").await;
    assert_eq!(status, 204);
    assert_eq!(mock.get(&format!("/customers/{id}")).await.0, 404);
    assert_eq!(mock.put(&format!("/customers/{id}"), json!({"name": "x"})).await.0, 404);
    assert_eq!(mock.delete(&format!("/customers/{id}")).await.0, 404);
    assert_eq!(mock.delete("/customers").await.0, 400, "a delete needs a look-up");
    mock.server.shutdown().await;
}

#[tokio::test]
async fn reference_and_cell_phone_number_are_unique_per_account() {
    let mock = Mock::start().await;
    mock.customer("A", "+15145550001").await;
    let other = mock.customer("B", "+15145550002").await;
    let (status, body) = mock.put("/customers", json!({"name": "x", "reference": "A"})).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("reference"), "{body}");
    let (status, body) = mock
        .put("/customers", json!({"name": "x", "cell_phone_number": "+15145550001"}))
        .await;
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().starts_with("cell_phone_number"),
        "{body}"
    );
    let path = format!("/customers/{}", other["id"].as_str().unwrap());
    assert_eq!(mock.put(&path, json!({"name": "B", "reference": "A"})).await.0, 400);
    // References are case sensitive; a customer keeps its own values.
    assert_eq!(mock.put(&path, json!({"name": "B", "reference": "a"})).await.0, 200);
    assert_eq!(
        mock.put(&path, json!({"name": "B", "cell_phone_number": "+15145550002"}))
            .await
            .0,
        200
    );
    assert_eq!(mock.server.counts().customers, 2);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn updates_and_deletes_free_reference_and_cell_phone_number() {
    let mock = Mock::start().await;
    let first = mock.customer("A", "+15145550001").await;
    let second = mock.customer("B", "+15145550002").await;
    let first_path = format!("/customers/{}", first["id"].as_str().unwrap());
    let second_path = format!("/customers/{}", second["id"].as_str().unwrap());

    // An update gives up the old values: another customer may take them.
    let (status, updated) = mock
        .put(
            &first_path,
            json!({"name": "A", "reference": "A2", "cell_phone_number": "+15145550003"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(mock.get("/customers?reference=A").await.0, 404);
    assert_eq!(mock.get("/customers?reference=A2").await.1["id"], first["id"]);
    let third = mock.customer("A", "+15145550001").await;
    let (status, _) = mock.put("/customers", json!({"name": "x", "reference": "A2"})).await;
    assert_eq!(status, 400, "the new values are taken");

    // A refused update keeps the customer's values.
    let (status, _) = mock
        .put(
            &second_path,
            json!({"name": "B", "reference": "A2", "cell_phone_number": "+15145550009"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(mock.get("/customers?reference=B").await.1["id"], second["id"]);
    assert_eq!(mock.get("/customers?cell_phone_number=%2B15145550009").await.0, 404);

    // `null` gives a value up.
    let (status, _) = mock
        .put(
            &second_path,
            json!({"name": "B", "reference": null, "cell_phone_number": null}),
        )
        .await;
    assert_eq!(status, 200);
    mock.customer("B", "+15145550002").await;

    // So does deleting the customer.
    let third_path = format!("/customers/{}", third["id"].as_str().unwrap());
    assert_eq!(mock.delete(&third_path).await.0, 204);
    assert_eq!(mock.get("/customers?cell_phone_number=%2B15145550001").await.0, 404);
    mock.customer("A", "+15145550001").await;
    assert_eq!(mock.server.counts().customers, 4);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn null_clears_and_strings_come_back_empty() {
    let mock = Mock::start().await;
    let (_, created) = mock
        .put(
            "/customers",
            json!({"name": "John", "email": "john.doe@example.com", "country": "CA",
                   "phones": {"home": "5149873473", "work": "+1 (877) 247-9367"}}),
        )
        .await;
    let path = format!("/customers/{}", created["id"].as_str().unwrap());
    let (status, updated) = mock
        .put(
            &path,
            json!({"name": "John", "email": null, "country": null, "phones": {"home": null}}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["email"], "");
    assert_eq!(updated["phones"], json!({"home": "", "work": "+1 (877) 247-9367"}));
    assert!(updated.get("country").is_none(), "{updated}");
    assert_schema("customer.json", &updated);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn is_unsubscribed_never_goes_back_to_false_through_the_api() {
    let mock = Mock::start().await;
    let created = mock.customer("C", "+15145550003").await;
    let path = format!("/customers/{}", created["id"].as_str().unwrap());
    let (_, updated) = mock.put(&path, json!({"name": "C", "is_unsubscribed": true})).await;
    assert_eq!(updated["is_unsubscribed"], true);
    let (status, updated) = mock.put(&path, json!({"name": "C", "is_unsubscribed": false})).await;
    assert_eq!(status, 200);
    assert_eq!(updated["is_unsubscribed"], true, "still unsubscribed");
    assert_eq!(mock.get(&path).await.1["is_unsubscribed"], true);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn custom_attributes_are_snake_cased_typed_and_removable() {
    let mock = Mock::start().await;
    let (status, created) = mock
        .put(
            "/customers",
            json!({"name": "A", "custom_attributes": {
                "Vehicle Year": 2012, "vehicle": "Audi",
                "Last Visit_date": "2013-02-12T00:00:00-05:00", "product names_array": ["Premium", 2]}}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["custom_attributes"],
        json!({"vehicle_year": 2012.0, "vehicle": "Audi", "last_visit_date": "2013-02-12T05:00:00+00:00",
               "product_names_array": ["Premium", "2"]})
    );
    assert!(
        created["custom_attributes"]["vehicle_year"].is_f64(),
        "numbers are floats"
    );
    assert_schema("customer.json", &created);
    let path = format!("/customers/{}", created["id"].as_str().unwrap());

    // null removes; absent names are kept.
    let (_, updated) = mock
        .put(&path, json!({"name": "A", "custom_attributes": {"vehicle": null}}))
        .await;
    assert!(updated["custom_attributes"].get("vehicle").is_none());
    assert_eq!(updated["custom_attributes"]["vehicle_year"], 2012.0);

    // One data type per name on customers ...
    let (status, body) = mock
        .put(
            "/customers",
            json!({"name": "B", "custom_attributes": {"vehicle_year": "2012"}}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("vehicle_year"), "{body}");
    // ... but another kind may use it as a string.
    let customer = mock.customer("R", "+15145550004").await;
    let (status, appointment) = mock
        .put(
            "/appointments",
            json!({"start_at": "2030-01-20T14:00:00Z", "customer": {"id": customer["id"]},
                   "custom_attributes": {"vehicle_year": "2012"}}),
        )
        .await;
    assert_eq!(status, 201, "{appointment}");
    assert_eq!(appointment["custom_attributes"]["vehicle_year"], "2012");

    // A `_date` name needs a date, once snake_cased too.
    let (status, _) = mock
        .put(
            "/customers",
            json!({"name": "C", "custom_attributes": {"Next Date": "soon"}}),
        )
        .await;
    assert_eq!(status, 400);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn bad_bodies_are_400_naming_the_field() {
    let mock = Mock::start().await;
    let cases = [
        (
            json!({"name": "x", "cell_phone_number": "4182031234"}),
            "cell_phone_number",
        ),
        (json!({"reference": "x"}), "name"),
        (json!({"name": "x", "email": "not an email"}), "email"),
        (json!({"name": "x", "country": "Canada"}), "country"),
        (json!({"name": "x", "phones": {"home": "1".repeat(31)}}), "phones.home"),
        (json!({"name": "x", "favourite": "colour"}), "favourite"),
        (json!({"name": 5}), "name"),
    ];
    for (body, field) in cases {
        let (status, error) = mock.put("/customers", body.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert_schema("error.json", &error);
        assert!(error["message"].as_str().unwrap().contains(field), "{field}: {error}");
    }
    let response = mock
        .http
        .put(format!("{}/customers", mock.base))
        .basic_auth("test-key", Some("test-secret"))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(mock.server.counts().customers, 0);
    mock.server.shutdown().await;
}
