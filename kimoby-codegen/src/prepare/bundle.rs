//! Bundling: every schema file and every `$defs` entry becomes one named
//! definition in a single map, and every `$ref` (relative file name, file plus
//! `#/$defs/...`, local `#/$defs/...`, or a file's absolute `$id`) is rewritten
//! to `#/definitions/<TypeName>`, because typify cannot follow references
//! across files.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use crate::error::{Error, Location, Result};
use crate::prepare::walk;

/// One named definition of the bundle.
#[derive(Debug, Clone)]
pub struct Definition {
    /// Where it was written.
    pub location: Location,
    /// The schema with references rewritten and `$schema`, `$id`, `$defs` removed.
    pub schema: Value,
}

/// All definitions of a schema folder under their Rust type names.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    /// Definitions by Rust type name (sorted, so output order is stable).
    pub definitions: BTreeMap<String, Definition>,
    /// The type name of each file's root schema, by file name.
    pub file_roots: BTreeMap<String, String>,
}

/// Prefix of every bundled reference.
pub const DEFINITIONS_PREFIX: &str = "#/definitions/";

impl Bundle {
    /// Bundles the given files (file name to parsed schema).
    pub fn new(files: &BTreeMap<String, Value>) -> Result<Self> {
        let names = NameTable::new(files)?;
        let mut bundle = Bundle {
            file_roots: names.roots.clone(),
            ..Bundle::default()
        };
        for (file, root) in files {
            let root_location = Location::root(file.as_str());
            let mut root_schema = root.clone();
            let definitions = match root_schema.as_object_mut() {
                Some(object) => {
                    object.remove("$schema");
                    object.remove("$id");
                    let mut hoisted = Map::new();
                    for keyword in ["$defs", "definitions"] {
                        if let Some(Value::Object(entries)) = object.remove(keyword) {
                            for (key, schema) in entries {
                                hoisted.insert(format!("{keyword}\u{0}{key}"), schema);
                            }
                        }
                    }
                    hoisted
                }
                None => {
                    return Err(Error::Schema {
                        location: root_location,
                        message: "a schema file must hold a JSON object".to_owned(),
                    });
                }
            };
            let root_name = names.roots[file].clone();
            rewrite_references(&mut root_schema, &root_location, file, &names)?;
            bundle.insert(root_name, root_location.clone(), root_schema)?;
            for (tagged_key, mut schema) in definitions {
                let (keyword, key) = tagged_key.split_once('\u{0}').unwrap_or(("$defs", &tagged_key));
                let location = root_location.child(keyword).child(key);
                rewrite_references(&mut schema, &location, file, &names)?;
                bundle.insert(type_name(key), location, schema)?;
            }
        }
        Ok(bundle)
    }

    fn insert(&mut self, name: String, location: Location, schema: Value) -> Result<()> {
        if let Some(existing) = self.definitions.get(&name) {
            return Err(Error::DuplicateTypeName {
                name,
                first: existing.location.clone(),
                second: location,
            });
        }
        self.definitions.insert(name, Definition { location, schema });
        Ok(())
    }

    /// The names of the definitions that `name` references directly.
    pub fn direct_references(&self, name: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        if let Some(definition) = self.definitions.get(name) {
            collect_references(&definition.schema, &mut found);
        }
        found
    }

    /// `roots` and every definition reachable from them.
    pub fn reachable_from<'a>(&self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        self.reachable_without_entering(roots, &BTreeSet::new())
    }

    /// Like [`Bundle::reachable_from`], but the definitions in `opaque` are
    /// reached without following their own references.
    pub fn reachable_without_entering<'a>(
        &self,
        roots: impl IntoIterator<Item = &'a str>,
        opaque: &BTreeSet<String>,
    ) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut pending: Vec<String> = roots.into_iter().map(str::to_owned).collect();
        while let Some(name) = pending.pop() {
            if seen.insert(name.clone()) && !opaque.contains(&name) {
                pending.extend(self.direct_references(&name));
            }
        }
        seen
    }

    /// Drops the definitions that no file root reaches except through a
    /// definition in `opaque` (hand-written replacements take their helper
    /// definitions with them).
    pub fn retain_reachable(&mut self, opaque: &BTreeSet<String>) {
        let roots: Vec<&str> = self
            .file_roots
            .values()
            .filter(|name| !opaque.contains(*name))
            .map(String::as_str)
            .collect();
        let mut keep = self.reachable_without_entering(roots, opaque);
        keep.extend(
            opaque
                .iter()
                .filter(|name| self.definitions.contains_key(*name))
                .cloned(),
        );
        self.definitions.retain(|name, _| keep.contains(name));
    }
}

