//! Maintainer tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`):
//!
//! - `cargo xtask codegen`: regenerate `kimoby-generated/src/generated/` from `schemas/`;
//! - `cargo xtask codegen --check`: fail, with a diff, if the committed files are stale;
//! - `cargo xtask test`: install the Python checkers if missing, then run every test;
//! - `cargo xtask semver`: check which schema changes cargo-semver-checks
//!   finds minor and which major, on a fixture API (part of `test`);
//! - `cargo xtask release-check`: codegen check, packaging, and semver
//!   against the last release tag, one line per result;
//! - `cargo xtask contract learn REPORT... [--write]`: the schema edits that
//!   make the strict profile accept what departure reports saw, their
//!   consequence for the bindings and the release they need.

mod codegen;
mod contract;
mod release_check;
mod semver;
mod test;

use anyhow::bail;

fn main() -> anyhow::Result<()> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    match arguments.as_slice() {
        ["codegen"] => run_codegen(codegen::Mode::Write),
        ["codegen", "--check"] => run_codegen(codegen::Mode::Check),
        ["test"] => test::run(),
        ["semver"] => run_semver(),
        ["release-check"] => release_check::run(),
        ["contract", rest @ ..] => contract::run(rest),
        _ => bail!(
            "usage: cargo xtask codegen [--check] | cargo xtask test | cargo xtask semver | cargo xtask release-check | cargo xtask contract learn REPORT... [--write]"
        ),
    }
}

/// `cargo xtask codegen [--check]` on the workspace's `schemas/` and `kimoby-generated/src/`.
fn run_codegen(mode: codegen::Mode) -> anyhow::Result<()> {
    let root = workspace_root();
    codegen::run(
        mode,
        &root.join(codegen::SCHEMA_DIRECTORY),
        &root.join(codegen::OUTPUT_ROOT),
    )
}

/// `cargo xtask semver`: the scenarios of the fixture API, then
/// `contract learn`'s verdicts on `tests/contract_learn/`, with the same
/// cargo-semver-checks.
fn run_semver() -> anyhow::Result<()> {
    let semver_checks = semver::run()?;
    contract::check_fixtures(&workspace_root(), &semver_checks)
}

/// The workspace root (the parent of `xtask/`).
fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// The cargo target directory: `CARGO_TARGET_DIR`, or `target/` in `root`.
fn target_directory(root: &std::path::Path) -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), std::path::PathBuf::from)
}

/// The cargo that runs this task (`CARGO`), or the one on the `PATH`.
fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs `command`, shown in the log as `$ {shown}`; fails unless it succeeds.
fn run_command(command: &mut std::process::Command, shown: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    eprintln!("$ {shown}");
    let status = command.status().with_context(|| format!("starting `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}
