//! The drift report (feature `validate`, enabled with
//! [`ClientBuilder::report_drift`](super::ClientBuilder::report_drift)): every
//! success body is also checked against the strict schema of its operation,
//! and each departure is a `tracing` warning naming the operation, the JSON
//! pointer and the kind of departure. The call itself succeeds as long as
//! the generated type decodes the body, so an application in production
//! tells its maintainers when the API moves ahead of the schemas, without
//! failing.
//!
//! Warnings go to the target `kimoby::drift`, with the fields
//! `operation_id`, `schema`, `pointer`, `kind` (see [`DriftKind`]) and
//! `keyword` (the schema keyword that failed, with its path in the schema).
//! No value of the body is recorded: a pointer names a place, never what
//! was there.

use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

use crate::validate::{ValidationIssue, Validator};

/// What kind of departure from the schema a response shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DriftKind {
    /// A property the schema does not declare.
    UnknownField,
    /// A value outside the schema's enum.
    UnknownValue,
    /// `null` where the schema does not allow it.
    Null,
    /// Anything else (a type, a format, a bound), named by its keyword.
    Other,
}

impl DriftKind {
    /// A short name, as written in the warning's `kind` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownField => "unknown field",
            Self::UnknownValue => "unknown value",
            Self::Null => "null",
            Self::Other => "other",
        }
    }

    fn of(issue: &ValidationIssue, body: &Value) -> Self {
        match issue.keyword.as_str() {
            "additionalProperties" | "unevaluatedProperties" => Self::UnknownField,
            "enum" | "const" => Self::UnknownValue,
            _ if body.pointer(&issue.instance_path).is_some_and(Value::is_null) => Self::Null,
            _ => Self::Other,
        }
    }
}

impl fmt::Display for DriftKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One departure of a response from its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The JSON pointer of the value in the body.
    pub pointer: String,
    /// Its kind.
    pub kind: DriftKind,
    /// The schema keyword that failed and where it is in the schema
    /// (`enum at /properties/status/enum`); never a value of the body.
    pub keyword: String,
}

/// The departures of `body` from the strict schema file `schema`; none when
/// the body matches, is not JSON, or the schema is unknown.
pub fn drift_of(schema: &str, body: &[u8]) -> Vec<Drift> {
    static STRICT: OnceLock<Option<Validator>> = OnceLock::new();
    let Some(validator) = STRICT.get_or_init(|| Validator::strict().ok()) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    match validator.validate(schema, &value) {
        Ok(()) => Vec::new(),
        Err(refused) => refused
            .issues()
            .iter()
            .map(|issue| Drift {
                pointer: issue.instance_path.clone(),
                kind: DriftKind::of(issue, &value),
                keyword: format!("{} at {}", issue.keyword, issue.schema_path),
            })
            .collect(),
    }
}

/// Warns of every departure of `body` from `schema`.
pub(super) fn report(operation_id: &'static str, schema: &'static str, body: &[u8]) {
    for drift in drift_of(schema, body) {
        tracing::warn!(
            target: "kimoby::drift",
            operation_id,
            schema,
            pointer = %drift.pointer,
            kind = drift.kind.as_str(),
            keyword = %drift.keyword,
            "the response departs from the schema"
        );
    }
}
