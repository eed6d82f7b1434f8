//! `cargo xtask release-check`: what must hold before a release, one line
//! per result.
//!
//! 1. The generated files are fresh (`cargo xtask codegen --check`).
//! 2. `kimoby-contract`, `kimoby-generated` and `kimoby-mock` package and build from their
//!    `.crate` files (`cargo package`, which verifies each against the other).
//! 3. `kimoby-generated` against the last release tag (`v*`), with
//!    cargo-semver-checks: the version in `Cargo.toml` must be high enough for
//!    what changed since. Without a tag (nothing released yet) this says so.
//!
//! Every check runs even when an earlier one fails; the task fails if any did.

use std::process::Command;

use anyhow::{Context, bail};

use crate::{codegen, run_command};

/// The published crates, in the order `cargo package` verifies them.
const PUBLISHED: [&str; 3] = ["kimoby-contract", "kimoby-generated", "kimoby-mock"];

pub fn run() -> anyhow::Result<()> {
    let root = crate::workspace_root();
    let mut results = Vec::new();

    let fresh = codegen::run(
        codegen::Mode::Check,
        &root.join(codegen::SCHEMA_DIRECTORY),
        &root.join(codegen::OUTPUT_ROOT),
    );
    results.push(("generated files are fresh", fresh.map(|()| "yes".to_owned())));

    clear_unpacked_packages()?;
    // Built earlier from a `.crate` of the same version, they would be reused
    // as they are: cargo takes a registry package's version for its contents.
    let mut clean = Command::new(crate::cargo());
    clean.current_dir(&root).args(["clean", "--quiet"]);
    for name in PUBLISHED {
        clean.args(["-p", name]);
    }
    run_command(&mut clean, "cargo clean")?;
    let mut package = Command::new(crate::cargo());
    package.current_dir(&root).args(["package", "--quiet", "--allow-dirty"]);
    for name in PUBLISHED {
        package.args(["-p", name]);
    }
    results.push((
        "packages build from their .crate files",
        run_command(&mut package, "cargo package").map(|()| PUBLISHED.join(", ")),
    ));

    results.push((
        "kimoby-generated against the last release",
        semver_against_last_tag(&root),
    ));

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

/// Removes the copies of the published crates that earlier `cargo package`
/// runs unpacked into cargo's home.
///
/// Verification serves the new `.crate` files through a local registry,
/// which cargo unpacks into `<cargo home>/registry/src/-<hash of its path>/`;
/// an unpacked version already there is reused without comparing contents,
/// so a second run from the same target directory would build `kimoby-mock`
/// against the `kimoby-generated` of the first. Only those local registries'
/// folders (named `-<hash>`) are touched, and in them only these crates.
fn clear_unpacked_packages() -> anyhow::Result<()> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".cargo")));
    let Some(sources) = cargo_home.map(|home| home.join("registry").join("src")) else {
        return Ok(());
    };
    let Ok(registries) = std::fs::read_dir(&sources) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for unpacked in std::fs::read_dir(registry.path()).into_iter().flatten().flatten() {
            let name = unpacked.file_name().to_string_lossy().into_owned();
            if PUBLISHED
                .iter()
                .any(|crate_name| name.starts_with(&format!("{crate_name}-")))
            {
                std::fs::remove_dir_all(unpacked.path())
                    .with_context(|| format!("removing {}", unpacked.path().display()))?;
            }
        }
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
        .args([
            "semver-checks",
            "--package",
            "kimoby-generated",
            "--all-features",
            "--baseline-rev",
        ])
        .arg(&tag);
    run_command(&mut check, "cargo semver-checks")?;
    Ok(format!("the version is high enough for the changes since {tag}"))
}
