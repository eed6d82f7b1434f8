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
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["test"] => test::run(),
        _ => bail!("usage: cargo xtask codegen [--check] | cargo xtask test"),
    }
}

/// The workspace root (the parent of `xtask/`).
fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
