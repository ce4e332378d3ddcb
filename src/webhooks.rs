//! Webhooks: a channel of the outbox that POSTs each event to the webhooks
//! whose filters take it in, signed per Standard Webhooks, with a timeout,
//! no redirects, and (unless allowed) never to a private address.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::app::outbox::{event_of, Channel, Delivering, Failure};
use crate::app::Clock;
use crate::domain::delivery::{DisabledReason, Unanswered};
use crate::domain::webhook::sign;
use crate::domain::EventType;
use crate::http::views::NoticeView;
use crate::outbound::{literal_private, PublicOnly};
use crate::store::outbox::{Claimed, Fanout};
use crate::store::webhooks::{self, CHANNEL};
use crate::store::{notices, Store};

/// How long one attempt may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a receiver's answer is read (for the deliveries list).
const ANSWER_CAP: usize = 1024;
/// A webhook whose every attempt failed this long is disabled.
const FAILING_FOR: chrono::Duration = chrono::Duration::days(5);
/// The waits before each retry: within seconds, then growing, more than a
/// day in all (Standard Webhooks' own schedule).
const RETRIES: [chrono::Duration; 7] = [
    chrono::Duration::seconds(5),
    chrono::Duration::minutes(5),
    chrono::Duration::minutes(30),
    chrono::Duration::hours(2),
    chrono::Duration::hours(5),
    chrono::Duration::hours(10),
    chrono::Duration::hours(10),
];

/// The wait before the retry of a delivery that failed on its
/// `attempts`-th try, up to a tenth longer at random, so that receivers
/// coming back after an outage are not met by every retry at once; `None`
/// when it has had every try.
fn retry_wait(attempts: i32) -> Option<chrono::Duration> {
    let wait = RETRIES.get(usize::try_from(attempts).ok()?.checked_sub(1)?)?;
    let mut bytes = [0u8; 2];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    let fraction = f64::from(u16::from_le_bytes(bytes)) / f64::from(u16::MAX) / 10.0;
    let extra = (wait.num_milliseconds() as f64 * fraction) as i64;
    Some(*wait + chrono::Duration::milliseconds(extra))
}

pub struct Webhooks {
    store: Store,
    clock: Clock,
    base_url: String,
    client: reqwest::Client,
    allow_private: bool,
}

impl Webhooks {
    pub fn new(store: Store, clock: Clock, base_url: String, allow_private: bool) -> Self {
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would resolve receivers' names
            // itself, past the check of their addresses.
            .no_proxy()
            .user_agent(concat!(
                "Tavla/",
                env!("CARGO_PKG_VERSION"),
                " (webhooks; Standard Webhooks)"
            ));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Self {
            store,
            clock,
            base_url,
            client: builder.build().expect("a default HTTP client builds"),
            allow_private,
        }
    }

    /// The body of a delivery: the type the webhook is told, when the event
    /// happened, and the public notice (its id and slug for a withdrawal).
    async fn body(&self, claimed: &Claimed, told_as: EventType) -> Result<Vec<u8>, Failure> {
        let event = event_of(claimed)?;
        let id = event.notice_id;
        let now = self.clock.now();
        let notice = self
            .store
            .run(move |conn| notices::find(conn, &id.to_string()))
            .await
            .map_err(|e| Failure::retry(None, Unanswered::NoticeUnread.recorded(&e.to_string())))?;
        // A notice that is not public now (a draft again, rescheduled,
        // withdrawn since the event) is told by its id and slug only, never
        // by content the public may not see; its later event follows.
        let data = match (told_as, notice) {
            (EventType::Withdrawn, Some(n)) => json!({"id": n.id, "slug": n.slug}),
            (_, Some(n)) if !n.is_public(now) => json!({"id": n.id, "slug": n.slug}),
            (_, Some(n)) => json!(NoticeView::new(&n, now, &self.base_url)),
            (_, None) => json!({"id": id}),
        };
        let body = json!({
            "type": told_as.as_str(),
            "timestamp": event.due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": data,
        });
        Ok(serde_json::to_vec(&body).expect("JSON serialises"))
    }

