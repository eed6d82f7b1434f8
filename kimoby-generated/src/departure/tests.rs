//! The departures found in changed copies of the documented examples, and
//! the report they make.

use serde_json::{Value, json};

use super::*;

fn fixture(path: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/valid")
        .join(path);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn found(schema: &str, body: &Value) -> Vec<(String, DepartureKind)> {
    let finder = Finder::new().unwrap();
    finder
        .departures(schema, body)
        .into_iter()
        .map(|found| (found.pointer, found.kind))
        .collect()
}

#[test]
fn a_documented_body_has_no_departure() {
    let finder = Finder::new().unwrap();
    assert!(
        finder
            .departures("invoice.json", &fixture("invoice/retrieve_response.json"))
            .is_empty()
    );
    assert!(
        finder
            .departures("customers.json", &fixture("customers/list_response.json"))
            .is_empty()
    );
    assert!(finder.departures("no_such_file.json", &json!({})).is_empty());
}

#[test]
fn each_kind_is_found_at_its_own_pointer() {
    let mut invoice = fixture("invoice/retrieve_response.json");
    invoice["loyalty_tier"] = json!("gold");
    invoice["state"] = json!("disputed");
    invoice["total_price"] = json!("100.00");
    invoice["currency"] = Value::Null;
    invoice["card"]["issuer_country"] = json!("CA");
    invoice.as_object_mut().unwrap().remove("public_url");
    assert_eq!(
        found("invoice.json", &invoice),
        [
            ("/card/issuer_country".to_owned(), DepartureKind::UnknownField),
            ("/currency".to_owned(), DepartureKind::NullNotAllowed),
            ("/loyalty_tier".to_owned(), DepartureKind::UnknownField),
            ("/public_url".to_owned(), DepartureKind::MissingRequiredField),
            ("/state".to_owned(), DepartureKind::UndocumentedEnumValue),
            ("/total_price".to_owned(), DepartureKind::WrongType),
        ]
    );
}

#[test]
fn array_items_are_starred_and_types_and_formats_observed() {
    let mut page = fixture("customers/list_response.json");
    for customer in page["customers"].as_array_mut().unwrap() {
        customer["last_visit_at"] = json!("2026-11-30T10:00:00-05:00");
    }
    let finder = Finder::new().unwrap();
    let departures = finder.departures("customers.json", &page);
    assert_eq!(departures.len(), 1, "{departures:?}");
    assert_eq!(departures[0].pointer, "/customers/*/last_visit_at");
    assert_eq!(departures[0].observed_type.as_deref(), Some("string"));
    assert_eq!(departures[0].observed_format.as_deref(), Some("date-time"));
}

#[test]
fn a_pattern_the_walk_does_not_check_comes_from_the_validator() {
    let mut customer = fixture("customers/list_response.json")["customers"][0].clone();
    customer["country"] = json!("Canada");
    let finder = Finder::new().unwrap();
    let departures = finder.departures("customer.json", &customer);
    assert_eq!(departures.len(), 1, "{departures:?}");
    assert_eq!(departures[0].pointer, "/country");
    assert_eq!(departures[0].kind, DepartureKind::ConstraintViolated);
    assert!(
        departures[0]
            .detail
            .as_deref()
            .is_some_and(|detail| detail.starts_with("pattern at ")),
        "{departures:?}"
    );
}

#[test]
fn only_an_undocumented_enum_value_is_kept() {
    let mut message = fixture("message/retrieve_response.json");
    message["status"] = json!("zz_scheduled");
    message["body"] = json!(42);
    message["sender_name"] = json!("Secret Person");
    let finder = Finder::new().unwrap();
    let departures = finder.departures("message.json", &message);
    let text = serde_json::to_string(&departures).unwrap();
    assert!(text.contains("zz_scheduled"), "{text}");
    assert!(!text.contains("Secret Person") && !text.contains("42"), "{text}");
}

fn departure(pointer: &str) -> Departure {
    Departure {
        operation_id: Some("retrieveCustomer".to_owned()),
        method: "GET".to_owned(),
        path: Some("/customers/{id}".to_owned()),
        direction: Direction::Response,
        status: Some(200),
        schema: Some("customer.json".to_owned()),
        pointer: pointer.to_owned(),
        kind: DepartureKind::UnknownField,
        observed_type: Some("string".to_owned()),
        observed_format: None,
        enum_value: None,
        detail: None,
        tolerated: Some(true),
    }
}

#[test]
fn the_log_counts_each_departure_once_and_reads_back_what_it_wrote() {
    let log = DepartureLog::new();
    log.record_at(departure("/loyalty_tier"), "2026-12-05T10:00:00Z");
    log.record_at(departure("/loyalty_tier"), "2026-12-05T11:00:00Z");
    log.record_at(departure("/nickname"), "2026-12-05T10:30:00Z");
    let records = log.records();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].departure.pointer, "/loyalty_tier");
    assert_eq!(
        (
            records[0].count,
            records[0].first_seen.as_str(),
            records[0].last_seen.as_str()
        ),
        (2, "2026-12-05T10:00:00Z", "2026-12-05T11:00:00Z")
    );

    let directory = std::env::temp_dir().join(format!("kimoby-departures-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("report.jsonl");
    assert!(log.write_if_changed(&path).unwrap());
    assert!(!log.write_if_changed(&path).unwrap(), "nothing changed");
    let read = DepartureLog::read(&path).unwrap();
    assert_eq!(read, records);
    let line = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(
        line.contains(r#""kind":"unknown_field""#) && line.contains(r#""count":2"#),
        "{line}"
    );

    let merged = DepartureLog::new();
    merged.merge(read.clone());
    merged.merge(read);
    assert_eq!(merged.records()[0].count, 4);

    std::fs::write(&path, "{\"operation_id\": \"Jane Doe\"}\n").unwrap();
    let error = DepartureLog::read(&path).unwrap_err().to_string();
    assert!(
        error.contains("report.jsonl:1") && !error.contains("Jane Doe"),
        "{error}"
    );
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn the_log_keeps_a_bounded_number_of_distinct_departures() {
    let log = DepartureLog::new();
    for index in 0..log::MAX_DISTINCT_DEPARTURES + 5 {
        log.record_at(departure(&format!("/field_{index}")), "2026-12-05T10:00:00Z");
    }
    assert_eq!(log.records().len(), log::MAX_DISTINCT_DEPARTURES);
    assert_eq!(log.dropped(), 5);
}
