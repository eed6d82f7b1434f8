//! One payload evolved along its schema: at each object an extra property,
//! at each unset optional property a `null`, at each string whose schema is
//! an `enum` an undocumented value, each opportunity taken with the rate's
//! probability, drawn from a ChaCha8 generator seeded for that payload.
//! Values of maps (`custom_attributes`) are left as they are; a map only
//! gains an entry of a kind its value schema allows.

use rand::RngExt as _;
use rand::rngs::ChaCha8Rng;
use serde_json::{Map, Value};

use super::EXTRA_PREFIX;
use super::schema::{Location, SchemaSet, View};

/// How deep a payload is walked (the documented ones are far shallower).
const MAX_DEPTH: usize = 64;

/// What one payload's evolution did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mutations {
    /// Properties added under a `zz_evolved_` name.
    pub extra_properties: usize,
    /// Enum strings replaced with an undocumented value.
    pub enum_values: usize,
    /// Unset optional properties added as `null`.
    pub nulls: usize,
}

impl Mutations {
    /// How many changes in all.
    pub fn total(&self) -> usize {
        self.extra_properties + self.enum_values + self.nulls
    }
}

/// The walk over one payload.
pub(super) struct Mutator<'a> {
    pub schemas: &'a SchemaSet,
    pub rng: ChaCha8Rng,
    pub rate: f64,
    /// The number of the last `zz_evolved_<n>` name given in this payload.
    pub last_name: u64,
    pub done: Mutations,
}

impl Mutator<'_> {
    /// Evolves `instance`, which `location` describes.
    pub fn evolve(&mut self, location: Location<'_>, instance: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let view = self.schemas.view(location, instance);
        match instance {
            Value::Object(object) => self.evolve_object(&view, object, depth),
            Value::Array(items) => {
                if let Some(item_schema) = view.items {
                    for item in items {
                        self.evolve(item_schema, item, depth + 1);
                    }
                }
            }
            Value::String(text) => {
                let Some(values) = view.enumeration else { return };
                if values.iter().all(Value::is_string) && self.draw() {
                    *text = self.fresh_name(|name| values.iter().any(|value| value == name));
                    self.done.enum_values += 1;
                }
            }
            _ => {}
        }
    }

    fn evolve_object(&mut self, view: &View<'_>, object: &mut Map<String, Value>, depth: usize) {
        for (name, property) in &view.properties {
            match object.get_mut(*name) {
                Some(value) => self.evolve(*property, value, depth + 1),
                None if !view.required.contains(name) && self.draw() => {
                    object.insert((*name).to_owned(), Value::Null);
                    self.done.nulls += 1;
                }
                None => {}
            }
        }
        if !self.draw() {
            return;
        }
        let kinds = view.additional.map_or(
            super::schema::Kinds {
                string: true,
                number: true,
                object: true,
            },
            |schema| self.schemas.kinds(schema),
        );
        let mut choices = Vec::new();
        if kinds.string {
            choices.push(Kind::String);
        }
        if kinds.number {
            choices.push(Kind::Number);
        }
        // An object in a map could be read as a value of a new kind; maps get scalars.
        if kinds.object && view.additional.is_none() {
            choices.push(Kind::Object);
        }
        if choices.is_empty() {
            return;
        }
        let name = self.fresh_name(|name| object.contains_key(name) || view.declares(name));
        let value = match choices[self.rng.random_range(0..choices.len())] {
            Kind::String => Value::String(format!("evolved value {}", self.last_name)),
            Kind::Number => Value::from(self.rng.random_range(0..100_000_i64)),
            Kind::Object => {
                let inner = self.fresh_name(|_| false);
                Value::Object(Map::from_iter([(inner, Value::String("evolved value".to_owned()))]))
            }
        };
        object.insert(name, value);
        self.done.extra_properties += 1;
    }

    /// Whether to take this opportunity.
    fn draw(&mut self) -> bool {
        self.rng.random_bool(self.rate)
    }

    /// The next `zz_evolved_<n>` that `taken` does not refuse.
    fn fresh_name(&mut self, taken: impl Fn(&str) -> bool) -> String {
        loop {
            self.last_name += 1;
            let name = format!("{EXTRA_PREFIX}{}", self.last_name);
            if !taken(&name) {
                return name;
            }
        }
    }
}

/// The kinds of extra value.
#[derive(Debug, Clone, Copy)]
enum Kind {
    String,
    Number,
    Object,
}
