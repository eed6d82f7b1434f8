//! The tolerant profile (`schemas/tolerant/`) accepts exactly what the
//! generated Rust types decode, for everything the server sends.
//!
//! Over every valid fixture of a server-sent schema file and systematic
//! mutations of it (a new property on every object, a new value for every
//! enum, `null` for every property, a value of the wrong type for every leaf,
//! every property removed, every date made invalid, an unknown webhook
//! event), the generated type (or `webhooks::parse_event` for a webhook body)
//! decodes the payload if and only if `Validator::tolerant` accepts it. And
//! the evolutions the tolerant profile exists for (a new property, a new enum
//! value, an unknown webhook event) are all accepted by it, while the strict
//! profile refuses every new enum value and unknown event, and a new property
//! somewhere in every file: the two profiles differ where they should.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use kimoby_generated::types;
use kimoby_generated::validate::Validator;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes a payload of one schema file with the Rust the crate generates.
type Decoder = fn(&Value) -> Result<(), String>;

fn decode<T: DeserializeOwned>(payload: &Value) -> Result<(), String> {
    T::deserialize(payload).map(drop).map_err(|error| error.to_string())
}

fn decode_webhook(payload: &Value) -> Result<(), String> {
    let body = serde_json::to_vec(payload).map_err(|error| error.to_string())?;
    kimoby_generated::webhooks::parse_event(&body)
        .map(drop)
        .map_err(|error| error.to_string())
}

/// The Rust type of every server-sent schema file. The test checks that this
/// is every file the manifest's responses and webhooks reach.
fn decoders() -> BTreeMap<&'static str, Decoder> {
    BTreeMap::from([
        ("appointment.json", decode::<types::Appointment> as Decoder),
        ("appointments.json", decode::<types::AppointmentList>),
        ("custom_attribute_value.json", decode::<types::CustomAttributeValue>),
        ("custom_attributes.json", decode::<types::CustomAttributes>),
        ("customer.json", decode::<types::Customer>),
        ("customers.json", decode::<types::CustomerList>),
        ("document.json", decode::<types::Document>),
        ("error.json", decode::<types::ApiError>),
        ("event.json", decode::<types::Event>),
        ("events.json", decode::<types::EventList>),
        ("invoice.json", decode::<types::Invoice>),
        ("invoice_card.json", decode::<types::InvoiceCard>),
        ("invoice_customer.json", decode::<types::InvoiceCustomer>),
        ("invoice_refund.json", decode::<types::InvoiceRefund>),
        ("invoices.json", decode::<types::InvoiceList>),
        ("message.json", decode::<types::Message>),
        ("messages.json", decode::<types::MessageList>),
        ("pagination.json", decode::<types::Pagination>),
        ("phones.json", decode::<types::Phones>),
        ("webhook.json", decode::<types::Webhook>),
        ("webhook_event.json", decode_webhook),
        (
            "webhook_with_authentication_key.json",
            decode::<types::WebhookWithAuthenticationKey>,
        ),
        ("webhooks.json", decode::<types::WebhookList>),
    ])
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The file part of every `$ref` under `value` that points to another file.
fn referenced_files(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str)
                && !reference.starts_with('#')
            {
                found.insert(reference.split('#').next().unwrap_or(reference).to_owned());
            }
            object.values().for_each(|nested| referenced_files(nested, found));
        }
        Value::Array(items) => items.iter().for_each(|nested| referenced_files(nested, found)),
        _ => {}
    }
}

/// Every schema file reachable from the manifest's responses and webhooks.
fn server_sent_files() -> BTreeSet<String> {
    let schemas = workspace().join("schemas");
    let manifest = read_json(&schemas.join("openapi.json"));
    let mut pending = BTreeSet::new();
    for item in manifest["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            referenced_files(&operation["responses"], &mut pending);
        }
    }
    referenced_files(&manifest["webhooks"], &mut pending);
    referenced_files(&manifest["components"]["responses"], &mut pending);
    let mut reached = BTreeSet::new();
    while let Some(file) = pending.pop_first() {
        if reached.insert(file.clone()) {
            let mut next = BTreeSet::new();
            let schema = read_json(&schemas.join(&file));
            // Requests reach shared files through their `$defs`; only what
            // the file's root refers to is sent by the server.
            let mut root = schema.clone();
            if let Some(object) = root.as_object_mut() {
                object.remove("$defs");
            }
            referenced_files(&root, &mut next);
            for (name, definition) in schema.get("$defs").and_then(Value::as_object).into_iter().flatten() {
                let local = format!("#/$defs/{name}");
                if serde_json::to_string(&root).unwrap().contains(&local) {
                    referenced_files(definition, &mut next);
                }
            }
            pending.extend(next.into_iter().filter(|file| !reached.contains(file)));
        }
    }
    reached
}

