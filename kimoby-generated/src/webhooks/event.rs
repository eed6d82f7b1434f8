//! Parsing a webhook body into a typed event: the envelope, the same for
//! every event, read here once; the events themselves ([`WebhookEvent`],
//! its variants, event-name constants and payload types) are generated from
//! the manifest's `webhooks` (`generated/webhook_events.rs`), which calls
//! [`impl_webhook_event!`](crate::webhooks::impl_webhook_event) once.
//!
//! Every webhook body is `{"event_name": "...", "data": {...}}` (in either
//! order). [`parse_event`] reads a body in two steps. The envelope is read
//! first, with `data` kept as its raw JSON text ([`RawValue`], borrowed from
//! the body): Kimoby sends `data` before `event_name`, so the type of `data`
//! is not known when it is reached. Then the text of `data` is decoded
//! straight into the event's type; when that fails, it is decoded again
//! through `serde_path_to_error`, so that the error names the field. No
//! intermediate [`Value`] is built, except for the data of an unknown event,
//! which is kept as one.
//!
//! ```
//! # use kimoby_generated::webhooks::{WebhookEvent, parse_event};
//! let event = parse_event(br#"{"event_name":"invoice_paid","data":{}}"#)?;
//! assert_eq!(event.event_name(), "invoice_paid");
//! let value = serde_json::json!({"event_name": "invoice_paid", "data": {}});
//! assert_eq!(WebhookEvent::from_value(value)?, event);
//! # Ok::<(), kimoby_generated::webhooks::ParseError>(())
//! ```

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::WebhookEvent;

/// What a generated webhook event enum is: the runtime parses the envelope
/// and asks the enum to decode the `data` of the events it knows. The
/// generated enum implements it through
/// [`impl_webhook_event!`](crate::webhooks::impl_webhook_event).
#[doc(hidden)]
pub trait TypedWebhookEvent: Sized {
    /// Decodes `data` if `event_name` is a known event; `None` otherwise.
    fn decode_known(event_name: &str, data: EventData<'_>) -> Option<Result<Self, ParseError>>;

    /// The event for an unknown `event_name`, its `data` kept as sent.
    fn unknown(event_name: String, data: Value) -> Self;
}

/// The `data` of a webhook body, as text borrowed from the body or as a
/// parsed value.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum EventData<'a> {
    /// The text of `data` and the whole body it is a part of.
    Text {
        /// The text of `data`.
        data: &'a RawValue,
        /// The whole body.
        body: &'a [u8],
    },
    /// An already parsed `data`.
    Value(&'a Value),
}

/// Decodes the `data` of the known event `event_name` into its payload type,
/// reporting where it does not match.
#[doc(hidden)]
pub fn decode_data<T: DeserializeOwned>(event_name: &'static str, data: EventData<'_>) -> Result<T, ParseError> {
    match data {
        EventData::Text { data, body } => decode_text(event_name, data, body),
        EventData::Value(value) => {
            serde_path_to_error::deserialize(value).map_err(|error| invalid_data(event_name, error))
        }
    }
}

/// Decodes an already parsed JSON body into `E` (see
/// `WebhookEvent::from_value`).
#[doc(hidden)]
pub fn event_from_value<E: TypedWebhookEvent>(body: Value) -> Result<E, ParseError> {
    let Value::Object(mut fields) = body else {
        return Err(ParseError::NotAnObject);
    };
    let event_name = match fields.remove("event_name") {
        Some(Value::String(name)) => name,
        Some(_) => return Err(ParseError::EventNameNotString),
        None => return Err(ParseError::MissingField("event_name")),
    };
    let data = fields.remove("data").ok_or(ParseError::MissingField("data"))?;
    match E::decode_known(&event_name, EventData::Value(&data)) {
        Some(event) => event,
        None => Ok(E::unknown(event_name, data)),
    }
}

/// [`ParseError::InvalidData`] for an error found while decoding `data`:
/// the path inside `data` becomes a path from the body root (`data.status`,
/// `data[0]`, or `data` itself).
fn invalid_data(event_name: &'static str, error: serde_path_to_error::Error<serde_json::Error>) -> ParseError {
    let inner = error.path().to_string();
    let path = if inner == "." {
        "data".to_owned()
    } else if inner.starts_with('[') {
        format!("data{inner}")
    } else {
        format!("data.{inner}")
    };
    ParseError::InvalidData {
        event_name,
        path,
        error: error.into_inner(),
    }
}

/// The envelope of a webhook body, with `data` left undecoded.
enum Envelope<'body> {
    /// A JSON object. Each field holds the last value given for that key
    /// (as a `serde_json::Map` would), or `None` when the key is absent.
    Object {
        /// The value of `event_name`, of whatever JSON type it is.
        event_name: Option<Value>,
        /// The text of `data`, borrowed from the body.
        data: Option<&'body RawValue>,
    },
    /// Valid JSON of another type (array, string, number, boolean, null).
    NotAnObject,
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EnvelopeVisitor)
    }
}

