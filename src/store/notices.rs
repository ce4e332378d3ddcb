//! The `notices` and `notice_areas` tables.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{areas, notice_areas, notices};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::{Body, Details, GrantDetails, Kind, Language, Notice, State, WebinarDetails};

/// A row as stored: instants in UTC, kind details in nullable columns.
#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = notices, treat_none_as_null = true)]
pub(super) struct NoticeRow {
    id: String,
    slug: String,
    kind: String,
    state: String,
    title: String,
    summary: String,
    body: Option<String>,
    /// `body` rendered when written; `None` in rows stored before it was kept.
    body_html: Option<String>,
    source_url: Option<String>,
    language: String,
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

pub(super) fn utc(naive: NaiveDateTime) -> DateTime<Utc> {
    naive.and_utc()
}

impl NoticeRow {
    pub(super) fn id(&self) -> &str {
        &self.id
    }

    /// Where the row stands in list order, which is descending by this key.
    pub(super) fn list_key(&self) -> (NaiveDateTime, &str) {
        (self.published_at, &self.id)
    }

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
            body: n.body.as_ref().map(|b| b.markdown().to_owned()),
            body_html: n.body.as_ref().map(|b| b.html().to_owned()),
            source_url: n.source_url.clone(),
            language: n.language.as_str().to_owned(),
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
        let language: Language = self.language.parse().map_err(corrupt)?;
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
            body: match (self.body, self.body_html) {
                (Some(markdown), Some(html)) => Some(Body::stored(markdown, html)),
                // Not yet rendered at start (`bodies::render_missing`): an older
                // instance wrote it since. Bounded, as for any unchecked body.
                (Some(markdown), None) => Some(Body::render_or_escape(markdown)),
                (None, _) => None,
            },
            source_url: self.source_url,
            language,
            published_at: utc(self.published_at),
            revision: self.revision,
            areas,
            details,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

/// Attaches each row's areas, in the taxonomy's order.
pub(super) fn with_areas(
    conn: &mut DbConnection,
    rows: Vec<NoticeRow>,
) -> StoreResult<Vec<Notice>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
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

/// Within a write: replaces the stored notice if it is still at
/// `expected_revision`; false if another write got there first.
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

/// The columns an update changes, and no other: SQLite rewrites a row's
/// entry in every index on a column an UPDATE sets, even to the value it
/// had, and in a large store each of those entries is on a page of its own.
/// `None`: unchanged (an update always changes `revision` and `updated_at`).
#[derive(AsChangeset)]
#[diesel(table_name = notices)]
struct ChangedColumns {
    slug: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    body: Option<Option<String>>,
    body_html: Option<Option<String>>,
    source_url: Option<Option<String>>,
    language: Option<String>,
    published_at: Option<NaiveDateTime>,
    revision: Option<i32>,
    deadline: Option<Option<NaiveDateTime>>,
    amount_nok: Option<Option<i64>>,
    applicants: Option<Option<String>>,
    apply_url: Option<Option<String>>,
    starts_at: Option<Option<NaiveDateTime>>,
    ends_at: Option<Option<NaiveDateTime>>,
    registration_url: Option<Option<String>>,
    cancelled: Option<bool>,
    cancellation_note: Option<Option<String>>,
    created_at: Option<NaiveDateTime>,
    updated_at: Option<NaiveDateTime>,
}

impl ChangedColumns {
    fn between(before: NoticeRow, after: NoticeRow) -> Self {
        fn changed<T: PartialEq>(before: T, after: T) -> Option<T> {
            (before != after).then_some(after)
        }
        Self {
            slug: changed(before.slug, after.slug),
            kind: changed(before.kind, after.kind),
            state: changed(before.state, after.state),
            title: changed(before.title, after.title),
            summary: changed(before.summary, after.summary),
            body: changed(before.body, after.body),
            body_html: changed(before.body_html, after.body_html),
            source_url: changed(before.source_url, after.source_url),
            language: changed(before.language, after.language),
            published_at: changed(before.published_at, after.published_at),
            revision: changed(before.revision, after.revision),
            deadline: changed(before.deadline, after.deadline),
            amount_nok: changed(before.amount_nok, after.amount_nok),
            applicants: changed(before.applicants, after.applicants),
            apply_url: changed(before.apply_url, after.apply_url),
            starts_at: changed(before.starts_at, after.starts_at),
            ends_at: changed(before.ends_at, after.ends_at),
            registration_url: changed(before.registration_url, after.registration_url),
            cancelled: changed(before.cancelled, after.cancelled),
            cancellation_note: changed(before.cancellation_note, after.cancellation_note),
            created_at: changed(before.created_at, after.created_at),
            updated_at: changed(before.updated_at, after.updated_at),
        }
    }
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
