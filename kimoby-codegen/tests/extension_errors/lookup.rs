//! `x-kimoby-lookup`: each malformed shape, at its pointer.

use crate::*;

fn lookup_pointer(key: &str) -> String {
    format!("{RETRIEVE}/x-kimoby-lookup{key}")
}

#[test]
fn lookup_that_is_not_an_object() {
    let pointer = lookup_pointer("");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!("id"),
        &pointer,
        "must be an object: path_parameter, collection_path, query_parameters",
    );
}

#[test]
fn lookup_without_a_path_parameter() {
    assert_manifest_error(
        |manifest| remove(manifest, &lookup_pointer("/path_parameter")),
        &lookup_pointer("/path_parameter"),
        "`path_parameter` must be a string",
    );
}

#[test]
fn lookup_path_parameter_that_is_not_a_string() {
    let pointer = lookup_pointer("/path_parameter");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!(5),
        &pointer,
        "`path_parameter` must be a string",
    );
}

#[test]
fn lookup_path_parameter_not_in_the_path() {
    let pointer = lookup_pointer("/path_parameter");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!("serial"),
        &pointer,
        "`serial` is not a path parameter of `/gizmos/{id}`",
    );
}

#[test]
fn lookup_collection_path_with_a_parameter() {
    let pointer = lookup_pointer("/collection_path");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!("/gizmos/{kind}"),
        &pointer,
        "`/gizmos/{kind}` must be a path without parameters",
    );
}

#[test]
fn lookup_without_query_parameters() {
    let pointer = lookup_pointer("/query_parameters");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!([]),
        &pointer,
        "must list the look-up query parameters",
    );
}

#[test]
fn lookup_name_that_is_no_query_parameter_of_the_operation_or_the_components() {
    let pointer = lookup_pointer("/query_parameters/1");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!("colour"),
        &pointer,
        "`colour` is not a query parameter of this operation nor of `components/parameters`",
    );
}

#[test]
fn lookup_names_that_would_be_the_same_variant() {
    let pointer = lookup_pointer("/query_parameters");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!(["serial_number", "serialNumber"]),
        &lookup_pointer("/query_parameters/1"),
        "`serialNumber` would be a second `SerialNumber` variant",
    );
}

#[test]
fn lookups_of_the_same_record_that_disagree() {
    assert_manifest_error(
        |manifest| *at(manifest, &format!("{DELETE}/x-kimoby-lookup/query_parameters")) = json!(["id"]),
        &format!("{DELETE}/x-kimoby-lookup"),
        "`GizmoLookup` is also described by `retrieveGizmo`",
    );
}

#[test]
fn lookup_name_that_is_not_a_string() {
    let pointer = lookup_pointer("/query_parameters/0");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!(5),
        &pointer,
        "`5` is not a parameter name",
    );
}

#[test]
fn lookup_on_a_path_without_a_get_returning_the_record() {
    let lookup = at(&mut base(), &lookup_pointer("")).clone();
    assert_manifest_error(
        |manifest| {
            let refresh = at(manifest, REFRESH).as_object_mut().unwrap();
            refresh.insert("x-kimoby-lookup".to_owned(), lookup);
        },
        &format!("{REFRESH}/x-kimoby-lookup"),
        "a look-up path needs a GET operation returning the record",
    );
}

#[test]
fn lookup_on_a_path_with_two_parameters() {
    let lookup = at(&mut base(), &lookup_pointer("")).clone();
    let kind = json!({"name": "kind", "in": "path", "required": true, "schema": {"type": "string"}});
    let operation = json!({
        "operationId": "fetchGizmoPart", "tags": ["gizmos"],
        "parameters": [kind, {"$ref": "#/components/parameters/GizmoId"}],
        "responses": {"200": json_response("gizmo.json")}, "x-kimoby-lookup": lookup
    });
    assert_manifest_error(
        |manifest| {
            let paths = at(manifest, "/paths").as_object_mut().unwrap();
            paths.insert("/gizmos/{kind}/{id}".to_owned(), json!({"get": operation}));
        },
        "/paths/~1gizmos~1{kind}~1{id}/get/x-kimoby-lookup",
        "a look-up path must have exactly one path parameter",
    );
}
