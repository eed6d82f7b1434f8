//! `cargo xtask semver`: which schema changes are minor for users, and which
//! are major, measured with cargo-semver-checks on generated code.
//!
//! The fixture API of `tests/semver/api/` (a paginated resource with a
//! response model, an open response enum, a request body and its operation)
//! is generated into a crate, `kimoby-semver-fixture`, that builds on
//! `kimoby-generated`'s runtime as the real bindings do. Each scenario edits
//! a copy of the fixture (a new optional field, a new enum value, a field
//! removed, ...), generates it into a crate of the same name, and asks
//! cargo-semver-checks (installed pinned, into the target directory) whether
//! the change may ship in a minor release. The answer must be the one the
//! scenario expects; one line per scenario says what was found.
//!
//! cargo-semver-checks has no lint for a public field whose type changed (it
//! compares items and signatures' shapes, not field types), so this task
//! also compares the type of every public field of the two rustdoc JSON
//! files and counts a difference as `field_type_changed`.
//!
//! [`CrateBuilder`] and [`classify`] are shared with `cargo xtask contract
//! learn`, whose end-to-end check runs after the scenarios
//! (`contract/fixtures.rs`: its verdicts on the reports of
//! `tests/contract_learn/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use kimoby_codegen::{Options, SchemaFolder, generate_from};
use serde_json::{Value, json};

/// The cargo-semver-checks release this check is written against.
const SEMVER_CHECKS_VERSION: &str = "0.51.0";
/// The fixture API, relative to the workspace root.
const FIXTURE_DIRECTORY: &str = "tests/semver/api";
/// The package name of every generated crate (cargo-semver-checks compares
/// crates of one name).
pub const FIXTURE_PACKAGE: &str = "kimoby-semver-fixture";

/// What a user of the generated crate must do about a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bump {
    /// Compatible: a minor release.
    Minor,
    /// Breaking: a major release.
    Major,
}

/// One edit of the fixture and the release it needs.
struct Scenario {
    name: &'static str,
    expected: Bump,
    edit: fn(&mut SchemaFolder),
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "a new optional field in a response model",
        expected: Bump::Minor,
        edit: |folder| {
            schema(folder, "user.json")["properties"]["email"] =
                json!({"description": "The user's email address.", "type": "string"});
        },
    },
    Scenario {
        name: "a new value of a response enum",
        expected: Bump::Minor,
        edit: |folder| enum_values(folder).push(json!("guest")),
    },
    Scenario {
        name: "a new operation",
        expected: Bump::Minor,
        edit: |folder| {
            folder.manifest["paths"]["/users/{id}"]["delete"] = json!({
                "operationId": "deleteUser",
                "tags": ["users"],
                "summary": "Delete a user",
                "parameters": [{"name": "id", "in": "path", "required": true, "description": "The user's id.", "schema": {"type": "string"}}],
                "responses": {"204": {"description": "Deleted."}}
            });
        },
    },
    Scenario {
        name: "a new resource",
        expected: Bump::Minor,
        edit: |folder| {
            folder.schemas.insert(
                "team.json".to_owned(),
                json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": "https://kimoby-codegen.invalid/tests/semver/api/team.json",
                    "title": "Team",
                    "description": "A team of users.",
                    "type": "object",
                    "properties": {"id": {"description": "The team's id.", "type": "string"}},
                    "required": ["id"]
                }),
            );
            push(
                &mut folder.manifest["tags"],
                json!({"name": "teams", "description": "Teams of users."}),
            );
            folder.manifest["paths"]["/teams/{id}"] = json!({"get": {
                "operationId": "retrieveTeam",
                "tags": ["teams"],
                "summary": "Retrieve a team",
                "parameters": [{"name": "id", "in": "path", "required": true, "description": "The team's id.", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The team.", "content": {"application/json": {"schema": {"$ref": "team.json"}}}}}
            }});
        },
    },
    Scenario {
        name: "a new optional field in a request body",
        expected: Bump::Minor,
        edit: |folder| {
            schema(folder, "user_request.json")["properties"]["email"] =
                json!({"description": "The user's email address.", "type": "string"});
        },
    },
    Scenario {
        name: "a field removed from a response model",
        expected: Bump::Major,
        edit: |folder| remove_property(schema(folder, "user.json"), "display_name"),
    },
    Scenario {
        name: "a value removed from a response enum",
        expected: Bump::Major,
        edit: |folder| enum_values(folder).retain(|value| value != "member"),
    },
    Scenario {
        name: "an operation removed",
        expected: Bump::Major,
        edit: |folder| {
            if let Some(path) = folder.manifest["paths"]["/users"].as_object_mut() {
                path.remove("post");
            }
        },
    },
    Scenario {
        name: "a response field retyped (string to integer)",
        expected: Bump::Major,
        edit: |folder| schema(folder, "user.json")["properties"]["login"]["type"] = json!("integer"),
    },
    Scenario {
        name: "a new required field in a response model",
        expected: Bump::Major,
        edit: |folder| {
            let user = schema(folder, "user.json");
            user["properties"]["team_id"] = json!({"description": "The user's team.", "type": "string"});
            push(&mut user["required"], json!("team_id"));
        },
    },
    Scenario {
        name: "an optional request field made required",
        expected: Bump::Major,
        edit: |folder| {
            push(
                &mut schema(folder, "user_request.json")["required"],
                json!("display_name"),
            )
        },
    },
];

