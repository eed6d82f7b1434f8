//! Webhooks: the `authentication_key` is returned only at creation; every
//! event is delivered to the webhooks registered when it happens.

use std::sync::Arc;

use kimoby_generated::types::{
    Customer, Webhook, WebhookEvent, WebhookList, WebhookRequired, WebhookWithAuthenticationKey,
    WebhookWithAuthenticationKeyRequired,
};

use super::table::{NoUniqueKey, UniqueKeys};
use super::{Notice, State, new_id, new_secret, now};
use crate::domain::error::{ApiError, ApiResult};

/// A webhook as stored: the model and its signing key.
#[derive(Debug, Clone)]
pub struct WebhookRecord {
    webhook: Webhook,
    key: String,
}

/// Where and how to deliver one event.
#[derive(Clone)]
pub struct WebhookTarget {
    /// The webhook id (to delete it on `410 Gone`).
    pub id: String,
    /// The URL, also the start of the signed data.
    pub url: String,
    /// The signing key.
    pub key: String,
}

impl std::fmt::Debug for WebhookTarget {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("WebhookTarget")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl UniqueKeys for WebhookRecord {
    type Key = NoUniqueKey;

    fn unique_keys(&self) -> Vec<NoUniqueKey> {
        Vec::new()
    }
}

impl State {
    /// `POST /webhooks` (the URL is already checked).
    pub fn create_webhook(&mut self, url: String) -> WebhookWithAuthenticationKey {
        let created = now();
        let record = WebhookRecord {
            webhook: Webhook::new(WebhookRequired {
                created_at: created,
                id: new_id("WH"),
                updated_at: created,
                url,
            }),
            key: new_secret(40),
        };
        let answer = WebhookWithAuthenticationKey::new(WebhookWithAuthenticationKeyRequired {
            authentication_key: record.key.clone(),
            created_at: record.webhook.created_at,
            id: record.webhook.id.clone(),
            updated_at: record.webhook.updated_at,
            url: record.webhook.url.clone(),
        });
        let Ok(()) = self.webhooks.insert(record.webhook.id.clone(), record);
        answer
    }

    /// `GET /webhooks`: every webhook, without keys.
    pub fn list_webhooks(&self) -> WebhookList {
        WebhookList(self.webhooks.values().map(|record| record.webhook.clone()).collect())
    }

    /// `PUT /webhooks/{id}`: only the URL changes.
    pub fn update_webhook(&mut self, id: &str, url: String) -> ApiResult<Webhook> {
        let record = self
            .webhooks
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("webhook", format!("id {id}")))?;
        record.webhook.url = url;
        record.webhook.updated_at = now();
        Ok(record.webhook.clone())
    }

    /// `DELETE /webhooks/{id}`, and what `410 Gone` does.
    pub fn delete_webhook(&mut self, id: &str) -> ApiResult<()> {
        self.webhooks
            .remove(id)
            .map(drop)
            .ok_or_else(|| ApiError::not_found("webhook", format!("id {id}")))
    }

    /// The current URL and key of a webhook, if it still exists.
    pub fn webhook_target(&self, id: &str) -> Option<WebhookTarget> {
        self.webhooks.get(id).map(|record| WebhookTarget {
            id: record.webhook.id.clone(),
            url: record.webhook.url.clone(),
            key: record.key.clone(),
        })
    }

    /// The delivery of `event` to every webhook registered now; `None` when
    /// there is none.
    pub(super) fn event_notice(&self, event: &WebhookEvent) -> Option<Notice> {
        if self.webhooks.is_empty() {
            return None;
        }
        let event_name = match event {
            WebhookEvent::MessageCreated(_) => WebhookEvent::MESSAGE_CREATED,
            WebhookEvent::MessageUpdated(_) => WebhookEvent::MESSAGE_UPDATED,
            WebhookEvent::CustomerUnsubscribed(_) => WebhookEvent::CUSTOMER_UNSUBSCRIBED,
            WebhookEvent::CustomerResubscribed(_) => WebhookEvent::CUSTOMER_RESUBSCRIBED,
            _ => return None,
        };
        let body = serde_json::to_vec(event).ok()?;
        let targets = self
            .webhooks
            .values()
            .filter_map(|record| self.webhook_target(&record.webhook.id))
            .collect();
        Some(Notice::Webhook {
            event_name,
            body: Arc::from(body),
            targets,
        })
    }

    /// `customer_unsubscribed` or `customer_resubscribed` for `customer`.
    pub(super) fn subscription_notice(&self, customer: &Customer) -> Option<Notice> {
        let event = if customer.is_unsubscribed == Some(true) {
            WebhookEvent::CustomerUnsubscribed(customer.clone())
        } else {
            WebhookEvent::CustomerResubscribed(customer.clone())
        };
        self.event_notice(&event)
    }
}
