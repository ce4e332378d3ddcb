//! Digests: when each is owed, and what entered a subscriber's set in
//! its period.

use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, SubsecRound, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{Recipient, DIGEST};
use crate::domain::subscription::{next_digest, Frequency};
use crate::domain::{EventType, Placement};
use crate::store::schema::{deliveries, events, subscriptions};
use crate::store::{DbConnection, StoreError, StoreResult};

/// How long before a sweep's instant a digest's period ends: time for a
/// write in progress then, whose event is dated before it, to be committed.
const SETTLE: Duration = Duration::seconds(2);

/// Digests whose time has come, at most `batch`: for each, in one write, a
/// delivery of what entered its set from its last one until just before
/// `now` (the period in the delivery's payload), and the next one's time.
/// The write takes a digest only if its time is still the one read, so
/// instances sweeping at once owe it once.
pub fn schedule_digests(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    digest_time: NaiveTime,
    batch: i64,
) -> StoreResult<usize> {
    let due: Vec<(String, String, Option<NaiveDateTime>, Option<NaiveDateTime>)> =
        subscriptions::table
            .filter(subscriptions::digest_due_at.le(now.naive_utc()))
            .order(subscriptions::digest_due_at)
            .limit(batch)
            .select((
                subscriptions::id,
                subscriptions::frequency,
                subscriptions::digest_since,
                subscriptions::digest_due_at,
            ))
            .load(conn)?;
    // Periods meet at whole seconds, as the instants of events are.
    let until = (now - SETTLE).trunc_subsecs(0);
    let mut scheduled = 0;
    for (id, frequency, since, was_due) in due {
        let frequency: Frequency = frequency
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("subscription {id}: frequency")))?;
        let next = next_digest(frequency, now, digest_time);
        scheduled += conn.transaction(|conn| -> StoreResult<usize> {
            // The write first: SQLite takes its lock at the start.
            let taken = diesel::update(
                subscriptions::table
                    .find(&id)
                    .filter(subscriptions::digest_due_at.eq(was_due)),
            )
            .set((
                subscriptions::digest_due_at.eq(next.map(|at| at.naive_utc())),
                subscriptions::digest_since.eq(next.map(|_| until.naive_utc())),
            ))
            .execute(conn)?;
            if taken == 1 {
                owe_digest(conn, &id, since.map_or(until, |s| s.and_utc()), until)?;
            }
            Ok(taken)
        })?;
    }
    Ok(scheduled)
}

/// A digest of what entered the subscription's set from `since` until
/// `until`, due at once (also the last one of a subscriber who switched to
/// immediate e-mails).
pub fn owe_digest(
    conn: &mut DbConnection,
    subscription: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<()> {
    if since >= until {
        return Ok(());
    }
    let period = Period { since, until };
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::channel.eq(DIGEST),
            deliveries::target.eq(subscription),
            deliveries::due_at.eq(until.naive_utc()),
            deliveries::payload.eq(Some(
                serde_json::to_string(&period).expect("a period serialises"),
            )),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a digest covers: what entered the set from `since` until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// The notices that entered `recipient`'s set within `period`, in the
/// order they did, each once: its events there, read by their instant.
pub fn entered(
    conn: &mut DbConnection,
    recipient: &Recipient,
    period: Period,
) -> StoreResult<Vec<Uuid>> {
    let rows: Vec<(String, String, String)> = events::table
        .filter(events::due_at.ge(period.since.naive_utc()))
        .filter(events::due_at.lt(period.until.naive_utc()))
        .order((events::due_at, events::id))
        .select((events::event_type, events::notice_id, events::affects))
        .load(conn)?;
    let mut entered = Vec::new();
    for (event_type, notice, affects) in rows {
        let corrupt = |what: &str| StoreError::Corrupt(format!("event of {notice}: {what}"));
        let event_type: EventType = event_type.parse().map_err(|_| corrupt("type"))?;
        let affects: Vec<Placement> =
            serde_json::from_str(&affects).map_err(|_| corrupt("affects"))?;
        if recipient.filter.event_type(event_type, &affects) == Some(EventType::Published) {
            let id = Uuid::try_parse(&notice).map_err(|_| corrupt("notice"))?;
            if !entered.contains(&id) {
                entered.push(id);
            }
        }
    }
    Ok(entered)
}
