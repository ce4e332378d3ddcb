//! Query strings: every parameter checked, every mistake named. The API and
//! the pages read the same lists and feeds from them.

mod audit;
#[cfg(test)]
mod tests;

pub use audit::AuditFilter;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::cursor::{decode_changes_token, decode_cursor, ChangesPosition};
use crate::domain::FieldError;

/// Query parameters that are wrong, each named: what the API answers with a
/// 400 and a page shows beside its filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidParameters(pub Vec<FieldError>);
use crate::domain::time::start_of_oslo_day;
use crate::domain::Invalid;
use crate::domain::State;
use crate::domain::{Kind, Language, Status, Taxonomy};
use crate::store::listing::{NoticeQuery, Scope};
use crate::store::search::words;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;
const MAX_QUERY_CHARS: usize = 200;

/// The raw pairs of a query string, checked against the accepted names.
struct Pairs {
    pairs: Vec<(String, String)>,
    errors: Vec<FieldError>,
}

impl Pairs {
    fn parse(query_string: &str, accepted: &[&str]) -> Self {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query_string.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut errors = Vec::new();
        for (name, _) in &pairs {
            if !accepted.contains(&name.as_str())
                && !errors.iter().any(|e: &FieldError| &e.field == name)
            {
                errors.push(FieldError::new(
                    name.clone(),
                    Invalid::Parameter(format!(
                        "unknown parameter; accepted: {}",
                        accepted.join(", ")
                    )),
                ));
            }
        }
        Self { pairs, errors }
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that may appear once.
    fn single(&mut self, name: &str) -> Option<String> {
        let values: Vec<String> = self.all(name).map(str::to_owned).collect();
        if values.len() > 1 {
            self.fail(name, "given more than once");
        }
        values.into_iter().next()
    }

    /// A repeatable parameter whose every value must parse.
    fn each<T>(&mut self, name: &str, parse: impl Fn(&str) -> Result<T, String>) -> Vec<T> {
        let mut parsed = Vec::new();
        let values: Vec<String> = self.all(name).map(str::to_owned).collect();
        for value in values {
            match parse(&value) {
                Ok(v) => parsed.push(v),
                Err(message) => self.fail(name, message),
            }
        }
        parsed
    }

    fn fail(&mut self, name: &str, message: impl Into<String>) {
        self.errors
            .push(FieldError::new(name, Invalid::Parameter(message.into())));
    }

    fn finish<T>(self, value: T) -> Result<T, InvalidParameters> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(InvalidParameters(self.errors))
        }
    }
}

/// The area slugs asked for, and the same widened to their sub-packages.
fn areas(pairs: &mut Pairs, taxonomy: &Taxonomy) -> (Vec<String>, Vec<String>) {
    let wanted = pairs.each("area", |slug| match taxonomy.get(slug) {
        Some(_) => Ok(slug.to_owned()),
        None => Err(format!(
            "unknown area {slug:?}; see /api/v1/areas for the slugs"
        )),
    });
    let mut expanded: Vec<String> = Vec::new();
    for slug in &wanted {
        for s in taxonomy.with_descendants(slug) {
            if !expanded.contains(&s) {
                expanded.push(s);
            }
        }
    }
    (wanted, expanded)
}

fn kinds(pairs: &mut Pairs) -> Vec<Kind> {
    pairs.each("kind", |v| v.parse::<Kind>())
}

fn languages(pairs: &mut Pairs) -> Vec<Language> {
    pairs.each("language", |v| v.parse::<Language>())
}

/// The filters of a feed: `kind`, `area` and `language`, each repeatable.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    pub kinds: Vec<Kind>,
    /// As asked for.
    pub requested_areas: Vec<String>,
    /// Widened to sub-packages.
    pub areas: Vec<String>,
    pub languages: Vec<Language>,
}

impl FeedFilter {
    pub fn parse(query_string: &str, taxonomy: &Taxonomy) -> Result<Self, InvalidParameters> {
        let mut pairs = Pairs::parse(query_string, &["kind", "area", "language"]);
        let kinds = kinds(&mut pairs);
        let (requested_areas, areas) = areas(&mut pairs, taxonomy);
        let languages = languages(&mut pairs);
        let filter = FeedFilter {
            kinds,
            requested_areas,
            areas,
            languages,
        };
        pairs.finish(filter)
    }

    pub fn query(&self, limit: i64) -> NoticeQuery {
        NoticeQuery {
            kinds: self.kinds.clone(),
            areas: self.areas.clone(),
            languages: self.languages.clone(),
            limit,
            ..Default::default()
        }
    }

    /// The filters in their fixed order, as `canonical_query`.
    pub fn canonical(&self) -> String {
        canonical_query(&self.kinds, &self.requested_areas, &self.languages)
    }
}

/// The filters in a fixed order: `kind=…&area=…&language=…`, for ids and hub topics.
pub fn canonical_query(kinds: &[Kind], areas: &[String], languages: &[Language]) -> String {
    let mut kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut areas: Vec<&str> = areas.iter().map(String::as_str).collect();
    areas.sort_unstable();
    areas.dedup();
    let mut query = form_urlencoded::Serializer::new(String::new());
    for kind in kinds {
        query.append_pair("kind", kind);
    }
    for area in areas {
        query.append_pair("area", area);
    }
    let mut languages: Vec<&str> = languages.iter().map(|l| l.as_str()).collect();
    languages.sort_unstable();
    languages.dedup();
    for language in languages {
        query.append_pair("language", language);
    }
    query.finish()
}

