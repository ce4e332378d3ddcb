//! The `sources` table: upstream feeds, when each is fetched next, and what
//! its last fetch found. Their entries' notices are kept in `imports`.

mod imports;

pub use imports::{import, imported_from, Imported, Origin};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::outbox::Fanout;
use super::schema::{deliveries, sources};
use super::{write, DbConnection, StoreError, StoreResult};
use crate::domain::import::Candidate;
use crate::domain::source::{Source, SourceInput};
use crate::domain::{Action, Actor};

/// The outbox channel of fetches; each one's target is the source's id.
pub const CHANNEL: &str = "import";

#[derive(Queryable, Selectable)]
#[diesel(table_name = sources)]
struct Row {
    id: String,
    url: String,
    kind: String,
    areas: String,
    language: String,
    state: String,
    interval_minutes: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    next_fetch_at: NaiveDateTime,
    etag: Option<String>,
    last_modified: Option<String>,
    last_fetched_at: Option<NaiveDateTime>,
    last_outcome: Option<String>,
    last_status: Option<i32>,
    last_error: Option<String>,
    failures: i32,
    imported: i32,
}

impl Row {
    fn into_source(self) -> StoreResult<Source> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("source {}: {what}", self.id));
        Ok(Source {
            id: Uuid::try_parse(&self.id).map_err(|_| corrupt("id"))?,
            settings: SourceInput {
                url: self.url.clone(),
                kind: self.kind.parse().map_err(|_| corrupt("kind"))?,
                areas: serde_json::from_str(&self.areas).map_err(|_| corrupt("areas"))?,
                language: self.language.parse().map_err(|_| corrupt("language"))?,
                state: self.state.parse().map_err(|_| corrupt("state"))?,
                interval_minutes: self.interval_minutes,
            },
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
            next_fetch_at: self.next_fetch_at.and_utc(),
            etag: self.etag,
            last_modified: self.last_modified,
            last_fetched_at: self.last_fetched_at.map(|at| at.and_utc()),
            last_outcome: self.last_outcome,
            last_status: self.last_status,
            last_error: self.last_error,
            failures: self.failures,
            imported: self.imported,
        })
    }
}

/// What the audit log keeps of a feed's URL: its scheme, host and port
/// (its query may hold a key).
fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Registers a source, due for its first fetch at once.
pub fn create(
    conn: &mut DbConnection,
    id: Uuid,
    input: &SourceInput,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    write(conn, |conn, seq| {
        diesel::insert_into(sources::table)
            .values((
                sources::id.eq(id.to_string()),
                settings(input),
                sources::created_at.eq(now.naive_utc()),
                sources::updated_at.eq(now.naive_utc()),
                sources::next_fetch_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        let detail = format!("{id} {}", origin(&input.url));
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::SourceCreate, actor, detail, now),
        )
    })
}

#[allow(clippy::type_complexity)]
fn settings(
    input: &SourceInput,
) -> (
    diesel::dsl::Eq<sources::url, String>,
    diesel::dsl::Eq<sources::kind, &'static str>,
    diesel::dsl::Eq<sources::areas, String>,
    diesel::dsl::Eq<sources::language, &'static str>,
    diesel::dsl::Eq<sources::state, &'static str>,
    diesel::dsl::Eq<sources::interval_minutes, i32>,
) {
    (
        sources::url.eq(input.url.clone()),
        sources::kind.eq(input.kind.as_str()),
        sources::areas.eq(serde_json::to_string(&input.areas).expect("slugs serialise")),
        sources::language.eq(input.language.as_str()),
        sources::state.eq(input.state.as_str()),
        sources::interval_minutes.eq(input.interval_minutes),
    )
}

pub fn find(conn: &mut DbConnection, id: Uuid) -> StoreResult<Option<Source>> {
    sources::table
        .filter(sources::id.eq(id.to_string()))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(Row::into_source)
        .transpose()
}

/// Every source, oldest first.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<Source>> {
    sources::table
        .order((sources::created_at, sources::id))
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Row::into_source)
        .collect()
}

