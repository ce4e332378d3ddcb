//! Lists of notices: the public list and feeds, the editors' lists, searches,
//! and the timeline that tells caches when a list changes by itself.

use std::cmp::Ordering;
use std::collections::HashMap;

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
use crate::domain::{Kind, Notice, State, Status};

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

/// What a list asks for. Every list is newest first, ties broken by id
/// (after relevance, when searching).
#[derive(Debug, Clone, Default)]
pub struct NoticeQuery {
    pub scope: Scope,
    /// Any of these kinds; empty means every kind.
    pub kinds: Vec<Kind>,
    /// Tagged with any of these areas; empty means every area.
    pub areas: Vec<String>,
    /// Full-text search; results are then ordered by relevance, then date.
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

/// Where a notice stands in a list: its relevance (when searching), date and id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub rank: Option<f64>,
    pub published_at: DateTime<Utc>,
    pub id: Uuid,
}

/// A notice in a list, with its relevance when the list is a search.
#[derive(Debug, Clone)]
pub struct Listed {
    pub notice: Notice,
    pub rank: Option<f64>,
}

impl Listed {
    pub fn position(&self) -> Position {
        Position {
            rank: self.rank,
            published_at: self.notice.published_at,
            id: self.notice.id,
        }
    }
}

type Predicate = Box<dyn BoxableExpression<notices::table, MultiBackend, SqlType = Nullable<Bool>>>;

/// Where a status holds at `now`, as SQL, so filters and pagination agree.
/// `kind_is` compares the kind, as the query wants it compared.
fn status_predicate(
    status: Status,
    now: NaiveDateTime,
    kind_is: &dyn Fn(Kind) -> Predicate,
) -> Predicate {
    use super::schema::notices::dsl::*;
    let webinar_end_passed = ends_at.le(now).or(ends_at
        .is_null()
        .and(starts_at.is_null().or(starts_at.le(now))));
    match status {
        Status::Open => Box::new(kind_is(Kind::Grant).and(deadline.is_null().or(deadline.gt(now)))),
        Status::Closed => Box::new(kind_is(Kind::Grant).and(deadline.le(now))),
        Status::Cancelled => Box::new(kind_is(Kind::Webinar).and(cancelled)),
        Status::Past => Box::new(
            kind_is(Kind::Webinar)
                .and(cancelled.eq(false))
                .and(webinar_end_passed),
        ),
        Status::Upcoming => Box::new(
            kind_is(Kind::Webinar)
                .and(cancelled.eq(false))
                .and(ends_at.gt(now).or(ends_at.is_null().and(starts_at.gt(now)))),
        ),
    }
}