/// The Rust type name for a `title` or `$defs` key.
pub fn type_name(raw: &str) -> String {
    raw.to_upper_camel_case()
}

/// Which names files and their definitions get, and which `$id` belongs to which file.
struct NameTable {
    roots: BTreeMap<String, String>,
    definitions: BTreeMap<String, BTreeSet<String>>,
    identifiers: BTreeMap<String, String>,
}

impl NameTable {
    fn new(files: &BTreeMap<String, Value>) -> Result<Self> {
        let mut roots = BTreeMap::new();
        let mut definitions = BTreeMap::new();
        let mut identifiers = BTreeMap::new();
        for (file, schema) in files {
            let location = Location::root(file.as_str());
            let title = schema
                .get("title")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::Schema {
                    location: location.child("title"),
                    message: "every schema file needs a string `title`: it names the Rust type".to_owned(),
                })?;
            let name = type_name(title);
            if name.is_empty() || !name.starts_with(|character: char| character.is_ascii_alphabetic()) {
                return Err(Error::Schema {
                    location: location.child("title"),
                    message: format!("`{title}` does not make a Rust type name"),
                });
            }
            roots.insert(file.clone(), name);
            let mut keys = BTreeSet::new();
            for keyword in ["$defs", "definitions"] {
                if let Some(Value::Object(entries)) = schema.get(keyword) {
                    keys.extend(entries.keys().cloned());
                }
            }
            definitions.insert(file.clone(), keys);
            if let Some(identifier) = schema.get("$id").and_then(Value::as_str) {
                identifiers.insert(identifier.to_owned(), file.clone());
            }
        }
        Ok(Self {
            roots,
            definitions,
            identifiers,
        })
    }

    /// Resolves `reference`, written in `file`, to a bundled type name.
    fn resolve(&self, reference: &str, file: &str, location: &Location) -> Result<String> {
        let unresolved = |reason: String| Error::UnresolvedReference {
            location: location.clone(),
            reference: reference.to_owned(),
            reason,
        };
        let (document, fragment) = match reference.split_once('#') {
            Some((document, fragment)) => (document, fragment),
            None => (reference, ""),
        };
        let target_file = if document.is_empty() {
            file.to_owned()
        } else if let Some(target) = self.identifiers.get(document) {
            target.clone()
        } else {
            let relative = document.strip_prefix("./").unwrap_or(document);
            if relative.contains('/') || relative.contains(':') {
                return Err(unresolved(
                    "only file names in the schema folder (or their `$id`) can be referenced".to_owned(),
                ));
            }
            relative.to_owned()
        };
        let Some(root_name) = self.roots.get(&target_file) else {
            return Err(unresolved(format!(
                "there is no file `{target_file}` in the schema folder"
            )));
        };
        if fragment.is_empty() || fragment == "/" {
            return Ok(root_name.clone());
        }
        let key = fragment
            .strip_prefix("/$defs/")
            .or_else(|| fragment.strip_prefix("/definitions/"))
            .ok_or_else(|| unresolved("only the file root or `#/$defs/<Name>` can be referenced".to_owned()))?;
        let key = key.replace("~1", "/").replace("~0", "~");
        if !self.definitions[&target_file].contains(&key) {
            return Err(unresolved(format!("`{target_file}` has no definition `{key}`")));
        }
        Ok(type_name(&key))
    }
}

fn rewrite_references(schema: &mut Value, location: &Location, file: &str, names: &NameTable) -> Result<()> {
    if let Value::Object(object) = schema {
        if let Some(Value::String(reference)) = object.get("$ref") {
            let resolved = names.resolve(reference, file, &location.child("$ref"))?;
            object.insert(
                "$ref".to_owned(),
                Value::String(format!("{DEFINITIONS_PREFIX}{resolved}")),
            );
        }
        for nested in ["$defs", "definitions"] {
            if object.contains_key(nested) {
                return Err(Error::Schema {
                    location: location.child(nested),
                    message: format!("`{nested}` is only supported at the root of a file"),
                });
            }
        }
    }
    walk::for_each_subschema_mut(schema, |segments, subschema| {
        let child = segments
            .iter()
            .fold(location.clone(), |location, segment| location.child(segment));
        rewrite_references(subschema, &child, file, names)
    })
}

fn collect_references(schema: &Value, found: &mut BTreeSet<String>) {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix(DEFINITIONS_PREFIX))
    {
        found.insert(name.to_owned());
    }
    walk::for_each_subschema(schema, |_, subschema| collect_references(subschema, found));
}
