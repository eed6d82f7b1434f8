//! Compiling the strict schemas into the screen's nodes: each subschema
//! once, by file and JSON pointer; a lone `$ref` becomes the node it points
//! to, shape keywords a [`Shape`], a union of branches of different JSON
//! types an [`Node::Either`], and anything else an [`Exact`] validator
//! reached through the registry, so that its own references resolve as in
//! its file.

use std::collections::BTreeMap;

use serde_json::Value;

use super::text::{TextRule, native_pattern};
use super::{
    ANNOTATIONS, ArrayRule, Branch, Condition, Exact, Node, NodeId, ObjectRule, Shape, StringRule, Types, types_of,
};
use crate::schemas::SchemaFile;
use crate::validate::{self, BuildError};

/// Keywords [`Shape`] reads.
const SHAPE_KEYWORDS: [&str; 15] = [
    "if",
    "then",
    "else",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
];

/// The nodes of every file of `documents`, and the root node of each file.
pub(super) fn compile(
    documents: &[(SchemaFile, Value)],
    registry: &jsonschema::Registry<'_>,
) -> Result<(Vec<Node>, BTreeMap<&'static str, NodeId>), BuildError> {
    let mut compiler = Compiler {
        documents,
        registry,
        nodes: Vec::new(),
        compiled: BTreeMap::new(),
    };
    let mut roots = BTreeMap::new();
    for (file, document) in documents {
        let root = compiler.compile(file, String::new(), document)?;
        roots.insert(file.name, root);
    }
    Ok((compiler.nodes, roots))
}

/// Builds the nodes of the strict schemas, each subschema once.
struct Compiler<'a, 'r> {
    documents: &'a [(SchemaFile, Value)],
    registry: &'a jsonschema::Registry<'r>,
    nodes: Vec<Node>,
    /// The node of each subschema compiled so far, by file and JSON pointer.
    compiled: BTreeMap<(&'static str, String), NodeId>,
}

impl Compiler<'_, '_> {
    /// The node of `schema`, found at `pointer` in `file`.
    fn compile(&mut self, file: &SchemaFile, pointer: String, schema: &Value) -> Result<NodeId, BuildError> {
        let key = (file.name, pointer);
        if let Some(&id) = self.compiled.get(&key) {
            return Ok(id);
        }
        let (_, pointer) = &key;
        let pointer = pointer.clone();
        // Reserved before the children, so that a schema referring to itself ends.
        let id = self.nodes.len();
        self.nodes.push(Node::Any);
        self.compiled.insert(key, id);
        let node = match schema {
            Value::Bool(true) => Node::Any,
            Value::Bool(false) => Node::Never,
            Value::Object(keywords) => {
                let is_root_id = |name: &str| name == "$id" && pointer.is_empty();
                let keywords: Vec<&str> = keywords
                    .keys()
                    .map(String::as_str)
                    .filter(|name| !ANNOTATIONS.contains(name) && !is_root_id(name))
                    .collect();
                if keywords == ["$ref"] {
                    match self.referenced(file, schema)? {
                        Some(target) => Node::Same(target),
                        None => self.exact(file, &pointer, schema)?,
                    }
                } else if keywords == ["oneOf"] || keywords == ["anyOf"] {
                    match self.either(file, &pointer, keywords[0], schema)? {
                        Some(branches) => Node::Either(branches),
                        None => self.exact(file, &pointer, schema)?,
                    }
                } else if keywords.iter().all(|name| SHAPE_KEYWORDS.contains(name)) {
                    match self.shape(file, &pointer, schema)? {
                        Some(shape) => Node::Shape(Box::new(shape)),
                        None => self.exact(file, &pointer, schema)?,
                    }
                } else {
                    self.exact(file, &pointer, schema)?
                }
            }
            _ => self.exact(file, &pointer, schema)?,
        };
        self.nodes[id] = node;
        Ok(id)
    }

    /// The node a lone `$ref` points to, if it names an embedded file and a
    /// JSON pointer in it.
    fn referenced(&mut self, file: &SchemaFile, schema: &Value) -> Result<Option<NodeId>, BuildError> {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return Ok(None);
        };
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !(fragment.is_empty() || fragment.starts_with('/')) || fragment.contains('%') {
            return Ok(None);
        }
        let documents = self.documents;
        let found = if target.is_empty() {
            documents.iter().find(|(candidate, _)| candidate.name == file.name)
        } else {
            documents.iter().find(|(candidate, _)| candidate.name == target)
        };
        let Some((target_file, document)) = found else {
            return Ok(None);
        };
        let Some(target_schema) = document.pointer(fragment) else {
            return Ok(None);
        };
        self.compile(target_file, fragment.to_owned(), target_schema).map(Some)
    }