/// What a mutation does, for the failure message and for the strict check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NewProperty,
    NewEnumValue,
    Null,
    WrongType,
    Removed,
    BadDate,
    UnknownEvent,
}

impl Kind {
    /// Mutations the tolerant profile exists for.
    fn is_tolerated_evolution(self) -> bool {
        matches!(self, Self::NewProperty | Self::NewEnumValue | Self::UnknownEvent)
    }
}

/// Every mutation of `payload`: `(kind, JSON pointer, mutated payload)`.
fn mutations(payload: &Value, strict: &Validator, schema: &str) -> Vec<(Kind, String, Value)> {
    let mut found = Vec::new();
    let mut paths = Vec::new();
    collect_paths(payload, String::new(), &mut paths);
    for (path, value) in &paths {
        let mut with = |kind: Kind, replacement: Option<Value>| {
            let mut mutated = payload.clone();
            match replacement {
                Some(replacement) => *mutated.pointer_mut(path).unwrap() = replacement,
                None => {
                    let (parent, key) = path.rsplit_once('/').unwrap();
                    let key = key.replace("~1", "/").replace("~0", "~");
                    match mutated.pointer_mut(parent).unwrap() {
                        Value::Object(object) => {
                            object.remove(&key);
                        }
                        Value::Array(items) => {
                            items.remove(key.parse::<usize>().unwrap());
                        }
                        _ => unreachable!("a parent is an object or an array"),
                    }
                }
            }
            found.push((kind, path.clone(), mutated));
        };
        match value {
            Value::Object(object) => {
                let mut added = object.clone();
                added.insert("zz_added_by_a_newer_api".to_owned(), json!("new"));
                with(Kind::NewProperty, Some(Value::Object(added)));
                with(Kind::WrongType, Some(json!("not an object")));
                if object.get("event_name").is_some_and(Value::is_string) {
                    let mut unknown = object.clone();
                    unknown.insert("event_name".to_owned(), json!("zz_event_of_a_newer_api"));
                    with(Kind::UnknownEvent, Some(Value::Object(unknown)));
                }
            }
            Value::Array(_) => with(Kind::WrongType, Some(json!("not an array"))),
            Value::String(text) => {
                with(Kind::WrongType, Some(json!(12345)));
                if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
                    with(Kind::BadDate, Some(json!("2019-13-45T25:61:00Z")));
                }
                // A new value where the strict profile's only complaint is the enum.
                let mut candidate = payload.clone();
                *candidate.pointer_mut(path).unwrap() = json!("zz_value_of_a_newer_api");
                let only_enum = match strict.validate(schema, &candidate) {
                    Err(refused) => {
                        !refused.issues().is_empty()
                            && refused
                                .issues()
                                .iter()
                                .all(|issue| issue.schema_path.ends_with("/enum"))
                    }
                    Ok(()) => false,
                };
                if only_enum {
                    with(Kind::NewEnumValue, Some(json!("zz_value_of_a_newer_api")));
                }
            }
            Value::Number(_) => with(Kind::WrongType, Some(json!("not a number"))),
            Value::Bool(_) => with(Kind::WrongType, Some(json!("not a boolean"))),
            Value::Null => with(Kind::WrongType, Some(json!({"not": "null"}))),
        }
        if !path.is_empty() {
            if !value.is_null() {
                with(Kind::Null, Some(Value::Null));
            }
            with(Kind::Removed, None);
        }
    }
    found
}

