//! The in-memory state of one mock account, behind one lock: every request
//! reads and changes it in a single critical section (no `await` inside), so
//! uniqueness rules hold under concurrent requests and nothing is lost.
//! Records live in [`Table`]s, which keep them in creation order and index
//! their ids and unique values (see [`UniqueKeys`]), maintained by the same
//! critical section as the records.
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
mod lookup;
mod messages;
mod table;
mod webhooks;

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, FixedOffset, SubsecRound, Utc};
use kimoby_generated::types::Customer;

pub use documents::{DocumentRecord, MAX_DOCUMENT_BYTES};
pub use invoices::{CardInput, InvoiceFilter, RefundInput};
pub use lookup::{Lookup, LookupKey, LookupRecord};
pub use messages::{InboundMessage, MessageFilter};
pub use table::{NoUniqueKey, Table, UniqueKeys};
pub use webhooks::{WebhookRecord, WebhookTarget};

use self::appointments::AppointmentRecord;
use self::events::EventRecord;
use self::messages::MessageRecord;
use crate::domain::rules::AttributeTypes;

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

impl State {
    /// Panics unless every table's id and unique-key maps say exactly what
    /// its records say (tests).
    #[cfg(test)]
    fn assert_indexes_match_records(&self) {
        self.customers.assert_indexes_match_records();
        self.appointments.assert_indexes_match_records();
        self.events.assert_indexes_match_records();
        self.messages.assert_indexes_match_records();
        self.invoices.assert_indexes_match_records();
        self.documents.assert_indexes_match_records();
        self.webhooks.assert_indexes_match_records();
    }
}

#[cfg(test)]
mod tests {
    use kimoby_generated::types::{AppointmentRequest, CustomerReference, CustomerRequest, EventRequest};

    use super::*;
    use crate::domain::error::ApiResult;
    use crate::domain::pagination::PageRequest;

    fn customer_request(name: &str, reference: Option<&str>, cell_phone_number: Option<&str>) -> CustomerRequest {
        let mut request = CustomerRequest::new(name);
        if let Some(reference) = reference {
            request = request.reference(reference);
        }
        if let Some(number) = cell_phone_number {
            request = request.cell_phone_number(number.parse::<kimoby_generated::types::PhoneNumber>().unwrap());
        }
        request
    }

    fn by_reference(reference: &str) -> CustomerReference {
        CustomerReference::new().reference(reference)
    }

    fn message(result: ApiResult<impl std::fmt::Debug>) -> String {
        match result {
            Ok(value) => panic!("accepted: {value:?}"),
            Err(error) => error.to_string(),
        }
    }

