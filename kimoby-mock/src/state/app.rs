//! The state every request handler shares: configuration, the manifest's
//! facts, records, schemas, faults, webhook delivery, and what to do after a change ([`App::dispatch`]).

use std::sync::Arc;

use kimoby_generated::types::MessageStatus;
use tokio::sync::watch;

use crate::contract::Contract;
use crate::domain::lookups::LookupIndexes;
use crate::domain::store::{Notice, Store};
use crate::state::config::MockConfig;
use crate::state::delivery::Deliverer;
use crate::state::evolution::{Evolver, evolve_webhook};
use crate::state::faults::Faults;
use crate::state::validation::Schemas;

/// Shared by every handler; cheap to clone.
#[derive(Debug, Clone)]
pub struct App(Arc<AppInner>);

/// What [`App`] holds.
#[derive(Debug)]
pub struct AppInner {
    /// The configuration the server started with (faults: see `faults`).
    pub config: MockConfig,
    /// The facts of the manifest served (base path, page bounds, look-ups).
    pub contract: Contract,
    /// The store index each look-up parameter of the manifest reads.
    pub lookups: LookupIndexes,
    /// The records.
    pub store: Store,
    /// The request schemas.
    pub schemas: Schemas,
    /// Fault injection, changeable while running.
    pub faults: Faults,
    /// Webhook delivery and its log.
    pub deliverer: Deliverer,
    /// Evolution mode, when it is on ([`crate::state::evolution`]).
    pub evolver: Option<Arc<Evolver>>,
    /// Becomes `true` when the server shuts down; background tasks stop.
    pub shutdown: watch::Receiver<bool>,
}

impl std::ops::Deref for App {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl App {
    /// Wraps the shared parts.
    pub fn new(inner: AppInner) -> Self {
        Self(Arc::new(inner))
    }

    /// Acts on what a change asks for: webhook deliveries, message status steps.
    pub fn dispatch(&self, notices: Vec<Notice>) {
        for notice in notices {
            match notice {
                Notice::Webhook {
                    event_name,
                    body,
                    targets,
                } => match &self.evolver {
                    None => self.deliverer.deliver(event_name, body, targets),
                    Some(evolver) => {
                        for (event_name, body) in evolve_webhook(evolver, &self.contract, event_name, body) {
                            self.deliverer.deliver(event_name, body, targets.clone());
                        }
                    }
                },
                Notice::MessageQueued(id) => self.spawn_message_steps(id),
            }
        }
    }

    /// Moves a sent message through `sending`, `sent` and `delivered`, one
    /// simulated [`MockConfig::message_step`] apart, each with `message_updated`.
    fn spawn_message_steps(&self, id: i64) {
        let app = self.clone();
        let mut shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = app.message_steps(id) => {}
                _ = shutdown.wait_for(|stopped| *stopped) => {}
            }
        });
    }

    async fn message_steps(&self, id: i64) {
        let step = self.config.scaled(self.config.message_step);
        let steps = [
            (MessageStatus::Queued, MessageStatus::Sending),
            (MessageStatus::Sending, MessageStatus::Sent),
            (MessageStatus::Sent, MessageStatus::Delivered),
        ];
        for (from, to) in steps {
            tokio::time::sleep(step).await;
            let Some(notices) = self.store.lock().advance_message(id, &from, to) else {
                return;
            };
            self.dispatch(notices);
        }
    }
}
