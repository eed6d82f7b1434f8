//! [`Finder`]: walks a body and its strict schema together and says where
//! and how the body leaves the schema: properties the schema does not
//! declare, required ones absent, values of another type, `null` where no
//! `null` is allowed, values outside an enum, and, from the strict
//! validator, bounds, patterns and formats. A union (`anyOf`, `oneOf`) is
//! read through the branch the value fits best, so a new field inside a
//! nullable object is found at its own pointer, not as a failed union.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::DepartureKind;
use super::observed::{observed_format, observed_type};
use super::screen::Screen;
use crate::schemas::{self, MANIFEST_FILE, Profile};
use crate::validate::{BuildError, Validator};

/// How deep references and unions are followed; deeper nesting is not walked.
const MAX_DEPTH: usize = 64;

/// One departure of a body from its schema, as a [`Finder`] finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundDeparture {
    /// The JSON pointer, array indices written `*`.
    pub pointer: String,
    /// The kind.
    pub kind: DepartureKind,
    /// The JSON type of the value there, if there is one.
    pub observed_type: Option<String>,
    /// The format a string there looks like.
    pub observed_format: Option<String>,
    /// The value, for an undocumented enum value of strings only.
    pub enum_value: Option<String>,
    /// The keyword that failed, for a departure the strict validator found.
    pub detail: Option<String>,
}

/// Finds the departures of bodies from the strict schemas embedded in this crate.
pub struct Finder {
    files: BTreeMap<&'static str, Value>,
    strict: Validator,
    tolerant: Validator,
    screen: Screen,
}

