//! Events: names are case insensitive with `$`, `.` and spaces turned into
//! hyphens; unique per customer, name and `happened_at`, and per customer,
//! name and reference; `happened_at` is in the past.
//!
//! Both rules are [`EventKey`]s of the events' table, checked without
//! scanning the other events. A look-up by reference still goes through every
//! event: a reference is unique per customer and name only, so the look-up
//! must find out whether several events share it.

use chrono::{DateTime, FixedOffset, Utc};
use kimoby_generated::custom_attributes::CustomAttributes;
use kimoby_generated::types::{Event, EventList, EventListRequired, EventRequest, EventRequired};
use serde_json::Value;

use super::table::UniqueKeys;
use super::{Lookup, State, new_id, now, utc};
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::PageRequest;
use crate::domain::rules::{ObjectKind, normalize_event_name};

/// An event as stored: the customer by id, embedded when answered.
#[derive(Debug, Clone)]
pub(super) struct EventRecord {
    id: String,
    reference: Option<String>,
    name: String,
    happened_at: DateTime<FixedOffset>,
    pub(super) customer_id: String,
    custom_attributes: CustomAttributes,
    created_at: DateTime<FixedOffset>,
    updated_at: DateTime<FixedOffset>,
}

/// A value that no two events of the account may share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventKey {
    /// A customer (by id), a normalized name and a `happened_at` instant.
    CustomerNameAndTime(String, String, DateTime<FixedOffset>),
    /// A customer (by id), a normalized name and a `reference`.
    CustomerNameAndReference(String, String, String),
}

impl EventKey {
    /// The answer to a request that would give an event this key when
    /// another event holds it.
    fn already_taken(&self) -> ApiError {
        match self {
            Self::CustomerNameAndTime(..) => {
                ApiError::bad_request("happened_at: the customer already has an event with this name at this time")
            }
            Self::CustomerNameAndReference(..) => {
                ApiError::bad_request("reference: the customer already has an event with this name and reference")
            }
        }
    }
}

impl UniqueKeys for EventRecord {
    type Key = EventKey;

    /// The time first: when one other event holds both, the answer names
    /// `happened_at`.
    fn unique_keys(&self) -> Vec<EventKey> {
        let time = EventKey::CustomerNameAndTime(self.customer_id.clone(), self.name.clone(), self.happened_at);
        let reference = self.reference.clone().map(|reference| {
            EventKey::CustomerNameAndReference(self.customer_id.clone(), self.name.clone(), reference)
        });
        std::iter::once(time).chain(reference).collect()
    }
}

impl State {
    /// `PUT /events`.
    pub fn create_event(&mut self, request: EventRequest, attributes: Option<&Value>) -> ApiResult<Event> {
        let created = now();
        let record = EventRecord {
            id: new_id("ev"),
            reference: None,
            name: String::new(),
            happened_at: created,
            customer_id: String::new(),
            custom_attributes: CustomAttributes::new(),
            created_at: created,
            updated_at: created,
        };
        self.save_event(record, request, attributes)
    }

    /// `PUT /events/{id}` or `PUT /events?...`.
    pub fn update_event(
        &mut self,
        lookup: &Lookup,
        request: EventRequest,
        attributes: Option<&Value>,
    ) -> ApiResult<Event> {
        let mut record = self.find_event_record(lookup)?.clone();
        record.updated_at = now();
        self.save_event(record, request, attributes)
    }

    /// `GET /events/{id}` or `GET /events?...`.
    pub fn find_event(&self, lookup: &Lookup) -> ApiResult<Event> {
        let record = self.find_event_record(lookup)?;
        self.event(record).ok_or_else(|| ApiError::not_found("event", lookup))
    }

    /// `DELETE /events/{id}` or `DELETE /events?...`.
    pub fn delete_event(&mut self, lookup: &Lookup) -> ApiResult<()> {
        let id = self.find_event_record(lookup)?.id.clone();
        self.events.remove(&id);
        Ok(())
    }

    /// `GET /events`: builds the events of the page only.
    pub fn list_events(&self, page: PageRequest) -> EventList {
        let (records, pagination) = page.select_page_from(self.events.len(), |first| self.events.values_from(first));
        let events = records.into_iter().filter_map(|record| self.event(record)).collect();
        EventList::new(EventListRequired { events, pagination })
    }

    /// By id, or by reference: references are unique per customer and name
    /// only, so a reference shared by several events is refused.
    fn find_event_record(&self, lookup: &Lookup) -> ApiResult<&EventRecord> {
        match lookup {
            Lookup::Id(id) => self.events.get(id).ok_or_else(|| ApiError::not_found("event", lookup)),
            Lookup::Reference(reference) => {
                let mut matching = self
                    .events
                    .values()
                    .filter(|record| record.reference.as_deref() == Some(reference));
                let first = matching.next().ok_or_else(|| ApiError::not_found("event", lookup))?;
                if matching.next().is_some() {
                    return Err(ApiError::bad_request(format!(
                        "reference: several events have the reference {reference}; use the id"
                    )));
                }
                Ok(first)
            }
            Lookup::CellPhoneNumber(_) => Err(ApiError::not_found("event", lookup)),
        }
    }

    fn save_event(
        &mut self,
        mut record: EventRecord,
        request: EventRequest,
        attributes: Option<&Value>,
    ) -> ApiResult<Event> {
        record.customer_id = self.resolve_customer(&request.customer)?.id.clone();
        record.name = normalize_event_name(&request.name)?;
        record.happened_at = utc(request.happened_at);
        if record.happened_at > Utc::now() {
            return Err(ApiError::bad_request("happened_at: has to be in the past"));
        }
        if let Some(reference) = request.reference {
            record.reference = Some(reference);
        }
        self.events
            .check_unique(&record.id, &record)
            .map_err(|key| key.already_taken())?;
        if let Some(update) = attributes {
            self.attribute_types
                .apply(ObjectKind::Event, &mut record.custom_attributes, update)?;
        }
        let event = self
            .event(&record)
            .ok_or_else(|| ApiError::bad_request("customer: not found"))?;
        self.events
            .insert(record.id.clone(), record)
            .map_err(|key| key.already_taken())?;
        Ok(event)
    }

    fn event(&self, record: &EventRecord) -> Option<Event> {
        let customer = self.customers.get(&record.customer_id)?.clone();
        let mut event = Event::new(EventRequired {
            created_at: record.created_at,
            customer,
            happened_at: record.happened_at,
            id: record.id.clone(),
            name: record.name.clone(),
            updated_at: record.updated_at,
        })
        .custom_attributes(record.custom_attributes.clone());
        event.reference = record.reference.clone();
        Some(event)
    }
}