    async fn attempt(&self, claimed: &Claimed) -> Result<Option<i32>, Failure> {
        let gone = |why: Unanswered| Failure {
            status: None,
            error: why.recorded(""),
            give_up: true,
        };
        let id = Uuid::try_parse(&claimed.target).map_err(|_| gone(Unanswered::Deleted))?;
        let found = self
            .store
            .run(move |conn| webhooks::find(conn, id))
            .await
            .map_err(|e| {
                Failure::retry(None, Unanswered::WebhookUnread.recorded(&e.to_string()))
            })?;
        let Some((webhook, secrets)) = found else {
            return Err(gone(Unanswered::Deleted));
        };
        if !webhook.enabled {
            return Err(gone(Unanswered::Disabled));
        }
        if !self.allow_private && literal_private(&webhook.url) {
            return Err(gone(Unanswered::PrivateAddress));
        }
        let event = event_of(claimed)?;
        let told_as = claimed.told_as.unwrap_or(event.event_type);
        let body = self.body(claimed, told_as).await?;
        let now = self.clock.now();
        let message_id = event.id.to_string();
        let timestamp = now.timestamp();
        let signatures: Vec<String> = secrets
            .signing(now)
            .into_iter()
            .map(|secret| sign(secret, &message_id, timestamp, &body))
            .collect();
        let sent = self
            .client
            .post(&webhook.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signatures.join(" "))
            .body(body)
            .send()
            .await;
        let outcome = match sent {
            Ok(mut response) => {
                let status = response.status();
                let answer = read_capped(&mut response).await;
                if status.is_success() {
                    Ok(Some(i32::from(status.as_u16())))
                } else if status == reqwest::StatusCode::GONE {
                    let reason = DisabledReason::Gone.to_string();
                    self.disable(id, reason.clone(), claimed.id).await;
                    return Err(Failure {
                        status: Some(410),
                        error: reason,
                        give_up: true,
                    });
                } else {
                    Err(Failure::retry(
                        Some(i32::from(status.as_u16())),
                        format!("the receiver answered {status}: {answer}"),
                    ))
                }
            }
            Err(e) => Err(Failure::retry(None, describe(&e))),
        };
        self.note(id, claimed.id, outcome).await
    }

    /// Keeps the webhook's failing streak; one failing for days is disabled.
    async fn note(
        &self,
        id: Uuid,
        attempted: i64,
        outcome: Result<Option<i32>, Failure>,
    ) -> Result<Option<i32>, Failure> {
        let (succeeded, now) = (outcome.is_ok(), self.clock.now());
        let since = self
            .store
            .run(move |conn| webhooks::note_attempt(conn, id, succeeded, now))
            .await;
        match (outcome, since) {
            (Err(failure), Ok(Some(since))) if now - since >= FAILING_FOR => {
                let reason = DisabledReason::FailingSince(since).to_string();
                self.disable(id, reason, attempted).await;
                Err(Failure {
                    give_up: true,
                    ..failure
                })
            }
            (outcome, Err(e)) => {
                tracing::warn!(error = %e, webhook = %id, "a webhook's failing streak was not recorded");
                outcome
            }
            (outcome, Ok(_)) => outcome,
        }
    }

    async fn disable(&self, id: Uuid, reason: String, attempted: i64) {
        let now = self.clock.now();
        tracing::warn!(webhook = %id, reason, "a webhook is disabled");
        if let Err(e) = self
            .store
            .run(move |conn| webhooks::disable(conn, id, &reason, attempted, now))
            .await
        {
            tracing::error!(error = %e, webhook = %id, "a webhook could not be disabled");
        }
    }
}

/// Up to `ANSWER_CAP` bytes of the receiver's answer, as text.
async fn read_capped(response: &mut reqwest::Response) -> String {
    let mut read = Vec::new();
    while read.len() < ANSWER_CAP {
        match response.chunk().await {
            Ok(Some(chunk)) => read.extend_from_slice(&chunk),
            _ => break,
        }
    }
    read.truncate(ANSWER_CAP);
    let text = String::from_utf8_lossy(&read);
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// A failed request, said without the URL's query (it may hold a key).
fn describe(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        Unanswered::Timeout
    } else if error.is_connect() {
        Unanswered::NoConnection
    } else if error.is_redirect() {
        Unanswered::Redirect
    } else {
        Unanswered::RequestFailed
    };
    let mut source = std::error::Error::source(error);
    let mut detail = String::new();
    while let Some(inner) = source {
        detail = inner.to_string();
        source = inner.source();
    }
    what.recorded(&detail)
}

impl Channel for Webhooks {
    fn names(&self) -> &'static [&'static str] {
        &[CHANNEL]
    }

    /// None here: a webhook's deliveries are made in the write itself, for
    /// the webhooks whose filters take the event in.
    fn fanout(&self) -> Vec<Fanout> {
        Vec::new()
    }

    fn handles(&self, channel: &str, _target: &str) -> bool {
        channel == CHANNEL
    }

    fn deliver<'a>(&'a self, claimed: &'a Claimed) -> Delivering<'a> {
        Box::pin(self.attempt(claimed))
    }

    fn retry_at(&self, attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        retry_wait(attempts).map(|wait| now + wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_start_within_ten_seconds_and_go_on_for_more_than_a_day() {
        assert!(retry_wait(1).unwrap() <= chrono::Duration::seconds(10));
        let total: chrono::Duration = (1..).map_while(retry_wait).sum();
        assert!(total >= chrono::Duration::hours(24), "{total}");
        assert_eq!(
            retry_wait(RETRIES.len() as i32 + 1),
            None,
            "then it is given up"
        );
        assert_eq!(retry_wait(0), None);
    }
}
