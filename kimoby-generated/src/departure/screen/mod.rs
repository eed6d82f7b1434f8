//! [`Screen`]: the strict check of a JSON body read straight from its bytes,
//! without building a `serde_json::Value` for it. It is the first pass of a
//! check, and the exact validator's answer in most cases: almost every body
//! matches, and for those the screen says so at a fraction of the cost of
//! parsing the body into a `Value` (see `BENCHMARKS.md`, section 8).
//!
//! Each strict schema is compiled into nodes (`compile.rs`) that a
//! `DeserializeSeed` follows as the tokens come (`read.rs`). Read natively:
//! the keywords that give a body its shape (`type`, `properties`,
//! `required`, `additionalProperties`, `patternProperties`,
//! `propertyNames`, `items`, `minItems`, `maxItems`, `minLength`,
//! `maxLength`, a `$ref` alone), an `if`/`then`/`else` over declared
//! properties, a `oneOf` or `anyOf` whose branches admit
//! different JSON types, a `pattern` written in a syntax that means the same
//! in ECMA-262 and in the `regex` crate, and the plainest writings of a
//! date-time and an email (`text.rs`). Any other subschema (bounds, an
//! `enum`, a `const`, another format, ...) is left
//! to the `jsonschema` validator itself, compiled for that subschema and
//! given a `Value` of that part of the body only (so is each property an
//! `if` tests: choosing a branch needs a verdict both ways). So the screen accepts a
//! body only if every keyword on the way was checked, natively or by the
//! exact validator. Where it is unsure (a number such as `1.0` where an
//! integer is expected, a key given twice) it refuses, and the caller falls
//! back to parsing the body and asking the validator, which has the last
//! word.

mod compile;
mod read;
mod text;

use std::collections::BTreeMap;

use crate::schemas::Profile;
use crate::validate::{self, BuildError};

use self::text::TextRule;

/// A node of a compiled schema: an index into [`Screen::nodes`].
type NodeId = usize;

/// The strict schemas, compiled to be checked as a body streams.
pub(crate) struct Screen {
    nodes: Vec<Node>,
    roots: BTreeMap<&'static str, NodeId>,
}

/// What a subschema asks of a value.
enum Node {
    /// Anything (`true`, or a schema of annotations only).
    Any,
    /// Nothing (`false`).
    Never,
    /// The same as another node (a `$ref` alone).
    Same(NodeId),
    /// A subschema the screen does not read itself: the exact validator of
    /// that subschema judges the value, built as a `Value`.
    Exact(Exact),
    /// A subschema of shape keywords only.
    Shape(Box<Shape>),
    /// A `oneOf` or an `anyOf` whose branches admit different JSON types:
    /// the value is judged by the one branch its type allows. Each branch
    /// with the types it admits.
    Either(Vec<(NodeId, Types)>),
}

/// A subschema left to its exact validator.
struct Exact {
    validator: Box<jsonschema::Validator>,
    /// The JSON types its `type` keyword admits (all without one).
    types: Types,
    /// What can be decided of a string without the validator, if anything.
    text: Option<TextRule>,
}

/// The JSON types a value may have, one bit each.
#[derive(Clone, Copy)]
struct Types(u8);

impl Types {
    /// The types any value may have: no `type` keyword.
    const ALL: Self = Self(u8::MAX);
    const NULL: u8 = 1;
    const BOOLEAN: u8 = 1 << 1;
    /// An integer, written without a fraction or an exponent.
    const INTEGER: u8 = 1 << 2;
    /// Any other number.
    const FRACTION: u8 = 1 << 3;
    const STRING: u8 = 1 << 4;
    const ARRAY: u8 = 1 << 5;
    const OBJECT: u8 = 1 << 6;

    fn allows(self, kind: u8) -> bool {
        self.0 & kind != 0
    }

    /// The bits of a `type` keyword's name; `None` for a name this reader
    /// does not know. `integer` admits only integers written as such: a
    /// `1.0` is refused here, and judged by the exact validator on the way
    /// back.
    fn of_name(name: &str) -> Option<u8> {
        Some(match name {
            "null" => Self::NULL,
            "boolean" => Self::BOOLEAN,
            "integer" => Self::INTEGER,
            "number" => Self::INTEGER | Self::FRACTION,
            "string" => Self::STRING,
            "array" => Self::ARRAY,
            "object" => Self::OBJECT,
            _ => return None,
        })
    }

    /// The types a `type` keyword admits; `None` for one this reading does
    /// not know.
    fn of_keyword(keyword: &serde_json::Value) -> Option<Self> {
        match keyword {
            serde_json::Value::String(name) => Self::of_name(name).map(Self),
            serde_json::Value::Array(names) => names
                .iter()
                .try_fold(0, |bits, name| Some(bits | Self::of_name(name.as_str()?)?))
                .map(Self),
            _ => None,
        }
    }
}