fn schema<'a>(folder: &'a mut SchemaFolder, file: &str) -> &'a mut Value {
    folder
        .schemas
        .get_mut(file)
        .unwrap_or_else(|| panic!("{FIXTURE_DIRECTORY}/{file} is part of the fixture"))
}

fn enum_values(folder: &mut SchemaFolder) -> &mut Vec<Value> {
    schema(folder, "user.json")["properties"]["role"]["enum"]
        .as_array_mut()
        .expect("user.json's role is an enum")
}

fn push(array: &mut Value, item: Value) {
    array.as_array_mut().expect("an array in the fixture").push(item);
}

fn remove_property(schema: &mut Value, property: &str) {
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.remove(property);
    }
    if let Some(required) = schema["required"].as_array_mut() {
        required.retain(|name| name != property);
    }
}

/// Runs every scenario; fails if any release level differs from the expected one.
/// Returns the cargo-semver-checks it used, for `contract learn`'s checks.
pub fn run() -> anyhow::Result<std::path::PathBuf> {
    let root = crate::workspace_root();
    let work = crate::target_directory(&root).join("semver");
    let semver_checks = install_semver_checks(&root)?;
    let fixture_directory = root.join(FIXTURE_DIRECTORY);
    let fixture =
        SchemaFolder::read(&fixture_directory).with_context(|| format!("reading {}", fixture_directory.display()))?;
    let builder = CrateBuilder::new(&root, &work);
    let baseline = builder.rustdoc("baseline", &fixture).context("the unchanged fixture")?;
    let mut wrong = Vec::new();
    for scenario in SCENARIOS {
        let mut changed = fixture.clone();
        (scenario.edit)(&mut changed);
        let current = builder
            .rustdoc(&slug(scenario.name), &changed)
            .with_context(|| format!("scenario `{}`", scenario.name))?;
        let (found, lints) = classify(&semver_checks, &baseline, &current)?;
        let verdict = if found == scenario.expected { "ok" } else { "WRONG" };
        let because = if lints.is_empty() {
            String::new()
        } else {
            format!(" ({})", lints.join(", "))
        };
        println!(
            "semver: {verdict}: {}: {found:?}, expected {:?}{because}",
            scenario.name, scenario.expected
        );
        if found != scenario.expected {
            wrong.push(scenario.name);
        }
    }
    if !wrong.is_empty() {
        bail!(
            "cargo-semver-checks disagrees with the expected release level of: {}",
            wrong.join("; ")
        );
    }
    println!("semver: {} scenarios, each classified as expected", SCENARIOS.len());
    Ok(semver_checks)
}

