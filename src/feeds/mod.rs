//! Feeds: pure functions from notices to text, one module per format.

pub mod atom;
pub mod ics;
pub mod json_feed;
pub mod rss;

use chrono::{DateTime, Utc};

use crate::domain::time::{norwegian_date_time, rfc3339_oslo, ZONE};
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
            html.push_str(&format!("<li>{}</li>", escape_html(&fact.to_string())));
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
        text.push_str(&fact.to_string());
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

pub use crate::domain::validation::xml_safe;

/// One of a notice's key facts, such as «Søknadsfrist: 01.03.2031 kl. 12:00»:
/// its words, and the instants among them, which a page marks up as `<time>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub parts: Vec<FactPart>,
}

/// Words of a fact, or an instant in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactPart {
    /// As the reader reads it.
    pub text: String,
    /// For an instant: RFC 3339 with Oslo's offset, as a `<time datetime>` wants it.
    pub datetime: Option<String>,
}

impl FactPart {
    fn words(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            datetime: None,
        }
    }

    fn instant(text: String, instant: DateTime<Utc>) -> Self {
        Self {
            text,
            datetime: Some(rfc3339_oslo(instant)),
        }
    }
}

impl Fact {
    fn words(text: String) -> Self {
        Self {
            parts: vec![FactPart::words(text)],
        }
    }

    /// The message `key` with its argument `$when` made of `when`. The message
    /// is asked for with a mark in the argument's place and split at it, so
    /// each written standard keeps its own words and order around it.
    fn around(lang: Lang, key: &str, when: Vec<FactPart>) -> Self {
        // A private-use character: in no message, and not in what readers see.
        const MARK: &str = "\u{E000}";
        let text = lang.t_with(key, &[("when", MARK.to_owned())]);
        let Some((before, after)) = text.split_once(MARK) else {
            return Self::words(text);
        };
        let parts = std::iter::once(FactPart::words(before))
            .chain(when)
            .chain(std::iter::once(FactPart::words(after)))
            .filter(|part| !part.text.is_empty())
            .collect();
        Self { parts }
    }
}

/// The fact as text, its instants as the reader reads them.
impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.parts
            .iter()
            .try_for_each(|part| f.write_str(&part.text))
    }
}

/// The facts of a notice's kind, one per line, in `lang`.
pub fn key_facts(notice: &Notice, now: DateTime<Utc>, lang: Lang) -> Vec<Fact> {
    let mut facts = Vec::new();
    match &notice.details {
        Details::Grant(grant) => {
            facts.push(match grant.deadline {
                Some(deadline) => Fact::around(
                    lang,
                    "fact-deadline",
                    vec![FactPart::instant(norwegian_date_time(deadline), deadline)],
                ),
                None => Fact::words(lang.t("fact-rolling")),
            });
            if let Some(amount) = grant.amount_nok {
                facts.push(Fact::words(
                    lang.t_with("fact-amount", &[("amount", group_thousands(amount))]),
                ));
            }
            if !grant.applicants.is_empty() {
                let who = grant.applicants.join(", ");
                facts.push(Fact::words(lang.t_with("fact-applicants", &[("who", who)])));
            }
        }
        Details::Webinar(webinar) => {
            if webinar.cancelled {
                facts.push(Fact::words(match &webinar.cancellation_note {
                    Some(note) => lang.t_with("fact-cancelled-note", &[("note", note.clone())]),
                    None => lang.t("fact-cancelled"),
                }));
            }
            if let Some(start) = webinar.starts_at {
                let mut when = vec![FactPart::instant(norwegian_date_time(start), start)];
                if let Some(end) = webinar.ends_at {
                    let until = end.with_timezone(&ZONE).format("%H:%M").to_string();
                    when.push(FactPart::words("–"));
                    when.push(FactPart::instant(until, end));
                }
                facts.push(Fact::around(lang, "fact-time", when));
            }
        }
        Details::News => {}
    }
    if let Some(status) = notice.status(now) {
        if !matches!(&notice.details, Details::Webinar(w) if w.cancelled) {
            facts.push(Fact::words(
                lang.t_with("fact-status", &[("status", lang.status(status))]),
            ));
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
    fn an_instant_in_a_fact_keeps_the_messages_words_around_it() {
        let deadline = DateTime::parse_from_rfc3339("2031-03-01T11:00:00Z")
            .unwrap()
            .to_utc();
        let when = || vec![FactPart::instant("01.03.2031 kl. 12:00".into(), deadline)];
        let fact = Fact::around(Lang::Nn, "fact-deadline", when());
        assert_eq!(
            fact.parts,
            [
                FactPart::words("Søknadsfrist: "),
                FactPart {
                    text: "01.03.2031 kl. 12:00".into(),
                    datetime: Some("2031-03-01T12:00:00+01:00".into())
                }
            ]
        );
        assert_eq!(fact.to_string(), "Søknadsfrist: 01.03.2031 kl. 12:00");
        // A message with no place for the instant is its words alone.
        assert_eq!(
            Fact::around(Lang::Nb, "fact-rolling", when()).to_string(),
            "Søknadsfrist: løpende"
        );
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(group_thousands(1_500_000), "1\u{a0}500\u{a0}000");
        assert_eq!(group_thousands(999), "999");
    }
}
