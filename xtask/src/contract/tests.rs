//! Unit tests of `contract learn`: each kind of edit on a small report
//! against the workspace's `schemas/` (read, never written: edits go to a
//! temporary copy), merging, idempotence, what needs a human, and bad input.

use std::path::PathBuf;

use kimoby_generated::departure::{Departure, DepartureKind, DepartureRecord, Direction};
use serde_json::{Value, json};

use super::Learned;

fn schemas() -> PathBuf {
    crate::workspace_root().join("schemas")
}

/// A response departure of `operation` (a `GET` answered 200) in a body of `schema`.
fn departure(operation: &str, schema: &str, pointer: &str, kind: DepartureKind) -> Departure {
    Departure {
        operation_id: Some(operation.to_owned()),
        method: "GET".to_owned(),
        path: None,
        direction: Direction::Response,
        status: Some(200),
        schema: Some(schema.to_owned()),
        pointer: pointer.to_owned(),
        kind,
        observed_type: None,
        observed_format: None,
        enum_value: None,
        detail: None,
        tolerated: Some(true),
    }
}

fn record(departure: Departure) -> DepartureRecord {
    DepartureRecord {
        departure,
        count: 2,
        first_seen: "2026-01-01T00:00:00Z".to_owned(),
        last_seen: "2026-01-02T00:00:00Z".to_owned(),
    }
}

fn observed(mut departure: Departure, json_type: &str, format: Option<&str>) -> DepartureRecord {
    departure.observed_type = Some(json_type.to_owned());
    departure.observed_format = format.map(str::to_owned);
    record(departure)
}

fn learn(records: &[DepartureRecord]) -> Learned {
    Learned::from_records(&schemas(), records).expect("learn")
}

fn edited(learned: &Learned, file: &str) -> Value {
    serde_json::from_str(&learned.edited[file]).expect("edited JSON")
}

