//! Lists of notices: the public list and feeds, the editors' lists, searches,
//! and the timeline that tells caches when a list changes by itself.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use uuid::Uuid;

use super::notices::{utc, with_areas, NoticeRow};
use super::schema::{notice_areas, notices};
use super::search::Search;
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
fn status_predicate(status: Status, now: NaiveDateTime) -> Predicate {
    use super::schema::notices::dsl::*;
    let webinar_end_passed = ends_at.le(now).or(ends_at
        .is_null()
        .and(starts_at.is_null().or(starts_at.le(now))));
    match status {
        Status::Open => Box::new(
            kind.eq("grant")
                .nullable()
                .and(deadline.is_null().or(deadline.gt(now))),
        ),
        Status::Closed => Box::new(kind.eq("grant").nullable().and(deadline.le(now))),
        Status::Cancelled => Box::new(kind.eq("webinar").and(cancelled).nullable()),
        Status::Past => Box::new(
            kind.eq("webinar")
                .and(cancelled.eq(false))
                .nullable()
                .and(webinar_end_passed),
        ),
        Status::Upcoming => Box::new(
            kind.eq("webinar")
                .and(cancelled.eq(false))
                .nullable()
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
pub fn list_ranked(
    conn: &mut DbConnection,
    query: &NoticeQuery,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Listed>> {
    use notices::dsl as n;
    let now = now.naive_utc();
    let search = query.text.as_deref().map(|q| Search::new(conn, q));
    let mut select = notices::table.into_boxed::<MultiBackend>();
    match &query.scope {
        Scope::Public => {
            select = select
                .filter(n::state.eq(State::Published.as_str()))
                .filter(n::published_at.le(now));
        }
        Scope::Admin { states, within } => {
            if !states.is_empty() {
                select = select.filter(n::state.eq_any(states.iter().map(|s| s.as_str())));
            }
            if let Some(within) = within {
                let outside = notice_areas::table
                    .filter(notice_areas::area_slug.ne_all(within.clone()))
                    .select(notice_areas::notice_id);
                select = select.filter(n::id.ne_all(outside));
            }
        }
    }
    if !query.kinds.is_empty() {
        select = select.filter(n::kind.eq_any(query.kinds.iter().map(|k| k.as_str())));
    }
    if !query.areas.is_empty() {
        let tagged = notice_areas::table
            .filter(notice_areas::area_slug.eq_any(query.areas.clone()))
            .select(notice_areas::notice_id);
        select = select.filter(n::id.eq_any(tagged));
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
    if let Some(until) = query.until {
        select = select.filter(n::published_at.lt(until.naive_utc()));
    }
    if let Some((first, rest)) = query.statuses.split_first() {
        let any = rest.iter().fold(status_predicate(*first, now), |acc, s| {
            Box::new(acc.or(status_predicate(*s, now)))
        });
        select = select.filter(any);
    }
    if let Some(after) = query.after {
        let at = after.published_at.naive_utc();
        let older = n::published_at
            .lt(at)
            .or(n::published_at.eq(at).and(n::id.lt(after.id.to_string())));
        select = match (&search, after.rank) {
            (Some(search), Some(rank)) => {
                select.filter(search.rank().lt(rank).or(search.rank().eq(rank).and(older)))
            }
            _ => select.filter(older),
        };
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

/// The timeline of notices of `kinds` (any, if empty) tagged with any of
/// `areas` (any, if empty), at `now`.
pub fn timeline(
    conn: &mut DbConnection,
    kinds: &[Kind],
    areas: &[String],
    now: DateTime<Utc>,
) -> StoreResult<Timeline> {
    let now = now.naive_utc();
    let scope = || {
        let mut select = notices::table.into_boxed::<MultiBackend>();
        if !kinds.is_empty() {
            select = select.filter(notices::kind.eq_any(kinds.iter().map(|k| k.as_str())));
        }
        if !areas.is_empty() {
            let tagged = notice_areas::table
                .filter(notice_areas::area_slug.eq_any(areas.to_vec()))
                .select(notice_areas::notice_id);
            select = select.filter(notices::id.eq_any(tagged));
        }
        select
    };
    use diesel::dsl::{max, min};
    let published = notices::state.eq(State::Published.as_str());
    let mut past: Vec<Option<NaiveDateTime>> = vec![
        // Any write anywhere: a notice moved out of the scope changed it too,
        // and its new areas no longer say so.
        notices::table
            .select(max(notices::updated_at))
            .first(conn)?,
        scope()
            .filter(published)
            .filter(notices::published_at.le(now))
            .select(max(notices::published_at))
            .first(conn)?,
    ];
    let mut future: Vec<Option<NaiveDateTime>> = vec![scope()
        .filter(published)
        .filter(notices::published_at.gt(now))
        .select(min(notices::published_at))
        .first(conn)?];
    macro_rules! instants_of {
        ($column:expr) => {
            past.push(
                scope()
                    .filter($column.le(now))
                    .select(max($column))
                    .first(conn)?,
            );
            future.push(
                scope()
                    .filter($column.gt(now))
                    .select(min($column))
                    .first(conn)?,
            );
        };
    }
    instants_of!(notices::deadline);
    instants_of!(notices::starts_at);
    instants_of!(notices::ends_at);
    Ok(Timeline {
        last_change: past.into_iter().flatten().max().map(utc),
        next_change: future.into_iter().flatten().min().map(utc),
    })
}
