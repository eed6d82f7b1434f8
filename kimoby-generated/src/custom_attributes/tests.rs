//! Tests of the custom attribute types: the rules of each kind, the reading
//! against the former `Value` route, and the date text against `to_rfc3339`.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde_json::json;

use super::*;

#[test]
fn the_name_decides_the_kind_of_a_value() {
    let attributes: CustomAttributes = serde_json::from_value(json!({
        "comment": "Work needs to be done",
        "num_of_visits": 12.0,
        "last_appt_date": "2015-10-12T14:00:00-05:00",
        "service_required_array": ["Oil Change", 3],
        "birthday": "2015-10-12T14:00:00Z"
    }))
    .unwrap();
    assert_eq!(
        attributes.get("comment"),
        Some(&CustomAttributeValue::Text("Work needs to be done".into()))
    );
    assert_eq!(
        attributes.get("num_of_visits"),
        Some(&CustomAttributeValue::Number(12.0))
    );
    let date = attributes
        .get("last_appt_date")
        .and_then(CustomAttributeValue::as_date)
        .unwrap();
    assert_eq!(date.offset().local_minus_utc(), -5 * 3600, "the offset is kept");
    assert_eq!(
        attributes
            .get("service_required_array")
            .and_then(CustomAttributeValue::as_list),
        Some(&["Oil Change".to_owned(), "3".to_owned()][..])
    );
    // Not a `_date` name: stays text even though it looks like a date.
    assert_eq!(
        attributes.get("birthday").and_then(CustomAttributeValue::as_str),
        Some("2015-10-12T14:00:00Z")
    );
}

#[test]
fn unexpected_shapes_are_kept_not_rejected() {
    let attributes: CustomAttributes = serde_json::from_value(json!({
        "broken_date": "next tuesday",
        "flag": true,
        "nested": {"a": 1}
    }))
    .unwrap();
    assert_eq!(
        attributes.get("broken_date").and_then(CustomAttributeValue::as_str),
        Some("next tuesday")
    );
    assert_eq!(attributes.get("flag"), Some(&CustomAttributeValue::Other(json!(true))));
    assert_eq!(
        attributes.get("nested"),
        Some(&CustomAttributeValue::Other(json!({"a": 1})))
    );
}

#[test]
fn values_serialize_back_to_their_wire_form() {
    let wire = json!({
        "a_date": "2015-10-12T14:00:00-05:00",
        "b_array": ["x", "y"],
        "c": "text",
        "d": 210.11
    });
    let attributes: CustomAttributes = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(serde_json::to_value(&attributes).unwrap(), wire);
}

#[test]
fn an_update_sends_null_for_a_removal_and_reads_it_back() {
    let update = CustomAttributesUpdate::new().set("vehicle", "Audi").remove("color");
    let wire = serde_json::to_value(&update).unwrap();
    assert_eq!(wire, json!({"color": null, "vehicle": "Audi"}));
    let back: CustomAttributesUpdate = serde_json::from_value(wire).unwrap();
    assert_eq!(back, update);
    assert_eq!(back.get("color"), Some(None));
}

#[test]
fn a_response_skips_nulls() {
    let attributes: CustomAttributes = serde_json::from_value(json!({"gone": null, "kept": "x"})).unwrap();
    assert_eq!(attributes.len(), 1);
}

