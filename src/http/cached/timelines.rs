//! The timelines of public answers, kept between renders.
//!
//! Every rendered answer needs its timeline (its Last-Modified and how long
//! it holds): nine index seeks, which on PostgreSQL are planned afresh each
//! time. A timeline changes only with a write, which raises the content
//! version, or when time reaches its next change; until then it is the same
//! for every answer of the same kinds, so it is kept here, even when no
//! answer is kept (`TAVLA_CACHE_BYTES=0`).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::domain::Kind;
use crate::store::listing::Timeline;

/// What a timeline depends on of the kinds it is for: whether grants'
/// deadlines and webinars' times count (the rest is over every notice).
type Scope = (bool, bool);

fn scope(kinds: &[Kind]) -> Scope {
    let has = |kind| kinds.is_empty() || kinds.contains(&kind);
    (has(Kind::Grant), has(Kind::Webinar))
}

#[derive(Debug, Clone, Copy)]
struct Kept {
    version: i64,
    /// The instant it was read at: it holds from here to its next change.
    at: DateTime<Utc>,
    timeline: Timeline,
}

/// At most one timeline per scope (four in all).
#[derive(Debug, Default)]
pub struct Timelines {
    kept: Mutex<HashMap<Scope, Kept>>,
}

impl Timelines {
    /// The timeline of `kinds` if one read at `version` holds at `now`.
    pub fn get(&self, kinds: &[Kind], version: i64, now: DateTime<Utc>) -> Option<Timeline> {
        let kept = *self.lock().get(&scope(kinds))?;
        let holds = kept.version == version
            && kept.at <= now
            && kept.timeline.next_change.is_none_or(|next| now < next);
        holds.then_some(kept.timeline)
    }

    /// Keeps `timeline`, read at `now` with `version` known, unless one of a
    /// later version is kept already.
    pub fn keep(&self, kinds: &[Kind], version: i64, now: DateTime<Utc>, timeline: Timeline) {
        let mut kept = self.lock();
        let entry = kept.entry(scope(kinds)).or_insert(Kept {
            version,
            at: now,
            timeline,
        });
        if entry.version <= version {
            *entry = Kept {
                version,
                at: now,
                timeline,
            };
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Scope, Kept>> {
        // What is kept is always whole: a panic elsewhere leaves it usable.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::days(10_000) + Duration::minutes(minutes)
    }

    fn timeline(last: i64, next: Option<i64>) -> Timeline {
        Timeline {
            last_change: Some(at(last)),
            next_change: next.map(at),
        }
    }

    #[test]
    fn a_timeline_holds_until_its_next_change() {
        let timelines = Timelines::default();
        timelines.keep(&[], 7, at(0), timeline(-5, Some(10)));
        assert_eq!(timelines.get(&[], 7, at(0)), Some(timeline(-5, Some(10))));
        assert_eq!(timelines.get(&[], 7, at(9)), Some(timeline(-5, Some(10))));
        assert_eq!(
            timelines.get(&[], 7, at(10)),
            None,
            "its next change has come"
        );
        assert_eq!(timelines.get(&[], 7, at(-1)), None, "the clock went back");
    }

    #[test]
    fn a_write_ends_every_timeline() {
        let timelines = Timelines::default();
        timelines.keep(&[Kind::News], 7, at(0), timeline(-5, None));
        assert!(
            timelines.get(&[Kind::News], 7, at(600)).is_some(),
            "nothing ahead"
        );
        assert_eq!(timelines.get(&[Kind::News], 8, at(1)), None);
    }

    #[test]
    fn kinds_with_the_same_instants_share_a_timeline() {
        let timelines = Timelines::default();
        timelines.keep(&[Kind::Grant, Kind::News], 7, at(0), timeline(-5, Some(10)));
        assert!(timelines
            .get(&[Kind::News, Kind::Grant, Kind::Grant], 7, at(1))
            .is_some());
        assert_eq!(
            timelines.get(&[Kind::Grant], 7, at(1)),
            timelines.get(&[Kind::Grant, Kind::News], 7, at(1))
        );
        assert_eq!(
            timelines.get(&[Kind::News], 7, at(1)),
            None,
            "no grants' deadlines in it"
        );
        assert_eq!(
            timelines.get(&[], 7, at(1)),
            None,
            "webinars' times are not in it"
        );
    }

    #[test]
    fn an_older_version_does_not_replace_a_newer_one() {
        let timelines = Timelines::default();
        timelines.keep(&[], 8, at(0), timeline(-1, None));
        timelines.keep(&[], 7, at(1), timeline(-5, None));
        assert_eq!(timelines.get(&[], 8, at(2)), Some(timeline(-1, None)));
        assert_eq!(timelines.get(&[], 7, at(2)), None);
    }
}
