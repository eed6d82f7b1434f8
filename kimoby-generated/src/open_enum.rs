//! Open enums: the string enums of the types the server sends (`MessageStatus`,
//! `AppointmentStatus`, ...). Each has an `Other(String)` variant, so a value
//! Kimoby adds after this crate was generated deserializes into `Other` (and
//! serializes back unchanged) instead of failing the whole payload.
//!
//! The generator writes, for each open enum, only what differs from one enum
//! to the next: its definition, its table of wire values (an [`OpenEnum`]
//! impl) and one `impl_open_enum_traits!` line. The conversions and the serde
//! code are written once, here.
//!
//! ```
//! use kimoby_generated::open_enum::OpenEnum;
//! use kimoby_generated::types::MessageStatus;
//!
//! let known: MessageStatus = serde_json::from_str(r#""delivered""#)?;
//! assert_eq!(known, MessageStatus::Delivered);
//!
//! let unknown: MessageStatus = serde_json::from_str(r#""archived""#)?;
//! assert_eq!(unknown, MessageStatus::Other("archived".to_owned()));
//! assert!(unknown.is_unknown());
//! assert_eq!(serde_json::to_string(&unknown)?, r#""archived""#);
//!
//! assert!(MessageStatus::KNOWN_VALUES.contains(&"queued"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// A string enum that keeps values it does not know in an `Other(String)`
/// variant. Implemented by the generated open enums.
pub trait OpenEnum: Sized {
    /// The name of the Rust type, for error messages.
    const TYPE_NAME: &'static str;
    /// Every value this version of the crate knows, as written on the wire,
    /// in the order of the schema.
    const KNOWN_VALUES: &'static [&'static str];

    /// The variant for a known wire value, `None` for any other value.
    fn from_known(value: &str) -> Option<Self>;
    /// The `Other` variant holding `value`.
    fn from_unknown(value: String) -> Self;
    /// The value as it is written on the wire.
    fn wire_value(&self) -> &str;

    /// Whether this is a value this version of the crate does not know.
    fn is_unknown(&self) -> bool {
        !Self::KNOWN_VALUES.contains(&self.wire_value())
    }
}

/// The enum value for `value`: a known variant, or `Other` with a copy of it.
pub fn from_str<T: OpenEnum>(value: &str) -> T {
    T::from_known(value).unwrap_or_else(|| T::from_unknown(value.to_owned()))
}

/// The enum value for `value`: a known variant, or `Other` holding `value`
/// itself (no copy).
pub fn from_string<T: OpenEnum>(value: String) -> T {
    match T::from_known(&value) {
        Some(known) => known,
        None => T::from_unknown(value),
    }
}

/// Writes the wire value as a JSON string.
pub fn serialize<T: OpenEnum, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.wire_value())
}

/// Reads a JSON string into a known variant or `Other`; anything but a
/// string is an error. A borrowed string is only copied when it is unknown.
pub fn deserialize<'de, T: OpenEnum, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_str(OpenEnumVisitor(PhantomData))
}

struct OpenEnumVisitor<T>(PhantomData<T>);

impl<T: OpenEnum> Visitor<'_> for OpenEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "a {} value as a string", T::TYPE_NAME)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(from_str(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        Ok(from_string(value))
    }
}

/// Implements, for an [`OpenEnum`], the inherent `as_str` and the traits
/// every open enum has: `Display`, `From<&str>`, `From<String>`, `FromStr`
/// (infallible), `Serialize` and `Deserialize`, all in terms of this
/// module's functions. The generated types file calls it once per open enum,
/// after the enum's `OpenEnum` impl.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_open_enum_traits {
    ($name:ident) => {
        impl $name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                $crate::open_enum::OpenEnum::wire_value(self)
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $crate::open_enum::from_str(value)
            }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                $crate::open_enum::from_string(value)
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($crate::open_enum::from_str(value))
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::open_enum::serialize(self, serializer)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::open_enum::deserialize(deserializer)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::__impl_open_enum_traits as impl_open_enum_traits;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Colour {
        Red,
        Green,
        Other(String),
    }

    impl OpenEnum for Colour {
        const TYPE_NAME: &'static str = "Colour";
        const KNOWN_VALUES: &'static [&'static str] = &["red", "green"];

        fn from_known(value: &str) -> Option<Self> {
            match value {
                "red" => Some(Self::Red),
                "green" => Some(Self::Green),
                _ => None,
            }
        }

        fn from_unknown(value: String) -> Self {
            Self::Other(value)
        }

        fn wire_value(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::Green => "green",
                Self::Other(value) => value,
            }
        }
    }

    impl_open_enum_traits!(Colour);

    #[test]
    fn known_values_become_their_variant_and_others_are_kept() {
        assert_eq!(serde_json::from_str::<Colour>(r#""green""#).unwrap(), Colour::Green);
        let unknown: Colour = serde_json::from_str(r#""mauve""#).unwrap();
        assert_eq!(unknown, Colour::Other("mauve".to_owned()));
        assert!(unknown.is_unknown());
        assert!(!Colour::Red.is_unknown());
        assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""mauve""#);
        assert_eq!(Colour::from("red"), Colour::Red);
        assert_eq!(Colour::from(String::from("blue")), Colour::Other("blue".to_owned()));
        assert_eq!("green".parse::<Colour>(), Ok(Colour::Green));
        assert_eq!(Colour::Other("blue".to_owned()).to_string(), "blue");
    }

    #[test]
    fn an_unknown_value_that_matches_a_known_one_is_not_unknown() {
        // `Other("red")` cannot come from deserialization, but a caller may
        // build it; it is written as `red` and read back as `Red`.
        let built = Colour::Other("red".to_owned());
        assert!(!built.is_unknown());
        let text = serde_json::to_string(&built).unwrap();
        assert_eq!(serde_json::from_str::<Colour>(&text).unwrap(), Colour::Red);
    }

    #[test]
    fn anything_but_a_string_is_an_error_naming_the_type() {
        let error = serde_json::from_str::<Colour>("12").unwrap_err();
        assert!(error.to_string().contains("a Colour value as a string"), "{error}");
    }

    #[test]
    fn escaped_strings_are_unescaped_before_matching() {
        // serde_json hands an escaped string to `visit_str` from its scratch
        // buffer; the match must see the unescaped text.
        assert_eq!(serde_json::from_str::<Colour>(r#""r\u0065d""#).unwrap(), Colour::Red);
    }
}
