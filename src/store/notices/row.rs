//! A notice as a row of `notices`, and what an update of one changes.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::domain::{Body, Details, GrantDetails, Kind, Language, Notice, State, WebinarDetails};
use crate::store::schema::notices;
use crate::store::stamp::{MaybeStamp, Stamp};
use crate::store::text::{MaybeText, StoredText};
use crate::store::{StoreError, StoreResult};

/// A row as stored: instants in UTC, kind details in nullable columns.
#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = notices)]
pub(in crate::store) struct NoticeRow {
    id: String,
    slug: String,
    kind: String,
    state: String,
    #[diesel(deserialize_as = StoredText)]
    title: String,
    #[diesel(deserialize_as = StoredText)]
    summary: String,
    #[diesel(deserialize_as = MaybeText)]
    body: Option<String>,
    /// `body` rendered when written; `None` in rows stored before it was kept.
    #[diesel(deserialize_as = MaybeText)]
    body_html: Option<String>,
    source_url: Option<String>,
    language: String,
    #[diesel(deserialize_as = Stamp)]
    published_at: NaiveDateTime,
    revision: i32,
    #[diesel(deserialize_as = MaybeStamp)]
    deadline: Option<NaiveDateTime>,
    amount_nok: Option<i64>,
    applicants: Option<String>,
    apply_url: Option<String>,
    #[diesel(deserialize_as = MaybeStamp)]
    starts_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeStamp)]
    ends_at: Option<NaiveDateTime>,
    registration_url: Option<String>,
    cancelled: bool,
    cancellation_note: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    updated_at: NaiveDateTime,
}

pub(in crate::store) fn utc(naive: NaiveDateTime) -> DateTime<Utc> {
    naive.and_utc()
}

impl NoticeRow {
    pub(in crate::store) fn id(&self) -> &str {
        &self.id
    }

    /// Where the row stands in list order, which is descending by this key.
    pub(in crate::store) fn list_key(&self) -> (NaiveDateTime, &str) {
        (self.published_at, &self.id)
    }

    pub(super) fn from_notice(n: &Notice) -> Self {
        let none = (None, None, None, None);
        let (deadline, amount_nok, applicants, apply_url) = match &n.details {
            Details::Grant(g) => (
                g.deadline.map(|d| d.naive_utc()),
                g.amount_nok,
                Some(serde_json::to_string(&g.applicants).expect("strings serialise")),
                g.apply_url.clone(),
            ),
            _ => none,
        };
        let (starts_at, ends_at, registration_url, cancelled, cancellation_note) = match &n.details
        {
            Details::Webinar(w) => (
                w.starts_at.map(|d| d.naive_utc()),
                w.ends_at.map(|d| d.naive_utc()),
                w.registration_url.clone(),
                w.cancelled,
                w.cancellation_note.clone(),
            ),
            _ => (None, None, None, false, None),
        };
        Self {
            id: n.id.to_string(),
            slug: n.slug.clone(),
            kind: n.kind().as_str().to_owned(),
            state: n.state.as_str().to_owned(),
            title: n.title.clone(),
            summary: n.summary.clone(),
            body: n.body.as_ref().map(|b| b.markdown().to_owned()),
            body_html: n.body.as_ref().map(|b| b.html().to_owned()),
            source_url: n.source_url.clone(),
            language: n.language.as_str().to_owned(),
            published_at: n.published_at.naive_utc(),
            revision: n.revision,
            deadline,
            amount_nok,
            applicants,
            apply_url,
            starts_at,
            ends_at,
            registration_url,
            cancelled,
            cancellation_note,
            created_at: n.created_at.naive_utc(),
            updated_at: n.updated_at.naive_utc(),
        }
    }

