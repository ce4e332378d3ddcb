//! The durable outbox: events stored with the write that caused them, and
//! their deliveries, claimed by workers in any instance, each attempt kept.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{deliveries, delivery_attempts, events, notices};
use super::{DbConnection, StoreResult};
use crate::domain::Event;
use crate::metrics::ChannelBacklog;

mod claim;

pub use claim::{claim, Claimed};

/// The channel that makes a scheduled notice go live at its instant; it
/// hands the event on to the other channels then.
pub const GO_LIVE: &str = "go-live";

/// A channel an event is delivered on, and when after the event it is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fanout {
    pub channel: String,
    /// Where the channel sends it (the hub's URL).
    pub target: String,
    /// After the event's instant: time for every instance to see the write.
    pub delay: Duration,
}

/// Within a write: stores `events` and their deliveries. An event due later
/// (a scheduled notice) waits for its go-live; the rest fan out at once.
pub fn record(
    conn: &mut DbConnection,
    events: &[Event],
    fanout: &[Fanout],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for event in events {
        let id: i64 = diesel::insert_into(events::table)
            .values((
                events::event_id.eq(event.id.to_string()),
                events::event_type.eq(event.event_type.as_str()),
                events::notice_id.eq(event.notice_id.to_string()),
                events::revision.eq(event.revision),
                events::affects.eq(serde_json::to_string(&event.affects).expect("serialises")),
                events::due_at.eq(event.due_at.naive_utc()),
                events::created_at.eq(now.naive_utc()),
            ))
            .returning(events::id)
            .get_result(conn)?;
        if event.due_at > now {
            schedule(conn, id, GO_LIVE, "", event.due_at)?;
        } else {
            fan_out(conn, id, event, event.due_at, fanout)?;
        }
    }
    Ok(())
}

/// The deliveries of an event that has happened: one per channel target,
/// and one per webhook whose filters take it in.
fn fan_out(
    conn: &mut DbConnection,
    row: i64,
    event: &Event,
    at: DateTime<Utc>,
    fanout: &[Fanout],
) -> StoreResult<()> {
    for out in fanout {
        schedule(conn, row, &out.channel, &out.target, at + out.delay)?;
    }
    super::webhooks::fan_out(conn, row, event, at)
}

