//! A proposal for the generated open enums' `Serialize`: one string literal
//! per variant, as `derive` writes, instead of `serialize_str(self.as_str())`.

use serde::{Serialize, Serializer};

/// `types::MessageStatus` with the proposed `Serialize`.
pub enum MessageStatus {
    Queued,
    Sending,
    Sent,
    Receiving,
    Received,
    Delivered,
    Undelivered,
    Failed,
    Other(String),
}

impl From<&kimoby_generated::types::MessageStatus> for MessageStatus {
    fn from(status: &kimoby_generated::types::MessageStatus) -> Self {
        match status.as_str() {
            "queued" => Self::Queued,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "receiving" => Self::Receiving,
            "received" => Self::Received,
            "delivered" => Self::Delivered,
            "undelivered" => Self::Undelivered,
            "failed" => Self::Failed,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl Serialize for MessageStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Queued => serializer.serialize_str("queued"),
            Self::Sending => serializer.serialize_str("sending"),
            Self::Sent => serializer.serialize_str("sent"),
            Self::Receiving => serializer.serialize_str("receiving"),
            Self::Received => serializer.serialize_str("received"),
            Self::Delivered => serializer.serialize_str("delivered"),
            Self::Undelivered => serializer.serialize_str("undelivered"),
            Self::Failed => serializer.serialize_str("failed"),
            Self::Other(value) => serializer.serialize_str(value),
        }
    }
}
