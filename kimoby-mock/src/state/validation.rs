//! Request bodies checked against the schemas embedded in `kimoby-generated`
//! (`jsonschema`, formats asserted, offline): a bad body is a 400 whose
//! message names the offending field.

use kimoby_generated::validate::{BuildError, ValidationIssue, Validator};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::error::{ApiError, ApiResult};

/// At most this many problems are listed in one error message.
const MAX_ISSUES: usize = 5;
/// Each problem's text is cut to this many characters.
const MAX_ISSUE_CHARS: usize = 200;

/// The compiled schemas.
#[derive(Debug)]
pub struct Schemas(Validator);

impl Schemas {
    /// Compiles every embedded schema.
    pub fn new() -> Result<Self, BuildError> {
        Validator::new().map(Self)
    }

    /// Parses `body` as JSON and checks it against `schema` (`customer_request.json`).
    pub fn check(&self, schema: &str, body: &[u8]) -> ApiResult<Value> {
        let value = parse_json(body)?;
        self.check_value(schema, &value)?;
        Ok(value)
    }

    /// Checks an already parsed value against `schema`.
    pub fn check_value(&self, schema: &str, value: &Value) -> ApiResult<()> {
        self.0
            .validate(schema, value)
            .map_err(|outcome| ApiError::BadRequest(describe(outcome.issues())))
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

/// `field.path: problem; other: problem` from validation issues.
fn describe(issues: &[ValidationIssue]) -> String {
    let mut parts: Vec<String> = issues
        .iter()
        .take(MAX_ISSUES)
        .map(|issue| {
            let field = field_name(&issue.instance_path);
            let message = truncate(&issue.message);
            if field.is_empty() {
                message
            } else {
                format!("{field}: {message}")
            }
        })
        .collect();
    if issues.len() > MAX_ISSUES {
        parts.push(format!("and {} more problems", issues.len() - MAX_ISSUES));
    }
    if parts.is_empty() {
        "the request body does not match its schema".to_owned()
    } else {
        parts.join("; ")
    }
}

/// `/customer/cell_phone_number` as `customer.cell_phone_number`.
fn field_name(pointer: &str) -> String {
    pointer
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
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

    #[test]
    fn messages_name_the_field() {
        let schemas = Schemas::new().unwrap();
        let error = schemas
            .check("customer_request.json", br#"{"name": "x", "cell_phone_number": "12"}"#)
            .unwrap_err();
        assert!(error.to_string().starts_with("cell_phone_number: "), "{error}");
        let error = schemas.check("customer_request.json", b"{}").unwrap_err();
        assert!(error.to_string().contains("\"name\""), "{error}");
        let error = schemas
            .check(
                "message_request.json",
                br#"{"customer": {"cell_phone_number": "x"}, "body": "b"}"#,
            )
            .unwrap_err();
        assert!(error.to_string().starts_with("customer.cell_phone_number: "), "{error}");
        assert!(schemas.check("customer_request.json", b"").is_err());
        assert!(schemas.check("customer_request.json", b"{").is_err());
        assert_eq!(field_name("/a~1b/c~0"), "a/b.c~");
        assert_eq!(truncate(&"x".repeat(500)).chars().count(), MAX_ISSUE_CHARS + 1);
    }
}