/// Keywords that never change a verdict.
pub(super) const ANNOTATIONS: [&str; 10] = [
    "$comment",
    "$schema",
    "$defs",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// The shape keywords of one subschema.
struct Shape {
    types: Types,
    string: Option<StringRule>,
    array: Option<ArrayRule>,
    object: Option<ObjectRule>,
}

/// `minLength` and `maxLength`, in characters, and `pattern`.
struct StringRule {
    min_length: usize,
    max_length: usize,
    pattern: Option<regex::Regex>,
}

impl StringRule {
    fn admits(&self, text: &str) -> bool {
        let length_admitted = (self.min_length == 0 && self.max_length == usize::MAX) || {
            let length = text.chars().count();
            self.min_length <= length && length <= self.max_length
        };
        length_admitted && self.pattern.as_ref().is_none_or(|pattern| pattern.is_match(text))
    }
}

/// `items`, `minItems` and `maxItems`.
struct ArrayRule {
    items: NodeId,
    min_items: usize,
    max_items: usize,
}

/// `properties`, `required`, `patternProperties`, `additionalProperties`
/// and `propertyNames`.
struct ObjectRule {
    /// The declared names, in the schema's order, each with its node.
    properties: Vec<(Box<str>, NodeId)>,
    /// The indices of `properties` by the length of their names: a name is
    /// compared only with the declared names of its length.
    by_length: Vec<Vec<usize>>,
    /// One bit per required property, by its index in `properties`.
    required: u64,
    /// The node of the properties whose names match each pattern.
    patterns: Vec<(regex::Regex, NodeId)>,
    /// The node of any other property.
    additional: NodeId,
    /// The node every name must match, as a string.
    names: Option<NodeId>,
    /// An `if` on declared properties, with its `then` and `else`.
    condition: Option<Condition>,
    /// One bit per declared property the condition reads.
    conditional: u64,
}

/// `if`, `then` and `else` over declared properties: the `if` holds when
/// its required properties are present and each of its properties that is
/// present matches; then the `then` branch applies, else the `else` one.
struct Condition {
    /// The declared properties the `if` reads (by index), each with the
    /// exact validator of its subschema there: the choice of a branch needs
    /// a verdict both ways, which only the validator gives.
    tested: Vec<(usize, Box<jsonschema::Validator>)>,
    /// One bit per property the `if` requires.
    tested_required: u64,
    then: Branch,
    otherwise: Branch,
}

/// What `then` or `else` asks of the declared properties.
struct Branch {
    /// Declared properties (by index), each with its node there.
    properties: Vec<(usize, NodeId)>,
    /// One bit per property the branch requires.
    required: u64,
}

impl ObjectRule {
    /// The index of the declared property `name`.
    fn property(&self, name: &str) -> Option<usize> {
        self.by_length
            .get(name.len())?
            .iter()
            .copied()
            .find(|&index| self.properties[index].0.as_ref() == name)
    }
}

impl Screen {
    /// Compiles every file of the strict profile.
    pub(crate) fn new() -> Result<Self, BuildError> {
        let documents = validate::parse_documents(Profile::Strict)?;
        let registry = validate::registry(&documents)?;
        let (nodes, roots) = compile::compile(&documents, &registry)?;
        Ok(Self { nodes, roots })
    }

    /// Whether the JSON text `body` certainly matches the strict schema file
    /// `schema`. `false` when it departs, is not JSON, or the screen cannot
    /// be sure; `false` for an unknown schema.
    pub(crate) fn accepts(&self, schema: &str, body: &[u8]) -> bool {
        let Some(&root) = self.roots.get(schema) else {
            return false;
        };
        // One check of the whole text for UTF-8 is cheaper than one per string.
        let Ok(text) = std::str::from_utf8(body) else {
            return false;
        };
        let mut deserializer = serde_json::Deserializer::from_str(text);
        read::accepts(self, root, &mut deserializer) && deserializer.end().is_ok()
    }

    /// The node `id` stands for, references followed; `None` for a
    /// reference that only leads back to itself.
    fn node(&self, mut id: NodeId) -> Option<&Node> {
        for _ in 0..=self.nodes.len() {
            match &self.nodes[id] {
                Node::Same(target) => id = *target,
                node => return Some(node),
            }
        }
        None
    }
}

/// The JSON types node `id` of `nodes` may admit, one bit each; all of
/// them when unsure.
fn types_of(nodes: &[Node], id: NodeId) -> u8 {
    let mut id = id;
    for _ in 0..=nodes.len() {
        return match &nodes[id] {
            Node::Same(target) => {
                id = *target;
                continue;
            }
            Node::Never => 0,
            Node::Shape(shape) => shape.types.0,
            Node::Exact(exact) => exact.types.0,
            Node::Either(branches) => branches.iter().fold(0, |all, (_, types)| all | types.0),
            // `Any`, and a node still being compiled (reserved as `Any`).
            Node::Any => Types::ALL.0,
        };
    }
    Types::ALL.0
}

#[cfg(test)]
mod tests;
