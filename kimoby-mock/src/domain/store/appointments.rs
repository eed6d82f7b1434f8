//! Appointments: the customer must exist and can't have two appointments at
//! the same `start_at`; `end_at` defaults to one hour after `start_at` and must
//! be after it; `reference` is unique.
//!
//! Both rules are [`AppointmentKey`]s of the appointments' table, checked and
//! looked up without scanning the other appointments.

use chrono::{DateTime, FixedOffset, TimeDelta};
use kimoby_generated::custom_attributes::CustomAttributes;
use kimoby_generated::types::{
    Appointment, AppointmentList, AppointmentListRequired, AppointmentRequest, AppointmentRequired, AppointmentStatus,
};
use serde_json::Value;

use super::table::UniqueKeys;
use super::{Lookup, State, new_id, now, utc};
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::PageRequest;
use crate::domain::rules::ObjectKind;

/// An appointment as stored: the customer by id, embedded when answered.
#[derive(Debug, Clone)]
pub(super) struct AppointmentRecord {
    id: String,
    reference: Option<String>,
    start_at: DateTime<FixedOffset>,
    end_at: DateTime<FixedOffset>,
    status: AppointmentStatus,
    pub(super) customer_id: String,
    custom_attributes: CustomAttributes,
    created_at: DateTime<FixedOffset>,
    updated_at: DateTime<FixedOffset>,
}

/// A value that no two appointments of the account may share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppointmentKey {
    /// A customer (by id) and a `start_at` instant.
    CustomerAndStart(String, DateTime<FixedOffset>),
    /// `reference`.
    Reference(String),
}

impl AppointmentKey {
    /// The answer to a request that would give an appointment this key when
    /// another appointment holds it.
    fn already_taken(&self) -> ApiError {
        match self {
            Self::CustomerAndStart(..) => {
                ApiError::bad_request("start_at: the customer already has an appointment at this time")
            }
            Self::Reference(_) => ApiError::bad_request("reference: has already been taken by another appointment"),
        }
    }
}

impl UniqueKeys for AppointmentRecord {
    type Key = AppointmentKey;

    /// The customer and start first: when one other appointment holds both,
    /// the answer names `start_at`.
    fn unique_keys(&self) -> Vec<AppointmentKey> {
        let customer_and_start = AppointmentKey::CustomerAndStart(self.customer_id.clone(), self.start_at);
        let reference = self.reference.clone().map(AppointmentKey::Reference);
        std::iter::once(customer_and_start).chain(reference).collect()
    }
}

impl State {
    /// `PUT /appointments`.
    pub fn create_appointment(
        &mut self,
        request: AppointmentRequest,
        attributes: Option<&Value>,
    ) -> ApiResult<Appointment> {
        let created = now();
        let record = AppointmentRecord {
            id: new_id("ap"),
            reference: None,
            start_at: created,
            end_at: created,
            status: AppointmentStatus::NotConfirmed,
            customer_id: String::new(),
            custom_attributes: CustomAttributes::new(),
            created_at: created,
            updated_at: created,
        };
        self.save_appointment(record, request, attributes)
    }

    /// `PUT /appointments/{id}` or `PUT /appointments?...`.
    pub fn update_appointment(
        &mut self,
        lookup: &Lookup,
        request: AppointmentRequest,
        attributes: Option<&Value>,
    ) -> ApiResult<Appointment> {
        let mut record = self.find_appointment_record(lookup)?.clone();
        record.updated_at = now();
        self.save_appointment(record, request, attributes)
    }

    /// `GET /appointments/{id}` or `GET /appointments?...`.
    pub fn find_appointment(&self, lookup: &Lookup) -> ApiResult<Appointment> {
        let record = self.find_appointment_record(lookup)?;
        self.appointment(record)
            .ok_or_else(|| ApiError::not_found("appointment", lookup))
    }

    /// `DELETE /appointments/{id}` or `DELETE /appointments?...`.
    pub fn delete_appointment(&mut self, lookup: &Lookup) -> ApiResult<()> {
        let id = self.find_appointment_record(lookup)?.id.clone();
        self.appointments.remove(&id);
        Ok(())
    }

    /// `GET /appointments`, optionally only those starting within `range`:
    /// builds the appointments of the page only.
    pub fn list_appointments(
        &self,
        range: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
        page: PageRequest,
    ) -> AppointmentList {
        let (records, pagination) = match range {
            None => page.select_page_from(self.appointments.len(), |first| self.appointments.values_from(first)),
            Some((start, end)) => page.select_page_counting_matches(
                self.appointments
                    .values()
                    .filter(|record| record.start_at >= start && record.start_at <= end),
            ),
        };
        let appointments = records
            .into_iter()
            .filter_map(|record| self.appointment(record))
            .collect();
        AppointmentList::new(AppointmentListRequired {
            appointments,
            pagination,
        })
    }

    fn find_appointment_record(&self, lookup: &Lookup) -> ApiResult<&AppointmentRecord> {
        let found = match lookup {
            Lookup::Id(id) => self.appointments.get(id),
            Lookup::Reference(reference) => self
                .appointments
                .find_by_unique_key(&AppointmentKey::Reference(reference.clone())),
            Lookup::CellPhoneNumber(_) => None,
        };
        found.ok_or_else(|| ApiError::not_found("appointment", lookup))
    }

    fn save_appointment(
        &mut self,
        mut record: AppointmentRecord,
        request: AppointmentRequest,
        attributes: Option<&Value>,
    ) -> ApiResult<Appointment> {
        record.customer_id = self.resolve_customer(&request.customer)?.id.clone();
        record.start_at = utc(request.start_at);
        record.end_at = match request.end_at {
            Some(end_at) => utc(end_at),
            None => record
                .start_at
                .checked_add_signed(TimeDelta::hours(1))
                .ok_or_else(|| ApiError::bad_request("start_at: out of range"))?,
        };
        if record.end_at <= record.start_at {
            return Err(ApiError::bad_request("end_at: must be after start_at"));
        }
        if let Some(status) = request.status {
            record.status = AppointmentStatus::from(status.to_string());
        }
        if let Some(reference) = request.reference {
            record.reference = Some(reference);
        }
        self.appointments
            .check_unique(&record.id, &record)
            .map_err(|key| key.already_taken())?;
        if let Some(update) = attributes {
            self.attribute_types
                .apply(ObjectKind::Appointment, &mut record.custom_attributes, update)?;
        }
        let appointment = self
            .appointment(&record)
            .ok_or_else(|| ApiError::bad_request("customer: not found"))?;
        self.appointments
            .insert(record.id.clone(), record)
            .map_err(|key| key.already_taken())?;
        Ok(appointment)
    }

    /// The answer for a record, with its customer embedded.
    fn appointment(&self, record: &AppointmentRecord) -> Option<Appointment> {
        let customer = self.customers.get(&record.customer_id)?.clone();
        let mut appointment = Appointment::new(AppointmentRequired {
            created_at: record.created_at,
            customer,
            end_at: record.end_at,
            id: record.id.clone(),
            start_at: record.start_at,
            status: record.status.clone(),
            updated_at: record.updated_at,
        })
        .custom_attributes(record.custom_attributes.clone());
        appointment.reference = record.reference.clone();
        Some(appointment)
    }
}
