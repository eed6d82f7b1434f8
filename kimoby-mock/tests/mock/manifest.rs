//! The mock follows the manifest it serves (`MockConfig::with_manifest`):
//! the page bounds and defaults of each list, the look-up parameters and the
//! base path; a manifest it cannot serve fails at start-up, naming the JSON
//! pointer of what is wrong.

use kimoby_mock::{MockServer, StartError};
use serde_json::{Value, json};

use crate::common::{Mock, assert_schema, embedded_manifest, test_config};

/// The embedded manifest with `per_page` up to 100 (30 by default) for every
/// list but `listInvoices`, which takes up to 10 (4 by default).
fn other_page_bounds() -> Value {
    let mut manifest = embedded_manifest();
    let parameters = &mut manifest["components"]["parameters"];
    parameters["Page"]["schema"] = json!({"type": "integer", "minimum": 1, "default": 1});
    parameters["PerPage"]["schema"] = json!({"type": "integer", "minimum": 1, "maximum": 100, "default": 30});
    let invoices = manifest["paths"]["/invoices"]["get"]["parameters"]
        .as_array_mut()
        .expect("listInvoices has parameters");
    for parameter in invoices.iter_mut() {
        if parameter["$ref"] == "#/components/parameters/PerPage" {
            *parameter = json!({
                "name": "per_page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 10, "default": 4}
            });
        }
    }
    manifest
}

#[tokio::test]
async fn page_sizes_and_their_default_follow_the_manifest() {
    let mock = Mock::with(test_config().with_manifest(other_page_bounds())).await;
    for index in 0..101 {
        let (status, _) = mock
            .put("/customers", json!({"name": format!("Customer {index:03}")}))
            .await;
        assert_eq!(status, 201);
    }
    let (status, first) = mock.get("/customers").await;
    assert_eq!(status, 200, "{first}");
    assert_schema("customers.json", &first);
    assert_eq!(
        first["pagination"],
        json!({"page": 1, "pages": 4, "items": 101, "per_page": 30})
    );
    assert_eq!(first["customers"].as_array().unwrap().len(), 30);

    let (status, widest) = mock.get("/customers?per_page=100").await;
    assert_eq!(status, 200, "{widest}");
    assert_eq!(widest["customers"].as_array().unwrap().len(), 100);
    assert_eq!(widest["pagination"]["pages"], 2);

    let (status, body) = mock.get("/customers?per_page=101").await;
    assert_eq!(status, 400, "{body}");
    assert_schema("error.json", &body);
    assert_eq!(
        body["message"],
        "per_page: must be an integer greater than 0 and less or equal to 100"
    );
    assert_eq!(mock.get("/customers?page=0").await.0, 400);

    for list in ["/appointments", "/events", "/messages"] {
        let (status, page) = mock.get(list).await;
        assert_eq!(status, 200, "{list}: {page}");
        assert_eq!(page["pagination"]["per_page"], 30, "{list}");
        assert_eq!(mock.get(&format!("{list}?per_page=100")).await.0, 200, "{list}");
        assert_eq!(mock.get(&format!("{list}?per_page=101")).await.0, 400, "{list}");
    }

    // The list with its own bounds.
    let (status, invoices) = mock.get("/invoices").await;
    assert_eq!(status, 200, "{invoices}");
    assert_eq!(invoices["pagination"]["per_page"], 4);
    assert_eq!(mock.get("/invoices?per_page=10").await.0, 200);
    let (status, body) = mock.get("/invoices?per_page=11").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"].as_str().unwrap().ends_with("less or equal to 10"),
        "{body}"
    );
    mock.server.shutdown().await;
}

