//! The media types of request bodies: the keys of each operation's
//! `requestBody.content` (`application/json`, `multipart/form-data`).

use serde_json::Value;

use super::ManifestError;
use super::document::{Operation, object, resolve, wrong};

/// The media types `operation` accepts a body in, if it takes a body.
pub(super) fn request_media_types(
    manifest: &Value,
    operation: &Operation<'_>,
) -> Result<Option<Vec<String>>, ManifestError> {
    let Some(body) = operation.member("requestBody") else {
        return Ok(None);
    };
    let body = resolve(manifest, body.pointer, body.value)?;
    let at = body.child("content");
    let content = object(body.value.get("content"), &at, "the media types of the body")?;
    if content.is_empty() {
        return Err(wrong(at, "must name at least one media type"));
    }
    Ok(Some(
        content
            .keys()
            .map(|media_type| media_type.to_ascii_lowercase())
            .collect(),
    ))
}

/// The media type of a `Content-Type` value, lowercase, without parameters.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
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
