//! An event spread over the subscribers it concerns: immediate e-mails,
//! reminders and the word of a cancelled webinar, owed in the transaction
//! that finishes the fan-out.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{recipient_of, RecipientRow, CANCELLED, NOTICE, REMINDER};
use crate::domain::subscription::{reminder_due, Frequency, SubscriptionState};
use crate::domain::{Details, EventType, Kind, Placement};
use crate::store::outbox::{self, Claimed};
use crate::store::schema::{deliveries, notices, subscriptions};
use crate::store::{DbConnection, StoreResult};

/// Subscriptions read at a time when an event is spread over them.
const PAGE: i64 = 500;

/// Spreads the event of a fan-out that `claimed` holds over the confirmed
/// subscribers it concerns, read a page at a time, in the transaction that
/// finishes the fan-out (a crash spreads it again whole or not at all):
/// - a notice that entered an immediate subscriber's set is owed an e-mail
///   once `delay` has passed since it did;
/// - a subscriber who wants reminders is owed one of a grant or webinar in
///   their set (replacing one owed before, whose time may have moved);
/// - a webinar cancelled after a subscriber's reminder is owed a word of it
///   (sent only if the reminder was);
///
/// each no sooner than the grace period after the event.
///
/// Daily and weekly subscribers read the events themselves at digest time.
/// False if the claim was lost.
pub fn expand(
    conn: &mut DbConnection,
    claimed: &Claimed,
    delay: Duration,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let event = claimed.notice_event()?;
    conn.transaction(|conn| {
        if !outbox::finish(conn, claimed, now)? {
            return Ok(false);
        }
        let notice = crate::store::notices::find(conn, &event.notice_id.to_string())?;
        let reminder = notice.as_ref().and_then(|n| reminder_due(n, now));
        let cancelled = notice.as_ref().is_some_and(|n| {
            matches!(&n.details, Details::Webinar(w) if w.cancelled) && n.is_public(now)
        });
        // Every e-mail of the event waits out the grace period: a mistake
        // corrected (or withdrawn) within it is not mailed.
        let grace = event.due_at.max(now - delay) + delay;
        let owed = Owed {
            row: claimed.event_row,
            notice: event.notice_id,
        };
        let mut after = String::new();
        loop {
            let page: Vec<RecipientRow> = subscriptions::table
                .filter(subscriptions::state.eq(SubscriptionState::Confirmed.as_str()))
                .filter(subscriptions::id.gt(&after))
                .order(subscriptions::id)
                .limit(PAGE)
                .select(recipient_columns!())
                .load(conn)?;
            let Some(last) = page.last() else {
                break;
            };
            after = last.0.clone();
            for recipient in page.into_iter().map(recipient_of) {
                let recipient = recipient?;
                let told = recipient
                    .filter
                    .event_type(event.event_type, &event.affects);
                if told == Some(EventType::Published) && recipient.frequency == Frequency::Immediate
                {
                    owed.insert(conn, NOTICE, recipient.id, grace, "mail")?;
                }
                if !recipient.reminders {
                    continue;
                }
                match (told, reminder) {
                    (Some(EventType::Published | EventType::Updated), Some(due)) => {
                        owed.supersede(conn, recipient.id, now)?;
                        owed.insert(conn, REMINDER, recipient.id, due.max(grace), "reminder")?;
                    }
                    (Some(_), _) => owed.supersede(conn, recipient.id, now)?,
                    (None, _) => {}
                }
                if cancelled && told == Some(EventType::Updated) {
                    owed.insert(conn, CANCELLED, recipient.id, grace, "reminder")?;
                }
            }
        }
        Ok(true)
    })
}

/// The e-mails an event owes, each queued behind any other of its kind for
/// the same address and notice, so that what was sent is known before the
/// next one is made.
struct Owed {
    row: Option<i64>,
    notice: Uuid,
}

impl Owed {
    fn queue(&self, kind: &str, subscription: Uuid) -> String {
        format!("{kind}/{subscription}/{}", self.notice)
    }

    fn insert(
        &self,
        conn: &mut DbConnection,
        channel: &str,
        subscription: Uuid,
        due: DateTime<Utc>,
        kind: &str,
    ) -> StoreResult<()> {
        diesel::insert_into(deliveries::table)
            .values((
                deliveries::event_id.eq(self.row),
                deliveries::channel.eq(channel),
                deliveries::target.eq(subscription.to_string()),
                deliveries::due_at.eq(due.naive_utc()),
                deliveries::queue.eq(Some(self.queue(kind, subscription))),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// A reminder still to come for the notice is superseded: the notice
    /// changed, and its new time (if any) is owed instead.
    fn supersede(
        &self,
        conn: &mut DbConnection,
        subscription: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        diesel::update(
            deliveries::table
                .filter(deliveries::queue.eq(self.queue("reminder", subscription)))
                .filter(deliveries::channel.eq(REMINDER))
                .filter(deliveries::finished_at.is_null()),
        )
        .set((
            deliveries::finished_at.eq(Some(now.naive_utc())),
            deliveries::outcome.eq(Some("cancelled")),
        ))
        .execute(conn)?;
        Ok(())
    }
}

/// What an event-less reminder is about (the delivery's payload).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Regarding {
    pub notice: Uuid,
}

/// A subscription just confirmed, or changed: a reminder of each open grant
/// and coming webinar now in its set, as their events would have owed one
/// had it been there (one sent before is not sent again). Read through the
/// deadline and start indexes: only notices still ahead.
pub fn owe_reminders(
    conn: &mut DbConnection,
    subscription: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let Some(recipient) = super::recipient(conn, subscription)? else {
        return Ok(0);
    };
    if !recipient.reminders || recipient.state != SubscriptionState::Confirmed {
        return Ok(0);
    }
    let ahead = crate::store::with_custom_plans(conn, |conn| {
        let mut ahead: Vec<String> = notices::table
            .filter(notices::kind.eq(Kind::Grant.as_str()))
            .filter(notices::deadline.gt(now.naive_utc()))
            .select(notices::id)
            .load(conn)?;
        ahead.extend(
            notices::table
                .filter(notices::kind.eq(Kind::Webinar.as_str()))
                .filter(notices::starts_at.gt(now.naive_utc()))
                .select(notices::id)
                .load::<String>(conn)?,
        );
        Ok(ahead)
    })?;
    let mut owed = 0;
    for id in ahead {
        let Some(notice) = crate::store::notices::find(conn, &id)? else {
            continue;
        };
        let Some(due) = reminder_due(&notice, now) else {
            continue;
        };
        if !notice.is_public(now) || !recipient.filter.takes(&Placement::of(&notice)) {
            continue;
        }
        let about = Owed {
            row: None,
            notice: notice.id,
        };
        about.supersede(conn, subscription, now)?;
        diesel::insert_into(deliveries::table)
            .values((
                deliveries::channel.eq(REMINDER),
                deliveries::target.eq(subscription.to_string()),
                deliveries::due_at.eq(due.naive_utc()),
                deliveries::queue.eq(Some(about.queue("reminder", subscription))),
                deliveries::payload.eq(Some(
                    serde_json::to_string(&Regarding { notice: notice.id }).expect("serialises"),
                )),
            ))
            .execute(conn)?;
        owed += 1;
    }
    Ok(owed)
}
