//! HTTP Basic authentication: the API key is the user name, the secret the
//! password. A missing or wrong pair is a 401 with `{"message": ...}`.

use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::domain::error::ApiError;

/// Checks the `Authorization` header against the account's credentials.
pub fn check(headers: &HeaderMap, api_key: &str, api_secret: &str) -> Result<(), ApiError> {
    let unauthorized = |why: &str| Err(ApiError::Unauthorized(why.to_owned()));
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return unauthorized("authentication required: send the API key and secret with HTTP Basic authentication");
    };
    let Some(encoded) = value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic ")))
    else {
        return unauthorized("the Authorization header must use the Basic scheme");
    };
    let Some(decoded) = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
    else {
        return unauthorized("the Basic credentials are not valid base64");
    };
    let (key, secret) = decoded.split_once(':').unwrap_or((decoded.as_str(), ""));
    if constant_time_eq(key.as_bytes(), api_key.as_bytes()) & constant_time_eq(secret.as_bytes(), api_secret.as_bytes())
    {
        Ok(())
    } else {
        unauthorized("invalid API key or secret")
    }
}

/// Compares without stopping at the first difference.
fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn accepts_only_the_right_pair() {
        let good = format!("Basic {}", STANDARD.encode("key:secret"));
        assert!(check(&headers(&good), "key", "secret").is_ok());
        let wrong = format!("Basic {}", STANDARD.encode("key:nope"));
        assert!(check(&headers(&wrong), "key", "secret").is_err());
        assert!(check(&headers("Bearer x"), "key", "secret").is_err());
        assert!(check(&headers("Basic !!!"), "key", "secret").is_err());
        assert!(check(&HeaderMap::new(), "key", "secret").is_err());
    }
}
