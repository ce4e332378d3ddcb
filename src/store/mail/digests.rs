//! Digests: when each is owed, and what entered a subscriber's set in
//! its period.

use chrono::{DateTime, NaiveDateTime, NaiveTime, SubsecRound, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{Recipient, DIGEST};
use crate::domain::subscription::{next_digest, Frequency};
use crate::domain::{EventType, Placement};
use crate::store::schema::{deliveries, events, subscriptions};
use crate::store::{DbConnection, StoreError, StoreResult};

/// Digests whose time has come, at most `batch`: for each, in one write, a
/// delivery of what entered its set from its last one until `now` (the
/// period in the delivery's payload), and the next one's time.
pub fn schedule_digests(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    digest_time: NaiveTime,
    batch: i64,
) -> StoreResult<usize> {
    conn.transaction(|conn| {
        let due: Vec<(String, String, Option<NaiveDateTime>)> = subscriptions::table
            .filter(subscriptions::digest_due_at.le(now.naive_utc()))
            .order(subscriptions::digest_due_at)
            .limit(batch)
            .select((
                subscriptions::id,
                subscriptions::frequency,
                subscriptions::digest_since,
            ))
            .load(conn)?;
        let scheduled = due.len();
        // Periods meet at whole seconds, as the instants of events are.
        let now = now.trunc_subsecs(0);
        for (id, frequency, since) in due {
            let frequency: Frequency = frequency
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("subscription {id}: frequency")))?;
            let period = Period {
                since: since.map_or(now, |s| s.and_utc()),
                until: now,
            };
            diesel::insert_into(deliveries::table)
                .values((
                    deliveries::channel.eq(DIGEST),
                    deliveries::target.eq(&id),
                    deliveries::due_at.eq(now.naive_utc()),
                    deliveries::payload.eq(Some(
                        serde_json::to_string(&period).expect("a period serialises"),
                    )),
                ))
                .execute(conn)?;
            let next = next_digest(frequency, now, digest_time);
            diesel::update(subscriptions::table.find(&id))
                .set((
                    subscriptions::digest_due_at.eq(next.map(|at| at.naive_utc())),
                    subscriptions::digest_since.eq(next.map(|_| now.naive_utc())),
                ))
                .execute(conn)?;
        }
        Ok(scheduled)
    })
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
