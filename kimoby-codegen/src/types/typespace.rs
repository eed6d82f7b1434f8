//! Running typify 0.8 over the normalized bundle: settings (ordered maps,
//! offset-keeping dates, runtime replacements), panic containment, and the
//! graph of generated types used to decide which enums stay open.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use schemars::schema::{InstanceType, Schema, SchemaObject};
use typify::{TypeDetails, TypeEnumVariant, TypeId, TypeSpace, TypeSpaceSettings};

use crate::error::{Error, Result};
use crate::prepare::bundle::Bundle;

/// The Rust type every `{type: string, format: date-time}` becomes: the offset
/// on the wire (`-05:00`) is kept, unlike `DateTime<Utc>`.
pub const DATE_TIME_TYPE: &str = "::chrono::DateTime<::chrono::FixedOffset>";

/// What typify produced.
pub struct Converted {
    /// The generated items.
    pub tokens: proc_macro2::TokenStream,
    /// Names of the simple string enums reachable from a lenient definition.
    pub open_enums: BTreeSet<String>,
    /// Names of every generated type reachable from a lenient definition:
    /// the types the server sends. The others are only ever sent by the client.
    pub server_sent: BTreeSet<String>,
}

/// Converts every definition of `bundle`. `replacements` maps definition names
/// to the Rust paths that stand in for them.
pub fn convert(
    bundle: &Bundle,
    lenient: &BTreeSet<String>,
    replacements: &BTreeMap<String, String>,
) -> Result<Converted> {
    let schemas = to_schemars(bundle)?;
    let settings = settings(replacements);
    let mut type_space = TypeSpace::new(&settings);
    match guarded(|| type_space.add_ref_types(schemas.clone())) {
        Ok(()) => {}
        Err(message) => return Err(blame(bundle, &schemas, &settings, message)),
    }
    let tokens = guarded(|| Ok(type_space.to_stream())).map_err(|message| Error::Typify {
        subject: "the bundle".to_owned(),
        message,
    })?;
    let (open_enums, server_sent) = server_sent_types(&type_space, lenient);
    Ok(Converted {
        tokens,
        open_enums,
        server_sent,
    })
}

fn settings(replacements: &BTreeMap<String, String>) -> TypeSpaceSettings {
    let mut settings = TypeSpaceSettings::default();
    settings
        .with_map_type("::std::collections::BTreeMap")
        .with_derive("PartialEq".to_owned())
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::String.into()),
                format: Some("date-time".to_owned()),
                ..SchemaObject::default()
            },
            DATE_TIME_TYPE,
            std::iter::empty(),
        );
    for (name, path) in replacements {
        settings.with_replacement(name, path, std::iter::empty());
    }
    settings
}

fn to_schemars(bundle: &Bundle) -> Result<Vec<(String, Schema)>> {
    bundle
        .definitions
        .iter()
        .map(|(name, definition)| {
            let schema: Schema = serde_json::from_value(definition.schema.clone()).map_err(|error| Error::Schema {
                location: definition.location.clone(),
                message: format!("not a JSON Schema typify can read: {error}"),
            })?;
            Ok((name.clone(), schema))
        })
        .collect()
}

thread_local! {
    /// Set while typify runs on this thread: its panics are expected and
    /// reported as [`Error::Typify`], so the panic hook stays quiet.
    static CONTAINING_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once per process, a panic hook that defers to the previous one
/// except on a thread that is running typify under [`guarded`].
fn install_quiet_panic_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINING_PANICS.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `work`, turning both typify errors and typify panics into a message.
fn guarded<T>(work: impl FnOnce() -> Result<T, typify::Error>) -> Result<T, String> {
    install_quiet_panic_hook();
    CONTAINING_PANICS.with(|flag| flag.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(work));
    CONTAINING_PANICS.with(|flag| flag.set(false));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(error.to_string()),
        Err(panic) => Err(panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|message| (*message).to_owned()))
            .map(|message| format!("typify panicked: {message}"))
            .unwrap_or_else(|| "typify panicked".to_owned())),
    }
}

/// Finds which definition typify chokes on, by converting each one alone with
/// every other definition stubbed out as "any value".
fn blame(bundle: &Bundle, schemas: &[(String, Schema)], settings: &TypeSpaceSettings, message: String) -> Error {
    for (index, (name, _)) in schemas.iter().enumerate() {
        let isolated: Vec<(String, Schema)> = schemas
            .iter()
            .enumerate()
            .map(|(other, (other_name, schema))| {
                let schema = if other == index {
                    schema.clone()
                } else {
                    Schema::Bool(true)
                };
                (other_name.clone(), schema)
            })
            .collect();
        let mut type_space = TypeSpace::new(settings);
        if let Err(isolated_message) = guarded(|| type_space.add_ref_types(isolated)) {
            let subject = bundle
                .definitions
                .get(name)
                .map(|definition| format!("`{name}` ({})", definition.location))
                .unwrap_or_else(|| format!("`{name}`"));
            return Error::Typify {
                subject,
                message: isolated_message,
            };
        }
    }
    Error::Typify {
        subject: "the bundle".to_owned(),
        message,
    }
}

/// The named types reachable from a lenient definition, and among them the
/// simple string enums (every variant a plain value): those get a catch-all
/// variant.
fn server_sent_types(type_space: &TypeSpace, lenient: &BTreeSet<String>) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut open = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for root in type_space.iter_types().filter(|found| lenient.contains(&found.name())) {
        names.insert(root.name());
        let mut pending = children(&root, &mut open);
        while let Some(type_id) = pending.pop() {
            if !seen.insert(type_id.clone()) {
                continue;
            }
            if let Ok(found) = type_space.get_type(&type_id) {
                names.insert(found.name());
                pending.extend(children(&found, &mut open));
            }
        }
    }
    (open, names)
}

/// The types `found` refers to; records `found` in `open` if it is a simple enum.
fn children(found: &typify::Type<'_>, open: &mut BTreeSet<String>) -> Vec<TypeId> {
    let mut ids = Vec::new();
    match found.details() {
        TypeDetails::Struct(details) => ids.extend(details.properties().map(|(_, id)| id)),
        TypeDetails::Enum(details) => {
            let mut simple = true;
            for (_, variant) in details.variants() {
                match variant {
                    TypeEnumVariant::Simple => {}
                    TypeEnumVariant::Tuple(items) => {
                        simple = false;
                        ids.extend(items);
                    }
                    TypeEnumVariant::Struct(fields) => {
                        simple = false;
                        ids.extend(fields.into_iter().map(|(_, id)| id));
                    }
                }
            }
            if simple {
                open.insert(found.name());
            }
        }
        TypeDetails::Newtype(details) => ids.push(details.inner()),
        TypeDetails::Option(inner)
        | TypeDetails::Vec(inner)
        | TypeDetails::Set(inner)
        | TypeDetails::Box(inner)
        | TypeDetails::Array(inner, _) => ids.push(inner),
        TypeDetails::Map(key, value) => ids.extend([key, value]),
        TypeDetails::Tuple(items) => ids.extend(items),
        _ => {}
    }
    ids
}