/// Reads an [`Envelope`]: the two known keys of an object, everything else
/// skipped without being built.
struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a webhook body")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<Self::Value, A::Error> {
        let mut event_name = None;
        let mut data = None;
        while let Some(key) = fields.next_key::<EnvelopeKey>()? {
            match key {
                EnvelopeKey::EventName => event_name = Some(fields.next_value::<Value>()?),
                EnvelopeKey::Data => data = Some(fields.next_value::<&'de RawValue>()?),
                EnvelopeKey::Other => {
                    fields.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Envelope::Object { event_name, data })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        // Read to the end, so that a malformed array is still "not JSON".
        while items.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Envelope::NotAnObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Envelope::NotAnObject)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Envelope::NotAnObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Envelope::NotAnObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Envelope::NotAnObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Envelope::NotAnObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Envelope::NotAnObject)
    }
}

/// A key of the envelope object.
enum EnvelopeKey {
    /// `event_name`.
    EventName,
    /// `data`.
    Data,
    /// Any other key: its value is skipped.
    Other,
}

impl<'de> Deserialize<'de> for EnvelopeKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(EnvelopeKeyVisitor)
    }
}

/// Reads an [`EnvelopeKey`]; an escaped key (`"d\u0061ta"`) is compared
/// once unescaped, as a `serde_json::Map` would.
struct EnvelopeKeyVisitor;

impl Visitor<'_> for EnvelopeKeyVisitor {
    type Value = EnvelopeKey;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(match key {
            "event_name" => EnvelopeKey::EventName,
            "data" => EnvelopeKey::Data,
            _ => EnvelopeKey::Other,
        })
    }
}

/// Decodes the text of a known event's `data`, reporting where it does not
/// match. `body` is the whole webhook body, of which `data` is a part.
///
/// The text is decoded without tracking the path first: nearly every body
/// is valid, and tracking (which copies every key it passes into a `String`)
/// made [`parse_event`] about 1.5 times slower on a valid `message_updated`
/// (`benches/webhooks.rs`). Only when that fails is it decoded again,
/// tracking the path, from
/// [`text_positioned_as_in_body`] so that the error's line and column are
/// those of the body. Decoding is deterministic: the second pass fails at
/// the same place.
fn decode_text<T: DeserializeOwned>(event_name: &'static str, data: &RawValue, body: &[u8]) -> Result<T, ParseError> {
    if let Ok(value) = serde_json::from_str(data.get()) {
        return Ok(value);
    }
    let positioned = text_positioned_as_in_body(data.get(), body);
    let text = positioned.as_deref().unwrap_or(data.get().as_bytes());
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(text))
        .map_err(|error| invalid_data(event_name, error))
}

/// A copy of `body` up to the end of `data`, in which every byte before
/// `data` but line feeds is a space: serde_json skips the spaces and reads
/// `data` alone, counting lines and columns (in bytes) as in the body.
/// `None` when `data` is not a part of `body`.
fn text_positioned_as_in_body(data: &str, body: &[u8]) -> Option<Vec<u8>> {
    let start = data.as_ptr().addr().checked_sub(body.as_ptr().addr())?;
    let end = start.checked_add(data.len())?;
    if body.get(start..end)? != data.as_bytes() {
        return None;
    }
    let mut blanked = body[..end].to_vec();
    for byte in &mut blanked[..start] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
    Some(blanked)
}

/// Parses a webhook body into a [`WebhookEvent`].
///
/// Takes the raw body bytes, and is separate from [`verify`](super::verify):
/// verify first, then parse. Answer `400` when it fails (Kimoby will retry,
/// which helps once you upgrade to a version that understands the body), and
/// `200` for [`WebhookEvent::Unknown`].
///
/// ```
/// use kimoby_generated::webhooks::{ParseError, WebhookEvent, parse_event};
///
/// let event = parse_event(br#"{"event_name":"appointment_created","data":{"id":"ap1"}}"#)?;
/// match &event {
///     WebhookEvent::MessageCreated(message) => { /* ... */ }
///     WebhookEvent::Unknown { event_name, data } => {
///         assert_eq!(event_name, "appointment_created");
///         assert_eq!(data["id"], "ap1");
///     }
///     _ => {}
/// }
///
/// let error = parse_event(br#"{"data":{}}"#).unwrap_err();
/// assert!(matches!(error, ParseError::MissingField("event_name")));
/// # Ok::<(), ParseError>(())
/// ```
///
/// # Errors
///
/// - [`ParseError::NotJson`]: the body is not JSON.
/// - [`ParseError::NotAnObject`], [`ParseError::MissingField`],
///   [`ParseError::EventNameNotString`]: it is JSON but not a webhook body.
/// - [`ParseError::InvalidData`]: a known event whose `data` does not match its
///   type; the error names the path of the offending field.
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent, ParseError> {
    parse_event_as(body)
}

