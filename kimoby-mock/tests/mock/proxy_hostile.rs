//! The validating proxy in front of a hostile upstream (a raw TCP server
//! that answers badly on purpose) and behind a malformed client: it never
//! crashes, hangs or grows without bound; the client gets a `502` or `504`
//! with a JSON `{"message"}` saying what happened, the report records it,
//! and a redirect is never followed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kimoby_generated::departure::DepartureKind;
use kimoby_mock::proxy::{ProxyConfig, ProxyServer};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::common::http_client;

/// How the hostile upstream answers each request.
#[derive(Debug, Clone, Copy)]
enum Misbehaviour {
    /// Announces 100 bytes, sends 15, closes.
    Truncated,
    /// A complete answer that is HTML where the contract says JSON.
    NotJson,
    /// Announces and starts sending 40 MiB.
    Huge,
    /// Sends 40 MiB in chunks, with no length announced.
    HugeChunked,
    /// Sends its body one byte a second.
    Trickle,
    /// Closes the connection without a word.
    Close,
    /// Redirects to another host.
    Redirect,
}

/// A hostile upstream on a free loopback port; counts the requests it reads.
async fn hostile(misbehaviour: Misbehaviour) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move { misbehave(stream, misbehaviour, &counter).await });
        }
    });
    (url, requests)
}

