//! Customers: `reference` and `cell_phone_number` unique per account, `null`
//! clears an attribute (strings come back as `""`), `is_unsubscribed` can be
//! set to true but never back to false through the API.
//!
//! Both unique values are [`CustomerKey`]s of the customers' table, which
//! finds their holder without scanning: checking them on create and update,
//! and the look-ups by `reference` or `cell_phone_number`, cost the same with
//! one customer or a hundred thousand.

use kimoby_generated::custom_attributes::CustomAttributes;
use kimoby_generated::types::{
    Customer, CustomerList, CustomerListRequired, CustomerReference, CustomerRequest, CustomerRequired, Phones,
};
use serde_json::Value;

use super::table::UniqueKeys;
use super::{Lookup, Notice, State, new_id, now};
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::PageRequest;
use crate::domain::rules::ObjectKind;

/// A value that no two customers of the account may share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CustomerKey {
    /// `reference` (case sensitive).
    Reference(String),
    /// `cell_phone_number`, as stored (E.164).
    CellPhoneNumber(String),
}

impl CustomerKey {
    /// The answer to a request that would give a customer this key when
    /// another customer holds it.
    fn already_taken(&self) -> ApiError {
        match self {
            Self::Reference(_) => ApiError::bad_request("reference: has already been taken by another customer"),
            Self::CellPhoneNumber(_) => {
                ApiError::bad_request("cell_phone_number: has already been taken by another customer")
            }
        }
    }
}

impl UniqueKeys for Customer {
    type Key = CustomerKey;

    /// `reference` first: when one other customer holds both values, the
    /// answer names the reference.
    fn unique_keys(&self) -> Vec<CustomerKey> {
        let reference = self.reference.clone().map(CustomerKey::Reference);
        let cell_phone_number = self.cell_phone_number.clone().map(CustomerKey::CellPhoneNumber);
        reference.into_iter().chain(cell_phone_number).collect()
    }
}

impl State {
    /// `PUT /customers`: creates a customer.
    pub fn create_customer(&mut self, request: CustomerRequest, attributes: Option<&Value>) -> ApiResult<Customer> {
        let created = now();
        let mut customer = Customer::new(CustomerRequired {
            created_at: created,
            id: new_id("cu"),
            name: String::new(),
            updated_at: created,
        })
        .custom_attributes(CustomAttributes::new())
        .is_unsubscribed(false);
        self.apply_customer(&mut customer, request, attributes)?;
        self.customers
            .insert(customer.id.clone(), customer.clone())
            .map_err(|key| key.already_taken())?;
        Ok(customer)
    }

    /// `PUT /customers/{id}` or `PUT /customers?...`: updates a customer.
    pub fn update_customer(
        &mut self,
        lookup: &Lookup,
        request: CustomerRequest,
        attributes: Option<&Value>,
    ) -> ApiResult<(Customer, Vec<Notice>)> {
        let mut customer = self.find_customer(lookup)?.clone();
        let was_unsubscribed = customer.is_unsubscribed == Some(true);
        self.apply_customer(&mut customer, request, attributes)?;
        customer.updated_at = now();
        self.customers
            .insert(customer.id.clone(), customer.clone())
            .map_err(|key| key.already_taken())?;
        let mut notices = Vec::new();
        if !was_unsubscribed && customer.is_unsubscribed == Some(true) {
            notices.extend(self.subscription_notice(&customer));
        }
        Ok((customer, notices))
    }

    /// Changes the subscription of a customer (a text message with a keyword)
    /// and says which webhook event it triggers, if it changed.
    pub fn set_subscription(&mut self, customer_id: &str, unsubscribed: bool) -> Vec<Notice> {
        let Some(customer) = self.customers.get_mut(customer_id) else {
            return Vec::new();
        };
        if customer.is_unsubscribed.unwrap_or(false) == unsubscribed {
            return Vec::new();
        }
        customer.is_unsubscribed = Some(unsubscribed);
        customer.updated_at = now();
        let customer = customer.clone();
        self.subscription_notice(&customer).into_iter().collect()
    }

