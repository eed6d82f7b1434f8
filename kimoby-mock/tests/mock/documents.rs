//! Documents: multipart upload, retrieval, content, attachment, deletion.

use serde_json::json;

use crate::common::{Mock, assert_schema, decode};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really an image";

async fn upload(mock: &Mock, name: &str, media_type: &str, bytes: &[u8]) -> (u16, serde_json::Value) {
    let boundary = "kimoby-mock-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {media_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = mock
        .http
        .post(format!("{}/documents", mock.base))
        .basic_auth("test-key", Some("test-secret"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    decode(response).await
}

#[tokio::test]
async fn upload_retrieve_attach_and_delete() {
    let mock = Mock::start().await;
    let (status, document) = upload(&mock, "test.png", "image/png", PNG).await;
    assert_eq!(status, 201, "{document}");
    assert_schema("document.json", &document);
    assert_eq!(
        (document["name"].as_str(), document["type"].as_str()),
        (Some("test.png"), Some("image/png"))
    );
    let id = document["id"].as_i64().expect("an integer id");

    let (status, fetched) = mock.get(&format!("/documents/{id}")).await;
    assert_eq!((status, &fetched), (200, &document));
    let content = mock.http.get(document["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(content.headers()["content-type"], "image/png");
    assert_eq!(content.bytes().await.unwrap().as_ref(), PNG);

    mock.customer("CU1", "+14182031234").await;
    let (status, message) = mock
        .post(
            "/messages",
            json!({"customer": {"reference": "CU1"}, "body": "See attached", "documents": [id]}),
        )
        .await;
    assert_eq!(status, 201, "{message}");
    assert_eq!(message["documents"], json!([document["url"]]));

    assert_eq!(mock.delete(&format!("/documents/{id}")).await.0, 204);
    assert_eq!(mock.get(&format!("/documents/{id}")).await.0, 404);
    assert_eq!(mock.delete(&format!("/documents/{id}")).await.0, 404);
    assert_eq!(mock.get("/documents/not-a-number").await.0, 404);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn a_body_without_a_file_part_is_400() {
    let mock = Mock::start().await;
    let boundary = "kimoby-mock-test-boundary";
    let only_another_part =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{boundary}--\r\n");
    let response = mock
        .http
        .post(format!("{}/documents", mock.base))
        .basic_auth("test-key", Some("test-secret"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(only_another_part)
        .send()
        .await
        .unwrap();
    let (status, body) = decode(response).await;
    assert_eq!(status, 400, "{body}");
    assert_schema("error.json", &body);
    assert!(
        body["message"].as_str().unwrap().starts_with("file: is required"),
        "{body}"
    );
    // A JSON body is not the multipart/form-data the manifest says: a 415.
    let (status, body) = mock.post("/documents", json!({"file": "x"})).await;
    assert_eq!(status, 415, "{body}");
    assert_schema("error.json", &body);
    let (status, _) = upload(&mock, "", "text/plain", b"no file name").await;
    assert_eq!(status, 400);
    assert_eq!(mock.server.counts().documents, 0);
    mock.server.shutdown().await;
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_the_limit_in_bytes() {
    let mock = Mock::start().await;
    // Just over the largest document, and far over it (20 MiB, past the body limit).
    for size in [4_194_304, 20 * 1024 * 1024] {
        let (status, body) = upload(&mock, "big.png", "image/png", &vec![0; size]).await;
        assert_eq!(status, 400, "{body}");
        assert_schema("error.json", &body);
        let message = body["message"].as_str().unwrap();
        assert_eq!(message, "file: must be at most 4194303 bytes", "{size} bytes");
    }
    assert_eq!(mock.server.counts().documents, 0);
    mock.server.shutdown().await;
}
