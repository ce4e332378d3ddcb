//! Every editor write, each one transaction: the change itself, its revision
//! snapshot and its audit entry, or none of them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::outbox::{self, Fanout};
use super::revisions::{self, Revision};
use super::{idempotency, notices, tokens, write, DbConnection, StoreError};
use crate::domain::document::snapshot;
use crate::domain::event::events_of_write;
use crate::domain::token::SecretHash;
use crate::domain::{Action, Actor, Notice, Token};

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The notice changed since the revision the editor started from.
    #[error("the notice has changed since that revision")]
    Stale,
    /// The Idempotency-Key was first used with another request.
    #[error("the idempotency key was used for another request")]
    KeyReused,
    /// An admin token revoking itself while no other admin token is active.
    #[error("the last active admin token cannot revoke itself")]
    LastAdmin,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for EditError {
    fn from(e: diesel::result::Error) -> Self {
        EditError::Store(e.into())
    }
}

/// An `Idempotency-Key` and what it was sent with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub token_id: Uuid,
    pub key: String,
    /// A hash of the request body.
    pub request_hash: String,
}

/// What a create answers: the notice it made (or, for a retry, made the first
/// time) and the response body, the same every time.
pub struct Created {
    pub notice_id: Uuid,
    pub body: String,
}

/// The earlier create made with this key, if any: its notice and response body.
pub fn replay(
    conn: &mut DbConnection,
    key: &IdempotencyKey,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, String)>, EditError> {
    match idempotency::find(conn, key.token_id, &key.key, now)? {
        Some(first) if first.request_hash == key.request_hash => {
            Ok(Some((first.notice_id, first.response_body)))
        }
        Some(_) => Err(EditError::KeyReused),
        None => Ok(None),
    }
}

fn audit_entry(seq: i64, action: Action, actor: &Actor, now: DateTime<Utc>) -> AuditEntry {
    AuditEntry {
        seq,
        action,
        actor: actor.clone(),
        notice_id: None,
        revision: None,
        subject_token_id: None,
        detail: None,
        created_at: now,
    }
}

fn record_revision(
    conn: &mut DbConnection,
    seq: i64,
    notice: &Notice,
    action: Action,
    actor: &Actor,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    revisions::record(
        conn,
        &Revision {
            notice_id: notice.id,
            revision: notice.revision,
            action,
            actor: actor.clone(),
            snapshot: snapshot(notice),
            created_at: now,
        },
    )?;
    audit::record(
        conn,
        &AuditEntry {
            notice_id: Some(notice.id),
            revision: Some(notice.revision),
            detail,
            ..audit_entry(seq, action, actor, now)
        },
    )?;
    Ok(())
}

/// Stores a new notice (revision 1), its slug made unique, and its events
/// for the channels of `fanout`. `respond` makes
/// the response body from the notice as stored, which a key keeps for
/// retries in the same transaction; a retry creates nothing. It runs while
/// the write lock is held, so it should only serialise: the notice comes with
/// its body already rendered.
pub fn create_notice(
    conn: &mut DbConnection,
    mut notice: Notice,
    actor: &Actor,
    key: Option<&IdempotencyKey>,
    respond: impl FnOnce(&Notice) -> String,
    fanout: &[Fanout],
    now: DateTime<Utc>,
) -> Result<Created, EditError> {
    write(conn, |conn, seq| {
        if let Some(key) = key {
            // Again inside the write: a concurrent retry may have just committed.
            if let Some((id, body)) = replay(conn, key, now)? {
                return Ok(Created {
                    notice_id: id,
                    body,
                });
            }
        }
        notice.slug = notices::free_slug(conn, &notice.slug, notice.id)?;
        notices::save_new(conn, &notice, seq, now)?;
        outbox::record(conn, &events_of_write(None, &notice, now), fanout, now)?;
        record_revision(conn, seq, &notice, Action::NoticeCreate, actor, None, now)?;
        let body = respond(&notice);
        if let Some(key) = key {
            idempotency::remember(
                conn,
                key.token_id,
                &key.key,
                &key.request_hash,
                notice.id,
                &body,
                now,
            )?;
        }
        Ok(Created {
            notice_id: notice.id,
            body,
        })
    })
}

/// What an update changes and who makes it.
pub struct Update<'a> {
    pub before: &'a Notice,
    pub after: &'a Notice,
    /// `notice.update` or `notice.withdraw`.
    pub action: Action,
    pub actor: &'a Actor,
    /// The fields that changed.
    pub detail: Option<String>,
}

/// Replaces a notice, if it is still at `before.revision`, with its events
/// for the channels of `fanout`; a go-live it had scheduled is superseded.
pub fn update_notice(
    conn: &mut DbConnection,
    update: Update<'_>,
    fanout: &[Fanout],
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    let Update {
        before,
        after,
        action,
        actor,
        detail,
    } = update;
    write(conn, |conn, seq| {
        let was_public = before.is_public(now);
        if !notices::save_update(conn, before, after, was_public, seq, now)? {
            return Err(EditError::Stale);
        }
        outbox::cancel_scheduled(conn, after.id, now)?;
        outbox::record(
            conn,
            &events_of_write(Some(before), after, now),
            fanout,
            now,
        )?;
        record_revision(conn, seq, after, action, actor, detail, now)
    })
}

pub fn create_token(
    conn: &mut DbConnection,
    token: &Token,
    hash: &SecretHash,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    write(conn, |conn, seq| {
        tokens::insert(conn, token, hash)?;
        audit::record(
            conn,
            &AuditEntry {
                subject_token_id: Some(token.id),
                detail: Some(format!("{} {:?}", token.role, token.name)),
                ..audit_entry(seq, Action::TokenCreate, actor, now)
            },
        )?;
        Ok(())
    })
}

/// False if there is no such active token.
pub fn revoke_token(
    conn: &mut DbConnection,
    id: Uuid,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool, EditError> {
    // The audit entry is only kept if the revocation happened. Writes queue
    // behind one another (the content version), so two admins revoking
    // themselves at once cannot both pass the check.
    let result = write(conn, |conn, seq| {
        if actor.token_id == Some(id) && tokens::active_admins_besides(conn, id, now)? == 0 {
            return Err(EditError::LastAdmin);
        }
        if !tokens::revoke(conn, id, now)? {
            return Err(EditError::Stale);
        }
        audit::record(
            conn,
            &AuditEntry {
                subject_token_id: Some(id),
                ..audit_entry(seq, Action::TokenRevoke, actor, now)
            },
        )?;
        Ok(())
    });
    match result {
        Ok(()) => Ok(true),
        Err(EditError::Stale) => Ok(false),
        Err(e) => Err(e),
    }
}
