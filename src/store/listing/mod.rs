//! Lists of notices: the public list and feeds, the editors' lists, searches,
//! and the timeline that tells caches when a list changes by itself.

mod by_area;
mod lapsed;
mod pg_search;
mod scan;
mod sqlite_search;
mod timeline;

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use uuid::Uuid;

use super::notices::{utc, with_areas, NoticeRow};
use super::schema::{notice_areas, notices};
use super::search::{self, PgSearch, Search};
use super::{DbConnection, MultiBackend, StoreError, StoreResult};
use crate::domain::{Kind, Language, Notice, State, Status};

use by_area::by_area;
pub use lapsed::sweep;
use lapsed::{lapsed_list, only_lapsed};
use pg_search::pg_search;
use scan::{notices_of, scan, scan_keys, Among};
use sqlite_search::sqlite_search;
pub use timeline::{timeline, Timeline};

/// Whose list it is.
#[derive(Debug, Clone, Default)]
pub enum Scope {
    /// Published notices whose instant has come.
    #[default]
    Public,
    /// Editors: notices in these states (every state if empty), and, for an
    /// editor, only those whose areas are all within `within`.
    Admin {
        states: Vec<State>,
        within: Option<Vec<String>>,
    },
}

/// What a list asks for. Every list is newest first, ties broken by id.
#[derive(Debug, Clone, Default)]
pub struct NoticeQuery {
    pub scope: Scope,
    /// Any of these kinds; empty means every kind.
    pub kinds: Vec<Kind>,
    /// Tagged with any of these areas; empty means every area.
    pub areas: Vec<String>,
    /// In any of these languages; empty means every language.
    pub languages: Vec<Language>,
    /// Full-text search: notices containing every word.
    pub text: Option<String>,
    /// Published at or after.
    pub from: Option<DateTime<Utc>>,
    /// Published before.
    pub until: Option<DateTime<Utc>>,
    /// Any of these statuses, as they are at the query's instant.
    pub statuses: Vec<Status>,
    /// Only notices after this position in the list's order.
    pub after: Option<Position>,
    pub limit: i64,
}

/// Where a notice stands in a list: its date and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub published_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Position {
    pub fn of(notice: &Notice) -> Self {
        Self {
            published_at: notice.published_at,
            id: notice.id,
        }
    }
}

/// Notices that match `query` at `now`, in list order.
///
/// Every public list is read as ranges of an index in the list's order, so its
/// cost depends on the page, not on the store: a list by area walks
/// `notice_areas` (which repeats kind, state and instant), one range per area
/// and kind, merged here; a list of several kinds is one range per kind; the
/// sparse statuses (open grants, upcoming webinars) start from the notices
/// whose deadline or time is still ahead; a search reads its matches in
/// order from the full-text index on SQLite, and through it on PostgreSQL.
pub fn list(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Notice>> {
    let public = matches!(query.scope, Scope::Public);
    if let Some(text) = &query.text {
        return match Search::new(conn, text)? {
            Search::Sqlite(expression) => sqlite_search(conn, query, now, &expression),
            Search::Postgres => pg_search(conn, query, now),
        };
    }
    if public && only_lapsed(&query.statuses) {
        return lapsed_list(conn, query, now);
    }
    if public && !query.areas.is_empty() && query.statuses.is_empty() && query.languages.is_empty()
    {
        return by_area(conn, query, now);
    }
    if public && query.kinds.len() > 1 {
        // Each kind's keys from its index, merged; then the page's rows.
        let mut merged = Vec::new();
        for kind in &query.kinds {
            let one = NoticeQuery {
                kinds: vec![*kind],
                ..query.clone()
            };
            merged.extend(scan_keys(conn, &one, now, Among::All)?);
        }
        merged.sort_unstable_by(|a, b| b.cmp(a));
        merged.truncate(query.limit.max(0) as usize);
        return notices_of(conn, merged);
    }
    scan(conn, query, now, Among::All)
}

/// The list order: newest first, then by id descending, as the queries'
/// `ORDER BY` (ids compare as their text).
pub(super) fn list_order(a: &Notice, b: &Notice) -> Ordering {
    b.published_at
        .cmp(&a.published_at)
        .then_with(|| b.id.to_string().cmp(&a.id.to_string()))
}

/// The rows of `ids`, in that order.
pub(super) fn rows_in_order(
    conn: &mut DbConnection,
    ids: &[String],
) -> StoreResult<Vec<NoticeRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<NoticeRow> = notices::table
        .filter(notices::id.eq_any(ids))
        .select(NoticeRow::as_select())
        .load(conn)?;
    let place: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    rows.sort_by_key(|row| place.get(row.id()).copied());
    Ok(rows)
}

/// The latest instant a list reaches: up to and including it, or up to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Upper {
    Through(NaiveDateTime),
    Before(NaiveDateTime),
}

/// The one upper bound on `published_at` of a list: the earliest of `now`
/// (for public lists), `until`, and the cursor's instant (in date order).
/// SQLite bounds an index range by one of several such terms, and would walk
/// from the others to it; the rest follow from this one.
pub(super) fn upper_bound(query: &NoticeQuery, now: Option<NaiveDateTime>) -> Option<Upper> {
    let cursor = query
        .after
        .map(|after| Upper::Through(after.published_at.naive_utc()));
    let key = |bound: &Upper| match *bound {
        // At the same instant, "before" is the narrower.
        Upper::Before(at) => (at, 0),
        Upper::Through(at) => (at, 1),
    };
    [
        now.map(Upper::Through),
        query.until.map(|until| Upper::Before(until.naive_utc())),
        cursor,
    ]
    .into_iter()
    .flatten()
    .min_by_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + chrono::Duration::hours(hours)
    }

    #[test]
    fn a_list_has_one_upper_bound_the_earliest() {
        let now = at(100).naive_utc();
        let mut query = NoticeQuery::default();
        assert_eq!(upper_bound(&query, Some(now)), Some(Upper::Through(now)));
        assert_eq!(
            upper_bound(&query, None),
            None,
            "editors see the future too"
        );
        query.until = Some(at(50));
        assert_eq!(
            upper_bound(&query, Some(now)),
            Some(Upper::Before(at(50).naive_utc())),
            "a window in the past is walked from its end, not from now"
        );
        query.after = Some(Position {
            published_at: at(40),
            id: Uuid::nil(),
        });
        assert_eq!(
            upper_bound(&query, Some(now)),
            Some(Upper::Through(at(40).naive_utc()))
        );
        query.until = Some(at(40));
        assert_eq!(
            upper_bound(&query, Some(now)),
            Some(Upper::Before(at(40).naive_utc())),
            "at one instant, before is narrower than through"
        );
        query.until = Some(at(200));
        assert_eq!(
            upper_bound(&query, Some(now)),
            Some(Upper::Through(at(40).naive_utc()))
        );
    }
}
