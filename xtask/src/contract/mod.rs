//! `cargo xtask contract learn REPORT... [--write]`: from departure reports
//! (the JSON lines of `kimoby-mock proxy --report` or of the Rust client's
//! `report_drift_to`) to the schema edits that make the strict profile
//! accept what was seen, each printed with its consequence for the
//! bindings, then classified as a compatible or a breaking release by the
//! machinery of `cargo xtask semver`: the edits are applied to a copy of
//! `schemas/` under the target directory, both folders are generated into
//! crates, and cargo-semver-checks compares their rustdoc JSON. `--write`
//! makes the edits in `schemas/` itself, keeping each file's formatting;
//! an edit already made is recognised and skipped, so a second `--write`
//! of the same report changes nothing.

mod change;
mod edits;
mod fixtures;
mod json_text;
mod naming;
mod propose;
mod walk;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use kimoby_codegen::SchemaFolder;
use kimoby_generated::departure::{DepartureLog, DepartureRecord};
use serde_json::Value;

use self::change::{Edit, Proposal};
pub use self::fixtures::check_fixtures;
use crate::semver::{Bump, CrateBuilder};

/// The schema folder, relative to the workspace root.
const SCHEMA_DIRECTORY: &str = "schemas";
/// The edited copy of the schema folder, in the work directory (beside the
/// crates generated from it and from `schemas/`).
const LEARNED_COPY: &str = "learned-schemas";

