//! The hand-written baseline: what one writes without a generator.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Deserialize, Serialize)]
pub struct Pagination {
    pub items: i64,
    pub page: i64,
    pub pages: i64,
    pub per_page: i64,
}

#[derive(Deserialize, Serialize)]
pub struct MessageList<D = MessageDirection, E = MessageElementType, S = MessageStatus> {
    pub messages: Vec<Message<D, E, S>>,
    pub pagination: Pagination,
}

#[derive(Deserialize, Serialize)]
pub struct Message<D = MessageDirection, E = MessageElementType, S = MessageStatus> {
    pub body: String,
    pub conversation_id: Option<i64>,
    pub created_at: DateTime<FixedOffset>,
    pub customer_id: String,
    pub direction: D,
    pub documents: Vec<String>,
    pub element_type: E,
    pub error: Option<String>,
    pub id: i64,
    pub status: S,
    pub updated_at: DateTime<FixedOffset>,
    pub user_sub_user_id: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageDirection {
    Outgoing,
    Incoming,
    #[serde(other)]
    Other,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageElementType {
    SentMessage,
    ReceivedMessage,
    #[serde(other)]
    Other,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Queued,
    Sending,
    Sent,
    Receiving,
    Received,
    Delivered,
    Undelivered,
    Failed,
    #[serde(other)]
    Other,
}

#[derive(Deserialize, Serialize)]
pub struct CustomerList<A = BTreeMap<String, Value>> {
    pub customers: Vec<Customer<A>>,
    pub pagination: Pagination,
}

#[derive(Deserialize, Serialize)]
pub struct Customer<A = BTreeMap<String, Value>> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell_phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_attributes: Option<A>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_unsubscribed: Option<bool>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phones: Option<Phones>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub updated_at: DateTime<FixedOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zipcode: Option<String>,
}

#[derive(Deserialize, Serialize)]
pub struct Phones {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work: Option<String>,
}

#[derive(Deserialize, Serialize)]
pub struct AppointmentList<A = BTreeMap<String, Value>> {
    pub appointments: Vec<Appointment<A>>,
    pub pagination: Pagination,
}

#[derive(Deserialize, Serialize)]
pub struct Appointment<A = BTreeMap<String, Value>> {
    pub created_at: DateTime<FixedOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_attributes: Option<A>,
    pub customer: Customer<A>,
    pub end_at: DateTime<FixedOffset>,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub start_at: DateTime<FixedOffset>,
    pub status: AppointmentStatus,
    pub updated_at: DateTime<FixedOffset>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Confirmed,
    Canceled,
    NotConfirmed,
    #[serde(other)]
    Other,
}

/// `CustomerRequest` with plain strings where the generated one validates.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerRequest {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub address: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub cell_phone_number: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub city: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub country: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub email: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_unsubscribed: Option<bool>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phones: Option<PhonesUpdate>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub reference: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub state: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub zipcode: Option<Option<String>>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhonesUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub home: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub other: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub work: Option<Option<String>>,
}

/// `null` is `Some(None)`, absent is `None`: the usual hand-written helper.
mod clearable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
