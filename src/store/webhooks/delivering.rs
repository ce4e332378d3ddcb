//! The outbox's deliveries to webhooks: made in each write for the
//! webhooks whose filters take its event in, listed with their attempts,
//! made again on request, forgotten after their time.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{Row, CHANNEL, SETTLE};
use crate::domain::{Action, Actor, Event, EventType};
use crate::store::audit::{self, AuditEntry};
use crate::store::schema::{deliveries, delivery_attempts, events, webhooks};
use crate::store::{write, DbConnection, StoreError, StoreResult};

/// Within a write (or a go-live): a delivery of `event` to every enabled
/// webhook (a short list an admin keeps, read whole: its size does not grow
/// with the notices) whose filters take it in, told as what it is to that webhook,
/// queued behind the webhook's earlier deliveries of the same notice.
pub fn fan_out(
    conn: &mut DbConnection,
    row: i64,
    event: &Event,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let enabled: Vec<Row> = webhooks::table
        .filter(webhooks::enabled.eq(true))
        .select(Row::as_select())
        .load(conn)?;
    for row_of_webhook in enabled {
        let (webhook, _) = row_of_webhook.into_webhook()?;
        let Some(told_as) = webhook.filter.event_type(event.event_type, &event.affects) else {
            continue;
        };
        schedule(conn, row, webhook.id, event.notice_id, told_as, at + SETTLE)?;
    }
    Ok(())
}

fn schedule(
    conn: &mut DbConnection,
    row: i64,
    webhook: Uuid,
    notice: Uuid,
    told_as: EventType,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::event_id.eq(row),
            deliveries::channel.eq(CHANNEL),
            deliveries::target.eq(webhook.to_string()),
            deliveries::due_at.eq(at.naive_utc()),
            deliveries::queue.eq(Some(format!("{webhook}/{notice}"))),
            deliveries::event_type.eq(Some(told_as.as_str())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Delivers an event to a webhook again, with the same event id and type;
/// an admin asks for it. A delivery of it still to come is made due now
/// rather than doubled; otherwise a new one joins the notice's queue. False
/// if the webhook never had that event, or is disabled.
pub fn redeliver(
    conn: &mut DbConnection,
    webhook: Uuid,
    event_id: Uuid,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    write(conn, |conn, seq| {
        let earlier: Option<(i64, Option<String>, String)> = deliveries::table
            .inner_join(events::table)
            .filter(deliveries::channel.eq(CHANNEL))
            .filter(deliveries::target.eq(webhook.to_string()))
            .filter(events::event_id.eq(event_id.to_string()))
            .select((events::id, deliveries::event_type, events::notice_id))
            .first(conn)
            .optional()?;
        let Some((row, told_as, notice)) = earlier else {
            return Ok(false);
        };
        let enabled: bool = webhooks::table
            .find(webhook.to_string())
            .select(webhooks::enabled)
            .first(conn)
            .optional()?
            .unwrap_or(false);
        if !enabled {
            return Ok(false);
        }
        let hurried = diesel::update(
            deliveries::table
                .filter(deliveries::event_id.eq(row))
                .filter(deliveries::channel.eq(CHANNEL))
                .filter(deliveries::target.eq(webhook.to_string()))
                .filter(deliveries::finished_at.is_null())
                .filter(deliveries::due_at.gt(now.naive_utc())),
        )
        .set(deliveries::due_at.eq(now.naive_utc()))
        .execute(conn)?;
        let pending: i64 = deliveries::table
            .filter(deliveries::event_id.eq(row))
            .filter(deliveries::channel.eq(CHANNEL))
            .filter(deliveries::target.eq(webhook.to_string()))
            .filter(deliveries::finished_at.is_null())
            .count()
            .get_result(conn)?;
        let detail = format!("webhook {webhook}: event {event_id}");
        if hurried > 0 || pending > 0 {
            audit::record(
                conn,
                &AuditEntry::about(seq, Action::WebhookRedeliver, actor, detail, now),
            )?;
            return Ok(true);
        }
        let corrupt = || StoreError::Corrupt(format!("delivery of event {event_id}"));
        let told_as = told_as
            .and_then(|t| t.parse::<EventType>().ok())
            .ok_or_else(corrupt)?;
        let notice = Uuid::try_parse(&notice).map_err(|_| corrupt())?;
        schedule(conn, row, webhook, notice, told_as, now)?;
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::WebhookRedeliver, actor, detail, now),
        )?;
        Ok(true)
    })
}

