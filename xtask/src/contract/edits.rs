//! The edit of each kind, written as `schemas/README.md` asks (nullability
//! at the use site, enums inline, a `description` on every property, a
//! `$comment` saying the edit was learned from traffic), recognised as
//! already made when the schemas say it already, and told in words: what it
//! does to the generated Rust types.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::change::{Change, Edit, Seen, Target};
use super::naming::{field_name, is_required, owner_and_field, pascal_case, rust_scalar, type_name};
use super::walk::{Place, Schemas, escape};

/// The manifest, where response statuses are documented.
const MANIFEST: &str = "openapi.json";
/// The formats a learned string property keeps (the generated types read
/// them without any dependency the bindings lack: not `uuid`).
const KEPT_FORMATS: &[&str] = &["date-time", "date", "email", "uri"];
/// How each learned edit says where it comes from.
const LEARNED: &str = "Learned from traffic by `cargo xtask contract learn`";

/// What becomes of one target.
pub enum Outcome {
    /// An edit to make.
    Edit(Edit),
    /// Nothing to do: the schemas already say it (in words).
    AlreadyApplied(String),
    /// No edit: why.
    NeedsHuman(String),
}

/// The edit for `target`, given what was `seen` there, against `files` as they are now.
pub fn edit(files: &BTreeMap<String, Value>, target: &Target, seen: &Seen) -> Outcome {
    let schemas = Schemas { files };
    match target {
        Target::NewProperty { object, name } => new_property(&schemas, object, name, seen),
        Target::EnumValues { place } => enum_values(&schemas, place, seen),
        Target::Nullable { place } => nullable(&schemas, place, seen),
        Target::Optional { object, name } => optional(&schemas, object, name, seen),
        Target::Status { operation_id, status } => documented_status(&schemas, operation_id, *status),
    }
}

/// Makes `change` in the parsed `file` of `files`.
pub fn apply(files: &mut BTreeMap<String, Value>, file: &str, change: &Change) {
    let Some(document) = files.get_mut(file) else { return };
    if let Some(slot) = document.pointer_mut(&change.pointer) {
        *slot = change.after.clone();
        return;
    }
    let Some((parent, key)) = change.pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(members)) = document.pointer_mut(parent) {
        members.insert(key, change.after.clone());
    }
}

fn operations(seen: &Seen) -> String {
    if seen.operations.is_empty() {
        return "responses".to_owned();
    }
    let names: Vec<String> = seen.operations.iter().map(|name| format!("`{name}`")).collect();
    format!("responses of {}", names.join(", "))
}

