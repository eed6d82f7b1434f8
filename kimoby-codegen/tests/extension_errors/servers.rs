//! `servers`: missing, or not an absolute `https` URL.

use crate::*;

#[test]
fn manifest_without_servers() {
    assert_manifest_error(
        |manifest| remove(manifest, "/servers"),
        "/servers",
        "the manifest needs `servers` with at least one `https` URL",
    );
}

#[test]
fn server_that_is_not_an_absolute_https_url() {
    for url in [
        "http://api.example.com/v1",
        "https://",
        "https:///v1",
        "https://api.example.com/{version}",
        "https://api.example.com/v1?key=1",
    ] {
        assert_manifest_error(
            |manifest| *at(manifest, "/servers/0/url") = json!(url),
            "/servers/0/url",
            &format!("`{url}` is not an absolute `https` URL without query, fragment or variables"),
        );
    }
}
