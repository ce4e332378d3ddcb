//! The durable outbox: events stored with the write that caused them, and
//! their deliveries, claimed by workers in any instance, each attempt kept.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use uuid::Uuid;

use super::schema::{deliveries, delivery_attempts, events, notices};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::{Event, EventType};

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

#[derive(QueryableByName)]
struct ClaimableId {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    id: i64,
}

/// A delivery a worker holds until its lease ends, with its event if it has one.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    /// The claim's own mark: a delivery whose lease ran out and was claimed
    /// again no longer carries it.
    pub token: String,
    pub channel: String,
    pub target: String,
    /// Including this one.
    pub attempts: i32,
    /// The notice event delivered; `None` for mail that belongs to no
    /// event (a confirmation, a digest).
    pub event: Option<Event>,
    /// The event's row, for deliveries made from this one.
    pub event_row: Option<i64>,
    /// What an event-less delivery is about (JSON).
    pub payload: Option<String>,
    /// What the receiver is told the event is, when its filters make it
    /// another than the event's own type.
    pub told_as: Option<EventType>,
}

impl Claimed {
    /// The notice event of a delivery on a channel that delivers nothing else.
    pub fn notice_event(&self) -> StoreResult<&Event> {
        self.event.as_ref().ok_or_else(|| {
            StoreError::Corrupt(format!(
                "delivery {} on {} has no event",
                self.id, self.channel
            ))
        })
    }
}

/// Claims up to `limit` due deliveries, oldest due first, for `lease`: no
/// other worker, in this instance or another, gets them before it ends. A
/// worker that dies holding them leaves them due again when it does.
/// Only deliveries on `channels` (those this instance has) are claimed.
///
/// A delivery in a queue waits until those before it in the queue are
/// finished; deliveries to a target in `busy` (one this worker already has
/// as many under way to as it allows) are left for later.
pub fn claim(
    conn: &mut DbConnection,
    channels: &[&'static str],
    busy: &[String],
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> StoreResult<Vec<Claimed>> {
    let token = Uuid::new_v4().to_string();
    let until = (now + lease).naive_utc();
    // Channel names are the code's own constants, never input.
    let names = channels
        .iter()
        .map(|name| {
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            format!("'{name}'")
        })
        .collect::<Vec<_>>()
        .join(", ");
    // Busy targets are ids this instance made (webhook UUIDs, the hub's
    // URL from the configuration); quoted as SQL strings all the same.
    let not_busy = match busy.is_empty() {
        true => String::new(),
        false => format!(
            "AND target NOT IN ({}) ",
            busy.iter()
                .map(|t| format!("'{}'", t.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // The due deliveries, by the parameters named `now` and `limit` (SQLite
    // numbers `$n` parameters in the order they first appear).
    let claimable = |now: &str, limit: &str| {
        format!(
            "SELECT id FROM deliveries d WHERE finished_at IS NULL AND due_at <= {now} \
             AND channel IN ({names}) {not_busy}\
             AND (queue IS NULL OR NOT EXISTS (SELECT 1 FROM deliveries earlier \
                  WHERE earlier.queue = d.queue AND earlier.finished_at IS NULL AND earlier.id < d.id)) \
             ORDER BY due_at LIMIT {limit}"
        )
    };
    // A read first, with the claim's own conditions, so that a poll that
    // would claim nothing (none due, or all waiting in their queues) never
    // takes SQLite's write lock.
    let probe = diesel::sql_query(claimable("$1", "$2"))
        .bind::<Timestamp, _>(now.naive_utc())
        .bind::<BigInt, _>(1_i64);
    let any: Vec<ClaimableId> = match conn {
        DbConnection::Pg(c) => probe.load(c)?,
        DbConnection::Sqlite(c) => probe.load(c)?,
    };
    if any.is_empty() {
        return Ok(Vec::new());
    }
    let base = format!(
        "UPDATE deliveries SET claim = $1, due_at = $2, attempts = attempts + 1 WHERE id IN ({}",
        claimable("$3", "$4")
    );
    // One statement: on SQLite it runs under the write lock; on PostgreSQL
    // rows another instance is claiming are skipped, not waited for.
    let sql = match conn {
        DbConnection::Pg(_) => format!("{base} FOR UPDATE SKIP LOCKED)"),
        DbConnection::Sqlite(_) => format!("{base})"),
    };
    let query = diesel::sql_query(sql)
        .bind::<Text, _>(&token)
        .bind::<Timestamp, _>(until)
        .bind::<Timestamp, _>(now.naive_utc())
        .bind::<BigInt, _>(limit);
    let taken = match conn {
        DbConnection::Pg(c) => query.execute(c)?,
        DbConnection::Sqlite(c) => query.execute(c)?,
    };
    if taken == 0 {
        return Ok(Vec::new());
    }
    type EventRow = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i32>,
        Option<String>,
        Option<NaiveDateTime>,
    );
    type Row = (
        i64,
        String,
        String,
        i32,
        Option<String>,
        Option<String>,
        Option<i64>,
        EventRow,
    );
    let rows: Vec<Row> = deliveries::table
        .left_join(events::table)
        .filter(deliveries::claim.eq(&token))
        .order(deliveries::id)
        .select((
            deliveries::id,
            deliveries::channel,
            deliveries::target,
            deliveries::attempts,
            deliveries::event_type,
            deliveries::payload,
            deliveries::event_id,
            (
                events::event_id.nullable(),
                events::event_type.nullable(),
                events::notice_id.nullable(),
                events::revision.nullable(),
                events::affects.nullable(),
                events::due_at.nullable(),
            ),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(id, channel, target, attempts, told_as, payload, event_row, event)| {
                let corrupt =
                    |what: &str| StoreError::Corrupt(format!("event of delivery {id}: {what}"));
                let event = match event {
                    (None, ..) => None,
                    (
                        Some(event_id),
                        Some(event_type),
                        Some(notice_id),
                        Some(revision),
                        Some(affects),
                        Some(due_at),
                    ) => Some(Event {
                        id: Uuid::try_parse(&event_id).map_err(|_| corrupt("id"))?,
                        event_type: event_type
                            .parse::<EventType>()
                            .map_err(|_| corrupt("type"))?,
                        notice_id: Uuid::try_parse(&notice_id).map_err(|_| corrupt("notice"))?,
                        revision,
                        affects: serde_json::from_str(&affects).map_err(|_| corrupt("affects"))?,
                        due_at: due_at.and_utc(),
                    }),
                    _ => return Err(corrupt("a column is missing")),
                };
                Ok(Claimed {
                    id,
                    token: token.clone(),
                    channel,
                    target,
                    attempts,
                    told_as: match told_as {
                        Some(t) => Some(t.parse::<EventType>().map_err(|_| corrupt("told as"))?),
                        None => None,
                    },
                    event,
                    event_row,
                    payload,
                })
            },
        )
        .collect()
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

/// Forgets deliveries on `channel` finished before `before`, with their
/// attempts, at most `batch`; returns how many.
pub fn prune(
    conn: &mut DbConnection,
    channel: &str,
    before: DateTime<Utc>,
    batch: i64,
) -> StoreResult<usize> {
    let old: Vec<i64> = deliveries::table
        .filter(deliveries::channel.eq(channel))
        .filter(deliveries::finished_at.lt(before.naive_utc()))
        .select(deliveries::id)
        .limit(batch)
        .load(conn)?;
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
