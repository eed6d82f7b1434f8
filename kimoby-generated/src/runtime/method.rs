//! [`Method`]: the HTTP methods an operation can use, and which of them may
//! be repeated after a failure the server may have seen.

use std::fmt;

/// The HTTP methods an operation can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Read; idempotent, retried on transient failures.
    Get,
    /// Create (send a message, upload a document...); never repeated once
    /// the server may have received it.
    Post,
    /// Create or replace; idempotent, retried on transient failures.
    Put,
    /// Delete; idempotent, retried on transient failures.
    Delete,
    /// Partial update; not idempotent, treated like `POST`.
    Patch,
}

impl Method {
    /// The method's name, `GET`, `POST`...
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
        }
    }

    /// Whether sending the request twice has the same effect as once
    /// (`GET`, `PUT`, `DELETE`): only those are retried after a failure that
    /// the server may have seen (5xx, timeout, broken connection).
    pub fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put | Self::Delete)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Delete => reqwest::Method::DELETE,
            Self::Patch => reqwest::Method::PATCH,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
