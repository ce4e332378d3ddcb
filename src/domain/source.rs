//! Sources: upstream feeds an admin registers, what each imports its
//! entries as, and when it is fetched again.

#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::address::is_private;
use super::import::Candidate;
use super::slug::slugify;
use super::validation::{self as check, Errors};
use super::{
    Actor, Details, FieldError, GrantDetails, Invalid, Kind, Language, Notice, State, Taxonomy,
    WebinarDetails,
};

/// The shortest interval between fetches, so that no source is a burden
/// on its server.
pub const INTERVAL_MIN: i32 = 5;
/// The longest: a week.
pub const INTERVAL_MAX: i32 = 7 * 24 * 60;
/// Most areas a source's notices are placed in, as for a notice.
const AREAS_MAX: usize = 10;
/// The longest a failure's backoff grows to.
const BACKOFF_MAX: Duration = Duration::hours(24);

/// A registered upstream feed, with what its last fetch found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: Uuid,
    pub settings: SourceInput,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub next_fetch_at: DateTime<Utc>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_fetched_at: Option<DateTime<Utc>>,
    /// What the last fetch came to: `imported`, `not-modified`, or why it
    /// failed (`timeout`, `http-status`, `not-a-feed`, …).
    pub last_outcome: Option<String>,
    /// The upstream's HTTP status at the last fetch, when it answered.
    pub last_status: Option<i32>,
    /// Why the last fetch imported nothing, if it failed.
    pub last_error: Option<String>,
    /// Fetches failed since the last good one.
    pub failures: i32,
    /// Notices imported from it, ever.
    pub imported: i32,
}

/// What an admin sets: where the feed is and what its entries become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInput {
    pub url: String,
    pub kind: Kind,
    pub areas: Vec<String>,
    pub language: Language,
    /// Draft or published: the state imported notices start in.
    pub state: State,
    pub interval_minutes: i32,
}

impl SourceInput {
    pub fn interval(&self) -> Duration {
        Duration::minutes(i64::from(self.interval_minutes))
    }

    /// Whether its notices are imported as drafts (which may be dated ahead).
    pub fn drafts(&self) -> bool {
        self.state == State::Draft
    }
}

const FIELDS: [&str; 6] = [
    "url",
    "kind",
    "areas",
    "language",
    "state",
    "interval_minutes",
];

/// The document of a source's settings, as the API shows them.
pub fn document(input: &SourceInput) -> Value {
    serde_json::json!({
        "url": input.url,
        "kind": input.kind.as_str(),
        "areas": input.areas,
        "language": input.language.as_str(),
        "state": input.state.as_str(),
        "interval_minutes": input.interval_minutes,
    })
}

/// Reads a source document, every bad field named. Without
/// `allow_private`, an IP address as the URL's host must be public (a host
/// name is checked when it is resolved, at every connection).
pub fn parse(
    doc: &Value,
    taxonomy: &Taxonomy,
    allow_private: bool,
) -> Result<SourceInput, Vec<FieldError>> {
    let mut errors = Errors::default();
    let fields = check::object_fields(doc, &FIELDS, &mut errors)?;
    let get = |name: &str| fields.get(name).filter(|v| !v.is_null());
    let url = match get("url") {
        None => {
            errors.add("url", Invalid::Required);
            None
        }
        Some(value) => errors.check("url", feed_url(value, allow_private)),
    };
    let kind = choice(&mut errors, fields, "kind", None);
    let language = choice(&mut errors, fields, "language", Some(Language::default()));
    let state = match get("state") {
        None => Some(State::Draft),
        Some(Value::String(s)) if s == "draft" || s == "published" => s.parse().ok(),
        Some(_) => {
            errors.add("state", Invalid::NotAState);
            None
        }
    };
    let interval_minutes = match get("interval_minutes") {
        None => Some(60),
        Some(value) => errors.check("interval_minutes", interval(value)),
    };
    let areas = areas(&mut errors, get("areas"), taxonomy);
    match (url, kind, language, state, interval_minutes) {
        (Some(url), Some(kind), Some(language), Some(state), Some(interval_minutes))
            if errors.0.is_empty() =>
        {
            Ok(SourceInput {
                url,
                kind,
                areas,
                language,
                state,
                interval_minutes,
            })
        }
        _ => Err(errors.0),
    }
}

/// A choice among a named enum's values; `default` when absent.
fn choice<T: std::str::FromStr + Copy + Named>(
    errors: &mut Errors,
    fields: &Map<String, Value>,
    field: &str,
    default: Option<T>,
) -> Option<T> {
    match fields.get(field).filter(|v| !v.is_null()) {
        None if default.is_some() => default,
        None => {
            errors.add(
                field,
                Invalid::RequiredChoice {
                    choices: T::names(),
                },
            );
            None
        }
        Some(value) => {
            let parsed = value.as_str().and_then(|s| s.parse::<T>().ok());
            if parsed.is_none() {
                errors.add(
                    field,
                    Invalid::NotAChoice {
                        choices: T::names(),
                    },
                );
            }
            parsed
        }
    }
}

/// A closed set of names, for the error that lists them.
trait Named {
    fn names() -> String;
}

impl Named for Kind {
    fn names() -> String {
        Kind::names()
    }
}

impl Named for Language {
    fn names() -> String {
        Language::names()
    }
}

