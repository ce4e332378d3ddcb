//! What the letters about notices share: a notice as they show it, its
//! lasting facts, and the words of a subject and a count.

use crate::domain::{Notice, Status};
use crate::feeds::key_facts;
use crate::i18n::Lang;

/// A notice as a letter shows it, in the reader's written standard; its
/// summary and facts are `templates/mail/summary.*`.
pub(super) struct Shown<'a> {
    pub kind: String,
    pub title: &'a str,
    pub summary: &'a str,
    /// The notice's own language, for `lang` on its title and summary.
    pub language: &'static str,
    pub facts: Vec<String>,
    pub url: &'a str,
}

impl<'a> Shown<'a> {
    pub fn of(notice: &'a Notice, url: &'a str, lang: Lang) -> Self {
        Self {
            kind: lang.kind(notice.kind()),
            title: &notice.title,
            summary: &notice.summary,
            language: notice.language.as_str(),
            facts: lasting_facts(notice, lang),
            url,
        }
    }
}

/// A title as a header holds it: one line, whatever the title holds.
pub(super) fn one_line(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `count`'s CLDR plural category in bokmål and nynorsk (both: `one` for 1,
/// `other` for the rest), for a message's `[one]` and `[other]` variants.
/// Fluent picks a plural variant by its own rules only for a number, and
/// `Lang::t_with` gives every argument as text.
pub(super) fn plural_category(count: usize) -> &'static str {
    match count {
        1 => "one",
        _ => "other",
    }
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
