//! `x-kimoby-pagination`: each malformed shape, at its pointer.

use crate::*;

fn pagination_pointer(key: &str) -> String {
    format!("{LIST}/x-kimoby-pagination{key}")
}

fn set(key: &str, value: Value) -> impl FnOnce(&mut Value) {
    let pointer = pagination_pointer(key);
    move |manifest| *at(manifest, &pointer) = value
}

#[test]
fn pagination_that_is_not_an_object() {
    assert_manifest_error(
        set("", json!(["page"])),
        &pagination_pointer(""),
        "must be an object: items, page_parameter",
    );
}

#[test]
fn pagination_without_each_of_its_six_keys() {
    for key in [
        "items",
        "page_parameter",
        "per_page_parameter",
        "pagination_property",
        "page_field",
        "pages_field",
    ] {
        let pointer = pagination_pointer(&format!("/{key}"));
        assert_manifest_error(
            |manifest| remove(manifest, &pointer),
            &pointer,
            &format!("`{key}` must be a non-empty string"),
        );
    }
}

#[test]
fn pagination_items_that_are_not_an_array_property() {
    assert_manifest_error(
        set("/items", json!("pagination")),
        &pagination_pointer("/items"),
        "`GizmoList` has no array property `pagination` of referenced items",
    );
}

#[test]
fn page_parameter_that_is_not_a_query_parameter_of_the_operation() {
    assert_manifest_error(
        set("/page_parameter", json!("offset")),
        &pagination_pointer("/page_parameter"),
        "`offset` is not a query parameter of this operation",
    );
}

#[test]
fn page_parameter_that_is_not_an_integer() {
    assert_manifest_error(
        |manifest| *at(manifest, "/components/parameters/Page/schema") = json!({"type": "string"}),
        "/components/parameters/Page/schema",
        "page parameter `page` must be an integer with a `minimum` of 0 or more",
    );
}

#[test]
fn page_size_parameter_without_a_minimum() {
    assert_manifest_error(
        |manifest| remove(manifest, "/components/parameters/PerPage/schema/minimum"),
        "/components/parameters/PerPage/schema",
        "page parameter `per_page` must be an integer with a `minimum` of 0 or more",
    );
}

#[test]
fn page_and_page_size_parameters_that_are_the_same() {
    assert_manifest_error(
        set("/per_page_parameter", json!("page")),
        &pagination_pointer("/per_page_parameter"),
        "the page and page-size parameters must differ",
    );
}

#[test]
fn pagination_property_that_is_missing() {
    assert_manifest_error(
        set("/pagination_property", json!("paging")),
        &pagination_pointer("/pagination_property"),
        "`GizmoList` has no required property `paging` referring to a pagination schema",
    );
}

#[test]
fn pagination_property_that_is_not_required() {
    let optional = GIZMOS.replace(r#""required": ["gizmos", "pagination"]"#, r#""required": ["gizmos"]"#);
    assert_error(
        generate_files(&base(), &optional, PAGE_COUNTS),
        &pagination_pointer("/pagination_property"),
        "`GizmoList` has no required property `pagination`",
    );
}

#[test]
fn page_field_that_is_not_an_integer() {
    assert_manifest_error(
        set("/page_field", json!("label")),
        &pagination_pointer("/page_field"),
        "`PageCounts` has no required integer property `label`",
    );
}

#[test]
fn pages_field_that_is_not_required() {
    let optional = PAGE_COUNTS.replace(r#""required": ["page", "pages", "label"]"#, r#""required": ["page"]"#);
    assert_error(
        generate_files(&base(), GIZMOS, &optional),
        &pagination_pointer("/pages_field"),
        "`PageCounts` has no required integer property `pages`",
    );
}
