//! The `notices` and `notice_areas` tables.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{areas, notice_areas, notices};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::{Kind, Notice, State};

mod row;

use row::ChangedColumns;
pub(super) use row::{utc, NoticeRow};

/// Attaches each row's areas, in the taxonomy's order.
pub(super) fn with_areas(
    conn: &mut DbConnection,
    rows: Vec<NoticeRow>,
) -> StoreResult<Vec<Notice>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(NoticeRow::id).collect();
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
            let areas = by_notice.remove(row.id()).unwrap_or_default();
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

/// Whether any notice is stored: one row looked at, however many there are.
pub fn any(conn: &mut DbConnection) -> StoreResult<bool> {
    Ok(notices::table
        .select(notices::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// How many notices are stored, for tools and tests: it reads every row, so
/// nothing a request or a start runs calls it.
pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(notices::table
        .select(diesel::dsl::count_star())
        .first(conn)?)
}

/// A slug not yet taken: the wanted one, or it with `-2`, `-3`, … added, or,
/// when those are taken too, with a part of `id`. Each try is one lookup in
/// the slug index, so a common title costs no more than a rare one.
pub fn free_slug(conn: &mut DbConnection, wanted: &str, id: Uuid) -> StoreResult<String> {
    let id = id.simple().to_string();
    let candidates = std::iter::once(wanted.to_owned())
        .chain((2..=9).map(|n| format!("{wanted}-{n}")))
        .chain([format!("{wanted}-{}", &id[..8]), format!("{wanted}-{id}")]);
    for candidate in candidates {
        let taken = notices::table
            .filter(notices::slug.eq(&candidate))
            .select(notices::id)
            .first::<String>(conn)
            .optional()?
            .is_some();
        if !taken {
            return Ok(candidate);
        }
    }
    Err(StoreError::Corrupt(format!(
        "the slug {wanted:?} with this notice's id is taken"
    )))
}

/// Stores a new notice as one write of its own (seeds, tests, tools).
pub fn create(conn: &mut DbConnection, notice: &Notice, now: DateTime<Utc>) -> StoreResult<()> {
    super::write(conn, |conn, seq| save_new(conn, notice, seq, now))
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

/// Within a write: replaces the stored notice `before` with `notice` if it
/// is still at `before`'s revision, writing only what differs; false if
/// another write got there first.
pub fn save_update(
    conn: &mut DbConnection,
    before: &Notice,
    notice: &Notice,
    was_public: bool,
    seq: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let id = notice.id.to_string();
    let changes = ChangedColumns::between(
        NoticeRow::from_notice(before),
        NoticeRow::from_notice(notice),
    );
    let updated = diesel::update(
        notices::table
            .find(&id)
            .filter(notices::revision.eq(before.revision)),
    )
    .set(changes)
    .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    // The links repeat the notice's kind, state and instant.
    fn linked(n: &Notice) -> (&[String], Kind, State, DateTime<Utc>) {
        (&n.areas, n.kind(), n.state, n.published_at)
    }
    if linked(before) != linked(notice) {
        diesel::delete(notice_areas::table.filter(notice_areas::notice_id.eq(&id)))
            .execute(conn)?;
        insert_areas(conn, notice)?;
    }
    mark_change(conn, notice, was_public, seq, now)?;
    Ok(true)
}

/// Keeps the changes feed exact: a write is a public change when the notice
/// was public before it or is after it; a scheduled notice is marked so its
/// going live is recorded later (`outbox::go_live`).
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

/// Within the caller's write: the notice row and its areas, as they are.
pub fn insert(conn: &mut DbConnection, notice: &Notice) -> StoreResult<()> {
    diesel::insert_into(notices::table)
        .values(NoticeRow::from_notice(notice))
        .execute(conn)?;
    insert_areas(conn, notice)
}

fn insert_areas(conn: &mut DbConnection, notice: &Notice) -> StoreResult<()> {
    // One row at a time: batch inserts are not portable across backends in diesel.
    // Each link repeats the notice's kind, state and instant, so that a list by
    // area is one index range in the public order.
    for area in &notice.areas {
        diesel::insert_into(notice_areas::table)
            .values((
                notice_areas::notice_id.eq(notice.id.to_string()),
                notice_areas::area_slug.eq(area.as_str()),
                notice_areas::kind.eq(notice.kind().as_str()),
                notice_areas::state.eq(notice.state.as_str()),
                notice_areas::published_at.eq(notice.published_at.naive_utc()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
