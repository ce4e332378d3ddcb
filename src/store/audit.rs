//! The `audit_log` table: who did what, when.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::audit_log;
use super::{DbConnection, MultiBackend, StoreResult};
use crate::domain::{Action, Actor};

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The content version the write raised: unique and increasing.
    pub seq: i64,
    pub action: Action,
    pub actor: Actor,
    pub notice_id: Option<Uuid>,
    pub revision: Option<i32>,
    pub subject_token_id: Option<Uuid>,
    /// For updates: the fields that changed.
    pub detail: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl AuditEntry {
    /// An entry about no notice or token in particular, saying `detail`.
    pub fn about(
        seq: i64,
        action: Action,
        actor: &Actor,
        detail: String,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            seq,
            action,
            actor: actor.clone(),
            notice_id: None,
            revision: None,
            subject_token_id: None,
            detail: Some(detail),
            created_at: now,
        }
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
struct AuditRow {
    seq: i64,
    action: String,
    token_id: Option<String>,
    token_name: String,
    notice_id: Option<String>,
    revision: Option<i32>,
    subject_token_id: Option<String>,
    detail: Option<String>,
    created_at: NaiveDateTime,
}

/// Within the caller's write.
pub fn record(conn: &mut DbConnection, entry: &AuditEntry) -> StoreResult<()> {
    diesel::insert_into(audit_log::table)
        .values(AuditRow {
            seq: entry.seq,
            action: entry.action.as_str().to_owned(),
            token_id: entry.actor.token_id.map(|id| id.to_string()),
            token_name: entry.actor.name.clone(),
            notice_id: entry.notice_id.map(|id| id.to_string()),
            revision: entry.revision,
            subject_token_id: entry.subject_token_id.map(|id| id.to_string()),
            detail: entry.detail.clone(),
            created_at: entry.created_at.naive_utc(),
        })
        .execute(conn)?;
    Ok(())
}

/// Which entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub token_id: Option<Uuid>,
    pub notice_id: Option<Uuid>,
    pub action: Option<Action>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only entries older than this seq.
    pub before: Option<i64>,
    pub limit: i64,
}

fn parse_id(raw: Option<String>) -> Option<Uuid> {
    raw.and_then(|s| Uuid::parse_str(&s).ok())
}

pub fn list(conn: &mut DbConnection, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
    let mut select = audit_log::table.into_boxed::<MultiBackend>();
    if let Some(id) = query.token_id {
        select = select.filter(audit_log::token_id.eq(id.to_string()));
    }
    if let Some(id) = query.notice_id {
        select = select.filter(audit_log::notice_id.eq(id.to_string()));
    }
    if let Some(action) = &query.action {
        select = select.filter(audit_log::action.eq(action.as_str()));
    }
    if let Some(from) = query.from {
        select = select.filter(audit_log::created_at.ge(from.naive_utc()));
    }
    if let Some(until) = query.until {
        select = select.filter(audit_log::created_at.lt(until.naive_utc()));
    }
    if let Some(before) = query.before {
        select = select.filter(audit_log::seq.lt(before));
    }
    let rows = select
        .order(audit_log::seq.desc())
        .limit(query.limit)
        .select(AuditRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let action = row.action.parse().map_err(|e: String| {
                super::StoreError::Corrupt(format!("audit entry {}: {e}", row.seq))
            })?;
            Ok(AuditEntry {
                seq: row.seq,
                action,
                actor: Actor {
                    token_id: parse_id(row.token_id),
                    name: row.token_name,
                },
                notice_id: parse_id(row.notice_id),
                revision: row.revision,
                subject_token_id: parse_id(row.subject_token_id),
                detail: row.detail,
                created_at: row.created_at.and_utc(),
            })
        })
        .collect()
}
