//! `cargo xtask release-check`: what must hold before a release, one line
//! per result.
//!
//! 1. The generated files are fresh (`cargo xtask codegen --check`).
//! 2. `kimoby-generated` and `kimoby-mock` package and build from their
//!    `.crate` files (`cargo package`, which verifies each against the other).
//! 3. `kimoby-generated` against the last release tag (`v*`), with
//!    cargo-semver-checks: the version in `Cargo.toml` must be high enough for
//!    what changed since. Without a tag (nothing released yet) this says so.
//!
//! Every check runs even when an earlier one fails; the task fails if any did.

use std::process::Command;

use anyhow::{Context, bail};

use crate::codegen;

/// The published crates, in the order `cargo package` verifies them.
const PUBLISHED: [&str; 2] = ["kimoby-generated", "kimoby-mock"];

pub fn run() -> anyhow::Result<()> {
    let root = crate::workspace_root();
    let mut results = Vec::new();

    let fresh = codegen::run(
        codegen::Mode::Check,
        &root.join(codegen::SCHEMA_DIRECTORY),
        &root.join(codegen::OUTPUT_ROOT),
    );
    results.push(("generated files are fresh", fresh.map(|()| "yes".to_owned())));

    let mut package = Command::new(crate::cargo());
    package.current_dir(&root).args(["package", "--quiet", "--allow-dirty"]);
    for name in PUBLISHED {
        package.args(["-p", name]);
    }
    results.push((
        "packages build from their .crate files",
        succeeded(&mut package, "cargo package").map(|()| PUBLISHED.join(", ")),
    ));

    results.push(("kimoby-generated against the last release", semver_against_last_tag(&root)));

    let mut failed = 0;
    for (check, result) in &results {
        match result {
            Ok(found) => println!("release-check: ok: {check}: {found}"),
            Err(error) => {
                failed += 1;
                println!("release-check: FAILED: {check}: {error:#}");
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} release checks failed", results.len());
    }
    Ok(())
}

/// The semver check of `kimoby-generated` against the newest `v*` tag, or
/// a note that there is none.
fn semver_against_last_tag(root: &std::path::Path) -> anyhow::Result<String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["describe", "--tags", "--abbrev=0", "--match", "v*"])
        .output()
        .context("running git describe")?;
    if !output.status.success() {
        return Ok("no release tag (v*) yet: nothing to compare with".to_owned());
    }
    let tag = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let semver_checks = crate::semver::install_semver_checks(root)?;
    let mut check = Command::new(semver_checks);
    check
        .current_dir(root)
        .args(["semver-checks", "--package", "kimoby-generated", "--all-features", "--baseline-rev"])
        .arg(&tag);
    succeeded(&mut check, "cargo semver-checks")?;
    Ok(format!("the version is high enough for the changes since {tag}"))
}

fn succeeded(command: &mut Command, shown: &str) -> anyhow::Result<()> {
    let status = command.status().with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}
