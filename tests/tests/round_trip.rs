//! Round trips: every valid fixture (each documented example, request and
//! response, plus the extra cases) deserializes into its generated type, and
//! serializing it back gives the same JSON value.
//!
//! "Same" allows exactly these differences, each a documented property of the
//! types rather than a loss:
//! - a date-time may be written in another notation for the same instant and
//!   offset (`Z` comes back as `+00:00`);
//! - an integer may come back as the equal float (custom attribute numbers are
//!   floats, as the API returns them);
//! - an item of an `_array` custom attribute sent as a number comes back as its
//!   string (the API stores every item as a string);
//! - an optional member that was `[]` may come back absent (same meaning);
//! - in a *response*, an optional member that was `null` may come back absent.
//!   Request types keep `null`, since it clears a field.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use kimoby_generated::custom_attributes::{CustomAttributeValue, CustomAttributes, CustomAttributesUpdate};
use kimoby_generated::types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture_directory(schema_stem: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("valid")
        .join(schema_stem)
}

fn fixtures(schema_stem: &str) -> Vec<(PathBuf, Value)> {
    let directory = fixture_directory(schema_stem);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", directory.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixture in {}", directory.display());
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable fixture");
            let value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path, value)
        })
        .collect()
}

/// Whether `before` and `after` are the same JSON value up to the allowed
/// differences listed in the file docs. Returns the first difference.
fn difference(before: &Value, after: &Value, nulls_may_vanish: bool, at: &str) -> Option<String> {
    match (before, after) {
        (Value::Object(left), Value::Object(right)) => {
            for (key, left_value) in left {
                let path = format!("{at}/{key}");
                match right.get(key) {
                    Some(right_value) => {
                        if let Some(found) = difference(left_value, right_value, nulls_may_vanish, &path) {
                            return Some(found);
                        }
                    }
                    None if left_value.is_null() && nulls_may_vanish => {}
                    None if left_value.as_array().is_some_and(Vec::is_empty) => {}
                    None => return Some(format!("{path}: missing after the round trip")),
                }
            }
            right
                .keys()
                .find(|key| !left.contains_key(*key))
                .map(|key| format!("{at}/{key}: added by the round trip"))
        }
        (Value::Array(left), Value::Array(right)) => {
            if left.len() != right.len() {
                return Some(format!("{at}: {} items became {}", left.len(), right.len()));
            }
            left.iter()
                .zip(right)
                .enumerate()
                .find_map(|(index, (left, right))| difference(left, right, nulls_may_vanish, &format!("{at}/{index}")))
        }
        (Value::Number(left), Value::Number(right)) if left.as_f64() == right.as_f64() => None,
        (Value::Number(left), Value::String(right)) if is_array_attribute_item(at) && left.to_string() == *right => {
            None
        }
        (Value::String(left), Value::String(right)) if left != right => {
            match (DateTime::parse_from_rfc3339(left), DateTime::parse_from_rfc3339(right)) {
                (Ok(left_date), Ok(right_date))
                    if left_date == right_date && left_date.offset() == right_date.offset() =>
                {
                    None
                }
                _ => Some(format!("{at}: {left:?} became {right:?}")),
            }
        }
        _ if before == after => None,
        _ => Some(format!("{at}: {before} became {after}")),
    }
}

/// Whether the JSON pointer `at` names an item of an `_array` custom attribute.
fn is_array_attribute_item(at: &str) -> bool {
    let mut segments = at.rsplit('/');
    let index = segments.next().unwrap_or_default();
    let name = segments.next().unwrap_or_default();
    index.parse::<usize>().is_ok() && name.ends_with("_array")
}

fn assert_round_trip<T: DeserializeOwned + Serialize>(schema_stem: &str, nulls_may_vanish: bool) {
    for (path, before) in fixtures(schema_stem) {
        let typed: T = serde_json::from_value(before.clone()).unwrap_or_else(|error| {
            panic!(
                "{} does not deserialize into {}: {error}",
                path.display(),
                std::any::type_name::<T>()
            )
        });
        let after = serde_json::to_value(&typed).expect("serializes");
        if let Some(found) = difference(&before, &after, nulls_may_vanish, "") {
            panic!("{}: {found}", path.display());
        }
    }
}

/// One test per schema file: `stem => Type, response|request`. The type name
/// is also checked against the embedded schema's root type, so this table
/// cannot drift from the generator's naming.
macro_rules! round_trips {
    ($($stem:ident => $type:ty, $direction:ident;)*) => {
        $(
            #[test]
            fn $stem() {
                let file = kimoby_generated::schemas::get(concat!(stringify!($stem), ".json"))
                    .expect("the schema file is embedded");
                assert_eq!(file.type_name, stringify!($type), "type generated from {}", file.name);
                assert_round_trip::<$type>(stringify!($stem), round_trips!(@nulls $direction));
            }
        )*

        #[test]
        fn every_fixture_directory_has_a_round_trip() {
            let covered = [$(stringify!($stem)),*];
            let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join("valid");
            for entry in std::fs::read_dir(directory).expect("fixtures/valid") {
                let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
                assert!(covered.contains(&name.as_str()), "fixtures/valid/{name} has no round-trip test");
            }
        }
    };
    (@nulls response) => { true };
    (@nulls request) => { false };
}