/// `from` is inclusive and `to` is inclusive of its whole day (or instant).
#[derive(Clone, Copy)]
enum Bound {
    From,
    To,
}

fn instant(value: &str, bound: Bound) -> Result<DateTime<Utc>, String> {
    use chrono::Datelike;
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        if !crate::domain::time::YEARS.contains(&date.year()) {
            return Err(crate::domain::time::out_of_range().to_string());
        }
        return Ok(match bound {
            Bound::From => start_of_oslo_day(date),
            Bound::To => start_of_oslo_day(date + Duration::days(1)),
        });
    }
    let at = DateTime::parse_from_rfc3339(value)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| format!("{value:?} is not a date (YYYY-MM-DD) or an RFC 3339 instant"))?;
    if !crate::domain::time::in_range(at) {
        return Err(crate::domain::time::out_of_range().to_string());
    }
    Ok(match bound {
        Bound::From => at,
        Bound::To => at + Duration::microseconds(1),
    })
}

fn bound(pairs: &mut Pairs, name: &str, kind: Bound) -> Option<DateTime<Utc>> {
    let value = pairs.single(name)?;
    instant(&value, kind).map_err(|m| pairs.fail(name, m)).ok()
}

/// The parameters of a public list.
pub const LIST_PARAMETERS: &[&str] = &[
    "kind", "area", "language", "q", "from", "to", "status", "limit", "cursor",
];

/// The filters and page of `GET /api/v1/notices`.
pub fn list_query(
    query_string: &str,
    taxonomy: &Taxonomy,
) -> Result<NoticeQuery, InvalidParameters> {
    let pairs = Pairs::parse(query_string, LIST_PARAMETERS);
    notice_query(pairs, taxonomy, Scope::Public)
}

/// The same for `GET /api/v1/admin/notices`, which also takes `state` (repeatable).
pub fn admin_list_query(
    query_string: &str,
    taxonomy: &Taxonomy,
) -> Result<NoticeQuery, InvalidParameters> {
    let accepted: Vec<&str> = LIST_PARAMETERS.iter().copied().chain(["state"]).collect();
    let mut pairs = Pairs::parse(query_string, &accepted);
    let states = pairs.each("state", |v| v.parse::<State>());
    notice_query(
        pairs,
        taxonomy,
        Scope::Admin {
            states,
            within: None,
        },
    )
}

fn notice_query(
    mut pairs: Pairs,
    taxonomy: &Taxonomy,
    scope: Scope,
) -> Result<NoticeQuery, InvalidParameters> {
    let kinds = kinds(&mut pairs);
    let (_, areas) = areas(&mut pairs, taxonomy);
    let languages = languages(&mut pairs);
    let statuses = pairs.each("status", |v| v.parse::<Status>());
    if !kinds.is_empty() {
        for status in &statuses {
            if !kinds.contains(&status.kind()) {
                pairs.fail(
                    "status",
                    format!(
                        "{status} applies to {} notices, which kind excludes",
                        status.kind()
                    ),
                );
            }
        }
    }
    let text = pairs.single("q").map(|q| q.trim().to_owned());
    match &text {
        Some(q) if q.is_empty() => pairs.fail("q", "must not be empty"),
        Some(q) if q.chars().any(char::is_control) => {
            pairs.fail("q", "must not contain control characters")
        }
        Some(q) if words(q).is_empty() => pairs.fail("q", "has no words to search for"),
        Some(q) if q.chars().count() > MAX_QUERY_CHARS => {
            pairs.fail("q", format!("at most {MAX_QUERY_CHARS} characters"))
        }
        _ => {}
    }
    let from = bound(&mut pairs, "from", Bound::From);
    let until = bound(&mut pairs, "to", Bound::To);
    if let (Some(from), Some(until)) = (from, until) {
        if until <= from {
            pairs.fail("to", "is before from");
        }
    }
    let limit = limit(&mut pairs, DEFAULT_LIMIT, MAX_LIMIT);
    let after = pairs
        .single("cursor")
        .and_then(|c| match decode_cursor(&c) {
            Some(position) => Some(position),
            None => {
                pairs.fail(
                    "cursor",
                    "is not a cursor this API gave out; start again without it",
                );
                None
            }
        });
    let query = NoticeQuery {
        scope,
        kinds,
        areas,
        languages,
        text,
        from,
        until,
        statuses,
        after,
        limit,
    };
    pairs.finish(query)
}

/// `limit`: a whole number from 1 to `max`, or `default`.
fn limit(pairs: &mut Pairs, default: i64, max: i64) -> i64 {
    match pairs.single("limit") {
        None => default,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                pairs.fail("limit", format!("must be a whole number from 1 to {max}"));
                default
            }
        },
    }
}

pub const CHANGES_DEFAULT_LIMIT: i64 = 100;
pub const CHANGES_MAX_LIMIT: i64 = 1000;

/// `since` (absent: from the beginning) and `limit` of `GET /api/v1/changes`.
pub fn changes_query(query_string: &str) -> Result<(ChangesPosition, i64), InvalidParameters> {
    let mut pairs = Pairs::parse(query_string, &["since", "limit"]);
    let since = match pairs.single("since") {
        None => (0, Uuid::nil()),
        Some(token) => decode_changes_token(&token).unwrap_or_else(|| {
            pairs.fail(
                "since",
                "is not a token this API gave out; start again without it for a full sync",
            );
            (0, Uuid::nil())
        }),
    };
    let limit = limit(&mut pairs, CHANGES_DEFAULT_LIMIT, CHANGES_MAX_LIMIT);
    pairs.finish((since, limit))
}