/// Notices that match `query` at `now`, in list order.
pub fn list(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Notice>> {
    Ok(list_ranked(conn, query, now)?
        .into_iter()
        .map(|listed| listed.notice)
        .collect())
}

/// As `list`, keeping each notice's relevance for the next page's cursor.
///
/// Every public list is read as ranges of an index in the list's order, so its
/// cost depends on the page, not on the store: a list by area walks
/// `notice_areas` (which repeats kind, state and instant), one range per area
/// and kind, merged here; a list of several kinds is one range per kind; the
/// sparse statuses (open grants, upcoming webinars) start from the notices
/// whose deadline or time is still ahead.
pub fn list_ranked(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Listed>> {
    let public = matches!(query.scope, Scope::Public);
    if let Some(text) = &query.text {
        if let Search::Sqlite(words) = Search::new(conn, text) {
            return sqlite_search(conn, query, now, &words);
        }
    }
    if public && !query.areas.is_empty() && query.text.is_none() && query.statuses.is_empty() {
        return by_area(conn, query, now);
    }
    if public && query.kinds.len() > 1 {
        let mut merged = Vec::new();
        for kind in &query.kinds {
            let one = NoticeQuery {
                kinds: vec![*kind],
                ..query.clone()
            };
            merged.extend(scan(conn, &one, now, None)?);
        }
        merged.sort_by(|a, b| list_order(&a.position(), &b.position()));
        merged.truncate(query.limit.max(0) as usize);
        return Ok(merged);
    }
    scan(conn, query, now, None)
}

/// A search on SQLite: matches in list order from the FTS index, a batch at a
/// time, each batch's notices read by id and kept if the other filters hold,
/// until the page is full. A page costs its matches' ranking and the notices
/// it reads, not the store.
fn sqlite_search(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
    words: &[String],
) -> StoreResult<Vec<Listed>> {
    if words.is_empty() {
        return Err(StoreError::NothingToSearch);
    }
    let public = matches!(query.scope, Scope::Public);
    let upper = match upper_bound(query, public.then_some(now.naive_utc())) {
        Some(Upper::Through(at)) => Some((at, true)),
        Some(Upper::Before(at)) => Some((at, false)),
        None => None,
    };
    let mut after = query.after.map(|p| {
        (
            p.rank.unwrap_or(f64::MAX),
            p.published_at.naive_utc(),
            p.id.to_string(),
        )
    });
    let from = query.from.map(|f| f.naive_utc());
    let want = query.limit.max(0) as usize;
    let batch = (query.limit * 4).max(100);
    let rest = NoticeQuery {
        text: None,
        after: None,
        limit: batch,
        ..query.clone()
    };
    let mut found: Vec<Listed> = Vec::new();
    while found.len() < want {
        let matches = search::sqlite_matches(conn, words, after.clone(), from, upper, batch)?;
        let Some(last) = matches.last() else {
            break;
        };
        after = Some((last.rank, last.published_at, last.notice_id.clone()));
        let ids: Vec<String> = matches.iter().map(|m| m.notice_id.clone()).collect();
        let mut kept: HashMap<String, Notice> = scan(conn, &rest, now, Some(ids))?
            .into_iter()
            .map(|listed| (listed.notice.id.to_string(), listed.notice))
            .collect();
        for found_match in &matches {
            if let Some(notice) = kept.remove(&found_match.notice_id) {
                found.push(Listed {
                    notice,
                    rank: Some(found_match.rank),
                });
            }
        }
        if (matches.len() as i64) < batch {
            break;
        }
    }
    found.truncate(want);
    Ok(found)
}

/// The list order: relevance first (when searching), then newest, then id,
/// each descending, as the queries' `ORDER BY`.
fn list_order(a: &Position, b: &Position) -> Ordering {
    let rank = b.rank.partial_cmp(&a.rank).unwrap_or(Ordering::Equal);
    rank.then_with(|| b.published_at.cmp(&a.published_at))
        .then_with(|| b.id.to_string().cmp(&a.id.to_string()))
}

/// Most candidates a sparse status is looked up by; past it the status is
/// common enough that walking the list in order finds a page sooner.
const MAX_CANDIDATES: i64 = 200;

/// The ids of notices that may have one of `statuses` at `now`, when every one
/// of them is rare (open grants, upcoming webinars: their instant is ahead),
/// found through the deadline and time indexes. `None`: walk the list instead.
fn sparse_candidates(
    conn: &mut DbConnection,
    statuses: &[Status],
    now: NaiveDateTime,
) -> StoreResult<Option<Vec<String>>> {
    use notices::dsl as n;
    if statuses.is_empty()
        || !statuses
            .iter()
            .all(|s| matches!(s, Status::Open | Status::Upcoming))
    {
        return Ok(None);
    }
    let mut ids: Vec<String> = Vec::new();
    for status in statuses {
        // A grant is open with its deadline ahead or none; a webinar is still
        // ahead with its start or (if it has none) its end ahead.
        let (kind, ways): (Kind, [Predicate; 2]) = match status {
            Status::Open => (
                Kind::Grant,
                [
                    Box::new(n::deadline.gt(now)),
                    Box::new(n::deadline.is_null().nullable()),
                ],
            ),
            _ => (
                Kind::Webinar,
                [Box::new(n::starts_at.gt(now)), Box::new(n::ends_at.gt(now))],
            ),
        };
        for way in ways {
            ids.extend(
                notices::table
                    .into_boxed::<MultiBackend>()
                    .filter(n::kind.eq(kind.as_str()))
                    .filter(way)
                    .select(n::id)
                    .limit(MAX_CANDIDATES + 1)
                    .load::<String>(conn)?,
            );
            if ids.len() as i64 > MAX_CANDIDATES {
                return Ok(None);
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

/// The rows of `ids`, in that order.
fn rows_in_order(conn: &mut DbConnection, ids: &[String]) -> StoreResult<Vec<NoticeRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<NoticeRow> = notices::table
        .filter(notices::id.eq_any(ids))
        .select(NoticeRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|row| ids.iter().position(|id| id == row.id()));
    Ok(rows)
}

/// The latest instant a list reaches: up to and including it, or up to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upper {
    Through(NaiveDateTime),
    Before(NaiveDateTime),
}

/// The one upper bound on `published_at` of a list: the earliest of `now`
/// (for public lists), `until`, and the cursor's instant (in date order).
/// SQLite bounds an index range by one of several such terms, and would walk
/// from the others to it; the rest follow from this one.
fn upper_bound(query: &NoticeQuery, now: Option<NaiveDateTime>) -> Option<Upper> {
    let cursor = query
        .after
        .filter(|after| after.rank.is_none())
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

/// One query over `notices`, in list order.
///
/// `only`: of these ids alone. A search here is PostgreSQL's.
fn scan(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
    only: Option<Vec<String>>,
) -> StoreResult<Vec<Listed>> {
    use notices::dsl as n;
    let now = now.naive_utc();
    let search = query.text.as_deref().map(PgSearch::new);
    let mut select = notices::table.into_boxed::<MultiBackend>();
    let candidates = match (&query.scope, &search) {
        (Scope::Public, None) => sparse_candidates(conn, &query.statuses, now)?,
        _ => None,
    };
    // Whether the list is of a few known ids, which then lead the query: the
    // other columns are then compared as text (`kind || ''`), which no index
    // serves, so that no planner walks an index past every other notice.
    let by_ids = only.is_some() || candidates.is_some();
    for ids in [only, candidates].into_iter().flatten() {
        select = select.filter(n::id.eq_any(ids));
    }
    let kind_is = |kind: Kind| -> Predicate {
        match by_ids {
            true => Box::new(n::kind.concat("").eq(kind.as_str()).nullable()),
            false => Box::new(n::kind.eq(kind.as_str()).nullable()),
        }
    };
    match &query.scope {
        Scope::Public if by_ids => {
            select = select.filter(n::state.concat("").eq(State::Published.as_str()));
        }
        Scope::Public => {
            select = select.filter(n::state.eq(State::Published.as_str()));
        }
        Scope::Admin { states, within } => {
            if !states.is_empty() {
                select = select.filter(n::state.eq_any(states.iter().map(|s| s.as_str())));
            }
            if let Some(within) = within {
                let outside = notice_areas::table
                    .filter(notice_areas::notice_id.eq(n::id))
                    .filter(notice_areas::area_slug.ne_all(within.clone()));
                select = select.filter(not(exists(outside)));
            }
        }
    }
    // One kind as an equality, which an index gives in order; `= ANY(…)` it cannot.
    match query.kinds.as_slice() {
        [] => {}
        [kind] => select = select.filter(kind_is(*kind)),
        kinds => select = select.filter(n::kind.eq_any(kinds.iter().map(|k| k.as_str()))),
    }
    if !query.areas.is_empty() {
        let tagged = notice_areas::table
            .filter(notice_areas::notice_id.eq(n::id))
            .filter(notice_areas::area_slug.eq_any(query.areas.clone()));
        select = select.filter(exists(tagged));
    }
    if let Some(search) = &search {
        if !search.has_words(conn)? {
            return Err(StoreError::NothingToSearch);
        }
        select = select.filter(search.matches());
    }
    if let Some(from) = query.from {
        select = select.filter(n::published_at.ge(from.naive_utc()));
    }
    let public = matches!(query.scope, Scope::Public);
    match upper_bound(query, public.then_some(now)) {
        Some(Upper::Through(at)) => select = select.filter(n::published_at.le(at)),
        Some(Upper::Before(at)) => select = select.filter(n::published_at.lt(at)),
        None => {}
    }
    if let Some((first, rest)) = query.statuses.split_first() {
        let any = rest
            .iter()
            .fold(status_predicate(*first, now, &kind_is), |acc, s| {
                Box::new(acc.or(status_predicate(*s, now, &kind_is)))
            });
        select = select.filter(any);
    }
    if let Some(after) = query.after {
        let at = after.published_at.naive_utc();
        // The range's bound is `upper_bound`; this settles ties at its instant.
        let older = n::published_at.lt(at).or(n::id.lt(after.id.to_string()));
        select = match (&search, after.rank) {
            (Some(search), Some(rank)) => {
                let at_or_after = n::published_at
                    .lt(at)
                    .or(n::published_at.eq(at).and(n::id.lt(after.id.to_string())));
                select.filter(
                    search
                        .rank()
                        .lt(rank)
                        .or(search.rank().eq(rank).and(at_or_after)),
                )
            }
            _ => select.filter(older),
        };
    }
    if by_ids && search.is_none() {
        // Without an order to keep, nothing tempts the planner to walk an
        // index in list order past every other notice instead of looking up
        // the few ids; the page is put in order here.
        let mut keys: Vec<(NaiveDateTime, String)> =
            select.select((n::published_at, n::id)).load(conn)?;
        keys.sort_unstable_by(|a, b| b.cmp(a));
        keys.truncate(query.limit.max(0) as usize);
        let ids: Vec<String> = keys.into_iter().map(|(_, id)| id).collect();
        let rows = rows_in_order(conn, &ids)?;
        return Ok(with_areas(conn, rows)?
            .into_iter()
            .map(|notice| Listed { notice, rank: None })
            .collect());
    }
    if let Some(search) = &search {
        select = select.order_by(search.rank().desc());
    }
    let select = select
        .then_order_by(n::published_at.desc())
        .then_order_by(n::id.desc())
        .limit(query.limit);
    let (rows, ranks): (Vec<NoticeRow>, Vec<Option<f64>>) = match &search {
        Some(search) => select
            .select((NoticeRow::as_select(), search.rank()))
            .load::<(NoticeRow, f64)>(conn)?
            .into_iter()
            .map(|(row, rank)| (row, Some(rank)))
            .unzip(),
        None => select
            .select(NoticeRow::as_select())
            .load(conn)?
            .into_iter()
            .map(|row| (row, None))
            .unzip(),
    };
    Ok(with_areas(conn, rows)?
        .into_iter()
        .zip(ranks)
        .map(|(notice, rank)| Listed { notice, rank })
        .collect())
}

/// A public list by area (and kind, dates, cursor): one range of a
/// `notice_areas` index per area and kind, newest first, merged. The first
/// `limit` of each range hold the first `limit` of the whole.
fn by_area(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Listed>> {
    use notice_areas::dsl as na;
    let now = now.naive_utc();
    let kinds: Vec<Option<Kind>> = if query.kinds.is_empty() {
        vec![None]
    } else {
        query.kinds.iter().copied().map(Some).collect()
    };
    let mut found: Vec<(NaiveDateTime, String)> = Vec::new();
    for area in &query.areas {
        for kind in &kinds {
            let mut select = notice_areas::table
                .into_boxed::<MultiBackend>()
                .filter(na::area_slug.eq(area))
                .filter(na::state.eq(State::Published.as_str()));
            if let Some(kind) = kind {
                select = select.filter(na::kind.eq(kind.as_str()));
            }
            if let Some(from) = query.from {
                select = select.filter(na::published_at.ge(from.naive_utc()));
            }
            match upper_bound(query, Some(now)) {
                Some(Upper::Through(at)) => select = select.filter(na::published_at.le(at)),
                Some(Upper::Before(at)) => select = select.filter(na::published_at.lt(at)),
                None => {}
            }
            if let Some(after) = query.after {
                let at = after.published_at.naive_utc();
                select = select.filter(
                    na::published_at
                        .lt(at)
                        .or(na::notice_id.lt(after.id.to_string())),
                );
            }
            found.extend(
                select
                    .order_by((na::published_at.desc(), na::notice_id.desc()))
                    .limit(query.limit)
                    .select((na::published_at, na::notice_id))
                    .load::<(NaiveDateTime, String)>(conn)?,
            );
        }
    }
    found.sort_unstable_by(|a, b| b.cmp(a));
    found.dedup_by(|a, b| a.1 == b.1);
    found.truncate(query.limit.max(0) as usize);
    let ids: Vec<String> = found.into_iter().map(|(_, id)| id).collect();
    let rows = rows_in_order(conn, &ids)?;
    Ok(with_areas(conn, rows)?
        .into_iter()
        .map(|notice| Listed { notice, rank: None })
        .collect())
}

/// How the notices of a scope (kinds and areas, every state) stand in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timeline {
    /// The latest instant at which anything public in the scope could have
    /// changed: a write (withdrawals included), a publication, a deadline
    /// passing, a webinar starting or ending. A safe Last-Modified.
    pub last_change: Option<DateTime<Utc>>,
    /// The next such instant that time alone brings.
    pub next_change: Option<DateTime<Utc>>,
}

/// The timeline of notices of `kinds` (any, if empty) at `now`.
///
/// Each instant is one seek in an index (the latest before `now`, the first
/// after it), never an aggregate over the store. The instants are taken over
/// every area, so they bound a filtered list's from outside: a Last-Modified
/// that is never too early and a validity that never runs too long.
pub fn timeline(
    conn: &mut DbConnection,
    kinds: &[Kind],
    now: DateTime<Utc>,
) -> StoreResult<Timeline> {
    use notices::dsl as n;
    let now = now.naive_utc();
    let has = |kind| kinds.is_empty() || kinds.contains(&kind);
    // Any write anywhere: a notice moved out of the scope changed it too, and
    // its new kind and areas no longer say so.
    let mut past: Vec<Option<NaiveDateTime>> = vec![notices::table
        .select(n::updated_at)
        .order_by(n::updated_at.desc())
        .first(conn)
        .optional()?];
    let published = || notices::table.filter(n::state.eq(State::Published.as_str()));
    past.push(
        published()
            .filter(n::published_at.le(now))
            .select(n::published_at)
            .order_by(n::published_at.desc())
            .first(conn)
            .optional()?,
    );
    let mut future: Vec<Option<NaiveDateTime>> = vec![published()
        .filter(n::published_at.gt(now))
        .select(n::published_at)
        .order_by(n::published_at.asc())
        .first(conn)
        .optional()?];
    macro_rules! instants_of {
        ($kind:expr, $column:expr) => {
            if has($kind) {
                let of_kind = || notices::table.filter(n::kind.eq($kind.as_str()));
                past.push(
                    of_kind()
                        .filter($column.le(now))
                        .select($column)
                        .order_by($column.desc())
                        .first::<Option<NaiveDateTime>>(conn)
                        .optional()?
                        .flatten(),
                );
                future.push(
                    of_kind()
                        .filter($column.gt(now))
                        .select($column)
                        .order_by($column.asc())
                        .first::<Option<NaiveDateTime>>(conn)
                        .optional()?
                        .flatten(),
                );
            }
        };
    }
    instants_of!(Kind::Grant, n::deadline);
    instants_of!(Kind::Webinar, n::starts_at);
    instants_of!(Kind::Webinar, n::ends_at);
    Ok(Timeline {
        last_change: past.into_iter().flatten().max().map(utc),
        next_change: future.into_iter().flatten().min().map(utc),
    })
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
            rank: None,
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
