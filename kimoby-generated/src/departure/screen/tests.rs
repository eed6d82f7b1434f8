//! The screen against the strict validator: on every fixture and on every
//! single change of every documented example, the screen accepts a body
//! only if the validator does (it is sound), and accepts what the validator
//! accepts except where it says it cannot be sure (it is useful).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};

use proptest::prelude::*;

use super::Screen;
use super::text::{is_plain_date_time, is_plain_email, native_pattern};
use crate::validate::Validator;

fn fixtures(kind: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(kind);
    let mut found = Vec::new();
    for folder in std::fs::read_dir(&root).unwrap() {
        let folder = folder.unwrap().path();
        let schema = format!("{}.json", folder.file_name().unwrap().to_str().unwrap());
        for file in std::fs::read_dir(&folder).unwrap() {
            found.push((schema.clone(), file.unwrap().path()));
        }
    }
    found.sort();
    assert!(!found.is_empty(), "no fixture under {}", root.display());
    found
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Values put in place of each value of a body.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1.0),
        json!(60),
        json!(""),
        json!("x"),
        json!("x".repeat(2000)),
        json!("été"),
        json!("2019-02-21T14:38:14Z"),
        json!("2019-02-30T25:00:00"),
        json!("+15145550000"),
        json!("jane@example.com"),
        json!("https://example.com/a"),
        json!([]),
        json!(["x"]),
        json!({}),
    ]
}

/// Every body made from `body` by one change: each value replaced, each
/// member removed, a member added to each object, each array emptied or its
/// first item doubled.
fn changes(body: &Value) -> Vec<Value> {
    let mut pointers = Vec::new();
    collect_pointers(body, String::new(), &mut pointers);
    let mut changed = Vec::new();
    for pointer in &pointers {
        for replacement in replacements() {
            let mut copy = body.clone();
            *copy.pointer_mut(pointer).unwrap() = replacement;
            changed.push(copy);
        }
        let mut copy = body.clone();
        match copy.pointer_mut(pointer).unwrap() {
            Value::Object(members) => {
                members.insert("loyalty_tier".to_owned(), json!("gold"));
                changed.push(copy);
                // Names that custom attributes' patterns tell apart.
                for name in ["x_date", "x_array", "array", "_array", "ray", "Visits", "", "été"] {
                    for value in [json!("gold"), json!("2019-02-21T14:38:14Z"), json!(["a"]), json!(3)] {
                        let mut copy = body.clone();
                        copy.pointer_mut(pointer)
                            .unwrap()
                            .as_object_mut()
                            .unwrap()
                            .insert(name.to_owned(), value);
                        changed.push(copy);
                    }
                }
                for name in body.pointer(pointer).unwrap().as_object().unwrap().keys() {
                    let mut copy = body.clone();
                    copy.pointer_mut(pointer)
                        .unwrap()
                        .as_object_mut()
                        .unwrap()
                        .shift_remove(name);
                    changed.push(copy);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let first = items[0].clone();
                items.push(first);
                changed.push(copy);
                let mut copy = body.clone();
                *copy.pointer_mut(pointer).unwrap() = json!([]);
                changed.push(copy);
            }
            _ => {}
        }
    }
    changed
}

fn collect_pointers(value: &Value, pointer: String, pointers: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                collect_pointers(
                    member,
                    format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1")),
                    pointers,
                );
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_pointers(item, format!("{pointer}/{index}"), pointers);
            }
        }
        _ => {}
    }
    pointers.push(pointer);
}

/// Whether `body` holds, anywhere, a number with a fraction written where
/// the screen only reads integers: the one case it leaves to the validator.
fn has_integral_fraction(value: &Value) -> bool {
    match value {
        Value::Number(number) => number.is_f64() && number.as_f64().is_some_and(|float| float.fract() == 0.0),
        Value::Array(items) => items.iter().any(has_integral_fraction),
        Value::Object(members) => members.values().any(has_integral_fraction),
        _ => false,
    }
}

#[test]
fn every_fixture_gets_the_validators_verdict() {
    let screen = Screen::new().unwrap();
    let validator = Validator::strict().unwrap();
    let mut judged = 0;
    for kind in ["valid", "invalid", "evolved"] {
        for (schema, path) in fixtures(kind) {
            let text = std::fs::read(&path).unwrap();
            let expected = validator.is_valid(&schema, &read(&path));
            assert_eq!(
                screen.accepts(&schema, &text),
                expected,
                "{} against {schema}",
                path.display()
            );
            judged += 1;
        }
    }
    assert!(judged > 100, "only {judged} fixtures");
}

