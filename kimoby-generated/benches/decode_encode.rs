//! Decoding and encoding the generated model types against hand-written
//! `#[derive(Deserialize, Serialize)]` structs with the same fields and the
//! same field types, on the same corpus, in the same run.
//!
//! The corpus (built here, deterministically, from a seeded PRNG) is 10,000
//! messages, 10,000 customers (every one with phones and custom attributes)
//! and 10,000 appointments (each with its customer embedded), each kind as
//! 200 list responses of 50 items (`{"customers": [...], "pagination": {...}}`),
//! in the shapes of `tests/fixtures/valid/`.
//!
//! Baselines, in [`hand`]:
//! - same field names, order, `Option`s, `Vec`s, `DateTime<FixedOffset>` and
//!   `skip_serializing_if` as the generated types, so both encode to the same
//!   bytes (checked before measuring);
//! - open enums (`MessageStatus`, ...) become a derived enum with a
//!   `#[serde(other)]` catch-all unit variant: the cheapest catch-all `derive`
//!   gives. It drops an unknown value where the generated `Other(String)` keeps
//!   it, so it is a strict baseline (the alternative, `#[serde(untagged)]`, is
//!   much slower);
//! - custom attributes become `BTreeMap<String, serde_json::Value>`, what one
//!   writes by hand. The generated `CustomAttributes` (hand-written in
//!   `src/custom_attributes/`) does more: it reads `_date` names as dates
//!   (and writes them back in `to_rfc3339`'s format) and numbers as `f64`. The
//!   `custom_attributes` groups measure that part alone, decoding and encoding
//!   the attributes of the 10,000 customers. A paired control runs the
//!   generated customers against a derived struct with the crate's
//!   `CustomAttributes`, i.e. the same source on both sides: its ratio is how
//!   far from 1 a ratio moves with nothing to measure (noise, and where the
//!   compiler and the allocator happen to place each side; it stayed 1 to
//!   3.5 % off with the sides swapped or their pages decoded alternately);
//! - request bodies (`customer_requests` group): the generated
//!   `CustomerRequest`, whose phone number, country and phones are validating
//!   newtypes, against the same struct with plain `String`s.
//!
//! A paired pass also encodes the 10,000 message statuses alone (generated
//! open enum, derived `#[serde(other)]` enum, and [`proposed_enum`], a
//! per-variant-literal `Serialize`) to tell the open enums' share, and
//! paired passes over the messages with [`open_enums`] (the generator's open
//! enums, `Other(String)` or `Other(Box<str>)`, in a derived struct) tell
//! whether their size is the messages' encode gap.
//!
//! Before each criterion group, a paired pass (the two sides alternately,
//! 61 rounds, in ABBA order, medians) prints the ratio, which a change of
//! load between two criterion functions cannot skew.
//!
//! Run: `cargo bench -p kimoby-generated --bench decode_encode`.
//!
//! Times on a shared machine move with its load; instruction counts do not.
//! With `KIMOBY_DECODE_ENCODE_BENCH_PASSES="<side> <passes>"` in the
//! environment, the bench binary does no timing: it builds the corpus (and,
//! to encode, decodes it once into the side's type), makes `passes` passes
//! over it on that side, and exits. A side is `<operation>/<kind>/<variant>`:
//! - `decode/…` or `encode/…`;
//! - `messages/`, `customers/` or `appointments/` with `generated` or
//!   `hand_written`; also `customers/control` (the derived struct with the
//!   crate's `CustomAttributes`, the same source as `generated`),
//!   `messages/open_enums` and `messages/boxed_open_enums` (the derived
//!   struct with the generator's open enums, `Other(String)` or
//!   `Other(Box<str>)`);
//! - `custom_attributes/` and `customer_requests/` with `generated` or
//!   `hand_written`.
//!
//! Under valgrind, the difference between a run with `n` passes and one with
//! none, divided by `n`, is the instructions a pass costs (building the
//! corpus cancels out):
//!
//! ```sh
//! cargo bench -p kimoby-generated --bench decode_encode --no-run   # prints the binary's path
//! for side in {decode,encode}/{messages,customers,appointments}/{generated,hand_written} \
//!   {decode,encode}/customers/control; do
//!   for n in 0 3; do
//!     KIMOBY_DECODE_ENCODE_BENCH_PASSES="$side $n" valgrind --tool=cachegrind --cache-sim=no \
//!       --cachegrind-out-file=/dev/null target/release/deps/decode_encode-<hash> 2>&1 | grep 'I *refs'
//!   done
//! done
//! ```

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::{DateTime, FixedOffset, TimeZone as _};
use criterion::{Criterion, Throughput, criterion_group};
use kimoby_generated::custom_attributes::CustomAttributes;
use kimoby_generated::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Items of each kind.
const ITEMS: usize = 10_000;
/// Items per list response (the API's maximum `per_page`).
const PER_PAGE: usize = 50;

