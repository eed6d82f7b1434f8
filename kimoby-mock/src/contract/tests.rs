//! The contract read from the embedded manifest and from changed copies, and
//! the pointer every start-up error names.

use axum::http::Method;
use serde_json::{Value, json};

use super::IntegerBounds;
use super::{Collection, Contract, ManifestError};

fn embedded() -> Value {
    serde_json::from_str(kimoby_generated::schemas::manifest()).unwrap()
}

fn error_of(manifest: &Value) -> ManifestError {
    Contract::from_manifest(manifest).expect_err("the manifest is refused")
}

fn names(contract: &Contract, collection: Collection, method: &Method) -> Vec<String> {
    contract.lookup(collection, method).names().map(str::to_owned).collect()
}

#[test]
fn the_embedded_manifest_gives_the_documented_facts() {
    let contract = Contract::embedded().unwrap();
    assert_eq!(contract.base_path(), "/v1");
    let documented = crate::domain::pagination::tests::documented();
    for collection in Collection::ALL {
        assert_eq!(contract.page_bounds(collection), &documented, "{collection:?}");
    }
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        assert_eq!(
            names(&contract, Collection::Customers, &method),
            ["id", "reference", "cell_phone_number"]
        );
        assert_eq!(names(&contract, Collection::Appointments, &method), ["id", "reference"]);
        assert_eq!(names(&contract, Collection::Events, &method), ["id", "reference"]);
    }
    assert!(names(&contract, Collection::Customers, &Method::POST).is_empty());
    assert!(names(&contract, Collection::Messages, &Method::GET).is_empty());
}

#[test]
fn bounds_follow_each_operation_and_its_path_item() {
    let mut manifest = embedded();
    manifest["components"]["parameters"]["PerPage"]["schema"] =
        json!({"type": "integer", "minimum": 1, "maximum": 100, "default": 30});
    manifest["paths"]["/invoices"]["get"]["parameters"] = json!([
        {"$ref": "#/components/parameters/Page"},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 2, "exclusiveMaximum": 11, "default": 5}}
    ]);
    // Parameters of the path item count too; the operation's win.
    manifest["paths"]["/events"]["parameters"] = json!([
        {"name": "page", "in": "query", "schema": {"type": "integer", "exclusiveMinimum": 0, "maximum": 9, "default": 2}},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}}
    ]);
    manifest["paths"]["/events"]["get"]["parameters"] = json!([{"$ref": "#/components/parameters/PerPage"}]);
    let contract = Contract::from_manifest(&manifest).unwrap();
    let customers = contract.page_bounds(Collection::Customers);
    assert_eq!(
        (customers.per_page.maximum, customers.per_page.default),
        (Some(100), 30)
    );
    let invoices = &contract.page_bounds(Collection::Invoices).per_page;
    assert_eq!((invoices.minimum, invoices.maximum, invoices.default), (2, Some(10), 5));
    let events = contract.page_bounds(Collection::Events);
    assert_eq!(
        events.page,
        IntegerBounds {
            name: "page".to_owned(),
            minimum: 1,
            maximum: Some(9),
            default: 2
        }
    );
    assert_eq!(events.per_page.maximum, Some(100));
}

#[test]
fn the_base_path_is_the_path_of_the_first_server() {
    let base_path = |url: &str, variables: Value| {
        let mut manifest = embedded();
        manifest["servers"] = json!([{"url": url, "variables": variables}, {"url": "https://other.example/v9"}]);
        Contract::from_manifest(&manifest).map(|contract| contract.base_path().to_owned())
    };
    assert_eq!(base_path("https://api.example.com/v2/", json!({})).unwrap(), "/v2");
    assert_eq!(base_path("/api/v3", json!({})).unwrap(), "/api/v3");
    assert_eq!(base_path("https://api.example.com", json!({})).unwrap(), "");
    assert_eq!(
        base_path(
            "https://{host}/{version}",
            json!({"host": {"default": "h"}, "version": {"default": "v4"}})
        )
        .unwrap(),
        "/v4"
    );
    let error = base_path("https://h/{version}", json!({})).unwrap_err();
    assert_eq!(error.pointer, "/servers/0/variables/version/default");

    let mut manifest = embedded();
    manifest["servers"] = json!([]);
    assert_eq!(error_of(&manifest).pointer, "/servers");
    manifest["servers"] = json!([{"url": 1}]);
    assert_eq!(error_of(&manifest).pointer, "/servers/0/url");
    assert_eq!(error_of(&json!([])).pointer, "");
    assert_eq!(
        error_of(&json!([])).to_string().split(':').next(),
        Some("manifest, at /")
    );
}

