//! Evolution mode: the mock serves what a newer version of the API could
//! send, so that a client can be tested against the API moving ahead of it.
//! With [`MockConfig::evolution`](crate::MockConfig::evolution) (or
//! `--evolve RATE --evolve-seed N`), every JSON body the API answers (errors
//! included) and every webhook delivery gets, at each opportunity with the
//! probability `rate`:
//!
//! - an extra property at every object level, named `zz_evolved_<n>` (no
//!   documented name starts so), holding a string, a number or an object; a
//!   map such as `custom_attributes` gets an entry of a kind its values may
//!   have, and its existing values are never changed;
//! - an undocumented value (`zz_evolved_<n>`) for a string whose strict
//!   schema is an `enum` (a message's `status`, an invoice's `state`);
//! - `null` for an optional property the schema declares and the payload
//!   lacks;
//! - after each webhook event, another one with the undocumented
//!   `event_name` [`UNKNOWN_EVENT_NAME`], carrying the same `data`.
//!
//! The changes follow the schemas, not a list: the manifest says which
//! schema file each body is (responses by status, `webhooks` by event name;
//! see [`crate::contract::BodySchema`]), and the strict files embedded in
//! `kimoby-generated` say, at each location, which properties are declared,
//! which are required and which strings are enums. Everything served this way
//! is accepted by the tolerant profile
//! (`kimoby_generated::validate::Validator::tolerant`) and decoded by the
//! generated types.
//!
//! Draws are reproducible: the generator of a body is seeded with the seed,
//! whether it is a response or a webhook body, and its number in that
//! sequence (the first response is 0), so the same calls made one after
//! another give the same bodies for the same seed.
//!
//! ```
//! use kimoby_mock::evolution::{Evolution, Evolver, Stream};
//! use serde_json::json;
//!
//! let evolver = Evolver::new(Evolution::new(1.0).seed(7))?;
//! let mut error = json!({"message": "no such customer"});
//! let done = evolver.evolve("error.json", &mut error, Stream::Responses, 0);
//! assert_eq!(done.extra_properties, 1);
//! assert!(error.as_object().unwrap().keys().any(|name| name.starts_with("zz_evolved_")));
//! # Ok::<(), kimoby_mock::evolution::EvolutionError>(())
//! ```

mod mutate;
mod schema;
mod webhook;

use std::sync::atomic::{AtomicU64, Ordering};

use rand::SeedableRng as _;
use rand::rngs::ChaCha8Rng;
use serde_json::Value;

pub use self::mutate::Mutations;
use self::schema::SchemaSet;
pub(crate) use self::webhook::evolve_webhook;
use crate::contract::{Contract, ManifestError};
pub use crate::state::config::Evolution;

/// The prefix of every property name and enum value evolution makes up.
pub const EXTRA_PREFIX: &str = "zz_evolved_";

/// The `event_name` of the undocumented webhook events evolution delivers.
pub const UNKNOWN_EVENT_NAME: &str = "zz_evolved_event";

/// Which sequence a body is numbered in (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// API responses, in the order they are answered.
    Responses,
    /// Webhook events, in the order they happen.
    Webhooks,
}

/// An embedded schema the evolution cannot walk (a broken `$ref`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("evolution mode, at {location}: {problem}")]
pub struct EvolutionError {
    /// The file and JSON pointer (`customer.json#/properties/phones/$ref`).
    pub location: String,
    /// What is wrong.
    pub problem: String,
}

/// Evolves bodies along the embedded strict schemas.
#[derive(Debug)]
pub struct Evolver {
    evolution: Evolution,
    schemas: SchemaSet,
    next: [AtomicU64; 2],
}

impl Evolver {
    /// An evolver with these settings over the embedded schemas.
    pub fn new(evolution: Evolution) -> Result<Self, EvolutionError> {
        Ok(Self {
            evolution,
            schemas: SchemaSet::embedded()?,
            next: [AtomicU64::new(0), AtomicU64::new(0)],
        })
    }

    /// The settings.
    pub fn evolution(&self) -> Evolution {
        self.evolution
    }

    /// Checks that every body schema of `contract` names an embedded schema.
    pub fn check_contract(&self, contract: &Contract) -> Result<(), ManifestError> {
        for body in contract.body_schemas() {
            if self
                .schemas
                .resolve(kimoby_generated::schemas::MANIFEST_FILE, &body.reference)
                .is_none()
            {
                return Err(ManifestError {
                    pointer: body.pointer.clone(),
                    problem: format!(
                        "evolution mode walks the embedded schemas, and `{}` is none of them",
                        body.reference
                    ),
                });
            }
        }
        Ok(())
    }

    /// Evolves `value`, a payload of the schema `schema` (`customer.json`,
    /// `webhook_event.json`), as the body number `ordinal` of `stream`.
    /// Unknown schemas leave it as it is.
    pub fn evolve(&self, schema: &str, value: &mut Value, stream: Stream, ordinal: u64) -> Mutations {
        let Some(location) = self.schemas.resolve(kimoby_generated::schemas::MANIFEST_FILE, schema) else {
            return Mutations::default();
        };
        let mut mutator = mutate::Mutator {
            schemas: &self.schemas,
            rng: self.rng(stream, ordinal, 0),
            rate: self.evolution.rate,
            last_name: 0,
            done: Mutations::default(),
        };
        mutator.evolve(location, value, 0);
        mutator.done
    }

    /// Whether the body number `ordinal` of `stream` gets an extra event of
    /// an unknown name (drawn apart from its evolution).
    pub fn adds_unknown_event(&self, stream: Stream, ordinal: u64) -> bool {
        rand::RngExt::random_bool(&mut self.rng(stream, ordinal, 1), self.evolution.rate)
    }

    /// The number of the next body of `stream`.
    pub(crate) fn next_ordinal(&self, stream: Stream) -> u64 {
        self.next[stream as usize].fetch_add(1, Ordering::Relaxed)
    }

    /// The generator of one draw: the seed, the stream, the ordinal and the
    /// purpose make its 256-bit key.
    fn rng(&self, stream: Stream, ordinal: u64, purpose: u64) -> ChaCha8Rng {
        let mut key = [0_u8; 32];
        key[..8].copy_from_slice(&self.evolution.seed.to_le_bytes());
        key[8..16].copy_from_slice(&(stream as u64).to_le_bytes());
        key[16..24].copy_from_slice(&ordinal.to_le_bytes());
        key[24..].copy_from_slice(&purpose.to_le_bytes());
        ChaCha8Rng::from_seed(key)
    }
}

#[cfg(test)]
mod tests;
