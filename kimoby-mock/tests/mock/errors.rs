//! Every 4xx has the documented error body (`error.json`, `application/json`)
//! with a message saying what happened, whatever its cause: a body over the
//! size limit (413), an undocumented method (405), an unknown path (404), a
//! wrong content type (415), a bad path segment (400).

use serde_json::Value;

use crate::common::{Mock, assert_schema};

/// Checks the status, the content type and the message of an error answer,
/// and returns the message.
fn assert_error(answer: &(u16, String, Value), status: u16, message_part: &str) -> String {
    let (actual, content_type, body) = answer;
    assert_eq!(*actual, status, "{body}");
    assert_eq!(content_type, "application/json", "{body}");
    assert_schema("error.json", body);
    let message = body["message"].as_str().expect("a message").to_owned();
    assert!(
        message.contains(message_part),
        "{message:?} should contain {message_part:?}"
    );
    message
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_json_413() {
    let mock = Mock::start().await;
    // Just over axum's 2 MiB default limit of buffered bodies.
    let name = "x".repeat(2 * 1024 * 1024 + 16);
    let body = format!(r#"{{"name": "{name}"}}"#);
    for (method, path) in [
        (reqwest::Method::PUT, "/customers"),
        (reqwest::Method::POST, "/messages"),
    ] {
        let request = mock
            .http
            .request(method.clone(), format!("{}{path}", mock.base))
            .header("content-type", "application/json")
            .body(body.clone());
        let answer = mock.raw(request).await;
        let message = assert_error(&answer, 413, "too large");
        assert!(message.contains(&format!("{method} /v1{path}")), "{message}");
        // The limit in bytes, in words, not the body extractor's phrase.
        assert!(message.ends_with("at most 2097152 bytes are accepted"), "{message}");
        assert!(
            !message.contains("buffer") && !message.contains("length limit"),
            "{message}"
        );
    }
    assert_eq!(mock.server.counts().customers, 0);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn an_undocumented_method_is_a_json_405_that_names_the_allowed_ones() {
    let mock = Mock::start().await;
    // The methods the manifest documents, the look-up forms of the collection path included.
    for (method, path, allowed) in [
        (reqwest::Method::PATCH, "/customers", "GET, HEAD, PUT, DELETE"),
        (reqwest::Method::POST, "/customers/cu1", "GET, HEAD, PUT, DELETE"),
        (reqwest::Method::DELETE, "/messages/1", "GET, HEAD"),
        (reqwest::Method::PUT, "/documents", "POST"),
    ] {
        let url = format!("{}{path}", mock.base);
        let response = mock
            .http
            .request(method.clone(), &url)
            .basic_auth(crate::common::KEY, Some(crate::common::SECRET))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers().get("allow").and_then(|value| value.to_str().ok()),
            Some(allowed),
            "{method} {path}"
        );
        let answer = mock.raw(mock.http.request(method.clone(), &url)).await;
        assert_error(
            &answer,
            405,
            &format!("method {method} is not allowed on /v1{path} (allowed: {allowed})"),
        );
    }
    // The control endpoints too.
    let answer = mock
        .raw(mock.http.delete(format!("{}/health", mock.control_base)))
        .await;
    assert_error(&answer, 405, "method DELETE is not allowed on /_mock/health");
    mock.server.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_are_a_json_404_inside_and_outside_the_api() {
    let mock = Mock::start().await;
    for path in [
        "/v1/nothing",
        "/v1/customers/abc/more",
        "/nothing",
        "/v2/customers",
        "/_mock/nothing",
    ] {
        let answer = mock.raw(mock.http.get(mock.url(path))).await;
        assert_error(&answer, 404, path);
    }
    mock.server.shutdown().await;
}

#[tokio::test]
async fn a_body_in_another_content_type_than_the_manifest_says_is_a_json_415() {
    let mock = Mock::start().await;
    let json_body = r#"{"name": "Text"}"#;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let request = mock
            .http
            .put(format!("{}/customers", mock.base))
            .header("content-type", content_type)
            .body(json_body);
        let answer = mock.raw(request).await;
        assert_error(&answer, 415, "PUT /v1/customers: the body must be application/json");
    }
    let request = mock
        .http
        .post(format!("{}/documents", mock.base))
        .header("content-type", "application/json")
        .body(json_body);
    let answer = mock.raw(request).await;
    assert_error(
        &answer,
        415,
        "the body must be multipart/form-data, not `application/json`",
    );
    assert_eq!(mock.server.counts().customers, 0);

    // Parameters and case do not matter; no content type is read as the manifest's.
    for content_type in [Some("Application/JSON; charset=utf-8"), None] {
        let mut request = mock.http.put(format!("{}/customers", mock.base)).body(json_body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (status, _, body) = mock.raw(request).await;
        assert_eq!(status, 201, "{content_type:?}: {body}");
    }
    mock.server.shutdown().await;
}

#[tokio::test]
async fn bad_json_and_bad_path_segments_are_json_400() {
    let mock = Mock::start().await;
    let request = mock
        .http
        .put(format!("{}/customers", mock.base))
        .header("content-type", "application/json")
        .body("{not json");
    assert_error(&mock.raw(request).await, 400, "not valid JSON");
    let answer = mock.raw(mock.http.get(format!("{}/customers/%FF", mock.base))).await;
    assert_error(&answer, 400, "id");
    mock.server.shutdown().await;
}