/// `cargo xtask contract <arguments>`.
pub fn run(arguments: &[&str]) -> anyhow::Result<()> {
    let ["learn", rest @ ..] = arguments else {
        bail!("usage: cargo xtask contract learn REPORT... [--write]");
    };
    let write = rest.contains(&"--write");
    if let Some(flag) = rest
        .iter()
        .find(|argument| argument.starts_with("--") && **argument != "--write")
    {
        bail!("unknown option `{flag}`; usage: cargo xtask contract learn REPORT... [--write]");
    }
    let reports: Vec<PathBuf> = rest
        .iter()
        .filter(|argument| !argument.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if reports.is_empty() {
        bail!("no report given; usage: cargo xtask contract learn REPORT... [--write]");
    }
    let root = crate::workspace_root();
    let learned = Learned::from_reports(&root.join(SCHEMA_DIRECTORY), &reports)?;
    learned.print();
    if learned.proposal.edits.is_empty() {
        println!("verdict: compatible (no change to the bindings)");
    } else {
        let semver_checks = crate::semver::install_semver_checks(&root)?;
        let work = crate::target_directory(&root).join("contract-learn");
        let builder = CrateBuilder::new(&root, &work);
        let baseline = builder
            .rustdoc("current-bindings", &read_folder_of(&root.join(SCHEMA_DIRECTORY))?)
            .context("the bindings of the current schemas")?;
        let (bump, lints) = learned.classify(&builder, &semver_checks, &baseline, &work)?;
        println!("{}", learned.verdict(bump, &lints));
    }
    if write {
        let written = learned.write_into(&root.join(SCHEMA_DIRECTORY))?;
        if written.is_empty() {
            println!("--write: nothing to change in {SCHEMA_DIRECTORY}/");
        } else {
            println!(
                "--write: edited {} in {SCHEMA_DIRECTORY}/; review the diff, then run `cargo xtask codegen`",
                written.join(", ")
            );
        }
    }
    Ok(())
}

/// The reports read, the edits proposed, and the edited texts of the folder.
pub struct Learned {
    /// The text of every `*.json` of the folder, by file name, as it was.
    pub original: BTreeMap<String, String>,
    /// The same texts with the edits made.
    pub edited: BTreeMap<String, String>,
    /// What `learn` found.
    pub proposal: Proposal,
}

impl Learned {
    /// Reads and merges `reports`, proposes edits of the folder `schemas`,
    /// and makes them in a copy of its texts.
    pub fn from_reports(schemas: &Path, reports: &[PathBuf]) -> anyhow::Result<Self> {
        let log = DepartureLog::new();
        for report in reports {
            // The error names the file and the line, never the line's text.
            log.merge(DepartureLog::read(report)?);
        }
        Self::from_records(schemas, &log.records())
    }

    /// Proposes the edits for `records` to the folder `schemas`.
    pub fn from_records(schemas: &Path, records: &[DepartureRecord]) -> anyhow::Result<Self> {
        let original = read_texts(schemas)?;
        let mut values = BTreeMap::new();
        for (name, text) in &original {
            let value: Value =
                serde_json::from_str(text).with_context(|| format!("{}: not JSON", schemas.join(name).display()))?;
            values.insert(name.clone(), value);
        }
        let proposal = propose::propose(&mut values, records);
        let mut edited = original.clone();
        for edit in &proposal.edits {
            let text = edited
                .get_mut(&edit.file)
                .with_context(|| format!("an edit of {}, which is not in the folder", edit.file))?;
            for change in &edit.changes {
                *text = json_text::set(text, &change.pointer, &change.after)
                    .with_context(|| format!("editing {}#{}", edit.file, change.pointer))?;
            }
        }
        Ok(Self {
            original,
            edited,
            proposal,
        })
    }

    /// Prints each edit (file, pointer, before, after, consequence), what
    /// was already applied, and what needs a human.
    pub fn print(&self) {
        let proposal = &self.proposal;
        println!("{} edit(s) proposed", proposal.edits.len());
        for (number, edit) in proposal.edits.iter().enumerate() {
            println!("edit {}: {}: {}", number + 1, edit.file, edit.what);
            for change in &edit.changes {
                let before = change
                    .before
                    .as_ref()
                    .map_or_else(|| "(absent)".to_owned(), Value::to_string);
                println!("  at {}", change.pointer);
                println!("    before: {before}");
                println!("    after:  {}", change.after);
            }
            println!("  bindings: {}", edit.consequence);
        }
        for applied in &proposal.already_applied {
            println!("already applied, skipped: {applied}");
        }
        for human in &proposal.needs_human {
            println!("needs a human: {}: {}", human.departure, human.why);
        }
    }

    /// Writes the edited folder into `<work>/learned-schemas/`, generates it, and
    /// classifies its bindings against `baseline` (rustdoc JSON).
    pub fn classify(
        &self,
        builder: &CrateBuilder,
        semver_checks: &Path,
        baseline: &Path,
        work: &Path,
    ) -> anyhow::Result<(Bump, Vec<String>)> {
        let copy = work.join(LEARNED_COPY);
        if copy.exists() {
            std::fs::remove_dir_all(&copy).with_context(|| format!("emptying {}", copy.display()))?;
        }
        std::fs::create_dir_all(&copy).with_context(|| format!("creating {}", copy.display()))?;
        for (name, text) in &self.edited {
            std::fs::write(copy.join(name), text).with_context(|| format!("writing {}", copy.join(name).display()))?;
        }
        let current = builder
            .rustdoc("learned-bindings", &read_folder_of(&copy)?)
            .context("the bindings of the edited schemas")?;
        crate::semver::classify(semver_checks, baseline, &current)
    }

    /// The verdict line: the release the edits need, and for a breaking
    /// one the lints and the edits that break.
    pub fn verdict(&self, bump: Bump, lints: &[String]) -> String {
        match bump {
            Bump::Minor => "verdict: compatible (minor release)".to_owned(),
            Bump::Major => {
                let breaking: Vec<String> = self
                    .proposal
                    .edits
                    .iter()
                    .filter(|edit| edit.breaking)
                    .map(|edit| format!("{} in {} ({})", edit.what, edit.file, edit.consequence))
                    .collect();
                let cause = if breaking.is_empty() {
                    "an edit above that was not expected to break (see the lints)".to_owned()
                } else {
                    breaking.join("; ")
                };
                // The generated crate's path says nothing to a reader: `Customer.name`.
                let prefix = format!(
                    "{}::generated::types::",
                    crate::semver::FIXTURE_PACKAGE.replace('-', "_")
                );
                let lints: Vec<String> = lints.iter().map(|lint| lint.replace(&prefix, "")).collect();
                format!(
                    "verdict: breaking (major release): {} caused by {cause}",
                    lints.join(", ")
                )
            }
        }
    }

    /// Writes the edited files into `schemas`; returns the names of those
    /// that changed.
    pub fn write_into(&self, schemas: &Path) -> anyhow::Result<Vec<String>> {
        let mut written = Vec::new();
        for (name, text) in &self.edited {
            if self.original.get(name) != Some(text) {
                let path = schemas.join(name);
                std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
                written.push(name.clone());
            }
        }
        Ok(written)
    }

    /// The edits, for tests.
    pub fn edits(&self) -> &[Edit] {
        &self.proposal.edits
    }
}

/// The text of every `*.json` file directly in `directory`, by file name.
fn read_texts(directory: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let entries = std::fs::read_dir(directory).with_context(|| format!("reading {}", directory.display()))?;
    let mut texts = BTreeMap::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("reading {}", directory.display()))?
            .path();
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        if path.is_file() && name.ends_with(".json") {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            texts.insert(name.to_owned(), text);
        }
    }
    Ok(texts)
}

fn read_folder_of(directory: &Path) -> anyhow::Result<SchemaFolder> {
    SchemaFolder::read(directory).with_context(|| format!("reading {}", directory.display()))
}
