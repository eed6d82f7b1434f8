//! [`WebhookEvent`]: a webhook body parsed into a typed event, with unknown
//! event names kept rather than rejected.
//!
//! Every webhook body is `{"event_name": "...", "data": {...}}` (in either
//! order). `message_*` events carry a [`Message`], `customer_*` events a
//! [`Customer`].

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::Value;

use crate::types::{Customer, Message};

/// A Kimoby webhook event, as sent in the body of a webhook request.
///
/// Events this version does not know become [`WebhookEvent::Unknown`] with
/// their name and raw data, so a receiver keeps answering `200` when Kimoby
/// adds an event. New variants may be added in minor versions: match with a
/// `_` arm.
///
/// Serializing gives back a body of the same shape
/// (`{"event_name": ..., "data": ...}`), e.g. to post signed test requests to
/// your own receiver.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `message_created`: a message was sent or received.
    MessageCreated(Message),
    /// `message_updated`: the `status`, `error`, `user_sub_user_id` or
    /// `conversation_id` of a message changed.
    MessageUpdated(Message),
    /// `customer_unsubscribed`: the customer no longer receives messages.
    CustomerUnsubscribed(Customer),
    /// `customer_resubscribed`: the customer receives messages again.
    CustomerResubscribed(Customer),
    /// An event this version of the crate does not know, left undecoded.
    Unknown {
        /// The `event_name` of the body.
        event_name: String,
        /// The `data` of the body, as sent.
        data: Value,
    },
}

impl WebhookEvent {
    /// `event_name` of [`WebhookEvent::MessageCreated`].
    pub const MESSAGE_CREATED: &'static str = "message_created";
    /// `event_name` of [`WebhookEvent::MessageUpdated`].
    pub const MESSAGE_UPDATED: &'static str = "message_updated";
    /// `event_name` of [`WebhookEvent::CustomerUnsubscribed`].
    pub const CUSTOMER_UNSUBSCRIBED: &'static str = "customer_unsubscribed";
    /// `event_name` of [`WebhookEvent::CustomerResubscribed`].
    pub const CUSTOMER_RESUBSCRIBED: &'static str = "customer_resubscribed";

    /// The event names this version decodes into typed variants.
    pub const KNOWN_EVENT_NAMES: [&'static str; 4] = [
        Self::MESSAGE_CREATED,
        Self::MESSAGE_UPDATED,
        Self::CUSTOMER_UNSUBSCRIBED,
        Self::CUSTOMER_RESUBSCRIBED,
    ];

    /// The `event_name` the event was sent with.
    ///
    /// ```
    /// # use kimoby_generated::webhooks::parse_event;
    /// let event = parse_event(br#"{"event_name":"invoice_paid","data":{}}"#)?;
    /// assert_eq!(event.event_name(), "invoice_paid");
    /// # Ok::<(), kimoby_generated::webhooks::ParseError>(())
    /// ```
    pub fn event_name(&self) -> &str {
        match self {
            Self::MessageCreated(_) => Self::MESSAGE_CREATED,
            Self::MessageUpdated(_) => Self::MESSAGE_UPDATED,
            Self::CustomerUnsubscribed(_) => Self::CUSTOMER_UNSUBSCRIBED,
            Self::CustomerResubscribed(_) => Self::CUSTOMER_RESUBSCRIBED,
            Self::Unknown { event_name, .. } => event_name,
        }
    }

    /// Decodes an already parsed JSON body (see [`parse_event`]).
    ///
    /// # Errors
    ///
    /// As [`parse_event`], except [`ParseError::NotJson`].
    pub fn from_value(body: Value) -> Result<Self, ParseError> {
        let Value::Object(mut fields) = body else {
            return Err(ParseError::NotAnObject);
        };
        let event_name = match fields.remove("event_name") {
            Some(Value::String(name)) => name,
            Some(_) => return Err(ParseError::EventNameNotString),
            None => return Err(ParseError::MissingField("event_name")),
        };
        let data = fields.remove("data").ok_or(ParseError::MissingField("data"))?;
        Ok(match event_name.as_str() {
            Self::MESSAGE_CREATED => Self::MessageCreated(decode(Self::MESSAGE_CREATED, data)?),
            Self::MESSAGE_UPDATED => Self::MessageUpdated(decode(Self::MESSAGE_UPDATED, data)?),
            Self::CUSTOMER_UNSUBSCRIBED => Self::CustomerUnsubscribed(decode(Self::CUSTOMER_UNSUBSCRIBED, data)?),
            Self::CUSTOMER_RESUBSCRIBED => Self::CustomerResubscribed(decode(Self::CUSTOMER_RESUBSCRIBED, data)?),
            _ => Self::Unknown { event_name, data },
        })
    }
}

/// Decodes the `data` of a known event, reporting where it does not match.
fn decode<T: serde::de::DeserializeOwned>(event_name: &'static str, data: Value) -> Result<T, ParseError> {
    serde_path_to_error::deserialize(data).map_err(|error| {
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
    })
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
    let value = serde_json::from_slice(body).map_err(ParseError::NotJson)?;
    WebhookEvent::from_value(value)
}

impl Serialize for WebhookEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut body = serializer.serialize_struct("WebhookEvent", 2)?;
        body.serialize_field("event_name", self.event_name())?;
        match self {
            Self::MessageCreated(message) | Self::MessageUpdated(message) => {
                body.serialize_field("data", message)?;
            }
            Self::CustomerUnsubscribed(customer) | Self::CustomerResubscribed(customer) => {
                body.serialize_field("data", customer)?;
            }
            Self::Unknown { data, .. } => body.serialize_field("data", data)?,
        }
        body.end()
    }
}

impl<'de> Deserialize<'de> for WebhookEvent {
    /// Same rules as [`WebhookEvent::from_value`]: an unknown event name is
    /// [`WebhookEvent::Unknown`], a known event with bad data is an error
    /// naming the field.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Self::from_value(value).map_err(serde::de::Error::custom)
    }
}

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
        /// The event name, one of [`WebhookEvent::KNOWN_EVENT_NAMES`].
        event_name: &'static str,
        /// Path of the offending value from the body root, e.g. `data.status`
        /// or `data.documents[0].url` (`data` itself when it is not an object).
        path: String,
        /// What is wrong with the value there.
        error: serde_json::Error,
    },
}
