//! The repository stands alone: no tracked file refers to material outside it.
//!
//! Every text file `git ls-files` lists (except `Cargo.lock`; binary files, those with a
//! NUL byte or that are not UTF-8, are skipped) is searched for references to the
//! notes and the copy of the vendor reference that the project was first written from
//! (a sibling `shared` folder), and for absolute paths of the machines it was built on
//! (under the `work` or `root` folder of the file system root). Vendor facts cite
//! <https://api-doc.kimoby.com/>, and what
//! was learned from the notes lives in the repository (`kimoby-codegen/TYPIFY.md`,
//! `tests/fixtures/CORRECTIONS.md`, the schemas' `$comment`s).
//!
//! The forbidden texts are assembled from pieces, so this file does not match itself.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Texts no tracked file may contain anywhere, with what each one points at.
fn forbidden_texts() -> Vec<(String, &'static str)> {
    let shared = "shared";
    vec![
        (format!("../{shared}"), "the sibling notes folder"),
        (format!("{shared}/README"), "the notes folder's README"),
        (
            format!("{shared}/kimoby-api-reference"),
            "the local copy of the vendor reference",
        ),
        (
            format!("{}-{}", "TYPIFY", "NOTES"),
            "the typify notes (see kimoby-codegen/TYPIFY.md)",
        ),
    ]
}

/// Roots of absolute machine paths: forbidden where a path starts (not inside a URL or a
/// longer relative path, whose folder of the same name is the reader's own).
fn forbidden_path_roots() -> Vec<String> {
    ["work", "root"].iter().map(|root| format!("/{root}/")).collect()
}

/// Whether `line` has `root` at the start of a path: at the start of the line, or after a
/// character that cannot be part of a path or host name (space, quote, `=`, `(`, ...).
fn has_absolute_path(line: &str, root: &str) -> bool {
    line.match_indices(root).any(|(index, _)| {
        line[..index]
            .chars()
            .next_back()
            .is_none_or(|before| !(before.is_alphanumeric() || matches!(before, '.' | '_' | '-' | '/' | '~' | '$')))
    })
}

/// Every forbidden reference of `text`, as `line number: what`, in line order.
fn forbidden_references(text: &str) -> Vec<String> {
    let texts = forbidden_texts();
    let roots = forbidden_path_roots();
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for (needle, what) in &texts {
            if line.contains(needle.as_str()) {
                found.push(format!("{}: `{needle}` ({what})", number + 1));
            }
        }
        for root in &roots {
            if has_absolute_path(line, root) {
                found.push(format!("{}: absolute path under `{root}`", number + 1));
            }
        }
    }
    found
}

/// The files git tracks, relative to the workspace root.
fn tracked_files(root: &Path) -> Vec<String> {
    let output = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .unwrap_or_else(|err| panic!("cannot run `git ls-files` in {}: {err}", root.display()));
    assert!(
        output.status.success(),
        "`git ls-files` failed in {}: {}",
        root.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let listing = String::from_utf8(output.stdout).expect("git prints tracked paths as UTF-8");
    listing
        .split('\0')
        .filter(|path| !path.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_tracked_file_refers_outside_the_repository() {
    let root = workspace();
    let files = tracked_files(&root);
    assert!(
        files.iter().any(|path| path == "Cargo.toml"),
        "`git ls-files` in {} does not list the workspace's Cargo.toml",
        root.display()
    );
    let mut problems = Vec::new();
    let mut searched = 0;
    for path in files.iter().filter(|path| !path.ends_with("Cargo.lock")) {
        let bytes = match std::fs::read(root.join(path)) {
            Ok(bytes) => bytes,
            // Deleted in the work tree but not yet in the index: it will not be committed.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => panic!("cannot read {path}: {err}"),
        };
        if bytes.contains(&0) {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        searched += 1;
        problems.extend(
            forbidden_references(&text)
                .into_iter()
                .map(|found| format!("{path}:{found}")),
        );
    }
    assert!(
        searched > 100,
        "only {searched} text files searched: is this the repository?"
    );
    assert!(
        problems.is_empty(),
        "tracked files refer to material outside the repository (cite https://api-doc.kimoby.com/ \
         and write the fact in the repository instead):\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_kind_of_outside_reference_is_found_with_its_line() {
    let shared = "shared";
    let text = [
        "clean line".to_owned(),
        format!("see ../{shared}/notes"),
        format!("({shared}/README #9)"),
        format!("from `{shared}/kimoby-api-reference.txt`"),
        format!("{}-{}.md", "TYPIFY", "NOTES"),
        format!("BODY=\"$(sed -n 1,2p /{}/x.txt)\"", "work"),
        format!("/{}/.cargo/registry", "root"),
    ]
    .join("\n");
    let found = forbidden_references(&text);
    let lines: Vec<&str> = found
        .iter()
        .map(|entry| entry.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(lines, ["2", "3", "4", "5", "6", "7"], "{found:#?}");
}

#[test]
fn urls_and_relative_paths_are_not_machine_paths() {
    let (work, root) = ("work", "root");
    for line in [
        format!("https://example.com/{work}/item"),
        format!("see network/{work}/ and crates/{root}/"),
        format!("~/.cargo and $HOME/{work}/ are the reader's own"),
        "shared machine, shared target, shared_parameters".to_owned(),
    ] {
        assert_eq!(forbidden_references(&line), Vec::<String>::new(), "{line}");
    }
}
