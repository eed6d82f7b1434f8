//! From departure records to schema edits: each response departure of a
//! learnable kind is located in `schemas/` ([`super::walk`]), departures of
//! the same place are merged (the same new property seen in two operations
//! is one edit), and each place gets one edit ([`super::edits`]); every
//! other departure is listed as needing a human, with why.

use std::collections::BTreeMap;

use kimoby_generated::departure::{DepartureKind, DepartureRecord, Direction};
use serde_json::Value;

use super::change::{NeedsHuman, Proposal, Seen, Target};
use super::edits::{self, Outcome};
use super::walk::Schemas;

/// Proposes the edits that make the strict profile accept what `records`
/// saw. `files` (every `*.json` of the schema folder, by name) is updated
/// as each edit is made, so that later edits build on earlier ones.
pub fn propose(files: &mut BTreeMap<String, Value>, records: &[DepartureRecord]) -> Proposal {
    let mut proposal = Proposal::default();
    let mut targets: BTreeMap<Target, Seen> = BTreeMap::new();
    for record in records {
        match target(files, record) {
            Ok(found) => {
                let seen = targets.entry(found).or_default();
                let departure = &record.departure;
                if let Some(observed) = &departure.observed_type {
                    seen.types.insert(observed.clone());
                    if observed == "string" {
                        seen.string_formats.insert(departure.observed_format.clone());
                    }
                }
                seen.values.extend(departure.enum_value.clone());
                seen.operations.extend(departure.operation_id.clone());
            }
            Err(why) => proposal.needs_human.push(NeedsHuman {
                departure: describe(record),
                why,
            }),
        }
    }
    for (target, seen) in &targets {
        match edits::edit(files, target, seen) {
            Outcome::Edit(edit) => {
                for change in &edit.changes {
                    edits::apply(files, &edit.file, change);
                }
                proposal.edits.push(edit);
            }
            Outcome::AlreadyApplied(what) => proposal.already_applied.push(what),
            Outcome::NeedsHuman(why) => proposal.needs_human.push(NeedsHuman {
                departure: describe_target(target),
                why,
            }),
        }
    }
    proposal.needs_human.sort();
    proposal.needs_human.dedup();
    proposal
}

/// Where the edit for `record` goes, or why there is none.
fn target(files: &BTreeMap<String, Value>, record: &DepartureRecord) -> Result<Target, String> {
    let departure = &record.departure;
    let schemas = Schemas { files };
    let unreachable = |why: String| format!("the schemas cannot reach it: {why}");
    if departure.direction == Direction::Request {
        return Err(
            "a request the contract refuses: fix the application that sent it, or, if the API accepts it, edit the request schema by hand"
                .to_owned(),
        );
    }
    let schema = || {
        departure
            .schema
            .as_deref()
            .ok_or_else(|| "the report names no schema file for the body".to_owned())
    };
    match departure.kind {
        DepartureKind::UnknownField => {
            if departure.observed_type.as_deref() == Some("null") {
                return Err("a new property seen only as `null`: its type is unknown".to_owned());
            }
            let (object, name) = schemas
                .parent_object(schema()?, &departure.pointer)
                .map_err(unreachable)?;
            Ok(Target::NewProperty { object, name })
        }
        DepartureKind::UndocumentedEnumValue => {
            if departure.enum_value.is_none() {
                return Err("the report does not carry the new value".to_owned());
            }
            let use_site = schemas.use_site(schema()?, &departure.pointer).map_err(unreachable)?;
            let place = schemas.enumeration(&use_site).map_err(unreachable)?;
            Ok(Target::EnumValues { place })
        }
        DepartureKind::NullNotAllowed => {
            let place = schemas.use_site(schema()?, &departure.pointer).map_err(unreachable)?;
            Ok(Target::Nullable { place })
        }
        DepartureKind::MissingRequiredField => {
            let (object, name) = schemas
                .parent_object(schema()?, &departure.pointer)
                .map_err(unreachable)?;
            Ok(Target::Optional { object, name })
        }
        DepartureKind::UndocumentedStatus => match (&departure.operation_id, departure.status) {
            (Some(operation_id), Some(status)) => Ok(Target::Status {
                operation_id: operation_id.clone(),
                status,
            }),
            _ => Err("the report names no operation or no status".to_owned()),
        },
        DepartureKind::WrongType => Err(format!(
            "a value of another type (`{}`) than the schema's: retyping a field breaks users; decide it by hand",
            departure.observed_type.as_deref().unwrap_or("unknown")
        )),
        DepartureKind::ConstraintViolated => Err(format!(
            "a value outside a documented bound, pattern or format ({}): check the reference before loosening it",
            departure.detail.as_deref().unwrap_or("no detail")
        )),
        DepartureKind::UnknownOperation => Err(
            "a request that matches no operation: document the operation (path, parameters, bodies) by hand".to_owned(),
        ),
        DepartureKind::UnreadableBody => {
            Err("a body that is not JSON or is cut short: nothing to learn from".to_owned())
        }
        DepartureKind::UpstreamFailure => Err("the upstream failed to answer: nothing to learn from".to_owned()),
        other => Err(format!("`{other}` is not a kind `learn` knows")),
    }
}

/// A departure in words, without any value.
fn describe(record: &DepartureRecord) -> String {
    let departure = &record.departure;
    let direction = match departure.direction {
        Direction::Request => "request",
        Direction::Response => "response",
    };
    let status = departure.status.map(|status| format!(" {status}")).unwrap_or_default();
    format!(
        "{} {} {}{status} {}#{} {} (seen {} time{})",
        departure.operation_id.as_deref().unwrap_or("(no operation)"),
        departure.method,
        direction,
        departure.schema.as_deref().unwrap_or("(no schema)"),
        departure.pointer,
        departure.kind,
        record.count,
        if record.count == 1 { "" } else { "s" }
    )
}

fn describe_target(target: &Target) -> String {
    match target {
        Target::NewProperty { object, name } => format!("new property `{name}` of {}", object.display()),
        Target::EnumValues { place } => format!("new values of the enum at {}", place.display()),
        Target::Nullable { place } => format!("`null` at {}", place.display()),
        Target::Optional { object, name } => format!("`{name}` absent from {}", object.display()),
        Target::Status { operation_id, status } => format!("status {status} of `{operation_id}`"),
    }
}