fn schedule(
    conn: &mut DbConnection,
    event: i64,
    channel: &str,
    target: &str,
    due: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::event_id.eq(event),
            deliveries::channel.eq(channel),
            deliveries::target.eq(target),
            deliveries::due_at.eq(due.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Within a write to a notice: its go-live still ahead is superseded (the
/// write records a new one if the notice is still scheduled).
pub fn cancel_scheduled(
    conn: &mut DbConnection,
    notice_id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let of_notice = events::table
        .filter(events::notice_id.eq(notice_id.to_string()))
        .select(events::id.nullable());
    Ok(diesel::update(
        deliveries::table
            .filter(deliveries::event_id.eq_any(of_notice))
            .filter(deliveries::channel.eq(GO_LIVE))
            .filter(deliveries::finished_at.is_null()),
    )
    .set((
        deliveries::finished_at.eq(Some(now.naive_utc())),
        deliveries::outcome.eq(Some("cancelled")),
    ))
    .execute(conn)?)
}

/// Gives back deliveries this worker claimed but will not make now (it has
/// as many under way to their target as it allows): due again at `now`,
/// their attempt not counted.
pub fn release(
    conn: &mut DbConnection,
    claimed: &[Claimed],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for delivery in claimed {
        diesel::update(held(delivery))
            .set((
                deliveries::due_at.eq(now.naive_utc()),
                deliveries::attempts.eq(deliveries::attempts - 1),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// What one attempt at a delivery came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    /// Why it failed; `None` when it succeeded.
    pub error: Option<String>,
    /// When to try again; `None` when it succeeded or is given up.
    pub retry_at: Option<DateTime<Utc>>,
    /// How long the attempt took, in milliseconds.
    pub duration_ms: Option<i32>,
}

/// Records an attempt at a delivery this worker still holds and finishes
/// it (delivered, or failed when no retry is left) or makes it due again.
/// False if the claim was lost (the lease ran out and another took it).
pub fn settle(
    conn: &mut DbConnection,
    claimed: &Claimed,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    conn.transaction(|conn| {
        let held = held(claimed);
        let changed = match (&attempt.error, attempt.retry_at) {
            (None, _) => diesel::update(held)
                .set((
                    deliveries::finished_at.eq(Some(now.naive_utc())),
                    deliveries::outcome.eq(Some("delivered")),
                    deliveries::last_error.eq(None::<String>),
                ))
                .execute(conn)?,
            (Some(error), Some(retry_at)) => diesel::update(held)
                .set((
                    deliveries::due_at.eq(retry_at.naive_utc()),
                    deliveries::last_error.eq(Some(error)),
                ))
                .execute(conn)?,
            (Some(error), None) => diesel::update(held)
                .set((
                    deliveries::finished_at.eq(Some(now.naive_utc())),
                    deliveries::outcome.eq(Some("failed")),
                    deliveries::last_error.eq(Some(error)),
                ))
                .execute(conn)?,
        };
        diesel::insert_into(delivery_attempts::table)
            .values((
                delivery_attempts::delivery_id.eq(claimed.id),
                delivery_attempts::attempted_at.eq(now.naive_utc()),
                delivery_attempts::status.eq(attempt.status),
                delivery_attempts::error.eq(&attempt.error),
                delivery_attempts::next_attempt_at.eq(attempt.retry_at.map(|t| t.naive_utc())),
                delivery_attempts::duration_ms.eq(attempt.duration_ms),
            ))
            .execute(conn)?;
        Ok(changed > 0)
    })
}

type ById = diesel::dsl::Find<deliveries::table, i64>;
type Held = diesel::dsl::Filter<
    diesel::dsl::Filter<ById, diesel::dsl::Eq<deliveries::claim, String>>,
    diesel::dsl::IsNull<deliveries::finished_at>,
>;

/// The delivery, while `claimed` still holds it.
fn held(claimed: &Claimed) -> Held {
    deliveries::table
        .find(claimed.id)
        .filter(deliveries::claim.eq(claimed.token.clone()))
        .filter(deliveries::finished_at.is_null())
}

/// Finishes a delivery `claimed` still holds as delivered, within the
/// transaction of what delivering it wrote; false if the claim was lost.
pub(super) fn finish(
    conn: &mut DbConnection,
    claimed: &Claimed,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let finished = diesel::update(held(claimed))
        .set((
            deliveries::finished_at.eq(Some(now.naive_utc())),
            deliveries::outcome.eq(Some("delivered")),
        ))
        .execute(conn)?;
    Ok(finished > 0)
}

/// A scheduled notice's instant has come: in one write, its change is
/// recorded for `/api/v1/changes`, the caches everywhere learn of it, the
/// event fans out to the other channels, and the go-live is done.
pub fn go_live(
    conn: &mut DbConnection,
    claimed: &Claimed,
    fanout: &[Fanout],
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let event = claimed.notice_event()?;
    super::write(conn, |conn, seq| {
        if !finish(conn, claimed, now)? {
            return Ok(false);
        }
        diesel::update(
            notices::table
                .find(event.notice_id.to_string())
                .filter(notices::pending_go_live.eq(true))
                .filter(notices::published_at.le(now.naive_utc())),
        )
        .set((
            notices::change_seq.eq(seq),
            notices::pending_go_live.eq(false),
        ))
        .execute(conn)?;
        let row = events::table
            .filter(events::event_id.eq(event.id.to_string()))
            .select(events::id)
            .first::<i64>(conn)?;
        fan_out(conn, row, event, event.due_at.max(now), fanout)?;
        Ok(true)
    })
}

/// Deliveries on `channel` not yet finished.
pub fn unfinished(conn: &mut DbConnection, channel: &str) -> StoreResult<i64> {
    Ok(deliveries::table
        .filter(deliveries::channel.eq(channel))
        .filter(deliveries::finished_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Each channel's unfinished deliveries, read in one transaction through
/// `deliveries_pending` (and `deliveries_queued` for queues): its cost
/// grows with the backlog, never with the deliveries kept. A delivery is
/// counted as due only when a worker could claim it: one waiting behind an
/// earlier one in its queue (a receiver that is down) is pending, not late.
pub fn backlog(
    conn: &mut DbConnection,
    channels: &[&str],
    now: DateTime<Utc>,
) -> StoreResult<Vec<ChannelBacklog>> {
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        due: i64,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamp>)]
        oldest: Option<chrono::NaiveDateTime>,
    }
    // The claim's own conditions (claim.rs), for one channel.
    const DUE: &str = "SELECT count(*) AS due, min(due_at) AS oldest FROM deliveries d \
        WHERE channel = $1 AND finished_at IS NULL AND due_at <= $2 \
        AND (queue IS NULL OR NOT EXISTS (SELECT 1 FROM deliveries earlier \
             WHERE earlier.queue = d.queue AND earlier.finished_at IS NULL AND earlier.id < d.id))";
    conn.transaction(|conn| {
        let mut backlog = Vec::with_capacity(channels.len());
        for channel in channels {
            let pending = unfinished(conn, channel)?;
            let query = diesel::sql_query(DUE)
                .bind::<diesel::sql_types::Text, _>(*channel)
                .bind::<diesel::sql_types::Timestamp, _>(now.naive_utc());
            let due: Due = match conn {
                DbConnection::Pg(c) => query.get_result(c)?,
                DbConnection::Sqlite(c) => query.get_result(c)?,
            };
            let waited = due.oldest.map_or(Duration::zero(), |at| now - at.and_utc());
            backlog.push(ChannelBacklog {
                channel: (*channel).to_owned(),
                pending,
                due: due.due,
                oldest_due_seconds: waited.num_milliseconds().max(0) as f64 / 1000.0,
            });
        }
        Ok(backlog)
    })
}

/// Forgets deliveries on `channel` finished before `before`, with their
/// attempts, at most `batch`; returns how many.
pub fn prune(
    conn: &mut DbConnection,
    channel: &str,
    before: DateTime<Utc>,
    batch: i64,
) -> StoreResult<usize> {
    let old: Vec<i64> = crate::store::with_custom_plans(conn, |conn| {
        Ok(deliveries::table
            .filter(deliveries::channel.eq(channel))
            .filter(deliveries::finished_at.lt(before.naive_utc()))
            .select(deliveries::id)
            .limit(batch)
            .load(conn)?)
    })?;
    if old.is_empty() {
        return Ok(0);
    }
    conn.transaction(|conn| {
        diesel::delete(
            delivery_attempts::table.filter(delivery_attempts::delivery_id.eq_any(&old)),
        )
        .execute(conn)?;
        Ok(diesel::delete(deliveries::table.filter(deliveries::id.eq_any(&old))).execute(conn)?)
    })
}
