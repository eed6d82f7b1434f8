//! Unit tests of `contract learn` on small reports against the workspace's
//! `schemas/` (read, never written: edits go to a temporary copy): each kind
//! of edit, merging and idempotence (`kinds.rs`); what needs a human, the
//! walk, bad input, the verdict and the evolved fixture (`input.rs`).

use std::path::PathBuf;

use kimoby_generated::departure::{Departure, DepartureKind, DepartureRecord, Direction};
use serde_json::Value;

use super::Learned;

mod input;
mod kinds;

pub(super) fn schemas() -> PathBuf {
    crate::workspace_root().join("schemas")
}

/// A response departure of `operation` (a `GET` answered 200) in a body of `schema`.
pub(super) fn departure(operation: &str, schema: &str, pointer: &str, kind: DepartureKind) -> Departure {
    Departure {
        operation_id: Some(operation.to_owned()),
        method: "GET".to_owned(),
        path: None,
        direction: Direction::Response,
        status: Some(200),
        schema: Some(schema.to_owned()),
        pointer: pointer.to_owned(),
        kind,
        observed_type: None,
        observed_format: None,
        enum_value: None,
        detail: None,
        tolerated: Some(true),
    }
}

pub(super) fn record(departure: Departure) -> DepartureRecord {
    DepartureRecord {
        departure,
        count: 2,
        first_seen: "2026-01-01T00:00:00Z".to_owned(),
        last_seen: "2026-01-02T00:00:00Z".to_owned(),
    }
}

pub(super) fn observed(mut departure: Departure, json_type: &str, format: Option<&str>) -> DepartureRecord {
    departure.observed_type = Some(json_type.to_owned());
    departure.observed_format = format.map(str::to_owned);
    record(departure)
}

pub(super) fn learn(records: &[DepartureRecord]) -> Learned {
    Learned::from_records(&schemas(), records).expect("learn")
}

pub(super) fn edited(learned: &Learned, file: &str) -> Value {
    serde_json::from_str(&learned.edited[file]).expect("edited JSON")
}

/// A temporary copy of `schemas/` with `learned`'s edits written into it.
pub(super) fn written_copy(learned: &Learned, name: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("kimoby-contract-learn-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    for (file, text) in &learned.original {
        std::fs::write(directory.join(file), text).unwrap();
    }
    learned.write_into(&directory).unwrap();
    directory
}
