//! The JSON shapes of the public API.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::time::rfc3339_oslo;
use crate::domain::{Area, Details, Kind, Language, Notice, Status};

/// A grant's terms. Instants are RFC 3339 with Oslo's offset.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView {
    /// `null` for a rolling grant.
    #[schema(example = "2026-12-01T12:00:00+01:00")]
    pub deadline: Option<String>,
    pub amount_nok: Option<i64>,
    #[schema(example = json!(["kommuner", "helseforetak"]))]
    pub applicants: Vec<String>,
    pub apply_url: Option<String>,
}

/// A webinar's time and registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebinarView {
    /// `null` where the source gave no time.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub registration_url: Option<String>,
    pub cancelled: bool,
    pub cancellation_note: Option<String>,
}

/// One public notice.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    /// Stable forever; feeds use `urn:uuid:<id>`.
    pub id: String,
    pub slug: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    /// Markdown, as written.
    pub body: Option<String>,
    /// The body rendered to sanitised HTML when it was written, its
    /// headings below the notice's title (the top one an h2).
    pub body_html: Option<String>,
    #[schema(example = "2020-10-27T00:00:00+01:00")]
    pub published_at: String,
    pub updated_at: String,
    /// `open`/`closed` for grants, `upcoming`/`past`/`cancelled` for webinars, `null` for news.
    pub status: Option<Status>,
    /// Area slugs, see `/api/v1/areas`.
    pub areas: Vec<String>,
    /// The HTML permalink.
    pub url: String,
    /// Where the notice was first published, if elsewhere.
    pub source_url: Option<String>,
    /// The language it is written in: `nb`, `nn`, `se` or `en`.
    pub language: Language,
    /// Present for grants only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantView>,
    /// Present for webinars only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webinar: Option<WebinarView>,
}

fn instant(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(rfc3339_oslo)
}

impl NoticeView {
    pub fn new(notice: &Notice, now: DateTime<Utc>, base_url: &str) -> Self {
        let (grant, webinar) = match &notice.details {
            Details::Grant(g) => (
                Some(GrantView {
                    deadline: instant(g.deadline),
                    amount_nok: g.amount_nok,
                    applicants: g.applicants.clone(),
                    apply_url: g.apply_url.clone(),
                }),
                None,
            ),
            Details::Webinar(w) => (
                None,
                Some(WebinarView {
                    starts_at: instant(w.starts_at),
                    ends_at: instant(w.ends_at),
                    registration_url: w.registration_url.clone(),
                    cancelled: w.cancelled,
                    cancellation_note: w.cancellation_note.clone(),
                }),
            ),
            Details::News => (None, None),
        };
        Self {
            id: notice.id.to_string(),
            slug: notice.slug.clone(),
            kind: notice.kind(),
            title: notice.title.clone(),
            summary: notice.summary.clone(),
            body: notice.body.as_ref().map(|b| b.markdown().to_owned()),
            body_html: notice.body.as_ref().map(|b| b.html().to_owned()),
            published_at: rfc3339_oslo(notice.published_at),
            updated_at: rfc3339_oslo(notice.updated_at),
            status: notice.status(now),
            areas: notice.areas.clone(),
            url: format!("{base_url}/notices/{}", notice.slug),
            source_url: notice.source_url.clone(),
            language: notice.language,
            grant,
            webinar,
        }
    }
}

/// A page of notices.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticePage {
    pub items: Vec<NoticeView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One access package.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaView {
    pub slug: String,
    pub name: String,
    /// `null` where the access-package document says "(mangler)".
    pub description: Option<String>,
    pub parent: Option<String>,
    /// Notices may be tagged with it.
    pub linkable: bool,
    /// It may be granted to an editor token.
    pub delegable: bool,
    pub er_roles: Vec<String>,
    /// The area's page.
    pub url: String,
}

impl AreaView {
    pub fn new(area: &Area, base_url: &str) -> Self {
        Self {
            slug: area.slug.clone(),
            name: area.name.clone(),
            description: area.description.clone(),
            parent: area.parent.clone(),
            linkable: area.linkable,
            delegable: area.delegable,
            er_roles: area.er_roles.clone(),
            url: format!("{base_url}/areas/{}", area.slug),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AreaList {
    pub items: Vec<AreaView>,
}

/// A notice as editors see it: every state, with its revision.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminNoticeView {
    #[serde(flatten)]
    pub notice: NoticeView,
    pub state: crate::domain::State,
    /// Rises with every change; the resource's ETag is `"rev-<revision>"`.
    pub revision: i32,
    /// Whether the public sees it now (published, and its instant has come).
    pub public: bool,
    pub created_at: String,
}

impl AdminNoticeView {
    pub fn new(notice: &Notice, now: DateTime<Utc>, base_url: &str) -> Self {
        Self {
            notice: NoticeView::new(notice, now, base_url),
            state: notice.state,
            revision: notice.revision,
            public: notice.is_public(now),
            created_at: rfc3339_oslo(notice.created_at),
        }
    }
}

/// A page of notices in any state.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminNoticePage {
    pub items: Vec<AdminNoticeView>,
    pub next_cursor: Option<String>,
}