/// The hand-written baseline: what one writes without a generator.
mod hand {
    use std::collections::BTreeMap;

    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    #[derive(Deserialize, Serialize)]
    pub struct Pagination {
        pub items: i64,
        pub page: i64,
        pub pages: i64,
        pub per_page: i64,
    }

    #[derive(Deserialize, Serialize)]
    pub struct MessageList<D = MessageDirection, E = MessageElementType, S = MessageStatus> {
        pub messages: Vec<Message<D, E, S>>,
        pub pagination: Pagination,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Message<D = MessageDirection, E = MessageElementType, S = MessageStatus> {
        pub body: String,
        pub conversation_id: Option<i64>,
        pub created_at: DateTime<FixedOffset>,
        pub customer_id: String,
        pub direction: D,
        pub documents: Vec<String>,
        pub element_type: E,
        pub error: Option<String>,
        pub id: i64,
        pub status: S,
        pub updated_at: DateTime<FixedOffset>,
        pub user_sub_user_id: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MessageDirection {
        Outgoing,
        Incoming,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MessageElementType {
        SentMessage,
        ReceivedMessage,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MessageStatus {
        Queued,
        Sending,
        Sent,
        Receiving,
        Received,
        Delivered,
        Undelivered,
        Failed,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize, Serialize)]
    pub struct CustomerList<A = BTreeMap<String, Value>> {
        pub customers: Vec<Customer<A>>,
        pub pagination: Pagination,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Customer<A = BTreeMap<String, Value>> {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub address: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cell_phone_number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub city: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub country: Option<String>,
        pub created_at: DateTime<FixedOffset>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub custom_attributes: Option<A>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        pub id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_unsubscribed: Option<bool>,
        pub name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub phones: Option<Phones>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub reference: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
        pub updated_at: DateTime<FixedOffset>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub zipcode: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Phones {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub home: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub other: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub work: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct AppointmentList<A = BTreeMap<String, Value>> {
        pub appointments: Vec<Appointment<A>>,
        pub pagination: Pagination,
    }

    #[derive(Deserialize, Serialize)]
    pub struct Appointment<A = BTreeMap<String, Value>> {
        pub created_at: DateTime<FixedOffset>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub custom_attributes: Option<A>,
        pub customer: Customer<A>,
        pub end_at: DateTime<FixedOffset>,
        pub id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub reference: Option<String>,
        pub start_at: DateTime<FixedOffset>,
        pub status: AppointmentStatus,
        pub updated_at: DateTime<FixedOffset>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AppointmentStatus {
        Confirmed,
        Canceled,
        NotConfirmed,
        #[serde(other)]
        Other,
    }

    /// `CustomerRequest` with plain strings where the generated one validates.
    #[derive(Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    pub struct CustomerRequest {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub address: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub cell_phone_number: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub city: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub country: Option<Option<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub created_at: Option<DateTime<FixedOffset>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub email: Option<Option<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_unsubscribed: Option<bool>,
        pub name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub phones: Option<PhonesUpdate>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub reference: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub state: Option<Option<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<DateTime<FixedOffset>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub zipcode: Option<Option<String>>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    pub struct PhonesUpdate {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub home: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub other: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
        pub work: Option<Option<String>>,
    }

    /// `null` is `Some(None)`, absent is `None`: the usual hand-written helper.
    mod clearable {
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<T: Serialize, S: Serializer>(
            value: &Option<Option<T>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(inner) => inner.serialize(serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Option<T>>, D::Error> {
            Option::<T>::deserialize(deserializer).map(Some)
        }
    }
}

/// A proposal for the generated open enums' `Serialize`: one string literal
/// per variant, as `derive` writes, instead of `serialize_str(self.as_str())`.
mod proposed_enum {
    use serde::{Serialize, Serializer};

    /// `types::MessageStatus` with the proposed `Serialize`.
    pub enum MessageStatus {
        Queued,
        Sending,
        Sent,
        Receiving,
        Received,
        Delivered,
        Undelivered,
        Failed,
        Other(String),
    }

    impl From<&kimoby_generated::types::MessageStatus> for MessageStatus {
        fn from(status: &kimoby_generated::types::MessageStatus) -> Self {
            match status.as_str() {
                "queued" => Self::Queued,
                "sending" => Self::Sending,
                "sent" => Self::Sent,
                "receiving" => Self::Receiving,
                "received" => Self::Received,
                "delivered" => Self::Delivered,
                "undelivered" => Self::Undelivered,
                "failed" => Self::Failed,
                other => Self::Other(other.to_owned()),
            }
        }
    }

    impl Serialize for MessageStatus {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Self::Queued => serializer.serialize_str("queued"),
                Self::Sending => serializer.serialize_str("sending"),
                Self::Sent => serializer.serialize_str("sent"),
                Self::Receiving => serializer.serialize_str("receiving"),
                Self::Received => serializer.serialize_str("received"),
                Self::Delivered => serializer.serialize_str("delivered"),
                Self::Undelivered => serializer.serialize_str("undelivered"),
                Self::Failed => serializer.serialize_str("failed"),
                Self::Other(value) => serializer.serialize_str(value),
            }
        }
    }
}

/// Open enums written as the generator writes them (`Other` keeps the value;
/// `Serialize` writes `as_str()`, `Deserialize` matches a borrowed `&str`),
/// with the `Other` payload as a parameter: in a derived `Message`, they tell
/// whether the messages' encode gap is the open enums' size.
mod open_enums {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    macro_rules! open_enum {
        ($name:ident, $payload:ty, { $($variant:ident => $text:literal),* $(,)? }) => {
            pub enum $name {
                $($variant,)*
                Other($payload),
            }

            impl $name {
                fn as_str(&self) -> &str {
                    match self {
                        $(Self::$variant => $text,)*
                        Self::Other(value) => &**value,
                    }
                }
            }

            impl From<&str> for $name {
                fn from(value: &str) -> Self {
                    match value {
                        $($text => Self::$variant,)*
                        other => Self::Other(other.into()),
                    }
                }
            }

            impl Serialize for $name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct StrVisitor;
                    impl<'de> Visitor<'de> for StrVisitor {
                        type Value = $name;
                        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                            formatter.write_str("a string")
                        }
                        fn visit_str<E: de::Error>(self, value: &str) -> Result<$name, E> {
                            Ok($name::from(value))
                        }
                    }
                    deserializer.deserialize_str(StrVisitor)
                }
            }
        };
    }

    macro_rules! message_enums {
        ($direction:ident, $element_type:ident, $status:ident, $payload:ty) => {
            open_enum!($direction, $payload, { Outgoing => "outgoing", Incoming => "incoming" });
            open_enum!($element_type, $payload, {
                SentMessage => "sent_message",
                ReceivedMessage => "received_message",
            });
            open_enum!($status, $payload, {
                Queued => "queued",
                Sending => "sending",
                Sent => "sent",
                Receiving => "receiving",
                Received => "received",
                Delivered => "delivered",
                Undelivered => "undelivered",
                Failed => "failed",
            });
        };
    }

    message_enums!(Direction, ElementType, Status, String);
    message_enums!(BoxedDirection, BoxedElementType, BoxedStatus, Box<str>);

    /// A derived `MessageList` with the generator's open enums (`Other(String)`).
    pub type WithOpenEnums = super::hand::MessageList<Direction, ElementType, Status>;
    /// The same with `Other(Box<str>)`: 16 bytes an enum instead of 24.
    pub type WithBoxedOpenEnums = super::hand::MessageList<BoxedDirection, BoxedElementType, BoxedStatus>;
}

/// Encoding the 10,000 message statuses alone, paired: generated open enum,
/// derived enum, proposed open enum.
fn open_enum_encoding(documents: &[String]) {
    let generated: Vec<types::MessageStatus> = decode_all::<types::MessageList>(documents)
        .into_iter()
        .flat_map(|page| page.messages.into_iter().map(|message| message.status))
        .collect();
    let hand: Vec<hand::MessageStatus> =
        serde_json::from_str(&serde_json::to_string(&generated).expect("encodes")).expect("decodes");
    let proposed: Vec<proposed_enum::MessageStatus> = generated.iter().map(Into::into).collect();
    assert_eq!(
        serde_json::to_string(&generated).expect("encodes"),
        serde_json::to_string(&proposed).expect("encodes")
    );
    // Ten passes over the 10,000 statuses into one buffer (allocated once per
    // round on both sides).
    let encode = |values: &dyn Fn(&mut Vec<u8>)| {
        let mut buffer = Vec::with_capacity(1 << 20);
        for _ in 0..10 {
            buffer.clear();
            values(&mut buffer);
        }
    };
    let one = |label: &str, other: &dyn Fn(&mut Vec<u8>)| {
        paired(
            label,
            || encode(&|buffer| serde_json::to_writer(buffer, black_box(&generated)).expect("encodes")),
            || encode(other),
        );
    };
    one("encode/message_status x100,000 generated vs hand_written", &|buffer| {
        serde_json::to_writer(buffer, black_box(&hand)).expect("encodes")
    });
    one("encode/message_status x100,000 generated vs proposed", &|buffer| {
        serde_json::to_writer(buffer, black_box(&proposed)).expect("encodes")
    });
}

/// SplitMix64: a small, seeded, reproducible PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    fn hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            out.push_str(&format!("{:016x}", self.next()));
        }
        out.truncate(len);
        out
    }

