//! `cargo xtask codegen [--check]`: generates every file in memory with
//! kimoby-codegen (the Rust of `kimoby-generated`, the tolerant profile
//! `schemas/tolerant/` and the single-file manifests `schemas/bundled/`), then either writes the ones that changed (and
//! removes generated files that no longer have a source) or, with `--check`,
//! prints a diff of each stale file and fails. Nothing is written unless
//! generation succeeded for every file.

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

/// The schema folder, relative to the workspace root.
pub const SCHEMA_DIRECTORY: &str = "schemas";
/// What the generated paths are relative to, relative to the workspace root.
pub const OUTPUT_ROOT: &str = "kimoby-generated/src";
/// The folder holding the generated files, relative to the output root: a
/// file in it that the generator no longer produces is stale.
const GENERATED_DIRECTORY: &str = "generated";

/// Generates from `schema_directory` and writes (or, in check mode, compares)
/// the files under `output_root` (`kimoby-generated/src` for the CLI).
pub fn run(mode: Mode, schema_directory: &Path, output_root: &Path) -> anyhow::Result<()> {
    let root = crate::workspace_root();
    let generated = kimoby_codegen::generate(schema_directory)
        .with_context(|| format!("generating from {}", schema_directory.display()))?;
    let wanted: BTreeMap<PathBuf, String> = generated
        .files
        .into_iter()
        .map(|(relative, contents)| (output_root.join(relative), contents))
        .chain(
            generated
                .schema_files
                .into_iter()
                .map(|(relative, contents)| (schema_directory.join(relative), contents)),
        )
        .collect();
    let mut drifted = Vec::new();
    for (path, contents) in &wanted {
        ensure_file_contents(mode, &root, path, contents, &mut drifted)?;
    }
    let mut without_source = files_without_source(&output_root.join(GENERATED_DIRECTORY), &wanted)?;
    for generated_schema_directory in [
        kimoby_codegen::emit::tolerant::TOLERANT_DIRECTORY,
        kimoby_codegen::emit::bundled_manifest::BUNDLED_DIRECTORY,
    ] {
        without_source.extend(files_without_source(
            &schema_directory.join(generated_schema_directory),
            &wanted,
        )?);
    }
    for stale in without_source {
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

/// Files in the generated folder (and its subfolders) that the generator no
/// longer produces.
fn files_without_source(directory: &Path, wanted: &BTreeMap<PathBuf, String>) -> anyhow::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.with_context(|| format!("listing {}", folder.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.is_file() && !wanted.contains_key(&path) {
                stale.push(path);
            }
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
    //! The workspace's generated files are fresh, and `run` writes nothing
    //! unless every file was generated, reports stale files in check mode
    //! without touching them, and removes files that lost their source.

    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use super::{Mode, run};

    /// `cargo test` fails when someone edits a schema or the generator without
    /// regenerating, or edits a generated file by hand.
    #[test]
    fn generated_files_are_fresh() {
        let root = crate::workspace_root();
        let schemas = root.join(super::SCHEMA_DIRECTORY);
        if let Err(error) = run(Mode::Check, &schemas, &root.join(super::OUTPUT_ROOT)) {
            panic!("{error:#}");
        }
    }

    /// A fresh directory under the system temporary folder, removed on drop.
    struct TemporaryDirectory(PathBuf);

    impl TemporaryDirectory {
        fn new(label: &str) -> Self {
            let path = std::env::temp_dir().join(format!("xtask-codegen-{label}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).expect("create a temporary directory");
            Self(path)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TemporaryDirectory {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A copy of one of kimoby-codegen's fixture schema folders, in `directory/schemas`.
    fn fixture_schemas(directory: &Path) -> PathBuf {
        let fixture = crate::workspace_root().join("kimoby-codegen/tests/fixtures/open_response_enum");
        let schemas = directory.join("schemas");
        std::fs::create_dir_all(&schemas).unwrap();
        for entry in std::fs::read_dir(&fixture).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, schemas.join(path.file_name().unwrap())).unwrap();
        }
        schemas
    }

    /// Every file under `directory` (recursively), by path, with its contents.
    fn tree(directory: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut found = BTreeMap::new();
        let mut pending = vec![directory.to_path_buf()];
        while let Some(current) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&current) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    found.insert(path.clone(), std::fs::read(&path).unwrap());
                }
            }
        }
        found
    }

    #[test]
    fn one_bad_schema_fails_the_run_and_nothing_is_written() {
        let directory = TemporaryDirectory::new("bad-schema");
        let schemas = fixture_schemas(directory.path());
        std::fs::write(schemas.join("zz_broken.json"), r#"{"type": "object"}"#).unwrap();
        let output = directory.path().join("output");
        std::fs::create_dir_all(output.join("generated")).unwrap();
        std::fs::write(output.join("generated/types.rs"), "// committed by hand\n").unwrap();
        std::fs::write(output.join("generated/retired.rs"), "// no source any more\n").unwrap();
        std::fs::write(output.join("lib.rs"), "// not generated\n").unwrap();
        let before = tree(&output);

        let error = run(Mode::Write, &schemas, &output).expect_err("a schema has no title");

        assert!(format!("{error:#}").contains("zz_broken.json#/title"), "{error:#}");
        assert_eq!(tree(&output), before, "the output changed although generation failed");
    }

    #[test]
    fn one_bad_schema_creates_no_output_folder() {
        let directory = TemporaryDirectory::new("bad-schema-empty-output");
        let schemas = fixture_schemas(directory.path());
        std::fs::write(schemas.join("zz_broken.json"), "{ not json").unwrap();
        let output = directory.path().join("output");

        let error = run(Mode::Write, &schemas, &output).expect_err("a schema is not JSON");

        assert!(
            format!("{error:#}").contains("zz_broken.json: not valid JSON"),
            "{error:#}"
        );
        assert!(!output.exists(), "the output folder was created");
    }

    #[test]
    fn write_mode_creates_the_files_and_check_mode_then_passes() {
        let directory = TemporaryDirectory::new("write-then-check");
        let schemas = fixture_schemas(directory.path());
        let output = directory.path().join("output");

        run(Mode::Write, &schemas, &output).expect("generate into an empty folder");

        let written = tree(&output);
        let types = written
            .get(&output.join(kimoby_codegen::TYPES_FILE))
            .expect("types.rs is written");
        assert!(String::from_utf8_lossy(types).contains("pub struct Ticket"));
        assert!(
            written
                .keys()
                .all(|path| path.extension().is_some_and(|extension| extension == "rs"))
        );
        run(Mode::Check, &schemas, &output).expect("freshly written files are not stale");
        run(Mode::Write, &schemas, &output).expect("writing again is a no-op");
        assert_eq!(tree(&output), written);
    }

    #[test]
    fn check_mode_fails_on_a_stale_file_naming_it_and_leaves_it_unchanged() {
        let directory = TemporaryDirectory::new("check-stale");
        let schemas = fixture_schemas(directory.path());
        let output = directory.path().join("output");
        run(Mode::Write, &schemas, &output).unwrap();
        let types = output.join(kimoby_codegen::TYPES_FILE);
        let edited = std::fs::read_to_string(&types)
            .unwrap()
            .replace("pub struct Ticket", "pub struct Tiket");
        std::fs::write(&types, &edited).unwrap();
        let before = tree(&output);

        let error = run(Mode::Check, &schemas, &output).expect_err("types.rs was edited by hand");

        let message = format!("{error:#}");
        assert!(message.contains("1 generated file(s) are stale"), "{message}");
        assert!(message.contains("generated/types.rs"), "{message}");
        assert!(
            !message.contains("schemas.rs"),
            "only the edited file is stale: {message}"
        );
        assert_eq!(tree(&output), before, "check mode changed the output");
    }

    #[test]
    fn check_mode_fails_on_a_generated_file_without_source_and_keeps_it() {
        let directory = TemporaryDirectory::new("check-orphan");
        let schemas = fixture_schemas(directory.path());
        let output = directory.path().join("output");
        run(Mode::Write, &schemas, &output).unwrap();
        let retired = output.join("generated/retired.rs");
        std::fs::write(&retired, "// generated once\n").unwrap();

        let error = run(Mode::Check, &schemas, &output).expect_err("retired.rs has no source");

        assert!(format!("{error:#}").contains("generated/retired.rs"), "{error:#}");
        assert!(retired.exists());
    }

    #[test]
    fn write_mode_removes_a_generated_file_that_no_longer_has_a_source() {
        let directory = TemporaryDirectory::new("write-orphan");
        let schemas = fixture_schemas(directory.path());
        let output = directory.path().join("output");
        run(Mode::Write, &schemas, &output).unwrap();
        let retired = output.join("generated/retired.rs");
        std::fs::write(&retired, "// generated once\n").unwrap();
        let outside = output.join("lib.rs");
        std::fs::write(&outside, "// hand-written, outside generated/\n").unwrap();

        run(Mode::Write, &schemas, &output).expect("regenerate");

        assert!(!retired.exists(), "the file without a source is still there");
        assert!(outside.exists(), "a file outside generated/ was removed");
        run(Mode::Check, &schemas, &output).expect("the output is fresh");
    }
}