fn new_property(schemas: &Schemas<'_>, object: &Place, name: &str, seen: &Seen) -> Outcome {
    let Some(schema) = schemas.at(object) else {
        return Outcome::NeedsHuman(format!("nothing at {}", object.display()));
    };
    let owner = type_name(schemas, object);
    if schema.pointer(&format!("/properties/{}", escape(name))).is_some() {
        return Outcome::AlreadyApplied(format!(
            "`{owner}` already has the property `{name}` ({})",
            object.display()
        ));
    }
    let nullable = seen.types.contains("null");
    let mut types: Vec<&str> = seen
        .types
        .iter()
        .map(String::as_str)
        .filter(|name| *name != "null")
        .collect();
    if types.contains(&"number") {
        types.retain(|name| *name != "integer");
    }
    let format = match seen.string_formats.iter().collect::<Vec<_>>().as_slice() {
        [Some(format)] if KEPT_FORMATS.contains(&format.as_str()) && types == ["string"] => Some(format.clone()),
        _ => None,
    };
    let mut property = Map::new();
    property.insert(
        "description".to_owned(),
        json!("Not in the reference: a field the API was seen sending. It may be absent."),
    );
    let mut comment = format!(
        "{LEARNED} ({}): its type is what was seen; check it and write what the field is.",
        operations(seen)
    );
    if types.contains(&"object") {
        comment.push_str(" The report names no members of the object (it never holds values), so it is open here: write its sub-type file before a release.");
    }
    // An open object alone becomes a map that is always there (a field of
    // the struct a constructor takes, so a breaking change): `null` makes
    // it an `Option`, as a new optional field must be.
    let open_object_alone = types == ["object"];
    if open_object_alone {
        comment.push_str(" `null` is allowed so that the generated field is an `Option`.");
    }
    property.insert("$comment".to_owned(), Value::String(comment));
    let mut type_names: Vec<Value> = types.iter().map(|name| json!(name)).collect();
    if nullable || open_object_alone {
        type_names.push(json!("null"));
    }
    property.insert(
        "type".to_owned(),
        match type_names.as_slice() {
            [single] => single.clone(),
            _ => Value::Array(type_names.clone()),
        },
    );
    if let Some(format) = &format {
        property.insert("format".to_owned(), json!(format));
    }
    if types.contains(&"object") {
        property.insert("additionalProperties".to_owned(), json!(true));
    }
    let field = match types.as_slice() {
        [single] => format!(
            "`{}: Option<{}>`",
            field_name(name),
            rust_scalar(single, format.as_deref())
        ),
        _ => format!(
            "`{}`, an `Option` of a new enum ({})",
            field_name(name),
            types.join(" or ")
        ),
    };
    let change = if schema.get("properties").is_some() {
        Change {
            pointer: format!("{}/properties/{}", object.pointer, escape(name)),
            before: None,
            after: Value::Object(property),
        }
    } else {
        Change {
            pointer: format!("{}/properties", object.pointer),
            before: None,
            after: json!({ name: Value::Object(property) }),
        }
    };
    Outcome::Edit(Edit {
        file: object.file.clone(),
        what: format!("a new optional property `{name}`"),
        changes: vec![change],
        consequence: format!("`{owner}` gains the optional field {field}"),
        breaking: false,
    })
}

fn enum_values(schemas: &Schemas<'_>, place: &Place, seen: &Seen) -> Outcome {
    let Some(schema) = schemas.at(place) else {
        return Outcome::NeedsHuman(format!("nothing at {}", place.display()));
    };
    let current = schema
        .get("enum")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let new: Vec<&String> = seen
        .values
        .iter()
        .filter(|value| !current.contains(&Value::from(value.as_str())))
        .collect();
    let name = type_name(schemas, place);
    if new.is_empty() {
        let values: Vec<&str> = seen.values.iter().map(String::as_str).collect();
        return Outcome::AlreadyApplied(format!(
            "`{name}` already has the values {values:?} ({})",
            place.display()
        ));
    }
    let mut after = current.clone();
    after.extend(new.iter().map(|value| Value::from(value.as_str())));
    let quoted: Vec<String> = new.iter().map(|value| format!("`{value}`")).collect();
    let plural = if new.len() == 1 { "" } else { "s" };
    let note = format!(
        "{LEARNED} ({}): the value{plural} {}.",
        operations(seen),
        quoted.join(", ")
    );
    let variants: Vec<String> = new.iter().map(|value| format!("`{}`", pascal_case(value))).collect();
    Outcome::Edit(Edit {
        file: place.file.clone(),
        what: format!("new enum value{plural} {}", quoted.join(", ")),
        changes: vec![
            Change {
                pointer: format!("{}/enum", place.pointer),
                before: Some(Value::Array(current)),
                after: Value::Array(after),
            },
            comment_change(schema, place, &note),
        ],
        consequence: format!("`{name}` gains the variant{plural} {}", variants.join(", ")),
        breaking: false,
    })
}

