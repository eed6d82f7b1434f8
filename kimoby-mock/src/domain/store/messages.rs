//! Messages: sent ones start `queued` and move through `sending`, `sent` and
//! `delivered` (see `lifecycle`); received ones come from the control
//! endpoint, where STOP/ARRET and START/REPRISE change the subscription.

use chrono::{DateTime, FixedOffset};
use kimoby_generated::types::{
    Message, MessageDirection, MessageElementType, MessageList, MessageListRequired, MessageRequest, MessageRequired,
    MessageStatus, WebhookEvent,
};

use super::table::{NoUniqueKey, UniqueKeys};
use super::{Lookup, Notice, State, now};
use crate::domain::error::{ApiError, ApiResult};
use crate::domain::pagination::PageRequest;
use crate::domain::rules::{Keyword, keyword};

/// A message as stored.
pub(super) type MessageRecord = Message;

impl UniqueKeys for MessageRecord {
    type Key = NoUniqueKey;

    fn unique_keys(&self) -> Vec<NoUniqueKey> {
        Vec::new()
    }
}

/// A text message a customer sends to the account (control endpoint).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundMessage {
    /// The sender's cell phone number (E.164); or give `customer_id`.
    #[serde(default)]
    pub from: Option<String>,
    /// The sender's customer id; or give `from`.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The text, at most 1600 characters.
    pub body: String,
}

/// Filters of `GET /messages`.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    /// Created at or after.
    pub created_at_start: Option<DateTime<FixedOffset>>,
    /// Created at or before.
    pub created_at_end: Option<DateTime<FixedOffset>>,
    /// Of this customer.
    pub customer_id: Option<String>,
}

impl State {
    /// `POST /messages`: queues a text message to an existing, subscribed customer.
    pub fn send_message(&mut self, request: MessageRequest) -> ApiResult<(Message, Vec<Notice>)> {
        let customer = self.resolve_customer(&request.customer)?;
        if customer.is_unsubscribed == Some(true) {
            return Err(ApiError::bad_request("customer: is unsubscribed from text messages"));
        }
        if customer.cell_phone_number.is_none() {
            return Err(ApiError::bad_request("customer: has no cell_phone_number"));
        }
        let customer_id = customer.id.clone();
        let documents = request
            .documents
            .iter()
            .map(|id| {
                self.documents
                    .get(&id.to_string())
                    .map(|document| document.document.url.clone())
                    .ok_or_else(|| ApiError::bad_request(format!("documents: no document has the id {id}")))
            })
            .collect::<ApiResult<Vec<String>>>()?;
        let conversation_id = match request.open_conversation {
            Some(true) => Some(self.open_conversation(&customer_id)),
            _ => self.conversations.get(&customer_id).copied(),
        };
        let message = self.new_message(
            customer_id,
            String::from(request.body),
            conversation_id,
            documents,
            Direction::Outgoing,
        );
        let mut notices: Vec<Notice> = self.message_notice(&message, true).into_iter().collect();
        notices.push(Notice::MessageQueued(message.id));
        Ok((message, notices))
    }

    /// A message received from a customer (control endpoint): opens a
    /// conversation, and a keyword changes the subscription.
    pub fn receive_message(&mut self, inbound: InboundMessage) -> ApiResult<(Message, Vec<Notice>)> {
        if inbound.body.chars().count() > 1600 {
            return Err(ApiError::bad_request("body: is longer than 1600 characters"));
        }
        let lookup = match (inbound.customer_id, inbound.from) {
            (Some(id), _) => Lookup::Id(id),
            (None, Some(from)) => Lookup::CellPhoneNumber(from),
            (None, None) => return Err(ApiError::bad_request("give `from` or `customer_id`")),
        };
        let customer_id = self.find_customer(&lookup)?.id.clone();
        let conversation_id = Some(self.open_conversation(&customer_id));
        let message = self.new_message(
            customer_id.clone(),
            inbound.body,
            conversation_id,
            Vec::new(),
            Direction::Incoming,
        );
        let mut notices: Vec<Notice> = self.message_notice(&message, true).into_iter().collect();
        match keyword(&message.body) {
            Some(Keyword::Unsubscribe) => notices.extend(self.set_subscription(&customer_id, true)),
            Some(Keyword::Resubscribe) => notices.extend(self.set_subscription(&customer_id, false)),
            None => {}
        }
        Ok((message, notices))
    }

