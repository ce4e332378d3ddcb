//! The notice use cases the admin API and the editor pages share: find a
//! notice for an editor, validate a document, create, update and withdraw.
//! Each checks permission, validates, and writes once with its events; each
//! fails with a `WriteError` that the API and the pages say their own way.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::App;
use crate::domain::document::{self, changed_fields, editable};
use crate::domain::input::{self, NoticeInput};
use crate::domain::time::whole_seconds;
use crate::domain::{Action, Actor, FieldError, Notice, Role, State, Token};
use crate::store::editing::{self, EditError, IdempotencyKey};
use crate::store::{notices, version, StoreError};

/// Why a notice use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The document breaks these rules, all of them.
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("no notice {0:?}")]
    NotFound(String),
    /// The notice has areas outside the token's.
    #[error("the notice has areas outside the token's")]
    NotYours { token_areas: Vec<String> },
    /// The document gives the notice areas outside the token's.
    #[error("the token may not publish in those areas")]
    OutsideAreas { token_areas: Vec<String> },
    /// The notice changed since the revision the editor started from.
    #[error("the notice has changed since that revision")]
    Stale,
    /// The Idempotency-Key was first used with another request.
    #[error("the idempotency key was used for another request")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<EditError> for WriteError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Stale => WriteError::Stale,
            EditError::KeyReused => WriteError::KeyReused,
            EditError::Store(e) => WriteError::Store(e),
            other => WriteError::Store(StoreError::Corrupt(other.to_string())),
        }
    }
}

/// The areas an editor may touch, parent packages widened to their children;
/// `None` for an admin, who may touch all.
pub fn editor_areas(app: &App, token: &Token) -> Option<Vec<String>> {
    match token.role {
        Role::Admin => None,
        Role::Editor => Some(
            token
                .areas
                .iter()
                .flat_map(|a| app.taxonomy.with_descendants(a))
                .collect(),
        ),
    }
}

/// A notice by id, if the token may touch it.
pub async fn find_for(app: &App, token: &Token, id: &str) -> Result<Notice, WriteError> {
    let not_found = || WriteError::NotFound(id.to_owned());
    let uuid = Uuid::try_parse(id).map_err(|_| not_found())?;
    let key = uuid.to_string();
    let notice = app
        .store
        .run(move |conn| notices::find(conn, &key))
        .await?
        .filter(|n| n.id == uuid)
        .ok_or_else(not_found)?;
    if !token.may_touch(&notice, &app.taxonomy) {
        return Err(WriteError::NotYours {
            token_areas: token.areas.clone(),
        });
    }
    Ok(notice)
}

/// Validates a document; `existing` is the notice a PATCH changes. On the
/// blocking pool: validating renders the body, which for a long one takes
/// longer than a request thread should be held.
pub async fn validate(
    app: &App,
    doc: &serde_json::Value,
    existing: Option<&Notice>,
) -> Result<NoticeInput, WriteError> {
    let (taxonomy, doc, existing) = (app.taxonomy.clone(), doc.clone(), existing.cloned());
    tokio::task::spawn_blocking(move || input::parse(&doc, &taxonomy, existing.as_ref()))
        .await
        .map_err(|e| WriteError::Store(StoreError::Task(e.to_string())))?
        .map_err(WriteError::Invalid)
}

fn check_areas(app: &App, token: &Token, input: &NoticeInput) -> Result<(), WriteError> {
    if token.may_write(&input.areas, &app.taxonomy) {
        Ok(())
    } else {
        Err(WriteError::OutsideAreas {
            token_areas: token.areas.clone(),
        })
    }
}

/// Creates a notice from a document: validation, permission, one write with
/// its events. `respond` makes the answer a key keeps for retries, from the
/// notice as stored (it only serialises: the body was rendered with the input).
pub async fn create_notice(
    app: &App,
    token: &Token,
    doc: &serde_json::Value,
    key: Option<IdempotencyKey>,
    respond: impl FnOnce(&Notice, DateTime<Utc>) -> String + Send + 'static,
) -> Result<editing::Created, WriteError> {
    let now = whole_seconds(app.clock.now());
    if let Some(key) = &key {
        let lookup = key.clone();
        if let Some((notice_id, body)) = app
            .store
            .run(move |conn| Ok(editing::replay(conn, &lookup, now)))
            .await??
        {
            return Ok(editing::Created { notice_id, body });
        }
    }
    let input = validate(app, doc, None).await?;
    check_areas(app, token, &input)?;
    let notice = input.into_new(now);
    let actor = Actor::from(token);
    let fanout = app.outbox.fanout();
    let (outcome, version) = app
        .store
        .run(move |conn| {
            let respond = |n: &Notice| respond(n, now);
            Ok(
                editing::create_notice(conn, notice, &actor, key.as_ref(), respond, &fanout, now)
                    .and_then(|created| Ok((created, version::current(conn)?))),
            )
        })
        .await??;
    app.version.observe(version);
    app.outbox.wake();
    Ok(outcome)
}

/// Replaces `before` with a whole document, if it is still at its revision.
/// Returns the notice as stored (`before` itself when nothing changed).
pub async fn update_notice(
    app: &App,
    token: &Token,
    before: &Notice,
    doc: &serde_json::Value,
    time_named: bool,
) -> Result<Notice, WriteError> {
    let input = validate(app, doc, Some(before)).await?;
    check_areas(app, token, &input)?;
    let now = whole_seconds(app.clock.now());
    let after = input.revise(before, time_named, now);
    let changed = changed_fields(&editable(before), &editable(&after));
    if changed.is_empty() {
        return Ok(before.clone());
    }
    let update = Save {
        before: before.clone(),
        after: after.clone(),
        action: Action::NoticeUpdate,
        detail: Some(changed.join(", ")),
    };
    save(app, token, update, now).await?;
    Ok(after)
}

struct Save {
    before: Notice,
    after: Notice,
    action: Action,
    detail: Option<String>,
}

async fn save(app: &App, token: &Token, save: Save, now: DateTime<Utc>) -> Result<(), WriteError> {
    let actor = Actor::from(token);
    let fanout = app.outbox.fanout();
    let version = app
        .store
        .run(move |conn| {
            let update = editing::Update {
                before: &save.before,
                after: &save.after,
                action: save.action,
                actor: &actor,
                detail: save.detail,
            };
            Ok(editing::update_notice(conn, update, &fanout, now)
                .and_then(|()| Ok(version::current(conn)?)))
        })
        .await??;
    // This instance's feeds change at once; others learn within a poll.
    app.version.observe(version);
    app.outbox.wake();
    Ok(())
}

/// Withdraws a notice, if still at `expected` when given; without it, a
/// concurrent edit is read again (a few times at most). Withdrawing a
/// withdrawn notice changes nothing.
pub async fn withdraw_notice(
    app: &App,
    token: &Token,
    id: &str,
    expected: Option<i32>,
) -> Result<Notice, WriteError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let before = find_for(app, token, id).await?;
        if expected.is_some_and(|revision| revision != before.revision) {
            return Err(WriteError::Stale);
        }
        if before.state == State::Withdrawn {
            return Ok(before);
        }
        let now = whole_seconds(app.clock.now());
        let after = document::withdrawn(&before, now);
        let withdrawal = Save {
            before,
            after: after.clone(),
            action: Action::NoticeWithdraw,
            detail: None,
        };
        match save(app, token, withdrawal, now).await {
            Ok(()) => return Ok(after),
            Err(WriteError::Stale) if expected.is_none() && attempts < 3 => continue,
            Err(e) => return Err(e),
        }
    }
}
