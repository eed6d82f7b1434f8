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
//! `keyword` (the schema keyword that failed). No value of the body is
//! recorded: a pointer names a place, never what was there. With
//! [`ClientBuilder::report_drift_to`](super::ClientBuilder::report_drift_to),
//! each departure is also counted in a JSON-lines report of
//! [`DepartureRecord`](crate::departure::DepartureRecord)s, the format of
//! `kimoby-mock proxy --report` and the input of `cargo xtask contract learn`.

use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use crate::departure::{Departure, DepartureKind, DepartureLog, Direction, Finder, FoundDeparture};

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

    fn of(kind: DepartureKind) -> Self {
        match kind {
            DepartureKind::UnknownField => Self::UnknownField,
            DepartureKind::UndocumentedEnumValue => Self::UnknownValue,
            DepartureKind::NullNotAllowed => Self::Null,
            _ => Self::Other,
        }
    }

    /// The keyword a departure of this kind breaks, when the walk found it.
    fn keyword(kind: DepartureKind) -> &'static str {
        match kind {
            DepartureKind::UnknownField => "additionalProperties",
            DepartureKind::UndocumentedEnumValue => "enum",
            DepartureKind::NullNotAllowed | DepartureKind::WrongType => "type",
            DepartureKind::MissingRequiredField => "required",
            _ => "other",
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
    /// The schema keyword that failed: `additionalProperties`, `enum`,
    /// `type` or `required` for what the walk of body and schema finds, and
    /// for a bound, pattern or format the keyword and where it is in the
    /// schema (`pattern at /properties/country/pattern`); never a value of
    /// the body.
    pub keyword: String,
}

/// The finder over the embedded schemas, built on first use; `None` if they
/// cannot be compiled (they are checked by this crate's tests).
fn finder() -> Option<&'static Finder> {
    static FINDER: OnceLock<Option<Finder>> = OnceLock::new();
    FINDER.get_or_init(|| Finder::new().ok()).as_ref()
}

/// The parsed body and its departures; `None` when the body matches (which
/// the finder's screen says from the bytes, without parsing them), is not
/// JSON, or the schemas cannot be compiled.
fn found_departures(schema: &str, body: &[u8]) -> Option<(Value, Vec<FoundDeparture>)> {
    let finder = finder()?;
    if finder.accepts_json(schema, body) {
        return None;
    }
    let value = serde_json::from_slice::<Value>(body).ok()?;
    let found = finder.departures(schema, &value);
    Some((value, found))
}

/// The departures of `body` from the strict schema file `schema`; none when
/// the body matches, is not JSON, or the schema is unknown. An array index
/// in a pointer is written `*`.
pub fn drift_of(schema: &str, body: &[u8]) -> Vec<Drift> {
    found_departures(schema, body)
        .map(|(_, found)| found.into_iter().map(drift).collect())
        .unwrap_or_default()
}

fn drift(found: FoundDeparture) -> Drift {
    let keyword = found
        .detail
        .unwrap_or_else(|| DriftKind::keyword(found.kind).to_owned());
    Drift {
        pointer: found.pointer,
        kind: DriftKind::of(found.kind),
        keyword,
    }
}

/// Where the client counts its departures (`report_drift_to`): a log, and
/// the file it is written to after each change.
#[derive(Debug)]
pub(super) struct DriftReport {
    log: DepartureLog,
    path: PathBuf,
}

impl DriftReport {
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            log: DepartureLog::new(),
            path,
        }
    }
}

/// What the drift report knows of one answer.
pub(super) struct Answer<'a> {
    pub operation_id: &'static str,
    pub method: &'static str,
    pub status: u16,
    pub schema: &'static str,
    pub body: &'a [u8],
}

/// Warns of every departure of the answer's body from its schema, and
/// counts each in `report` if there is one.
pub(super) fn report(answer: &Answer<'_>, report: Option<&DriftReport>) {
    let Some((value, found)) = found_departures(answer.schema, answer.body) else {
        return;
    };
    if found.is_empty() {
        return;
    }
    let tolerated = finder().map(|finder| finder.is_tolerated(answer.schema, &value));
    for departure in found {
        let drift = drift(departure.clone());
        tracing::warn!(
            target: "kimoby::drift",
            operation_id = answer.operation_id,
            schema = answer.schema,
            pointer = %drift.pointer,
            kind = drift.kind.as_str(),
            keyword = %drift.keyword,
            "the response departs from the schema"
        );
        if let Some(report) = report {
            report.log.record(Departure {
                operation_id: Some(answer.operation_id.to_owned()),
                method: answer.method.to_owned(),
                path: None,
                direction: Direction::Response,
                status: Some(answer.status),
                schema: Some(answer.schema.to_owned()),
                pointer: departure.pointer,
                kind: departure.kind,
                observed_type: departure.observed_type,
                observed_format: departure.observed_format,
                enum_value: departure.enum_value,
                detail: departure.detail,
                tolerated,
            });
        }
    }
    if let Some(report) = report
        && let Err(error) = report.log.write_if_changed(&report.path)
    {
        tracing::warn!(
            target: "kimoby::drift",
            path = %report.path.display(),
            %error,
            "cannot write the drift report"
        );
    }
}
