//! kimoby-codegen turns the hand-written JSON Schemas and the endpoint
//! manifest in `schemas/` into the Rust source of `kimoby-generated`.
//!
//! The pipeline, one folder per stage, in order:
//!
//! 1. [`read`]: [`load`] reads the folder, and
//!    [`meta_schema`] checks every schema against the
//!    draft 2020-12 meta-schema; the contract model
//!    ([`kimoby_contract::Contract`]) reads the manifest and its extensions
//!    and tells request schemas from server-sent ones;
//! 2. [`prepare`]: [`bundle`] puts every file and `$defs`
//!    entry in one definition map with rewritten references, and
//!    [`normalize`] adapts shapes typify cannot take;
//! 3. [`model`]: the contract resolved into the typed model of the API the
//!    client is emitted from;
//! 4. [`types`]: [`typespace`] runs typify,
//!    [`postprocess`] edits the `syn` tree (open enums,
//!    clearable fields), [`requests`] adds constructors and
//!    setters, [`webhook_events`] generates the
//!    webhook events;
//! 5. [`emit`]: the client, the tolerant profile of the schemas, the
//!    single-file manifests, the embedded schema files, and
//!    [`render`], which formats.
//!
//! Everything happens in memory: [`generate`] returns every
//! file or an error, never a partial set.
//!
//! ```no_run
//! let files = kimoby_codegen::generate(std::path::Path::new("schemas"))?;
//! for (path, contents) in &files.files {
//!     println!("{path}: {} bytes", contents.len());
//! }
//! # Ok::<(), kimoby_codegen::Error>(())
//! ```

// The pipeline's stages, in order (ARCHITECTURE.md): each reads only the
// stages before it, and the contract model (`kimoby_contract`).
// 1. The folder read and checked.
pub mod read;

// 2. The schemas prepared for typify.
pub mod prepare;

// 3. The typed model of the API.
pub mod model;

// 4. The Rust types.
pub mod types;

// 5. The client, the other outputs, the rendering.
pub mod emit;

pub mod error;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use emit::{bundled_manifest, client, embedded, render, tolerant};
pub use error::{Error, Location, Result};
use prepare::{bundle, normalize};
pub use read::load::SchemaFolder;
use read::{load, meta_schema};
use types::{postprocess, requests, typespace, validated_strings, webhook_events};

/// Definitions whose Rust type is hand-written in `kimoby-generated` instead of
/// generated, with the path that stands in for them; the types module
/// re-exports each, so `types::CustomAttributes` works like any other type.
/// Custom attributes decide a value's kind from its *name* (`_date`, `_array`),
/// which no typify shape can express; a webhook event must keep an event name
/// it does not know yet as an unknown event, which typify's enum cannot: it is
/// generated from the manifest's `webhooks` by [`webhook_events`] instead.
pub const RUNTIME_TYPES: &[(&str, &str)] = &[
    ("CustomAttributes", "crate::custom_attributes::CustomAttributes"),
    (
        "CustomAttributesUpdate",
        "crate::custom_attributes::CustomAttributesUpdate",
    ),
    ("CustomAttributeValue", "crate::custom_attributes::CustomAttributeValue"),
    ("WebhookEvent", "crate::webhooks::WebhookEvent"),
];

/// What the hand-written types of [`RUNTIME_TYPES`] accept when the server
/// sends them, as the schema of their definition in the tolerant profile
/// (`schemas/tolerant/`); the generic rule of [`tolerant`] covers the others.
/// `CustomAttributes` reads any object: a value of an undocumented kind (a
/// `_date` that is not a date, an empty `_array`) is kept as
/// `CustomAttributeValue::Other` or as text, and a `null` is skipped.
/// (The documented kinds of value stay, as branches of an `anyOf` whose last
/// branch accepts anything, so that code generators still see the types.)
pub const RUNTIME_TYPE_TOLERANCE: &[(&str, &str)] = &[(
    "CustomAttributes",
    r#"{"type": "object", "additionalProperties": {"anyOf": [{"$ref": "custom_attribute_value.json"}, {"type": "array", "items": {"type": "string"}}, {}]}}"#,
)];

