//! The application's clock: every "now" Tavla acts on comes from here, so
//! tests can set and advance time instead of waiting for it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::domain::time::truncate_to_micros;

/// The system clock, or (in tests) the system clock moved by an offset that
/// can be set and advanced. Clones share the offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Microseconds added to the system clock; `None` for the system clock itself.
    offset: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// What production runs on.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads the system clock until it is set or advanced.
    pub fn settable() -> Self {
        Self {
            offset: Some(Arc::new(AtomicI64::new(0))),
        }
    }

    /// The current instant, at the precision storage keeps.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = self
            .offset
            .as_ref()
            .map_or(0, |offset| offset.load(Ordering::Acquire));
        truncate_to_micros(Utc::now() + Duration::microseconds(offset))
    }

    /// Moves a settable clock forward (or back, for a negative `by`).
    ///
    /// # Panics
    /// On the system clock, which no one may move.
    pub fn advance(&self, by: Duration) {
        let offset = self.offset.as_ref().expect("only a settable clock moves");
        let micros = by.num_microseconds().expect("a span the clock can hold");
        offset.fetch_add(micros, Ordering::AcqRel);
    }

    /// Sets a settable clock so that it reads `to` now (and runs on from there).
    pub fn set(&self, to: DateTime<Utc>) {
        self.advance(to - self.now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settable_clock_moves_and_its_clones_follow() {
        let clock = Clock::settable();
        let other = clock.clone();
        let start = clock.now();
        clock.advance(Duration::days(400));
        let moved = other.now() - start;
        assert!(moved >= Duration::days(400) && moved < Duration::days(400) + Duration::minutes(1));
        let target = start - Duration::days(30);
        other.set(target);
        assert!((clock.now() - target).abs() < Duration::minutes(1));
    }

    #[test]
    fn the_system_clock_reads_the_system_time() {
        let read = Clock::system().now();
        assert!((Utc::now() - read).abs() < Duration::minutes(1));
    }

    #[test]
    #[should_panic(expected = "only a settable clock moves")]
    fn the_system_clock_cannot_be_moved() {
        Clock::system().advance(Duration::seconds(1));
    }
}
