//! Notices: one dated announcement of a grant, a webinar or news.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Defines a closed set of lowercase names with `as_str`, `FromStr` and `ALL`.
#[macro_export]
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted values, for error messages: `grant, webinar, news`.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("{other:?} is not one of {}", Self::names())),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// What a notice announces.
    Kind { Grant => "grant", Webinar => "webinar", News => "news" }
);

named_enum!(
    /// Where a notice is in its life. Withdrawn is a soft delete.
    State { Draft => "draft", Published => "published", Withdrawn => "withdrawn" }
);

named_enum!(
    /// The language a notice is written in: bokmål (the default), nynorsk,
    /// Northern Sami or English, as BCP 47 tags.
    Language { Nb => "nb", Nn => "nn", Se => "se", En => "en" }
);

// The enum comes from `named_enum!`, whose variants take no attributes.
#[allow(clippy::derivable_impls)]
impl Default for Language {
    fn default() -> Self {
        Language::Nb
    }
}

named_enum!(
    /// Derived at read time from the kind's details and the clock.
    Status {
        Open => "open",
        Closed => "closed",
        Upcoming => "upcoming",
        Past => "past",
        Cancelled => "cancelled",
    }
);

impl Status {
    /// The kind a status belongs to.
    pub fn kind(self) -> Kind {
        match self {
            Status::Open | Status::Closed => Kind::Grant,
            Status::Upcoming | Status::Past | Status::Cancelled => Kind::Webinar,
        }
    }
}

/// A grant's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantDetails {
    /// `None` for a rolling grant with no deadline.
    pub deadline: Option<DateTime<Utc>>,
    pub amount_nok: Option<i64>,
    /// Who may apply: kommuner, fylkeskommuner, helseforetak, organisasjoner, fastleger …
    pub applicants: Vec<String>,
    pub apply_url: Option<String>,
}

/// A webinar's time and place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebinarDetails {
    /// `None` only where the source did not say when it is.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub registration_url: Option<String>,
    pub cancelled: bool,
    pub cancellation_note: Option<String>,
}

/// The kind-specific part of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    Grant(GrantDetails),
    Webinar(WebinarDetails),
    News,
}