    /// A date between 2016 and 2024 with this offset (in hours).
    fn date(&mut self, offset_hours: i32) -> DateTime<FixedOffset> {
        let offset = FixedOffset::east_opt(offset_hours * 3600).expect("offset in range");
        let seconds = 1_451_606_400 + i64::try_from(self.below(9 * 365 * 86_400)).unwrap_or(0);
        offset.timestamp_opt(seconds, 0).single().expect("valid timestamp")
    }
}

const FIRST_NAMES: &[&str] = &[
    "John", "Marie", "Luc", "Sophie", "Amélie", "Karim", "Chen", "Olivia", "Noah", "Zoé",
];
const LAST_NAMES: &[&str] = &[
    "Doe", "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Nguyen", "Smith", "Leblanc",
];
const CITIES: &[&str] = &[
    "Quebec",
    "Montreal",
    "Levis",
    "Sherbrooke",
    "Gatineau",
    "Trois-Rivieres",
    "Saguenay",
];
const STREETS: &[&str] = &[
    "Saint-joseph E.",
    "rue du Pont",
    "boul. Laurier",
    "av. Cartier",
    "ch. Sainte-Foy",
];
const BODIES: &[&str] = &[
    "Test message",
    "Your appointment is confirmed for tomorrow at 10:00.",
    "Reply STOP to unsubscribe.",
    "Bonjour! Votre véhicule est prêt. Merci de votre confiance.",
    "Can we move my appointment to Friday afternoon? Thanks",
    "OK",
];
const MESSAGE_STATUSES: &[&str] = &[
    "queued",
    "sending",
    "sent",
    "receiving",
    "received",
    "delivered",
    "undelivered",
    "failed",
];
const APPOINTMENT_STATUSES: &[&str] = &["confirmed", "canceled", "not_confirmed"];
const PRODUCTS: &[&str] = &["Premium", "Lite", "Oil Change", "Tires", "Inspection", "Detailing"];

fn custom_attributes(rng: &mut Rng) -> Value {
    let mut attributes = serde_json::Map::new();
    attributes.insert("vehicle_year".into(), json!((2000 + rng.below(25)).to_string()));
    if rng.chance(70) {
        attributes.insert("num_of_visits".into(), json!(rng.below(40) as f64));
    }
    if rng.chance(80) {
        attributes.insert("last_visit_date".into(), json!(rng.date(0).to_rfc3339()));
    }
    if rng.chance(60) {
        let count = 1 + rng.below(3);
        let products: Vec<&str> = (0..count).map(|_| rng.pick(PRODUCTS)).collect();
        attributes.insert("product_names_array".into(), json!(products));
    }
    if rng.chance(40) {
        attributes.insert(
            "comment".into(),
            json!(format!("Work needs to be done for {}.", rng.pick(CITIES))),
        );
    }
    Value::Object(attributes)
}

fn phone(rng: &mut Rng) -> String {
    format!("+1418{:07}", rng.below(10_000_000))
}

fn customer(rng: &mut Rng, index: usize) -> Value {
    let created = rng.date(0);
    let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let email = if rng.chance(85) {
        format!("{}.{index}@example.com", name.to_lowercase().replace(' ', "."))
    } else {
        String::new()
    };
    let mut customer = json!({
        "id": format!("cu{}", rng.hex(32)),
        "reference": format!("CU{index:06}"),
        "name": name,
        "cell_phone_number": phone(rng),
        "email": email,
        "address": format!("{} {}", 1 + rng.below(2000), rng.pick(STREETS)),
        "city": rng.pick(CITIES),
        "state": "QC",
        "zipcode": format!("G{}K {}C{}", rng.below(10), rng.below(10), rng.below(10)),
        "country": "CA",
        "is_unsubscribed": rng.chance(5),
        "phones": {
            "home": if rng.chance(50) { phone(rng) } else { String::new() },
            "work": "+1 (877) 247-9367",
            "other": format!("(418) 394-{:04} x{}", rng.below(10_000), rng.below(100_000)),
        },
        "custom_attributes": custom_attributes(rng),
        "created_at": created.to_rfc3339(),
        "updated_at": (created + chrono::Duration::seconds(i64::try_from(rng.below(86_400)).unwrap_or(0))).to_rfc3339(),
    });
    if rng.chance(10) {
        // Only `name` is required on create: some customers lack the optional fields.
        if let Value::Object(fields) = &mut customer {
            for field in ["reference", "address", "zipcode", "state"] {
                fields.remove(field);
            }
        }
    }
    customer
}

fn message(rng: &mut Rng) -> Value {
    let status = rng.pick(MESSAGE_STATUSES);
    let incoming = matches!(status, "receiving" | "received");
    let created = rng.date(-5);
    json!({
        "id": 345_634_563 + rng.below(1_000_000_000),
        "customer_id": format!("CU{}", rng.hex(29)),
        "conversation_id": if rng.chance(70) { json!(23_529_011 + rng.below(1_000_000)) } else { Value::Null },
        "user_sub_user_id": if rng.chance(20) { json!(format!("us{}", rng.hex(20))) } else { Value::Null },
        "body": rng.pick(BODIES),
        "element_type": if incoming { "received_message" } else { "sent_message" },
        "direction": if incoming { "incoming" } else { "outgoing" },
        "status": status,
        "error": if matches!(status, "failed" | "undelivered") { json!("Carrier rejected the message") } else { Value::Null },
        "documents": if rng.chance(10) { json!([format!("https://files.kimoby.com/{}.jpg", rng.hex(16))]) } else { json!([]) },
        "created_at": created.to_rfc3339(),
        "updated_at": (created + chrono::Duration::seconds(i64::try_from(rng.below(600)).unwrap_or(0))).to_rfc3339(),
    })
}

fn appointment(rng: &mut Rng, index: usize) -> Value {
    let start = rng.date(0);
    json!({
        "id": format!("ap{}", rng.hex(32)),
        "reference": format!("AP{index:06}"),
        "start_at": start.to_rfc3339(),
        "end_at": (start + chrono::Duration::hours(1)).to_rfc3339(),
        "status": rng.pick(APPOINTMENT_STATUSES),
        "custom_attributes": custom_attributes(rng),
        "customer": customer(rng, index),
        "created_at": rng.date(0).to_rfc3339(),
        "updated_at": rng.date(0).to_rfc3339(),
    })
}

/// A customer request body as a client sends it (only `name` required).
fn customer_request(rng: &mut Rng, index: usize) -> Value {
    let mut body = json!({
        "name": format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
        "reference": format!("CU{index:06}"),
        "cell_phone_number": phone(rng),
        "email": format!("client{index}@example.com"),
        "city": rng.pick(CITIES),
        "country": "CA",
        "phones": {"home": phone(rng), "work": "+1 (877) 247-9367", "other": null},
    });
    if rng.chance(20)
        && let Value::Object(fields) = &mut body
    {
        fields.insert("zipcode".into(), Value::Null);
    }
    body
}

/// `items` as list responses of [`PER_PAGE`] under `key`, serialized.
fn pages(key: &str, items: Vec<Value>) -> Vec<String> {
    let total = items.len();
    let page_count = total.div_ceil(PER_PAGE);
    items
        .chunks(PER_PAGE)
        .enumerate()
        .map(|(index, chunk)| {
            json!({
                key: chunk,
                "pagination": {"page": index + 1, "pages": page_count, "items": total, "per_page": PER_PAGE},
            })
            .to_string()
        })
        .collect()
}

/// The whole corpus, the same on every run.
struct Corpus {
    messages: Vec<String>,
    customers: Vec<String>,
    appointments: Vec<String>,
    customer_requests: Vec<String>,
}

impl Corpus {
    fn new() -> Self {
        let mut rng = Rng(0x4B49_4D4F_4259);
        let messages = (0..ITEMS).map(|_| message(&mut rng)).collect();
        let customers = (0..ITEMS).map(|index| customer(&mut rng, index)).collect();
        let appointments = (0..ITEMS).map(|index| appointment(&mut rng, index)).collect();
        let customer_requests = (0..ITEMS)
            .map(|index| customer_request(&mut rng, index).to_string())
            .collect();
        Self {
            messages: pages("messages", messages),
            customers: pages("customers", customers),
            appointments: pages("appointments", appointments),
            customer_requests,
        }
    }
}

fn decode_all<T: DeserializeOwned>(documents: &[String]) -> Vec<T> {
    documents
        .iter()
        .map(|document| serde_json::from_str(document).expect("the corpus decodes"))
        .collect()
}

/// Encodes every value into one reused buffer; returns the bytes written.
fn encode_all<T: Serialize>(values: &[T], buffer: &mut Vec<u8>) -> usize {
    let mut written = 0;
    for value in values {
        buffer.clear();
        serde_json::to_writer(&mut *buffer, value).expect("encodes");
        written += buffer.len();
    }
    written
}

fn encode_to_strings<T: Serialize>(values: &[T]) -> Vec<String> {
    values
        .iter()
        .map(|value| serde_json::to_string(value).expect("encodes"))
        .collect()
}

/// Both sides must read the whole corpus and write the same bytes back,
/// or the comparison would not be like for like.
fn check_equivalent<G: DeserializeOwned + Serialize, H: DeserializeOwned + Serialize>(
    name: &str,
    documents: &[String],
) {
    let generated = encode_to_strings(&decode_all::<G>(documents));
    let hand = encode_to_strings(&decode_all::<H>(documents));
    if let Some((generated, hand)) = generated.iter().zip(&hand).find(|(generated, hand)| generated != hand) {
        let at = generated.bytes().zip(hand.bytes()).take_while(|(g, h)| g == h).count();
        let from = at.saturating_sub(80);
        panic!(
            "{name}: the two types encode the corpus differently at byte {at}:\n{}\n{}",
            &generated[from..(at + 80).min(generated.len())],
            &hand[from..(at + 80).min(hand.len())]
        );
    }
}

fn decode_variant<T: DeserializeOwned>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    documents: &[String],
) {
    group.bench_function(name, |b| {
        b.iter(|| {
            for document in documents {
                black_box(serde_json::from_str::<T>(black_box(document)).expect("decodes"));
            }
        });
    });
}

