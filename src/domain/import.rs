//! Importing from upstream feeds, the pure part: from a fetched document's
//! bytes to clean candidates for notices. No database, no HTTP; the clock is
//! passed in.
//!
//! feed-rs reads RSS (0.9x, 1.0, 2.0), Atom and JSON Feed. The cleaning is
//! Tavla's: every candidate's title and summary pass the check an editor's
//! notice passes (`validation::text` at `TITLE_MAX` and `SUMMARY_MAX`), so an
//! import cleans where an editor would be refused.

#[cfg(test)]
mod tests;
mod text;

use std::cmp::Reverse;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Link};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use quick_xml::events::Event;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::input::{SUMMARY_MAX, TITLE_MAX};
use super::{time, validation};

/// The largest document read: the fetcher's cap, checked again before parsing.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// A longer key (a hostile one) is kept as its SHA-256 instead.
const KEY_MAX: usize = 1000;

/// The most of a parser's message kept in a reason: the source's
/// `last_error` is for an admin, not a copy of the upstream document.
const REASON_MAX: usize = 200;

/// One upstream entry, cleaned, ready to become (or update) a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What identifies the entry within its source for ever: its id (RSS
    /// `guid`, Atom `id`, JSON Feed `id`), else its first link to itself, as
    /// written upstream but trimmed and without characters XML cannot carry;
    /// a key over 1000 characters is replaced by `sha256:` and its hash.
    pub key: String,
    /// Plain text, one line, at most `TITLE_MAX` characters.
    pub title: String,
    /// Plain text, one line, at most `SUMMARY_MAX` characters: the entry's
    /// summary, else the start of its content, else its title, since a
    /// notice needs a summary.
    pub summary: String,
    /// The entry's link (`rel` alternate or none), when it is an absolute
    /// http(s) URL.
    pub source_url: Option<String>,
    /// The entry's date (published, else updated), else the fetch time
    /// (`now`); never after `now` unless the source imports drafts.
    pub published_at: DateTime<Utc>,
}

/// Why a document imports nothing: recorded on the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Over `MAX_BYTES`; refused before parsing.
    #[error("the document is {bytes} bytes, over the limit of {MAX_BYTES}")]
    TooLarge { bytes: usize },
    /// Not RSS, Atom or JSON Feed: invalid XML or JSON, an HTML page, another
    /// kind of document, or XML that declares entities. Says why, briefly.
    #[error("not an RSS, Atom or JSON feed: {0}")]
    NotAFeed(String),
}

impl ImportError {
    /// Stable: the admin pages and API key on it.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::TooLarge { .. } => "too-large",
            ImportError::NotAFeed(_) => "not-a-feed",
        }
    }
}

/// The entries of an RSS, Atom or JSON Feed document as candidates, newest
/// first (an undated entry counts as dated `now`; ties keep the document's
/// order), at most `max` of them.
///
/// An entry with neither id nor link, or with no title that has something
/// visible once cleaned, is skipped. Of entries with the same key the first
/// usable one is kept. Beyond `max`, the oldest are dropped, not kept for a
/// later fetch: the same cut is made at every fetch, so an entry only gets in
/// while fewer than `max` newer ones stand in the upstream feed.
///
/// `draft`: the source imports drafts, which may keep a date in the future.
pub fn candidates(
    bytes: &[u8],
    now: DateTime<Utc>,
    draft: bool,
    max: usize,
) -> Result<Vec<Candidate>, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    refuse_by_prolog(bytes)?;
    let feed = feed_rs::parser::Builder::new()
        // An entry without an id keeps an empty one (feed-rs would make one
        // up, a random one when there is no link), so that its link keys it.
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .build()
        .parse(bytes)
        .map_err(not_a_feed)?;
    let mut seen = HashSet::new();
    let mut found: Vec<Candidate> = feed
        .entries
        .iter()
        .filter_map(|entry| candidate(entry, now, draft))
        .filter(|candidate| seen.insert(candidate.key.clone()))
        .collect();
    // Stable: among equal dates the document's order stands.
    found.sort_by_key(|candidate| Reverse(candidate.published_at));
    found.truncate(max);
    Ok(found)
}

