//! Evolution of webhook deliveries: [`evolve_webhook`] evolves a webhook
//! event before it is delivered and may add an event of an unknown name.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{Evolver, Stream, UNKNOWN_EVENT_NAME};
use crate::contract::Contract;

/// The bodies to deliver for the webhook event `event_name` with `body`:
/// the event evolved, then maybe an event of the unknown name
/// [`UNKNOWN_EVENT_NAME`] with the same `data`. A body the manifest gives
/// no schema, or that is not JSON, is delivered as it is.
pub(crate) fn evolve_webhook(
    evolver: &Evolver,
    contract: &Contract,
    event_name: &'static str,
    body: Arc<[u8]>,
) -> Vec<(&'static str, Arc<[u8]>)> {
    let Some(schema) = contract.webhook_schema(event_name) else {
        return vec![(event_name, body)];
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
        return vec![(event_name, body)];
    };
    let ordinal = evolver.next_ordinal(Stream::Webhooks);
    evolver.evolve(&schema.reference, &mut value, Stream::Webhooks, ordinal);
    let Ok(evolved) = serde_json::to_vec(&value) else {
        return vec![(event_name, body)];
    };
    let mut bodies = vec![(event_name, Arc::from(evolved))];
    if evolver.adds_unknown_event(Stream::Webhooks, ordinal) && contract.webhook_schema(UNKNOWN_EVENT_NAME).is_none() {
        let unknown =
            json!({"event_name": UNKNOWN_EVENT_NAME, "data": value.get("data").cloned().unwrap_or(Value::Null)});
        if let Ok(unknown) = serde_json::to_vec(&unknown) {
            bodies.push((UNKNOWN_EVENT_NAME, Arc::from(unknown)));
        }
    }
    bodies
}
