//! The end-to-end check of `contract learn`, run by `cargo xtask semver`
//! (so by `cargo xtask test`) on the reports of `tests/contract_learn/`:
//!
//! - `evolved/`: what the client's drift report wrote against
//!   `kimoby-mock --evolve 1.0` (new `zz_evolved_<n>` fields, undocumented
//!   enum values, `null` for unset optional fields), with the bodies it
//!   saw. `learn`'s edits must make the strict profile accept every one of
//!   those bodies (most of which it refuses today), the verdict must be
//!   compatible, and learning again from the edited schemas must find
//!   every edit already made.
//! - `missing_required/`: a customer without its required `name`; the
//!   verdict must be breaking, caused by the edit that makes it optional.

use std::path::Path;

use anyhow::{Context, bail, ensure};
use serde_json::Value;

use super::{LEARNED_COPY, Learned, SCHEMA_DIRECTORY, read_folder_of};
use crate::semver::{Bump, CrateBuilder};

/// The fixture reports, relative to the workspace root.
const FIXTURE_DIRECTORY: &str = "tests/contract_learn";

/// Runs both fixtures; fails unless each gives what it must.
pub fn check_fixtures(root: &Path, semver_checks: &Path) -> anyhow::Result<()> {
    let schemas = root.join(SCHEMA_DIRECTORY);
    let fixtures = root.join(FIXTURE_DIRECTORY);
    let work = crate::target_directory(root).join("semver").join("contract-learn");
    let builder = CrateBuilder::new(root, &work);
    let baseline = builder
        .rustdoc("current-bindings", &read_folder_of(&schemas)?)
        .context("the bindings of the current schemas")?;

    let evolved = fixtures.join("evolved");
    let learned = Learned::from_reports(&schemas, &[evolved.join("report.jsonl")])?;
    ensure!(
        !learned.edits().is_empty(),
        "contract learn: {} gave no edit",
        evolved.display()
    );
    ensure!(
        learned.proposal.needs_human.is_empty(),
        "contract learn: {} left departures to a human: {:?}",
        evolved.display(),
        learned.proposal.needs_human
    );
    let (bump, lints) = learned.classify(&builder, semver_checks, &baseline, &work)?;
    ensure!(
        bump == Bump::Minor,
        "contract learn on {}: expected compatible, got {}",
        evolved.display(),
        learned.verdict(bump, &lints)
    );
    let bodies = read_bodies(&evolved.join("bodies.jsonl"))?;
    let refused_before = refused(&schemas, &bodies)?;
    let refused_after = refused(&work.join(LEARNED_COPY), &bodies)?;
    ensure!(
        refused_before.len() * 2 > bodies.len(),
        "the evolved bodies should mostly leave the current schemas ({} of {} refused)",
        refused_before.len(),
        bodies.len()
    );
    ensure!(
        refused_after.is_empty(),
        "after contract learn's edits, the strict profile still refuses the evolved bodies number {refused_after:?} of {}",
        evolved.join("bodies.jsonl").display()
    );
    let again = Learned::from_reports(&work.join(LEARNED_COPY), &[evolved.join("report.jsonl")])?;
    ensure!(
        again.edits().is_empty() && again.proposal.already_applied.len() == learned.edits().len(),
        "learning twice from {} proposed edits again: {:?}",
        evolved.display(),
        again.edits()
    );
    println!(
        "semver: ok: contract learn on {FIXTURE_DIRECTORY}/evolved: {} edits, Minor; the strict profile now accepts its {} bodies ({} refused before); a second run finds every edit applied",
        learned.edits().len(),
        bodies.len(),
        refused_before.len()
    );

    let missing = fixtures.join("missing_required");
    let learned = Learned::from_reports(&schemas, &[missing.join("report.jsonl")])?;
    let (bump, lints) = learned.classify(&builder, semver_checks, &baseline, &work)?;
    let verdict = learned.verdict(bump, &lints);
    ensure!(
        bump == Bump::Major && learned.edits().iter().any(|edit| edit.breaking),
        "contract learn on {}: expected breaking, caused by an edit, got {verdict}",
        missing.display()
    );
    println!("semver: ok: contract learn on {FIXTURE_DIRECTORY}/missing_required: {verdict}");
    Ok(())
}

/// The bodies of a `bodies.jsonl`: `{"schema": "customer.json", "body": ...}` a line.
pub(super) fn read_bodies(path: &Path) -> anyhow::Result<Vec<(String, Value)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut bodies = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut record: Value = serde_json::from_str(line)
            .map_err(|error| anyhow::anyhow!("{}:{}: not JSON ({:?})", path.display(), index + 1, error.classify()))?;
        let Some(schema) = record.get("schema").and_then(Value::as_str).map(str::to_owned) else {
            bail!("{}:{}: no `schema`", path.display(), index + 1);
        };
        bodies.push((schema, record["body"].take()));
    }
    Ok(bodies)
}

/// The numbers (from 1) of the bodies the strict schemas of `folder` refuse.
pub(super) fn refused(folder: &Path, bodies: &[(String, Value)]) -> anyhow::Result<Vec<usize>> {
    let mut documents = Vec::new();
    for entry in std::fs::read_dir(folder).with_context(|| format!("reading {}", folder.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".json") && name != "openapi.json" {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let value: Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
            documents.push((name, value));
        }
    }
    let identified: Vec<(String, &Value)> = documents
        .iter()
        .map(|(name, value)| {
            let id = value.get("$id").and_then(Value::as_str).unwrap_or(name).to_owned();
            (id, value)
        })
        .collect();
    let registry = jsonschema::Registry::new()
        .extend(identified.iter().map(|(id, value)| (id.as_str(), *value)))
        .and_then(|builder| builder.prepare())
        .map_err(|error| anyhow::anyhow!("the schemas of {}: {error}", folder.display()))?;
    let mut refused = Vec::new();
    for (number, (schema, body)) in bodies.iter().enumerate() {
        let (_, document) = documents
            .iter()
            .find(|(name, _)| name == schema)
            .with_context(|| format!("no schema {schema} in {}", folder.display()))?;
        let validator = jsonschema::options()
            .with_registry(&registry)
            .should_validate_formats(true)
            .offline()
            .build(document)
            .map_err(|error| anyhow::anyhow!("{schema}: {error}"))?;
        if !validator.is_valid(body) {
            refused.push(number + 1);
        }
    }
    Ok(refused)
}
