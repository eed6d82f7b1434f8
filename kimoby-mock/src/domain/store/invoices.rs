//! Invoices: `total_price` as the request schema allows (checked with the
//! body), the customer must exist, `reference` is unique (an [`InvoiceKey`]
//! of the invoices' table, checked without scanning); the control endpoints
//! pay, refund and open them.

use chrono::{DateTime, FixedOffset};
use kimoby_generated::types::{
    Invoice, InvoiceCard, InvoiceCardRequired, InvoiceCustomer, InvoiceCustomerRequired, InvoiceList,
    InvoiceListRequired, InvoiceRefund, InvoiceRefundRequired, InvoiceRequest, InvoiceRequired, InvoiceState,
};

use super::table::UniqueKeys;
use super::{Lookup, State, new_id, now};
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::PageRequest;

/// The card a simulated payment uses (control endpoint); every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CardInput {
    /// Four digits (`4242`).
    pub last_4_digits: Option<String>,
    /// The name on the card.
    pub name_on_card: Option<String>,
    /// `Visa`, `Mastercard`, ...
    pub brand: Option<String>,
    /// `01` to `12`.
    pub exp_month: Option<String>,
    /// Four digits.
    pub exp_year: Option<String>,
}

/// A simulated refund (control endpoint).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RefundInput {
    /// Cents to refund; everything not yet refunded when absent.
    pub amount: Option<i64>,
    /// Who refunded.
    pub refunded_by: Option<String>,
}

/// Filters of `GET /invoices`.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    /// Created at or after.
    pub created_at_start: Option<DateTime<FixedOffset>>,
    /// Created at or before.
    pub created_at_end: Option<DateTime<FixedOffset>>,
    /// Paid at or after.
    pub paid_at_start: Option<DateTime<FixedOffset>>,
    /// Paid at or before.
    pub paid_at_end: Option<DateTime<FixedOffset>>,
}

/// A value that no two invoices of the account may share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InvoiceKey {
    /// `reference`.
    Reference(String),
}

impl InvoiceKey {
    /// The answer to a request that would give an invoice this key when
    /// another invoice holds it.
    fn already_taken(&self) -> ApiError {
        match self {
            Self::Reference(_) => ApiError::bad_request("reference: has already been taken by another invoice"),
        }
    }
}

impl UniqueKeys for Invoice {
    type Key = InvoiceKey;

    fn unique_keys(&self) -> Vec<InvoiceKey> {
        self.reference.clone().map(InvoiceKey::Reference).into_iter().collect()
    }
}

impl State {
    /// `PUT /invoices`.
    pub fn create_invoice(&mut self, request: InvoiceRequest) -> ApiResult<Invoice> {
        let customer_id = self
            .find_customer(&Lookup::Id(request.customer.id.clone()))
            .map_err(|_| ApiError::bad_request(format!("customer: no customer has the id {}", request.customer.id)))?
            .id
            .clone();
        let created = now();
        let id = new_id("IN");
        let mut invoice = Invoice::new(InvoiceRequired {
            amount_refunded: 0,
            clicks_count: 0,
            conversation_id: None,
            created_at: created,
            created_by: None,
            currency: self.currency.clone(),
            customer: InvoiceCustomer::new(InvoiceCustomerRequired { id: customer_id }),
            public_url: format!("{}/_mock/pay/{id}", self.origin),
            id,
            refunded_on: None,
            refunds: Vec::new(),
            state: InvoiceState::Unpaid,
            total_price: request.total_price,
            updated_at: created,
        });
        invoice.reference = request.reference;
        // Refused, with nothing stored, when another invoice has the reference.
        self.invoices
            .insert(invoice.id.clone(), invoice.clone())
            .map_err(|key| key.already_taken())?;
        Ok(invoice)
    }

    /// `GET /invoices/{id}`.
    pub fn find_invoice(&self, id: &str) -> ApiResult<Invoice> {
        self.invoices
            .get(id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("invoice", format!("id {id}")))
    }

