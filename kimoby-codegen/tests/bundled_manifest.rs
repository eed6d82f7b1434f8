//! The single-file manifests (`bundled/openapi.json`, `bundled/openapi.tolerant.json`)
//! of every fixture case and of the real `schemas/` folder: self-contained (no
//! reference to another file, nothing a tool could fetch), one component per
//! schema title, and each look-up query form written as an operation of its own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kimoby_codegen::emit::bundled_manifest::{BUNDLED_DIRECTORY, COMPONENTS_PREFIX, STRICT_FILE, TOLERANT_FILE};
use kimoby_codegen::{Options, SchemaFolder, generate_from};
use serde_json::Value;

fn fixture_folders() -> Vec<PathBuf> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("the fixtures folder")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_dir())
        .collect();
    folders.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"));
    folders.sort();
    folders
}

/// Both bundled manifests of `folder`, with their names.
fn bundled_manifests(folder: &Path) -> Vec<(String, Value)> {
    let read = SchemaFolder::read(folder).unwrap_or_else(|error| panic!("{}: {error}", folder.display()));
    let generated =
        generate_from(&read, &Options::default()).unwrap_or_else(|error| panic!("{}: {error}", folder.display()));
    [STRICT_FILE, TOLERANT_FILE]
        .iter()
        .map(|file| {
            let path = format!("{BUNDLED_DIRECTORY}/{file}");
            let text = generated
                .schema_files
                .get(&path)
                .unwrap_or_else(|| panic!("{}: no {path}", folder.display()));
            let value = serde_json::from_str(text).unwrap_or_else(|error| panic!("{path}: {error}"));
            (format!("{}: {path}", folder.display()), value)
        })
        .collect()
}

