//! Media types: those of each operation's request body (from the contract
//! model), the essence of a `Content-Type` value, and media-type patterns.

pub use kimoby_contract::essence;

/// The media types `operation` accepts a body in, lowercase, if it takes a body.
pub(super) fn request_media_types(operation: &kimoby_contract::Operation) -> Option<Vec<String>> {
    operation.request_body.as_ref().map(|body| {
        body.media_types
            .iter()
            .map(|media| media.name.to_ascii_lowercase())
            .collect()
    })
}

/// Whether the media type `actual` (an [`essence`]) matches `pattern`
/// (`application/json`, `image/*`, `*/*`).
pub fn matches(pattern: &str, actual: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some("*") => true,
        Some(kind) => actual.split('/').next() == Some(kind),
        None => pattern == actual,
    }
}
