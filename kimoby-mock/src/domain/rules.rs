//! The documented rules that no schema can express: event name and custom
//! attribute name normalisation, subscription keywords, and the custom
//! attribute typing (one data type per name per object kind, numbers as floats,
//! `null` removes).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use kimoby_generated::custom_attributes::{ARRAY_SUFFIX, CustomAttributeValue, CustomAttributes, DATE_SUFFIX};
use serde_json::Value;

use crate::domain::error::{ApiError, ApiResult};

/// An event name as Kimoby stores it: lower case, with `$`, `.` and spaces
/// replaced by hyphens (`Completed Repair` is `completed-repair`).
pub fn normalize_event_name(name: &str) -> ApiResult<String> {
    let normalized: String = name
        .trim()
        .chars()
        .map(|c| if matches!(c, '$' | '.' | ' ') { '-' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    if normalized.is_empty() {
        return Err(ApiError::bad_request("name: can't be blank"));
    }
    Ok(normalized)
}

/// A custom attribute name as Kimoby stores it: lower case snake_case
/// (`Vehicle Year` and `vehicleYear` are `vehicle_year`). Only ASCII letters and
/// digits are kept; anything else separates words.
pub fn snake_case(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            current.push(c.to_ascii_lowercase());
        } else {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.join("_")
}

/// What a customer's text message does to their subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `STOP` or `ARRET`: unsubscribe.
    Unsubscribe,
    /// `START` or `REPRISE`: subscribe again.
    Resubscribe,
}

/// The subscription keyword a message body is, if any: the whole body, case
/// and accent insensitive, surrounding spaces and final punctuation ignored
/// (`Arrêt`, ` stop! `, `Reprise`).
pub fn keyword(body: &str) -> Option<Keyword> {
    let folded = fold(body);
    let word = folded.trim().trim_end_matches(['.', '!', '?']).trim();
    match word {
        "stop" | "arret" => Some(Keyword::Unsubscribe),
        "start" | "reprise" => Some(Keyword::Resubscribe),
        _ => None,
    }
}

/// Lower case without accents (precomposed Latin letters and combining marks).
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ŕ' | 'ř' => 'r',
            'ś' | 'š' => 's',
            'ť' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// The kinds of object that carry custom attributes; each has its own types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    /// Customers.
    Customer,
    /// Appointments.
    Appointment,
    /// Events.
    Event,
}

impl ObjectKind {
    fn plural(self) -> &'static str {
        match self {
            Self::Customer => "customers",
            Self::Appointment => "appointments",
            Self::Event => "events",
        }
    }
}

/// The data type of a custom attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    /// A non-empty string.
    String,
    /// A number, returned as a float.
    Number,
    /// A date (name ending in `_date`).
    Date,
    /// An array of strings (name ending in `_array`).
    Array,
}

impl DataType {
    fn name(self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Number => "a number",
            Self::Date => "a date",
            Self::Array => "an array",
        }
    }
}

/// The data type of every custom attribute name, per object kind.
#[derive(Debug, Default)]
pub struct AttributeTypes(HashMap<(ObjectKind, String), DataType>);

impl AttributeTypes {
    /// Applies a request's `custom_attributes` object to `current`: names are
    /// snake_cased, `null` removes, a name keeps one data type per object kind.
    /// Nothing changes when an error is returned.
    pub fn apply(&mut self, kind: ObjectKind, current: &mut CustomAttributes, update: &Value) -> ApiResult<()> {
        let Value::Object(update) = update else {
            return Err(ApiError::bad_request("custom_attributes: must be an object"));
        };
        let mut changes: BTreeMap<String, (String, Option<(DataType, CustomAttributeValue)>)> = BTreeMap::new();
        for (raw, value) in update {
            let name = snake_case(raw);
            if name.is_empty() {
                return Err(ApiError::bad_request(format!(
                    "custom_attributes/{raw}: the name has no letter or digit"
                )));
            }
            let typed = if value.is_null() {
                None
            } else {
                Some(typed_value(&name, value)?)
            };
            if let Some((_, (other, _))) = changes.get_key_value(&name) {
                return Err(ApiError::bad_request(format!(
                    "custom_attributes: `{other}` and `{raw}` are both the attribute {name}"
                )));
            }
            if let Some((data_type, _)) = &typed
                && let Some(known) = self.0.get(&(kind, name.clone()))
                && known != data_type
            {
                return Err(ApiError::bad_request(format!(
                    "custom_attributes/{name}: is {} on {}, not {}",
                    known.name(),
                    kind.plural(),
                    data_type.name()
                )));
            }
            changes.insert(name, (raw.clone(), typed));
        }
        let mut map = std::mem::take(current).into_inner();
        for (name, (_, typed)) in changes {
            match typed {
                None => {
                    map.remove(&name);
                }
                Some((data_type, value)) => {
                    self.0.insert((kind, name.clone()), data_type);
                    map.insert(name, value);
                }
            }
        }
        *current = CustomAttributes::from(map);
        Ok(())
    }
}

