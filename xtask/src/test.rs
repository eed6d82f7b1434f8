//! `cargo xtask test`: the one command that runs every test on a fresh
//! machine. Installs the Python tools the tests call (OpenAPI validator) when
//! they are missing, runs schemathesis against the mock (it installs its own
//! pinned copy), then the checks of `schemas/` and `schemas/tolerant/` from
//! Python, JavaScript and TypeScript (`tests/ecosystems/run.sh`, once per
//! profile, which installs its own pinned tools with pip in a venv and
//! `npm ci`), then the generator client suite (`tests/ecosystems/clients/run.sh`:
//! openapi-python-client, openapi-generator `python` and `typescript-fetch`,
//! openapi-typescript with openapi-fetch, each driving the mock through every
//! operation, strict and tolerant; it installs its own pinned tools and needs
//! Java 17), then the semver check of `cargo xtask semver` (which installs
//! its pinned cargo-semver-checks, and checks `cargo xtask contract learn`'s
//! verdicts on `tests/contract_learn/`), then the workspace tests with every
//! feature, and the `kimoby-generated` tests once more without default
//! features (types only).

use std::process::Command;

use anyhow::Context;

use crate::run_command;

pub fn run() -> anyhow::Result<()> {
    let root = crate::workspace_root();
    ensure_python_tools(&root)?;
    let cargo = crate::cargo();
    run_command(
        Command::new("bash")
            .current_dir(&root)
            .arg("kimoby-mock/tests/schemathesis/run.sh"),
        "bash kimoby-mock/tests/schemathesis/run.sh (the mock never answers 5xx and matches the manifest)",
    )?;
    for profile in ["strict", "tolerant"] {
        run_command(
            Command::new("bash")
                .current_dir(&root)
                .args(["tests/ecosystems/run.sh", "--profile", profile]),
            &format!(
                "bash tests/ecosystems/run.sh --profile {profile} (Python, JavaScript and TypeScript tools agree with the Rust validator)"
            ),
        )?;
    }
    run_command(
        Command::new("bash")
            .current_dir(&root)
            .arg("tests/ecosystems/clients/run.sh"),
        "bash tests/ecosystems/clients/run.sh (a client from each of four generators, from schemas/bundled/, completes the 28 operations and the look-ups against the mock)",
    )?;
    eprintln!("$ cargo xtask semver (which schema changes are minor, which major)");
    crate::run_semver()?;
    run_command(
        Command::new(&cargo)
            .current_dir(&root)
            .args(["test", "--workspace", "--all-features"]),
        "cargo test --workspace --all-features",
    )?;
    run_command(
        Command::new(&cargo)
            .current_dir(&root)
            .args(["test", "-p", "kimoby-generated", "--no-default-features"]),
        "cargo test -p kimoby-generated --no-default-features",
    )?;
    Ok(())
}

/// `pip install -r tests/openapi/requirements.txt` unless the modules import.
fn ensure_python_tools(root: &std::path::Path) -> anyhow::Result<()> {
    let present = Command::new("python3")
        .args([
            "-c",
            "import openapi_spec_validator, jsonschema_path, referencing, jsonschema",
        ])
        .status()
        .context("running python3 (is Python 3 installed?)")?
        .success();
    if present {
        return Ok(());
    }
    eprintln!("installing the Python test tools from tests/openapi/requirements.txt");
    run_command(
        Command::new("python3").current_dir(root).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            "tests/openapi/requirements.txt",
        ]),
        "pip install -r tests/openapi/requirements.txt",
    )
}
