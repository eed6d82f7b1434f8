//! Determinism of the generator on the real `schemas/` folder: generating
//! twice gives byte-identical files, and the output does not depend on the
//! order in which the schema files were read (insertion order, or the order a
//! directory listing returns them in).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kimoby_codegen::{GeneratedFiles, Options, SchemaFolder, generate, generate_from};

fn schema_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// `(file name, text)` of every `*.json` file of the real schema folder, sorted.
fn schema_texts() -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = std::fs::read_dir(schema_directory())
        .expect("list schemas/")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read_to_string(&path).expect("read a schema file"))
        })
        .collect();
    texts.sort();
    assert!(
        texts.len() > 10,
        "expected the real schema folder, found {} files",
        texts.len()
    );
    texts
}

fn generate_from_texts(texts: impl IntoIterator<Item = (String, String)>) -> GeneratedFiles {
    let mut files = BTreeMap::new();
    for (name, text) in texts {
        files.insert(name, text);
    }
    let folder = SchemaFolder::from_texts(files).expect("parse the schema folder");
    generate_from(&folder, &Options::default()).expect("generate from the schema folder")
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

#[test]
fn output_does_not_depend_on_the_order_files_are_read_in() {
    let texts = schema_texts();
    let sorted = generate_from_texts(texts.clone());
    let reversed = generate_from_texts(texts.iter().rev().cloned());
    assert_same_output(&sorted, &reversed, "files read in reverse order");
    // Interleaved: every other file first, then the rest.
    let interleaved = texts.iter().step_by(2).chain(texts.iter().skip(1).step_by(2)).cloned();
    assert_same_output(&sorted, &generate_from_texts(interleaved), "files read interleaved");
    let from_directory = generate(&schema_directory()).expect("generate from schemas/");
    assert_same_output(&sorted, &from_directory, "files read from the directory listing");
}

#[test]
fn output_does_not_depend_on_directory_listing_order() {
    // A copy of the folder whose files were created in reverse name order, so
    // the directory lists them in a different order than `schemas/`.
    let copy = std::env::temp_dir().join(format!("kimoby-codegen-determinism-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy).expect("create a temporary folder");
    for (name, text) in schema_texts().iter().rev() {
        std::fs::write(copy.join(name), text).expect("copy a schema file");
    }
    let copied = generate(&copy);
    std::fs::remove_dir_all(&copy).expect("remove the temporary folder");
    let original = generate(&schema_directory()).expect("generate from schemas/");
    assert_same_output(&original, &copied.expect("generate from the copy"), "copied folder");
}