/// Path of the generated model types, relative to `kimoby-generated/src/`.
pub const TYPES_FILE: &str = "generated/types.rs";
/// Path of the request constructors and setters, relative to `kimoby-generated/src/`.
pub const REQUESTS_FILE: &str = "generated/requests.rs";
/// Constructors and setters of the types the server sends.
pub const RESPONSES_FILE: &str = "generated/responses.rs";
/// Folder of the generated client (`mod.rs` and one file per resource),
/// relative to `kimoby-generated/src/`.
pub const CLIENT_DIRECTORY: &str = "generated/client";
/// Path of the embedded schema files, relative to `kimoby-generated/src/`.
pub const SCHEMAS_FILE: &str = "generated/schemas.rs";

/// Generator settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Definition name to hand-written Rust type path; see [`RUNTIME_TYPES`].
    pub replacements: BTreeMap<String, String>,
    /// The crate the output is compiled in, as doc examples name it.
    pub crate_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            replacements: RUNTIME_TYPES
                .iter()
                .map(|(name, path)| ((*name).to_owned(), (*path).to_owned()))
                .collect(),
            crate_name: "kimoby_generated".to_owned(),
        }
    }
}

/// Every generated file: the Rust of `kimoby-generated`, and the schema
/// files written from the schemas (the tolerant profile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedFiles {
    /// Contents by path relative to `kimoby-generated/src/` (`/`-separated),
    /// in sorted order.
    pub files: BTreeMap<String, String>,
    /// Contents by path relative to the schema folder
    /// (`tolerant/customer.json`), in sorted order.
    pub schema_files: BTreeMap<String, String>,
}

/// Reads `schema_directory` and generates every file with the default options.
pub fn generate(schema_directory: &Path) -> Result<GeneratedFiles> {
    let folder = SchemaFolder::read(schema_directory)?;
    generate_from(&folder, &Options::default())
}

/// Generates every file from an already-read schema folder.
pub fn generate_from(folder: &SchemaFolder, options: &Options) -> Result<GeneratedFiles> {
    meta_schema::validate_folder(folder)?;
    let contract = kimoby_contract::Contract::from_document(&folder.manifest)?;
    let mut bundle = bundle::Bundle::new(&folder.schemas)?;
    let lenient = lenient_definitions(&bundle, &contract)?;
    let api = model::Api::new(&contract, &bundle)?;
    let webhook_events = webhook_events::resolve(&contract, &bundle, &options.replacements)?;
    let tolerant = tolerant::profile(&folder.schemas, &folder.manifest, &bundle, &lenient);
    let replaced: BTreeSet<String> = options
        .replacements
        .keys()
        .filter(|name| bundle.definitions.contains_key(*name))
        .cloned()
        .collect();
    bundle.retain_reachable(&replaced);
    let clearable = postprocess::clearable_fields(&bundle, &lenient);
    normalize::normalize(&mut bundle, &lenient, &replaced)?;
    let converted = typespace::convert(&bundle, &lenient, &options.replacements)?;
    let mut types = render::parse_file(TYPES_FILE, converted.tokens)?;
    postprocess::document_variants(&mut types);
    postprocess::name_conversion_errors(&mut types);
    // After naming the errors: it edits the checks while they are in `FromStr`.
    validated_strings::move_validated_strings(&mut types);
    postprocess::open_enums(&mut types, &converted.open_enums);
    postprocess::clearable_options(&mut types, &clearable);
    // A replaced definition named like the generated webhook event enum is
    // that enum, written into this file below: not re-exported.
    let reexported: BTreeSet<String> = replaced
        .iter()
        .filter(|name| webhook_events.is_empty() || name.as_str() != webhook_events::ENUM_NAME)
        .cloned()
        .collect();
    postprocess::reexport_replacements(&mut types, &reexported, &options.replacements);
    requests::mark_non_exhaustive(&mut types);
    requests::add_required_structs(&mut types, &converted.server_sent, &bundle)?;
    let mut files = BTreeMap::new();
    if !webhook_events.is_empty() {
        // In the types file, beside their payload types: a file of their own
        // would import the types that re-export it.
        let events = render::parse_file(TYPES_FILE, webhook_events::emit(&webhook_events))?;
        types.items.extend(events.items);
    }
    files.insert(TYPES_FILE.to_owned(), render::render(&types, TYPES_DOCS));
    for (file, side, docs) in [
        (REQUESTS_FILE, requests::Side::Requests, requests::DOCS),
        (RESPONSES_FILE, requests::Side::Responses, requests::RESPONSE_DOCS),
    ] {
        let tokens = requests::constructors_for(&types, &converted.server_sent, side);
        files.insert(
            file.to_owned(),
            render::render(&render::parse_file(file, tokens)?, docs),
        );
    }
    let settings = client::EmitSettings {
        crate_name: options.crate_name.clone(),
    };
    for client_file in client::emit(&api, &settings) {
        let path = format!("{CLIENT_DIRECTORY}/{}", client_file.name);
        let parsed = render::parse_file(&path, client_file.tokens)?;
        files.insert(path, render::render(&parsed, &client_file.docs));
    }
    let schemas = render::parse_file(
        SCHEMAS_FILE,
        embedded::embed(&folder.schemas, &folder.manifest, &tolerant, &bundle),
    )?;
    files.insert(SCHEMAS_FILE.to_owned(), render::render(&schemas, embedded::DOCS));
    let mut schema_files: BTreeMap<String, String> = tolerant
        .iter()
        .map(|(name, value)| (format!("{}/{name}", tolerant::TOLERANT_DIRECTORY), json_text(value)))
        .collect();
    // Bundled under the strict files' `$id`s: an absolute reference written
    // in a schema names the strict `$id`, and the bundle drops `$id`s anyway.
    let tolerant_schemas: BTreeMap<String, serde_json::Value> = tolerant
        .iter()
        .filter(|(name, _)| name.as_str() != load::MANIFEST_FILE)
        .map(|(name, value)| {
            let mut schema = value.clone();
            if let (Some(object), Some(strict_id)) = (
                schema.as_object_mut(),
                folder.schemas.get(name).and_then(|strict| strict.get("$id")),
            ) {
                object.insert("$id".to_owned(), strict_id.clone());
            }
            (name.clone(), schema)
        })
        .collect();
    let tolerant_manifest = tolerant.get(load::MANIFEST_FILE).unwrap_or(&folder.manifest);
    for (file, schemas, manifest) in [
        (bundled_manifest::STRICT_FILE, &folder.schemas, &folder.manifest),
        (bundled_manifest::TOLERANT_FILE, &tolerant_schemas, tolerant_manifest),
    ] {
        let bundled = bundled_manifest::bundle_manifest(schemas, manifest, &contract)?;
        schema_files.insert(
            format!("{}/{file}", bundled_manifest::BUNDLED_DIRECTORY),
            json_text(&bundled),
        );
    }
    Ok(GeneratedFiles { files, schema_files })
}