    /// Moves a message to `status` (with an `error` for `undelivered` and
    /// `failed`); `None` if the message is gone or already there.
    pub fn set_message_status(&mut self, id: i64, status: MessageStatus, error: Option<String>) -> Option<Vec<Notice>> {
        let message = self.messages.get_mut(&id.to_string())?;
        if message.status == status && message.error == error {
            return None;
        }
        message.status = status;
        message.error = error;
        message.updated_at = now();
        let message = message.clone();
        Some(self.message_notice(&message, false).into_iter().collect())
    }

    /// The next automatic status step of a sent message: only if it is still
    /// `from` (a status forced through the control endpoint stops the steps).
    pub fn advance_message(&mut self, id: i64, from: &MessageStatus, to: MessageStatus) -> Option<Vec<Notice>> {
        let current = &self.messages.get(&id.to_string())?.status;
        if current != from {
            return None;
        }
        self.set_message_status(id, to, None)
    }

    /// `GET /messages/{id}`.
    pub fn find_message(&self, id: i64) -> ApiResult<Message> {
        self.messages
            .get(&id.to_string())
            .cloned()
            .ok_or_else(|| ApiError::not_found("message", format!("id {id}")))
    }

    /// `GET /messages`: clones the messages of the page only (the others
    /// that match are counted).
    pub fn list_messages(&self, filter: &MessageFilter, page: PageRequest) -> MessageList {
        let unfiltered =
            filter.created_at_start.is_none() && filter.created_at_end.is_none() && filter.customer_id.is_none();
        let (messages, pagination) = if unfiltered {
            page.select_page_from(self.messages.len(), |first| self.messages.values_from(first))
        } else {
            page.select_page_counting_matches(self.messages.values().filter(|message| {
                filter.created_at_start.is_none_or(|start| message.created_at >= start)
                    && filter.created_at_end.is_none_or(|end| message.created_at <= end)
                    && filter.customer_id.as_ref().is_none_or(|id| &message.customer_id == id)
            }))
        };
        MessageList::new(MessageListRequired {
            messages: messages.into_iter().cloned().collect(),
            pagination,
        })
    }

    fn open_conversation(&mut self, customer_id: &str) -> i64 {
        if let Some(id) = self.conversations.get(customer_id) {
            return *id;
        }
        self.next_conversation_id += 1;
        let id = 23_529_000 + self.next_conversation_id;
        self.conversations.insert(customer_id.to_owned(), id);
        id
    }

    fn new_message(
        &mut self,
        customer_id: String,
        body: String,
        conversation_id: Option<i64>,
        documents: Vec<String>,
        direction: Direction,
    ) -> Message {
        self.next_message_id += 1;
        let created = now();
        let (element_type, direction, status) = match direction {
            Direction::Outgoing => (
                MessageElementType::SentMessage,
                MessageDirection::Outgoing,
                MessageStatus::Queued,
            ),
            Direction::Incoming => (
                MessageElementType::ReceivedMessage,
                MessageDirection::Incoming,
                MessageStatus::Received,
            ),
        };
        let message = Message::new(MessageRequired {
            body,
            conversation_id,
            created_at: created,
            customer_id,
            direction,
            documents,
            element_type,
            error: None,
            id: self.next_message_id,
            status,
            updated_at: created,
            user_sub_user_id: None,
        });
        let Ok(()) = self.messages.insert(message.id.to_string(), message.clone());
        message
    }

    fn message_notice(&self, message: &Message, created: bool) -> Option<Notice> {
        let event = if created {
            WebhookEvent::MessageCreated(message.clone())
        } else {
            WebhookEvent::MessageUpdated(message.clone())
        };
        self.event_notice(&event)
    }
}

enum Direction {
    Outgoing,
    Incoming,
}
