//! E-mail in the outbox: the deliveries owed to subscribers, what each
//! subscriber has been sent, and the subscriber a message is written to.
//! An event is spread over the subscribers it concerns in `fanout`;
//! digests are scheduled and filled in `digests`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{deliveries, mail_sent, subscriptions};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::subscription::{Frequency, MailLanguage, SubscriptionState};
use crate::domain::webhook::Filter;
use crate::domain::Kind;

/// A confirmation e-mail owed to a pending subscription (no event).
pub const CONFIRM: &str = "mail-confirm";
/// An event's e-mail, to be spread over the subscribers it concerns.
pub const FANOUT: &str = "mail-fanout";
/// One notice that entered an immediate subscriber's set.
pub const NOTICE: &str = "mail-notice";
/// What entered a daily or weekly subscriber's set in a period.
pub const DIGEST: &str = "mail-digest";
/// A grant's deadline or a webinar's start is near.
pub const REMINDER: &str = "mail-reminder";
/// A webinar the subscriber was reminded of is cancelled.
pub const CANCELLED: &str = "mail-cancelled";

/// Kinds of message that are sent at most once per notice and address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Notice,
    Digest,
    Reminder,
    Cancelled,
}

impl Sent {
    fn as_str(self) -> &'static str {
        match self {
            Sent::Notice => "notice",
            Sent::Digest => "digest",
            Sent::Reminder => "reminder",
            Sent::Cancelled => "cancelled",
        }
    }
}

/// A subscriber as a message is written to them.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub id: Uuid,
    pub email: String,
    pub state: SubscriptionState,
    pub language: MailLanguage,
    pub frequency: Frequency,
    pub reminders: bool,
    pub filter: Filter,
}

type RecipientRow = (
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    String,
    String,
);

fn recipient_of(row: RecipientRow) -> StoreResult<Recipient> {
    let (id, email, state, language, frequency, reminders, kinds, areas, area_matches) = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("subscription {id}: {what}"));
    let names = |json: &str| -> StoreResult<Vec<String>> {
        serde_json::from_str(json).map_err(|_| corrupt("filters"))
    };
    Ok(Recipient {
        id: Uuid::try_parse(&id).map_err(|_| corrupt("id"))?,
        email,
        state: state.parse().map_err(|_| corrupt("state"))?,
        language: language.parse().map_err(|_| corrupt("language"))?,
        frequency: frequency.parse().map_err(|_| corrupt("frequency"))?,
        reminders,
        filter: Filter {
            events: Vec::new(),
            kinds: names(&kinds)?
                .iter()
                .map(|k| k.parse::<Kind>().map_err(|_| corrupt("kinds")))
                .collect::<StoreResult<_>>()?,
            areas: names(&areas)?,
            area_matches: names(&area_matches)?,
        },
    })
}

macro_rules! recipient_columns {
    () => {
        (
            subscriptions::id,
            subscriptions::email,
            subscriptions::state,
            subscriptions::language,
            subscriptions::frequency,
            subscriptions::reminders,
            subscriptions::kinds,
            subscriptions::areas,
            subscriptions::area_matches,
        )
    };
}

// After the macro, which they use.
mod digests;
mod fanout;

pub use digests::{entered, owe_digest, schedule_digests, Period};
pub use fanout::{expand, owe_reminders, Regarding};

/// The subscription a delivery is for, if it still exists.
pub fn recipient(conn: &mut DbConnection, id: Uuid) -> StoreResult<Option<Recipient>> {
    subscriptions::table
        .find(id.to_string())
        .select(recipient_columns!())
        .first::<RecipientRow>(conn)
        .optional()?
        .map(recipient_of)
        .transpose()
}

/// Within a subscribe: the confirmation e-mail it owes, due at once.
pub fn owe_confirmation(
    conn: &mut DbConnection,
    subscription: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::channel.eq(CONFIRM),
            deliveries::target.eq(subscription.to_string()),
            deliveries::due_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the subscriber was sent a message of `kind` about `subject`.
pub fn was_sent(
    conn: &mut DbConnection,
    subscription: Uuid,
    kind: Sent,
    subject: &str,
) -> StoreResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(mail_sent::table.find((
        subscription.to_string(),
        kind.as_str(),
        subject,
    ))))
    .get_result(conn)?)
}

/// Records that the subscriber was sent a message of `kind` about `subject`.
pub fn mark_sent(
    conn: &mut DbConnection,
    subscription: Uuid,
    kind: Sent,
    subject: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if was_sent(conn, subscription, kind, subject)? {
        return Ok(());
    }
    diesel::insert_into(mail_sent::table)
        .values((
            mail_sent::subscription_id.eq(subscription.to_string()),
            mail_sent::kind.eq(kind.as_str()),
            mail_sent::subject.eq(subject),
            mail_sent::sent_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The relay refused the address for good: nothing more is sent to it
/// until its owner subscribes again.
pub fn suspend(conn: &mut DbConnection, subscription: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(subscriptions::table.find(subscription.to_string()))
        .set((
            subscriptions::state.eq(SubscriptionState::Suspended.as_str()),
            subscriptions::updated_at.eq(now.naive_utc()),
            subscriptions::digest_due_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}
