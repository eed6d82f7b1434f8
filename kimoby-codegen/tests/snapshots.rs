//! Snapshot tests of the generator, one per fixture case, in the style of
//! typify's own `tests/schemas.rs`: every folder under `tests/fixtures/` is a
//! small schema folder (schema files plus an `openapi.json` telling requests
//! from responses) exercising one generator feature; its generated files are
//! compared with `tests/snapshots/<case>/`. Run
//! `EXPECTORATE=overwrite cargo test -p kimoby-codegen --test snapshots` to
//! accept new output, then review the diff. `tests/snapshots_compile.rs`
//! compiles every snapshot and checks how the types behave.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kimoby_codegen::{Options, SCHEMAS_FILE, SchemaFolder, TYPES_FILE, generate_from};

fn tests_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The names of the sub-folders of `directory`, sorted.
fn case_names(directory: &Path) -> BTreeSet<String> {
    std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", directory.display()))
        .map(|entry| entry.expect("directory entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().into_string().expect("UTF-8 case name"))
        .collect()
}

#[test]
fn every_fixture_generates_its_snapshot() {
    let fixtures = tests_directory().join("fixtures");
    let cases = case_names(&fixtures);
    assert!(!cases.is_empty(), "no fixture case under {}", fixtures.display());
    let overwrite = std::env::var_os("EXPECTORATE").is_some_and(|value| value == "overwrite");
    for case in &cases {
        let folder = SchemaFolder::read(&fixtures.join(case)).unwrap_or_else(|error| panic!("{case}: {error}"));
        let generated = generate_from(&folder, &Options::default()).unwrap_or_else(|error| panic!("{case}: {error}"));
        let snapshot = tests_directory().join("snapshots").join(case);
        if overwrite {
            std::fs::create_dir_all(&snapshot).expect("create the snapshot folder");
        }
        for (output, snapshot_file) in [(TYPES_FILE, "types.rs"), (SCHEMAS_FILE, "schemas.rs")] {
            let contents = generated
                .files
                .get(output)
                .unwrap_or_else(|| panic!("{case}: {output} was not generated"));
            expectorate::assert_contents(snapshot.join(snapshot_file), contents);
        }
    }
}

#[test]
fn every_fixture_has_a_snapshot_and_every_snapshot_a_fixture() {
    let fixtures = case_names(&tests_directory().join("fixtures"));
    let snapshots = case_names(&tests_directory().join("snapshots"));
    let without_snapshot: Vec<_> = fixtures.difference(&snapshots).collect();
    let without_fixture: Vec<_> = snapshots.difference(&fixtures).collect();
    assert!(
        without_snapshot.is_empty(),
        "fixtures without a snapshot (run with EXPECTORATE=overwrite): {without_snapshot:?}"
    );
    assert!(
        without_fixture.is_empty(),
        "snapshots whose fixture is gone (delete them): {without_fixture:?}"
    );
}

#[test]
fn every_snapshot_is_compiled_by_snapshots_compile() {
    let source =
        std::fs::read_to_string(tests_directory().join("snapshots_compile.rs")).expect("read snapshots_compile.rs");
    let missing: Vec<_> = case_names(&tests_directory().join("fixtures"))
        .into_iter()
        .filter(|case| {
            !source.contains(&format!("#[path = \"snapshots/{case}/types.rs\"]"))
                || !source.contains(&format!("#[path = \"snapshots/{case}/schemas.rs\"]"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "cases whose snapshot tests/snapshots_compile.rs does not include (types.rs and schemas.rs): {missing:?}"
    );
}