fn encode_variant<T: DeserializeOwned + Serialize>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    documents: &[String],
) {
    let values: Vec<T> = decode_all(documents);
    let mut buffer = Vec::with_capacity(1 << 20);
    group.bench_function(name, |b| {
        b.iter(|| black_box(encode_all(black_box(&values), &mut buffer)));
    });
}

/// Rounds of the paired measurement.
const PAIRED_ROUNDS: usize = 61;

/// Times `generated` and `baseline` alternately, one corpus pass each per
/// round, and prints the medians and their ratio. Criterion measures one
/// function after the other, so a change of load on this shared machine
/// between them shows in its ratio; alternating cancels that out.
fn paired(label: &str, mut generated: impl FnMut(), mut baseline: impl FnMut()) {
    let (mut a, mut b) = (Vec::with_capacity(PAIRED_ROUNDS), Vec::with_capacity(PAIRED_ROUNDS));
    generated();
    baseline();
    // The order alternates too (ABBA...), so that running first or second in
    // a round (warm caches, allocator state) favours neither side.
    for round in 0..PAIRED_ROUNDS {
        for side in [round % 2, 1 - round % 2] {
            let started = std::time::Instant::now();
            if side == 0 {
                generated();
                a.push(started.elapsed());
            } else {
                baseline();
                b.push(started.elapsed());
            }
        }
    }
    a.sort();
    b.sort();
    let (a, b) = (a[PAIRED_ROUNDS / 2], b[PAIRED_ROUNDS / 2]);
    println!(
        "paired {label}: {:.3} ms vs {:.3} ms, ratio {:.3} (medians of {PAIRED_ROUNDS} alternating rounds)",
        a.as_secs_f64() * 1e3,
        b.as_secs_f64() * 1e3,
        a.as_secs_f64() / b.as_secs_f64()
    );
}