/// Changes a source's settings; `changed` names the fields, for the audit
/// log. A new URL forgets the old one's validators, and is fetched at once;
/// a shorter interval brings the next fetch forward, unless the source is
/// waiting after a failure. False if there is no such source.
pub fn update(
    conn: &mut DbConnection,
    before: &Source,
    input: &SourceInput,
    actor: &Actor,
    changed: &[&str],
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let new_url = input.url != before.settings.url;
    let last = before.last_fetched_at.unwrap_or(before.created_at);
    let shorter = input.interval_minutes < before.settings.interval_minutes;
    let next = if new_url {
        now
    } else if shorter && before.failures == 0 {
        before.next_fetch_at.min((last + input.interval()).max(now))
    } else {
        // A wait the upstream asked for, or a failure's backoff, stands.
        before.next_fetch_at
    };
    write(conn, |conn, seq| {
        let target = || sources::table.filter(sources::id.eq(before.id.to_string()));
        let updated = diesel::update(target())
            .set((
                settings(input),
                sources::updated_at.eq(now.naive_utc()),
                sources::next_fetch_at.eq(next.naive_utc()),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Ok(false);
        }
        if new_url {
            diesel::update(target())
                .set((
                    sources::etag.eq(None::<String>),
                    sources::last_modified.eq(None::<String>),
                    sources::failures.eq(0),
                ))
                .execute(conn)?;
        }
        let detail = format!("{} {}", before.id, changed.join(", "));
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::SourceUpdate, actor, detail, now),
        )?;
        Ok(true)
    })
}

/// Deletes a source; its notices stay, and remember the feed they came
/// from. False if there is no such source.
pub fn delete(
    conn: &mut DbConnection,
    id: Uuid,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    write(conn, |conn, seq| {
        let deleted =
            diesel::delete(sources::table.filter(sources::id.eq(id.to_string()))).execute(conn)?;
        if deleted == 0 {
            return Ok(false);
        }
        audit::record(
            conn,
            &AuditEntry::about(seq, Action::SourceDelete, actor, id.to_string(), now),
        )?;
        Ok(true)
    })
}

/// Schedules a fetch of each source that is due (at most `limit`), as a
/// delivery on the outbox's `import` channel, and moves its next fetch on
/// by its interval. An instance schedules a source only if its next fetch
/// is still the one it read, so instances sweeping at once make one fetch.
pub fn schedule_due(conn: &mut DbConnection, now: DateTime<Utc>, limit: i64) -> StoreResult<usize> {
    let due: Vec<(String, NaiveDateTime, i32)> = sources::table
        .filter(sources::next_fetch_at.le(now.naive_utc()))
        .order(sources::next_fetch_at)
        .limit(limit)
        .select((
            sources::id,
            sources::next_fetch_at,
            sources::interval_minutes,
        ))
        .load(conn)?;
    let mut scheduled = 0;
    for (id, was, minutes) in due {
        let next = now + Duration::minutes(i64::from(minutes));
        let taken = conn.transaction(|conn| {
            let moved = diesel::update(
                sources::table
                    .filter(sources::id.eq(&id))
                    .filter(sources::next_fetch_at.eq(was)),
            )
            .set(sources::next_fetch_at.eq(next.naive_utc()))
            .execute(conn)?;
            if moved == 1 {
                diesel::insert_into(deliveries::table)
                    .values((
                        deliveries::channel.eq(CHANNEL),
                        deliveries::target.eq(&id),
                        deliveries::due_at.eq(now.naive_utc()),
                    ))
                    .execute(conn)?;
            }
            Ok::<_, StoreError>(moved == 1)
        })?;
        scheduled += usize::from(taken);
    }
    Ok(scheduled)
}