round_trips! {
    appointment => Appointment, response;
    appointments => AppointmentList, response;
    custom_attribute_value => CustomAttributeValue, response;
    custom_attributes => CustomAttributes, response;
    customer => Customer, response;
    customers => CustomerList, response;
    document => Document, response;
    error => ApiError, response;
    event => Event, response;
    events => EventList, response;
    invoice => Invoice, response;
    invoice_card => InvoiceCard, response;
    invoice_customer => InvoiceCustomer, response;
    invoice_refund => InvoiceRefund, response;
    invoices => InvoiceList, response;
    message => Message, response;
    messages => MessageList, response;
    pagination => Pagination, response;
    phones => Phones, response;
    webhook => Webhook, response;
    webhook_event => WebhookEvent, response;
    webhook_with_authentication_key => WebhookWithAuthenticationKey, response;
    webhooks => WebhookList, response;
    appointment_request => AppointmentRequest, request;
    customer_reference => CustomerReference, request;
    custom_attributes_update => CustomAttributesUpdate, request;
    customer_request => CustomerRequest, request;
    event_request => EventRequest, request;
    invoice_request => InvoiceRequest, request;
    invoice_request_customer => InvoiceRequestCustomer, request;
    message_request => MessageRequest, request;
    phone_number => PhoneNumber, request;
    phones_update => PhonesUpdate, request;
    webhook_request => WebhookRequest, request;
}

/// The types the server sends are `#[non_exhaustive]`; outside the crate an
/// application builds one (for its own tests) with `new` and the setters.
/// Built from the documented examples' values, they equal the decoded
/// examples.
mod constructors {
    use super::*;

    fn documented<T: DeserializeOwned>(schema_stem: &str, file: &str) -> T {
        let path = fixture_directory(schema_stem).join(file);
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    fn date(text: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("an RFC 3339 date")
    }

    #[test]
    fn customer_built_with_new_and_setters_equals_the_documented_model() {
        let mut attributes = CustomAttributes::new();
        attributes.insert("vehicle", CustomAttributeValue::from("Audi"));
        attributes.insert("vehicle_year", CustomAttributeValue::from("2012"));
        attributes.insert(
            "last_visit_date",
            CustomAttributeValue::from(date("2013-02-12T00:00:00+00:00")),
        );
        attributes.insert(
            "product_names_array",
            CustomAttributeValue::from(vec!["Premium".to_owned(), "Lite".to_owned()]),
        );
        let built = Customer::new(CustomerRequired {
            id: "cueeadfbacc5d64682bd20ac077d592e83".to_owned(),
            name: "John Doe".to_owned(),
            created_at: date("2016-06-28T15:26:58+00:00"),
            updated_at: date("2016-06-28T15:26:58+00:00"),
        })
        .reference("CU000001")
        .cell_phone_number("+14182031234".parse::<PhoneNumber>().expect("a phone number"))
        .email("john.doe@example.com")
        .address("633 Saint-joseph E.")
        .city("Quebec")
        .state("QC")
        .zipcode("G1K 3C1")
        .country("CA")
        .is_unsubscribed(false)
        .phones(
            Phones::new()
                .home("5149873473")
                .work("+1 (877) 247-9367")
                .other("(418) 394-1928 x19119"),
        )
        .custom_attributes(attributes);
        assert_eq!(built, documented::<Customer>("customer", "model.json"));
    }

    #[test]
    fn invoice_built_from_its_fourteen_required_fields_equals_the_documented_one() {
        let built = Invoice::new(InvoiceRequired {
            id: "INd256791afb2b3ac76902dce86cbe40d8".to_owned(),
            customer: InvoiceCustomer::new(InvoiceCustomerRequired {
                id: "CUe400dcefc3f63afe221954f239b67a7e".to_owned(),
            }),
            total_price: 10000,
            state: InvoiceState::Paid,
            currency: "CAD".to_owned(),
            created_by: None,
            conversation_id: None,
            amount_refunded: 0,
            refunded_on: None,
            clicks_count: 1,
            refunds: Vec::new(),
            public_url: "https://pay.kimoby.com/2239109u1291012948932".to_owned(),
            created_at: date("2020-04-15T00:00:00-04:00"),
            updated_at: date("2020-04-15T15:04:23-04:00"),
        })
        .reference("572765003029")
        .card(InvoiceCard::new(InvoiceCardRequired {
            last_4_digits: "1111".to_owned(),
            name_on_card: "John Doe".to_owned(),
            brand: "Visa".to_owned(),
            exp_month: "05".to_owned(),
            exp_year: "2024".to_owned(),
        }))
        .invoice_paid_at(date("2020-04-15T15:04:23-04:00"));
        assert_eq!(built, documented::<Invoice>("invoice", "retrieve_response.json"));
    }
}
