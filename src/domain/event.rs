//! Events: what a write did to the public set, as receivers are told of it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Kind, Language, Notice, State};

crate::named_enum! {
    /// How the public set changed.
    EventType {
        Published => "notice.published",
        Updated => "notice.updated",
        Withdrawn => "notice.withdrawn",
    }
}

/// A notice's place among the feeds: what a channel needs to know which of
/// its feeds or filters a change touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub kind: Kind,
    pub areas: Vec<String>,
    /// Events recorded before notices had a language are of bokmål ones.
    #[serde(default)]
    pub language: Language,
}

impl Placement {
    pub fn of(notice: &Notice) -> Self {
        Self {
            kind: notice.kind(),
            areas: notice.areas.clone(),
            language: notice.language,
        }
    }
}

/// One change of the public set, due now or at a scheduled notice's instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable: receivers see the same id on every retry.
    pub id: Uuid,
    pub event_type: EventType,
    pub notice_id: Uuid,
    pub revision: i32,
    /// Where the notice was before the change and where it is after.
    pub affects: Vec<Placement>,
    pub due_at: DateTime<Utc>,
}

/// The events of a write that turned `before` (none for a new notice) into
/// `after` at `now`: entering, changing within or leaving the public set now,
/// and entering it later for a notice scheduled ahead of `now`.
pub fn events_of_write(before: Option<&Notice>, after: &Notice, now: DateTime<Utc>) -> Vec<Event> {
    let was_public = before.is_some_and(|b| b.is_public(now));
    let is_public = after.is_public(now);
    let mut affects: Vec<Placement> = before.iter().map(|b| Placement::of(b)).collect();
    let placement = Placement::of(after);
    if !affects.contains(&placement) {
        affects.push(placement);
    }
    let event = |event_type, due_at| Event {
        id: Uuid::new_v4(),
        event_type,
        notice_id: after.id,
        revision: after.revision,
        affects: affects.clone(),
        due_at,
    };
    let mut events = Vec::new();
    match (was_public, is_public) {
        (false, true) => events.push(event(EventType::Published, now)),
        (true, true) => events.push(event(EventType::Updated, now)),
        (true, false) => events.push(event(EventType::Withdrawn, now)),
        (false, false) => {}
    }
    if after.state == State::Published && after.published_at > now {
        events.push(event(EventType::Published, after.published_at));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Details;
    use chrono::Duration;

    fn notice(state: State, published_at: DateTime<Utc>) -> Notice {
        Notice {
            id: Uuid::new_v4(),
            slug: "a".into(),
            state,
            title: "Tittel".into(),
            summary: "Kort".into(),
            body: None,
            source_url: None,
            language: Default::default(),
            published_at,
            revision: 1,
            areas: vec!["helsetjenester".into()],
            details: Details::News,
            created_at: published_at,
            updated_at: published_at,
        }
    }

    fn types(events: &[Event]) -> Vec<(EventType, DateTime<Utc>)> {
        events.iter().map(|e| (e.event_type, e.due_at)).collect()
    }

    #[test]
    fn each_move_in_or_out_of_the_public_set_is_one_event() {
        let now = Utc::now();
        let live = notice(State::Published, now - Duration::days(1));
        let later = now + Duration::days(2);
        let scheduled = notice(State::Published, later);
        let draft = notice(State::Draft, now);
        let withdrawn = Notice {
            state: State::Withdrawn,
            ..live.clone()
        };
        let moved = Notice {
            areas: vec!["kommuneoverlege".into()],
            revision: 2,
            ..live.clone()
        };
        assert_eq!(
            types(&events_of_write(None, &live, now)),
            [(EventType::Published, now)]
        );
        assert_eq!(
            types(&events_of_write(None, &scheduled, now)),
            [(EventType::Published, later)]
        );
        assert!(events_of_write(None, &draft, now).is_empty());
        assert!(events_of_write(Some(&draft), &draft, now).is_empty());
        assert_eq!(
            types(&events_of_write(Some(&live), &withdrawn, now)),
            [(EventType::Withdrawn, now)]
        );
        let rescheduled = Notice {
            published_at: later,
            ..live.clone()
        };
        assert_eq!(
            types(&events_of_write(Some(&live), &rescheduled, now)),
            [(EventType::Withdrawn, now), (EventType::Published, later)]
        );
        let updated = events_of_write(Some(&live), &moved, now);
        assert_eq!(types(&updated), [(EventType::Updated, now)]);
        assert_eq!(updated[0].revision, 2);
        assert_eq!(
            updated[0].affects,
            [Placement::of(&live), Placement::of(&moved)],
            "the feeds it left and the feeds it entered"
        );
        assert_eq!(events_of_write(Some(&live), &live, now)[0].affects.len(), 1);
    }
}
