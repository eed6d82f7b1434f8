//! Checks that `schemas/openapi.json` is a valid OpenAPI 3.1 manifest by running
//! `tests/openapi/validate_openapi.py` (openapi-spec-validator, offline, plus the
//! project's checks: the 28 operationIds, file `$ref`s, 401/429/5XX on every operation).
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