/// Every value of `value` with its JSON pointer, the root included.
fn collect_paths<'a>(value: &'a Value, path: String, found: &mut Vec<(String, &'a Value)>) {
    found.push((path.clone(), value));
    match value {
        Value::Object(object) => {
            for (key, nested) in object {
                let segment = key.replace('~', "~0").replace('/', "~1");
                collect_paths(nested, format!("{path}/{segment}"), found);
            }
        }
        Value::Array(items) => {
            for (index, nested) in items.iter().enumerate() {
                collect_paths(nested, format!("{path}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_server_sent_file_has_a_decoder() {
    let decoders: BTreeSet<String> = decoders().keys().map(|name| (*name).to_owned()).collect();
    assert_eq!(decoders, server_sent_files());
}

#[test]
fn the_rust_types_decode_exactly_what_the_tolerant_profile_accepts() {
    let strict = Validator::strict().unwrap();
    let tolerant = Validator::tolerant().unwrap();
    let fixtures = workspace().join("tests/fixtures/valid");
    let mut checked = 0;
    let mut disagreements = Vec::new();
    let mut evolutions_refused = Vec::new();
    let mut not_refused_by_strict = Vec::new();
    let mut new_property_refused_by_strict: BTreeSet<&str> = BTreeSet::new();
    let mut kinds_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (schema, decoder) in decoders() {
        let folder = fixtures.join(schema.trim_end_matches(".json"));
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        cases.sort();
        assert!(!cases.is_empty(), "no valid fixture for {schema}");
        for case in cases {
            let payload = read_json(&case);
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let mut all = vec![(None, String::new(), payload.clone())];
            all.extend(
                mutations(&payload, &strict, schema)
                    .into_iter()
                    .map(|(kind, path, mutated)| (Some(kind), path, mutated)),
            );
            for (kind, path, mutated) in all {
                checked += 1;
                if let Some(kind) = kind {
                    *kinds_seen.entry(format!("{kind:?}")).or_default() += 1;
                }
                let decoded = decoder(&mutated);
                let accepted = tolerant.is_valid(schema, &mutated);
                if decoded.is_ok() != accepted {
                    disagreements.push(format!(
                        "{schema} {name} {kind:?} at `{path}`: Rust {}, tolerant profile {}",
                        decoded
                            .err()
                            .map_or("decodes".to_owned(), |error| format!("refuses ({error})")),
                        if accepted { "accepts" } else { "refuses" },
                    ));
                }
                let Some(kind) = kind.filter(|kind| kind.is_tolerated_evolution()) else {
                    continue;
                };
                if !accepted {
                    evolutions_refused.push(format!("{schema} {name} {kind:?} at `{path}`"));
                }
                let strict_accepts = strict.is_valid(schema, &mutated);
                if kind == Kind::NewProperty {
                    if !strict_accepts {
                        new_property_refused_by_strict.insert(schema);
                    }
                } else if strict_accepts {
                    not_refused_by_strict.push(format!("{schema} {name} {kind:?} at `{path}`"));
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} payloads checked");
    for kind in [
        "NewProperty",
        "NewEnumValue",
        "Null",
        "WrongType",
        "Removed",
        "BadDate",
        "UnknownEvent",
    ] {
        assert!(
            kinds_seen.contains_key(kind),
            "no {kind} mutation was made: {kinds_seen:?}"
        );
    }
    assert!(
        disagreements.is_empty(),
        "{} of {checked} payloads decode differently from what the tolerant profile says:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert!(
        evolutions_refused.is_empty(),
        "the tolerant profile refuses evolutions:\n{}",
        evolutions_refused.join("\n")
    );
    assert!(
        not_refused_by_strict.is_empty(),
        "the strict profile accepts evolutions it must refuse:\n{}",
        not_refused_by_strict.join("\n")
    );
    // Custom attributes are an open map of scalar values: nothing to refuse.
    let open_maps = BTreeSet::from(["custom_attribute_value.json", "custom_attributes.json"]);
    let expected: BTreeSet<&str> = decoders()
        .into_keys()
        .filter(|schema| !open_maps.contains(schema))
        .collect();
    assert_eq!(
        new_property_refused_by_strict, expected,
        "every server-sent file except the custom attributes refuses some new property in the strict profile"
    );
}

#[test]
fn request_bodies_are_the_same_in_both_profiles() {
    let schemas = workspace().join("schemas");
    let server_sent = server_sent_files();
    for entry in std::fs::read_dir(&schemas).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|extension| extension != "json") || name == "openapi.json" {
            continue;
        }
        let mut strict = read_json(&path);
        let mut tolerant = read_json(&schemas.join("tolerant").join(&name));
        assert_eq!(
            tolerant["$id"].as_str().unwrap(),
            format!("https://kimoby-codegen.invalid/schemas/tolerant/{name}")
        );
        if server_sent.contains(&name) {
            // A definition of a shared file that requests use stays strict.
            let requests_text: String = std::fs::read_dir(&schemas)
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.to_string_lossy().ends_with("_request.json"))
                .map(|path| std::fs::read_to_string(path).unwrap())
                .collect();
            for (key, definition) in strict.get("$defs").and_then(Value::as_object).into_iter().flatten() {
                if requests_text.contains(&format!("{name}#/$defs/{key}")) {
                    assert_eq!(
                        &tolerant["$defs"][key], definition,
                        "{name}#/$defs/{key} is sent by the client"
                    );
                }
            }
            continue;
        }
        strict.as_object_mut().unwrap().remove("$id");
        tolerant.as_object_mut().unwrap().remove("$id");
        assert_eq!(strict, tolerant, "{name} is only sent by the client");
    }
}
