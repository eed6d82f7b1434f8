//! The compiled client of the `every_extension` fixture, whose manifest uses
//! every `x-kimoby-*` extension the generator reads, builds the requests
//! the manifest describes: look-ups by the id in the path or by `serial` /
//! `code` on the collection path, pagination with the fixture's own names
//! and bounds (`page_number`, `page_size` 5 to 20, `paging.current`,
//! `paging.total_pages`), a date pair set with `created_range` and another
//! pair with `width_and_height`, a `PUT` create that is not repeatable and
//! a `POST` that is, a multipart upload and a `DELETE` without a body.
//!
//! Each test builds a request with [`runtime::Operation::request`] and
//! inspects the [`runtime::RequestSpec`]: nothing is sent. It includes the
//! snapshot index the way `tests/snapshots_compile.rs` does.

use serde_json::json;

#[allow(unused_imports)]
use kimoby_generated::{clearable, custom_attributes, open_enum, runtime, webhooks};

#[rustfmt::skip]
#[allow(dead_code, unused_imports, clippy::all, clippy::pedantic)]
#[path = "snapshots/mod.rs"]
mod snapshots;

use runtime::{Body, InvalidRequestReason, ListOperation, Method, Operation, RequestSpec};
use snapshots::every_extension::client::{self, Client, GadgetLookup, ListGadgets};
use snapshots::every_extension::types::{GadgetList, GadgetRequest};

fn client() -> Client {
    Client::builder("key", "secret")
        .build()
        .expect("a client of the default server")
}

fn request_of(operation: &impl Operation) -> RequestSpec {
    operation.request().expect("the request is valid")
}

fn pairs(spec: &RequestSpec) -> Vec<(&str, &str)> {
    spec.query
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect()
}

/// The parameter an `Error::InvalidRequest` says is out of range.
fn out_of_range_parameter(error: &runtime::Error) -> &'static str {
    match error {
        runtime::Error::InvalidRequest {
            reason: InvalidRequestReason::OutOfRange { parameter, .. },
            ..
        } => parameter,
        other => panic!("expected an out-of-range parameter, got {other:?}"),
    }
}

#[test]
fn default_base_url_is_the_manifests_server_without_its_trailing_slash() {
    assert_eq!(client::DEFAULT_BASE_URL, "https://api.gadgets.example/v3");
    assert_eq!(client().transport().base_url(), "https://api.gadgets.example/v3");
}

mod parameter_groups {
    use super::*;

    #[test]
    fn date_pair_and_other_pair_are_set_by_one_setter_each() {
        let start = chrono::DateTime::parse_from_rfc3339("2024-03-01T00:00:00-05:00").unwrap();
        let end = chrono::DateTime::parse_from_rfc3339("2024-03-31T23:59:59+01:00").unwrap();
        let list = client()
            .gadgets()
            .list()
            .active(true)
            .created_range(start, end)
            .width_and_height(40, 1000);
        let spec = request_of(&list);
        assert_eq!(spec.method, Method::Get);
        assert_eq!(spec.path, "/gadgets");
        assert_eq!(
            pairs(&spec),
            [
                ("created_start", "2024-03-01T00:00:00-05:00"),
                ("created_end", "2024-03-31T23:59:59+01:00"),
                ("width", "40"),
                ("height", "1000"),
                ("active", "true"),
            ]
        );
        assert!(spec.repeatable);
        assert_eq!(spec.body, Body::None);
    }

    #[test]
    fn unset_parameters_and_pages_are_not_sent() {
        let spec = request_of(&client().gadgets().list());
        assert!(spec.query.is_empty(), "{:?}", spec.query);
    }

    #[test]
    fn grouped_integer_outside_its_bounds_is_refused() {
        let error = client()
            .gadgets()
            .list()
            .width_and_height(1, 1001)
            .request()
            .unwrap_err();
        assert_eq!(out_of_range_parameter(&error), "height");
        let error = client().gadgets().list().width_and_height(0, 5).request().unwrap_err();
        assert_eq!(out_of_range_parameter(&error), "width");
    }
}

mod pagination {
    use super::*;

    #[test]
    fn page_parameters_carry_the_manifests_names_and_bounds() {
        let pagination = ListGadgets::PAGINATION;
        assert_eq!(pagination.page.name, "page_number");
        assert_eq!((pagination.page.minimum, pagination.page.default), (Some(1), Some(1)));
        assert_eq!(pagination.per_page.name, "page_size");
        assert_eq!(
            (
                pagination.per_page.minimum,
                pagination.per_page.maximum,
                pagination.per_page.default
            ),
            (Some(5), Some(20), Some(10))
        );
        assert_eq!(pagination.first_page(), 1);
        assert_eq!(pagination.stream_per_page(), Some(20));
    }

    #[test]
    fn selected_page_is_sent_under_the_manifests_names() {
        let list = client().gadgets().list().active(false).page_number(3).page_size(20);
        let selected = list.selected_page();
        assert_eq!((selected.page, selected.per_page), (Some(3), Some(20)));
        let spec = ListGadgets::PAGINATION
            .apply(request_of(&list), selected.page, selected.per_page)
            .unwrap();
        assert_eq!(
            pairs(&spec),
            [("active", "false"), ("page_number", "3"), ("page_size", "20")]
        );
    }

