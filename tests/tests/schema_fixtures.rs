//! Checks the JSON Schemas of `schemas/` against the fixtures of `tests/fixtures/`.
//!
//! Every `schemas/*.json` file except the OpenAPI manifest is loaded into one
//! [`jsonschema::Registry`] keyed by its `$id`; validators are built offline (the `$id`s use
//! the reserved `.invalid` TLD and are never fetched) with format assertion on, as the
//! schemas require. Then:
//! - every `fixtures/valid/<schema>/*.json` must be accepted by `schemas/<schema>.json`
//!   (the errors are printed with their instance path otherwise);
//! - every `fixtures/invalid/<schema>/*.json` must be rejected, and so must every
//!   `fixtures/evolved/<schema>/*.json` (payloads a later server may send);
//! - every schema file carries `$schema`, `$id`, `title` and `description`, every relative
//!   `$ref` points to an existing file and definition, and type names are unique.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use jsonschema::{Registry, Validator};
use serde_json::Value;

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
const ID_PREFIX: &str = "https://kimoby-codegen.invalid/schemas/";
/// The endpoint manifest lives in the same folder but is an OpenAPI document, not a schema.
const OPENAPI_MANIFEST: &str = "openapi.json";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures() -> PathBuf {
    workspace().join("tests").join("fixtures")
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{} is not valid JSON: {err}", path.display()))
}

/// The entries of `dir` that are directories (`want_dirs`) or `.json` files, sorted.
fn entries(dir: &Path, want_dirs: bool) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            if want_dirs {
                path.is_dir()
            } else {
                path.extension().is_some_and(|ext| ext == "json")
            }
        })
        .collect();
    paths.sort();
    paths
}

fn stem(path: &Path) -> String {
    path.file_stem().expect("file name").to_string_lossy().into_owned()
}

/// Every schema of `schemas/` but the OpenAPI manifest, keyed by file stem.
fn schemas() -> BTreeMap<String, Value> {
    let schemas: BTreeMap<String, Value> = entries(&workspace().join("schemas"), false)
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name != OPENAPI_MANIFEST))
        .map(|path| (stem(&path), read_json(&path)))
        .collect();
    assert!(!schemas.is_empty(), "no schema found in schemas/");
    schemas
}

/// One validator per schema, all resolving references through an offline registry that
/// holds every schema of the folder under its `$id`.
fn validators(schemas: &BTreeMap<String, Value>) -> BTreeMap<String, Validator> {
    let resources = schemas.iter().map(|(stem, schema)| {
        let id = schema["$id"]
            .as_str()
            .unwrap_or_else(|| panic!("schemas/{stem}.json has no string `$id`"));
        (id, schema)
    });
    let registry = Registry::new()
        .extend(resources)
        .and_then(|builder| builder.prepare())
        .unwrap_or_else(|err| panic!("cannot build the schema registry: {err}"));
    schemas
        .iter()
        .map(|(stem, schema)| {
            let validator = jsonschema::options()
                .with_registry(&registry)
                .should_validate_formats(true)
                .offline()
                .build(schema)
                .unwrap_or_else(|err| panic!("schemas/{stem}.json does not compile: {err}"));
            (stem.clone(), validator)
        })
        .collect()
}

/// Every fixture of `fixtures/<kind>/`: (schema stem, path).
fn fixture_files(kind: &str) -> Vec<(String, PathBuf)> {
    let files: Vec<(String, PathBuf)> = entries(&fixtures().join(kind), true)
        .into_iter()
        .flat_map(|dir| {
            let schema = stem(&dir);
            entries(&dir, false).into_iter().map(move |file| (schema.clone(), file))
        })
        .collect();
    assert!(!files.is_empty(), "no fixture found in tests/fixtures/{kind}/");
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(fixtures()).unwrap_or(path).display().to_string()
}

/// Calls `visit` with every `(key, value)` member of every object inside `value`.
fn walk<'a>(value: &'a Value, visit: &mut impl FnMut(&'a str, &'a Value)) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                visit(key, member);
                walk(member, visit);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| walk(item, visit)),
        _ => {}
    }
}

