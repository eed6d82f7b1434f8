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

mod corpus;
mod hand;
mod measure;
mod open_enums;
mod proposed_enum;

use corpus::Corpus;
use measure::{
    bench_kind, check_equivalent, decode_all, decode_variant, encode_all, encode_variant, open_enum_encoding, paired,
    paired_ratios,
};

/// Items of each kind.
const ITEMS: usize = 10_000;
/// Items per list response (the API's maximum `per_page`).
const PER_PAGE: usize = 50;

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