/// Paired decode and encode ratios of `G` against `H` over `documents`.
fn paired_ratios<G, H>(kind: &str, first: &str, against: &str, documents: &[String])
where
    G: DeserializeOwned + Serialize,
    H: DeserializeOwned + Serialize,
{
    let decode = |documents: &[String], decode_one: &dyn Fn(&str)| {
        for document in documents {
            decode_one(black_box(document));
        }
    };
    paired(
        &format!("decode/{kind} {first} vs {against}"),
        || {
            decode(documents, &|d| {
                drop(black_box(serde_json::from_str::<G>(d).expect("decodes")))
            })
        },
        || {
            decode(documents, &|d| {
                drop(black_box(serde_json::from_str::<H>(d).expect("decodes")))
            })
        },
    );
    let (generated, hand): (Vec<G>, Vec<H>) = (decode_all(documents), decode_all(documents));
    let (mut buffer_a, mut buffer_b) = (Vec::with_capacity(1 << 20), Vec::with_capacity(1 << 20));
    paired(
        &format!("encode/{kind} {first} vs {against}"),
        || {
            black_box(encode_all(black_box(&generated), &mut buffer_a));
        },
        || {
            black_box(encode_all(black_box(&hand), &mut buffer_b));
        },
    );
}

/// `decode/<kind>` and `encode/<kind>`: generated (`G`) and hand-written (`H`).
fn bench_kind<G, H>(c: &mut Criterion, kind: &str, documents: &[String])
where
    G: DeserializeOwned + Serialize,
    H: DeserializeOwned + Serialize,
{
    check_equivalent::<G, H>(kind, documents);
    paired_ratios::<G, H>(kind, "generated", "hand_written", documents);
    let mut group = c.benchmark_group(format!("decode/{kind}"));
    group.throughput(Throughput::Elements(ITEMS as u64));
    decode_variant::<G>(&mut group, "generated", documents);
    decode_variant::<H>(&mut group, "hand_written", documents);
    group.finish();

    let mut group = c.benchmark_group(format!("encode/{kind}"));
    group.throughput(Throughput::Elements(ITEMS as u64));
    encode_variant::<G>(&mut group, "generated", documents);
    encode_variant::<H>(&mut group, "hand_written", documents);
    group.finish();
}