    /// `GET /invoices`: clones the invoices of the page only (the others that
    /// match are counted).
    pub fn list_invoices(&self, filter: &InvoiceFilter, page: PageRequest) -> InvoiceList {
        let within = |date: Option<DateTime<FixedOffset>>,
                      start: Option<DateTime<FixedOffset>>,
                      end: Option<DateTime<FixedOffset>>| {
            (start.is_none() && end.is_none())
                || date.is_some_and(|date| start.is_none_or(|start| date >= start) && end.is_none_or(|end| date <= end))
        };
        let unfiltered = filter.created_at_start.is_none()
            && filter.created_at_end.is_none()
            && filter.paid_at_start.is_none()
            && filter.paid_at_end.is_none();
        let (invoices, pagination) = if unfiltered {
            page.select_page_from(self.invoices.len(), |first| self.invoices.values_from(first))
        } else {
            page.select_page_counting_matches(self.invoices.values().filter(|invoice| {
                within(Some(invoice.created_at), filter.created_at_start, filter.created_at_end)
                    && within(invoice.invoice_paid_at, filter.paid_at_start, filter.paid_at_end)
            }))
        };
        InvoiceList::new(InvoiceListRequired {
            invoices: invoices.into_iter().cloned().collect(),
            pagination,
        })
    }

    /// The customer pays (control endpoint): only an unpaid or processing invoice.
    pub fn pay_invoice(&mut self, id: &str, card: CardInput) -> ApiResult<Invoice> {
        let invoice = self.invoice_mut(id)?;
        if !matches!(invoice.state, InvoiceState::Unpaid | InvoiceState::Processing) {
            return Err(ApiError::bad_request(format!(
                "state: a {} invoice can't be paid",
                invoice.state
            )));
        }
        let digits = |value: &Option<String>, len: usize| {
            value
                .as_ref()
                .is_none_or(|v| v.len() == len && v.bytes().all(|b| b.is_ascii_digit()))
        };
        if !digits(&card.last_4_digits, 4) || !digits(&card.exp_year, 4) || !digits(&card.exp_month, 2) {
            return Err(ApiError::bad_request(
                "card: last_4_digits and exp_year are 4 digits, exp_month 2",
            ));
        }
        if card
            .exp_month
            .as_deref()
            .is_some_and(|month| !("01"..="12").contains(&month))
        {
            return Err(ApiError::bad_request("card: exp_month is 01 to 12"));
        }
        let paid = now();
        invoice.card = Some(InvoiceCard::new(InvoiceCardRequired {
            brand: card.brand.unwrap_or_else(|| "Visa".to_owned()),
            exp_month: card.exp_month.unwrap_or_else(|| "12".to_owned()),
            exp_year: card.exp_year.unwrap_or_else(|| "2030".to_owned()),
            last_4_digits: card.last_4_digits.unwrap_or_else(|| "4242".to_owned()),
            name_on_card: card.name_on_card.unwrap_or_else(|| "John Doe".to_owned()),
        }));
        invoice.state = InvoiceState::Paid;
        invoice.invoice_paid_at = Some(paid);
        invoice.updated_at = paid;
        Ok(invoice.clone())
    }

    /// Refunds part or all of a paid invoice (control endpoint); the state
    /// becomes `refunded` once everything is refunded.
    pub fn refund_invoice(&mut self, id: &str, refund: RefundInput) -> ApiResult<Invoice> {
        let invoice = self.invoice_mut(id)?;
        if !matches!(invoice.state, InvoiceState::Paid) {
            return Err(ApiError::bad_request(format!(
                "state: a {} invoice can't be refunded",
                invoice.state
            )));
        }
        let remaining = invoice.total_price - invoice.amount_refunded;
        let amount = refund.amount.unwrap_or(remaining);
        if amount < 1 || amount > remaining {
            return Err(ApiError::bad_request(format!(
                "amount: must be between 1 and {remaining}"
            )));
        }
        let date = now();
        invoice.refunds.push(InvoiceRefund::new(InvoiceRefundRequired {
            amount,
            currency: invoice.currency.clone(),
            date,
            refunded_by: refund.refunded_by,
        }));
        invoice.amount_refunded += amount;
        invoice.refunded_on.get_or_insert(date);
        if invoice.amount_refunded == invoice.total_price {
            invoice.state = InvoiceState::Refunded;
        }
        invoice.updated_at = date;
        Ok(invoice.clone())
    }

    /// The customer opens the public URL: one more click.
    pub fn open_invoice(&mut self, id: &str) -> ApiResult<Invoice> {
        let invoice = self.invoice_mut(id)?;
        invoice.clicks_count += 1;
        Ok(invoice.clone())
    }

    fn invoice_mut(&mut self, id: &str) -> ApiResult<&mut Invoice> {
        self.invoices
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("invoice", format!("id {id}")))
    }
}