/// One attempt at a delivery, as the deliveries list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    pub number: i32,
    pub attempted_at: DateTime<Utc>,
    pub status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: Option<i32>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A delivery of one event to a webhook, with its attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// Its place in the list: the cursor of the next page.
    pub id: i64,
    pub event_id: Uuid,
    pub event_type: EventType,
    pub notice_id: Uuid,
    /// delivered, failed, cancelled; `None` while under way.
    pub outcome: Option<String>,
    /// When it is next tried, while it is not finished.
    pub due_at: Option<DateTime<Utc>>,
    pub attempts: Vec<AttemptRecord>,
}

/// A webhook's deliveries, newest first, from before the delivery `before`.
pub fn deliveries(
    conn: &mut DbConnection,
    webhook: Uuid,
    before: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<DeliveryRecord>> {
    type Found = (
        i64,
        Option<String>,
        Option<String>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
        String,
    );
    let mut query = deliveries::table
        .inner_join(events::table)
        .filter(deliveries::channel.eq(CHANNEL))
        .filter(deliveries::target.eq(webhook.to_string()))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(deliveries::id.lt(before));
    }
    // Ordered as the index is (channel and target are fixed), so that it
    // serves both the filter and the order.
    let found: Vec<Found> = query
        .order((
            deliveries::channel.desc(),
            deliveries::target.desc(),
            deliveries::id.desc(),
        ))
        .limit(limit)
        .select((
            deliveries::id,
            deliveries::event_type,
            deliveries::outcome,
            deliveries::due_at,
            deliveries::finished_at,
            events::event_id,
            events::notice_id,
        ))
        .load(conn)?;
    let ids: Vec<i64> = found.iter().map(|f| f.0).collect();
    type Tried = (
        i64,
        NaiveDateTime,
        Option<i32>,
        Option<String>,
        Option<i32>,
        Option<NaiveDateTime>,
    );
    let tried: Vec<Tried> = delivery_attempts::table
        .filter(delivery_attempts::delivery_id.eq_any(&ids))
        .order((delivery_attempts::delivery_id, delivery_attempts::id))
        .select((
            delivery_attempts::delivery_id,
            delivery_attempts::attempted_at,
            delivery_attempts::status,
            delivery_attempts::error,
            delivery_attempts::duration_ms,
            delivery_attempts::next_attempt_at,
        ))
        .load(conn)?;
    found
        .into_iter()
        .map(
            |(id, told_as, outcome, due_at, finished_at, event_id, notice_id)| {
                let corrupt = || StoreError::Corrupt(format!("delivery {id}"));
                let attempts = tried
                    .iter()
                    .filter(|t| t.0 == id)
                    .zip(1..)
                    .map(|(t, number)| AttemptRecord {
                        number,
                        attempted_at: t.1.and_utc(),
                        status: t.2,
                        error: t.3.clone(),
                        duration_ms: t.4,
                        next_attempt_at: t.5.map(|at| at.and_utc()),
                    })
                    .collect();
                Ok(DeliveryRecord {
                    id,
                    event_id: Uuid::try_parse(&event_id).map_err(|_| corrupt())?,
                    event_type: told_as.and_then(|t| t.parse().ok()).ok_or_else(corrupt)?,
                    notice_id: Uuid::try_parse(&notice_id).map_err(|_| corrupt())?,
                    outcome,
                    due_at: finished_at.is_none().then(|| due_at.and_utc()),
                    attempts,
                })
            },
        )
        .collect()
}

/// How many webhook deliveries are not finished.
pub fn unfinished(conn: &mut DbConnection) -> StoreResult<i64> {
    crate::store::outbox::unfinished(conn, CHANNEL)
}

/// Forgets webhook deliveries finished before `before`, with their
/// attempts, at most `batch` at a time; returns how many.
pub fn prune(conn: &mut DbConnection, before: DateTime<Utc>, batch: i64) -> StoreResult<usize> {
    crate::store::outbox::prune(conn, CHANNEL, before, batch)
}
