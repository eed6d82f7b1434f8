//! Receiving a webhook: `WebhookVerifier::verify` then `parse_event` on a
//! signed `message_updated` body (the shape of
//! `tests/fixtures/valid/webhook_event/message_updated.json`), one event at a
//! time on one thread, so the figure is events per second on one core.
//!
//! Baseline, in the same run: the same work written by hand with the same
//! crates (`hmac`, `sha1`, `base64`): HMAC-SHA1 over URL and body, the header
//! decoded from base64 and compared in constant time, then
//! `serde_json::from_slice` into a derived `{event_name, data: Message}`
//! struct that knows this one event. `data` is the generated `Message` on both
//! sides, so the difference is the webhook layer alone (decoding a `Message`
//! is compared in `decode_encode`). The project additionally accepts every
//! event name (unknown ones kept as `Unknown`), in either key order, and names
//! the failing field.
//!
//! The `parts` group splits the project's cost into verify and parse, and
//! times `parse_through_value`: the same body read into a
//! `serde_json::Value` and decoded with `WebhookEvent::from_value`, which is
//! how `parse_event` worked before it kept `data` as raw text (same events,
//! same errors; checked in `tests/webhooks/envelope.rs`).
//!
//! Before the criterion groups, paired passes (the two sides alternately,
//! 10,000 events a side per round, 21 rounds in ABBA order, medians) print
//! the ratios of verify + parse against the hand-written code and of
//! `parse_event` against the `Value` route; a change of load between two
//! criterion functions cannot skew them.
//!
//! Run: `cargo bench -p kimoby-generated --bench webhooks`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit as _, Mac as _};
use kimoby_generated::types::Message;
use kimoby_generated::webhooks::{WebhookEvent, WebhookKey, WebhookVerifier, parse_event};
use serde::Deserialize;
use sha1::Sha1;

const URL: &str = "https://your.app.com/webhook/path";
const KEY: &str = "1vb3auxyhmRZ1AyuCdT4AzNS0fz2RL61Elowdhxw";
const BODY: &str = r#"{"data":{"id":345634563,"customer_id":"CUc571a62c0639ef8c30807962698c3","conversation_id":null,"user_sub_user_id":null,"body":"Test message","element_type":"sent_message","direction":"outgoing","status":"sent","error":null,"documents":[],"created_at":"2019-02-21T14:38:14-05:00","updated_at":"2019-02-21T14:39:03-05:00"},"event_name":"message_updated"}"#;

/// What one writes by hand for the one event one handles.
#[derive(Deserialize)]
struct HandEvent {
    #[allow(dead_code)]
    event_name: String,
    #[allow(dead_code)]
    data: Message,
}

/// Hand-written verification: the same algorithm, no error types.
fn hand_verify(url: &str, body: &[u8], header: &[u8], key: &[u8]) -> bool {
    let Ok(tag) = STANDARD.decode(header.trim_ascii()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        return false;
    };
    mac.update(url.as_bytes());
    mac.update(body);
    mac.verify_slice(&tag).is_ok()
}

/// `parse_event` as it was before `data` was read as raw text: the whole
/// body into a `serde_json::Value`, then `data` decoded from that `Value`.
fn parse_through_value(body: &[u8]) -> WebhookEvent {
    let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
    WebhookEvent::from_value(value).expect("parsed")
}

/// Events per side in each round of a paired pass.
const PAIRED_EVENTS: usize = 10_000;
/// Rounds of a paired pass.
const PAIRED_ROUNDS: usize = 21;

/// Runs `project` and `baseline` alternately, [`PAIRED_EVENTS`] calls each
/// per round, in ABBA order, and prints the medians per event and their
/// ratio (project ÷ baseline, in time).
fn paired(label: &str, mut project: impl FnMut(), mut baseline: impl FnMut()) {
    let run = |side: &mut dyn FnMut()| {
        let started = Instant::now();
        for _ in 0..PAIRED_EVENTS {
            side();
        }
        started.elapsed()
    };
    let (mut a, mut b): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    run(&mut project);
    run(&mut baseline);
    for round in 0..PAIRED_ROUNDS {
        for side in [round % 2, 1 - round % 2] {
            if side == 0 {
                a.push(run(&mut project));
            } else {
                b.push(run(&mut baseline));
            }
        }
    }
    a.sort();
    b.sort();
    let per_event = |total: Duration| total.as_secs_f64() * 1e6 / PAIRED_EVENTS as f64;
    let (a, b) = (a[PAIRED_ROUNDS / 2], b[PAIRED_ROUNDS / 2]);
    println!(
        "paired {label}: {:.3} µs vs {:.3} µs an event, ratio {:.3} (medians of {PAIRED_ROUNDS} alternating rounds)",
        per_event(a),
        per_event(b),
        a.as_secs_f64() / b.as_secs_f64()
    );
}

fn webhook_benches(c: &mut Criterion) {
    let verifier = WebhookVerifier::new(URL, WebhookKey::new(KEY));
    let body = BODY.as_bytes();
    let signature = verifier.sign(body);
    let header = signature.as_bytes();
    // Both sides accept the same request before anything is measured.
    assert!(verifier.verify(body, Some(header)).is_ok());
    assert!(matches!(parse_event(body), Ok(WebhookEvent::MessageUpdated(_))));
    assert!(hand_verify(URL, body, header, KEY.as_bytes()));
    let _: HandEvent = serde_json::from_slice(body).expect("the baseline parses the body");
    assert_eq!(parse_event(body).expect("parsed"), parse_through_value(body));

    paired(
        "webhook/message_updated generated vs hand_written",
        || {
            let body = black_box(body);
            verifier.verify(body, Some(black_box(header))).expect("verified");
            black_box(parse_event(body).expect("parsed"));
        },
        || {
            let body = black_box(body);
            assert!(hand_verify(URL, body, black_box(header), KEY.as_bytes()));
            black_box(serde_json::from_slice::<HandEvent>(body).expect("parsed"));
        },
    );
    paired(
        "webhook/parse parse_event vs parse_through_value",
        || {
            black_box(parse_event(black_box(body)).expect("parsed"));
        },
        || {
            black_box(parse_through_value(black_box(body)));
        },
    );

    let mut group = c.benchmark_group("webhook/message_updated");
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated", |b| {
        b.iter(|| {
            let body = black_box(body);
            verifier.verify(body, Some(black_box(header))).expect("verified");
            black_box(parse_event(body).expect("parsed"))
        });
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let body = black_box(body);
            assert!(hand_verify(URL, body, black_box(header), KEY.as_bytes()));
            black_box(serde_json::from_slice::<HandEvent>(body).expect("parsed"))
        });
    });
    group.finish();

    let mut group = c.benchmark_group("webhook/parts");
    group.throughput(Throughput::Elements(1));
    group.bench_function("verify", |b| {
        b.iter(|| {
            verifier
                .verify(black_box(body), Some(black_box(header)))
                .expect("verified")
        });
    });
    group.bench_function("parse_event", |b| {
        b.iter(|| black_box(parse_event(black_box(body)).expect("parsed")));
    });
    group.bench_function("parse_through_value", |b| {
        b.iter(|| black_box(parse_through_value(black_box(body))));
    });
    group.bench_function("from_slice_message_only", |b| {
        b.iter(|| black_box(serde_json::from_slice::<HandEvent>(black_box(body)).expect("parsed")));
    });
    group.finish();
}

criterion_group!(benches, webhook_benches);
criterion_main!(benches);
