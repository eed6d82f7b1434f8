//! What a value was, told without the value: its JSON type, and the format
//! a string looks like.

use serde_json::Value;

/// The JSON type of `value`: `null`, `boolean`, `integer`, `number`,
/// `string`, `array` or `object` (a number without a fraction is an integer).
pub fn observed_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(number) if number.as_f64().is_some_and(|float| float.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The JSON Schema format a string looks like: `date-time` (RFC 3339),
/// `date`, `email`, `uri` or `uuid`; `None` for anything else.
pub fn observed_format(text: &str) -> Option<&'static str> {
    if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        Some("date-time")
    } else if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10 {
        Some("date")
    } else if is_uuid(text) {
        Some("uuid")
    } else if is_email(text) {
        Some("email")
    } else if is_uri(text) {
        Some("uri")
    } else {
        None
    }
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, length)| group.len() == length && group.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
        && !domain.contains('@')
}

fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut scheme_bytes = scheme.bytes();
    scheme_bytes.next().is_some_and(|first| first.is_ascii_alphabetic())
        && scheme_bytes.all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.'))
        && rest.starts_with("//")
        && !text.contains(char::is_whitespace)
}
