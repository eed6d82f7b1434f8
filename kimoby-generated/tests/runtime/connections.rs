//! Raw tokio listeners: bodies written in pieces with and without a declared
//! length, the size limit on both, no timeout, dropped connections, and the
//! TLS handshake.

use super::*;

/// A raw server: the first `drops` connections are closed after the request
/// was read; later ones get `200 {"ok":true}`. Returns its address and the
/// count of accepted connections.
async fn dropping_server(drops: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 8192];
            let mut read = 0;
            while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf[read..]).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => read += k,
                }
            }
            if n >= drops {
                let body = r#"{"ok":true}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            }
            drop(socket);
        }
    });
    (format!("http://{addr}"), accepted)
}

/// How a [`piecewise_server`] sends the body of its one answer.
#[derive(Clone, Copy)]
enum Framing {
    /// `Content-Length`, the body written in pieces.
    ContentLength,
    /// `Transfer-Encoding: chunked`, one HTTP chunk per piece: no declared size.
    Chunked,
}

/// A raw server answering every request with `status` and `body`, written
/// in `pieces` parts flushed 5 ms apart, so that the client receives the
/// body in several reads.
async fn piecewise_server(status: u16, body: Vec<u8>, pieces: usize, framing: Framing) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let mut read = 0;
            while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf[read..]).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => read += k,
                }
            }
            let length = match framing {
                Framing::ContentLength => format!("content-length: {}", body.len()),
                Framing::Chunked => "transfer-encoding: chunked".to_owned(),
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{length}\r\nconnection: close\r\n\r\n"
            );
            let _ = socket.write_all(head.as_bytes()).await;
            for piece in body.chunks(body.len().div_ceil(pieces).max(1)) {
                let framed = match framing {
                    Framing::ContentLength => piece.to_vec(),
                    Framing::Chunked => [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat(),
                };
                let _ = socket.write_all(&framed).await;
                let _ = socket.flush().await;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            if let Framing::Chunked = framing {
                let _ = socket.write_all(b"0\r\n\r\n").await;
            }
            drop(socket);
        }
    });
    format!("http://{addr}")
}

/// A JSON document of about `len` bytes: `{"items":["xxxxxxxx", ...]}`.
fn json_of_about(len: usize) -> Value {
    json!({ "items": vec!["x".repeat(8); len / 11] })
}

#[tokio::test]
async fn bodies_in_several_pieces_are_read_whole_with_or_without_a_declared_length() {
    let expected = json_of_about(200_000);
    let body = serde_json::to_vec(&expected).unwrap();
    for framing in [Framing::ContentLength, Framing::Chunked] {
        for pieces in [1, 2, 7] {
            let base = piecewise_server(200, body.clone(), pieces, framing).await;
            let client = builder(&base).build().unwrap();
            let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
            let read: Value = client.execute_json(spec).await.unwrap();
            assert_eq!(read, expected, "{pieces} pieces");
        }
    }
}

#[tokio::test]
async fn the_size_limit_holds_whether_the_length_is_declared_or_not() {
    let body = serde_json::to_vec(&json_of_about(50_000)).unwrap();
    for framing in [Framing::ContentLength, Framing::Chunked] {
        for (pieces, limit) in [(1, 49_000), (3, 49_000), (3, 20_000), (3, body.len() - 1)] {
            let base = piecewise_server(200, body.clone(), pieces, framing).await;
            let client = builder(&base).max_response_bytes(limit).build().unwrap();
            let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
            let err = client.execute_json::<Value>(spec).await.unwrap_err();
            assert!(
                matches!(err, Error::ResponseTooLarge { status: 200, limit: l, .. } if l == limit),
                "{pieces} pieces, limit {limit}: {err}"
            );
        }
        // Exactly at the limit is fine.
        let base = piecewise_server(200, body.clone(), 3, framing).await;
        let client = builder(&base).max_response_bytes(body.len()).build().unwrap();
        let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
        client.execute_json::<Value>(spec).await.unwrap();
    }
}

#[tokio::test]
async fn a_long_error_body_in_pieces_is_cut_and_still_described() {
    // 200 KB of HTML in pieces, without a declared length: the message
    // describes its first 64 KiB, cut to the usual length.
    let html = format!("<html>{}</html>", "<p>Bad Gateway</p>\n".repeat(10_000)).into_bytes();
    let base = piecewise_server(502, html, 5, Framing::Chunked).await;
    let client = builder(&base).retry_policy(RetryPolicy::none()).build().unwrap();
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let err = client.execute_empty(spec).await.unwrap_err();
    let Error::Server {
        status: 502, message, ..
    } = &err
    else {
        panic!("{err}");
    };
    assert!(
        message.starts_with("non-JSON body: <html><p>Bad Gateway</p>"),
        "{message}"
    );
    assert!(message.chars().count() <= 1100, "{}", message.len());
}

#[tokio::test]
async fn no_timeout_waits_for_a_slow_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let short = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none());
    assert!(matches!(
        short.build().unwrap().execute_empty(spec.clone()).await,
        Err(Error::Timeout { .. })
    ));
    let none = builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .no_timeout()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(format!("{none:?}").contains("timeout: None"), "{none:?}");
    let body: Value = none.execute_json(spec).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
}

#[tokio::test]
async fn dropped_connection_is_retried_for_get_but_not_for_post() {
    let (base, accepted) = dropping_server(1).await;
    let client = builder(&base).build().unwrap();
    let spec = RequestSpec::new("get_customer", Method::Get, "/customers/CU1");
    let body: Value = client.execute_json(spec).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(accepted.load(Ordering::SeqCst), 2);

    let (base, accepted) = dropping_server(1).await;
    let client = builder(&base).build().unwrap();
    let spec = RequestSpec::new("send_message", Method::Post, "/messages")
        .body(Body::Json(json!({"customer_id": "CU1", "body": "once"})));
    let err = client.execute_empty(spec).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    assert!(err.to_string().contains("send_message (POST /messages)"), "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn https_uses_the_ring_tls_config_and_reports_a_failed_handshake() {
    // Not a TLS server: it answers the ClientHello with plain HTTP, so the
    // handshake fails. That proves the rustls config (ring, platform
    // verifier) was accepted by reqwest and is used, without a panic.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let client = transport_builder()
        .base_url(&base)
        .connect_timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
    let err = client.execute_empty(spec).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    // rustls itself reports it: the request went through the TLS stack.
    assert!(err.to_string().contains("corrupt message"), "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}
