//! The outbox's workers: in every instance, one loop claims due deliveries
//! from the database, hands each to its channel, and records how it went.
//! Scheduled notices go live here, at their instant, whoever is reading.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::sync::{watch, Notify};

use super::Clock;
use crate::store::listing;
use crate::store::outbox::{self, Attempt, Claimed, Fanout, GO_LIVE};
use crate::store::subscriptions::{self, UNCONFIRMED_KEPT};
use crate::store::version::{self, VersionWatch};
use crate::store::{webhooks, Store};

/// How often an idle worker looks for due deliveries: the bound on how late
/// a scheduled notice goes live or another instance's write is delivered.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(250);
/// How long a claim is held: longer than any one delivery may take.
pub const LEASE: Duration = Duration::seconds(60);
/// Deliveries under way at once, per instance.
pub const IN_FLIGHT: usize = 16;
/// Deliveries under way at once to one target (a webhook, the hub), per
/// instance: a slow receiver holds no more, and the rest go on.
const PER_TARGET: usize = 4;
/// How long webhook deliveries are kept, with their attempts.
pub const KEPT: Duration = Duration::days(30);

/// Most notices one sweep marks lapsed; more wait for the next poll.
const SWEEP_BATCH: i64 = 1_000;
/// The wait before each retry of a failed delivery: the first within
/// seconds, then growing, for more than a day in all; then it is given up.
const RETRIES: [Duration; 11] = [
    Duration::seconds(5),
    Duration::seconds(30),
    Duration::minutes(2),
    Duration::minutes(10),
    Duration::minutes(30),
    Duration::hours(1),
    Duration::hours(2),
    Duration::hours(4),
    Duration::hours(8),
    Duration::hours(8),
    Duration::hours(8),
];

/// When a delivery that failed on its `attempts`-th try is tried again;
/// `None` when it has had every try.
pub fn retry_at(attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let index = usize::try_from(attempts).ok()?.checked_sub(1)?;
    RETRIES.get(index).map(|wait| now + *wait)
}

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    pub error: String,
    /// No retry will do (the receiver is gone, or was removed).
    pub give_up: bool,
}

impl Failure {
    /// A failure that a retry may mend.
    pub fn retry(status: Option<i32>, error: impl Into<String>) -> Self {
        Self {
            status,
            error: error.into(),
            give_up: false,
        }
    }
}

/// The notice event of a delivery on a channel that delivers only those;
/// a delivery without one is given up (no retry would give it one).
pub fn event_of(claimed: &Claimed) -> Result<&crate::domain::Event, Failure> {
    claimed.notice_event().map_err(|e| Failure {
        status: None,
        error: e.to_string(),
        give_up: true,
    })
}

/// A channel's sweep (work it schedules by time).
pub type Sweeping<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// An attempt at a delivery: the receiver's status on success.
pub type Delivering<'a> = Pin<Box<dyn Future<Output = Result<Option<i32>, Failure>> + Send + 'a>>;

/// A way of telling the world of events (WebSub now; webhooks and e-mail).
pub trait Channel: Send + Sync {
    /// Its names in the outbox (lowercase letters and hyphens): the
    /// deliveries it makes.
    fn names(&self) -> &'static [&'static str];
    /// The deliveries this channel makes of each event.
    fn fanout(&self) -> Vec<Fanout>;
    /// Whether a delivery stored for `channel` and `target` is this one's.
    fn handles(&self, channel: &str, target: &str) -> bool;
    /// One attempt; the outbox records it and retries a failure.
    fn deliver<'a>(&'a self, claimed: &'a Claimed) -> Delivering<'a>;
    /// Most of its deliveries under way at once in an instance, of the
    /// worker's `IN_FLIGHT`: a channel whose queue can be long (e-mail at
    /// the relay's pace) leaves the rest to go-lives and the other channels.
    fn most_at_once(&self) -> usize {
        IN_FLIGHT
    }
    /// Whether a successful attempt at `claimed` recorded its own outcome in
    /// the transaction of what it wrote (as a go-live does), so that the
    /// worker has nothing left to record.
    fn settles_itself(&self, _claimed: &Claimed) -> bool {
        false
    }
    /// Work the channel owes by the clock rather than by events (digests),
    /// done in each poll's sweep: it writes deliveries, which are claimed
    /// like the rest.
    fn sweep(&self) -> Sweeping<'_> {
        Box::pin(async {})
    }
    /// When a delivery that failed on its `attempts`-th try is tried again.
    fn retry_at(&self, attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        retry_at(attempts, now)
    }
}

/// The outbox of one instance: its channels and its worker's doorbell.
pub struct Outbox {
    store: Store,
    clock: Clock,
    version: Arc<VersionWatch>,
    channels: Vec<Arc<dyn Channel>>,
    wake: Notify,
}