/// Refuses an HTML page by its root element, and XML whose document type
/// declares entities. quick-xml (feed-rs's reader) never expands a declared
/// entity, so a billion-laughs document costs nothing either way; refusing it
/// records the hostility on the source instead of importing `&lol9;` as text.
/// Reads no further than the root element's start tag.
fn refuse_by_prolog(bytes: &[u8]) -> Result<(), ImportError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::DocType(doctype)) => {
                let declares = doctype
                    .windows(b"<!ENTITY".len())
                    .any(|w| w.eq_ignore_ascii_case(b"<!ENTITY"));
                if declares {
                    let reason = "it declares XML entities, which Tavla does not expand";
                    return Err(ImportError::NotAFeed(reason.into()));
                }
            }
            Ok(Event::Start(root) | Event::Empty(root)) => {
                if root.local_name().as_ref().eq_ignore_ascii_case(b"html") {
                    return Err(ImportError::NotAFeed("an HTML page".into()));
                }
                return Ok(());
            }
            // Text before any element is no XML prolog (JSON, say); that, the
            // end, or broken XML: the feed parser says what it makes of it.
            Ok(Event::Text(text)) if !text.iter().all(u8::is_ascii_whitespace) => return Ok(()),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => buffer.clear(),
        }
    }
}

/// feed-rs's error as a short reason.
fn not_a_feed(error: ParseFeedError) -> ImportError {
    let reason = match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "its root is not RSS, Atom or JSON".to_owned()
        }
        ParseFeedError::ParseError(kind) => kind.to_string(),
        ParseFeedError::XmlReader(e) => format!("invalid XML ({e})"),
        ParseFeedError::JsonSerde(e) => format!("not JSON Feed ({e})"),
        ParseFeedError::JsonUnsupportedVersion(_) => "not JSON Feed version 1".to_owned(),
        ParseFeedError::IoError(e) => e.to_string(),
    };
    let reason = super::validation::xml_safe(&reason);
    let mut short: String = reason.chars().take(REASON_MAX).collect();
    if reason.chars().count() > REASON_MAX {
        short.push('…');
    }
    ImportError::NotAFeed(short)
}

/// One entry, cleaned; `None` when it cannot become a notice.
fn candidate(entry: &Entry, now: DateTime<Utc>, draft: bool) -> Option<Candidate> {
    let key = key(entry)?;
    let title = text::clean(&entry.title.as_ref()?.content, TITLE_MAX)?;
    let summary = entry
        .summary
        .as_ref()
        .and_then(|summary| text::clean(&summary.content, SUMMARY_MAX))
        .or_else(|| text::clean(content(entry)?, SUMMARY_MAX))
        .unwrap_or_else(|| title.clone());
    let source_url = alternates(entry)
        .find_map(|link| validation::url(&Value::String(link.href.trim().to_owned())).ok());
    let dated = entry
        .published
        .or(entry.updated)
        .filter(|at| time::in_range(*at))
        .map(time::truncate_to_micros);
    let published_at = match dated {
        Some(at) if at <= now || draft => at,
        _ => now,
    };
    Some(Candidate {
        key,
        title,
        summary,
        source_url,
        published_at,
    })
}

/// The entry's id, else its first link to itself.
fn key(entry: &Entry) -> Option<String> {
    let id = Some(entry.id.as_str()).filter(|id| !id.trim().is_empty());
    let raw = id.or_else(|| alternates(entry).next().map(|link| link.href.as_str()))?;
    let key = super::validation::xml_safe(raw.trim());
    match key.chars().count() {
        0 => None,
        n if n > KEY_MAX => Some(format!("sha256:{:x}", Sha256::digest(key.as_bytes()))),
        _ => Some(key),
    }
}

/// The links to the entry itself: Atom's `alternate` (its default), and
/// RSS's and JSON Feed's links, which have no `rel`.
fn alternates(entry: &Entry) -> impl Iterator<Item = &Link> {
    entry
        .links
        .iter()
        .filter(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate"))
}

/// The entry's content when it is text (plain, HTML or XHTML) given inline.
fn content(entry: &Entry) -> Option<&str> {
    let content = entry.content.as_ref()?;
    let media = &content.content_type;
    let textual = media.ty() == "text" || media.subty() == "xhtml";
    content.body.as_deref().filter(|_| textual)
}