/// The release `current` needs after `baseline` (two rustdoc JSON files of
/// crates of the same name): cargo-semver-checks' lints, and the public
/// fields whose type changed (`field_type_changed`), which it does not see.
pub fn classify(semver_checks: &Path, baseline: &Path, current: &Path) -> anyhow::Result<(Bump, Vec<String>)> {
    let (mut found, mut lints) = required_bump(semver_checks, baseline, current)?;
    let retyped = retyped_fields(baseline, current)?;
    if !retyped.is_empty() {
        found = Bump::Major;
        lints.push(format!("field_type_changed: {}", retyped.join(", ")));
    }
    Ok((found, lints))
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|character| {
            if character.is_ascii_alphanumeric() {
                character
            } else {
                '-'
            }
        })
        .collect()
}

/// `cargo-semver-checks` at [`SEMVER_CHECKS_VERSION`], installed with
/// `--locked` into `<target>/tools/` unless it is already there.
pub fn install_semver_checks(root: &Path) -> anyhow::Result<PathBuf> {
    let tools = crate::target_directory(root).join("tools");
    let binary = tools.join("bin").join("cargo-semver-checks");
    let installed = Command::new(&binary)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains(SEMVER_CHECKS_VERSION));
    if !installed {
        crate::run_command(
            Command::new(crate::cargo())
                .args(["install", "--locked", "--quiet", "cargo-semver-checks", "--version"])
                .arg(SEMVER_CHECKS_VERSION)
                .arg("--root")
                .arg(&tools)
                // Its own target directory, so the workspace's settings stay out of it.
                .env("CARGO_TARGET_DIR", tools.join("build")),
            &format!(
                "cargo install --locked cargo-semver-checks --version {SEMVER_CHECKS_VERSION} --root {}",
                tools.display()
            ),
        )?;
        // The build directory is only needed once.
        let _ = std::fs::remove_dir_all(tools.join("build"));
    }
    Ok(binary)
}

/// Writes generated crates (of an API folder: the fixture's, or
/// `schemas/` and an edited copy of it) and documents them as rustdoc JSON.
pub struct CrateBuilder {
    root: PathBuf,
    work: PathBuf,
}