/// A temporary copy of `schemas/` with `learned`'s edits written into it.
fn written_copy(learned: &Learned, name: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("kimoby-contract-learn-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    for (file, text) in &learned.original {
        std::fs::write(directory.join(file), text).unwrap();
    }
    learned.write_into(&directory).unwrap();
    directory
}

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
                "/email",
                DepartureKind::NullNotAllowed,
            ),
            "null",
            None,
        ),
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
    // String alternatives (`anyOf`): `oneOf` them or `null`, the description kept outside.
    assert_eq!(
        customer["properties"]["email"]["oneOf"],
        json!([
            {"type": "string", "anyOf": [{"type": "string", "format": "email"}, {"type": "string", "const": ""}]},
            {"type": "null"}
        ])
    );
    assert!(customer["properties"]["email"]["description"].is_string());
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
        !by_field("Customer::email").breaking,
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
fn what_cannot_be_learned_is_listed_for_a_human_with_why() {
    let mut request = departure(
        "createCustomer",
        "customer_request.json",
        "/zz",
        DepartureKind::UnknownField,
    );
    request.direction = Direction::Request;
    let mut no_value = departure(
        "retrieveMessage",
        "message.json",
        "/status",
        DepartureKind::UndocumentedEnumValue,
    );
    no_value.enum_value = None;
    let learned = learn(&[
        observed(
            departure(
                "retrieveInvoice",
                "invoice.json",
                "/total_price",
                DepartureKind::WrongType,
            ),
            "string",
            None,
        ),
        record(departure(
            "retrieveInvoice",
            "invoice.json",
            "/total_price",
            DepartureKind::ConstraintViolated,
        )),
        observed(request, "string", None),
        record(no_value),
        observed(
            departure(
                "retrieveCustomer",
                "customer.json",
                "/nowhere/deep",
                DepartureKind::UnknownField,
            ),
            "string",
            None,
        ),
        observed(
            departure("retrieveCustomer", "nothing.json", "/a", DepartureKind::UnknownField),
            "string",
            None,
        ),
        record(departure(
            "retrieveCustomer",
            "customer.json",
            "",
            DepartureKind::UpstreamFailure,
        )),
        record(departure(
            "retrieveCustomer",
            "customer.json",
            "",
            DepartureKind::UnknownOperation,
        )),
    ]);
    assert!(learned.edits().is_empty(), "{:?}", learned.edits());
    let whys: Vec<&str> = learned
        .proposal
        .needs_human
        .iter()
        .map(|human| human.why.as_str())
        .collect();
    assert_eq!(whys.len(), 8, "{whys:#?}");
    for expected in [
        "a value of another type (`string`)",
        "a value outside a documented bound",
        "a request the contract refuses",
        "the report does not carry the new value",
        "the schemas cannot reach it: customer.json# declares no property `nowhere`",
        "the schemas cannot reach it: the report names the schema `nothing.json`",
        "the upstream failed to answer",
        "a request that matches no operation",
    ] {
        assert!(
            whys.iter().any(|why| why.starts_with(expected)),
            "{expected}: {whys:#?}"
        );
    }
    assert_eq!(learned.original, learned.edited);
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
fn a_missing_or_malformed_report_names_the_file_and_line_but_not_its_text() {
    let missing = Learned::from_reports(&schemas(), &[PathBuf::from("/nonexistent/report.jsonl")]);
    let message = format!("{:#}", missing.err().expect("a missing report fails"));
    assert!(message.contains("/nonexistent/report.jsonl"), "{message}");
    let directory = std::env::temp_dir().join(format!("kimoby-contract-learn-bad-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let report = directory.join("report.jsonl");
    let good = serde_json::to_string(&record(departure(
        "a",
        "customer.json",
        "/x",
        DepartureKind::UnknownField,
    )))
    .unwrap();
    std::fs::write(&report, format!("{good}\n{{\"name\": \"Jane Doe secret\"\n")).unwrap();
    let message = format!(
        "{:#}",
        Learned::from_reports(&schemas(), std::slice::from_ref(&report))
            .err()
            .expect("fails")
    );
    assert!(message.contains(&format!("{}:2", report.display())), "{message}");
    assert!(!message.contains("Jane Doe"), "{message}");
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn the_verdict_names_the_edit_that_breaks() {
    let learned = learn(&[record(departure(
        "retrieveInvoice",
        "invoice.json",
        "/currency",
        DepartureKind::MissingRequiredField,
    ))]);
    let verdict = learned.verdict(
        crate::semver::Bump::Major,
        &["field_type_changed: kimoby_semver_fixture::generated::types::Invoice.currency".to_owned()],
    );
    assert_eq!(
        verdict,
        "verdict: breaking (major release): field_type_changed: Invoice.currency caused by `currency` no longer required in invoice.json (`Invoice::currency` becomes an `Option`)"
    );
    assert_eq!(
        learned.verdict(crate::semver::Bump::Minor, &[]),
        "verdict: compatible (minor release)"
    );
}

#[test]
fn the_evolved_fixture_learned_makes_the_strict_profile_accept_its_bodies() {
    let fixture = crate::workspace_root().join("tests/contract_learn/evolved");
    let learned = Learned::from_reports(&schemas(), &[fixture.join("report.jsonl")]).unwrap();
    learned.print();
    assert!(
        learned.proposal.needs_human.is_empty(),
        "{:?}",
        learned.proposal.needs_human
    );
    let bodies = super::fixtures::read_bodies(&fixture.join("bodies.jsonl")).unwrap();
    assert_eq!(
        super::fixtures::refused(&schemas(), &bodies).unwrap().len(),
        bodies.len()
    );
    let copy = written_copy(&learned, "evolved");
    assert_eq!(super::fixtures::refused(&copy, &bodies).unwrap(), Vec::<usize>::new());
    std::fs::remove_dir_all(&copy).unwrap();
}

#[test]
fn the_walk_follows_items_and_references_and_refuses_an_ambiguous_union() {
    let learned = learn(&[
        observed(
            departure(
                "retrieveInvoice",
                "invoice.json",
                "/refunds/*/reason",
                DepartureKind::UnknownField,
            ),
            "string",
            None,
        ),
        observed(
            departure(
                "webhook",
                "webhook_event.json",
                "/data/zz_new",
                DepartureKind::UnknownField,
            ),
            "string",
            None,
        ),
    ]);
    assert_eq!(learned.edits().len(), 1, "{:?}", learned.edits());
    assert_eq!(learned.edits()[0].file, "invoice_refund.json");
    assert_eq!(learned.edits()[0].changes[0].pointer, "/properties/reason");
    let whys: Vec<&str> = learned
        .proposal
        .needs_human
        .iter()
        .map(|human| human.why.as_str())
        .collect();
    assert_eq!(whys.len(), 1, "{whys:?}");
    assert!(whys[0].contains("the pointer does not say which one"), "{whys:?}");
}
