//! The `webhooks` table; their deliveries are in `deliveries`.

mod delivering;

pub use delivering::{
    deliveries, fan_out, prune, redeliver, unfinished, AttemptRecord, DeliveryRecord,
};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::schema::{deliveries, webhooks};
use super::{write, DbConnection, StoreError, StoreResult};
use crate::domain::webhook::{Filter, Webhook, WebhookInput};
use crate::domain::{Action, Actor, EventType, Kind};

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

/// A URL's scheme, host and port: what the audit log keeps of a receiver
/// (its path or query may hold a key).
fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
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
        let detail = format!("webhook {id} {}", origin(&input.url));
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::WebhookCreate, actor, detail, now),
        )
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
        // Enabled again (or sent elsewhere): why it was disabled, and its
        // failing streak, are history. A change of its description is not.
        // Enabled again, or sent elsewhere: why it was disabled and its
        // failing streak are history (a new description changes neither).
        if input.enabled {
            diesel::update(
                webhooks::table
                    .find(id.to_string())
                    .filter(webhooks::enabled.eq(false).or(webhooks::url.ne(&input.url))),
            )
            .set((
                webhooks::disabled_reason.eq(None::<String>),
                webhooks::failing_since.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        }
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
        if !input.enabled {
            finish_pending(conn, id, None, now)?;
        }
        let detail = format!("webhook {id}: {}", changed.join(", "));
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::WebhookUpdate, actor, detail, now),
        )?;
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
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::WebhookDelete, actor, detail, now),
        )?;
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
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::WebhookRotate, actor, detail, now),
        )?;
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
            &AuditEntry::about(seq, Action::WebhookDisable, &Actor::system(), detail, now),
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
