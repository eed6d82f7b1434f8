//! The rest of an operation: `x-kimoby-repeatable`, unknown extensions,
//! parameters, responses and method names.

use crate::*;

#[test]
fn repeatable_that_is_not_a_boolean() {
    let pointer = format!("{CREATE}/x-kimoby-repeatable");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!("no"),
        &pointer,
        "must be `true` or `false`, found `\"no\"`",
    );
}

#[test]
fn unknown_kimoby_extension() {
    assert_manifest_error(
        |manifest| {
            at(manifest, CREATE)
                .as_object_mut()
                .unwrap()
                .insert("x-kimoby-foo".to_owned(), json!(true));
        },
        &format!("{CREATE}/x-kimoby-foo"),
        "unknown extension `x-kimoby-foo`: the generator reads x-kimoby-lookup",
    );
}

#[test]
fn required_query_parameter() {
    assert_manifest_error(
        |manifest| {
            at(manifest, &format!("{LIST}/parameters/2"))
                .as_object_mut()
                .unwrap()
                .insert("required".to_owned(), json!(true));
        },
        &format!("{LIST}/parameters/2/required"),
        "query parameter `color` is required",
    );
}

#[test]
fn undeclared_path_parameter() {
    assert_manifest_error(
        |manifest| *at(manifest, &format!("{REFRESH}/parameters")) = json!([]),
        &format!("{REFRESH}/parameters"),
        "path parameter `id` of `/gizmos/{id}/refresh` is not declared",
    );
}

#[test]
fn declared_path_parameter_missing_from_the_path() {
    let extra = json!({"name": "version", "in": "path", "required": true, "schema": {"type": "integer"}});
    assert_manifest_error(
        |manifest| {
            at(manifest, &format!("{REFRESH}/parameters"))
                .as_array_mut()
                .unwrap()
                .push(extra)
        },
        &format!("{REFRESH}/parameters/1"),
        "path parameter `version` does not appear in `/gizmos/{id}/refresh`",
    );
}

#[test]
fn two_success_responses_with_different_bodies() {
    assert_manifest_error(
        |manifest| *at(manifest, &format!("{CREATE}/responses/201")) = json_response("gizmos.json"),
        &format!("{CREATE}/responses/201"),
        "answers another body than the `200` response",
    );
}

#[test]
fn two_operations_with_the_same_method_name() {
    assert_manifest_error(
        |manifest| *at(manifest, &format!("{REFRESH}/operationId")) = json!("listGizmoParts"),
        &format!("{REFRESH}/operationId"),
        "`listGizmoParts` and `listGizmos` would both be `list()` on `gizmos`",
    );
}

#[test]
fn method_the_client_cannot_send() {
    let operation = at(&mut base(), REFRESH).clone();
    assert_manifest_error(
        |manifest| {
            let item = at(manifest, "/paths/~1gizmos~1{id}~1refresh").as_object_mut().unwrap();
            item.remove("post");
            item.insert("head".to_owned(), operation);
        },
        "/paths/~1gizmos~1{id}~1refresh/head",
        "the client cannot send `HEAD` operations",
    );
}

#[test]
fn path_with_a_parameter_that_is_not_a_whole_segment() {
    assert_manifest_error(
        |manifest| {
            let paths = at(manifest, "/paths").as_object_mut().unwrap();
            let item = paths.remove("/gizmos/{id}/refresh").unwrap();
            paths.insert("/gizmos/v{id}/refresh".to_owned(), item);
        },
        "/paths/~1gizmos~1v{id}~1refresh",
        "path `/gizmos/v{id}/refresh` has a parameter that is not a whole segment",
    );
}

#[test]
fn path_parameter_that_is_neither_a_string_nor_an_integer() {
    assert_manifest_error(
        |manifest| *at(manifest, "/components/parameters/GizmoId/schema") = json!({"type": "boolean"}),
        "/components/parameters/GizmoId/schema",
        "path parameter `id` must be a string or an integer",
    );
}

#[test]
fn query_parameter_without_a_supported_type() {
    assert_manifest_error(
        |manifest| *at(manifest, &format!("{LIST}/parameters/2/schema")) = json!({"type": "array"}),
        &format!("{LIST}/parameters/2/schema"),
        "parameter `color` needs a schema of `type` string, integer or boolean",
    );
}

#[test]
fn request_body_that_is_not_a_reference_to_a_schema_file() {
    let pointer = format!("{CREATE}/requestBody/content/application~1json/schema");
    assert_manifest_error(
        |manifest| *at(manifest, &pointer) = json!({"type": "object"}),
        &format!("{CREATE}/requestBody"),
        "the body must be a `$ref` to a schema file",
    );
}

#[test]
fn paginated_list_without_a_json_response() {
    let pagination = at(&mut base(), &format!("{LIST}/x-kimoby-pagination")).clone();
    assert_manifest_error(
        |manifest| {
            *at(manifest, &format!("{REFRESH}/responses/200")) = json!({"description": "no body"});
            let refresh = at(manifest, REFRESH).as_object_mut().unwrap();
            refresh.insert("x-kimoby-pagination".to_owned(), pagination);
        },
        &format!("{REFRESH}/responses"),
        "a paginated list needs a JSON response body",
    );
}
