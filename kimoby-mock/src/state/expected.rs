//! What a request field must hold, in words a user understands, read from
//! the strict schemas: the answer to a refused body says what was expected
//! (`cell_phone_number: must be a phone number in E.164 format ... matching
//! the pattern ^\+[1-9][0-9]{1,14}$, or null`), never a JSON Schema keyword
//! or a validator's own phrase, and never the value that was sent.

use std::collections::BTreeMap;

use kimoby_generated::schemas::{self, Profile};
use kimoby_generated::validate::ValidationIssue;
use serde_json::Value;

/// How deep `$ref`s and unions are followed when describing one value.
const MAX_DEPTH: usize = 6;

/// The strict schema files, parsed, by file name.
#[derive(Debug)]
pub struct Expectations {
    files: BTreeMap<&'static str, Value>,
}

impl Expectations {
    /// Parses every embedded strict schema file (the manifest apart).
    pub fn new() -> Self {
        let files = schemas::profile(Profile::Strict)
            .filter(|file| file.name != schemas::MANIFEST_FILE)
            .filter_map(|file| Some((file.name, serde_json::from_str(file.json).ok()?)))
            .collect();
        Self { files }
    }

    /// `field: what is wrong` for one validation issue of a body checked
    /// against the file `schema`.
    pub fn describe(&self, schema: &str, issue: &ValidationIssue) -> String {
        let segments = pointer_segments(&issue.instance_path);
        let field = segments.join(".");
        let at = |text: String| {
            if field.is_empty() {
                text
            } else {
                format!("{field}: {text}")
            }
        };
        match issue.keyword.as_str() {
            "required" => {
                let missing = quoted_name(&issue.message).unwrap_or("a field");
                let path = if field.is_empty() {
                    missing.to_owned()
                } else {
                    format!("{field}.{missing}")
                };
                format!("{path}: is required")
            }
            "additionalProperties" | "unevaluatedProperties" => {
                at("is not a field of this request; remove it or check its spelling".to_owned())
            }
            _ => {
                let expected = self
                    .files
                    .get(schema)
                    .and_then(|root| self.schema_at(root, &segments, 0))
                    .map(|target| self.expectation(target, 0));
                match expected {
                    Some(expected) if !expected.is_empty() => at(format!("must be {expected}")),
                    _ => at("does not have the expected form".to_owned()),
                }
            }
        }
    }

    /// The schema that describes the value at `segments` below `schema`.
    fn schema_at<'a>(&'a self, schema: &'a Value, segments: &[String], depth: usize) -> Option<&'a Value> {
        if depth > MAX_DEPTH * 4 {
            return None;
        }
        let schema = self.resolve(schema);
        let Some((first, rest)) = segments.split_first() else {
            return Some(schema);
        };
        if let Some(next) = schema
            .get("properties")
            .and_then(|properties| properties.get(first.as_str()))
        {
            return self.schema_at(next, rest, depth + 1);
        }
        if let Some(items) = schema.get("items")
            && first.parse::<usize>().is_ok()
        {
            return self.schema_at(items, rest, depth + 1);
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            for branch in schema.get(keyword).and_then(Value::as_array).into_iter().flatten() {
                if let Some(found) = self.schema_at(branch, segments, depth + 1) {
                    return Some(found);
                }
            }
        }
        if let Some(by_name) = pattern_property(schema, first) {
            return self.schema_at(by_name, rest, depth + 1);
        }
        match schema.get("additionalProperties") {
            Some(additional @ Value::Object(_)) => self.schema_at(additional, rest, depth + 1),
            _ => None,
        }
    }

    /// The schema a `$ref` to a schema file names (or `schema` itself).
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .map(|reference| reference.split('#').next().unwrap_or(reference))
            .map(|file| file.rsplit('/').next().unwrap_or(file))
            .and_then(|file| self.files.get(file))
            .unwrap_or(schema)
    }

    /// What `schema` accepts, as a phrase that follows "must be".
    fn expectation(&self, schema: &Value, depth: usize) -> String {
        join_alternatives(&self.alternatives(schema, depth))
    }

    /// What `schema` accepts, one phrase per alternative (nested unions
    /// flattened).
    fn alternatives(&self, schema: &Value, depth: usize) -> Vec<String> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let schema = self.resolve(schema);
        for keyword in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
                return branches
                    .iter()
                    .flat_map(|branch| self.alternatives(branch, depth + 1))
                    .collect();
            }
        }
        let single = self.single(schema);
        if single.is_empty() { Vec::new() } else { vec![single] }
    }

    /// What a schema without `oneOf`/`anyOf` accepts.
    fn single(&self, schema: &Value) -> String {
        if let Some(constant) = schema.get("const") {
            return format!("exactly {constant}");
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<String> = values.iter().map(Value::to_string).collect();
            return format!("one of {}", values.join(", "));
        }
        let kinds: Vec<&str> = match schema.get("type") {
            Some(Value::String(kind)) => vec![kind.as_str()],
            Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let phrases: Vec<String> = kinds.iter().map(|kind| kind_phrase(schema, kind)).collect();
        let mut phrase = join_alternatives(&phrases);
        if let Some(description) = schema.get("description").and_then(Value::as_str)
            && kinds.iter().all(|kind| *kind == "string" || *kind == "null")
            && schema.get("pattern").is_some()
        {
            // A constrained string file (a phone number, a country code)
            // says in its description what the pattern means.
            let first_sentence = description.split(". ").next().unwrap_or(description);
            phrase = format!(
                "{}, written as {phrase}",
                lower_first(first_sentence.trim_end_matches('.'))
            );
        }
        phrase
    }
}

