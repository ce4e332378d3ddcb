//! Webhooks and their deliveries as the pages show them: every word in the
//! editor's written standard, every time in Norwegian time.

use chrono::{DateTime, Utc};

use crate::domain::delivery::{DisabledReason, Unanswered};
use crate::domain::time::{norwegian_date_time, norwegian_date_time_seconds, rfc3339_oslo};
use crate::domain::webhook::Webhook;
use crate::domain::{EventType, Taxonomy};
use crate::i18n::Lang;
use crate::store::webhooks::{AttemptRecord, DeliveryRecord};

/// A webhook's page.
pub fn page_url(webhook: &Webhook) -> String {
    format!("/admin/webhooker/{}", webhook.id)
}

/// An instant, as read (`text`) and for `<time datetime>` (`iso`).
pub struct When {
    pub text: String,
    pub iso: String,
}

impl When {
    fn minute(at: DateTime<Utc>) -> Self {
        Self {
            text: norwegian_date_time(at),
            iso: rfc3339_oslo(at),
        }
    }

    /// To the second: attempts a few seconds apart are told apart.
    fn second(at: DateTime<Utc>) -> Self {
        Self {
            text: norwegian_date_time_seconds(at),
            iso: rfc3339_oslo(at),
        }
    }
}

pub struct WebhookShown {
    pub page_url: String,
    pub url: String,
    /// «(ingen)» when it has none.
    pub description: String,
    pub events: String,
    pub kinds: String,
    pub areas: String,
    pub enabled: bool,
    /// Enabled, disabled, or disabled by Tavla and why.
    pub state: String,
    pub created: When,
    pub updated: When,
}

/// An event type's name: «Publisert».
pub fn event_name(lang: Lang, event: EventType) -> String {
    lang.t(match event {
        EventType::Published => "webhook-event-published",
        EventType::Updated => "webhook-event-updated",
        EventType::Withdrawn => "webhook-event-withdrawn",
    })
}

/// The names of a filter's choices, or «alle» when it has none.
fn chosen(lang: Lang, names: Vec<String>) -> String {
    match names.is_empty() {
        true => lang.t("webhook-filter-all"),
        false => names.join(", "),
    }
}

impl WebhookShown {
    pub fn new(webhook: &Webhook, taxonomy: &Taxonomy, lang: Lang) -> Self {
        let filter = &webhook.filter;
        let state = match (webhook.enabled, &webhook.disabled_reason) {
            (true, _) => lang.t("webhook-enabled"),
            (false, None) => lang.t("webhook-disabled"),
            (false, Some(reason)) => {
                let why = match DisabledReason::of(reason) {
                    Some(DisabledReason::Gone) => lang.t("webhook-disabled-gone"),
                    Some(DisabledReason::FailingSince(since)) => lang.t_with(
                        "webhook-disabled-failing",
                        &[("since", norwegian_date_time(since))],
                    ),
                    None => lang.t("webhook-disabled-failures"),
                };
                lang.t_with("webhook-disabled-by-tavla", &[("why", why)])
            }
        };
        Self {
            page_url: page_url(webhook),
            url: webhook.url.clone(),
            description: match webhook.description.is_empty() {
                true => lang.t("webhook-no-description"),
                false => webhook.description.clone(),
            },
            events: chosen(
                lang,
                filter.events.iter().map(|e| event_name(lang, *e)).collect(),
            ),
            kinds: chosen(lang, filter.kinds.iter().map(|k| lang.kind(*k)).collect()),
            areas: chosen(
                lang,
                filter
                    .areas
                    .iter()
                    .map(|slug| taxonomy.get(slug).map_or(slug.clone(), |a| a.name.clone()))
                    .collect(),
            ),
            enabled: webhook.enabled,
            state,
            created: When::minute(webhook.created_at),
            updated: When::minute(webhook.updated_at),
        }
    }
}

pub struct AttemptShown {
    pub number: i32,
    pub at: When,
    /// The receiver's HTTP status, or why there was no answer.
    pub result: String,
    pub duration: String,
    pub next: Option<When>,
}

impl AttemptShown {
    fn new(attempt: &AttemptRecord, lang: Lang) -> Self {
        let result = match (attempt.status, attempt.error.as_deref()) {
            (Some(status), _) => {
                lang.t_with("webhook-attempt-status", &[("status", status.to_string())])
            }
            (None, error) => lang.t(match error.and_then(Unanswered::of) {
                Some(Unanswered::Timeout) => "webhook-attempt-timeout",
                Some(Unanswered::NoConnection) => "webhook-attempt-no-connection",
                Some(Unanswered::Redirect) => "webhook-attempt-redirect",
                Some(Unanswered::Deleted) => "webhook-attempt-deleted",
                Some(Unanswered::Disabled) => "webhook-attempt-disabled",
                Some(Unanswered::PrivateAddress) => "webhook-attempt-private",
                Some(Unanswered::NoticeUnread | Unanswered::WebhookUnread) => {
                    "webhook-attempt-tavla"
                }
                Some(Unanswered::RequestFailed) | None => "webhook-attempt-failed",
            }),
        };
        Self {
            number: attempt.number,
            at: When::second(attempt.attempted_at),
            result,
            duration: attempt
                .duration_ms
                .map(|ms| lang.t_with("webhook-attempt-ms", &[("ms", ms.to_string())]))
                .unwrap_or_default(),
            next: attempt.next_attempt_at.map(When::second),
        }
    }
}

pub struct DeliveryShown {
    /// Its place in the list, for the ids of its heading.
    pub id: i64,
    pub event_id: String,
    pub event_type: &'static str,
    pub event_name: String,
    pub outcome: String,
    pub notice_url: String,
    /// When it is tried next, while under way.
    pub next: Option<When>,
    pub attempts: Vec<AttemptShown>,
    /// Where «send again» posts.
    pub redeliver_url: String,
}

impl DeliveryShown {
    pub fn new(record: &DeliveryRecord, page_url: &str, lang: Lang) -> Self {
        let outcome = lang.t(match record.outcome.as_deref() {
            None => "webhook-delivery-pending",
            Some("delivered") => "webhook-delivery-delivered",
            Some("cancelled") => "webhook-delivery-cancelled",
            Some(_) => "webhook-delivery-failed",
        });
        Self {
            id: record.id,
            event_id: record.event_id.to_string(),
            event_type: record.event_type.as_str(),
            event_name: event_name(lang, record.event_type),
            outcome,
            notice_url: format!("/admin/kunngjoringer/{}", record.notice_id),
            next: record.due_at.map(When::second),
            attempts: record
                .attempts
                .iter()
                .map(|a| AttemptShown::new(a, lang))
                .collect(),
            redeliver_url: format!("{page_url}/hendelser/{}/send-igjen", record.event_id),
        }
    }
}
