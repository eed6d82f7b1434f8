//! The modules of the mock and of the client runtime import each other in
//! layers, without a cycle (ARCHITECTURE.md, "Architecture invariants").
//!
//! The test reads the source files and follows every `crate::`, `super::`
//! and `self::` path to the module that defines what it names, through
//! `pub use` re-exports, so an import through a parent's re-export counts as
//! an import of the module behind it. A module's own submodules and its
//! ancestors are not counted: a folder module is read as one unit with its
//! files. Test modules (`tests.rs`, a trailing `#[cfg(test)] mod tests`) may
//! import anything and are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside a crate (`["state", "config"]`; empty for the root).
type ModulePath = Vec<String>;

/// The source of every module of a crate and what each re-exports.
struct Crate {
    /// Module path to its source, comments and test modules removed.
    sources: BTreeMap<ModulePath, String>,
    /// Module path to the names it re-exports (`pub use`) and the absolute
    /// path each stands for.
    reexports: BTreeMap<ModulePath, BTreeMap<String, ModulePath>>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn read_crate(src: &Path) -> Crate {
    let mut files = Vec::new();
    collect_files(src, &mut files);
    let mut sources = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap().with_extension("");
        let mut module: ModulePath = relative
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        // `main.rs` is another crate, which imports the library by name.
        if module.last().is_some_and(|last| last == "tests") || module == ["main"] {
            continue;
        }
        if module.last().is_some_and(|last| last == "mod") || module == ["lib"] {
            module.pop();
        }
        let text = std::fs::read_to_string(&file).unwrap();
        sources.insert(module, strip_tests(&strip_comments(&text)));
    }
    let mut reexports = BTreeMap::new();
    for (module, source) in &sources {
        let mut names = BTreeMap::new();
        for statement in use_statements(source, true) {
            for path in expand(&statement) {
                let name = path.last().unwrap().clone();
                names.insert(name, absolute(module, is_folder(module, &sources), &path));
            }
        }
        reexports.insert(module.clone(), names);
    }
    Crate { sources, reexports }
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// Whether `module` is written as a folder (`mod.rs`) or the crate root:
/// then `super::` in it is its parent; in a plain file it is the same.
fn is_folder(module: &ModulePath, sources: &BTreeMap<ModulePath, String>) -> bool {
    module.is_empty()
        || sources
            .keys()
            .any(|other| other.len() > module.len() && other.starts_with(module))
}

fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // `//` inside a string (a URL) is rare in these files; `://` marks it.
            Some(at) if !line[..at].ends_with(':') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text before a trailing `#[cfg(test)]` test module.
fn strip_tests(text: &str) -> String {
    let mut cut = text.len();
    for (at, _) in text.match_indices("#[cfg(test)]") {
        let rest = text[at + "#[cfg(test)]".len()..].trim_start();
        let rest = rest
            .strip_prefix("pub(crate) ")
            .or_else(|| rest.strip_prefix("pub(super) "))
            .unwrap_or(rest);
        if rest.starts_with("mod tests") && rest.trim_start_matches("mod tests").trim_start().starts_with('{') {
            cut = cut.min(at);
        }
    }
    text[..cut].to_owned()
}

/// The `use` statements (without `use` and `;`) of a module's source; with
/// `public_only`, only the re-exports (`pub use`, `pub(crate) use`).
fn use_statements(source: &str, public_only: bool) -> Vec<String> {
    let mut statements = Vec::new();
    for (at, _) in source.match_indices("use ") {
        let before = source[..at].trim_end();
        let public = ["pub", "pub(crate)", "pub(super)"]
            .iter()
            .any(|visibility| before.ends_with(visibility));
        let starts_item = at == 0 || source[..at].ends_with(char::is_whitespace);
        if !starts_item || public_only && !public {
            continue;
        }
        if let Some(end) = source[at..].find(';') {
            statements.push(source[at + 4..at + end].trim().to_owned());
        }
    }
    statements
}

/// `a::{b, c::{d as e}}` as the paths it names: `[a, b]`, `[a, c, e→d]`
/// (an `as` name is the path's last segment, renamed).
fn expand(statement: &str) -> Vec<ModulePath> {
    let statement: String = statement
        .chars()
        .filter(|character| !character.is_whitespace())
        .collect();
    let mut paths = Vec::new();
    expand_into(&[], &statement, &mut paths);
    paths
}

fn expand_into(prefix: &[String], text: &str, paths: &mut Vec<ModulePath>) {
    for item in split_top_level(text) {
        if let Some(open) = item.find('{') {
            let head: Vec<String> = item[..open]
                .trim_end_matches("::")
                .split("::")
                .filter(|segment| !segment.is_empty())
                .map(str::to_owned)
                .collect();
            let inner = &item[open + 1..item.len() - 1];
            expand_into(&[prefix, &head].concat(), inner, paths);
        } else {
            let item = item.split("as").next().unwrap_or(&item);
            let mut path = prefix.to_vec();
            path.extend(
                item.split("::")
                    .filter(|segment| !segment.is_empty())
                    .map(str::to_owned),
            );
            if path.last().is_some_and(|last| last != "*" && last != "self") {
                paths.push(path);
            }
        }
    }
}

fn split_top_level(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, character) in text.char_indices() {
        match character {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(text[start..at].to_owned());
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(text[start..].to_owned());
    items.into_iter().filter(|item| !item.is_empty()).collect()
}

/// A path written in `module` as an absolute path from the crate root.
fn absolute(module: &ModulePath, folder: bool, path: &[String]) -> ModulePath {
    let here = if folder {
        module.clone()
    } else {
        module[..module.len().saturating_sub(1)].to_vec()
    };
    match path.first().map(String::as_str) {
        Some("crate") => path[1..].to_vec(),
        Some("self") => [module.as_slice(), &path[1..]].concat(),
        Some("super") => {
            let mut base = here;
            let mut rest = &path[1..];
            // `super` in a plain file is its parent folder; each further one goes up.
            if folder {
                base.pop();
            }
            while rest.first().is_some_and(|segment| segment == "super") {
                base.pop();
                rest = &rest[1..];
            }
            [base.as_slice(), rest].concat()
        }
        // A path relative to the module itself: a child module or a name it imported.
        _ => [module.as_slice(), path].concat(),
    }
}

impl Crate {
    /// The module that defines what `path` (absolute) names, through re-exports.
    fn defining_module(&self, path: &[String]) -> ModulePath {
        let mut path = path.to_vec();
        for _ in 0..16 {
            let known = (0..=path.len())
                .rev()
                .find(|length| self.sources.contains_key(&path[..*length]))
                .unwrap_or(0);
            let module = path[..known].to_vec();
            let Some(name) = path.get(known) else {
                return module;
            };
            match self.reexports.get(&module).and_then(|names| names.get(name)) {
                Some(target) if target != &path[..=known] => {
                    path = [target.as_slice(), &path[known + 1..]].concat();
                }
                _ => return module,
            }
        }
        path
    }

    /// Every module and the modules it imports from (not its own ancestors or descendants).
    fn imports(&self) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
        let mut edges = BTreeMap::new();
        for (module, source) in &self.sources {
            let folder = is_folder(module, &self.sources);
            let mut targets = BTreeSet::new();
            for path in paths_in(source) {
                let target = self.defining_module(&absolute(module, folder, &path));
                let related = target.starts_with(module) || module.starts_with(&target);
                if !related {
                    targets.insert(target);
                }
            }
            edges.insert(module.clone(), targets);
        }
        edges
    }
}

/// Every `crate::…`, `super::…` and `self::…` path of a source, groups expanded.
fn paths_in(source: &str) -> Vec<ModulePath> {
    let mut paths = Vec::new();
    let bytes = source.as_bytes();
    for keyword in ["crate::", "super::", "self::"] {
        for (at, _) in source.match_indices(keyword) {
            let boundary =
                at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':');
            if !boundary {
                continue;
            }
            let mut end = at;
            let mut depth = 0;
            while end < bytes.len() {
                let character = bytes[end] as char;
                match character {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    _ if depth > 0 => {}
                    _ if character.is_ascii_alphanumeric() || character == '_' || character == ':' => {}
                    _ => break,
                }
                end += 1;
                if depth == 0 && character == '}' {
                    break;
                }
            }
            paths.extend(expand(&source[at..end]));
        }
    }
    paths
}