impl Default for Expectations {
    fn default() -> Self {
        Self::new()
    }
}

/// The `patternProperties` schema that judges the property `name`, without a
/// regex engine: a pattern that is a literal suffix (`_date$`) matches the
/// names ending in it; when none does, the one other pattern (the custom
/// attributes' "does not end in `_array`") is taken.
fn pattern_property<'a>(schema: &'a Value, name: &str) -> Option<&'a Value> {
    let patterns = schema.get("patternProperties")?.as_object()?;
    let literal_suffix = |pattern: &str| {
        pattern
            .strip_suffix('$')
            .filter(|suffix| {
                suffix
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric() || character == '_')
            })
            .map(str::to_owned)
    };
    if let Some((_, matched)) = patterns
        .iter()
        .find(|(pattern, _)| literal_suffix(pattern).is_some_and(|suffix| name.ends_with(&suffix)))
    {
        return Some(matched);
    }
    let mut others = patterns.iter().filter(|(pattern, _)| literal_suffix(pattern).is_none());
    match (others.next(), others.next()) {
        (Some((_, only)), None) => Some(only),
        _ => None,
    }
}

/// One JSON type with the constraints the schema puts on it.
fn kind_phrase(schema: &Value, kind: &str) -> String {
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    match kind {
        "null" => "null".to_owned(),
        "boolean" => "true or false".to_owned(),
        "object" => "an object".to_owned(),
        "string" => {
            let mut phrase = match schema.get("format").and_then(Value::as_str) {
                Some("date-time") => {
                    "a date with time in RFC 3339 format (such as 2016-06-22T16:20:00+00:00)".to_owned()
                }
                Some("email") => "an email address".to_owned(),
                Some("uri") => "an absolute URL".to_owned(),
                Some(other) => format!("text in {other} format"),
                None => "text".to_owned(),
            };
            match (number("minLength"), number("maxLength")) {
                (Some(min), Some(max)) => phrase.push_str(&format!(" of {min} to {max} characters")),
                (Some(min), None) if min > 0.0 => phrase.push_str(&format!(" of at least {min} character(s)")),
                (None, Some(max)) => phrase.push_str(&format!(" of at most {max} characters")),
                _ => {}
            }
            if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                phrase.push_str(&format!(" matching the pattern {pattern}"));
            }
            phrase
        }
        "integer" | "number" => {
            let mut phrase = if kind == "integer" {
                "a whole number"
            } else {
                "a number"
            }
            .to_owned();
            match (number("minimum"), number("exclusiveMinimum"), number("maximum")) {
                (Some(min), _, Some(max)) => phrase.push_str(&format!(" from {min} to {max}")),
                (Some(min), _, None) => phrase.push_str(&format!(" of at least {min}")),
                (None, Some(min), _) => phrase.push_str(&format!(" greater than {min}")),
                (None, None, Some(max)) => phrase.push_str(&format!(" of at most {max}")),
                _ => {}
            }
            phrase
        }
        "array" => {
            let mut phrase = "a list".to_owned();
            if number("minItems").is_some_and(|min| min >= 1.0) {
                phrase = "a non-empty list".to_owned();
            }
            phrase
        }
        other => format!("a JSON {other}"),
    }
}

/// `a`, `a or b`, `a, b or c`.
fn join_alternatives(phrases: &[String]) -> String {
    match phrases {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn lower_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// The segments of a JSON pointer, unescaped.
fn pointer_segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The first `"quoted"` name of a message (`"name" is a required property`).
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('"')? + 1;
    let length = message[start..].find('"')?;
    Some(&message[start..start + length])
}
