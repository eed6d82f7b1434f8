//! Receiving Kimoby webhooks: signature verification, typed events, and a
//! signing helper for testing receivers.
//!
//! Kimoby POSTs each event as JSON (`{"event_name": ..., "data": ...}`) to the
//! URL of the webhook, with an `X-Kimoby-Signature` header: the base64 of an
//! HMAC-SHA1 over the webhook URL followed by the raw body, keyed with the
//! `authentication_key` returned when the webhook was created. This module
//! needs no HTTP stack (it is available without the `client` feature) and
//! works with any server framework:
//!
//! 1. [`verify`] the raw body bytes against the header, before anything else;
//!    answer `401` if it fails.
//! 2. [`parse_event`] the body into a [`WebhookEvent`]; answer `400` if it
//!    fails. An event this crate does not know yet parses as
//!    [`WebhookEvent::Unknown`]: answer `200` for it.
//! 3. Answer `200` quickly and do the work elsewhere (a channel, a spawned
//!    task): Kimoby retries after any other status or after about 60 seconds,
//!    up to 6 attempts over about 10 hours, and deletes the webhook on `410`.
//!
//! ```
//! use kimoby_generated::webhooks::{WebhookEvent, WebhookKey, WebhookVerifier, parse_event};
//!
//! // Once, at start-up: the URL registered with Kimoby and its key.
//! let verifier = WebhookVerifier::new(
//!     "https://your.app.com/webhook/path",
//!     WebhookKey::new("1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw"),
//! );
//!
//! // Per request: the raw body and the X-Kimoby-Signature header value.
//! let body = br#"{"event_name":"appointment_created","data":{"id":"ap1"}}"#;
//! let header: Option<&[u8]> = Some(b"7FOP0LoROCvB68rFSpAVc8knR30=\n");
//!
//! let status = match verifier.verify(body, header) {
//!     Err(_) => 401,
//!     Ok(()) => match parse_event(body) {
//!         Err(_) => 400,
//!         Ok(WebhookEvent::MessageCreated(message)) => 200, // queue `message`
//!         Ok(event) => 200,                                 // others, unknown ones too
//!     },
//! };
//! assert_eq!(status, 200);
//! ```
//!
//! The key is held in a [`WebhookKey`], whose `Debug` output is redacted; no
//! error of this module contains it.

mod event;
mod key;
mod signature;

pub use crate::generated::webhook_events::WebhookEvent;
#[doc(hidden)]
pub use event::{EventData, TypedWebhookEvent, decode_data, event_from_value, impl_webhook_event, parse_event_as};
pub use event::{ParseError, parse_event};
pub use key::WebhookKey;
pub use signature::{MalformedSignature, SIGNATURE_HEADER, SignatureError, WebhookVerifier, sign, verify};
