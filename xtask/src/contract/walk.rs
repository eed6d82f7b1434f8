//! Finding, from a report's schema file and JSON pointer into a body, the
//! place in `schemas/` that describes it: `properties` for a name, `items`
//! for `*`, `additionalProperties` for a map's member, through `$ref` to
//! other files (relative file names) and through the `anyOf`/`oneOf`
//! branches that are objects (a nullable reference, a union of event
//! shapes told apart by the property the pointer names).

use std::collections::BTreeMap;

use serde_json::Value;

/// How many references and unions are followed before giving up (a cycle).
const MAX_HOPS: usize = 32;

/// A schema in the folder: its file and the JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file name (`customer.json`).
    pub file: String,
    /// The JSON pointer in the file (empty for the file's root).
    pub pointer: String,
}

impl Place {
    /// The root of `file`.
    pub fn root(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            pointer: String::new(),
        }
    }

    /// `pointer/segment` in the same file.
    pub fn child(&self, segment: &str) -> Self {
        Self {
            file: self.file.clone(),
            pointer: format!("{}/{}", self.pointer, escape(segment)),
        }
    }

    /// `file#pointer`, for messages.
    pub fn display(&self) -> String {
        format!("{}#{}", self.file, self.pointer)
    }
}

/// A JSON pointer segment, escaped.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The segments of a JSON pointer, unescaped.
pub fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The schema files of a folder, by file name (the manifest included).
pub struct Schemas<'a> {
    pub files: &'a BTreeMap<String, Value>,
}

