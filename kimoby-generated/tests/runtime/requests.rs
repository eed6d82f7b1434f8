//! Exact requests: the method, path, query, headers and body that go out
//! (JSON, an encoded path, a multipart upload), and the arguments refused
//! before anything is sent.

use super::*;

#[tokio::test]
async fn get_sends_exact_method_path_query_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param("cell_phone_number", "+14182031234"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"customers": []})))
        .expect(1)
        .mount(&server)
        .await;
    let spec = RequestSpec::new("list_customers", Method::Get, "/customers")
        .query("cell_phone_number", "+14182031234")
        .query("page", "2")
        .query_integer(&PER_PAGE, 50)
        .unwrap();
    let body: Value = client(&server).execute_json(spec).await.unwrap();
    assert_eq!(body, json!({"customers": []}));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.path(), "/v1/customers");
    assert_eq!(
        r.url.query(),
        Some("cell_phone_number=%2B14182031234&page=2&per_page=50")
    );
    assert_eq!(
        header(r, "authorization"),
        Some(format!("Basic {}", basic_token()).as_str())
    );
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(
        header(r, "user-agent"),
        Some(concat!("kimoby-generated/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(header(r, "content-type"), None);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn put_sends_json_body_to_an_encoded_path() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/customers/CU%2B1%2F2%20x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "CU+1/2 x"})))
        .mount(&server)
        .await;
    let spec = RequestSpec::new(
        "update_customer",
        Method::Put,
        format!("/customers/{}", encode_path_segment("CU+1/2 x")),
    )
    .body(Body::json(&json!({"name": "Jane", "cell_phone_number": "+14182031234"})).unwrap());
    let _: Value = builder(&server.uri())
        .user_agent("my-app/1.0")
        .build()
        .unwrap()
        .execute_json(spec)
        .await
        .unwrap();
    let r = &received(&server).await[0];
    assert_eq!(header(r, "content-type"), Some("application/json"));
    assert_eq!(header(r, "user-agent"), Some("my-app/1.0"));
    assert_eq!(header(r, "accept"), Some("application/json"));
    assert_eq!(
        r.body_json::<Value>().unwrap(),
        json!({"name": "Jane", "cell_phone_number": "+14182031234"})
    );
}

#[tokio::test]
async fn upload_sends_one_multipart_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/documents"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1234})))
        .mount(&server)
        .await;
    let content = b"\x89PNG\r\n\x1a\n fake image".to_vec();
    let spec = RequestSpec::new("create_document", Method::Post, "/documents").body(Body::Multipart(
        MultipartFile::new("test.png", "image/png", content.clone()),
    ));
    let doc: Value = client(&server).execute_json(spec).await.unwrap();
    assert_eq!(doc["id"], 1234);

    let r = &received(&server).await[0];
    let content_type = header(r, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect(content_type);
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"test.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&content);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(r.body, expected);
    assert_eq!(
        header(r, "authorization"),
        Some(format!("Basic {}", basic_token()).as_str())
    );
}

#[tokio::test]
async fn out_of_bounds_integers_and_bad_paths_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for value in [0, 51, -1] {
        let err = RequestSpec::new("list_customers", Method::Get, "/customers")
            .query_integer(&PER_PAGE, value)
            .unwrap_err();
        match err {
            Error::InvalidRequest {
                operation_id: Some("list_customers"),
                reason: got,
            } => assert_eq!(
                got,
                InvalidRequestReason::OutOfRange {
                    parameter: "per_page",
                    value,
                    minimum: Some(1),
                    maximum: Some(50),
                }
            ),
            other => panic!("{other:?}"),
        }
    }
    let spec = RequestSpec::new("delete_customer", Method::Delete, "/customers/");
    assert!(matches!(
        client.execute_empty(spec).await,
        Err(Error::InvalidRequest {
            reason: InvalidRequestReason::Path(_),
            ..
        })
    ));
    assert!(received(&server).await.is_empty());
}
