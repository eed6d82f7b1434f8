//! The in-memory state of one mock account, behind one lock: every request
//! reads and changes it in a single critical section (no `await` inside), so
//! uniqueness rules hold under concurrent requests and nothing is lost.
//!
//! Each resource has its own module with the rules of its operations; they
//! return the response (built from `kimoby_generated::types`) and the
//! [`Notice`]s to act on once the lock is released (webhooks, message status
//! steps).

mod appointments;
mod customers;
mod documents;
mod events;
mod invoices;
mod messages;
mod table;
mod webhooks;

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, FixedOffset, SubsecRound, Utc};
use kimoby_generated::types::Customer;

pub use documents::{DocumentRecord, MAX_DOCUMENT_BYTES};
pub use invoices::{CardInput, InvoiceFilter, RefundInput};
pub use messages::{InboundMessage, MessageFilter};
pub use table::Table;
pub use webhooks::{WebhookRecord, WebhookTarget};

use self::appointments::AppointmentRecord;
use self::events::EventRecord;
use self::messages::MessageRecord;
use crate::rules::AttributeTypes;

/// How a request finds one record: by id, or by one look-up query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// `id` (path or query).
    Id(String),
    /// `reference`.
    Reference(String),
    /// `cell_phone_number` (customers only).
    CellPhoneNumber(String),
}

impl std::fmt::Display for Lookup {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(formatter, "id {id}"),
            Self::Reference(reference) => write!(formatter, "reference {reference}"),
            Self::CellPhoneNumber(number) => write!(formatter, "cell_phone_number {number}"),
        }
    }
}

/// Something to do after a change, outside the lock.
#[derive(Debug, Clone)]
pub enum Notice {
    /// Deliver this event body to these webhooks.
    Webhook {
        /// `message_created`, `customer_unsubscribed`, ...
        event_name: &'static str,
        /// The serialized `{"data": ..., "event_name": ...}` body.
        body: Arc<[u8]>,
        /// The webhooks registered when the event happened.
        targets: Vec<WebhookTarget>,
    },
    /// Move this outgoing message through its statuses.
    MessageQueued(i64),
}

/// Every record of the account.
#[derive(Debug, Default)]
pub struct State {
    customers: Table<Customer>,
    appointments: Table<AppointmentRecord>,
    events: Table<EventRecord>,
    messages: Table<MessageRecord>,
    invoices: Table<kimoby_generated::types::Invoice>,
    documents: Table<DocumentRecord>,
    webhooks: Table<WebhookRecord>,
    attribute_types: AttributeTypes,
    conversations: std::collections::HashMap<String, i64>,
    next_message_id: i64,
    next_document_id: i64,
    next_conversation_id: i64,
    /// `http://host:port` of the server, for the URLs it serves (documents, invoices).
    origin: String,
    /// The currency of new invoices.
    currency: String,
}

/// The shared, lockable state.
#[derive(Debug, Clone, Default)]
pub struct Store(Arc<Mutex<State>>);

impl Store {
    /// An empty account served at `origin` (`http://127.0.0.1:4010`).
    pub fn new(origin: String, currency: String) -> Self {
        Self(Arc::new(Mutex::new(State {
            origin,
            currency,
            ..State::default()
        })))
    }

    /// Locks the state. A panic while holding the lock cannot leave a record
    /// half written (changes are committed at the end of each operation), so a
    /// poisoned lock is used as is.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Forgets every record.
    pub fn reset(&self) {
        let mut state = self.lock();
        let origin = std::mem::take(&mut state.origin);
        let currency = std::mem::take(&mut state.currency);
        *state = State {
            origin,
            currency,
            ..State::default()
        };
    }
}

/// Counts of records, for tests and the control endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Customers.
    pub customers: usize,
    /// Appointments.
    pub appointments: usize,
    /// Events.
    pub events: usize,
    /// Messages, sent and received.
    pub messages: usize,
    /// Invoices.
    pub invoices: usize,
    /// Documents.
    pub documents: usize,
    /// Webhooks.
    pub webhooks: usize,
}

impl State {
    /// How many records of each kind exist.
    pub fn counts(&self) -> Counts {
        Counts {
            customers: self.customers.len(),
            appointments: self.appointments.len(),
            events: self.events.len(),
            messages: self.messages.len(),
            invoices: self.invoices.len(),
            documents: self.documents.len(),
            webhooks: self.webhooks.len(),
        }
    }
}

/// The current time as the API returns it: UTC, whole seconds.
pub fn now() -> DateTime<FixedOffset> {
    Utc::now().trunc_subsecs(0).fixed_offset()
}

/// A date in UTC, as the API returns every date.
pub fn utc(date: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    date.with_timezone(&Utc).fixed_offset()
}

/// A new id in Kimoby's shape: the prefix and 32 random hex digits.
pub fn new_id(prefix: &str) -> String {
    let bytes: [u8; 16] = rand::random();
    let mut id = String::with_capacity(prefix.len() + 32);
    id.push_str(prefix);
    for byte in bytes {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

/// A random alphanumeric secret of `len` characters.
pub fn new_secret(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_kimoby_shapes() {
        let id = new_id("cu");
        assert_eq!(id.len(), 34);
        assert!(id.starts_with("cu"));
        assert!(id[2..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(new_id("cu"), new_id("cu"));
        assert_eq!(new_secret(40).len(), 40);
        assert_eq!(utc(now()).offset().local_minus_utc(), 0);
    }
}
