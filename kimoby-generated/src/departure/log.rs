//! [`DepartureLog`]: the departures seen so far, one record per distinct
//! departure with its count and first and last time seen, written as a
//! JSON-lines report and read back.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Departure, DepartureRecord};

/// At most this many distinct departures are kept: a server that invents a
/// new field name in every answer cannot grow the log without bound. Past
/// it, [`DepartureLog::dropped`] counts what was not kept.
pub const MAX_DISTINCT_DEPARTURES: usize = 10_000;

/// The departures seen, counted; safe to share between threads.
#[derive(Debug, Default)]
pub struct DepartureLog {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    records: BTreeMap<Departure, Seen>,
    dropped: u64,
    changed: bool,
}

#[derive(Debug, Clone)]
struct Seen {
    count: u64,
    first: String,
    last: String,
}

/// A report that cannot be read: the file, the line, what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ReadReportError {
    /// The file cannot be read.
    #[error("cannot read the report {}: {source}", path.display())]
    Io {
        /// The report.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not a departure record.
    #[error("{}:{line}: not a departure record: {message}", path.display())]
    Record {
        /// The report.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// What is wrong (never the line's text).
        message: String,
    },
}

impl DepartureLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one sighting of `departure`, now.
    pub fn record(&self, departure: Departure) {
        self.record_at(departure, &now());
    }

    /// Counts one sighting of `departure` at `when` (RFC 3339).
    pub fn record_at(&self, departure: Departure, when: &str) {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let full = state.records.len() >= MAX_DISTINCT_DEPARTURES;
        match state.records.get_mut(&departure) {
            Some(seen) => {
                seen.count += 1;
                when.clone_into(&mut seen.last);
            }
            None if full => {
                state.dropped += 1;
                return;
            }
            None => {
                state.records.insert(
                    departure,
                    Seen {
                        count: 1,
                        first: when.to_owned(),
                        last: when.to_owned(),
                    },
                );
            }
        }
        state.changed = true;
    }

    /// Adds the records of a report (counts add up; first and last seen widen).
    pub fn merge(&self, records: impl IntoIterator<Item = DepartureRecord>) {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for record in records {
            let seen = state.records.entry(record.departure).or_insert_with(|| Seen {
                count: 0,
                first: record.first_seen.clone(),
                last: record.last_seen.clone(),
            });
            seen.count += record.count;
            if record.first_seen < seen.first {
                seen.first = record.first_seen;
            }
            if record.last_seen > seen.last {
                seen.last = record.last_seen;
            }
        }
        state.changed = true;
    }

    /// Every record, in a stable order (by operation, direction, pointer, kind).
    pub fn records(&self) -> Vec<DepartureRecord> {
        let state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state
            .records
            .iter()
            .map(|(departure, seen)| DepartureRecord {
                departure: departure.clone(),
                count: seen.count,
                first_seen: seen.first.clone(),
                last_seen: seen.last.clone(),
            })
            .collect()
    }

    /// How many sightings of new departures were not kept, past
    /// [`MAX_DISTINCT_DEPARTURES`].
    pub fn dropped(&self) -> u64 {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .dropped
    }

    /// Writes the report to `path` if anything changed since the last write:
    /// one JSON record a line, through a temporary file and a rename, so a
    /// reader never sees half a report. Returns whether it wrote.
    pub fn write_if_changed(&self, path: &Path) -> std::io::Result<bool> {
        let records = {
            let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !state.changed {
                return Ok(false);
            }
            state.changed = false;
            drop(state);
            self.records()
        };
        let result = write_report(path, &records);
        if result.is_err() {
            self.state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .changed = true;
        }
        result.map(|()| true)
    }

    /// Reads a report written by [`DepartureLog::write_if_changed`] (or by
    /// another tool in the same format).
    pub fn read(path: &Path) -> Result<Vec<DepartureRecord>, ReadReportError> {
        let text = std::fs::read_to_string(path).map_err(|source| ReadReportError::Io {
            path: path.to_owned(),
            source,
        })?;
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| {
                serde_json::from_str(line).map_err(|error| ReadReportError::Record {
                    path: path.to_owned(),
                    line: index + 1,
                    // serde_json's messages may quote the text; keep its category and column only.
                    message: format!("{:?} error at column {}", error.classify(), error.column()),
                })
            })
            .collect()
    }
}

fn write_report(path: &Path, records: &[DepartureRecord]) -> std::io::Result<()> {
    let mut text = Vec::new();
    for record in records {
        serde_json::to_writer(&mut text, record)?;
        text.push(b'\n');
    }
    let temporary = path.with_extension("jsonl.partial");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(&text)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// Now, as RFC 3339 in UTC with seconds.
pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
