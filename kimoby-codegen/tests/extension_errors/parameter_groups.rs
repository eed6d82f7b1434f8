//! `x-kimoby-parameter-groups`: each malformed shape, at its pointer.

use crate::*;

fn groups_pointer(suffix: &str) -> String {
    format!("{LIST}/x-kimoby-parameter-groups{suffix}")
}

fn groups(value: Value) -> impl FnOnce(&mut Value) {
    move |manifest| *at(manifest, &groups_pointer("")) = value
}

#[test]
fn groups_that_are_not_an_array() {
    assert_manifest_error(
        groups(json!({"date": ["date_start", "date_end"]})),
        &groups_pointer(""),
        "must be an array of arrays of query parameter names",
    );
}

#[test]
fn group_that_is_not_an_array() {
    assert_manifest_error(
        groups(json!(["date_start"])),
        &groups_pointer("/0"),
        "a group must be an array of query parameter names",
    );
}

#[test]
fn group_of_one_parameter() {
    assert_manifest_error(
        groups(json!([["date_start"]])),
        &groups_pointer("/0"),
        "a group needs at least two parameters",
    );
}

#[test]
fn group_member_that_is_not_a_name() {
    assert_manifest_error(
        groups(json!([["date_start", 3]])),
        &groups_pointer("/0/1"),
        "`3` is not a parameter name",
    );
}

#[test]
fn group_member_that_is_no_query_parameter_of_the_operation() {
    assert_manifest_error(
        groups(json!([["date_start", "date_stop"]])),
        &groups_pointer("/0/1"),
        "`date_stop` is not a query parameter of this operation",
    );
}

#[test]
fn parameter_in_two_groups() {
    assert_manifest_error(
        groups(json!([["date_start", "date_end"], ["date_end", "color"]])),
        &groups_pointer("/1/0"),
        "`date_end` is in two groups",
    );
}

#[test]
fn group_with_a_page_parameter() {
    assert_manifest_error(
        groups(json!([["color", "page"]])),
        &groups_pointer("/0/1"),
        "`page` is not a query parameter of this operation that has a setter \
         (page and look-up parameters cannot be grouped)",
    );
}
