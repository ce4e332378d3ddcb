//! What `/api/v1/admin/webhooks` answers and takes: webhooks without their
//! secrets, a new secret shown once, deliveries with their attempts.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::time::rfc3339_oslo;
use crate::domain::webhook::Webhook;
use crate::store::webhooks::DeliveryRecord;

/// A webhook, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub description: String,
    /// The event types it is told of; empty: all.
    #[schema(example = json!(["notice.published", "notice.updated", "notice.withdrawn"]))]
    pub events: Vec<String>,
    /// The kinds of notice it is told of; empty: all.
    pub kind: Vec<String>,
    /// The areas it is told of (with every area under them); empty: all.
    pub area: Vec<String>,
    pub enabled: bool,
    /// Why Tavla disabled it, if it did (410 Gone, days of failures).
    pub disabled_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl WebhookView {
    pub fn new(webhook: &Webhook) -> Self {
        Self {
            id: webhook.id.to_string(),
            url: webhook.url.clone(),
            description: webhook.description.clone(),
            events: webhook
                .filter
                .events
                .iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
            kind: webhook
                .filter
                .kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            area: webhook.filter.areas.clone(),
            enabled: webhook.enabled,
            disabled_reason: webhook.disabled_reason.clone(),
            created_at: rfc3339_oslo(webhook.created_at),
            updated_at: rfc3339_oslo(webhook.updated_at),
        }
    }
}

/// What an admin sends to register a webhook (or, as a merge patch, to change one).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct WebhookRequest {
    /// `https://…` (or `http://` with `TAVLA_WEBHOOK_ALLOW_PRIVATE=true`); never a private address without that setting.
    #[schema(example = "https://intranett.example.no/tavla")]
    url: String,
    /// At most 500 characters.
    description: Option<String>,
    /// Any of notice.published, notice.updated, notice.withdrawn; default all.
    events: Option<Vec<String>>,
    /// Any of grant, webinar, news; default all.
    kind: Option<Vec<String>>,
    /// Area slugs; default all.
    area: Option<Vec<String>>,
    /// Default true.
    enabled: Option<bool>,
}

/// A webhook and its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    pub webhook: WebhookView,
    /// `whsec_…`: verifies the `webhook-signature` header (Standard Webhooks).
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookView>,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    /// 1 for the first.
    pub attempt: i32,
    pub at: String,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: Option<i32>,
    /// When it is tried again, if it will be.
    pub next_attempt_at: Option<String>,
}

/// A delivery of one event to the webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// The `webhook-id` the receiver saw: the same on every retry and redelivery.
    pub event_id: String,
    #[schema(example = "notice.updated")]
    pub event_type: String,
    pub notice_id: String,
    /// delivered, failed (given up) or cancelled; null while under way.
    pub outcome: Option<String>,
    /// When it is next tried, while not finished.
    pub next_attempt_at: Option<String>,
    pub attempts: Vec<AttemptView>,
}

impl DeliveryView {
    pub fn new(record: &DeliveryRecord) -> Self {
        Self {
            event_id: record.event_id.to_string(),
            event_type: record.event_type.as_str().to_owned(),
            notice_id: record.notice_id.to_string(),
            outcome: record.outcome.clone(),
            next_attempt_at: record.due_at.map(rfc3339_oslo),
            attempts: record
                .attempts
                .iter()
                .map(|a| AttemptView {
                    attempt: a.number,
                    at: rfc3339_oslo(a.attempted_at),
                    status: a.status,
                    error: a.error.clone(),
                    duration_ms: a.duration_ms,
                    next_attempt_at: a.next_attempt_at.map(rfc3339_oslo),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryPage {
    pub items: Vec<DeliveryView>,
    /// The cursor of the next (older) page; null on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// From a page's `next_cursor`.
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<String>,
}
