//! Custom attributes: the key/value data a customer, appointment or event
//! carries from your system. Hand-written because the *name* decides the kind
//! of a value (`…_date` holds a date, `…_array` a list of strings), which no
//! generated shape expresses; the generator substitutes these types for the
//! `CustomAttributes`, `CustomAttributesUpdate` and `CustomAttributeValue`
//! schemas (`schemas/custom_attributes.json`, `custom_attributes_update.json`,
//! `custom_attribute_value.json`).
//!
//! Reading is tolerant, as for every server-sent type: a `_date` name whose
//! value is not a date is kept as text, and a value of a kind the API does not
//! document yet (a boolean, an object) is kept as raw JSON, never an error.
//!
//! Reading and writing are on the hot path of every customer, appointment and
//! event, so both avoid work a plain map of JSON values would not do:
//!
//! - a map is read in one pass: each value is read straight into its
//!   [`CustomAttributeValue`] by a [`DeserializeSeed`]
//!   that knows the attribute's name, without a `serde_json::Value` in between
//!   (raw JSON is built only for the kinds kept as [`CustomAttributeValue::Other`]);
//!   a date is parsed from the borrowed text when the input allows it, and
//!   every attribute goes straight into the map;
//! - a date is written from a buffer on the stack, with exactly the text
//!   [`DateTime::to_rfc3339`] gives (fractional seconds only when not zero,
//!   `+00:00` rather than `Z`), without a `String` per date.
//!
//! ```
//! use kimoby_generated::custom_attributes::{CustomAttributes, CustomAttributesUpdate};
//!
//! let attributes: CustomAttributes = serde_json::from_str(
//!     r#"{"vehicle": "Audi", "num_of_visits": 12.0,
//!         "last_visit_date": "2013-02-12T00:00:00+00:00",
//!         "product_names_array": ["Premium", "Lite"]}"#,
//! )?;
//! assert_eq!(attributes.get("vehicle").and_then(|value| value.as_str()), Some("Audi"));
//! assert_eq!(attributes.get("num_of_visits").and_then(|value| value.as_f64()), Some(12.0));
//! assert!(attributes.get("last_visit_date").and_then(|value| value.as_date()).is_some());
//!
//! // In a request, `remove` sends `null`, which deletes the attribute.
//! let update = CustomAttributesUpdate::new().set("vehicle_year", 2012).remove("vehicle");
//! assert_eq!(
//!     serde_json::to_string(&update)?,
//!     r#"{"vehicle":null,"vehicle_year":2012.0}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

mod read;
mod rfc3339;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::de::DeserializeSeed;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use read::{AttributesVisitor, ValueSeed};
use rfc3339::Rfc3339Text;

/// Suffix of the names that hold a date.
pub const DATE_SUFFIX: &str = "_date";
/// Suffix of the names that hold a list of strings.
pub const ARRAY_SUFFIX: &str = "_array";

/// One custom attribute value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CustomAttributeValue {
    /// A non-empty string.
    Text(String),
    /// A number; the API returns every number as a float (`12` comes back as `12.0`).
    Number(f64),
    /// A date with time, under a name ending in `_date`; keeps its offset.
    Date(DateTime<FixedOffset>),
    /// A non-empty list of strings, under a name ending in `_array`.
    List(Vec<String>),
    /// A value of a kind the API does not document, kept as sent.
    Other(Value),
}

impl CustomAttributeValue {
    /// The text, for a [`CustomAttributeValue::Text`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The number, for a [`CustomAttributeValue::Number`].
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(number) => Some(*number),
            _ => None,
        }
    }

    /// The date, for a [`CustomAttributeValue::Date`].
    pub fn as_date(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            Self::Date(date) => Some(*date),
            _ => None,
        }
    }

    /// The items, for a [`CustomAttributeValue::List`].
    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            Self::List(items) => Some(items),
            _ => None,
        }
    }

    /// Reads a JSON value stored under `name`, deciding its kind from the name
    /// as the API does. Never fails: unexpected shapes become `Text` or `Other`.
    ///
    /// Deserializing [`CustomAttributes`] gives the same values as this
    /// function applied to each attribute, without building the `Value`.
    pub fn from_json(name: &str, value: Value) -> Self {
        Self::from_json_value(name.ends_with(DATE_SUFFIX), value)
    }

    /// [`CustomAttributeValue::from_json`] once the name has been looked at:
    /// `is_date` tells whether it ends in [`DATE_SUFFIX`].
    fn from_json_value(is_date: bool, value: Value) -> Self {
        match value {
            Value::String(text) if is_date => Self::text_or_date(text),
            Value::String(text) => Self::Text(text),
            Value::Number(number) => match number.as_f64() {
                Some(float) => Self::Number(float),
                None => Self::Other(Value::Number(number)),
            },
            // The API stores every item of an array as a string.
            Value::Array(items) if items.iter().all(|item| item.is_string() || item.is_number()) => Self::List(
                items
                    .into_iter()
                    .map(|item| match item {
                        Value::String(text) => text,
                        other => other.to_string(),
                    })
                    .collect(),
            ),
            other => Self::Other(other),
        }
    }

    /// A date when `text` is one in RFC 3339, the text itself otherwise.
    fn text_or_date(text: String) -> Self {
        match DateTime::parse_from_rfc3339(&text) {
            Ok(date) => Self::Date(date),
            Err(_) => Self::Text(text),
        }
    }
}

