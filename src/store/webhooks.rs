//! The `webhooks` table, and the outbox's deliveries to them.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::schema::{deliveries, delivery_attempts, events, webhooks};
use super::{write, DbConnection, StoreError, StoreResult};
use crate::domain::webhook::{Filter, Webhook, WebhookInput};
use crate::domain::{Action, Actor, Event, EventType, Kind};

/// The outbox channel of webhook deliveries; each one's target is the
/// webhook's id.
pub const CHANNEL: &str = "webhook";
/// After an event, before its webhook deliveries are due: time for every
/// instance to see the write, so a receiver that fetches the notice from
/// any of them gets the change.
pub const SETTLE: Duration = Duration::seconds(1);
/// How long an old secret signs beside its successor.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// The secrets that sign a webhook's deliveries: the current one, and the
/// one before it for a day after a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secrets {
    pub current: String,
    pub previous: Option<(String, DateTime<Utc>)>,
}

impl Secrets {
    /// The secrets that sign at `now`.
    pub fn signing(&self, now: DateTime<Utc>) -> Vec<&str> {
        let mut signing = vec![self.current.as_str()];
        if let Some((previous, until)) = &self.previous {
            if *until > now {
                signing.push(previous);
            }
        }
        signing
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = webhooks)]
struct Row {
    id: String,
    url: String,
    description: String,
    events: String,
    kinds: String,
    areas: String,
    area_matches: String,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_until: Option<NaiveDateTime>,
    enabled: bool,
    disabled_reason: Option<String>,
    failing_since: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("a list of names serialises")
}

impl Row {
    fn into_webhook(self) -> StoreResult<(Webhook, Secrets)> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("webhook {}: {what}", self.id));
        let names = |text: &str, what: &str| -> StoreResult<Vec<String>> {
            serde_json::from_str(text).map_err(|_| corrupt(what))
        };
        let events = names(&self.events, "events")?
            .iter()
            .map(|e| e.parse::<EventType>().map_err(|_| corrupt("events")))
            .collect::<StoreResult<Vec<_>>>()?;
        let kinds = names(&self.kinds, "kinds")?
            .iter()
            .map(|k| k.parse::<Kind>().map_err(|_| corrupt("kinds")))
            .collect::<StoreResult<Vec<_>>>()?;
        let webhook = Webhook {
            id: Uuid::try_parse(&self.id).map_err(|_| corrupt("id"))?,
            url: self.url.clone(),
            description: self.description.clone(),
            filter: Filter {
                events,
                kinds,
                areas: names(&self.areas, "areas")?,
                area_matches: names(&self.area_matches, "area matches")?,
            },
            enabled: self.enabled,
            disabled_reason: self.disabled_reason.clone(),
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
        };
        let secrets = Secrets {
            current: self.secret,
            previous: self
                .previous_secret
                .zip(self.previous_secret_until)
                .map(|(secret, until)| (secret, until.and_utc())),
        };
        Ok((webhook, secrets))
    }
}

fn entry(
    seq: i64,
    action: Action,
    actor: &Actor,
    detail: String,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry {
        seq,
        action,
        actor: actor.clone(),
        notice_id: None,
        revision: None,
        subject_token_id: None,
        detail: Some(detail),
        created_at: now,
    }
}

/// Registers a webhook with its secret, and says so in the audit log.
pub fn create(
    conn: &mut DbConnection,
    id: Uuid,
    input: &WebhookInput,
    secret: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    write(conn, |conn, seq| {
        diesel::insert_into(webhooks::table)
            .values(Row {
                id: id.to_string(),
                url: input.url.clone(),
                description: input.description.clone(),
                events: json(
                    &input
                        .filter
                        .events
                        .iter()
                        .map(|e| e.as_str())
                        .collect::<Vec<_>>(),
                ),
                kinds: json(
                    &input
                        .filter
                        .kinds
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>(),
                ),
                areas: json(&input.filter.areas),
                area_matches: json(&input.filter.area_matches),
                secret: secret.to_owned(),
                previous_secret: None,
                previous_secret_until: None,
                enabled: input.enabled,
                disabled_reason: None,
                failing_since: None,
                created_at: now.naive_utc(),
                updated_at: now.naive_utc(),
            })
            .execute(conn)?;
        let detail = format!("webhook {id} {}", input.url);
        audit::record(conn, &entry(seq, Action::WebhookCreate, actor, detail, now))
    })
}

pub fn find(conn: &mut DbConnection, id: Uuid) -> StoreResult<Option<(Webhook, Secrets)>> {
    webhooks::table
        .find(id.to_string())
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(Row::into_webhook)
        .transpose()
}

/// Every webhook, oldest first.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<Webhook>> {
    webhooks::table
        .order(webhooks::created_at)
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| row.into_webhook().map(|(webhook, _)| webhook))
        .collect()
}

