//! The screen's reading of a body: a `DeserializeSeed` per node, driven by
//! `serde_json`'s tokens. A value that is refused stops the reading with an
//! error that carries nothing of the body: the caller only needs to know
//! that the screen cannot vouch for it.

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Condition, Exact, Node, NodeId, ObjectRule, Screen, Shape, Types};

/// Whether the value `deserializer` holds matches the node `root`.
pub(super) fn accepts<'de, D: Deserializer<'de>>(screen: &Screen, root: NodeId, deserializer: D) -> bool {
    Expect { screen, node: root }.deserialize(deserializer).is_ok()
}

impl Screen {
    /// Judges a value already read against node `node`.
    fn judge_value(&self, node: NodeId, value: &Value) -> Result<(), serde_json::Error> {
        Expect { screen: self, node }.deserialize(value)
    }
}

/// Reads one value and checks it against one node.
#[derive(Clone, Copy)]
struct Expect<'s> {
    screen: &'s Screen,
    node: NodeId,
}

/// The error that stops the reading; it names no value.
fn refused<E: de::Error>() -> E {
    E::custom("the value is not one the screen accepts")
}

/// The exact validator's verdict on `value`.
fn judge<E: de::Error>(exact: &Exact, value: &Value) -> Result<(), E> {
    if exact.validator.is_valid(value) {
        Ok(())
    } else {
        Err(refused())
    }
}

impl<'de> DeserializeSeed<'de> for Expect<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.screen.node(self.node) {
            Some(Node::Any) => IgnoredAny::deserialize(deserializer).map(drop),
            Some(Node::Exact(exact)) if exact.text.is_none() => judge(exact, &Value::deserialize(deserializer)?),
            Some(node) => deserializer.deserialize_any(Judge {
                screen: self.screen,
                node,
            }),
            None => Err(refused()),
        }
    }
}

/// Judges the value whose first token it is given against one node.
#[derive(Clone, Copy)]
struct Judge<'s> {
    screen: &'s Screen,
    node: &'s Node,
}

impl<'s> Judge<'s> {
    /// The branch of an [`Node::Either`] that admits `kind`, as a judge.
    fn branch(&self, branches: &[(NodeId, Types)], kind: u8) -> Option<Self> {
        let (branch, _) = branches.iter().find(|(_, types)| types.allows(kind))?;
        Some(Self {
            node: self.screen.node(*branch)?,
            ..*self
        })
    }

    /// Judges a scalar of `kind`; `value` builds it for the exact validator.
    fn scalar<E: de::Error>(self, kind: u8, value: impl FnOnce() -> Value) -> Result<(), E> {
        match self.node {
            Node::Any => Ok(()),
            Node::Shape(shape) => require(shape, kind),
            Node::Exact(exact) => judge(exact, &value()),
            Node::Either(branches) => match self.branch(branches, kind) {
                Some(branch) => branch.scalar(kind, value),
                None => Err(refused()),
            },
            Node::Never | Node::Same(_) => Err(refused()),
        }
    }
}

/// Whether `shape`'s `type` admits `kind`.
fn require<E: de::Error>(shape: &Shape, kind: u8) -> Result<(), E> {
    if shape.types.allows(kind) {
        Ok(())
    } else {
        Err(refused())
    }
}