    /// The shape keywords of `schema`, or `None` if one is written in a
    /// way the screen does not read (it is then left to the validator).
    fn shape(&mut self, file: &SchemaFile, pointer: &str, schema: &Value) -> Result<Option<Shape>, BuildError> {
        let types = match schema.get("type").map(Types::of_keyword) {
            None => Types::ALL,
            Some(Some(types)) => types,
            Some(None) => return Ok(None),
        };
        let count = |name: &str, absent: usize| match schema.get(name) {
            None => Some(absent),
            Some(value) => value.as_u64().and_then(|count| usize::try_from(count).ok()),
        };
        let (Some(min_length), Some(max_length), Some(min_items), Some(max_items)) = (
            count("minLength", 0),
            count("maxLength", usize::MAX),
            count("minItems", 0),
            count("maxItems", usize::MAX),
        ) else {
            return Ok(None);
        };
        let pattern = match schema.get("pattern") {
            None => None,
            Some(pattern) => match pattern.as_str().and_then(native_pattern) {
                Some(pattern) => Some(pattern),
                None => return Ok(None),
            },
        };
        let string = (min_length > 0 || max_length < usize::MAX || pattern.is_some()).then_some(StringRule {
            min_length,
            max_length,
            pattern,
        });
        let array = match schema.get("items") {
            None if min_items == 0 && max_items == usize::MAX => None,
            None => Some(ArrayRule {
                items: self.any(),
                min_items,
                max_items,
            }),
            Some(items @ (Value::Object(_) | Value::Bool(_))) => Some(ArrayRule {
                items: self.compile(file, format!("{pointer}/items"), items)?,
                min_items,
                max_items,
            }),
            Some(_) => return Ok(None),
        };
        let object = match self.object(file, pointer, schema)? {
            Ok(object) => object,
            Err(Unread) => return Ok(None),
        };
        Ok(Some(Shape {
            types,
            string,
            array,
            object,
        }))
    }

    /// `properties`, `required` and `additionalProperties`; `Err(Unread)`
    /// for a required name that is not declared or more than 64 declared names.
    fn object(
        &mut self,
        file: &SchemaFile,
        pointer: &str,
        schema: &Value,
    ) -> Result<Result<Option<ObjectRule>, Unread>, BuildError> {
        let declared = schema.get("properties");
        let required = schema.get("required");
        let additional = schema.get("additionalProperties");
        let by_pattern = schema.get("patternProperties");
        let names = schema.get("propertyNames");
        let condition = schema.get("if");
        if declared.is_none()
            && required.is_none()
            && additional.is_none()
            && by_pattern.is_none()
            && names.is_none()
            && condition.is_none()
        {
            return Ok(Ok(None));
        }
        let mut patterns = Vec::new();
        match by_pattern {
            None => {}
            Some(Value::Object(by_pattern)) if by_pattern.len() <= 64 => {
                for (pattern, property) in by_pattern {
                    let Some(regex) = native_pattern(pattern) else {
                        return Ok(Err(Unread));
                    };
                    let at = format!(
                        "{pointer}/patternProperties/{}",
                        pattern.replace('~', "~0").replace('/', "~1")
                    );
                    patterns.push((regex, self.compile(file, at, property)?));
                }
            }
            Some(_) => return Ok(Err(Unread)),
        }
        let names = match names {
            None => None,
            Some(names) => Some(self.compile(file, format!("{pointer}/propertyNames"), names)?),
        };
        let mut declared_properties = Vec::new();
        match declared {
            None => {}
            Some(Value::Object(declared)) => {
                for (name, property) in declared {
                    let at = format!("{pointer}/properties/{}", name.replace('~', "~0").replace('/', "~1"));
                    declared_properties.push((name.as_str(), self.compile(file, at, property)?));
                }
            }
            Some(_) => return Ok(Err(Unread)),
        }
        if declared_properties.len() > 64 {
            return Ok(Err(Unread));
        }
        let properties: Vec<(Box<str>, NodeId)> = declared_properties
            .into_iter()
            .map(|(name, node)| (Box::from(name), node))
            .collect();
        let longest = properties.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
        let mut by_length = vec![Vec::new(); longest + 1];
        for (index, (name, _)) in properties.iter().enumerate() {
            by_length[name.len()].push(index);
        }
        let mut required_bits = 0_u64;
        for name in required.and_then(Value::as_array).into_iter().flatten() {
            let index = name
                .as_str()
                .and_then(|name| properties.iter().position(|(declared, _)| declared.as_ref() == name));
            match index {
                Some(index) => required_bits |= 1 << index,
                None => return Ok(Err(Unread)),
            }
        }
        if required.is_some_and(|required| !required.is_array()) {
            return Ok(Err(Unread));
        }
        let additional = match additional {
            None => self.any(),
            Some(schema @ (Value::Object(_) | Value::Bool(_))) => {
                self.compile(file, format!("{pointer}/additionalProperties"), schema)?
            }
            Some(_) => return Ok(Err(Unread)),
        };
        let (condition, conditional) = match condition {
            None => (None, 0),
            Some(_) => match self.condition(file, pointer, schema, &properties)? {
                Some(condition) => {
                    let conditional = condition
                        .tested
                        .iter()
                        .map(|(index, _)| *index)
                        .chain(condition.then.properties.iter().map(|(index, _)| *index))
                        .chain(condition.otherwise.properties.iter().map(|(index, _)| *index))
                        .fold(0, |bits, index| bits | 1 << index);
                    (Some(condition), conditional)
                }
                None => return Ok(Err(Unread)),
            },
        };
        Ok(Ok(Some(ObjectRule {
            properties,
            by_length,
            required: required_bits,
            patterns,
            additional,
            names,
            condition,
            conditional,
        })))
    }