    /// The customer found by `lookup`.
    pub fn find_customer(&self, lookup: &Lookup) -> ApiResult<&Customer> {
        let found = match lookup {
            Lookup::Id(id) => self.customers.get(id),
            Lookup::Reference(reference) => self
                .customers
                .find_by_unique_key(&CustomerKey::Reference(reference.clone())),
            Lookup::CellPhoneNumber(number) => self
                .customers
                .find_by_unique_key(&CustomerKey::CellPhoneNumber(number.clone())),
        };
        found.ok_or_else(|| ApiError::not_found("customer", lookup))
    }

    /// The customer a request's `customer` object refers to: every attribute
    /// given must match the same existing customer (a 400 otherwise).
    pub fn resolve_customer(&self, reference: &CustomerReference) -> ApiResult<&Customer> {
        let lookups = [
            reference.id.clone().map(Lookup::Id),
            reference.reference.clone().map(Lookup::Reference),
            reference
                .cell_phone_number
                .as_ref()
                .map(|number| Lookup::CellPhoneNumber(number.to_string())),
        ];
        let mut found: Option<&Customer> = None;
        for lookup in lookups.iter().flatten() {
            let customer = self
                .find_customer(lookup)
                .map_err(|_| ApiError::bad_request(format!("customer: no customer has the {lookup}")))?;
            if found.is_some_and(|other| other.id != customer.id) {
                return Err(ApiError::bad_request(
                    "customer: the attributes given refer to different customers",
                ));
            }
            found = Some(customer);
        }
        found.ok_or_else(|| ApiError::bad_request("customer: give its id, reference or cell_phone_number"))
    }

    /// Deletes a customer, with its appointments and events.
    pub fn delete_customer(&mut self, lookup: &Lookup) -> ApiResult<()> {
        let id = self.find_customer(lookup)?.id.clone();
        self.customers.remove(&id);
        self.appointments.retain(|appointment| appointment.customer_id != id);
        self.events.retain(|event| event.customer_id != id);
        self.conversations.remove(&id);
        Ok(())
    }

    /// `GET /customers`: clones the customers of the page only.
    pub fn list_customers(&self, page: PageRequest) -> CustomerList {
        let (customers, pagination) =
            page.select_page_from(self.customers.len(), |first| self.customers.values_from(first));
        CustomerList::new(CustomerListRequired {
            customers: customers.into_iter().cloned().collect(),
            pagination,
        })
    }

    /// Applies a create or update request, checking uniqueness; `customer` is
    /// left as it was on error only in the sense that the caller discards it.
    fn apply_customer(
        &mut self,
        customer: &mut Customer,
        request: CustomerRequest,
        attributes: Option<&Value>,
    ) -> ApiResult<()> {
        customer.name = request.name;
        if let Some(reference) = request.reference {
            customer.reference = reference.filter(|reference| !reference.is_empty());
        }
        if let Some(number) = request.cell_phone_number {
            customer.cell_phone_number = number.map(String::from);
        }
        if let Some(country) = request.country {
            customer.country = country.map(String::from);
        }
        for (field, value) in [
            (&mut customer.email, request.email),
            (&mut customer.address, request.address),
            (&mut customer.city, request.city),
            (&mut customer.state, request.state),
            (&mut customer.zipcode, request.zipcode),
        ] {
            if let Some(value) = value {
                *field = Some(value.unwrap_or_default());
            }
        }
        if let Some(phones) = request.phones {
            let current = customer.phones.get_or_insert_with(Phones::default);
            if let Some(home) = phones.home {
                current.home = Some(home.map(String::from).unwrap_or_default());
            }
            if let Some(work) = phones.work {
                current.work = Some(work.map(String::from).unwrap_or_default());
            }
            if let Some(other) = phones.other {
                current.other = Some(other.map(String::from).unwrap_or_default());
            }
        }
        if request.is_unsubscribed == Some(true) {
            customer.is_unsubscribed = Some(true);
        }
        self.customers
            .check_unique(&customer.id, customer)
            .map_err(|key| key.already_taken())?;
        if let Some(update) = attributes {
            let current = customer.custom_attributes.get_or_insert_with(CustomAttributes::new);
            self.attribute_types.apply(ObjectKind::Customer, current, update)?;
        }
        Ok(())
    }
}