/// The stored value of an attribute called `name` (already snake_cased).
fn typed_value(name: &str, value: &Value) -> ApiResult<(DataType, CustomAttributeValue)> {
    let error = |what: &str| ApiError::bad_request(format!("custom_attributes/{name}: {what}"));
    if name.ends_with(DATE_SUFFIX) {
        let text = value.as_str().ok_or_else(|| error("must be a date (RFC 3339)"))?;
        let date = DateTime::parse_from_rfc3339(text).map_err(|_| error("must be a date (RFC 3339)"))?;
        return Ok((
            DataType::Date,
            CustomAttributeValue::Date(date.with_timezone(&Utc).fixed_offset()),
        ));
    }
    if name.ends_with(ARRAY_SUFFIX) {
        let items = value.as_array().ok_or_else(|| error("must be an array"))?;
        if items.is_empty() {
            return Err(error("can't be empty"));
        }
        let strings = items
            .iter()
            .map(|item| match item {
                Value::String(text) if !text.is_empty() => Ok(text.clone()),
                Value::Number(number) => Ok(number.to_string()),
                _ => Err(error("items must be non-empty strings or numbers")),
            })
            .collect::<ApiResult<Vec<String>>>()?;
        return Ok((DataType::Array, CustomAttributeValue::List(strings)));
    }
    match value {
        Value::String(text) if !text.is_empty() => Ok((DataType::String, CustomAttributeValue::Text(text.clone()))),
        Value::String(_) => Err(error("can't be empty")),
        Value::Number(number) => number
            .as_f64()
            .map(|float| (DataType::Number, CustomAttributeValue::Number(float)))
            .ok_or_else(|| error("must be a finite number")),
        _ => Err(error("must be a string or a number")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_are_normalized() {
        assert_eq!(snake_case("Vehicle Year"), "vehicle_year");
        assert_eq!(snake_case("vehicleYear"), "vehicle_year");
        assert_eq!(snake_case("  last-visit__date "), "last_visit_date");
        assert_eq!(snake_case("été"), "t");
        assert_eq!(snake_case("!!"), "");
        assert_eq!(
            normalize_event_name("Completed Repair.$Now").ok(),
            Some("completed-repair--now".to_owned())
        );
        assert!(normalize_event_name("  ").is_err());
    }

    #[test]
    fn keywords_ignore_case_accents_and_punctuation() {
        for stop in ["STOP", "stop", " Stop! ", "ARRET", "Arrêt", "arre\u{302}t", "ARRÊT."] {
            assert_eq!(keyword(stop), Some(Keyword::Unsubscribe), "{stop}");
        }
        for start in ["START", "start", "Reprise", "REPRISE", "réprise"] {
            assert_eq!(keyword(start), Some(Keyword::Resubscribe), "{start}");
        }
        assert_eq!(keyword("please stop"), None);
        assert_eq!(keyword(""), None);
    }

    #[test]
    fn attributes_are_typed_once_per_kind() {
        let mut types = AttributeTypes::default();
        let mut attributes = CustomAttributes::new();
        let update =
            json!({"Vehicle Year": 2012, "last_visit_date": "2013-02-12T00:00:00-05:00", "tags_array": ["a", 2]});
        types.apply(ObjectKind::Customer, &mut attributes, &update).unwrap();
        let value = serde_json::to_value(&attributes).unwrap();
        assert_eq!(
            value,
            json!({"last_visit_date": "2013-02-12T05:00:00+00:00", "tags_array": ["a", "2"], "vehicle_year": 2012.0})
        );
        // Another type for the same name on the same kind is refused, and nothing changes.
        let conflict = json!({"vehicle_year": "2012", "other": "x"});
        assert!(types.apply(ObjectKind::Customer, &mut attributes, &conflict).is_err());
        assert!(attributes.get("other").is_none());
        // ... but allowed on another kind.
        let mut appointment = CustomAttributes::new();
        types
            .apply(ObjectKind::Appointment, &mut appointment, &conflict)
            .unwrap();
        // null removes; two spellings of one name are refused.
        types
            .apply(ObjectKind::Customer, &mut attributes, &json!({"Vehicle Year": null}))
            .unwrap();
        assert!(attributes.get("vehicle_year").is_none());
        assert!(
            types
                .apply(ObjectKind::Customer, &mut attributes, &json!({"a b": "x", "a_b": "y"}))
                .is_err()
        );
        assert!(
            types
                .apply(ObjectKind::Customer, &mut attributes, &json!({"visit date": 5}))
                .is_err()
        );
        assert!(
            types
                .apply(ObjectKind::Customer, &mut attributes, &json!({"x": ""}))
                .is_err()
        );
    }
}
