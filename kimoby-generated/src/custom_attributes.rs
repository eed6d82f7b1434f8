//! Custom attributes: the key/value data a customer, appointment or event
//! carries from your system. Hand-written because the *name* decides the kind
//! of a value (`…_date` holds a date, `…_array` a list of strings), which no
//! generated shape expresses; the generator substitutes these types for the
//! `CustomAttributes`, `CustomAttributesUpdate` and `CustomAttributeValue`
//! definitions of `schemas/custom_attributes.json`.
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

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Datelike as _, FixedOffset, Timelike as _};
use serde::de::value::{I128Deserializer, MapAccessDeserializer, SeqAccessDeserializer, U128Deserializer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

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

/// The bytes every [`Rfc3339Text`] starts from: the longest text
/// `to_rfc3339` writes (nine fraction digits and an offset, 35 bytes), then
/// spaces up to 48. Writing a date only replaces ASCII bytes with ASCII bytes,
/// so the whole buffer stays valid UTF-8 and `str::from_utf8` checks it in
/// three 16-byte steps (its fast path for ASCII) rather than byte by byte.
const RFC3339_TEMPLATE: &[u8; 48] = b"0000-00-00T00:00:00.000000000+00:00             ";

/// `"00"` to `"99"`: the two digits of every number below 100.
const DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0; 2]; 100];
    let mut value = 0;
    while value < 100 {
        // Both are single digits, so the casts keep them whole.
        pairs[value] = [b'0' + (value / 10) as u8, b'0' + (value % 10) as u8];
        value += 1;
    }
    pairs
};

/// A date as [`DateTime::to_rfc3339`] writes it, in a buffer on the stack.
///
/// That text is `YYYY-MM-DDTHH:MM:SS`, then a dot and 3, 6 or 9 digits when
/// the nanoseconds are not zero (the fewest that keep them exact), then the
/// offset as `+HH:MM` or `-HH:MM`, rounded to the nearest minute (`+00:00`
/// for UTC, never `Z`). A leap second is written as second 60.
struct Rfc3339Text {
    /// [`RFC3339_TEMPLATE`] with the date written over its start.
    bytes: [u8; RFC3339_TEMPLATE.len()],
    /// How many bytes of `bytes` are the text.
    length: usize,
}

impl Rfc3339Text {
    /// The text of `date`, or `None` for the years chrono writes with a sign
    /// (before 0 or after 9999): those are left to `to_rfc3339` itself.
    fn new(date: &DateTime<FixedOffset>) -> Option<Self> {
        // An offset moves the local date by less than a day, so a UTC year in
        // this range keeps the local year in 0..=9999 and `naive_local` in range.
        if !(1..=9998).contains(&date.naive_utc().year()) {
            return None;
        }
        let local = date.naive_local();
        let year = u32::try_from(local.year()).ok()?;
        // chrono keeps a leap second as nanoseconds past 1,000,000,000 of
        // second 59, and writes it as second 60.
        let (mut second, mut nanoseconds) = (local.second(), local.nanosecond());
        if nanoseconds >= 1_000_000_000 {
            second += 1;
            nanoseconds -= 1_000_000_000;
        }

        let mut bytes = *RFC3339_TEMPLATE;
        write_two_digits(&mut bytes[0..2], year / 100);
        write_two_digits(&mut bytes[2..4], year % 100);
        write_two_digits(&mut bytes[5..7], local.month());
        write_two_digits(&mut bytes[8..10], local.day());
        write_two_digits(&mut bytes[11..13], local.hour());
        write_two_digits(&mut bytes[14..16], local.minute());
        write_two_digits(&mut bytes[17..19], second);

        // The template has the dot at 19: the fraction, when there is one, follows it.
        let mut length = 19;
        if nanoseconds != 0 {
            let (fraction, digits) = if nanoseconds % 1_000_000 == 0 {
                (nanoseconds / 1_000_000, 3)
            } else if nanoseconds % 1_000 == 0 {
                (nanoseconds / 1_000, 6)
            } else {
                (nanoseconds, 9)
            };
            write_digits(&mut bytes[20..20 + digits], fraction);
            length = 20 + digits;
        }

        let offset = date.offset().local_minus_utc();
        let minutes = (offset.unsigned_abs() + 30) / 60;
        let text_of_offset = &mut bytes[length..length + 6];
        text_of_offset[0] = if offset < 0 { b'-' } else { b'+' };
        write_two_digits(&mut text_of_offset[1..3], minutes / 60);
        text_of_offset[3] = b':';
        write_two_digits(&mut text_of_offset[4..6], minutes % 60);
        Some(Self {
            bytes,
            length: length + 6,
        })
    }

