//! Appointments: the customer must exist and can't have two appointments at
//! the same `start_at`; `end_at` defaults to one hour after `start_at` and must
//! be after it; `reference` is unique.

use chrono::{DateTime, FixedOffset, TimeDelta};
use kimoby_generated::custom_attributes::CustomAttributes;
use kimoby_generated::types::{Appointment, AppointmentList, AppointmentRequest, AppointmentStatus};
use serde_json::Value;

use super::{Lookup, State, new_id, now, utc};
use crate::error::{ApiError, ApiResult};
use crate::pagination::PageRequest;
use crate::rules::ObjectKind;

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
            None => page.select_page(self.appointments.values()),
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
        AppointmentList {
            appointments,
            pagination,
        }
    }

    fn find_appointment_record(&self, lookup: &Lookup) -> ApiResult<&AppointmentRecord> {
        let found = match lookup {
            Lookup::Id(id) => self.appointments.get(id),
            Lookup::Reference(reference) => self
                .appointments
                .values()
                .find(|record| record.reference.as_deref() == Some(reference)),
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
        for other in self.appointments.values().filter(|other| other.id != record.id) {
            if other.customer_id == record.customer_id && other.start_at == record.start_at {
                return Err(ApiError::bad_request(
                    "start_at: the customer already has an appointment at this time",
                ));
            }
            if record.reference.is_some() && other.reference == record.reference {
                return Err(ApiError::bad_request(
                    "reference: has already been taken by another appointment",
                ));
            }
        }
        if let Some(update) = attributes {
            self.attribute_types
                .apply(ObjectKind::Appointment, &mut record.custom_attributes, update)?;
        }
        let appointment = self
            .appointment(&record)
            .ok_or_else(|| ApiError::bad_request("customer: not found"))?;
        self.appointments.insert(record.id.clone(), record);
        Ok(appointment)
    }

    /// The answer for a record, with its customer embedded.
    fn appointment(&self, record: &AppointmentRecord) -> Option<Appointment> {
        let customer = self.customers.get(&record.customer_id)?.clone();
        Some(Appointment {
            created_at: record.created_at,
            custom_attributes: Some(record.custom_attributes.clone()),
            customer,
            end_at: record.end_at,
            id: record.id.clone(),
            reference: record.reference.clone(),
            start_at: record.start_at,
            status: record.status.clone(),
            updated_at: record.updated_at,
        })
    }
}
