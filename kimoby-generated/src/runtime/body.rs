//! Request bodies: JSON documents and `multipart/form-data` file uploads.
//!
//! The multipart encoding is written by hand (one file part, a random
//! boundary checked against the content) rather than with reqwest's
//! `multipart` feature, which would bring `mime_guess` and stream plumbing
//! for a single upload endpoint.

use std::fmt;
use std::io;
use std::path::Path;

use bytes::Bytes;
use serde::Serialize;

use super::error::{Error, InvalidRequestReason};

/// A file sent as `multipart/form-data` (document upload).
#[derive(Clone, PartialEq, Eq)]
pub struct MultipartFile {
    /// The form field name; `file` for the Kimoby API.
    pub field_name: String,
    /// The file name the server records (`test.png`).
    pub file_name: String,
    /// The file's media type (`image/png`).
    pub content_type: String,
    /// The file's content.
    pub bytes: Bytes,
}

impl MultipartFile {
    /// A file in the `file` field, as `POST /documents` expects.
    pub fn new(file_name: impl Into<String>, content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            field_name: "file".to_owned(),
            file_name: file_name.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }

    /// Reads the file at `path` into a [`MultipartFile::new`]; the file name
    /// sent is the last component of `path` (`photos/test.png` is sent as
    /// `test.png`; a non-UTF-8 name is converted lossily). The media type is
    /// not guessed: give it.
    ///
    /// Fails with [`Error::ReadFile`], naming `path`, when the file cannot be
    /// read (missing, not allowed, a directory) or `path` does not end with a
    /// file name (`/`, `..`). The whole file is read into memory.
    ///
    /// ```no_run
    /// use kimoby_generated::runtime::MultipartFile;
    ///
    /// # async fn demo(client: kimoby_generated::Client) -> Result<(), kimoby_generated::Error> {
    /// let file = MultipartFile::from_path("photos/test.png", "image/png").await?;
    /// let document = client.documents().upload(file).send().await?;
    /// println!("uploaded {} as document {}", document.name, document.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn from_path(path: impl AsRef<Path>, content_type: impl Into<String>) -> Result<Self, Error> {
        let path = path.as_ref();
        let unreadable = |source| Error::ReadFile {
            path: path.to_owned(),
            source,
        };
        let file_name = path
            .file_name()
            .ok_or_else(|| {
                unreadable(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the path does not end with a file name",
                ))
            })?
            .to_string_lossy()
            .into_owned();
        let bytes = tokio::fs::read(path).await.map_err(unreadable)?;
        Ok(Self::new(file_name, content_type, bytes))
    }
}

impl fmt::Debug for MultipartFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultipartFile")
            .field("field_name", &self.field_name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// A JSON document, sent with `Content-Type: application/json`.
    Json(serde_json::Value),
    /// One file, sent as `multipart/form-data` with a random boundary.
    Multipart(MultipartFile),
}

impl Body {
    /// Serializes `value` into a [`Body::Json`].
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        serde_json::to_value(value)
            .map(Self::Json)
            .map_err(|e| Error::invalid(None, InvalidRequestReason::Body(e.to_string())))
    }

    /// The `Content-Type` and bytes to send, or `None` without a body.
    pub(crate) fn encode(&self) -> Result<Option<(String, Bytes)>, InvalidRequestReason> {
        match self {
            Self::None => Ok(None),
            Self::Json(value) => serde_json::to_vec(value)
                .map(|v| Some(("application/json".to_owned(), Bytes::from(v))))
                .map_err(|e| InvalidRequestReason::Body(e.to_string())),
            Self::Multipart(file) => encode_multipart(file).map(Some),
        }
    }
}

/// Escapes a `Content-Disposition` parameter the way browsers do (HTML
/// spec): `"` as `%22`, CR as `%0D`, LF as `%0A`.
fn escape_disposition(value: &str) -> String {
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// `multipart/form-data` with one part, and a random boundary that does not
/// occur in the file.
fn encode_multipart(file: &MultipartFile) -> Result<(String, Bytes), InvalidRequestReason> {
    if file.content_type.is_empty() || !file.content_type.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(InvalidRequestReason::Body(
            "multipart content type must be printable ASCII".to_owned(),
        ));
    }
    let boundary = loop {
        let candidate = format!("kimoby-{:032x}", rand::random::<u128>());
        let needle = candidate.as_bytes();
        if !file.bytes.windows(needle.len()).any(|w| w == needle) {
            break candidate;
        }
    };
    let mut out = Vec::with_capacity(file.bytes.len() + 256);
    out.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
             Content-Type: {}\r\n\r\n",
            escape_disposition(&file.field_name),
            escape_disposition(&file.file_name),
            file.content_type,
        )
        .as_bytes(),
    );
    out.extend_from_slice(&file.bytes);
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), Bytes::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_layout() {
        let file = MultipartFile::new("a\"b.png", "image/png", &b"PNG data"[..]);
        let (ct, body) = encode_multipart(&file).unwrap();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"a%22b.png\"\r\nContent-Type: image/png\r\n\r\nPNG data\r\n--{boundary}--\r\n"
        );
        assert_eq!(body, expected.as_bytes());
        assert!(encode_multipart(&MultipartFile::new("a", "image/png\r\nX: y", &b""[..])).is_err());
    }
}
