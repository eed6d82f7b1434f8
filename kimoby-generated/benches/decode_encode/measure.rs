//! The measuring helpers: decoding and encoding a whole corpus, the check that
//! both sides write the same bytes, the paired (alternating) measurement with
//! its ratios, and the criterion groups of one kind.

use super::*;

/// Encoding the 10,000 message statuses alone, paired: generated open enum,
/// derived enum, proposed open enum.
pub(crate) fn open_enum_encoding(documents: &[String]) {
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

pub(crate) fn decode_all<T: DeserializeOwned>(documents: &[String]) -> Vec<T> {
    documents
        .iter()
        .map(|document| serde_json::from_str(document).expect("the corpus decodes"))
        .collect()
}

/// Encodes every value into one reused buffer; returns the bytes written.
pub(crate) fn encode_all<T: Serialize>(values: &[T], buffer: &mut Vec<u8>) -> usize {
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
pub(crate) fn check_equivalent<G: DeserializeOwned + Serialize, H: DeserializeOwned + Serialize>(
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

pub(crate) fn decode_variant<T: DeserializeOwned>(
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

pub(crate) fn encode_variant<T: DeserializeOwned + Serialize>(
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
pub(crate) fn paired(label: &str, mut generated: impl FnMut(), mut baseline: impl FnMut()) {
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
pub(crate) fn paired_ratios<G, H>(kind: &str, first: &str, against: &str, documents: &[String])
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
pub(crate) fn bench_kind<G, H>(c: &mut Criterion, kind: &str, documents: &[String])
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
