//! The importer: a channel of the outbox whose sweep schedules each due
//! source's fetch as a delivery, and whose delivery is the fetch, the
//! import of what it found, and its record on the source.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::fetch::{Answer, Fetcher, Validators};
use crate::app::outbox::{Channel, Delivering, Failure, Sweeping};
use crate::app::Clock;
use crate::domain::import::{candidates, Candidate};
use crate::domain::source::{next_fetch, Source};
use crate::domain::time::truncate_to_micros;
use crate::metrics::Metrics;
use crate::store::outbox::{Claimed, Fanout};
use crate::store::sources::{self, Fetched, Imported, CHANNEL};
use crate::store::version::{self, VersionWatch};
use crate::store::{Store, StoreError, StoreResult};

/// Most entries one fetch imports: the newest, should an upstream list
/// thousands.
pub const MAX_ENTRIES: usize = 200;
/// How long a fetch holds its source against another: longer than the
/// fetch's timeout and its import, and shorter than the outbox's lease, so
/// that a fetch whose instance died is made again when its delivery is
/// claimed again.
const HOLD: Duration = Duration::seconds(45);
/// Most fetches under way at once in an instance.
const AT_ONCE: usize = 4;
/// Most sources one sweep schedules; more wait for the next poll.
const SWEEP_BATCH: i64 = 100;
/// How long finished fetches are kept in the outbox (each source's last
/// outcome is on the source).
const KEPT: Duration = Duration::days(7);

/// What one fetch came to, as the API answers a fetch made now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// `imported`, `not-modified`, or why the fetch failed: `timeout`,
    /// `no-connection`, `private-address`, `too-many-redirects`,
    /// `too-large`, `http-status`, `request-failed`, `not-a-feed`.
    pub outcome: &'static str,
    /// The upstream's HTTP status, when it answered.
    pub status: Option<i32>,
    pub error: Option<String>,
    /// New notices.
    pub created: i32,
    /// Notices changed to follow their entry.
    pub updated: i32,
    /// Entries changed upstream whose notice an editor has taken over.
    pub kept: i32,
    pub unchanged: i32,
}

/// A fetch asked for.
#[derive(Debug)]
pub enum Fetch {
    Done(Report),
    /// A fetch of the source is under way, here or in another instance.
    Busy,
    /// There is no such source.
    Gone,
    /// The source was deleted or given a new URL while it was fetched:
    /// nothing of the fetch was kept.
    Superseded,
}

pub struct Importer {
    store: Store,
    clock: Clock,
    version: Arc<VersionWatch>,
    /// What an imported notice's events are delivered on.
    fanout: Vec<Fanout>,
    fetcher: Fetcher,
    metrics: Arc<Metrics>,
}

impl Importer {
    pub fn new(
        store: Store,
        clock: Clock,
        version: Arc<VersionWatch>,
        fanout: Vec<Fanout>,
        fetcher: Fetcher,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            clock,
            version,
            fanout,
            fetcher,
            metrics,
        }
    }

    /// Fetches a source now, unless a fetch of it is under way, and records
    /// what came of it on the source.
    pub async fn fetch(&self, id: Uuid) -> StoreResult<Fetch> {
        let now = self.clock.now();
        // Stored and compared again when the fetch is recorded: whole
        // microseconds, as both backends keep them.
        let until = truncate_to_micros(now + HOLD);
        let taken = self
            .store
            .run(move |conn| sources::take(conn, id, now, until))
            .await?;
        let Some(source) = taken else {
            let exists = self.store.run(move |conn| sources::find(conn, id)).await?;
            return Ok(match exists {
                Some(_) => Fetch::Busy,
                None => Fetch::Gone,
            });
        };
        let recorded = match self.attempt(&source, now).await {
            Ok((fetched, found)) => self.record((source, until), fetched, found).await,
            Err(e) => Err(e),
        };
        match recorded {
            Ok(Some(report)) => {
                self.metrics
                    .fetch(report.outcome, report.created, report.updated);
                Ok(Fetch::Done(report))
            }
            Ok(None) => {
                self.metrics.fetch("superseded", 0, 0);
                Ok(Fetch::Superseded)
            }
            Err(e) => {
                // Not recorded on the source: the database failed it.
                self.metrics.fetch("not-recorded", 0, 0);
                // Best effort: a retry need not wait for the hold to end.
                let _ = self
                    .store
                    .run(move |conn| sources::release(conn, id, until))
                    .await;
                Err(e)
            }
        }
    }

    /// The request, and what its answer holds: what to record on the
    /// source, and the entries to import.
    async fn attempt(
        &self,
        source: &Source,
        now: DateTime<Utc>,
    ) -> StoreResult<(Fetched, Vec<Candidate>)> {
        let validators = Validators {
            etag: source.etag.clone(),
            last_modified: source.last_modified.clone(),
        };
        let answer = self
            .fetcher
            .get(&source.settings.url, &validators, now)
            .await;
        let now = self.clock.now();
        Ok(match answer {
            Ok(Answer::NotModified) => (
                good(source, "not-modified", Some(304), validators, now),
                Vec::new(),
            ),
            Ok(Answer::Document {
                status,
                body,
                validators,
            }) => {
                let drafts = source.settings.drafts();
                let parsed = tokio::task::spawn_blocking(move || {
                    candidates(&body, now, drafts, MAX_ENTRIES)
                })
                .await
                .map_err(|e| StoreError::Task(e.to_string()))?;
                let status = Some(i32::from(status));
                match parsed {
                    Ok(found) => (good(source, "imported", status, validators, now), found),
                    Err(e) => (
                        failed(source, e.code(), status, e.to_string(), None, now),
                        Vec::new(),
                    ),
                }
            }
            Err(e) => (
                failed(
                    source,
                    e.code(),
                    e.status(),
                    e.to_string(),
                    e.retry_after(),
                    now,
                ),
                Vec::new(),
            ),
        })
    }

    /// Records a fetch, with the notices it imports, and gives the source
    /// back; `None` when the fetch no longer held it.
    async fn record(
        &self,
        (source, until): (Source, DateTime<Utc>),
        fetched: Fetched,
        found: Vec<Candidate>,
    ) -> StoreResult<Option<Report>> {
        if let Some(error) = &fetched.error {
            tracing::warn!(source = %source.id, outcome = fetched.outcome, error, "a source's fetch failed");
        }
        let fanout = self.fanout.clone();
        let (now, recorded) = (self.clock.now(), fetched.clone());
        let (done, version) = self
            .store
            .run(move |conn| {
                let held = (&source, until);
                let done = sources::record_import(conn, held, &found, &recorded, &fanout, now)?;
                Ok((done, version::current(conn)?))
            })
            .await?;
        let Some(done) = done else {
            return Ok(None);
        };
        if done.created + done.updated > 0 {
            self.version.observe(version);
        }
        Ok(Some(report(&fetched, done)))
    }
}

