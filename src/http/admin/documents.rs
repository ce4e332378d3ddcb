//! The request bodies of the admin API, for its description: validation
//! itself reads the JSON (`domain::input`), so every bad field is named at once.

use utoipa::ToSchema;

/// The notice document an editor sends: the body of a POST, and what a PATCH
/// (a JSON merge patch, RFC 7396) changes. Every invalid field is named in a 422.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NoticeDocument {
    /// Required on create; a notice keeps its kind.
    kind: crate::domain::Kind,
    /// One line, 1–200 characters, no control characters.
    #[schema(example = "Tilskudd til hospitering")]
    title: String,
    /// Plain text, 1–2000 characters; line breaks allowed.
    summary: String,
    /// Markdown, up to 50 000 characters, with block quotes and lists, emphasis
    /// and links, and HTML elements each nested at most 16 levels deep;
    /// rendered and sanitised once when written.
    body: Option<String>,
    /// An absolute http(s) URL.
    source_url: Option<String>,
    /// An RFC 3339 instant, or a date (00:00 Europe/Oslo). Default: now. Ahead: scheduled.
    #[schema(example = "2026-12-01T09:00:00+01:00")]
    published_at: Option<String>,
    /// `published` (default) or `draft`; withdraw with DELETE.
    state: Option<crate::domain::State>,
    /// 1–10 linkable area slugs, each within the token's packages.
    #[schema(example = json!(["helsetjenester"]))]
    areas: Vec<String>,
    /// Only for grants.
    grant: Option<GrantDocument>,
    /// Only for webinars.
    webinar: Option<WebinarDocument>,
}

/// A grant's terms in a notice document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct GrantDocument {
    /// RFC 3339; `null` for a rolling grant.
    deadline: Option<String>,
    /// Whole kroner, 0 to 10^12.
    amount_nok: Option<i64>,
    /// Up to 20 groups, e.g. kommuner, fylkeskommuner, helseforetak, organisasjoner, fastleger.
    applicants: Option<Vec<String>>,
    apply_url: Option<String>,
}

/// A webinar's time and registration in a notice document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct WebinarDocument {
    /// RFC 3339; required for a new webinar.
    starts_at: Option<String>,
    /// RFC 3339, after `starts_at`.
    ends_at: Option<String>,
    registration_url: Option<String>,
    /// Cancel with `true`; the webinar stays visible, marked cancelled.
    cancelled: Option<bool>,
    /// Up to 500 characters; only for a cancelled webinar.
    cancellation_note: Option<String>,
}