impl Serialize for CustomAttributeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Number(number) => serializer.serialize_f64(*number),
            Self::Date(date) => match Rfc3339Text::new(date) {
                Some(text) => serializer.serialize_str(text.as_str()),
                None => serializer.serialize_str(&date.to_rfc3339()),
            },
            Self::List(items) => items.serialize(serializer),
            Self::Other(value) => value.serialize(serializer),
        }
    }
}

impl From<&str> for CustomAttributeValue {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for CustomAttributeValue {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<f64> for CustomAttributeValue {
    fn from(number: f64) -> Self {
        Self::Number(number)
    }
}

impl From<i32> for CustomAttributeValue {
    fn from(number: i32) -> Self {
        Self::Number(f64::from(number))
    }
}

impl From<DateTime<FixedOffset>> for CustomAttributeValue {
    fn from(date: DateTime<FixedOffset>) -> Self {
        Self::Date(date)
    }
}

impl From<DateTime<chrono::Utc>> for CustomAttributeValue {
    fn from(date: DateTime<chrono::Utc>) -> Self {
        Self::Date(date.fixed_offset())
    }
}

impl From<Vec<String>> for CustomAttributeValue {
    fn from(items: Vec<String>) -> Self {
        Self::List(items)
    }
}

impl From<Vec<&str>> for CustomAttributeValue {
    fn from(items: Vec<&str>) -> Self {
        Self::List(items.into_iter().map(str::to_owned).collect())
    }
}

/// Custom attributes as the server returns them, by name (sorted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomAttributes(BTreeMap<String, CustomAttributeValue>);

impl CustomAttributes {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value stored under `name`.
    pub fn get(&self, name: &str) -> Option<&CustomAttributeValue> {
        self.0.get(name)
    }

    /// Every attribute, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CustomAttributeValue)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// How many attributes there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds or replaces an attribute.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<CustomAttributeValue>) {
        self.0.insert(name.into(), value.into());
    }

    /// The underlying map.
    pub fn into_inner(self) -> BTreeMap<String, CustomAttributeValue> {
        self.0
    }
}

impl From<BTreeMap<String, CustomAttributeValue>> for CustomAttributes {
    fn from(map: BTreeMap<String, CustomAttributeValue>) -> Self {
        Self(map)
    }
}

impl<'a> IntoIterator for &'a CustomAttributes {
    type Item = (&'a String, &'a CustomAttributeValue);
    type IntoIter = std::collections::btree_map::Iter<'a, String, CustomAttributeValue>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for CustomAttributes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for CustomAttributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AttributesVisitor::new()).map(Self)
    }
}

/// Custom attributes as sent in a request: a value sets the attribute, `None`
/// sends `null`, which removes it. Names are free text; the server snake_cases
/// them (`"Vehicle Year"` becomes `"vehicle_year"`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomAttributesUpdate(BTreeMap<String, Option<CustomAttributeValue>>);

impl CustomAttributesUpdate {
    /// An update that changes nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value`.
    #[must_use]
    pub fn set(mut self, name: impl Into<String>, value: impl Into<CustomAttributeValue>) -> Self {
        self.0.insert(name.into(), Some(value.into()));
        self
    }

    /// Removes `name` (sends `null`).
    #[must_use]
    pub fn remove(mut self, name: impl Into<String>) -> Self {
        self.0.insert(name.into(), None);
        self
    }

    /// The change for `name`: `Some(None)` is a removal.
    pub fn get(&self, name: &str) -> Option<Option<&CustomAttributeValue>> {
        self.0.get(name).map(Option::as_ref)
    }

    /// Every change, by name; `None` is a removal.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&CustomAttributeValue>)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value.as_ref()))
    }

    /// How many attributes the update touches.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the update touches nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The underlying map.
    pub fn into_inner(self) -> BTreeMap<String, Option<CustomAttributeValue>> {
        self.0
    }
}

impl From<CustomAttributes> for CustomAttributesUpdate {
    /// An update that sets every attribute of `attributes`.
    fn from(attributes: CustomAttributes) -> Self {
        Self(
            attributes
                .0
                .into_iter()
                .map(|(name, value)| (name, Some(value)))
                .collect(),
        )
    }
}

impl Serialize for CustomAttributesUpdate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for CustomAttributesUpdate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AttributesVisitor::new()).map(Self)
    }
}

impl<'de> Deserialize<'de> for CustomAttributeValue {
    /// Without its name a value cannot be a date: dates are read as text here.
    /// Inside [`CustomAttributes`] the name decides. `null` is kept as
    /// `Other(Value::Null)`, as [`CustomAttributeValue::from_json`] keeps it.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ValueSeed { is_date: false }
            .deserialize(deserializer)
            .map(|value| value.unwrap_or(Self::Other(Value::Null)))
    }
}

#[cfg(test)]
mod tests;