impl<'de> Visitor<'de> for Judge<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(Types::NULL, || Value::Null)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        self.scalar(Types::BOOLEAN, || Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<(), E> {
        self.scalar(Types::INTEGER, || Value::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<(), E> {
        self.scalar(Types::INTEGER, || Value::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<(), E> {
        // As `serde_json::Value` reads it.
        self.scalar(Types::FRACTION, || {
            serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
        })
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        match self.node {
            Node::Shape(shape) => {
                require(shape, Types::STRING)?;
                if shape.string.as_ref().is_none_or(|rule| rule.admits(text)) {
                    Ok(())
                } else {
                    Err(refused())
                }
            }
            Node::Exact(exact) => match exact.text.as_ref().and_then(|rule| rule.decide(text)) {
                Some(true) => Ok(()),
                Some(false) => Err(refused()),
                None => judge(exact, &Value::String(text.to_owned())),
            },
            Node::Either(branches) => match self.branch(branches, Types::STRING) {
                Some(branch) => branch.visit_str(text),
                None => Err(refused()),
            },
            Node::Any => Ok(()),
            Node::Never | Node::Same(_) => Err(refused()),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let shape = match self.node {
            Node::Shape(shape) => shape,
            Node::Exact(exact) => return judge(exact, &Value::deserialize(SeqAccessDeserializer::new(items))?),
            Node::Either(branches) => {
                return match self.branch(branches, Types::ARRAY) {
                    Some(branch) => branch.visit_seq(items),
                    None => Err(refused()),
                };
            }
            Node::Any => {
                while items.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            Node::Never | Node::Same(_) => return Err(refused()),
        };
        require(shape, Types::ARRAY)?;
        let Some(rule) = &shape.array else {
            while items.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        let item = Expect {
            screen: self.screen,
            node: rule.items,
        };
        let mut count = 0_usize;
        while items.next_element_seed(item)?.is_some() {
            count += 1;
            if count > rule.max_items {
                return Err(refused());
            }
        }
        if count < rule.min_items {
            return Err(refused());
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<(), A::Error> {
        let shape = match self.node {
            Node::Shape(shape) => shape,
            Node::Exact(exact) => return judge(exact, &Value::deserialize(MapAccessDeserializer::new(members))?),
            Node::Either(branches) => {
                return match self.branch(branches, Types::OBJECT) {
                    Some(branch) => branch.visit_map(members),
                    None => Err(refused()),
                };
            }
            Node::Any => {
                while members.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            Node::Never | Node::Same(_) => return Err(refused()),
        };
        require(shape, Types::OBJECT)?;
        let Some(rule) = &shape.object else {
            while members.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        let mut seen = 0_u64;
        let mut verdicts = Verdicts::default();
        let name = Name {
            screen: self.screen,
            rule,
        };
        while let Some(key) = members.next_key_seed(name)? {
            if let Some(index) = key.declared {
                // A name given twice: the parsed body keeps the last value
                // only, so the screen cannot judge what it reads.
                if seen & (1 << index) != 0 {
                    return Err(refused());
                }
                seen |= 1 << index;
            }
            let mut nodes = key.declared.map(|index| rule.properties[index].1).into_iter().chain(
                (0..rule.patterns.len())
                    .filter(|index| key.patterns & (1 << index) != 0)
                    .map(|index| rule.patterns[index].1),
            );
            let first = nodes.next();
            let second = nodes.next();
            let conditional = key.declared.filter(|index| rule.conditional & (1 << index) != 0);
            match (first, second, conditional) {
                (None, _, _) => members.next_value_seed(Expect {
                    screen: self.screen,
                    node: rule.additional,
                })?,
                (Some(node), None, None) => members.next_value_seed(Expect {
                    screen: self.screen,
                    node,
                })?,
                // Several subschemas apply to this value (a declared name
                // that matches a pattern, or two patterns, or a property an
                // `if` reads): it is read once, then judged by each.
                (Some(first), second, conditional) => {
                    let value: Value = members.next_value()?;
                    for node in [Some(first), second].into_iter().flatten().chain(nodes) {
                        self.screen
                            .judge_value(node, &value)
                            .map_err(|_| refused::<A::Error>())?;
                    }
                    if let (Some(index), Some(condition)) = (conditional, &rule.condition) {
                        verdicts.note(self.screen, condition, index, &value);
                    }
                }
            }
        }
        if let Some(condition) = &rule.condition
            && !verdicts.hold(condition, seen)
        {
            return Err(refused());
        }
        if seen & rule.required != rule.required {
            return Err(refused());
        }
        Ok(())
    }
}

/// What the properties an `if`, a `then` or an `else` reads were found to
/// be, one bit per declared property that failed.
#[derive(Default)]
struct Verdicts {
    tested_failed: u64,
    then_failed: u64,
    otherwise_failed: u64,
}

impl Verdicts {
    /// Judges `value`, the declared property `index`, by each part of
    /// `condition` that reads it.
    fn note(&mut self, screen: &Screen, condition: &Condition, index: usize, value: &Value) {
        let bit = 1 << index;
        for (tested, validator) in &condition.tested {
            if *tested == index && !validator.is_valid(value) {
                self.tested_failed |= bit;
            }
        }
        for (branch, failed) in [
            (&condition.then, &mut self.then_failed),
            (&condition.otherwise, &mut self.otherwise_failed),
        ] {
            for (property, node) in &branch.properties {
                if *property == index && screen.judge_value(*node, value).is_err() {
                    *failed |= bit;
                }
            }
        }
    }

    /// Whether the branch the `if` chooses holds, for an object whose
    /// declared properties present are `seen`.
    fn hold(&self, condition: &Condition, seen: u64) -> bool {
        let tested_holds = seen & condition.tested_required == condition.tested_required && self.tested_failed == 0;
        let (branch, failed) = if tested_holds {
            (&condition.then, self.then_failed)
        } else {
            (&condition.otherwise, self.otherwise_failed)
        };
        failed == 0 && seen & branch.required == branch.required
    }
}

/// A property's name, as the object's rule sees it.
struct Key {
    /// The index of the declared property of that name.
    declared: Option<usize>,
    /// One bit per pattern of `patternProperties` the name matches.
    patterns: u64,
}

/// Reads a property's name, checks it against `propertyNames`, and says
/// which subschemas apply to its value.
#[derive(Clone, Copy)]
struct Name<'s> {
    screen: &'s Screen,
    rule: &'s ObjectRule,
}

impl<'de> DeserializeSeed<'de> for Name<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name<'_> {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        if let Some(names) = self.rule.names {
            match self.screen.node(names) {
                Some(node) => Judge {
                    screen: self.screen,
                    node,
                }
                .visit_str(name)?,
                None => return Err(refused()),
            }
        }
        let patterns = self
            .rule
            .patterns
            .iter()
            .enumerate()
            .filter(|(_, (pattern, _))| pattern.is_match(name))
            .fold(0, |bits, (index, _)| bits | 1 << index);
        Ok(Key {
            declared: self.rule.property(name),
            patterns,
        })
    }
}
