//! The words of Tavla's e-mails, in bokmål and nynorsk: each letter's subject
//! and its two bodies, plain text and HTML, from the catalogues' `mail.ftl`
//! and the templates in `templates/mail/`. Sending them is not done here.

use askama::Template;

use crate::domain::{Details, Notice, Status};
use crate::feeds::key_facts;
use crate::i18n::Lang;
use crate::store::subscriptions::UNCONFIRMED_KEPT;

use super::plain::{tidy, wrap, TEXT_WIDTH};

/// One e-mail's words: the subject and both bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The links every e-mail after the confirmation ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footer {
    pub manage_url: String,
    pub unsubscribe_url: String,
}

/// What the confirmation's templates show.
struct ConfirmationWords<'a> {
    lang: Lang,
    subject: String,
    confirm_url: &'a str,
    ignore: String,
}

#[derive(Template)]
#[template(path = "mail/confirmation.txt")]
struct ConfirmationText<'a> {
    mail: &'a ConfirmationWords<'a>,
}

#[derive(Template)]
#[template(path = "mail/confirmation.html")]
struct ConfirmationHtml<'a> {
    mail: &'a ConfirmationWords<'a>,
}

/// Asks the reader to confirm a subscription: a link to `confirm_url` (a page
/// whose button confirms), and that nothing happens if they ignore it (the
/// address is deleted after 48 hours).
pub fn confirmation(lang: Lang, confirm_url: &str) -> Letter {
    let words = ConfirmationWords {
        lang,
        subject: lang.t("mail-confirm-subject"),
        confirm_url,
        ignore: lang.t_with(
            "mail-confirm-ignore",
            &[("hours", UNCONFIRMED_KEPT.num_hours().to_string())],
        ),
    };
    letter(
        &words.subject,
        &ConfirmationText { mail: &words },
        &ConfirmationHtml { mail: &words },
    )
}

/// What a notice's templates show.
struct NoticeWords<'a> {
    lang: Lang,
    subject: String,
    kind: String,
    title: &'a str,
    summary: &'a str,
    /// The notice's own language, for `lang` on its title and summary.
    language: &'static str,
    facts: Vec<String>,
    notice_url: &'a str,
    footer: &'a Footer,
}

#[derive(Template)]
#[template(path = "mail/notice.txt")]
struct NoticeText<'a> {
    mail: &'a NoticeWords<'a>,
}

#[derive(Template)]
#[template(path = "mail/notice.html")]
struct NoticeHtml<'a> {
    mail: &'a NoticeWords<'a>,
}

/// One notice that entered the subscriber's selection: title, kind, summary,
/// the facts that matter (a grant's deadline, a webinar's time, cancelled), a
/// link to `notice_url`, then the footer.
pub fn notice(lang: Lang, notice: &Notice, notice_url: &str, footer: &Footer) -> Letter {
    // A header is one line, whatever the title holds.
    let title = notice
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let subject = match &notice.details {
        Details::Webinar(webinar) if webinar.cancelled => {
            lang.t_with("mail-notice-subject-cancelled", &[("title", title)])
        }
        _ => lang.t_with(
            "mail-notice-subject",
            &[("kind", lang.kind(notice.kind())), ("title", title)],
        ),
    };
    let words = NoticeWords {
        lang,
        subject,
        kind: lang.kind(notice.kind()),
        title: &notice.title,
        summary: &notice.summary,
        language: notice.language.as_str(),
        facts: lasting_facts(notice, lang),
        notice_url,
        footer,
    };
    letter(
        &words.subject,
        &NoticeText { mail: &words },
        &NoticeHtml { mail: &words },
    )
}

/// The notice's facts as the pages word them, without its status: a letter
/// has no clock, and what it says must stay true while it waits in an inbox
/// («Åpen» would not). The deadline or the time says what the status would.
fn lasting_facts(notice: &Notice, lang: Lang) -> Vec<String> {
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|status| lang.t_with("fact-status", &[("status", lang.status(*status))]))
        .collect();
    key_facts(notice, notice.updated_at, lang)
        .iter()
        .map(ToString::to_string)
        .filter(|fact| !statuses.contains(fact))
        .collect()
}

fn letter(subject: &str, text: &impl Template, html: &impl Template) -> Letter {
    Letter {
        subject: subject.to_owned(),
        text: tidy(&render(text)),
        html: render(html),
    }
}

fn render(template: &impl Template) -> String {
    // It writes strings into a string, and no filter here fails.
    template.render().expect("a mail template renders")
}

/// The templates' own filters.
mod filters {
    /// Prose broken into lines that fit the plain-text body.
    pub fn wrap(text: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::wrap(&text.to_string(), super::TEXT_WIDTH))
    }
}

#[cfg(test)]
mod tests;