    #[tokio::test]
    async fn page_bounds_are_refused_before_sending() {
        // The default server does not exist: only a check before sending
        // can answer `InvalidRequest`.
        let gadgets = client().gadgets();
        for (list, parameter) in [
            (gadgets.list().page_size(21), "page_size"),
            (gadgets.list().page_size(4), "page_size"),
            (gadgets.list().page_number(0), "page_number"),
        ] {
            let error = list.send().await.unwrap_err();
            assert_eq!(out_of_range_parameter(&error), parameter);
            assert_eq!(error.operation_id(), Some("listGadgets"));
        }
    }

    #[test]
    fn a_page_gives_its_items_and_counts_from_the_manifests_fields() {
        let list: GadgetList = serde_json::from_value(json!({
            "gadgets": [{"id": "g1", "name": "one"}, {"id": "g2", "name": "two"}],
            "paging": {"current": 2, "total_pages": 7},
        }))
        .unwrap();
        let page = ListGadgets::into_page(list);
        assert_eq!(page.info, runtime::PageInfo::new(2, 7));
        let ids: Vec<_> = page.items.iter().map(|gadget| gadget.id.as_str()).collect();
        assert_eq!(ids, ["g1", "g2"]);
    }
}

mod lookups {
    use super::*;
    use runtime::{Lookup, LookupKey};

    #[test]
    fn lookup_has_the_path_form_and_one_variant_per_query_parameter() {
        assert_eq!(GadgetLookup::COLLECTION_PATH, "/gadgets");
        assert_eq!(GadgetLookup::id("g1").key(), LookupKey::Path("g1"));
        assert_eq!(
            GadgetLookup::serial("SN-1").key(),
            LookupKey::Query {
                name: "serial",
                value: "SN-1"
            }
        );
        assert_eq!(
            GadgetLookup::code("G1").key(),
            LookupKey::Query {
                name: "code",
                value: "G1"
            }
        );
    }

    #[test]
    fn retrieve_by_id_puts_the_encoded_id_in_the_path() {
        let spec = request_of(&client().gadgets().retrieve(GadgetLookup::id("a/b c")));
        assert_eq!((spec.method, spec.path.as_str()), (Method::Get, "/gadgets/a%2Fb%20c"));
        assert!(spec.query.is_empty());
    }

    #[test]
    fn retrieve_by_serial_or_code_queries_the_collection_path() {
        // `serial` is declared only in `components/parameters`, `code` also on the operation.
        let by_serial = request_of(&client().gadgets().retrieve(GadgetLookup::serial("SN 1")));
        assert_eq!(by_serial.path, "/gadgets");
        assert_eq!(pairs(&by_serial), [("serial", "SN 1")]);
        let by_code = request_of(&client().gadgets().retrieve(GadgetLookup::code("G1")));
        assert_eq!(pairs(&by_code), [("code", "G1")]);
    }

    #[test]
    fn update_by_serial_sends_the_body_to_the_collection_path() {
        let body = GadgetRequest {
            name: "renamed".to_owned(),
        };
        let spec = request_of(&client().gadgets().update(GadgetLookup::serial("SN-1"), body));
        assert_eq!((spec.method, spec.path.as_str()), (Method::Put, "/gadgets"));
        assert_eq!(pairs(&spec), [("serial", "SN-1")]);
        assert_eq!(spec.body, Body::Json(json!({"name": "renamed"})));
        assert!(spec.repeatable, "an update by PUT may be sent again");
    }

    #[test]
    fn delete_has_no_body_and_answers_nothing() {
        let delete = client().gadgets().delete(GadgetLookup::id("g1"));
        let spec = request_of(&delete);
        assert_eq!((spec.method, spec.path.as_str()), (Method::Delete, "/gadgets/g1"));
        assert_eq!(spec.body, Body::None);
        assert!(spec.repeatable);
        // "no body" in the manifest: `send()` decodes nothing.
        fn answers_nothing<F: std::future::Future<Output = Result<(), runtime::Error>>>(_: F) {}
        answers_nothing(delete.send());
    }
}

mod repeatability_and_bodies {
    use super::*;

    #[test]
    fn put_create_marked_not_repeatable_is_not_repeated() {
        let body = GadgetRequest { name: "new".to_owned() };
        let spec = request_of(&client().gadgets().create(body));
        assert_eq!((spec.method, spec.path.as_str()), (Method::Put, "/gadgets"));
        assert!(
            !spec.repeatable,
            "`x-kimoby-repeatable: false` overrides the PUT default"
        );
        assert_eq!(spec.body, Body::Json(json!({"name": "new"})));
    }

    #[test]
    fn post_marked_repeatable_may_be_repeated() {
        let spec = request_of(&client().gadgets().refresh("g 1"));
        assert_eq!(
            (spec.method, spec.path.as_str()),
            (Method::Post, "/gadgets/g%201/refresh")
        );
        assert!(
            spec.repeatable,
            "`x-kimoby-repeatable: true` overrides the POST default"
        );
        assert_eq!(spec.body, Body::None);
    }

    #[test]
    fn multipart_upload_sends_the_file_and_is_not_repeated() {
        let file = runtime::MultipartFile::new("photo.png", "image/png", b"PNG".to_vec());
        let spec = request_of(&client().gadgets().upload("g1", file.clone()));
        assert_eq!((spec.method, spec.path.as_str()), (Method::Post, "/gadgets/g1/photo"));
        assert!(!spec.repeatable, "a POST without the extension is not repeated");
        assert_eq!(spec.body, Body::Multipart(file));
    }
}