/// A generated JSON file: pretty-printed, with a final newline.
fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

const TYPES_DOCS: &str = "Model types for every schema in `schemas/`, generated with typify.

Types the server sends accept what a newer server may add: unknown fields are
ignored and an unknown enum value lands in the enum's `Other` variant.
Request types are strict, and are built with `new` (the required fields) and
one setter per optional field: `CustomerRequest::new(\"John Doe\").city(\"Quebec\")`;
a field the API lets you clear also has `clear_<field>()`, which sends `null`.
Dates keep the offset they were sent with.";

/// Definitions the server sends: reachable from a response or webhook schema
/// of the manifest, or from no manifest entry at all. A definition shared by a
/// request and a response is lenient too (it must read what the server sends).
fn lenient_definitions(bundle: &bundle::Bundle, contract: &kimoby_contract::Contract) -> Result<BTreeSet<String>> {
    let root_of = |(file, location): (&String, &Location)| -> Result<String> {
        bundle.file_roots.get(file).cloned().ok_or_else(|| Error::Manifest {
            location: location.clone(),
            message: format!("`{file}` is not in the schema folder"),
        })
    };
    let server_roots = contract
        .server_sent_files
        .iter()
        .map(root_of)
        .collect::<Result<Vec<_>>>()?;
    let client_roots = contract
        .client_sent_files
        .iter()
        .map(root_of)
        .collect::<Result<Vec<_>>>()?;
    let server_sent = bundle.reachable_from(server_roots.iter().map(String::as_str));
    let client_sent = bundle.reachable_from(client_roots.iter().map(String::as_str));
    Ok(bundle
        .definitions
        .keys()
        .filter(|name| server_sent.contains(*name) || !client_sent.contains(*name))
        .cloned()
        .collect())
}