#[test]
fn the_screen_never_accepts_what_the_validator_refuses() {
    let screen = Screen::new().unwrap();
    let validator = Validator::strict().unwrap();
    let (mut accepted, mut refused, mut left_to_the_validator) = (0, 0, 0);
    for (schema, path) in fixtures("valid") {
        for changed in changes(&read(&path)) {
            let text = serde_json::to_vec(&changed).unwrap();
            let valid = validator.is_valid(&schema, &changed);
            let screened = screen.accepts(&schema, &text);
            assert!(
                !screened || valid,
                "the screen accepts, the validator refuses, as {schema}: {changed}"
            );
            if valid && !screened {
                // Sound either way, but only this case is expected.
                assert!(
                    has_integral_fraction(&changed),
                    "the screen refuses what the validator accepts, as {schema}: {changed}"
                );
                left_to_the_validator += 1;
            } else if valid {
                accepted += 1;
            } else {
                refused += 1;
            }
        }
    }
    assert!(
        accepted > 5_000 && refused > 20_000,
        "{accepted} accepted, {refused} refused"
    );
    assert!(left_to_the_validator > 0, "no change wrote an integer as 1.0");
}

#[test]
fn text_the_parsed_body_would_hide_is_refused() {
    let screen = Screen::new().unwrap();
    let customer = r#""id": "cu1", "name": "Jane Doe", "created_at": "2019-02-21T14:38:14Z", "updated_at": "2019-02-21T14:38:14Z""#;
    assert!(screen.accepts("customer.json", format!("{{{customer}}}").as_bytes()));
    // A name given twice: the parsed body would keep the last one only.
    assert!(!screen.accepts("customer.json", format!(r#"{{{customer}, "name": "Jane"}}"#).as_bytes()));
    // Not JSON, or more than one value.
    assert!(!screen.accepts("customer.json", format!("{{{customer}}} {{}}").as_bytes()));
    assert!(!screen.accepts("customer.json", format!("{{{customer},}}").as_bytes()));
    assert!(!screen.accepts("customer.json", b"\xff"));
    assert!(!screen.accepts("customer.json", b""));
    // A schema that does not exist.
    assert!(!screen.accepts("no_such_file.json", format!("{{{customer}}}").as_bytes()));
    // Nesting deeper than the parser allows.
    let deep = format!(
        r#"{{{customer}, "custom_attributes": {{"a": {}1{}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(!screen.accepts("customer.json", deep.as_bytes()));
}

/// Every `pattern`, `patternProperties` name and `propertyNames` pattern
/// of the strict schemas.
fn schema_patterns() -> Vec<String> {
    fn collect(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    match (name.as_str(), member) {
                        ("pattern", Value::String(pattern)) => found.push(pattern.clone()),
                        ("patternProperties", Value::Object(by_pattern)) => found.extend(by_pattern.keys().cloned()),
                        _ => {}
                    }
                    collect(member, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| collect(item, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (_, document) in crate::validate::parse_documents(crate::schemas::Profile::Strict).unwrap() {
        collect(&document, &mut found);
    }
    found.sort();
    found.dedup();
    found
}

fn format_validator(format: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&json!({ "type": "string", "format": format }))
        .unwrap()
}

#[test]
fn a_pattern_read_natively_means_what_it_means_to_the_validator() {
    let patterns = schema_patterns();
    let mut native = 0;
    for pattern in &patterns {
        let Some(regex) = native_pattern(pattern) else {
            continue;
        };
        native += 1;
        let validator = jsonschema::validator_for(&json!({ "type": "string", "pattern": pattern })).unwrap();
        // Every string of up to three characters over the pattern's own
        // characters and a few others (a line break, non-ASCII, astral).
        let mut alphabet: Vec<char> = pattern.chars().filter(char::is_ascii_alphanumeric).collect();
        alphabet.extend(['a', 'y', '_', 'Z', '0', '9', '+', '/', ':', ' ', '\n', 'é', '𝄞']);
        alphabet.sort_unstable();
        alphabet.dedup();
        let mut corpus = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..3 {
            level = level
                .iter()
                .flat_map(|text| alphabet.iter().map(move |letter| format!("{text}{letter}")))
                .collect();
            corpus.extend(level.iter().cloned());
        }
        corpus.extend(
            [
                "first_visit_date",
                "service_array",
                "vehicle_year",
                "x_array\n",
                "array",
                "+15145550000",
                "+1514555000012345",
                "CA",
                "https://example.com",
                "http://example.com",
                "2024",
                "12",
                "13",
            ]
            .map(str::to_owned),
        );
        for text in &corpus {
            assert_eq!(
                regex.is_match(text),
                validator.is_valid(&json!(text)),
                "pattern {pattern} on {text:?}"
            );
        }
    }
    assert!(
        native >= 8,
        "only {native} of {} patterns read natively",
        patterns.len()
    );
    for unread in [r"^\d+$", "a.b", "(?=a)", r"\<a", r"^\w$", "a{,3}"] {
        assert!(native_pattern(unread).is_none(), "{unread}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_plain_date_time_is_a_date_time_to_the_validator(
        year in 0_u32..10_000, month in 0_u32..14, day in 0_u32..33, hour in 0_u32..25, minute in 0_u32..61,
        second in 0_u32..62, fraction in proptest::option::of("[0-9]{1,10}"),
        offset in prop_oneof![Just("Z".to_owned()), Just("z".to_owned()), "[+-][0-9]{2}:[0-9]{2}"],
        separator in prop_oneof![Just('T'), Just('t'), Just(' ')],
    ) {
        let fraction = fraction.map(|digits| format!(".{digits}")).unwrap_or_default();
        let text = format!("{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}{fraction}{offset}");
        if is_plain_date_time(&text) {
            prop_assert!(format_validator("date-time").is_valid(&json!(text)), "{}", text);
        }
    }

    #[test]
    fn a_plain_email_is_an_email_to_the_validator(
        text in "[a-zA-Z0-9._+-]{1,70}@([a-zA-Z0-9-]{1,66}\\.){1,4}[a-zA-Z0-9-]{1,8}",
    ) {
        if is_plain_email(&text) {
            prop_assert!(format_validator("email").is_valid(&json!(text)), "{}", text);
        }
    }

    #[test]
    fn other_text_is_never_plain_unless_the_validator_agrees(text in "[a-zA-Z0-9.@_+:T-]{0,30}") {
        if is_plain_date_time(&text) {
            prop_assert!(format_validator("date-time").is_valid(&json!(text)), "{}", text);
        }
        if is_plain_email(&text) {
            prop_assert!(format_validator("email").is_valid(&json!(text)), "{}", text);
        }
    }
}

#[test]
fn the_plainest_writings_are_read_natively() {
    for plain in [
        "2019-02-21T14:38:14Z",
        "2024-02-29T23:59:59.123456789+05:30",
        "2016-01-20T14:00:00-05:00",
    ] {
        assert!(is_plain_date_time(plain), "{plain}");
    }
    for not_plain in [
        "2023-02-29T00:00:00Z",
        "2019-02-21T14:38:60Z",
        "2019-02-21t14:38:14Z",
        "2019-02-21T14:38:14",
    ] {
        assert!(!is_plain_date_time(not_plain), "{not_plain}");
    }
    for plain in ["jane@example.com", "jane.doe+kimoby@mail.example.co"] {
        assert!(is_plain_email(plain), "{plain}");
    }
    for not_plain in [
        "jane@localhost",
        "jane..doe@example.com",
        "jane@xn--bcher-kva.example",
        "\"jane\"@example.com",
    ] {
        assert!(!is_plain_email(not_plain), "{not_plain}");
    }
}

/// One change of a body at one place.
#[derive(Debug, Clone)]
enum Change {
    Replace(Value),
    Remove,
    Add(&'static str, Value),
}

fn all_changes() -> Vec<Change> {
    let mut changes: Vec<Change> = replacements().into_iter().map(Change::Replace).collect();
    changes.push(Change::Remove);
    for name in ["loyalty_tier", "x_date", "x_array", "array", ""] {
        for value in [
            json!("gold"),
            json!("2019-02-21T14:38:14Z"),
            json!(["a"]),
            json!(3),
            Value::Null,
        ] {
            changes.push(Change::Add(name, value));
        }
    }
    changes
}

/// Applies `change` at `pointer`; a change that does not fit the place
/// (removing the root, adding to a non-object) leaves the body as it was.
fn apply(body: &mut Value, pointer: &str, change: &Change) {
    match change {
        Change::Replace(value) => {
            if let Some(place) = body.pointer_mut(pointer) {
                *place = value.clone();
            }
        }
        Change::Remove => {
            let Some((parent, last)) = pointer.rsplit_once('/') else {
                return;
            };
            let name = last.replace("~1", "/").replace("~0", "~");
            match body.pointer_mut(parent) {
                Some(Value::Object(members)) => {
                    members.shift_remove(&name);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = name.parse::<usize>()
                        && index < items.len()
                    {
                        items.remove(index);
                    }
                }
                _ => {}
            }
        }
        Change::Add(name, value) => {
            if let Some(Value::Object(members)) = body.pointer_mut(pointer) {
                members.insert((*name).to_owned(), value.clone());
            }
        }
    }
}

struct Judges {
    screen: Screen,
    validator: Validator,
    examples: Vec<(String, Value)>,
    changes: Vec<Change>,
}

fn judges() -> &'static Judges {
    static JUDGES: OnceLock<Judges> = OnceLock::new();
    JUDGES.get_or_init(|| Judges {
        screen: Screen::new().unwrap(),
        validator: Validator::strict().unwrap(),
        examples: fixtures("valid")
            .into_iter()
            .map(|(schema, path)| (schema, read(&path)))
            .collect(),
        changes: all_changes(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// Several changes at once, at places drawn at random: what the screen
    /// accepts, the validator accepts.
    #[test]
    fn several_changes_at_once_never_get_past_the_screen(
        example in any::<prop::sample::Index>(),
        steps in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..5),
    ) {
        let judges = judges();
        let (schema, example) = example.get(&judges.examples);
        let mut body = example.clone();
        for (place, change) in &steps {
            let mut pointers = Vec::new();
            collect_pointers(&body, String::new(), &mut pointers);
            let pointer = place.get(&pointers).clone();
            apply(&mut body, &pointer, change.get(&judges.changes));
        }
        let text = serde_json::to_vec(&body).unwrap();
        if judges.screen.accepts(schema, &text) {
            prop_assert!(judges.validator.is_valid(schema, &body), "accepted as {}: {}", schema, body);
        }
    }
}
