//! The document and webhook operations: uploads from bytes and from a path,
//! retrieve and delete; the bare webhook array, create, update and delete.

use super::*;

#[tokio::test]
async fn upload_document_from_bytes() {
    let server = server_answering(201, Some(&text("document/create_response.json"))).await;
    let content = b"\x89PNG\r\n\x1a\n\0\0 not really a png".to_vec();
    let file = MultipartFile::new("test.png", "image/png", content.clone());
    let document = client(&server).documents().upload(file).send().await.unwrap();
    let sent = Sent::Multipart("test.png", "image/png", &content);
    expect_sent(&server, "POST /v1/documents", sent).await;
    assert_eq!(document, typed::<types::Document>("document/create_response.json"));
    assert_eq!((document.id, document.type_.as_str()), (1234, "image/png"));
}

#[tokio::test]
async fn upload_document_from_a_path() {
    let dir = std::env::temp_dir().join(format!("kimoby-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scan 1.pdf");
    let content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    std::fs::write(&path, &content).unwrap();

    let file = MultipartFile::from_path(&path, "application/pdf").await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        (file.field_name.as_str(), file.file_name.as_str()),
        ("file", "scan 1.pdf")
    );
    assert_eq!(file.content_type, "application/pdf");

    let server = server_answering(201, Some(&text("document/create_response.json"))).await;
    client(&server).documents().upload(file).send().await.unwrap();
    let sent = Sent::Multipart("scan 1.pdf", "application/pdf", &content);
    expect_sent(&server, "POST /v1/documents", sent).await;
}

#[tokio::test]
async fn retrieve_and_delete_document_by_integer_id() {
    let server = server_with("document/retrieve_response.json").await;
    let document = client(&server).documents().retrieve(1234).send().await.unwrap();
    expect_sent(&server, "GET /v1/documents/1234", Sent::Nothing).await;
    assert_eq!(document, typed::<types::Document>("document/retrieve_response.json"));

    let server = server_answering(204, None).await;
    client(&server).documents().delete(1234).send().await.unwrap();
    expect_sent(&server, "DELETE /v1/documents/1234", Sent::Nothing).await;
}

#[tokio::test]
async fn list_webhooks_is_a_bare_array() {
    let server = server_with("webhooks/list_response.json").await;
    let list = client(&server).webhooks().list().send().await.unwrap();
    expect_sent(&server, "GET /v1/webhooks", Sent::Nothing).await;
    assert_eq!(list, typed::<types::WebhookList>("webhooks/list_response.json"));
    assert_eq!(list[0].id, "WH487d9d59d5511879e2eda871b5cac50c");
}

#[tokio::test]
async fn create_webhook_returns_the_authentication_key() {
    let server = server_answering(201, Some(&text("webhook_with_authentication_key/create_response.json"))).await;
    let webhook = client(&server)
        .webhooks()
        .create(typed("webhook_request/create.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("webhook_request/create.json"));
    let request = expect_sent(&server, "POST /v1/webhooks", sent).await;
    assert_eq!(request.body, br#"{"url":"https://your.app.com/webhook/path"}"#);
    assert_eq!(webhook.authentication_key, "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw");
}

#[tokio::test]
async fn update_and_delete_webhook() {
    let server = server_with("webhook/update_response.json").await;
    let id = "WH487d9d59d5511879e2eda871b5cac50c";
    let webhook = client(&server)
        .webhooks()
        .update(id, typed("webhook_request/update.json"))
        .send()
        .await
        .unwrap();
    let sent = Sent::Json(json_fixture("webhook_request/update.json"));
    expect_sent(&server, &format!("PUT /v1/webhooks/{id}"), sent).await;
    assert_eq!(webhook, typed::<types::Webhook>("webhook/update_response.json"));

    let server = server_answering(204, None).await;
    client(&server).webhooks().delete("WH 1/2").send().await.unwrap();
    expect_sent(&server, "DELETE /v1/webhooks/WH%201%2F2", Sent::Nothing).await;
}
