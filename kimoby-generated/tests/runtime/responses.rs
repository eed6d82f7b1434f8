//! What real responses become: each error kind, an empty body for
//! `execute_empty`, and bodies over the size limit.

use super::*;

/// Mounts one response for `GET /v1/thing` and returns what `execute_json`
/// made of it, without retries.
async fn error_for(response: ResponseTemplate) -> (Error, usize) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/thing"))
        .respond_with(response)
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let spec = RequestSpec::new("get_thing", Method::Get, "/thing").query("q", "+1");
    let err = client.execute_json::<Value>(spec).await.unwrap_err();
    let display = err.to_string();
    assert!(display.contains("get_thing (GET /thing)"), "{display}");
    assert!(
        !display.contains(SECRET) && !display.contains(&basic_token()),
        "{display}"
    );
    (err, received(&server).await.len())
}

#[tokio::test]
async fn each_error_kind_from_a_real_response() {
    let msg = |status: u16, m: &str| ResponseTemplate::new(status).set_body_json(json!({"message": m}));

    let (err, _) = error_for(msg(400, "cell_phone_number is invalid")).await;
    assert!(matches!(&err, Error::Api { status: 400, message, .. } if message == "cell_phone_number is invalid"));
    assert!(
        err.to_string().contains("HTTP 400: cell_phone_number is invalid"),
        "{err}"
    );

    let (err, _) = error_for(msg(401, "Unauthorized")).await;
    assert!(matches!(&err, Error::Unauthorized { message, .. } if message == "Unauthorized"));

    let (err, _) = error_for(msg(404, "Customer not found")).await;
    assert!(matches!(&err, Error::NotFound { message, .. } if message == "Customer not found"));
    assert_eq!(err.status(), Some(404));

    // Retry-After beyond the policy's cap: returned at once, with the delay.
    let (err, n) = error_for(msg(429, "API usage limit exceeded").insert_header("Retry-After", "120")).await;
    assert!(matches!(&err, Error::RateLimited { retry_after: Some(d), .. } if *d == Duration::from_secs(120)));
    assert_eq!(n, 1);

    let (err, _) = error_for(msg(500, "boom")).await;
    assert!(matches!(&err, Error::Server { status: 500, message, .. } if message == "boom"));

    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>";
    let (err, _) = error_for(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    assert!(matches!(&err, Error::Server { status: 502, message, .. } if message.contains("502 Bad Gateway")));
    assert!(!err.to_string().contains('\n'), "{err}");

    let huge = "x".repeat(1024 * 1024);
    let (err, _) = error_for(ResponseTemplate::new(503).set_body_raw(huge, "text/plain")).await;
    assert!(matches!(&err, Error::Server { status: 503, message, .. } if message.len() < 1100));

    let (err, _) = error_for(ResponseTemplate::new(200).set_body_raw("{\"id\": oops", "application/json")).await;
    assert!(matches!(&err, Error::Decode { status: 200, body, .. } if body == "{\"id\": oops"));

    let (err, _) = error_for(ResponseTemplate::new(200)).await;
    assert!(matches!(&err, Error::Decode { status: 200, body, .. } if body.is_empty()));

    let (err, _) = error_for(ResponseTemplate::new(302).insert_header("Location", "https://elsewhere.example/")).await;
    assert!(matches!(&err, Error::UnexpectedStatus { status: 302, .. }));
}

#[tokio::test]
async fn empty_body_is_fine_for_execute_empty_and_large_bodies_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[".repeat(4096), "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).max_response_bytes(1024).build().unwrap();
    let del = RequestSpec::new("delete_document", Method::Delete, "/documents/1234");
    client.execute_empty(del).await.unwrap();
    let get = RequestSpec::new("get_document", Method::Get, "/documents/1234");
    let err = client.execute_json::<Value>(get).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                status: 200,
                limit: 1024,
                ..
            }
        ),
        "{err}"
    );
}
