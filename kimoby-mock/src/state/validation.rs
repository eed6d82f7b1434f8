//! Request bodies checked against the schemas embedded in `kimoby-generated`
//! (`jsonschema`, formats asserted, offline): a bad body is a 400 whose
//! message names the offending field and says what it must hold
//! ([`crate::state::expected`]), in words rather than the validator's own.

use kimoby_generated::validate::{BuildError, ValidationIssue, Validator};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::error::{ApiError, ApiResult};
use crate::state::expected::Expectations;

/// At most this many problems are listed in one error message.
const MAX_ISSUES: usize = 5;
/// Each problem's text is cut to this many characters.
const MAX_ISSUE_CHARS: usize = 200;

/// The compiled schemas, and what each field expects.
#[derive(Debug)]
pub struct Schemas {
    validator: Validator,
    expectations: Expectations,
}

impl Schemas {
    /// Compiles every embedded schema.
    pub fn new() -> Result<Self, BuildError> {
        Ok(Self {
            validator: Validator::new()?,
            expectations: Expectations::new(),
        })
    }

    /// Parses `body` as JSON and checks it against `schema` (`customer_request.json`).
    pub fn check(&self, schema: &str, body: &[u8]) -> ApiResult<Value> {
        let value = parse_json(body)?;
        self.check_value(schema, &value)?;
        Ok(value)
    }

    /// Checks an already parsed value against `schema`.
    pub fn check_value(&self, schema: &str, value: &Value) -> ApiResult<()> {
        self.validator
            .validate(schema, value)
            .map_err(|outcome| ApiError::BadRequest(self.describe(schema, outcome.issues())))
    }

    /// Parses and checks `body`, then reads it into the generated request type.
    pub fn typed<T: DeserializeOwned>(&self, schema: &str, body: &[u8]) -> ApiResult<(T, Value)> {
        let value = self.check(schema, body)?;
        let typed = into_typed(&value)?;
        Ok((typed, value))
    }
}

/// A JSON value read into a typed request (a 400 if it does not fit).
pub fn into_typed<T: DeserializeOwned>(value: &Value) -> ApiResult<T> {
    T::deserialize(value).map_err(|error| ApiError::bad_request(truncate(&error.to_string())))
}

/// Parses a request body as JSON.
pub fn parse_json(body: &[u8]) -> ApiResult<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("the request body must be a JSON object"));
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::bad_request(format!("the request body is not valid JSON: {error}")))
}

impl Schemas {
    /// `field.path: what it must be; other: ...` from validation issues.
    fn describe(&self, schema: &str, issues: &[ValidationIssue]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for issue in issues {
            let part = truncate(&self.expectations.describe(schema, issue));
            // A union refused at several places of one field says so once.
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        let total = parts.len();
        parts.truncate(MAX_ISSUES);
        if total > MAX_ISSUES {
            parts.push(format!("and {} more problems", total - MAX_ISSUES));
        }
        if parts.is_empty() {
            "the request body does not match its schema".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_ISSUE_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_ISSUE_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message of the 400 a body gets.
    fn refusal(schema: &str, body: &str) -> String {
        Schemas::new()
            .unwrap()
            .check(schema, body.as_bytes())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn messages_name_the_field_and_say_what_it_must_be() {
        let phone = refusal("customer_request.json", r#"{"name": "x", "cell_phone_number": "12"}"#);
        assert_eq!(
            phone,
            "cell_phone_number: must be a phone number in E.164 format: `+`, the country code and the number, \
             15 digits at most (`+14182031234`), written as text matching the pattern ^\\+[1-9][0-9]{1,14}$ or null"
        );
        assert_eq!(refusal("customer_request.json", "{}"), "name: is required");
        assert_eq!(
            refusal("customer_request.json", r#"{"name": "x", "nickname": "y"}"#),
            "nickname: is not a field of this request; remove it or check its spelling"
        );
        let nested = refusal(
            "message_request.json",
            r#"{"customer": {"cell_phone_number": "x"}, "body": ""}"#,
        );
        assert!(
            nested.starts_with("customer.cell_phone_number: must be a phone number"),
            "{nested}"
        );
        assert!(
            nested.contains("body: must be text of 1 to 1600 characters"),
            "{nested}"
        );
        let appointment = refusal(
            "appointment_request.json",
            r#"{"customer": {"id": "x"}, "start_at": "yesterday", "status": "maybe"}"#,
        );
        assert!(
            appointment
                .contains("start_at: must be a date with time in RFC 3339 format (such as 2016-06-22T16:20:00+00:00)"),
            "{appointment}"
        );
        assert!(
            appointment.contains(r#"status: must be one of "confirmed", "canceled", "not_confirmed""#),
            "{appointment}"
        );
        let attributes = refusal(
            "customer_request.json",
            r#"{"name": "x", "custom_attributes": {"parts_array": "x", "visit_date": "x", "size": ""}}"#,
        );
        assert!(
            attributes.contains("custom_attributes.parts_array: must be a non-empty list or null"),
            "{attributes}"
        );
        assert!(
            attributes.contains("custom_attributes.visit_date: must be a date with time in RFC 3339 format"),
            "{attributes}"
        );
        assert!(
            attributes.contains("custom_attributes.size: must be text of at least 1 character(s), a number or null"),
            "{attributes}"
        );
        let email = refusal("customer_request.json", r#"{"name": "x", "email": "not an address"}"#);
        assert!(email.starts_with("email: must be an email address"), "{email}");
    }

    #[test]
    fn messages_never_carry_a_keyword_a_library_phrase_or_the_value() {
        let bodies = [
            ("customer_request.json", r#"{"name": "x", "cell_phone_number": "12"}"#),
            (
                "customer_request.json",
                r#"{"name": "x", "country": "CAN", "custom_attributes": {"a_array": "x"}}"#,
            ),
            (
                "message_request.json",
                r#"{"customer": {"cell_phone_number": "secret-value"}, "body": ""}"#,
            ),
            ("invoice_request.json", r#"{"customer": {"id": "x"}, "total_price": 1}"#),
            ("webhook_request.json", r#"{"url": "http://example.com"}"#),
        ];
        for (schema, body) in bodies {
            let message = refusal(schema, body);
            for forbidden in [
                "oneOf",
                "anyOf",
                "is not valid under",
                "is not a \"",
                "schemas listed",
                "secret-value",
                "\"12\"",
            ] {
                assert!(!message.contains(forbidden), "{schema}: `{forbidden}` in {message}");
            }
        }
    }

    #[test]
    fn bodies_that_are_not_json_are_refused() {
        let schemas = Schemas::new().unwrap();
        assert!(schemas.check("customer_request.json", b"").is_err());
        assert!(schemas.check("customer_request.json", b"{").is_err());
        assert_eq!(truncate(&"x".repeat(500)).chars().count(), MAX_ISSUE_CHARS + 1);
    }
}
