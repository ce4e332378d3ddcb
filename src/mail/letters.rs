//! The words of Tavla's e-mails, in bokmål and nynorsk: each letter's subject
//! and its two bodies, plain text and HTML, from the catalogues' `mail.ftl`
//! and the templates in `templates/mail/`. Sending them is not done here.

use askama::Template;

use crate::domain::subscription::Frequency;
use crate::domain::time::norwegian_date_time;
use crate::domain::{Details, GrantDetails, Notice, WebinarDetails};
use crate::i18n::Lang;
use crate::store::subscriptions::UNCONFIRMED_KEPT;

use super::plain::{tidy, wrap, TEXT_WIDTH};
use parts::{one_line, plural_category, Shown};

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
    notice: Shown<'a>,
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
    let title = one_line(&notice.title);
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
        notice: Shown::of(notice, notice_url, lang),
        footer,
    };
    letter(
        &words.subject,
        &NoticeText { mail: &words },
        &NoticeHtml { mail: &words },
    )
}

/// What a digest's templates show.
struct DigestWords<'a> {
    lang: Lang,
    subject: String,
    heading: String,
    intro: String,
    notices: Vec<Shown<'a>>,
    footer: &'a Footer,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    mail: &'a DigestWords<'a>,
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    mail: &'a DigestWords<'a>,
}

/// The notices that entered the subscriber's selection since their last
/// digest, newest first as given: each with its title, kind, the facts that
/// matter, its summary and a link (`notices[i].1` is the notice's absolute
/// URL); `frequency` is Daily or Weekly and picks the wording («Dagens nytt»,
/// «Ukens nytt»; Immediate, which has no digest, gets a plain «Nytt»); then
/// the footer.
pub fn digest(
    lang: Lang,
    frequency: Frequency,
    notices: &[(Notice, String)],
    footer: &Footer,
) -> Letter {
    let count = [
        ("count", notices.len().to_string()),
        ("plural", plural_category(notices.len()).to_owned()),
    ];
    let words = DigestWords {
        lang,
        subject: lang.t_with("mail-digest-subject", &count),
        heading: lang.t_with(
            "mail-digest-heading",
            &[("frequency", frequency.as_str().to_owned())],
        ),
        intro: lang.t_with("mail-digest-intro", &count),
        notices: notices
            .iter()
            .map(|(notice, url)| Shown::of(notice, url, lang))
            .collect(),
        footer,
    };
    letter(
        &words.subject,
        &DigestText { mail: &words },
        &DigestHtml { mail: &words },
    )
}

/// What a reminder's templates show.
struct ReminderWords<'a> {
    lang: Lang,
    subject: String,
    /// The deadline or the start, in a sentence; none for a notice without.
    when: Option<String>,
    notice: Shown<'a>,
    footer: &'a Footer,
}

#[derive(Template)]
#[template(path = "mail/reminder.txt")]
struct ReminderText<'a> {
    mail: &'a ReminderWords<'a>,
}

#[derive(Template)]
#[template(path = "mail/reminder.html")]
struct ReminderHtml<'a> {
    mail: &'a ReminderWords<'a>,
}

/// A reminder: a grant whose application deadline is about a week away (it
/// says the deadline), or a webinar that starts soon (it says when). The
/// dates are the notice's own: a letter has no clock. A link to
/// `notice_url`, then the footer. A webinar cancelled meanwhile gets
/// [`cancelled`] instead, since «starts soon» would no longer be true.
pub fn reminder(lang: Lang, notice: &Notice, notice_url: &str, footer: &Footer) -> Letter {
    let title = one_line(&notice.title);
    let (subject, when) = match &notice.details {
        Details::Webinar(webinar) if webinar.cancelled => {
            return cancelled(lang, notice, notice_url, footer);
        }
        Details::Grant(GrantDetails {
            deadline: Some(deadline),
            ..
        }) => (
            lang.t_with("mail-reminder-subject-deadline", &[("title", title)]),
            Some(lang.t_with(
                "mail-reminder-deadline",
                &[("when", norwegian_date_time(*deadline))],
            )),
        ),
        Details::Webinar(WebinarDetails {
            starts_at: Some(start),
            ..
        }) => (
            lang.t_with("mail-reminder-subject-start", &[("title", title)]),
            Some(lang.t_with(
                "mail-reminder-start",
                &[("when", norwegian_date_time(*start))],
            )),
        ),
        _ => (
            lang.t_with("mail-reminder-subject", &[("title", title)]),
            None,
        ),
    };
    let words = ReminderWords {
        lang,
        subject,
        when,
        notice: Shown::of(notice, notice_url, lang),
        footer,
    };
    letter(
        &words.subject,
        &ReminderText { mail: &words },
        &ReminderHtml { mail: &words },
    )
}

/// What a cancellation's templates show.
struct CancelledWords<'a> {
    lang: Lang,
    subject: String,
    /// The notice's cancellation note, as it was written.
    note: Option<&'a str>,
    notice: Shown<'a>,
    footer: &'a Footer,
}

#[derive(Template)]
#[template(path = "mail/cancelled.txt")]
struct CancelledText<'a> {
    mail: &'a CancelledWords<'a>,
}

#[derive(Template)]
#[template(path = "mail/cancelled.html")]
struct CancelledHtml<'a> {
    mail: &'a CancelledWords<'a>,
}

/// A webinar the reader was reminded of is cancelled: the subject and the
/// body's first words say so, then the notice's cancellation note if it has
/// one, the notice, a link to `notice_url`, and the footer.
pub fn cancelled(lang: Lang, notice: &Notice, notice_url: &str, footer: &Footer) -> Letter {
    let note = match &notice.details {
        Details::Webinar(webinar) => webinar.cancellation_note.as_deref(),
        _ => None,
    };
    let mut shown = Shown::of(notice, notice_url, lang);
    // The letter says it first, and the note on its own: not again as a fact.
    let said = match note {
        Some(note) => lang.t_with("fact-cancelled-note", &[("note", note.to_owned())]),
        None => lang.t("fact-cancelled"),
    };
    shown.facts.retain(|fact| *fact != said);
    let words = CancelledWords {
        lang,
        subject: lang.t_with(
            "mail-notice-subject-cancelled",
            &[("title", one_line(&notice.title))],
        ),
        note,
        notice: shown,
        footer,
    };
    letter(
        &words.subject,
        &CancelledText { mail: &words },
        &CancelledHtml { mail: &words },
    )
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

mod parts;

#[cfg(test)]
mod later_tests;
#[cfg(test)]
mod tests;