    /// The `if`, `then` and `else` of `schema`, if each has only
    /// `properties` and `required` (and annotations), all of them declared
    /// in `declared`.
    fn condition(
        &mut self,
        file: &SchemaFile,
        pointer: &str,
        schema: &Value,
        declared: &[(Box<str>, NodeId)],
    ) -> Result<Option<Condition>, BuildError> {
        let index_of = |name: &str| declared.iter().position(|(candidate, _)| candidate.as_ref() == name);
        // The properties and required bits of one of `if`, `then`, `else`.
        let parts = |keyword: &str| -> Option<Part<'_>> {
            let Some(part) = schema.get(keyword) else {
                return Some(Part::default());
            };
            let part = part.as_object()?;
            if part
                .keys()
                .any(|name| !ANNOTATIONS.contains(&name.as_str()) && name != "properties" && name != "required")
            {
                return None;
            }
            let mut properties = Vec::new();
            if let Some(listed) = part.get("properties") {
                for (name, property) in listed.as_object()? {
                    let at = format!(
                        "{pointer}/{keyword}/properties/{}",
                        name.replace('~', "~0").replace('/', "~1")
                    );
                    properties.push((index_of(name)?, at, property));
                }
            }
            let mut required = 0_u64;
            if let Some(listed) = part.get("required") {
                for name in listed.as_array()? {
                    required |= 1 << index_of(name.as_str()?)?;
                }
            }
            Some(Part { properties, required })
        };
        let (Some(tested), Some(then), Some(otherwise)) = (parts("if"), parts("then"), parts("else")) else {
            return Ok(None);
        };
        let mut condition = Condition {
            tested: Vec::new(),
            tested_required: tested.required,
            then: Branch {
                properties: Vec::new(),
                required: then.required,
            },
            otherwise: Branch {
                properties: Vec::new(),
                required: otherwise.required,
            },
        };
        for (index, at, property) in tested.properties {
            let Node::Exact(exact) = self.exact(file, &at, property)? else {
                return Ok(None);
            };
            condition.tested.push((index, exact.validator));
        }
        for (index, at, property) in then.properties {
            condition
                .then
                .properties
                .push((index, self.compile(file, at, property)?));
        }
        for (index, at, property) in otherwise.properties {
            condition
                .otherwise
                .properties
                .push((index, self.compile(file, at, property)?));
        }
        Ok(Some(condition))
    }

    /// A node that accepts anything.
    fn any(&mut self) -> NodeId {
        self.nodes.push(Node::Any);
        self.nodes.len() - 1
    }

    /// The branches of a `oneOf` or an `anyOf` (`keyword`), if no two of
    /// them admit the same JSON type: then at most one can hold, and
    /// `oneOf` and `anyOf` both mean "the branch the value's type allows".
    fn either(
        &mut self,
        file: &SchemaFile,
        pointer: &str,
        keyword: &str,
        schema: &Value,
    ) -> Result<Option<Vec<(NodeId, Types)>>, BuildError> {
        let Some(branches) = schema.get(keyword).and_then(Value::as_array) else {
            return Ok(None);
        };
        let mut compiled = Vec::new();
        let mut admitted = 0_u8;
        for (index, branch) in branches.iter().enumerate() {
            let id = self.compile(file, format!("{pointer}/{keyword}/{index}"), branch)?;
            let types = types_of(&self.nodes, id);
            if types & admitted != 0 {
                return Ok(None);
            }
            admitted |= types;
            compiled.push((id, Types(types)));
        }
        Ok(Some(compiled))
    }

    /// The exact validator of `schema`, found at `pointer` in `file`,
    /// reached through the registry so that its own references resolve as
    /// in the file; with the JSON types its `type` keyword admits, and what
    /// can be decided of a string without it.
    fn exact(&self, file: &SchemaFile, pointer: &str, schema: &Value) -> Result<Node, BuildError> {
        let wrapper = serde_json::json!({ "$ref": format!("{}#{}", file.id(), fragment(pointer)) });
        let validator = validate::compile(self.registry, &wrapper, file.name)?;
        // Without a `type` the validator admits any type; so does this
        // node with one this reading does not know.
        let types = schema.get("type").and_then(Types::of_keyword).unwrap_or(Types::ALL);
        let text = TextRule::of(schema);
        Ok(Node::Exact(Exact {
            validator: Box::new(validator),
            types,
            text,
        }))
    }
}

/// The `properties` (each with its index among the declared ones, its
/// pointer and its subschema) and `required` of an `if`, a `then` or an `else`.
#[derive(Default)]
struct Part<'s> {
    properties: Vec<(usize, String, &'s Value)>,
    required: u64,
}

/// A subschema written in a way the screen does not read.
struct Unread;

/// `pointer` as a URI fragment: every byte but an unreserved one or `/`
/// percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut encoded = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