    pub(super) fn into_notice(self, areas: Vec<String>) -> StoreResult<Notice> {
        let corrupt = |what: String| StoreError::Corrupt(format!("notice {}: {what}", self.id));
        let kind: Kind = self.kind.parse().map_err(corrupt)?;
        let state: State = self.state.parse().map_err(corrupt)?;
        let language: Language = self.language.parse().map_err(corrupt)?;
        let id = Uuid::parse_str(&self.id).map_err(|e| corrupt(e.to_string()))?;
        let details = match kind {
            Kind::Grant => Details::Grant(GrantDetails {
                deadline: self.deadline.map(utc),
                amount_nok: self.amount_nok,
                applicants: match &self.applicants {
                    Some(json) => serde_json::from_str(json).map_err(|e| corrupt(e.to_string()))?,
                    None => Vec::new(),
                },
                apply_url: self.apply_url,
            }),
            Kind::Webinar => Details::Webinar(WebinarDetails {
                starts_at: self.starts_at.map(utc),
                ends_at: self.ends_at.map(utc),
                registration_url: self.registration_url,
                cancelled: self.cancelled,
                cancellation_note: self.cancellation_note,
            }),
            Kind::News => Details::News,
        };
        Ok(Notice {
            id,
            slug: self.slug,
            state,
            title: self.title,
            summary: self.summary,
            body: match (self.body, self.body_html) {
                (Some(markdown), Some(html)) => Some(Body::stored(markdown, html)),
                // Not yet rendered at start (`bodies::render_missing`): an older
                // instance wrote it since. Bounded, as for any unchecked body.
                (Some(markdown), None) => Some(Body::render_or_escape(markdown)),
                (None, _) => None,
            },
            source_url: self.source_url,
            language,
            published_at: utc(self.published_at),
            revision: self.revision,
            areas,
            details,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

/// The columns an update changes, and no other: SQLite rewrites a row's
/// entry in every index on a column an UPDATE sets, even to the value it
/// had, and in a large store each of those entries is on a page of its own.
/// `None`: unchanged (an update always changes `revision` and `updated_at`).
#[derive(AsChangeset)]
#[diesel(table_name = notices)]
pub(super) struct ChangedColumns {
    slug: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    body: Option<Option<String>>,
    body_html: Option<Option<String>>,
    source_url: Option<Option<String>>,
    language: Option<String>,
    published_at: Option<NaiveDateTime>,
    revision: Option<i32>,
    deadline: Option<Option<NaiveDateTime>>,
    amount_nok: Option<Option<i64>>,
    applicants: Option<Option<String>>,
    apply_url: Option<Option<String>>,
    starts_at: Option<Option<NaiveDateTime>>,
    ends_at: Option<Option<NaiveDateTime>>,
    registration_url: Option<Option<String>>,
    cancelled: Option<bool>,
    cancellation_note: Option<Option<String>>,
    created_at: Option<NaiveDateTime>,
    updated_at: Option<NaiveDateTime>,
}

impl ChangedColumns {
    pub(super) fn between(before: NoticeRow, after: NoticeRow) -> Self {
        fn changed<T: PartialEq>(before: T, after: T) -> Option<T> {
            (before != after).then_some(after)
        }
        Self {
            slug: changed(before.slug, after.slug),
            kind: changed(before.kind, after.kind),
            state: changed(before.state, after.state),
            title: changed(before.title, after.title),
            summary: changed(before.summary, after.summary),
            body: changed(before.body, after.body),
            body_html: changed(before.body_html, after.body_html),
            source_url: changed(before.source_url, after.source_url),
            language: changed(before.language, after.language),
            published_at: changed(before.published_at, after.published_at),
            revision: changed(before.revision, after.revision),
            deadline: changed(before.deadline, after.deadline),
            amount_nok: changed(before.amount_nok, after.amount_nok),
            applicants: changed(before.applicants, after.applicants),
            apply_url: changed(before.apply_url, after.apply_url),
            starts_at: changed(before.starts_at, after.starts_at),
            ends_at: changed(before.ends_at, after.ends_at),
            registration_url: changed(before.registration_url, after.registration_url),
            cancelled: changed(before.cancelled, after.cancelled),
            cancellation_note: changed(before.cancellation_note, after.cancellation_note),
            created_at: changed(before.created_at, after.created_at),
            updated_at: changed(before.updated_at, after.updated_at),
        }
    }
}
