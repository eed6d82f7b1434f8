//! Typed Rust bindings for the Kimoby REST API (SMS, customers, appointments,
//! events, messages, invoices, documents, webhooks).
//!
//! - [`types`]: the model and request types, generated from the JSON Schemas
//!   in `schemas/` by `cargo xtask codegen` (never edited by hand).
//! - [`custom_attributes`]: the hand-written custom attribute types the
//!   generated ones use.
//! - [`open_enum`]: what every open enum of the server-sent types shares
//!   (the [`open_enum::OpenEnum`] trait and its serde code).
//! - [`schemas`]: the schema files themselves, embedded; with the `validate`
//!   feature, `validate::Validator` checks any payload against them.
//!
//! Types the server sends are forward compatible: unknown fields are ignored
//! and an unknown enum value deserializes into the enum's `Other` variant and
//! serializes back unchanged. Request types are strict. Dates keep their offset.
//!
//! ```
//! use kimoby_generated::types::{Message, MessageStatus};
//!
//! let message: Message = serde_json::from_str(r#"{
//!     "id": 345634563, "customer_id": "CUc571a62c0639ef8c30807962698c3",
//!     "conversation_id": null, "user_sub_user_id": null, "body": "Test message",
//!     "element_type": "sent_message", "direction": "outgoing", "status": "queued",
//!     "error": null, "documents": [],
//!     "created_at": "2019-02-21T14:38:14-05:00", "updated_at": "2019-02-21T14:38:14-05:00"
//! }"#)?;
//! assert_eq!(message.status, MessageStatus::Queued);
//! assert_eq!(message.created_at.to_rfc3339(), "2019-02-21T14:38:14-05:00");
//! # Ok::<(), serde_json::Error>(())
//! ```

// On docs.rs (`--cfg docsrs`, nightly rustdoc), items that need a feature say
// which; stable builds never set `docsrs`, so this attribute is inert there.
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Files written by `cargo xtask codegen`; see `kimoby-codegen`.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports)]
mod generated {
    #[cfg(feature = "client")]
    pub mod client;
    mod requests;
    mod responses;
    pub mod schemas;
    pub mod types;
}

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use generated::client;
pub use generated::types;

pub mod clearable;
pub mod custom_attributes;
#[cfg(feature = "validate")]
#[cfg_attr(docsrs, doc(cfg(feature = "validate")))]
pub mod departure;
pub mod open_enum;
pub mod schemas;
#[cfg(feature = "validate")]
#[cfg_attr(docsrs, doc(cfg(feature = "validate")))]
pub mod validate;

// -- modules: each helper adds its own `mod` line below this marker --
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod runtime;
pub mod webhooks;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{Client, ClientBuilder};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use runtime::Error;

/// The crate README (what crates.io shows), compiled as a doctest so that its
/// example keeps up with the API.
#[cfg(all(doctest, feature = "client"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