#[tokio::test]
async fn look_up_parameters_follow_the_manifest() {
    let mut manifest = embedded_manifest();
    // Retrieving finds customers by id only; updating and deleting keep all three.
    manifest["paths"]["/customers/{id}"]["get"]["x-kimoby-lookup"]["query_parameters"] = json!(["id"]);
    let mock = Mock::with(test_config().with_manifest(manifest)).await;
    let customer = mock.customer("CU1", "+15145550001").await;
    let id = customer["id"].as_str().unwrap();

    let (status, found) = mock.get(&format!("/customers?id={id}")).await;
    assert_eq!((status, found["id"].as_str()), (200, Some(id)), "{found}");
    // `reference` is no look-up parameter of GET any more: this is the list.
    let (status, list) = mock.get("/customers?reference=CU1").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["pagination"]["items"], 1, "{list}");

    let (status, updated) = mock.put("/customers?reference=CU1", json!({"name": "Renamed"})).await;
    assert_eq!((status, updated["name"].as_str()), (200, Some("Renamed")), "{updated}");
    let (status, body) = mock.delete("/customers").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["message"],
        "give the customer's id in the path, or one of id, reference, cell_phone_number"
    );
    assert_eq!(mock.delete("/customers?cell_phone_number=%2B15145550001").await.0, 204);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn the_api_is_served_under_the_path_of_the_manifest_server() {
    let mut manifest = embedded_manifest();
    manifest["servers"] = json!([{"url": "https://api.example.com/v2"}]);
    let mock = Mock::with(test_config().with_manifest(manifest)).await;
    assert_eq!(mock.base, mock.url("/v2"));
    assert_eq!(mock.put("/customers", json!({"name": "Two"})).await.0, 201);
    let (status, list) = mock.get("/customers").await;
    assert_eq!((status, list["pagination"]["items"].as_i64()), (200, Some(1)), "{list}");

    let (status, _, body) = mock.raw(mock.http.get(mock.url("/v1/customers"))).await;
    assert_eq!(status, 404, "{body}");
    assert_schema("error.json", &body);
    let (status, health) = mock.control(reqwest::Method::GET, "/health", None).await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    mock.server.shutdown().await;

    // A server URL without a path: the API at the root, next to the control endpoints.
    let mut manifest = embedded_manifest();
    manifest["servers"] = json!([{"url": "https://api.example.com/"}]);
    let mock = Mock::with(test_config().with_manifest(manifest)).await;
    assert_eq!(mock.base, mock.url(""));
    assert_eq!(mock.put("/customers", json!({"name": "Root"})).await.0, 201);
    assert_eq!(mock.get("/customers").await.0, 200);
    let (status, health) = mock.control(reqwest::Method::GET, "/health", None).await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    let (status, _, body) = mock.raw(mock.http.get(mock.url("/nowhere"))).await;
    assert_eq!(status, 404, "{body}");
    assert_schema("error.json", &body);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn a_manifest_the_mock_cannot_serve_fails_at_start_up_with_its_pointer() {
    let start_error = |manifest: Value| async move {
        match MockServer::start(test_config().with_manifest(manifest)).await {
            Err(StartError::Manifest(error)) => error,
            Err(other) => panic!("not a manifest error: {other}"),
            Ok(_) => panic!("the mock started"),
        }
    };
    let mut manifest = embedded_manifest();
    // A query parameter of the manifest (`date_start`), but no field of a customer.
    manifest["paths"]["/customers/{id}"]["put"]["x-kimoby-lookup"]["query_parameters"] =
        json!(["id", "reference", "date_start"]);
    let error = start_error(manifest).await;
    assert_eq!(
        error.pointer,
        "/paths/~1customers~1{id}/put/x-kimoby-lookup/query_parameters/2"
    );
    assert!(
        error.to_string().contains("cannot find a customer by `date_start`"),
        "{error}"
    );

    // A name that is no query parameter at all: the contract model refuses it.
    let mut manifest = embedded_manifest();
    manifest["paths"]["/customers/{id}"]["put"]["x-kimoby-lookup"]["query_parameters"] =
        json!(["id", "reference", "email"]);
    let error = start_error(manifest).await;
    assert_eq!(
        error.pointer,
        "/paths/~1customers~1{id}/put/x-kimoby-lookup/query_parameters/2"
    );
    assert!(
        error.to_string().contains("`email` is not a query parameter"),
        "{error}"
    );

    let mut manifest = embedded_manifest();
    manifest["components"]["parameters"]["PerPage"]["schema"]["maximum"] = json!("fifty");
    let error = start_error(manifest).await;
    assert_eq!(error.pointer, "/components/parameters/PerPage/schema/maximum");

    let mut manifest = embedded_manifest();
    manifest["servers"] = json!([{"url": "https://api.example.com/_mock"}]);
    assert_eq!(start_error(manifest).await.pointer, "/servers/0/url");
}
