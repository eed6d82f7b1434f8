//! The `X-Kimoby-Signature` header: verifying it on incoming webhooks and
//! producing it (to test your own receiver).
//!
//! The reference defines the signature as the standard, padded base64 of
//! HMAC-SHA1 over the webhook URL immediately followed by the raw request body,
//! keyed with the webhook's `authentication_key`. Kimoby's own sample encodes
//! it with Ruby's `Base64.encode64`, which appends a newline, so whitespace
//! around the header value is ignored.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use super::WebhookKey;

/// Name of the HTTP header that carries the signature.
///
/// HTTP header names are case-insensitive; most frameworks look them up
/// without regard to case.
pub const SIGNATURE_HEADER: &str = "X-Kimoby-Signature";

/// Length in bytes of an HMAC-SHA1, the decoded signature.
const SIGNATURE_LEN: usize = 20;

type HmacSha1 = Hmac<Sha1>;

/// Why a webhook's signature was rejected.
///
/// None of the variants carries the key, the body or the received header: the
/// message is safe to log. Answer `401 Unauthorized` for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The request has no `X-Kimoby-Signature` header.
    #[error("the X-Kimoby-Signature header is missing")]
    Missing,
    /// The header is there but cannot be an HMAC-SHA1 in base64.
    #[error("the X-Kimoby-Signature header is malformed: {0}")]
    Malformed(MalformedSignature),
    /// The header is a well-formed signature, but not the one for this URL,
    /// body and key: the body was altered, the URL or key is not the one the
    /// webhook was registered with, or the request is not from Kimoby.
    #[error("the X-Kimoby-Signature header does not match the webhook URL, body and key")]
    Mismatch,
}

/// How a present `X-Kimoby-Signature` header is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MalformedSignature {
    /// The value is empty or only whitespace.
    #[error("it is empty")]
    Empty,
    /// The value is not standard, padded base64.
    #[error("it is not standard padded base64")]
    NotBase64,
    /// The value is base64 but does not decode to the 20 bytes of an HMAC-SHA1.
    #[error("it decodes to {len} bytes instead of the {SIGNATURE_LEN} of an HMAC-SHA1")]
    WrongLength {
        /// Number of bytes the value decodes to.
        len: usize,
    },
}