#[test]
fn page_bounds_errors_name_the_schema_keyword() {
    // The keyword at fault, or the whole schema (empty) where the contract
    // model refuses a page parameter that is not a non-negative integer.
    let per_page = "/components/parameters/PerPage/schema";
    for (schema, keyword) in [
        (json!({"type": "integer", "minimum": 1, "maximum": 50}), "default"),
        (
            json!({"type": "integer", "minimum": 1, "maximum": 50, "default": 51}),
            "default",
        ),
        (
            json!({"type": "integer", "minimum": 0, "maximum": 50, "default": 25}),
            "minimum",
        ),
        (json!({"type": "integer", "maximum": 50, "default": 25}), ""),
        (
            json!({"type": "integer", "minimum": 10, "maximum": 5, "default": 7}),
            "maximum",
        ),
        (
            json!({"type": "integer", "minimum": -1, "maximum": 5, "default": 2}),
            "",
        ),
        (
            json!({"type": "integer", "minimum": 1, "maximum": 2.5, "default": 2}),
            "maximum",
        ),
        (
            json!({"type": "string", "minimum": 1, "maximum": 50, "default": 25}),
            "",
        ),
    ] {
        let mut manifest = embedded();
        manifest["components"]["parameters"]["PerPage"]["schema"] = schema.clone();
        let error = error_of(&manifest);
        let expected = if keyword.is_empty() {
            per_page.to_owned()
        } else {
            format!("{per_page}/{keyword}")
        };
        assert_eq!(error.pointer, expected, "{schema}: {error}");
    }

    let mut manifest = embedded();
    manifest["paths"]["/messages"]["get"]["parameters"]
        .as_array_mut()
        .unwrap()
        .retain(|parameter| parameter["$ref"] != "#/components/parameters/PerPage");
    let error = error_of(&manifest);
    assert_eq!(
        error.pointer,
        "/paths/~1messages/get/x-kimoby-pagination/per_page_parameter"
    );
    assert!(error.problem.contains("`per_page`"), "{error}");

    let mut manifest = embedded();
    manifest["paths"]["/customers"]["get"]["parameters"][0] = json!({"$ref": "#/components/parameters/Nothing"});
    assert_eq!(error_of(&manifest).pointer, "/paths/~1customers/get/parameters/0/$ref");
    manifest["paths"]["/customers"]["get"]["parameters"][0] = json!({"$ref": "parameters.json#/Page"});
    assert_eq!(error_of(&manifest).pointer, "/paths/~1customers/get/parameters/0/$ref");

    let mut manifest = embedded();
    manifest["paths"]["/webhooks"]["get"]["x-kimoby-pagination"] = json!({"items": "webhooks"});
    let error = error_of(&manifest);
    assert!(
        error.pointer.starts_with("/paths/~1webhooks/get/x-kimoby-pagination"),
        "{error}"
    );

    let mut manifest = embedded();
    manifest["paths"]["/events"]["get"]
        .as_object_mut()
        .unwrap()
        .remove("x-kimoby-pagination");
    let error = error_of(&manifest);
    assert_eq!(error.pointer, "/paths");
    assert!(error.problem.contains("GET /events"), "{error}");
}

#[test]
fn look_up_forms_are_read_with_their_pointers_or_refused() {
    let lookup = "/paths/~1customers~1{id}/get/x-kimoby-lookup";
    let mut manifest = embedded();
    manifest["paths"]["/customers/{id}"]["get"]["x-kimoby-lookup"]["query_parameters"] = json!(["reference"]);
    let contract = Contract::from_manifest(&manifest).unwrap();
    assert_eq!(names(&contract, Collection::Customers, &Method::GET), ["reference"]);
    assert_eq!(
        names(&contract, Collection::Customers, &Method::PUT),
        ["id", "reference", "cell_phone_number"]
    );
    let form = contract
        .lookup_forms()
        .find(|form| form.collection == Collection::Customers && form.method == Method::GET)
        .unwrap();
    assert_eq!(form.collection_pointer, format!("{lookup}/collection_path"));
    assert_eq!(
        form.parameters.parameters()[0].pointer,
        format!("{lookup}/query_parameters/0")
    );

    for (key, value) in [
        ("collection_path", json!("/webhooks")),
        ("collection_path", json!("/nowhere")),
        ("path_parameter", json!("uuid")),
        ("query_parameters", json!([])),
    ] {
        let mut manifest = embedded();
        manifest["paths"]["/customers/{id}"]["get"]["x-kimoby-lookup"][key] = value.clone();
        let error = error_of(&manifest);
        assert_eq!(error.pointer, format!("{lookup}/{key}"), "{key} = {value}: {error}");
    }

    let mut manifest = embedded();
    manifest["paths"]["/customers/{id}"]["get"]["x-kimoby-lookup"]["query_parameters"] = json!(["id", "id"]);
    assert_eq!(error_of(&manifest).pointer, format!("{lookup}/query_parameters/1"));
}

#[test]
fn body_schemas_follow_statuses_look_ups_and_webhooks() {
    let contract = Contract::embedded().unwrap();
    let schema = |method: Method, path: &str, query: Option<&str>, status: u16| {
        contract
            .response_schema(&method, path, query, status)
            .map(|schema| schema.reference.clone())
    };
    assert_eq!(
        schema(Method::GET, "/customers", None, 200).as_deref(),
        Some("customers.json")
    );
    assert_eq!(
        schema(Method::GET, "/customers", Some("reference=CU1"), 200).as_deref(),
        Some("customer.json")
    );
    assert_eq!(
        schema(Method::GET, "/customers/cu1", None, 404).as_deref(),
        Some("error.json")
    );
    assert_eq!(
        schema(Method::GET, "/customers/cu1", None, 503).as_deref(),
        Some("error.json")
    );
    assert_eq!(schema(Method::DELETE, "/customers/cu1", None, 204), None);
    assert_eq!(schema(Method::GET, "/nowhere", None, 200), None);
    let webhook = contract.webhook_schema("message_updated").unwrap();
    assert_eq!(webhook.reference, "webhook_event.json");
    assert_eq!(
        webhook.pointer,
        "/webhooks/message_updated/post/requestBody/content/application~1json/schema/$ref"
    );
    assert!(contract.webhook_schema("zz_evolved_event").is_none());
}
