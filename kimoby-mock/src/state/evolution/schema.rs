//! The strict schemas embedded in `kimoby-generated`, walked along a payload:
//! at each instance location, what the schemas say there (the declared
//! `properties`, the `required` ones, an `enum`, the `items`, the schema of
//! `additionalProperties`), `$ref`s followed across files
//! (`custom_attributes.json#/$defs/X`, `#/$defs/Y`), `allOf` merged, and of a
//! `oneOf`/`anyOf` the first branch the payload fits (a webhook event's
//! variant by its `event_name` constant).

use std::collections::BTreeMap;

use kimoby_generated::schemas::{ID_PREFIX, MANIFEST_FILE, Profile};
use serde_json::{Map, Value};

use super::EvolutionError;

/// How deep references and combinators are followed before giving up (a cycle).
const MAX_DEPTH: usize = 32;

/// The embedded strict schema files, by file name.
#[derive(Debug)]
pub(super) struct SchemaSet {
    files: BTreeMap<&'static str, Value>,
}

/// A schema and the file it is in (for relative references).
#[derive(Debug, Clone, Copy)]
pub(super) struct Location<'a> {
    pub file: &'a str,
    pub schema: &'a Value,
}

/// What the schemas say about one instance location.
#[derive(Debug, Default)]
pub(super) struct View<'a> {
    /// The declared properties, first declaration of a name kept.
    pub properties: Vec<(&'a str, Location<'a>)>,
    /// The required property names.
    pub required: Vec<&'a str>,
    /// The allowed values, if an `enum` restricts them.
    pub enumeration: Option<&'a [Value]>,
    /// The schema of the items of an array.
    pub items: Option<Location<'a>>,
    /// The schema of undeclared properties, for a map (`custom_attributes`).
    pub additional: Option<Location<'a>>,
}

impl View<'_> {
    /// Whether `name` is a declared property.
    pub fn declares(&self, name: &str) -> bool {
        self.properties.iter().any(|(declared, _)| *declared == name)
    }
}

/// The JSON kinds of a value a schema allows, as far as `type` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Kinds {
    pub string: bool,
    pub number: bool,
    pub object: bool,
}

impl SchemaSet {
    /// The embedded strict files (the manifest excluded), every `$ref` checked.
    pub fn embedded() -> Result<Self, EvolutionError> {
        let mut files = BTreeMap::new();
        for file in kimoby_generated::schemas::profile(Profile::Strict) {
            if file.name == MANIFEST_FILE {
                continue;
            }
            let value: Value = serde_json::from_str(file.json).map_err(|error| EvolutionError {
                location: file.name.to_owned(),
                problem: format!("the embedded schema is not JSON: {error}"),
            })?;
            files.insert(file.name, value);
        }
        let set = Self { files };
        for (name, value) in &set.files {
            set.check_references(name, value, String::new())?;
        }
        Ok(set)
    }

