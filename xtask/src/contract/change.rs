//! What `learn` proposes, as data: a [`Change`] of one file, an [`Edit`]
//! (changes and their consequence for the bindings), the [`Target`] an edit
//! is made at, what the departures of a target [`Seen`], and the
//! [`Proposal`] for a set of reports. The proposing (`propose.rs`) and the
//! editing (`edits.rs`) both use them.

use std::collections::BTreeSet;

use serde_json::Value;

use super::walk::Place;

/// One change of one file: the value at `pointer` goes from `before`
/// (`None`: absent) to `after`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The JSON pointer in the file.
    pub pointer: String,
    /// The value there before, if any.
    pub before: Option<Value>,
    /// The value there after.
    pub after: Value,
}

/// One proposed edit of one schema file.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// The file (`customer.json`, `openapi.json`).
    pub file: String,
    /// What it does, in a few words (`a new optional property loyalty_tier`).
    pub what: String,
    /// The changes, applied in order.
    pub changes: Vec<Change>,
    /// What it does to the bindings, in words.
    pub consequence: String,
    /// Whether the consequence breaks users of the bindings (a field that
    /// becomes an `Option`).
    pub breaking: bool,
}

/// A departure no edit is proposed for, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NeedsHuman {
    /// The departure, without values (operation, direction, status, schema, pointer, kind).
    pub departure: String,
    /// Why it is not learned.
    pub why: String,
}

/// Everything `learn` has to say about a set of reports.
#[derive(Debug, Default)]
pub struct Proposal {
    /// The edits to make, in order.
    pub edits: Vec<Edit>,
    /// Edits already in the schemas (a second `--write`), each said in words.
    pub already_applied: Vec<String>,
    /// The departures left to a maintainer.
    pub needs_human: Vec<NeedsHuman>,
}

/// A place an edit is made, with the kind of edit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A new optional property `name` of the object schema at `object`.
    NewProperty { object: Place, name: String },
    /// New values of the `enum` of the schema at `place`.
    EnumValues { place: Place },
    /// `null` allowed by the use site at `place`.
    Nullable { place: Place },
    /// The property `name` of the object at `object` no longer required.
    Optional { object: Place, name: String },
    /// The status `status` documented for the operation `operation_id`.
    Status { operation_id: String, status: u16 },
}

/// What the departures of one target saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// The observed JSON types.
    pub types: BTreeSet<String>,
    /// The formats of the strings observed (`None`: a string of no known format).
    pub string_formats: BTreeSet<Option<String>>,
    /// The undocumented enum values.
    pub values: BTreeSet<String>,
    /// The operations they were seen in.
    pub operations: BTreeSet<String>,
}
