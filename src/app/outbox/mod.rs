//! The outbox's workers: in every instance, one loop claims due deliveries
//! from the database, hands each to its channel, and records how it went.
//! Scheduled notices go live here, at their instant, whoever is reading.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use tokio::sync::{watch, Notify};

use super::Clock;

mod channel;

use crate::metrics::{ChannelBacklog, Metrics};
use crate::store::listing;
use crate::store::outbox::{self, Attempt, Claimed, Fanout, GO_LIVE};
use crate::store::subscriptions::{self, UNCONFIRMED_KEPT};
use crate::store::version::{self, VersionWatch};
use crate::store::{webhooks, Store, StoreResult};
pub use channel::{event_of, retry_at, Channel, Delivering, Failure, Sweeping};

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
/// The outbox of one instance: its channels and its worker's doorbell.
pub struct Outbox {
    store: Store,
    clock: Clock,
    version: Arc<VersionWatch>,
    channels: Vec<Arc<dyn Channel>>,
    wake: Notify,
    metrics: Arc<Metrics>,
}

impl Outbox {
    pub fn new(
        store: Store,
        clock: Clock,
        version: Arc<VersionWatch>,
        channels: Vec<Arc<dyn Channel>>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            clock,
            version,
            channels,
            wake: Notify::new(),
            metrics,
        }
    }

    /// Each channel's deliveries not yet finished, for the metrics.
    pub async fn backlog(&self) -> StoreResult<Vec<ChannelBacklog>> {
        let mut names: Vec<&'static str> = self
            .channels
            .iter()
            .flat_map(|c| c.names().iter().copied())
            .collect();
        names.push(GO_LIVE);
        let now = self.clock.now();
        self.store
            .run(move |conn| outbox::backlog(conn, &names, now))
            .await
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
        let mut outcome = match &result {
            Ok(_) => "delivered",
            Err(_) => "retried",
        };
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
                if retry_at.is_none() {
                    outcome = "given-up";
                }
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
            // Recorded with what the delivery wrote.
            self.metrics.delivery(&claimed.channel, outcome);
            return;
        }
        let name = claimed.channel.clone();
        let settled = self
            .store
            .run(move |conn| outbox::settle(conn, &claimed, &attempt, now))
            .await;
        match settled {
            // Counted once recorded: an attempt made again is not counted twice.
            Ok(true) => self.metrics.delivery(&name, outcome),
            Ok(false) => tracing::warn!("a delivery outlived its lease; another worker has it"),
            Err(e) => {
                tracing::error!(error = %e, "a delivery's outcome could not be recorded; it is made again")
            }
        }
    }

    /// Records a scheduled notice as live and hands its event to the channels.
    async fn go_live(&self, claimed: &Claimed) -> Result<Option<i32>, Failure> {
        let (fanout, now, claimed) = (self.fanout(), self.clock.now(), claimed.clone());
        let (done, version) = self
            .store
            .run(move |conn| {
                let done = outbox::go_live(conn, &claimed, &fanout, now)?;
                Ok((done, version::current(conn)?))
            })
            .await
            .map_err(|e| Failure::retry(None, e.to_string()))?;
        self.version.observe(version);
        match done {
            true => Ok(None),
            // Its record finds the lease lost too, and counts nothing.
            false => Err(Failure::retry(
                None,
                "the go-live's lease ran out; another worker has it",
            )),
        }
    }
}
