//! The validator users get from `kimoby-generated` (feature `validate`, over
//! the schemas embedded in the crate) agrees with the schema folder on every
//! fixture: it accepts each `fixtures/valid/<schema>/` file, rejects each
//! `fixtures/invalid/<schema>/` file with at least one issue, and embeds the
//! very bytes of `schemas/` (minified).

use std::path::{Path, PathBuf};

use kimoby_generated::validate::Validator;
use serde_json::Value;

fn fixtures(kind: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(kind);
    let mut found = Vec::new();
    for directory in std::fs::read_dir(&root).expect("fixture folder") {
        let directory = directory.expect("entry").path();
        let schema = format!("{}.json", directory.file_name().expect("name").to_string_lossy());
        for file in std::fs::read_dir(&directory).expect("schema folder") {
            found.push((schema.clone(), file.expect("entry").path()));
        }
    }
    found.sort();
    assert!(!found.is_empty(), "no fixture under {}", root.display());
    found
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
}

#[test]
fn the_embedded_validator_accepts_every_valid_fixture() {
    let validator = Validator::new().expect("the embedded schemas compile");
    for (schema, path) in fixtures("valid") {
        if let Err(refused) = validator.validate(&schema, &read(&path)) {
            panic!("{} refused: {refused}", path.display());
        }
    }
}

#[test]
fn the_embedded_validator_rejects_every_invalid_fixture_with_an_issue() {
    let validator = Validator::new().expect("the embedded schemas compile");
    for (schema, path) in fixtures("invalid") {
        let refused = validator
            .validate(&schema, &read(&path))
            .expect_err(&format!("{} was accepted", path.display()));
        assert!(!refused.issues().is_empty(), "{}: no issue reported", path.display());
    }
}

#[test]
fn the_embedded_files_are_the_schema_folder() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("schemas");
    let mut on_disk = 0;
    for entry in std::fs::read_dir(&folder).expect("schemas/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        on_disk += 1;
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let embedded = kimoby_generated::schemas::get(&name).unwrap_or_else(|| panic!("{name} is not embedded"));
        let embedded: Value = serde_json::from_str(embedded.json).expect("embedded JSON");
        assert_eq!(embedded, read(&path), "{name} differs from schemas/{name}");
    }
    assert_eq!(
        kimoby_generated::schemas::all().len(),
        on_disk,
        "one embedded file per schema file"
    );
}

#[test]
fn an_unknown_schema_name_is_an_error_not_a_panic() {
    let validator = Validator::new().expect("the embedded schemas compile");
    let outcome = validator.validate("nope.json", &Value::Null);
    assert!(matches!(
        outcome,
        Err(kimoby_generated::validate::ValidationOutcome::UnknownSchema(_))
    ));
}