    /// Every `$ref` under `value` (at `pointer` in `file`) must resolve.
    fn check_references(&self, file: &str, value: &Value, pointer: String) -> Result<(), EvolutionError> {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                    && self.resolve(file, reference).is_none()
                {
                    return Err(EvolutionError {
                        location: format!("{file}#{pointer}/$ref"),
                        problem: format!("`{reference}` names no embedded schema"),
                    });
                }
                for (key, member) in map {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    self.check_references(file, member, format!("{pointer}/{escaped}"))?;
                }
                Ok(())
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(index, item)| self.check_references(file, item, format!("{pointer}/{index}"))),
            _ => Ok(()),
        }
    }

    /// What `reference` (`customer.json`, `#/$defs/X`, `file.json#/$defs/X`,
    /// or a full `$id`) written in `file` names.
    pub fn resolve<'a>(&'a self, file: &str, reference: &str) -> Option<Location<'a>> {
        let reference = reference.strip_prefix(ID_PREFIX).unwrap_or(reference);
        let reference = reference.strip_prefix("./").unwrap_or(reference);
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if target.is_empty() { file } else { target };
        let (name, document) = self.files.get_key_value(target)?;
        let schema = if fragment.is_empty() {
            document
        } else {
            document.pointer(fragment)?
        };
        Some(Location { file: name, schema })
    }

    /// What the schemas at `location` say about `instance`.
    pub fn view<'a>(&'a self, location: Location<'a>, instance: &Value) -> View<'a> {
        let mut view = View::default();
        self.collect(location, instance, &mut view, 0);
        view
    }

    fn collect<'a>(&'a self, location: Location<'a>, instance: &Value, view: &mut View<'a>, depth: usize) {
        let Some(schema) = location.schema.as_object() else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        let at = |schema: &'a Value| Location {
            file: location.file,
            schema,
        };
        if let Some(target) = self.reference(location.file, schema) {
            self.collect(target, instance, view, depth + 1);
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                if !view.declares(name) {
                    view.properties.push((name.as_str(), at(property)));
                }
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            view.required.extend(required.iter().filter_map(Value::as_str));
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            view.enumeration.get_or_insert(values.as_slice());
        }
        if let Some(items) = schema.get("items").filter(|items| items.is_object()) {
            view.items.get_or_insert(at(items));
        }
        if let Some(additional) = schema.get("additionalProperties").filter(|schema| schema.is_object()) {
            view.additional.get_or_insert(at(additional));
        }
        for branch in array(schema, "allOf") {
            self.collect(at(branch), instance, view, depth + 1);
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(branch) = array(schema, combinator)
                .iter()
                .find(|branch| self.fits(at(branch), instance, depth + 1))
            {
                self.collect(at(branch), instance, view, depth + 1);
            }
        }
    }

    /// Whether `instance` fits `location` as far as `type`, `const`, `enum`,
    /// `required` and the constants of its properties tell (enough to pick a
    /// branch: a webhook event's variant, a nullable alternative).
    fn fits(&self, location: Location<'_>, instance: &Value, depth: usize) -> bool {
        let Some(schema) = location.schema.as_object() else {
            return location.schema.as_bool().unwrap_or(true);
        };
        if depth > MAX_DEPTH {
            return false;
        }
        if let Some(target) = self.reference(location.file, schema)
            && !self.fits(target, instance, depth + 1)
        {
            return false;
        }
        if !self.fits_locally(location.file, schema, instance, depth) {
            return false;
        }
        if let (Some(properties), Some(object)) = (
            schema.get("properties").and_then(Value::as_object),
            instance.as_object(),
        ) {
            for (name, property) in properties {
                let Some(value) = object.get(name) else { continue };
                let Some(property) = property.as_object() else { continue };
                if !self.fits_locally(location.file, property, value, depth + 1) {
                    return false;
                }
            }
        }
        let at = |schema| Location {
            file: location.file,
            schema,
        };
        array(schema, "allOf")
            .iter()
            .all(|branch| self.fits(at(branch), instance, depth + 1))
            && ["oneOf", "anyOf"].iter().all(|combinator| {
                let branches = array(schema, combinator);
                branches.is_empty() || branches.iter().any(|branch| self.fits(at(branch), instance, depth + 1))
            })
    }

    /// `type`, `const`, `enum` and `required` of `schema` (references followed).
    fn fits_locally(&self, file: &str, schema: &Map<String, Value>, instance: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if let Some(target) = self.reference(file, schema)
            && let Some(target_schema) = target.schema.as_object()
            && !self.fits_locally(target.file, target_schema, instance, depth + 1)
        {
            return false;
        }
        let typed = schema
            .get("type")
            .is_none_or(|kind| types(kind).any(|kind| has_type(instance, kind)));
        let constant = schema.get("const").is_none_or(|constant| constant == instance);
        let listed = schema
            .get("enum")
            .and_then(Value::as_array)
            .is_none_or(|values| values.contains(instance));
        let complete = match (schema.get("required").and_then(Value::as_array), instance.as_object()) {
            (Some(required), Some(object)) => required
                .iter()
                .filter_map(Value::as_str)
                .all(|name| object.contains_key(name)),
            _ => true,
        };
        typed && constant && listed && complete
    }

    /// The kinds of value `location` allows (all when nothing restricts them).
    pub fn kinds(&self, location: Location<'_>) -> Kinds {
        self.kinds_at(location, 0)
    }

    fn kinds_at(&self, location: Location<'_>, depth: usize) -> Kinds {
        let all = Kinds {
            string: true,
            number: true,
            object: true,
        };
        let Some(schema) = location.schema.as_object() else {
            return if location.schema.as_bool() == Some(false) {
                Kinds::default()
            } else {
                all
            };
        };
        if depth > MAX_DEPTH {
            return Kinds::default();
        }
        let mut kinds = match schema.get("type") {
            Some(kind) => {
                let mut kinds = Kinds::default();
                for kind in types(kind) {
                    match kind {
                        "string" => kinds.string = true,
                        "number" | "integer" => kinds.number = true,
                        "object" => kinds.object = true,
                        _ => {}
                    }
                }
                kinds
            }
            None => all,
        };
        let at = |schema| Location {
            file: location.file,
            schema,
        };
        if let Some(target) = self.reference(location.file, schema) {
            kinds = intersect(kinds, self.kinds_at(target, depth + 1));
        }
        for combinator in ["oneOf", "anyOf"] {
            let branches = array(schema, combinator);
            if !branches.is_empty() {
                let union = branches.iter().fold(Kinds::default(), |union, branch| {
                    let branch = self.kinds_at(at(branch), depth + 1);
                    Kinds {
                        string: union.string || branch.string,
                        number: union.number || branch.number,
                        object: union.object || branch.object,
                    }
                });
                kinds = intersect(kinds, union);
            }
        }
        for branch in array(schema, "allOf") {
            kinds = intersect(kinds, self.kinds_at(at(branch), depth + 1));
        }
        kinds
    }

    /// The target of the `$ref` of `schema`, if it has one.
    fn reference<'a>(&'a self, file: &str, schema: &Map<String, Value>) -> Option<Location<'a>> {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| self.resolve(file, reference))
    }
}

fn intersect(left: Kinds, right: Kinds) -> Kinds {
    Kinds {
        string: left.string && right.string,
        number: left.number && right.number,
        object: left.object && right.object,
    }
}

/// The array member `key` of `schema`, or nothing.
fn array<'a>(schema: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    schema.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The type names of a `type` keyword (a string or an array of strings).
fn types(kind: &Value) -> impl Iterator<Item = &str> {
    let list: Vec<&str> = match kind {
        Value::String(kind) => vec![kind.as_str()],
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    list.into_iter()
}

/// Whether `instance` is of the JSON Schema type `kind`.
fn has_type(instance: &Value, kind: &str) -> bool {
    match kind {
        "null" => instance.is_null(),
        "boolean" => instance.is_boolean(),
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "string" => instance.is_string(),
        "number" => instance.is_number(),
        "integer" => {
            instance.is_i64() || instance.is_u64() || instance.as_f64().is_some_and(|number| number.fract() == 0.0)
        }
        _ => true,
    }
}
