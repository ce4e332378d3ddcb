//! The `subscriptions` table and the tokens of the links in their e-mails.

use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, SubsecRound, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::schema::{mail_sent, subscription_tokens, subscriptions};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::subscription::{next_digest, Frequency, SubscriptionInput, SubscriptionState};

mod upkeep;

pub use upkeep::{forget_old_tokens, forget_suspended, forget_unconfirmed, stats};

/// At most one confirmation e-mail per address in this time.
pub const CONFIRMATION_PAUSE: Duration = Duration::minutes(10);
/// Unconfirmed subscriptions, and their addresses, are deleted after this.
pub const UNCONFIRMED_KEPT: Duration = Duration::hours(48);
/// Suspended subscriptions, and their addresses, are deleted after this.
pub const SUSPENDED_KEPT: Duration = Duration::days(30);
/// How long the link in an e-mail (manage, unsubscribe) keeps working.
pub const LINKS_KEPT: Duration = Duration::days(180);

/// What a link's token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Manage,
    Unsubscribe,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Manage => "manage",
            Purpose::Unsubscribe => "unsubscribe",
        }
    }
}

/// What the store keeps of a token or an address: its SHA-256, in hex.
pub fn hash(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// The key an address is found by: the hash of its lowercased form.
pub fn email_key(email: &str) -> String {
    hash(&email.to_lowercase())
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("a list of names serialises")
}

/// What a subscribe request came to; the API answers the same whatever it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscribed {
    /// A confirmation e-mail is owed to the subscription.
    Confirm(Uuid),
    /// One went out within the pause, or the address is confirmed already.
    Nothing,
}