fn report(fetched: &Fetched, done: Imported) -> Report {
    Report {
        outcome: fetched.outcome,
        status: fetched.status,
        error: fetched.error.clone(),
        created: done.created,
        updated: done.updated,
        kept: done.kept,
        unchanged: done.unchanged,
    }
}

/// A fetch that got a feed (or word that nothing changed): the source is
/// fetched again after its interval, with the validators given.
fn good(
    source: &Source,
    outcome: &'static str,
    status: Option<i32>,
    validators: Validators,
    now: DateTime<Utc>,
) -> Fetched {
    Fetched {
        at: now,
        outcome,
        status,
        error: None,
        etag: validators.etag,
        last_modified: validators.last_modified,
        next_fetch_at: now + source.settings.interval(),
        failures: 0,
    }
}

/// A fetch that imported nothing: the old validators stay (so the next
/// fetch reads the whole feed again), and the next fetch waits longer
/// with each failure in a row, and at least as long as the upstream asked.
fn failed(
    source: &Source,
    outcome: &'static str,
    status: Option<i32>,
    error: String,
    retry_after: Option<Duration>,
    now: DateTime<Utc>,
) -> Fetched {
    let failures = source.failures.saturating_add(1);
    Fetched {
        at: now,
        outcome,
        status,
        error: Some(error),
        etag: source.etag.clone(),
        last_modified: source.last_modified.clone(),
        next_fetch_at: next_fetch(source.settings.interval(), failures, retry_after, now),
        failures,
    }
}

impl Channel for Importer {
    fn names(&self) -> &'static [&'static str] {
        &[CHANNEL]
    }

    /// None: fetches are scheduled by the clock, in the sweep.
    fn fanout(&self) -> Vec<Fanout> {
        Vec::new()
    }

    fn handles(&self, channel: &str, _target: &str) -> bool {
        channel == CHANNEL
    }

    /// The fetch; an upstream's failure is the source's to record and back
    /// off from, so only a failure to read or write the store is retried.
    fn deliver<'a>(&'a self, claimed: &'a Claimed) -> Delivering<'a> {
        Box::pin(async move {
            let Ok(id) = Uuid::try_parse(&claimed.target) else {
                return Ok(None);
            };
            match self.fetch(id).await {
                Ok(Fetch::Done(report)) => Ok(report.status),
                Ok(Fetch::Busy | Fetch::Gone | Fetch::Superseded) => Ok(None),
                Err(e) => Err(Failure::retry(None, e.to_string())),
            }
        })
    }

    fn most_at_once(&self) -> usize {
        AT_ONCE
    }

    fn sweep(&self) -> Sweeping<'_> {
        Box::pin(async move {
            let now = self.clock.now();
            let swept = self
                .store
                .run(move |conn| {
                    sources::schedule_due(conn, now, SWEEP_BATCH)?;
                    sources::prune(conn, now - KEPT, SWEEP_BATCH)
                })
                .await;
            if let Err(e) = swept {
                tracing::warn!(error = %e, "due sources could not be scheduled; trying again");
            }
        })
    }
}