impl Details {
    pub fn kind(&self) -> Kind {
        match self {
            Details::Grant(_) => Kind::Grant,
            Details::Webinar(_) => Kind::Webinar,
            Details::News => Kind::News,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: Uuid,
    pub slug: String,
    pub state: State,
    pub title: String,
    pub summary: String,
    /// Markdown, with the HTML it renders to.
    pub body: Option<super::Body>,
    pub source_url: Option<String>,
    pub language: Language,
    pub published_at: DateTime<Utc>,
    pub revision: i32,
    pub areas: Vec<String>,
    pub details: Details,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Notice {
    /// A new notice's id: a version 7 UUID, which begins with the instant it
    /// was created (`created_at`, from the application's clock), so ids
    /// follow the order notices are written in. Indexes keyed by id (the
    /// notices' own and `notice_areas`) then keep the notices of one page,
    /// written at about the same time, on a few pages of the file, where
    /// random ids spread them over the whole store (docs/benchmarks.md,
    /// "Ids in the order notices are written").
    pub fn new_id(created_at: DateTime<Utc>) -> Uuid {
        let millis = created_at.timestamp_millis().max(0) as u64;
        let stamp = uuid::Timestamp::from_unix(
            uuid::NoContext,
            millis / 1000,
            (millis % 1000) as u32 * 1_000_000,
        );
        Uuid::new_v7(stamp)
    }

    pub fn kind(&self) -> Kind {
        self.details.kind()
    }

    /// Public when published and its publication instant has come.
    pub fn is_public(&self, now: DateTime<Utc>) -> bool {
        self.state == State::Published && self.published_at <= now
    }

    /// The status at `now`: it changes as time passes, with no write.
    pub fn status(&self, now: DateTime<Utc>) -> Option<Status> {
        match &self.details {
            Details::Grant(grant) => Some(match grant.deadline {
                Some(deadline) if deadline <= now => Status::Closed,
                _ => Status::Open,
            }),
            Details::Webinar(webinar) => Some(webinar_status(webinar, now)),
            Details::News => None,
        }
    }
}

/// Cancelled wins; otherwise upcoming until it ends (or starts, when no end is
/// given). A webinar whose time the source never gave is not claimed as upcoming.
fn webinar_status(webinar: &WebinarDetails, now: DateTime<Utc>) -> Status {
    if webinar.cancelled {
        return Status::Cancelled;
    }
    match webinar.ends_at.or(webinar.starts_at) {
        Some(end) if end > now => Status::Upcoming,
        _ => Status::Past,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn notice(details: Details) -> Notice {
        let now = Utc::now();
        Notice {
            id: Uuid::new_v4(),
            slug: "x".into(),
            state: State::Published,
            title: "x".into(),
            summary: "x".into(),
            body: None,
            source_url: None,
            language: Default::default(),
            published_at: now,
            revision: 1,
            areas: vec!["helsetjenester".into()],
            details,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn ids_follow_the_instant_of_creation() {
        let now = Utc::now();
        let first = Notice::new_id(now);
        let later = Notice::new_id(now + Duration::milliseconds(1));
        let much_later = Notice::new_id(now + Duration::days(400));
        assert!(first < later && later < much_later);
        assert!(first.to_string() < later.to_string());
        assert_eq!(first.get_version_num(), 7);
        let (secs, _) = first.get_timestamp().unwrap().to_unix();
        assert_eq!(secs as i64, now.timestamp());
        // Two ids of one instant are still two.
        assert_ne!(Notice::new_id(now), Notice::new_id(now));
    }

    #[test]
    fn a_grant_closes_when_its_deadline_passes() {
        let deadline = Utc::now();
        let grant = notice(Details::Grant(GrantDetails {
            deadline: Some(deadline),
            ..Default::default()
        }));
        assert_eq!(
            grant.status(deadline - Duration::seconds(1)),
            Some(Status::Open)
        );
        assert_eq!(grant.status(deadline), Some(Status::Closed));
        let rolling = notice(Details::Grant(GrantDetails::default()));
        assert_eq!(
            rolling.status(deadline + Duration::days(9999)),
            Some(Status::Open)
        );
    }

    #[test]
    fn a_webinar_is_upcoming_until_it_ends_and_cancelled_wins() {
        let start = Utc::now();
        let mut details = WebinarDetails {
            starts_at: Some(start),
            ends_at: Some(start + Duration::hours(1)),
            ..Default::default()
        };
        let webinar = notice(Details::Webinar(details.clone()));
        assert_eq!(
            webinar.status(start + Duration::minutes(30)),
            Some(Status::Upcoming)
        );
        assert_eq!(
            webinar.status(start + Duration::hours(1)),
            Some(Status::Past)
        );
        details.cancelled = true;
        let cancelled = notice(Details::Webinar(details));
        assert_eq!(
            cancelled.status(start - Duration::days(1)),
            Some(Status::Cancelled)
        );
        let undated = notice(Details::Webinar(WebinarDetails::default()));
        assert_eq!(undated.status(start), Some(Status::Past));
    }

    #[test]
    fn news_has_no_status() {
        assert_eq!(notice(Details::News).status(Utc::now()), None);
    }

    #[test]
    fn names_parse_and_print() {
        assert_eq!("webinar".parse::<Kind>(), Ok(Kind::Webinar));
        assert!("Grant"
            .parse::<Kind>()
            .unwrap_err()
            .contains("grant, webinar, news"));
        assert_eq!(Status::Cancelled.to_string(), "cancelled");
        assert_eq!(Status::Past.kind(), Kind::Webinar);
    }
}