fn corpus_benches(c: &mut Criterion) {
    let corpus = Corpus::new();
    open_enum_encoding(&corpus.messages);
    println!(
        "sizes: generated Message {} bytes, derived Message {} bytes, with open enums {} bytes, with Box<str> open enums {} bytes",
        std::mem::size_of::<types::Message>(),
        std::mem::size_of::<hand::Message>(),
        std::mem::size_of::<hand::Message<open_enums::Direction, open_enums::ElementType, open_enums::Status>>(),
        std::mem::size_of::<
            hand::Message<open_enums::BoxedDirection, open_enums::BoxedElementType, open_enums::BoxedStatus>,
        >(),
    );
    check_equivalent::<types::MessageList, open_enums::WithOpenEnums>("messages", &corpus.messages);
    check_equivalent::<types::MessageList, open_enums::WithBoxedOpenEnums>("messages", &corpus.messages);
    paired_ratios::<types::MessageList, open_enums::WithOpenEnums>(
        "messages",
        "generated",
        "derived struct with the generator's open enums",
        &corpus.messages,
    );
    paired_ratios::<open_enums::WithOpenEnums, hand::MessageList>(
        "messages",
        "derived struct with the generator's open enums",
        "hand_written",
        &corpus.messages,
    );
    paired_ratios::<open_enums::WithBoxedOpenEnums, hand::MessageList>(
        "messages",
        "derived struct with Box<str> open enums",
        "hand_written",
        &corpus.messages,
    );
    bench_kind::<types::MessageList, hand::MessageList>(c, "messages", &corpus.messages);
    // A control: the same source on both sides (the generated struct is this
    // derive), so its ratio is what the measurement shows with nothing to find.
    check_equivalent::<types::CustomerList, hand::CustomerList<CustomAttributes>>("customers", &corpus.customers);
    paired_ratios::<types::CustomerList, hand::CustomerList<CustomAttributes>>(
        "customers",
        "generated",
        "derived struct with the crate's CustomAttributes (same code)",
        &corpus.customers,
    );
    bench_kind::<types::CustomerList, hand::CustomerList>(c, "customers", &corpus.customers);
    bench_kind::<types::AppointmentList, hand::AppointmentList>(c, "appointments", &corpus.appointments);

    // The custom attributes of the 10,000 customers alone: the hand-written
    // `CustomAttributes` (dates parsed by name) against a plain map of JSON values.
    let attributes = custom_attribute_documents(&corpus.customers);
    check_equivalent::<CustomAttributes, BTreeMap<String, Value>>("custom_attributes", &attributes);
    paired_ratios::<CustomAttributes, BTreeMap<String, Value>>(
        "custom_attributes",
        "generated",
        "hand_written",
        &attributes,
    );
    let mut group = c.benchmark_group("decode/custom_attributes");
    group.throughput(Throughput::Elements(attributes.len() as u64));
    decode_variant::<CustomAttributes>(&mut group, "generated", &attributes);
    decode_variant::<BTreeMap<String, Value>>(&mut group, "hand_written", &attributes);
    group.finish();
    let mut group = c.benchmark_group("encode/custom_attributes");
    group.throughput(Throughput::Elements(attributes.len() as u64));
    encode_variant::<CustomAttributes>(&mut group, "generated", &attributes);
    encode_variant::<BTreeMap<String, Value>>(&mut group, "hand_written", &attributes);
    group.finish();

    // Request bodies: validating newtypes (E.164 phone, ISO country, phones of
    // at most 30 characters) against plain strings.
    let requests = &corpus.customer_requests;
    check_equivalent::<types::CustomerRequest, hand::CustomerRequest>("customer_requests", requests);
    paired(
        "decode/customer_requests generated vs hand_written",
        || {
            for document in requests {
                drop(black_box(
                    serde_json::from_str::<types::CustomerRequest>(document).expect("decodes"),
                ));
            }
        },
        || {
            for document in requests {
                drop(black_box(
                    serde_json::from_str::<hand::CustomerRequest>(document).expect("decodes"),
                ));
            }
        },
    );
    let mut group = c.benchmark_group("decode/customer_requests");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| {
            for document in requests {
                black_box(serde_json::from_str::<types::CustomerRequest>(black_box(document)).expect("decodes"));
            }
        });
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            for document in requests {
                black_box(serde_json::from_str::<hand::CustomerRequest>(black_box(document)).expect("decodes"));
            }
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = corpus_benches
}