/// The HMAC over `url` then `body`, ready to finalize or verify.
fn mac(url: &str, body: &[u8], key: &WebhookKey) -> HmacSha1 {
    // HMAC takes keys of any length (longer ones are hashed first, shorter ones
    // padded), so this cannot fail whatever the key is: it is an invariant of
    // the algorithm, not a check on input.
    #[allow(clippy::expect_used)]
    let mut mac = HmacSha1::new_from_slice(key.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(url.as_bytes());
    mac.update(body);
    mac
}

/// Computes the `X-Kimoby-Signature` value Kimoby sends for `body` posted to
/// `url`: standard padded base64, without a trailing newline.
///
/// Use it to test your own receiver with correctly signed requests.
///
/// ```
/// use kimoby_generated::webhooks::{WebhookKey, sign, verify};
///
/// let key = WebhookKey::new("1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw");
/// let url = "https://your.app.com/webhook/path";
/// let body = br#"{"data":{"id":1},"event_name":"message_created"}"#;
///
/// let signature = sign(url, body, &key);
/// assert_eq!(signature, "uMgBqH8u1ruXB7Y3veSuMi1oios=");
/// assert!(verify(url, body, Some(signature.as_bytes()), &key).is_ok());
/// ```
pub fn sign(url: &str, body: &[u8], key: &WebhookKey) -> String {
    STANDARD.encode(mac(url, body, key).finalize().into_bytes())
}

/// Checks the `X-Kimoby-Signature` header of a webhook request, in constant
/// time.
///
/// - `url`: the webhook URL exactly as registered with Kimoby (scheme, host,
///   path and query string), not one rebuilt from the request, which a proxy
///   may have rewritten.
/// - `body`: the raw request body bytes, before any parsing.
/// - `signature`: the header value, `None` when the header is absent. Bytes,
///   because header values need not be UTF-8; from a `&str` pass
///   `Some(value.as_bytes())`.
/// - `key`: the webhook's `authentication_key`.
///
/// Whitespace around the header value is ignored. Call it before
/// [`parse_event`](super::parse_event), and answer `401` when it fails.
///
/// # Errors
///
/// [`SignatureError::Missing`], [`SignatureError::Malformed`] (empty, not
/// base64, not 20 bytes) or [`SignatureError::Mismatch`]. Never panics.
///
/// ```
/// use kimoby_generated::webhooks::{MalformedSignature, SignatureError, WebhookKey, verify};
///
/// let key = WebhookKey::new("1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw");
/// let url = "https://your.app.com/webhook/path";
/// let body = br#"{"data":{"id":1},"event_name":"message_created"}"#;
///
/// // As Ruby's Base64.encode64 sends it, with a trailing newline.
/// assert_eq!(verify(url, body, Some(b"uMgBqH8u1ruXB7Y3veSuMi1oios=\n"), &key), Ok(()));
///
/// assert_eq!(verify(url, body, None, &key), Err(SignatureError::Missing));
/// assert_eq!(
///     verify(url, body, Some(b"not base64!"), &key),
///     Err(SignatureError::Malformed(MalformedSignature::NotBase64)),
/// );
/// assert_eq!(
///     verify(url, b"{}", Some(b"uMgBqH8u1ruXB7Y3veSuMi1oios="), &key),
///     Err(SignatureError::Mismatch),
/// );
/// ```
pub fn verify(url: &str, body: &[u8], signature: Option<&[u8]>, key: &WebhookKey) -> Result<(), SignatureError> {
    let header = signature.ok_or(SignatureError::Missing)?;
    let tag = decode_signature(header).map_err(SignatureError::Malformed)?;
    // `verify_slice` compares in constant time (`subtle`).
    mac(url, body, key)
        .verify_slice(&tag)
        .map_err(|_| SignatureError::Mismatch)
}

/// Decodes a header value into the 20 bytes of an HMAC-SHA1.
fn decode_signature(header: &[u8]) -> Result<[u8; SIGNATURE_LEN], MalformedSignature> {
    let trimmed = header.trim_ascii();
    if trimmed.is_empty() {
        return Err(MalformedSignature::Empty);
    }
    // The signature is attacker-chosen, not secret: decoding it in variable
    // time leaks nothing. Strict decoding: canonical padding and trailing bits.
    let decoded = STANDARD.decode(trimmed).map_err(|_| MalformedSignature::NotBase64)?;
    <[u8; SIGNATURE_LEN]>::try_from(decoded.as_slice())
        .map_err(|_| MalformedSignature::WrongLength { len: decoded.len() })
}

/// A webhook's URL and key together: what a receiver needs to verify (and a
/// test needs to sign) requests to one webhook.
///
/// Its `Debug` output shows the URL and a redacted key.
///
/// ```
/// use kimoby_generated::webhooks::{WebhookKey, WebhookVerifier};
///
/// let verifier = WebhookVerifier::new(
///     "https://your.app.com/webhook/path",
///     WebhookKey::new("1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw"),
/// );
/// let body = br#"{"data":{"id":1},"event_name":"message_created"}"#;
/// let signature = verifier.sign(body);
/// assert!(verifier.verify(body, Some(signature.as_bytes())).is_ok());
/// assert!(!format!("{verifier:?}").contains("1vb3"));
/// ```
#[derive(Clone, Debug)]
pub struct WebhookVerifier {
    url: String,
    key: WebhookKey,
}

impl WebhookVerifier {
    /// A verifier for the webhook registered at `url` with `key` (see
    /// [`verify`] for which URL to give).
    pub fn new(url: impl Into<String>, key: WebhookKey) -> Self {
        Self { url: url.into(), key }
    }

    /// The webhook URL the signatures are computed over.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// [`verify`] with this verifier's URL and key.
    ///
    /// # Errors
    ///
    /// As [`verify`].
    pub fn verify(&self, body: &[u8], signature: Option<&[u8]>) -> Result<(), SignatureError> {
        verify(&self.url, body, signature, &self.key)
    }

    /// [`sign`] with this verifier's URL and key.
    pub fn sign(&self, body: &[u8]) -> String {
        sign(&self.url, body, &self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // printf '%s' 'https://your.app.com/webhook/path{"data":{"id":1},"event_name":"message_created"}' \
    //   | openssl dgst -sha1 -hmac '1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw' -binary | base64
    const URL: &str = "https://your.app.com/webhook/path";
    const BODY: &[u8] = br#"{"data":{"id":1},"event_name":"message_created"}"#;
    const SIGNATURE: &str = "uMgBqH8u1ruXB7Y3veSuMi1oios=";

    fn key() -> WebhookKey {
        WebhookKey::new("1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw")
    }

    #[test]
    fn decodes_exactly_twenty_bytes() {
        assert!(decode_signature(SIGNATURE.as_bytes()).is_ok());
        assert_eq!(decode_signature(b" \t\r\n "), Err(MalformedSignature::Empty));
        // 24 characters of valid base64: 18 bytes.
        assert_eq!(
            decode_signature(&SIGNATURE.as_bytes()[..24]),
            Err(MalformedSignature::WrongLength { len: 18 })
        );
        // A 32-byte value (e.g. an HMAC-SHA256) is base64 but the wrong size.
        assert_eq!(
            decode_signature(STANDARD.encode([7u8; 32]).as_bytes()),
            Err(MalformedSignature::WrongLength { len: 32 })
        );
        // Unpadded, URL-safe alphabet, inner whitespace, non-UTF-8.
        for bad in [
            &b"uMgBqH8u1ruXB7Y3veSuMi1oios"[..],
            b"uMgBqH8u1ruXB7Y3veSuMi1oi_s=",
            b"uMgBqH8u1ruXB7Y3 veSuMi1oios=",
            b"\xff\xfe",
        ] {
            assert_eq!(decode_signature(bad), Err(MalformedSignature::NotBase64));
        }
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        // Last symbol `s` (…101100) → `t` (…101101): same 20 bytes if the
        // two trailing bits were ignored; strict decoding refuses it.
        assert_eq!(
            decode_signature(b"uMgBqH8u1ruXB7Y3veSuMi1oiot="),
            Err(MalformedSignature::NotBase64)
        );
    }

    #[test]
    fn keys_of_any_length_work() {
        for len in [0, 1, 20, 63, 64, 65, 1000] {
            let key = WebhookKey::new(vec![b'k'; len]);
            let signature = sign(URL, BODY, &key);
            assert_eq!(verify(URL, BODY, Some(signature.as_bytes()), &key), Ok(()));
        }
    }

    #[test]
    fn signs_and_verifies_the_openssl_vector() {
        assert_eq!(sign(URL, BODY, &key()), SIGNATURE);
        assert_eq!(verify(URL, BODY, Some(SIGNATURE.as_bytes()), &key()), Ok(()));
        let verifier = WebhookVerifier::new(URL, key());
        assert_eq!(verifier.url(), URL);
        assert_eq!(verifier.sign(BODY), SIGNATURE);
    }

    #[test]
    fn error_messages_say_which_failure() {
        assert!(SignatureError::Missing.to_string().contains("missing"));
        assert!(
            SignatureError::Malformed(MalformedSignature::WrongLength { len: 18 })
                .to_string()
                .contains("18 bytes")
        );
        assert!(SignatureError::Mismatch.to_string().contains("does not match"));
    }
}