    fn date(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

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

    #[test]
    fn a_page_in_the_middle_of_a_large_list_is_exact() {
        let mut state = State::default();
        let mut ids = Vec::new();
        for index in 0..10_000 {
            let created = state
                .create_customer(customer_request(&format!("Customer {index}"), None, None), None)
                .unwrap();
            ids.push(created.id);
        }
        // Deleted customers before and inside the page are not counted.
        for deleted in [0, 17, 4_000, 6_049] {
            state.delete_customer(&Lookup::Id(ids[deleted].clone())).unwrap();
        }
        let remaining: Vec<&String> = ids
            .iter()
            .enumerate()
            .filter(|(index, _)| ![0, 17, 4_000, 6_049].contains(index))
            .map(|(_, id)| id)
            .collect();
        let list = state.list_customers(PageRequest {
            page: 121,
            per_page: 50,
        });
        let page_ids: Vec<&String> = list.customers.iter().map(|customer| &customer.id).collect();
        assert_eq!(page_ids, remaining[6_000..6_050]);
        assert_eq!(list.customers[0].name, "Customer 6003");
        assert_eq!(
            (
                list.pagination.page,
                list.pagination.pages,
                list.pagination.items,
                list.pagination.per_page
            ),
            (121, 200, 9_996, 50)
        );
        let last = state.list_customers(PageRequest {
            page: 200,
            per_page: 50,
        });
        assert_eq!(last.customers.len(), 46);
        assert_eq!(last.customers.last().map(|customer| &customer.id), ids.last());
        assert!(
            state
                .list_customers(PageRequest {
                    page: 201,
                    per_page: 50
                })
                .customers
                .is_empty()
        );
        state.assert_indexes_match_records();
    }

    #[test]
    fn a_page_in_the_middle_of_a_filtered_list_is_exact() {
        let mut state = State::default();
        let first = state
            .create_customer(customer_request("A", None, None), None)
            .unwrap()
            .id;
        let second = state
            .create_customer(customer_request("B", None, None), None)
            .unwrap()
            .id;
        for index in 0..1_000 {
            let customer_id = if index % 4 == 0 { &second } else { &first };
            let inbound = InboundMessage {
                from: None,
                customer_id: Some(customer_id.clone()),
                body: format!("Message {index}"),
            };
            state.receive_message(inbound).unwrap();
        }
        let filter = MessageFilter {
            customer_id: Some(second.clone()),
            ..MessageFilter::default()
        };
        let list = state.list_messages(&filter, PageRequest { page: 3, per_page: 25 });
        let bodies: Vec<&str> = list.messages.iter().map(|message| message.body.as_str()).collect();
        let expected: Vec<String> = (200..300).step_by(4).map(|index| format!("Message {index}")).collect();
        assert_eq!(bodies, expected);
        assert_eq!(
            (
                list.pagination.page,
                list.pagination.pages,
                list.pagination.items,
                list.pagination.per_page
            ),
            (3, 10, 250, 25)
        );
        let unfiltered = state.list_messages(&MessageFilter::default(), PageRequest { page: 40, per_page: 25 });
        assert_eq!(unfiltered.messages[0].body, "Message 975");
        assert_eq!(unfiltered.pagination.items, 1_000);
    }

    #[test]
    fn updates_and_deletes_free_the_unique_values_they_give_up() {
        let mut state = State::default();
        let taken = |state: &mut State, reference: Option<&str>, number: Option<&str>| {
            message(state.create_customer(customer_request("x", reference, number), None))
        };
        let first = state
            .create_customer(customer_request("A", Some("A"), Some("+15145550001")), None)
            .unwrap();
        let second = state
            .create_customer(customer_request("B", Some("B"), Some("+15145550002")), None)
            .unwrap();
        // The oldest holder answers first; for one holder, the reference.
        assert!(taken(&mut state, Some("B"), Some("+15145550001")).starts_with("cell_phone_number"));
        assert!(taken(&mut state, Some("A"), Some("+15145550001")).starts_with("reference"));

        // An update frees the old values and takes the new ones.
        let update = customer_request("A", Some("A2"), Some("+15145550003"));
        state
            .update_customer(&Lookup::Id(first.id.clone()), update, None)
            .unwrap();
        assert!(state.find_customer(&Lookup::Reference("A".to_owned())).is_err());
        assert_eq!(
            state.find_customer(&Lookup::Reference("A2".to_owned())).unwrap().id,
            first.id
        );
        assert!(taken(&mut state, Some("A2"), None).starts_with("reference"));
        assert!(taken(&mut state, None, Some("+15145550003")).starts_with("cell_phone_number"));
        let third = state
            .create_customer(customer_request("C", Some("A"), Some("+15145550001")), None)
            .unwrap();

        // A refused update changes nothing.
        let update = customer_request("B", Some("A2"), Some("+15145550009"));
        assert!(message(state.update_customer(&Lookup::Id(second.id.clone()), update, None)).starts_with("reference"));
        let lookup = Lookup::CellPhoneNumber("+15145550002".to_owned());
        assert_eq!(state.find_customer(&lookup).unwrap().id, second.id);
        assert!(
            state
                .find_customer(&Lookup::CellPhoneNumber("+15145550009".to_owned()))
                .is_err()
        );

        // `null` frees a value.
        let update = customer_request("B", None, None)
            .clear_reference()
            .clear_cell_phone_number();
        state
            .update_customer(&Lookup::Id(second.id.clone()), update, None)
            .unwrap();
        state
            .create_customer(customer_request("D", Some("B"), Some("+15145550002")), None)
            .unwrap();

        // A delete frees the customer's values.
        state.delete_customer(&Lookup::Reference("A".to_owned())).unwrap();
        assert!(state.find_customer(&Lookup::Id(third.id)).is_err());
        state
            .create_customer(customer_request("E", Some("A"), Some("+15145550001")), None)
            .unwrap();
        state.assert_indexes_match_records();
    }

    #[test]
    fn appointments_and_events_free_their_keys_on_update_and_with_their_customer() {
        let mut state = State::default();
        let customer = state
            .create_customer(customer_request("A", Some("A"), Some("+15145550001")), None)
            .unwrap();
        let appointment =
            |start: &str, reference: &str| AppointmentRequest::new(by_reference("A"), date(start)).reference(reference);
        let event = |at: &str, reference: &str| {
            EventRequest::new(by_reference("A"), date(at), "Oil change").reference(reference)
        };

        let booked = state
            .create_appointment(appointment("2030-01-20T14:00:00Z", "AP1"), None)
            .unwrap();
        let moved = appointment("2030-01-21T14:00:00Z", "AP2");
        state
            .update_appointment(&Lookup::Id(booked.id.clone()), moved, None)
            .unwrap();
        // The old start and reference are free, the new ones taken.
        state
            .create_appointment(appointment("2030-01-20T14:00:00Z", "AP1"), None)
            .unwrap();
        let clash = state.create_appointment(appointment("2030-01-21T09:00:00-05:00", "AP3"), None);
        assert!(message(clash).starts_with("start_at"));
        let clash = state.create_appointment(appointment("2030-01-22T14:00:00Z", "AP2"), None);
        assert!(message(clash).starts_with("reference"));

        let happened = state.create_event(event("2016-01-20T14:00:00Z", "EV1"), None).unwrap();
        let moved = event("2016-01-21T14:00:00Z", "EV2");
        state
            .update_event(&Lookup::Id(happened.id.clone()), moved, None)
            .unwrap();
        state.create_event(event("2016-01-20T14:00:00Z", "EV1"), None).unwrap();
        let clash = state.create_event(event("2016-01-21T14:00:00Z", "EV3"), None);
        assert!(message(clash).starts_with("happened_at"));
        let clash = state.create_event(event("2016-01-22T14:00:00Z", "EV2"), None);
        assert!(message(clash).starts_with("reference"));
        state.assert_indexes_match_records();

        // Deleting the customer deletes its appointments and events, and frees their keys.
        state.delete_customer(&Lookup::Id(customer.id)).unwrap();
        assert_eq!((state.counts().appointments, state.counts().events), (0, 0));
        state.assert_indexes_match_records();
        state
            .create_customer(customer_request("A", Some("A"), Some("+15145550001")), None)
            .unwrap();
        state
            .create_appointment(appointment("2030-01-21T14:00:00Z", "AP2"), None)
            .unwrap();
        state.create_event(event("2016-01-21T14:00:00Z", "EV2"), None).unwrap();
        state.assert_indexes_match_records();
    }
}
