//! Each kind of edit, merging, and a second `--write` that changes nothing.

use kimoby_generated::departure::DepartureKind;
use serde_json::{Value, json};

use super::*;

#[test]
fn a_new_field_seen_in_two_operations_is_one_optional_property_of_the_model() {
    let learned = learn(&[
        observed(
            departure(
                "retrieveCustomer",
                "customer.json",
                "/loyalty_tier",
                DepartureKind::UnknownField,
            ),
            "string",
            None,
        ),
        observed(
            departure(
                "listCustomers",
                "customers.json",
                "/customers/*/loyalty_tier",
                DepartureKind::UnknownField,
            ),
            "string",
            None,
        ),
    ]);
    assert_eq!(learned.edits().len(), 1, "{:?}", learned.edits());
    let edit = &learned.edits()[0];
    assert_eq!(edit.file, "customer.json");
    assert_eq!(edit.changes[0].pointer, "/properties/loyalty_tier");
    assert_eq!(edit.changes[0].before, None);
    assert_eq!(
        edit.consequence,
        "`Customer` gains the optional field `loyalty_tier: Option<String>`"
    );
    let property = &edited(&learned, "customer.json")["properties"]["loyalty_tier"];
    assert_eq!(property["type"], "string");
    assert!(property["description"].is_string());
    assert!(
        property["$comment"]
            .as_str()
            .unwrap()
            .contains("`listCustomers`, `retrieveCustomer`")
    );
    let required = edited(&learned, "customer.json")["required"].clone();
    assert!(!required.as_array().unwrap().contains(&json!("loyalty_tier")));
    // Only the new member is added: the rest of the file is byte for byte as it was.
    let original = &learned.original["customer.json"];
    let text = &learned.edited["customer.json"];
    assert!(text.len() > original.len() && text.ends_with("}\n"));
    let common = original.chars().zip(text.chars()).take_while(|(a, b)| a == b).count();
    assert!(
        text[common..].starts_with(",\n    \"loyalty_tier\": {\n      \"description\""),
        "{}",
        &text[common..]
    );
}

#[test]
fn types_seen_for_one_field_are_merged_and_a_date_keeps_its_format() {
    let at = |format| departure("retrieveMessage", "message.json", format, DepartureKind::UnknownField);
    let learned = learn(&[
        observed(at("/channel"), "string", None),
        observed(at("/channel"), "integer", None),
        observed(at("/sent_at"), "string", Some("date-time")),
        observed(at("/extra"), "object", None),
    ]);
    let message = edited(&learned, "message.json");
    assert_eq!(message["properties"]["channel"]["type"], json!(["integer", "string"]));
    assert_eq!(message["properties"]["sent_at"]["format"], "date-time");
    assert_eq!(message["properties"]["extra"]["additionalProperties"], true);
    // An open object alone may be `null`, so that its field is an `Option`.
    assert_eq!(message["properties"]["extra"]["type"], json!(["object", "null"]));
    let consequences: Vec<&str> = learned.edits().iter().map(|edit| edit.consequence.as_str()).collect();
    assert!(
        consequences.contains(&"`Message` gains the optional field `sent_at: Option<chrono::DateTime<chrono::Utc>>`")
    );
}

#[test]
fn undocumented_enum_values_are_added_to_the_inline_enum() {
    let mut scheduled = departure(
        "retrieveMessage",
        "message.json",
        "/status",
        DepartureKind::UndocumentedEnumValue,
    );
    scheduled.enum_value = Some("scheduled".to_owned());
    let mut paused = scheduled.clone();
    paused.enum_value = Some("paused".to_owned());
    paused.operation_id = Some("listMessages".to_owned());
    paused.schema = Some("messages.json".to_owned());
    paused.pointer = "/messages/*/status".to_owned();
    let learned = learn(&[record(scheduled), record(paused)]);
    assert_eq!(learned.edits().len(), 1, "{:?}", learned.edits());
    let edit = &learned.edits()[0];
    assert_eq!(
        edit.consequence,
        "`MessageStatus` gains the variants `Paused`, `Scheduled`"
    );
    let values = edited(&learned, "message.json")["properties"]["status"]["enum"].clone();
    let values = values.as_array().unwrap();
    assert_eq!(&values[values.len() - 2..], [json!("paused"), json!("scheduled")]);
    // The enum stays on one line, as it was written.
    assert!(learned.edited["message.json"].contains("\"failed\", \"paused\", \"scheduled\"]"));
}

