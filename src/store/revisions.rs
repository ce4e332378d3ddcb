//! The `notice_revisions` table: a full snapshot after every change.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::notice_revisions;
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::{Action, Actor};

#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub notice_id: Uuid,
    pub revision: i32,
    pub action: Action,
    pub actor: Actor,
    /// The admin representation right after the change.
    pub snapshot: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = notice_revisions)]
struct RevisionRow {
    notice_id: String,
    revision: i32,
    action: String,
    token_id: Option<String>,
    token_name: String,
    snapshot: String,
    created_at: NaiveDateTime,
}

/// Within the caller's write.
pub fn record(conn: &mut DbConnection, revision: &Revision) -> StoreResult<()> {
    diesel::insert_into(notice_revisions::table)
        .values(RevisionRow {
            notice_id: revision.notice_id.to_string(),
            revision: revision.revision,
            action: revision.action.as_str().to_owned(),
            token_id: revision.actor.token_id.map(|id| id.to_string()),
            token_name: revision.actor.name.clone(),
            snapshot: revision.snapshot.to_string(),
            created_at: revision.created_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

fn from_row(row: RevisionRow) -> StoreResult<Revision> {
    let corrupt = |e: String| StoreError::Corrupt(format!("revision of {}: {e}", row.notice_id));
    Ok(Revision {
        notice_id: Uuid::parse_str(&row.notice_id).map_err(|e| corrupt(e.to_string()))?,
        revision: row.revision,
        action: row.action.parse().map_err(corrupt)?,
        actor: Actor {
            token_id: row
                .token_id
                .as_deref()
                .and_then(|s| Uuid::parse_str(s).ok()),
            name: row.token_name.clone(),
        },
        snapshot: serde_json::from_str(&row.snapshot).map_err(|e| corrupt(e.to_string()))?,
        created_at: row.created_at.and_utc(),
    })
}

/// Every revision of a notice, newest first.
pub fn list(conn: &mut DbConnection, notice_id: Uuid) -> StoreResult<Vec<Revision>> {
    notice_revisions::table
        .filter(notice_revisions::notice_id.eq(notice_id.to_string()))
        .order(notice_revisions::revision.desc())
        .select(RevisionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(from_row)
        .collect()
}

pub fn find(
    conn: &mut DbConnection,
    notice_id: Uuid,
    revision: i32,
) -> StoreResult<Option<Revision>> {
    notice_revisions::table
        .find((notice_id.to_string(), revision))
        .select(RevisionRow::as_select())
        .first(conn)
        .optional()?
        .map(from_row)
        .transpose()
}
