//! Feeds: pure functions from notices to text, one module per format.

pub mod atom;
pub mod ics;
pub mod json_feed;
pub mod rss;

use chrono::{DateTime, Utc};

use crate::domain::time::norwegian_date_time;
use crate::domain::{Details, Language, Notice, Taxonomy};
use crate::i18n::Lang;

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    pub title: String,
    pub description: String,
    /// The HTML page the feed mirrors.
    pub site_url: String,
    /// The exact URL the feed was requested at, filters included.
    pub self_url: String,
    /// Base for item links, without a trailing slash.
    pub base_url: String,
    /// A stable id for the feed: its filters, not its host.
    pub id: String,
    /// The WebSub hub to name, if one is configured.
    pub hub: Option<String>,
    /// The language of the feed's own text; each item says its own.
    pub language: Language,
}

impl FeedInfo {
    pub fn item_link(&self, notice: &Notice) -> String {
        format!("{}/notices/{}", self.base_url, notice.slug)
    }
}

/// `urn:uuid:<id>`: the same in every format, whatever the host or title.
pub fn guid(notice: &Notice) -> String {
    format!("urn:uuid:{}", notice.id)
}

/// The summary and the kind's key facts, as escaped HTML, the facts in the
/// notice's written standard.
pub fn description_html(notice: &Notice, now: DateTime<Utc>) -> String {
    let mut html = format!("<p>{}</p>", escape_html(&notice.summary));
    let facts = key_facts(notice, now, Lang::of(notice.language));
    if !facts.is_empty() {
        html.push_str("<ul>");
        for fact in facts {
            html.push_str(&format!("<li>{}</li>", escape_html(&fact)));
        }
        html.push_str("</ul>");
    }
    html
}

/// The summary and the key facts as plain text, one per line.
pub fn description_text(notice: &Notice, now: DateTime<Utc>) -> String {
    let mut text = notice.summary.clone();
    for fact in key_facts(notice, now, Lang::of(notice.language)) {
        text.push('\n');
        text.push_str(&fact);
    }
    text
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The newest change among the notices: what a feed calls its update time.
pub fn newest_change(notices: &[Notice]) -> Option<DateTime<Utc>> {
    notices
        .iter()
        .map(|n| n.updated_at.max(n.published_at))
        .max()
}

/// Removes what XML 1.0 cannot carry at all (control characters other than
/// tab and newlines, and the noncharacters U+FFFE/U+FFFF), so any stored
/// text still makes a well-formed feed. Escaping is the writer's job.
pub fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || (('\u{20}'..='\u{D7FF}').contains(&c))
                || (('\u{E000}'..='\u{FFFD}').contains(&c))
                || c >= '\u{10000}'
        })
        .collect()
}

/// The facts of a notice's kind, one per line, in `lang`.
pub fn key_facts(notice: &Notice, now: DateTime<Utc>, lang: Lang) -> Vec<String> {
    let mut facts = Vec::new();
    match &notice.details {
        Details::Grant(grant) => {
            facts.push(match grant.deadline {
                Some(deadline) => {
                    lang.t_with("fact-deadline", &[("when", norwegian_date_time(deadline))])
                }
                None => lang.t("fact-rolling"),
            });
            if let Some(amount) = grant.amount_nok {
                facts.push(lang.t_with("fact-amount", &[("amount", group_thousands(amount))]));
            }
            if !grant.applicants.is_empty() {
                let who = grant.applicants.join(", ");
                facts.push(lang.t_with("fact-applicants", &[("who", who)]));
            }
        }
        Details::Webinar(webinar) => {
            if webinar.cancelled {
                facts.push(match &webinar.cancellation_note {
                    Some(note) => lang.t_with("fact-cancelled-note", &[("note", note.clone())]),
                    None => lang.t("fact-cancelled"),
                });
            }
            if let Some(start) = webinar.starts_at {
                let mut when = norwegian_date_time(start);
                if let Some(end) = webinar.ends_at {
                    when.push_str(&format!(
                        "–{}",
                        end.with_timezone(&crate::domain::time::ZONE)
                            .format("%H:%M")
                    ));
                }
                facts.push(lang.t_with("fact-time", &[("when", when)]));
            }
        }
        Details::News => {}
    }
    if let Some(status) = notice.status(now) {
        if !matches!(&notice.details, Details::Webinar(w) if w.cancelled) {
            facts.push(lang.t_with("fact-status", &[("status", lang.status(status))]));
        }
    }
    facts
}

/// `1 500 000`, with the non-breaking spaces Norwegian uses.
fn group_thousands(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(ch);
    }
    if amount < 0 {
        out.insert(0, '-');
    }
    out
}

/// Area names for a notice's slugs, in the taxonomy's order.
pub fn area_names<'a>(notice: &'a Notice, taxonomy: &'a Taxonomy) -> impl Iterator<Item = &'a str> {
    notice
        .areas
        .iter()
        .filter_map(|slug| taxonomy.get(slug).map(|a| a.name.as_str()))
}

/// The feed formats, each at its own path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
    JsonFeed,
    Calendar,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Rss,
        Format::Atom,
        Format::JsonFeed,
        Format::Calendar,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Format::Rss => "/feed.rss",
            Format::Atom => "/feed.atom",
            Format::JsonFeed => "/feed.json",
            Format::Calendar => "/calendar.ics",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::JsonFeed => "application/feed+json; charset=utf-8",
            Format::Calendar => "text/calendar; charset=utf-8",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_removed_and_the_rest_kept() {
        assert_eq!(xml_safe("a\u{0}b\u{1b}c\u{FFFE}d\te\n"), "abcd\te\n");
        assert_eq!(xml_safe("æøå «»– 🎉 ]]> <&>"), "æøå «»– 🎉 ]]> <&>");
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(group_thousands(1_500_000), "1\u{a0}500\u{a0}000");
        assert_eq!(group_thousands(999), "999");
    }
}
