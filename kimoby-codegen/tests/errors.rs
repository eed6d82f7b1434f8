//! Error tests: every kind of bad input stops the generator with the right
//! [`kimoby_codegen::Error`] variant, and its `Display` names the file and the
//! JSON pointer (or line and column) a maintainer has to fix. Inputs are built
//! in memory with `SchemaFolder::from_texts`. Also covers typify panics and
//! errors, which must come back as `Error::Typify` naming the definition.

use std::collections::BTreeMap;

use kimoby_codegen::{Error, GeneratedFiles, Location, Options, SchemaFolder, generate_from};

/// A manifest with no operations: every schema is then server-sent (lenient).
const EMPTY_MANIFEST: &str = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "servers": [{"url": "https://api.example.com"}], "paths": {}}"#;

/// A manifest whose `GET /things` answers with `response` and whose
/// `PUT /things` takes `request`.
fn manifest(response: &str, request: &str) -> String {
    format!(
        r#"{{
  "openapi": "3.1.0",
  "info": {{"title": "t", "version": "1"}},
  "servers": [{{"url": "https://api.example.com"}}],
  "paths": {{
    "/things": {{
      "get": {{"operationId": "listThings", "tags": ["things"],
        "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "{response}"}}}}}}}}}}}},
      "put": {{"operationId": "createThing", "tags": ["things"],
        "requestBody": {{"content": {{"application/json": {{"schema": {{"$ref": "{request}"}}}}}}}},
        "responses": {{"201": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "{response}"}}}}}}}}}}}}
    }}
  }}
}}"#
    )
}

fn generate_with(files: &[(&str, &str)], options: &Options) -> Result<GeneratedFiles, Error> {
    let texts: BTreeMap<String, String> = files
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect();
    generate_from(&SchemaFolder::from_texts(texts)?, options)
}

/// Generates from `files` (plus the empty manifest unless one is given) and
/// returns the error it must fail with.
fn error_of(files: &[(&str, &str)]) -> Error {
    let mut files = files.to_vec();
    if !files.iter().any(|(name, _)| *name == "openapi.json") {
        files.push(("openapi.json", EMPTY_MANIFEST));
    }
    match generate_with(&files, &Options::default()) {
        Ok(_) => panic!("generation succeeded, expected an error"),
        Err(error) => error,
    }
}

fn location(file: &str, pointer: &str) -> Location {
    Location {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
    }
}

