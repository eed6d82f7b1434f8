//! Departures from the contract (feature `validate`): where a request or a
//! response seen on the wire leaves the strict schemas, as records that
//! name a place and a kind, never a value. The drift report of the client
//! ([`ClientBuilder::report_drift`](crate::runtime::ClientBuilder::report_drift)),
//! the validating proxy of `kimoby-mock` and `cargo xtask contract learn`
//! share them: a Rust application and a proxy in front of an application in
//! any other language write the same report, and `learn` turns it into
//! schema edits.
//!
//! ```
//! use kimoby_generated::departure::{DepartureKind, Direction, Finder};
//!
//! let finder = Finder::new()?;
//! let body = serde_json::json!({
//!     "id": "cu1", "name": "Jane Doe", "created_at": "2019-02-21T14:38:14Z",
//!     "updated_at": "2019-02-21T14:38:14Z", "loyalty_tier": "gold", "email": null
//! });
//! let found = finder.departures("customer.json", &body);
//! let kinds: Vec<(&str, DepartureKind)> = found.iter().map(|found| (found.pointer.as_str(), found.kind)).collect();
//! assert_eq!(kinds, [("/email", DepartureKind::NullNotAllowed), ("/loyalty_tier", DepartureKind::UnknownField)]);
//! assert_eq!(found[1].observed_type.as_deref(), Some("string"));
//! // Neither "gold" nor "Jane Doe" is in a record.
//! assert!(!serde_json::to_string(&found).unwrap().contains("gold"));
//! # Ok::<(), kimoby_generated::validate::BuildError>(())
//! ```
//!
//! A report ([`DepartureLog`]) is a JSON-lines file: one [`DepartureRecord`]
//! a line, one line per distinct departure, with how often and when it was
//! seen.

mod finder;
mod log;
mod observed;
mod screen;

use serde::{Deserialize, Serialize};

pub use self::finder::{Finder, FoundDeparture};
pub use self::log::{DepartureLog, MAX_DISTINCT_DEPARTURES, ReadReportError};
pub use self::observed::{observed_format, observed_type};

/// Whether a departure is in what the client sent or in what the server answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The request (its body or its query parameters).
    Request,
    /// The response (its status or its body), or its absence.
    Response,
}

/// What kind of departure from the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DepartureKind {
    /// A property the schema does not declare (`additionalProperties: false`).
    UnknownField,
    /// A value outside a documented enum (or `const`); the record carries it.
    UndocumentedEnumValue,
    /// `null` where the schema does not allow it.
    NullNotAllowed,
    /// A value of another JSON type than the schema's.
    WrongType,
    /// A required property absent.
    MissingRequiredField,
    /// A value of the right type outside a bound, pattern or format.
    ConstraintViolated,
    /// A status the operation does not document.
    UndocumentedStatus,
    /// A request that matches no operation of the manifest.
    UnknownOperation,
    /// A body that is not JSON (or is cut short) where the contract says JSON.
    UnreadableBody,
    /// The upstream failed to answer (refused, closed, too slow, too large, a redirect).
    UpstreamFailure,
}

impl DepartureKind {
    /// The name written in reports and headers (`unknown_field`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownField => "unknown_field",
            Self::UndocumentedEnumValue => "undocumented_enum_value",
            Self::NullNotAllowed => "null_not_allowed",
            Self::WrongType => "wrong_type",
            Self::MissingRequiredField => "missing_required_field",
            Self::ConstraintViolated => "constraint_violated",
            Self::UndocumentedStatus => "undocumented_status",
            Self::UnknownOperation => "unknown_operation",
            Self::UnreadableBody => "unreadable_body",
            Self::UpstreamFailure => "upstream_failure",
        }
    }
}

impl std::fmt::Display for DepartureKind {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One departure, as seen once: where, what kind, and what was there in
/// JSON types and formats only. Two departures with the same fields are the
/// same departure (a [`DepartureLog`] counts them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Departure {
    /// The operation id of the manifest (`retrieveCustomer`); `None` for an
    /// unknown operation.
    pub operation_id: Option<String>,
    /// The HTTP method (`GET`).
    pub method: String,
    /// The operation's path template (`/customers/{id}`), or, for an unknown
    /// operation, the path as sent, without its query; `None` where the
    /// reporter does not know it (the client's drift report).
    pub path: Option<String>,
    /// In the request or in the response.
    pub direction: Direction,
    /// The response status, for a response.
    pub status: Option<u16>,
    /// The schema file the body was checked against (`customer.json`).
    pub schema: Option<String>,
    /// The JSON pointer of the place in the body (`/customers/*/loyalty_tier`:
    /// an array index is written `*`), or of the query parameter
    /// (`?per_page`); empty for the whole body or the status.
    pub pointer: String,
    /// The kind of departure.
    pub kind: DepartureKind,
    /// The JSON type of what was there (`string`, `integer`, `null`...), if anything.
    pub observed_type: Option<String>,
    /// The format a string looked like (`date-time`, `date`, `email`, `uri`, `uuid`).
    pub observed_format: Option<String>,
    /// The value, for an undocumented enum value only: a status code, never personal data.
    pub enum_value: Option<String>,
    /// The schema keyword that failed and where it is (`maxLength at /properties/body/maxLength`),
    /// or what failed upstream.
    pub detail: Option<String>,
    /// Whether the tolerant profile accepts the body (what a client built
    /// from it reads without failing); `None` where it does not apply.
    pub tolerated: Option<bool>,
}

/// A departure in a report: how often and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureRecord {
    /// The departure.
    #[serde(flatten)]
    pub departure: Departure,
    /// How many times it was seen.
    pub count: u64,
    /// When it was first seen (RFC 3339, UTC).
    pub first_seen: String,
    /// When it was last seen (RFC 3339, UTC).
    pub last_seen: String,
}

#[cfg(test)]
mod tests;
