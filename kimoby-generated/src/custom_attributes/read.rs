//! Reading custom attributes: one pass over the JSON map, each value read
//! straight into its [`CustomAttributeValue`] by a seed that knows from the
//! attribute's name whether it may be a date (no `serde_json::Value` in
//! between, except for the kinds kept as [`CustomAttributeValue::Other`]).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{I128Deserializer, MapAccessDeserializer, SeqAccessDeserializer, U128Deserializer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use chrono::DateTime;

use super::{CustomAttributeValue, DATE_SUFFIX};

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
pub(super) struct AttributesVisitor<M>(PhantomData<M>);

impl<M> AttributesVisitor<M> {
    pub(super) fn new() -> Self {
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
pub(super) struct ValueSeed {
    /// Whether the attribute's name ends in [`DATE_SUFFIX`].
    pub(super) is_date: bool,
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