/// A schema file titled `title` whose only property `x` has the schema `property`.
fn with_property(title: &str, property: &str) -> String {
    format!(r#"{{"title": "{title}", "type": "object", "properties": {{"x": {property}}}}}"#)
}

mod invalid_input {
    use super::*;

    #[test]
    fn invalid_json_names_the_file_line_and_column() {
        let text = "{\n  \"title\": \"Thing\",\n  \"type\": \"object\"\n  \"properties\": {}\n}";
        let error = error_of(&[("thing.json", text)]);
        assert!(
            matches!(&error, Error::Json { file, line: 4, column: 3, .. } if file == "thing.json"),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("thing.json: not valid JSON at line 4, column 3: expected `,`"),
            "{error}"
        );
    }

    #[test]
    fn invalid_json_in_the_manifest_names_the_manifest() {
        let error = error_of(&[("openapi.json", "{\"paths\": {}")]);
        assert!(
            matches!(&error, Error::Json { file, line: 1, .. } if file == "openapi.json"),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("openapi.json: not valid JSON at line 1, column 12"),
            "{error}"
        );
    }

    #[test]
    fn missing_title_is_a_schema_error_at_the_title_pointer() {
        let error = error_of(&[("thing.json", r#"{"type": "object"}"#)]);
        assert!(
            matches!(&error, Error::Schema { location: found, .. } if *found == location("thing.json", "/title")),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "thing.json#/title: every schema file needs a string `title`: it names the Rust type"
        );
    }

    #[test]
    fn title_that_makes_no_rust_type_name_is_a_schema_error_at_the_title_pointer() {
        let error = error_of(&[("thing.json", r#"{"title": "3 things", "type": "object"}"#)]);
        assert!(
            matches!(&error, Error::Schema { location: found, .. } if *found == location("thing.json", "/title")),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("`3 things` does not make a Rust type name"),
            "{error}"
        );
    }

    #[test]
    fn unreadable_folder_is_an_io_error_naming_the_path() {
        let missing = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/no-such-folder");
        let error = kimoby_codegen::generate(&missing).expect_err("the folder does not exist");
        assert!(
            matches!(&error, Error::Io { path, .. } if *path == missing),
            "{error:?}"
        );
        assert!(error.to_string().contains("no-such-folder"), "{error}");
    }
}

mod references {
    use super::*;

    #[test]
    fn reference_to_a_missing_file_is_unresolved_at_its_ref_pointer() {
        let order = with_property("Order", r#"{"$ref": "customer.json"}"#);
        let error = error_of(&[("order.json", &order)]);
        assert!(
            matches!(
                &error,
                Error::UnresolvedReference { location: found, reference, .. }
                    if *found == location("order.json", "/properties/x/$ref") && reference == "customer.json"
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "order.json#/properties/x/$ref: unresolved reference `customer.json`: \
             there is no file `customer.json` in the schema folder"
        );
    }

    #[test]
    fn reference_to_a_missing_defs_entry_of_another_file_is_unresolved() {
        let order = with_property("Order", r#"{"$ref": "customer.json#/$defs/Address"}"#);
        let customer = r#"{"title": "Customer", "type": "object", "$defs": {"Phone": {"type": "string"}}}"#;
        let error = error_of(&[("order.json", &order), ("customer.json", customer)]);
        assert!(
            matches!(
                &error,
                Error::UnresolvedReference { location: found, reference, .. }
                    if *found == location("order.json", "/properties/x/$ref")
                        && reference == "customer.json#/$defs/Address"
            ),
            "{error:?}"
        );
        assert!(
            error.to_string().ends_with(
                "unresolved reference `customer.json#/$defs/Address`: `customer.json` has no definition `Address`"
            ),
            "{error}"
        );
    }

    #[test]
    fn local_reference_to_a_missing_defs_entry_is_unresolved_inside_defs() {
        let order = r##"{"title": "Order", "type": "object",
            "$defs": {"Line": {"type": "object", "properties": {"sku": {"$ref": "#/$defs/Sku"}}}}}"##;
        let error = error_of(&[("order.json", order)]);
        assert!(
            matches!(
                &error,
                Error::UnresolvedReference { location: found, .. }
                    if *found == location("order.json", "/$defs/Line/properties/sku/$ref")
            ),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("`order.json` has no definition `Sku`"),
            "{error}"
        );
    }

    #[test]
    fn reference_outside_the_folder_is_unresolved() {
        let order = with_property("Order", r#"{"$ref": "https://example.com/customer.json"}"#);
        let error = error_of(&[("order.json", &order)]);
        assert!(matches!(&error, Error::UnresolvedReference { .. }), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with("order.json#/properties/x/$ref: unresolved reference")
                && error.to_string().contains("only file names in the schema folder"),
            "{error}"
        );
    }
}

mod names {
    use super::*;

    #[test]
    fn same_type_name_in_two_files_is_a_duplicate_naming_both_places() {
        let error = error_of(&[
            ("a.json", r#"{"title": "Thing", "type": "string"}"#),
            ("b.json", r#"{"title": "thing", "type": "string"}"#),
        ]);
        assert!(
            matches!(
                &error,
                Error::DuplicateTypeName { name, first, second }
                    if name == "Thing" && *first == location("a.json", "") && *second == location("b.json", "")
            ),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("type name `Thing` is defined twice: at a.json# and at b.json#"),
            "{error}"
        );
    }

    #[test]
    fn type_named_like_the_required_fields_struct_of_a_server_sent_type_is_reserved() {
        // With no operations every type is server-sent, so `Thing` (which has a
        // required field) gets a generated `ThingRequired`.
        let error = error_of(&[
            (
                "thing.json",
                r#"{"title": "Thing", "type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}"#,
            ),
            ("thing_required.json", r#"{"title": "ThingRequired", "type": "string"}"#),
        ]);
        assert!(
            matches!(
                &error,
                Error::ReservedTypeName { name, location: at, owner }
                    if name == "ThingRequired" && *at == location("thing_required.json", "") && owner == "Thing"
            ),
            "{error:?}"
        );
        let shown = error.to_string();
        assert!(
            shown.starts_with("type name `ThingRequired` at thing_required.json# is the name of the generated struct"),
            "{shown}"
        );
    }

    #[test]
    fn defs_entry_named_like_another_files_title_is_a_duplicate() {
        let error = error_of(&[
            (
                "a.json",
                r#"{"title": "Order", "type": "object", "$defs": {"Thing": {"type": "string"}}}"#,
            ),
            ("b.json", r#"{"title": "Thing", "type": "string"}"#),
        ]);
        assert!(
            matches!(&error, Error::DuplicateTypeName { name, .. } if name == "Thing"),
            "{error:?}"
        );
        let shown = error.to_string();
        assert!(
            shown.contains("a.json#/$defs/Thing") && shown.contains("b.json#"),
            "{shown}"
        );
    }

    #[test]
    fn hoisted_map_value_named_like_an_existing_type_is_a_duplicate() {
        let settings = with_property(
            "Settings",
            r#"{"type": "object", "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}"#,
        );
        let error = error_of(&[
            ("settings.json", &settings),
            ("value.json", r#"{"title": "SettingsValue", "type": "string"}"#),
        ]);
        assert!(
            matches!(&error, Error::DuplicateTypeName { name, .. } if name == "SettingsValue"),
            "{error:?}"
        );
        let shown = error.to_string();
        assert!(
            shown.contains("value.json#") && shown.contains("settings.json#/properties/x/additionalProperties"),
            "{shown}"
        );
    }
}

mod unsupported_shapes {
    use super::*;

    #[test]
    fn nested_defs_are_a_schema_error_at_the_nested_keyword() {
        let order = r#"{"title": "Order", "type": "object",
            "$defs": {"Outer": {"type": "object", "$defs": {"Inner": {"type": "string"}}}}}"#;
        let error = error_of(&[("order.json", order)]);
        assert!(
            matches!(&error, Error::Schema { location: found, .. } if *found == location("order.json", "/$defs/Outer/$defs")),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "order.json#/$defs/Outer/$defs: `$defs` is only supported at the root of a file"
        );
    }

    #[test]
    fn nullable_file_root_is_a_schema_error_at_its_type() {
        let error = error_of(&[("thing.json", r#"{"title": "Thing", "type": ["object", "null"]}"#)]);
        assert!(
            matches!(&error, Error::Schema { location: found, .. } if *found == location("thing.json", "/type")),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("thing.json#/type: a definition cannot itself be nullable"),
            "{error}"
        );
    }

    #[test]
    fn nullable_defs_entry_is_a_schema_error_at_its_type() {
        let thing = r##"{"title": "Thing", "type": "object", "properties": {"x": {"$ref": "#/$defs/Maybe"}},
            "$defs": {"Maybe": {"type": ["string", "null"]}}}"##;
        let error = error_of(&[("thing.json", thing)]);
        assert!(
            matches!(&error, Error::Schema { location: found, .. } if *found == location("thing.json", "/$defs/Maybe/type")),
            "{error:?}"
        );
    }

    #[test]
    fn any_of_objects_is_a_schema_error_at_the_any_of() {
        let thing = with_property(
            "Thing",
            r#"{"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "object", "properties": {"b": {"type": "integer"}}}]}"#,
        );
        let error = error_of(&[("thing.json", &thing)]);
        assert!(
            matches!(&error, Error::Schema { location: found, .. } if *found == location("thing.json", "/properties/x/anyOf")),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("thing.json#/properties/x/anyOf: typify 0.8 miscompiles `anyOf`"),
            "{error}"
        );
    }

    #[test]
    fn pattern_properties_on_a_generated_type_is_a_schema_error() {
        let thing = r#"{"title": "Thing", "type": "object", "patternProperties": {"^x_": {"type": "string"}}}"#;
        let error = error_of(&[("thing.json", thing)]);
        assert!(
            matches!(&error, Error::Schema { location: found, .. } if *found == location("thing.json", "/patternProperties")),
            "{error:?}"
        );
        assert!(error.to_string().contains("RUNTIME_TYPES"), "{error}");
    }

    #[test]
    fn pattern_properties_on_a_replaced_type_is_accepted() {
        let tags = r#"{"title": "Tags", "type": "object", "patternProperties": {"^x_": {"type": "string"}}}"#;
        let thing = with_property("Thing", r#"{"$ref": "tags.json"}"#);
        let options = Options {
            replacements: [("Tags".to_owned(), "crate::tags::Tags".to_owned())].into(),
            ..Options::default()
        };
        let files = [
            ("tags.json", tags),
            ("thing.json", thing.as_str()),
            ("openapi.json", EMPTY_MANIFEST),
        ];
        let generated = generate_with(&files, &options).expect("a replaced definition is never converted");
        let types = &generated.files[kimoby_codegen::TYPES_FILE];
        assert!(types.contains("crate::tags::Tags"), "{types}");
        assert!(!types.contains("pub struct Tags"), "{types}");
    }
}

mod manifest {
    use super::*;

    const THING: &str = r#"{"title": "Thing", "type": "object"}"#;

    #[test]
    fn folder_without_a_manifest_is_a_manifest_error() {
        let texts = BTreeMap::from([("thing.json".to_owned(), THING.to_owned())]);
        let error = SchemaFolder::from_texts(texts).expect_err("no openapi.json");
        assert!(
            matches!(&error, Error::Manifest { location: found, .. } if *found == location("openapi.json", "")),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "openapi.json#: the schema folder has no endpoint manifest"
        );
    }

    #[test]
    fn manifest_without_paths_is_a_manifest_error_at_paths() {
        let error = error_of(&[("thing.json", THING), ("openapi.json", r#"{"openapi": "3.1.0"}"#)]);
        assert!(
            matches!(&error, Error::Manifest { location: found, .. } if *found == location("openapi.json", "/paths")),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "openapi.json#/paths: the manifest needs a `paths` object"
        );
    }

    #[test]
    fn operation_without_operation_id_is_a_manifest_error_at_its_pointer() {
        let text = manifest("thing.json", "thing.json").replace(r#""operationId": "listThings", "#, "");
        let error = error_of(&[("thing.json", THING), ("openapi.json", &text)]);
        assert!(
            matches!(
                &error,
                Error::Manifest { location: found, .. } if *found == location("openapi.json", "/paths/~1things/get/operationId")
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "openapi.json#/paths/~1things/get/operationId: every operation needs an `operationId`"
        );
    }

    #[test]
    fn operation_without_a_tag_is_a_manifest_error_at_its_tags() {
        let text = manifest("thing.json", "thing.json").replace(r#""tags": ["things"],"#, "");
        let error = error_of(&[("thing.json", THING), ("openapi.json", &text)]);
        assert!(
            error.to_string().starts_with("openapi.json#/paths/~1things/get/tags: "),
            "{error}"
        );
    }

    #[test]
    fn operation_without_a_success_response_is_a_manifest_error_at_its_responses() {
        let text = manifest("thing.json", "thing.json").replace(r#""201""#, r#""400""#);
        let error = error_of(&[("thing.json", THING), ("openapi.json", &text)]);
        assert_eq!(
            error.to_string(),
            "openapi.json#/paths/~1things/put/responses: no 2xx response is documented"
        );
    }

    #[test]
    fn response_referencing_a_file_not_in_the_folder_is_a_manifest_error_naming_it() {
        let error = error_of(&[
            ("thing.json", THING),
            ("openapi.json", &manifest("missing.json", "thing.json")),
        ]);
        assert!(
            matches!(&error, Error::Manifest { location: found, .. } if found.file == "openapi.json"),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "openapi.json#/paths/~1things/get/responses/200/content/application~1json/schema/$ref: \
             `missing.json` is not in the schema folder"
        );
    }

    #[test]
    fn request_body_referencing_a_file_not_in_the_folder_is_a_manifest_error_naming_it() {
        let error = error_of(&[
            ("thing.json", THING),
            ("openapi.json", &manifest("thing.json", "missing_request.json")),
        ]);
        assert!(matches!(&error, Error::Manifest { .. }), "{error:?}");
        assert!(error.to_string().contains("`missing_request.json`"), "{error}");
    }
}

mod typify_failures {
    use super::*;

    /// typify 0.8 panics ("Failed to make unique variant names") on enum
    /// values that differ only in case, which no normalization rule touches.
    const CASE_CLASH: &str = r#"{"type": "string", "enum": ["sms", "SMS"]}"#;

    #[test]
    fn typify_panic_is_caught_and_reported_naming_the_definition() {
        let thing = with_property("Thing", CASE_CLASH);
        let error = error_of(&[("thing.json", &thing)]);
        assert!(
            matches!(&error, Error::Typify { subject, message }
                if subject == "`Thing` (thing.json#)" && message.starts_with("typify panicked: ")),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "typify could not convert `Thing` (thing.json#): typify panicked: \
             Failed to make unique variant names for [sms,SMS]"
        );
    }

    #[test]
    fn typify_panic_is_blamed_on_the_definition_that_causes_it() {
        let order = with_property("Order", r#"{"$ref": "zed.json"}"#);
        let zed = with_property("Zed", CASE_CLASH);
        let error = error_of(&[
            ("a_first.json", r#"{"title": "Alpha", "type": "string"}"#),
            ("order.json", &order),
            ("zed.json", &zed),
        ]);
        assert!(
            matches!(&error, Error::Typify { subject, .. } if subject == "`Zed` (zed.json#)"),
            "{error:?}"
        );
    }

    #[test]
    fn typify_error_is_reported_naming_the_definition() {
        // A default that does not fit its schema: typify returns an error, no panic.
        let thing = with_property("Thing", r#"{"type": "integer", "default": "sixty"}"#);
        let error = error_of(&[("thing.json", &thing)]);
        assert!(
            matches!(&error, Error::Typify { subject, message }
                if subject == "`Thing` (thing.json#)" && !message.contains("panicked")),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("typify could not convert `Thing` (thing.json#): "),
            "{error}"
        );
    }
}
