//! Where the proxy's departures go: a `tracing` warning each (target
//! `kimoby_mock::proxy`), a summary in the `x-kimoby-departures` header of
//! the answer, and a [`DepartureLog`] written as a JSON-lines report. Only
//! places, kinds and types are written, never a value.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderValue;
use kimoby_generated::departure::{Departure, DepartureLog, Direction};
use tokio::sync::watch;

/// The header that summarizes an answer's departures (as Prism's `sl-violations`).
pub const DEPARTURES_HEADER: &str = "x-kimoby-departures";

/// How many departures the header names; the count covers them all.
const HEADER_ENTRIES: usize = 8;

/// How often a changed report is written while the proxy runs.
const WRITE_INTERVAL: Duration = Duration::from_millis(250);

/// The departures of the run, and where the report goes.
#[derive(Debug)]
pub struct Reporter {
    log: DepartureLog,
    path: Option<PathBuf>,
}

impl Reporter {
    /// A reporter writing to `path`, if given.
    pub fn new(path: Option<PathBuf>) -> Self {
        Self {
            log: DepartureLog::new(),
            path,
        }
    }

    /// The log of the run.
    pub fn log(&self) -> &DepartureLog {
        &self.log
    }

    /// Warns of each departure and counts it.
    pub fn record(&self, departures: &[Departure]) {
        for departure in departures {
            tracing::warn!(
                target: "kimoby_mock::proxy",
                operation_id = departure.operation_id.as_deref().unwrap_or("(unknown)"),
                direction = ?departure.direction,
                status = departure.status,
                pointer = %departure.pointer,
                kind = departure.kind.as_str(),
                observed_type = departure.observed_type.as_deref(),
                "the traffic departs from the contract"
            );
            self.log.record(departure.clone());
        }
    }

    /// Writes the report if it changed; a failure is a warning, not a stop.
    pub fn write(&self) {
        let Some(path) = &self.path else {
            return;
        };
        if let Err(error) = self.log.write_if_changed(path) {
            tracing::warn!(target: "kimoby_mock::proxy", path = %path.display(), %error, "cannot write the report");
        }
    }

    /// Writes the report every [`WRITE_INTERVAL`] while it changes, and once
    /// more when `shutdown` becomes `true`.
    pub fn spawn_writer(self: &Arc<Self>, mut shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        let reporter = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = tokio::time::sleep(WRITE_INTERVAL) => reporter.write(),
                    _ = shutdown.wait_for(|stopped| *stopped) => break,
                }
            }
            reporter.write();
        })
    }
}

/// `2; response /loyalty_tier unknown_field, request ?per_page constraint_violated`:
/// the count, then up to [`HEADER_ENTRIES`] departures.
pub fn summary_header(departures: &[Departure]) -> Option<HeaderValue> {
    if departures.is_empty() {
        return None;
    }
    let mut entries: Vec<String> = departures
        .iter()
        .take(HEADER_ENTRIES)
        .map(|departure| {
            let direction = match departure.direction {
                Direction::Request => "request",
                Direction::Response => "response",
            };
            let place = if departure.pointer.is_empty() {
                "/"
            } else {
                &departure.pointer
            };
            format!("{direction} {place} {}", departure.kind)
        })
        .collect();
    if departures.len() > HEADER_ENTRIES {
        entries.push("...".to_owned());
    }
    let text: String = format!("{}; {}", departures.len(), entries.join(", "))
        .chars()
        .map(|character| {
            if character.is_ascii_graphic() || character == ' ' {
                character
            } else {
                '?'
            }
        })
        .collect();
    HeaderValue::from_str(&text).ok()
}