fn cycles(edges: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<String>> {
    // Reachability: a module is in a cycle with every module that both reaches it and is reached by it.
    let reach = |from: &ModulePath| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(module) = stack.pop() {
            for next in edges.get(&module).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&ModulePath, BTreeSet<ModulePath>> =
        edges.keys().map(|module| (module, reach(module))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for (module, reachable) in &reached {
        if reachable.contains(*module) {
            let mut cycle: Vec<String> = reachable
                .iter()
                .filter(|other| reached.get(other).is_some_and(|back| back.contains(*module)))
                .map(|other| other.join("::"))
                .collect();
            cycle.sort();
            found.insert(cycle);
        }
    }
    found.into_iter().collect()
}

fn describe(edges: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> String {
    edges
        .iter()
        .map(|(module, targets)| {
            let targets: Vec<String> = targets.iter().map(|target| target.join("::")).collect();
            format!("{} -> {}", module.join("::"), targets.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_mock_imports_in_layers_without_a_cycle() {
    let mock = read_crate(&workspace_root().join("kimoby-mock/src"));
    let edges = mock.imports();
    let found = cycles(&edges);
    assert!(
        found.is_empty(),
        "import cycles in kimoby-mock: {found:?}\n{}",
        describe(&edges)
    );
    // Lowest first; the crate root (lib.rs, main.rs) sits above them all.
    assert_layers(
        "kimoby-mock",
        &edges,
        &["contract", "domain", "state", "http", "server", "proxy"],
    );
    // The check follows re-exports: the mock's root re-exports `config`, and
    // `crate::config` is `state::config`.
    assert_eq!(
        mock.defining_module(&["config".to_owned(), "MockConfig".to_owned()]),
        ["state", "config"]
    );
}

/// Every module of `edges` is in one of `layers` (lowest first; the crate
/// root above them all) and imports nothing from a layer above its own.
fn assert_layers(crate_name: &str, edges: &BTreeMap<ModulePath, BTreeSet<ModulePath>>, layers: &[&str]) {
    let layer_of = |module: &ModulePath| {
        module
            .first()
            .and_then(|top| layers.iter().position(|layer| layer == top))
    };
    for (module, targets) in edges {
        let Some(layer) = layer_of(module) else {
            assert!(
                module.is_empty(),
                "{crate_name}/src/{} is in no layer",
                module.join("/")
            );
            continue;
        };
        for target in targets {
            let target_layer = layer_of(target);
            assert!(
                target_layer.is_some_and(|target_layer| target_layer <= layer),
                "{crate_name}: {} (layer {}) imports {} from a layer above it",
                module.join("::"),
                layers[layer],
                target.join("::")
            );
        }
    }
}

#[test]
fn the_generator_imports_stage_by_stage() {
    let edges = read_crate(&workspace_root().join("kimoby-codegen/src")).imports();
    // The pipeline's stages in order, after the error type every stage uses.
    assert_layers(
        "kimoby-codegen",
        &edges,
        &["error", "read", "prepare", "model", "types", "emit"],
    );
}

#[test]
fn the_client_runtime_imports_without_a_cycle() {
    let generated = read_crate(&workspace_root().join("kimoby-generated/src"));
    let edges: BTreeMap<ModulePath, BTreeSet<ModulePath>> = generated
        .imports()
        .into_iter()
        .filter(|(module, _)| module.first().is_some_and(|top| top == "runtime"))
        .collect();
    let found = cycles(&edges);
    assert!(
        found.is_empty(),
        "import cycles in the runtime: {found:?}\n{}",
        describe(&edges)
    );
    // `runtime::ListOperation` is re-exported from `runtime::operation`: an
    // import of it through the parent counts as an import of `operation`.
    assert_eq!(
        generated.defining_module(&["runtime".to_owned(), "ListOperation".to_owned()]),
        ["runtime", "operation"]
    );
}

#[test]
fn a_cycle_through_a_reexport_is_found() {
    let mut sources = BTreeMap::new();
    sources.insert(vec![], "pub mod a; pub mod b; pub use a::Alpha;".to_owned());
    sources.insert(vec!["a".to_owned()], "use crate::b::Beta; pub struct Alpha;".to_owned());
    sources.insert(vec!["b".to_owned()], "use super::Alpha; pub struct Beta;".to_owned());
    let mut reexports = BTreeMap::new();
    for (module, source) in &sources {
        let mut names = BTreeMap::new();
        for statement in use_statements(source, true) {
            for path in expand(&statement) {
                names.insert(
                    path.last().unwrap().clone(),
                    absolute(module, is_folder(module, &sources), &path),
                );
            }
        }
        reexports.insert(module.clone(), names);
    }
    let example = Crate { sources, reexports };
    assert_eq!(cycles(&example.imports()), [vec!["a".to_owned(), "b".to_owned()]]);
}

/// The contract model, the generator, the mock, the tools, and the whole of
/// `kimoby-generated` (the webhook events are generated into the types
/// file, beside their payload types, so the types and the webhooks module
/// no longer import each other).
#[test]
fn the_crates_import_without_a_cycle() {
    for src in [
        "kimoby-contract/src",
        "kimoby-codegen/src",
        "kimoby-generated/src",
        "kimoby-mock/src",
        "xtask/src",
        "benchmarks/src",
    ] {
        let edges = read_crate(&workspace_root().join(src)).imports();
        let found = cycles(&edges);
        assert!(
            found.is_empty(),
            "import cycles in {src}: {found:?}\n{}",
            describe(&edges)
        );
    }
}
