//! Claiming due deliveries: one statement takes them for a lease, in this
//! instance or another, and the claimed are read back with their events.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use uuid::Uuid;

use crate::domain::{Event, EventType};
use crate::store::schema::{deliveries, events};
use crate::store::{DbConnection, StoreError, StoreResult};

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
