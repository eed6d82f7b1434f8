//! serde support for request fields where absent and `null` differ.
//!
//! A field the API lets you clear is an `Option<Option<T>>` in the request
//! types: `None` is not sent at all (the value stays as it is), `Some(None)`
//! is sent as `null` (clears it), `Some(Some(value))` sends the value. The
//! generated types use this module as `#[serde(with = "crate::clearable")]`,
//! together with `default` and `skip_serializing_if = "Option::is_none"`.
//!
//! ```
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Update {
//!     #[serde(default, skip_serializing_if = "Option::is_none", with = "kimoby_generated::clearable")]
//!     email: Option<Option<String>>,
//! }
//! assert_eq!(serde_json::to_string(&Update { email: None })?, "{}");
//! assert_eq!(serde_json::to_string(&Update { email: Some(None) })?, r#"{"email":null}"#);
//! let cleared: Update = serde_json::from_str(r#"{"email":null}"#)?;
//! assert_eq!(cleared.email, Some(None));
//! let absent: Update = serde_json::from_str("{}")?;
//! assert_eq!(absent.email, None);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(value)` as the value and `Some(None)` as `null`; `None`
/// must be skipped by `skip_serializing_if` (it is written as `null` too).
pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a present field: `null` as `Some(None)`, a value as
/// `Some(Some(value))`; an absent field is `None` through `default`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