/// An absolute `http(s)` URL without credentials, whose literal IP address
/// (if it has one) is public unless private networks are allowed.
fn feed_url(value: &Value, allow_private: bool) -> Result<String, Invalid> {
    let text = check::url(value)?;
    let url = url::Url::parse(&text).map_err(|e| Invalid::NotAbsoluteUrl {
        reason: e.to_string(),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Invalid::CredentialsInUrl);
    }
    if !allow_private && literal_ip(&url).is_some_and(is_private) {
        return Err(Invalid::PrivateAddress);
    }
    Ok(text)
}

/// The URL's host when it is an IP address.
pub fn literal_ip(url: &url::Url) -> Option<std::net::IpAddr> {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(ip.into()),
        Some(url::Host::Ipv6(ip)) => Some(ip.into()),
        _ => None,
    }
}

fn interval(value: &Value) -> Result<i32, Invalid> {
    value
        .as_i64()
        .filter(|m| (i64::from(INTERVAL_MIN)..=i64::from(INTERVAL_MAX)).contains(m))
        .map(|m| m as i32)
        .ok_or(Invalid::IntervalRange {
            min: INTERVAL_MIN,
            max: INTERVAL_MAX,
        })
}

/// The areas imported notices are placed in: 1 to 10 linkable areas, as a
/// notice's.
fn areas(errors: &mut Errors, value: Option<&Value>, taxonomy: &Taxonomy) -> Vec<String> {
    let Some(Value::Array(items)) = value else {
        errors.add("areas", Invalid::AreasRequired);
        return Vec::new();
    };
    if items.is_empty() || items.len() > AREAS_MAX {
        errors.add("areas", Invalid::AreasCount { max: AREAS_MAX });
        return Vec::new();
    }
    let mut slugs: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("areas[{i}]");
        match item.as_str().map(|s| (s, taxonomy.get(s))) {
            None => errors.add(&field, Invalid::NotAreaSlug),
            Some((slug, None)) => errors.add(
                &field,
                Invalid::UnknownArea {
                    slug: slug.to_owned(),
                },
            ),
            Some((_, Some(area))) if !area.linkable => errors.add(
                &field,
                Invalid::NotLinkable {
                    name: area.name.clone(),
                },
            ),
            Some((slug, _)) if slugs.iter().any(|s| s == slug) => {
                errors.add(&field, Invalid::ListedTwice)
            }
            Some((slug, _)) => slugs.push(slug.to_owned()),
        }
    }
    slugs
}

/// When a source is fetched again after a fetch that failed for the
/// `failures`-th time in a row: its interval, doubled for each failure
/// after the first up to a day (never sooner than its interval), and at
/// least as long as the upstream asked (`Retry-After`), up to a week.
pub fn next_fetch(
    interval: Duration,
    failures: i32,
    retry_after: Option<Duration>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let doublings = u32::try_from(failures.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    let backoff = (interval * 2_i32.pow(doublings))
        .min(BACKOFF_MAX)
        .max(interval);
    let asked = retry_after
        .unwrap_or_else(Duration::zero)
        .min(Duration::minutes(i64::from(INTERVAL_MAX)));
    now + backoff.max(asked)
}

/// A new notice from an entry, in the source's kind, areas, language and
/// state, with no body (the entry's text is its summary).
pub fn new_notice(settings: &SourceInput, candidate: &Candidate, now: DateTime<Utc>) -> Notice {
    let details = match settings.kind {
        Kind::Grant => Details::Grant(GrantDetails::default()),
        Kind::Webinar => Details::Webinar(WebinarDetails::default()),
        Kind::News => Details::News,
    };
    Notice {
        id: Uuid::new_v4(),
        slug: slugify(&candidate.title),
        state: settings.state,
        title: candidate.title.clone(),
        summary: candidate.summary.clone(),
        body: None,
        source_url: candidate.source_url.clone(),
        language: settings.language,
        published_at: candidate.published_at,
        revision: 1,
        areas: settings.areas.clone(),
        details,
        created_at: now,
        updated_at: now,
    }
}

/// `before` with an entry's changed title, summary and link: the next
/// revision. Its date, state, kind and areas stay as they are.
pub fn updated_notice(before: &Notice, candidate: &Candidate, now: DateTime<Utc>) -> Notice {
    Notice {
        title: candidate.title.clone(),
        summary: candidate.summary.clone(),
        source_url: candidate.source_url.clone(),
        revision: before.revision + 1,
        updated_at: now,
        ..before.clone()
    }
}

/// Who an import's writes are by, in the audit log and the revisions:
/// the source (its id, or the URL of a one-off import).
pub fn actor(source: &str) -> Actor {
    Actor {
        token_id: None,
        name: format!("import {source}"),
    }
}

/// A feed's URL as editors and the audit log are shown it: without its
/// query or fragment, which may hold a key.
pub fn without_query(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        Err(_) => String::new(),
    }
}

/// What an import wrote of an entry: an upstream change is a new digest.
pub fn digest(candidate: &Candidate) -> String {
    let mut hash = Sha256::new();
    for part in [
        candidate.title.as_str(),
        candidate.summary.as_str(),
        candidate.source_url.as_deref().unwrap_or(""),
    ] {
        hash.update(part.len().to_le_bytes());
        hash.update(part.as_bytes());
    }
    format!("{:x}", hash.finalize())
}
