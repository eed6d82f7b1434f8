//! Basic authentication and unknown paths.

use reqwest::Method;

use crate::common::{Mock, assert_schema, decode};

#[tokio::test]
async fn missing_or_wrong_credentials_are_401_with_a_message() {
    let mock = Mock::start().await;
    let url = format!("{}/customers", mock.base);
    let cases = [
        mock.http.get(&url),
        mock.http.get(&url).basic_auth("test-key", Some("wrong")),
        mock.http.get(&url).basic_auth("wrong", Some("test-secret")),
        mock.http.get(&url).bearer_auth("test-secret"),
        mock.http.put(&url).body(r#"{"name": "x"}"#),
    ];
    for request in cases {
        let (status, body) = decode(request.send().await.unwrap()).await;
        assert_eq!(status, 401, "{body}");
        assert_schema("error.json", &body);
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    // Nothing was created by the unauthenticated PUT.
    assert_eq!(mock.server.counts().customers, 0);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_are_json_404_and_control_needs_no_auth() {
    let mock = Mock::start().await;
    let (status, body) = mock.get("/nothing/here").await;
    assert_eq!(status, 404);
    assert_schema("error.json", &body);
    let (status, body) = mock.control(Method::GET, "/health", None).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    mock.server.shutdown().await;
}