/// Replaces a webhook's fields; enabling it again clears why it was
/// disabled, disabling it finishes the deliveries it still had coming.
/// False if there is no such webhook.
pub fn update(
    conn: &mut DbConnection,
    id: Uuid,
    input: &WebhookInput,
    actor: &Actor,
    changed: &[&str],
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    write(conn, |conn, seq| {
        let updated = diesel::update(webhooks::table.find(id.to_string()))
            .set((
                webhooks::url.eq(&input.url),
                webhooks::description.eq(&input.description),
                webhooks::events.eq(json(
                    &input
                        .filter
                        .events
                        .iter()
                        .map(|e| e.as_str())
                        .collect::<Vec<_>>(),
                )),
                webhooks::kinds.eq(json(
                    &input
                        .filter
                        .kinds
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>(),
                )),
                webhooks::areas.eq(json(&input.filter.areas)),
                webhooks::area_matches.eq(json(&input.filter.area_matches)),
                webhooks::enabled.eq(input.enabled),
                webhooks::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Ok(false);
        }
        if input.enabled {
            diesel::update(webhooks::table.find(id.to_string()))
                .set((
                    webhooks::disabled_reason.eq(None::<String>),
                    webhooks::failing_since.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
        } else {
            finish_pending(conn, id, None, now)?;
        }
        let detail = format!("webhook {id}: {}", changed.join(", "));
        audit::record(conn, &entry(seq, Action::WebhookUpdate, actor, detail, now))?;
        Ok(true)
    })
}

/// Deletes a webhook; its deliveries still to come are finished, those made
/// are kept with their attempts until they are pruned. False if none.
pub fn delete(
    conn: &mut DbConnection,
    id: Uuid,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    write(conn, |conn, seq| {
        let deleted = diesel::delete(webhooks::table.find(id.to_string())).execute(conn)?;
        if deleted == 0 {
            return Ok(false);
        }
        finish_pending(conn, id, None, now)?;
        let detail = format!("webhook {id}");
        audit::record(conn, &entry(seq, Action::WebhookDelete, actor, detail, now))?;
        Ok(true)
    })
}

/// A new secret; the old one signs beside it until `now` + a day. False if
/// there is no such webhook.
pub fn rotate(
    conn: &mut DbConnection,
    id: Uuid,
    secret: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    write(conn, |conn, seq| {
        let Some((_, secrets)) = find(conn, id)? else {
            return Ok(false);
        };
        diesel::update(webhooks::table.find(id.to_string()))
            .set((
                webhooks::secret.eq(secret),
                webhooks::previous_secret.eq(Some(secrets.current)),
                webhooks::previous_secret_until.eq(Some((now + ROTATION_OVERLAP).naive_utc())),
                webhooks::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        let detail = format!("webhook {id}");
        audit::record(conn, &entry(seq, Action::WebhookRotate, actor, detail, now))?;
        Ok(true)
    })
}

/// Tavla disables a webhook (its receiver answered 410 Gone, or failed for
/// days), says why in the audit log, and finishes what it had coming but
/// `attempted`, the delivery whose attempt told it so (its worker records it).
pub fn disable(
    conn: &mut DbConnection,
    id: Uuid,
    reason: &str,
    attempted: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    write(conn, |conn, seq| {
        let disabled = diesel::update(
            webhooks::table
                .find(id.to_string())
                .filter(webhooks::enabled.eq(true)),
        )
        .set((
            webhooks::enabled.eq(false),
            webhooks::disabled_reason.eq(Some(reason)),
            webhooks::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if disabled == 0 {
            return Ok(());
        }
        finish_pending(conn, id, Some(attempted), now)?;
        let detail = format!("webhook {id}: {reason}");
        audit::record(
            conn,
            &entry(seq, Action::WebhookDisable, &Actor::system(), detail, now),
        )
    })
}

/// Finishes a webhook's deliveries not yet made, but `except`.
fn finish_pending(
    conn: &mut DbConnection,
    id: Uuid,
    except: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::update(
        deliveries::table
            .filter(deliveries::channel.eq(CHANNEL))
            .filter(deliveries::target.eq(id.to_string()))
            .filter(deliveries::finished_at.is_null())
            .filter(deliveries::id.ne(except.unwrap_or(0))),
    )
    .set((
        deliveries::finished_at.eq(Some(now.naive_utc())),
        deliveries::outcome.eq(Some("cancelled")),
    ))
    .execute(conn)?;
    Ok(())
}

/// Records how a webhook's attempt went: a success clears its failing
/// streak; a failure starts one. Returns when the streak began, if one runs.
pub fn note_attempt(
    conn: &mut DbConnection,
    id: Uuid,
    succeeded: bool,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let this = || webhooks::table.find(id.to_string());
    if succeeded {
        diesel::update(this().filter(webhooks::failing_since.is_not_null()))
            .set(webhooks::failing_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
        return Ok(None);
    }
    diesel::update(this().filter(webhooks::failing_since.is_null()))
        .set(webhooks::failing_since.eq(Some(now.naive_utc())))
        .execute(conn)?;
    let since: Option<Option<NaiveDateTime>> = this()
        .select(webhooks::failing_since)
        .first(conn)
        .optional()?;
    Ok(since.flatten().map(|at| at.and_utc()))
}

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

/// Delivers an event to a webhook again, as a new delivery with the same
/// event id and type; an admin asks for it. False if the webhook never had
/// that event.
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
        let corrupt = || StoreError::Corrupt(format!("delivery of event {event_id}"));
        let told_as = told_as
            .and_then(|t| t.parse::<EventType>().ok())
            .ok_or_else(corrupt)?;
        let notice = Uuid::try_parse(&notice).map_err(|_| corrupt())?;
        schedule(conn, row, webhook, notice, told_as, now)?;
        let detail = format!("webhook {webhook}: event {event_id}");
        audit::record(
            conn,
            &entry(seq, Action::WebhookRedeliver, actor, detail, now),
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
    Ok(deliveries::table
        .filter(deliveries::channel.eq(CHANNEL))
        .filter(deliveries::finished_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Forgets webhook deliveries finished before `before`, with their
/// attempts, at most `batch` at a time; returns how many.
pub fn prune(conn: &mut DbConnection, before: DateTime<Utc>, batch: i64) -> StoreResult<usize> {
    let old: Vec<i64> = deliveries::table
        .filter(deliveries::channel.eq(CHANNEL))
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
