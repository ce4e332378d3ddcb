//! The one write path for notices, shared by the admin API and the editor
//! pages: permission, validation, one transaction with its events.

use actix_web::web;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::auth::Caller;
use crate::domain::document::{self, changed_fields, editable};
use crate::domain::input::{self, NoticeInput};
use crate::domain::time::whole_seconds;
use crate::domain::{Actor, Notice, State};
use crate::http::problem::ApiError;
use crate::http::views::AdminNoticeView;
use crate::http::AppState;
use crate::store::editing::{self, IdempotencyKey};
use crate::store::{notices, version, StoreError};

/// The areas an editor may touch, parent packages widened to their children;
/// `None` for an admin, who may touch all.
pub fn editor_areas(state: &AppState, caller: &Caller) -> Option<Vec<String>> {
    match caller.0.role {
        crate::domain::Role::Admin => None,
        crate::domain::Role::Editor => Some(
            caller
                .0
                .areas
                .iter()
                .flat_map(|a| state.taxonomy.with_descendants(a))
                .collect(),
        ),
    }
}

/// The admin representation of a notice.
pub fn view(state: &AppState, notice: &Notice, now: DateTime<Utc>) -> AdminNoticeView {
    AdminNoticeView::new(notice, now, &state.base_url)
}

/// A notice by id, or 404; 403 if the caller may not touch it.
pub async fn find_for(state: &AppState, caller: &Caller, id: &str) -> Result<Notice, ApiError> {
    let not_found = || ApiError::NotFound(format!("no notice {id:?}"));
    let uuid = Uuid::try_parse(id).map_err(|_| not_found())?;
    let key = uuid.to_string();
    let notice = state
        .store
        .run(move |conn| notices::find(conn, &key))
        .await?
        .filter(|n| n.id == uuid)
        .ok_or_else(not_found)?;
    if !caller.0.may_touch(&notice, &state.taxonomy) {
        return Err(ApiError::Forbidden(format!(
            "this notice has areas outside your token's ({})",
            caller.0.areas.join(", ")
        )));
    }
    Ok(notice)
}

/// Validates a document; `existing` is the notice a PATCH changes. On the
/// blocking pool: validating renders the body, which for a long one takes
/// longer than a request thread should be held.
pub async fn validate(
    state: &AppState,
    doc: &serde_json::Value,
    existing: Option<&Notice>,
) -> Result<NoticeInput, ApiError> {
    let (taxonomy, doc, existing) = (state.taxonomy.clone(), doc.clone(), existing.cloned());
    tokio::task::spawn_blocking(move || input::parse(&doc, &taxonomy, existing.as_ref()))
        .await
        .map_err(|e| ApiError::Internal(StoreError::Task(e.to_string())))?
        .map_err(ApiError::InvalidFields)
}

fn check_areas(state: &AppState, caller: &Caller, input: &NoticeInput) -> Result<(), ApiError> {
    if caller.0.may_write(&input.areas, &state.taxonomy) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "your token may publish only in {}; every area of the notice must be among them",
            caller.0.areas.join(", ")
        )))
    }
}

/// Creates a notice from a document: the one path for the API and the
/// editor pages. Validation, permission, one write with its events.
pub async fn create_notice(
    state: &web::Data<AppState>,
    caller: &Caller,
    doc: &serde_json::Value,
    key: Option<IdempotencyKey>,
) -> Result<editing::Created, ApiError> {
    let now = whole_seconds(state.clock.now());
    if let Some(key) = &key {
        let lookup = key.clone();
        if let Some((notice_id, body)) = state
            .store
            .run(move |conn| Ok(editing::replay(conn, &lookup, now)))
            .await??
        {
            return Ok(editing::Created { notice_id, body });
        }
    }
    let input = validate(state, doc, None).await?;
    check_areas(state, caller, &input)?;
    let notice = input.into_new(now);
    let actor = Actor::from(&caller.0);
    let render_state = state.clone();
    let fanout = state.outbox.fanout();
    let (outcome, version) = state
        .store
        .run(move |conn| {
            // Only serialises: the body's HTML was rendered with the input.
            let respond = |n: &Notice| {
                serde_json::to_string(&view(&render_state, n, now)).expect("views serialise")
            };
            Ok(
                editing::create_notice(conn, notice, &actor, key.as_ref(), respond, &fanout, now)
                    .and_then(|created| Ok((created, version::current(conn)?))),
            )
        })
        .await??;
    state.version.observe(version);
    state.outbox.wake();
    Ok(outcome)
}

/// Replaces `before` with a whole document, if it is still at its revision:
/// the one path for PATCH and the editor pages. Returns the notice as stored
/// (`before` itself when nothing changed).
pub async fn update_notice(
    state: &AppState,
    caller: &Caller,
    before: &Notice,
    doc: &serde_json::Value,
    time_named: bool,
) -> Result<Notice, ApiError> {
    let input = validate(state, doc, Some(before)).await?;
    check_areas(state, caller, &input)?;
    let now = whole_seconds(state.clock.now());
    let after = input.revise(before, time_named, now);
    let changed = changed_fields(&editable(before), &editable(&after));
    if changed.is_empty() {
        return Ok(before.clone());
    }
    save(
        state,
        caller,
        before.clone(),
        after.clone(),
        "notice.update",
        Some(changed.join(", ")),
        now,
    )
    .await?;
    Ok(after)
}

async fn save(
    state: &AppState,
    caller: &Caller,
    before: Notice,
    after: Notice,
    action: &'static str,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let actor = Actor::from(&caller.0);
    let fanout = state.outbox.fanout();
    let version = state
        .store
        .run(move |conn| {
            let update = editing::Update {
                before: &before,
                after: &after,
                action,
                actor: &actor,
                detail,
            };
            Ok(editing::update_notice(conn, update, &fanout, now)
                .and_then(|()| Ok(version::current(conn)?)))
        })
        .await??;
    // This instance's feeds change at once; others learn within a poll.
    state.version.observe(version);
    state.outbox.wake();
    Ok(())
}

/// Withdraws a notice, if still at `expected` when given; without it, a
/// concurrent edit is read again (a few times at most). Withdrawing a
/// withdrawn notice changes nothing.
pub async fn withdraw_notice(
    state: &AppState,
    caller: &Caller,
    id: &str,
    expected: Option<i32>,
) -> Result<Notice, ApiError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let before = find_for(state, caller, id).await?;
        if expected.is_some_and(|revision| revision != before.revision) {
            return Err(ApiError::from(editing::EditError::Stale));
        }
        if before.state == State::Withdrawn {
            return Ok(before);
        }
        let now = whole_seconds(state.clock.now());
        let after = document::withdrawn(&before, now);
        match save(
            state,
            caller,
            before,
            after.clone(),
            "notice.withdraw",
            None,
            now,
        )
        .await
        {
            Ok(()) => return Ok(after),
            Err(ApiError::PreconditionFailed(_)) if expected.is_none() && attempts < 3 => continue,
            Err(e) => return Err(e),
        }
    }
}
