//! How the edits tell their consequence: the Rust names the generator gives
//! a schema (its `title`, or its owner's name and the property's, as in
//! `MessageStatus`), a property's field name, the Rust type of a learned
//! scalar, and whether a property is required (so becomes an `Option` when
//! it may be `null`).

use serde_json::Value;

use super::walk::{Place, Schemas, escape, segments};

/// Whether the property at `place` (`.../properties/<name>`) is required by its object.
pub fn is_required(schemas: &Schemas<'_>, place: &Place) -> bool {
    let path = segments(&place.pointer);
    let [.., properties, name] = path.as_slice() else {
        return true;
    };
    if properties != "properties" {
        return true;
    }
    let object_pointer = place.pointer[..place.pointer.len() - escape(name).len() - "/properties/".len()].to_owned();
    let object = Place {
        file: place.file.clone(),
        pointer: object_pointer,
    };
    schemas
        .at(&object)
        .and_then(|schema| schema.get("required"))
        .and_then(Value::as_array)
        .is_some_and(|required| required.contains(&Value::from(name.as_str())))
}

/// The Rust type and field a property schema at `place` becomes (`Customer`, `email`).
pub fn owner_and_field(schemas: &Schemas<'_>, place: &Place) -> (String, String) {
    let path = segments(&place.pointer);
    match path.as_slice() {
        [.., properties, name] if properties == "properties" => {
            let object_pointer =
                place.pointer[..place.pointer.len() - escape(name).len() - "/properties/".len()].to_owned();
            let object = Place {
                file: place.file.clone(),
                pointer: object_pointer,
            };
            (type_name(schemas, &object), field_name(name))
        }
        _ => (type_name(schemas, place), "(item)".to_owned()),
    }
}

/// The Rust type the schema at `place` is named: its `title`, or, for an
/// inline enum or object, its owner's name and the property's (as the
/// generator names them: `MessageStatus`).
pub fn type_name(schemas: &Schemas<'_>, place: &Place) -> String {
    if let Some(title) = schemas
        .at(place)
        .and_then(|schema| schema.get("title"))
        .and_then(Value::as_str)
    {
        return title.to_owned();
    }
    let path = segments(&place.pointer);
    if let [.., properties, name] = path.as_slice()
        && properties == "properties"
    {
        let (owner, _) = owner_and_field(schemas, place);
        return format!("{owner}{}", pascal_case(name));
    }
    format!("the type of {}", place.display())
}

/// `zz_evolved_3` as `ZzEvolved3`.
pub fn pascal_case(text: &str) -> String {
    text.split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut characters = word.chars();
            characters
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + characters.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A property name as a Rust field (`type` is `type_`).
pub fn field_name(name: &str) -> String {
    let snake: String = name
        .chars()
        .map(|character| {
            if character.is_ascii_alphanumeric() {
                character.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if matches!(
        snake.as_str(),
        "type" | "ref" | "self" | "match" | "move" | "use" | "mod" | "impl"
    ) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The Rust type of a learned scalar.
pub fn rust_scalar(json_type: &str, format: Option<&str>) -> String {
    match (json_type, format) {
        ("string", Some("date-time")) => "chrono::DateTime<chrono::Utc>",
        ("string", Some("date")) => "chrono::NaiveDate",
        ("string", _) => "String",
        ("integer", _) => "i64",
        ("number", _) => "f64",
        ("boolean", _) => "bool",
        ("array", _) => "Vec<serde_json::Value>",
        ("object", _) => "serde_json::Map<String, serde_json::Value>",
        _ => "serde_json::Value",
    }
    .to_owned()
}
