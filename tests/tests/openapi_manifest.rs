//! Checks that `schemas/openapi.json` is a valid OpenAPI 3.1 manifest by running
//! `tests/openapi/validate_openapi.py` (openapi-spec-validator, offline, plus the
//! project's checks: the 28 operationIds, file `$ref`s, 401/429/5XX on every operation,
//! the response links, the `x-kimoby-*` extensions against
//! `kimoby-contract/extensions.schema.json`).
//!
//! Needs Python 3 with `pip install -r tests/openapi/requirements.txt`; the test fails
//! (it is never skipped) when the validator is missing.

use std::path::PathBuf;
use std::process::Command;

/// Exit status of the script when a Python module is missing.
const EXIT_MISSING_DEPENDENCY: i32 = 3;
const INSTALL_HINT: &str = "pip install -r tests/openapi/requirements.txt";

#[test]
fn openapi_manifest_is_valid_openapi_3_1() {
    let workspace_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new("python3")
        .arg("tests/openapi/validate_openapi.py")
        .current_dir(&workspace_root)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `python3` ({err}): install Python 3, then `{INSTALL_HINT}`"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let missing_module =
        output.status.code() == Some(EXIT_MISSING_DEPENDENCY) || report.contains("ModuleNotFoundError");
    assert!(
        !missing_module,
        "the OpenAPI validator is not installed: run `{INSTALL_HINT}` from {}\n{report}",
        workspace_root.display()
    );
    assert!(
        output.status.success(),
        "schemas/openapi.json is invalid ({}):\n{report}",
        output.status
    );
}

/// Runs the validator on a copy of `schemas/` whose manifest `break_manifest`
/// changed, in a temporary folder named after `case`: its exit status and
/// standard output. Fails if the validator is not installed.
fn validate_broken_copy(case: &str, break_manifest: impl FnOnce(&mut serde_json::Value)) -> (bool, String) {
    let workspace_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let folder = std::env::temp_dir().join(format!("kimoby-broken-{case}-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("creating a temporary folder");
    for entry in std::fs::read_dir(workspace_root.join("schemas")).expect("reading schemas/") {
        let path = entry.expect("listing schemas/").path();
        if path.extension().is_some_and(|extension| extension == "json") {
            std::fs::copy(&path, folder.join(path.file_name().expect("a file name"))).expect("copying a schema");
        }
    }
    let manifest_path = folder.join("openapi.json");
    let text = std::fs::read_to_string(&manifest_path).expect("reading the copied manifest");
    let mut manifest: serde_json::Value = serde_json::from_str(&text).expect("the manifest is JSON");
    break_manifest(&mut manifest);
    std::fs::write(&manifest_path, manifest.to_string()).expect("writing the broken manifest");

    let output = Command::new("python3")
        .arg("tests/openapi/validate_openapi.py")
        .arg(&manifest_path)
        .current_dir(&workspace_root)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `python3` ({err}): install Python 3, then `{INSTALL_HINT}`"));
    std::fs::remove_dir_all(&folder).expect("removing the temporary folder");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_ne!(
        output.status.code(),
        Some(EXIT_MISSING_DEPENDENCY),
        "the OpenAPI validator is not installed: run `{INSTALL_HINT}`\n{report}"
    );
    (output.status.success(), report)
}

/// A link whose `operationId` names no operation makes the validator fail, and
/// the report says which link and why (the link checks are not a no-op).
#[test]
fn link_to_an_unknown_operation_is_rejected() {
    let (accepted, report) = validate_broken_copy("link", |manifest| {
        let operation_id = manifest
            .pointer_mut("/components/links/RetrieveInvoice/operationId")
            .expect("the manifest declares the RetrieveInvoice link");
        *operation_id = serde_json::Value::from("getInvoice");
    });
    assert!(!accepted, "a link to `getInvoice` was accepted:\n{report}");
    assert!(
        report.contains("links/RetrieveInvoice (#/components/links/RetrieveInvoice): operationId 'getInvoice' is not an operation of paths"),
        "the report does not name the broken link:\n{report}"
    );
}

/// A malformed `x-kimoby-pagination` (a key missing) makes the validator
/// fail at the extension, from the one JSON Schema of the extensions.
#[test]
fn malformed_extension_is_rejected_by_the_extension_schema() {
    let (accepted, report) = validate_broken_copy("extension", |manifest| {
        manifest
            .pointer_mut("/paths/~1customers/get/x-kimoby-pagination")
            .and_then(serde_json::Value::as_object_mut)
            .expect("the customer list is paginated")
            .remove("items");
    });
    assert!(!accepted, "the malformed pagination was accepted:\n{report}");
    assert!(
        report.contains("#/paths/~1customers/get/x-kimoby-pagination: 'items' is a required property"),
        "the report does not name the malformed extension:\n{report}"
    );
}