#[test]
fn an_array_with_another_kind_of_item_is_kept_as_sent() {
    // Numbers before the odd item stay numbers: the array is kept as JSON.
    let attributes: CustomAttributes =
        serde_json::from_str(r#"{"mixed_array": ["a", 3, 2.5, true, null, ["b"]], "empty_array": []}"#).unwrap();
    assert_eq!(
        attributes.get("mixed_array"),
        Some(&CustomAttributeValue::Other(json!(["a", 3, 2.5, true, null, ["b"]])))
    );
    assert_eq!(
        attributes.get("empty_array"),
        Some(&CustomAttributeValue::List(Vec::new()))
    );
}

#[test]
fn a_value_alone_is_read_without_its_name() {
    let value: CustomAttributeValue = serde_json::from_str(r#""2015-10-12T14:00:00Z""#).unwrap();
    assert_eq!(value, CustomAttributeValue::Text("2015-10-12T14:00:00Z".into()));
    let value: CustomAttributeValue = serde_json::from_str("null").unwrap();
    assert_eq!(value, CustomAttributeValue::Other(Value::Null));
    let value: CustomAttributeValue = serde_json::from_str("[1, \"x\"]").unwrap();
    assert_eq!(value, CustomAttributeValue::List(vec!["1".into(), "x".into()]));
}

#[test]
fn a_date_name_with_escaped_text_is_still_a_date() {
    // serde_json cannot lend escaped text: the owned-string path parses it.
    let attributes: CustomAttributes =
        serde_json::from_str(r#"{"a_date": "2015-10-12T14:00:00\u002B01:00", "b_date": "not\n a date"}"#).unwrap();
    assert!(
        attributes
            .get("a_date")
            .and_then(CustomAttributeValue::as_date)
            .is_some()
    );
    assert_eq!(
        attributes.get("b_date").and_then(CustomAttributeValue::as_str),
        Some("not\n a date")
    );
}

/// Dates at the edges of what [`Rfc3339Text`] writes, and past them.
#[test]
fn dates_are_written_as_to_rfc3339_writes_them() {
    let cases = [
        "2015-10-12T14:00:00+00:00",
        "2015-10-12T14:00:00Z",
        "2015-10-12T14:00:00-05:00",
        "2015-10-12T14:00:00+05:30",
        "2015-10-12T14:00:00.1+23:59",
        "2015-10-12T14:00:00.120-23:59",
        "2015-10-12T14:00:00.000123+01:00",
        "2015-10-12T14:00:00.000000001+01:00",
        "2015-10-12T14:00:00.999999999+01:00",
        "2015-06-30T23:59:60.5+00:00",
        "2016-12-31T18:59:60-05:00",
        "0000-01-01T00:00:00+00:00",
        "0000-01-01T00:00:00+12:00",
        "0000-01-01T00:00:00-12:00",
        "9999-12-31T23:59:59.999999999+00:00",
        "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59+12:00",
    ];
    for case in cases {
        let date = DateTime::parse_from_rfc3339(case).unwrap();
        let expected = serde_json::to_string(&date.to_rfc3339()).unwrap();
        assert_eq!(
            serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap(),
            expected,
            "{case}"
        );
    }
    // An offset with seconds is rounded to the nearest minute, as chrono does.
    let utc = DateTime::from_timestamp(1_444_658_400, 0).unwrap();
    for seconds in [29, 30, 31, -29, -30, -31, 86_399, -86_399, 3_599, -3_570] {
        let date = utc.with_timezone(&FixedOffset::east_opt(seconds).unwrap());
        assert_eq!(
            Rfc3339Text::new(&date).unwrap().as_str(),
            date.to_rfc3339(),
            "{seconds}"
        );
    }
    // Signed years are left to chrono, and the bytes are still its own.
    for year in [-1, 10_000, 262_000, -262_000] {
        let date = chrono::NaiveDate::from_ymd_opt(year, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .fixed_offset();
        assert!(Rfc3339Text::new(&date).is_none());
        assert_eq!(
            serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap(),
            serde_json::to_string(&date.to_rfc3339()).unwrap()
        );
    }
}

/// The reading this module did before it used [`ValueSeed`]: every value
/// through a `serde_json::Value`, then [`CustomAttributeValue::from_json`].
/// The property tests below check the two agree on any JSON.
mod reference {
    use super::*;

    pub struct Entries(pub Vec<(String, Option<CustomAttributeValue>)>);

    pub fn read(text: &str, nullable: bool) -> serde_json::Result<Entries> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let entries = deserializer.deserialize_map(EntriesVisitor { nullable })?;
        deserializer.end()?;
        Ok(entries)
    }

    pub fn read_value(value: Value, nullable: bool) -> serde_json::Result<Entries> {
        value.deserialize_map(EntriesVisitor { nullable })
    }

    struct EntriesVisitor {
        nullable: bool,
    }

    impl<'de> Visitor<'de> for EntriesVisitor {
        type Value = Entries;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("an object of custom attributes")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Entries, A::Error> {
            let mut entries = Vec::new();
            while let Some((name, value)) = access.next_entry::<String, Value>()? {
                let value = match value {
                    Value::Null if self.nullable => None,
                    Value::Null => continue,
                    value => Some(CustomAttributeValue::from_json(&name, value)),
                };
                entries.push((name, value));
            }
            Ok(Entries(entries))
        }
    }
}

mod properties {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;

    /// Text that is a date, nearly one, or not one at all.
    fn date_like_text() -> impl Strategy<Value = String> {
        let separator = prop_oneof![Just("T"), Just("t"), Just(" "), Just("_")];
        let fraction = prop_oneof![
            Just(String::new()),
            "[0-9]{1,12}".prop_map(|digits| format!(".{digits}")),
            Just(".".to_owned()),
        ];
        let offset = prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            Just(String::new()),
            (prop_oneof![Just('+'), Just('-')], 0..26u32, 0..61u32)
                .prop_map(|(sign, hours, minutes)| format!("{sign}{hours:02}:{minutes:02}")),
            (0..26u32, 0..61u32).prop_map(|(hours, minutes)| format!("+{hours:02}{minutes:02}")),
        ];
        let assembled = (
            0..10_000u32,
            0..14u32,
            0..33u32,
            separator,
            0..25u32,
            0..61u32,
            0..62u32,
            fraction,
            offset,
        )
            .prop_map(
                |(year, month, day, separator, hour, minute, second, fraction, offset)| {
                    format!(
                        "{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
                    )
                },
            );
        prop_oneof![
            6 => assembled,
            1 => "[0-9T:+.Z-]{0,30}",
            1 => any::<String>(),
        ]
    }

    /// Any JSON value, weighted towards the kinds attributes hold.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            1 => Just(Value::Null),
            1 => any::<bool>().prop_map(Value::Bool),
            2 => any::<i64>().prop_map(Value::from),
            2 => any::<u64>().prop_map(Value::from),
            2 => any::<f64>().prop_filter("JSON numbers are finite", |number| number.is_finite()).prop_map(Value::from),
            2 => (0..100u32).prop_map(|number| Value::from(f64::from(number))),
            4 => date_like_text().prop_map(Value::String),
            4 => "[a-zA-Z \"\\\\\n\u{e9}]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                3 => prop::collection::vec("[a-z]{1,6}".prop_map(Value::String), 0..4).prop_map(Value::Array),
                2 => prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                1 => prop::collection::btree_map("[a-z_]{0,8}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// Names of every kind, few enough that some come twice.
    fn name() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("a"), Just("visit"), Just("b\u{e9}")],
            prop_oneof![
                Just(""),
                Just(DATE_SUFFIX),
                Just(ARRAY_SUFFIX),
                Just("_DATE"),
                Just("_date_")
            ],
        )
            .prop_map(|(stem, suffix)| format!("{stem}{suffix}"))
    }

    /// An object as text, names in any order and possibly repeated.
    fn object_text() -> impl Strategy<Value = String> {
        prop::collection::vec((name(), json_value()), 0..8).prop_map(|entries| {
            let entries: Vec<String> = entries
                .iter()
                .map(|(name, value)| format!("{}: {value}", Value::from(name.as_str())))
                .collect();
            format!("{{{}}}", entries.join(", "))
        })
    }

    /// The offsets chrono can hold, seconds included.
    fn offset() -> impl Strategy<Value = FixedOffset> {
        prop_oneof![
            Just(0),
            (-24..=24i32).prop_map(|hours| hours.clamp(-23, 23) * 3600),
            (-1440..=1440i32).prop_map(|minutes| (minutes * 60).clamp(-86_399, 86_399)),
            -86_399..=86_399i32,
        ]
        .prop_map(|seconds| FixedOffset::east_opt(seconds).unwrap())
    }

    /// Nanoseconds with 3, 6 or 9 significant digits, none, or a leap second's.
    fn nanoseconds() -> impl Strategy<Value = u32> {
        prop_oneof![
            Just(0),
            (1..1_000u32).prop_map(|milliseconds| milliseconds * 1_000_000),
            (1..1_000_000u32).prop_map(|microseconds| microseconds * 1_000),
            1..1_000_000_000u32,
            1_000_000_000..2_000_000_000u32,
        ]
    }

    /// Seconds since the epoch, mostly in years 0 to 9999, some anywhere
    /// chrono reaches; some on second 59, where a leap second can be.
    fn timestamp() -> impl Strategy<Value = i64> {
        let year_0 = NaiveDate::from_ymd_opt(0, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let year_10000 = NaiveDate::from_ymd_opt(10_000, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let (first, last) = (
            chrono::NaiveDateTime::MIN.and_utc().timestamp(),
            chrono::NaiveDateTime::MAX.and_utc().timestamp(),
        );
        let in_range = year_0.and_utc().timestamp() - 86_400..year_10000.and_utc().timestamp() + 86_400;
        prop_oneof![
            6 => in_range.clone(),
            2 => in_range.prop_map(|seconds| seconds - seconds.rem_euclid(60) + 59),
            1 => first..=last,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4_000))]

        #[test]
        fn a_date_is_written_with_the_bytes_of_to_rfc3339(
            seconds in timestamp(),
            nanoseconds in nanoseconds(),
            offset in offset(),
        ) {
            let Some(utc) = DateTime::from_timestamp(seconds, nanoseconds) else {
                // A leap second off second 59, or out of chrono's range.
                return Ok(());
            };
            let date = utc.with_timezone(&offset);
            let expected = date.to_rfc3339();
            if let Some(text) = Rfc3339Text::new(&date) {
                prop_assert_eq!(text.as_str(), expected.as_str());
            }
            prop_assert_eq!(
                serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap(),
                serde_json::to_string(&expected).unwrap()
            );
        }

        #[test]
        fn a_date_read_back_is_the_same_date(text in date_like_text()) {
            if let Ok(date) = DateTime::parse_from_rfc3339(&text) {
                let written = serde_json::to_string(&CustomAttributeValue::Date(date)).unwrap();
                let read: CustomAttributes = serde_json::from_str(&format!("{{\"x_date\": {written}}}")).unwrap();
                prop_assert_eq!(read.get("x_date"), Some(&CustomAttributeValue::Date(date)));
            }
        }

        #[test]
        fn attributes_are_read_as_through_from_json(text in object_text()) {
            let expected = reference::read(&text, false).unwrap();
            let expected = CustomAttributes(
                expected.0.into_iter().filter_map(|(name, value)| Some((name, value?))).collect(),
            );
            prop_assert_eq!(serde_json::from_str::<CustomAttributes>(&text).unwrap(), expected);

            // From a `Value` too (owned strings, no duplicate names).
            let value: Value = serde_json::from_str(&text).unwrap();
            let expected = reference::read_value(value.clone(), false).unwrap();
            let expected = CustomAttributes(
                expected.0.into_iter().filter_map(|(name, value)| Some((name, value?))).collect(),
            );
            prop_assert_eq!(serde_json::from_value::<CustomAttributes>(value).unwrap(), expected);
        }

        #[test]
        fn an_update_is_read_as_through_from_json(text in object_text()) {
            let expected = CustomAttributesUpdate(reference::read(&text, true).unwrap().0.into_iter().collect());
            prop_assert_eq!(serde_json::from_str::<CustomAttributesUpdate>(&text).unwrap(), expected);

            let value: Value = serde_json::from_str(&text).unwrap();
            let expected = CustomAttributesUpdate(reference::read_value(value.clone(), true).unwrap().0.into_iter().collect());
            prop_assert_eq!(serde_json::from_value::<CustomAttributesUpdate>(value).unwrap(), expected);
        }

        #[test]
        fn a_value_alone_is_read_as_through_from_json(value in json_value()) {
            let text = value.to_string();
            prop_assert_eq!(
                serde_json::from_str::<CustomAttributeValue>(&text).unwrap(),
                CustomAttributeValue::from_json("", serde_json::from_str(&text).unwrap())
            );
        }
    }
}