impl Schemas<'_> {
    /// The schema at `place`, if there is one.
    pub fn at(&self, place: &Place) -> Option<&Value> {
        self.files.get(&place.file)?.pointer(&place.pointer)
    }

    /// Where the `$ref` of the schema at `place` leads, if it has one.
    fn reference(&self, place: &Place) -> Result<Option<Place>, String> {
        let Some(reference) = self
            .at(place)
            .and_then(|schema| schema.get("$ref"))
            .and_then(Value::as_str)
        else {
            return Ok(None);
        };
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file.is_empty() {
            place.file.clone()
        } else {
            file.rsplit('/').next().unwrap_or(file).to_owned()
        };
        let target = Place {
            file,
            pointer: fragment.to_owned(),
        };
        if self.at(&target).is_none() {
            return Err(format!(
                "the `$ref` at {} names no schema of the folder",
                place.display()
            ));
        }
        Ok(Some(target))
    }

    /// The use site of the value at `pointer` (into a body of `file`): the
    /// schema written where the value is, before any `$ref` of its own.
    pub fn use_site(&self, file: &str, pointer: &str) -> Result<Place, String> {
        let mut place = Place::root(file);
        if self.at(&place).is_none() {
            return Err(format!(
                "the report names the schema `{file}`, which is not in the folder"
            ));
        }
        for segment in segments(pointer) {
            place = if segment == "*" {
                self.items(&place)?
            } else {
                let object = self.object(&place, Some(&segment))?;
                self.member(&object, &segment)?
            };
        }
        Ok(place)
    }

    /// The object schema that holds the value at `pointer`'s parent, and the
    /// name of the value's property: where a new property goes, or whose
    /// `required` lists it.
    pub fn parent_object(&self, file: &str, pointer: &str) -> Result<(Place, String), String> {
        let (parent, last) = pointer
            .rsplit_once('/')
            .ok_or_else(|| format!("`{pointer}` names no property"))?;
        let name = last.replace("~1", "/").replace("~0", "~");
        if name == "*" {
            return Err(format!("`{pointer}` is an array item, not a property"));
        }
        let use_site = self.use_site(file, parent)?;
        Ok((self.object(&use_site, Some(&name))?, name))
    }

    /// The schema of `place`'s array items.
    fn items(&self, place: &Place) -> Result<Place, String> {
        let mut current = place.clone();
        for _ in 0..MAX_HOPS {
            let schema = self
                .at(&current)
                .ok_or_else(|| format!("nothing at {}", current.display()))?;
            if schema.get("items").is_some() {
                return Ok(current.child("items"));
            }
            if let Some(target) = self.reference(&current)? {
                current = target;
                continue;
            }
            let branches = self.branches(&current, |schema| schema.get("items").is_some());
            match branches.as_slice() {
                [only] => current = only.clone(),
                _ => return Err(format!("{} describes no array", place.display())),
            }
        }
        Err(format!("too many references from {}", place.display()))
    }

    /// The object schema the value at `place` is, through references and
    /// unions; with several object branches, the one that declares `next`.
    pub fn object(&self, place: &Place, next: Option<&str>) -> Result<Place, String> {
        let mut current = place.clone();
        for _ in 0..MAX_HOPS {
            let schema = self
                .at(&current)
                .ok_or_else(|| format!("nothing at {}", current.display()))?;
            if schema.get("properties").is_some() || schema.get("type") == Some(&Value::from("object")) {
                return Ok(current);
            }
            if let Some(target) = self.reference(&current)? {
                current = target;
                continue;
            }
            let objects = self.branches(&current, |_| true);
            let objects: Vec<Place> = objects
                .into_iter()
                .filter_map(|branch| self.object(&branch, next).ok())
                .collect();
            let declaring: Vec<&Place> = objects
                .iter()
                .filter(|object| {
                    next.is_some_and(|name| {
                        self.at(object)
                            .and_then(|schema| schema.pointer(&format!("/properties/{}", escape(name))))
                            .is_some()
                    })
                })
                .collect();
            match (objects.as_slice(), declaring.as_slice()) {
                ([only], _) => return Ok(only.clone()),
                (_, [only]) => return Ok((*only).clone()),
                ([], _) => return Err(format!("{} describes no object", place.display())),
                _ => {
                    return Err(format!(
                        "{} is a union of {} objects, and the pointer does not say which one",
                        place.display(),
                        objects.len()
                    ));
                }
            }
        }
        Err(format!("too many references from {}", place.display()))
    }

    /// The schema of the member `name` of the object at `object`.
    fn member(&self, object: &Place, name: &str) -> Result<Place, String> {
        let schema = self
            .at(object)
            .ok_or_else(|| format!("nothing at {}", object.display()))?;
        if schema.pointer(&format!("/properties/{}", escape(name))).is_some() {
            return Ok(object.child("properties").child(name));
        }
        if schema.get("additionalProperties").is_some_and(Value::is_object) {
            return Ok(object.child("additionalProperties"));
        }
        Err(format!("{} declares no property `{name}`", object.display()))
    }

    /// The `anyOf`/`oneOf` branches of the schema at `place` that `keep`
    /// accepts (a branch that is only `{"type": "null"}` never).
    fn branches(&self, place: &Place, keep: impl Fn(&Value) -> bool) -> Vec<Place> {
        let Some(schema) = self.at(place) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for keyword in ["oneOf", "anyOf", "allOf"] {
            for (index, branch) in schema
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if branch.get("type") != Some(&Value::from("null")) && keep(branch) {
                    found.push(place.child(keyword).child(&index.to_string()));
                }
            }
        }
        found
    }

    /// The schema holding the `enum` that applies at `place`, through
    /// references and a union with one enum branch.
    pub fn enumeration(&self, place: &Place) -> Result<Place, String> {
        let mut current = place.clone();
        for _ in 0..MAX_HOPS {
            let schema = self
                .at(&current)
                .ok_or_else(|| format!("nothing at {}", current.display()))?;
            if schema.get("enum").is_some_and(Value::is_array) {
                return Ok(current);
            }
            if let Some(target) = self.reference(&current)? {
                current = target;
                continue;
            }
            let branches = self.branches(&current, |schema| {
                schema.get("enum").is_some() || schema.get("$ref").is_some()
            });
            match branches.as_slice() {
                [only] => current = only.clone(),
                _ => return Err(format!("{} has no `enum` to add a value to", place.display())),
            }
        }
        Err(format!("too many references from {}", place.display()))
    }
}