impl CrateBuilder {
    /// A builder writing its crates into `work` (each in a folder of its
    /// name, documented into `<target>/semver/target/`).
    pub fn new(root: &Path, work: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            work: work.to_path_buf(),
        }
    }

    /// Generates `folder` into `<work>/<name>/` and returns the path of its
    /// rustdoc JSON.
    pub fn rustdoc(&self, name: &str, folder: &SchemaFolder) -> anyhow::Result<PathBuf> {
        let options = Options {
            crate_name: FIXTURE_PACKAGE.replace('-', "_"),
            ..Options::default()
        };
        let generated = generate_from(folder, &options).context("generating the fixture")?;
        let directory = self.work.join(name);
        if directory.exists() {
            std::fs::remove_dir_all(&directory).with_context(|| format!("emptying {}", directory.display()))?;
        }
        let source = directory.join("src");
        for (path, text) in &generated.files {
            write(&source.join(path), text)?;
        }
        write(&source.join("lib.rs"), LIB_RS)?;
        write(&directory.join("Cargo.toml"), &self.manifest())?;
        // The workspace's lock: the same dependency versions, no resolution.
        std::fs::copy(self.root.join("Cargo.lock"), directory.join("Cargo.lock")).context("copying Cargo.lock")?;
        // One target directory for every generated crate (the fixture's
        // and `contract learn`'s): their dependencies are built once.
        let target = crate::target_directory(&self.root).join("semver").join("target");
        crate::run_command(
            Command::new(crate::cargo())
                .args(["rustdoc", "--quiet", "--lib", "--manifest-path"])
                .arg(directory.join("Cargo.toml"))
                .args([
                    "--",
                    "-Z",
                    "unstable-options",
                    "--output-format",
                    "json",
                    "--cap-lints",
                    "allow",
                ])
                // rustdoc's JSON output is unstable; stable rustdoc writes it when asked this way.
                .env("RUSTC_BOOTSTRAP", "1")
                .env("CARGO_TARGET_DIR", &target),
            &format!("cargo rustdoc --output-format json ({name})"),
        )?;
        let json = target
            .join("doc")
            .join(format!("{}.json", FIXTURE_PACKAGE.replace('-', "_")));
        let kept = self.work.join(format!("{name}.json"));
        std::fs::rename(&json, &kept).with_context(|| format!("moving {}", json.display()))?;
        Ok(kept)
    }

    fn manifest(&self) -> String {
        let runtime = self.root.join("kimoby-generated");
        format!(
            r#"# Written by `cargo xtask semver`.
[package]
name = "{FIXTURE_PACKAGE}"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
kimoby-generated = {{ path = {runtime:?} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
regress = "0.12"

[workspace]
"#,
            runtime = runtime.display().to_string()
        )
    }
}

/// The fixture crate's root: the generated modules laid out as in
/// `kimoby-generated`, whose hand-written parts they call through `crate::`.
const LIB_RS: &str = r#"//! Written by `cargo xtask semver`: the fixture API's generated bindings.
#![allow(missing_docs)]

#[allow(unused_imports)]
use kimoby_generated::{clearable, custom_attributes, open_enum, runtime, webhooks};

#[allow(dead_code, unused_imports, clippy::all)]
mod generated {
    pub mod client;
    mod requests;
    mod responses;
    pub mod schemas;
    pub mod types;
}

pub use generated::{client, types};
pub use client::Client;
"#;

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Whether `current` may be released as a minor version after `baseline`,
/// and the names of the lints that say it may not.
fn required_bump(semver_checks: &Path, baseline: &Path, current: &Path) -> anyhow::Result<(Bump, Vec<String>)> {
    let output = Command::new(semver_checks)
        .args(["semver-checks", "--release-type", "minor", "--baseline-rustdoc"])
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .context("running cargo-semver-checks")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let lints: Vec<String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("--- failure "))
        .filter_map(|rest| rest.split(':').next())
        .map(str::to_owned)
        .collect();
    match (output.status.success(), lints.is_empty()) {
        (true, _) => Ok((Bump::Minor, lints)),
        (false, false) => Ok((Bump::Major, lints)),
        (false, true) => bail!("cargo-semver-checks failed without naming a lint:\n{text}"),
    }
}

/// The public fields of the crate's own structs whose type differs between
/// the two rustdoc JSON files, as `Struct.field`.
fn retyped_fields(baseline: &Path, current: &Path) -> anyhow::Result<Vec<String>> {
    let before = field_types(baseline)?;
    let after = field_types(current)?;
    Ok(before
        .iter()
        .filter(|(field, field_type)| after.get(*field).is_some_and(|other| other != *field_type))
        .map(|(field, _)| field.clone())
        .collect())
}

/// `Struct.field` to the field's type (rustdoc's JSON of it, without the
/// item ids, which differ from one build to the next).
fn field_types(rustdoc: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(rustdoc).with_context(|| format!("reading {}", rustdoc.display()))?;
    let document: Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", rustdoc.display()))?;
    let index = &document["index"];
    let mut types = BTreeMap::new();
    for (id, item) in index.as_object().into_iter().flatten() {
        let Some(fields) = item["inner"]["struct"]["kind"]["plain"]["fields"].as_array() else {
            continue;
        };
        if item["crate_id"] != 0 {
            continue;
        }
        let struct_path = document["paths"][id]["path"]
            .as_array()
            .map(|segments| segments.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("::"))
            .unwrap_or_else(|| item["name"].as_str().unwrap_or_default().to_owned());
        for field_id in fields {
            let field = &index[field_id.to_string()];
            if field["visibility"] != "public" {
                continue;
            }
            let mut field_type = field["inner"]["struct_field"].clone();
            strip_ids(&mut field_type);
            let name = field["name"].as_str().unwrap_or_default();
            types.insert(format!("{struct_path}.{name}"), field_type.to_string());
        }
    }
    Ok(types)
}

fn strip_ids(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.remove("id");
            object.values_mut().for_each(strip_ids);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_ids),
        _ => {}
    }
}
