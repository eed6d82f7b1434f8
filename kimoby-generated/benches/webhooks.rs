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
//! The `parts` group splits the project's cost into verify and parse.
//!
//! Run: `cargo bench -p kimoby-generated --bench webhooks`.

use std::hint::black_box;

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
    group.bench_function("from_slice_message_only", |b| {
        b.iter(|| black_box(serde_json::from_slice::<HandEvent>(black_box(body)).expect("parsed")));
    });
    group.finish();
}

criterion_group!(benches, webhook_benches);
criterion_main!(benches);