#[test]
fn every_schema_file_has_schema_id_title_and_description() {
    for (stem, schema) in schemas() {
        let file = format!("schemas/{stem}.json");
        assert_eq!(
            schema["$schema"], DRAFT_2020_12,
            "{file}: `$schema` must be draft 2020-12"
        );
        assert_eq!(
            schema["$id"],
            format!("{ID_PREFIX}{stem}.json"),
            "{file}: `$id` must be {ID_PREFIX}<file name>"
        );
        for keyword in ["title", "description"] {
            let text = schema[keyword].as_str().unwrap_or_default();
            assert!(!text.trim().is_empty(), "{file}: missing or empty `{keyword}`");
        }
    }
}

#[test]
fn every_relative_ref_points_to_an_existing_file_and_definition() {
    let schemas = schemas();
    let mut broken = Vec::new();
    for (stem, schema) in &schemas {
        walk(schema, &mut |key, value| {
            let Some(reference) = value.as_str().filter(|_| key == "$ref") else {
                return;
            };
            let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
            let target = if file.is_empty() {
                Some(schema)
            } else if file.contains(':') || file.contains('/') {
                None // only plain file names of this folder are allowed
            } else {
                file.strip_suffix(".json").and_then(|name| schemas.get(name))
            };
            if target.is_none_or(|doc| doc.pointer(pointer).is_none()) {
                broken.push(format!("schemas/{stem}.json: `$ref: {reference}`"));
            }
        });
    }
    assert!(broken.is_empty(), "unresolvable references:\n{}", broken.join("\n"));
}

#[test]
fn titles_and_defs_names_are_pascal_case_and_unique_across_the_folder() {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    for (stem, schema) in schemas() {
        let title = schema["title"].as_str().unwrap_or_default().to_owned();
        let defs = schema["$defs"].as_object().map(|defs| defs.keys().cloned().collect());
        let names: BTreeSet<String> = defs.unwrap_or_default();
        for name in std::iter::once(title).chain(names) {
            let pascal =
                name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric());
            if !pascal {
                problems.push(format!("schemas/{stem}.json: `{name}` is not PascalCase"));
            }
            if let Some(first) = seen.insert(name.clone(), stem.clone()) {
                problems.push(format!("`{name}` is defined in {first}.json and {stem}.json"));
            }
        }
    }
    assert!(problems.is_empty(), "type names:\n{}", problems.join("\n"));
}

#[test]
fn every_schema_has_fixtures_and_every_fixture_directory_names_a_schema() {
    let schemas = schemas();
    for kind in ["valid", "invalid"] {
        let dirs: BTreeSet<String> = entries(&fixtures().join(kind), true)
            .iter()
            .map(|dir| stem(dir))
            .collect();
        let known: BTreeSet<String> = schemas.keys().cloned().collect();
        let orphans: Vec<&String> = dirs.difference(&known).collect();
        let untested: Vec<&String> = known.difference(&dirs).collect();
        assert!(
            orphans.is_empty(),
            "fixtures/{kind}/ dirs without a schema: {orphans:?}"
        );
        assert!(
            untested.is_empty(),
            "schemas without fixtures/{kind}/ cases: {untested:?}"
        );
    }
}

#[test]
fn every_valid_fixture_is_accepted_by_its_schema() {
    let validators = validators(&schemas());
    let mut rejected = Vec::new();
    let files = fixture_files("valid");
    for (schema, file) in &files {
        let validator = validators
            .get(schema)
            .unwrap_or_else(|| panic!("no schemas/{schema}.json for {}", relative(file)));
        let instance = read_json(file);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|err| {
                let at = err.instance_path().to_string();
                format!("    at `{}`: {err}", if at.is_empty() { "/" } else { &at })
            })
            .collect();
        if !errors.is_empty() {
            rejected.push(format!("  {}:\n{}", relative(file), errors.join("\n")));
        }
    }
    assert!(
        rejected.is_empty(),
        "{} of {} valid fixtures rejected by their schema:\n{}",
        rejected.len(),
        files.len(),
        rejected.join("\n")
    );
}

#[test]
fn every_invalid_fixture_is_rejected_by_its_schema() {
    let validators = validators(&schemas());
    let files = fixture_files("invalid");
    let accepted: Vec<String> = files
        .iter()
        .filter(|(schema, file)| validators[schema].is_valid(&read_json(file)))
        .map(|(_, file)| format!("  {}", relative(file)))
        .collect();
    assert!(
        accepted.is_empty(),
        "{} of {} invalid fixtures accepted by their schema:\n{}",
        accepted.len(),
        files.len(),
        accepted.join("\n")
    );
}