/// Every `$ref` of `value` (not inside examples), and every key named `$id`
/// or `$schema`, with their JSON pointers.
fn references_and_identifiers(
    value: &Value,
    pointer: &str,
    references: &mut Vec<(String, String)>,
    identifiers: &mut Vec<String>,
) {
    match value {
        Value::Object(object) => {
            for (key, nested) in object {
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (key.as_str(), nested) {
                    ("$ref", Value::String(reference)) => references.push((child, reference.clone())),
                    ("$id" | "$schema", _) => identifiers.push(child),
                    ("example" | "examples", _) => {}
                    _ => references_and_identifiers(nested, &child, references, identifiers),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                references_and_identifiers(item, &format!("{pointer}/{index}"), references, identifiers);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_is_local_and_resolves_and_nothing_can_be_fetched() {
    for folder in fixture_folders() {
        for (name, manifest) in bundled_manifests(&folder) {
            let mut references = Vec::new();
            let mut identifiers = Vec::new();
            references_and_identifiers(&manifest, "", &mut references, &mut identifiers);
            assert!(identifiers.is_empty(), "{name}: `$id` or `$schema` at {identifiers:?}");
            assert!(!references.is_empty(), "{name}: no reference at all");
            for (pointer, reference) in references {
                let target = reference
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("{name}#{pointer}: `{reference}` refers to another document"));
                assert!(
                    manifest.pointer(target).is_some(),
                    "{name}#{pointer}: `{reference}` resolves to nothing"
                );
            }
        }
    }
}

#[test]
fn each_schema_file_is_one_component_named_by_its_title() {
    for folder in fixture_folders() {
        let read = SchemaFolder::read(&folder).expect("the folder reads");
        let titles: BTreeSet<String> = read
            .schemas
            .values()
            .map(|schema| kimoby_codegen::prepare::bundle::type_name(schema["title"].as_str().expect("a title")))
            .collect();
        for (name, manifest) in bundled_manifests(&folder) {
            let components: BTreeSet<String> = manifest["components"]["schemas"]
                .as_object()
                .unwrap_or_else(|| panic!("{name}: no components/schemas"))
                .keys()
                .cloned()
                .collect();
            assert!(
                titles.is_subset(&components),
                "{name}: schema files without their component: {:?}",
                titles.difference(&components).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn look_ups_are_operations_typed_as_the_record() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    for (name, manifest) in bundled_manifests(&schemas) {
        let paths = &manifest["paths"];
        let by_phone = &paths["/customers?cell_phone_number={cell_phone_number}"]["get"];
        assert_eq!(by_phone["operationId"], "retrieveCustomerByCellPhoneNumber", "{name}");
        let parameters = by_phone["parameters"].as_array().expect("parameters");
        assert_eq!(parameters.len(), 1, "{name}: only the look-up value: {parameters:?}");
        assert_eq!(parameters[0]["name"], "cell_phone_number", "{name}");
        assert_eq!(parameters[0]["in"], "path", "{name}");
        assert_eq!(parameters[0]["required"], true, "{name}");
        assert_eq!(
            by_phone["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            format!("{COMPONENTS_PREFIX}Customer"),
            "{name}: the answer is the record, not the list"
        );
        assert!(by_phone.get("x-kimoby-lookup").is_none(), "{name}");
        let mut derived = BTreeSet::new();
        for (path, item) in paths.as_object().expect("paths") {
            for operation in item.as_object().expect("a path item").values() {
                if path.contains('?')
                    && let Some(id) = operation["operationId"].as_str()
                {
                    derived.insert(id.to_owned());
                }
            }
        }
        let expected: BTreeSet<String> = ["retrieve", "update", "delete"]
            .iter()
            .flat_map(|verb| {
                [
                    format!("{verb}CustomerByReference"),
                    format!("{verb}CustomerByCellPhoneNumber"),
                    format!("{verb}AppointmentByReference"),
                    format!("{verb}EventByReference"),
                ]
            })
            .collect();
        assert_eq!(derived, expected, "{name}");
        // The path form stays, with its extension, for tools that read it.
        assert!(
            paths["/customers/{id}"]["get"].get("x-kimoby-lookup").is_some(),
            "{name}"
        );
        let links = manifest["components"]["links"].as_object().expect("links");
        assert!(
            links.values().all(|link| link.get("requestBody").is_none()),
            "{name}: a link keeps a requestBody, which openapi-generator refuses"
        );
    }
}

/// The contract model of `manifest`, which must be readable.
fn contract_of(manifest: &Value) -> kimoby_contract::Contract {
    kimoby_contract::Contract::from_document(manifest).expect("a readable manifest")
}

/// A one-file schema folder and a manifest whose response refers to `reference`.
fn small_api(reference: &str) -> (std::collections::BTreeMap<String, Value>, Value) {
    let thing = serde_json::json!({"$id": "https://example.invalid/thing.json", "title": "Thing", "type": "object"});
    let manifest = serde_json::json!({
        "openapi": "3.1.0",
        "paths": {"/things": {"get": {"operationId": "listThings", "tags": ["things"], "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": reference}}}}
        }}}}
    });
    (
        std::collections::BTreeMap::from([("thing.json".to_owned(), thing)]),
        manifest,
    )
}

#[test]
fn a_reference_to_a_missing_file_names_its_pointer() {
    let (schemas, manifest) = small_api("nothing.json");
    let error = kimoby_codegen::emit::bundled_manifest::bundle_manifest(&schemas, &manifest, &contract_of(&manifest))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "openapi.json#/paths/~1things/get/responses/200/content/application~1json/schema/$ref: \
         unresolved reference `nothing.json`: there is no such file in the schema folder"
    );
    let (schemas, manifest) = small_api("thing.json");
    let bundled = kimoby_codegen::emit::bundled_manifest::bundle_manifest(&schemas, &manifest, &contract_of(&manifest))
        .expect("bundles");
    assert_eq!(
        bundled["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Thing"
    );
    assert!(bundled["components"]["schemas"]["Thing"].get("$id").is_none());
}

#[test]
fn a_manifest_schema_named_as_a_file_is_refused() {
    let (schemas, mut manifest) = small_api("thing.json");
    manifest["components"] = serde_json::json!({"schemas": {"Thing": {"type": "string"}}});
    let error = kimoby_codegen::emit::bundled_manifest::bundle_manifest(&schemas, &manifest, &contract_of(&manifest))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "openapi.json#/components/schemas/Thing: the schema file thing.json# is bundled under this name: rename one of them"
    );
}
