//! Maintainer tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`):
//!
//! - `cargo xtask codegen`: regenerate `kimoby-generated/src/generated/` from `schemas/`;
//! - `cargo xtask codegen --check`: fail, with a diff, if the committed files are stale;
//! - `cargo xtask test`: install the Python checkers if missing, then run every test.

mod codegen;
mod test;

use anyhow::bail;

fn main() -> anyhow::Result<()> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    match arguments.as_slice() {
        ["codegen"] => run_codegen(codegen::Mode::Write),
        ["codegen", "--check"] => run_codegen(codegen::Mode::Check),
        ["test"] => test::run(),
        _ => bail!("usage: cargo xtask codegen [--check] | cargo xtask test"),
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

/// The workspace root (the parent of `xtask/`).
fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
