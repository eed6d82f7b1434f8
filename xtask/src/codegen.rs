//! `cargo xtask codegen [--check]`: generates every file in memory with
//! kimoby-codegen, then either writes the ones that changed (and removes
//! generated files that no longer have a source) or, with `--check`, prints a
//! diff of each stale file and fails. Nothing is written unless generation
//! succeeded for every file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write the files that differ.
    Write,
    /// Fail if any file differs.
    Check,
}

/// The folder holding the generated files, relative to the workspace root.
const GENERATED_DIRECTORY: &str = "kimoby-generated/src/generated";
/// What the generated paths are relative to.
const OUTPUT_ROOT: &str = "kimoby-generated/src";

pub fn run(mode: Mode) -> anyhow::Result<()> {
    let root = crate::workspace_root();
    let schemas = root.join("schemas");
    let generated =
        kimoby_codegen::generate(&schemas).with_context(|| format!("generating from {}", schemas.display()))?;
    let wanted: BTreeMap<PathBuf, String> = generated
        .files
        .into_iter()
        .map(|(relative, contents)| (root.join(OUTPUT_ROOT).join(relative), contents))
        .collect();
    let mut drifted = Vec::new();
    for (path, contents) in &wanted {
        ensure_file_contents(mode, &root, path, contents, &mut drifted)?;
    }
    for stale in files_without_source(&root.join(GENERATED_DIRECTORY), &wanted)? {
        let shown = display(&root, &stale);
        match mode {
            Mode::Write => {
                fs::remove_file(&stale).with_context(|| format!("removing {shown}"))?;
                eprintln!("removed {shown} (no longer generated)");
            }
            Mode::Check => {
                eprintln!("{shown} is no longer generated but still exists");
                drifted.push(shown);
            }
        }
    }
    if !drifted.is_empty() {
        bail!(
            "{} generated file(s) are stale: {}\nrun `cargo xtask codegen` and commit the result",
            drifted.len(),
            drifted.join(", ")
        );
    }
    Ok(())
}

/// Writes `contents` to `path` if it differs (through a temporary file and a
/// rename, so a reader never sees half a file), or in check mode prints a diff
/// and records the file as drifted.
fn ensure_file_contents(
    mode: Mode,
    root: &Path,
    path: &Path,
    contents: &str,
    drifted: &mut Vec<String>,
) -> anyhow::Result<()> {
    let shown = display(root, path);
    let current = match fs::read_to_string(path) {
        Ok(current) => Some(current),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error).with_context(|| format!("reading {shown}")),
    };
    if current.as_deref() == Some(contents) {
        return Ok(());
    }
    match mode {
        Mode::Check => {
            let before = current.as_deref().unwrap_or("");
            let diff = similar::TextDiff::from_lines(before, contents);
            eprintln!(
                "{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header(&format!("{shown} (committed)"), &format!("{shown} (generated)"))
            );
            drifted.push(shown);
        }
        Mode::Write => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            let temporary = path.with_extension("rs.tmp");
            fs::write(&temporary, contents).with_context(|| format!("writing {}", temporary.display()))?;
            fs::rename(&temporary, path).with_context(|| format!("replacing {shown}"))?;
            eprintln!("updated {shown}");
        }
    }
    Ok(())
}

/// Files in the generated folder that the generator no longer produces.
fn files_without_source(directory: &Path, wanted: &BTreeMap<PathBuf, String>) -> anyhow::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let Ok(entries) = fs::read_dir(directory) else {
        return Ok(stale);
    };
    for entry in entries {
        let path = entry
            .with_context(|| format!("listing {}", directory.display()))?
            .path();
        if path.is_file() && !wanted.contains_key(&path) {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    /// `cargo test` fails when someone edits a schema or the generator without
    /// regenerating, or edits a generated file by hand.
    #[test]
    fn generated_files_are_fresh() {
        if let Err(error) = super::run(super::Mode::Check) {
            panic!("{error:#}");
        }
    }
}
