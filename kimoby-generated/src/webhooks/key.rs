//! [`WebhookKey`]: the secret a webhook is signed with, kept out of `Debug`
//! output, error messages and logs.

use std::fmt;

/// The `authentication_key` of a Kimoby webhook: the HMAC secret of the
/// `X-Kimoby-Signature` header.
///
/// Kimoby returns it only once, in the response to "Create a Webhook"; store
/// it with your other secrets. This wrapper exists so the key cannot leak by
/// accident: its [`Debug`] output is `WebhookKey(<redacted>)`, it has no
/// `Display`, no `Serialize` and no equality (which would not be constant
/// time), and no error of this module carries it. The bytes are overwritten
/// on drop (best effort: the allocator or earlier copies you made may still
/// hold them).
///
/// Any byte string is accepted, including an empty one (which HMAC allows but
/// is almost certainly a configuration mistake: check [`is_empty`](Self::is_empty)
/// when loading it).
///
/// ```
/// use kimoby_generated::webhooks::WebhookKey;
///
/// let key = WebhookKey::new("1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw");
/// assert_eq!(format!("{key:?}"), "WebhookKey(<redacted>)");
/// assert!(!key.is_empty());
/// ```
#[derive(Clone)]
pub struct WebhookKey {
    bytes: Box<[u8]>,
}

impl WebhookKey {
    /// Wraps a key, as text (`&str`, `String`) or raw bytes (`Vec<u8>`, `&[u8]`).
    ///
    /// The key is used byte for byte: it is not trimmed or decoded.
    pub fn new(key: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: key.into().into_boxed_slice(),
        }
    }

    /// Whether the key has no bytes at all (a configuration mistake, usually an
    /// environment variable set to the empty string).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The key bytes, for the HMAC. Deliberately crate-private.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookKey(<redacted>)")
    }
}

impl From<String> for WebhookKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

impl From<&str> for WebhookKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<Vec<u8>> for WebhookKey {
    fn from(key: Vec<u8>) -> Self {
        Self::new(key)
    }
}

impl From<&[u8]> for WebhookKey {
    fn from(key: &[u8]) -> Self {
        Self::new(key)
    }
}

impl Drop for WebhookKey {
    fn drop(&mut self) {
        self.bytes.fill(0);
        // Keeps the zeroing from being optimised away as a dead store.
        std::hint::black_box(&self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_for_every_constructor() {
        let secret = "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw";
        for key in [
            WebhookKey::new(secret),
            WebhookKey::from(secret.to_owned()),
            WebhookKey::from(secret),
            WebhookKey::from(secret.as_bytes().to_vec()),
            WebhookKey::from(secret.as_bytes()),
        ] {
            let debug = format!("{key:?} {key:#?}");
            assert!(!debug.contains(secret), "{debug}");
            assert!(!debug.contains("1vb3"), "{debug}");
            assert_eq!(key.as_bytes(), secret.as_bytes());
        }
    }

    #[test]
    fn keeps_bytes_verbatim() {
        let key = WebhookKey::new(" clé\n");
        assert_eq!(key.as_bytes(), " clé\n".as_bytes());
        assert!(WebhookKey::new("").is_empty());
    }
}
