//! The `notices` and `notice_areas` tables.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::count_star;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use uuid::Uuid;

use super::schema::{areas, notice_areas, notices};
use super::search::Search;
use super::{DbConnection, MultiBackend, StoreError, StoreResult};
use crate::domain::{Details, GrantDetails, Kind, Notice, State, Status, WebinarDetails};

/// A row as stored: instants in UTC, kind details in nullable columns.
#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = notices, treat_none_as_null = true)]
struct NoticeRow {
    id: String,
    slug: String,
    kind: String,
    state: String,
    title: String,
    summary: String,
    body: Option<String>,
    source_url: Option<String>,
    published_at: NaiveDateTime,
    revision: i32,
    deadline: Option<NaiveDateTime>,
    amount_nok: Option<i64>,
    applicants: Option<String>,
    apply_url: Option<String>,
    starts_at: Option<NaiveDateTime>,
    ends_at: Option<NaiveDateTime>,
    registration_url: Option<String>,
    cancelled: bool,
    cancellation_note: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn utc(naive: NaiveDateTime) -> DateTime<Utc> {
    naive.and_utc()
}

impl NoticeRow {
    fn from_notice(n: &Notice) -> Self {
        let none = (None, None, None, None);
        let (deadline, amount_nok, applicants, apply_url) = match &n.details {
            Details::Grant(g) => (
                g.deadline.map(|d| d.naive_utc()),
                g.amount_nok,
                Some(serde_json::to_string(&g.applicants).expect("strings serialise")),
                g.apply_url.clone(),
            ),
            _ => none,
        };
        let (starts_at, ends_at, registration_url, cancelled, cancellation_note) = match &n.details
        {
            Details::Webinar(w) => (
                w.starts_at.map(|d| d.naive_utc()),
                w.ends_at.map(|d| d.naive_utc()),
                w.registration_url.clone(),
                w.cancelled,
                w.cancellation_note.clone(),
            ),
            _ => (None, None, None, false, None),
        };
        Self {
            id: n.id.to_string(),
            slug: n.slug.clone(),
            kind: n.kind().as_str().to_owned(),
            state: n.state.as_str().to_owned(),
            title: n.title.clone(),
            summary: n.summary.clone(),
            body: n.body.clone(),
            source_url: n.source_url.clone(),
            published_at: n.published_at.naive_utc(),
            revision: n.revision,
            deadline,
            amount_nok,
            applicants,
            apply_url,
            starts_at,
            ends_at,
            registration_url,
            cancelled,
            cancellation_note,
            created_at: n.created_at.naive_utc(),
            updated_at: n.updated_at.naive_utc(),
        }
    }

