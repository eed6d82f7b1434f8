//! How a client is set up: plain HTTP refused without the opt-in and off
//! loopback, a `Debug` that never shows the secret, and `Send` futures and
//! streams.

use super::*;

#[test]
fn plain_http_is_refused_without_the_opt_in_and_off_loopback() {
    let err = transport_builder()
        .base_url("http://api.kimoby.com/v1")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidRequest {
                reason: InvalidRequestReason::InsecureBaseUrl { .. },
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("https"), "{err}");
    let err = transport_builder()
        .base_url("http://127.0.0.1:1/v1")
        .build()
        .unwrap_err();
    assert!(matches!(
        &err,
        Error::InvalidRequest {
            reason: InvalidRequestReason::InsecureBaseUrl { .. },
            ..
        }
    ));
    let err = transport_builder()
        .base_url("http://10.0.0.1/v1")
        .allow_insecure_http_for_testing()
        .build()
        .unwrap_err();
    assert!(matches!(
        &err,
        Error::InvalidRequest {
            reason: InvalidRequestReason::InsecureHostNotLoopback { .. },
            ..
        }
    ));
    let client = transport_builder().build().unwrap();
    assert_eq!(client.base_url(), BASE_URL);
}

#[test]
fn debug_output_never_shows_the_secret() {
    let builder = transport_builder();
    let client = transport_builder().build().unwrap();
    let credentials = Credentials::new(KEY, SECRET);
    for text in [
        format!("{builder:?}"),
        format!("{builder:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{credentials:?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(&basic_token()), "{text}");
        assert!(text.contains(KEY), "{text}");
    }
}

/// The generated builders hand these to `tokio::spawn`: they must be `Send`.
#[test]
fn futures_and_streams_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = transport_builder().build().unwrap();
    let spec = RequestSpec::new("list_customers", Method::Get, "/customers");
    assert_send(&client.execute_json::<Value>(spec.clone()));
    assert_send(&client.execute_empty(spec));
    let stream = paginate_from("list_customers", 1, |page| {
        let client = client.clone();
        async move { fetch_page(&client, page).await }
    });
    assert_send(&stream);
    fn assert_sync<T: Send + Sync + Clone>(_: &T) {}
    assert_sync(&client);
}