fn nullable(schemas: &Schemas<'_>, place: &Place, seen: &Seen) -> Outcome {
    let Some(schema) = schemas.at(place).and_then(Value::as_object) else {
        return Outcome::NeedsHuman(format!("no schema object at {}", place.display()));
    };
    let null_branch = json!({"type": "null"});
    let types_null = |types: &Value| match types {
        Value::String(name) => name == "null",
        Value::Array(names) => names.contains(&Value::from("null")),
        _ => false,
    };
    let union_has_null = ["oneOf", "anyOf"].iter().any(|keyword| {
        schema
            .get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|branches| branches.contains(&null_branch))
    });
    let typed_null = schema.get("type").is_some_and(types_null)
        && schema
            .get("enum")
            .and_then(Value::as_array)
            .is_none_or(|values| values.contains(&Value::Null))
        && schema
            .get("anyOf")
            .and_then(Value::as_array)
            .is_none_or(|branches| branches.contains(&null_branch));
    let (owner, field) = owner_and_field(schemas, place);
    if union_has_null || typed_null {
        return Outcome::AlreadyApplied(format!(
            "`{owner}::{field}` already allows `null` ({})",
            place.display()
        ));
    }
    let note = format!("{LEARNED} ({}): `null` was seen here.", operations(seen));
    let mut changes = Vec::new();
    if schema.contains_key("$ref") || (schema.contains_key("anyOf") && schema.contains_key("type")) {
        // A reference, or string alternatives (`anyOf`, which the generator
        // reads only between strings), becomes `oneOf` what it was or
        // `null`, where it was; the annotations stay outside.
        let annotation = |key: &str| matches!(key, "description" | "$comment" | "title");
        let branch: Map<String, Value> = schema
            .iter()
            .filter(|(key, _)| !annotation(key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        let comment = Value::String(comment_text(schema.get("$comment"), &note));
        let mut after = Map::new();
        for (key, value) in schema {
            if key == "$comment" {
                after.insert(key.clone(), comment.clone());
            } else if annotation(key) {
                after.insert(key.clone(), value.clone());
                // The note follows the description, where the schemas put a `$comment`.
                if key == "description" && !schema.contains_key("$comment") {
                    after.insert("$comment".to_owned(), comment.clone());
                }
            } else if !after.contains_key("oneOf") {
                after.insert("oneOf".to_owned(), json!([branch, null_branch]));
            }
        }
        if !after.contains_key("$comment") {
            after.insert("$comment".to_owned(), comment);
        }
        changes.push(Change {
            pointer: place.pointer.clone(),
            before: Some(Value::Object(schema.clone())),
            after: Value::Object(after),
        });
    } else if let Some(keyword) = ["oneOf", "anyOf"]
        .into_iter()
        .find(|keyword| schema.contains_key(*keyword))
        && !schema.contains_key("type")
    {
        let mut branches = schema[keyword].as_array().cloned().unwrap_or_default();
        let before = Value::Array(branches.clone());
        branches.push(null_branch);
        changes.push(Change {
            pointer: format!("{}/{keyword}", place.pointer),
            before: Some(before),
            after: Value::Array(branches),
        });
    } else if let Some(types) = schema.get("type") {
        let after = match types {
            Value::String(name) => json!([name, "null"]),
            Value::Array(names) => {
                let mut names = names.clone();
                names.push(json!("null"));
                Value::Array(names)
            }
            _ => return Outcome::NeedsHuman(format!("the `type` at {} is not a name", place.display())),
        };
        changes.push(Change {
            pointer: format!("{}/type", place.pointer),
            before: Some(types.clone()),
            after,
        });
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let mut after = values.clone();
            after.push(Value::Null);
            changes.push(Change {
                pointer: format!("{}/enum", place.pointer),
                before: Some(Value::Array(values.clone())),
                after: Value::Array(after),
            });
        }
    } else {
        return Outcome::NeedsHuman(format!(
            "{} has no `type` or reference to make nullable",
            place.display()
        ));
    }
    if changes.iter().all(|change| change.pointer != place.pointer) {
        changes.push(comment_change(&Value::Object(schema.clone()), place, &note));
    }
    let required = is_required(schemas, place);
    let consequence = if required {
        format!("`{owner}::{field}` becomes an `Option`")
    } else {
        format!("`{owner}::{field}` is already optional: a `null` reads as `None`, its Rust type stays")
    };
    Outcome::Edit(Edit {
        file: place.file.clone(),
        what: "`null` allowed".to_owned(),
        changes,
        consequence,
        breaking: required,
    })
}