/// Takes a source for a fetch until `until`, unless a fetch of it is under
/// way in this instance or another. `None` when there is no such source or
/// it is taken.
pub fn take(
    conn: &mut DbConnection,
    id: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Option<Source>> {
    let free = sources::fetching_until
        .is_null()
        .or(sources::fetching_until.le(now.naive_utc()));
    let taken = diesel::update(
        sources::table
            .filter(sources::id.eq(id.to_string()))
            .filter(free),
    )
    .set(sources::fetching_until.eq(Some(until.naive_utc())))
    .execute(conn)?;
    match taken {
        1 => find(conn, id),
        _ => Ok(None),
    }
}

/// What a fetch found, to record on its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub at: DateTime<Utc>,
    /// `imported`, `not-modified`, or a failure's code.
    pub outcome: &'static str,
    pub status: Option<i32>,
    /// Why nothing was imported; `None` for a good fetch.
    pub error: Option<String>,
    /// The validators to send next time: the last good answer's.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_fetch_at: DateTime<Utc>,
    /// Failures in a row, this one included; 0 after a good fetch.
    pub failures: i32,
}

/// Records a fetch on its source and gives the source back, if the fetch
/// still holds it (`until`, the hold `take` gave) and the source still has
/// the URL fetched: false when it was deleted, given a new URL, or taken
/// over by another fetch meanwhile, and then nothing is written.
fn record_fetch(
    conn: &mut DbConnection,
    source: &Source,
    until: DateTime<Utc>,
    fetched: &Fetched,
) -> StoreResult<bool> {
    let held = sources::table
        .filter(sources::id.eq(source.id.to_string()))
        .filter(sources::fetching_until.eq(until.naive_utc()))
        .filter(sources::url.eq(&source.settings.url));
    let recorded = diesel::update(held)
        .set((
            sources::last_fetched_at.eq(Some(fetched.at.naive_utc())),
            sources::last_outcome.eq(Some(fetched.outcome)),
            sources::last_status.eq(fetched.status),
            sources::last_error.eq(fetched.error.as_deref()),
            sources::etag.eq(fetched.etag.as_deref()),
            sources::last_modified.eq(fetched.last_modified.as_deref()),
            sources::next_fetch_at.eq(fetched.next_fetch_at.naive_utc()),
            sources::failures.eq(fetched.failures),
            sources::fetching_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(recorded == 1)
}

/// Gives back a source a fetch held (`until`), when the fetch could not be
/// recorded, so that its retry need not wait for the hold to end.
pub fn release(conn: &mut DbConnection, id: Uuid, until: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(
        sources::table
            .filter(sources::id.eq(id.to_string()))
            .filter(sources::fetching_until.eq(until.naive_utc())),
    )
    .set(sources::fetching_until.eq(None::<NaiveDateTime>))
    .execute(conn)?;
    Ok(())
}

/// Finished fetches are forgotten after `kept` (each source's outcome is
/// on the source itself), up to `limit` at a time.
pub fn prune(conn: &mut DbConnection, older_than: DateTime<Utc>, limit: i64) -> StoreResult<usize> {
    super::outbox::prune(conn, CHANNEL, older_than, limit)
}

/// Imports a fetched document's candidates and records the fetch, in one
/// transaction: the source's validators and counts move on with the
/// notices they stand for, or neither does. `None`, with nothing of the
/// fetch written, when it no longer holds its source (see `record_fetch`).
///
/// Locks as every write does, the content version first (PostgreSQL) and
/// then the source, so that an admin's change of the source at the same
/// moment waits rather than deadlocks; on SQLite the first statement
/// writes, so the write lock is taken at once.
pub fn record_import(
    conn: &mut DbConnection,
    (source, until): (&Source, DateTime<Utc>),
    candidates: &[Candidate],
    fetched: &Fetched,
    fanout: &[Fanout],
    now: DateTime<Utc>,
) -> StoreResult<Option<Imported>> {
    conn.transaction(|conn| {
        super::version::lock(conn)?;
        if !record_fetch(conn, source, until, fetched)? {
            // Given a new URL meanwhile: the source is due again at once,
            // and this fetch no longer holds it back.
            release(conn, source.id, until)?;
            return Ok(None);
        }
        let key = source.id.to_string();
        let origin = Origin {
            key: &key,
            feed_url: &source.settings.url,
            settings: &source.settings,
            actor: &crate::domain::source::actor(&key),
        };
        let done = import(conn, &origin, candidates, fanout, now)?;
        diesel::update(sources::table.filter(sources::id.eq(&key)))
            .set(sources::imported.eq(sources::imported + done.created))
            .execute(conn)?;
        Ok(Some(done))
    })
}
