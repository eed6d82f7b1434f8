//! Stage 4, the Rust types: typify run with our settings ([`typespace`]),
//! its `syn` tree edited where typify has no setting ([`postprocess`],
//! [`validated_strings`]), constructors and setters added ([`requests`]),
//! and the webhook events generated from the contract ([`webhook_events`]).

pub mod postprocess;
pub mod requests;
pub mod typespace;
pub mod validated_strings;
pub mod webhook_events;