    fn into_notice(self, areas: Vec<String>) -> StoreResult<Notice> {
        let corrupt = |what: String| StoreError::Corrupt(format!("notice {}: {what}", self.id));
        let kind: Kind = self.kind.parse().map_err(corrupt)?;
        let state: State = self.state.parse().map_err(corrupt)?;
        let id = Uuid::parse_str(&self.id).map_err(|e| corrupt(e.to_string()))?;
        let details = match kind {
            Kind::Grant => Details::Grant(GrantDetails {
                deadline: self.deadline.map(utc),
                amount_nok: self.amount_nok,
                applicants: match &self.applicants {
                    Some(json) => serde_json::from_str(json).map_err(|e| corrupt(e.to_string()))?,
                    None => Vec::new(),
                },
                apply_url: self.apply_url,
            }),
            Kind::Webinar => Details::Webinar(WebinarDetails {
                starts_at: self.starts_at.map(utc),
                ends_at: self.ends_at.map(utc),
                registration_url: self.registration_url,
                cancelled: self.cancelled,
                cancellation_note: self.cancellation_note,
            }),
            Kind::News => Details::News,
        };
        Ok(Notice {
            id,
            slug: self.slug,
            state,
            title: self.title,
            summary: self.summary,
            body: self.body,
            source_url: self.source_url,
            published_at: utc(self.published_at),
            revision: self.revision,
            areas,
            details,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

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

/// Attaches each row's areas, in the taxonomy's order.
fn with_areas(conn: &mut DbConnection, rows: Vec<NoticeRow>) -> StoreResult<Vec<Notice>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let links: Vec<(String, String)> = notice_areas::table
        .inner_join(areas::table)
        .filter(notice_areas::notice_id.eq_any(ids))
        .order((notice_areas::notice_id, areas::position))
        .select((notice_areas::notice_id, notice_areas::area_slug))
        .load(conn)?;
    let mut by_notice: HashMap<String, Vec<String>> = HashMap::new();
    for (notice_id, area) in links {
        by_notice.entry(notice_id).or_default().push(area);
    }
    rows.into_iter()
        .map(|row| {
            let areas = by_notice.remove(&row.id).unwrap_or_default();
            row.into_notice(areas)
        })
        .collect()
}

/// One notice in any state: by id if `id_or_slug` reads as one, else by slug.
pub fn find(conn: &mut DbConnection, id_or_slug: &str) -> StoreResult<Option<Notice>> {
    if id_or_slug.chars().any(char::is_control) {
        return Ok(None); // no slug has one, and PostgreSQL cannot even compare NUL
    }
    let select = notices::table.select(NoticeRow::as_select());
    let row = match Uuid::try_parse(id_or_slug) {
        Ok(id) => select.filter(notices::id.eq(id.to_string())).first(conn),
        Err(_) => select.filter(notices::slug.eq(id_or_slug)).first(conn),
    }
    .optional()?;
    Ok(with_areas(conn, row.into_iter().collect())?.pop())
}

pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(notices::table.select(count_star()).first(conn)?)
}

/// A slug not yet taken: the wanted one, or it with `-2`, `-3`, … added.
pub fn free_slug(conn: &mut DbConnection, wanted: &str) -> StoreResult<String> {
    let taken: Vec<String> = notices::table
        .filter(
            notices::slug
                .like(format!("{}%", wanted.replace('_', "\\_")))
                .escape('\\'),
        )
        .select(notices::slug)
        .load(conn)?;
    let mut candidate = wanted.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    Ok(candidate)
}

/// Stores a new notice as one write of its own (seeds, tests, tools).
pub fn create(conn: &mut DbConnection, notice: &Notice) -> StoreResult<()> {
    super::write(conn, |conn, seq| {
        save_new(conn, notice, seq, crate::domain::time::now())
    })
}

/// Within a write: stores a new notice and records its public change.
pub fn save_new(
    conn: &mut DbConnection,
    notice: &Notice,
    seq: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    insert(conn, notice)?;
    mark_change(conn, notice, false, seq, now)
}

/// Within a write: replaces the stored notice if it is still at
/// `expected_revision`; false if another write got there first.
pub fn save_update(
    conn: &mut DbConnection,
    notice: &Notice,
    expected_revision: i32,
    was_public: bool,
    seq: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let id = notice.id.to_string();
    let updated = diesel::update(
        notices::table
            .find(&id)
            .filter(notices::revision.eq(expected_revision)),
    )
    .set(NoticeRow::from_notice(notice))
    .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    diesel::delete(notice_areas::table.filter(notice_areas::notice_id.eq(&id))).execute(conn)?;
    insert_areas(conn, notice)?;
    mark_change(conn, notice, was_public, seq, now)?;
    Ok(true)
}

/// Keeps the changes feed exact: a write is a public change when the notice
/// was public before it or is after it; a scheduled notice is marked so its
/// going live is recorded later (`record_gone_live`).
fn mark_change(
    conn: &mut DbConnection,
    notice: &Notice,
    was_public: bool,
    seq: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let pending = notice.state == State::Published && notice.published_at > now;
    let target = notices::table.find(notice.id.to_string());
    if was_public || notice.is_public(now) {
        diesel::update(target)
            .set((
                notices::change_seq.eq(seq),
                notices::pending_go_live.eq(pending),
            ))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set(notices::pending_go_live.eq(pending))
            .execute(conn)?;
    }
    Ok(())
}

/// Records scheduled notices whose instant has come as changed, in one write
/// (only when there are any). Called by readers of the changes feed, so no
/// background job is needed.
pub fn record_gone_live(conn: &mut DbConnection, now: DateTime<Utc>) -> StoreResult<usize> {
    let due = || {
        notices::table
            .filter(notices::pending_go_live.eq(true))
            .filter(notices::published_at.le(now.naive_utc()))
    };
    let waiting: i64 = due().select(count_star()).first(conn)?;
    if waiting == 0 {
        return Ok(0);
    }
    super::write(conn, |conn, seq| {
        Ok(diesel::update(due())
            .set((
                notices::change_seq.eq(seq),
                notices::pending_go_live.eq(false),
            ))
            .execute(conn)?)
    })
}

/// Notices whose public state changed after `after` (change seq, id), oldest
/// first, each once, at its latest change.
pub fn changed_since(
    conn: &mut DbConnection,
    after: (i64, Uuid),
    limit: i64,
) -> StoreResult<Vec<(Notice, i64)>> {
    let (seq, id) = after;
    let rows: Vec<(NoticeRow, i64)> = notices::table
        .filter(notices::change_seq.gt(0))
        .filter(
            notices::change_seq.gt(seq).or(notices::change_seq
                .eq(seq)
                .and(notices::id.gt(id.to_string()))),
        )
        .order((notices::change_seq, notices::id))
        .limit(limit)
        .select((NoticeRow::as_select(), notices::change_seq))
        .load(conn)?;
    let (rows, seqs): (Vec<NoticeRow>, Vec<i64>) = rows.into_iter().unzip();
    Ok(with_areas(conn, rows)?.into_iter().zip(seqs).collect())
}

/// Within the caller's write: the notice row and its areas, as they are.
pub fn insert(conn: &mut DbConnection, notice: &Notice) -> StoreResult<()> {
    diesel::insert_into(notices::table)
        .values(NoticeRow::from_notice(notice))
        .execute(conn)?;
    insert_areas(conn, notice)
}

fn insert_areas(conn: &mut DbConnection, notice: &Notice) -> StoreResult<()> {
    // One row at a time: batch inserts are not portable across backends in diesel.
    for area in &notice.areas {
        diesel::insert_into(notice_areas::table)
            .values((
                notice_areas::notice_id.eq(notice.id.to_string()),
                notice_areas::area_slug.eq(area.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The next instant after `now` at which a scheduled notice goes public.
pub fn next_publication_after(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let next: Option<NaiveDateTime> = notices::table
        .filter(notices::state.eq(State::Published.as_str()))
        .filter(notices::published_at.gt(now.naive_utc()))
        .select(diesel::dsl::min(notices::published_at))
        .first(conn)?;
    Ok(next.map(utc))
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
        scope().select(max(notices::updated_at)).first(conn)?,
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

/// Published notices whose instant is still ahead of `now`.
pub fn scheduled_after(conn: &mut DbConnection, now: DateTime<Utc>) -> StoreResult<Vec<Notice>> {
    let rows = notices::table
        .filter(notices::state.eq(State::Published.as_str()))
        .filter(notices::published_at.gt(now.naive_utc()))
        .order(notices::published_at)
        .select(NoticeRow::as_select())
        .load(conn)?;
    with_areas(conn, rows)
}
