//! Open enums written as the generator writes them (`Other` keeps the value;
//! `Serialize` writes `as_str()`, `Deserialize` matches a borrowed `&str`),
//! with the `Other` payload as a parameter: in a derived `Message`, they tell
//! whether the messages' encode gap is the open enums' size.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! open_enum {
    ($name:ident, $payload:ty, { $($variant:ident => $text:literal),* $(,)? }) => {
        pub enum $name {
            $($variant,)*
            Other($payload),
        }

        impl $name {
            fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(value) => &**value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($text => Self::$variant,)*
                    other => Self::Other(other.into()),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct StrVisitor;
                impl<'de> Visitor<'de> for StrVisitor {
                    type Value = $name;
                    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                        formatter.write_str("a string")
                    }
                    fn visit_str<E: de::Error>(self, value: &str) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                }
                deserializer.deserialize_str(StrVisitor)
            }
        }
    };
}

macro_rules! message_enums {
    ($direction:ident, $element_type:ident, $status:ident, $payload:ty) => {
        open_enum!($direction, $payload, { Outgoing => "outgoing", Incoming => "incoming" });
        open_enum!($element_type, $payload, {
            SentMessage => "sent_message",
            ReceivedMessage => "received_message",
        });
        open_enum!($status, $payload, {
            Queued => "queued",
            Sending => "sending",
            Sent => "sent",
            Receiving => "receiving",
            Received => "received",
            Delivered => "delivered",
            Undelivered => "undelivered",
            Failed => "failed",
        });
    };
}

message_enums!(Direction, ElementType, Status, String);
message_enums!(BoxedDirection, BoxedElementType, BoxedStatus, Box<str>);

/// A derived `MessageList` with the generator's open enums (`Other(String)`).
pub type WithOpenEnums = super::hand::MessageList<Direction, ElementType, Status>;
/// The same with `Other(Box<str>)`: 16 bytes an enum instead of 24.
pub type WithBoxedOpenEnums = super::hand::MessageList<BoxedDirection, BoxedElementType, BoxedStatus>;
