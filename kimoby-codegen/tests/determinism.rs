//! Determinism of the generator on the real `schemas/` folder: generating
//! several times in one process gives byte-identical files. Each run builds
//! its maps anew, and every `HashMap` of a process gets its own random
//! hashing keys, so a map iterated in hash order anywhere on the way to the
//! output makes the runs differ. (The order the files are read in cannot
//! matter: the folder is read into a sorted map first.)

use std::path::{Path, PathBuf};

use kimoby_codegen::{GeneratedFiles, generate};

fn schema_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// Names the first differing file instead of dumping two whole outputs.
fn assert_same_output(expected: &GeneratedFiles, actual: &GeneratedFiles, what: &str) {
    assert_eq!(
        expected.files.keys().collect::<Vec<_>>(),
        actual.files.keys().collect::<Vec<_>>(),
        "{what}: different sets of files"
    );
    for (path, contents) in &expected.files {
        assert!(actual.files[path] == *contents, "{what}: {path} differs");
    }
}

#[test]
fn generating_twice_from_the_real_schemas_is_byte_identical() {
    let first = generate(&schema_directory()).expect("generate from schemas/");
    for _ in 0..2 {
        let again = generate(&schema_directory()).expect("generate from schemas/");
        assert_same_output(&first, &again, "second run");
    }
}