    /// The text written.
    fn as_str(&self) -> &str {
        let buffer = std::str::from_utf8(&self.bytes).expect("only ASCII is written over an ASCII template");
        &buffer[..self.length]
    }
}

/// Writes `value` (below 100) into the two bytes of `slots`.
fn write_two_digits(slots: &mut [u8], value: u32) {
    // Below 100 by contract; `% 100` lets the compiler see the index is in range.
    let pair = DIGIT_PAIRS[(value % 100) as usize];
    slots.copy_from_slice(&pair);
}

/// Writes the last `slots.len()` decimal digits of `value` into `slots`, zero-padded.
fn write_digits(slots: &mut [u8], mut value: u32) {
    for slot in slots.iter_mut().rev() {
        // `value % 10` is a single digit, so the cast keeps it whole.
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
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

/// The map an [`AttributesVisitor`] fills, and what it does with `null`.
trait AttributeMap: Default {
    /// Stores the value read under `name`; `None` is a JSON `null`.
    fn put(&mut self, name: String, value: Option<CustomAttributeValue>);
}

impl AttributeMap for BTreeMap<String, CustomAttributeValue> {
    /// A response never carries `null`: one that does is skipped, and leaves
    /// any earlier value of the same name in place.
    fn put(&mut self, name: String, value: Option<CustomAttributeValue>) {
        if let Some(value) = value {
            self.insert(name, value);
        }
    }
}

impl AttributeMap for BTreeMap<String, Option<CustomAttributeValue>> {
    /// In a request, `null` removes the attribute: it is kept as `None`.
    fn put(&mut self, name: String, value: Option<CustomAttributeValue>) {
        self.insert(name, value);
    }
}

/// Reads an object of attributes into `M`, each value read by a
/// [`ValueSeed`] that knows from the name whether it may be a date. When a
/// name comes twice, the last value wins.
struct AttributesVisitor<M>(PhantomData<M>);

impl<M> AttributesVisitor<M> {
    fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, M: AttributeMap> Visitor<'de> for AttributesVisitor<M> {
    type Value = M;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object of custom attributes")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<M, A::Error> {
        let mut attributes = M::default();
        while let Some(name) = access.next_key::<String>()? {
            let is_date = name.ends_with(DATE_SUFFIX);
            let value = access.next_value_seed(ValueSeed { is_date })?;
            attributes.put(name, value);
        }
        Ok(attributes)
    }
}

/// Reads one attribute value straight into a [`CustomAttributeValue`]; `None`
/// is `null`. Gives what [`CustomAttributeValue::from_json`] gives for the
/// same JSON (with `null` as `None`), without building a `serde_json::Value`
/// except for the kinds kept as [`CustomAttributeValue::Other`].
struct ValueSeed {
    /// Whether the attribute's name ends in [`DATE_SUFFIX`].
    is_date: bool,
}

impl ValueSeed {
    /// The value for a `Value` read the slow way: `None` for `null`, as `from_json` otherwise.
    fn attribute_from_json(&self, value: Value) -> Option<CustomAttributeValue> {
        match value {
            Value::Null => None,
            value => Some(CustomAttributeValue::from_json_value(self.is_date, value)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Option<CustomAttributeValue>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Each method gives what `serde_json::Value`'s own visitor would read,
/// passed through [`CustomAttributeValue::from_json`].
impl<'de> Visitor<'de> for ValueSeed {
    type Value = Option<CustomAttributeValue>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a custom attribute value")
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Self::Value, E> {
        Ok(Some(CustomAttributeValue::Other(Value::Bool(flag))))
    }

    // Numbers become `f64`, as `serde_json::Number::as_f64` converts them.
    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
        Ok(Some(CustomAttributeValue::Number(number as f64)))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
        Ok(Some(CustomAttributeValue::Number(number as f64)))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Self::Value, E> {
        // `Value` reads a number JSON cannot hold (NaN, infinite) as `null`.
        Ok(number.is_finite().then_some(CustomAttributeValue::Number(number)))
    }

    fn visit_i128<E: de::Error>(self, number: i128) -> Result<Self::Value, E> {
        Value::deserialize(I128Deserializer::<E>::new(number)).map(|value| self.attribute_from_json(value))
    }

    fn visit_u128<E: de::Error>(self, number: u128) -> Result<Self::Value, E> {
        Value::deserialize(U128Deserializer::<E>::new(number)).map(|value| self.attribute_from_json(value))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        // Parse the borrowed text first: a date then costs no allocation.
        if self.is_date
            && let Ok(date) = DateTime::parse_from_rfc3339(text)
        {
            return Ok(Some(CustomAttributeValue::Date(date)));
        }
        Ok(Some(CustomAttributeValue::Text(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Some(if self.is_date {
            CustomAttributeValue::text_or_date(text)
        } else {
            CustomAttributeValue::Text(text)
        }))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        // The usual array, only strings, is read straight into the list.
        let mut list = Vec::with_capacity(items.size_hint().unwrap_or(0));
        while let Some(item) = items.next_element::<ListItem>()? {
            match item {
                ListItem::Text(text) => list.push(text),
                ListItem::Json(first) => {
                    // Anything else: read the rest as JSON and decide as `from_json`
                    // does (numbers join the list as text, other kinds keep it as JSON).
                    let mut values: Vec<Value> = list.into_iter().map(Value::String).collect();
                    values.push(first);
                    while let Some(value) = items.next_element::<Value>()? {
                        values.push(value);
                    }
                    return Ok(self.attribute_from_json(Value::Array(values)));
                }
            }
        }
        Ok(Some(CustomAttributeValue::List(list)))
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        // An object is kept as JSON. Going through `Value` also keeps what
        // serde_json sends as a map in some configurations (a number under
        // its `arbitrary_precision` feature) exactly as `from_json` reads it.
        let value = Value::deserialize(MapAccessDeserializer::new(access))?;
        Ok(self.attribute_from_json(value))
    }
}

/// An item of an array attribute: a string, read as such, or any other JSON.
enum ListItem {
    /// A string, the item the API sends.
    Text(String),
    /// Anything else, as `serde_json::Value` reads it.
    Json(Value),
}

impl<'de> Deserialize<'de> for ListItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListItemVisitor)
    }
}

/// Reads a [`ListItem`]: strings as text, everything else as
/// `serde_json::Value` reads it.
struct ListItemVisitor;

impl<'de> Visitor<'de> for ListItemVisitor {
    type Value = ListItem;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an item of a custom attribute array")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ListItem, E> {
        Ok(ListItem::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<ListItem, E> {
        Ok(ListItem::Text(text))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<ListItem, E> {
        Ok(ListItem::Json(Value::Bool(flag)))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<ListItem, E> {
        Ok(ListItem::Json(Value::from(number)))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<ListItem, E> {
        Ok(ListItem::Json(Value::from(number)))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<ListItem, E> {
        // `Value::from` gives `null` for a number JSON cannot hold, as `Value` reads it.
        Ok(ListItem::Json(Value::from(number)))
    }

    fn visit_i128<E: de::Error>(self, number: i128) -> Result<ListItem, E> {
        Value::deserialize(I128Deserializer::<E>::new(number)).map(ListItem::Json)
    }

    fn visit_u128<E: de::Error>(self, number: u128) -> Result<ListItem, E> {
        Value::deserialize(U128Deserializer::<E>::new(number)).map(ListItem::Json)
    }

    fn visit_unit<E: de::Error>(self) -> Result<ListItem, E> {
        Ok(ListItem::Json(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<ListItem, E> {
        Ok(ListItem::Json(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<ListItem, D::Error> {
        ListItem::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, items: A) -> Result<ListItem, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(items)).map(ListItem::Json)
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<ListItem, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(access)).map(ListItem::Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_name_decides_the_kind_of_a_value() {
        let attributes: CustomAttributes = serde_json::from_value(json!({
            "comment": "Work needs to be done",
            "num_of_visits": 12.0,
            "last_appt_date": "2015-10-12T14:00:00-05:00",
            "service_required_array": ["Oil Change", 3],
            "birthday": "2015-10-12T14:00:00Z"
        }))
        .unwrap();
        assert_eq!(
            attributes.get("comment"),
            Some(&CustomAttributeValue::Text("Work needs to be done".into()))
        );
        assert_eq!(
            attributes.get("num_of_visits"),
            Some(&CustomAttributeValue::Number(12.0))
        );
        let date = attributes
            .get("last_appt_date")
            .and_then(CustomAttributeValue::as_date)
            .unwrap();
        assert_eq!(date.offset().local_minus_utc(), -5 * 3600, "the offset is kept");
        assert_eq!(
            attributes
                .get("service_required_array")
                .and_then(CustomAttributeValue::as_list),
            Some(&["Oil Change".to_owned(), "3".to_owned()][..])
        );
        // Not a `_date` name: stays text even though it looks like a date.
        assert_eq!(
            attributes.get("birthday").and_then(CustomAttributeValue::as_str),
            Some("2015-10-12T14:00:00Z")
        );
    }

    #[test]
    fn unexpected_shapes_are_kept_not_rejected() {
        let attributes: CustomAttributes = serde_json::from_value(json!({
            "broken_date": "next tuesday",
            "flag": true,
            "nested": {"a": 1}
        }))
        .unwrap();
        assert_eq!(
            attributes.get("broken_date").and_then(CustomAttributeValue::as_str),
            Some("next tuesday")
        );
        assert_eq!(attributes.get("flag"), Some(&CustomAttributeValue::Other(json!(true))));
        assert_eq!(
            attributes.get("nested"),
            Some(&CustomAttributeValue::Other(json!({"a": 1})))
        );
    }

    #[test]
    fn values_serialize_back_to_their_wire_form() {
        let wire = json!({
            "a_date": "2015-10-12T14:00:00-05:00",
            "b_array": ["x", "y"],
            "c": "text",
            "d": 210.11
        });
        let attributes: CustomAttributes = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(serde_json::to_value(&attributes).unwrap(), wire);
    }

    #[test]
    fn an_update_sends_null_for_a_removal_and_reads_it_back() {
        let update = CustomAttributesUpdate::new().set("vehicle", "Audi").remove("color");
        let wire = serde_json::to_value(&update).unwrap();
        assert_eq!(wire, json!({"color": null, "vehicle": "Audi"}));
        let back: CustomAttributesUpdate = serde_json::from_value(wire).unwrap();
        assert_eq!(back, update);
        assert_eq!(back.get("color"), Some(None));
    }

    #[test]
    fn a_response_skips_nulls() {
        let attributes: CustomAttributes = serde_json::from_value(json!({"gone": null, "kept": "x"})).unwrap();
        assert_eq!(attributes.len(), 1);
    }

    #[test]
    fn an_array_with_another_kind_of_item_is_kept_as_sent() {
        // Numbers before the odd item stay numbers: the array is kept as JSON.
        let attributes: CustomAttributes =
            serde_json::from_str(r#"{"mixed_array": ["a", 3, 2.5, true, null, ["b"]], "empty_array": []}"#).unwrap();
        assert_eq!(
            attributes.get("mixed_array"),
            Some(&CustomAttributeValue::Other(json!(["a", 3, 2.5, true, null, ["b"]])))
        );
        assert_eq!(
            attributes.get("empty_array"),
            Some(&CustomAttributeValue::List(Vec::new()))
        );
    }

    #[test]
    fn a_value_alone_is_read_without_its_name() {
        let value: CustomAttributeValue = serde_json::from_str(r#""2015-10-12T14:00:00Z""#).unwrap();
        assert_eq!(value, CustomAttributeValue::Text("2015-10-12T14:00:00Z".into()));
        let value: CustomAttributeValue = serde_json::from_str("null").unwrap();
        assert_eq!(value, CustomAttributeValue::Other(Value::Null));
        let value: CustomAttributeValue = serde_json::from_str("[1, \"x\"]").unwrap();
        assert_eq!(value, CustomAttributeValue::List(vec!["1".into(), "x".into()]));
    }

    #[test]
    fn a_date_name_with_escaped_text_is_still_a_date() {
        // serde_json cannot lend escaped text: the owned-string path parses it.
        let attributes: CustomAttributes =
            serde_json::from_str(r#"{"a_date": "2015-10-12T14:00:00\u002B01:00", "b_date": "not\n a date"}"#).unwrap();
        assert!(
            attributes
                .get("a_date")
                .and_then(CustomAttributeValue::as_date)
                .is_some()
        );
        assert_eq!(
            attributes.get("b_date").and_then(CustomAttributeValue::as_str),
            Some("not\n a date")
        );
    }

    /// Dates at the edges of what [`Rfc3339Text`] writes, and past them.
    #[test]
    fn dates_are_written_as_to_rfc3339_writes_them() {
        let cases = [
            "2015-10-12T14:00:00+00:00",
            "2015-10-12T14:00:00Z",
            "2015-10-12T14:00:00-05:00",
            "2015-10-12T14:00:00+05:30",
            "2015-10-12T14:00:00.1+23:59",
            "2015-10-12T14:00:00.120-23:59",
            "2015-10-12T14:00:00.000123+01:00",
            "2015-10-12T14:00:00.000000001+01:00",
            "2015-10-12T14:00:00.999999999+01:00",
            "2015-06-30T23:59:60.5+00:00",
            "2016-12-31T18:59:60-05:00",
            "0000-01-01T00:00:00+00:00",
            "0000-01-01T00:00:00+12:00",
            "0000-01-01T00:00:00-12:00",
            "9999-12-31T23:59:59.999999999+00:00",
            "9999-12-31T23:59:59-12:00",
            "9999-12-31T23:59:59+12:00",
        ];
        for case in cases {
            let date = DateTime::parse_from_rfc3339(case).unwrap();
            let expected = serde_json::to_string(&date.to_rfc3339()).unwrap();
            assert_eq!(
                serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap(),
                expected,
                "{case}"
            );
        }
        // An offset with seconds is rounded to the nearest minute, as chrono does.
        let utc = DateTime::from_timestamp(1_444_658_400, 0).unwrap();
        for seconds in [29, 30, 31, -29, -30, -31, 86_399, -86_399, 3_599, -3_570] {
            let date = utc.with_timezone(&FixedOffset::east_opt(seconds).unwrap());
            assert_eq!(
                Rfc3339Text::new(&date).unwrap().as_str(),
                date.to_rfc3339(),
                "{seconds}"
            );
        }
        // Signed years are left to chrono, and the bytes are still its own.
        for year in [-1, 10_000, 262_000, -262_000] {
            let date = chrono::NaiveDate::from_ymd_opt(year, 3, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .fixed_offset();
            assert!(Rfc3339Text::new(&date).is_none());
            assert_eq!(
                serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap(),
                serde_json::to_string(&date.to_rfc3339()).unwrap()
            );
        }
    }

    /// The reading this module did before it used [`ValueSeed`]: every value
    /// through a `serde_json::Value`, then [`CustomAttributeValue::from_json`].
    /// The property tests below check the two agree on any JSON.
    mod reference {
        use super::*;

        pub struct Entries(pub Vec<(String, Option<CustomAttributeValue>)>);

        pub fn read(text: &str, nullable: bool) -> serde_json::Result<Entries> {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let entries = deserializer.deserialize_map(EntriesVisitor { nullable })?;
            deserializer.end()?;
            Ok(entries)
        }

        pub fn read_value(value: Value, nullable: bool) -> serde_json::Result<Entries> {
            value.deserialize_map(EntriesVisitor { nullable })
        }

        struct EntriesVisitor {
            nullable: bool,
        }

        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object of custom attributes")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some((name, value)) = access.next_entry::<String, Value>()? {
                    let value = match value {
                        Value::Null if self.nullable => None,
                        Value::Null => continue,
                        value => Some(CustomAttributeValue::from_json(&name, value)),
                    };
                    entries.push((name, value));
                }
                Ok(Entries(entries))
            }
        }
    }

    mod properties {
        use chrono::NaiveDate;
        use proptest::prelude::*;

        use super::*;

        /// Text that is a date, nearly one, or not one at all.
        fn date_like_text() -> impl Strategy<Value = String> {
            let separator = prop_oneof![Just("T"), Just("t"), Just(" "), Just("_")];
            let fraction = prop_oneof![
                Just(String::new()),
                "[0-9]{1,12}".prop_map(|digits| format!(".{digits}")),
                Just(".".to_owned()),
            ];
            let offset = prop_oneof![
                Just("Z".to_owned()),
                Just("z".to_owned()),
                Just(String::new()),
                (prop_oneof![Just('+'), Just('-')], 0..26u32, 0..61u32)
                    .prop_map(|(sign, hours, minutes)| format!("{sign}{hours:02}:{minutes:02}")),
                (0..26u32, 0..61u32).prop_map(|(hours, minutes)| format!("+{hours:02}{minutes:02}")),
            ];
            let assembled = (
                0..10_000u32,
                0..14u32,
                0..33u32,
                separator,
                0..25u32,
                0..61u32,
                0..62u32,
                fraction,
                offset,
            )
                .prop_map(
                    |(year, month, day, separator, hour, minute, second, fraction, offset)| {
                        format!(
                            "{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
                        )
                    },
                );
            prop_oneof![
                6 => assembled,
                1 => "[0-9T:+.Z-]{0,30}",
                1 => any::<String>(),
            ]
        }

        /// Any JSON value, weighted towards the kinds attributes hold.
        fn json_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                1 => Just(Value::Null),
                1 => any::<bool>().prop_map(Value::Bool),
                2 => any::<i64>().prop_map(Value::from),
                2 => any::<u64>().prop_map(Value::from),
                2 => any::<f64>().prop_filter("JSON numbers are finite", |number| number.is_finite()).prop_map(Value::from),
                2 => (0..100u32).prop_map(|number| Value::from(f64::from(number))),
                4 => date_like_text().prop_map(Value::String),
                4 => "[a-zA-Z \"\\\\\n\u{e9}]{0,12}".prop_map(Value::String),
            ];
            leaf.prop_recursive(3, 24, 6, |inner| {
                prop_oneof![
                    3 => prop::collection::vec("[a-z]{1,6}".prop_map(Value::String), 0..4).prop_map(Value::Array),
                    2 => prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                    1 => prop::collection::btree_map("[a-z_]{0,8}", inner, 0..4)
                        .prop_map(|map| Value::Object(map.into_iter().collect())),
                ]
            })
        }

        /// Names of every kind, few enough that some come twice.
        fn name() -> impl Strategy<Value = String> {
            (
                prop_oneof![Just("a"), Just("visit"), Just("b\u{e9}")],
                prop_oneof![
                    Just(""),
                    Just(DATE_SUFFIX),
                    Just(ARRAY_SUFFIX),
                    Just("_DATE"),
                    Just("_date_")
                ],
            )
                .prop_map(|(stem, suffix)| format!("{stem}{suffix}"))
        }

        /// An object as text, names in any order and possibly repeated.
        fn object_text() -> impl Strategy<Value = String> {
            prop::collection::vec((name(), json_value()), 0..8).prop_map(|entries| {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(name, value)| format!("{}: {value}", Value::from(name.as_str())))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            })
        }

        /// The offsets chrono can hold, seconds included.
        fn offset() -> impl Strategy<Value = FixedOffset> {
            prop_oneof![
                Just(0),
                (-24..=24i32).prop_map(|hours| hours.clamp(-23, 23) * 3600),
                (-1440..=1440i32).prop_map(|minutes| (minutes * 60).clamp(-86_399, 86_399)),
                -86_399..=86_399i32,
            ]
            .prop_map(|seconds| FixedOffset::east_opt(seconds).unwrap())
        }

        /// Nanoseconds with 3, 6 or 9 significant digits, none, or a leap second's.
        fn nanoseconds() -> impl Strategy<Value = u32> {
            prop_oneof![
                Just(0),
                (1..1_000u32).prop_map(|milliseconds| milliseconds * 1_000_000),
                (1..1_000_000u32).prop_map(|microseconds| microseconds * 1_000),
                1..1_000_000_000u32,
                1_000_000_000..2_000_000_000u32,
            ]
        }

        /// Seconds since the epoch, mostly in years 0 to 9999, some anywhere
        /// chrono reaches; some on second 59, where a leap second can be.
        fn timestamp() -> impl Strategy<Value = i64> {
            let year_0 = NaiveDate::from_ymd_opt(0, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
            let year_10000 = NaiveDate::from_ymd_opt(10_000, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
            let (first, last) = (
                chrono::NaiveDateTime::MIN.and_utc().timestamp(),
                chrono::NaiveDateTime::MAX.and_utc().timestamp(),
            );
            let in_range = year_0.and_utc().timestamp() - 86_400..year_10000.and_utc().timestamp() + 86_400;
            prop_oneof![
                6 => in_range.clone(),
                2 => in_range.prop_map(|seconds| seconds - seconds.rem_euclid(60) + 59),
                1 => first..=last,
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4_000))]

            #[test]
            fn a_date_is_written_with_the_bytes_of_to_rfc3339(
                seconds in timestamp(),
                nanoseconds in nanoseconds(),
                offset in offset(),
            ) {
                let Some(utc) = DateTime::from_timestamp(seconds, nanoseconds) else {
                    // A leap second off second 59, or out of chrono's range.
                    return Ok(());
                };
                let date = utc.with_timezone(&offset);
                let expected = date.to_rfc3339();
                if let Some(text) = Rfc3339Text::new(&date) {
                    prop_assert_eq!(text.as_str(), expected.as_str());
                }
                prop_assert_eq!(
                    serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap(),
                    serde_json::to_string(&expected).unwrap()
                );
            }

            #[test]
            fn a_date_read_back_is_the_same_date(text in date_like_text()) {
                if let Ok(date) = DateTime::parse_from_rfc3339(&text) {
                    let written = serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap();
                    let read: CustomAttributes = serde_json::from_str(&format!("{{\"x_date\": {written}}}")).unwrap();
                    prop_assert_eq!(read.get("x_date"), Some(&CustomAttributeValue::Date(date)));
                }
            }

            #[test]
            fn attributes_are_read_as_through_from_json(text in object_text()) {
                let expected = reference::read(&text, false).unwrap();
                let expected = CustomAttributes(
                    expected.0.into_iter().filter_map(|(name, value)| Some((name, value?))).collect(),
                );
                prop_assert_eq!(serde_json::from_str::<CustomAttributes>(&text).unwrap(), expected);

                // From a `Value` too (owned strings, no duplicate names).
                let value: Value = serde_json::from_str(&text).unwrap();
                let expected = reference::read_value(value.clone(), false).unwrap();
                let expected = CustomAttributes(
                    expected.0.into_iter().filter_map(|(name, value)| Some((name, value?))).collect(),
                );
                prop_assert_eq!(serde_json::from_value::<CustomAttributes>(value).unwrap(), expected);
            }

            #[test]
            fn an_update_is_read_as_through_from_json(text in object_text()) {
                let expected = CustomAttributesUpdate(reference::read(&text, true).unwrap().0.into_iter().collect());
                prop_assert_eq!(serde_json::from_str::<CustomAttributesUpdate>(&text).unwrap(), expected);

                let value: Value = serde_json::from_str(&text).unwrap();
                let expected = CustomAttributesUpdate(reference::read_value(value.clone(), true).unwrap().0.into_iter().collect());
                prop_assert_eq!(serde_json::from_value::<CustomAttributesUpdate>(value).unwrap(), expected);
            }

            #[test]
            fn a_value_alone_is_read_as_through_from_json(value in json_value()) {
                let text = value.to_string();
                prop_assert_eq!(
                    serde_json::from_str::<CustomAttributeValue>(&text).unwrap(),
                    CustomAttributeValue::from_json("", serde_json::from_str(&text).unwrap())
                );
            }
        }
    }
}