/// [`parse_event`] into the webhook event enum `E`, generated from another
/// manifest (as the generator's fixtures are).
#[doc(hidden)]
pub fn parse_event_as<E: TypedWebhookEvent>(body: &[u8]) -> Result<E, ParseError> {
    let Envelope::Object { event_name, data } = serde_json::from_slice(body).map_err(ParseError::NotJson)? else {
        return Err(ParseError::NotAnObject);
    };
    let event_name = match event_name {
        Some(Value::String(name)) => name,
        Some(_) => return Err(ParseError::EventNameNotString),
        None => return Err(ParseError::MissingField("event_name")),
    };
    let data = data.ok_or(ParseError::MissingField("data"))?;
    match E::decode_known(&event_name, EventData::Text { data, body }) {
        Some(event) => event,
        // `data` was valid JSON when the envelope was read, so this fails
        // only past serde_json's nesting limit, counted from `data`.
        None => Ok(E::unknown(
            event_name,
            serde_json::from_str(data.get()).map_err(ParseError::NotJson)?,
        )),
    }
}

/// Implements, for a generated webhook event enum, what every such enum
/// has: `event_name`, `from_value`, decoding the `data` of each known event
/// ([`TypedWebhookEvent`], which [`parse_event`] drives), `Serialize` (the
/// body again: `{"event_name": ..., "data": ...}`) and `Deserialize` (as
/// `from_value`). The generated file calls it once, listing each variant,
/// its payload type and the constant holding its event name.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_webhook_event {
    ($name:ident { $($variant:ident($payload:ty) = $constant:ident),* $(,)? }) => {
        impl $name {
            /// The `event_name` the event was sent with.
            pub fn event_name(&self) -> &str {
                match self {
                    $(Self::$variant(_) => Self::$constant,)*
                    Self::Unknown { event_name, .. } => event_name,
                }
            }

            /// Decodes an already parsed JSON body (see
            /// [`parse_event`]($crate::webhooks::parse_event)). With the raw
            /// body at hand, `parse_event` is faster: it builds no `Value`
            /// on the way to the typed event.
            ///
            /// # Errors
            ///
            /// As `parse_event`, except `ParseError::NotJson`.
            pub fn from_value(
                body: ::serde_json::Value,
            ) -> ::std::result::Result<Self, $crate::webhooks::ParseError> {
                $crate::webhooks::event_from_value(body)
            }
        }

        impl $crate::webhooks::TypedWebhookEvent for $name {
            fn decode_known(
                event_name: &str,
                data: $crate::webhooks::EventData<'_>,
            ) -> ::std::option::Option<::std::result::Result<Self, $crate::webhooks::ParseError>> {
                ::std::option::Option::Some(match event_name {
                    $(Self::$constant => $crate::webhooks::decode_data(Self::$constant, data).map(Self::$variant),)*
                    _ => return ::std::option::Option::None,
                })
            }

            fn unknown(event_name: ::std::string::String, data: ::serde_json::Value) -> Self {
                Self::Unknown { event_name, data }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct as _;
                let mut body = serializer.serialize_struct(stringify!($name), 2)?;
                body.serialize_field("event_name", self.event_name())?;
                match self {
                    $(Self::$variant(payload) => body.serialize_field("data", payload)?,)*
                    Self::Unknown { data, .. } => body.serialize_field("data", data)?,
                }
                body.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            /// Same rules as `from_value`: an unknown event name is
            /// `Unknown`, a known event with bad data is an error naming
            /// the field.
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::from_value(value).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::__impl_webhook_event as impl_webhook_event;

/// Why a webhook body could not be parsed into a [`WebhookEvent`].
///
/// Messages never contain the webhook key (parsing never sees it); they may
/// quote parts of the body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The body is not JSON.
    #[error("webhook body is not JSON: {0}")]
    NotJson(serde_json::Error),
    /// The body is JSON but not an object.
    #[error("webhook body is not a JSON object")]
    NotAnObject,
    /// The body lacks `event_name` or `data`.
    #[error("webhook body has no `{0}` field")]
    MissingField(&'static str),
    /// `event_name` is not a string.
    #[error("webhook body's `event_name` is not a string")]
    EventNameNotString,
    /// A known event whose `data` does not match its type.
    #[error("webhook `{event_name}` has invalid `{path}`: {error}")]
    InvalidData {
        /// The event name, one of [`WebhookEvent::KNOWN_EVENT_NAMES`] (or
        /// of the known names of the enum parsed into).
        event_name: &'static str,
        /// Path of the offending value from the body root, e.g. `data.status`
        /// or `data.documents[0].url` (`data` itself when it is not an object).
        path: String,
        /// What is wrong with the value there. From [`parse_event`], its
        /// line and column are those of the body; from
        /// [`WebhookEvent::from_value`], which has no text, they are 0.
        error: serde_json::Error,
    },
}
