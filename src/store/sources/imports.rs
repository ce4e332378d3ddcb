//! The `imports` table: each entry a source imported, once for ever, with
//! its notice and the revision the import last wrote.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::domain::document::{changed_fields, editable};
use crate::domain::import::Candidate;
use crate::domain::source::{self, digest, SourceInput};
use crate::domain::{Action, Actor};
use crate::store::editing::{self, EditError};
use crate::store::outbox::Fanout;
use crate::store::schema::imports;
use crate::store::{notices, DbConnection, StoreError, StoreResult};

/// What an import did with a document's entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// New notices.
    pub created: i32,
    /// Notices changed to follow their entry upstream.
    pub updated: i32,
    /// Entries changed upstream whose notice an editor has changed since:
    /// the editor's version stands.
    pub kept: i32,
    /// Entries as they were when last imported.
    pub unchanged: i32,
}

/// Where entries come from, and who imports them.
pub struct Origin<'a> {
    /// A source's id, or the URL of a one-off import: each entry is
    /// imported once per origin.
    pub key: &'a str,
    /// The feed's URL, kept with each entry (and shown to editors)
    /// without its query, which may hold a key.
    pub feed_url: &'a str,
    pub settings: &'a SourceInput,
    /// Who the audit log and the revisions say wrote.
    pub actor: &'a Actor,
}

/// Within the caller's transaction: imports `candidates` from `origin`.
/// A new entry becomes a notice; a changed one updates its notice, only
/// while the notice is still at the revision the import wrote.
pub fn import(
    conn: &mut DbConnection,
    origin: &Origin<'_>,
    candidates: &[Candidate],
    fanout: &[Fanout],
    now: DateTime<Utc>,
) -> StoreResult<Imported> {
    let Origin {
        key: source,
        feed_url,
        settings,
        actor,
    } = *origin;
    let mut done = Imported::default();
    for candidate in candidates {
        let digest = digest(candidate);
        let known: Option<(String, i32, String)> = imports::table
            .filter(imports::source.eq(source))
            .filter(imports::entry_key.eq(&candidate.key))
            .select((imports::notice_id, imports::revision, imports::digest))
            .first(conn)
            .optional()?;
        match known {
            None => {
                let notice = source::new_notice(settings, candidate, now);
                let created = editing::create_notice(
                    conn,
                    notice,
                    actor,
                    None,
                    |_| String::new(),
                    fanout,
                    now,
                )
                .map_err(stored)?;
                diesel::insert_into(imports::table)
                    .values((
                        imports::source.eq(source),
                        imports::entry_key.eq(&candidate.key),
                        imports::notice_id.eq(created.notice_id.to_string()),
                        imports::revision.eq(1),
                        imports::digest.eq(&digest),
                        imports::feed_url.eq(source::without_query(feed_url)),
                    ))
                    .execute(conn)?;
                done.created += 1;
            }
            Some((_, _, was)) if was == digest => done.unchanged += 1,
            Some((notice_id, revision, _)) => {
                let before = notices::find(conn, &notice_id)?;
                let Some(before) = before.filter(|n| n.revision == revision) else {
                    done.kept += 1;
                    continue;
                };
                let after = source::updated_notice(&before, candidate, now);
                let changed = changed_fields(&editable(&before), &editable(&after));
                let update = editing::Update {
                    before: &before,
                    after: &after,
                    action: Action::NoticeUpdate,
                    actor,
                    detail: Some(changed.join(", ")),
                };
                match editing::update_notice(conn, update, fanout, now) {
                    Err(EditError::Stale) => {
                        done.kept += 1;
                        continue;
                    }
                    other => other.map_err(stored)?,
                }
                diesel::update(
                    imports::table
                        .filter(imports::source.eq(source))
                        .filter(imports::entry_key.eq(&candidate.key)),
                )
                .set((
                    imports::revision.eq(after.revision),
                    imports::digest.eq(&digest),
                ))
                .execute(conn)?;
                done.updated += 1;
            }
        }
    }
    Ok(done)
}

fn stored(e: EditError) -> StoreError {
    match e {
        EditError::Store(e) => e,
        other => StoreError::Corrupt(other.to_string()),
    }
}

/// The feed a notice was imported from, if it was.
pub fn imported_from(
    conn: &mut DbConnection,
    notice_id: uuid::Uuid,
) -> StoreResult<Option<String>> {
    Ok(imports::table
        .filter(imports::notice_id.eq(notice_id.to_string()))
        .select(imports::feed_url)
        .first(conn)
        .optional()?)
}