/// Stores a subscription as pending (or updates a pending one's wishes);
/// says whether a confirmation e-mail is owed. A confirmed or suspended
/// subscription is not changed by a request anyone could make.
pub fn subscribe(
    conn: &mut DbConnection,
    input: &SubscriptionInput,
    now: DateTime<Utc>,
) -> StoreResult<Subscribed> {
    match subscribe_once(conn, input, now) {
        // Another request stored the same new address between this one's
        // look and its insert (PostgreSQL lets both look): it is known now.
        Err(StoreError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => subscribe_once(conn, input, now),
        other => other,
    }
}

fn subscribe_once(
    conn: &mut DbConnection,
    input: &SubscriptionInput,
    now: DateTime<Utc>,
) -> StoreResult<Subscribed> {
    // Writes first, so that SQLite takes its write lock at the start and
    // never fails to upgrade a read for a writer that came between.
    conn.transaction(|conn| {
        let key = email_key(&input.email);
        // The address as first written is kept: a later request for it
        // (in other letters' case) changes only what it asks for.
        let wishes = (
            subscriptions::kinds.eq(json(
                &input
                    .filter
                    .kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>(),
            )),
            subscriptions::areas.eq(json(&input.filter.areas)),
            subscriptions::area_matches.eq(json(&input.filter.area_matches)),
            subscriptions::language.eq(input.language.as_str()),
            subscriptions::frequency.eq(input.frequency.as_str()),
            subscriptions::reminders.eq(input.reminders),
            subscriptions::updated_at.eq(now.naive_utc()),
        );
        let pending = SubscriptionState::Pending.as_str();
        // Touches the address's row, if it has one: a write, so the lock.
        let known = diesel::update(subscriptions::table.filter(subscriptions::email_key.eq(&key)))
            .set(subscriptions::email_key.eq(&key))
            .execute(conn)?;
        if known == 0 {
            let id = Uuid::new_v4();
            diesel::insert_into(subscriptions::table)
                .values((
                    subscriptions::id.eq(id.to_string()),
                    subscriptions::email.eq(&input.email),
                    subscriptions::email_key.eq(&key),
                    subscriptions::state.eq(pending),
                    subscriptions::created_at.eq(now.naive_utc()),
                    subscriptions::confirmation_sent_at.eq(Some(now.naive_utc())),
                    wishes,
                ))
                .execute(conn)?;
            super::mail::owe_confirmation(conn, id, now)?;
            return Ok(Subscribed::Confirm(id));
        }
        let (id, state, sent_at): (String, String, Option<NaiveDateTime>) = subscriptions::table
            .filter(subscriptions::email_key.eq(&key))
            .select((
                subscriptions::id,
                subscriptions::state,
                subscriptions::confirmation_sent_at,
            ))
            .first(conn)?;
        // Confirmed: nothing for anyone's request to change. Suspended (the
        // relay refused the address): asked again, it is confirmed again.
        if state == SubscriptionState::Confirmed.as_str() {
            return Ok(Subscribed::Nothing);
        }
        diesel::update(subscriptions::table.find(&id))
            .set((
                subscriptions::state.eq(pending),
                // Unconfirmed for 48 hours from now on, as a new one.
                subscriptions::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        diesel::update(subscriptions::table.find(&id))
            .set(wishes)
            .execute(conn)?;
        if sent_at.is_some_and(|at| now.naive_utc() - at < CONFIRMATION_PAUSE) {
            return Ok(Subscribed::Nothing);
        }
        diesel::update(subscriptions::table.find(&id))
            .set(subscriptions::confirmation_sent_at.eq(Some(now.naive_utc())))
            .execute(conn)?;
        let id = Uuid::try_parse(&id)
            .map_err(|_| StoreError::Corrupt(format!("subscription id {id:?}")))?;
        super::mail::owe_confirmation(conn, id, now)?;
        Ok(Subscribed::Confirm(id))
    })
}

/// A new token for a link of `purpose` to the subscription; only its hash is
/// kept. Earlier ones of the same purpose stay valid.
pub fn mint(
    conn: &mut DbConnection,
    subscription: Uuid,
    purpose: Purpose,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::insert_into(subscription_tokens::table)
        .values((
            subscription_tokens::token_hash.eq(hash(token)),
            subscription_tokens::subscription_id.eq(subscription.to_string()),
            subscription_tokens::purpose.eq(purpose.as_str()),
            subscription_tokens::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The subscription a link's token of `purpose` is for.
pub fn by_token(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
) -> StoreResult<Option<Uuid>> {
    let found: Option<String> = subscription_tokens::table
        .find(hash(token))
        .filter(subscription_tokens::purpose.eq(purpose.as_str()))
        .select(subscription_tokens::subscription_id)
        .first(conn)
        .optional()?;
    Ok(found.and_then(|id| Uuid::try_parse(&id).ok()))
}

/// Confirms the subscription a confirmation token is for; its confirmation
/// tokens are spent, and a digest's first is set for `digest_time` (Oslo).
/// `None` for a token that confirms nothing (any more).
pub fn confirm(
    conn: &mut DbConnection,
    token: &str,
    now: DateTime<Utc>,
    digest_time: NaiveTime,
) -> StoreResult<Option<Uuid>> {
    conn.transaction(|conn| {
        // The write first (see `subscribe`): the subscription the token is for.
        let for_token = subscription_tokens::table
            .filter(subscription_tokens::token_hash.eq(hash(token)))
            .filter(subscription_tokens::purpose.eq(Purpose::Confirm.as_str()))
            .select(subscription_tokens::subscription_id);
        let confirmed = diesel::update(
            subscriptions::table
                .filter(subscriptions::id.eq_any(for_token))
                .filter(subscriptions::state.eq(SubscriptionState::Pending.as_str())),
        )
        .set((
            subscriptions::state.eq(SubscriptionState::Confirmed.as_str()),
            subscriptions::confirmed_at.eq(Some(now.naive_utc())),
            subscriptions::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if confirmed == 0 {
            return Ok(None);
        }
        let Some(id) = by_token(conn, token, Purpose::Confirm)? else {
            return Ok(None);
        };
        diesel::delete(
            subscription_tokens::table
                .filter(subscription_tokens::subscription_id.eq(id.to_string()))
                .filter(subscription_tokens::purpose.eq(Purpose::Confirm.as_str())),
        )
        .execute(conn)?;
        let frequency: String = subscriptions::table
            .find(id.to_string())
            .select(subscriptions::frequency)
            .first(conn)?;
        let frequency = frequency
            .parse::<Frequency>()
            .map_err(|_| StoreError::Corrupt(format!("subscription {id}: frequency")))?;
        schedule_digest(conn, id, frequency, now, digest_time)?;
        super::mail::owe_reminders(conn, id, now)?;
        Ok(Some(id))
    })
}

/// Sets when a subscription's next digest goes out (none for immediate
/// ones), listing what enters its set from `now` on.
pub fn schedule_digest(
    conn: &mut DbConnection,
    id: Uuid,
    frequency: Frequency,
    now: DateTime<Utc>,
    digest_time: NaiveTime,
) -> StoreResult<()> {
    let due = next_digest(frequency, now, digest_time);
    // Periods meet at whole seconds, as the instants of events are.
    let now = now.trunc_subsecs(0);
    diesel::update(subscriptions::table.find(id.to_string()))
        .set((
            subscriptions::digest_due_at.eq(due.map(|at| at.naive_utc())),
            subscriptions::digest_since.eq(due.map(|_| now.naive_utc())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Changes what a subscription asks for — kinds, areas, written standard,
/// frequency, reminders — but not its address or state; false if there is
/// no such subscription. A confirmed subscription whose frequency changed
/// has its next digest set: from one digest to the other, the next one
/// moves and what it lists still starts at the last one; to or from
/// `immediate`, as `schedule_digest` sets it.
pub fn update(
    conn: &mut DbConnection,
    id: Uuid,
    input: &SubscriptionInput,
    now: DateTime<Utc>,
    digest_time: NaiveTime,
) -> StoreResult<bool> {
    conn.transaction(|conn| {
        // The write first (see `subscribe`).
        let found = diesel::update(subscriptions::table.find(id.to_string()))
            .set(subscriptions::updated_at.eq(now.naive_utc()))
            .execute(conn)?;
        if found == 0 {
            return Ok(false);
        }
        let (state, before, since): (String, String, Option<NaiveDateTime>) = subscriptions::table
            .find(id.to_string())
            .select((
                subscriptions::state,
                subscriptions::frequency,
                subscriptions::digest_since,
            ))
            .first(conn)?;
        let kinds: Vec<&str> = input.filter.kinds.iter().map(|k| k.as_str()).collect();
        diesel::update(subscriptions::table.find(id.to_string()))
            .set((
                subscriptions::kinds.eq(json(&kinds)),
                subscriptions::areas.eq(json(&input.filter.areas)),
                subscriptions::area_matches.eq(json(&input.filter.area_matches)),
                subscriptions::language.eq(input.language.as_str()),
                subscriptions::frequency.eq(input.frequency.as_str()),
                subscriptions::reminders.eq(input.reminders),
            ))
            .execute(conn)?;
        let before = before
            .parse::<Frequency>()
            .map_err(|_| StoreError::Corrupt(format!("subscription {id}: frequency")))?;
        let after = input.frequency;
        if state != SubscriptionState::Confirmed.as_str() {
            return Ok(true);
        }
        // Grants and webinars that its new choices take in are reminded of.
        super::mail::owe_reminders(conn, id, now)?;
        if before == after {
            return Ok(true);
        }
        let digests = before != Frequency::Immediate && after != Frequency::Immediate;
        if let (Some(since), Frequency::Immediate) = (since, after) {
            // What the last digest would have listed goes out now.
            let until = now.trunc_subsecs(0);
            super::mail::owe_digest(conn, &id.to_string(), since.and_utc(), until)?;
        }
        match since {
            Some(_) if digests => {
                let due = next_digest(after, now, digest_time);
                diesel::update(subscriptions::table.find(id.to_string()))
                    .set(subscriptions::digest_due_at.eq(due.map(|at| at.naive_utc())))
                    .execute(conn)?;
            }
            _ => schedule_digest(conn, id, after, now, digest_time)?,
        }
        Ok(true)
    })
}

/// Deletes a subscription, its address, its tokens and the record of what
/// it was sent (deliveries still owed to it find nothing to send).
pub fn delete(conn: &mut DbConnection, id: Uuid) -> StoreResult<bool> {
    conn.transaction(|conn| {
        diesel::delete(mail_sent::table.filter(mail_sent::subscription_id.eq(id.to_string())))
            .execute(conn)?;
        diesel::delete(
            subscription_tokens::table
                .filter(subscription_tokens::subscription_id.eq(id.to_string())),
        )
        .execute(conn)?;
        Ok(diesel::delete(subscriptions::table.find(id.to_string())).execute(conn)? == 1)
    })
}
