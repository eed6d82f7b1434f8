//! What needs a human, the walk through references and unions, bad reports,
//! the verdict line, and the evolved fixture's bodies accepted after learning.

use std::path::PathBuf;

use kimoby_generated::departure::{DepartureKind, Direction};

use super::*;

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
    let bodies = crate::contract::fixtures::read_bodies(&fixture.join("bodies.jsonl")).unwrap();
    assert_eq!(
        crate::contract::fixtures::refused(&schemas(), &bodies).unwrap().len(),
        bodies.len()
    );
    let copy = written_copy(&learned, "evolved");
    assert_eq!(
        crate::contract::fixtures::refused(&copy, &bodies).unwrap(),
        Vec::<usize>::new()
    );
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