impl std::fmt::Debug for Finder {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Finder")
            .field("schemas", &self.files.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Finder {
    /// Parses and compiles the embedded schemas of both profiles.
    pub fn new() -> Result<Self, BuildError> {
        let files = schemas::profile(Profile::Strict)
            .filter(|file| file.name != MANIFEST_FILE)
            .map(|file| {
                serde_json::from_str(file.json)
                    .map(|value| (file.name, value))
                    .map_err(|error| BuildError {
                        file: file.name.to_owned(),
                        message: error.to_string(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            files,
            strict: Validator::strict()?,
            tolerant: Validator::tolerant()?,
            screen: Screen::new()?,
        })
    }

    /// Whether the strict profile accepts `body` as `schema` (a file name).
    pub fn is_strictly_valid(&self, schema: &str, body: &Value) -> bool {
        self.strict.is_valid(schema, body)
    }

    /// Whether the JSON text `body` certainly matches the strict schema file
    /// `schema`, read from its bytes as they come, without building a
    /// [`Value`]: several times cheaper than parsing the body and calling
    /// [`departures`](Self::departures), which is what to do when this
    /// answers `false` (the body departs, is not JSON, or has a shape this
    /// reading does not vouch for, such as `1.0` where an integer is
    /// expected). `true` is the strict validator's own verdict: what the
    /// reading does not check itself it hands to the validator.
    ///
    /// ```
    /// use kimoby_generated::departure::Finder;
    ///
    /// let finder = Finder::new()?;
    /// let customer = br#"{"id": "cu1", "name": "Jane Doe", "created_at": "2019-02-21T14:38:14Z",
    ///     "updated_at": "2019-02-21T14:38:14Z", "cell_phone_number": "+15145550000"}"#;
    /// assert!(finder.accepts_json("customer.json", customer));
    /// let newer = br#"{"id": "cu1", "name": "Jane Doe", "created_at": "2019-02-21T14:38:14Z",
    ///     "updated_at": "2019-02-21T14:38:14Z", "loyalty_tier": "gold"}"#;
    /// assert!(!finder.accepts_json("customer.json", newer));
    /// # Ok::<(), kimoby_generated::validate::BuildError>(())
    /// ```
    pub fn accepts_json(&self, schema: &str, body: &[u8]) -> bool {
        self.screen.accepts(schema, body)
    }

    /// Whether the tolerant profile accepts `body` as `schema`.
    pub fn is_tolerated(&self, schema: &str, body: &Value) -> bool {
        self.tolerant.is_valid(schema, body)
    }

    /// Every departure of `body` from the strict schema file `schema`,
    /// sorted by pointer, each place and kind once; none for a body the
    /// strict profile accepts or an unknown schema.
    pub fn departures(&self, schema: &str, body: &Value) -> Vec<FoundDeparture> {
        let Some(root) = self.files.get(schema) else {
            return Vec::new();
        };
        // Most bodies match: `is_valid` stops at nothing and collects no
        // error, so the documented case costs one pass and no allocation.
        if self.strict.is_valid(schema, body) {
            return Vec::new();
        }
        let Err(refused) = self.strict.validate(schema, body) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        self.walk(schema, root, body, String::new(), 0, &mut found);
        // What the walk does not see (bounds, patterns, formats) comes from
        // the validator, each at the place it names.
        for issue in refused.issues() {
            let pointer = starred(&issue.instance_path, body);
            let covered = found
                .iter()
                .any(|departure| departure.pointer == pointer || departure.pointer.starts_with(&format!("{pointer}/")));
            if !covered && !is_structural(&issue.keyword) {
                let value = body.pointer(&issue.instance_path);
                found.push(departure_at(
                    pointer,
                    DepartureKind::ConstraintViolated,
                    value,
                    Some(format!("{} at {}", issue.keyword, issue.schema_path)),
                ));
            }
        }
        found.sort_by(|left, right| (&left.pointer, left.kind).cmp(&(&right.pointer, right.kind)));
        found.dedup_by(|left, right| left.pointer == right.pointer && left.kind == right.kind);
        found
    }

    /// The schema `reference` points to, from the file `file`, and the file it is in.
    fn resolve<'a>(&'a self, file: &'a str, reference: &str) -> Option<(&'a str, &'a Value)> {
        let (target_file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let (file, document) = if target_file.is_empty() {
            (file, self.files.get(file)?)
        } else {
            let name = target_file.rsplit('/').next().unwrap_or(target_file);
            self.files.get_key_value(name).map(|(name, value)| (*name, value))?
        };
        let schema = if fragment.is_empty() {
            document
        } else {
            document.pointer(fragment)?
        };
        Some((file, schema))
    }

    fn walk(
        &self,
        file: &str,
        schema: &Value,
        value: &Value,
        pointer: String,
        depth: usize,
        found: &mut Vec<FoundDeparture>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(object) = schema.as_object() else {
            // `false` refuses everything; `true` accepts everything.
            if schema == &Value::Bool(false) {
                found.push(departure_at(pointer, DepartureKind::UnknownField, Some(value), None));
            }
            return;
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str)
            && let Some((file, target)) = self.resolve(file, reference)
        {
            self.walk(file, target, value, pointer.clone(), depth + 1, found);
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(branches) = object.get(keyword).and_then(Value::as_array) {
                self.walk_union(file, branches, value, &pointer, depth, found);
            }
        }
        for branch in object.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.walk(file, branch, value, pointer.clone(), depth + 1, found);
        }
        if let Some(allowed) = object.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            found.push(outside_enum(pointer, value));
            return;
        }
        if let Some(constant) = object.get("const")
            && constant != value
        {
            found.push(outside_enum(pointer, value));
            return;
        }
        if let Some(types) = object.get("type")
            && !type_allows(types, value)
        {
            let kind = if value.is_null() {
                DepartureKind::NullNotAllowed
            } else {
                DepartureKind::WrongType
            };
            found.push(departure_at(pointer, kind, Some(value), None));
            return;
        }
        match value {
            Value::Object(members) => self.walk_object(file, object, members, &pointer, depth, found),
            Value::Array(items) => {
                if let Some(item_schema) = object.get("items") {
                    for item in items {
                        self.walk(file, item_schema, item, format!("{pointer}/*"), depth + 1, found);
                    }
                }
            }
            _ => {}
        }
    }

    fn walk_object(
        &self,
        file: &str,
        schema: &serde_json::Map<String, Value>,
        members: &serde_json::Map<String, Value>,
        pointer: &str,
        depth: usize,
        found: &mut Vec<FoundDeparture>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let patterns = schema.get("patternProperties").and_then(Value::as_object);
        for (name, member) in members {
            let at = format!("{pointer}/{}", escape(name));
            if let Some(property) = properties.and_then(|properties| properties.get(name)) {
                self.walk(file, property, member, at, depth + 1, found);
                continue;
            }
            let by_pattern = patterns.and_then(|patterns| {
                patterns
                    .iter()
                    .find(|(pattern, _)| simple_pattern_matches(pattern, name))
                    .map(|(_, schema)| schema)
            });
            match (by_pattern, schema.get("additionalProperties")) {
                (Some(pattern_schema), _) => self.walk(file, pattern_schema, member, at, depth + 1, found),
                (None, Some(Value::Bool(false))) => {
                    found.push(departure_at(at, DepartureKind::UnknownField, Some(member), None));
                }
                (None, Some(additional)) if additional.is_object() => {
                    self.walk(file, additional, member, at, depth + 1, found);
                }
                _ => {}
            }
        }
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(name) = required.as_str()
                && !members.contains_key(name)
            {
                found.push(departure_at(
                    format!("{pointer}/{}", escape(name)),
                    DepartureKind::MissingRequiredField,
                    None,
                    None,
                ));
            }
        }
    }

    /// A union: fine if a branch fits, else the departures of the branch
    /// that fits best (fewest departures, a branch of the value's type first).
    fn walk_union(
        &self,
        file: &str,
        branches: &[Value],
        value: &Value,
        pointer: &str,
        depth: usize,
        found: &mut Vec<FoundDeparture>,
    ) {
        let mut best: Option<(usize, Vec<FoundDeparture>)> = None;
        for branch in branches {
            let mut branch_found = Vec::new();
            self.walk(file, branch, value, pointer.to_owned(), depth + 1, &mut branch_found);
            if branch_found.is_empty() {
                return;
            }
            // A branch whose own shape refuses the value outright ranks last.
            let refused_outright = branch_found.iter().any(|departure| {
                departure.pointer == pointer
                    && matches!(
                        departure.kind,
                        DepartureKind::WrongType | DepartureKind::NullNotAllowed | DepartureKind::UndocumentedEnumValue
                    )
            });
            let rank = branch_found.len() + if refused_outright { 1_000 } else { 0 };
            if best.as_ref().is_none_or(|(best_rank, _)| rank < *best_rank) {
                best = Some((rank, branch_found));
            }
        }
        if let Some((_, departures)) = best {
            found.extend(departures);
        }
    }
}

/// Keywords whose failures the walk itself reports.
fn is_structural(keyword: &str) -> bool {
    matches!(
        keyword,
        "additionalProperties"
            | "unevaluatedProperties"
            | "required"
            | "type"
            | "enum"
            | "const"
            | "anyOf"
            | "oneOf"
            | "allOf"
            | "false_schema"
            | "$ref"
    )
}

fn outside_enum(pointer: String, value: &Value) -> FoundDeparture {
    if value.is_null() {
        return departure_at(pointer, DepartureKind::NullNotAllowed, Some(value), None);
    }
    let mut departure = departure_at(pointer, DepartureKind::UndocumentedEnumValue, Some(value), None);
    departure.enum_value = value.as_str().map(str::to_owned);
    departure
}

fn departure_at(pointer: String, kind: DepartureKind, value: Option<&Value>, detail: Option<String>) -> FoundDeparture {
    FoundDeparture {
        pointer,
        kind,
        observed_type: value.map(|value| observed_type(value).to_owned()),
        observed_format: value
            .and_then(Value::as_str)
            .and_then(observed_format)
            .map(str::to_owned),
        enum_value: None,
        detail,
    }
}

/// Whether the `type` keyword (a name or a list) allows `value`.
fn type_allows(types: &Value, value: &Value) -> bool {
    let allows = |name: &str| match name {
        "number" => value.is_number(),
        "integer" => observed_type(value) == "integer",
        other => observed_type(value) == other,
    };
    match types {
        Value::String(name) => allows(name),
        Value::Array(names) => names.iter().filter_map(Value::as_str).any(allows),
        _ => true,
    }
}

/// `patternProperties` as our schemas write them: `^prefix`, `suffix$`,
/// `^...$` with a literal between; anything else is taken to match.
fn simple_pattern_matches(pattern: &str, name: &str) -> bool {
    let literal = |text: &str| !text.contains(['.', '*', '+', '?', '[', '(', '|', '\\', '{']);
    match (pattern.strip_prefix('^'), pattern.strip_suffix('$')) {
        (Some(rest), _) if rest.ends_with('$') && literal(&rest[..rest.len() - 1]) => name == &rest[..rest.len() - 1],
        (Some(prefix), None) if literal(prefix) => name.starts_with(prefix),
        (None, Some(suffix)) if literal(suffix) => name.ends_with(suffix),
        _ => true,
    }
}

/// A JSON pointer segment, escaped.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// `pointer` (into `body`) with every array index written `*`.
pub(super) fn starred(pointer: &str, body: &Value) -> String {
    let mut current = Some(body);
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let is_index = current.is_some_and(Value::is_array);
        out.push('/');
        out.push_str(if is_index { "*" } else { segment });
        let unescaped = segment.replace("~1", "/").replace("~0", "~");
        current = current.and_then(|value| match value {
            Value::Array(items) => unescaped.parse::<usize>().ok().and_then(|index| items.get(index)),
            Value::Object(members) => members.get(&unescaped),
            _ => None,
        });
    }
    out
}