fn optional(schemas: &Schemas<'_>, object: &Place, name: &str, seen: &Seen) -> Outcome {
    let Some(schema) = schemas.at(object) else {
        return Outcome::NeedsHuman(format!("nothing at {}", object.display()));
    };
    let owner = type_name(schemas, object);
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !required.contains(&Value::from(name)) {
        if schema.pointer(&format!("/properties/{}", escape(name))).is_some() {
            return Outcome::AlreadyApplied(format!("`{owner}::{name}` is already optional ({})", object.display()));
        }
        return Outcome::NeedsHuman(format!(
            "{} does not list `{name}` in its `required` (a conditional requires it?)",
            object.display()
        ));
    }
    let after: Vec<Value> = required.iter().filter(|item| *item != name).cloned().collect();
    let property = object.child("properties").child(name);
    let note = format!("{LEARNED} ({}): answers without it were seen.", operations(seen));
    let mut changes = vec![Change {
        pointer: format!("{}/required", object.pointer),
        before: Some(Value::Array(required)),
        after: Value::Array(after),
    }];
    if let Some(property_schema) = schemas.at(&property) {
        changes.push(comment_change(property_schema, &property, &note));
    }
    Outcome::Edit(Edit {
        file: object.file.clone(),
        what: format!("`{name}` no longer required"),
        changes,
        consequence: format!("`{owner}::{}` becomes an `Option`", field_name(name)),
        breaking: true,
    })
}

fn documented_status(schemas: &Schemas<'_>, operation_id: &str, status: u16) -> Outcome {
    let Some(manifest) = schemas.files.get(MANIFEST) else {
        return Outcome::NeedsHuman(format!("the folder has no `{MANIFEST}`"));
    };
    // The operation, and whether the status is documented, as the proxy
    // judges it: through the contract model.
    let contract = match kimoby_contract::Contract::from_document(manifest) {
        Ok(contract) => contract,
        Err(error) => return Outcome::NeedsHuman(format!("`{MANIFEST}` cannot be read: {error}")),
    };
    let Some(operation) = contract
        .operations
        .iter()
        .find(|operation| operation.id == operation_id)
    else {
        return Outcome::NeedsHuman(format!("no operation `{operation_id}` in `{MANIFEST}`"));
    };
    if let Some(response) = operation.response_for(status) {
        return Outcome::AlreadyApplied(format!(
            "`{operation_id}` already documents the status {}",
            response.status
        ));
    }
    let operation_pointer = operation.location.pointer.clone();
    Outcome::Edit(Edit {
        file: MANIFEST.to_owned(),
        what: format!("the status {status} of `{operation_id}`"),
        changes: vec![Change {
            pointer: format!("{operation_pointer}/responses/{status}"),
            before: None,
            after: json!({
                "description": "Not in the reference: the API was seen answering this status.",
                "x-comment": format!("{LEARNED}. The body's schema is not known (a report holds no values): add its `content` by hand if it has one.")
            }),
        }],
        consequence: format!(
            "`{operation_id}` documents the status {status}, without a body schema: its Rust types stay"
        ),
        breaking: false,
    })
}

/// Sets the `$comment` of the schema at `place` to `note`, after what it said.
fn comment_change(schema: &Value, place: &Place, note: &str) -> Change {
    let before = schema.get("$comment").cloned();
    Change {
        pointer: format!("{}/$comment", place.pointer),
        after: Value::String(comment_text(before.as_ref(), note)),
        before,
    }
}

fn comment_text(existing: Option<&Value>, note: &str) -> String {
    match existing.and_then(Value::as_str) {
        Some(text) => format!("{text} {note}"),
        None => note.to_owned(),
    }
}