impl Outbox {
    pub fn new(
        store: Store,
        clock: Clock,
        version: Arc<VersionWatch>,
        channels: Vec<Arc<dyn Channel>>,
    ) -> Self {
        Self {
            store,
            clock,
            version,
            channels,
            wake: Notify::new(),
        }
    }

    /// Every delivery a write's events fan out to.
    pub fn fanout(&self) -> Vec<Fanout> {
        self.channels.iter().flat_map(|c| c.fanout()).collect()
    }

    /// Tells the worker a write stored deliveries, so it looks before its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Claims and delivers until `stop` turns true, then finishes the
    /// deliveries under way. Up to `IN_FLIGHT` run at once, each on its own:
    /// a slow receiver holds only its own delivery, and the worker goes on
    /// claiming (a go-live, another receiver's events) beside it.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut running = tokio::task::JoinSet::new();
        let mut per_target: HashMap<String, usize> = HashMap::new();
        // Deliveries under way per channel: a channel with a long queue
        // (a thousand e-mails at the relay's pace) holds at most its share.
        let mut per_channel: Vec<usize> = vec![0; self.channels.len()];
        // Which target and channel each task delivers to, so that their
        // counts go down however the task ends (a panic included).
        let mut target_of: HashMap<tokio::task::Id, (String, Option<usize>)> = HashMap::new();
        let mut swept: Option<tokio::time::Instant> = None;
        while !*stop.borrow() {
            let room = IN_FLIGHT.saturating_sub(running.len()) as i64;
            let mut claimed_any = false;
            if room > 0 {
                let mut channels: Vec<&'static str> = self
                    .channels
                    .iter()
                    .zip(&per_channel)
                    .filter(|(c, n)| **n < c.most_at_once())
                    .flat_map(|(c, _)| c.names().iter().copied())
                    .collect();
                channels.push(GO_LIVE);
                let now = self.clock.now();
                let busy: Vec<String> = per_target
                    .iter()
                    .filter(|(_, n)| **n >= PER_TARGET)
                    .map(|(t, _)| t.clone())
                    .collect();
                let claimed = self
                    .store
                    .run(move |conn| outbox::claim(conn, &channels, &busy, now, LEASE, room))
                    .await;
                match claimed {
                    Ok(claimed) => {
                        let mut excess = Vec::new();
                        for delivery in claimed {
                            let channel = self
                                .channels
                                .iter()
                                .position(|c| c.handles(&delivery.channel, &delivery.target));
                            let channel_full = channel
                                .is_some_and(|i| per_channel[i] >= self.channels[i].most_at_once());
                            let under_way = per_target.entry(delivery.target.clone()).or_default();
                            if *under_way >= PER_TARGET || channel_full {
                                excess.push(delivery);
                                continue;
                            }
                            *under_way += 1;
                            if let Some(i) = channel {
                                per_channel[i] += 1;
                            }
                            claimed_any = true;
                            let this = self.clone();
                            let target = delivery.target.clone();
                            let task = running.spawn(async move { this.deliver(delivery).await });
                            target_of.insert(task.id(), (target, channel));
                        }
                        if !excess.is_empty() {
                            self.give_back(excess).await;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the outbox could not be read; trying again")
                    }
                }
            }
            if claimed_any && running.len() < IN_FLIGHT {
                continue;
            }
            // At most once a poll: each sweep takes SQLite's write lock.
            if swept.is_none_or(|at| at.elapsed() >= POLL) {
                self.sweep().await;
                swept = Some(tokio::time::Instant::now());
            }
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                () = self.wake.notified() => {}
                _ = stop.changed() => {}
                Some(done) = running.join_next_with_id(), if !running.is_empty() => {
                    let id = match done {
                        Ok((id, ())) => id,
                        Err(e) => {
                            tracing::error!(error = %e, "a delivery's task failed; it is made again when its lease ends");
                            e.id()
                        }
                    };
                    if let Some((target, channel)) = target_of.remove(&id) {
                        if let Some(i) = channel {
                            per_channel[i] -= 1;
                        }
                        if let Some(n) = per_target.get_mut(&target) {
                            *n -= 1;
                            if *n == 0 {
                                per_target.remove(&target);
                            }
                        }
                    }
                }
            }
        }
        while running.join_next().await.is_some() {}
    }

    /// Marks notices whose time has passed as lapsed (closed grants, past
    /// webinars), a batch at a time: it only chooses where their lists look,
    /// so it is no delivery and needs no retry.
    /// Deliveries claimed beyond a target's share are due again at once,
    /// for this worker (once one of the target's ends) or another.
    async fn give_back(&self, excess: Vec<Claimed>) {
        let now = self.clock.now();
        if let Err(e) = self
            .store
            .run(move |conn| outbox::release(conn, &excess, now))
            .await
        {
            tracing::warn!(error = %e, "claimed deliveries could not be given back; due again when their lease ends");
        }
    }

    /// Webhook deliveries older than `KEPT`, and subscriptions left
    /// unconfirmed for 48 hours (with their addresses), are forgotten here too.
    async fn sweep(&self) {
        let now = self.clock.now();
        if let Err(e) = self
            .store
            .run(move |conn| {
                listing::sweep(conn, now, SWEEP_BATCH)?;
                subscriptions::forget_unconfirmed(conn, now - UNCONFIRMED_KEPT, SWEEP_BATCH)?;
                webhooks::prune(conn, now - KEPT, SWEEP_BATCH)
            })
            .await
        {
            tracing::warn!(error = %e, "lapsed notices could not be marked or old deliveries pruned; trying again");
        }
        for channel in &self.channels {
            channel.sweep().await;
        }
    }

    async fn deliver(&self, claimed: Claimed) {
        let started = std::time::Instant::now();
        let channel = self
            .channels
            .iter()
            .find(|c| c.handles(&claimed.channel, &claimed.target));
        let result = if claimed.channel == GO_LIVE {
            self.go_live(&claimed).await
        } else {
            match channel {
                Some(channel) => {
                    let limit = (LEASE / 2).to_std().expect("positive");
                    match tokio::time::timeout(limit, channel.deliver(&claimed)).await {
                        Ok(result) => result,
                        Err(_) => Err(Failure::retry(None, "no answer in time")),
                    }
                }
                None => Err(Failure::retry(
                    None,
                    format!(
                        "this instance has no {} channel to {}",
                        claimed.channel, claimed.target
                    ),
                )),
            }
        };
        let now = self.clock.now();
        let duration_ms = i32::try_from(started.elapsed().as_millis()).ok();
        let attempt = match result {
            Ok(status) => Attempt {
                status,
                error: None,
                retry_at: None,
                duration_ms,
            },
            Err(failure) => {
                let retry_at = match (failure.give_up, channel) {
                    (true, _) => None,
                    (false, Some(channel)) => channel.retry_at(claimed.attempts, now),
                    (false, None) => retry_at(claimed.attempts, now),
                };
                match retry_at {
                    Some(at) => {
                        tracing::warn!(channel = %claimed.channel, event = ?claimed.event.as_ref().map(|e| e.id),
                        attempt = claimed.attempts, error = %failure.error, retry_at = %at, "a delivery failed; it is retried")
                    }
                    None => {
                        tracing::error!(channel = %claimed.channel, event = ?claimed.event.as_ref().map(|e| e.id),
                        attempt = claimed.attempts, error = %failure.error, "a delivery failed for the last time; it is given up")
                    }
                }
                Attempt {
                    status: failure.status,
                    error: Some(failure.error),
                    retry_at,
                    duration_ms,
                }
            }
        };
        let recorded =
            claimed.channel == GO_LIVE || channel.is_some_and(|c| c.settles_itself(&claimed));
        if recorded && attempt.error.is_none() {
            return; // recorded with what the delivery wrote
        }
        let settled = self
            .store
            .run(move |conn| outbox::settle(conn, &claimed, &attempt, now))
            .await;
        match settled {
            Ok(true) => {}
            Ok(false) => tracing::warn!("a delivery outlived its lease; another worker has it"),
            Err(e) => {
                tracing::error!(error = %e, "a delivery's outcome could not be recorded; it is made again")
            }
        }
    }

    /// Records a scheduled notice as live and hands its event to the channels.
    async fn go_live(&self, claimed: &Claimed) -> Result<Option<i32>, Failure> {
        let (fanout, now, claimed) = (self.fanout(), self.clock.now(), claimed.clone());
        let version = self
            .store
            .run(move |conn| {
                outbox::go_live(conn, &claimed, &fanout, now)?;
                version::current(conn)
            })
            .await
            .map_err(|e| Failure::retry(None, e.to_string()))?;
        self.version.observe(version);
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_start_within_seconds_and_go_on_for_a_day() {
        let now = Utc::now();
        assert_eq!(retry_at(1, now), Some(now + Duration::seconds(5)));
        let mut waited = Duration::zero();
        let mut attempts = 1;
        while let Some(at) = retry_at(attempts, now) {
            waited += at - now;
            attempts += 1;
        }
        assert!(waited >= Duration::hours(24), "{waited}");
        assert_eq!(attempts as usize, RETRIES.len() + 1);
        assert_eq!(retry_at(0, now), None);
    }
}
