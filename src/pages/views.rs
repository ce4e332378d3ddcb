//! What the templates show of a notice.

use chrono::{DateTime, Utc};

use crate::domain::time::{norwegian_date, rfc3339_oslo};
use crate::domain::{Details, Notice, Status};
use crate::feeds::{key_facts, Fact};
use crate::i18n::Lang;

pub struct NoticeCard {
    pub slug: String,
    /// The notice's language, for `lang` on what shows it.
    pub language: &'static str,
    pub title: String,
    pub summary: String,
    pub kind_label: String,
    pub published_date: String,
    pub published_iso: String,
    pub status_label: Option<String>,
    pub cancelled: bool,
    /// Deadlines and times among them are marked as `<time>`.
    pub facts: Vec<Fact>,
    /// (url, label): where to apply or register.
    pub action_link: Option<(String, String)>,
}

impl NoticeCard {
    pub fn new(notice: &Notice, now: DateTime<Utc>, lang: Lang) -> Self {
        let action_link = match &notice.details {
            Details::Grant(g) => g.apply_url.clone().map(|u| (u, lang.t("apply-here"))),
            Details::Webinar(w) if !w.cancelled => w
                .registration_url
                .clone()
                .map(|u| (u, lang.t("register-here"))),
            _ => None,
        };
        let status = notice.status(now);
        Self {
            slug: notice.slug.clone(),
            language: notice.language.as_str(),
            title: notice.title.clone(),
            summary: notice.summary.clone(),
            kind_label: lang.kind(notice.kind()),
            published_date: norwegian_date(notice.published_at),
            published_iso: rfc3339_oslo(notice.published_at),
            status_label: status.map(|s| lang.status(s)),
            cancelled: status == Some(Status::Cancelled),
            facts: key_facts(notice, now, lang),
            action_link,
        }
    }
}
