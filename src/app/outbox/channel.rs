//! What a channel is to the outbox: how it delivers, what a failure is,
//! and when a failed delivery is tried again.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Duration, Utc};

use super::IN_FLIGHT;
use crate::store::outbox::{Claimed, Fanout};

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