#[test]
fn null_is_allowed_at_the_use_site_as_the_schemas_write_it() {
    let learned = learn(&[
        observed(
            departure(
                "retrieveCustomer",
                "customer.json",
                "/phones",
                DepartureKind::NullNotAllowed,
            ),
            "null",
            None,
        ),
        observed(
            departure(
                "retrieveInvoice",
                "invoice.json",
                "/currency",
                DepartureKind::NullNotAllowed,
            ),
            "null",
            None,
        ),
        observed(
            departure(
                "retrieveInvoice",
                "invoice.json",
                "/state",
                DepartureKind::NullNotAllowed,
            ),
            "null",
            None,
        ),
    ]);
    let customer = edited(&learned, "customer.json");
    // A reference: `oneOf` the reference or `null`, its description kept.
    assert_eq!(
        customer["properties"]["phones"]["oneOf"],
        json!([{"$ref": "phones.json"}, {"type": "null"}])
    );
    assert!(customer["properties"]["phones"]["description"].is_string());
    let invoice = edited(&learned, "invoice.json");
    assert_eq!(invoice["properties"]["currency"]["type"], json!(["string", "null"]));
    // An enum lists `null` too.
    assert!(
        invoice["properties"]["state"]["enum"]
            .as_array()
            .unwrap()
            .contains(&Value::Null)
    );
    let by_field = |needle: &str| {
        learned
            .edits()
            .iter()
            .find(|edit| edit.consequence.contains(needle))
            .unwrap_or_else(|| panic!("no edit of {needle}: {:?}", learned.edits()))
    };
    assert!(
        by_field("Invoice::currency").breaking,
        "a required field becomes an Option"
    );
    assert!(
        !by_field("Customer::phones").breaking,
        "an optional field stays an Option"
    );
}

#[test]
fn a_missing_required_field_becomes_optional_and_breaks() {
    let learned = learn(&[record(departure(
        "retrieveInvoice",
        "invoice.json",
        "/currency",
        DepartureKind::MissingRequiredField,
    ))]);
    let edit = &learned.edits()[0];
    assert!(edit.breaking);
    assert_eq!(edit.consequence, "`Invoice::currency` becomes an `Option`");
    let invoice = edited(&learned, "invoice.json");
    assert!(!invoice["required"].as_array().unwrap().contains(&json!("currency")));
    assert!(
        invoice["properties"]["currency"]["$comment"]
            .as_str()
            .unwrap()
            .contains("contract learn")
    );
}

#[test]
fn an_undocumented_status_is_added_to_the_operation_in_the_manifest() {
    let mut teapot = departure("retrieveInvoice", "invoice.json", "", DepartureKind::UndocumentedStatus);
    teapot.status = Some(418);
    teapot.schema = None;
    let learned = learn(&[record(teapot)]);
    let edit = &learned.edits()[0];
    assert_eq!(edit.file, "openapi.json");
    assert_eq!(edit.changes[0].pointer, "/paths/~1invoices~1{id}/get/responses/418");
    let manifest = edited(&learned, "openapi.json");
    assert!(manifest["paths"]["/invoices/{id}"]["get"]["responses"]["418"]["description"].is_string());
}

#[test]
fn writing_twice_changes_nothing_the_second_time() {
    let mut scheduled = departure(
        "retrieveMessage",
        "message.json",
        "/status",
        DepartureKind::UndocumentedEnumValue,
    );
    scheduled.enum_value = Some("scheduled".to_owned());
    let records = [
        observed(
            departure(
                "retrieveCustomer",
                "customer.json",
                "/loyalty_tier",
                DepartureKind::UnknownField,
            ),
            "string",
            None,
        ),
        record(scheduled),
        observed(
            departure(
                "retrieveCustomer",
                "customer.json",
                "/phones",
                DepartureKind::NullNotAllowed,
            ),
            "null",
            None,
        ),
        record(departure(
            "retrieveInvoice",
            "invoice.json",
            "/currency",
            DepartureKind::MissingRequiredField,
        )),
    ];
    let first = learn(&records);
    assert_eq!(first.edits().len(), 4, "{:?}", first.edits());
    let copy = written_copy(&first, "twice");
    let second = Learned::from_records(&copy, &records).unwrap();
    assert!(second.edits().is_empty(), "{:?}", second.edits());
    assert_eq!(
        second.proposal.already_applied.len(),
        4,
        "{:?}",
        second.proposal.already_applied
    );
    assert!(second.write_into(&copy).unwrap().is_empty());
    std::fs::remove_dir_all(&copy).unwrap();
}

#[test]
fn string_alternatives_become_one_of_them_or_null() {
    let directory = std::env::temp_dir().join(format!("kimoby-contract-learn-any-of-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let contact = json!({
        "title": "Contact",
        "type": "object",
        "properties": {"email": {
            "description": "An email, or `\"\"` once cleared.",
            "type": "string",
            "anyOf": [{"type": "string", "format": "email"}, {"type": "string", "const": ""}]
        }},
        "additionalProperties": false
    });
    std::fs::write(
        directory.join("contact.json"),
        serde_json::to_string_pretty(&contact).unwrap() + "\n",
    )
    .unwrap();
    let records = [observed(
        departure(
            "retrieveContact",
            "contact.json",
            "/email",
            DepartureKind::NullNotAllowed,
        ),
        "null",
        None,
    )];
    let learned = Learned::from_records(&directory, &records).unwrap();
    let email = &edited(&learned, "contact.json")["properties"]["email"];
    // `anyOf` is read by the generator between strings only: the whole
    // alternative becomes a `oneOf` branch beside `null`, the description outside.
    assert_eq!(
        email["oneOf"],
        json!([
            {"type": "string", "anyOf": [{"type": "string", "format": "email"}, {"type": "string", "const": ""}]},
            {"type": "null"}
        ])
    );
    assert!(email["description"].is_string() && email.get("type").is_none() && email.get("anyOf").is_none());
    std::fs::remove_dir_all(&directory).unwrap();
}