/// The custom attributes of every customer in the `customers` pages, each
/// as its own JSON document.
fn custom_attribute_documents(customers: &[String]) -> Vec<String> {
    customers
        .iter()
        .flat_map(|page| {
            let page: Value = serde_json::from_str(page).expect("json");
            page["customers"]
                .as_array()
                .expect("customers")
                .iter()
                .map(|customer| customer["custom_attributes"].to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Asks for [`passes_only`] instead of the criterion benches: `"<side> <passes>"`.
const PASSES_ONLY_VARIABLE: &str = "KIMOBY_DECODE_ENCODE_BENCH_PASSES";

/// Builds the corpus, then makes `passes` passes over one `side`'s corpus
/// without timing anything: the workload for counting instructions (see the
/// module documentation).
fn passes_only(side: &str, passes: usize) {
    let corpus = Corpus::new();
    let mut parts = side.split('/');
    let (Some(operation), Some(kind), Some(variant), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        panic!("{PASSES_ONLY_VARIABLE}: a side is `<operation>/<kind>/<variant>`, not `{side}`");
    };
    let run = match (kind, variant) {
        ("messages", "generated") => run_passes::<types::MessageList>,
        ("messages", "hand_written") => run_passes::<hand::MessageList>,
        ("messages", "open_enums") => run_passes::<open_enums::WithOpenEnums>,
        ("messages", "boxed_open_enums") => run_passes::<open_enums::WithBoxedOpenEnums>,
        ("customers", "generated") => run_passes::<types::CustomerList>,
        ("customers", "hand_written") => run_passes::<hand::CustomerList>,
        ("customers", "control") => run_passes::<hand::CustomerList<CustomAttributes>>,
        ("appointments", "generated") => run_passes::<types::AppointmentList>,
        ("appointments", "hand_written") => run_passes::<hand::AppointmentList>,
        ("custom_attributes", "generated") => run_passes::<CustomAttributes>,
        ("custom_attributes", "hand_written") => run_passes::<BTreeMap<String, Value>>,
        ("customer_requests", "generated") => run_passes::<types::CustomerRequest>,
        ("customer_requests", "hand_written") => run_passes::<hand::CustomerRequest>,
        _ => panic!("{PASSES_ONLY_VARIABLE}: unknown side `{side}`"),
    };
    let attributes;
    let documents: &[String] = match kind {
        "messages" => &corpus.messages,
        "customers" => &corpus.customers,
        "appointments" => &corpus.appointments,
        "customer_requests" => &corpus.customer_requests,
        _ => {
            attributes = custom_attribute_documents(&corpus.customers);
            &attributes
        }
    };
    run(operation, documents, passes);
}

/// `passes` passes of `operation` (`decode` or `encode`) over `documents` as `T`.
fn run_passes<T: DeserializeOwned + Serialize>(operation: &str, documents: &[String], passes: usize) {
    match operation {
        "decode" => {
            for _ in 0..passes {
                for document in documents {
                    drop(black_box(
                        serde_json::from_str::<T>(black_box(document)).expect("decodes"),
                    ));
                }
            }
        }
        "encode" => {
            let values: Vec<T> = decode_all(documents);
            let mut buffer = Vec::with_capacity(1 << 20);
            for _ in 0..passes {
                black_box(encode_all(black_box(&values), &mut buffer));
            }
        }
        other => panic!("{PASSES_ONLY_VARIABLE}: unknown operation `{other}` (`decode` or `encode`)"),
    }
}

/// `criterion_main!`, unless [`PASSES_ONLY_VARIABLE`] asks for [`passes_only`].
fn main() {
    if let Ok(request) = std::env::var(PASSES_ONLY_VARIABLE) {
        let (side, passes) = request
            .split_once(' ')
            .and_then(|(side, passes)| Some((side, passes.trim().parse().ok()?)))
            .unwrap_or_else(|| panic!("{PASSES_ONLY_VARIABLE} must be \"<side> <passes>\", not {request:?}"));
        passes_only(side, passes);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
