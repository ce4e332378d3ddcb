//! The JSON shapes of the public API.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::time::rfc3339_oslo;
use crate::domain::{Area, Details, Kind, Language, Notice, Status};

/// A grant's terms. Instants are RFC 3339 with Oslo's offset.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView<'a> {
    /// `null` for a rolling grant.
    #[schema(example = "2026-12-01T12:00:00+01:00")]
    pub deadline: Option<String>,
    pub amount_nok: Option<i64>,
    #[schema(example = json!(["kommuner", "helseforetak"]))]
    pub applicants: &'a [String],
    pub apply_url: Option<&'a str>,
}

/// A webinar's time and registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebinarView<'a> {
    /// `null` where the source gave no time.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub registration_url: Option<&'a str>,
    pub cancelled: bool,
    pub cancellation_note: Option<&'a str>,
}

/// One public notice. Its text is borrowed from the notice, not copied: a
/// page of a search can hold 35 kB of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView<'a> {
    /// Stable forever; feeds use `urn:uuid:<id>`.
    pub id: String,
    pub slug: &'a str,
    pub kind: Kind,
    pub title: &'a str,
    pub summary: &'a str,
    /// Markdown, as written.
    pub body: Option<&'a str>,
    /// The body rendered to sanitised HTML when it was written, its
    /// headings below the notice's title (the top one an h2).
    pub body_html: Option<&'a str>,
    #[schema(example = "2020-10-27T00:00:00+01:00")]
    pub published_at: String,
    pub updated_at: String,
    /// `open`/`closed` for grants, `upcoming`/`past`/`cancelled` for webinars, `null` for news.
    pub status: Option<Status>,
    /// Area slugs, see `/api/v1/areas`.
    pub areas: &'a [String],
    /// The HTML permalink.
    pub url: String,
    /// Where the notice was first published, if elsewhere.
    pub source_url: Option<&'a str>,
    /// The language it is written in: `nb`, `nn`, `se` or `en`.
    pub language: Language,
    /// Present for grants only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantView<'a>>,
    /// Present for webinars only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webinar: Option<WebinarView<'a>>,
}

fn instant(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(rfc3339_oslo)
}

impl<'a> NoticeView<'a> {
    pub fn new(notice: &'a Notice, now: DateTime<Utc>, base_url: &str) -> Self {
        let (grant, webinar) = match &notice.details {
            Details::Grant(g) => (
                Some(GrantView {
                    deadline: instant(g.deadline),
                    amount_nok: g.amount_nok,
                    applicants: &g.applicants,
                    apply_url: g.apply_url.as_deref(),
                }),
                None,
            ),
            Details::Webinar(w) => (
                None,
                Some(WebinarView {
                    starts_at: instant(w.starts_at),
                    ends_at: instant(w.ends_at),
                    registration_url: w.registration_url.as_deref(),
                    cancelled: w.cancelled,
                    cancellation_note: w.cancellation_note.as_deref(),
                }),
            ),
            Details::News => (None, None),
        };
        Self {
            id: notice.id.to_string(),
            slug: &notice.slug,
            kind: notice.kind(),
            title: &notice.title,
            summary: &notice.summary,
            body: notice.body.as_ref().map(|b| b.markdown()),
            body_html: notice.body.as_ref().map(|b| b.html()),
            published_at: rfc3339_oslo(notice.published_at),
            updated_at: rfc3339_oslo(notice.updated_at),
            status: notice.status(now),
            areas: &notice.areas,
            url: format!("{base_url}/notices/{}", notice.slug),
            source_url: notice.source_url.as_deref(),
            language: notice.language,
            grant,
            webinar,
        }
    }
}

/// A page of notices.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticePage<'a> {
    pub items: Vec<NoticeView<'a>>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Room for a notice's JSON besides its text: names, instants, URLs, areas.
const NOTICE_JSON_OVERHEAD: usize = 640;

impl NoticePage<'_> {
    /// The page as JSON, written into a buffer sized for it at the outset
    /// rather than grown (and copied) a dozen times on the way to tens of kB.
    /// Written by `sonic_rs`, which escapes strings many bytes at a time:
    /// serde_json's byte-at-a-time escaping was a tenth of the instructions
    /// of a search's page of 20 at a million notices (35 kB of text, most
    /// of it bodies). The bytes are serde_json's, byte for byte (tested).
    pub fn to_json(&self) -> Vec<u8> {
        let text: usize = self
            .items
            .iter()
            .map(|n| {
                let body = n.body.map_or(0, str::len) + n.body_html.map_or(0, str::len);
                n.title.len() + n.summary.len() + body + NOTICE_JSON_OVERHEAD
            })
            .sum();
        let mut json = Vec::with_capacity(text + 64);
        sonic_rs::to_writer(&mut json, self).expect("views serialise");
        json
    }
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
pub struct AdminNoticeView<'a> {
    #[serde(flatten)]
    pub notice: NoticeView<'a>,
    pub state: crate::domain::State,
    /// Rises with every change; the resource's ETag is `"rev-<revision>"`.
    pub revision: i32,
    /// Whether the public sees it now (published, and its instant has come).
    pub public: bool,
    pub created_at: String,
}

impl<'a> AdminNoticeView<'a> {
    pub fn new(notice: &'a Notice, now: DateTime<Utc>, base_url: &str) -> Self {
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
pub struct AdminNoticePage<'a> {
    pub items: Vec<AdminNoticeView<'a>>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Body, GrantDetails, State};
    use chrono::Duration;

    /// Every character JSON must escape, and the ones it need not: the
    /// other controls, quotes, backslashes, DEL, the line separators that
    /// JavaScript once refused, Norwegian text and emoji, at the start, in
    /// the middle and at the end of long and short strings.
    fn awkward_text(at: usize) -> String {
        let mut text: String = (0u8..0x20).map(char::from).collect();
        text.push_str("\"\\/\u{7f}\u{2028}\u{2029}æøå ÆØÅ «sitat» – 🦀 ");
        let mut long = "Søknadsfrist for «tilskudd» – ".repeat(at % 7);
        long.insert_str(long.len() / 2, &text);
        long + &text
    }

    #[test]
    fn a_page_is_written_as_serde_json_writes_it() {
        let now = Utc::now();
        let notices: Vec<Notice> = (0..12)
            .map(|at| Notice {
                id: Notice::new_id(now),
                slug: format!("a-{at}"),
                state: State::Published,
                title: awkward_text(at),
                summary: awkward_text(at + 1),
                body: (at % 2 == 0)
                    .then(|| Body::stored(awkward_text(at + 2), awkward_text(at + 3))),
                source_url: Some(format!("https://example.org/{at}?a=1&b=\"")),
                language: Default::default(),
                published_at: now - Duration::days(at as i64),
                revision: 1,
                areas: vec!["helsetjenester".into(), awkward_text(at)],
                details: Details::Grant(GrantDetails {
                    deadline: Some(now + Duration::hours(at as i64)),
                    amount_nok: Some(-(at as i64) * 1_000_000_007),
                    applicants: vec![awkward_text(at), String::new()],
                    apply_url: None,
                }),
                created_at: now,
                updated_at: now,
            })
            .collect();
        let page = NoticePage {
            items: notices
                .iter()
                .map(|n| NoticeView::new(n, now, "https://tavla.example"))
                .collect(),
            next_cursor: Some(awkward_text(3)),
        };
        let written = page.to_json();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            serde_json::to_string(&page).unwrap()
        );
    }
}
