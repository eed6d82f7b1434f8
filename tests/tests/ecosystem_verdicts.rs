//! The Rust validator's verdict on every fixture (`tests/fixtures/valid`,
//! `invalid`, `evolved`), for both profiles, as committed in
//! `tests/ecosystems/verdicts/<profile>.json`: the other ecosystems' checks
//! (`tests/ecosystems/run.sh`) must give the same verdict, fixture by
//! fixture. The strict profile accepts every valid fixture and refuses every
//! invalid and evolved one; the tolerant profile accepts every valid and
//! evolved fixture, and refuses what the generated types cannot read either.
//!
//! Run with `KIMOBY_WRITE_VERDICTS=1` to rewrite the files after a fixture
//! or schema change, then review the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kimoby_generated::schemas::Profile;
use kimoby_generated::validate::Validator;
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `(kind/stem/name.json, payload)` of every fixture, sorted.
fn fixtures() -> Vec<(String, String, Value)> {
    let root = workspace().join("tests/fixtures");
    let mut found = Vec::new();
    for kind in ["valid", "invalid", "evolved"] {
        let Ok(stems) = std::fs::read_dir(root.join(kind)) else {
            continue;
        };
        for stem in stems {
            let stem = stem.unwrap().path();
            if !stem.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&stem).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                let relative = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
                let schema = format!("{}.json", stem.file_name().unwrap().to_string_lossy());
                found.push((relative, schema, serde_json::from_str(&text).unwrap()));
            }
        }
    }
    found.sort_by(|left, right| left.0.cmp(&right.0));
    found
}

fn verdicts(profile: Profile) -> BTreeMap<String, bool> {
    let validator = Validator::for_profile(profile).unwrap();
    fixtures()
        .into_iter()
        .map(|(path, schema, payload)| {
            assert!(
                validator.schema_names().any(|name| name == schema),
                "{path}: no schema {schema}"
            );
            let accepted = validator.is_valid(&schema, &payload);
            (path, accepted)
        })
        .collect()
}

fn check_or_write(profile: Profile, name: &str) -> BTreeMap<String, bool> {
    let computed = verdicts(profile);
    let file = workspace()
        .join("tests/ecosystems/verdicts")
        .join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(&computed).unwrap() + "\n";
    if std::env::var_os("KIMOBY_WRITE_VERDICTS").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == text,
        "{} differs from the Rust validator's verdicts: run `KIMOBY_WRITE_VERDICTS=1 cargo test -p kimoby-tests --test ecosystem_verdicts` and review the diff",
        file.display()
    );
    computed
}

#[test]
fn strict_verdicts_are_the_fixture_kinds_and_are_committed() {
    for (path, accepted) in check_or_write(Profile::Strict, "strict") {
        assert_eq!(accepted, path.starts_with("valid/"), "{path}");
    }
}

#[test]
fn tolerant_verdicts_accept_every_valid_and_evolved_fixture_and_are_committed() {
    let verdicts = check_or_write(Profile::Tolerant, "tolerant");
    for (path, accepted) in &verdicts {
        if !path.starts_with("invalid/") {
            assert!(accepted, "{path}");
        }
    }
    // Request bodies stay strict: every invalid request fixture is refused.
    for (path, accepted) in &verdicts {
        if path.starts_with("invalid/") && path.contains("_request") {
            assert!(!accepted, "{path}");
        }
    }
    assert!(verdicts.values().filter(|accepted| !**accepted).count() > 100);
}