async fn misbehave(mut stream: TcpStream, misbehaviour: Misbehaviour, requests: &AtomicUsize) {
    let mut head = Vec::new();
    let mut buffer = [0_u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let write = |text: &'static str| text.as_bytes();
    let _ =
        match misbehaviour {
            Misbehaviour::Truncated => stream
                .write_all(write(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"customers\": [",
                ))
                .await,
            Misbehaviour::NotJson => {
                stream
                    .write_all(write(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 13\r\n\r\n<html></html>",
                    ))
                    .await
            }
            Misbehaviour::Huge => {
                let _ = stream
                    .write_all(write(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 41943040\r\n\r\n",
                    ))
                    .await;
                let chunk = vec![b' '; 1024 * 1024];
                for _ in 0..40 {
                    if stream.write_all(&chunk).await.is_err() {
                        break;
                    }
                }
                Ok(())
            }
            Misbehaviour::HugeChunked => {
                let _ = stream
                    .write_all(write(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                    ))
                    .await;
                let chunk = format!("100000\r\n{}\r\n", " ".repeat(0x10_0000));
                for _ in 0..40 {
                    if stream.write_all(chunk.as_bytes()).await.is_err() {
                        break;
                    }
                }
                Ok(())
            }
            Misbehaviour::Trickle => {
                let _ = stream
                    .write_all(write(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n",
                    ))
                    .await;
                for _ in 0..20 {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if stream.write_all(b" ").await.is_err() {
                        break;
                    }
                }
                Ok(())
            }
            Misbehaviour::Close => Ok(()),
            Misbehaviour::Redirect => {
                stream
                    .write_all(write(
                        "HTTP/1.1 302 Found\r\nlocation: https://elsewhere.invalid/steal\r\ncontent-length: 0\r\n\r\n",
                    ))
                    .await
            }
        };
}

async fn proxy_to(upstream: &str) -> ProxyServer {
    ProxyServer::start(
        ProxyConfig::new(upstream)
            .timeout(Duration::from_secs(2))
            .max_body_bytes(4 * 1024 * 1024),
    )
    .await
    .expect("proxy starts")
}

/// `GET /customers` through `proxy` with credentials: status, message, elapsed time.
async fn get_customers(proxy: &ProxyServer) -> (u16, Value, Duration) {
    let started = Instant::now();
    let answer = http_client()
        .get(format!("{}/customers", proxy.base_url()))
        .basic_auth("key", Some("s3cret-value"))
        .send()
        .await
        .expect("the proxy answers");
    let status = answer.status().as_u16();
    let body = answer.bytes().await.expect("body");
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

fn upstream_failures(proxy: &ProxyServer) -> Vec<String> {
    proxy
        .departures()
        .into_iter()
        .filter(|record| record.departure.kind == DepartureKind::UpstreamFailure)
        .filter_map(|record| record.departure.detail)
        .collect()
}

#[tokio::test]
async fn each_failure_of_the_upstream_is_a_502_or_504_that_says_what_happened() {
    for (misbehaviour, status, said, detail) in [
        (
            Misbehaviour::Truncated,
            502,
            "before the end of its answer",
            "connection failed",
        ),
        (Misbehaviour::Huge, 502, "larger than 4194304 bytes", "body too large"),
        (
            Misbehaviour::HugeChunked,
            502,
            "larger than 4194304 bytes",
            "body too large",
        ),
        (Misbehaviour::Trickle, 504, "did not answer within 2 s", "timeout"),
        (Misbehaviour::Close, 502, "the upstream", "connection failed"),
        (
            Misbehaviour::Redirect,
            502,
            "does not follow redirects",
            "redirect not followed",
        ),
    ] {
        let (upstream, requests) = hostile(misbehaviour).await;
        let proxy = proxy_to(&upstream).await;
        let (answered, body, elapsed) = get_customers(&proxy).await;
        assert_eq!(answered, status, "{misbehaviour:?}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(said), "{misbehaviour:?}: {message}");
        assert!(!message.contains("s3cret"), "{misbehaviour:?}: {message}");
        assert!(elapsed < Duration::from_secs(6), "{misbehaviour:?} took {elapsed:?}");
        assert_eq!(upstream_failures(&proxy), [detail], "{misbehaviour:?}");
        if let Misbehaviour::Redirect = misbehaviour {
            assert!(message.contains("elsewhere.invalid"), "{message}");
            assert_eq!(requests.load(Ordering::SeqCst), 1, "the redirect is not followed");
        }
        proxy.shutdown().await;
    }
}

#[tokio::test]
async fn a_complete_answer_that_is_not_json_passes_unchanged_and_is_reported() {
    let (upstream, _) = hostile(Misbehaviour::NotJson).await;
    let proxy = proxy_to(&upstream).await;
    let answer = http_client()
        .get(format!("{}/customers", proxy.base_url()))
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.bytes().await.expect("body").as_ref(), b"<html></html>");
    proxy.settled().await;
    let kinds: Vec<DepartureKind> = proxy
        .departures()
        .into_iter()
        .map(|record| record.departure.kind)
        .collect();
    assert_eq!(kinds, [DepartureKind::UnreadableBody]);
    proxy.shutdown().await;
}

#[tokio::test]
async fn a_malformed_or_oversized_client_request_does_not_hurt_the_proxy() {
    let (upstream, requests) = hostile(Misbehaviour::NotJson).await;
    let proxy = proxy_to(&upstream).await;
    let http = http_client();
    let oversized = http
        .put(format!("{}/customers", proxy.base_url()))
        .header("content-type", "application/json")
        .body(vec![b' '; 5 * 1024 * 1024])
        .send()
        .await
        .expect("answer");
    assert_eq!(oversized.status(), 413);
    let message: Value = serde_json::from_slice(&oversized.bytes().await.expect("body")).expect("JSON");
    assert!(
        message["message"]
            .as_str()
            .is_some_and(|text| text.contains("4194304 bytes")),
        "{message}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing is forwarded");

    let broken = http
        .put(format!("{}/customers", proxy.base_url()))
        .header("content-type", "application/json")
        .body("{\"name\": \"Marker Name\"")
        .send()
        .await
        .expect("answer");
    assert_eq!(broken.status(), 200, "forwarded as it came");
    let unknown = http
        .delete(format!("{}/no/such/path", proxy.base_url()))
        .send()
        .await
        .expect("answer");
    assert_eq!(unknown.status(), 200, "forwarded as it came");
    let records = proxy.departures();
    let seen: Vec<(Option<&str>, DepartureKind)> = records
        .iter()
        .map(|record| (record.departure.path.as_deref(), record.departure.kind))
        .collect();
    assert!(
        seen.contains(&(Some("/customers"), DepartureKind::UnreadableBody)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(Some("/*/*/*"), DepartureKind::UnknownOperation)),
        "{seen:?}"
    );
    proxy.shutdown().await;
}
